//! Public answers from the kennisbank (articles with status openbaar): search, the live
//! suggestions under the question box, an answer's page, and "this answered my question"
//! (a question prevented).

use super::{csrf_field, csrf_ok, form_token, message, organisation_name, public_page, rate_limited, with_cookie};
use crate::AppState;
use crate::layers::ClientIp;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::ports::ArticleHit;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/antwoorden", get(search_page))
        .route("/antwoorden/suggesties", get(suggestions))
        .route("/antwoorden/{id}", get(answer))
        .route("/antwoorden/{id}/geholpen", post(helped))
}

#[derive(Deserialize, Default)]
struct Q {
    #[serde(default)]
    q: String,
    /// The question the citizen typed, carried along so they can go on to the form.
    #[serde(default)]
    vraag: String,
}

fn link_with(path: &str, param: &str, value: &str) -> String {
    let encoded: String = value
        .bytes()
        .take(1000)
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("{path}?{param}={encoded}")
}

/// The list of suggested answers; with `go_on`, the way on to the form.
pub fn suggestion_list(hits: &[ArticleHit], question: &str, go_on: bool) -> String {
    if question.trim().chars().count() < 3 {
        return String::new();
    }
    let items: String = hits
        .iter()
        .map(|h| {
            format!(
                r#"<li><a href="{href}">{title}</a><p class="fragment">{snippet}</p></li>"#,
                href = escape(&link_with(&format!("/antwoorden/{}", h.id), "vraag", question)),
                title = escape(&h.title),
                snippet = h.snippet,
            )
        })
        .collect();
    let more = if go_on {
        "<p>Staat uw antwoord er niet bij? Vul dan hieronder de rest van het formulier in.</p>"
    } else {
        ""
    };
    if items.is_empty() {
        return if go_on {
            "<p>We vonden geen antwoord op uw vraag. Vul hieronder de rest van het formulier in.</p>".into()
        } else {
            String::new()
        };
    }
    format!(r#"<h2 class="klein">Misschien helpt dit antwoord u</h2><ul class="resultaten">{items}</ul>{more}"#)
}

async fn suggestions(State(s): State<AppState>, Query(q): Query<Q>) -> Response {
    let hits = s.app.search_public_answers(&q.q, 5).await.unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], Html(suggestion_list(&hits, &q.q, false))).into_response()
}

async fn search_page(State(s): State<AppState>, Query(q): Query<Q>) -> Response {
    let org = organisation_name(&s).await;
    let hits = s.app.search_public_answers(&q.q, 10).await.unwrap_or_default();
    let results = if q.q.trim().is_empty() {
        String::new()
    } else if hits.is_empty() {
        format!(
            r#"<p>We vonden geen antwoord. <a href="{}">Stel uw vraag aan ons</a>.</p>"#,
            escape(&link_with("/vraag", "omschrijving", &q.q))
        )
    } else {
        suggestion_list(&hits, &q.q, false)
    };
    let body = format!(
        r#"<h1>Zoek in onze antwoorden</h1>
<form method="get" action="/antwoorden" role="search">
<div class="veld"><label for="q">Waar zoekt u een antwoord op?</label>
<input id="q" name="q" value="{q}" maxlength="500"></div>
<p><button type="submit">Zoeken</button></p>
</form>
{results}"#,
        q = escape(&q.q)
    );
    Html(public_page(&org, "Zoek in onze antwoorden", &body)).into_response()
}

async fn answer(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>, Query(q): Query<Q>) -> Response {
    let article = match s.app.public_answer(&id).await {
        Ok(a) => a,
        Err(e) => return super::failure(&s, &e).await,
    };
    let (token, set_cookie) = form_token(&headers);
    let org = organisation_name(&s).await;
    let text = article.public_answer.as_deref().unwrap_or_default();
    let paragraphs: String =
        text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| format!("<p>{}</p>", escape(p.trim()))).collect();
    let ask = link_with("/vraag", "omschrijving", &q.vraag);
    let body = format!(
        r#"<h1>{title}</h1>
{paragraphs}
<h2>Hebt u hiermee uw antwoord?</h2>
<form method="post" action="/antwoorden/{id}/geholpen" class="inline">
{csrf}
<button type="submit">Ja, dit beantwoordt mijn vraag</button>
</form>
<p class="inline"><a href="{ask}">Nee, ik wil mijn vraag toch stellen</a></p>"#,
        title = escape(&article.title),
        id = escape(&article.external_id),
        csrf = csrf_field(&token),
        ask = escape(&ask),
    );
    with_cookie(Html(public_page(&org, &article.title, &body)).into_response(), set_cookie)
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn helped(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&headers, &form.csrf) {
        return message(
            &s,
            StatusCode::FORBIDDEN,
            "Dat ging niet goed",
            "De pagina was verlopen. Ga terug, laad de pagina opnieuw en klik nog een keer.",
        )
        .await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    match s.app.record_question_prevented(&id).await {
        Ok(()) => {
            message(
                &s,
                StatusCode::OK,
                "Fijn dat we u konden helpen",
                "Dank u wel. U hoeft uw vraag niet meer te stellen.",
            )
            .await
        }
        Err(e) => super::failure(&s, &e).await,
    }
}
