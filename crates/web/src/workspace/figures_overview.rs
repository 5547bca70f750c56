//! The figures overview (`/werkplek/cijfers`): the links to every figure page, and the weekly
//! trends beside each other: norm compliance (category 3) beside the average customer grade,
//! and the employee pulse, each as an SVG chart beside its table, with a CSV
//! (`/werkplek/cijfers/weken.csv`). The figures come from `App::weekly_trends`, which takes
//! them from the functions behind the norm, satisfaction and pulse dashboards; they are defined
//! in `docs/figures-overview.md`.

use super::satisfaction::parse_day;
use super::{Choice, Frame, Page, choices, error_page};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gastvrij_app::AppError;
use gastvrij_app::figures_trend::WeeklyTrends;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::pulse::TOO_FEW;
use jiff::civil::Date;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/cijfers", get(index)).route("/werkplek/cijfers/weken.csv", get(csv))
}

/// The filters as typed in the address (all optional).
#[derive(Deserialize, Default, Clone)]
struct FilterQuery {
    #[serde(default)]
    van: String,
    /// Inclusive: the last day shown.
    #[serde(default)]
    tot: String,
    #[serde(default)]
    segment: String,
}

/// The period and segment asked for; the default period is the eight weeks up to today, as on
/// the norm dashboard. A wrong day gives the default and says what is wrong.
struct Asked {
    from: Date,
    to: Date,
    segment: Option<Segment>,
    error: Option<String>,
}

fn asked(q: &FilterQuery, today: Date) -> Asked {
    let monday = today - jiff::Span::new().days(today.weekday().to_monday_zero_offset());
    let default_from = monday - jiff::Span::new().weeks(7);
    let default_to = today.tomorrow().unwrap_or(today);
    let mut error = None;
    let mut day = |v: &str, label: &str, default: Date| match parse_day(label, v) {
        Ok(d) => d.unwrap_or(default),
        Err(e) => {
            error = Some(e);
            default
        }
    };
    let from = day(&q.van, "van", default_from);
    let to = day(&q.tot, "tot en met", today).tomorrow().unwrap_or(default_to);
    let (from, to) = if to <= from {
        error = Some("De dag bij „tot en met” ligt voor de dag bij „van”; draai ze om.".into());
        (default_from, default_to)
    } else if (to - from).get_days() > gastvrij_app::figures_trend::MAX_DAYS {
        error = Some("Kies een periode van hoogstens een jaar.".into());
        (default_from, default_to)
    } else {
        (from, to)
    };
    Asked { from, to, segment: q.segment.trim().parse().ok(), error }
}

/// `templates/staff/figures/index.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/figures/index.html")]
struct IndexPage {
    frame: Frame,
    error: Option<String>,
    van: String,
    tot: String,
    segments: Vec<Choice>,
    period: String,
    csv_link: String,
    segment_note: String,
    norm_chart: String,
    /// Week, within norm, target, decided, average grade, answers; newest first.
    weeks: Vec<[String; 6]>,
    pulse_every: &'static str,
    pulse_chart: String,
    /// Period, average score or "te weinig antwoorden"; newest first.
    pulse: Vec<(String, String)>,
}

fn one_decimal(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{}%", one_decimal(v)))
}

fn day(d: Date) -> String {
    format!("{}-{}-{}", d.day(), d.month(), d.year())
}

async fn load(s: &AppState, page: &Page, q: &FilterQuery) -> Result<(Asked, WeeklyTrends), AppError> {
    let today = s.app.norm_today()?;
    let asked = asked(q, today);
    let trends = s.app.weekly_trends(&page.0.principal, asked.from, asked.to, asked.segment).await?;
    Ok((asked, trends))
}

