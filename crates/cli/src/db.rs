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
    pub fn location(&self, mode: OpenMode) -> Result<Location, OpenError> {
        if self.database.as_deref().is_some_and(|d| !d.trim().is_empty()) {
            return Location::resolve(self.database.as_deref(), &self.data);
        }
        let shown = self.data.display().to_string();
        match std::fs::metadata(&self.data) {
            Ok(m) if !m.is_dir() => return Err(OpenError::DataDirIsFile(shown)),
            Ok(_) => {}
            Err(_) if mode == OpenMode::MustExist => return Err(OpenError::Missing(shown)),
            Err(_) => {
                std::fs::create_dir(&self.data).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => OpenError::ParentMissing(
                        self.data.parent().map(|p| p.display().to_string()).unwrap_or_else(|| shown.clone()),
                    ),
                    _ => OpenError::Io { path: shown.clone(), reason: e.to_string() },
                })?;
            }
        }
        Location::resolve(None, &self.data)
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
