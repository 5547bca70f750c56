//! Contact figures in the workspace (issue 15): `/werkplek/cijfers/contacten` shows first time
//! right, the consultations (ruggespraak), the handovers per team, the contacts per channel (an
//! SVG bar chart beside its table) and per hour of the week, with a CSV download
//! (`/werkplek/cijfers/contacten.csv`). The figures come from [`gastvrij_app::App::contact_figures`],
//! as in `GET /api/v1/contact-figures`; every figure is defined in `docs/contact-figures.md`.

use super::satisfaction::parse_day;
use super::{Choice, Frame, Page, choices, csv_download, error_page, message_page};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gastvrij_app::AppError;
use gastvrij_app::contact_figures::{ContactFigures, ContactFiguresQuery};
use gastvrij_domain::customer::Segment;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/cijfers/contacten", get(dashboard))
        .route("/werkplek/cijfers/contacten.csv", get(csv))
}

/// Dutch weekday names, Monday first.
const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

/// The filters as typed in the address (all optional).
#[derive(Deserialize, Default, Clone)]
pub struct FilterParams {
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    segment: String,
}

impl FilterParams {
    /// The query, or what is wrong in Dutch (the field named, how to fix it).
    fn query(&self) -> Result<ContactFiguresQuery, String> {
        let team = match self.team.trim() {
            "" => None,
            v if v.parse::<uuid::Uuid>().is_ok() => Some(v.to_string()),
            _ => return Err("Het team bestaat niet. Kies een team uit de lijst.".into()),
        };
        let segment = match self.segment.trim() {
            "" => None,
            v if Segment::ALL.iter().any(|s| s.code() == v) => Some(v.to_string()),
            _ => return Err("Het segment bestaat niet. Kies een segment uit de lijst.".into()),
        };
        Ok(ContactFiguresQuery {
            from: parse_day("Van", &self.van)?,
            to: parse_day("Tot", &self.tot)?,
            team_id: team,
            segment,
        })
    }

    fn link(&self, path: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("van", &self.van), ("tot", &self.tot), ("team", &self.team), ("segment", &self.segment)] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        let q = q.finish();
        if q.is_empty() { path.to_string() } else { format!("{path}?{q}") }
    }
}

/// The figures, or the page that says what is wrong.
async fn load(s: &AppState, page: &Page, f: &FilterParams) -> Result<ContactFigures, Response> {
    let q = f.query().map_err(|text| message_page(StatusCode::UNPROCESSABLE_ENTITY, "Controleer de filters", &text))?;
    match s.app.contact_figures(&page.0.principal, &q).await {
        Ok(r) => Ok(r),
        Err(AppError::Invalid(_)) => Err(message_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Controleer de filters",
            "De periode klopt niet. Kies bij „Van” een dag vóór „Tot”, en niet meer dan drie jaar ertussen.",
        )),
        Err(e) => Err(error_page(&e)),
    }
}

/// A percentage in Dutch notation with one decimal; a dash without a base.
fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{} %", format!("{v:.1}").replace('.', ",")))
}

/// `templates/staff/figures/contacts.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/figures/contacts.html")]
struct DashboardPage {
    frame: Frame,
    f: FilterParams,
    teams: Vec<Choice>,
    segments: Vec<Choice>,
    period: String,
    r: ContactFigures,
    first_time: String,
    chart: String,
    channels: Vec<(String, u64)>,
    handovers: Vec<(String, u64)>,
    week: Vec<(&'static str, Vec<u64>)>,
    csv_link: String,
}

async fn dashboard(State(s): State<AppState>, page: Page, Query(f): Query<FilterParams>) -> Response {
    let r = match load(&s, &page, &f).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let teams: HashMap<String, String> = match s.app.teams(&page.0.principal).await {
        Ok(t) => t.into_iter().map(|t| (t.id.to_string(), t.name)).collect(),
        Err(e) => return error_page(&e),
    };
    let mut options: Vec<(String, String)> = teams.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    options.sort_by(|a, b| a.1.cmp(&b.1));
    options.insert(0, (String::new(), "Alle teams".into()));
    let team_name = |id: &str| match teams.get(id) {
        Some(n) => n.clone(),
        None if id.is_empty() => "Onbekend".into(),
        None => id.to_string(),
    };
    DashboardPage {
        frame: page.frame("Contacten"),
        teams: choices(options, f.team.trim()),
        segments: {
            let mut segments = vec![(String::new(), "Alle segmenten".to_string())];
            segments.extend(Segment::ALL.iter().map(|s| (s.code().to_string(), s.code().to_string())));
            choices(segments, f.segment.trim())
        },
        period: format!(
            "{} tot {}",
            gastvrij_domain::portal::dutch_day(r.from),
            gastvrij_domain::portal::dutch_day(r.to)
        ),
        first_time: percent(r.first_time_percent()),
        chart: crate::charts::horizontal_bars(&r.per_channel.iter().map(|(_, n)| Some(*n as f64)).collect::<Vec<_>>()),
        channels: r.per_channel.iter().map(|(c, n)| (c.label().to_string(), *n)).collect(),
        handovers: r.handovers.iter().map(|(t, n)| (team_name(t), *n)).collect(),
        week: DAYS.iter().zip(r.week.iter()).map(|(d, h)| (*d, h.to_vec())).collect(),
        csv_link: f.link("/werkplek/cijfers/contacten.csv"),
        f,
        r,
    }
    .into_response()
}

/// One CSV: `section,key,value` rows, so every table of the page is in one file.
async fn csv(State(s): State<AppState>, page: Page, Query(f): Query<FilterParams>) -> Response {
    let r = match load(&s, &page, &f).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let mut rows: Vec<Vec<String>> = vec![["section", "key", "value"].map(String::from).to_vec()];
    let mut add = |section: &str, key: String, value: String| rows.push(vec![section.to_string(), key, value]);
    add("period", "from".into(), r.from.to_string());
    add("period", "to".into(), r.to.to_string());
    add("contacts", "started".into(), r.contacts.to_string());
    add("contacts", "closed".into(), r.closed.to_string());
    add("contacts", "first_time_right".into(), r.first_time.to_string());
    add(
        "contacts",
        "first_time_right_percent".into(),
        r.first_time_percent().map(|p| format!("{p:.2}")).unwrap_or_default(),
    );
    add("consultations", "asked".into(), r.consults_asked.to_string());
    add("consultations", "answered".into(), r.consults_answered.to_string());
    add("consultations", "to_article".into(), r.consults_to_article.to_string());
    for (team, n) in &r.handovers {
        add("handovers", team.clone(), n.to_string());
    }
    add("forwarded", "questions".into(), r.forwarded.to_string());
    for (c, n) in &r.per_channel {
        add("channel", c.code().to_string(), n.to_string());
    }
    for (day, hours) in r.week.iter().enumerate() {
        for (hour, n) in hours.iter().enumerate() {
            add("hour_of_week", format!("{}-{hour:02}", day + 1), n.to_string());
        }
    }
    csv_download("contacten.csv", &rows)
}
