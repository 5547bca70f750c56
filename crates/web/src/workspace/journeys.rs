//! Customer journeys in the workspace (issue 15). `/werkplek/klantreizen` lists them; every
//! staff member opens a journey's map (`/werkplek/klantreizen/{id}`): per touchpoint, in order,
//! the figures of a period with a mark and a sentence where it hurts, a data table and a CSV.
//! Redacteuren and beheerders create journeys and edit them: the head, and the touchpoints one
//! at a time (add, change, move up or down, remove), each a plain form with the version it was
//! made on, so no JavaScript is needed and a stale form changes nothing. Roles are checked in
//! the use cases; figures are defined in docs/journeys.md.

use super::{Frame, Page, error_page, status_of, with_notice};
use crate::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gastvrij_app::AppError;
use gastvrij_app::journeys::{JourneyEdit, JourneyMap};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{JourneyId, TopicId};
use gastvrij_domain::journey::{Journey, JourneyInput, Move, Pain, TouchpointFigures, TouchpointInput};
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::ToSpan;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/klantreizen", get(list_page))
        .route("/werkplek/klantreizen/nieuw", get(new_page).post(create))
        .route("/werkplek/klantreizen/{id}", get(map_page))
        .route("/werkplek/klantreizen/{id}/kaart.csv", get(map_csv))
        .route("/werkplek/klantreizen/{id}/bewerken", get(edit_page).post(edit_head))
        .route("/werkplek/klantreizen/{id}/stappen/nieuw", get(new_step_page).post(add_step))
        .route("/werkplek/klantreizen/{id}/stappen/{n}", get(step_page).post(change_step))
        .route("/werkplek/klantreizen/{id}/stappen/{n}/{action}", post(step_action))
}

/// A form body as its pairs, so checkbox groups (`topic`, `channel`, `status`) keep every value.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: &Bytes) -> Self {
        Fields(form_urlencoded::parse(body).into_owned().collect())
    }

    fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    fn checked(&self, name: &str) -> bool {
        self.one(name) == "ja"
    }

    fn version(&self) -> i64 {
        self.one("version").trim().parse().unwrap_or(-1)
    }
}

/// The Dutch name of a segment.
fn segment_label(s: Segment) -> String {
    let code = s.code();
    let mut chars = code.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// What is wrong, in Dutch, naming the field and how to fix it.
fn explain(e: &AppError) -> String {
    let AppError::Invalid(i) = e else { return super::dutch(e) };
    let at = i.item.map(|item| format!(" (stap {})", item.index + 1)).unwrap_or_default();
    match (i.field, &i.kind) {
        ("name", InvalidKind::Duplicate) => {
            format!(
                "Controleer de naam van de stap{at}: deze klantreis heeft al een stap met die naam. Kies een andere naam."
            )
        }
        ("name", InvalidKind::Empty) => format!("Controleer de naam{at}: die is leeg. Vul een naam in."),
        ("segment", _) => "Controleer de doelgroep: kies een doelgroep uit de lijst.".into(),
        ("process", InvalidKind::Empty) => {
            "Controleer het proces: dat is leeg. Schrijf om welk proces het gaat, bijvoorbeeld „watervergunning”."
                .into()
        }
        ("expectation", InvalidKind::Empty) => {
            format!(
                "Controleer de verwachting{at}: die is leeg. Schrijf wat de klant hier verwacht, in de woorden van de klant."
            )
        }
        ("peak", _) => format!(
            "Controleer de kenmerken{at}: een stap kan niet tegelijk een moetje en een piekmoment zijn. Kies er één."
        ),
        ("topics", InvalidKind::Empty) => format!(
            "Controleer de koppelingen{at}: kies minstens één onderwerp, kanaal of status. Anders valt er niets te meten."
        ),
        ("topics", _) => {
            format!("Controleer de onderwerpen{at}: een gekozen onderwerp bestaat niet (meer). Kies opnieuw.")
        }
        ("touchpoints", InvalidKind::TooMany { max }) => {
            format!("Deze klantreis heeft al {max} stappen; meer kan niet. Voeg stappen samen of verwijder er een.")
        }
        ("position", _) => "Die stap kan niet verder die kant op. Kies een andere stap.".into(),
        ("from" | "to", InvalidKind::OutOfOrder { .. }) => {
            "Controleer de periode: de einddatum moet op of na de begindatum liggen.".into()
        }
        ("from" | "to", _) => {
            "Controleer de periode: schrijf datums als 2026-03-01, en kies hoogstens een jaar.".into()
        }
        ("channel" | "channels", _) => format!("Controleer de kanalen{at}: kies kanalen uit de lijst."),
        ("status" | "statuses", _) => format!("Controleer de statussen{at}: kies statussen uit de lijst."),
        _ => crate::wording::dutch_as("de invoer", i),
    }
}

/// A redirect to `path` with a notice.
fn back_to(path: &str, notice: &str) -> Response {
    Redirect::to(&with_notice(path, notice)).into_response()
}

/// The journey id of a path; a wrong one is "not found".
fn journey_id(raw: &str) -> Result<JourneyId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound("journey"))
}

