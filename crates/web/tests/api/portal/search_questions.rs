//! Learning from the questions on the website (issue 16): a search on /antwoorden is kept, and
//! "Ja, dit beantwoordt mijn vraag" after it counts for the share of prevented questions.

use super::*;

#[tokio::test]
async fn a_public_search_that_ends_on_helped_counts_for_the_website_share() {
    let app = spawn_app().await;
    organise(&app).await;
    let who = Principal::operator();
    let input = serde_json::from_value(json!({
        "external_id": "KB-1", "title": "Kwijtschelding aanvragen", "question": "Kwijtschelding?",
        "answer": "Intern.", "public_answer": "U kunt kwijtschelding aanvragen als uw inkomen laag is."
    }))
    .unwrap();
    let a = app.app.create_article(&who, input).await.unwrap();
    use gastvrij_domain::kennisbank::ArticleStatus;
    app.app.change_article_status(&who, a.id, ArticleStatus::TerBeoordeling).await.unwrap();
    app.app.change_article_status(&who, a.id, ArticleStatus::Openbaar).await.unwrap();
    app.app.sync_search(0).await.unwrap();

    let nothing = get(&app, "/antwoorden?q=waar+blijft+de+vuilniswagen", None).await;
    assert_eq!(nothing.status, StatusCode::OK);
    let search = get(&app, "/antwoorden?q=kwijtschelding+2611+AB", None).await;
    let at = search.body.find("&amp;zoek=").unwrap_or_else(|| panic!("{}", search.body)) + "&amp;zoek=".len();
    let zoek = search.body[at..].split('"').next().unwrap().to_string();
    let (v, page) = visit(&app, &format!("/antwoorden/KB-1?vraag=kwijtschelding&zoek={zoek}")).await;
    assert!(page.body.contains(&format!("name=\"zoek\" value=\"{zoek}\"")), "{}", page.body);
    let helped =
        post_form(&app, "/antwoorden/KB-1/geholpen", Some(&v.cookie), &format!("csrf={}&zoek={zoek}", v.csrf)).await;
    assert_eq!(helped.status, StatusCode::OK, "{}", helped.body);

    let now = app.app.now();
    let hour = jiff::SignedDuration::from_hours(1);
    let share = app.app.website_answer_share(&who, now - hour, now + hour).await.unwrap();
    assert_eq!((share.helped, share.searches), (1, 2));
    let period = app.app.learning_period(None).unwrap();
    let groups = app.app.unanswered_questions(&who, period, None).await.unwrap();
    let texts: Vec<&str> = groups.iter().map(|g| g.example.as_str()).collect();
    assert_eq!(texts, ["waar blijft de vuilniswagen"], "the helped search is answered; postcodes never kept");
}
