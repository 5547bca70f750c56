//! One search box over the kennisbank and the expertise directory. `?deel=1` answers with the
//! results fragment for live search while typing; without it, a full page (no JavaScript).
//! Every search is kept masked (docs/kennisbank-learning.md); its id goes along in the links to
//! the articles (`?zoek=`), so "Gebruikt voor dit contact" marks the search as used.

use super::{Frame, Page, Saved, error_page, explain};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::search::SearchFilters;
use gastvrij_domain::search_questions::SearchChannel;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/zoeken", get(search))
        .route("/werkplek/artikelen/{id}", get(article))
        .route("/werkplek/artikelen/{id}/gebruikt", post(used))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    deel: Option<String>,
    /// The contact being handled (the contact screen's live search): its customer's name is
    /// masked in the kept search.
    #[serde(default)]
    contact: Option<String>,
}

/// What a search found (`templates/staff/search/results.html`): articles first (numbered for
/// Alt+1…9), then works, then people who know about it.
pub struct Results {
    articles: Vec<gastvrij_app::ports::ArticleHit>,
    /// The kept search, carried to the article as `?zoek=`.
    search_id: Option<String>,
    works: Vec<super::planned_works::WorkHit>,
    people: Vec<PersonHit>,
}

struct PersonHit {
    name: String,
    team: String,
    subjects: String,
    phone: String,
    status: String,
}

/// Search for `q` (while handling `contact`, if any); `None` for an empty query.
pub async fn results(s: &AppState, page: &Page, q: &str, contact: Option<&str>) -> Result<Option<Results>, AppError> {
    let who = &page.0.principal;
    let text = q.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let articles = s.app.search_articles(who, text, 5, true, &SearchFilters::default()).await?;
    let known = match contact.and_then(|c| c.trim().parse().ok()) {
        Some(c) => s.app.names_known_to_contact(who, c).await,
        None => vec![],
    };
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let search_id = s.app.record_search(Some(who), SearchChannel::Werkplek, text, &articles, &known).await;
    let works = super::planned_works::search_hits(s, page, text).await;
    // Whole-query matches are rare for sentences; then the longest words one by one.
    let everyone = s.app.directory(who, "").await.unwrap_or_default();
    let mut people: Vec<_> = everyone.iter().filter(|p| p.matches(text)).collect();
    if people.is_empty() {
        let mut words: Vec<&str> = text.split_whitespace().filter(|w| w.chars().count() >= 5).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        for w in words.into_iter().take(3) {
            people = everyone.iter().filter(|p| p.matches(w)).collect();
            if !people.is_empty() {
                break;
            }
        }
    }
    let people = people
        .iter()
        .take(5)
        .map(|p| PersonHit {
            name: p.employee.name.clone(),
            team: p.team.clone().unwrap_or_default(),
            subjects: p.entry.as_ref().map(|e| e.expertise.join(", ")).unwrap_or_default(),
            phone: p.employee.phone.as_ref().map(|x| x.as_str().to_string()).unwrap_or_else(|| "onbekend".into()),
            status: p.entry.as_ref().map(|e| e.describe()).unwrap_or_else(|| "onbekend".into()),
        })
        .collect();
    Ok(Some(Results { articles, search_id, works, people }))
}

/// `templates/staff/search/fragment.html`: what live search puts into `#resultaten`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/search/fragment.html")]
struct Fragment {
    results: Option<Results>,
    error: Option<String>,
}

/// `templates/staff/search/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/search/page.html")]
struct SearchPage {
    frame: Frame,
    q: String,
    results: Option<Results>,
}

async fn search(State(s): State<AppState>, page: Page, Query(q): Query<SearchQuery>) -> Response {
    match (results(&s, &page, &q.q, q.contact.as_deref()).await, q.deel.is_some()) {
        (Ok(results), true) => Fragment { results, error: None }.into_response(),
        (Ok(results), false) => SearchPage { frame: page.frame("Zoeken"), q: q.q, results }.into_response(),
        // The fragment answers 200 with the reason: the script shows whatever comes back.
        (Err(e), true) => Fragment { results: None, error: Some(explain(&e, Saved::Nothing)) }.into_response(),
        (Err(e), false) => error_page(&e),
    }
}

/// `templates/staff/search/article.html`; the answer keeps its line breaks.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/search/article.html")]
struct ArticlePage {
    frame: Frame,
    id: String,
    title: String,
    question: String,
    answer: String,
    keywords: String,
    uses: i64,
    /// The search that led here, for "Gebruikt voor dit contact".
    zoek: Option<String>,
}

#[derive(Deserialize, Default)]
struct FromSearch {
    #[serde(default)]
    zoek: Option<String>,
}

/// "Gebruikt voor dit contact", with the search that led to the article.
#[derive(Deserialize)]
struct UsedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    zoek: Option<String>,
}

async fn article(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(from): Query<FromSearch>,
) -> Response {
    let who = &page.0.principal;
    match s.app.article_by_external_id(who, &id).await {
        Ok(a) => ArticlePage {
            frame: page.frame(a.title.clone()),
            id,
            title: a.title,
            question: a.question,
            answer: a.answer,
            keywords: a.keywords.join(", "),
            uses: a.usage_count,
            zoek: from.zoek.filter(|z| !z.trim().is_empty()),
        }
        .into_response(),
        Err(e) => error_page(&e),
    }
}

async fn used(State(s): State<AppState>, page: Page, Path(id): Path<String>, Form(f): Form<UsedForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let who = &page.0.principal;
    let result = async {
        let a = s.app.article_by_external_id(who, &id).await?;
        s.app.record_article_use(who, a.id).await?;
        s.app.record_search_use(f.zoek.as_deref(), a.id).await;
        Ok::<(), AppError>(())
    }
    .await;
    match result {
        Ok(()) => {
            let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
            Redirect::to(&format!("/werkplek/artikelen/{id}?gebruikt=1")).into_response()
        }
        Err(e) => error_page(&e),
    }
}
