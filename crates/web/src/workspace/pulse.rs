//! The employee pulse in the workspace (issue 15). `/werkplek/peiling`: every employee answers
//! this period's pulse once (radio groups 1–5, a comment, no JavaScript). `/werkplek/cijfers/peiling`:
//! team leads (their team and the organisation) and beheerders (every team) see the trend per
//! period as an SVG chart beside its table, and download it as CSV; a group with fewer than five
//! answers shows "te weinig antwoorden" and no number. A beheerder sets the schedule there.
//! Anonymity is the use cases' and the store's (docs/pulse.md); roles are checked there too.

use super::{Choice, Frame, Page, choices, error_page, status_of, with_notice};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::pulse::PulseReport;
use gastvrij_domain::Invalid;
use gastvrij_domain::pulse::{Cadence, MIN_GROUP, PulseAnswer, PulseFigures, Question, SCALE, TOO_FEW};
use gastvrij_domain::team::Role;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/peiling", get(answer_page).post(answer))
        .route("/werkplek/cijfers/peiling", get(figures_page))
        .route("/werkplek/cijfers/peiling.csv", get(csv))
        .route("/werkplek/cijfers/peiling/schema", post(set_schedule))
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    #[serde(default)]
    melding: Option<String>,
}

/// `templates/staff/pulse/answer.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/pulse/answer.html")]
struct AnswerPage {
    frame: Frame,
    period: String,
    answered: bool,
    notice: Option<String>,
    error: Option<String>,
    statements: Vec<Statement>,
    comment: String,
    comment_max: usize,
    min_group: u64,
}

/// One statement with its five radio buttons.
struct Statement {
    code: &'static str,
    text: &'static str,
    options: Vec<ScaleOption>,
}

struct ScaleOption {
    value: u8,
    label: &'static str,
    checked: bool,
}

#[derive(Deserialize, Default)]
struct PulseForm {
    #[serde(default)]
    csrf: String,
    workload: Option<String>,
    equipped: Option<String>,
    collaboration: Option<String>,
    trust_in_knowledge: Option<String>,
    enjoyment: Option<String>,
    #[serde(default)]
    comment: String,
}

impl PulseForm {
    /// The scores as given: `None` when left open, 0 when not a number from the form.
    fn scores(&self) -> [Option<u8>; 5] {
        [&self.workload, &self.equipped, &self.collaboration, &self.trust_in_knowledge, &self.enjoyment]
            .map(|v| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(|v| v.parse().unwrap_or(0)))
    }
}

/// What is wrong with the answer, in Dutch.
fn explain_answer(i: &Invalid) -> String {
    match Question::ALL.iter().find(|q| q.code() == i.field) {
        Some(q) => format!("Kies bij \u{201c}{}\u{201d} een antwoord van 1 tot 5.", q.statement()),
        None => crate::wording::dutch_as("uw opmerking", i),
    }
}

async fn answer_page(State(s): State<AppState>, page: Page, Query(q): Query<NoticeQuery>) -> Response {
    render_answer(&s, &page, &PulseForm::default(), q.melding, None).await
}

async fn render_answer(
    s: &AppState,
    page: &Page,
    form: &PulseForm,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let today = match s.app.pulse_today(&page.0.principal).await {
        Ok(t) => t,
        Err(e) => return error_page(&e),
    };
    let given = form.scores();
    let statements = Question::ALL
        .iter()
        .zip(given)
        .map(|(q, given)| Statement {
            code: q.code(),
            text: q.statement(),
            options: SCALE
                .iter()
                .map(|(value, label)| ScaleOption { value: *value, label, checked: given == Some(*value) })
                .collect(),
        })
        .collect();
    let (status, error) = match error {
        Some((status, text)) => (status, Some(text)),
        None => (StatusCode::OK, None),
    };
    let view = AnswerPage {
        frame: page.frame("Medewerkerspeiling"),
        period: today.period.label(),
        answered: today.answered,
        notice,
        error,
        statements,
        comment: form.comment.clone(),
        comment_max: gastvrij_domain::pulse::COMMENT_MAX,
        min_group: MIN_GROUP,
    };
    (status, view).into_response()
}

async fn answer(State(s): State<AppState>, page: Page, Form(f): Form<PulseForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let parsed = match PulseAnswer::parse(f.scores(), Some(&f.comment)) {
        Ok(a) => a,
        Err(i) => {
            let text = explain_answer(&i);
            return render_answer(&s, &page, &f, None, Some((StatusCode::UNPROCESSABLE_ENTITY, text))).await;
        }
    };
    match s.app.answer_pulse(&page.0.principal, parsed).await {
        Ok(_) => {
            Redirect::to(&with_notice("/werkplek/peiling", "Dank u wel. Uw antwoord is opgeslagen, zonder uw naam."))
                .into_response()
        }
        Err(AppError::Conflict(_)) => {
            let text = "U heeft deze periode al geantwoord. U kunt één keer per periode antwoorden.".to_string();
            render_answer(&s, &page, &PulseForm::default(), None, Some((StatusCode::CONFLICT, text))).await
        }
        Err(e) => error_page(&e),
    }
}