/// The journey and the step (`n`, 1-based) of a path, the step as a position (0-based).
fn step_path(id: &str, n: &str) -> Result<(JourneyId, usize), AppError> {
    Ok((journey_id(id)?, position(n)?))
}

/// A step number of a path (1-based) as a position (0-based).
fn position(raw: &str) -> Result<usize, AppError> {
    match raw.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n - 1),
        _ => Err(AppError::NotFound("touchpoint")),
    }
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    #[serde(default)]
    melding: Option<String>,
}

// ---- The list ----

/// `templates/staff/journeys/list.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/journeys/list.html")]
struct ListPage {
    frame: Frame,
    notice: Option<String>,
    rows: Vec<ListRow>,
}

struct ListRow {
    id: String,
    name: String,
    segment: String,
    process: String,
    steps: usize,
    moments: usize,
}

async fn list_page(State(s): State<AppState>, page: Page, Query(q): Query<NoticeQuery>) -> Response {
    let journeys = match s.app.journeys(&page.0.principal).await {
        Ok(j) => j,
        Err(e) => return error_page(&e),
    };
    let rows = journeys
        .iter()
        .map(|j| ListRow {
            id: j.id.to_string(),
            name: j.name.clone(),
            segment: segment_label(j.segment),
            process: j.process.clone(),
            steps: j.touchpoints.len(),
            moments: j.touchpoints.iter().filter(|t| t.moment_of_truth).count(),
        })
        .collect();
    ListPage { frame: page.frame("Klantreizen"), notice: q.melding, rows }.into_response()
}

// ---- The head: new journey and its name, segment and process ----

/// `templates/staff/journeys/head.html`: a new journey, or the edit page of one.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/journeys/head.html")]
struct HeadPage {
    frame: Frame,
    notice: Option<String>,
    error: Option<String>,
    /// `None` for a new journey.
    journey: Option<EditView>,
    name: String,
    process: String,
    segments: Vec<super::Choice>,
}

/// The touchpoints of a journey being edited.
struct EditView {
    id: String,
    version: i64,
    steps: Vec<StepRow>,
}

struct StepRow {
    number: usize,
    name: String,
    expectation: String,
    flags: String,
    first: bool,
    last: bool,
}

fn flags(moment: bool, moetje: bool, peak: bool) -> String {
    let mut out = vec![];
    if moment {
        out.push("moment van de waarheid");
    }
    if moetje {
        out.push("moetje");
    }
    if peak {
        out.push("piekmoment");
    }
    out.join(", ")
}

fn segment_choices(selected: &str) -> Vec<super::Choice> {
    let mut items = vec![(String::new(), "Kies een doelgroep".to_string())];
    items.extend(Segment::ALL.iter().map(|s| (s.code().to_string(), segment_label(*s))));
    super::choices(items, selected)
}

