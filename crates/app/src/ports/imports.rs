//! Batches: many records of several areas written in one transaction (demo seeding, imports).

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::Case;
use gastvrij_domain::contact::Contact;
use gastvrij_domain::customer::Customer;
use gastvrij_domain::mail::OutgoingMail;
use gastvrij_domain::team::{Employee, Team};
use gastvrij_domain::topic::Topic;

/// Records written together in one transaction, with one audit entry (demo seeding, imports).
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub teams: Vec<Team>,
    pub employees: Vec<Employee>,
    pub topics: Vec<Topic>,
    pub customers: Vec<Customer>,
    pub contacts: Vec<Contact>,
    /// Cases with their references already assigned.
    pub cases: Vec<Case>,
    /// Mail the records cause (e.g. confirmations of receipt), queued with them or not at all.
    pub mails: Vec<OutgoingMail>,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.teams.len()
            + self.employees.len()
            + self.topics.len()
            + self.customers.len()
            + self.contacts.len()
            + self.cases.len()
            + self.mails.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Write a batch of new records in one transaction with one audit entry. References of the
    /// batch's cases must already be set; the case counter moves past the highest one.
    async fn insert_batch(&self, batch: &Batch, change: &Change) -> StoreResult<()>;
}
