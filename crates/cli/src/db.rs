//! Opening the database from `--data` / `--database`, refusing to create one at a mistyped path.

use anyhow::Context;
use clap::Args;
use gastvrij_app::{App, Settings, SystemClock};
use gastvrij_store::{Database, Location, OpenError, OpenMode};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Folder for the embedded database, search index, attachments and mail.
    #[arg(long, env = "GASTVRIJ_DATA", default_value = "./gastvrij-data")]
    pub data: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DB (default: SQLite in the data dir).
    #[arg(long, env = "GASTVRIJ_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
}

impl DbArgs {
    /// Resolve the location; with `CreateIfMissing`, create the data dir itself (never its parents).
    /// With a database URL the data dir holds only this node's files (search index, mail folder,
    /// link key), so a node on a bare folder makes it, whatever the mode.
    pub fn location(&self, mode: OpenMode) -> Result<Location, OpenError> {
        let shown = self.data.display().to_string();
        let server = self.database.as_deref().is_some_and(|d| !d.trim().is_empty());
        match std::fs::metadata(&self.data) {
            Ok(m) if !m.is_dir() => return Err(OpenError::DataDirIsFile(shown)),
            Ok(_) => {}
            Err(_) if mode == OpenMode::MustExist && !server => return Err(OpenError::Missing(shown)),
            Err(_) => {
                std::fs::create_dir(&self.data).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => OpenError::ParentMissing(
                        self.data.parent().map(|p| p.display().to_string()).unwrap_or_else(|| shown.clone()),
                    ),
                    _ => OpenError::Io { path: shown.clone(), reason: e.to_string() },
                })?;
            }
        }
        Location::resolve(self.database.as_deref().filter(|_| server), &self.data)
    }

    /// Open (and with `CreateIfMissing`, migrate) the database.
    pub async fn open(&self, mode: OpenMode) -> anyhow::Result<Database> {
        let location = self.location(mode)?;
        let db = Database::open(&location, mode).await?;
        if mode == OpenMode::CreateIfMissing {
            let applied = db.migrate().await.with_context(|| format!("migrating {location}"))?;
            if !applied.is_empty() {
                tracing::info!(?applied, %location, "database schema migrated");
            }
        }
        Ok(db)
    }
}

pub fn app(db: Database) -> App {
    app_with(db, Settings::default())
}

pub fn app_with(db: Database, settings: Settings) -> App {
    App::new(db.into_store(), Arc::new(SystemClock), settings)
}

pub async fn migrate(args: &DbArgs) -> anyhow::Result<()> {
    let location = args.location(OpenMode::CreateIfMissing)?;
    let db = Database::open(&location, OpenMode::CreateIfMissing).await?;
    let applied = db.migrate().await?;
    let status = db.schema_status().await?;
    if applied.is_empty() {
        println!("{location}: schema is up to date (version {})", status.current);
    } else {
        println!("{location}: applied migrations {applied:?}; schema is now version {}", status.current);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(data: PathBuf, database: Option<&str>) -> DbArgs {
        DbArgs { data, database: database.map(str::to_string) }
    }

    /// Issue 18: `serve --database postgres://… --data DIR` on a bare machine makes DIR (its
    /// parent must exist, as for the embedded default); without a database URL a missing data dir
    /// is still refused unless creating is asked for.
    #[test]
    fn a_node_on_a_database_server_makes_its_bare_data_folder() {
        let root = std::env::temp_dir().join(format!("gastvrij-bare-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let data = root.join("node-a");
        let url = Some("postgres://gastvrij@127.0.0.1:5432/gastvrij");
        let location = args(data.clone(), url).location(OpenMode::MustExist).unwrap();
        assert!(matches!(location, Location::Postgres(_)), "{location}");
        assert!(data.is_dir(), "the data folder was made");
        assert!(args(data.clone(), url).location(OpenMode::MustExist).is_ok(), "and is fine the second time");

        let deep = root.join("missing").join("node-b");
        assert!(matches!(args(deep, url).location(OpenMode::MustExist), Err(OpenError::ParentMissing(_))));
        let embedded = root.join("embedded");
        assert!(matches!(args(embedded.clone(), None).location(OpenMode::MustExist), Err(OpenError::Missing(_))));
        assert!(!embedded.exists(), "the embedded default does not make it unless asked");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
