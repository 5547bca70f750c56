//! Use cases: calls from the telephony platform (API) or a call-centre export (CSV import).

use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::team::Role;
use gastvrij_domain::telephony::{Call, CallInput};
use gastvrij_domain::{Invalid, InvalidKind};

/// At most this many calls in one request.
pub const MAX_CALLS: usize = 1_000;

impl App {
    /// Store reported calls, all or none: a bad call is refused with its position and field,
    /// and nothing is stored. A call id seen before updates that call.
    pub async fn record_calls(&self, who: &Principal, calls: Vec<CallInput>) -> Result<u64, AppError> {
        who.require(&[Role::Kcc, Role::Teamleider])?;
        if calls.is_empty() {
            return Err(Invalid::empty("calls").into());
        }
        if calls.len() > MAX_CALLS {
            return Err(Invalid::new("calls", InvalidKind::TooMany { max: MAX_CALLS }).into());
        }
        let mut parsed = Vec::with_capacity(calls.len());
        for (i, input) in calls.into_iter().enumerate() {
            let call = Call::create(input).map_err(|e| e.in_item("calls", i))?;
            if let Some(contact) = call.contact_id
                && self.store.contact(contact).await?.is_none()
            {
                return Err(Invalid::unknown_id("contact_id", contact).in_item("calls", i).into());
            }
            parsed.push(call);
        }
        let change = Change::new(who.actor, self.now(), "calls.recorded", "calls", parsed.len().to_string());
        Ok(self.store.upsert_calls(&parsed, &change).await?)
    }

    /// Calls offered in `[from, to)`.
    pub async fn calls(
        &self,
        who: &Principal,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> Result<Vec<Call>, AppError> {
        who.require(&[Role::Kcc, Role::Teamleider])?;
        if to <= from {
            return Err(Invalid::new("to", InvalidKind::OutOfOrder { after: "from" }).into());
        }
        Ok(self.store.calls(from, to).await?)
    }
}
