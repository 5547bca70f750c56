//! Customers: the citizens and companies the water board serves.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::customer::Customer;
use gastvrij_domain::ids::CustomerId;

/// Filters for listing customers.
#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    /// Matches a name containing it (folded: case and diacritics ignored for all of Unicode, see
    /// `gastvrij_domain::text::fold`), an e-mail address (case-insensitive), or a phone number,
    /// postcode or KvK number exactly.
    pub text: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub page: Page,
}

/// Customers; lists come by folded name (see `gastvrij_domain::text::fold`), ties by id, the
/// same order on every backend.
#[async_trait]
pub trait CustomerStore: Send + Sync {
    async fn insert_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()>;
    async fn update_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()>;
    async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>>;
    async fn customers(&self, query: &CustomerQuery) -> StoreResult<Vec<Customer>>;
}
