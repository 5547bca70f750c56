//! Use cases: working a case in the workspace. Take it, hand it on with a note, suspend and
//! resume it, change its status and close it with an answer; each is one transaction, and where
//! the citizen is told, their mail is queued in that same transaction. Also what the case page
//! and the team queue read.

use crate::letters::{CaseLetter, CaseNews};
use crate::ports::{CaseOrder, CaseQuery, ContactQuery, DeadlineFilter, KeptLetter, SubmissionRecord, TaskScope};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::{Case, CaseResult, CaseStatus, CaseType};
use gastvrij_domain::case_task::CaseTask;
use gastvrij_domain::contact::Contact;
use gastvrij_domain::ids::{CaseId, CaseTaskId, EmployeeId, TeamId, TopicId};
use gastvrij_domain::mail::{MailKind, MailRecord, OutgoingMail};
use gastvrij_domain::values::Email;
use gastvrij_domain::{Invalid, InvalidKind, StateRule, text};
use jiff::SignedDuration;

/// How far ahead an open case counts as at risk in the queue (the risk worker's default).
pub const RISK_HORIZON: SignedDuration = SignedDuration::from_hours(48);

/// Which cases of the team the queue shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueueView {
    /// Every open case.
    #[default]
    All,
    /// Those the signed-in employee owns.
    Mine,
    /// Those without an owner.
    Unassigned,
    /// Not suspended, due within [`RISK_HORIZON`].
    AtRisk,
    /// Past their deadline (a suspended case only when it was late before its suspension).
    Late,
}

/// The team queue's filters.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub view: QueueView,
    pub case_type: Option<CaseType>,
    pub topic_id: Option<TopicId>,
    pub status: Option<CaseStatus>,
    /// Which page of [`QUEUE_PAGE`] cases, counted from 0.
    pub page: u32,
}

/// Cases on one page of the team queue.
pub const QUEUE_PAGE: u32 = 50;

/// One page of the team queue: the cases in queue order, and whether more follow.
#[derive(Debug, Clone, Default)]
pub struct QueueSlice {
    /// The cases' own rows only (read shallow: no status history, notes or attachments).
    pub cases: Vec<Case>,
    /// The page shown, counted from 0.
    pub page: u32,
    /// Whether a next page holds more cases.
    pub more: bool,
}

/// Everything the case page shows: the case, what came in through the portal, the mails queued
/// for it, and the customer's other cases and contacts.
pub struct CaseFile {
    pub case: Case,
    pub submission: Option<SubmissionRecord>,
    pub mails: Vec<MailRecord>,
    pub other_cases: Vec<Case>,
    pub contacts: Vec<Contact>,
    /// The citizen can be mailed; otherwise the answer goes as a printed letter.
    pub mailable: bool,
    /// What the case asked other teams.
    pub tasks: Vec<CaseTask>,
    /// The letters printed for it, as printed.
    pub letters: Vec<KeptLetter>,
}

/// An open task asked of a team, with the reference of the case that asks.
pub struct TeamTask {
    pub task: CaseTask,
    pub reference: String,
}

/// What can be done with a case now, by its type's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseActions {
    /// Status changes other than suspending, resuming and closing (those have their own forms).
    pub statuses: Vec<CaseStatus>,
    pub can_suspend: bool,
    pub can_resume: bool,
    pub can_extend: bool,
    pub can_close: bool,
}

/// The answer of a closed case as a letter to print (when there is no e-mail address).
pub struct PrintedLetter {
    pub reference: String,
    pub org: String,
    /// The day it is printed: "dinsdag 3 maart 2026".
    pub date: String,
    /// Name and address lines, as far as known.
    pub address: Vec<String>,
    pub subject: String,
    pub body: String,
}

/// What the citizen reads as the answer of a closed case: the answer as written, and for a
/// klacht its outcome in writing (`complaint::written_outcome`: conclusions, judgement, ombudsman).
pub fn answer_text(case: &Case) -> String {
    match &case.closure {
        Some(c) if case.case_type == CaseType::Klacht => {
            gastvrij_domain::complaint::written_outcome(c.result, &c.answer)
        }
        Some(c) => c.answer.clone(),
        None => String::new(),
    }
}

/// Who hears of a case: the citizen of its portal submission (when they chose e-mail, with the
/// tracking link) or its customer.
struct Recipient {
    to: Option<Email>,
    name: Option<String>,
    address: Vec<String>,
    link: Option<String>,
    portal: bool,
}

