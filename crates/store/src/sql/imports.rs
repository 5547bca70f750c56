//! Batches from the import and the demo data: every area's rows in one transaction.

use super::Backend;
use super::cases::{bulk_cases_tx, raise_counter_tx};
use super::contacts::bulk_contacts_tx;
use super::customers::bulk_customers_tx;
use super::mail::bulk_mails_tx;
use super::organisation::{insert_employee_tx, insert_team_tx, insert_topic_tx};
use super::shared::{commit, write_audit};
use gastvrij_app::StoreError;
use gastvrij_app::ports::{Batch, StoreResult};
use gastvrij_domain::audit::Change;

#[async_trait::async_trait]
impl gastvrij_app::ports::ImportStore for Backend {
    async fn insert_batch(&self, b: &Batch, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for t in &b.teams {
            insert_team_tx(&mut tx, t).await?;
        }
        for e in &b.employees {
            insert_employee_tx(&mut tx, e).await?;
        }
        for t in &b.topics {
            insert_topic_tx(&mut tx, t).await?;
        }
        bulk_customers_tx(&mut tx, &b.customers).await?;
        bulk_contacts_tx(&mut tx, &b.contacts).await?;
        let mut highest: std::collections::BTreeMap<&str, i64> = Default::default();
        for c in &b.cases {
            let (scope, number) =
                c.reference.rsplit_once('-').and_then(|(s, n)| n.parse::<i64>().ok().map(|n| (s, n))).ok_or_else(
                    || StoreError::Conflict(format!("case reference '{}' is not SCOPE-NNNNNN", c.reference)),
                )?;
            let h = highest.entry(scope).or_insert(0);
            *h = (*h).max(number);
        }
        bulk_cases_tx(&mut tx, &b.cases).await?;
        for (scope, n) in highest {
            raise_counter_tx(&mut tx, scope, n).await?;
        }
        bulk_mails_tx(&mut tx, &b.mails).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }
}
