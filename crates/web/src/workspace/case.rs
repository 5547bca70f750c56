//! One case for its team: the deadline, what the citizen sent in through the portal (with
//! photos), the messages both ways, the survey answer and notes (a request to reopen shows
//! there), and the actions: change the status, write to the citizen.

use super::{AnswerForm, Page, dutch, error_box, error_page, layout, status_of};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::ids::{CaseId, PhotoId};
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

async fn render(
    s: &AppState,
    page: &Page,
    id: &str,
    error: Option<&str>,
    notice: Option<&str>,
    draft: &str,
) -> Response {
    let who = &page.0.principal;
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&gastvrij_app::AppError::NotFound("case"));
    };
    let case = match s.app.case(who, case_id).await {
        Ok(c) => c,
        Err(e) => return error_page(&e),
    };
    let record = s.app.submission_for_case(who, case_id).await.ok().flatten();
    let tz = super::super::portal::time_zone(s).await;
    let when = |t: jiff::Timestamp| super::super::portal::dutch_moment(t, &tz);
    let due = case
        .timing
        .deadlines
        .map(|d| format!("<p><strong>Reactie uiterlijk:</strong> {}</p>", escape(&s.app.due_phrase(d.service_norm))))
        .unwrap_or_default();
    let notes: String = case
        .notes
        .iter()
        .map(|n| format!("<li><span class=\"wanneer\">{}</span> {}</li>", when(n.at), escape(&n.text)))
        .collect();
    let notes = if notes.is_empty() { String::new() } else { format!("<h2>Notities</h2><ul>{notes}</ul>") };

    let portal = match &record {
        None => String::new(),
        Some(r) => {
            let sub = &r.submission;
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
            .map(|x| escape(x.trim()))
            .collect::<Vec<_>>()
            .join(" · ");
            let photos: String = r
                .photos
                .iter()
                .map(|p| {
                    let url = format!("/werkplek/zaken/{}/foto/{}", case.id, p.id);
                    format!(
                        r#"<li><a href="{url}">Foto ({}, {} kB)</a></li>"#,
                        escape(&p.content_type),
                        p.size_bytes / 1024
                    )
                })
                .collect();
            let messages: String = r
                .messages
                .iter()
                .map(|m| {
                    format!(
                        "<li><span class=\"wanneer\">{} – {}</span> {}</li>",
                        when(m.at),
                        if m.from_citizen { "melder" } else { "waterschap" },
                        escape(&m.text)
                    )
                })
                .collect();
            let survey = r
                .survey
                .as_ref()
                .map(|a| {
                    format!(
                        "<h3>Tevredenheid</h3><p>Cijfer {}, opgelost: {}, moeite {} van 5{}{}</p>",
                        a.grade,
                        if a.solved { "ja" } else { "nee" },
                        a.effort,
                        a.comment.as_ref().map(|c| format!(" – “{}”", escape(c))).unwrap_or_default(),
                        if a.reopen_requested { " – <strong>vraagt om opnieuw te kijken</strong>" } else { "" }
                    )
                })
                .unwrap_or_default();
            let contact = match sub.preference {
                gastvrij_domain::portal::ContactPreference::Email => "per e-mail",
                gastvrij_domain::portal::ContactPreference::Telefoon => "per telefoon",
                gastvrij_domain::portal::ContactPreference::Geen => "wil niets horen",
            };
            format!(
                r#"<h2>Via de website</h2>
<p>{description}</p>
<p><strong>Waar:</strong> {place}</p>
{observed}
<p><strong>Contact:</strong> {contact}{urgent}{incident}</p>
{photos}
<h3>Berichten</h3>
<ul>{messages}</ul>
<form method="post" action="/werkplek/zaken/{id}/bericht">
{csrf}
<p><label for="answer">Bericht aan de melder (op de volgpagina{mail})</label><br>
<textarea id="answer" name="answer" rows="4" cols="60" required>{draft}</textarea></p>
<p><button type="submit">Bericht versturen</button></p>
</form>
{survey}"#,
                description = escape(&sub.description),
                observed = sub
                    .observed
                    .as_ref()
                    .map(|o| format!("<p><strong>Wanneer:</strong> {}</p>", escape(o)))
                    .unwrap_or_default(),
                urgent = if sub.urgent { " · <strong>gevaar gemeld</strong>" } else { "" },
                incident = sub
                    .incident_id
                    .map(|i| format!(r#" · <a href="/werkplek/incidenten#i-{i}">hoort bij een incident</a>"#))
                    .unwrap_or_default(),
                photos = if photos.is_empty() { String::new() } else { format!("<ul>{photos}</ul>") },
                id = case.id,
                csrf = page.csrf_field(),
                mail = if sub.mail_to().is_some() { " en per e-mail" } else { "" },
                draft = escape(draft),
            )
        }
    };
    let next: &[(CaseStatus, &str)] =
        &[(CaseStatus::InBehandeling, "In behandeling nemen"), (CaseStatus::Afgehandeld, "Afhandelen")];
    let buttons: String = next
        .iter()
        .filter(|(to, _)| case.status.can_become(*to))
        .map(|(to, label)| {
            format!(
                r#"<form method="post" action="/werkplek/zaken/{id}/status" class="inline">{csrf}<input type="hidden" name="answer" value="{code}"><button type="submit">{label}</button></form>"#,
                id = case.id,
                csrf = page.csrf_field(),
                code = to.code()
            )
        })
        .collect();
    let notice = notice.map(|n| format!(r#"<div class="melding" role="status"><p>{n}</p></div>"#)).unwrap_or_default();
    let body = format!(
        r#"<h1>{kind} {reference}</h1>
{notice}{error}
<p><strong>Onderwerp:</strong> {subject}</p>
<p><strong>Status:</strong> {status}</p>
{due}
<p>{buttons}</p>
{portal}
{notes}"#,
        kind = escape(case.case_type.label()),
        reference = escape(&case.reference),
        error = error_box(error),
        subject = escape(&case.subject),
        status = escape(case.status.label()),
    );
    Html(layout(page, &format!("Zaak {}", case.reference), &body)).into_response()
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
        return error_page(&gastvrij_app::AppError::NotFound("case"));
    };
    match s.app.change_case_status(&page.0.principal, case_id, status, None).await {
        Ok(_) => Redirect::to(&format!("/werkplek/zaken/{id}?klaar=1")).into_response(),
        Err(e) => {
            let mut res = render(&s, &page, &id, Some(&dutch(&e)), None, "").await;
            *res.status_mut() = status_of(&e);
            res
        }
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
        return error_page(&gastvrij_app::AppError::NotFound("case"));
    };
    match s.app.message_citizen(&page.0.principal, case_id, &form.answer).await {
        Ok(_) => Redirect::to(&format!("/werkplek/zaken/{id}?klaar=1")).into_response(),
        Err(e) => {
            let mut res = render(&s, &page, &id, Some(&dutch(&e)), None, &form.answer).await;
            *res.status_mut() = status_of(&e);
            res
        }
    }
}

async fn photo(State(s): State<AppState>, page: Page, Path((id, photo)): Path<(String, String)>) -> Response {
    let (Ok(case_id), Ok(photo_id)) = (id.parse::<CaseId>(), photo.parse::<PhotoId>()) else {
        return error_page(&gastvrij_app::AppError::NotFound("photo"));
    };
    match s.app.case_photo(&page.0.principal, case_id, photo_id).await {
        Ok((content_type, bytes)) => {
            ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, no-store".into())], bytes)
                .into_response()
        }
        Err(e) => error_page(&e),
    }
}