fn edit_view(j: &Journey, version: i64) -> EditView {
    let n = j.touchpoints.len();
    EditView {
        id: j.id.to_string(),
        version,
        steps: j
            .touchpoints
            .iter()
            .enumerate()
            .map(|(i, t)| StepRow {
                number: i + 1,
                name: t.name.clone(),
                expectation: t.expectation.clone(),
                flags: flags(t.moment_of_truth, t.moetje, t.peak),
                first: i == 0,
                last: i + 1 == n,
            })
            .collect(),
    }
}

async fn new_page(State(s): State<AppState>, page: Page) -> Response {
    if let Err(e) = s.app.may_edit_journeys(&page.0.principal) {
        return error_page(&e);
    }
    HeadPage {
        frame: page.frame("Nieuwe klantreis"),
        notice: None,
        error: None,
        journey: None,
        name: String::new(),
        process: String::new(),
        segments: segment_choices(""),
    }
    .into_response()
}

fn head_input(f: &Fields) -> Result<JourneyInput, AppError> {
    let segment = f.one("segment");
    let segment = if segment.trim().is_empty() {
        None
    } else {
        Some(segment.parse::<Segment>().map_err(|_| Invalid::empty("segment"))?)
    };
    Ok(JourneyInput { name: f.one("name"), segment, process: f.one("process") })
}

async fn create(State(s): State<AppState>, page: Page, body: Bytes) -> Response {
    let f = Fields::parse(&body);
    if let Some(r) = page.refuse_bad_csrf(&f.one("csrf")) {
        return r;
    }
    let result = match head_input(&f) {
        Ok(input) => s.app.create_journey(&page.0.principal, input, vec![]).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(j) => back_to(
            &format!("/werkplek/klantreizen/{}/bewerken", j.id),
            "De klantreis is opgeslagen. Voeg nu de stappen toe.",
        ),
        Err(e @ AppError::Invalid(_)) => {
            let view = HeadPage {
                frame: page.frame("Nieuwe klantreis"),
                notice: None,
                error: Some(explain(&e)),
                journey: None,
                name: f.one("name"),
                process: f.one("process"),
                segments: segment_choices(&f.one("segment")),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, view).into_response()
        }
        Err(e) => error_page(&e),
    }
}

async fn edit_page(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let id = match journey_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&e),
    };
    render_edit(&s, &page, id, q.melding, None, None).await
}

/// The edit page; with `typed` (name, segment, process as sent) and `error` after a refusal.
async fn render_edit(
    s: &AppState,
    page: &Page,
    id: JourneyId,
    notice: Option<String>,
    typed: Option<&Fields>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let (journey, version) = match s.app.journey_to_edit(&page.0.principal, id).await {
        Ok(j) => j,
        Err(e) => return error_page(&e),
    };
    let (name, process, segment) = match typed {
        Some(f) => (f.one("name"), f.one("process"), f.one("segment")),
        None => (journey.name.clone(), journey.process.clone(), journey.segment.code().to_string()),
    };
    let (status, error) = match error {
        Some((status, text)) => (status, Some(text)),
        None => (StatusCode::OK, None),
    };
    let view = HeadPage {
        frame: page.frame(format!("Klantreis bewerken: {}", journey.name)),
        notice,
        error,
        journey: Some(edit_view(&journey, version)),
        name,
        process,
        segments: segment_choices(&segment),
    };
    (status, view).into_response()
}

