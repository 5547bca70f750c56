//! Bedrijfsvergelijking (`/werkplek/vergelijking`, issue 17): this board's open-data figures of a
//! year or quarter beside the peer files a beheerder imported, the median and the best per
//! indicator, as a table with SVG bars (`charts`); the same table as CSV. Team leads and
//! beheerders only (the use case checks). Beheerders also set the organisation code of the
//! open data and publish or withdraw the year shown at `/open-data/` (forms on this page).

use super::{Frame, Page, error_page, message_page, status_of};
use crate::AppState;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gastvrij_app::open_data::{Comparison, YEARS};
use gastvrij_domain::open_data::{ComparisonRow, Unit, higher_is_better};
use gastvrij_domain::team::Role;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/vergelijking", get(page))
        .route("/werkplek/vergelijking.csv", get(csv))
        .route("/werkplek/vergelijking/code", post(set_code))
        .route("/werkplek/vergelijking/publiceren", post(publish))
        .route("/werkplek/vergelijking/intrekken", post(withdraw))
}

#[derive(Deserialize, Default)]
struct ComparisonQuery {
    #[serde(default)]
    jaar: Option<String>,
    #[serde(default)]
    kwartaal: Option<String>,
    #[serde(default)]
    melding: Option<String>,
}

impl ComparisonQuery {
    /// The year asked for (default: this year) and the quarter (default: the whole year);
    /// anything unreadable falls back to the default.
    fn period(&self, this_year: i16) -> (i16, Option<u8>) {
        let year = self.jaar.as_deref().and_then(|y| y.trim().parse().ok()).filter(|y| YEARS.contains(y));
        let quarter = self.kwartaal.as_deref().and_then(|q| q.trim().parse().ok()).filter(|q| (1..=4).contains(q));
        (year.unwrap_or(this_year), quarter)
    }
}

/// `templates/staff/comparison/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/comparison/page.html")]
struct ComparisonPage {
    frame: Frame,
    year: i16,
    years: Vec<super::Choice>,
    quarters: Vec<super::Choice>,
    period: String,
    organisations: Vec<String>,
    rows: Vec<Row>,
    lessons: Vec<String>,
    csv_link: String,
    notice: Option<String>,
    /// The publishing part, for beheerders only.
    admin: Option<Publishing>,
}

/// What a beheerder sees to publish the open data: the code, and whether the year shown is
/// published (and when).
struct Publishing {
    code: String,
    /// `dd-mm-yyyy` when the year shown is published.
    published: Option<String>,
    /// Every published year, newest first.
    years: Vec<i16>,
}

struct Row {
    label: &'static str,
    unit: &'static str,
    /// Shown values in the order of `organisations`: the number or why there is none.
    values: Vec<String>,
    median: String,
    best: String,
    /// The values as bars (`charts::horizontal_bars`), ours first.
    chart: String,
}

/// The Dutch name of an indicator (the definitions are in docs/open-data.md).
fn label(code: &str) -> &'static str {
    match code {
        "contacts_total" => "Contacten, totaal",
        "contacts_telefoon" => "Contacten per telefoon",
        "contacts_email" => "Contacten per e-mail",
        "contacts_webformulier" => "Contacten via webformulier",
        "contacts_balie" => "Contacten aan de balie",
        "contacts_brief" => "Contacten per brief",
        "contacts_sociale_media" => "Contacten via sociale media",
        "contacts_app" => "Contacten via de app",
        "contacts_chat" => "Contacten via chat",
        "contacts_per_1000_inhabitants" => "Contacten per 1.000 inwoners",
        "first_line_share" => "Direct beantwoord (eerste lijn)",
        "consultations_answered_share" => "Ruggespraak beantwoord",
        "consultations_to_article_share" => "Ruggespraak werd kennisartikel",
        "consultations_answered_within_norm" => "Ruggespraak op tijd beantwoord",
        "norm_bereikbaarheid" => "Norm bereikbaarheid (telefoon)",
        "norm_ontvangstbevestiging" => "Norm ontvangstbevestiging",
        "norm_inhoudelijke_reactie" => "Norm inhoudelijke reactie",
        "norm_beschikbaarheid_informatie" => "Norm beschikbaarheid informatie",
        "norm_gastvrijheid" => "Norm gastvrijheid (vraag opgelost)",
        "complaints_per_1000_inhabitants" => "Klachten per 1.000 inwoners",
        "complaints_within_legal_term" => "Klachten binnen wettelijke termijn",
        "permits_decided_in_time" => "Vergunningen op tijd beslist",
        "meldingen_handled_in_time" => "Meldingen op tijd afgehandeld",
        "satisfaction_average_grade" => "Gemiddeld rapportcijfer",
        "survey_response_rate" => "Respons op de enquête",
        "employee_pulse_average" => "Medewerkerspeiling",
        "employee_pulse_workload" => "Medewerkerspeiling: werkdruk",
        "employee_pulse_equipped" => "Medewerkerspeiling: toegerust",
        "employee_pulse_collaboration" => "Medewerkerspeiling: samenwerking",
        "employee_pulse_trust_in_knowledge" => "Medewerkerspeiling: vertrouwen in kennis collega's",
        "employee_pulse_enjoyment" => "Medewerkerspeiling: werkplezier",
        "portal_availability" => "Beschikbaarheid portaal",
        _ => "Onbekende indicator",
    }
}

