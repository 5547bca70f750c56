//! The audit log and the event stream.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::{AuditEntry, Event};
use gastvrij_domain::ids::{EmployeeId, TeamId};

/// Filters for reading the audit log, oldest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub entity_id: Option<String>,
    pub after_seq: Option<i64>,
    pub page: Page,
}

/// Filters for reading events, oldest first.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub team_id: Option<TeamId>,
    pub employee_id: Option<EmployeeId>,
    pub after_seq: Option<i64>,
    pub page: Page,
}

/// Reading the audit log (every mutating method of the store writes it), and the events.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn audit_log(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
    /// Store events; those whose dedupe key exists already are skipped. Returns how many were new.
    async fn raise_events(&self, events: &[Event]) -> StoreResult<u64>;
    async fn events(&self, query: &EventQuery) -> StoreResult<Vec<Event>>;
}
