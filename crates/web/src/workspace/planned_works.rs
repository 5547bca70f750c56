//! The activity calendar in the workspace: the KCC sees the same works as citizens, with how
//! many contacts each caused; editors (redacteur, teamleider, beheerder) add and change works and
//! send news to subscribers. Also the contact screen's "which work was this about" and the works
//! in the live search.

use super::{Choice, CsrfOnly, Frame, Page, Saved, choices, dutch, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::planned_works::{NewsInput, WORK_EDITORS};
use gastvrij_domain::Invalid;
use gastvrij_domain::ids::{ContactId, PlannedWorkId};
use gastvrij_domain::planned_works::{PlannedWork, PlannedWorkInput};
use gastvrij_domain::team::Role;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/werkzaamheden", get(list).post(create))
        .route("/werkplek/werkzaamheden/{id}", get(show).post(update))
        .route("/werkplek/werkzaamheden/calamiteit", post(notify_area))
        .route("/werkplek/werkzaamheden/{id}/bericht", post(notify))
        .route("/werkplek/contacten/{id}/werkzaamheden", post(link))
        .route("/werkplek/contacten/{id}/werkzaamheden/{work}/ontkoppelen", post(unlink))
}

fn may_edit(page: &Page) -> bool {
    page.0.principal.roles.iter().any(|r| *r == Role::Beheerder || WORK_EDITORS.contains(r))
}

/// What went wrong with a work's form, in Dutch: the shared wording, where `text` is the news
/// message to subscribers rather than a question.
fn dutch_work_error(e: &AppError) -> String {
    match e {
        AppError::Invalid(i) if i.field == "text" => crate::wording::dutch_as("het bericht", i),
        _ => dutch(e),
    }
}

/// A row of the calendar.
struct WorkRow {
    id: PlannedWorkId,
    title: String,
    phase: &'static str,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
    area: String,
    contacts: i64,
}

/// `templates/staff/planned_works/list.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/planned_works/list.html")]
struct ListPage<'a> {
    frame: Frame,
    notice: Option<String>,
    error: Option<String>,
    past: bool,
    rows: Vec<WorkRow>,
    editor: bool,
    form: &'a WorkForm,
    news: &'a AreaNewsForm,
}

/// `templates/staff/planned_works/work.html`; `form` only for editors.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/planned_works/work.html")]
struct WorkPage {
    frame: Frame,
    id: PlannedWorkId,
    action: String,
    title: String,
    notice: Option<String>,
    error: Option<String>,
    phase: &'static str,
    period: String,
    contacts: i64,
    area: String,
    what: String,
    why: String,
    contact: String,
    form: Option<WorkForm>,
    news_text: String,
}

/// The error of a work's form for the page: `dutch_work_error`'s wording, and every unexpected
/// error logged.
fn work_error(e: &AppError) -> String {
    match e {
        AppError::Invalid(_) => dutch_work_error(e),
        _ => explain(e, Saved::Nothing),
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    verleden: Option<String>,
    #[serde(default)]
    verstuurd: Option<usize>,
}

async fn list(State(s): State<AppState>, page: Page, Query(q): Query<ListQuery>) -> Response {
    let notice = q.verstuurd.map(|n| format!("Het bericht staat klaar voor {n} abonnee(s)."));
    let view = ListView { past: q.verleden.is_some(), notice, ..Default::default() };
    render_list(&s, &page, &view).await
}

/// What the list page shows besides the calendar: kept input and a notice or error.
#[derive(Default)]
struct ListView<'a> {
    past: bool,
    error: Option<&'a AppError>,
    notice: Option<String>,
    form: WorkForm,
    news: AreaNewsForm,
}

