use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use gastvrij_app::{App, Clock, Principal, Settings};
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_store::{Database, Location, OpenMode};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where every test's clock starts: a fixed Monday morning, so no test depends on the day it runs.
pub const TEST_START: &str = "2026-03-02T09:00:00Z";

/// A clock the test sets by hand (starts at [`TEST_START`]).
pub struct TestClock(Mutex<jiff::Timestamp>);

impl TestClock {
    /// A clock at [`TEST_START`].
    pub fn at_test_start() -> Self {
        TestClock(Mutex::new(TEST_START.parse().expect("a valid start time")))
    }

    /// Move the clock on by `secs` seconds.
    pub fn advance_secs(&self, secs: i64) {
        *self.0.lock().unwrap() += jiff::SignedDuration::from_secs(secs);
    }
}

impl Clock for TestClock {
    fn now(&self) -> jiff::Timestamp {
        *self.0.lock().unwrap()
    }
}
use tower::ServiceExt;

pub struct TestApp {
    pub app: App,
    pub router: axum::Router,
    pub clock: Arc<TestClock>,
    /// A beheerder's API token.
    pub admin: String,
    dir: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh SQLite database in a temporary folder, migrated, with a beheerder and its token.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|state| state).await
}

/// As `spawn_app`, with the web state adjusted (e.g. OIDC sign-in turned on).
pub async fn spawn_app_with(configure: impl FnOnce(gastvrij_web::AppState) -> gastvrij_web::AppState) -> TestApp {
    spawn_app_adjusting(|app| app, configure).await
}

/// As `spawn_app`, with the app and the web state adjusted (e.g. photos kept in a folder).
pub async fn spawn_app_adjusting(
    adjust: impl FnOnce(App) -> App,
    configure: impl FnOnce(gastvrij_web::AppState) -> gastvrij_web::AppState,
) -> TestApp {
    let dir = std::env::temp_dir().join(format!("gastvrij_web_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let db = Database::open(&Location::Sqlite(dir.join("db.sqlite")), OpenMode::CreateIfMissing).await.unwrap();
    db.migrate().await.unwrap();
    let clock = Arc::new(TestClock::at_test_start());
    let index = gastvrij_search::ArticleIndex::in_memory(gastvrij_search::default_analyzer()).unwrap();
    let app = adjust(App::new(db.into_store(), clock.clone(), Settings::default()).with_search(Arc::new(index)));
    let router = gastvrij_web::router(configure(gastvrij_web::AppState::new(app.clone())));
    let mut t = TestApp { app, router, clock, admin: String::new(), dir };
    t.admin = t.token_for("beheer", &["beheerder"]).await;
    t
}

impl TestApp {
    pub fn set_time(&self, rfc3339: &str) {
        *self.clock.0.lock().unwrap() = rfc3339.parse().unwrap();
    }

    /// Create a user with `roles` and return an API token for it.
    pub async fn token_for(&self, username: &str, roles: &[&str]) -> String {
        let roles: Vec<Role> = roles.iter().map(|r| r.parse().unwrap()).collect();
        let input = EmployeeInput {
            name: username.into(),
            username: Some(username.into()),
            roles,
            active: true,
            ..Default::default()
        };
        self.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap();
        let lifetime = gastvrij_domain::api_token::TokenLifetime::default();
        self.app.create_api_token(&Principal::operator(), username, "test", lifetime).await.unwrap().secret
    }

    pub async fn raw(&self, method: &str, path: &str, token: Option<&str>, body: Option<&str>) -> Response<Body> {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req.body(body.map(|b| Body::from(b.to_string())).unwrap_or_else(Body::empty)).unwrap();
        self.router.clone().oneshot(req).await.unwrap()
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<&str>) -> (StatusCode, Value) {
        let res = self.raw(method, path, token, body).await;
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call("GET", path, token, None).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call("PUT", path, Some(token), Some(&body.to_string())).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call("POST", path, Some(token), Some(&body.to_string())).await
    }
}
