//! Use cases: contacts (klantcontacten) and their questions.

use crate::ports::ContactQuery;
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::contact::{Contact, ContactInput, Question, QuestionInput};
use gastvrij_domain::ids::{ContactId, QuestionId};
use gastvrij_domain::{Invalid, InvalidKind};

impl App {
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
