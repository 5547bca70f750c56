//! Names and e-mail addresses outside ASCII: found and sorted the same on every backend.
//!
//! What folding means (see `gastvrij_domain::text::fold`): case and diacritics are ignored for
//! all of Unicode, so "özdemir", "OZDEMIR" and "Özdemir" all find Özdemir, "aero" and "ÆRØ" find
//! Ærø, and "ĳsselmeer" (the Dutch ij ligature) finds IJsselmeer. Lists come in the order of the
//! folded names, byte by byte, ties broken by id: the same on SQLite and PostgreSQL, whatever the
//! database's collation. E-mail addresses compare case-insensitively but keep their accents.

use crate::harness::{TestDb, app, operator};
use crate::planned_works::{new_subscription, public};
use gastvrij_app::ports::CustomerQuery;
use gastvrij_domain::customer::{ContactDetails, Customer, CustomerInput, CustomerKind};
use gastvrij_domain::planned_works::PlannedWorkInput;
use gastvrij_domain::team::{EmployeeInput, TeamInput};
use gastvrij_domain::values::Email;
use gastvrij_store::{Database, Location, OpenMode};

crate::stories!(
    folding:
    customers_are_found_by_folded_names_and_listed_in_folded_order,
    employees_teams_and_topics_are_listed_in_folded_order,
    subscriptions_and_places_compare_across_unicode,
    rows_written_before_the_folded_columns_are_filled_in_by_migrate,
);

async fn customer(app: &gastvrij_app::App, name: &str, email: Option<&str>) -> Customer {
    let input = CustomerInput {
        kind: Some(CustomerKind::Persoon),
        name: Some(name.into()),
        segments: vec![],
        details: ContactDetails { email: email.map(|e| Email::parse(e).unwrap()), ..Default::default() },
    };
    app.create_customer(&operator(), input).await.unwrap()
}

fn names(customers: &[Customer]) -> Vec<&str> {
    customers.iter().map(|c| c.name.as_deref().unwrap_or("-")).collect()
}

pub async fn customers_are_found_by_folded_names_and_listed_in_folded_order(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let ozdemir = customer(&app, "Ömer Özdemir", Some("Omer.Ozdemir@Example.nl")).await;
    let aero = customer(&app, "Ærø Fiskeri", None).await;
    let ijssel = customer(&app, "Waterschap IJsselmeer", None).await;
    customer(&app, "Zoë de Wit", None).await;
    customer(&app, "anna Zwart", None).await;
    customer(&app, "Émile Aarts", None).await;
    let jansen = customer(&app, "JANSEN", None).await;
    let jansen_too = customer(&app, "Jansen", None).await;
    app.create_customer(&who, CustomerInput::default()).await.unwrap();

    let find = |text: &str| CustomerQuery { text: Some(text.into()), ..Default::default() };
    for text in ["özdemir", "OZDEMIR", "Özdemir", "ÖZDEMİR", "omer oz"] {
        assert_eq!(app.customers(&who, &find(text)).await.unwrap(), vec![ozdemir.clone()], "{text}");
    }
    for text in ["aero", "ÆRØ", "ærø fisk"] {
        assert_eq!(app.customers(&who, &find(text)).await.unwrap(), vec![aero.clone()], "{text}");
    }
    for text in ["ijsselmeer", "ĳsselmeer", "IJSSELMEER"] {
        assert_eq!(app.customers(&who, &find(text)).await.unwrap(), vec![ijssel.clone()], "{text}");
    }
    assert_eq!(
        app.customers(&who, &find("OMER.OZDEMIR@EXAMPLE.NL")).await.unwrap(),
        vec![ozdemir.clone()],
        "an e-mail address is found whatever its case"
    );
    assert_eq!(
        app.customers(&who, &find("jansen")).await.unwrap(),
        vec![jansen.clone(), jansen_too.clone()],
        "the same folded name: ties broken by id (the older first)"
    );

    let all = app.customers(&who, &CustomerQuery::default()).await.unwrap();
    assert_eq!(
        names(&all),
        vec![
            "-",
            "Ærø Fiskeri",
            "anna Zwart",
            "Émile Aarts",
            "JANSEN",
            "Jansen",
            "Ömer Özdemir",
            "Waterschap IJsselmeer",
            "Zoë de Wit"
        ],
        "by folded name on every backend: no name first, then aero, anna, emile, jansen, omer, waterschap, zoe"
    );
    let page = CustomerQuery { page: gastvrij_app::Page { limit: 2, offset: 4 }, ..Default::default() };
    assert_eq!(names(&app.customers(&who, &page).await.unwrap()), vec!["JANSEN", "Jansen"], "pages follow it");

    let renamed = app
        .update_customer(
            &who,
            ozdemir.id,
            CustomerInput { name: Some("Ömer Aydın".into()), segments: vec![], ..Default::default() },
        )
        .await
        .unwrap();
    assert!(app.customers(&who, &find("ozdemir")).await.unwrap().is_empty(), "an update refolds the name");
    assert_eq!(app.customers(&who, &find("AYDIN")).await.unwrap(), vec![renamed]);
}

