//! Where the database lives, and the errors of opening it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A database location from `--database` or the data dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Whether opening may create a new database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The operator asked for a database here (`migrate`, `demo`, `serve --demo`).
    CreateIfMissing,
    /// The database must already exist and carry the Gastvrij schema.
    MustExist,
}

/// The name of the SQLite file inside a data dir.
pub const SQLITE_FILE: &str = "gastvrij.sqlite";

impl Location {
    /// From `--database URL` if given, else SQLite in the data dir.
    pub fn resolve(database: Option<&str>, data_dir: &Path) -> Result<Self, OpenError> {
        match database.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Location::Sqlite(data_dir.join(SQLITE_FILE))),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_string()))
            }
            Some(url) => match url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
                Some(path) if !path.is_empty() => {
                    Ok(Location::Sqlite(PathBuf::from(path.split('?').next().unwrap_or(path))))
                }
                _ => Err(OpenError::BadUrl(url.to_string())),
            },
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            Location::Postgres(url) => write!(f, "{}", redact(url)),
        }
    }
}

/// A PostgreSQL URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Why a database could not be opened; each message names the problem and the fix.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("'{0}' is not a database URL; use sqlite://PATH or postgres://USER@HOST:PORT/DB")]
    BadUrl(String),
    #[error("the data dir {0} is a file, not a folder; point --data (GASTVRIJ_DATA) at a folder")]
    DataDirIsFile(String),
    #[error("the folder {0} does not exist; create it first or fix the path in --data / --database")]
    ParentMissing(String),
    #[error(
        "no Gastvrij database at {0}; check --data / --database, or create one with 'gastvrij migrate' (or 'gastvrij serve --demo')"
    )]
    Missing(String),
    #[error(
        "the database at {0} has no Gastvrij schema yet; run 'gastvrij migrate' with the same --data / --database first"
    )]
    NotInitialised(String),
    #[error(
        "the database schema is version {found} but this gastvrij knows up to {supported}; upgrade gastvrij (see docs/operations.md) — nothing was changed"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error(
        "cannot reach PostgreSQL at {url}: {reason}; check --database (GASTVRIJ_DATABASE) and that the server runs"
    )]
    Unreachable { url: String, reason: String },
    #[error("cannot open {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("database error: {0}")]
    Database(String),
}

impl From<sqlx::Error> for OpenError {
    fn from(e: sqlx::Error) -> Self {
        OpenError::Database(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        let dir = Path::new("/srv/gv");
        assert_eq!(Location::resolve(None, dir).unwrap(), Location::Sqlite(dir.join(SQLITE_FILE)));
        assert_eq!(Location::resolve(Some("sqlite:///tmp/x.db"), dir).unwrap(), Location::Sqlite("/tmp/x.db".into()));
        assert_eq!(Location::resolve(Some("sqlite://rel.db"), dir).unwrap(), Location::Sqlite("rel.db".into()));
        assert!(matches!(Location::resolve(Some("postgres://u@h/db"), dir).unwrap(), Location::Postgres(_)));
        assert!(matches!(Location::resolve(Some("mysql://x"), dir), Err(OpenError::BadUrl(_))));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
