//! Use cases: personal data (AVG). Everything held on one customer as JSON, erasing it (the
//! case figures stay), and retention: what is past its term is anonymised or deleted by a daily
//! job, with the counts in the audit log.

use crate::ports::{Erasure, PersonalData, RetentionCounts, RetentionCutoffs};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::CustomerId;
use jiff::{SignedDuration, Timestamp};

/// How long personal data is kept, per kind of record. Photos go with their case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days after closing that a case's personal data is kept (default 730, two years).
    pub closed_cases_days: u32,
    /// Days the body of a sent (or given-up) mail is kept (default 30).
    pub mail_bodies_days: u32,
    /// Days a subscription to planned-works news waits for confirmation (default 7).
    pub unconfirmed_subscriptions_days: u32,
    /// Days a stored search question is kept (default 365, a year).
    pub search_questions_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            closed_cases_days: 730,
            mail_bodies_days: 30,
            unconfirmed_subscriptions_days: 7,
            search_questions_days: 365,
        }
    }
}

impl Retention {
    /// The moments before which records are due at `now`.
    pub fn cutoffs(&self, now: Timestamp) -> RetentionCutoffs {
        let days = |d: u32| now - SignedDuration::from_hours(24 * i64::from(d));
        RetentionCutoffs {
            cases_closed_before: days(self.closed_cases_days),
            mail_before: days(self.mail_bodies_days),
            unconfirmed_before: days(self.unconfirmed_subscriptions_days),
            search_questions_before: days(self.search_questions_days),
        }
    }
}

/// The outcome of a retention run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionRun {
    /// Done (or, in a dry run, due): the counts.
    Done(RetentionCounts),
    /// Another node held the claim; it does the work.
    ClaimedElsewhere,
}

/// Records per kind of record handled in one transaction of a retention run.
pub const RETENTION_BATCH: u32 = 200;

/// The entity id retention runs are audited under.
pub const RETENTION_ENTITY: &str = "retention";

/// The entity id list reads of customers are audited under.
pub const CUSTOMER_LIST_ENTITY: &str = "customers";

impl App {
    /// One customer, read through the API: audited as `customer.read` (who and which id).
    pub async fn read_customer(
        &self,
        who: &Principal,
        id: CustomerId,
    ) -> Result<gastvrij_domain::customer::Customer, AppError> {
        let customer = self.customer(who, id).await?;
        self.store.record_change(&Change::new(who.actor, self.now(), "customer.read", id, "")).await?;
        Ok(customer)
    }

    /// Customers found through the API: one `customer.read` entry with the count, never names.
    pub async fn read_customers(
        &self,
        who: &Principal,
        query: &crate::ports::CustomerQuery,
    ) -> Result<Vec<gastvrij_domain::customer::Customer>, AppError> {
        let found = self.customers(who, query).await?;
        let change =
            Change::new(who.actor, self.now(), "customer.read", CUSTOMER_LIST_ENTITY, format!("count={}", found.len()));
        self.store.record_change(&change).await?;
        Ok(found)
    }

    /// Everything held on one customer, for an access request; audited as `customer.exported`
    /// (who and which id, nothing else).
    pub async fn export_customer(&self, who: &Principal, id: CustomerId) -> Result<PersonalData, AppError> {
        who.require(roles::ADMIN)?;
        let data = self.store.personal_data(id).await?.ok_or(AppError::NotFound("customer"))?;
        let change = Change::new(who.actor, self.now(), "customer.exported", id, "");
        self.store.record_change(&change).await?;
        Ok(data)
    }

    /// Anonymise one customer and what identifies them, in one transaction: their record, the
    /// text of their questions, notes on their cases, the contact fields, free text and photos
    /// of their submissions, their subscriptions and the mail to them. Case subject, type, dates
    /// and statuses stay, so figures and norms stay. Audited as `customer.erased` with the counts;
    /// a second run changes nothing and returns all zeros.
    pub async fn erase_customer(&self, who: &Principal, id: CustomerId) -> Result<Erasure, AppError> {
        who.require(roles::ADMIN)?;
        let erasure =
            self.store.erase_customer(id, who.actor, self.now()).await?.ok_or(AppError::NotFound("customer"))?;
        self.sweep_after_erasure().await;
        Ok(erasure)
    }

    /// Delete the objects of the photos just erased; a failure leaves their keys queued for the
    /// next run (the erasure itself is committed).
    async fn sweep_after_erasure(&self) {
        if let Err(e) = self.sweep_attachments().await {
            tracing::error!(error = %e, "deleting erased photos' objects failed; tried again on the next run");
        }
    }

    /// Apply the retention policy at `now` in batches of [`RETENTION_BATCH`] per kind, one
    /// transaction each, each claiming the work in the database; one audit entry
    /// (`privacy.retention`) with the counts. With `dry_run`, count what is due and change nothing.
    pub async fn apply_retention(&self, now: Timestamp, dry_run: bool) -> Result<RetentionRun, AppError> {
        let cutoffs = self.settings.retention.cutoffs(now);
        let mut total = RetentionCounts::default();
        loop {
            let Some(batch) = self.store.retention_batch(&cutoffs, RETENTION_BATCH, dry_run).await? else {
                if total.total() == 0 {
                    return Ok(RetentionRun::ClaimedElsewhere);
                }
                break;
            };
            total.add(batch);
            let full = |n: u64| n >= u64::from(RETENTION_BATCH);
            let more = full(batch.cases)
                || full(batch.mail_bodies)
                || full(batch.unconfirmed_subscriptions)
                || full(batch.search_questions);
            if dry_run || !more {
                break;
            }
        }
        if !dry_run {
            let change = Change::new(
                gastvrij_domain::audit::Actor::System,
                now,
                "privacy.retention",
                RETENTION_ENTITY,
                total.summary(),
            );
            self.store.record_change(&change).await?;
            self.sweep_after_erasure().await;
        }
        Ok(RetentionRun::Done(total))
    }
}
