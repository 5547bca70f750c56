//! Cases (zaken): work that follows from a question, with deadlines and history.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::{Case, CaseStatus, CaseType};
use gastvrij_domain::case_task::CaseTask;
use gastvrij_domain::ids::{CaseId, CaseTaskId, CustomerId, EmployeeId, TeamId, TopicId};
use jiff::Timestamp;

/// Filters for listing cases, newest first (or by deadline, see [`CaseOrder`]).
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    /// Only these cases (read in one query); empty: no filter.
    pub ids: Vec<CaseId>,
    pub team_id: Option<TeamId>,
    pub owner_id: Option<EmployeeId>,
    /// Only cases without an owner (waiting in their team's queue).
    pub unassigned: bool,
    pub customer_id: Option<CustomerId>,
    pub topic_id: Option<TopicId>,
    pub status: Option<CaseStatus>,
    pub case_type: Option<CaseType>,
    pub open_only: bool,
    /// Only open cases late or at risk, as `norms::classify_case` judges them.
    pub deadline: Option<DeadlineFilter>,
    pub order: CaseOrder,
    pub page: Page,
    /// Read only the cases' own rows: the status history, notes, attachments and other children
    /// stay empty. For lists that show one line per case (the team queue), never for a case that
    /// is changed or shown in full.
    pub shallow: bool,
}

/// Open cases by the state of their service-norm deadline (a suspended case is judged at its
/// suspension and is never at risk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineFilter {
    /// The deadline passed (at `now`, or before the suspension).
    Late { now: Timestamp },
    /// Not suspended, and the deadline falls in `(now, until]`.
    AtRisk { now: Timestamp, until: Timestamp },
}

/// The order of a case list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseOrder {
    /// Newest first.
    #[default]
    Newest,
    /// Urgent cases (danger now) that nobody has taken first, then the nearest service-norm
    /// deadline first; cases without one last.
    Deadline,
}

/// Which internal tasks to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskScope {
    /// Every task of this case.
    Case(CaseId),
    /// The unanswered tasks asked of this team.
    OpenFor(TeamId),
}

/// An open case with a deadline, for the deadline watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    pub id: CaseId,
    pub reference: String,
    pub team_id: TeamId,
    pub owner_id: Option<EmployeeId>,
    pub service_norm_due: Timestamp,
}

/// A changed case to save within another area's write, as [`CaseStore::update_case`] saves it
/// (refused with `Conflict` when `expected_version` is stale), audited with `change`.
#[derive(Debug, Clone, Copy)]
pub struct CaseUpdate<'a> {
    pub case: &'a Case,
    pub expected_version: i64,
    pub change: &'a Change,
}

/// A letter as it was printed for a case (the citizen has no e-mail address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptLetter {
    pub case_id: CaseId,
    /// `brief` (the answer) or `ontvangstbrief` (the acknowledgement).
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
    pub printed_by: Option<EmployeeId>,
    pub printed_at: Timestamp,
}

#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Insert a new case, assigning the next readable reference in `scope` (e.g. `WS-2026`
    /// gives `WS-2026-000001`, `WS-2026-000002`, …); returns the reference.
    async fn insert_case(&self, case: &Case, scope: &str, change: &Change) -> StoreResult<String>;
    /// Save a changed case: its fields, and history entries, notes and attachments it did not
    /// have before (those are append-only), and queue `mails` (news the change causes, listed
    /// with the case afterwards by [`CaseStore::case_mails`]) in the same transaction. Fails with `Conflict` when `expected_version` is stale, and then stores nothing.
    async fn update_case(
        &self,
        case: &Case,
        expected_version: i64,
        change: &Change,
        mails: &[gastvrij_domain::mail::OutgoingMail],
    ) -> StoreResult<i64>;
    async fn case(&self, id: CaseId) -> StoreResult<Option<(Case, i64)>>;
    async fn case_by_reference(&self, reference: &str) -> StoreResult<Option<(Case, i64)>>;
    async fn cases(&self, query: &CaseQuery) -> StoreResult<Vec<Case>>;
    /// Every klacht received in `[from, until)`, oldest first: the complaint register.
    async fn complaints_received(&self, from: Timestamp, until: Timestamp) -> StoreResult<Vec<Case>>;
    /// Save a new internal task, with the audit entry of `change`.
    async fn insert_case_task(&self, task: &CaseTask, change: &Change) -> StoreResult<()>;
    /// Save the answer of a task; `Conflict` when it was answered meanwhile (nothing stored).
    async fn answer_case_task(&self, task: &CaseTask, change: &Change) -> StoreResult<()>;
    async fn case_task(&self, id: CaseTaskId) -> StoreResult<Option<CaseTask>>;
    /// The tasks of a case (oldest first), or the open ones asked of a team (the nearest day first).
    async fn case_tasks(&self, of: TaskScope) -> StoreResult<Vec<CaseTask>>;
    /// The mails queued for a case (with a change of it, or with the submission or contact that
    /// made it), newest first, with the text as queued.
    async fn case_mails(&self, id: CaseId) -> StoreResult<Vec<gastvrij_domain::mail::MailRecord>>;
    /// Keep a letter as it was printed, unless the newest kept letter of its case and kind has
    /// the same subject and body (printing the same letter again keeps nothing new); `true` when
    /// kept.
    async fn keep_printed_letter(&self, letter: &KeptLetter) -> StoreResult<bool>;
    /// The letters printed for a case, oldest first.
    async fn printed_letters(&self, id: CaseId) -> StoreResult<Vec<KeptLetter>>;
    /// Open cases whose service-norm deadline lies in `(after, until]`.
    async fn open_cases_due(&self, after: Timestamp, until: Timestamp) -> StoreResult<Vec<DueCase>>;
}
