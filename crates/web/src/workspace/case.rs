//! One case for its team: the deadline (frozen while suspended), the owner, what the citizen
//! sent in through the portal (with photos), the full timeline (status changes, deadline
//! recalculations, notes, messages both ways, mails sent), the customer's other cases and
//! contacts, and the actions: take, hand over, suspend, resume, extend, change the status, close
//! with an answer (mailed, or a printable letter at `/werkplek/zaken/{id}/brief`; "Controleer
//! taal" checks the answer for plain language without closing), add a note, write to the
//! citizen. Every action is one use case of the app.

use super::case_timeline::{Line, timeline};
use super::{Choice, Frame, Page, Saved, choices, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::case_work::{CaseActions, PrintedLetter};
use gastvrij_domain::case::{CaseResult, CaseStatus, CaseType};
use gastvrij_domain::complaint::{HearingOutcome, NoHearing};
use gastvrij_domain::ids::{CaseId, EmployeeId, PhotoId, TeamId};
use gastvrij_domain::plain_language::PlainLanguageReport;
use gastvrij_domain::portal::dutch_day;
use gastvrij_domain::portal::{ContactPreference, IncidentId, SurveyAnswer};
use gastvrij_domain::{Invalid, InvalidKind};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/zaken/{id}", get(show))
        .route("/werkplek/zaken/{id}/brief", get(letter))
        .route("/werkplek/zaken/{id}/ontvangstbrief", get(acknowledgement))
        .route("/werkplek/zaken/{id}/foto/{photo}", get(photo))
        .route("/werkplek/zaken/{id}/betrokkenen", post(involved))
        .route("/werkplek/zaken/{id}/{action}", post(act))
}

#[derive(Deserialize, Default)]
struct Shown {
    #[serde(default)]
    klaar: Option<String>,
}

/// Every action's fields; each action reads its own (kept on the page after an error).
#[derive(Deserialize, Default)]
struct CaseForm {
    #[serde(default)]
    csrf: String,
    /// The new status (`status`).
    #[serde(default)]
    status: String,
    /// To the citizen: with a status change or resumption, or a message (`bericht`).
    #[serde(default)]
    bericht: String,
    /// A colleague's id, or `team` (`overdragen`).
    #[serde(default)]
    aan: String,
    /// With a handover, or on its own (`notitie`).
    #[serde(default)]
    notitie: String,
    /// What is asked of the citizen (`opschorten`).
    #[serde(default)]
    gevraagd: String,
    /// Why the term is extended (`verlengen`).
    #[serde(default)]
    reden: String,
    /// The result code and the answer (`afhandelen`).
    #[serde(default)]
    resultaat: String,
    #[serde(default)]
    antwoord: String,
    /// A klacht's measures taken, for the annual overview (`afhandelen`).
    #[serde(default)]
    maatregelen: String,
    /// A klacht's hearing (`hoorzitting-aanbod`: the day offered; `hoorzitting`: `gehouden` or
    /// the reason it was not, the day it was held and its notes).
    #[serde(default)]
    aangeboden_op: String,
    #[serde(default)]
    hoorzitting: String,
    #[serde(default)]
    gehouden_op: String,
    #[serde(default)]
    verslag: String,
    /// An internal task (`vraag-team`): the team asked, the question and the day it is needed.
    #[serde(default)]
    team: String,
    #[serde(default)]
    vraag: String,
    #[serde(default)]
    nodig_op: String,
}

async fn show(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(q): Query<Shown>) -> Response {
    let notice = q.klaar.map(|_| "Opgeslagen.");
    render(&s, &page, &id, None, notice, &CaseForm::default(), None).await
}