async fn render_list(s: &AppState, page: &Page, view: &ListView<'_>) -> Response {
    let (past, error, form, news) = (view.past, view.error, &view.form, &view.news);
    let who = &page.0.principal;
    let (calendar, today) = match (s.app.planned_work_calendar(who, past).await, s.app.today().await) {
        (Ok(c), Ok(t)) => (c, t),
        (Err(e), _) | (_, Err(e)) => return error_page(&e),
    };
    let rows = calendar
        .iter()
        .map(|e| WorkRow {
            id: e.work.id,
            title: e.work.title.clone(),
            phase: e.work.phase(today).label(),
            from: e.work.starts_on,
            to: e.work.ends_on,
            area: e.work.area.clone(),
            contacts: e.contacts,
        })
        .collect();
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    let view = ListPage {
        frame: page.frame("Werkzaamheden"),
        notice: view.notice.clone(),
        error: error.map(work_error),
        past,
        rows,
        editor: may_edit(page),
        form,
        news,
    };
    (status, view).into_response()
}

#[derive(Deserialize, Default, Clone)]
struct WorkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    why: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    contact: String,
}

impl WorkForm {
    fn input(&self) -> PlannedWorkInput {
        PlannedWorkInput {
            title: self.title.clone(),
            what: self.what.clone(),
            why: self.why.clone(),
            area: self.area.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            contact: self.contact.clone(),
        }
    }

    fn of(w: &PlannedWork) -> Self {
        WorkForm {
            csrf: String::new(),
            title: w.title.clone(),
            what: w.what.clone(),
            why: w.why.clone(),
            area: w.area.clone(),
            starts_on: w.starts_on.to_string(),
            ends_on: w.ends_on.to_string(),
            contact: w.contact.clone(),
        }
    }
}

async fn create(State(s): State<AppState>, page: Page, Form(f): Form<WorkForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.create_planned_work(&page.0.principal, f.input()).await {
        Ok(w) => Redirect::to(&format!("/werkplek/werkzaamheden/{}?opgeslagen=1", w.id)).into_response(),
        Err(e) => render_list(&s, &page, &ListView { error: Some(&e), form: f, ..Default::default() }).await,
    }
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    #[serde(default)]
    opgeslagen: Option<String>,
    #[serde(default)]
    verstuurd: Option<usize>,
}

async fn show(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<PlannedWorkId>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let notice = match (q.opgeslagen.is_some(), q.verstuurd) {
        (_, Some(n)) => Some(format!("Het bericht staat klaar voor {n} abonnee(s).")),
        (true, None) => Some("Het werk is opgeslagen.".to_string()),
        _ => None,
    };
    render_work(&s, &page, id, None, None, notice.as_deref(), "").await
}

async fn render_work(
    s: &AppState,
    page: &Page,
    id: PlannedWorkId,
    error: Option<&AppError>,
    form: Option<&WorkForm>,
    notice: Option<&str>,
    news_text: &str,
) -> Response {
    let who = &page.0.principal;
    let (work, today) = match (s.app.planned_work(who, id).await, s.app.today().await) {
        (Ok(w), Ok(t)) => (w, t),
        (Err(e), _) | (_, Err(e)) => return error_page(&e),
    };
    let contacts = s
        .app
        .planned_work_calendar(who, true)
        .await
        .ok()
        .and_then(|c| c.into_iter().find(|e| e.work.id == id))
        .map(|e| e.contacts)
        .unwrap_or(0);
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    let view = WorkPage {
        frame: page.frame(work.title.clone()),
        id,
        action: format!("/werkplek/werkzaamheden/{id}"),
        notice: notice.map(str::to_string),
        error: error.map(work_error),
        phase: work.phase(today).label(),
        period: work.period_in_words(),
        contacts,
        form: may_edit(page).then(|| form.cloned().unwrap_or_else(|| WorkForm::of(&work))),
        news_text: news_text.to_string(),
        title: work.title,
        area: work.area,
        what: work.what,
        why: work.why,
        contact: work.contact,
    };
    (status, view).into_response()
}

async fn update(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<PlannedWorkId>,
    Form(f): Form<WorkForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.update_planned_work(&page.0.principal, id, f.input()).await {
        Ok(_) => Redirect::to(&format!("/werkplek/werkzaamheden/{id}?opgeslagen=1")).into_response(),
        Err(e @ AppError::Invalid(_)) => render_work(&s, &page, id, Some(&e), Some(&f), None, "").await,
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize)]
struct NewsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

