//! The complaint register (klachtenregister, Awb 9:12a, `/werkplek/klachten`): the klachten
//! received in a year with status, topic, result and whether they were handled in time; and its
//! annual overview (`/werkplek/klachten/jaaroverzicht`, a page to print, and the same as CSV):
//! counts by topic and outcome, the share handled in time, the measures taken — without
//! personal data. Team leads and beheerders only (the use case checks). Definitions in
//! docs/complaints.md.

use super::{Frame, Page, error_page};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gastvrij_app::AppError;
use gastvrij_app::complaints::Register;
use gastvrij_domain::complaint::{OutcomeCounts, Timeliness, YearOverview};
use gastvrij_domain::portal::dutch_day;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/klachten", get(register))
        .route("/werkplek/klachten/jaaroverzicht", get(overview))
        .route("/werkplek/klachten/jaaroverzicht.csv", get(csv))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    #[serde(default)]
    jaar: Option<String>,
}

/// The register of the year asked for (default: this year in the water board's time zone); a
/// year that cannot be read is refused with a clear message.
async fn load(s: &AppState, page: &Page, q: &YearQuery) -> Result<Register, Response> {
    let year = match &q.jaar {
        Some(given) => given.clone(),
        None => s.app.now().to_zoned_datetime(crate::portal::time_zone(s).await).year().to_string(),
    };
    s.app.complaint_register(&page.0.principal, &year).await.map_err(|e| error_page(&e))
}

/// `templates/staff/complaints/register.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/complaints/register.html")]
struct RegisterPage {
    frame: Frame,
    year: i16,
    rows: Vec<Row>,
}

struct Row {
    id: String,
    reference: String,
    received: String,
    status: &'static str,
    topic: String,
    result: &'static str,
    in_time: &'static str,
}

/// "ja", "nee" or "nog niet" (open, within its term).
fn in_time_word(t: Timeliness) -> &'static str {
    match t {
        Timeliness::InTime => "ja",
        Timeliness::Late => "nee",
        Timeliness::Pending => "nog open",
    }
}

async fn register(State(s): State<AppState>, page: Page, Query(q): Query<YearQuery>) -> Response {
    let r = match load(&s, &page, &q).await {
        Ok(r) => r,
        Err(refused) => return refused,
    };
    let rows = r
        .rows
        .iter()
        .map(|x| Row {
            id: x.id.to_string(),
            reference: x.reference.clone(),
            received: dutch_day(x.received_on),
            status: x.status.label(),
            topic: x.topic.clone().unwrap_or_else(|| gastvrij_domain::complaint::NO_TOPIC.to_string()),
            result: x.result.map(|r| r.label()).unwrap_or(""),
            in_time: in_time_word(x.timeliness),
        })
        .collect();
    RegisterPage { frame: page.frame(format!("Klachtenregister {}", r.year)), year: r.year, rows }.into_response()
}

/// `templates/staff/complaints/overview.html`: to print (the navigation is not printed).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/complaints/overview.html")]
struct OverviewPage {
    frame: Frame,
    o: YearOverview,
    percent: String,
}

/// A share in Dutch notation, "87,5%"; "–" when nothing is judged.
fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%").replace('.', ",")).unwrap_or_else(|| "–".into())
}

async fn overview(State(s): State<AppState>, page: Page, Query(q): Query<YearQuery>) -> Response {
    match load(&s, &page, &q).await {
        Ok(r) => OverviewPage {
            frame: page.frame(format!("Jaaroverzicht klachten {}", r.year)),
            percent: percent(r.overview.in_time_percent),
            o: r.overview,
        }
        .into_response(),
        Err(refused) => refused,
    }
}

/// The annual overview as CSV: one row per topic and a total, then the share in time and the
/// measures. Only counts, topic names and the measures' texts: no names, addresses or references.
async fn csv(State(s): State<AppState>, page: Page, Query(q): Query<YearQuery>) -> Response {
    let o = match load(&s, &page, &q).await {
        Ok(r) => r.overview,
        Err(refused) => return refused,
    };
    match overview_csv(&o) {
        Ok(body) => {
            let name = format!("attachment; filename=\"klachten-jaaroverzicht-{}.csv\"", o.year);
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body)
                .into_response()
        }
        Err(e) => error_page(&AppError::Unexpected(e)),
    }
}

fn overview_csv(o: &YearOverview) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(vec![]);
    w.write_record([
        "jaar",
        "onderwerp",
        "ontvangen",
        "gegrond",
        "deels_gegrond",
        "ongegrond",
        "ingetrokken",
        "zonder_oordeel",
        "open",
    ])?;
    let year = o.year.to_string();
    let counts = |c: &OutcomeCounts| {
        [c.received, c.gegrond, c.deels_gegrond, c.ongegrond, c.ingetrokken, c.without_result, c.open]
            .map(|n| n.to_string())
    };
    for c in o.by_topic.iter().chain(std::iter::once(&o.total)) {
        let mut rec = vec![year.clone(), c.topic.clone()];
        rec.extend(counts(c));
        w.write_record(&rec)?;
    }
    w.write_record([""])?;
    w.write_record(["jaar", "beoordeeld", "op_tijd", "op_tijd_procent"])?;
    let share = o.in_time_percent.map(|p| format!("{p:.1}")).unwrap_or_default();
    w.write_record([year.clone(), o.judged.to_string(), o.in_time.to_string(), share])?;
    w.write_record([""])?;
    w.write_record(["jaar", "onderwerp", "maatregel"])?;
    for m in &o.measures {
        w.write_record([year.as_str(), m.topic.as_str(), m.text.as_str()])?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}