async fn index(State(s): State<AppState>, page: Page, Query(q): Query<FilterQuery>) -> Response {
    let (asked, t) = match load(&s, &page, &q).await {
        Ok(x) => x,
        Err(e) => return error_page(&e),
    };
    let last = t.to.yesterday().unwrap_or(t.to);
    let segment = t.segment.map(|s| s.code()).unwrap_or("");
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("van", &t.from.to_string()).append_pair("tot", &last.to_string()).append_pair("segment", segment);
    let mut segment_choices = vec![("".to_string(), "Alle segmenten".to_string())];
    segment_choices.extend(Segment::ALL.iter().map(|s| (s.code().to_string(), s.code().to_string())));
    let weeks = t
        .weeks
        .iter()
        .rev()
        .map(|w| {
            [
                format!("{} (vanaf {})", w.week, day(w.monday.max(t.from))),
                percent(w.within_norm_percent),
                w.norm_target.map_or_else(|| "—".to_string(), |p| format!("{p}%")),
                w.decided.to_string(),
                w.satisfaction.grade().map_or_else(|| "—".to_string(), one_decimal),
                w.satisfaction.answers.to_string(),
            ]
        })
        .collect();
    let norm_chart = crate::charts::paired_columns(
        &t.weeks.iter().map(|w| w.within_norm_percent).collect::<Vec<_>>(),
        100.0,
        &t.weeks.iter().map(|w| w.satisfaction.grade()).collect::<Vec<_>>(),
        10.0,
    );
    let pulse_chart =
        crate::charts::columns(&t.pulse.iter().map(|p| p.figures.overall()).collect::<Vec<_>>(), 0.0, 5.0);
    let pulse = t
        .pulse
        .iter()
        .rev()
        .map(|p| (p.period.label(), p.figures.overall().map_or_else(|| TOO_FEW.to_string(), one_decimal)))
        .collect();
    let view = IndexPage {
        frame: page.frame("Cijfers"),
        error: asked.error.clone(),
        van: t.from.to_string(),
        tot: last.to_string(),
        segments: choices(segment_choices, segment),
        period: format!("{} tot en met {}", day(t.from), day(last)),
        csv_link: format!("/werkplek/cijfers/weken.csv?{}", query.finish()),
        segment_note: match t.segment {
            Some(s) => format!("Alleen zaken en antwoorden van klanten in het segment {}.", s.code()),
            None => "Alle klanten.".into(),
        },
        norm_chart,
        weeks,
        pulse_every: t.pulse_cadence.dutch(),
        pulse_chart,
        pulse,
    };
    let status = if asked.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, view).into_response()
}

/// The trends as CSV: per week the norm figure and the satisfaction figures, then per period of
/// the pulse its average (empty when too few answered: not even the number of answers).
async fn csv(State(s): State<AppState>, page: Page, Query(q): Query<FilterQuery>) -> Response {
    let (_, t) = match load(&s, &page, &q).await {
        Ok(x) => x,
        Err(e) => return error_page(&e),
    };
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    let mut w = csv::Writer::from_writer(vec![]);
    let mut records: Vec<Vec<String>> =
        vec![["series", "period", "first_day", "value", "target", "measured"].iter().map(|h| h.to_string()).collect()];
    for wk in &t.weeks {
        let first_day = wk.monday.max(t.from).to_string();
        records.push(vec![
            "binnen_servicenorm_percent".into(),
            wk.week.clone(),
            first_day.clone(),
            opt(wk.within_norm_percent),
            wk.norm_target.map(|p| p.to_string()).unwrap_or_default(),
            wk.decided.to_string(),
        ]);
        records.push(vec![
            "gemiddeld_klantcijfer".into(),
            wk.week.clone(),
            first_day,
            opt(wk.satisfaction.grade()),
            String::new(),
            wk.satisfaction.answers.to_string(),
        ]);
    }
    for p in &t.pulse {
        let answers = match p.figures {
            gastvrij_domain::pulse::PulseFigures::Shown { answers, .. } => answers.to_string(),
            gastvrij_domain::pulse::PulseFigures::TooFewAnswers => String::new(),
        };
        records.push(vec![
            "peiling_gemiddelde".into(),
            p.period.label(),
            p.period.start.to_string(),
            opt(p.figures.overall()),
            String::new(),
            answers,
        ]);
    }
    for r in records {
        if let Err(e) = w.write_record(&r) {
            return error_page(&AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"cijfers-per-week.csv\""),
        ],
        body,
    )
        .into_response()
}
