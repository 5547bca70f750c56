//! Use cases: organisation settings.

use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::organisation::Organisation;

impl App {
    pub async fn organisation(&self, who: &Principal) -> Result<Organisation, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.organisation().await?.unwrap_or_default())
    }

    pub async fn update_organisation(&self, who: &Principal, input: Organisation) -> Result<Organisation, AppError> {
        who.require(roles::ADMIN)?;
        let org = Organisation {
            on_call_email: input.on_call_email,
            on_call_phone: input.on_call_phone,
            ..Organisation::parse(&input.name, input.inhabitants, &input.time_zone)?
        };
        let change = Change::new(who.actor, self.now(), "organisation.updated", "organisation", "settings saved");
        self.store.save_organisation(&org, &change).await?;
        self.reference.clear();
        Ok(org)
    }
}

impl App {
    /// The audit log (beheerder).
    pub async fn audit_log(
        &self,
        who: &Principal,
        query: &crate::ports::AuditQuery,
    ) -> Result<Vec<gastvrij_domain::audit::AuditEntry>, AppError> {
        who.require(roles::ADMIN)?;
        Ok(self.store.audit_log(query).await?)
    }
}
