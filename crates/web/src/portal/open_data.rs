//! Open data for everyone (issue 17): `/open-data/` lists the years the beheerder published,
//! `/open-data/{year}.json` and `/open-data/{year}.csv` are the files, `/open-data/schema.json`
//! the JSON Schema they follow. A year that is not published is a plain 404 page.
//!
//! A published file is kept as it was at publishing, so a request reads one row and never
//! computes figures. Downloads are counted per address ([`crate::AppState::open_data_limiter`]);
//! over the limit a plain 429 page with `Retry-After`. No JavaScript, no personal data.

use super::{Attempt, failure, message, organisation_name};
use crate::AppState;
use crate::layers::ClientIp;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gastvrij_domain::open_data::{SCHEMA_JSON, SMALL_COUNT};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open-data", get(|| async { Redirect::permanent("/open-data/") }))
        .route("/open-data/", get(list))
        .route("/open-data/{file}", get(file))
}

/// One published year in the list.
struct Year {
    year: i16,
    published: String,
}

/// `templates/public/open_data/list.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/open_data/list.html")]
struct ListPage {
    org: String,
    years: Vec<Year>,
    small_count: u64,
}

async fn list(State(s): State<AppState>, ClientIp(ip): ClientIp) -> Response {
    if let Some(refused) = too_many(&s, ip).await {
        return refused;
    }
    let publications = match s.app.open_data_publications().await {
        Ok(p) => p,
        Err(e) => return failure(&s, &e, Attempt::Show).await,
    };
    let org = s.app.store().organisation().await.ok().flatten().unwrap_or_default();
    let tz = jiff::tz::TimeZone::get(&org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let years = publications
        .iter()
        .map(|p| Year {
            year: p.year,
            published: p.published_at.to_zoned_datetime(tz.clone()).strftime("%d-%m-%Y").to_string(),
        })
        .collect();
    ListPage { org: organisation_name(&s).await, years, small_count: SMALL_COUNT }.into_response()
}

#[derive(Clone, Copy)]
enum Kind {
    Json,
    Csv,
}

/// `2026.json` or `2026.csv`; anything else is no file here.
fn file_name(name: &str) -> Option<(i16, Kind)> {
    let (year, ext) = name.rsplit_once('.')?;
    let kind = match ext {
        "json" => Kind::Json,
        "csv" => Kind::Csv,
        _ => return None,
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((year.parse().ok()?, kind))
}

async fn file(State(s): State<AppState>, ClientIp(ip): ClientIp, Path(name): Path<String>) -> Response {
    if let Some(refused) = too_many(&s, ip).await {
        return refused;
    }
    if name == "schema.json" {
        return download(SCHEMA_JSON.to_string(), "application/schema+json", "open-data.schema.json");
    }
    let Some((year, kind)) = file_name(&name) else { return not_published(&s).await };
    let set = match s.app.published_open_data(year).await {
        Ok(Some(set)) => set,
        Ok(None) => return not_published(&s).await,
        Err(e) => return failure(&s, &e, Attempt::Show).await,
    };
    let stem = format!("{}-{year}", set.organisation.code);
    match kind {
        Kind::Json => match serde_json::to_string_pretty(&set) {
            Ok(body) => download(body + "\n", "application/json", &format!("{stem}.json")),
            Err(e) => failure(&s, &gastvrij_app::AppError::Unexpected(e.into()), Attempt::Show).await,
        },
        Kind::Csv => download(set.to_csv(), "text/csv; charset=utf-8", &format!("{stem}.csv")),
    }
}

/// A file with its type and name; anyone may read it from another site (no cookies involved).
fn download(body: String, content_type: &'static str, name: &str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    res
}

async fn not_published(s: &AppState) -> Response {
    message(
        s,
        StatusCode::NOT_FOUND,
        "Niet gevonden",
        "Voor dit jaar zijn geen cijfers gepubliceerd. Op de pagina Open data (/open-data/) staat welke jaren er wel zijn.",
    )
    .await
}

/// Over the download limit of this address: a plain page saying when to try again.
async fn too_many(s: &AppState, ip: Option<std::net::IpAddr>) -> Option<Response> {
    if s.open_data_limiter.allow(ip).await {
        return None;
    }
    let text = "U heeft in korte tijd veel cijfers opgevraagd. Wacht tien minuten en probeer het dan opnieuw.";
    let mut res = message(s, StatusCode::TOO_MANY_REQUESTS, "Even wachten", text).await;
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("600"));
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_year_with_json_or_csv_is_a_file() {
        assert!(matches!(file_name("2026.json"), Some((2026, Kind::Json))));
        assert!(matches!(file_name("2025.csv"), Some((2025, Kind::Csv))));
        for other in ["2026.xml", "2026", "26.json", "+202.json", "2026.json.csv", "abcd.csv", ""] {
            assert!(file_name(other).is_none(), "{other}");
        }
    }
}
