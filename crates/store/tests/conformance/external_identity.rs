//! Stories of sign-in through the organisation's identity provider (OIDC): an account is bound to
//! the provider's `iss` + `sub` once, and only when a beheerder allowed it, on every backend.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::accounts::{ExternalIdentity, ExternalSignIn};
use gastvrij_app::ports::ExternalLink;
use gastvrij_app::{App, AppError, Principal, StoreError};
use gastvrij_domain::audit::Change;
use gastvrij_domain::team::{Employee, EmployeeInput, Role};

crate::stories!(
    external_identity:
    an_account_is_bound_once_to_one_identity_and_only_when_a_beheerder_allowed_it,
);

const ISSUER: &str = "https://login.lagewaard.nl/realms/ws";

async fn user(app: &App, username: &str, email: &str, role: Role) -> Employee {
    let input = EmployeeInput {
        name: username.into(),
        email: Some(email.parse().unwrap()),
        roles: vec![role],
        username: Some(username.into()),
        active: true,
        ..Default::default()
    };
    app.create_employee(&operator(), input).await.unwrap()
}

fn person(subject: &str, email: &str, email_verified: bool) -> ExternalIdentity {
    ExternalIdentity {
        issuer: ISSUER.into(),
        subject: subject.into(),
        username: None,
        email: Some(email.into()),
        email_verified,
    }
}

/// The employee a sign-in opened a session for, if any.
async fn signed_in(app: &App, who: &ExternalIdentity) -> Option<gastvrij_domain::ids::EmployeeId> {
    match app.open_session_external(who).await.unwrap() {
        ExternalSignIn::Opened(session) => session.principal.employee_id(),
        _ => None,
    }
}

pub async fn an_account_is_bound_once_to_one_identity_and_only_when_a_beheerder_allowed_it(db: &TestDb) {
    let (app, _) = app(db);
    let admin = operator();
    let anna = user(&app, "anna", "Anna@WS.nl", Role::Kcc).await;
    let beheer = user(&app, "beheer", "beheer@ws.nl", Role::Beheerder).await;
    let lead = user(&app, "leider", "leider@ws.nl", Role::Teamleider).await;
    let as_lead = Principal::employee(lead.id, vec![Role::Teamleider]);

    // Nobody allowed it: a verified matching address opens nothing, a beheerder's least of all.
    assert_eq!(signed_in(&app, &person("s-mallory", "beheer@ws.nl", true)).await, None);
    assert_eq!(signed_in(&app, &person("s-anna", "anna@ws.nl", true)).await, None);
    let by_username = ExternalIdentity { username: Some("anna".into()), ..person("s-anna", "x@ws.nl", false) };
    assert_eq!(signed_in(&app, &by_username).await, None);

    // A team lead may not allow it; a beheerder may.
    let refused = app.allow_external_link(&as_lead, beheer.id, true).await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))), "{refused:?}");
    assert!(!app.external_link(&admin, beheer.id).await.unwrap().link_allowed);
    let open = app.allow_external_link(&admin, anna.id, true).await.unwrap();
    assert_eq!(open, ExternalLink { link_allowed: true, bound_issuer: None });

    // Allowed, but the provider does not vouch for the address: still nothing.
    assert_eq!(signed_in(&app, &person("s-anna", "anna@ws.nl", false)).await, None);
    // Vouched for: the account is bound and the permission used up.
    assert_eq!(signed_in(&app, &person("s-anna", "ANNA@ws.nl", true)).await, Some(anna.id));
    let bound = app.external_link(&admin, anna.id).await.unwrap();
    assert_eq!(bound, ExternalLink { link_allowed: false, bound_issuer: Some(ISSUER.into()) });
    // Someone else at the provider with the same verified address gets nothing.
    assert_eq!(signed_in(&app, &person("s-other", "anna@ws.nl", true)).await, None);
    // The bound person gets in by `sub` alone, whatever their address or username says now.
    let changed = ExternalIdentity { username: Some("iemand".into()), ..person("s-anna", "nieuw@elders.nl", false) };
    assert_eq!(signed_in(&app, &changed).await, Some(anna.id));

    // The store keeps one account per identity, and binds only an account allowed to be bound.
    let change = Change::new(admin.actor, app.now(), "test", beheer.id, "");
    assert!(!db.store.bind_external_identity(beheer.id, ISSUER, "s-new", &change).await.unwrap(), "not allowed");
    app.allow_external_link(&admin, beheer.id, true).await.unwrap();
    let twice = db.store.bind_external_identity(beheer.id, ISSUER, "s-anna", &change).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert!(app.external_link(&admin, beheer.id).await.unwrap().link_allowed, "nothing of the refused bind stays");
    // The same `sub` at another issuer is another person.
    assert!(db.store.bind_external_identity(beheer.id, "https://elders.nl", "s-anna", &change).await.unwrap());
    app.allow_external_link(&admin, beheer.id, false).await.unwrap();

    // Allowing it again removes the binding: the old identity then needs the permission again.
    app.allow_external_link(&admin, anna.id, true).await.unwrap();
    assert_eq!(app.external_link(&admin, anna.id).await.unwrap().bound_issuer, None);
    assert_eq!(signed_in(&app, &person("s-anna", "nieuw@elders.nl", false)).await, None);
    assert_eq!(signed_in(&app, &person("s-anna-2", "anna@ws.nl", true)).await, Some(anna.id));

    // A deactivated account is bound to its identity but opens no session.
    let input = EmployeeInput {
        name: "anna".into(),
        email: anna.email.clone(),
        roles: vec![Role::Kcc],
        username: Some("anna".into()),
        active: false,
        ..Default::default()
    };
    app.update_employee(&admin, anna.id, input).await.unwrap();
    assert!(matches!(
        app.open_session_external(&person("s-anna-2", "anna@ws.nl", true)).await.unwrap(),
        ExternalSignIn::Inactive
    ));
}