/// Save one change and go back to the edit page; a refused change shows the edit page again
/// with the reason (and the head as typed, when it was the head).
async fn save(
    s: &AppState,
    page: &Page,
    id: JourneyId,
    f: &Fields,
    edit: Result<JourneyEdit, AppError>,
    done: &str,
) -> Response {
    let result = match edit {
        Ok(edit) => s.app.edit_journey(&page.0.principal, id, f.version(), edit).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => back_to(&format!("/werkplek/klantreizen/{id}/bewerken"), done),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let text = match &e {
                AppError::Conflict(_) => {
                    "Iemand anders veranderde deze klantreis net. Hieronder staat de nieuwe stand; doe uw wijziging opnieuw."
                        .to_string()
                }
                _ => explain(&e),
            };
            let typed = f.0.iter().any(|(k, _)| k == "process").then_some(f);
            render_edit(s, page, id, None, typed, Some((status_of(&e), text))).await
        }
        Err(e) => error_page(&e),
    }
}

async fn edit_head(State(s): State<AppState>, page: Page, Path(id): Path<String>, body: Bytes) -> Response {
    let id = match journey_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&e),
    };
    let f = Fields::parse(&body);
    if let Some(r) = page.refuse_bad_csrf(&f.one("csrf")) {
        return r;
    }
    let edit = head_input(&f).map(JourneyEdit::Head);
    save(&s, &page, id, &f, edit, "De naam, doelgroep en het proces zijn opgeslagen.").await
}

