//! Photos sent with a submission or a message: counted at once, cleaned (checked by content,
//! metadata removed) on blocking threads.

use super::{PortalError, UploadedPhoto};
use crate::AppError;
use crate::ports::{PhotoContent, PhotoUpload};
use gastvrij_domain::ids::{MessageId, PhotoId};
use gastvrij_domain::photo;
use gastvrij_domain::portal::{self, Photo, SubmissionId};
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::Timestamp;

/// How many photos are cleaned at once, over all requests: one per core. Cleaning is CPU work
/// (up to 10 MB walked and copied per photo), so it runs on blocking threads, never on the
/// request tasks, and a burst of uploads waits here instead of taking every core.
static PHOTO_CLEANERS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
});

/// The number of photos is checked at once (it costs nothing); their content only by [`clean_photos`].
pub(super) fn count_photos(photos: &[UploadedPhoto]) -> Result<(), Invalid> {
    if photos.len() > portal::MAX_PHOTOS {
        return Err(Invalid::new("fotos", InvalidKind::TooMany { max: portal::MAX_PHOTOS }));
    }
    Ok(())
}

/// Check and strip each photo on a blocking thread, at most [`PHOTO_CLEANERS`] at once.
pub(super) async fn clean_photos(
    photos: &[UploadedPhoto],
    keep_location: bool,
) -> Result<Vec<photo::CleanPhoto>, PortalError> {
    count_photos(photos)?;
    let mut cleaned = Vec::with_capacity(photos.len());
    for p in photos {
        let permit = PHOTO_CLEANERS
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Unavailable("photo cleaning has stopped".into()))?;
        let bytes = p.bytes.clone();
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit; // held until the photo is done, even when the request is dropped
            photo::clean(&bytes, keep_location)
        })
        .await
        .map_err(|e| AppError::Unavailable(format!("cleaning a photo failed: {e}")))?;
        cleaned.push(result.map_err(|problem| {
            let name: String = p.file_name.chars().filter(|c| !c.is_control()).take(80).collect();
            Invalid::new("fotos", InvalidKind::Photo { file: name.trim().to_string(), problem })
        })?);
    }
    Ok(cleaned)
}

pub(super) fn uploads(
    cleaned: Vec<photo::CleanPhoto>,
    submission: SubmissionId,
    message: Option<MessageId>,
    now: Timestamp,
) -> Vec<PhotoUpload> {
    cleaned
        .into_iter()
        .map(|c| PhotoUpload {
            meta: Photo {
                id: PhotoId::new(),
                submission_id: submission,
                message_id: message,
                content_type: c.format.content_type().to_string(),
                size_bytes: c.bytes.len() as u64,
                sha256: crate::secrets::sha256_hex(&c.bytes),
                uploaded_at: now,
            },
            content: PhotoContent::Bytes(c.bytes),
        })
        .collect()
}