impl App {
    /// How a case's deadline stands, as people say it: "nog 3 werkdagen", "2 werkdagen te laat";
    /// for a suspended case "opgeschort sinds 3-3-2026 9:00, nog 4 werkdagen", the remaining time
    /// frozen at the suspension (never "te laat", unless the term had passed before it: then
    /// "de termijn was al verstreken"). Every screen words a case's deadline through this.
    pub fn case_due_phrase(&self, case: &Case) -> Option<String> {
        let due = case.timing.deadlines?.service_norm;
        Some(match case.suspended_since() {
            Some(since) if since >= due => {
                format!("opgeschort sinds {}; de termijn was al verstreken", self.local_time(since))
            }
            Some(since) => format!("opgeschort sinds {}, {}", self.local_time(since), self.due_phrase_at(since, due)),
            None => self.due_phrase(due),
        })
    }

    /// What can be done with `case` now: the life cycle narrowed by its type's norm.
    pub fn case_actions(&self, case: &Case) -> CaseActions {
        let norm = self.settings.norms.for_case_type(case.case_type);
        let next = case.next_statuses(norm);
        let suspended = case.status == CaseStatus::Opgeschort;
        CaseActions {
            statuses: next
                .iter()
                .copied()
                .filter(|s| !matches!(s, CaseStatus::Opgeschort | CaseStatus::Afgehandeld) && !suspended)
                .collect(),
            can_suspend: next.contains(&CaseStatus::Opgeschort),
            can_resume: suspended,
            can_extend: case.status.is_open()
                && !case.timing.is_extended()
                && norm.is_some_and(|n| n.extension_allowed),
            can_close: next.contains(&CaseStatus::Afgehandeld),
        }
    }

