//! Customer satisfaction: the sample rates, the invitation decisions, the answers with their
//! daily roll-up, the comments and the action points.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::ids::{EmployeeId, ImprovementId};
use gastvrij_domain::mail::OutgoingMail;
use gastvrij_domain::satisfaction::{ImprovementStatus, NewImprovement, Rating, SatisfactionTotals, Split};
use jiff::Timestamp;
use jiff::civil::Date;

/// The groups an invitation (and so its answer) belongs to; `""` where unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyGroups {
    /// The channel code (`telefoon`).
    pub channel: String,
    pub topic_id: String,
    pub team_id: String,
    /// The segment code (`agrariër`): the customer's first segment.
    pub segment: String,
    /// The case type code, for a closed case.
    pub case_type: String,
}

/// A closed contact or case no decision was taken for yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyCandidate {
    /// `contact:<id>` or `case:<id>`: the dedupe key.
    pub source: String,
    pub channel: Channel,
    pub customer_id: Option<String>,
    pub email: Option<String>,
    pub groups: SurveyGroups,
    /// When it was closed.
    pub closed_at: Timestamp,
}

/// What a decision not to invite was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    NotSampled,
    NoAddress,
}

impl SkipReason {
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::NotSampled => "not_sampled",
            SkipReason::NoAddress => "no_address",
        }
    }
}

/// An invitation to make, with its mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub source: String,
    pub token_hash: String,
    pub groups: SurveyGroups,
    /// `customer:<id>` and/or `email:<sha256 of the address>`, each at most once.
    pub persons: Vec<String>,
    pub at: Timestamp,
    pub expires_at: Timestamp,
}

/// How claiming one invitation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteOutcome {
    /// Claimed and invited: the mail is queued.
    Invited,
    /// One of the persons was invited at or after the cutoff: recorded as `recent`, no mail.
    Recent,
    /// Another worker decided this source already: nothing written.
    Taken,
}

/// An invitation as its link finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInvitation {
    pub source: String,
    pub expires_at: Timestamp,
    pub answered_at: Option<Timestamp>,
}

/// Which answers a figure covers: days in `[from, to)` and, when set, one value per group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SatisfactionFilter {
    pub from: Date,
    pub to: Date,
    pub channel: Option<String>,
    pub topic_id: Option<String>,
    pub team_id: Option<String>,
    pub segment: Option<String>,
}

/// The roll-up summed per day and key of the split (`totaal` for [`Split::Total`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SatisfactionSum {
    pub day: Date,
    pub key: String,
    pub totals: SatisfactionTotals,
}

/// One answer with a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyComment {
    pub id: String,
    pub day: Date,
    pub grade: u8,
    pub solved: bool,
    pub effort: u8,
    pub comment: String,
    pub channel: String,
    pub team_id: String,
    pub segment: String,
}

/// An action point as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Improvement {
    pub id: ImprovementId,
    pub point: NewImprovement,
    pub status: ImprovementStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[async_trait]
pub trait SatisfactionStore: Send + Sync {
    /// The rates a beheerder set (channels without one use the default).
    async fn survey_rates(&self) -> StoreResult<Vec<(Channel, u8)>>;
    async fn set_survey_rate(&self, channel: Channel, percent: u8, change: &Change) -> StoreResult<()>;

    /// Up to `limit` contacts and cases closed in `[from, to]` without a decision, oldest first.
    /// Cases from the portal are left out: their survey is on the tracking page.
    async fn survey_candidates(&self, from: Timestamp, to: Timestamp, limit: u32) -> StoreResult<Vec<SurveyCandidate>>;
    /// Record that `source` gets no invitation; `false` when another worker decided it first.
    async fn skip_survey(
        &self,
        source: &str,
        groups: &SurveyGroups,
        reason: SkipReason,
        at: Timestamp,
    ) -> StoreResult<bool>;
    /// In one transaction: claim `invitation.source` (the dedupe key), move every person's last
    /// invitation to now unless one was invited after `cutoff`, and queue `mail`. When a person
    /// was invited after `cutoff`, the source is recorded as `recent` instead and no mail goes.
    async fn invite_survey(
        &self,
        invitation: &NewInvitation,
        mail: &OutgoingMail,
        cutoff: Timestamp,
    ) -> StoreResult<InviteOutcome>;
    /// An invitation without its mail and without the 30-day rule: for demo data only.
    async fn seed_survey_invitation(&self, invitation: &NewInvitation) -> StoreResult<()>;
    async fn survey_invitation(&self, token_hash: &str) -> StoreResult<Option<StoredInvitation>>;
    /// In one transaction: mark the invitation answered (only when not answered and not expired
    /// at `at`), keep the answer and add it to the daily roll-up of `day`, with the audit entry.
    /// `false` (and nothing written) when it was answered already or expired.
    async fn answer_survey_invitation(
        &self,
        token_hash: &str,
        rating: &Rating,
        comment_folded: Option<&str>,
        day: Date,
        change: &Change,
    ) -> StoreResult<bool>;

    /// The roll-up of the days and groups of `filter`, summed per day and key of `split` in the
    /// database.
    async fn satisfaction_daily(&self, filter: &SatisfactionFilter, split: Split) -> StoreResult<Vec<SatisfactionSum>>;
    /// The newest `limit` answers with a comment in `filter` whose folded comment holds
    /// `folded_search` (all when `None`).
    async fn survey_comments(
        &self,
        filter: &SatisfactionFilter,
        folded_search: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<SurveyComment>>;
    async fn survey_comment(&self, id: &str) -> StoreResult<Option<SurveyComment>>;

    async fn insert_improvement(&self, point: &Improvement, change: &Change) -> StoreResult<()>;
    /// Every action point, open and bezig first, then by due date.
    async fn improvements(&self) -> StoreResult<Vec<Improvement>>;
    async fn set_improvement_status(
        &self,
        id: ImprovementId,
        status: ImprovementStatus,
        at: Timestamp,
        change: &Change,
    ) -> StoreResult<()>;
    /// Whether `employee` exists and is active (an owner of an action point must be).
    async fn active_employee(&self, employee: EmployeeId) -> StoreResult<bool>;
}
