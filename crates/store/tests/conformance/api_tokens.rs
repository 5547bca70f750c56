//! Stories of API tokens on every backend: listing, revoking, expiry by the clock, the throttled
//! record of their last use, and the tokens that existed before they had an id and an expiry.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::ports::{AuditQuery, LAST_USED_EVERY};
use gastvrij_app::secrets::token_hash;
use gastvrij_app::{App, AppError, Principal};
use gastvrij_domain::api_token::{TokenLifetime, TokenState};
use gastvrij_domain::ids::ApiTokenId;
use gastvrij_domain::team::{Employee, EmployeeInput, Role};
use gastvrij_store::{Database, Location, OpenMode};
use jiff::{SignedDuration, Timestamp};

crate::stories!(
    api_tokens:
    tokens_are_listed_revoked_and_expire_by_the_clock,
    a_tokens_last_use_is_recorded_at_most_once_a_minute,
    tokens_from_before_migration_15_get_an_id_and_expire_90_days_after_creation,
);

const DAY: SignedDuration = SignedDuration::from_hours(24);

async fn user(app: &App, username: &str, role: Role) -> Employee {
    let input = EmployeeInput {
        name: username.into(),
        roles: vec![role],
        username: Some(username.into()),
        active: true,
        ..Default::default()
    };
    app.create_employee(&operator(), input).await.unwrap()
}

fn refused(result: Result<Principal, AppError>) -> bool {
    matches!(result, Err(AppError::Unauthenticated))
}

pub async fn tokens_are_listed_revoked_and_expire_by_the_clock(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let anna = user(&app, "anna", Role::Kcc).await;
    let bram = user(&app, "bram", Role::Kcc).await;
    let t0 = app.now();
    let telefonie = app.create_api_token(&who, "Anna", "telefonie", TokenLifetime::default()).await.unwrap();
    clock.advance_secs(60);
    let one_day = TokenLifetime::days(1).unwrap();
    let rapport = app.create_api_token(&who, "anna", "rapportage", one_day).await.unwrap();
    let script = app.create_api_token(&who, "anna", "script", TokenLifetime::default()).await.unwrap();
    app.create_api_token(&who, "bram", "bram's", TokenLifetime::default()).await.unwrap();
    assert!(telefonie.secret.starts_with("gv_") && telefonie.secret != rapport.secret);

    let listed = app.api_tokens(&who, "anna").await.unwrap();
    assert_eq!(listed, vec![telefonie.token.clone(), rapport.token.clone(), script.token.clone()], "oldest first");
    assert_eq!(listed[0].label, "telefonie");
    assert_eq!((listed[0].employee_id, listed[0].created_at), (anna.id, t0));
    assert_eq!(listed[0].expires_at, t0 + DAY * 90, "90 days unless the issuer says otherwise");
    assert_eq!(listed[1].expires_at, t0 + SignedDuration::from_secs(60) + DAY);
    assert!(listed.iter().all(|t| t.last_used_at.is_none() && t.revoked_at.is_none()));
    assert_eq!(app.api_tokens(&who, "bram").await.unwrap().len(), 1, "each user sees only their own");
    assert!(matches!(app.api_tokens(&who, "niemand").await, Err(AppError::NotFound("user"))));
    let kcc = Principal::employee(bram.id, vec![Role::Kcc]);
    assert!(matches!(app.api_tokens(&kcc, "anna").await, Err(AppError::Forbidden(_))), "beheerder only");
    assert!(matches!(app.revoke_api_token(&kcc, script.token.id).await, Err(AppError::Forbidden(_))));
    assert!(matches!(
        app.create_api_token(&kcc, "anna", "x", TokenLifetime::default()).await,
        Err(AppError::Forbidden(_))
    ));

    // Revoked: refused from then on, for good; revoking again keeps the first moment.
    assert_eq!(app.principal_for_token(&script.secret).await.unwrap().employee_id(), Some(anna.id));
    clock.advance_secs(60);
    let revoked_at = app.now();
    let revoked = app.revoke_api_token(&who, script.token.id).await.unwrap();
    assert_eq!((revoked.id, revoked.revoked_at), (script.token.id, Some(revoked_at)));
    assert!(refused(app.principal_for_token(&script.secret).await), "a revoked token is refused");
    clock.advance_secs(60);
    let again = app.revoke_api_token(&who, script.token.id).await.unwrap();
    assert_eq!(again.revoked_at, Some(revoked_at), "revoking twice keeps the first revocation");
    assert!(matches!(app.revoke_api_token(&who, ApiTokenId::new()).await, Err(AppError::NotFound("api token"))));
    let audit = app
        .store()
        .audit_log(&AuditQuery { entity_id: Some(script.token.id.to_string()), ..Default::default() })
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["api_token.created", "api_token.revoked", "api_token.revoked"]);
    assert!(audit.iter().all(|e| !e.summary.contains("gv_")), "the audit log never holds a token");

    // Expired: from the expiry moment on, by the app's clock.
    let rapport_ends = rapport.token.expires_at;
    clock.advance_secs((rapport_ends - SignedDuration::from_secs(1) - app.now()).as_secs());
    assert!(app.principal_for_token(&rapport.secret).await.is_ok(), "valid until its last second");
    clock.advance_secs(1);
    assert!(refused(app.principal_for_token(&rapport.secret).await), "expired at its expiry moment");
    assert!(app.principal_for_token(&telefonie.secret).await.is_ok(), "the 90-day token still works");
    clock.advance_secs((telefonie.token.expires_at - app.now()).as_secs());
    assert!(refused(app.principal_for_token(&telefonie.secret).await), "and after 90 days it is refused too");

    let now = app.now();
    let states: Vec<TokenState> = app.api_tokens(&who, "anna").await.unwrap().iter().map(|t| t.state(now)).collect();
    assert_eq!(states, vec![TokenState::Expired, TokenState::Expired, TokenState::Revoked]);
}

