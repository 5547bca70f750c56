//! Stories of the kennisbank: article versions, imports and scheduled publishing.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::Page;

crate::stories!(
    kennisbank:
    articles_keep_versions_and_import_lines_upsert_by_external_id,
    scheduled_articles_are_published_and_archived_on_time,
);

pub async fn articles_keep_versions_and_import_lines_upsert_by_external_id(db: &TestDb) {
    use gastvrij_app::kennisbank::{ArticleLine, ImportOutcome};
    use gastvrij_domain::kennisbank::ArticleStatus;
    let (app, clock) = app(db);
    let who = operator();
    let line = ArticleLine {
        id: "KB-1".into(),
        title: "Kwijtschelding".into(),
        question: "Kan ik kwijtschelding krijgen?".into(),
        answer: "Ja, bij een laag inkomen.".into(),
        topic: Some("Belastingen/Kwijtschelding".into()),
        keywords: vec!["kwijtschelding".into(), "laag inkomen, bijstand".into()],
        ..Default::default()
    };
    assert_eq!(app.import_article_line(&who, line.clone()).await.unwrap(), ImportOutcome::Created);
    assert_eq!(app.import_article_line(&who, line.clone()).await.unwrap(), ImportOutcome::Unchanged);
    clock.advance_secs(10);
    let changed = ArticleLine { answer: "Ja, als uw inkomen laag is.".into(), ..line.clone() };
    assert_eq!(app.import_article_line(&who, changed).await.unwrap(), ImportOutcome::Updated);
    let stored = app.store().article_by_external_id("KB-1").await.unwrap().unwrap();
    assert_eq!(stored.status, ArticleStatus::Intern);
    assert_eq!(stored.keywords, vec!["kwijtschelding", "laag inkomen, bijstand"], "keywords may hold commas");
    assert_eq!(stored.version, 2);
    let topics = app.topics(&who).await.unwrap();
    assert_eq!(topics.len(), 2, "the topic path was created once: {topics:?}");
    let versions = app.article_versions(&who, stored.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(
        versions[1].diff.contains("- Ja, bij een laag inkomen.")
            && versions[1].diff.contains("+ Ja, als uw inkomen laag is.")
    );
    let exported = app.export_articles(&who, Page::default()).await.unwrap();
    assert_eq!(exported[0].topic.as_deref(), Some("Belastingen/Kwijtschelding"));
    assert_eq!(exported[0].id, "KB-1");
    app.record_article_use(&who, stored.id).await.unwrap();
    app.record_article_feedback(&who, stored.id, false).await.unwrap();
    let read = app.article(&who, stored.id).await.unwrap();
    assert_eq!((read.usage_count, read.not_helped, read.version), (1, 1, 2), "counting is not a new version");
    app.save_synonyms(&who, vec!["blauwe envelop => aanslag".into()]).await.unwrap();
    assert_eq!(app.synonyms(&who).await.unwrap(), vec!["blauwe envelop => aanslag"]);
    let events = app.store().events(&gastvrij_app::ports::EventQuery::default()).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "article.changed").count(), 2, "the index is told of both versions");
}

pub async fn scheduled_articles_are_published_and_archived_on_time(db: &TestDb) {
    use gastvrij_domain::kennisbank::{ArticleInput, ArticleStatus};
    let (app, clock) = app(db);
    let who = operator();
    let now = app.now();
    let input = ArticleInput {
        title: "Werkzaamheden Dijkweg".into(),
        question: "Waarom is de Dijkweg dicht?".into(),
        answer: "Dijkversterking tot 1 juni.".into(),
        publish_at: Some(now + jiff::SignedDuration::from_hours(1)),
        archive_at: Some(now + jiff::SignedDuration::from_hours(48)),
        ..Default::default()
    };
    let article = app.create_article(&who, input).await.unwrap();
    app.change_article_status(&who, article.id, ArticleStatus::TerBeoordeling).await.unwrap();
    assert_eq!(app.apply_article_schedules().await.unwrap(), 0, "not yet");
    clock.advance_secs(2 * 3600);
    assert_eq!(app.apply_article_schedules().await.unwrap(), 1);
    assert_eq!(app.article(&who, article.id).await.unwrap().status, ArticleStatus::Intern);
    clock.advance_secs(48 * 3600);
    assert_eq!(app.apply_article_schedules().await.unwrap(), 1);
    assert_eq!(app.article(&who, article.id).await.unwrap().status, ArticleStatus::Gearchiveerd);
}
