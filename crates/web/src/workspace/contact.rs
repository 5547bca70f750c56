//! Contacts in the workspace: start one, find or create the customer, record questions with
//! their outcome (answered, consulted, handed over, forwarded), park, resume and close.

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
use gastvrij_app::ports::ContactQuery;
use gastvrij_app::workspace::{HandoverInput, QuestionOutcome, RecordQuestion};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, ContactState, Line, Outcome, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind};
use gastvrij_domain::ids::{ContactId, CustomerId, QuestionId, TeamId, TopicId};
use gastvrij_domain::values::{Email, KvkNumber, PhoneNumber, Postcode};
use gastvrij_domain::{Format, Invalid};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek", get(start))
        .route("/werkplek/contacten", post(create))
        .route("/werkplek/contacten/{id}", get(show))
        .route("/werkplek/contacten/{id}/klant", post(link_customer))
        .route("/werkplek/contacten/{id}/nieuwe-klant", post(new_customer))
        .route("/werkplek/contacten/{id}/segment", post(set_segments))
        .route("/werkplek/contacten/{id}/vragen", post(add_question))
        .route("/werkplek/contacten/{id}/vragen/{question}/beantwoord", post(answered_after_consult))
        .route("/werkplek/contacten/{id}/vragen/{question}/bevestigd", post(forward_confirmed))
        .route("/werkplek/contacten/{id}/{action}", post(change_state))
}

/// Bodies the water board forwards to, with the warm handover.
pub const OTHER_BODIES: [&str; 4] = ["gemeente", "provincie", "Rijkswaterstaat", "drinkwaterbedrijf"];

pub(super) fn outcome_label(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::Answered) => "Beantwoord (eerste lijn)",
        Some(Outcome::AnsweredAfterConsult) => "Beantwoord na ruggespraak (tweede lijn)",
        Some(Outcome::HandedOver) => "Overgedragen (derde lijn)",
        Some(Outcome::Forwarded) => "Doorgestuurd naar een andere organisatie",
        Some(Outcome::NotAnswered) => "Niet beantwoord",
        None => "Wacht op ruggespraak",
    }
}

pub(super) fn state_label(s: ContactState) -> &'static str {
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
        let waiting_seconds = match f.waiting_seconds.trim() {
            "" => None,
            w => Some(w.parse::<u32>().map_err(|_| Invalid::malformed("waiting_seconds", w, Format::WholeNumber))?),
        };
        Ok(ContactInput { waiting_seconds, ..ContactInput::on(channel) })
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
pub(super) struct ShowQuery {
    /// Customer search text.
    #[serde(default)]
    pub(super) klant: Option<String>,
    /// A message after a step, e.g. the reference of a new case.
    #[serde(default)]
    pub(super) melding: Option<String>,
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
pub(super) struct QuestionForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) text: String,
    #[serde(default)]
    pub(super) answer: String,
    #[serde(default)]
    pub(super) topic_id: String,
    #[serde(default)]
    pub(super) outcome: String,
    #[serde(default)]
    pub(super) team_id: String,
    #[serde(default)]
    pub(super) case_type: String,
    #[serde(default)]
    pub(super) forwarded_to: String,
    #[serde(default)]
    pub(super) note: String,
    #[serde(default)]
    pub(super) urgent: Option<String>,
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
    match super::contact_screen::contact_page(s, page, id, q, form).await {
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
            Err(_) => return error_page(&Invalid::malformed("customer_id", c, Format::Uuid).into()),
        },
    };
    match s.app.link_contact_customer(&page.0.principal, id, customer).await {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some((&e, Saved::Nothing)), None).await,
    }
}

/// The customer card's segment form: the CSRF token, the customer and every segment ticked.
async fn set_segments(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let value = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    if let Some(r) = page.refuse_bad_csrf(value("csrf")) {
        return r;
    }
    let customer = match value("customer_id").trim().parse::<CustomerId>() {
        Ok(c) => c,
        Err(e) => return error_page(&e.into()),
    };
    let segments: Result<Vec<gastvrij_domain::customer::Segment>, _> =
        pairs.iter().filter(|(k, _)| k == "segment").map(|(_, v)| v.parse()).collect();
    let result = match segments {
        Ok(segments) => s.app.set_customer_segments(&page.0.principal, customer, segments).await.map(|_| ()),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
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

fn opt_id<T: std::str::FromStr>(v: &str, field: &'static str, _what: &str) -> Result<Option<T>, Invalid> {
    match v.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| Invalid::unknown_id(field, v)),
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

/// Record the question with its outcome (one `App` call, one transaction); returns a message
/// for the agent (e.g. the reference to give the customer). On an error nothing is stored.
async fn record_question(
    s: &AppState,
    page: &Page,
    id: ContactId,
    f: &QuestionForm,
) -> Result<Option<String>, (AppError, Saved)> {
    let nothing = |e: AppError| (e, Saved::Nothing);
    let who = &page.0.principal;
    let app = &s.app;
    let topic_id: Option<TopicId> = opt_id(&f.topic_id, "topic_id", "a topic").map_err(|e| nothing(e.into()))?;
    let team_id: Option<TeamId> = opt_id(&f.team_id, "team_id", "a team").map_err(|e| nothing(e.into()))?;
    let answer = Some(f.answer.trim().to_string()).filter(|a| !a.is_empty());
    let input = QuestionInput {
        topic_id,
        text: f.text.clone(),
        answer: answer.clone(),
        outcome: None,
        line: None,
        forwarded_to: None,
    };
    let outcome = match (f.outcome.as_str(), team_id) {
        ("answered", _) => QuestionOutcome::Answered,
        ("not_answered", _) => QuestionOutcome::NotAnswered,
        ("forwarded", _) => QuestionOutcome::Forward { to: f.forwarded_to.clone() },
        ("consult" | "handed_over", None) => return Err(nothing(Invalid::empty("team_id").into())),
        ("consult", Some(team)) => {
            let question = answer
                .clone()
                .map(|a| format!("{}\n\nToelichting: {a}", f.text.trim()))
                .unwrap_or_else(|| f.text.trim().to_string());
            QuestionOutcome::Consult { team, question }
        }
        ("handed_over", Some(team)) => QuestionOutcome::HandOver(HandoverInput {
            team_id: team,
            case_type: f.case_type.parse().map_err(|e: Invalid| nothing(e.into()))?,
            note: Some(f.note.clone()).filter(|n| !n.trim().is_empty()).or(answer),
            urgent: f.urgent.is_some(),
        }),
        _ => return Err(nothing(Invalid::empty("outcome").into())),
    };
    let recorded = app.record_question(who, id, RecordQuestion { input, outcome }).await.map_err(nothing)?;
    if let Some(case) = recorded.case {
        let due = case.timing.deadlines.as_ref().map(|d| app.local_time(d.service_norm)).unwrap_or_default();
        return Ok(Some(format!(
            "Overgedragen als zaak {}. Geef de klant dit kenmerk; reactie uiterlijk {due}.",
            case.reference
        )));
    }
    if recorded.consultation.is_some() {
        return Ok(Some("Ruggespraak gevraagd. Het antwoord verschijnt op dit scherm.".into()));
    }
    Ok(None)
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
