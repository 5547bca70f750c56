//! Norm versions (each valid from a day) and the survey grades gastvrijheid is measured by.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{TeamId, TopicId};
use gastvrij_domain::norm_versions::NormVersion;
use jiff::Timestamp;

/// Which cases a figure counts: every filter that is set must match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormFilter {
    pub team: Option<TeamId>,
    pub topic: Option<TopicId>,
    pub channel: Option<Channel>,
    /// The customer's first segment (`cases.segment`, kept current by the store).
    pub segment: Option<Segment>,
}

impl NormFilter {
    pub fn is_empty(&self) -> bool {
        *self == NormFilter::default()
    }
}

/// One survey answer: when it was given, the grade (1–10) and whether the question was solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyGrade {
    pub answered_at: Timestamp,
    pub grade: u8,
    pub solved: bool,
}

/// The KCC's day so far (the "vandaag" panel).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KccToday {
    /// Calls offered: reported calls, and phone contacts no reported call stands for.
    pub calls_offered: u64,
    /// Reported calls the caller hung up on before an answer.
    pub calls_abandoned: u64,
    /// Contacts on every channel.
    pub contacts: u64,
    /// Consultations of the second line not yet answered (whenever asked).
    pub open_consults: u64,
}

#[async_trait]
pub trait NormStore: Send + Sync {
    /// The stored versions, oldest first.
    async fn norm_versions(&self) -> StoreResult<Vec<NormVersion>>;
    /// In one transaction: store every version (replacing the one of the same day, if any) and
    /// write the audit entry.
    async fn save_norm_versions(&self, versions: &[NormVersion], change: &Change) -> StoreResult<()>;
    /// The survey answers given in `[from, to)` on cases matching `filter`, by moment of answer.
    async fn survey_grades(&self, from: Timestamp, to: Timestamp, filter: &NormFilter)
    -> StoreResult<Vec<SurveyGrade>>;
    /// The KCC's figures of `[from, to)` (a day so far); open consultations are counted now.
    async fn kcc_today(&self, from: Timestamp, to: Timestamp) -> StoreResult<KccToday>;
}