pub async fn employees_teams_and_topics_are_listed_in_folded_order(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    for name in ["Zuid", "IJsselmeer", "Ærø", "beheer", "Øresund"] {
        app.create_team(&who, TeamInput { name: name.into(), description: None }).await.unwrap();
    }
    let teams: Vec<String> = app.teams(&who).await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(teams, vec!["Ærø", "beheer", "IJsselmeer", "Øresund", "Zuid"]);

    for name in ["Özlem Kaya", "Anna Bakker", "Émile Dubois", "zoë Smit", "ÖMER AYDIN"] {
        let input = EmployeeInput { name: name.into(), active: true, ..Default::default() };
        app.create_employee(&who, input).await.unwrap();
    }
    let employees: Vec<String> = db.store.employees().await.unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(employees, vec!["Anna Bakker", "Émile Dubois", "ÖMER AYDIN", "Özlem Kaya", "zoë Smit"]);

    for name in ["Waterkwaliteit", "Ééndagsvergunning", "afval", "Überlaat"] {
        let input = gastvrij_domain::topic::TopicInput { name: name.into(), parent_id: None, team_id: None };
        app.create_topic(&who, input).await.unwrap();
    }
    let topics: Vec<String> = db.store.topics().await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(topics, vec!["afval", "Ééndagsvergunning", "Überlaat", "Waterkwaliteit"]);
}

pub async fn subscriptions_and_places_compare_across_unicode(db: &TestDb) {
    let (app, _) = app(db);
    let store = &db.store;
    let now = app.now();
    let first = store
        .save_subscription(&new_subscription("Özlem@Example.nl", "2611AB", 1, now), &public(now, "s"))
        .await
        .unwrap();
    let again = store
        .save_subscription(&new_subscription("ÖZLEM@example.nl", "2611AB", 2, now), &public(now, "s"))
        .await
        .unwrap();
    assert_eq!(again.id, first.id, "the same address in other case is no new subscription");
    let other = store
        .save_subscription(&new_subscription("Ozlem@example.nl", "2611AB", 3, now), &public(now, "s"))
        .await
        .unwrap();
    assert_ne!(other.id, first.id, "an address without the accent is another mailbox");

    let work = PlannedWorkInput {
        title: "Kade herstellen".into(),
        what: "We herstellen de kade.".into(),
        why: "Zodat het water binnen blijft.".into(),
        area: "IJsselstein, Ærø".into(),
        starts_on: "2026-03-01".into(),
        ends_on: "2026-04-30".into(),
        contact: "Omgevingsmanager, 088 000 0000".into(),
    };
    let work = app.create_planned_work(&operator(), work).await.unwrap();
    let today = app.today().await.unwrap();
    for place in ["ijsselstein", "ĲSSELSTEIN", "IJsselstein", "aero", "ÆRØ"] {
        let found = store.planned_works_covering(None, Some(place), today).await.unwrap();
        assert_eq!(found.iter().map(|w| w.id).collect::<Vec<_>>(), vec![work.id], "{place}");
    }
    assert!(store.planned_works_covering(None, Some("Utrecht"), today).await.unwrap().is_empty());
}

/// Empty the folded columns, as rows written before migration 14 have them.
async fn forget_folds(location: &Location) {
    const SQL: &str = "UPDATE customers SET name_folded = NULL, email_key = NULL; \
                       UPDATE teams SET name_folded = NULL; UPDATE employees SET name_folded = NULL; \
                       UPDATE topics SET name_folded = NULL; UPDATE work_subscriptions SET email_key = NULL; \
                       UPDATE planned_work_areas SET place_folded = NULL";
    match location {
        Location::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            sqlx::raw_sql(SQL).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql(SQL).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

pub async fn rows_written_before_the_folded_columns_are_filled_in_by_migrate(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let ozdemir = customer(&app, "Özdemir", Some("Oz@Example.nl")).await;
    customer(&app, "Aarts", None).await;
    app.create_team(&who, TeamInput { name: "Ærø".into(), description: None }).await.unwrap();
    forget_folds(&db.location).await;
    let find = |text: &str| CustomerQuery { text: Some(text.into()), ..Default::default() };
    assert!(app.customers(&who, &find("ozdemir")).await.unwrap().is_empty(), "without its fold a row is not found");

    let reopened = Database::open(&db.location, OpenMode::MustExist).await.unwrap();
    assert_eq!(reopened.migrate().await.unwrap(), Vec::<i64>::new(), "no migration is pending");
    assert_eq!(app.customers(&who, &find("OZDEMIR")).await.unwrap(), vec![ozdemir.clone()]);
    assert_eq!(app.customers(&who, &find("oz@example.nl")).await.unwrap(), vec![ozdemir]);
    assert_eq!(names(&app.customers(&who, &CustomerQuery::default()).await.unwrap()), vec!["Aarts", "Özdemir"]);
    assert_eq!(app.teams(&who).await.unwrap()[0].name, "Ærø");
    reopened.migrate().await.unwrap();
    assert_eq!(names(&app.customers(&who, &CustomerQuery::default()).await.unwrap()), vec!["Aarts", "Özdemir"]);
}
