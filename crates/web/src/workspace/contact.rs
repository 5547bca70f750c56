//! Contacts in the workspace: start one, find or create the customer, record questions with
//! their outcome (answered, consulted, handed over, forwarded), park, resume and close.

use super::works::ContactWorks;
use super::{
    AnswerForm, Choice, CsrfOnly, Frame, Page, Saved, choices, error_page, error_page_after, explain, status_of,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::Page as Paging;
use gastvrij_app::ports::{CaseQuery, ConsultationQuery, ContactQuery, CustomerQuery};
use gastvrij_app::workspace::HandoverInput;
use gastvrij_domain::Invalid;
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, ContactState, Line, Outcome, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind};
use gastvrij_domain::ids::{ConsultationId, ContactId, CustomerId, QuestionId, TeamId, TopicId};
use gastvrij_domain::knowledge::ConsultationInput;
use gastvrij_domain::values::{Email, KvkNumber, PhoneNumber, Postcode};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek", get(start))
        .route("/werkplek/contacten", post(create))
        .route("/werkplek/contacten/{id}", get(show))
        .route("/werkplek/contacten/{id}/klant", post(link_customer))
        .route("/werkplek/contacten/{id}/nieuwe-klant", post(new_customer))
        .route("/werkplek/contacten/{id}/vragen", post(add_question))
        .route("/werkplek/contacten/{id}/vragen/{question}/beantwoord", post(answered_after_consult))
        .route("/werkplek/contacten/{id}/vragen/{question}/bevestigd", post(forward_confirmed))
        .route("/werkplek/contacten/{id}/{action}", post(change_state))
}

/// Bodies the water board forwards to, with the warm handover.
pub const OTHER_BODIES: [&str; 4] = ["gemeente", "provincie", "Rijkswaterstaat", "drinkwaterbedrijf"];

fn outcome_label(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::Answered) => "Beantwoord (eerste lijn)",
        Some(Outcome::AnsweredAfterConsult) => "Beantwoord na ruggespraak (tweede lijn)",
        Some(Outcome::HandedOver) => "Overgedragen (derde lijn)",
        Some(Outcome::Forwarded) => "Doorgestuurd naar een andere organisatie",
        Some(Outcome::NotAnswered) => "Niet beantwoord",
        None => "Wacht op ruggespraak",
    }
}

fn state_label(s: ContactState) -> &'static str {
    match s {
        ContactState::Open => "open",
        ContactState::Parked => "geparkeerd",
        ContactState::Closed => "afgesloten",
    }
}

/// `templates/staff/contact/start.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/contact/start.html")]
struct StartPage {
    frame: Frame,
    channels: Vec<Choice>,
    open: Vec<OpenContact>,
}

struct OpenContact {
    id: ContactId,
    channel: &'static str,
    started: String,
    state: &'static str,
    questions: usize,
}

async fn start(State(s): State<AppState>, page: Page) -> Response {
    let who = &page.0.principal;
    let mine = ContactQuery { agent_id: who.employee_id(), page: Paging::first(20), ..Default::default() };
    let contacts = match s.app.contacts(who, &mine).await {
        Ok(c) => c,
        Err(e) => return error_page(&e),
    };
    let open = contacts
        .iter()
        .filter(|c| c.state != ContactState::Closed)
        .map(|c| OpenContact {
            id: c.id,
            channel: c.channel.label(),
            started: s.app.local_time(c.started_at),
            state: state_label(c.state),
            questions: c.questions.len(),
        })
        .collect();
    let channels = choices(Channel::ALL.iter().map(|c| (c.code(), c.label())), "telefoon");
    StartPage { frame: page.frame("Werkplek"), channels, open }.into_response()
}

#[derive(Deserialize)]
struct NewContact {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    waiting_seconds: String,
}

