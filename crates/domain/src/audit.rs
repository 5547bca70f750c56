//! The append-only audit log: who changed what, and when. It names records, never their content,
//! so it holds no personal data.

use crate::ids::EmployeeId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in employee.
    Employee(EmployeeId),
    /// An operator at the command line.
    Operator,
    /// The system itself (workers, demo seeding, imports).
    System,
    /// A member of the public through the portal.
    Public,
}

impl Actor {
    /// Compact storage form: `employee:<uuid>`, `operator`, `system`, `public`.
    pub fn to_code(self) -> String {
        match self {
            Actor::Employee(id) => format!("employee:{id}"),
            Actor::Operator => "operator".into(),
            Actor::System => "system".into(),
            Actor::Public => "public".into(),
        }
    }

    pub fn from_code(s: &str) -> Option<Actor> {
        match s {
            "operator" => Some(Actor::Operator),
            "system" => Some(Actor::System),
            "public" => Some(Actor::Public),
            _ => s.strip_prefix("employee:").and_then(|id| id.parse().ok()).map(Actor::Employee),
        }
    }

    pub fn employee(self) -> Option<EmployeeId> {
        match self {
            Actor::Employee(id) => Some(id),
            _ => None,
        }
    }
}

/// A change about to be recorded, written in the same transaction as the change itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub actor: Actor,
    pub at: Timestamp,
    /// What happened, as `entity.verb`, e.g. `case.status_changed`.
    pub action: &'static str,
    pub entity_id: String,
    /// A short description without personal data, e.g. the names of changed fields.
    pub summary: String,
}

impl Change {
    pub fn new(
        actor: Actor,
        at: Timestamp,
        action: &'static str,
        entity_id: impl ToString,
        summary: impl Into<String>,
    ) -> Self {
        Self { actor, at, action, entity_id: entity_id.to_string(), summary: summary.into() }
    }
}

/// A recorded audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Position in the log; strictly increasing.
    pub seq: i64,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub actor: Actor,
    pub action: String,
    pub entity_id: String,
    pub summary: String,
}

/// Something staff or a worker should know about, e.g. a case entering its risk horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Event {
    /// Position in the event stream; 0 before it is stored.
    pub seq: i64,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// What happened, e.g. `case.at_risk`.
    pub kind: String,
    pub entity_id: String,
    /// The team that should know.
    pub team_id: Option<crate::ids::TeamId>,
    /// The employee that should know.
    pub employee_id: Option<EmployeeId>,
    /// A short text for people, without personal data.
    pub summary: String,
    /// Raising an event with the same key again is a no-op.
    pub dedupe_key: String,
}
