//! Topics, teams, the organisation and the custom mail texts as the public portal reads them on every form and every
//! submission. Under a flood of meldingen those reads would cost as much as the writes, so they
//! are read at most once per [`FRESH_FOR`]; this app's own changes to them clear the copy at
//! once, so only a change made by another server process shows up to a second late.

use crate::error::AppError;
use crate::ports::Store;
use gastvrij_domain::letter_template::{LetterKind, LetterTemplate, TemplateVersion};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::team::Team;
use gastvrij_domain::topic::Topic;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a copy is used.
pub(crate) const FRESH_FOR: Duration = Duration::from_secs(1);

/// The data, as read together.
#[derive(Debug)]
pub(crate) struct ReferenceData {
    pub topics: Vec<Topic>,
    pub teams: Vec<Team>,
    pub organisation: Option<Organisation>,
    /// The newest version of each mail template that has one.
    pub letters: Vec<TemplateVersion>,
}

impl ReferenceData {
    /// The custom text of `kind` in use, if any.
    pub fn letter(&self, kind: LetterKind) -> Option<&LetterTemplate> {
        self.letters.iter().find(|v| v.kind == kind).and_then(|v| v.text.as_ref())
    }
}

#[derive(Default)]
pub(crate) struct ReferenceCache {
    slot: Mutex<Slot>,
}

#[derive(Default)]
struct Slot {
    /// The copy and when its reading started.
    copy: Option<(Instant, Arc<ReferenceData>)>,
    /// How many times the cache was cleared: a read that a clear overtook is not kept.
    generation: u64,
}

impl ReferenceCache {
    pub(crate) async fn get(&self, store: &dyn Store) -> Result<Arc<ReferenceData>, AppError> {
        let generation = {
            let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, data)) = &slot.copy
                && at.elapsed() < FRESH_FOR
            {
                return Ok(data.clone());
            }
            slot.generation
        };
        let started = Instant::now();
        let data = Arc::new(ReferenceData {
            topics: store.topics().await?,
            teams: store.teams().await?,
            organisation: store.organisation().await?,
            letters: store.newest_letter_templates().await?,
        });
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if slot.generation == generation {
            slot.copy = Some((started, data.clone()));
        }
        Ok(data)
    }

    /// Forget the copy (after this app changed a topic, team, the organisation or a mail text).
    pub(crate) fn clear(&self) {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        slot.copy = None;
        slot.generation += 1;
    }
}
