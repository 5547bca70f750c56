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
    /// Matches name (contains, case-insensitive), e-mail, phone, postcode or KvK number exactly.
    pub text: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub page: Page,
}

#[async_trait]
pub trait CustomerStore: Send + Sync {
    async fn insert_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()>;
    async fn update_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()>;
    async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>>;
    async fn customers(&self, query: &CustomerQuery) -> StoreResult<Vec<Customer>>;
}
