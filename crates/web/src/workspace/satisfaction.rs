//! Figures in the workspace (issue 15): `/werkplek/cijfers/tevredenheid` shows customer
//! satisfaction from the daily roll-up (trend as SVG beside its table, CSV, split and filters, comments with search, the action points beside
//! their figure, and the sample rates for a beheerder); `/werkplek/verbeterpunten` is the
//! register of action points. Roles are checked by the use cases; every figure is defined in
//! `docs/satisfaction.md`.

use super::{Choice, Frame, Page, choices, error_page, message_page, status_of, with_notice};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::ports::{Improvement, SurveyComment};
use gastvrij_app::satisfaction::{SatisfactionQuery, SatisfactionReport, SatisfactionSeries};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::ImprovementId;
use gastvrij_domain::satisfaction::{
    Granularity, ImprovementForm, ImprovementStatus, LOW_GRADE, SatisfactionTotals, SourceKind, Split,
};
use gastvrij_domain::team::Role;
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/cijfers/tevredenheid", get(dashboard))
        .route("/werkplek/cijfers/tevredenheid.csv", get(csv))
        .route("/werkplek/cijfers/tevredenheid/steekproef", post(set_rates))
        .route("/werkplek/verbeterpunten", get(register).post(create))
        .route("/werkplek/verbeterpunten/{id}/status", post(set_status))
}

/// A day typed in a filter field (empty: none), or what is wrong in Dutch with `label` named.
pub(super) fn parse_day(label: &str, v: &str) -> Result<Option<jiff::civil::Date>, String> {
    match v.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| format!("„{label}” is geen datum. Kies een datum, bijvoorbeeld 2026-03-01.")),
    }
}

/// The filters as typed in the address (all optional).
#[derive(Deserialize, Default, Clone)]
pub struct FilterParams {
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    per: String,
    #[serde(default)]
    splits: String,
    #[serde(default)]
    kanaal: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    onderwerp: String,
    #[serde(default)]
    segment: String,
    #[serde(default)]
    zoek: String,
    #[serde(default)]
    melding: Option<String>,
}

impl FilterParams {
    /// The query, or what is wrong in Dutch (the field named, how to fix it).
    fn query(&self) -> Result<SatisfactionQuery, String> {
        let date = parse_day;
        let pick = |label: &str, v: &str| -> Result<Option<String>, String> {
            match v.trim() {
                "" => Ok(None),
                v if v.parse::<uuid::Uuid>().is_ok() => Ok(Some(v.to_string())),
                _ => Err(format!("Het {label} bestaat niet. Kies een {label} uit de lijst.")),
            }
        };
        Ok(SatisfactionQuery {
            from: date("Van", &self.van)?,
            to: date("Tot", &self.tot)?,
            granularity: match self.per.trim() {
                "" => Granularity::default(),
                v => v.parse().map_err(|_| "Kies bij „Per” dag, week of maand.".to_string())?,
            },
            split: match self.splits.trim() {
                "" => Split::default(),
                v => v.parse().map_err(|_| "Kies bij „Verdeel” een van de keuzes uit de lijst.".to_string())?,
            },
            channel: match self.kanaal.trim() {
                "" => None,
                v => Some(v.parse().map_err(|_| "Dat kanaal bestaat niet. Kies een kanaal uit de lijst.".to_string())?),
            },
            team_id: pick("team", &self.team)?,
            topic_id: pick("onderwerp", &self.onderwerp)?,
            segment: match self.segment.trim() {
                "" => None,
                v => Some(
                    v.parse().map_err(|_| "Dat segment bestaat niet. Kies een segment uit de lijst.".to_string())?,
                ),
            },
        })
    }

    /// The address of the dashboard (or its CSV) with these filters.
    fn link(&self, path: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("van", &self.van),
            ("tot", &self.tot),
            ("per", &self.per),
            ("splits", &self.splits),
            ("kanaal", &self.kanaal),
            ("team", &self.team),
            ("onderwerp", &self.onderwerp),
            ("segment", &self.segment),
            ("zoek", &self.zoek),
        ] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        let q = q.finish();
        if q.is_empty() { path.to_string() } else { format!("{path}?{q}") }
    }
}

/// Names for the keys of the roll-up.
struct Names {
    teams: HashMap<String, String>,
    topics: HashMap<String, String>,
}