async fn notify(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<PlannedWorkId>,
    Form(f): Form<NewsForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let news = NewsInput { subject: None, text: Some(f.text.clone()) };
    match s.app.notify_work_subscribers(&page.0.principal, id, news).await {
        Ok(report) => {
            Redirect::to(&format!("/werkplek/werkzaamheden/{id}?verstuurd={}", report.queued)).into_response()
        }
        Err(e @ AppError::Invalid(_)) => render_work(&s, &page, id, Some(&e), None, None, &f.text).await,
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize, Default, Clone)]
struct AreaNewsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    area: String,
}

async fn notify_area(State(s): State<AppState>, page: Page, Form(f): Form<AreaNewsForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.notify_area_subscribers(&page.0.principal, &f.subject, &f.text, &f.area).await {
        Ok(report) => Redirect::to(&format!("/werkplek/werkzaamheden?verstuurd={}", report.queued)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            render_list(&s, &page, &ListView { error: Some(&e), news: f, ..Default::default() }).await
        }
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    work_id: String,
}

async fn link(State(s): State<AppState>, page: Page, Path(id): Path<ContactId>, Form(f): Form<LinkForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let result = match f.work_id.parse::<PlannedWorkId>() {
        Ok(work) => s.app.link_contact_to_work(&page.0.principal, id, work).await,
        Err(_) => Err(Invalid::empty("work_id").into()),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/werkplek/contacten/{id}#werkzaamheden")).into_response(),
        Err(AppError::Invalid(_)) => super::message_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Kies een werk",
            "Kies in de lijst het werk waar dit contact over ging. Ga terug en probeer het opnieuw.",
        ),
        Err(e) => error_page(&e),
    }
}

async fn unlink(
    State(s): State<AppState>,
    page: Page,
    Path((id, work)): Path<(ContactId, PlannedWorkId)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.unlink_contact_from_work(&page.0.principal, id, work).await {
        Ok(()) => Redirect::to(&format!("/werkplek/contacten/{id}#werkzaamheden")).into_response(),
        Err(e) => error_page(&e),
    }
}

/// The contact screen's works section (`contact_section` in `templates/staff/planned_works/macros.html`):
/// the works this contact was about, and the current works to link (the first choice is empty).
pub struct ContactWorks {
    pub(super) linked: Vec<LinkedWork>,
    pub(super) choices: Vec<Choice>,
}

pub struct LinkedWork {
    pub(super) id: PlannedWorkId,
    pub(super) title: String,
}

/// The works section of a contact; `None` when the role may not link contacts.
pub async fn contact_section(s: &AppState, page: &Page, contact: ContactId) -> Option<ContactWorks> {
    let who = &page.0.principal;
    let linked = s.app.contact_planned_works(who, contact).await.ok()?;
    let current = s.app.planned_works(who, false, gastvrij_app::Page::first(200)).await.unwrap_or_default();
    let others = current
        .iter()
        .filter(|w| !linked.iter().any(|l| l.id == w.id))
        .map(|w| (w.id.to_string(), format!("{} ({})", w.title, w.area)));
    let choices = choices(std::iter::once((String::new(), "(kies een werk)".to_string())).chain(others), "");
    let linked = linked.into_iter().map(|w| LinkedWork { id: w.id, title: w.title }).collect();
    Some(ContactWorks { linked, choices })
}

/// A work in the live search results.
pub struct WorkHit {
    pub(super) id: PlannedWorkId,
    pub(super) title: String,
    pub(super) phase: &'static str,
    pub(super) period: String,
    pub(super) area: String,
}

/// Works for the live search: those covering a postcode in the query or matching its words.
pub async fn search_hits(s: &AppState, page: &Page, q: &str) -> Vec<WorkHit> {
    let works = s.app.planned_works_for_search(&page.0.principal, q, 3).await.unwrap_or_default();
    if works.is_empty() {
        return vec![];
    }
    let today = s.app.today().await.ok();
    works
        .into_iter()
        .map(|w| WorkHit {
            id: w.id,
            phase: today.map(|t| w.phase(t).label()).unwrap_or(""),
            period: w.period_in_words(),
            title: w.title,
            area: w.area,
        })
        .collect()
}
