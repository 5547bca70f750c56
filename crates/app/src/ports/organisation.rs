//! The organisation and its teams, employees, topics and expertise directory.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::directory::DirectoryEntry;
use gastvrij_domain::ids::{EmployeeId, TeamId, TopicId};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::team::{Employee, Team};
use gastvrij_domain::topic::Topic;

/// The organisation's settings, its teams, employees and topics. Teams, employees and topics are
/// listed by folded name (see `gastvrij_domain::text::fold`), ties by id, the same order on every
/// backend.
#[async_trait]
pub trait OrganisationStore: Send + Sync {
    async fn organisation(&self) -> StoreResult<Option<Organisation>>;
    async fn save_organisation(&self, org: &Organisation, change: &Change) -> StoreResult<()>;

    async fn insert_team(&self, team: &Team, change: &Change) -> StoreResult<()>;
    async fn update_team(&self, team: &Team, change: &Change) -> StoreResult<()>;
    async fn team(&self, id: TeamId) -> StoreResult<Option<Team>>;
    async fn teams(&self) -> StoreResult<Vec<Team>>;

    async fn insert_employee(&self, employee: &Employee, change: &Change) -> StoreResult<()>;
    async fn update_employee(&self, employee: &Employee, change: &Change) -> StoreResult<()>;
    async fn employee(&self, id: EmployeeId) -> StoreResult<Option<Employee>>;
    async fn employee_by_username(&self, username: &str) -> StoreResult<Option<Employee>>;
    async fn employees(&self) -> StoreResult<Vec<Employee>>;

    /// The expertise directory: one entry per employee who has one.
    async fn directory(&self) -> StoreResult<Vec<DirectoryEntry>>;
    async fn save_directory_entry(&self, entry: &DirectoryEntry, change: &Change) -> StoreResult<()>;

    async fn insert_topic(&self, topic: &Topic, change: &Change) -> StoreResult<()>;
    async fn update_topic(&self, topic: &Topic, change: &Change) -> StoreResult<()>;
    async fn topic(&self, id: TopicId) -> StoreResult<Option<Topic>>;
    async fn topics(&self) -> StoreResult<Vec<Topic>>;
}
