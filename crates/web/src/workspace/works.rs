//! The activity calendar in the workspace: the KCC sees the same works as citizens, with how
//! many contacts each caused; editors (redacteur, teamleider, beheerder) add and change works and
//! send news to subscribers. Also the contact screen's "which work was this about" and the works
//! in the live search.

use super::{Page, dutch, error_box, error_page, layout, options, status_of};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::planned_works::{NewsInput, WORK_EDITORS};
use gastvrij_domain::Invalid;
use gastvrij_domain::ids::{ContactId, PlannedWorkId};
use gastvrij_domain::planned_work::{PlannedWork, PlannedWorkInput};
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

/// What went wrong with a work's form, in Dutch.
fn dutch_work_error(e: &AppError) -> String {
    let AppError::Invalid(i) = e else { return dutch(e) };
    let field = match i.field {
        "title" => "de titel",
        "what" => "wat we doen",
        "why" => "waarom",
        "area" => "het gebied",
        "starts_on" => "de eerste dag",
        "ends_on" => "de laatste dag",
        "contact" => "het contact",
        "subject" => "het onderwerp",
        "text" => "het bericht",
        _ => return dutch(e),
    };
    crate::wording::dutch_as(field, i)
}

fn work_row(w: &PlannedWork, today: jiff::civil::Date, contacts: i64) -> String {
    format!(
        r#"<tr><td><a href="/werkplek/werkzaamheden/{id}">{title}</a></td><td>{phase}</td><td>{from} t/m {to}</td><td>{area}</td><td>{contacts}</td></tr>"#,
        id = w.id,
        title = escape(&w.title),
        phase = w.phase(today).label(),
        from = w.starts_on,
        to = w.ends_on,
        area = escape(&w.area),
    )
}

