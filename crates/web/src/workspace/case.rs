//! One case for its team: the deadline, what the citizen sent in through the portal (with
//! photos), the messages both ways, the survey answer and notes (a request to reopen shows
//! there), and the actions: change the status, write to the citizen.

use super::{AnswerForm, Frame, Page, Saved, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::ids::{CaseId, PhotoId};
use gastvrij_domain::portal::{ContactPreference, IncidentId, SurveyAnswer};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/zaken/{id}", get(show))
        .route("/werkplek/zaken/{id}/status", post(change_status))
        .route("/werkplek/zaken/{id}/bericht", post(message))
        .route("/werkplek/zaken/{id}/foto/{photo}", get(photo))
}

#[derive(Deserialize, Default)]
struct Shown {
    #[serde(default)]
    klaar: Option<String>,
}

async fn show(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(q): Query<Shown>) -> Response {
    let notice = q.klaar.map(|_| "Opgeslagen.");
    render(&s, &page, &id, None, notice, "").await
}

/// `templates/staff/case/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/case/page.html")]
struct CasePage<'a> {
    frame: Frame,
    id: CaseId,
    kind: &'static str,
    reference: String,
    subject: String,
    status: &'static str,
    due: Option<String>,
    notice: Option<&'a str>,
    error: Option<String>,
    /// The status changes this case allows: (code, button label).
    next: Vec<(&'static str, &'static str)>,
    portal: Option<PortalPart>,
    draft: &'a str,
    /// (when, text)
    notes: Vec<(String, String)>,
}

/// What the citizen sent in through the portal.
struct PortalPart {
    description: String,
    place: String,
    observed: Option<String>,
    preference: &'static str,
    urgent: bool,
    incident: Option<IncidentId>,
    photos: Vec<PhotoLink>,
    messages: Vec<MessageLine>,
    by_mail: bool,
    survey: Option<SurveyAnswer>,
}

struct PhotoLink {
    id: PhotoId,
    content_type: String,
    kilobytes: u64,
}

struct MessageLine {
    when: String,
    from_citizen: bool,
    text: String,
}

async fn render(
    s: &AppState,
    page: &Page,
    id: &str,
    error: Option<&AppError>,
    notice: Option<&str>,
    draft: &str,
) -> Response {
    let who = &page.0.principal;
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&AppError::NotFound("case"));
    };
    let case = match s.app.case(who, case_id).await {
        Ok(c) => c,
        Err(e) => return error_page(&e),
    };
    let record = s.app.submission_for_case(who, case_id).await.ok().flatten();
    let tz = super::super::portal::time_zone(s).await;
    let when = |t: jiff::Timestamp| super::super::portal::dutch_moment(t, &tz);
    let portal = record.map(|r| {
        let sub = r.submission;
        let place = [
            sub.location
                .postcode
                .as_ref()
                .map(|p| format!("{p} {}", sub.location.house_number.as_deref().unwrap_or(""))),
            sub.location.description.clone(),
            sub.location.point.map(|p| format!("punt {:.5}, {:.5}", p.lat, p.lon)),
        ]
        .into_iter()
        .flatten()
        .map(|x| x.trim().to_string())
        .collect::<Vec<_>>()
        .join(" · ");
        PortalPart {
            preference: match sub.preference {
                ContactPreference::Email => "per e-mail",
                ContactPreference::Telefoon => "per telefoon",
                ContactPreference::Geen => "wil niets horen",
            },
            by_mail: sub.mail_to().is_some(),
            place,
            observed: sub.observed.clone(),
            urgent: sub.urgent,
            incident: sub.incident_id,
            photos: r
                .photos
                .iter()
                .map(|p| PhotoLink { id: p.id, content_type: p.content_type.clone(), kilobytes: p.size_bytes / 1024 })
                .collect(),
            messages: r
                .messages
                .iter()
                .map(|m| MessageLine { when: when(m.at), from_citizen: m.from_citizen, text: m.text.clone() })
                .collect(),
            survey: r.survey,
            description: sub.description,
        }
    });
    let next = [(CaseStatus::InBehandeling, "In behandeling nemen"), (CaseStatus::Afgehandeld, "Afhandelen")]
        .into_iter()
        .filter(|(to, _)| case.status.can_become(*to))
        .map(|(to, label)| (to.code(), label))
        .collect();
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    let view = CasePage {
        frame: page.frame(format!("Zaak {}", case.reference)),
        id: case.id,
        kind: case.case_type.label(),
        subject: case.subject.clone(),
        status: case.status.label(),
        due: case.timing.deadlines.map(|d| s.app.due_phrase(d.service_norm)),
        notice,
        error: error.map(|e| explain(e, Saved::Nothing)),
        next,
        portal,
        draft,
        notes: case.notes.iter().map(|n| (when(n.at), n.text.clone())).collect(),
        reference: case.reference,
    };
    (status, view).into_response()
}

async fn change_status(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&form.csrf) {
        return refused;
    }
    let (Ok(case_id), Ok(status)) = (id.parse::<CaseId>(), form.answer.parse::<CaseStatus>()) else {
        return error_page(&AppError::NotFound("case"));
    };
    match s.app.change_case_status(&page.0.principal, case_id, status, None).await {
        Ok(_) => Redirect::to(&format!("/werkplek/zaken/{id}?klaar=1")).into_response(),
        Err(e) => render(&s, &page, &id, Some(&e), None, "").await,
    }
}

async fn message(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&form.csrf) {
        return refused;
    }
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&AppError::NotFound("case"));
    };
    match s.app.message_citizen(&page.0.principal, case_id, &form.answer).await {
        Ok(_) => Redirect::to(&format!("/werkplek/zaken/{id}?klaar=1")).into_response(),
        Err(e) => render(&s, &page, &id, Some(&e), None, &form.answer).await,
    }
}

async fn photo(State(s): State<AppState>, page: Page, Path((id, photo)): Path<(String, String)>) -> Response {
    let (Ok(case_id), Ok(photo_id)) = (id.parse::<CaseId>(), photo.parse::<PhotoId>()) else {
        return error_page(&AppError::NotFound("photo"));
    };
    match s.app.case_photo(&page.0.principal, case_id, photo_id).await {
        Ok((content_type, bytes)) => {
            ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, no-store".into())], bytes)
                .into_response()
        }
        Err(e) => error_page(&e),
    }
}
