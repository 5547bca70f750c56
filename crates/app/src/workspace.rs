//! Use cases of the KCC workspace that combine others: the expertise directory, linking a
//! customer to a contact, recording a question with its outcome, and handing a question over to a
//! team as a case.

use crate::Page;
use crate::ports::{CaseQuery, ConsultationQuery, ContactQuery, FollowUp};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::{Case, CaseInput, CaseType};
use gastvrij_domain::contact::{Contact, Line, Outcome, Question, QuestionInput};
use gastvrij_domain::customer::Customer;
use gastvrij_domain::directory::{DirectoryEntry, DirectoryInput};
use gastvrij_domain::ids::{ContactId, CustomerId, EmployeeId, QuestionId, TeamId};
use gastvrij_domain::kennisbank::{Consultation, ConsultationInput};
use gastvrij_domain::team::{Employee, Role, Team};
use gastvrij_domain::text::fold;
use gastvrij_domain::topic::Topic;
use gastvrij_domain::{Invalid, InvalidKind, StateRule};
use serde::{Deserialize, Serialize};

/// A question handed over (third line): the team that takes it, as what kind of case, and the
/// note the back office reads first.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HandoverInput {
    pub team_id: TeamId,
    pub case_type: CaseType,
    #[serde(default)]
    pub note: Option<String>,
    /// Danger now: the urgent norm applies.
    #[serde(default)]
    pub urgent: bool,
}

/// What became of a question, recorded together with it.
#[derive(Debug, Clone)]
pub enum QuestionOutcome {
    /// Answered at once (first line).
    Answered,
    NotAnswered,
    /// Sent on to another body (e.g. the municipality).
    Forward {
        to: String,
    },
    /// Ask a team while the customer waits; the answer sets the outcome later.
    Consult {
        team: TeamId,
        question: String,
    },
    /// Hand over to a team as a case.
    HandOver(HandoverInput),
}

/// A new question for a contact with its outcome.
#[derive(Debug, Clone)]
pub struct RecordQuestion {
    pub input: QuestionInput,
    pub outcome: QuestionOutcome,
}

/// What `App::record_question` stored: the contact with the new question, and the case or the
/// consultation it led to.
#[derive(Debug, Clone)]
pub struct RecordedQuestion {
    pub contact: Contact,
    pub question: QuestionId,
    pub case: Option<Case>,
    pub consultation: Option<Consultation>,
}

/// Everything the contact screen shows, read in a fixed number of queries whatever the number of
/// questions (`App::contact_screen`).
#[derive(Debug, Clone)]
pub struct ContactScreen {
    pub contact: Contact,
    pub teams: Vec<Team>,
    pub topics: Vec<Topic>,
    /// The cases the contact's questions were handed over to.
    pub cases: Vec<Case>,
    /// The consultations asked for the contact's questions, by whoever asked them.
    pub consultations: Vec<Consultation>,
    /// The linked customer, when there is one.
    pub customer: Option<CustomerSide>,
}

/// The customer card of the contact screen.
#[derive(Debug, Clone)]
pub struct CustomerSide {
    pub customer: Customer,
    /// The customer's five most recent other contacts, newest first.
    pub earlier: Vec<Contact>,
    /// The customer's open cases, newest first (at most ten).
    pub open_cases: Vec<Case>,
}

/// An employee with their directory line (an empty line when they have none yet).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DirectoryPerson {
    pub employee: Employee,
    pub team: Option<String>,
    pub entry: Option<DirectoryEntry>,
}

