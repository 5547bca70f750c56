//! Sjablonen: the mail and letter templates redacteuren keep (`/werkplek/sjablonen`). A list of
//! the kinds with the text in use; per kind an edit page with the placeholders explained, a
//! preview with example data and the plain-language check ("Controleer", also after saving),
//! the version history and "terug naar standaardtekst". Everything works with plain forms.
//! Redacteuren and beheerders only (the use cases check the role).

use super::{CsrfOnly, Frame, Page, Saved, dutch, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::letter_templates::{Preview, TemplateState};
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::letter_template::{LetterKind, TemplateVersion};
use gastvrij_domain::plain_language::PlainLanguageReport;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/sjablonen", get(list))
        .route("/werkplek/sjablonen/{kind}", get(edit).post(submit))
        .route("/werkplek/sjablonen/{kind}/standaard", post(reset))
}

/// A row of the list.
struct KindRow {
    code: &'static str,
    label: &'static str,
    when: &'static str,
    state: String,
}

/// `templates/staff/letter_templates/list.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/letter_templates/list.html")]
struct ListPage {
    frame: Frame,
    rows: Vec<KindRow>,
}

/// A placeholder as the edit page explains it.
struct PlaceholderRow {
    written: &'static str,
    meaning: &'static str,
    required: bool,
}

/// A version in the history.
struct HistoryRow {
    version: u32,
    by: String,
    at: String,
    /// `false`: back to the standard text (subject and body empty).
    custom: bool,
    subject: String,
    body: String,
}

/// `templates/staff/letter_templates/edit.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/letter_templates/edit.html")]
struct EditPage {
    frame: Frame,
    code: &'static str,
    /// Where "terug naar standaardtekst" posts.
    reset_action: String,
    when: &'static str,
    state: String,
    custom: bool,
    notice: Option<String>,
    error: Option<String>,
    subject: String,
    body: String,
    placeholders: Vec<PlaceholderRow>,
    preview: Option<Preview>,
    report: Option<PlainLanguageReport>,
    history: Vec<HistoryRow>,
}

/// "standaardtekst" or "aangepast (versie 3, door Anna de Vries, op 3-3-2026 9:00)".
fn state_line(
    s: &AppState,
    newest: Option<&TemplateVersion>,
    name_of: &dyn Fn(Option<EmployeeId>) -> String,
) -> String {
    match newest {
        Some(v) if v.text.is_some() => {
            format!(
                "aangepast (versie {}, door {}, op {})",
                v.version,
                name_of(v.saved_by),
                s.app.local_time(v.saved_at)
            )
        }
        _ => "standaardtekst".into(),
    }
}

/// Names employees for the page; an unknown one (or the operator) as "beheer".
async fn namer(s: &AppState, page: &Page) -> impl Fn(Option<EmployeeId>) -> String {
    let employees = s.app.employees(&page.0.principal).await.unwrap_or_default();
    move |id| {
        id.and_then(|id| employees.iter().find(|e| e.id == id).map(|e| e.name.clone()))
            .unwrap_or_else(|| "beheer".into())
    }
}

async fn list(State(s): State<AppState>, page: Page) -> Response {
    let states = match s.app.letter_templates(&page.0.principal).await {
        Ok(states) => states,
        Err(e) => return error_page(&e),
    };
    let name_of = namer(&s, &page).await;
    let rows = states
        .iter()
        .map(|t: &TemplateState| KindRow {
            code: t.kind.code(),
            label: t.kind.label(),
            when: t.kind.when(),
            state: state_line(&s, t.newest.as_ref(), &name_of),
        })
        .collect();
    ListPage { frame: page.frame("Sjablonen voor mails en brieven"), rows }.into_response()
}

#[derive(Deserialize, Default)]
struct EditQuery {
    /// Set after a save: the version saved.
    #[serde(default)]
    opgeslagen: Option<u32>,
    /// Set after "terug naar standaardtekst".
    #[serde(default)]
    standaard: Option<String>,
}

/// What the edit page shows besides the kind's state: the text in the form, and what a step
/// produced.
#[derive(Default)]
struct Shown {
    /// `None`: the text in use (or the starter text).
    text: Option<(String, String)>,
    notice: Option<String>,
    error: Option<AppError>,
    check: bool,
}

/// The kind a link names; `None` for a link that names none (the page answers 404).
fn kind_of(code: &str) -> Option<LetterKind> {
    LetterKind::parse(code).ok()
}

fn no_such_kind() -> Response {
    error_page(&AppError::NotFound("template"))
}

