//! Shared by the CLI tests: run the built binary with a clean environment.

use std::process::{Command, Output};

/// Run `gastvrij ARGS` without any GASTVRIJ_* variable from the caller's environment.
pub fn gastvrij(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gastvrij"));
    for (k, _) in std::env::vars() {
        if k.starts_with("GASTVRIJ_") {
            c.env_remove(k);
        }
    }
    c.env("GASTVRIJ_LOG", "warn").args(args).output().expect("run gastvrij")
}
