//! The team board (`/werkplek/team`, dagstart): the team's figures (from `App::team_board`, the
//! same function the API answers from), its goals with progress, and the notes kept with the
//! board with their action points. A member of several boards (a beheerder) chooses one with
//! `?team=`. Every form posts with the session's CSRF token and comes back to the board; the
//! page needs no JavaScript.

use super::{Choice, Frame, Page, Saved, choices, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::team_board::TeamBoard;
use gastvrij_domain::ids::{ActionPointId, EmployeeId, TeamId};
use gastvrij_domain::portal::dutch_day;
use gastvrij_domain::team_board::{GoalKind, NoteInput, NoteKind, one_decimal};
use serde::Deserialize;

/// Action point rows in the note form.
const ACTION_ROWS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/team", get(board))
        .route("/werkplek/team/{team}/doelen", post(goal))
        .route("/werkplek/team/{team}/notities", post(note))
        .route("/werkplek/team/acties/{id}", post(tick))
}

#[derive(Deserialize, Default)]
struct BoardQuery {
    #[serde(default)]
    team: String,
    #[serde(default)]
    melding: Option<String>,
}

/// `templates/staff/team_board/page.html`; no team: the page says how to get one.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/team_board/page.html")]
struct BoardPage {
    frame: Frame,
    error: Option<String>,
    notice: Option<String>,
    /// The boards the viewer may choose from (only shown when there are several).
    teams: Vec<Choice>,
    board: Option<BoardView>,
}

struct BoardView {
    team_id: TeamId,
    name: String,
    /// "maandag 9 maart 2026".
    today: String,
    week: String,
    figures: Vec<Figure>,
    norm: String,
    goals: Vec<GoalRow>,
    may_set_goals: bool,
    goal_kinds: Vec<Choice>,
    goal_target: String,
    note_day: String,
    note_kinds: Vec<Choice>,
    note_text: String,
    action_rows: Vec<ActionRow>,
    notes: Vec<NoteView>,
}

/// One figure; `href` links to the queue filtered on it (the viewer's own team only).
struct Figure {
    label: &'static str,
    value: u64,
    href: Option<&'static str>,
}

struct GoalRow {
    kind: &'static str,
    label: String,
    state: &'static str,
    summary: String,
}

/// A row of the note form: an action point and its owner.
struct ActionRow {
    n: usize,
    text: String,
    owners: Vec<Choice>,
}

struct NoteView {
    heading: String,
    text: String,
    actions: Vec<ActionView>,
}

struct ActionView {
    id: ActionPointId,
    text: String,
    owner: String,
    done: bool,
    may_tick: bool,
}

/// What the forms typed, kept on the page after an error.
#[derive(Default)]
struct Drafts<'a> {
    goal_kind: &'a str,
    goal_target: &'a str,
    note: Option<&'a NoteForm>,
}

async fn board(State(s): State<AppState>, page: Page, Query(q): Query<BoardQuery>) -> Response {
    let team = match q.team.trim() {
        "" => None,
        t => match t.parse::<TeamId>() {
            Ok(t) => Some(t),
            Err(_) => return error_page(&AppError::NotFound("team")),
        },
    };
    render(&s, &page, team, q.melding, None, Drafts::default()).await
}

async fn render(
    s: &AppState,
    page: &Page,
    team: Option<TeamId>,
    notice: Option<String>,
    error: Option<&AppError>,
    drafts: Drafts<'_>,
) -> Response {
    let who = &page.0.principal;
    let teams = match s.app.board_teams(who).await {
        Ok(t) => t,
        Err(e) => return error_page(&e),
    };
    let own = s.app.own_team(who).await.ok().flatten();
    let chosen = team.or(own).or_else(|| teams.first().map(|t| t.id));
    let mut view = BoardPage {
        frame: page.frame("Teambord"),
        error: error.map(|e| explain(e, Saved::Nothing)),
        notice,
        teams: if teams.len() > 1 {
            let selected = chosen.map(|t| t.to_string()).unwrap_or_default();
            choices(teams.iter().map(|t| (t.id.to_string(), t.name.clone())), &selected)
        } else {
            vec![]
        },
        board: None,
    };
    let Some(team) = chosen else {
        return view.into_response();
    };
    let board = match s.app.team_board(who, team).await {
        Ok(b) => b,
        Err(e) => return error_page(&e),
    };
    view.frame = page.frame(format!("Teambord {}", board.team.name));
    view.board = Some(board_view(&board, who.employee_id(), own == Some(team), &drafts));
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    (status, view).into_response()
}