/// Move a touchpoint one place (`verplaatsen`, with `richting` omhoog or omlaag) or remove it
/// (`verwijderen`).
async fn step_action(
    State(s): State<AppState>,
    page: Page,
    Path((id, n, action)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let (id, at) = match step_path(&id, &n) {
        Ok(p) => p,
        Err(e) => return error_page(&e),
    };
    let f = Fields::parse(&body);
    if let Some(r) = page.refuse_bad_csrf(&f.one("csrf")) {
        return r;
    }
    let (edit, done) = match (action.as_str(), f.one("richting").as_str()) {
        ("verplaatsen", "omhoog") => (JourneyEdit::Move(at, Move::Up), "De stap staat nu een plek eerder."),
        ("verplaatsen", _) => (JourneyEdit::Move(at, Move::Down), "De stap staat nu een plek later."),
        ("verwijderen", _) => (JourneyEdit::Remove(at), "De stap is verwijderd."),
        _ => return error_page(&AppError::NotFound("page")),
    };
    save(&s, &page, id, &f, Ok(edit), done).await
}

// ---- One touchpoint ----

/// `templates/staff/journeys/step.html`: a new touchpoint or a change to one.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/journeys/step.html")]
struct StepPage {
    frame: Frame,
    error: Option<String>,
    journey_id: String,
    journey_name: String,
    version: i64,
    action: String,
    name: String,
    expectation: String,
    moment_of_truth: bool,
    moetje: bool,
    peak: bool,
    topics: Vec<Check>,
    channels: Vec<Check>,
    statuses: Vec<Check>,
}

/// One checkbox.
struct Check {
    value: String,
    label: String,
    checked: bool,
}

/// What the step form shows: as stored, or as typed.
struct StepValues {
    name: String,
    expectation: String,
    moment_of_truth: bool,
    moetje: bool,
    peak: bool,
    topics: Vec<String>,
    channels: Vec<String>,
    statuses: Vec<String>,
}

impl StepValues {
    fn typed(f: &Fields) -> Self {
        StepValues {
            name: f.one("name"),
            expectation: f.one("expectation"),
            moment_of_truth: f.checked("moment_of_truth"),
            moetje: f.checked("moetje"),
            peak: f.checked("peak"),
            topics: f.all("topic"),
            channels: f.all("channel"),
            statuses: f.all("status"),
        }
    }

    fn input(&self) -> Result<TouchpointInput, AppError> {
        let topics = self.topics.iter().map(|t| t.parse::<TopicId>().map_err(|_| Invalid::unknown_id("topics", t)));
        let channels =
            self.channels.iter().map(|c| c.parse::<Channel>().map_err(|e| Invalid { field: "channels", ..e }));
        let statuses =
            self.statuses.iter().map(|c| c.parse::<CaseStatus>().map_err(|e| Invalid { field: "statuses", ..e }));
        Ok(TouchpointInput {
            name: self.name.clone(),
            expectation: self.expectation.clone(),
            moment_of_truth: self.moment_of_truth,
            moetje: self.moetje,
            peak: self.peak,
            topics: topics.collect::<Result<_, _>>()?,
            channels: channels.collect::<Result<_, _>>()?,
            statuses: statuses.collect::<Result<_, _>>()?,
        })
    }
}

async fn render_step(
    s: &AppState,
    page: &Page,
    id: JourneyId,
    at: Option<usize>,
    typed: Option<StepValues>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let who = &page.0.principal;
    let (journey, version) = match s.app.journey_to_edit(who, id).await {
        Ok(j) => j,
        Err(e) => return error_page(&e),
    };
    let topics = match s.app.topics(who).await {
        Ok(t) => t,
        Err(e) => return error_page(&e),
    };
    let values = match (typed, at) {
        (Some(v), _) => v,
        (None, Some(at)) => {
            let Some(t) = journey.touchpoints.get(at) else {
                return error_page(&AppError::NotFound("touchpoint"));
            };
            StepValues {
                name: t.name.clone(),
                expectation: t.expectation.clone(),
                moment_of_truth: t.moment_of_truth,
                moetje: t.moetje,
                peak: t.peak,
                topics: t.topics.iter().map(ToString::to_string).collect(),
                channels: t.channels.iter().map(|c| c.code().to_string()).collect(),
                statuses: t.statuses.iter().map(|c| c.code().to_string()).collect(),
            }
        }
        (None, None) => StepValues {
            name: String::new(),
            expectation: String::new(),
            moment_of_truth: false,
            moetje: false,
            peak: false,
            topics: vec![],
            channels: vec![],
            statuses: vec![],
        },
    };
    let check =
        |value: String, label: String, given: &[String]| Check { checked: given.contains(&value), value, label };
    // Topics by their path in the tree ("Meldingen › Wateroverlast"), so each reads on its own.
    let path = |t: &gastvrij_domain::topic::Topic| match t.parent_id.and_then(|p| topics.iter().find(|x| x.id == p)) {
        Some(parent) => format!("{} › {}", parent.name, t.name),
        None => t.name.clone(),
    };
    let mut topic_checks: Vec<Check> =
        topics.iter().map(|t| check(t.id.to_string(), path(t), &values.topics)).collect();
    topic_checks.sort_by(|a, b| a.label.cmp(&b.label));
    let (title, action) = match at {
        Some(at) => (format!("Stap {} wijzigen", at + 1), format!("/werkplek/klantreizen/{id}/stappen/{}", at + 1)),
        None => ("Stap toevoegen".to_string(), format!("/werkplek/klantreizen/{id}/stappen/nieuw")),
    };
    let (status, error) = match error {
        Some((status, text)) => (status, Some(text)),
        None => (StatusCode::OK, None),
    };
    let view = StepPage {
        frame: page.frame(format!("{title}: {}", journey.name)),
        error,
        journey_id: id.to_string(),
        journey_name: journey.name.clone(),
        version,
        action,
        name: values.name,
        expectation: values.expectation,
        moment_of_truth: values.moment_of_truth,
        moetje: values.moetje,
        peak: values.peak,
        topics: topic_checks,
        channels: Channel::ALL
            .iter()
            .map(|c| check(c.code().to_string(), c.label().to_string(), &values.channels))
            .collect(),
        statuses: CaseStatus::ALL
            .iter()
            .map(|c| check(c.code().to_string(), c.label().to_string(), &values.statuses))
            .collect(),
    };
    (status, view).into_response()
}

async fn new_step_page(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    match journey_id(&id) {
        Ok(id) => render_step(&s, &page, id, None, None, None).await,
        Err(e) => error_page(&e),
    }
}

async fn step_page(State(s): State<AppState>, page: Page, Path((id, n)): Path<(String, String)>) -> Response {
    match step_path(&id, &n) {
        Ok((id, at)) => render_step(&s, &page, id, Some(at), None, None).await,
        Err(e) => error_page(&e),
    }
}

async fn save_step(s: &AppState, page: &Page, id: JourneyId, at: Option<usize>, body: Bytes) -> Response {
    let f = Fields::parse(&body);
    if let Some(r) = page.refuse_bad_csrf(&f.one("csrf")) {
        return r;
    }
    let values = StepValues::typed(&f);
    let result = match values.input() {
        Ok(input) => {
            let edit = match at {
                Some(at) => JourneyEdit::Replace(at, input),
                None => JourneyEdit::Add(input),
            };
            s.app.edit_journey(&page.0.principal, id, f.version(), edit).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => back_to(&format!("/werkplek/klantreizen/{id}/bewerken"), "De stap is opgeslagen."),
        Err(e @ AppError::Invalid(_)) => {
            let text = explain(&e);
            render_step(s, page, id, at, Some(values), Some((StatusCode::UNPROCESSABLE_ENTITY, text))).await
        }
        Err(AppError::Conflict(_)) => {
            let text = "Iemand anders veranderde deze klantreis net. Uw invoer staat hieronder nog; controleer de stap en sla opnieuw op.".to_string();
            render_step(s, page, id, at, Some(values), Some((StatusCode::CONFLICT, text))).await
        }
        Err(e) => error_page(&e),
    }
}

async fn add_step(State(s): State<AppState>, page: Page, Path(id): Path<String>, body: Bytes) -> Response {
    match journey_id(&id) {
        Ok(id) => save_step(&s, &page, id, None, body).await,
        Err(e) => error_page(&e),
    }
}

async fn change_step(
    State(s): State<AppState>,
    page: Page,
    Path((id, n)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    match step_path(&id, &n) {
        Ok((id, at)) => save_step(&s, &page, id, Some(at), body).await,
        Err(e) => error_page(&e),
    }
}

// ---- The journey map ----

#[derive(Deserialize, Default)]
struct PeriodQuery {
    /// First day.
    #[serde(default)]
    van: Option<String>,
    /// Last day, included.
    #[serde(default)]
    tm: Option<String>,
}

impl PeriodQuery {
    /// `[from, to)` as the use case takes it: the last day plus one.
    fn period(&self) -> Result<(Option<jiff::civil::Date>, Option<jiff::civil::Date>), AppError> {
        let from = crate::extract::optional_date("from", self.van.as_deref())?;
        let to = crate::extract::optional_date("to", self.tm.as_deref())?.map(|d| d.saturating_add(1.day()));
        Ok((from, to))
    }
}

/// `templates/staff/journeys/map.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/journeys/map.html")]
struct MapPage {
    frame: Frame,
    error: Option<String>,
    id: String,
    name: String,
    segment: String,
    process: String,
    from: String,
    last_day: String,
    csv: String,
    editor: bool,
    satisfaction_target: String,
    percent_target: String,
    wait_target: String,
    steps: Vec<MapStep>,
    /// Moments of truth below target, by name.
    callouts: Vec<String>,
}

struct MapStep {
    number: usize,
    name: String,
    expectation: String,
    flags: String,
    contacts: u64,
    cases: u64,
    satisfaction: String,
    percent_within: String,
    wait: String,
    pains: Vec<&'static str>,
    below_target: bool,
}

/// A figure in Dutch notation with one decimal.
fn decimal(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

fn map_step(number: usize, t: &gastvrij_domain::journey::Touchpoint, f: &TouchpointFigures) -> MapStep {
    MapStep {
        number,
        name: t.name.clone(),
        expectation: t.expectation.clone(),
        flags: flags(t.moment_of_truth, t.moetje, t.peak),
        contacts: f.contacts,
        cases: f.cases,
        satisfaction: match f.satisfaction {
            Some(g) => format!("{} ({} antwoorden)", decimal(g), f.survey_answers),
            None => "geen antwoorden".into(),
        },
        percent_within: match f.percent_within {
            Some(p) => format!("{} % ({} metingen)", decimal(p), f.norm_measurements),
            None => "geen metingen".into(),
        },
        wait: match f.median_wait_hours {
            Some(h) => format!("{} uur ({} zaken)", decimal(h), f.waits),
            None => "geen metingen".into(),
        },
        pains: f.pains.iter().map(|p| Pain::dutch(*p)).collect(),
        below_target: f.moment_of_truth_below_target,
    }
}

async fn map_page(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let id = match journey_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&e),
    };
    let who = &page.0.principal;
    let (map, error) = match q.period() {
        Ok((from, to)) => match s.app.journey_map(who, id, from, to).await {
            Ok(m) => (m, None),
            Err(e @ AppError::Invalid(_)) => match s.app.journey_map(who, id, None, None).await {
                Ok(m) => (m, Some(explain(&e))),
                Err(e) => return error_page(&e),
            },
            Err(e) => return error_page(&e),
        },
        Err(e) => match s.app.journey_map(who, id, None, None).await {
            Ok(m) => (m, Some(explain(&e))),
            Err(e) => return error_page(&e),
        },
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, map_view(&page, map, error)).into_response()
}

fn map_view(page: &Page, map: JourneyMap, error: Option<String>) -> MapPage {
    let JourneyMap { journey, from, to, targets, figures } = map;
    let last_day = to.saturating_sub(1.day());
    let steps: Vec<MapStep> =
        journey.touchpoints.iter().zip(&figures).enumerate().map(|(i, (t, f))| map_step(i + 1, t, f)).collect();
    let callouts = steps.iter().filter(|s| s.below_target).map(|s| s.name.clone()).collect();
    MapPage {
        frame: page.frame(format!("Klantreis: {}", journey.name)),
        error,
        id: journey.id.to_string(),
        name: journey.name.clone(),
        segment: segment_label(journey.segment),
        process: journey.process.clone(),
        from: from.to_string(),
        last_day: last_day.to_string(),
        csv: format!("/werkplek/klantreizen/{}/kaart.csv?van={from}&tm={last_day}", journey.id),
        editor: page.frame("").templates,
        satisfaction_target: decimal(targets.satisfaction_grade),
        percent_target: decimal(targets.percent_within),
        wait_target: decimal(targets.wait_hours),
        steps,
        callouts,
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

async fn map_csv(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let id = match journey_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&e),
    };
    let map = match q.period() {
        Ok((from, to)) => s.app.journey_map(&page.0.principal, id, from, to).await,
        Err(e) => Err(e),
    };
    let map = match map {
        Ok(m) => m,
        Err(e) => return super::message_page(status_of(&e), "Dat lukte niet", &explain(&e)),
    };
    let header = [
        "position",
        "touchpoint",
        "moment_of_truth",
        "moetje",
        "peak",
        "from",
        "to",
        "contacts",
        "cases",
        "survey_answers",
        "satisfaction",
        "norm_measurements",
        "percent_within",
        "waits",
        "median_wait_hours",
        "pains",
        "moment_of_truth_below_target",
    ];
    let mut records: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for (i, (t, f)) in map.journey.touchpoints.iter().zip(&map.figures).enumerate() {
        let pains: Vec<&str> = f.pains.iter().map(|p| p.code()).collect();
        records.push(vec![
            (i + 1).to_string(),
            t.name.clone(),
            t.moment_of_truth.to_string(),
            t.moetje.to_string(),
            t.peak.to_string(),
            map.from.to_string(),
            map.to.to_string(),
            f.contacts.to_string(),
            f.cases.to_string(),
            f.survey_answers.to_string(),
            opt(f.satisfaction),
            f.norm_measurements.to_string(),
            opt(f.percent_within),
            f.waits.to_string(),
            opt(f.median_wait_hours),
            pains.join(";"),
            f.moment_of_truth_below_target.to_string(),
        ]);
    }
    super::csv_download("klantreis.csv", &records)
}