fn unit(u: Unit) -> &'static str {
    match u {
        Unit::Count => "aantal",
        Unit::Percent => "%",
        Unit::Per1000Inhabitants => "per 1.000 inwoners",
        Unit::Grade => "cijfer",
    }
}

/// A value in Dutch notation: one decimal with a comma (counts without).
fn number(v: f64, u: Unit) -> String {
    if u == Unit::Count { format!("{v:.0}") } else { format!("{v:.1}").replace('.', ",") }
}

/// Why a value is missing, in Dutch.
fn missing(reason: Option<&str>) -> String {
    match reason {
        Some(r) if r.contains("under") || r.contains("fewer") => "afgeschermd (minder dan 5)".into(),
        Some("not in the file") => "niet geleverd".into(),
        _ => "niet gemeten".into(),
    }
}

fn row(r: &ComparisonRow) -> Row {
    let u = r.unit;
    let best = match (&r.best, higher_is_better(&r.code)) {
        (Some((name, v)), Some(_)) => format!("{} ({name})", number(*v, u)),
        (_, None) => "geen oordeel".into(),
        (None, _) => "–".into(),
    };
    Row {
        label: label(&r.code),
        unit: unit(u),
        values: r
            .values
            .iter()
            .map(|v| v.value.map(|x| number(x, u)).unwrap_or_else(|| missing(v.reason.as_deref())))
            .collect(),
        median: r.median.map(|m| number(m, u)).unwrap_or_else(|| "–".into()),
        best,
        chart: crate::charts::horizontal_bars(&r.values.iter().map(|v| v.value).collect::<Vec<_>>()),
    }
}

/// "Leren van": per indicator where a peer does best, by how much.
fn lessons(c: &Comparison) -> Vec<String> {
    c.rows
        .iter()
        .filter_map(|r| {
            let (peer, gap) = r.learn_from()?;
            let word = if higher_is_better(&r.code) == Some(false) { "lager" } else { "hoger" };
            Some(format!("{}: {peer} scoort {} {} {word}.", label(&r.code), number(gap, r.unit), unit(r.unit)))
        })
        .collect()
}

/// This year, the year and quarter asked for, and the comparison; or the error page.
async fn load(s: &AppState, page: &Page, q: &ComparisonQuery) -> Result<(i16, i16, Option<u8>, Comparison), Response> {
    let this_year = s.app.now().to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    let (year, quarter) = q.period(this_year);
    match s.app.comparison(&page.0.principal, year, quarter).await {
        Ok(c) => Ok((this_year, year, quarter, c)),
        Err(e) => Err(error_page(&e)),
    }
}

async fn page(State(s): State<AppState>, page: Page, Query(q): Query<ComparisonQuery>) -> Response {
    let (this_year, year, quarter, c) = match load(&s, &page, &q).await {
        Ok(loaded) => loaded,
        Err(refused) => return refused,
    };
    let mut organisations = vec![format!("{} (wij)", c.own.organisation.name)];
    organisations.extend(c.peers.iter().map(|p| p.organisation.name.clone()));
    let first = (this_year - 5).max(*YEARS.start());
    let years = super::choices((first..=this_year).rev().map(|y| (y.to_string(), y.to_string())), &year.to_string());
    let quarter_text = quarter.map(|q| q.to_string()).unwrap_or_default();
    let quarters = super::choices(
        [("", "Heel het jaar"), ("1", "1e kwartaal"), ("2", "2e kwartaal"), ("3", "3e kwartaal"), ("4", "4e kwartaal")],
        &quarter_text,
    );
    let admin = if page.0.principal.roles.contains(&Role::Beheerder) {
        match publishing(&s, year).await {
            Ok(p) => Some(p),
            Err(e) => return error_page(&e),
        }
    } else {
        None
    };
    let csv_link = match quarter {
        Some(q) => format!("/werkplek/vergelijking.csv?jaar={year}&kwartaal={q}"),
        None => format!("/werkplek/vergelijking.csv?jaar={year}"),
    };
    ComparisonPage {
        frame: page.frame("Vergelijking"),
        year,
        years,
        quarters,
        period: c.period.clone(),
        organisations,
        rows: c.rows.iter().map(row).collect(),
        lessons: lessons(&c),
        csv_link,
        notice: q.melding.clone(),
        admin,
    }
    .into_response()
}

