//! Stories of the kennisbank: article versions, imports and scheduled publishing.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::Page;

crate::stories!(
    kennisbank:
    articles_keep_versions_and_import_lines_upsert_by_external_id,
    scheduled_articles_are_published_and_archived_on_time,
    scheduled_publication_waits_for_the_second_editor,
    the_editors_list_filters_and_orders_and_a_second_editor_approves,
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
        public_answer: Some("De Dijkweg is dicht tot 1 juni.".into()),
        publish_at: Some(now + jiff::SignedDuration::from_hours(1)),
        archive_at: Some(now + jiff::SignedDuration::from_hours(48)),
        ..Default::default()
    };
    let article = app.create_article(&who, input).await.unwrap();
    app.change_article_status(&who, article.id, ArticleStatus::TerBeoordeling).await.unwrap();
    app.change_article_status(&who, article.id, ArticleStatus::Intern).await.unwrap();
    assert_eq!(app.apply_article_schedules().await.unwrap(), 0, "not yet");
    clock.advance_secs(2 * 3600);
    assert_eq!(app.apply_article_schedules().await.unwrap(), 1);
    assert_eq!(app.article(&who, article.id).await.unwrap().status, ArticleStatus::Openbaar, "onto the website");
    clock.advance_secs(48 * 3600);
    assert_eq!(app.apply_article_schedules().await.unwrap(), 1);
    assert_eq!(app.article(&who, article.id).await.unwrap().status, ArticleStatus::Gearchiveerd);
}

/// Anna writes an article with a publication date and sends it for review: on that date it is
/// not published without a second editor. Bert approves it (intern) and it goes onto the website
/// on its date, unless Anna edited the text after the approval: then it waits for a new one.
pub async fn scheduled_publication_waits_for_the_second_editor(db: &TestDb) {
    use gastvrij_app::Principal;
    use gastvrij_domain::kennisbank::{ArticleInput, ArticleStatus};
    use gastvrij_domain::team::{EmployeeInput, Role};
    let (app, clock) = app(db);
    let mut editors = vec![];
    for name in ["anna", "bert"] {
        let input = EmployeeInput {
            name: name.into(),
            roles: vec![Role::Redacteur],
            username: Some(name.into()),
            active: true,
            ..Default::default()
        };
        let e = app.create_employee(&operator(), input).await.unwrap();
        editors.push(Principal::employee(e.id, vec![Role::Redacteur]));
    }
    let (anna, bert) = (&editors[0], &editors[1]);
    let input = ArticleInput {
        title: "Maaien van sloten".into(),
        question: "Wanneer worden de sloten gemaaid?".into(),
        answer: "Tussen 15 juni en 1 november.".into(),
        public_answer: Some("Wij maaien de sloten tussen 15 juni en 1 november.".into()),
        publish_at: Some(app.now() + jiff::SignedDuration::from_hours(1)),
        ..Default::default()
    };
    let article = app.create_article(anna, input.clone()).await.unwrap();
    app.change_article_status(anna, article.id, ArticleStatus::TerBeoordeling).await.unwrap();
    clock.advance_secs(2 * 3600);
    let status = async || app.article(&operator(), article.id).await.unwrap().status;
    assert_eq!(app.apply_article_schedules().await.unwrap(), 0, "the date has come, the second editor has not");
    assert_eq!(status().await, ArticleStatus::TerBeoordeling);

    app.change_article_status(bert, article.id, ArticleStatus::Intern).await.unwrap();
    let edited = ArticleInput { public_answer: Some("Wij maaien tussen 15 juni en 15 oktober.".into()), ..input };
    app.update_article(anna, article.id, edited).await.unwrap();
    assert_eq!(status().await, ArticleStatus::Intern);
    assert_eq!(app.apply_article_schedules().await.unwrap(), 0, "edited after the approval: not this text");
    assert_eq!(status().await, ArticleStatus::Intern);

    // Through review again: back to concept, sent by Anna, approved by Bert.
    app.change_article_status(anna, article.id, ArticleStatus::Concept).await.unwrap();
    app.change_article_status(anna, article.id, ArticleStatus::TerBeoordeling).await.unwrap();
    app.change_article_status(bert, article.id, ArticleStatus::Intern).await.unwrap();
    assert_eq!(app.apply_article_schedules().await.unwrap(), 1);
    assert_eq!(status().await, ArticleStatus::Openbaar);
}

