//! Wie weet wat: the expertise directory, searchable; every employee keeps their own line and
//! team leads keep everyone's.

use super::{Choice, Frame, Page, Saved, choices, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_domain::directory::{Availability, DirectoryInput};
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::team::Role;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/wie-weet-wat", get(list)).route("/werkplek/wie-weet-wat/{employee}", post(save))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
}

async fn list(State(s): State<AppState>, page: Page, Query(q): Query<ListQuery>) -> Response {
    render(&s, &page, &q.q, None).await
}

/// `templates/staff/directory/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/directory/page.html")]
struct DirectoryPage {
    frame: Frame,
    error: Option<String>,
    q: String,
    people: Vec<Person>,
    editable: Vec<Editable>,
}

struct Person {
    name: String,
    team: String,
    expertise: String,
    phone: String,
    today: String,
}

/// The form for one person's line.
struct Editable {
    id: EmployeeId,
    name: String,
    expertise: String,
    availability: Vec<Choice>,
    until: String,
}

async fn render(s: &AppState, page: &Page, q: &str, error: Option<&AppError>) -> Response {
    let who = &page.0.principal;
    let people = match s.app.directory(who, q).await {
        Ok(p) => p,
        Err(e) => return error_page(&e),
    };
    let lead = who.roles.contains(&Role::Teamleider);
    let expertise = |p: &gastvrij_app::workspace::DirectoryPerson| {
        p.entry.as_ref().map(|e| e.expertise.join(", ")).unwrap_or_default()
    };
    // Edit forms: one's own line, or (team leads) anyone's.
    let editable = people
        .iter()
        .filter(|p| lead || Some(p.employee.id) == who.employee_id())
        .take(if lead { 50 } else { 1 })
        .map(|p| {
            let e = p.entry.as_ref();
            let current = e.map(|e| e.availability).unwrap_or_default();
            Editable {
                id: p.employee.id,
                name: p.employee.name.clone(),
                expertise: expertise(p),
                availability: choices(Availability::ALL.iter().map(|a| (a.code(), a.label())), current.code()),
                until: e.and_then(|e| e.until.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let people = people
        .iter()
        .map(|p| Person {
            name: p.employee.name.clone(),
            team: p.team.clone().unwrap_or_default(),
            expertise: expertise(p),
            phone: p.employee.phone.as_ref().map(|x| x.as_str().to_string()).unwrap_or_default(),
            today: p.entry.as_ref().map(|e| e.describe()).unwrap_or_else(|| "onbekend".into()),
        })
        .collect();
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    let error = error.map(|e| explain(e, Saved::Nothing));
    let view = DirectoryPage { frame: page.frame("Wie weet wat"), error, q: q.to_string(), people, editable };
    (status, view).into_response()
}

#[derive(Deserialize)]
struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    expertise: String,
    #[serde(default)]
    availability: String,
    #[serde(default)]
    until: String,
}

async fn save(
    State(s): State<AppState>,
    page: Page,
    Path(employee): Path<EmployeeId>,
    Form(f): Form<EntryForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let input = Availability::parse(&f.availability).map(|availability| DirectoryInput {
        expertise: f.expertise.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect(),
        availability,
        until: Some(f.until.clone()),
        note: None,
    });
    let result = match input {
        Ok(input) => s.app.save_directory_entry(&page.0.principal, employee, input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Redirect::to("/werkplek/wie-weet-wat").into_response(),
        Err(e) => render(&s, &page, "", Some(&e)).await,
    }
}
