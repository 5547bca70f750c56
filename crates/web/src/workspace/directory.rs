//! Wie weet wat: the expertise directory, searchable; every employee keeps their own line and
//! team leads keep everyone's.

use super::{Page, dutch, error_box, error_page, layout, options};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
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

async fn render(s: &AppState, page: &Page, q: &str, error: Option<&AppError>) -> Response {
    let who = &page.0.principal;
    let people = match s.app.directory(who, q).await {
        Ok(p) => p,
        Err(e) => return error_page(&e),
    };
    let lead = who.roles.contains(&Role::Teamleider);
    let mut rows = String::new();
    for p in &people {
        let e = p.entry.as_ref();
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&p.employee.name),
            escape(p.team.as_deref().unwrap_or("")),
            escape(&e.map(|e| e.expertise.join(", ")).unwrap_or_default()),
            escape(p.employee.phone.as_ref().map(|x| x.as_str()).unwrap_or("")),
            escape(&e.map(|e| e.describe()).unwrap_or_else(|| "onbekend".into())),
        ));
    }
    let mut body = format!(
        r#"<h1>Wie weet wat</h1>
{error}
<form method="get" action="/werkplek/wie-weet-wat" role="search">
<p><label for="zoek">Zoek op onderwerp, naam of team</label><br><input id="zoek" name="q" value="{q}" size="40"> <button type="submit">Zoek</button></p>
</form>
<table>
<caption>{n} medewerkers</caption>
<thead><tr><th scope="col">Naam</th><th scope="col">Team</th><th scope="col">Weet van</th><th scope="col">Telefoon</th><th scope="col">Vandaag</th></tr></thead>
<tbody>{rows}</tbody>
</table>"#,
        error = error_box(error.map(dutch).as_deref()),
        q = escape(q),
        n = people.len()
    );
    // Edit forms: one's own line, or (team leads) anyone's.
    let editable: Vec<_> = people
        .iter()
        .filter(|p| lead || Some(p.employee.id) == who.employee_id())
        .take(if lead { 50 } else { 1 })
        .collect();
    if !editable.is_empty() {
        body.push_str("<h2>Bijwerken</h2>");
    }
    for p in editable {
        let e = p.entry.as_ref();
        let id = p.employee.id;
        let current = e.map(|e| e.availability).unwrap_or_default();
        let availability = options(Availability::ALL.iter().map(|a| (a.code(), a.label())), current.code());
        body.push_str(&format!(
            r#"<form method="post" action="/werkplek/wie-weet-wat/{id}" class="regel" aria-label="Gegevens van {name}">{csrf}
<fieldset><legend>{name}</legend>
<p><label for="kennis-{id}">Weet van (gescheiden door komma's)</label><br><input id="kennis-{id}" name="expertise" value="{expertise}" size="50"></p>
<p><label for="status-{id}">Vandaag</label><br><select id="status-{id}" name="availability">{availability}</select></p>
<p><label for="tot-{id}">Tot (uu:mm, bij afwezig of in overleg)</label><br><input id="tot-{id}" name="until" value="{until}" size="5"></p>
<p><button type="submit">Opslaan</button></p>
</fieldset></form>"#,
            name = escape(&p.employee.name),
            csrf = page.csrf_field(),
            expertise = escape(&e.map(|e| e.expertise.join(", ")).unwrap_or_default()),
            until = escape(e.and_then(|e| e.until.as_deref()).unwrap_or("")),
        ));
    }
    Html(layout(page, "Wie weet wat", &body)).into_response()
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
