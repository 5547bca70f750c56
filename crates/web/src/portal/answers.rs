//! Public answers from the kennisbank (articles with status openbaar): search, the live
//! suggestions under the question box, an answer's page, and "this answered my question"
//! (a question prevented). A search on the answers page is kept masked
//! (docs/kennisbank-learning.md); its id goes along to the answer (`zoek`), so "geholpen" marks
//! it. The suggestions under a form's question box are not kept.

use super::{Attempt, csrf_ok, failure, form_token, message, organisation_name, rate_limited, with_cookie};
use crate::AppState;
use crate::layers::ClientIp;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::ports::ArticleHit;
use gastvrij_domain::search_questions::SearchChannel;
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
    /// The kept search that led to an answer.
    #[serde(default)]
    zoek: Option<String>,
}

/// "Ja, dit beantwoordt mijn vraag", with the search that led to the answer.
#[derive(Deserialize)]
struct HelpedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    zoek: Option<String>,
}

/// The longest question carried along in a link.
const MAX_QUESTION_IN_LINK: usize = 1000;

/// Suggested answers for what the citizen typed (`templates/public/answers/suggestions.html`);
/// with `go_on`, the way on to the form. Nothing is shown under three characters.
pub struct Suggestions {
    pub hits: Vec<ArticleHit>,
    pub question: String,
    pub go_on: bool,
    /// The kept search, carried to the answer as `zoek`.
    pub search_id: Option<String>,
}

impl Suggestions {
    /// The question as carried in a link to an answer or to the form.
    pub fn question_param(&self) -> String {
        self.question.chars().take(MAX_QUESTION_IN_LINK).collect()
    }
}

/// The suggestions alone: the fragment `portaal.js` puts under the question box.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/answers/suggestions.html")]
struct SuggestionsFragment {
    suggestions: Suggestions,
}

async fn suggestions(State(s): State<AppState>, Query(q): Query<Q>) -> impl IntoResponse {
    let hits = s.app.search_public_answers(&q.q, 5).await.unwrap_or_default();
    SuggestionsFragment { suggestions: Suggestions { hits, question: q.q, go_on: false, search_id: None } }
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/answers/search.html")]
struct SearchPage {
    org: String,
    suggestions: Suggestions,
}

async fn search_page(State(s): State<AppState>, Query(q): Query<Q>) -> impl IntoResponse {
    let hits = s.app.search_public_answers(&q.q, 10).await.unwrap_or_default();
    let search_id = s.app.record_search(None, SearchChannel::Website, &q.q, &hits, &[]).await;
    SearchPage {
        org: organisation_name(&s).await,
        suggestions: Suggestions { hits, question: q.q, go_on: false, search_id },
    }
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/answers/answer.html")]
struct AnswerPage<'a> {
    org: String,
    title: &'a str,
    id: &'a str,
    paragraphs: Vec<&'a str>,
    /// The question typed before, for "ask it anyway".
    question: String,
    token: String,
    /// The search that led here, for "geholpen".
    zoek: Option<String>,
}

async fn answer(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<String>, Query(q): Query<Q>) -> Response {
    let article = match s.app.public_answer(&id).await {
        Ok(a) => a,
        Err(e) => return failure(&s, &e, Attempt::Show).await,
    };
    let (token, set_cookie) = form_token(&headers);
    let text = article.public_answer.as_deref().unwrap_or_default();
    let page = AnswerPage {
        org: organisation_name(&s).await,
        title: &article.title,
        id: &article.external_id,
        paragraphs: text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect(),
        question: q.vraag.chars().take(MAX_QUESTION_IN_LINK).collect(),
        token,
        zoek: q.zoek.filter(|z| !z.trim().is_empty()),
    };
    with_cookie(page.into_response(), set_cookie)
}

async fn helped(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<HelpedForm>,
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
    match s.app.record_question_prevented(&id, form.zoek.as_deref()).await {
        Ok(()) => {
            message(
                &s,
                StatusCode::OK,
                "Fijn dat we u konden helpen",
                "Dank u wel. U hoeft uw vraag niet meer te stellen.",
            )
            .await
        }
        Err(e) => failure(&s, &e, Attempt::Store).await,
    }
}
