//! Attachments (the photos of portal submissions) kept outside the database: a local folder or
//! an S3-compatible bucket. The database then keeps only the object's key; with no
//! [`Attachments`] configured (the default) the bytes stay in the database row, as before.
//!
//! Write order (docs/operations.md, "Attachments"): the object is put first and the row that
//! names its key is committed after; when that commit fails the object is deleted again (best
//! effort: a failure is logged with the key). An acknowledged photo is therefore never lost, and
//! a row never names an object that was not written. Erasure and retention queue the keys of the
//! photos they delete in the same transaction (`attachment_deletions`); the objects are deleted
//! after the commit, and a key whose deletion fails stays queued and is tried again.

use async_trait::async_trait;

/// What an attachment backend reports when it cannot do its work.
#[derive(Debug, thiserror::Error)]
#[error("attachments ({backend}): {message}")]
pub struct AttachmentError {
    pub backend: &'static str,
    pub message: String,
}

/// Object storage for attachments: bytes in, a key out. Keys are random (no personal data), so
/// they may be logged.
#[async_trait]
pub trait Attachments: Send + Sync {
    /// `folder` or `s3`, for logs and the health line.
    fn backend(&self) -> &'static str;
    /// Store `bytes` as a new object; returns its key once it is durably written.
    async fn put(&self, bytes: &[u8]) -> Result<String, AttachmentError>;
    /// The object's bytes; `None` when no object has that key.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AttachmentError>;
    /// Delete the object; deleting a key that does not exist is no error.
    async fn delete(&self, key: &str) -> Result<(), AttachmentError>;
}
