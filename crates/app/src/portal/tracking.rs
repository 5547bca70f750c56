//! The citizen's tracking page behind the private link: the status, photos, and adding
//! information while the case is open.

use super::photos::{clean_photos, count_photos, uploads};
use super::{PortalError, Tracking, UploadedPhoto};
use crate::{App, AppError};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::ids::PhotoId;
use gastvrij_domain::portal::{self, Message};
use gastvrij_domain::{Invalid, StateRule};

impl App {
    /// The citizen's tracking page.
    pub async fn track(&self, token: &str) -> Result<Tracking, AppError> {
        let record = self.record_for_token(token).await?;
        let timeline = portal::timeline(record.submission.kind, &record.case.history);
        let expected =
            if record.case.status.is_open() { record.case.timing.deadlines.map(|d| d.service_norm) } else { None };
        let survey_open = record.survey.is_none() && portal::survey_open(record.case.closed_at, self.now());
        Ok(Tracking { record, timeline, expected, survey_open })
    }

    /// A photo of the citizen's own submission.
    pub async fn tracked_photo(&self, token: &str, photo: PhotoId) -> Result<(String, Vec<u8>), AppError> {
        let record = self.record_for_token(token).await?;
        let (content_type, content) =
            self.store.submission_photo(record.submission.id, photo).await?.ok_or(AppError::NotFound("photo"))?;
        self.photo_bytes(content_type, content).await
    }

    /// The citizen adds information or photos to an open submission.
    pub async fn add_information(
        &self,
        token: &str,
        text: &str,
        photos: &[UploadedPhoto],
        keep_location: bool,
    ) -> Result<(), PortalError> {
        let record = self.record_for_token(token).await?;
        let now = self.now();
        if !record.case.status.is_open() {
            return Err(Invalid::wrong_state("bericht", StateRule::SubmissionClosed).into());
        }
        // Caps per submission, so one tracking link cannot fill the store.
        let added = record.messages.iter().filter(|m| m.from_citizen).count();
        if added >= portal::MAX_CITIZEN_MESSAGES {
            let rule = StateRule::TooManyMessages { max: portal::MAX_CITIZEN_MESSAGES };
            return Err(Invalid::wrong_state("bericht", rule).into());
        }
        let left = portal::MAX_SUBMISSION_PHOTOS.saturating_sub(record.photos.len());
        if photos.len() > left {
            let rule = StateRule::TooManyPhotos { max: portal::MAX_SUBMISSION_PHOTOS, left };
            return Err(Invalid::wrong_state("fotos", rule).into());
        }
        let text = if text.trim().is_empty() && !photos.is_empty() { "Foto toegevoegd." } else { text };
        let message = match (Message::from_citizen(record.submission.id, text, now), count_photos(photos)) {
            (Ok(m), Ok(())) => m,
            (Err(a), Err(b)) => return Err(PortalError::Invalid(vec![a, b])),
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        let cleaned = clean_photos(photos, keep_location).await?;
        let mut photos = uploads(cleaned, record.submission.id, Some(message.id), now);
        let change = Change::new(Actor::Public, now, "submission.information_added", record.submission.id, "");
        // Objects first, then the row that names them; a failed commit deletes them again.
        let keys = self.offload_photos(&mut photos).await?;
        if let Err(e) = self.store.insert_submission_message(&message, &photos, &[], &change).await {
            self.forget_objects(&keys).await;
            return Err(AppError::from(e).into());
        }
        Ok(())
    }
}