async fn publishing(s: &AppState, year: i16) -> Result<Publishing, gastvrij_app::AppError> {
    let code = s.app.open_data_code().await?;
    let all = s.app.open_data_publications().await?;
    let org = s.app.store().organisation().await?.unwrap_or_default();
    let tz = jiff::tz::TimeZone::get(&org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let published = all
        .iter()
        .find(|p| p.year == year)
        .map(|p| p.published_at.to_zoned_datetime(tz.clone()).strftime("%d-%m-%Y").to_string());
    Ok(Publishing { code, published, years: all.iter().map(|p| p.year).collect() })
}

/// The organisation-code form.
#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    jaar: String,
}

/// The publish and withdraw buttons.
#[derive(Deserialize)]
struct YearForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    jaar: String,
}

/// Back to the comparison of `year` with a notice.
fn back(year: &str, notice: &str) -> Response {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("jaar", year.trim())
        .append_pair("melding", notice)
        .finish();
    Redirect::to(&format!("/werkplek/vergelijking?{query}")).into_response()
}

fn failed(e: &gastvrij_app::AppError) -> Response {
    message_page(status_of(e), "Dat lukte niet", &super::explain(e, super::Saved::Nothing))
}

/// The year of a form, when it is one.
fn form_year(given: &str) -> Option<i16> {
    given.trim().parse::<i16>().ok().filter(|y| YEARS.contains(y))
}

/// The Dutch refusal of a form whose year is not one, naming the field.
fn bad_year() -> Response {
    message_page(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "Dat lukte niet",
        &format!("Jaar: kies een jaar van {} tot en met {} en probeer het opnieuw.", YEARS.start(), YEARS.end()),
    )
}

async fn set_code(State(s): State<AppState>, page: Page, Form(f): Form<CodeForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.set_open_data_code(&page.0.principal, &f.code).await {
        Ok(code) => back(&f.jaar, &format!("De code {code} is opgeslagen. Nieuwe exports gebruiken deze code.")),
        Err(e) => failed(&e),
    }
}

async fn publish(State(s): State<AppState>, page: Page, Form(f): Form<YearForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let Some(year) = form_year(&f.jaar) else { return bad_year() };
    match s.app.publish_open_data(&page.0.principal, year).await {
        Ok(_) => back(&f.jaar, &format!("De cijfers van {year} staan nu op /open-data/.")),
        Err(e) => failed(&e),
    }
}

async fn withdraw(State(s): State<AppState>, page: Page, Form(f): Form<YearForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let Some(year) = form_year(&f.jaar) else { return bad_year() };
    match s.app.withdraw_open_data(&page.0.principal, year).await {
        Ok(true) => back(&f.jaar, &format!("De cijfers van {year} zijn van /open-data/ gehaald.")),
        Ok(false) => back(&f.jaar, &format!("De cijfers van {year} waren niet gepubliceerd.")),
        Err(e) => failed(&e),
    }
}

async fn csv(State(s): State<AppState>, page: Page, Query(q): Query<ComparisonQuery>) -> Response {
    let (_, _, _, c) = match load(&s, &page, &q).await {
        Ok(loaded) => loaded,
        Err(refused) => return refused,
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let mut header = vec!["period".to_string(), "code".into(), "unit".into()];
    header.push(c.own.organisation.code.clone());
    header.extend(c.peers.iter().map(|p| p.organisation.code.clone()));
    header.extend(["median".into(), "best".into(), "best_organisation".into()]);
    let mut records = vec![header];
    for r in &c.rows {
        let mut rec = vec![c.period.clone(), r.code.clone(), r.unit.code().to_string()];
        rec.extend(r.values.iter().map(|v| v.value.map(|x| x.to_string()).unwrap_or_default()));
        rec.push(r.median.map(|m| m.to_string()).unwrap_or_default());
        rec.push(r.best.as_ref().map(|b| b.1.to_string()).unwrap_or_default());
        rec.push(r.best.as_ref().map(|b| b.0.clone()).unwrap_or_default());
        records.push(rec);
    }
    for rec in records {
        if let Err(e) = w.write_record(&rec) {
            return error_page(&gastvrij_app::AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    let name = format!("attachment; filename=\"vergelijking-{}.csv\"", c.period);
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response()
}
