//! The contact screen (`templates/staff/contact/page.html`): what it shows of a contact, its
//! customer (or the customer search), its questions with their consultations and cases, and the
//! question form; drawn again with the error and the kept input after a step that failed.

use super::contact::{OTHER_BODIES, QuestionForm, ShowQuery, outcome_label, state_label};
use super::planned_works::ContactWorks;
use super::{Choice, Frame, Page, choices};
use crate::AppState;
use gastvrij_app::AppError;
use gastvrij_app::Page as Paging;
use gastvrij_app::ports::CustomerQuery;
use gastvrij_app::workspace::{ContactScreen, CustomerSide};
use gastvrij_domain::case::CaseType;
use gastvrij_domain::contact::ContactState;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{ConsultationId, ContactId, CustomerId, QuestionId};
use gastvrij_domain::values::Postcode;

/// `templates/staff/contact/page.html` (with `customer.html`, `questions.html` and
/// `question_form.html`).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/contact/page.html")]
pub(super) struct ContactPage<'a> {
    frame: Frame,
    id: ContactId,
    channel: String,
    started: String,
    waiting: Option<u32>,
    state: &'static str,
    pub(super) error: Option<String>,
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
    id: CustomerId,
    name: String,
    /// Every segment, and whether the customer is in it.
    segments: Vec<(&'static str, bool)>,
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

pub(super) async fn contact_page<'a>(
    s: &AppState,
    page: &Page,
    id: ContactId,
    q: &'a ShowQuery,
    form: Option<&QuestionForm>,
) -> Result<ContactPage<'a>, AppError> {
    let who = &page.0.principal;
    let app = &s.app;
    let screen = app.contact_screen(who, id).await?;
    let ContactScreen { contact, teams, topics, cases, consultations, customer } = screen;

    let (card, search) = match customer {
        Some(side) => (Some(customer_card(app, side)), None),
        None => (None, Some(customer_search(s, page, q.klant.as_deref().unwrap_or("")).await?)),
    };

    let questions = contact
        .questions
        .iter()
        .map(|question| {
            let case = question.case_id.and_then(|case_id| cases.iter().find(|c| c.id == case_id)).map(|c| {
                let team = teams.iter().find(|t| t.id == c.team_id).map(|t| t.name.clone()).unwrap_or_default();
                let due = app.case_due_phrase(c).unwrap_or_default();
                CaseLine { reference: c.reference.clone(), team, due }
            });
            QuestionView {
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
            }
        })
        .collect();

    let form = (contact.state == ContactState::Open).then(|| question_form(form, &teams, &topics));
    let works = super::planned_works::contact_section(s, page, contact.id).await;
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
fn customer_card(app: &gastvrij_app::App, side: CustomerSide) -> CustomerCard {
    let CustomerSide { customer, earlier, open_cases } = side;
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
    let earlier = earlier
        .iter()
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
    let cases = open_cases
        .iter()
        .map(|c| {
            let due = app.case_due_phrase(c).unwrap_or_default();
            format!("{} — {} ({}, {})", c.reference, c.subject, c.status.label(), due)
        })
        .collect();
    CustomerCard {
        id: customer.id,
        segments: Segment::ALL.iter().map(|s| (s.code(), customer.segments.contains(s))).collect(),
        name: customer.name.clone().unwrap_or_else(|| "Anonieme klant".into()),
        facts: facts.join(" · "),
        earlier,
        cases,
    }
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