async fn create(State(s): State<AppState>, page: Page, Form(f): Form<NewContact>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let parsed = (|| -> Result<ContactInput, Invalid> {
        let channel: Channel = f.channel.parse()?;
        let waiting_seconds =
            match f.waiting_seconds.trim() {
                "" => None,
                w => Some(w.parse::<u32>().map_err(|_| {
                    Invalid::new("waiting_seconds", "write the waiting time as a whole number of seconds")
                })?),
            };
        Ok(ContactInput {
            channel,
            customer_id: None,
            agent_id: None,
            started_at: None,
            ended_at: None,
            waiting_seconds,
            questions: vec![],
        })
    })();
    let result = match parsed {
        Ok(input) => s.app.create_contact(&page.0.principal, input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(c) => Redirect::to(&format!("/werkplek/contacten/{}", c.id)).into_response(),
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    /// Customer search text.
    #[serde(default)]
    klant: Option<String>,
    /// A message after a step, e.g. the reference of a new case.
    #[serde(default)]
    melding: Option<String>,
}

async fn show(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Query(q): Query<ShowQuery>,
) -> Response {
    render(&s, &page, id, &q, None, None).await
}

/// The values of the question form, kept when it comes back with an error.
#[derive(Deserialize, Default, Clone)]
struct QuestionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    topic_id: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    case_type: String,
    #[serde(default)]
    forwarded_to: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    urgent: Option<String>,
}

/// `templates/staff/contact/page.html` (with `customer.html`, `questions.html` and
/// `question_form.html`).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/contact/page.html")]
struct ContactPage<'a> {
    frame: Frame,
    id: ContactId,
    channel: String,
    started: String,
    waiting: Option<u32>,
    state: &'static str,
    error: Option<String>,
    notice: Option<&'a str>,
    /// The chosen customer, or else the customer search.
    card: Option<CustomerCard>,
    search: Option<CustomerSearch>,
    questions: Vec<QuestionView>,
    /// The form for a new question, while the contact is open.
    form: Option<QuestionFormView>,
    works: Option<ContactWorks>,
    /// Park, resume or close: (form action, button label).
    actions: Vec<(String, &'static str)>,
    /// How long a closed contact took: (minutes, seconds).
    duration: Option<(i64, i64)>,
}

struct CustomerCard {
    name: String,
    facts: String,
    earlier: Vec<String>,
    cases: Vec<String>,
}

struct CustomerSearch {
    text: String,
    /// `None` before a search.
    found: Option<Vec<FoundCustomer>>,
}

struct FoundCustomer {
    id: CustomerId,
    name: String,
    address: String,
}

struct QuestionView {
    id: QuestionId,
    text: String,
    outcome: &'static str,
    /// No outcome yet: waiting for a consultation.
    open: bool,
    answer: Option<String>,
    forwarded_to: Option<String>,
    confirmed_at: Option<String>,
    case: Option<CaseLine>,
    consults: Vec<ConsultLine>,
}

struct CaseLine {
    reference: String,
    team: String,
    due: String,
}

struct ConsultLine {
    id: ConsultationId,
    answer: Option<String>,
    article: bool,
}

struct QuestionFormView {
    text: String,
    answer: String,
    note: String,
    urgent: bool,
    topics: Vec<Choice>,
    outcomes: Vec<Choice>,
    teams: Vec<Choice>,
    case_types: Vec<Choice>,
    bodies: Vec<Choice>,
}

/// The contact screen, with `error` (and the kept `form`) after a step that failed.
async fn render(
    s: &AppState,
    page: &Page,
    id: ContactId,
    q: &ShowQuery,
    error: Option<(&AppError, Saved)>,
    form: Option<&QuestionForm>,
) -> Response {
    match contact_page(s, page, id, q, form).await {
        Ok(mut view) => {
            view.error = error.map(|(e, saved)| explain(e, saved));
            let status = error.map(|(e, _)| status_of(e)).unwrap_or(StatusCode::OK);
            (status, view).into_response()
        }
        Err(e) => match error {
            // The step failed and the page cannot be drawn either: the step's error counts.
            Some((first, saved)) => {
                explain(&e, Saved::Nothing);
                error_page_after(first, saved)
            }
            None => error_page(&e),
        },
    }
}

async fn contact_page<'a>(
    s: &AppState,
    page: &Page,
    id: ContactId,
    q: &'a ShowQuery,
    form: Option<&QuestionForm>,
) -> Result<ContactPage<'a>, AppError> {
    let who = &page.0.principal;
    let app = &s.app;
    let contact = app.contact(who, id).await?;
    let teams = app.teams(who).await?;
    let topics = app.topics(who).await?;

    let (card, search) = match contact.customer_id {
        Some(customer_id) => (Some(customer_card(s, page, &contact, customer_id).await?), None),
        None => (None, Some(customer_search(s, page, q.klant.as_deref().unwrap_or("")).await?)),
    };

    let mut questions = Vec::with_capacity(contact.questions.len());
    if !contact.questions.is_empty() {
        let consultations = app
            .consultations(
                who,
                &ConsultationQuery { asked_by: who.employee_id(), page: Paging::first(200), ..Default::default() },
            )
            .await?;
        for question in &contact.questions {
            let mut case = None;
            if let Some(case_id) = question.case_id
                && let Ok(c) = app.case(who, case_id).await
            {
                let team = teams.iter().find(|t| t.id == c.team_id).map(|t| t.name.clone()).unwrap_or_default();
                let due = c.timing.deadlines.as_ref().map(|d| app.due_phrase(d.service_norm)).unwrap_or_default();
                case = Some(CaseLine { reference: c.reference, team, due });
            }
            questions.push(QuestionView {
                id: question.id,
                text: question.text.clone(),
                outcome: outcome_label(question.outcome),
                open: question.outcome.is_none(),
                answer: question.answer.clone(),
                forwarded_to: question.forwarded_to.clone(),
                confirmed_at: question.forward_confirmed_at.map(|at| app.local_time(at)),
                case,
                consults: consultations
                    .iter()
                    .filter(|c| c.question_id == Some(question.id))
                    .map(|c| ConsultLine { id: c.id, answer: c.answer.clone(), article: c.article_id.is_some() })
                    .collect(),
            });
        }
    }

    let form = (contact.state == ContactState::Open).then(|| question_form(form, &teams, &topics));
    let works = super::works::contact_section(s, page, contact.id).await;
    let action = |a: &str, label: &'static str| (format!("/werkplek/contacten/{}/{a}", contact.id), label);
    let (actions, duration) = match contact.state {
        ContactState::Open => (vec![action("parkeren", "Parkeren"), action("afsluiten", "Contact afsluiten")], None),
        ContactState::Parked => (vec![action("hervatten", "Hervatten")], None),
        ContactState::Closed => {
            let duration = contact.ended_at.map(|end| {
                let secs = end.duration_since(contact.started_at).as_secs().max(0);
                (secs / 60, secs % 60)
            });
            (vec![], duration)
        }
    };
    Ok(ContactPage {
        frame: page.frame("Contact"),
        id: contact.id,
        channel: contact.channel.label().to_lowercase(),
        started: app.local_time(contact.started_at),
        waiting: contact.waiting_seconds,
        state: state_label(contact.state),
        error: None,
        notice: q.melding.as_deref(),
        card,
        search,
        questions,
        form,
        works,
        actions,
        duration,
    })
}