impl Names {
    async fn load(s: &AppState, page: &Page) -> Result<Self, AppError> {
        let who = &page.0.principal;
        let teams = s.app.teams(who).await?.into_iter().map(|t| (t.id.to_string(), t.name)).collect();
        let topics = s.app.topics(who).await?.into_iter().map(|t| (t.id.to_string(), t.name)).collect();
        Ok(Names { teams, topics })
    }

    fn of(&self, split: Split, key: &str) -> String {
        if key.is_empty() {
            return "Onbekend".into();
        }
        match split {
            Split::Total => "Alles".into(),
            Split::Channel => key.parse::<Channel>().map_or(key.to_string(), |c| c.label().to_string()),
            Split::Team => self.teams.get(key).cloned().unwrap_or_else(|| key.to_string()),
            Split::Topic => self.topics.get(key).cloned().unwrap_or_else(|| key.to_string()),
            Split::Segment | Split::CaseType => key.to_string(),
        }
    }
}

/// A figure in Dutch notation with one decimal; a dash without answers.
fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{v:.1}").replace('.', ","))
}

/// One row of figures.
struct Row {
    label: String,
    answers: u64,
    grade: String,
    solved: String,
    effort: String,
    low: u64,
}

impl Row {
    fn of(label: String, t: &SatisfactionTotals) -> Self {
        Row {
            label,
            answers: t.answers,
            grade: number(t.grade()),
            solved: t.solved_percent().map_or_else(|| "–".into(), |p| format!("{} %", number(Some(p)))),
            effort: number(t.effort()),
            low: t.low,
        }
    }
}

/// One group of a split, with the link that makes an action point of its figure and the action
/// points made from it.
struct GroupRow {
    row: Row,
    action_link: String,
    actions: Vec<ActionView>,
}

struct CommentView {
    day: String,
    grade: u8,
    solved: &'static str,
    effort: u8,
    text: String,
    channel: String,
    /// Low grade with a comment: it can become an action point.
    action_link: Option<String>,
    actions: Vec<ActionView>,
}

struct ActionView {
    id: String,
    text: String,
    owner: String,
    due: String,
    status: &'static str,
    source: String,
    source_link: String,
    statuses: Vec<Choice>,
}

/// `templates/staff/figures/satisfaction.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/figures/satisfaction.html")]
struct DashboardPage {
    frame: Frame,
    notice: Option<String>,
    error: Option<String>,
    f: FilterParams,
    pers: Vec<Choice>,
    splits: Vec<Choice>,
    channels: Vec<Choice>,
    teams: Vec<Choice>,
    topics: Vec<Choice>,
    segments: Vec<Choice>,
    period: String,
    total: Row,
    chart: String,
    trend: Vec<Row>,
    split_name: &'static str,
    groups: Vec<GroupRow>,
    figure_actions: Vec<ActionView>,
    comments: Vec<CommentView>,
    csv_link: String,
    total_action_link: String,
    low_grade: u8,
    /// The sample rates, for a beheerder.
    rates: Option<Vec<(String, String, u8)>>,
}

fn action_link(kind: SourceKind, reference: &str, label: &str) -> String {
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("bron", kind.code())
        .append_pair("ref", reference)
        .append_pair("label", label)
        .finish();
    format!("/werkplek/verbeterpunten?{q}#nieuw")
}

/// Where an action point's source can be seen again.
fn source_link(a: &Improvement) -> String {
    match a.point.source_kind {
        SourceKind::Figuur => format!("/werkplek/cijfers/{}", a.point.source_ref),
        SourceKind::Opmerking => "/werkplek/cijfers/tevredenheid".into(),
    }
}

fn action_view(a: &Improvement, owners: &HashMap<String, String>) -> ActionView {
    ActionView {
        id: a.id.to_string(),
        text: a.point.text.clone(),
        owner: owners.get(&a.point.owner.to_string()).cloned().unwrap_or_else(|| "Onbekend".into()),
        due: gastvrij_domain::portal::dutch_day(a.point.due),
        status: a.status.dutch(),
        source: a.point.source_label.clone(),
        source_link: source_link(a),
        statuses: choices(ImprovementStatus::ALL.iter().map(|s| (s.code(), s.dutch())), a.status.code()),
    }
}

