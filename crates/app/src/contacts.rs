//! Use cases: contacts (klantcontacten) and their questions.

use crate::ports::{ContactQuery, UnconfirmedForward};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::contact::{Contact, ContactInput, Question, QuestionInput};
use gastvrij_domain::ids::{ContactId, QuestionId};
use gastvrij_domain::{Invalid, InvalidKind};

/// Working days the other body has to confirm a forwarded question before the KCC asks them.
pub const FORWARD_CONFIRM_WORKING_DAYS: i64 = 2;

/// A forwarded question the other body has not confirmed within
/// [`FORWARD_CONFIRM_WORKING_DAYS`]: the KCC reminds them (`/werkplek/doorgestuurd`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueForward {
    pub forward: UnconfirmedForward,
    /// Working days since the day it was forwarded (the default calendar).
    pub waiting_working_days: i64,
}

impl App {
    /// Forwarded questions not confirmed after two working days, oldest first (at most 1,000 are
    /// looked at). Counted in the default (`termijnenwet`) calendar's working days, so a question
    /// forwarded on Friday is due on Tuesday.
    pub async fn overdue_forwards(&self, who: &Principal) -> Result<Vec<OverdueForward>, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let today = calendar.date_of(self.now());
        let mut overdue = vec![];
        for forward in self.store.unconfirmed_forwards(1_000).await? {
            let waiting = calendar
                .working_days_between(calendar.date_of(forward.forwarded_at), today)
                .map_err(|e| AppError::Unexpected(anyhow::anyhow!("counting working days: {e}")))?;
            if waiting >= FORWARD_CONFIRM_WORKING_DAYS {
                overdue.push(OverdueForward { forward, waiting_working_days: waiting });
            }
        }
        Ok(overdue)
    }

    pub async fn create_contact(&self, who: &Principal, mut input: ContactInput) -> Result<Contact, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        if input.agent_id.is_none() {
            input.agent_id = who.employee_id();
        }
        let contact = Contact::create(input, self.now())?;
        self.check_contact_refs(&contact).await?;
        let change = Change::new(who.actor, self.now(), "contact.created", contact.id, contact.channel.code());
        self.store.insert_contact(&contact, &change).await?;
        Ok(contact)
    }

    pub async fn contact(&self, who: &Principal, id: ContactId) -> Result<Contact, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        Ok(self.store.contact(id).await?.ok_or(AppError::NotFound("contact"))?.0)
    }

    pub async fn contacts(&self, who: &Principal, query: &ContactQuery) -> Result<Vec<Contact>, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        Ok(self.store.contacts(query).await?)
    }

    pub async fn add_question(
        &self,
        who: &Principal,
        id: ContactId,
        input: QuestionInput,
    ) -> Result<Contact, AppError> {
        self.change_contact(who, id, "contact.question_added", |c| {
            if c.questions.len() >= 50 {
                return Err(Invalid::new("questions", InvalidKind::TooMany { max: 50 }));
            }
            c.questions.push(Question::create(input)?);
            Ok(())
        })
        .await
    }

    /// Replace a question's text, answer, topic and outcome.
    pub async fn update_question(
        &self,
        who: &Principal,
        id: ContactId,
        question: QuestionId,
        input: QuestionInput,
    ) -> Result<Contact, AppError> {
        self.change_contact(who, id, "contact.question_updated", |c| {
            let slot = c
                .questions
                .iter_mut()
                .find(|q| q.id == question)
                .ok_or_else(|| Invalid::unknown_id("question_id", question))?;
            let mut updated = Question::create(input)?;
            updated.id = slot.id;
            updated.case_id = slot.case_id;
            if updated.outcome == slot.outcome && updated.forwarded_to == slot.forwarded_to {
                updated.forward_confirmed_at = slot.forward_confirmed_at;
            }
            *slot = updated;
            Ok(())
        })
        .await
    }

    /// The other body confirmed it took a forwarded question over: from now on it is theirs.
    pub async fn confirm_forward(
        &self,
        who: &Principal,
        id: ContactId,
        question: QuestionId,
    ) -> Result<Contact, AppError> {
        let now = self.now();
        self.change_contact(who, id, "contact.forward_confirmed", |c| {
            c.questions
                .iter_mut()
                .find(|q| q.id == question)
                .ok_or_else(|| Invalid::unknown_id("question_id", question))?
                .confirm_forward(now)
        })
        .await
    }

    pub async fn park_contact(&self, who: &Principal, id: ContactId) -> Result<Contact, AppError> {
        self.change_contact(who, id, "contact.parked", Contact::park).await
    }

    pub async fn resume_contact(&self, who: &Principal, id: ContactId) -> Result<Contact, AppError> {
        self.change_contact(who, id, "contact.resumed", Contact::resume).await
    }

    pub async fn close_contact(&self, who: &Principal, id: ContactId) -> Result<Contact, AppError> {
        let now = self.now();
        self.change_contact(who, id, "contact.closed", |c| c.close(now)).await
    }

    pub(crate) async fn change_contact(
        &self,
        who: &Principal,
        id: ContactId,
        action: &'static str,
        apply: impl FnOnce(&mut Contact) -> Result<(), Invalid>,
    ) -> Result<Contact, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut contact, version) = self.store.contact(id).await?.ok_or(AppError::NotFound("contact"))?;
        apply(&mut contact)?;
        self.check_contact_refs(&contact).await?;
        let change = Change::new(who.actor, self.now(), action, contact.id, "");
        self.store.update_contact(&contact, version, &change).await?;
        Ok(contact)
    }

    pub(crate) async fn check_contact_refs(&self, c: &Contact) -> Result<(), AppError> {
        if let Some(customer) = c.customer_id
            && self.store.customer(customer).await?.is_none()
        {
            return Err(Invalid::unknown_id("customer_id", customer).into());
        }
        if let Some(agent) = c.agent_id
            && self.store.employee(agent).await?.is_none()
        {
            return Err(Invalid::unknown_id("agent_id", agent).into());
        }
        for q in &c.questions {
            if let Some(topic) = q.topic_id
                && self.store.topic(topic).await?.is_none()
            {
                return Err(Invalid::unknown_id("topic_id", topic).into());
            }
        }
        Ok(())
    }
}
