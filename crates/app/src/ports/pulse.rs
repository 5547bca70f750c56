//! The employee pulse: anonymous answers, who answered per period, and the schedule.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{EmployeeId, TeamId};
use gastvrij_domain::pulse::{Cadence, PulseAnswer, PulseTotals};
use jiff::civil::Date;

/// An answer as stored: the period, the team and the answer, with a random id. Nothing in it
/// names the employee or the moment of answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPulseAnswer {
    /// 32 random hexadecimal characters.
    pub id: String,
    pub period_start: Date,
    pub period_end: Date,
    pub team_id: Option<TeamId>,
    pub answer: PulseAnswer,
}

/// The totals of one team (or of the employees without a team) in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PulseTotalsRow {
    pub period_start: Date,
    pub team_id: Option<TeamId>,
    pub totals: PulseTotals,
}

/// A comment with the group and period it was given in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseComment {
    pub period_start: Date,
    pub team_id: Option<TeamId>,
    pub text: String,
}

#[async_trait]
pub trait PulseStore: Send + Sync {
    /// In one transaction: mark `employee` as having answered in the answer's period, keep the
    /// answer (without the employee) and write the audit entry. When the employee answered this
    /// period already, nothing is written and `false` comes back.
    async fn save_pulse_answer(
        &self,
        employee: EmployeeId,
        answer: &StoredPulseAnswer,
        change: &Change,
    ) -> StoreResult<bool>;
    /// Whether `employee` answered in the period that starts on `period_start`.
    async fn has_answered_pulse(&self, employee: EmployeeId, period_start: Date) -> StoreResult<bool>;
    /// Totals per period and team of the periods that start in `[from, to)`.
    async fn pulse_totals(&self, from: Date, to: Date) -> StoreResult<Vec<PulseTotalsRow>>;
    /// The comments of the periods that start in `[from, to)`, in the order of their random ids.
    async fn pulse_comments(&self, from: Date, to: Date) -> StoreResult<Vec<PulseComment>>;
    /// The schedule; weekly until a beheerder sets another.
    async fn pulse_cadence(&self) -> StoreResult<Cadence>;
    async fn set_pulse_cadence(&self, cadence: Cadence, change: &Change) -> StoreResult<()>;
}