/// `templates/staff/pulse/figures.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/pulse/figures.html")]
struct FiguresPage {
    frame: Frame,
    notice: Option<String>,
    cadence: String,
    /// The schedule form, for a beheerder.
    schedule: Option<Vec<Choice>>,
    columns: Vec<&'static str>,
    groups: Vec<GroupView>,
    min_group: u64,
    too_few: &'static str,
}

struct GroupView {
    heading: String,
    chart: String,
    rows: Vec<PeriodRow>,
    comments: Vec<(String, Vec<String>)>,
}

struct PeriodRow {
    period: String,
    /// Number of answers, the averages per statement and overall; `None` when hidden.
    cells: Option<Vec<String>>,
}

/// A figure in Dutch notation with one decimal.
fn number(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

fn group_name(g: &gastvrij_app::pulse::PulseGroup) -> String {
    match &g.team {
        Some(t) => format!("Team {}", t.name),
        None => "Hele organisatie".to_string(),
    }
}

fn group_view(report: &PulseReport, g: &gastvrij_app::pulse::PulseGroup) -> GroupView {
    let rows = report
        .periods
        .iter()
        .zip(&g.figures)
        .rev()
        .map(|(p, f)| PeriodRow {
            period: p.label(),
            cells: match f {
                PulseFigures::Shown { answers, averages, overall } => {
                    let mut cells = vec![answers.to_string()];
                    cells.extend(averages.iter().map(|a| number(*a)));
                    cells.push(number(*overall));
                    Some(cells)
                }
                PulseFigures::TooFewAnswers => None,
            },
        })
        .collect();
    GroupView {
        heading: group_name(g),
        chart: crate::charts::columns(&g.figures.iter().map(PulseFigures::overall).collect::<Vec<_>>(), 0.0, 5.0),
        rows,
        comments: g.comments.iter().map(|(p, texts)| (p.label(), texts.clone())).collect(),
    }
}

async fn figures_page(State(s): State<AppState>, page: Page, Query(q): Query<NoticeQuery>) -> Response {
    let who = &page.0.principal;
    let report = match s.app.pulse_report(who, None, None, None).await {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let schedule = who
        .roles
        .contains(&Role::Beheerder)
        .then(|| choices(Cadence::ALL.iter().map(|c| (c.code(), c.dutch())), report.cadence.code()));
    let mut columns = vec!["Antwoorden"];
    columns.extend(Question::ALL.iter().map(|q| q.short()));
    columns.push("Gemiddeld");
    FiguresPage {
        frame: page.frame("Peiling: cijfers"),
        notice: q.melding,
        cadence: report.cadence.dutch().to_lowercase(),
        schedule,
        columns,
        groups: report.groups.iter().map(|g| group_view(&report, g)).collect(),
        min_group: MIN_GROUP,
        too_few: TOO_FEW,
    }
    .into_response()
}

async fn csv(State(s): State<AppState>, page: Page) -> Response {
    let report = match s.app.pulse_report(&page.0.principal, None, None, None).await {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let mut header = vec!["group", "period_start", "period_end", "answers"];
    header.extend(Question::ALL.iter().map(|q| q.code()));
    header.push("overall");
    let mut w = csv::Writer::from_writer(vec![]);
    let mut records: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for g in &report.groups {
        let group = g.team.as_ref().map(|t| t.name.clone()).unwrap_or_else(|| "organisatie".into());
        for (p, f) in report.periods.iter().zip(&g.figures) {
            let mut rec = vec![group.clone(), p.start.to_string(), p.end.to_string()];
            match f {
                PulseFigures::Shown { answers, averages, overall } => {
                    rec.push(answers.to_string());
                    rec.extend(averages.iter().map(|a| a.to_string()));
                    rec.push(overall.to_string());
                }
                PulseFigures::TooFewAnswers => rec.extend(std::iter::repeat_n(String::new(), 7)),
            }
            records.push(rec);
        }
    }
    for rec in records {
        if let Err(e) = w.write_record(&rec) {
            return error_page(&AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    let name = "attachment; filename=\"peiling.csv\"".to_string();
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response()
}

#[derive(Deserialize)]
struct ScheduleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    schema: String,
}

async fn set_schedule(State(s): State<AppState>, page: Page, Form(f): Form<ScheduleForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let result = match f.schema.parse::<Cadence>() {
        Ok(c) => s.app.set_pulse_cadence(&page.0.principal, c).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Redirect::to(&with_notice("/werkplek/cijfers/peiling", "Het schema van de peiling is opgeslagen."))
            .into_response(),
        Err(e) => super::message_page(status_of(&e), "Dat lukte niet", &super::dutch(&e)),
    }
}
