//! Ports: what the use cases need from the outside world.
//!
//! The store is one port per area ([`AccountStore`], [`OrganisationStore`], [`CustomerStore`],
//! [`ContactStore`], [`CaseStore`], [`RollupStore`], [`KennisbankStore`], [`MailStore`],
//! [`TelephonyStore`], [`PortalStore`], [`PlannedWorkStore`], [`PrivacyStore`], [`AuditStore`], [`ImportStore`], [`OpenDataStore`],
//! [`PulseStore`], [`TeamBoardStore`], [`JourneyStore`], [`SearchQuestionStore`], [`NormStore`],
//! [`SatisfactionStore`]),
//! and [`Store`] is all of them together. Methods called on a `dyn Store` need no import; generic
//! code over `S: Store` brings the area traits in scope with `use gastvrij_app::ports::prelude::*`.
//!
//! Every mutating method writes its [`Change`](gastvrij_domain::audit::Change) to the audit log
//! in the same transaction, so a change and its audit entry exist together or not at all. A
//! change that spans areas (a batch, a submission with its confirmation mail) is one method of
//! the area that owns the change, so it stays one transaction.

mod accounts;
mod attachments;
mod audit;
mod cases;
mod contacts;
mod customers;
mod imports;
mod journeys;
mod kennisbank;
mod letter_templates;
mod limits;
mod mail;
mod norms;
mod open_data;
mod organisation;
mod planned_works;
mod portal;
mod privacy;
mod pulse;
mod rollups;
mod satisfaction;
mod search_questions;
mod team_board;
mod telephony;

pub use accounts::{AccountStore, ExternalLink, LAST_USED_EVERY};
pub use attachments::{AttachmentError, Attachments};
pub use audit::{AuditQuery, AuditStore, EventQuery};
pub use cases::{CaseOrder, CaseQuery, CaseStore, CaseUpdate, DeadlineFilter, DueCase, KeptLetter, TaskScope};
pub use contacts::{ContactFigureCounts, ContactHourRow, ContactQuery, ContactStore, FollowUp, UnconfirmedForward};
pub use customers::{CustomerQuery, CustomerStore};
pub use imports::{Batch, ImportStore};
pub use journeys::{
    JourneyStore, TouchpointQuery, TouchpointRollup, TouchpointSurvey, TouchpointVolume, wait_bucket, wait_bucket_width,
};
pub use kennisbank::{
    ArticleHit, ArticleOrder, ArticleQuery, ArticleSearch, ArticleSearchQuery, ConsultationQuery, KennisbankStore,
};
pub use letter_templates::LetterTemplateStore;
pub use limits::LimitStore;
pub use mail::{Attempt, ClaimedMail, DeliveryError, MailQuery, MailStore, MailTransport};
pub use norms::{KccToday, NormFilter, NormStore, SurveyGrade};
pub use open_data::{ConsultationCounts, ContactCounts, HeartbeatCount, OpenDataStore, PeerFigures, Publication};
pub use organisation::OrganisationStore;
pub use planned_works::{NewSubscription, PlannedWorkQuery, PlannedWorkStore, SubscriberNews};
pub use portal::{
    NewSubmission, PhotoContent, PhotoUpload, PortalStore, REFERENCE_PLACEHOLDER, SubmissionRecord, SurveyTotals,
    TrackedCase,
};
pub use privacy::{
    ERASED, ERASED_EMAIL, Erasure, JsonRow, PersonalData, PrivacyStore, RETENTION_LOCK, RetentionCounts,
    RetentionCutoffs,
};
pub use pulse::{PulseComment, PulseStore, PulseTotalsRow, StoredPulseAnswer};
pub use rollups::{
    CaseScope, CaseTimingRow, DirtyMarker, NormDailyQuery, NormDailyRow, NormDailySum, OpenCaseCount, OpenCaseQuery,
    PhoneDailyRow, RollupSlice, RollupStore,
};
pub use satisfaction::{
    Improvement, InviteOutcome, NewInvitation, SatisfactionFilter, SatisfactionStore, SatisfactionSum, SkipReason,
    StoredInvitation, SurveyCandidate, SurveyComment, SurveyGroups,
};
pub use search_questions::{
    QuestionGroupRow, SearchQuestionStore, StoredSearchQuestion, TopicWeekRow, UnusedArticleRow,
};
pub use team_board::{TeamBoardStore, TeamFlow, TeamFlowQuery};
pub use telephony::TelephonyStore;

use async_trait::async_trait;
use jiff::Timestamp;

/// The store and its area traits, for code generic over `S: Store` (a `dyn Store` needs none).
pub mod prelude {
    pub use super::{
        AccountStore, AuditStore, CaseStore, ContactStore, CustomerStore, ImportStore, JourneyStore, KennisbankStore,
        LetterTemplateStore, LimitStore, MailStore, NormStore, OpenDataStore, OrganisationStore, PlannedWorkStore,
        PortalStore, PrivacyStore, PulseStore, RollupStore, SatisfactionStore, SearchQuestionStore, Store,
        TeamBoardStore, TelephonyStore,
    };
}

/// The current time; a port so tests can fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Errors a store reports.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness or concurrency conflict the caller can resolve.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Persistent storage: every area of the store, on one database.
#[async_trait]
pub trait Store:
    AccountStore
    + OrganisationStore
    + CustomerStore
    + ContactStore
    + CaseStore
    + RollupStore
    + KennisbankStore
    + MailStore
    + TelephonyStore
    + PortalStore
    + PlannedWorkStore
    + PrivacyStore
    + AuditStore
    + ImportStore
    + OpenDataStore
    + LetterTemplateStore
    + PulseStore
    + TeamBoardStore
    + LimitStore
    + JourneyStore
    + SearchQuestionStore
    + NormStore
    + SatisfactionStore
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Succeeds when the database answers.
    async fn ping(&self) -> StoreResult<()>;
}