/// `templates/staff/case/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/case/page.html")]
struct CasePage<'a> {
    frame: Frame,
    id: CaseId,
    kind: &'static str,
    reference: String,
    subject: String,
    status: &'static str,
    open: bool,
    /// "nog 3 werkdagen", "opgeschort sinds …".
    due: Option<String>,
    team: String,
    /// The owner's name; `None` while it waits in the team's queue.
    owner: Option<String>,
    mine: bool,
    /// The result and answer of a closed case.
    result: Option<(&'static str, String)>,
    notice: Option<&'a str>,
    error: Option<String>,
    form: &'a CaseForm,
    /// The citizen gets mail; otherwise answers go as a printed letter.
    mailable: bool,
    colleagues: Vec<Choice>,
    /// Status changes through the type's transitions, besides suspending and closing.
    statuses: Vec<Choice>,
    actions: &'a CaseActions,
    results: Vec<Choice>,
    portal: Option<PortalPart>,
    timeline: Vec<Line>,
    /// Teams to ask something, and what the case asked them: (team, question, needed by, answer).
    teams: Vec<Choice>,
    tasks: Vec<(String, String, String, Option<String>)>,
    /// The customer's other cases (id, reference, status) and contacts (id, when, channel).
    other_cases: Vec<(CaseId, String, &'static str)>,
    contacts: Vec<(String, String, &'static str)>,
    /// A klacht's part (Awb chapter 9); `None` for other case types.
    complaint: Option<ComplaintPart>,
    /// The plain-language check of the answer ("Controleer taal" on the close form).
    report: Option<PlainLanguageReport>,
}

/// What a klacht adds to the page: who it is about, the hearing, and the forms to record them.
struct ComplaintPart {
    /// The names of the employees it is about.
    involved: Vec<String>,
    other: Option<String>,
    /// "dinsdag 21 april 2026".
    offered: Option<String>,
    /// "gehouden op …" or "niet gehouden: …", with the notes of a held hearing.
    settled: Option<(String, Option<String>)>,
    /// Every active employee to tick: (id, name, ticked).
    employees: Vec<(String, String, bool)>,
    /// `gehouden` and the reasons not to hold it.
    hearing_choices: Vec<Choice>,
    /// The hearing question is settled (closing is possible).
    ready: bool,
}

/// What the citizen sent in through the portal.
struct PortalPart {
    description: String,
    place: String,
    observed: Option<String>,
    preference: &'static str,
    urgent: bool,
    incident: Option<IncidentId>,
    photos: Vec<PhotoLink>,
    by_mail: bool,
    survey: Option<SurveyAnswer>,
}

struct PhotoLink {
    id: PhotoId,
    content_type: String,
    kilobytes: u64,
}

/// The case page; `report` is the plain-language check of the answer being written, if asked.
async fn render(
    s: &AppState,
    page: &Page,
    id: &str,
    error: Option<&AppError>,
    notice: Option<&str>,
    form: &CaseForm,
    report: Option<PlainLanguageReport>,
) -> Response {
    let who = &page.0.principal;
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&AppError::NotFound("case"));
    };
    let file = match s.app.case_file(who, case_id).await {
        Ok(f) => f,
        Err(e) => return error_page(&e),
    };
    let employees = s.app.employees(who).await.unwrap_or_default();
    let teams = s.app.teams(who).await.unwrap_or_default();
    let tz = super::super::portal::time_zone(s).await;
    let case = &file.case;
    let name_of = |e: EmployeeId| employees.iter().find(|x| x.id == e).map(|x| x.name.clone());
    let portal = file.submission.as_ref().map(portal_part);
    let actions = s.app.case_actions(case);
    let colleagues = std::iter::once(("team".to_string(), "Terug naar het team".to_string()))
        .chain(
            employees
                .iter()
                .filter(|e| e.active && Some(e.id) != case.owner_id)
                .map(|e| (e.id.to_string(), e.name.clone())),
        )
        .collect::<Vec<_>>();
    let statuses = actions.statuses.iter().map(|s| (s.code(), s.label()));
    let results = CaseResult::for_type(case.case_type).iter().map(|r| (r.code(), r.label()));
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    let complaint = (case.case_type == CaseType::Klacht).then(|| complaint_part(case, &employees, form));
    let view = CasePage {
        frame: page.frame(format!("Zaak {}", case.reference)),
        id: case.id,
        kind: case.case_type.label(),
        reference: case.reference.clone(),
        subject: case.subject.clone(),
        status: case.status.label(),
        open: case.status.is_open(),
        due: s.app.case_due_phrase(case),
        team: teams.iter().find(|t| t.id == case.team_id).map(|t| t.name.clone()).unwrap_or_default(),
        owner: case.owner_id.and_then(name_of),
        mine: case.owner_id.is_some() && case.owner_id == who.employee_id(),
        result: case.closure.as_ref().filter(|_| !case.status.is_open()).map(|c| (c.result.label(), c.answer.clone())),
        notice,
        error: error.map(|e| explain(e, Saved::Nothing)),
        form,
        mailable: file.mailable,
        colleagues: choices(colleagues, &form.aan),
        statuses: choices(statuses, &form.status),
        actions: &actions,
        results: choices(results, &form.resultaat),
        portal,
        timeline: timeline(&file, &tz, &name_of),
        teams: choices(
            teams.iter().filter(|t| t.id != case.team_id).map(|t| (t.id.to_string(), t.name.clone())),
            &form.team,
        ),
        tasks: file
            .tasks
            .iter()
            .map(|t| {
                let team = teams.iter().find(|x| x.id == t.to_team).map(|x| x.name.clone()).unwrap_or_default();
                (team, t.question.clone(), gastvrij_domain::portal::dutch_day(t.due_on), t.answer.clone())
            })
            .collect(),
        other_cases: file.other_cases.iter().map(|c| (c.id, c.reference.clone(), c.status.label())).collect(),
        contacts: file
            .contacts
            .iter()
            .map(|c| (c.id.to_string(), s.app.local_time(c.started_at), c.channel.label()))
            .collect(),
        complaint,
        report,
    };
    (status, view).into_response()
}