/// The chosen customer: how to reach them, their last five other contacts and open cases.
async fn customer_card(
    s: &AppState,
    page: &Page,
    contact: &Contact,
    customer_id: CustomerId,
) -> Result<CustomerCard, AppError> {
    let who = &page.0.principal;
    let app = &s.app;
    let customer = app.customer(who, customer_id).await?;
    let d = &customer.details;
    let mut facts = vec![];
    if let (Some(p), Some(h)) = (&d.postcode, &d.house_number) {
        facts.push(format!("{} {}", p.as_str(), h));
    }
    if let Some(e) = &d.email {
        facts.push(e.as_str().to_string());
    }
    if let Some(p) = &d.phone {
        facts.push(p.as_str().to_string());
    }
    if let Some(k) = &d.kvk_number {
        facts.push(format!("KvK {}", k.as_str()));
    }
    let earlier = app
        .contacts(who, &ContactQuery { customer_id: Some(customer_id), page: Paging::first(6), ..Default::default() })
        .await?;
    let earlier = earlier
        .iter()
        .filter(|c| c.id != contact.id)
        .take(5)
        .map(|c| {
            let first = c.questions.first().map(|q| q.text.as_str()).unwrap_or("(geen vraag)");
            format!(
                "{} via {}: {}",
                app.local_time(c.started_at),
                c.channel.label().to_lowercase(),
                first.chars().take(120).collect::<String>()
            )
        })
        .collect();
    let open_cases =
        CaseQuery { customer_id: Some(customer_id), open_only: true, page: Paging::first(10), ..Default::default() };
    let cases = app
        .cases(who, &open_cases)
        .await?
        .iter()
        .map(|c| {
            let due = c.timing.deadlines.as_ref().map(|d| app.due_phrase(d.service_norm)).unwrap_or_default();
            format!("{} — {} ({}, {})", c.reference, c.subject, c.status.label(), due)
        })
        .collect();
    Ok(CustomerCard {
        name: customer.name.clone().unwrap_or_else(|| "Anonieme klant".into()),
        facts: facts.join(" · "),
        earlier,
        cases,
    })
}