    /// One page of the open cases of `team` for the queue: danger not yet taken first, then the
    /// nearest deadline. Reads one case more than the page holds to know whether more follow.
    pub async fn team_queue(
        &self,
        who: &Principal,
        team: TeamId,
        filter: &QueueFilter,
    ) -> Result<QueueSlice, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let now = self.now();
        let mut query = CaseQuery {
            team_id: Some(team),
            topic_id: filter.topic_id,
            case_type: filter.case_type,
            status: filter.status,
            open_only: filter.status.is_none_or(|s| s.is_open()),
            order: CaseOrder::Deadline,
            page: Page { limit: QUEUE_PAGE + 1, offset: filter.page.saturating_mul(QUEUE_PAGE) },
            shallow: true,
            ..Default::default()
        };
        match filter.view {
            QueueView::All => {}
            QueueView::Mine => {
                query.owner_id = Some(who.employee_id().ok_or(AppError::Forbidden("employee".into()))?);
            }
            QueueView::Unassigned => query.unassigned = true,
            QueueView::AtRisk => query.deadline = Some(DeadlineFilter::AtRisk { now, until: now + RISK_HORIZON }),
            QueueView::Late => query.deadline = Some(DeadlineFilter::Late { now }),
        }
        let mut cases = self.store.cases(&query).await?;
        let more = cases.len() > QUEUE_PAGE as usize;
        cases.truncate(QUEUE_PAGE as usize);
        Ok(QueueSlice { cases, page: filter.page, more })
    }

    /// The case with what the case page shows beside it.
    pub async fn case_file(&self, who: &Principal, id: CaseId) -> Result<CaseFile, AppError> {
        let case = self.case(who, id).await?;
        let submission = self.store.submission_by_case(id).await?;
        let mails = self.store.case_mails(id).await?;
        let (other_cases, contacts) = match case.customer_id {
            Some(customer) => {
                let cases = CaseQuery { customer_id: Some(customer), page: Page::first(50), ..Default::default() };
                let contacts =
                    ContactQuery { customer_id: Some(customer), page: Page::first(50), ..Default::default() };
                let others = self.store.cases(&cases).await?.into_iter().filter(|c| c.id != id).collect();
                (others, self.store.contacts(&contacts).await?)
            }
            None => (vec![], vec![]),
        };
        let mailable = self.recipient(&case).await?.is_some_and(|r| r.to.is_some());
        let tasks = self.store.case_tasks(TaskScope::Case(id)).await?;
        let letters = self.store.printed_letters(id).await?;
        Ok(CaseFile { case, submission, mails, other_cases, contacts, mailable, tasks, letters })
    }

    /// The case asks another team for something, needed by `due_on` (`YYYY-MM-DD`, after today);
    /// it shows in that team's queue until answered.
    pub async fn ask_team(
        &self,
        who: &Principal,
        id: CaseId,
        to_team: TeamId,
        question: &str,
        due_on: &str,
    ) -> Result<CaseTask, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (case, _) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        if self.store.team(to_team).await?.is_none() {
            return Err(Invalid::unknown_id("to_team", to_team).into());
        }
        let today = self.settings.calendars.get("termijnenwet")?.date_of(self.now());
        let task = CaseTask::ask(case.id, to_team, question, due_on, who.employee_id(), self.now(), today)?;
        let change = Change::new(who.actor, self.now(), "case.task_asked", case.id, "");
        self.store.insert_case_task(&task, &change).await?;
        Ok(task)
    }

    /// The asked team answers a task: a member of that team, or a team lead.
    pub async fn answer_case_task(&self, who: &Principal, id: CaseTaskId, answer: &str) -> Result<CaseTask, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let mut task = self.store.case_task(id).await?.ok_or(AppError::NotFound("task"))?;
        let lead = who.leads_teams();
        let team = match who.employee_id() {
            Some(me) => self.store.employee(me).await?.and_then(|e| e.team_id),
            None => None,
        };
        if !lead && team != Some(task.to_team) {
            return Err(AppError::Forbidden("a member of the asked team".into()));
        }
        task.answer(answer, who.employee_id(), self.now())?;
        let change = Change::new(who.actor, self.now(), "case.task_answered", task.case_id, "");
        self.store.answer_case_task(&task, &change).await?;
        Ok(task)
    }

    /// The open tasks asked of `team`, the nearest day first, with the asking case's reference.
    pub async fn team_tasks(&self, who: &Principal, team: TeamId) -> Result<Vec<TeamTask>, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let tasks = self.store.case_tasks(TaskScope::OpenFor(team)).await?;
        let ids = tasks.iter().map(|t| t.case_id).collect();
        let page = Page::first(Page::MAX_LIMIT);
        let cases = self.store.cases(&CaseQuery { ids, page, shallow: true, ..Default::default() }).await?;
        Ok(tasks
            .into_iter()
            .map(|task| {
                let reference = cases.iter().find(|c| c.id == task.case_id).map(|c| c.reference.clone());
                TeamTask { reference: reference.unwrap_or_default(), task }
            })
            .collect())
    }

    /// The signed-in employee takes the case: its one owner. Refused when someone else owns it.
    pub async fn take_case(&self, who: &Principal, id: CaseId) -> Result<Case, AppError> {
        let me = who.employee_id().ok_or(AppError::Forbidden("employee".into()))?;
        let now = self.now();
        self.change_case(who, id, "case.taken", |c| c.take(me, now)).await
    }

    /// Hand the case to a colleague (who may be in another team: the case moves to their team's
    /// queue) or back to the team (`to` is `None`), with a note that lands in the timeline. Only
    /// the owner, or a team lead, hands on a case someone owns.
    pub async fn hand_over_case(
        &self,
        who: &Principal,
        id: CaseId,
        to: Option<EmployeeId>,
        note: &str,
    ) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut case, version) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        let lead = who.leads_teams();
        if case.owner_id.is_some_and(|o| Some(o) != who.employee_id()) && !lead {
            return Err(Invalid::wrong_state("owner_id", StateRule::OwnedByAnother).into());
        }
        if let Some(colleague) = to {
            let employee = self.store.employee(colleague).await?;
            let Some(employee) = employee.filter(|e| e.active) else {
                return Err(Invalid::unknown_id("owner_id", colleague).into());
            };
            if let Some(team) = employee.team_id {
                case.team_id = team;
            }
        }
        case.hand_over(to, note, who.employee_id(), self.now())?;
        self.save_case_with_mails(who, case, version, "case.handed_over", &[]).await
    }

    /// Suspend the case (wacht op klant): `asked` says what the citizen must send, and reaches
    /// them by mail in the same transaction. The deadlines stand still until it is resumed.
    pub async fn suspend_case(&self, who: &Principal, id: CaseId, asked: &str) -> Result<Case, AppError> {
        const PREFIX: &str = "wacht op klant: ";
        // The request becomes the status change's reason, which holds at most SHORT characters.
        let asked = text::required("asked", asked, text::limits::SHORT - PREFIX.len())?;
        let reason = format!("{PREFIX}{asked}");
        let news = CaseNews::Status(CaseStatus::Opgeschort);
        self.move_case(who, id, CaseStatus::Opgeschort, Some(&reason), ("asked", &asked), news).await
    }

    /// Resume a suspended case; the deadlines move by the paused time. When the citizen can be
    /// mailed, `message` is required and sent.
    pub async fn resume_case(&self, who: &Principal, id: CaseId, message: &str) -> Result<Case, AppError> {
        let (case, _) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        if case.status != CaseStatus::Opgeschort {
            let rule = StateRule::Transition { from: case.status.code(), to: "hervat" };
            return Err(Invalid::wrong_state("status", rule).into());
        }
        let news = CaseNews::Status(CaseStatus::InBehandeling);
        self.move_case(who, id, CaseStatus::InBehandeling, None, ("message", message), news).await
    }

    /// Change the status to one the case type allows (not to suspended or closed: those have
    /// their own use cases). When the citizen can be mailed, `message` is required and sent.
    pub async fn change_case_status_with_message(
        &self,
        who: &Principal,
        id: CaseId,
        status: CaseStatus,
        message: &str,
    ) -> Result<Case, AppError> {
        if matches!(status, CaseStatus::Opgeschort | CaseStatus::Afgehandeld) {
            return Err(Invalid::new("status", InvalidKind::NotApplicable).into());
        }
        self.move_case(who, id, status, None, ("message", message), CaseNews::Status(status)).await
    }

    /// Close the case with a result and the answer: mailed to the citizen in the same
    /// transaction, or (without an e-mail address) kept for the printed letter. For a klacht the
    /// answer is the conclusions, `measures` (may be empty) the measures taken for the annual
    /// overview, and the citizen reads the written outcome (Awb 9:12, [`answer_text`]).
    pub async fn close_case(
        &self,
        who: &Principal,
        id: CaseId,
        result: CaseResult,
        answer: &str,
        measures: &str,
    ) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut case, version) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        case.record_measures(measures)?;
        case.close(result, answer, who.employee_id(), self.now())?;
        let answer = answer_text(&case);
        let mails = self.case_mail(&case, CaseNews::Answer, &answer, MailKind::Bericht).await?;
        self.save_case_with_mails(who, case, version, "case.closed", &mails).await
    }

    /// The answer of a closed case as a letter to print.
    pub async fn printed_letter(&self, who: &Principal, id: CaseId) -> Result<PrintedLetter, AppError> {
        let case = self.case(who, id).await?;
        if case.closure.is_none() || case.status != CaseStatus::Afgehandeld {
            return Err(AppError::NotFound("letter"));
        }
        let letter = self
            .letter_to_print(&case, CaseNews::Answer, &answer_text(&case), case.closed_at.unwrap_or(case.updated_at))
            .await?;
        self.keep_printed(who, &case, "brief", letter).await
    }

    /// The acknowledgement of an open case as a letter to print, for a citizen the water board
    /// cannot mail: the reference and the day they hear from us at the latest, as the web form's
    /// acknowledgement says it.
    pub async fn printed_acknowledgement(&self, who: &Principal, id: CaseId) -> Result<PrintedLetter, AppError> {
        let case = self.case(who, id).await?;
        if !case.status.is_open() {
            return Err(AppError::NotFound("letter"));
        }
        let (_, tz) = self.board().await;
        let text = match case.timing.deadlines.map(|d| d.service_norm) {
            Some(due) => format!("U hoort uiterlijk op {} van ons.", gastvrij_domain::portal::dutch_date(due, &tz)),
            None => "We laten zo snel mogelijk van ons horen.".to_string(),
        };
        let letter = self.letter_to_print(&case, CaseNews::Received, &text, case.created_at).await?;
        self.keep_printed(who, &case, "ontvangstbrief", letter).await
    }

    /// Keep `letter` with the case as it is printed now (a second print of the same text keeps
    /// nothing new), and hand it back.
    async fn keep_printed(
        &self,
        who: &Principal,
        case: &Case,
        kind: &'static str,
        letter: PrintedLetter,
    ) -> Result<PrintedLetter, AppError> {
        let kept = KeptLetter {
            case_id: case.id,
            kind,
            subject: letter.subject.clone(),
            body: letter.body.clone(),
            printed_by: who.employee_id(),
            printed_at: self.now(),
        };
        self.store.keep_printed_letter(&kept).await?;
        Ok(letter)
    }

    /// `news` and `text` about `case` as a letter to print, dated `at`, to the customer's address.
    async fn letter_to_print(
        &self,
        case: &Case,
        news: CaseNews,
        text: &str,
        at: jiff::Timestamp,
    ) -> Result<PrintedLetter, AppError> {
        let recipient = self.recipient(case).await?;
        let (org, tz) = self.board().await;
        let (name, address) = recipient.map(|r| (r.name, r.address)).unwrap_or_default();
        let letter = CaseLetter::about(case, name.as_deref(), news, text, &org);
        let (subject, body) = letter.text_with(self.letter_template(letter.template_kind()).await?.as_ref())?;
        let address = name.into_iter().chain(address).collect();
        let date = gastvrij_domain::portal::dutch_date(at, &tz);
        Ok(PrintedLetter { reference: case.reference.clone(), org, date, address, subject, body })
    }

    /// The letter telling the citizen of an extension: the new last day and the reason.
    pub(crate) async fn extension_letter(&self, case: &Case, reason: &str) -> Result<Vec<OutgoingMail>, AppError> {
        let Some(due) = case.timing.deadlines.map(|d| d.service_norm) else { return Ok(vec![]) };
        let (_, tz) = self.board().await;
        let last_day = gastvrij_domain::portal::dutch_date(due - SignedDuration::from_secs(1), &tz);
        self.case_mail(case, CaseNews::Extended(last_day), reason.trim(), MailKind::Statuswijziging).await
    }

    /// Move the case to `status`, telling the citizen `text` (required when they can be mailed;
    /// `field` names it in the error) in the same transaction.
    async fn move_case(
        &self,
        who: &Principal,
        id: CaseId,
        status: CaseStatus,
        reason: Option<&str>,
        (field, text): (&'static str, &str),
        news: CaseNews,
    ) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut case, version) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        self.apply_status(&mut case, who, status, reason).await?;
        let text = text.trim();
        let mails = self.case_mail(&case, news, text, MailKind::Statuswijziging).await?;
        if !mails.is_empty() && text.is_empty() {
            return Err(Invalid::empty(field).into());
        }
        if text.chars().count() > text::limits::LONG {
            return Err(Invalid::new(field, InvalidKind::TooLong { max: text::limits::LONG }).into());
        }
        self.save_case_with_mails(who, case, version, "case.status_changed", &mails).await
    }

    /// The mail to the case's citizen with `news` and `text`, when they can be mailed.
    async fn case_mail(
        &self,
        case: &Case,
        news: CaseNews,
        text: &str,
        kind: MailKind,
    ) -> Result<Vec<OutgoingMail>, AppError> {
        let Some(Recipient { to: Some(to), name, link, portal, .. }) = self.recipient(case).await? else {
            return Ok(vec![]);
        };
        let org = self.board().await.0;
        let survey = portal && news == CaseNews::Answer;
        let letter =
            CaseLetter { survey, link: link.as_deref(), ..CaseLetter::about(case, name.as_deref(), news, text, &org) };
        let custom = self.letter_template(letter.template_kind()).await?;
        Ok(vec![self.citizen_mail(kind, &to, letter.text_with(custom.as_ref())?)?])
    }

    async fn recipient(&self, case: &Case) -> Result<Option<Recipient>, AppError> {
        if let Some(record) = self.store.submission_by_case(case.id).await? {
            let sub = &record.submission;
            let link = match sub.mail_to() {
                Some(_) => Some(self.tracking_link(sub.id).await?),
                None => None,
            };
            let to = sub.mail_to().cloned();
            return Ok(Some(Recipient { to, name: sub.name.clone(), address: vec![], link, portal: true }));
        }
        let Some(customer) = case.customer_id else { return Ok(None) };
        let Some(c) = self.store.customer(customer).await? else { return Ok(None) };
        let d = &c.details;
        let street = [d.street.clone(), d.house_number.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        let city = [d.postcode.as_ref().map(|p| p.to_string()), d.city.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("  ");
        let address = [street, city].into_iter().filter(|l| !l.is_empty()).collect();
        Ok(Some(Recipient { to: d.email.clone(), name: c.name.clone(), address, link: None, portal: false }))
    }
}