pub async fn a_tokens_last_use_is_recorded_at_most_once_a_minute(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    user(&app, "anna", Role::Kcc).await;
    let token = app.create_api_token(&who, "anna", "telefonie", TokenLifetime::default()).await.unwrap();
    let last_used = || async { app.api_tokens(&who, "anna").await.unwrap()[0].last_used_at };
    assert_eq!(last_used().await, None, "never used yet");

    clock.advance_secs(5);
    let first = app.now();
    app.principal_for_token(&token.secret).await.unwrap();
    assert_eq!(last_used().await, Some(first));
    for _ in 0..5 {
        clock.advance_secs(10);
        app.principal_for_token(&token.secret).await.unwrap();
    }
    assert_eq!(last_used().await, Some(first), "uses within a minute write nothing");
    clock.advance_secs(10);
    let minute_later = app.now();
    assert_eq!(minute_later - first, LAST_USED_EVERY);
    app.principal_for_token(&token.secret).await.unwrap();
    assert_eq!(last_used().await, Some(minute_later), "a minute after the recorded use it is recorded again");

    // The store keeps to the minute itself, so app nodes racing for one token write it once.
    let store = app.store();
    store.record_api_token_use(token.token.id, minute_later + SignedDuration::from_secs(30)).await.unwrap();
    assert_eq!(last_used().await, Some(minute_later));
    store.record_api_token_use(token.token.id, minute_later - SignedDuration::from_secs(600)).await.unwrap();
    assert_eq!(last_used().await, Some(minute_later), "an earlier use never overwrites a later one");
    store.record_api_token_use(ApiTokenId::new(), minute_later).await.unwrap();

    // Refused tokens are not recorded as used.
    app.revoke_api_token(&who, token.token.id).await.unwrap();
    clock.advance_secs(3600);
    assert!(refused(app.principal_for_token(&token.secret).await));
    assert_eq!(last_used().await, Some(minute_later));
}

