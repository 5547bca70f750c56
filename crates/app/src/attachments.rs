//! Use cases: photos in object storage (a folder or an S3-compatible bucket) instead of the
//! database, when the installation configures it (`gastvrij serve --attachments`).
//!
//! - Writing: each photo is put first; then the row naming its key is committed. When the commit
//!   fails, the objects are deleted again (best effort; a failure is logged with the key). So a
//!   photo the citizen was told is received is never lost, and no row names an unwritten object.
//! - Reading: a row with a key is read from the object store. An object that is not there is a
//!   404 ("foto niet gevonden") with the key in the log, never a 500 and never another photo.
//! - Deleting: erasure and retention queue the keys of the photos they delete in their own
//!   transaction; [`App::sweep_attachments`] deletes the objects after the commit and takes a key
//!   off the queue only once its object is gone, so a failed deletion is tried again.
//!
//! Keys are random (`photos/<uuid>`), never personal data, so they may be logged.

use crate::ports::{PhotoContent, PhotoUpload};
use crate::{App, AppError};

/// Keys deleted per round of [`App::sweep_attachments`].
const SWEEP_BATCH: u32 = 200;

impl App {
    /// The configured object store's name (`folder`, `s3`), or `database` when photos stay in
    /// the database.
    pub fn attachments_backend(&self) -> &'static str {
        self.attachments.as_ref().map_or("database", |a| a.backend())
    }

    /// Put the bytes of `photos` into object storage (when configured), leaving only their keys
    /// in `photos`; returns the keys written. When one put fails, the ones already written are
    /// deleted again and nothing is stored.
    pub(crate) async fn offload_photos(&self, photos: &mut [PhotoUpload]) -> Result<Vec<String>, AppError> {
        let Some(store) = &self.attachments else { return Ok(vec![]) };
        let mut keys = Vec::with_capacity(photos.len());
        for p in photos.iter_mut() {
            let PhotoContent::Bytes(bytes) = &p.content else { continue };
            match store.put(bytes).await {
                Ok(key) => {
                    p.content = PhotoContent::Object(key.clone());
                    keys.push(key);
                }
                Err(e) => {
                    tracing::error!(error = %e, "storing a photo failed");
                    self.forget_objects(&keys).await;
                    return Err(AppError::Unavailable("the photo storage cannot be reached".into()));
                }
            }
        }
        Ok(keys)
    }

    /// Delete objects whose row was not committed (best effort: a failure is logged with the key).
    pub(crate) async fn forget_objects(&self, keys: &[String]) {
        let Some(store) = &self.attachments else { return };
        for key in keys {
            if let Err(e) = store.delete(key).await {
                tracing::warn!(key = %key, error = %e, "an object of a photo that was not stored is left behind");
            }
        }
    }

    /// A stored photo's bytes: from its row, or from the object store under its key.
    pub(crate) async fn photo_bytes(
        &self,
        content_type: String,
        content: PhotoContent,
    ) -> Result<(String, Vec<u8>), AppError> {
        let key = match content {
            PhotoContent::Bytes(bytes) => return Ok((content_type, bytes)),
            PhotoContent::Object(key) => key,
        };
        let Some(store) = &self.attachments else {
            tracing::warn!(key = %key, "a photo is kept in object storage, but none is configured (--attachments)");
            return Err(AppError::NotFound("photo"));
        };
        match store.get(&key).await {
            Ok(Some(bytes)) => Ok((content_type, bytes)),
            Ok(None) => {
                tracing::warn!(key = %key, backend = store.backend(), "photo object not found");
                Err(AppError::NotFound("photo"))
            }
            Err(e) => {
                tracing::error!(key = %key, error = %e, "reading a photo object failed");
                Err(AppError::Unavailable("the photo storage cannot be reached".into()))
            }
        }
    }

    /// Delete the objects of erased photos (queued by erasure and retention); returns how many
    /// were deleted. A key stays queued until its object is gone, so a failure is tried again on
    /// the next run. Without object storage configured nothing is done.
    pub async fn sweep_attachments(&self) -> Result<u64, AppError> {
        let Some(store) = &self.attachments else { return Ok(0) };
        let mut deleted = 0;
        loop {
            let keys = self.store.queued_attachment_deletions(SWEEP_BATCH).await?;
            if keys.is_empty() {
                return Ok(deleted);
            }
            for key in &keys {
                if let Err(e) = store.delete(key).await {
                    tracing::error!(key = %key, error = %e, "deleting an erased photo's object failed; tried again later");
                    return Ok(deleted);
                }
                self.store.attachment_deleted(key).await?;
                deleted += 1;
            }
            if keys.len() < SWEEP_BATCH as usize {
                return Ok(deleted);
            }
        }
    }
}