fn complaint_part(
    case: &gastvrij_domain::case::Case,
    employees: &[gastvrij_domain::team::Employee],
    form: &CaseForm,
) -> ComplaintPart {
    let c = case.complaint.clone().unwrap_or_default();
    let name = |id: &EmployeeId| employees.iter().find(|e| e.id == *id).map(|e| e.name.clone()).unwrap_or_default();
    let settled = c.hearing.settled.as_ref().map(|h| match &h.outcome {
        HearingOutcome::Held { on, notes } => (format!("gehouden op {}", dutch_day(*on)), Some(notes.clone())),
        HearingOutcome::NotHeld { reason } => (format!("niet gehouden: {}", reason.label()), None),
    });
    let hearing_choices = std::iter::once(("gehouden", "De hoorzitting is gehouden"))
        .chain(NoHearing::ALL.iter().map(|r| (r.code(), r.label())))
        .map(|(v, l)| (v, format!("{}{l}", if v == "gehouden" { "" } else { "Niet gehouden: " })));
    ComplaintPart {
        involved: c.involved.iter().map(name).collect(),
        other: c.involved_other.clone(),
        offered: c.hearing.offered.as_ref().map(|o| dutch_day(o.on)),
        ready: settled.is_some(),
        settled,
        employees: employees
            .iter()
            .filter(|e| e.active || c.involved.contains(&e.id))
            .map(|e| (e.id.to_string(), e.name.clone(), c.involved.contains(&e.id)))
            .collect(),
        hearing_choices: choices(hearing_choices, &form.hoorzitting),
    }
}

/// Record who a klacht is about (`POST /werkplek/zaken/{id}/betrokkenen`): every ticked
/// employee (`betrokken`, repeated) and perhaps someone else (`anders`).
async fn involved(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("");
    if let Some(refused) = page.refuse_bad_csrf(value("csrf")) {
        return refused;
    }
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&AppError::NotFound("case"));
    };
    let ticked: Result<Vec<EmployeeId>, Invalid> = pairs
        .iter()
        .filter(|(k, _)| k == "betrokken")
        .map(|(_, v)| v.parse::<EmployeeId>().map_err(|_| Invalid::unknown_id("involved", v)))
        .collect();
    let done = match ticked {
        Ok(ticked) => s.app.set_complaint_involved(&page.0.principal, case_id, ticked, value("anders")).await,
        Err(e) => Err(e.into()),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/werkplek/zaken/{id}?klaar=1")).into_response(),
        Err(e) => render(&s, &page, &id, Some(&e), None, &CaseForm::default(), None).await,
    }
}

fn portal_part(r: &gastvrij_app::ports::SubmissionRecord) -> PortalPart {
    let sub = &r.submission;
    let place = [
        sub.location.postcode.as_ref().map(|p| format!("{p} {}", sub.location.house_number.as_deref().unwrap_or(""))),
        sub.location.description.clone(),
        sub.location.point.map(|p| format!("punt {:.5}, {:.5}", p.lat, p.lon)),
    ]
    .into_iter()
    .flatten()
    .map(|x| x.trim().to_string())
    .collect::<Vec<_>>()
    .join(" · ");
    PortalPart {
        preference: match sub.preference {
            ContactPreference::Email => "per e-mail",
            ContactPreference::Telefoon => "per telefoon",
            ContactPreference::Geen => "wil niets horen",
        },
        by_mail: sub.mail_to().is_some(),
        place,
        observed: sub.observed.clone(),
        urgent: sub.urgent,
        incident: sub.incident_id,
        photos: r
            .photos
            .iter()
            .map(|p| PhotoLink { id: p.id, content_type: p.content_type.clone(), kilobytes: p.size_bytes / 1024 })
            .collect(),
        survey: r.survey.clone(),
        description: sub.description.clone(),
    }
}

