//! Use cases: the customer register.

use crate::ports::CustomerQuery;
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::customer::{Customer, CustomerInput, Segment};
use gastvrij_domain::ids::CustomerId;

impl App {
    pub async fn create_customer(&self, who: &Principal, input: CustomerInput) -> Result<Customer, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let customer = Customer::create(input, self.now())?;
        let change = Change::new(who.actor, self.now(), "customer.created", customer.id, customer.kind.code());
        self.store.insert_customer(&customer, &change).await?;
        Ok(customer)
    }

    pub async fn update_customer(
        &self,
        who: &Principal,
        id: CustomerId,
        input: CustomerInput,
    ) -> Result<Customer, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let mut customer = self.store.customer(id).await?.ok_or(AppError::NotFound("customer"))?;
        customer.apply(input, self.now())?;
        let change = Change::new(who.actor, self.now(), "customer.updated", customer.id, "");
        self.store.update_customer(&customer, &change).await?;
        Ok(customer)
    }

    /// Set the segments of a customer (inwoner, agrariër, bedrijf, collega, …), keeping the rest;
    /// satisfaction figures can be split by the first one.
    pub async fn set_customer_segments(
        &self,
        who: &Principal,
        id: CustomerId,
        segments: Vec<Segment>,
    ) -> Result<Customer, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let mut customer = self.store.customer(id).await?.ok_or(AppError::NotFound("customer"))?;
        let mut segments = segments;
        segments.dedup();
        customer.segments = segments;
        customer.updated_at = self.now();
        let codes: Vec<&str> = customer.segments.iter().map(|s| s.code()).collect();
        let change = Change::new(who.actor, self.now(), "customer.segments_set", customer.id, codes.join(","));
        self.store.update_customer(&customer, &change).await?;
        Ok(customer)
    }

    pub async fn customer(&self, who: &Principal, id: CustomerId) -> Result<Customer, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        self.store.customer(id).await?.ok_or(AppError::NotFound("customer"))
    }

    pub async fn customers(&self, who: &Principal, query: &CustomerQuery) -> Result<Vec<Customer>, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        Ok(self.store.customers(query).await?)
    }
}
