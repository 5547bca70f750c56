//! Incidents (calamity mode): reports of one category within 500 m and 6 hours grouped
//! together. Staff send one update to every reporter, show a banner on the public start page,
//! and close the incident when it is over.

use super::{AnswerForm, Page, dutch, error_box, error_page, layout};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_domain::portal::IncidentId;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/incidenten", get(list))
        .route("/werkplek/incidenten/{id}/bericht", post(update))
        .route("/werkplek/incidenten/{id}/banier", post(banner))
        .route("/werkplek/incidenten/{id}/sluiten", post(close))
}

#[derive(Deserialize, Default)]
struct Shown {
    #[serde(default)]
    bereikt: Option<usize>,
}

async fn list(State(s): State<AppState>, page: Page, Query(q): Query<Shown>) -> Response {
    let notice = q.bereikt.map(|n| format!("Het bericht staat bij {n} melding(en) op de volgpagina."));
    render(&s, &page, None, notice.as_deref()).await
}

async fn render(s: &AppState, page: &Page, error: Option<&str>, notice: Option<&str>) -> Response {
    let who = &page.0.principal;
    let incidents = match s.app.incidents(who, false).await {
        Ok(i) => i,
        Err(e) => return error_page(&e),
    };
    let tz = super::super::portal::time_zone(s).await;
    let mut sections = String::new();
    for incident in &incidents {
        let reports = s.app.incident_reports(who, incident.id).await.map(|(_, r)| r).unwrap_or_default();
        let rows: String = reports
            .iter()
            .map(|r| {
                format!(
                    r#"<li><a href="/werkplek/zaken/{case}">{when}</a>: {text}</li>"#,
                    case = r.case_id,
                    when = super::super::portal::dutch_moment(r.created_at, &tz),
                    text = escape(&r.description.chars().take(120).collect::<String>())
                )
            })
            .collect();
        let open = incident.closed_at.is_none();
        let actions = if open {
            format!(
                r#"<form method="post" action="/werkplek/incidenten/{id}/bericht">{csrf}
<p><label for="bericht-{id}">Bericht aan alle {n} melders</label><br><textarea id="bericht-{id}" name="answer" rows="3" cols="60" required></textarea></p>
<p><button type="submit">Bericht aan alle melders</button></p></form>
<form method="post" action="/werkplek/incidenten/{id}/banier">{csrf}
<p><label for="banier-{id}">Tekst voor een banier op de startpagina (leeg: geen banier)</label><br><input id="banier-{id}" name="answer" size="60" maxlength="300" value="{banner}"></p>
<p><button type="submit">Banier opslaan</button></p></form>
<form method="post" action="/werkplek/incidenten/{id}/sluiten">{csrf}<p><button type="submit">Incident sluiten</button></p></form>"#,
                id = incident.id,
                csrf = page.csrf_field(),
                n = reports.len(),
                banner = escape(incident.banner.as_deref().unwrap_or("")),
            )
        } else {
            String::new()
        };
        sections.push_str(&format!(
            r#"<section id="i-{id}"><h2>{title}</h2>
<p>{status} · {n} meldingen · eerste {first} · laatste {last}</p>
<ul>{rows}</ul>
{actions}</section>"#,
            id = incident.id,
            title = escape(&incident.title),
            status = if open { "open" } else { "gesloten" },
            n = reports.len(),
            first = super::super::portal::dutch_moment(incident.started_at, &tz),
            last = super::super::portal::dutch_moment(incident.last_report_at, &tz),
        ));
    }
    if incidents.is_empty() {
        sections =
            "<p>Er zijn geen incidenten. Meldingen over hetzelfde binnen 500 meter en 6 uur komen hier samen.</p>"
                .into();
    }
    let notice =
        notice.map(|n| format!(r#"<div class="melding" role="status"><p>{}</p></div>"#, escape(n))).unwrap_or_default();
    let body = format!("<h1>Incidenten</h1>\n{notice}{}\n{sections}", error_box(error));
    Html(layout(page, "Incidenten", &body)).into_response()
}

fn incident_id(id: &str) -> Result<IncidentId, Box<Response>> {
    id.parse::<IncidentId>().map_err(|_| Box::new(error_page(&gastvrij_app::AppError::NotFound("incident"))))
}

async fn update(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&form.csrf) {
        return refused;
    }
    let id = match incident_id(&id) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    match s.app.update_incident_reporters(&page.0.principal, id, &form.answer).await {
        Ok(n) => Redirect::to(&format!("/werkplek/incidenten?bereikt={n}")).into_response(),
        Err(e) => render(&s, &page, Some(&dutch(&e)), None).await,
    }
}

async fn banner(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&form.csrf) {
        return refused;
    }
    let id = match incident_id(&id) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    match s.app.set_incident(&page.0.principal, id, Some(&form.answer), false).await {
        Ok(_) => Redirect::to("/werkplek/incidenten").into_response(),
        Err(e) => render(&s, &page, Some(&dutch(&e)), None).await,
    }
}

async fn close(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&form.csrf) {
        return refused;
    }
    let id = match incident_id(&id) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    match s.app.set_incident(&page.0.principal, id, None, true).await {
        Ok(_) => Redirect::to("/werkplek/incidenten").into_response(),
        Err(e) => render(&s, &page, Some(&dutch(&e)), None).await,
    }
}
