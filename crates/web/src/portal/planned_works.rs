//! The activity calendar for citizens (werkzaamheden): the works that run now or start later,
//! search by postcode or place, and e-mail subscriptions with double opt-in and a one-click
//! unsubscribe (also RFC 8058 `List-Unsubscribe=One-Click` from a mail program).
//!
//! Everything works without JavaScript. The subscribe form has the portal's protection
//! (double-submit cookie, honeypot, rate limit per address); its answer is the same whether or
//! not the address was subscribed already.

use super::{
    Attempt, Errors, FormError, HONEYPOT, PublicForm, csrf_ok, failure, form_token, message, organisation_name,
    rate_limited, with_cookie,
};
use crate::AppState;
use crate::layers::ClientIp;
use crate::workspace::CsrfOnly;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use gastvrij_app::Page;
use gastvrij_app::portal::PortalError;
use gastvrij_domain::ids::PlannedWorkId;
use gastvrij_domain::planned_works::{PlannedWork, Subscription, SubscriptionForm, SubscriptionState, WorkSearch};
use serde::Deserialize;

/// Works per page of the list.
const PER_PAGE: u32 = 20;
/// Characters of "what" and "why" shown in a list; the work's own page shows all.
const SHORT_TEXT: usize = 400;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkzaamheden", get(list))
        .route("/werkzaamheden/werk/{id}", get(work_page))
        .route("/werkzaamheden/aanmelden", get(subscribe_form).post(subscribe))
        .route("/werkzaamheden/aanmelden/verstuurd", get(check_your_mail))
        .route("/werkzaamheden/aanmelding/{token}", get(confirm_page).post(confirm))
        .route("/werkzaamheden/afmelden/{token}", get(unsubscribe_page).post(unsubscribe))
        .layer(DefaultBodyLimit::max(16 * 1024))
}

/// A short text for a list: at most `SHORT_TEXT` characters, cut at a word.
fn shortened(text: &str) -> (String, bool) {
    if text.chars().count() <= SHORT_TEXT {
        return (text.to_string(), false);
    }
    let cut: String = text.chars().take(SHORT_TEXT).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    (format!("{}…", cut.trim_end()), true)
}

/// A text's paragraphs (split at empty lines); the template keeps the lines within each.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::to_string).collect()
}

/// One work as citizens see it (`templates/public/planned_works/work.html`).
struct WorkView {
    id: String,
    title: String,
    phase: &'static str,
    period: String,
    area: String,
    what: Vec<String>,
    why: Vec<String>,
    contact: String,
    /// Every word shown, with the title as the page's heading; else long texts are cut.
    full: bool,
    /// A text was cut: link to the work's own page.
    cut: bool,
}

impl WorkView {
    fn of(w: &PlannedWork, today: jiff::civil::Date, full: bool) -> Self {
        let (what, cut_what) = if full { (w.what.clone(), false) } else { shortened(&w.what) };
        let (why, cut_why) = if full { (w.why.clone(), false) } else { shortened(&w.why) };
        Self {
            id: w.id.to_string(),
            title: w.title.clone(),
            phase: w.phase(today).label(),
            period: w.period_in_words(),
            area: w.area.clone(),
            what: paragraphs(&what),
            why: paragraphs(&why),
            contact: w.contact.clone(),
            full,
            cut: cut_what || cut_why,
        }
    }
}

/// `?postcode=` on the list's link, encoded.
fn with_postcode(path: &str, postcode: &str) -> String {
    let value: String = postcode
        .trim()
        .bytes()
        .take(100)
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            other => format!("%{other:02X}"),
        })
        .collect();
    if value.is_empty() { path.to_string() } else { format!("{path}?postcode={value}") }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    pagina: Option<u32>,
}

/// What the list shows under the search form.
enum Shown {
    /// The works found for a postcode or place.
    Found { place: String, works: Vec<WorkView> },
    /// All works, by page.
    All { works: Vec<WorkView>, previous: Option<u32>, next: Option<u32> },
    /// Nothing: the search was refused.
    Nothing,
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/planned_works/list.html")]
struct ListPage<'a> {
    org: String,
    errors: Errors<'a>,
    typed: &'a str,
    subscribe_link: String,
    shown: Shown,
}