/// The customer search: by name, e-mail, phone or KvK number, or by postcode and house number
/// ("2611 AB 12").
async fn customer_search(s: &AppState, page: &Page, text: &str) -> Result<CustomerSearch, AppError> {
    if text.trim().is_empty() {
        return Ok(CustomerSearch { text: text.to_string(), found: None });
    }
    let mut query = CustomerQuery { page: Paging::first(10), ..Default::default() };
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined: String = words.iter().take(2).copied().collect();
    if words.len() >= 2
        && let Ok(p) = Postcode::parse(&joined)
    {
        query.postcode = Some(p.as_str().to_string());
        query.house_number = words.get(2).map(|h| h.to_string());
    } else if let Ok(p) = Postcode::parse(words.first().copied().unwrap_or("")) {
        query.postcode = Some(p.as_str().to_string());
        query.house_number = words.get(1).map(|h| h.to_string());
    } else {
        query.text = Some(text.trim().to_string());
    }
    let found = s
        .app
        .customers(&page.0.principal, &query)
        .await?
        .into_iter()
        .map(|c| {
            let d = &c.details;
            let address = match (&d.postcode, &d.house_number) {
                (Some(p), Some(h)) => format!("{} {}", p.as_str(), h),
                _ => String::new(),
            };
            FoundCustomer { id: c.id, name: c.name.unwrap_or_else(|| "anonieme klant".into()), address }
        })
        .collect();
    Ok(CustomerSearch { text: text.to_string(), found: Some(found) })
}

/// The question form, with what was typed when it comes back.
fn question_form(
    form: Option<&QuestionForm>,
    teams: &[gastvrij_domain::team::Team],
    topics: &[gastvrij_domain::topic::Topic],
) -> QuestionFormView {
    let f = form.cloned().unwrap_or_default();
    let none = |label: &str| (String::new(), label.to_string());
    let outcome = if f.outcome.is_empty() { "answered" } else { f.outcome.as_str() };
    QuestionFormView {
        topics: choices(
            std::iter::once(none("(geen)")).chain(topics.iter().map(|t| (t.id.to_string(), t.name.clone()))),
            &f.topic_id,
        ),
        outcomes: choices(OUTCOMES, outcome),
        teams: choices(
            std::iter::once(none("(kies een team)")).chain(teams.iter().map(|t| (t.id.to_string(), t.name.clone()))),
            &f.team_id,
        ),
        case_types: choices(
            CaseType::ALL.iter().map(|c| (c.code(), c.label())),
            if f.case_type.is_empty() { "vraag" } else { &f.case_type },
        ),
        bodies: choices(
            std::iter::once(none("(kies)")).chain(OTHER_BODIES.iter().map(|b| (b.to_string(), b.to_string()))),
            &f.forwarded_to,
        ),
        urgent: f.urgent.is_some(),
        text: f.text,
        answer: f.answer,
        note: f.note,
    }
}

/// The outcomes the question form offers.
const OUTCOMES: [(&str, &str); 5] = [
    ("answered", "Beantwoord (eerste lijn)"),
    ("consult", "Ruggespraak vragen aan het team (tweede lijn)"),
    ("handed_over", "Overdragen aan het team als zaak (derde lijn)"),
    ("forwarded", "Doorsturen naar een andere organisatie"),
    ("not_answered", "Niet beantwoord"),
];

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    customer_id: String,
}