/// One action on the case (`POST /werkplek/zaken/{id}/{action}`): the CSRF token first, then
/// the use case; an error comes back on the page with the input kept.
async fn act(
    State(s): State<AppState>,
    page: Page,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<CaseForm>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&f.csrf) {
        return refused;
    }
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&AppError::NotFound("case"));
    };
    let (app, who) = (&s.app, &page.0.principal);
    if action == "taalcheck" {
        // "Controleer taal" on the close form: the answer's check, the case unchanged.
        return match app.check_plain_language(who, &f.antwoord) {
            Ok(report) => render(&s, &page, &id, None, None, &f, Some(report)).await,
            Err(e) => render(&s, &page, &id, Some(&renamed(e, "text", "answer")), None, &f, None).await,
        };
    }
    let done = match action.as_str() {
        "nemen" => app.take_case(who, case_id).await.map(drop),
        "overdragen" => match colleague(&f.aan) {
            Ok(to) => app.hand_over_case(who, case_id, to, &f.notitie).await.map(drop),
            Err(e) => Err(e.into()),
        },
        "opschorten" => app.suspend_case(who, case_id, &f.gevraagd).await.map(drop),
        "hervatten" => app.resume_case(who, case_id, &f.bericht).await.map(drop),
        "verlengen" => app.extend_case(who, case_id, &f.reden).await.map(drop),
        "status" => match f.status.parse::<CaseStatus>() {
            Ok(to) => app.change_case_status_with_message(who, case_id, to, &f.bericht).await.map(drop),
            Err(e) => Err(e.into()),
        },
        "afhandelen" => match f.resultaat.parse::<CaseResult>() {
            Ok(result) => app.close_case(who, case_id, result, &f.antwoord, &f.maatregelen).await.map(drop),
            Err(e) => Err(e.into()),
        },
        "hoorzitting-aanbod" => app.offer_hearing(who, case_id, &f.aangeboden_op).await.map(drop),
        "hoorzitting" => match HearingOutcome::parse(&f.hoorzitting, &f.gehouden_op, &f.verslag) {
            Ok(outcome) => app.settle_hearing(who, case_id, outcome).await.map(drop),
            Err(e) => Err(e.into()),
        },
        "notitie" => {
            app.add_case_note(who, case_id, &f.notitie).await.map(drop).map_err(|e| renamed(e, "text", "note"))
        }
        "bericht" => app.message_citizen(who, case_id, &f.bericht).await.map(drop),
        "vraag-team" => match f.team.parse::<TeamId>() {
            Ok(team) => app.ask_team(who, case_id, team, &f.vraag, &f.nodig_op).await.map(drop),
            Err(_) => Err(Invalid::new("to_team", InvalidKind::Empty).into()),
        },
        _ => return error_page(&AppError::NotFound("page")),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/werkplek/zaken/{id}?klaar=1")).into_response(),
        Err(e) => render(&s, &page, &id, Some(&e), None, &f, None).await,
    }
}

/// The colleague a case is handed to: an employee id, or `team` (back to the team's queue).
fn colleague(value: &str) -> Result<Option<EmployeeId>, Invalid> {
    match value.trim() {
        "" => Err(Invalid::new("owner_id", InvalidKind::Empty)),
        "team" => Ok(None),
        v => v
            .parse::<EmployeeId>()
            .map(Some)
            .map_err(|_| Invalid::new("owner_id", InvalidKind::Unknown { given: v.to_string(), allowed: vec![] })),
    }
}

/// The form's name for a field the use case names otherwise.
fn renamed(e: AppError, from: &str, to: &'static str) -> AppError {
    match e {
        AppError::Invalid(i) if i.field == from => AppError::Invalid(Invalid { field: to, ..i }),
        other => other,
    }
}

/// `templates/staff/case/letter.html`: the answer as a letter to print (no script).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/case/letter.html")]
struct LetterPage {
    id: CaseId,
    letter: PrintedLetter,
}

async fn letter(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&AppError::NotFound("case"));
    };
    printed(case_id, s.app.printed_letter(&page.0.principal, case_id).await)
}

/// The acknowledgement of an open case as a letter, for a customer without an e-mail address.
async fn acknowledgement(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    let Ok(case_id) = id.parse::<CaseId>() else {
        return error_page(&AppError::NotFound("case"));
    };
    printed(case_id, s.app.printed_acknowledgement(&page.0.principal, case_id).await)
}

fn printed(id: CaseId, letter: Result<PrintedLetter, AppError>) -> Response {
    match letter {
        Ok(letter) => LetterPage { id, letter }.into_response(),
        Err(e) => error_page(&e),
    }
}

async fn photo(State(s): State<AppState>, page: Page, Path((id, photo)): Path<(String, String)>) -> Response {
    let (Ok(case_id), Ok(photo_id)) = (id.parse::<CaseId>(), photo.parse::<PhotoId>()) else {
        return error_page(&AppError::NotFound("photo"));
    };
    match s.app.case_photo(&page.0.principal, case_id, photo_id).await {
        Ok((content_type, bytes)) => {
            ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, no-store".into())], bytes)
                .into_response()
        }
        Err(e) => error_page(&e),
    }
}