async fn list(State(s): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    let today = match s.app.today().await {
        Ok(t) => t,
        Err(e) => return failure(&s, &e, Attempt::Show).await,
    };
    let typed: String = q.postcode.chars().take(100).collect();
    let (errors, results) = match s.app.search_planned_works(&typed).await {
        Ok(found) => (vec![], found),
        Err(PortalError::Invalid(errors)) => (FormError::worded(&errors, PublicForm::Works), None),
        Err(PortalError::App(e)) => return failure(&s, &e, Attempt::Show).await,
    };
    let shown = match results {
        Some(found) => Shown::Found {
            place: match &found.search {
                WorkSearch::Postcode(d) => format!("postcode {d}"),
                WorkSearch::Place(p) => p.clone(),
            },
            works: found.works.iter().take(PER_PAGE as usize).map(|w| WorkView::of(w, today, false)).collect(),
        },
        None if errors.is_empty() => {
            let page = q.pagina.unwrap_or(1).clamp(1, 1000);
            let works =
                match s.app.public_planned_works(Page { limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE }).await {
                    Ok(w) => w,
                    Err(e) => return failure(&s, &e, Attempt::Show).await,
                };
            Shown::All {
                previous: (page > 1).then(|| page - 1),
                next: (works.len() > PER_PAGE as usize).then_some(page + 1),
                works: works.iter().take(PER_PAGE as usize).map(|w| WorkView::of(w, today, false)).collect(),
            }
        }
        None => Shown::Nothing,
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        org: organisation_name(&s).await,
        errors: Errors(&errors),
        typed: &typed,
        subscribe_link: with_postcode("/werkzaamheden/aanmelden", &typed),
        shown,
    };
    (status, page).into_response()
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/planned_works/one.html")]
struct WorkPage {
    org: String,
    w: WorkView,
}

async fn work_page(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let work = match id.parse::<PlannedWorkId>() {
        Ok(id) => s.app.public_planned_work(id).await,
        Err(_) => Err(gastvrij_app::AppError::NotFound("planned work")),
    };
    let (work, today) = match (work, s.app.today().await) {
        (Ok(w), Ok(t)) => (w, t),
        (Err(e), _) | (_, Err(e)) => return failure(&s, &e, Attempt::Show).await,
    };
    WorkPage { org: organisation_name(&s).await, w: WorkView::of(&work, today, true) }.into_response()
}

#[derive(Deserialize, Default)]
struct Prefill {
    #[serde(default)]
    postcode: String,
}

async fn subscribe_form(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Prefill>) -> Response {
    // A place name from the search is no postcode: leave the field empty then.
    let postcode = if gastvrij_domain::planned_works::postcode_digits(&q.postcode).is_some() {
        q.postcode.chars().take(10).collect()
    } else {
        String::new()
    };
    let form = SubscriptionForm { email: String::new(), postcode };
    show_form(&s, &headers, &form, &[], StatusCode::OK).await
}

async fn show_form(
    s: &AppState,
    headers: &HeaderMap,
    form: &SubscriptionForm,
    errors: &[FormError],
    status: StatusCode,
) -> Response {
    let (token, set_cookie) = form_token(headers);
    let page = SubscribePage { org: organisation_name(s).await, errors: Errors(errors), form, token };
    with_cookie((status, page).into_response(), set_cookie)
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/planned_works/subscribe.html")]
struct SubscribePage<'a> {
    org: String,
    errors: Errors<'a>,
    form: &'a SubscriptionForm,
    token: String,
}

#[derive(Deserialize, Default)]
struct SubscribeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    postcode: String,
    #[serde(default, rename = "website")]
    honeypot: String,
}

