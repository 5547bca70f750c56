//! The team's queue: open cases of the signed-in employee's team, the nearest deadline first,
//! with the deadline as people say it ("nog 3 werkdagen", "2 werkdagen te laat").

use super::{Page, error_page, layout};
use crate::AppState;
use crate::pages::escape;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use gastvrij_app::Page as Paging;
use gastvrij_app::ports::CaseQuery;

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/zaken", get(queue))
}

async fn queue(State(s): State<AppState>, page: Page) -> Response {
    let who = &page.0.principal;
    let team = match who.employee_id() {
        Some(id) => s.app.employee(who, id).await.ok().and_then(|e| e.team_id),
        None => None,
    };
    let teams = s.app.teams(who).await.unwrap_or_default();
    let team_name = team.and_then(|t| teams.iter().find(|x| x.id == t)).map(|t| t.name.clone()).unwrap_or_default();
    let Some(team) = team else {
        let body = "<h1>Zaken van mijn team</h1><p>U hoort (nog) bij geen team. Vraag uw teamleider u aan een team toe te voegen.</p>";
        return Html(layout(&page, "Zaken van mijn team", body)).into_response();
    };
    let mut cases = match s
        .app
        .cases(who, &CaseQuery { team_id: Some(team), open_only: true, page: Paging::first(200), ..Default::default() })
        .await
    {
        Ok(c) => c,
        Err(e) => return error_page(&e),
    };
    cases.sort_by_key(|c| c.timing.deadlines.as_ref().map(|d| d.service_norm));
    let mut rows = String::new();
    for c in &cases {
        let due =
            c.timing.deadlines.as_ref().map(|d| s.app.due_phrase(d.service_norm)).unwrap_or_else(|| "geen norm".into());
        rows.push_str(&format!(
            "<tr><td><a href=\"/werkplek/zaken/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            c.id,
            escape(&c.reference),
            escape(c.case_type.label()),
            escape(&c.subject),
            escape(c.status.label()),
            escape(&due)
        ));
    }
    let body = format!(
        r#"<h1>Zaken van {team}</h1>
<p>{n} open zaken, de eerste termijn bovenaan.</p>
<table>
<caption>Open zaken van {team}</caption>
<thead><tr><th scope="col">Kenmerk</th><th scope="col">Soort</th><th scope="col">Onderwerp</th><th scope="col">Status</th><th scope="col">Reactie uiterlijk</th></tr></thead>
<tbody>{rows}</tbody>
</table>"#,
        team = escape(&team_name),
        n = cases.len()
    );
    Html(layout(&page, "Zaken van mijn team", &body)).into_response()
}