impl DirectoryPerson {
    /// Whether name, team or expertise contain every word of `text` (diacritics and case
    /// ignored); an empty text matches everyone.
    pub fn matches(&self, text: &str) -> bool {
        let words: Vec<String> = fold(text).split_whitespace().map(String::from).collect();
        if words.is_empty() {
            return true;
        }
        let mut haystack = format!("{} {}", self.employee.name, self.team.as_deref().unwrap_or(""));
        if let Some(e) = &self.entry {
            haystack.push(' ');
            haystack.push_str(&e.expertise.join(" "));
        }
        let haystack = fold(&haystack);
        words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

impl App {
    /// The contact screen's data: the contact, the teams and topics for its form, the cases and
    /// consultations of its questions (one query each, not one per question) and the customer card.
    pub async fn contact_screen(&self, who: &Principal, id: ContactId) -> Result<ContactScreen, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (contact, _) = self.store.contact(id).await?.ok_or(AppError::NotFound("contact"))?;
        let teams = self.store.teams().await?;
        let topics = self.store.topics().await?;
        let case_ids: Vec<_> = contact.questions.iter().filter_map(|q| q.case_id).collect();
        let cases = if case_ids.is_empty() {
            vec![]
        } else {
            let page = Page::first(u32::try_from(case_ids.len()).unwrap_or(u32::MAX));
            self.store.cases(&CaseQuery { ids: case_ids, page, ..Default::default() }).await?
        };
        let question_ids: Vec<_> = contact.questions.iter().map(|q| q.id).collect();
        let consultations = if question_ids.is_empty() {
            vec![]
        } else {
            let query = ConsultationQuery { question_ids, page: Page::first(500), ..Default::default() };
            self.store.consultations(&query).await?
        };
        let customer = match contact.customer_id {
            None => None,
            Some(customer_id) => {
                let customer = self.store.customer(customer_id).await?.ok_or(AppError::NotFound("customer"))?;
                let recent =
                    ContactQuery { customer_id: Some(customer_id), page: Page::first(6), ..Default::default() };
                let earlier =
                    self.store.contacts(&recent).await?.into_iter().filter(|c| c.id != contact.id).take(5).collect();
                let open = CaseQuery {
                    customer_id: Some(customer_id),
                    open_only: true,
                    page: Page::first(10),
                    ..Default::default()
                };
                let open_cases = self.store.cases(&open).await?;
                Some(CustomerSide { customer, earlier, open_cases })
            }
        };
        Ok(ContactScreen { contact, teams, topics, cases, consultations, customer })
    }

    /// The expertise directory, optionally narrowed to people whose name, team or expertise
    /// contains every word of `text` (diacritics and case ignored). Active employees only.
    pub async fn directory(&self, who: &Principal, text: &str) -> Result<Vec<DirectoryPerson>, AppError> {
        who.require(roles::STAFF)?;
        let teams = self.store.teams().await?;
        let mut entries: std::collections::HashMap<EmployeeId, DirectoryEntry> =
            self.store.directory().await?.into_iter().map(|e| (e.employee_id, e)).collect();
        let mut out = Vec::new();
        for employee in self.store.employees().await?.into_iter().filter(|e| e.active) {
            let team = employee.team_id.and_then(|t| teams.iter().find(|x| x.id == t)).map(|t| t.name.clone());
            let entry = entries.remove(&employee.id);
            let person = DirectoryPerson { employee, team, entry };
            if person.matches(text) {
                out.push(person);
            }
        }
        Ok(out)
    }

    /// Keep an employee's directory line: team leads for anyone, every employee for themselves.
    pub async fn save_directory_entry(
        &self,
        who: &Principal,
        employee: EmployeeId,
        input: DirectoryInput,
    ) -> Result<DirectoryEntry, AppError> {
        who.require(roles::STAFF)?;
        if who.employee_id() != Some(employee) && !who.roles.contains(&Role::Teamleider) {
            return Err(AppError::Forbidden("only a team lead keeps the directory line of someone else".into()));
        }
        self.store.employee(employee).await?.ok_or(AppError::NotFound("employee"))?;
        let entry = DirectoryEntry::create(employee, input, self.now())?;
        let change = Change::new(who.actor, self.now(), "directory.saved", employee, entry.availability.code());
        self.store.save_directory_entry(&entry, &change).await?;
        Ok(entry)
    }

    /// Link a customer to a contact (found or just created while the caller is on the line).
    pub async fn link_contact_customer(
        &self,
        who: &Principal,
        id: ContactId,
        customer: Option<CustomerId>,
    ) -> Result<Contact, AppError> {
        self.change_contact(who, id, "contact.customer_linked", |c| {
            c.customer_id = customer;
            Ok(())
        })
        .await
    }

    /// Hand a question over to a team (third line): a case with its deadlines from the norms
    /// and the handover note, linked to the contact, its customer and the question; the
    /// question records the outcome and the case. The case and the question are written in one
    /// transaction: both or neither. Returns the contact and the case (its reference is what
    /// the customer is told).
    pub async fn hand_over_question(
        &self,
        who: &Principal,
        id: ContactId,
        question: QuestionId,
        input: HandoverInput,
    ) -> Result<(Contact, Case), AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut contact, version) = self.store.contact(id).await?.ok_or(AppError::NotFound("contact"))?;
        let change = Change::new(who.actor, self.now(), "contact.question_handed_over", contact.id, "");
        let case = self.hand_over(who, &mut contact, version, question, input, &change).await?;
        Ok((contact, case))
    }

    /// Record a question with its outcome in one go: the question, and the consultation, the
    /// case or the forward it leads to, are written in ONE transaction, so a failure stores nothing.
    pub async fn record_question(
        &self,
        who: &Principal,
        id: ContactId,
        record: RecordQuestion,
    ) -> Result<RecordedQuestion, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let RecordQuestion { mut input, outcome } = record;
        match &outcome {
            QuestionOutcome::Answered => {
                input.outcome = Some(Outcome::Answered);
                input.line = Some(Line::FirstLine);
            }
            QuestionOutcome::NotAnswered => input.outcome = Some(Outcome::NotAnswered),
            QuestionOutcome::Forward { to } => {
                input.outcome = Some(Outcome::Forwarded);
                input.line = Some(Line::ThirdLine);
                input.forwarded_to = Some(to.trim().to_string()).filter(|t| !t.is_empty());
                if input.forwarded_to.is_none() {
                    return Err(Invalid::empty("forwarded_to").into());
                }
            }
            // The consultation's answer or the handover sets the outcome.
            QuestionOutcome::Consult { .. } | QuestionOutcome::HandOver(_) => {}
        }
        let (mut contact, version) = self.store.contact(id).await?.ok_or(AppError::NotFound("contact"))?;
        if contact.questions.len() >= 50 {
            return Err(Invalid::new("questions", InvalidKind::TooMany { max: 50 }).into());
        }
        let question = Question::create(input)?;
        let question_id = question.id;
        contact.questions.push(question);
        self.check_contact_refs(&contact).await?;
        let change = Change::new(who.actor, self.now(), "contact.question_added", contact.id, "");
        let mut recorded =
            RecordedQuestion { contact: contact.clone(), question: question_id, case: None, consultation: None };
        match outcome {
            QuestionOutcome::HandOver(handover) => {
                recorded.case = Some(self.hand_over(who, &mut contact, version, question_id, handover, &change).await?);
                recorded.contact = contact;
            }
            QuestionOutcome::Consult { team, question } => {
                if self.store.team(team).await?.is_none() {
                    return Err(Invalid::unknown_id("team_id", team).into());
                }
                let ask = ConsultationInput {
                    contact_id: Some(id),
                    question_id: Some(question_id),
                    to_team: Some(team),
                    to_employee: None,
                    question,
                };
                let consultation = Consultation::ask(ask, who.employee_id(), self.now())?;
                let asked = Change::new(who.actor, self.now(), "consultation.asked", consultation.id, "");
                let follow_up = FollowUp::Consultation { consultation: &consultation, change: &asked };
                self.store.update_contact_with(&contact, version, &change, follow_up).await?;
                recorded.consultation = Some(consultation);
            }
            QuestionOutcome::Answered | QuestionOutcome::NotAnswered | QuestionOutcome::Forward { .. } => {
                self.store.update_contact(&contact, version, &change).await?;
            }
        }
        Ok(recorded)
    }

    /// Make the case for `question` of `contact` and write both in one transaction; `contact`
    /// is changed in place (the question records the outcome and the case).
    async fn hand_over(
        &self,
        who: &Principal,
        contact: &mut Contact,
        version: i64,
        question: QuestionId,
        input: HandoverInput,
        change: &Change,
    ) -> Result<Case, AppError> {
        let now = self.now();
        let q = contact
            .questions
            .iter_mut()
            .find(|q| q.id == question)
            .ok_or_else(|| Invalid::unknown_id("question_id", question))?;
        if let Some(case) = q.case_id {
            return Err(Invalid::wrong_state("question_id", StateRule::HandedOver { case }).into());
        }
        let subject: String = q.text.chars().take(200).collect();
        let case_input = CaseInput {
            case_type: input.case_type,
            team_id: input.team_id,
            topic_id: q.topic_id,
            owner_id: None,
            customer_id: contact.customer_id,
            contact_id: Some(contact.id),
            subject,
            intent: Some(q.text.clone()),
            urgent: input.urgent,
        };
        let mut case = Case::create(case_input, who.employee_id(), now)?;
        self.check_case_refs(&case).await?;
        self.recompute(&mut case, who, "aangemaakt").await?;
        if let Some(note) = input.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            case.add_note(&format!("Overdracht door het KCC: {note}"), who.employee_id(), now)?;
        }
        q.case_id = Some(case.id);
        q.outcome = Some(Outcome::HandedOver);
        q.line = Some(Line::ThirdLine);
        let created = Change::new(who.actor, now, "case.created", case.id, case.case_type.code());
        let scope = self.reference_scope(case.created_at).await?;
        // The citizen hears of it as from a web form: acknowledgement, tracking link, later mails.
        let tracked = self.tracked_case(&case, contact.customer_id).await?;
        let follow_up = FollowUp::Case { case: &case, scope: &scope, change: &created, tracked: tracked.as_ref() };
        let (_, reference) = self.store.update_contact_with(contact, version, change, follow_up).await?;
        if tracked.is_some() {
            self.wake_mail_worker();
        }
        case.reference = reference
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("the store gave the new case no reference")))?;
        Ok(case)
    }
}

