//! Shared by the CLI tests: run the built binary with a clean environment, read its output,
//! and keep its data in a temporary folder.
// Each test binary includes this module and uses a part of it.
#![allow(dead_code)]

use gastvrij_app::{App, Settings, SystemClock};
use gastvrij_store::{Database, Location, OpenMode};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

/// The `gastvrij` command without any GASTVRIJ_* variable from the caller's environment.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gastvrij"));
    for (k, _) in std::env::vars() {
        if k.starts_with("GASTVRIJ_") {
            c.env_remove(k);
        }
    }
    c.env("GASTVRIJ_LOG", "warn");
    c
}

/// Run `gastvrij ARGS` without any GASTVRIJ_* variable from the caller's environment.
pub fn gastvrij(args: &[&str]) -> Output {
    command().args(args).output().expect("run gastvrij")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit non-zero with one line on stderr starting with `error:` that contains `needle`.
pub fn assert_one_line_error(o: &Output, needle: &str) {
    assert!(!o.status.success());
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {err}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains(needle), "{err}");
    assert!(o.stdout.is_empty(), "{}", stdout(o));
}

/// A new empty folder, removed with all it holds when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(format!("gastvrij_cli_{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    /// The data folder `data` in it, made by `gastvrij migrate`: its path, and the same as the
    /// value of `--data`.
    pub fn migrated_data(&self) -> (PathBuf, String) {
        let data = self.path("data");
        assert!(gastvrij(&["migrate", "--data", &data]).status.success());
        (self.0.join("data"), data)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `work` on an app over the database under `data`, as the server would.
pub fn with_app<T>(data: &Path, work: impl AsyncFnOnce(&App) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let db = Database::open(&Location::Sqlite(data.join("gastvrij.sqlite")), OpenMode::MustExist).await.unwrap();
        let app = App::new(db.into_store(), Arc::new(SystemClock), Settings::default());
        work(&app).await
    })
}
