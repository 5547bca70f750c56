//! The [`Attachments`] port: photos in a local folder or an S3-compatible bucket, chosen with
//! `gastvrij serve --attachments` (or `GASTVRIJ_ATTACHMENTS`):
//!
//! - `database` (the default): no object store; the bytes stay in the database rows.
//! - `folder:PATH`: files under `PATH/photos/`, for one node or a mount all nodes share.
//! - `s3://bucket` or `s3://bucket/prefix`: an S3-compatible bucket; endpoint, region and keys
//!   come from the usual `AWS_*` variables (`AWS_ENDPOINT_URL`, `AWS_REGION`,
//!   `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP` for a plain-HTTP endpoint).
//!
//! Keys are `photos/<uuid>` (random, no personal data). A put returns only once the object is
//! durably written (the folder: written to a temporary file, synced, renamed; S3: the PUT
//! answered), so the row naming the key is committed after the object exists.

use async_trait::async_trait;
use gastvrij_app::ports::{AttachmentError, Attachments};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt as _, PutPayload};
use std::path::PathBuf;
use std::sync::Arc;

/// Where attachments go, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentsConfig {
    /// In the database rows (the default).
    Database,
    /// Files under this directory.
    Folder(PathBuf),
    /// An S3-compatible bucket, with an optional key prefix.
    S3 { bucket: String, prefix: String },
}

impl std::str::FromStr for AttachmentsConfig {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() || s == "database" {
            return Ok(Self::Database);
        }
        if let Some(path) = s.strip_prefix("folder:") {
            if path.trim().is_empty() {
                return Err("folder: needs a directory, e.g. folder:/var/lib/gastvrij/attachments".into());
            }
            return Ok(Self::Folder(PathBuf::from(path)));
        }
        if let Some(rest) = s.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err("s3:// needs a bucket name, e.g. s3://gastvrij-photos".into());
            }
            return Ok(Self::S3 { bucket: bucket.to_string(), prefix: prefix.trim_matches('/').to_string() });
        }
        Err(format!("unknown attachments backend {s:?}; use database, folder:PATH or s3://bucket"))
    }
}

impl AttachmentsConfig {
    /// The object store for this configuration; `None` for `database`. S3 settings are read from
    /// the `AWS_*` environment variables.
    pub fn open(&self) -> anyhow::Result<Option<Arc<dyn Attachments>>> {
        Ok(match self {
            Self::Database => None,
            Self::Folder(root) => Some(Arc::new(FolderAttachments::new(root.clone()))),
            Self::S3 { bucket, prefix } => {
                Some(Arc::new(S3Attachments::new(AmazonS3Builder::from_env().with_bucket_name(bucket), prefix)?))
            }
        })
    }
}

/// A new random key.
fn new_key() -> String {
    format!("photos/{}", uuid::Uuid::now_v7())
}

/// A key this module made (`photos/<uuid>`); anything else is refused, so a key can never reach
/// outside the folder or the prefix.
fn checked_key(key: &str) -> Option<&str> {
    let id = key.strip_prefix("photos/")?;
    uuid::Uuid::try_parse(id).ok().map(|_| key)
}

fn folder_error(e: impl std::fmt::Display) -> AttachmentError {
    AttachmentError { backend: "folder", message: e.to_string() }
}

/// Photos as files under a directory (for one node, or a mount every node shares).
pub struct FolderAttachments {
    root: PathBuf,
}

impl FolderAttachments {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn path_of(&self, key: &str) -> Option<PathBuf> {
        checked_key(key).map(|k| self.root.join(k))
    }
}