async fn subscribe(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<SubscribeForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        let e = FormError::new(
            "email",
            "Het formulier kwam niet goed aan. Vul het opnieuw in en verstuur het nog een keer.",
        );
        return show_form(&s, &headers, &SubscriptionForm::default(), &[e], StatusCode::BAD_REQUEST).await;
    };
    let typed = SubscriptionForm {
        email: f.email.chars().take(300).collect(),
        postcode: f.postcode.chars().take(20).collect(),
    };
    if !csrf_ok(&headers, &f.csrf) {
        let e = FormError::new(
            "email",
            "Het formulier was verlopen of uw browser weigert cookies. Uw gegevens staan er nog: verstuur het formulier opnieuw.",
        );
        return show_form(&s, &headers, &typed, &[e], StatusCode::FORBIDDEN).await;
    }
    if !f.honeypot.trim().is_empty() {
        let e = FormError::new(
            HONEYPOT,
            "Het veld 'Vul dit veld niet in' is ingevuld. Maak het leeg en verstuur het formulier opnieuw.",
        );
        return show_form(&s, &headers, &typed, &[e], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    match s.app.subscribe_to_works(&typed).await {
        Ok(()) => Redirect::to("/werkzaamheden/aanmelden/verstuurd").into_response(),
        Err(PortalError::Invalid(errors)) => {
            let errors = FormError::worded(&errors, PublicForm::Works);
            show_form(&s, &headers, &typed, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(PortalError::App(e)) => failure(&s, &e, Attempt::Store).await,
    }
}

/// A step of a subscription done.
enum Step {
    CheckMail,
    Confirmed { postcode: String, link: String },
    Unsubscribed(String),
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/planned_works/status.html")]
struct StepPage {
    org: String,
    heading: &'static str,
    step: Step,
}

async fn check_your_mail(State(s): State<AppState>) -> impl IntoResponse {
    StepPage { org: organisation_name(&s).await, heading: "Kijk in uw e-mail", step: Step::CheckMail }
}

/// The two links in a subscription mail. Each opens a page that asks first, and only its button
/// does the step: a mail scanner that follows the link changes nothing. (A mail program may
/// also unsubscribe with one click, RFC 8058.)
#[derive(Clone, Copy)]
enum MailLink {
    Confirm,
    Unsubscribe,
}

impl MailLink {
    /// The subscription the link's token belongs to.
    async fn subscription(self, s: &AppState, token: &str) -> Result<Subscription, gastvrij_app::AppError> {
        match self {
            MailLink::Confirm => s.app.subscription_to_confirm(token).await,
            MailLink::Unsubscribe => s.app.subscription_to_end(token).await,
        }
    }

    /// Do the step.
    async fn step(self, s: &AppState, token: &str) -> Result<Subscription, gastvrij_app::AppError> {
        match self {
            MailLink::Confirm => s.app.confirm_work_subscription(token).await,
            MailLink::Unsubscribe => s.app.unsubscribe_from_works(token).await,
        }
    }

    /// The state of a subscription whose step is done.
    fn done_state(self) -> SubscriptionState {
        match self {
            MailLink::Confirm => SubscriptionState::Confirmed,
            MailLink::Unsubscribe => SubscriptionState::Unsubscribed,
        }
    }

    async fn done_page(self, s: &AppState, postcode: &gastvrij_domain::values::Postcode) -> Response {
        match self {
            MailLink::Confirm => confirmed_page(s, postcode).await,
            MailLink::Unsubscribe => done_page(s, postcode).await,
        }
    }

    async fn gone_page(self, s: &AppState) -> Response {
        match self {
            MailLink::Confirm => confirm_link_gone(s).await,
            MailLink::Unsubscribe => link_gone(s).await,
        }
    }

    /// The page's heading.
    fn title(self) -> &'static str {
        match self {
            MailLink::Confirm => "Aanmelding bevestigen",
            MailLink::Unsubscribe => "Afmelden",
        }
    }

    /// Where the page's button posts to (before the token).
    fn action(self) -> &'static str {
        match self {
            MailLink::Confirm => "/werkzaamheden/aanmelding",
            MailLink::Unsubscribe => "/werkzaamheden/afmelden",
        }
    }

    fn button(self) -> &'static str {
        match self {
            MailLink::Confirm => "Ja, bevestig mijn aanmelding",
            MailLink::Unsubscribe => "Ja, meld mij af",
        }
    }
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/planned_works/ask.html")]
struct AskPage<'a> {
    org: String,
    link: MailLink,
    postcode: String,
    token: &'a str,
    csrf: String,
}

/// The page a mail link opens: it asks, or says the step was done already.
async fn ask_page(s: &AppState, headers: &HeaderMap, token: &str, link: MailLink) -> Response {
    let sub = match link.subscription(s, token).await {
        Ok(sub) => sub,
        Err(gastvrij_app::AppError::NotFound(_)) => return link.gone_page(s).await,
        Err(e) => return failure(s, &e, Attempt::Show).await,
    };
    if sub.state() == link.done_state() {
        return link.done_page(s, &sub.postcode).await;
    }
    let (csrf, set_cookie) = form_token(headers);
    let page =
        AskPage { org: organisation_name(s).await, link, postcode: sub.postcode.as_str().to_string(), token, csrf };
    with_cookie(page.into_response(), set_cookie)
}

/// The answer to a mail link's button (its form token checked by the caller).
async fn do_step(s: &AppState, token: &str, link: MailLink) -> Response {
    match link.step(s, token).await {
        Ok(sub) => link.done_page(s, &sub.postcode).await,
        Err(gastvrij_app::AppError::NotFound(_)) => link.gone_page(s).await,
        Err(e) => failure(s, &e, Attempt::Store).await,
    }
}

/// A mail link's button pressed on a page whose form token no longer matches.
async fn page_expired(s: &AppState) -> Response {
    message(
        s,
        StatusCode::FORBIDDEN,
        "Dat ging niet goed",
        "De pagina was verlopen of uw browser weigert cookies. Klik nog een keer op de link in de e-mail en \
         daarna op de knop.",
    )
    .await
}

async fn confirm_page(State(s): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    ask_page(&s, &headers, &token, MailLink::Confirm).await
}

async fn confirm(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: Result<Form<CsrfOnly>, axum::extract::rejection::FormRejection>,
) -> Response {
    let csrf = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if !csrf_ok(&headers, &csrf) {
        return page_expired(&s).await;
    }
    do_step(&s, &token, MailLink::Confirm).await
}

async fn confirmed_page(s: &AppState, postcode: &gastvrij_domain::values::Postcode) -> Response {
    StepPage {
        org: organisation_name(s).await,
        heading: "Uw aanmelding is bevestigd",
        step: Step::Confirmed {
            postcode: postcode.as_str().to_string(),
            link: with_postcode("/werkzaamheden", postcode.as_str()),
        },
    }
    .into_response()
}

async fn confirm_link_gone(s: &AppState) -> Response {
    message(
        s,
        StatusCode::NOT_FOUND,
        "Deze link werkt niet (meer)",
        "Misschien hebt u zich daarna opnieuw aangemeld of afgemeld: dan werkt alleen de link in de nieuwste \
         e-mail. Meld u anders opnieuw aan via de pagina Werkzaamheden.",
    )
    .await
}

async fn link_gone(s: &AppState) -> Response {
    message(
        s,
        StatusCode::NOT_FOUND,
        "Deze link werkt niet (meer)",
        "Gebruik de link om af te melden in de nieuwste e-mail van ons. Elke nieuwe e-mail heeft een nieuwe link.",
    )
    .await
}

async fn unsubscribe_page(State(s): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    ask_page(&s, &headers, &token, MailLink::Unsubscribe).await
}

async fn done_page(s: &AppState, postcode: &gastvrij_domain::values::Postcode) -> Response {
    StepPage {
        org: organisation_name(s).await,
        heading: "U bent afgemeld",
        step: Step::Unsubscribed(postcode.as_str().to_string()),
    }
    .into_response()
}

/// The fields of a form body, URL-encoded (a browser's button) or multipart (some mail programs).
fn form_fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        // Each part: headers with name="…", an empty line, the value.
        return text
            .split("Content-Disposition:")
            .skip(1)
            .filter_map(|part| {
                let name = part.split("name=\"").nth(1)?.split('"').next()?.to_string();
                let value = part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n"))?.1;
                let value = value.split("\r\n--").next().unwrap_or(value).trim().to_string();
                Some((name, value))
            })
            .collect();
    }
    let decode = |s: &str| -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

