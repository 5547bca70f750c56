//! Learning from the questions in the workspace and the API (issue 16): searches that find
//! nothing are listed grouped by wording with their count, masked; a search whose article was
//! used is not; "Maak artikel" starts a concept; only editors see the list.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{hidden_csrf, send, sign_in};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_domain::kennisbank::{ArticleInput, ArticleStatus};

async fn article(app: &TestApp, id: &str, title: &str) {
    let who = Principal::operator();
    let input = ArticleInput {
        external_id: Some(id.into()),
        title: title.into(),
        question: format!("{title}?"),
        answer: "Ja, als uw inkomen laag is.".into(),
        ..Default::default()
    };
    let a = app.app.create_article(&who, input).await.unwrap();
    app.app.change_article_status(&who, a.id, ArticleStatus::TerBeoordeling).await.unwrap();
    app.app.change_article_status(&who, a.id, ArticleStatus::Intern).await.unwrap();
    app.app.sync_search(0).await.unwrap();
}

/// The value of `?zoek=` in the first article link of a results page.
fn search_id(html: &str) -> String {
    let at = html.find("?zoek=").unwrap_or_else(|| panic!("no search id in {html}")) + "?zoek=".len();
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn a_search_without_hits_is_listed_grouped_with_its_count_and_a_used_one_is_not() {
    let app = spawn_app().await;
    article(&app, "KB-1", "Kwijtschelding aanvragen").await;
    let (anna, anna_csrf) = sign_in(&app, "anna", &["kcc"]).await;
    let (bram, _) = sign_in(&app, "bram", &["kcc"]).await;

    // Three wordings of one question that the kennisbank cannot answer, one with a name and a
    // phone number in it, by two agents.
    for (who, q) in [
        (&anna, "steiger+bouwen+in+de+sloot"),
        (&bram, "Sloot+steiger+bouwen%3F"),
        (&anna, "ik+ben+Jan+Jansen%2C+steiger+in+de+sloot+bouwen+06-12345678"),
    ] {
        let page = send(&app, "GET", &format!("/werkplek/zoeken?q={q}"), &[who], None, &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Geen artikel gevonden"), "{q}: {}", page.body);
    }
    // A search whose article is used is answered.
    let found = send(&app, "GET", "/werkplek/zoeken?q=kwijtschelding+aanvragen&deel=1", &[&anna], None, &[]).await;
    let zoek = search_id(&found.body);
    let shown = send(&app, "GET", &format!("/werkplek/artikelen/KB-1?zoek={zoek}"), &[&anna], None, &[]).await;
    assert!(shown.body.contains(&format!("name=\"zoek\" value=\"{zoek}\"")), "{}", shown.body);
    let form = format!("csrf={anna_csrf}&zoek={zoek}");
    let used = send(&app, "POST", "/werkplek/artikelen/KB-1/gebruikt", &[&anna], Some(&form), &[]).await;
    assert_eq!(used.status, StatusCode::SEE_OTHER);

    let (editor, editor_csrf) = sign_in(&app, "redactie", &["redacteur"]).await;
    let list = send(&app, "GET", "/werkplek/kennisbank/vragen", &[&editor], None, &[]).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let unanswered = list.body.split("Meest gestelde vragen per onderwerp").next().unwrap();
    let rows: Vec<&str> = unanswered.split("<tr class=\"utrecht-table__row\">").skip(1).collect();
    let group = rows.iter().find(|r| r.contains("steiger")).unwrap_or_else(|| panic!("{}", list.body));
    assert!(group.contains("<td class=\"utrecht-table__cell aantal\">3</td>"), "one group of three: {group}");
    assert_eq!(rows.iter().filter(|r| r.contains("steiger")).count(), 1, "grouped");
    assert!(!list.body.contains("Jansen") && !list.body.contains("12345678"), "masked before storage");
    assert!(!unanswered.to_lowercase().contains("kwijtschelding"), "the used search is answered");
    assert!(list.body.contains("href=\"/werkplek/kennisbank/vragen\">Vragen zonder antwoord</a>"), "in the nav");
    // The top questions count every search, the answered one too, under the topic of its article.
    let top = list.body.split("Meest gestelde vragen per onderwerp").nth(1).unwrap();
    assert!(top.contains("steiger") && top.contains("(3)") && top.contains("kwijtschelding aanvragen (1)"), "{top}");

    // The API gives the same groups, to editors only.
    let token = app.token_for("redactie-api", &["redacteur"]).await;
    let (status, body) = app.get("/api/v1/kennisbank/zoekvragen?dagen=7", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let groups = body["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{body}");
    assert_eq!((groups[0]["searches"].as_u64(), groups[0]["without_hits"].as_u64()), (Some(3), Some(3)));
    assert_eq!(body["period"]["days"], 7);
    let (status, body) = app.get("/api/v1/kennisbank/zoekvragen?kanaal=website", Some(&token)).await;
    assert_eq!((status, body["groups"].as_array().unwrap().len()), (StatusCode::OK, 0), "none on the website");
    let (status, body) = app.get("/api/v1/kennisbank/zoekvragen?dagen=3", Some(&token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let agent = app.token_for("agent-api", &["kcc"]).await;
    assert_eq!(app.get("/api/v1/kennisbank/zoekvragen", Some(&agent)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&app, "GET", "/werkplek/kennisbank/vragen", &[&anna], None, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let wrong = send(&app, "GET", "/werkplek/kennisbank/vragen?dagen=3", &[&editor], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);

    // "Maak artikel" starts a concept with the question filled in.
    let example = group.split("scope=\"row\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let vraag: String = form_urlencoded::byte_serialize(example.as_bytes()).collect();
    let forged = format!("csrf=x&vraag={vraag}");
    let refused = send(&app, "POST", "/werkplek/kennisbank/vragen/artikel", &[&editor], Some(&forged), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(hidden_csrf(&list.body), editor_csrf);
    let form = format!("csrf={editor_csrf}&vraag={vraag}");
    let made = send(&app, "POST", "/werkplek/kennisbank/vragen/artikel", &[&editor], Some(&form), &[]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let at = made.location.unwrap();
    let id = at.strip_prefix("/werkplek/artikelen/").unwrap();
    let concept = app.app.store().article_by_external_id(id).await.unwrap().unwrap();
    assert_eq!((concept.status, concept.question.as_str()), (ArticleStatus::Concept, example.as_str()));
    let view = send(&app, "GET", &at, &[&editor], None, &[]).await;
    assert_eq!(view.status, StatusCode::OK);
    let empty = format!("csrf={editor_csrf}&vraag=+");
    let refused = send(&app, "POST", "/werkplek/kennisbank/vragen/artikel", &[&editor], Some(&empty), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let csv = send(&app, "GET", "/werkplek/kennisbank/vragen.csv", &[&editor], None, &[]).await;
    assert!(csv.body.starts_with("group_key,example,searches,without_hits,top_hit_not_used,last_asked\n"));
    assert!(csv.body.contains(",3,3,0,"), "{}", csv.body);
}

#[tokio::test]
async fn the_name_of_the_customer_on_the_line_is_masked_in_a_kept_search() {
    use gastvrij_domain::channel::Channel;
    use gastvrij_domain::contact::ContactInput;
    let app = spawn_app().await;
    let (anna, _) = sign_in(&app, "anna", &["kcc"]).await;
    let who = Principal::operator();
    let input = serde_json::from_value(serde_json::json!({"kind": "persoon", "name": "Jan Pietersen"})).unwrap();
    let customer = app.app.create_customer(&who, input).await.unwrap();
    let contact = ContactInput { customer_id: Some(customer.id), ..ContactInput::on(Channel::Telefoon) };
    let contact = app.app.create_contact(&who, contact).await.unwrap();

    let path = format!("/werkplek/zoeken?contact={}&deel=1&q=pietersen+riool+kapot", contact.id);
    assert_eq!(send(&app, "GET", &path, &[&anna], None, &[]).await.status, StatusCode::OK);
    let screen = send(&app, "GET", &format!("/werkplek/contacten/{}", contact.id), &[&anna], None, &[]).await;
    assert!(screen.body.contains(&format!("data-live-search=\"/werkplek/zoeken?contact={}\"", contact.id)));

    let period = app.app.learning_period(None).unwrap();
    let groups = app.app.unanswered_questions(&who, period, None).await.unwrap();
    let texts: Vec<&str> = groups.iter().map(|g| g.example.as_str()).collect();
    assert_eq!(texts, ["[naam] riool kapot"]);
}