async fn link_customer(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Form(f): Form<LinkForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let customer = match f.customer_id.trim() {
        "" => None,
        c => match c.parse::<CustomerId>() {
            Ok(c) => Some(c),
            Err(_) => return error_page(&Invalid::new("customer_id", "is not a customer id").into()),
        },
    };
    match s.app.link_contact_customer(&page.0.principal, id, customer).await {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some((&e, Saved::Nothing)), None).await,
    }
}

#[derive(Deserialize)]
struct CustomerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    house_number: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    kvk_number: String,
}

fn optional<T>(v: &str, parse: impl Fn(&str) -> Result<T, Invalid>) -> Result<Option<T>, Invalid> {
    match v.trim() {
        "" => Ok(None),
        v => parse(v).map(Some),
    }
}

async fn new_customer(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Form(f): Form<CustomerForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let input = (|| -> Result<CustomerInput, Invalid> {
        Ok(CustomerInput {
            kind: Some(if f.kind == "organisatie" { CustomerKind::Organisatie } else { CustomerKind::Persoon }),
            name: Some(f.name.clone()).filter(|n| !n.trim().is_empty()),
            segments: vec![],
            details: ContactDetails {
                email: optional(&f.email, Email::parse)?,
                phone: optional(&f.phone, PhoneNumber::parse)?,
                postcode: optional(&f.postcode, Postcode::parse)?,
                house_number: Some(f.house_number.trim().to_string()).filter(|h| !h.is_empty()),
                kvk_number: optional(&f.kvk_number, KvkNumber::parse)?,
                ..Default::default()
            },
        })
    })();
    let who = &page.0.principal;
    // Two writes: a failure after the customer was created may leave it unlinked.
    let result = match input {
        Ok(input) => match s.app.create_customer(who, input).await {
            Ok(c) => s.app.link_contact_customer(who, id, Some(c.id)).await.map_err(|e| (e, Saved::Maybe)),
            Err(e) => Err((e, Saved::Nothing)),
        },
        Err(e) => Err((e.into(), Saved::Nothing)),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err((e, saved)) => render(&s, &page, id, &ShowQuery::default(), Some((&e, saved)), None).await,
    }
}

fn opt_id<T: std::str::FromStr>(v: &str, field: &'static str, what: &str) -> Result<Option<T>, Invalid> {
    match v.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| Invalid::new(field, format!("choose {what} from the list"))),
    }
}

async fn add_question(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Form(f): Form<QuestionForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match record_question(&s, &page, id, &f).await {
        Ok(message) => {
            let to = format!("/werkplek/contacten/{id}");
            let to = match message {
                Some(m) => super::with_notice(&to, &m),
                None => to,
            };
            Redirect::to(&to).into_response()
        }
        Err((e, saved)) => render(&s, &page, id, &ShowQuery::default(), Some((&e, saved)), Some(&f)).await,
    }
}

