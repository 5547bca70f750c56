//! One search box over the kennisbank and the expertise directory. `?deel=1` answers with the
//! results fragment for live search while typing; without it, a full page (no JavaScript).

use super::{CsrfOnly, Page, error_page, layout};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::search::SearchFilters;
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
}

/// Results HTML: articles first (numbered for Alt+1…9), then people who know about it.
pub async fn results(s: &AppState, page: &Page, q: &str) -> Result<String, AppError> {
    let who = &page.0.principal;
    let text = q.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    let hits = s.app.search_articles(who, text, 5, true, &SearchFilters::default()).await?;
    let mut out = String::from(r#"<h3 id="kb-kop">Kennisbank</h3>"#);
    if hits.is_empty() {
        out.push_str("<p>Geen artikel gevonden. Probeer andere woorden of vraag ruggespraak.</p>");
    } else {
        out.push_str(r#"<ol class="resultaten" aria-labelledby="kb-kop">"#);
        for (i, h) in hits.iter().enumerate() {
            out.push_str(&format!(
                r#"<li><a href="/werkplek/artikelen/{id}" data-result="{n}">{title}</a><p class="fragment">{snippet}</p></li>"#,
                id = crate::workspace::contact::urlencode(&h.id),
                n = i + 1,
                title = escape(&h.title),
                // The snippet is escaped by the index, with only <mark> added.
                snippet = h.snippet,
            ));
        }
        out.push_str("</ol>");
    }
    out.push_str(&super::works::search_hits(s, page, text).await);
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
    if !people.is_empty() {
        out.push_str(r#"<h3 id="wie-kop">Wie weet wat</h3><ul aria-labelledby="wie-kop">"#);
        for p in people.iter().take(5) {
            let status = p.entry.as_ref().map(|e| e.describe()).unwrap_or_else(|| "onbekend".into());
            let subjects = p.entry.as_ref().map(|e| e.expertise.join(", ")).unwrap_or_default();
            out.push_str(&format!(
                "<li><strong>{}</strong> ({}) — {} — tel. {} — {}</li>",
                escape(&p.employee.name),
                escape(p.team.as_deref().unwrap_or("")),
                escape(&subjects),
                escape(p.employee.phone.as_ref().map(|x| x.as_str()).unwrap_or("onbekend")),
                escape(&status)
            ));
        }
        out.push_str("</ul>");
    }
    Ok(out)
}

async fn search(State(s): State<AppState>, page: Page, Query(q): Query<SearchQuery>) -> Response {
    match results(&s, &page, &q.q).await {
        Ok(html) if q.deel.is_some() => Html(html).into_response(),
        Ok(html) => {
            let body = format!(
                r#"<h1>Zoeken</h1>
<form method="get" action="/werkplek/zoeken" role="search">
<p><label for="zoek">Zoek in kennisbank en Wie weet wat</label><br>
<input id="zoek" name="q" value="{q}" size="50" data-live-search="/werkplek/zoeken" aria-controls="resultaten"> <button type="submit">Zoek</button></p>
</form>
<div id="resultaten" aria-live="polite">{html}</div>"#,
                q = escape(&q.q)
            );
            Html(layout(&page, "Zoeken", &body)).into_response()
        }
        Err(e) => {
            if q.deel.is_some() {
                Html(format!(r#"<p role="alert">{}</p>"#, escape(&super::dutch(&e)))).into_response()
            } else {
                error_page(&e)
            }
        }
    }
}

async fn article(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    let who = &page.0.principal;
    match s.app.article_by_external_id(who, &id).await {
        Ok(a) => {
            let body = format!(
                r#"<h1>{title}</h1>
<p><strong>Vraag:</strong> {question}</p>
<h2>Antwoord voor het KCC</h2>
<div class="antwoord">{answer}</div>
<p>Trefwoorden: {keywords} · {uses} keer gebruikt</p>
<form method="post" action="/werkplek/artikelen/{id}/gebruikt">{csrf}<button type="submit" autofocus>Gebruikt voor dit contact</button></form>
<p><a href="/werkplek">Naar de werkplek</a></p>"#,
                title = escape(&a.title),
                question = escape(&a.question),
                answer = escape(&a.answer).replace('\n', "<br>"),
                keywords = escape(&a.keywords.join(", ")),
                uses = a.usage_count,
                id = crate::workspace::contact::urlencode(&id),
                csrf = page.csrf_field(),
            );
            Html(layout(&page, &a.title, &body)).into_response()
        }
        Err(e) => error_page(&e),
    }
}

async fn used(State(s): State<AppState>, page: Page, Path(id): Path<String>, Form(f): Form<CsrfOnly>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let who = &page.0.principal;
    let result = async {
        let a = s.app.article_by_external_id(who, &id).await?;
        s.app.record_article_use(who, a.id).await
    }
    .await;
    match result {
        Ok(()) => {
            Redirect::to(&format!("/werkplek/artikelen/{}?gebruikt=1", crate::workspace::contact::urlencode(&id)))
                .into_response()
        }
        Err(e) => error_page(&e),
    }
}