#[async_trait]
impl Attachments for FolderAttachments {
    fn backend(&self) -> &'static str {
        "folder"
    }

    async fn put(&self, bytes: &[u8]) -> Result<String, AttachmentError> {
        let key = new_key();
        let path = self.path_of(&key).ok_or_else(|| folder_error("a key was made wrongly"))?;
        let dir = path.parent().map(std::path::Path::to_path_buf).unwrap_or_else(|| self.root.clone());
        let bytes = bytes.to_vec();
        // Written to a temporary name, synced, then renamed: a reader sees all of it or nothing.
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            use std::io::Write as _;
            std::fs::create_dir_all(&dir)?;
            let temporary = path.with_extension("part");
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)?;
            std::fs::File::open(&dir)?.sync_all()
        })
        .await
        .map_err(folder_error)?
        .map_err(folder_error)?;
        Ok(key)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AttachmentError> {
        let Some(path) = self.path_of(key) else { return Ok(None) };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(folder_error(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), AttachmentError> {
        let Some(path) = self.path_of(key) else { return Err(folder_error(format!("not a photo key: {key:?}"))) };
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(folder_error(e)),
        }
    }
}

fn s3_error(e: impl std::fmt::Display) -> AttachmentError {
    AttachmentError { backend: "s3", message: e.to_string() }
}

/// Photos in an S3-compatible bucket.
pub struct S3Attachments {
    store: AmazonS3,
    prefix: String,
}

impl S3Attachments {
    /// A bucket from a configured builder (bucket, endpoint, region, keys); `prefix` is put in
    /// front of every key (may be empty).
    pub fn new(builder: AmazonS3Builder, prefix: &str) -> anyhow::Result<Self> {
        // reqwest runs on rustls without a built-in provider: the workspace uses ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store = builder.build().map_err(|e| anyhow::anyhow!("the S3 attachments bucket: {e}"))?;
        Ok(Self { store, prefix: prefix.trim_matches('/').to_string() })
    }

    fn path_of(&self, key: &str) -> Option<ObjectPath> {
        let key = checked_key(key)?;
        Some(if self.prefix.is_empty() {
            ObjectPath::from(key)
        } else {
            ObjectPath::from(format!("{}/{key}", self.prefix))
        })
    }
}

#[async_trait]
impl Attachments for S3Attachments {
    fn backend(&self) -> &'static str {
        "s3"
    }

    async fn put(&self, bytes: &[u8]) -> Result<String, AttachmentError> {
        let key = new_key();
        let path = self.path_of(&key).ok_or_else(|| s3_error("a key was made wrongly"))?;
        self.store.put(&path, PutPayload::from(bytes.to_vec())).await.map_err(s3_error)?;
        Ok(key)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AttachmentError> {
        let Some(path) = self.path_of(key) else { return Ok(None) };
        match self.store.get(&path).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(s3_error)?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(s3_error(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), AttachmentError> {
        let Some(path) = self.path_of(key) else { return Err(s3_error(format!("not a photo key: {key:?}"))) };
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(s3_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_names_one_backend() {
        assert_eq!("database".parse(), Ok(AttachmentsConfig::Database));
        assert_eq!("".parse(), Ok(AttachmentsConfig::Database));
        assert_eq!("folder:/srv/foto".parse(), Ok(AttachmentsConfig::Folder("/srv/foto".into())));
        assert_eq!(
            "s3://gastvrij".parse(),
            Ok(AttachmentsConfig::S3 { bucket: "gastvrij".into(), prefix: String::new() })
        );
        assert_eq!(
            "s3://gastvrij/node-a/".parse(),
            Ok(AttachmentsConfig::S3 { bucket: "gastvrij".into(), prefix: "node-a".into() })
        );
        assert!("folder:".parse::<AttachmentsConfig>().is_err());
        assert!("s3://".parse::<AttachmentsConfig>().is_err());
        assert!("ftp://x".parse::<AttachmentsConfig>().is_err());
    }

    #[test]
    fn only_keys_made_here_are_accepted() {
        assert!(checked_key(&new_key()).is_some());
        assert_eq!(checked_key("photos/../../etc/passwd"), None);
        assert_eq!(checked_key("../photos/0190a1b2-0000-7000-8000-000000000000"), None);
    }
}