/// Put the schema back to migration 14 (`api_tokens` in its old shape, with two tokens created at
/// `created`), undoing the later migrations too (16: `work_subscriptions.confirm_sent_at`; 18: the
/// external identity of employees). A new migration adds its undo here.
async fn back_to_schema_14(location: &Location, employee: &Employee, created: Timestamp) {
    let sql = format!(
        "DELETE FROM gastvrij_schema WHERE version >= 15; \
         DROP INDEX norm_daily_channel_topic; \
         ALTER TABLE consultations DROP COLUMN asker_team_id; \
         ALTER TABLE contacts DROP COLUMN team_id; \
         DROP INDEX norm_daily_day_channel; \
         DROP INDEX norm_daily_day_topic; \
         DROP INDEX norm_daily_day_category; \
         DROP TABLE attachment_deletions; \
         ALTER TABLE submission_photos DROP COLUMN object_key; \
         DROP INDEX cases_open_timing; \
         ALTER TABLE cases DROP COLUMN segment; \
         CREATE INDEX cases_open_timing ON cases (status, created_at, case_type, team_id, topic_id, channel, \
             first_action_at, acknowledgement_due, service_norm_due, legal_due, closed_at) \
             WHERE status IN ('ontvangen', 'in_behandeling', 'opgeschort'); \
         DROP TABLE norm_daily; \
         CREATE TABLE norm_daily (day TEXT NOT NULL, team_id TEXT NOT NULL, topic_id TEXT NOT NULL, \
             channel TEXT NOT NULL, case_type TEXT NOT NULL, category TEXT NOT NULL, within_norm BIGINT NOT NULL, \
             late BIGINT NOT NULL, legal_late BIGINT NOT NULL, \
             PRIMARY KEY (day, team_id, topic_id, channel, case_type, category)); \
         DROP INDEX submissions_case; \
         DROP INDEX journey_survey_daily_topic; \
         DROP INDEX journey_wait_daily_topic; \
         DROP INDEX journey_case_daily_topic; \
         DROP INDEX journey_contact_daily_topic; \
         DROP TABLE journey_survey_daily; \
         DROP TABLE journey_wait_daily; \
         DROP TABLE journey_case_daily; \
         DROP TABLE journey_contact_daily; \
         DROP TABLE journey_dirty; \
         DROP INDEX consultations_contact; \
         DROP TABLE consult_hourly; \
         DROP TABLE handover_hourly_all; \
         DROP TABLE handover_hourly; \
         DROP INDEX contact_hourly_segment; \
         DROP INDEX contact_hourly_team; \
         DROP TABLE contact_hourly_all; \
         DROP TABLE contact_hourly; \
         DROP TABLE contact_dirty; \
         DROP TABLE rate_windows; \
         DROP INDEX consultations_asked; \
         DROP TABLE portal_heartbeats; \
         DROP TABLE open_data_publications; \
         DROP TABLE open_data_settings; \
         DROP INDEX cases_topic_created; \
         DROP TABLE journey_touchpoints; \
         DROP TABLE journeys; \
         DROP INDEX survey_cases_closed; \
         DROP INDEX survey_contacts_ended; \
         DROP TABLE improvements; \
         DROP TABLE satisfaction_daily; \
         DROP TABLE survey_responses; \
         DROP TABLE survey_recipients; \
         DROP TABLE survey_invitations; \
         DROP TABLE survey_rates; \
         DROP INDEX consultations_open; \
         DROP INDEX survey_answers_by_answered_at; \
         DROP TABLE norm_versions; \
         DROP INDEX articles_last_used; \
         ALTER TABLE articles DROP COLUMN last_used_at; \
         DROP TABLE search_questions; \
         DROP INDEX articles_from_consultation; \
         DROP INDEX articles_not_helped; \
         DROP INDEX articles_usage; \
         DROP INDEX articles_updated; \
         DROP TABLE pulse_settings; \
         DROP TABLE pulse_respondents; \
         DROP TABLE pulse_answers; \
         DROP TABLE board_actions; \
         DROP TABLE board_notes; \
         DROP TABLE team_goals; \
         DROP TABLE case_letters; \
         DROP TABLE letter_templates; \
         DROP INDEX cases_type_created; \
         ALTER TABLE cases DROP COLUMN complaint; \
         DROP TABLE peer_figures; \
         ALTER TABLE organisation DROP COLUMN on_call_email; \
         ALTER TABLE organisation DROP COLUMN on_call_phone; \
         DROP TABLE case_mails; \
         DROP TABLE case_tasks; \
         ALTER TABLE cases DROP COLUMN suspended_since; \
         ALTER TABLE cases DROP COLUMN result; \
         ALTER TABLE cases DROP COLUMN answer; \
         DROP INDEX work_subscriptions_email_key_sent; \
         ALTER TABLE work_subscriptions DROP COLUMN confirm_sent_at; \
         DROP INDEX employees_external_identity; \
         ALTER TABLE employees DROP COLUMN external_link_allowed; \
         ALTER TABLE employees DROP COLUMN external_subject; \
         ALTER TABLE employees DROP COLUMN external_issuer; \
         DROP TABLE api_tokens; \
         CREATE TABLE api_tokens (token_hash TEXT PRIMARY KEY, employee_id TEXT NOT NULL REFERENCES employees(id), \
             label TEXT NOT NULL, created_at BIGINT NOT NULL); \
         INSERT INTO api_tokens (token_hash, employee_id, label, created_at) VALUES \
             ('{}', '{id}', 'oud', {at}), ('{}', '{id}', 'ook oud', {at});",
        token_hash("gv_old_one"),
        token_hash("gv_old_two"),
        id = employee.id,
        at = created.as_microsecond(),
    );
    crate::harness::raw_sql(location, &sql).await;
}

pub async fn tokens_from_before_migration_15_get_an_id_and_expire_90_days_after_creation(db: &TestDb) {
    let (app, clock) = app(db);
    let anna = user(&app, "anna", Role::Kcc).await;
    let created = app.now() - DAY * 10;
    back_to_schema_14(&db.location, &anna, created).await;

    let reopened = Database::open(&db.location, OpenMode::MustExist).await.unwrap();
    assert_eq!(
        reopened.migrate().await.unwrap(),
        vec![15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 36, 37, 38, 39]
    );
    let tokens = app.api_tokens(&operator(), "anna").await.unwrap();
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0].id, tokens[1].id, "each token has an id of its own");
    for t in &tokens {
        assert_eq!(t.id.0.get_version_num(), 7, "a UUIDv7");
        let (seconds, _) = t.id.0.get_timestamp().expect("a UUIDv7 carries its time").to_unix();
        assert_eq!(seconds as i64, created.as_second(), "made from the creation time");
        assert_eq!((t.created_at, t.expires_at), (created, created + DAY * 90));
        assert_eq!((t.last_used_at, t.revoked_at), (None, None));
    }
    assert_eq!(app.principal_for_token("gv_old_one").await.unwrap().employee_id(), Some(anna.id), "still valid");
    clock.advance_secs((DAY * 80).as_secs());
    assert!(refused(app.principal_for_token("gv_old_two").await), "90 days after its creation it is refused");
    assert_eq!(reopened.migrate().await.unwrap(), Vec::<i64>::new(), "nothing is pending afterwards");
}
