//! Klantoverleg (`/werkplek/klantoverleg`, issue 14): a back-office team's quarter for the
//! meeting with the KCC, as a printable page (print rules in werkplek.css) and as CSV
//! (`/werkplek/klantoverleg.csv`). A GET form picks the team, year and quarter; by default the
//! employee's own team (or the first team) and the quarter of today. Definitions in words:
//! `docs/klantoverleg.md`.

use super::{Choice, Frame, Page, choices, error_page};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gastvrij_app::AppError;
use gastvrij_app::quarterly_review::QuarterlyReview;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::ids::TeamId;
use gastvrij_domain::portal::dutch_day;
use gastvrij_domain::{Invalid, InvalidKind};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/klantoverleg", get(page)).route("/werkplek/klantoverleg.csv", get(csv))
}

/// The form's fields; every one may be left empty (the default).
#[derive(Deserialize, Default)]
struct ReviewQuery {
    #[serde(default)]
    team: String,
    #[serde(default)]
    jaar: String,
    #[serde(default)]
    kwartaal: String,
}

/// `templates/staff/quarterly_review/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/quarterly_review/page.html")]
struct ReviewPage {
    frame: Frame,
    teams: Vec<Choice>,
    years: Vec<Choice>,
    quarters: Vec<Choice>,
    review: QuarterlyReview,
    channels: Vec<&'static str>,
    /// Totals per channel, in the order of `channels`, and in all.
    channel_totals: Vec<u64>,
    total: u64,
    csv_link: String,
}

impl ReviewPage {
    fn quarter_label(&self) -> String {
        format!("{}e kwartaal {}", self.review.period.quarter.unwrap_or(1), self.review.period.year)
    }

    fn day(&self, d: &jiff::civil::Date) -> String {
        dutch_day(*d)
    }

    fn hours(&self, h: &Option<f64>) -> String {
        h.map(|h| format!("{h:.1} uur").replace('.', ",")).unwrap_or_else(|| "geen".into())
    }

    fn percent(&self) -> String {
        let within = self.review.compliance.as_ref().and_then(|c| c.percent_within);
        within.map(|p| format!("{p:.1}%").replace('.', ",")).unwrap_or_else(|| "geen afgeronde metingen".into())
    }
}

/// The team, year and quarter asked for; empty fields take their default.
async fn chosen(s: &AppState, page: &Page, q: &ReviewQuery) -> Result<(TeamId, i16, u8), AppError> {
    let who = &page.0.principal;
    let today = s.app.now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    // A year 2000–2100 and a quarter 1–4; an empty field takes today's.
    let number = |field: &'static str, v: &str, default: i64, (min, max): (i64, i64)| -> Result<i64, AppError> {
        let out_of_range = || Invalid::new(field, InvalidKind::OutOfRange { min, max: Some(max) });
        match v.trim() {
            "" => Ok(default),
            v => v.parse().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| out_of_range().into()),
        }
    };
    let year = number("year", &q.jaar, today.year().into(), (2000, 2100))? as i16;
    let quarter = number("quarter", &q.kwartaal, ((today.month() - 1) / 3 + 1).into(), (1, 4))? as u8;
    let team = match q.team.trim() {
        "" => {
            let own = match who.employee_id() {
                Some(id) => s.app.employee(who, id).await.ok().and_then(|e| e.team_id),
                None => None,
            };
            match own {
                Some(t) => t,
                None => s.app.teams(who).await?.first().map(|t| t.id).ok_or(AppError::NotFound("team"))?,
            }
        }
        t => t.parse().map_err(|_| Invalid::unknown_id("team_id", t))?,
    };
    Ok((team, year, quarter))
}

async fn load(s: &AppState, page: &Page, q: &ReviewQuery) -> Result<QuarterlyReview, AppError> {
    let (team, year, quarter) = chosen(s, page, q).await?;
    s.app.quarterly_review(&page.0.principal, team, year, quarter).await
}

async fn page(State(s): State<AppState>, page: Page, Query(q): Query<ReviewQuery>) -> Response {
    let review = match load(&s, &page, &q).await {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let who = &page.0.principal;
    let teams = s.app.teams(who).await.unwrap_or_default();
    let teams = choices(teams.iter().map(|t| (t.id.to_string(), t.name.clone())), &review.team.id.to_string());
    let this_year = s.app.now().to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    let year = review.period.year;
    let years = choices(
        ((this_year - 5).max(year.min(this_year))..=this_year.max(year)).rev().map(|y| (y.to_string(), y.to_string())),
        &year.to_string(),
    );
    let quarter = review.period.quarter.unwrap_or(1);
    let quarters = choices(
        [("1", "1e kwartaal"), ("2", "2e kwartaal"), ("3", "3e kwartaal"), ("4", "4e kwartaal")],
        &quarter.to_string(),
    );
    let channel_totals: Vec<u64> =
        (0..Channel::ALL.len()).map(|i| review.questions.iter().map(|r| r.per_channel[i]).sum()).collect();
    let total = channel_totals.iter().sum();
    let csv_link = format!("/werkplek/klantoverleg.csv?team={}&jaar={year}&kwartaal={quarter}", review.team.id);
    ReviewPage {
        frame: page.frame(format!("Klantoverleg {}", review.team.name)),
        teams,
        years,
        quarters,
        channels: Channel::ALL.iter().map(|c| c.label()).collect(),
        channel_totals,
        total,
        csv_link,
        review,
    }
    .into_response()
}

/// The report as CSV: one row per figure (`section,item,channel,value`), counts and ratios only.
async fn csv(State(s): State<AppState>, page: Page, Query(q): Query<ReviewQuery>) -> Response {
    let r = match load(&s, &page, &q).await {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let mut rows: Vec<[String; 4]> = vec![["section".into(), "item".into(), "channel".into(), "value".into()]];
    let mut push = |section: &str, item: &str, channel: &str, value: String| {
        rows.push([section.into(), item.into(), channel.into(), value]);
    };
    for t in &r.questions {
        for (channel, n) in Channel::ALL.iter().zip(&t.per_channel) {
            if *n > 0 {
                push("questions", &t.topic, channel.code(), n.to_string());
            }
        }
    }
    let c = &r.consultations;
    let hours = |h: Option<f64>| h.map(|h| format!("{h:.1}")).unwrap_or_default();
    push("consultations", "asked", "", c.asked.to_string());
    push("consultations", "answered", "", c.answered.to_string());
    push("consultations", "open", "", c.open.to_string());
    push("consultations", "median_hours", "", hours(c.median_hours));
    push("consultations", "p90_hours", "", hours(c.p90_hours));
    push("consultations", "to_article", "", c.to_article.to_string());
    for a in &r.articles {
        push("articles", &a.title, "", a.status.code().into());
    }
    for w in &r.planned_works {
        push("planned_works", &w.title, "", format!("{} – {}", w.starts_on, w.ends_on));
    }
    if let Some(g) = &r.compliance {
        push("norms", "within_norm", "", g.counts.within_norm.to_string());
        push("norms", "late", "", g.counts.late.to_string());
        push("norms", "percent_within", "", g.percent_within.map(|p| format!("{p:.1}")).unwrap_or_default());
        push("norms", "target_percent", "", g.target_percent.to_string());
    }
    let mut w = csv::Writer::from_writer(vec![]);
    for row in &rows {
        if let Err(e) = w.write_record(row) {
            return error_page(&AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    let name = format!("attachment; filename=\"klantoverleg-{}.csv\"", r.period.label());
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response()
}
