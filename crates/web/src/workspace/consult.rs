//! Ruggespraak (second line): questions from the KCC to a team or a person, answered in the
//! back office; the answer shows on the agent's contact screen; one action turns question and
//! answer into a draft article.

use super::{AnswerForm, Page, dutch, error_box, error_page, layout};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::Page as Paging;
use gastvrij_app::ports::ConsultationQuery;
use gastvrij_domain::ids::ConsultationId;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/ruggespraak", get(list))
        .route("/werkplek/ruggespraak/{id}/antwoord", post(answer))
        .route("/werkplek/ruggespraak/{id}/artikel", post(to_article))
}

async fn list(State(s): State<AppState>, page: Page) -> Response {
    render(&s, &page, None).await
}

async fn render(s: &AppState, page: &Page, error: Option<&gastvrij_app::AppError>) -> Response {
    let who = &page.0.principal;
    let me = who.employee_id();
    let team = match me {
        Some(id) => s.app.employee(who, id).await.ok().and_then(|e| e.team_id),
        None => None,
    };
    let mut open = vec![];
    for q in [
        ConsultationQuery { to_team: team, open_only: true, page: Paging::first(100), ..Default::default() },
        ConsultationQuery { to_employee: me, open_only: true, page: Paging::first(100), ..Default::default() },
    ] {
        if q.to_team.is_none() && q.to_employee.is_none() {
            continue;
        }
        match s.app.consultations(who, &q).await {
            Ok(list) => open.extend(list),
            Err(e) => return error_page(&e),
        }
    }
    open.sort_by_key(|c| c.asked_at);
    open.dedup_by_key(|c| c.id);
    let mut body = format!("<h1>Ruggespraak</h1>{}", error_box(error.map(dutch).as_deref()));
    body.push_str("<h2>Vragen voor mijn team of voor mij</h2>");
    if open.is_empty() {
        body.push_str("<p>Er wachten geen vragen op een antwoord.</p>");
    }
    for c in &open {
        body.push_str(&format!(
            r#"<article class="ruggespraak" aria-labelledby="rs-{id}">
<h3 id="rs-{id}">Gevraagd {at}</h3>
<p>{question}</p>
<form method="post" action="/werkplek/ruggespraak/{id}/antwoord">{csrf}
<p><label for="antwoord-{id}">Uw antwoord</label><br><textarea id="antwoord-{id}" name="answer" rows="3" cols="60" required></textarea></p>
<p><button type="submit">Antwoord versturen</button></p>
</form>
</article>"#,
            id = c.id,
            at = escape(&s.app.local_time(c.asked_at)),
            question = escape(&c.question).replace('\n', "<br>"),
            csrf = page.csrf_field(),
        ));
    }
    Html(layout(page, "Ruggespraak", &body)).into_response()
}

async fn answer(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ConsultationId>,
    Form(f): Form<AnswerForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.answer_consultation(&page.0.principal, id, &f.answer).await {
        Ok(_) => Redirect::to("/werkplek/ruggespraak").into_response(),
        Err(e) => render(&s, &page, Some(&e)).await,
    }
}

#[derive(Deserialize)]
struct ArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    terug: String,
}

async fn to_article(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ConsultationId>,
    Form(f): Form<ArticleForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.consultation_to_article(&page.0.principal, id, None).await {
        Ok(a) => {
            // Only a path on this site: never an open redirect.
            let back = if f.terug.starts_with("/werkplek/") && !f.terug.starts_with("//") {
                f.terug.as_str()
            } else {
                "/werkplek"
            };
            let message = format!("Concept-artikel gemaakt: {}", a.title);
            Redirect::to(&format!("{back}?melding={}", super::contact::urlencode(&message))).into_response()
        }
        Err(e) => error_page(&e),
    }
}
