//! Stories of learning from the questions (issue 16) on every backend: searches are kept masked
//! with the hour and the top hit's topic, marked when used, grouped when unanswered, counted for
//! the website norm, and deleted after a year by the retention job — by one node at a time.

use crate::harness::{TestDb, app, operator, texts};
use gastvrij_app::kennisbank::ArticleLine;
use gastvrij_app::ports::ArticleHit;
use gastvrij_app::privacy::RetentionRun;
use gastvrij_app::{App, Settings};
use gastvrij_domain::kennisbank::ArticleStatus;
use gastvrij_domain::search_questions::SearchChannel;
use gastvrij_store::{Database, OpenMode};
use jiff::{SignedDuration, Timestamp};

crate::stories!(
    search_questions:
    searches_are_kept_masked_marked_when_used_and_grouped_when_unanswered,
    search_questions_are_deleted_after_a_year_by_one_node_at_a_time,
);

fn hit(id: &str) -> ArticleHit {
    ArticleHit { id: id.into(), title: "t".into(), score: 1.0, snippet: String::new() }
}

pub async fn searches_are_kept_masked_marked_when_used_and_grouped_when_unanswered(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let line = ArticleLine {
        id: "KB-1".into(),
        title: "Kwijtschelding".into(),
        question: "Kan ik kwijtschelding krijgen?".into(),
        answer: "Ja.".into(),
        topic: Some("Belastingen".into()),
        ..Default::default()
    };
    app.import_article_line(&who, line).await.unwrap();
    let article = app.store().article_by_external_id("KB-1").await.unwrap().unwrap();
    assert_eq!(article.status, ArticleStatus::Intern);
    let topic = article.topic_id.unwrap();

    // Three people ask about a blocked drain with their details; nothing is found.
    let web = SearchChannel::Website;
    for text in ["Riool verstopt 2611 AB", "riool verstopt 06-12345678", "Verstopt riool J. de Vries"] {
        assert!(app.record_search(None, web, text, &[], &[]).await.is_some());
    }
    let kept = texts(&db.location, "SELECT text FROM search_questions").await;
    let mut kept: Vec<String> = kept.into_iter().map(Option::unwrap).collect();
    kept.sort();
    assert_eq!(kept, ["Riool verstopt [postcode]", "Verstopt riool [naam]", "riool verstopt [telefoon]"]);
    let hours = texts(&db.location, "SELECT DISTINCT CAST(asked_hour AS TEXT) FROM search_questions").await;
    let hour: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    assert_eq!(hours, [Some(hour.as_microsecond().to_string())], "the hour only");

    // One search finds the article and it is used: it is answered. Another finds it, unused.
    let used = app.record_search(None, web, "kwijtschelding aanvragen", &[hit("KB-1")], &[]).await.unwrap();
    app.record_search_use(Some(&used), article.id).await;
    app.record_search(None, web, "kwijtschelding", &[hit("KB-1")], &[]).await.unwrap();
    let topics = texts(&db.location, "SELECT topic_id FROM search_questions WHERE hits = 1").await;
    assert_eq!(topics, [Some(topic.to_string()), Some(topic.to_string())], "the top hit's topic");

    let period = app.learning_period(Some(7)).unwrap();
    let groups = app.unanswered_questions(&who, period, None).await.unwrap();
    let summary: Vec<(&str, u64, u64)> = groups.iter().map(|g| (g.key.as_str(), g.searches, g.without_hits)).collect();
    assert_eq!(summary[0], ("riool verstopt", 3, 3), "one group for the three wordings");
    assert_eq!(summary.len(), 2, "the drain and the unused kwijtschelding search: {summary:?}");
    assert_eq!(summary[1], ("kwijtschelding", 1, 0));
    assert_eq!(app.unanswered_questions(&who, period, Some(SearchChannel::Werkplek)).await.unwrap(), vec![]);

    let share = app.website_answer_share(&who, period.from, period.to).await.unwrap();
    assert_eq!((share.helped, share.searches), (1, 5));
    let top = app.top_questions(&who, period).await.unwrap();
    let belasting = top.iter().find(|t| t.topic == "Belastingen").unwrap();
    assert_eq!((belasting.week.as_str(), belasting.searches), ("2026-W10", 2));

    // Marked once; an unknown id changes nothing.
    assert!(!app.store().mark_search_question_used(&used, article.id).await.unwrap());
    assert!(!app.store().mark_search_question_used("unknown", article.id).await.unwrap());

    // Unused articles: created now, so not yet six months old; half a year on it is unused.
    assert_eq!(app.unused_articles(&who).await.unwrap().len(), 0);
    clock.advance_secs(200 * 24 * 3600);
    let unused = app.unused_articles(&who).await.unwrap();
    assert_eq!(unused.iter().map(|a| a.external_id.as_str()).collect::<Vec<_>>(), ["KB-1"]);
    app.record_article_use(&who, article.id).await.unwrap();
    assert_eq!(app.unused_articles(&who).await.unwrap().len(), 0, "a use counts");
}

pub async fn search_questions_are_deleted_after_a_year_by_one_node_at_a_time(db: &TestDb) {
    let (app, clock) = app(db);
    let web = SearchChannel::Website;
    for i in 0..5 {
        app.record_search(None, web, &format!("vraag nummer {i} over riool"), &[], &[]).await.unwrap();
    }
    clock.advance_secs(30 * 24 * 3600);
    app.record_search(None, web, "een latere vraag", &[], &[]).await.unwrap();
    let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let year = SignedDuration::from_hours(24 * 365);

    // Dry run: a year to the hour keeps them, a year and an hour deletes the first five.
    let due = |at: Timestamp| {
        let app = app.clone();
        async move {
            match app.apply_retention(at, true).await.unwrap() {
                RetentionRun::Done(c) => c.search_questions,
                RetentionRun::ClaimedElsewhere => panic!("nobody else runs"),
            }
        }
    };
    assert_eq!(due(start + year).await, 0);
    assert_eq!(due(start + year + SignedDuration::from_hours(1)).await, 5);

    // Two nodes at once: each question deleted once, the later one kept.
    let other = Database::open(&db.location, OpenMode::MustExist).await.unwrap().into_store();
    let clock_b = crate::harness::TestClock(std::sync::Mutex::new(app.now()));
    let node_b = App::new(other, std::sync::Arc::new(clock_b), Settings::default());
    let at = start + year + SignedDuration::from_hours(1);
    let (a, b) = tokio::join!(app.apply_retention(at, false), node_b.apply_retention(at, false));
    let deleted = |r: RetentionRun| match r {
        RetentionRun::Done(c) => c.search_questions,
        RetentionRun::ClaimedElsewhere => 0,
    };
    assert_eq!(deleted(a.unwrap()) + deleted(b.unwrap()), 5, "each deleted by exactly one node");
    let left = texts(&db.location, "SELECT text FROM search_questions").await;
    assert_eq!(left, [Some("een latere vraag".to_string())]);
}