async fn owners(s: &AppState, page: &Page) -> Result<HashMap<String, String>, AppError> {
    Ok(s.app.employees(&page.0.principal).await?.into_iter().map(|e| (e.id.to_string(), e.name)).collect())
}

/// The reference of a figure of the dashboard: the page and the filters that make it.
fn figure_ref(f: &FilterParams) -> String {
    f.link("tevredenheid").trim_start_matches('/').to_string()
}

async fn dashboard(State(s): State<AppState>, page: Page, Query(f): Query<FilterParams>) -> Response {
    let q = match f.query() {
        Ok(q) => q,
        Err(text) => return message_page(StatusCode::UNPROCESSABLE_ENTITY, "Controleer de filters", &text),
    };
    let who = &page.0.principal;
    let report = match s.app.satisfaction(who, &q).await {
        Ok(r) => r,
        Err(AppError::Invalid(_)) => {
            return message_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Controleer de filters",
                "De periode klopt niet. Kies bij „Van” een dag vóór „Tot”, en niet meer dan drie jaar ertussen.",
            );
        }
        Err(e) => return error_page(&e),
    };
    let search = Some(f.zoek.as_str()).filter(|z| !z.trim().is_empty());
    let loaded = async {
        let comments = s.app.satisfaction_comments(who, &q, search).await?;
        let actions = s.app.improvements(who).await?;
        let names = Names::load(&s, &page).await?;
        let owners = owners(&s, &page).await?;
        let rates = match who.roles.contains(&Role::Beheerder) {
            true => Some(s.app.survey_rates(who).await?),
            false => None,
        };
        Ok::<_, AppError>((comments, actions, names, owners, rates))
    };
    let (comments, actions, names, owners, rates) = match loaded.await {
        Ok(v) => v,
        Err(e) => return error_page(&e),
    };
    render_dashboard(&page, f, &report, comments, &actions, &names, &owners, rates).into_response()
}

#[allow(clippy::too_many_arguments)]
fn render_dashboard(
    page: &Page,
    f: FilterParams,
    report: &SatisfactionReport,
    comments: Vec<SurveyComment>,
    actions: &[Improvement],
    names: &Names,
    owners: &HashMap<String, String>,
    rates: Option<Vec<(Channel, u8)>>,
) -> DashboardPage {
    let here = figure_ref(&f);
    let actions_of = |kind: SourceKind, reference: &str| -> Vec<ActionView> {
        actions
            .iter()
            .filter(|a| a.point.source_kind == kind && a.point.source_ref == reference)
            .map(|a| action_view(a, owners))
            .collect()
    };
    let trend = report
        .buckets
        .iter()
        .zip(&report.overall.per_bucket)
        .rev()
        .map(|(b, t)| Row::of(report.granularity.label(*b), t))
        .collect();
    let chart = crate::charts::columns(
        &report.overall.per_bucket.iter().map(SatisfactionTotals::grade).collect::<Vec<_>>(),
        0.0,
        10.0,
    );
    let groups = report
        .series
        .iter()
        .map(|series: &SatisfactionSeries| {
            let label = names.of(report.split, &series.key);
            let mut narrowed = f.clone();
            match report.split {
                Split::Channel => narrowed.kanaal = series.key.clone(),
                Split::Team => narrowed.team = series.key.clone(),
                Split::Topic => narrowed.onderwerp = series.key.clone(),
                Split::Segment => narrowed.segment = series.key.clone(),
                Split::CaseType | Split::Total => {}
            }
            narrowed.splits = String::new();
            let reference = figure_ref(&narrowed);
            GroupRow {
                action_link: action_link(
                    SourceKind::Figuur,
                    &reference,
                    &format!("Tevredenheid {}: {label}", report.split.dutch().to_lowercase()),
                ),
                actions: actions_of(SourceKind::Figuur, &reference),
                row: Row::of(label, &series.total),
            }
        })
        .collect();
    let comments = comments
        .into_iter()
        .map(|c| CommentView {
            day: gastvrij_domain::portal::dutch_day(c.day),
            grade: c.grade,
            solved: if c.solved { "ja" } else { "nee" },
            effort: c.effort,
            channel: names.of(Split::Channel, &c.channel),
            action_link: (c.grade <= LOW_GRADE).then(|| {
                action_link(SourceKind::Opmerking, &c.id, &format!("Opmerking bij cijfer {} ({})", c.grade, c.day))
            }),
            actions: actions_of(SourceKind::Opmerking, &c.id),
            text: c.comment,
        })
        .collect();
    let mut teams: Vec<(String, String)> = names.teams.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    teams.insert(0, (String::new(), "Alle teams".into()));
    let mut topics: Vec<(String, String)> = names.topics.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    topics.sort_by(|a, b| a.1.cmp(&b.1));
    topics.insert(0, (String::new(), "Alle onderwerpen".into()));
    let all = |label: &'static str| std::iter::once((String::new(), label.to_string()));
    DashboardPage {
        frame: page.frame("Tevredenheid"),
        notice: f.melding.clone(),
        error: None,
        pers: choices(Granularity::ALL.iter().map(|g| (g.code(), g.dutch())), report.granularity.code()),
        splits: choices(Split::ALL.iter().map(|s| (s.code(), s.dutch())), report.split.code()),
        channels: choices(
            all("Alle kanalen").chain(Channel::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string()))),
            f.kanaal.trim(),
        ),
        teams: choices(teams, f.team.trim()),
        topics: choices(topics, f.onderwerp.trim()),
        segments: choices(
            all("Alle segmenten").chain(Segment::ALL.iter().map(|s| (s.code().to_string(), s.code().to_string()))),
            f.segment.trim(),
        ),
        period: format!(
            "{} tot {}",
            gastvrij_domain::portal::dutch_day(report.from),
            gastvrij_domain::portal::dutch_day(report.to)
        ),
        total: Row::of("Alles".into(), &report.overall.total),
        chart,
        trend,
        split_name: report.split.dutch(),
        groups,
        figure_actions: actions_of(SourceKind::Figuur, &here),
        comments,
        csv_link: f.link("/werkplek/cijfers/tevredenheid.csv"),
        total_action_link: action_link(SourceKind::Figuur, &here, "Tevredenheid: alle antwoorden in deze selectie"),
        low_grade: LOW_GRADE,
        rates: rates.map(|r| r.into_iter().map(|(c, p)| (c.code().to_string(), c.label().to_string(), p)).collect()),
        f,
    }
}