pub async fn the_editors_list_filters_and_orders_and_a_second_editor_approves(db: &TestDb) {
    use gastvrij_app::AppError;
    use gastvrij_app::Principal;
    use gastvrij_app::ports::{ArticleOrder, ArticleQuery};
    use gastvrij_domain::kennisbank::{ArticleInput, ArticleStatus};
    use gastvrij_domain::team::{EmployeeInput, Role};
    use gastvrij_domain::{InvalidKind, StateRule};
    let (app, clock) = app(db);
    let mut editors = vec![];
    for name in ["anna", "bert"] {
        let input = EmployeeInput {
            name: name.into(),
            roles: vec![Role::Redacteur],
            username: Some(name.into()),
            active: true,
            ..Default::default()
        };
        let e = app.create_employee(&operator(), input).await.unwrap();
        editors.push(Principal::employee(e.id, vec![Role::Redacteur]));
    }
    let (anna, bert) = (&editors[0], &editors[1]);
    let mut ids = vec![];
    for (title, uses, helped, not_helped) in
        [("Veel", 5, 4, 0), ("Matig", 2, 1, 3), ("Slecht", 1, 0, 2), ("Stil", 0, 0, 0)]
    {
        let input = ArticleInput {
            title: title.into(),
            question: format!("{title}?"),
            answer: "Antwoord.".into(),
            ..Default::default()
        };
        let a = app.create_article(anna, input).await.unwrap();
        for _ in 0..uses {
            app.record_article_use(&operator(), a.id).await.unwrap();
        }
        for (n, h) in [(helped, true), (not_helped, false)] {
            for _ in 0..n {
                app.record_article_feedback(&operator(), a.id, h).await.unwrap();
            }
        }
        ids.push(a.id);
        clock.advance_secs(60);
    }
    let titles =
        |list: Vec<gastvrij_domain::kennisbank::Article>| list.into_iter().map(|a| a.title).collect::<Vec<_>>();
    let mut ordered = vec![];
    for order in [ArticleOrder::Recent, ArticleOrder::MostUsed, ArticleOrder::LeastHelpful] {
        let query = ArticleQuery { order, page: Page::default(), ..Default::default() };
        ordered.push(titles(app.articles(anna, &query).await.unwrap()));
    }
    assert_eq!(ordered[0], ["Stil", "Slecht", "Matig", "Veel"], "most recently changed first");
    assert_eq!(ordered[1], ["Veel", "Matig", "Slecht", "Stil"], "most used first");
    assert_eq!(ordered[2], ["Slecht", "Matig"], "only articles with 'niet geholpen', the lowest share helped first");

    // A draft from ruggespraak is waiting for work; the others are not.
    let team = app
        .create_team(&operator(), gastvrij_domain::team::TeamInput { name: "Vergunningen".into(), description: None })
        .await
        .unwrap();
    let asked = app
        .ask_consultation(
            &operator(),
            gastvrij_domain::kennisbank::ConsultationInput {
                contact_id: None,
                question_id: None,
                to_team: Some(team.id),
                to_employee: None,
                question: "Mag een steiger in de sloot?".into(),
            },
        )
        .await
        .unwrap();
    app.answer_consultation(&operator(), asked.id, "Tot 2 meter.").await.unwrap();
    let draft = app.consultation_to_article(anna, asked.id, None).await.unwrap();
    let waiting = ArticleQuery {
        status: Some(ArticleStatus::Concept),
        from_consultation: true,
        page: Page::default(),
        ..Default::default()
    };
    assert_eq!(app.articles(bert, &waiting).await.unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), [draft.id]);

    // The four-eyes rule: bert edits, anna sends for review; bert may not publish, anna may.
    let edit = ArticleInput {
        title: "Steiger in de sloot".into(),
        question: draft.question.clone(),
        answer: "Tot 2 meter uit de oever zonder vergunning.".into(),
        public_answer: Some("Tot 2 meter mag het zonder vergunning.".into()),
        owning_teams: draft.owning_teams.clone(),
        ..Default::default()
    };
    app.update_article(bert, draft.id, edit).await.unwrap();
    app.change_article_status(anna, draft.id, ArticleStatus::TerBeoordeling).await.unwrap();
    let refused = app.change_article_status(bert, draft.id, ArticleStatus::Openbaar).await.unwrap_err();
    assert!(
        matches!(&refused, AppError::Invalid(i) if i.kind == InvalidKind::WrongState(StateRule::ReviewByAnother)),
        "{refused:?}"
    );
    let stored = app.article(bert, draft.id).await.unwrap();
    assert_eq!((stored.status, stored.version), (ArticleStatus::TerBeoordeling, 3), "nothing was stored");
    let published = app.change_article_status(anna, draft.id, ArticleStatus::Openbaar).await.unwrap();
    assert_eq!(published.status, ArticleStatus::Openbaar);
    let versions = app.article_versions(anna, draft.id).await.unwrap();
    assert_eq!(versions.len(), 4);
    assert_eq!(versions[3].author, anna.actor);
}