async fn edit(State(s): State<AppState>, page: Page, Path(code): Path<String>, Query(q): Query<EditQuery>) -> Response {
    let Some(kind) = kind_of(&code) else { return no_such_kind() };
    let notice = match (q.opgeslagen, q.standaard) {
        (Some(v), _) => {
            Some(format!("Opgeslagen als versie {v}. De volgende mail van deze soort gebruikt deze tekst."))
        }
        (_, Some(_)) => Some("De standaardtekst wordt weer gebruikt.".into()),
        _ => None,
    };
    // After a save the check of the saved text is shown.
    let check = q.opgeslagen.is_some();
    render_edit(&s, &page, kind, Shown { notice, check, ..Default::default() }).await
}

async fn render_edit(s: &AppState, page: &Page, kind: LetterKind, shown: Shown) -> Response {
    let who = &page.0.principal;
    let history = match s.app.letter_template_history(who, kind).await {
        Ok(h) => h,
        Err(e) => return error_page(&e),
    };
    let name_of = namer(s, page).await;
    let newest = history.first();
    let custom = newest.is_some_and(|v| v.text.is_some());
    let (subject, body) = shown.text.clone().unwrap_or_else(|| match newest.and_then(|v| v.text.as_ref()) {
        Some(t) => (t.subject.clone(), t.body.clone()),
        None => (kind.starter().0.to_string(), kind.starter().1.to_string()),
    });
    let (preview, report) = if shown.check && shown.error.is_none() {
        match s.app.preview_letter_template(who, kind, &subject, &body) {
            Ok(p) => {
                let report = s.app.check_plain_language(who, &p.body).ok();
                (Some(p), report)
            }
            Err(_) => (None, None),
        }
    } else {
        (None, None)
    };
    let status = shown.error.as_ref().map(status_of).unwrap_or(StatusCode::OK);
    let view = EditPage {
        frame: page.frame(format!("Sjabloon: {}", kind.label())),
        code: kind.code(),
        reset_action: format!("/werkplek/sjablonen/{}/standaard", kind.code()),
        when: kind.when(),
        state: state_line(s, newest, &name_of),
        custom,
        notice: shown.notice,
        error: shown.error.as_ref().map(form_error),
        subject,
        body,
        placeholders: kind
            .placeholders()
            .iter()
            .map(|p| PlaceholderRow {
                written: p.written(),
                meaning: p.meaning(),
                required: kind.required().contains(p),
            })
            .collect(),
        preview,
        report,
        history: history
            .iter()
            .map(|v| HistoryRow {
                version: v.version,
                by: name_of(v.saved_by),
                at: s.app.local_time(v.saved_at),
                custom: v.text.is_some(),
                subject: v.text.as_ref().map(|t| t.subject.clone()).unwrap_or_default(),
                body: v.text.as_ref().map(|t| t.body.clone()).unwrap_or_default(),
            })
            .collect(),
    };
    (status, view).into_response()
}

/// The error of the form in Dutch; unexpected errors are logged.
fn form_error(e: &AppError) -> String {
    match e {
        AppError::Invalid(_) => dutch(e),
        _ => explain(e, Saved::Nothing),
    }
}

#[derive(Deserialize, Default)]
struct TemplateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    /// `controleer` (preview and check, nothing saved) or `opslaan`.
    #[serde(default)]
    actie: String,
}

async fn submit(
    State(s): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    Form(f): Form<TemplateForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let Some(kind) = kind_of(&code) else { return no_such_kind() };
    let who = &page.0.principal;
    // The role is checked by the use cases; a refused one shows the refusal page (render_edit
    // reads the history, which refuses too).
    let text = Some((f.subject.clone(), f.body.clone()));
    if f.actie == "opslaan" {
        return match s.app.save_letter_template(who, kind, &f.subject, &f.body).await {
            Ok(v) => {
                Redirect::to(&format!("/werkplek/sjablonen/{}?opgeslagen={}", kind.code(), v.version)).into_response()
            }
            Err(e) => render_edit(&s, &page, kind, Shown { text, error: Some(e), ..Default::default() }).await,
        };
    }
    match s.app.preview_letter_template(who, kind, &f.subject, &f.body) {
        Ok(_) => render_edit(&s, &page, kind, Shown { text, check: true, ..Default::default() }).await,
        Err(e) => render_edit(&s, &page, kind, Shown { text, error: Some(e), ..Default::default() }).await,
    }
}

async fn reset(State(s): State<AppState>, page: Page, Path(code): Path<String>, Form(f): Form<CsrfOnly>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let Some(kind) = kind_of(&code) else { return no_such_kind() };
    match s.app.reset_letter_template(&page.0.principal, kind).await {
        Ok(_) => Redirect::to(&format!("/werkplek/sjablonen/{}?standaard=1", kind.code())).into_response(),
        Err(e) => error_page(&e),
    }
}