async fn unsubscribe(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let fields = form_fields(&headers, &body);
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    // RFC 8058: a mail program posts List-Unsubscribe=One-Click; the token is the secret.
    let one_click = field("List-Unsubscribe") == "One-Click";
    if !one_click && !csrf_ok(&headers, field("csrf")) {
        return page_expired(&s).await;
    }
    do_step(&s, &token, MailLink::Unsubscribe).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_are_read_url_encoded_and_multipart() {
        let none = HeaderMap::new();
        let fields = form_fields(&none, b"List-Unsubscribe=One-Click&csrf=ab%2Fc+d");
        assert_eq!(fields, vec![("List-Unsubscribe".into(), "One-Click".into()), ("csrf".into(), "ab/c d".into())]);
        assert_eq!(form_fields(&none, b"a=%zz&b=%4"), vec![("a".into(), "%zz".into()), ("b".into(), "%4".into())]);
        let mut multi = HeaderMap::new();
        multi.insert(header::CONTENT_TYPE, "multipart/form-data; boundary=x".parse().unwrap());
        let body = b"--x\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--x--\r\n";
        assert_eq!(form_fields(&multi, body), vec![("List-Unsubscribe".into(), "One-Click".into())]);
    }

    #[test]
    fn long_texts_are_cut_at_a_word_in_lists() {
        let (short, cut) = shortened("kort");
        assert_eq!((short.as_str(), cut), ("kort", false));
        let long = "woord ".repeat(100);
        let (short, cut) = shortened(&long);
        assert!(cut && short.ends_with("woord…") && short.chars().count() <= SHORT_TEXT + 1);
    }
}
