//! The link key file of `gastvrij serve` (`--link-key-file`): the key that makes the tracking and
//! unsubscribe links in citizens' mails, kept apart from the database (`gastvrij_app::link_keys`).

use anyhow::{Context, bail};
use gastvrij_app::link_keys::LinkKey;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key file's name in the data folder when `--link-key-file` is not given.
pub const DEFAULT_FILE: &str = "link-key";

/// Where the key is read from, and whether it may be made there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    pub path: PathBuf,
    /// Only the embedded default (SQLite in the data folder, one node) makes a missing key: with
    /// a database server, every node must use the same key, so the operator puts it in place.
    pub create_if_missing: bool,
}

impl KeyFile {
    /// `--link-key-file` when given; else `link-key` in the data folder, made there when missing
    /// only for an embedded (SQLite) database.
    pub fn choose(given: Option<&Path>, data: &Path, embedded: bool) -> Self {
        match given.filter(|p| !p.as_os_str().is_empty()) {
            Some(path) => KeyFile { path: path.to_path_buf(), create_if_missing: false },
            None => KeyFile { path: data.join(DEFAULT_FILE), create_if_missing: embedded },
        }
    }

    /// Read the key, or make and write it (mode 0600) when that is allowed.
    pub fn load(&self) -> anyhow::Result<LinkKey> {
        let shown = self.path.display();
        match std::fs::read(&self.path) {
            Ok(contents) => {
                tracing::info!(path = %shown, "links in mails are made with the key in this file");
                warn_if_readable_by_others(&self.path);
                LinkKey::from_file_contents(&contents).map_err(|e| anyhow::anyhow!("link key file {shown} {e}"))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.create_if_missing => {
                let key = LinkKey::generate()?;
                write_new(&self.path, key.file_contents().as_bytes())
                    .with_context(|| format!("creating the link key file {shown}"))?;
                tracing::info!(path = %shown, "made a new link key file; back it up with the database");
                Ok(key)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "no link key file at {shown}. The key that makes the links in citizens' mails is kept apart from \
                 the database; with a database server every node needs the same one. Make it once with \
                 `openssl rand -hex 32 > {shown} && chmod 600 {shown}`, copy it to every node and to your \
                 backups, and name it with --link-key-file (GASTVRIJ_LINK_KEY_FILE)"
            ),
            Err(e) => Err(e).with_context(|| format!("reading the link key file {shown}")),
        }
    }
}

/// Write a new file that only its owner may read; an existing file is never overwritten.
fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), mode = format!("{:o}", mode & 0o777), "the link key file can be read by others than its owner; chmod 600 it");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gastvrij_link_key_{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir(&dir).unwrap();
        dir
    }

    #[test]
    fn the_embedded_default_makes_a_private_key_once_and_reads_it_after() {
        let dir = folder();
        let file = KeyFile::choose(None, &dir, true);
        assert_eq!(file.path, dir.join("link-key"));
        let made = file.load().unwrap();
        let written = std::fs::read_to_string(dir.join("link-key")).unwrap();
        assert_eq!(written.trim().len(), 64, "32 bytes as hex");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("link-key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(file.load().unwrap(), made, "read back, not made again");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_named_or_server_key_file_must_exist_and_hold_a_long_enough_key() {
        let dir = folder();
        let server = KeyFile::choose(None, &dir, false);
        let missing = server.load().unwrap_err().to_string();
        assert!(missing.contains("--link-key-file") && missing.contains("openssl rand -hex 32"), "{missing}");
        assert!(!dir.join("link-key").exists(), "nothing made for a database server");
        let named = KeyFile::choose(Some(&dir.join("elders")), &dir, true);
        assert!(!named.create_if_missing, "a named file is never made: a typo must not start a new key");
        assert!(named.load().is_err());
        std::fs::write(dir.join("elders"), "abc123\n").unwrap();
        assert!(named.load().unwrap_err().to_string().contains("at least 32 random bytes"));
        std::fs::write(dir.join("elders"), [7u8; 32]).unwrap();
        assert!(named.load().is_ok(), "raw bytes will do");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