async fn csv(State(s): State<AppState>, page: Page, Query(f): Query<FilterParams>) -> Response {
    let q = match f.query() {
        Ok(q) => q,
        Err(text) => return message_page(StatusCode::UNPROCESSABLE_ENTITY, "Controleer de filters", &text),
    };
    let report = match s.app.satisfaction(&page.0.principal, &q).await {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let mut records = vec![
        ["group", "period_start", "answers", "average_grade", "solved_percent", "average_effort", "low_grades"]
            .map(String::from)
            .to_vec(),
    ];
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    let series = std::iter::once(&report.overall).chain(&report.series);
    for s in series {
        for (b, t) in report.buckets.iter().zip(&s.per_bucket) {
            records.push(vec![
                s.key.clone(),
                b.to_string(),
                t.answers.to_string(),
                opt(t.grade()),
                opt(t.solved_percent()),
                opt(t.effort()),
                t.low.to_string(),
            ]);
        }
    }
    for rec in records {
        if let Err(e) = w.write_record(&rec) {
            return error_page(&AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    let name = "attachment; filename=\"tevredenheid.csv\"".to_string();
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response()
}

async fn set_rates(State(s): State<AppState>, page: Page, Form(f): Form<HashMap<String, String>>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(f.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let mut parsed = vec![];
    for c in Channel::ALL {
        if let Some(v) = f.get(c.code()) {
            match gastvrij_domain::satisfaction::parse_rate("percent", v) {
                Ok(p) => parsed.push((c, p)),
                Err(_) => {
                    let text = format!(
                        "Het deel voor {} is geen getal van 0 tot en met 100. Vul een percentage in, bijvoorbeeld 20.",
                        c.label()
                    );
                    return message_page(StatusCode::UNPROCESSABLE_ENTITY, "Controleer de steekproef", &text);
                }
            }
        }
    }
    for (c, p) in parsed {
        if let Err(e) = s.app.set_survey_rate(&page.0.principal, c, p).await {
            return message_page(status_of(&e), "Dat lukte niet", &super::dutch(&e));
        }
    }
    Redirect::to(&with_notice("/werkplek/cijfers/tevredenheid", "De steekproef is opgeslagen.")).into_response()
}

#[derive(Deserialize, Default)]
struct RegisterQuery {
    #[serde(default)]
    bron: String,
    #[serde(default, rename = "ref")]
    reference: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    melding: Option<String>,
}

/// `templates/staff/figures/improvements.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/figures/improvements.html")]
struct RegisterPage {
    frame: Frame,
    notice: Option<String>,
    error: Option<String>,
    points: Vec<ActionView>,
    owners: Vec<Choice>,
    form: ImprovementForm,
}

async fn render_register(
    s: &AppState,
    page: &Page,
    form: ImprovementForm,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = &page.0.principal;
    let loaded = async {
        let points = s.app.improvements(who).await?;
        let employees = s.app.employees(who).await?;
        Ok::<_, AppError>((points, employees))
    };
    let (points, employees) = match loaded.await {
        Ok(v) => v,
        Err(e) => return error_page(&e),
    };
    let names: HashMap<String, String> = employees.iter().map(|e| (e.id.to_string(), e.name.clone())).collect();
    let mut people: Vec<(String, String)> =
        employees.iter().filter(|e| e.active).map(|e| (e.id.to_string(), e.name.clone())).collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    people.insert(0, (String::new(), "Kies wie het oppakt".into()));
    let (status, error) = match error {
        Some((status, text)) => (status, Some(text)),
        None => (StatusCode::OK, None),
    };
    let view = RegisterPage {
        frame: page.frame("Verbeterpunten"),
        notice,
        error,
        points: points.iter().map(|a| action_view(a, &names)).collect(),
        owners: choices(people, form.owner.trim()),
        form,
    };
    (status, view).into_response()
}

async fn register(State(s): State<AppState>, page: Page, Query(q): Query<RegisterQuery>) -> Response {
    let form = ImprovementForm {
        source_kind: if q.bron.is_empty() { SourceKind::Figuur.code().into() } else { q.bron },
        source_ref: if q.reference.is_empty() { "tevredenheid".into() } else { q.reference },
        source_label: q.label,
        ..Default::default()
    };
    render_register(&s, &page, form, q.melding, None).await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: ImprovementForm,
}

/// What is wrong with a new action point, in Dutch.
fn explain_action(field: &str) -> String {
    match field {
        "text" => "Beschrijf bij „Wat gaan we doen” wat er moet gebeuren (hoogstens 1000 tekens).".into(),
        "owner" => "Kies bij „Wie pakt het op” een medewerker uit de lijst.".into(),
        "due" => "Kies bij „Klaar op” een datum van vandaag of later, bijvoorbeeld 2026-04-01.".into(),
        "source_label" | "source_ref" | "source_kind" => {
            "Vul bij „Waar komt het vandaan” in bij welk cijfer of welke opmerking dit hoort.".into()
        }
        _ => "Controleer het formulier.".into(),
    }
}

async fn create(State(s): State<AppState>, page: Page, Form(f): Form<CreateForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.create_improvement(&page.0.principal, &f.form).await {
        Ok(_) => {
            Redirect::to(&with_notice("/werkplek/verbeterpunten", "Het verbeterpunt is opgeslagen.")).into_response()
        }
        Err(AppError::Invalid(i)) => {
            let text = if i.field == "source_ref" && f.form.source_kind == SourceKind::Opmerking.code() {
                format!("Alleen een opmerking met een cijfer van {LOW_GRADE} of lager kan een verbeterpunt worden.")
            } else {
                explain_action(i.field)
            };
            render_register(&s, &page, f.form, None, Some((StatusCode::UNPROCESSABLE_ENTITY, text))).await
        }
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

async fn set_status(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let Ok(id) = id.parse::<ImprovementId>() else {
        return error_page(&AppError::NotFound("improvement"));
    };
    let Ok(status) = f.status.parse::<ImprovementStatus>() else {
        return message_page(StatusCode::UNPROCESSABLE_ENTITY, "Controleer de status", "Kies open, bezig of klaar.");
    };
    match s.app.set_improvement_status(&page.0.principal, id, status).await {
        Ok(()) => Redirect::to(&with_notice("/werkplek/verbeterpunten", "De status is opgeslagen.")).into_response(),
        Err(e) => error_page(&e),
    }
}