fn board_view(b: &TeamBoard, me: Option<EmployeeId>, own: bool, drafts: &Drafts<'_>) -> BoardView {
    let f = &b.figures;
    let link = |href| own.then_some(href);
    let figures = vec![
        Figure { label: "Werkvoorraad nu (open zaken)", value: f.workload, href: link("/werkplek/zaken") },
        Figure { label: "Zonder eigenaar", value: f.unassigned, href: link("/werkplek/zaken?welke=zonder") },
        Figure { label: "Bijna te laat (binnen 48 uur)", value: f.at_risk, href: link("/werkplek/zaken?welke=risico") },
        Figure { label: "Te laat", value: f.late, href: link("/werkplek/zaken?welke=laat") },
        Figure { label: "Opgeschort (wacht op klant)", value: f.suspended, href: None },
        Figure { label: "Binnengekomen vandaag", value: f.received_today, href: None },
        Figure { label: "Binnengekomen deze week", value: f.received_week, href: None },
        Figure { label: "Afgehandeld vandaag", value: f.closed_today, href: None },
        Figure { label: "Afgehandeld deze week", value: f.closed_week, href: None },
    ];
    let norm = match (f.percent_within(), f.meets_target()) {
        (Some(p), Some(met)) => format!(
            "{}% binnen de norm ({} van {} beoordeeld); doel {}%: {}",
            one_decimal(p),
            f.week_within_norm,
            f.week_within_norm + f.week_late,
            f.target_percent,
            if met { "gehaald" } else { "niet gehaald" }
        ),
        _ => format!("Deze week is nog geen zaak beoordeeld; doel {}%.", f.target_percent),
    };
    let goals = b
        .goals
        .iter()
        .map(|g| GoalRow {
            kind: g.kind.code(),
            label: g.label.clone(),
            state: match g.met {
                Some(true) => "Gehaald",
                Some(false) => "Niet gehaald",
                None => "Nog niet te beoordelen",
            },
            summary: g.summary(),
        })
        .collect();
    let name_of = |id: Option<EmployeeId>| {
        id.and_then(|id| b.members.iter().find(|e| e.id == id))
            .map(|e| e.name.clone())
            .unwrap_or_else(|| "onbekend".into())
    };
    let note = drafts.note;
    let action_rows = (0..ACTION_ROWS)
        .map(|i| {
            let (text, owner) = note.map(|n| n.action(i)).unwrap_or_default();
            let owners = choices(
                std::iter::once((String::new(), "kies iemand".to_string()))
                    .chain(b.members.iter().map(|e| (e.id.to_string(), e.name.clone()))),
                owner,
            );
            ActionRow { n: i + 1, text: text.to_string(), owners }
        })
        .collect();
    let notes = b
        .notes
        .iter()
        .map(|n| NoteView {
            heading: format!("{} {} ({})", n.kind.label(), dutch_day(n.day), name_of(n.author_id)),
            text: n.text.clone(),
            actions: n
                .actions
                .iter()
                .map(|a| ActionView {
                    id: a.id,
                    text: a.text.clone(),
                    owner: name_of(Some(a.owner_id)),
                    done: a.done,
                    may_tick: b.may_set_goals || me == Some(a.owner_id),
                })
                .collect(),
        })
        .collect();
    BoardView {
        team_id: b.team.id,
        name: b.team.name.clone(),
        today: dutch_day(b.today),
        week: dutch_day(b.week_start),
        figures,
        norm,
        goals,
        may_set_goals: b.may_set_goals,
        goal_kinds: choices(GoalKind::ALL.iter().map(|k| (k.code(), goal_kind_label(*k))), drafts.goal_kind),
        goal_target: drafts.goal_target.to_string(),
        note_day: note.map(|n| n.datum.clone()).unwrap_or_else(|| b.today.to_string()),
        note_kinds: choices(
            NoteKind::ALL.iter().map(|k| (k.code(), k.label())),
            note.map(|n| n.soort.as_str()).unwrap_or("dagstart"),
        ),
        note_text: note.map(|n| n.tekst.clone()).unwrap_or_default(),
        action_rows,
        notes,
    }
}