/// Record the question with its outcome; returns a message for the agent (e.g. the reference
/// to give the customer). An error says whether the question itself may already be stored:
/// asking the team or handing over comes after it.
async fn record_question(
    s: &AppState,
    page: &Page,
    id: ContactId,
    f: &QuestionForm,
) -> Result<Option<String>, (AppError, Saved)> {
    let nothing = |e: AppError| (e, Saved::Nothing);
    let maybe = |e: AppError| (e, Saved::Maybe);
    let who = &page.0.principal;
    let app = &s.app;
    let topic_id: Option<TopicId> = opt_id(&f.topic_id, "topic_id", "a topic").map_err(|e| nothing(e.into()))?;
    let team_id: Option<TeamId> = opt_id(&f.team_id, "team_id", "a team").map_err(|e| nothing(e.into()))?;
    let answer = Some(f.answer.trim().to_string()).filter(|a| !a.is_empty());
    let mut input = QuestionInput {
        topic_id,
        text: f.text.clone(),
        answer: answer.clone(),
        outcome: None,
        line: None,
        forwarded_to: None,
    };
    match f.outcome.as_str() {
        "answered" => {
            input.outcome = Some(Outcome::Answered);
            input.line = Some(Line::FirstLine);
        }
        "not_answered" => input.outcome = Some(Outcome::NotAnswered),
        "forwarded" => {
            input.outcome = Some(Outcome::Forwarded);
            input.line = Some(Line::ThirdLine);
            input.forwarded_to = Some(f.forwarded_to.clone()).filter(|b| !b.is_empty());
            if input.forwarded_to.is_none() {
                return Err(nothing(
                    Invalid::new("forwarded_to", "choose the organisation the question goes to").into(),
                ));
            }
        }
        "consult" | "handed_over" => {
            if team_id.is_none() {
                return Err(nothing(Invalid::new("team_id", "choose the team to ask or to hand over to").into()));
            }
        }
        _ => return Err(nothing(Invalid::new("outcome", "choose an outcome").into())),
    }
    let case_type: Option<CaseType> = if f.outcome == "handed_over" {
        Some(f.case_type.parse().map_err(|e: Invalid| nothing(e.into()))?)
    } else {
        None
    };
    let contact: Contact = app.add_question(who, id, input).await.map_err(nothing)?;
    let question: QuestionId =
        contact.questions.last().map(|q| q.id).ok_or(AppError::NotFound("question")).map_err(maybe)?;
    match (f.outcome.as_str(), team_id) {
        ("consult", Some(team)) => {
            let ask = answer
                .clone()
                .map(|a| format!("{}\n\nToelichting: {a}", f.text.trim()))
                .unwrap_or_else(|| f.text.trim().to_string());
            app.ask_consultation(
                who,
                ConsultationInput {
                    contact_id: Some(id),
                    question_id: Some(question),
                    to_team: Some(team),
                    to_employee: None,
                    question: ask,
                },
            )
            .await
            .map_err(maybe)?;
            Ok(Some("Ruggespraak gevraagd. Het antwoord verschijnt op dit scherm.".into()))
        }
        ("handed_over", Some(team)) => {
            let note = Some(f.note.clone()).filter(|n| !n.trim().is_empty()).or(answer);
            let (_, case) = app
                .hand_over_question(
                    who,
                    id,
                    question,
                    HandoverInput {
                        team_id: team,
                        case_type: case_type.unwrap_or(CaseType::Vraag),
                        note,
                        urgent: f.urgent.is_some(),
                    },
                )
                .await
                .map_err(maybe)?;
            let due = case.timing.deadlines.as_ref().map(|d| app.local_time(d.service_norm)).unwrap_or_default();
            Ok(Some(format!(
                "Overgedragen als zaak {}. Geef de klant dit kenmerk; reactie uiterlijk {due}.",
                case.reference
            )))
        }
        _ => Ok(None),
    }
}

async fn answered_after_consult(
    State(s): State<AppState>,
    page: Page,
    Path((id, question)): Path<(ContactId, QuestionId)>,
    Form(f): Form<AnswerForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let who = &page.0.principal;
    let result = async {
        let contact = s.app.contact(who, id).await?;
        let q = contact.questions.iter().find(|q| q.id == question).ok_or(AppError::NotFound("question"))?;
        let input = QuestionInput {
            topic_id: q.topic_id,
            text: q.text.clone(),
            answer: Some(f.answer.clone()),
            outcome: Some(Outcome::AnsweredAfterConsult),
            line: Some(Line::SecondLine),
            forwarded_to: None,
        };
        s.app.update_question(who, id, question, input).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some((&e, Saved::Nothing)), None).await,
    }
}

async fn forward_confirmed(
    State(s): State<AppState>,
    page: Page,
    Path((id, question)): Path<(ContactId, QuestionId)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.confirm_forward(&page.0.principal, id, question).await {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some((&e, Saved::Nothing)), None).await,
    }
}

async fn change_state(
    State(s): State<AppState>,
    page: Page,
    Path((id, action)): Path<(ContactId, String)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let who = &page.0.principal;
    let result = match action.as_str() {
        "parkeren" => s.app.park_contact(who, id).await,
        "hervatten" => s.app.resume_contact(who, id).await,
        "afsluiten" => s.app.close_contact(who, id).await,
        _ => {
            return super::message_page(StatusCode::NOT_FOUND, "Onbekende actie", "Deze actie bestaat niet.");
        }
    };
    match result {
        Ok(_) if action == "afsluiten" => Redirect::to("/werkplek").into_response(),
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some((&e, Saved::Nothing)), None).await,
    }
}