impl App {
    /// An article by the external id that search returns (staff may read every status).
    pub async fn article_by_external_id(
        &self,
        who: &Principal,
        external_id: &str,
    ) -> Result<gastvrij_domain::kennisbank::Article, AppError> {
        who.require(roles::STAFF)?;
        self.store.article_by_external_id(external_id).await?.ok_or(AppError::NotFound("article"))
    }

    /// A deadline as people say it: "nog 3 werkdagen", "vandaag", "2 werkdagen te laat",
    /// counted in working days of the default calendar from today.
    pub fn due_phrase(&self, due: jiff::Timestamp) -> String {
        self.due_phrase_at(self.now(), due)
    }

    /// As [`App::due_phrase`], seen from the moment `from` instead of now.
    pub(crate) fn due_phrase_at(&self, from: jiff::Timestamp, due: jiff::Timestamp) -> String {
        let Ok(calendar) = self.settings.calendars.get("termijnenwet") else { return String::new() };
        let today = calendar.date_of(from);
        match calendar.working_days_between(today, calendar.date_of(due)) {
            Ok(n) => gastvrij_domain::calendar::describe_working_days(n),
            Err(_) => String::new(),
        }
    }

    /// A moment as local date and time in the default calendar's time zone, e.g. "3-4-2026 16:30".
    pub fn local_time(&self, at: jiff::Timestamp) -> String {
        let z = at.to_zoned_datetime(self.local_zone());
        format!("{}-{}-{} {:02}:{:02}", z.day(), z.month(), z.year(), z.hour(), z.minute())
    }

    /// The local date of a moment in the default calendar's time zone (what a date field shows).
    pub fn local_date(&self, at: jiff::Timestamp) -> jiff::civil::Date {
        at.to_zoned_datetime(self.local_zone()).date()
    }

    /// The start of a local day in the default calendar's time zone (what a date field means).
    pub fn start_of_local_day(&self, day: jiff::civil::Date) -> jiff::Timestamp {
        let midnight = day.at(0, 0, 0, 0);
        self.local_zone()
            .to_timestamp(midnight)
            .or_else(|_| jiff::tz::TimeZone::UTC.to_timestamp(midnight))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    fn local_zone(&self) -> jiff::tz::TimeZone {
        match self.settings.calendars.get("termijnenwet") {
            Ok(c) => c.time_zone().clone(),
            Err(_) => jiff::tz::TimeZone::UTC,
        }
    }
}