/// The form to add or change a work; its fields keep what was typed.
fn work_form(page: &Page, action: &str, button: &str, f: &WorkForm) -> String {
    let field = |id: &str, name: &str, label: &str, value: &str, extra: &str| {
        format!(
            r#"<p><label for="{id}">{label}</label><br><input id="{id}" name="{name}" value="{value}"{extra}></p>"#,
            value = escape(value)
        )
    };
    format!(
        r#"<form method="post" action="{action}" class="regel">{csrf}
{title}
<p><label for="werk-wat">Wat gaan we doen?</label><br><textarea id="werk-wat" name="what" rows="3" cols="60">{what}</textarea></p>
<p><label for="werk-waarom">Waarom?</label><br><textarea id="werk-waarom" name="why" rows="3" cols="60">{why}</textarea></p>
<p><label for="werk-gebied">Gebied</label><br><input id="werk-gebied" name="area" value="{area}" size="60" aria-describedby="werk-gebied-hulp"><br>
<span id="werk-gebied-hulp" class="hulp">Postcodes van-tot, losse postcodes en plaatsen, gescheiden door komma's. Bijvoorbeeld: 2611-2619, 2625 AB, Den Hoorn.</span></p>
{starts}
{ends}
{contact}
<p><button type="submit">{button}</button></p>
</form>"#,
        csrf = page.csrf_field(),
        title = field("werk-titel", "title", "Titel", &f.title, r#" size="60""#),
        what = escape(&f.what),
        why = escape(&f.why),
        area = escape(&f.area),
        starts = field("werk-van", "starts_on", "Eerste dag", &f.starts_on, r#" type="date""#),
        ends = field("werk-tot", "ends_on", "Laatste dag", &f.ends_on, r#" type="date""#),
        contact = field(
            "werk-contact",
            "contact",
            "Contact voor vragen (naam, telefoon of e-mail)",
            &f.contact,
            r#" size="60""#
        ),
    )
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
    let rows: String = calendar.iter().map(|e| work_row(&e.work, today, e.contacts)).collect();
    let toggle = if past {
        r#"<p><a href="/werkplek/werkzaamheden">Alleen lopende en geplande werkzaamheden</a></p>"#
    } else {
        r#"<p><a href="/werkplek/werkzaamheden?verleden=1">Ook afgelopen werkzaamheden</a></p>"#
    };
    let mut body = format!(
        r#"<h1>Werkzaamheden</h1>
{notice}{error}
<p>Dezelfde werkzaamheden als op de website. De laatste kolom telt de contacten die erover gingen.</p>
{toggle}
<table>
<caption>{n} werkzaamheden</caption>
<thead><tr><th scope="col">Werk</th><th scope="col">Stand</th><th scope="col">Periode</th><th scope="col">Gebied</th><th scope="col">Contacten</th></tr></thead>
<tbody>{rows}</tbody>
</table>"#,
        notice = view
            .notice
            .as_deref()
            .map(|n| format!(r#"<div class="melding" role="status"><p>{}</p></div>"#, escape(n)))
            .unwrap_or_default(),
        error = error_box(error.map(dutch_work_error).as_deref()),
        n = calendar.len(),
    );
    if may_edit(page) {
        body.push_str(r#"<section aria-labelledby="nieuw-werk"><h2 id="nieuw-werk">Nieuw werk</h2>"#);
        body.push_str(&work_form(page, "/werkplek/werkzaamheden", "Werk opslaan", form));
        body.push_str("</section>");
        body.push_str(&format!(
            r#"<section aria-labelledby="calamiteit"><h2 id="calamiteit">Bericht over een calamiteit</h2>
<p>Een e-mail aan iedereen die zich heeft aangemeld voor berichten bij een postcode in het gebied.</p>
<form method="post" action="/werkplek/werkzaamheden/calamiteit" class="regel">{csrf}
<p><label for="calamiteit-onderwerp">Onderwerp</label><br><input id="calamiteit-onderwerp" name="subject" value="{subject}" size="60"></p>
<p><label for="calamiteit-tekst">Bericht</label><br><textarea id="calamiteit-tekst" name="text" rows="4" cols="60">{text}</textarea></p>
<p><label for="calamiteit-gebied">Postcodes</label><br><input id="calamiteit-gebied" name="area" value="{area}" size="60" aria-describedby="calamiteit-gebied-hulp"><br>
<span id="calamiteit-gebied-hulp" class="hulp">Postcodes van-tot en losse postcodes, gescheiden door komma's. Bijvoorbeeld: 2611-2619, 2625.</span></p>
<p><button type="submit">Stuur bericht aan abonnees</button></p>
</form></section>"#,
            csrf = page.csrf_field(),
            subject = escape(&news.subject),
            text = escape(&news.text),
            area = escape(&news.area),
        ));
    }
    let status = error.map(status_of).unwrap_or(axum::http::StatusCode::OK);
    (status, Html(layout(page, "Werkzaamheden", &body))).into_response()
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
    let mut body = format!(
        r#"<h1>{title}</h1>
{notice}{error}
<p><strong>{phase}</strong>: {period}. {contacts} contact(en) gingen over dit werk.</p>
<dl>
<dt>Gebied</dt><dd>{area}</dd>
<dt>Wat gaan we doen?</dt><dd>{what}</dd>
<dt>Waarom?</dt><dd>{why}</dd>
<dt>Contact voor vragen</dt><dd>{contact}</dd>
</dl>
<p><a href="/werkzaamheden/werk/{id}">Zo ziet de inwoner het</a> · <a href="/werkplek/werkzaamheden">Alle werkzaamheden</a></p>"#,
        title = escape(&work.title),
        notice = notice
            .map(|n| format!(r#"<div class="melding" role="status"><p>{}</p></div>"#, escape(n)))
            .unwrap_or_default(),
        error = error_box(error.map(dutch_work_error).as_deref()),
        phase = work.phase(today).label(),
        period = escape(&work.period_in_words()),
        area = escape(&work.area),
        what = escape(&work.what).replace('\n', "<br>"),
        why = escape(&work.why).replace('\n', "<br>"),
        contact = escape(&work.contact),
    );
    if may_edit(page) {
        let f = form.cloned().unwrap_or_else(|| WorkForm::of(&work));
        body.push_str(r#"<section aria-labelledby="wijzigen"><h2 id="wijzigen">Wijzigen</h2>"#);
        body.push_str(&work_form(page, &format!("/werkplek/werkzaamheden/{id}"), "Wijzigingen opslaan", &f));
        body.push_str("</section>");
        body.push_str(&format!(
            r#"<section aria-labelledby="abonnees"><h2 id="abonnees">Stuur bericht aan abonnees</h2>
<p>Iedereen die zich heeft aangemeld voor berichten bij een postcode in dit gebied krijgt een e-mail met de gegevens van dit werk. Plaatsnamen in het gebied tellen niet mee: aanmeldingen gaan per postcode.</p>
<form method="post" action="/werkplek/werkzaamheden/{id}/bericht" class="regel">{csrf}
<p><label for="bericht-tekst">Bericht boven de gegevens (niet verplicht)</label><br><textarea id="bericht-tekst" name="text" rows="3" cols="60">{text}</textarea></p>
<p><button type="submit">Stuur bericht aan abonnees</button></p>
</form></section>"#,
            csrf = page.csrf_field(),
            text = escape(news_text),
        ));
    }
    let status = error.map(status_of).unwrap_or(axum::http::StatusCode::OK);
    (status, Html(layout(page, &work.title, &body))).into_response()
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
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Kies een werk",
            "Kies in de lijst het werk waar dit contact over ging. Ga terug en probeer het opnieuw.",
        ),
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn unlink(
    State(s): State<AppState>,
    page: Page,
    Path((id, work)): Path<(ContactId, PlannedWorkId)>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.unlink_contact_from_work(&page.0.principal, id, work).await {
        Ok(()) => Redirect::to(&format!("/werkplek/contacten/{id}#werkzaamheden")).into_response(),
        Err(e) => error_page(&e),
    }
}

/// The contact screen's section: the works this contact was about, and a way to link one.
/// Empty when the role may not link contacts.
pub async fn contact_section(s: &AppState, page: &Page, contact: ContactId) -> String {
    let who = &page.0.principal;
    let Ok(linked) = s.app.contact_planned_works(who, contact).await else { return String::new() };
    let current = s.app.planned_works(who, false, gastvrij_app::Page::first(200)).await.unwrap_or_default();
    let csrf = page.csrf_field();
    let mut out = String::from(
        r#"<section aria-labelledby="werkzaamheden"><h2 id="werkzaamheden">Werkzaamheden</h2>
<p>Ging dit contact over werkzaamheden? Koppel het werk: dan zien we welke werkzaamheden vragen oproepen.</p>"#,
    );
    if !linked.is_empty() {
        out.push_str("<ul>");
        for w in &linked {
            out.push_str(&format!(
                r#"<li><a href="/werkplek/werkzaamheden/{work}">{title}</a> <form method="post" action="/werkplek/contacten/{contact}/werkzaamheden/{work}/ontkoppelen" class="inline">{csrf}<button type="submit">Ontkoppel {title}</button></form></li>"#,
                work = w.id,
                title = escape(&w.title),
            ));
        }
        out.push_str("</ul>");
    }
    let choices: Vec<(String, String)> = current
        .iter()
        .filter(|w| !linked.iter().any(|l| l.id == w.id))
        .map(|w| (w.id.to_string(), format!("{} ({})", w.title, w.area)))
        .collect();
    if choices.is_empty() {
        out.push_str("<p>Er zijn geen (andere) lopende of geplande werkzaamheden.</p>");
    } else {
        let opts = options(
            std::iter::once(("", "(kies een werk)")).chain(choices.iter().map(|(a, b)| (a.as_str(), b.as_str()))),
            "",
        );
        out.push_str(&format!(
            r#"<form method="post" action="/werkplek/contacten/{contact}/werkzaamheden" class="regel">{csrf}
<p><label for="werk-koppelen">Werk</label><br><select id="werk-koppelen" name="work_id">{opts}</select> <button type="submit">Koppel aan dit contact</button></p>
</form>"#
        ));
    }
    out.push_str("</section>");
    out
}

/// Works for the live search: those covering a postcode in the query or matching its words.
pub async fn search_hits(s: &AppState, page: &Page, q: &str) -> String {
    let works = s.app.planned_works_for_search(&page.0.principal, q, 3).await.unwrap_or_default();
    if works.is_empty() {
        return String::new();
    }
    let today = s.app.today().await.ok();
    let mut out = String::from(r#"<h3 id="werk-kop">Werkzaamheden</h3><ul aria-labelledby="werk-kop">"#);
    for w in &works {
        out.push_str(&format!(
            r#"<li><a href="/werkplek/werkzaamheden/{id}">{title}</a> — {phase}, {period} — {area}</li>"#,
            id = w.id,
            title = escape(&w.title),
            phase = today.map(|t| w.phase(t).label()).unwrap_or(""),
            period = escape(&w.period_in_words()),
            area = escape(&w.area),
        ));
    }
    out.push_str("</ul>");
    out
}
