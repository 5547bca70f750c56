//! Contacts: one conversation with a customer on one channel, with its questions.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::contact::Contact;
use gastvrij_domain::ids::{ContactId, CustomerId, EmployeeId};
use jiff::Timestamp;

/// Filters for listing contacts, newest first.
#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    pub customer_id: Option<CustomerId>,
    pub agent_id: Option<EmployeeId>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub page: Page,
}

#[async_trait]
pub trait ContactStore: Send + Sync {
    async fn insert_contact(&self, contact: &Contact, change: &Change) -> StoreResult<()>;
    /// Save a changed contact. Fails with `Conflict` when `expected_version` is stale.
    async fn update_contact(&self, contact: &Contact, expected_version: i64, change: &Change) -> StoreResult<i64>;
    /// A contact with its version for optimistic concurrency.
    async fn contact(&self, id: ContactId) -> StoreResult<Option<(Contact, i64)>>;
    async fn contacts(&self, query: &ContactQuery) -> StoreResult<Vec<Contact>>;
    async fn count_contacts(&self) -> StoreResult<i64>;
}