fn goal_kind_label(k: GoalKind) -> &'static str {
    match k {
        GoalKind::BinnenNorm => "Percentage binnen de servicenorm deze week (ten minste)",
        GoalKind::WerkvoorraadOnder => "Werkvoorraad onder",
        GoalKind::TeLaatOnder => "Aantal zaken te laat onder",
    }
}

fn board_path(team: TeamId) -> String {
    format!("/werkplek/team?team={team}")
}

#[derive(Deserialize)]
struct GoalForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    doel: String,
    /// `verwijderen` removes the goal of `soort`.
    #[serde(default)]
    actie: String,
}

async fn goal(State(s): State<AppState>, page: Page, Path(team): Path<TeamId>, Form(f): Form<GoalForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let who = &page.0.principal;
    let result = match f.soort.parse::<GoalKind>() {
        Ok(kind) if f.actie == "verwijderen" => {
            s.app.remove_team_goal(who, team, kind).await.map(|_| "Het doel is verwijderd.")
        }
        Ok(kind) => s.app.set_team_goal(who, team, kind, &f.doel).await.map(|_| "Het doel is opgeslagen."),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(done) => Redirect::to(&board_with_notice(team, done)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let drafts = Drafts { goal_kind: &f.soort, goal_target: &f.doel, note: None };
            render(&s, &page, Some(team), None, Some(&e), drafts).await
        }
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize, Default)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    datum: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    tekst: String,
    #[serde(default)]
    actie1: String,
    #[serde(default)]
    eigenaar1: String,
    #[serde(default)]
    actie2: String,
    #[serde(default)]
    eigenaar2: String,
    #[serde(default)]
    actie3: String,
    #[serde(default)]
    eigenaar3: String,
}

impl NoteForm {
    /// The note as typed; an owner that is no id is refused like an unknown one.
    fn input(&self) -> Result<NoteInput<'_>, gastvrij_domain::Invalid> {
        let mut actions = vec![];
        for i in 0..ACTION_ROWS {
            let (text, owner) = self.action(i);
            let owner = match owner.trim() {
                "" => None,
                o => Some(
                    o.parse::<EmployeeId>()
                        .map_err(|_| gastvrij_domain::Invalid::unknown_id("owner_id", o).in_item("actions", i))?,
                ),
            };
            actions.push((text, owner));
        }
        Ok(NoteInput { day: &self.datum, kind: self.soort.parse()?, text: &self.tekst, actions })
    }

    /// Row `i` (from 0) of the action points: text and owner as typed.
    fn action(&self, i: usize) -> (&str, &str) {
        match i {
            0 => (&self.actie1, &self.eigenaar1),
            1 => (&self.actie2, &self.eigenaar2),
            _ => (&self.actie3, &self.eigenaar3),
        }
    }
}

async fn note(State(s): State<AppState>, page: Page, Path(team): Path<TeamId>, Form(f): Form<NoteForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let result = match f.input() {
        Ok(input) => s.app.add_board_note(&page.0.principal, team, input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Redirect::to(&board_with_notice(team, "De notitie is opgeslagen.")).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let drafts = Drafts { note: Some(&f), ..Default::default() };
            render(&s, &page, Some(team), None, Some(&e), drafts).await
        }
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize)]
struct TickForm {
    #[serde(default)]
    csrf: String,
    /// `ja`: done; anything else opens it again.
    #[serde(default)]
    klaar: String,
    /// The board to return to (the point's team decides who may tick it, not this).
    #[serde(default)]
    team: String,
}

async fn tick(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ActionPointId>,
    Form(f): Form<TickForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.tick_action_point(&page.0.principal, id, f.klaar == "ja").await {
        Ok(_) => match f.team.parse::<TeamId>() {
            Ok(team) => Redirect::to(&board_with_notice(team, "Het actiepunt is bijgewerkt.")).into_response(),
            Err(_) => Redirect::to("/werkplek/team").into_response(),
        },
        Err(e) => error_page(&e),
    }
}

/// The board of `team` with a notice for the next page (`&melding=…`, percent-encoded).
fn board_with_notice(team: TeamId, notice: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("melding", notice).finish();
    format!("{}&{query}", board_path(team))
}
