//! The public portal end to end: the three forms, the confirmation, the tracking page with
//! messages, photos and the survey, the public answers, the rate limit and the page budget.
//!
//! Every request goes through the real router over a real SQLite database; what is stored is
//! checked through the store and the staff API, not through the portal's own pages only.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use gastvrij_app::ports::{AuditQuery, CaseQuery};
use gastvrij_app::{Page, Principal};
use gastvrij_domain::ids::CaseId;
use serde_json::{Value, json};
use tower::ServiceExt;

// ---- Requests -----------------------------------------------------------------------------------

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn location(&self) -> &str {
        self.header("location").unwrap_or_else(|| panic!("no location ({}): {}", self.status, self.body))
    }
}

async fn send(
    router: &axum::Router,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<(&str, Vec<u8>)>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let body = match body {
        Some((content_type, bytes)) => {
            req = req.header("content-type", content_type);
            Body::from(bytes)
        }
        None => Body::empty(),
    };
    let res = router.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Reply { status, headers, bytes, body }
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Reply {
    send(&app.router, "GET", path, cookie, None).await
}

const BOUNDARY: &str = "gastvrij-test-grens-7MA4YWxkTrZu0gW";
const MULTIPART: &str = "multipart/form-data; boundary=gastvrij-test-grens-7MA4YWxkTrZu0gW";

/// A multipart body as a browser sends it: text fields, then files in the field `fotos`.
fn multipart(fields: &[(&str, &str)], photos: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    for (name, value) in fields {
        b.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
    }
    for (file_name, bytes) in photos {
        let content_type = if file_name.ends_with(".png") { "image/png" } else { "image/jpeg" };
        b.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fotos\"; filename=\"{file_name}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend(b"\r\n");
    }
    b.extend(format!("--{BOUNDARY}--\r\n").bytes());
    b
}

async fn post_multipart(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    photos: &[(&str, &[u8])],
) -> Reply {
    send(&app.router, "POST", path, cookie, Some((MULTIPART, multipart(fields, photos)))).await
}

async fn post_form(app: &TestApp, path: &str, cookie: Option<&str>, form: &str) -> Reply {
    send(&app.router, "POST", path, cookie, Some(("application/x-www-form-urlencoded", form.as_bytes().to_vec()))).await
}

/// A form's text fields: (name, value).
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// A citizen's browser: the form cookie and the token of the hidden field.
struct Visitor {
    cookie: String,
    csrf: String,
}

fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).unwrap_or_else(|| panic!("no csrf field in {html}")) + marker.len();
    html[at..].split('"').next().unwrap().to_string()
}

/// Open a form page without cookies, as a first visit does.
async fn visit(app: &TestApp, path: &str) -> (Visitor, Reply) {
    let page = get(app, path, None).await;
    assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    let set = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("gv_formulier="))
        .unwrap_or_else(|| panic!("{path} sets no gv_formulier cookie"));
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    let cookie = set.split(';').next().unwrap().to_string();
    let csrf = hidden_csrf(&page.body);
    assert_eq!(cookie, format!("gv_formulier={csrf}"), "double submit: the cookie and the field carry one token");
    (Visitor { cookie, csrf }, page)
}

// ---- Setup and what is stored ------------------------------------------------------------------

struct Org {
    meldingen_team: String,
    kcc_team: String,
    topic: String,
}

/// Two teams (the topic's and the contact centre) and a topic handled by the first.
async fn organise(app: &TestApp) -> Org {
    let t = &app.admin;
    let (status, meldingen) = app.post("/api/v1/teams", t, json!({"name": "Meldingen"})).await;
    assert_eq!(status, StatusCode::CREATED, "{meldingen}");
    let (_, kcc) = app.post("/api/v1/teams", t, json!({"name": "KCC"})).await;
    let (status, topic) =
        app.post("/api/v1/topics", t, json!({"name": "Wateroverlast", "team_id": meldingen["id"]})).await;
    assert_eq!(status, StatusCode::CREATED, "{topic}");
    Org {
        meldingen_team: meldingen["id"].as_str().unwrap().into(),
        kcc_team: kcc["id"].as_str().unwrap().into(),
        topic: topic["id"].as_str().unwrap().into(),
    }
}

/// How many cases, contacts and audit entries exist: a refused request changes none of them.
async fn stored(app: &TestApp) -> (usize, i64, usize) {
    let store = app.app.store();
    let cases = store.cases(&CaseQuery { page: Page::first(500), ..Default::default() }).await.unwrap().len();
    let contacts = store.count_contacts().await.unwrap();
    let audit = store.audit_log(&AuditQuery { page: Page::first(500), ..Default::default() }).await.unwrap().len();
    (cases, contacts, audit)
}

fn vraag_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("omschrijving", "Wanneer wordt de aanslag voor dit jaar verstuurd?"),
        ("contact", "email"),
        ("email", "jan@example.nl"),
    ]
}

fn melding_fields(topic: &str, danger: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("onderwerp", topic.to_string()),
        ("omschrijving", "Er ligt een dode vis in de sloot".into()),
        ("postcode", "2611 AB".into()),
        ("huisnummer", "12".into()),
        ("gevaar", danger.into()),
        ("contact", "geen".into()),
    ]
}

fn klacht_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("omschrijving", "Niemand belde mij terug, terwijl dat was beloofd."),
        ("naam", "Jan de Vries"),
        ("contact", "email"),
        ("email", "jan@example.nl"),
        // Only a melding can be urgent; a klacht that says "gevaar" is not.
        ("gevaar", "ja"),
    ]
}

fn with_csrf<'a>(v: &'a Visitor, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("csrf", v.csrf.as_str()), ("website", "")];
    all.extend_from_slice(fields);
    all
}

/// The tracking token from the redirect after a stored submission.
fn token_of(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let token = reply.location().strip_prefix("/ontvangen/").unwrap_or_else(|| panic!("{}", reply.location()));
    assert!(token.len() == 48 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    token.to_string()
}

/// Send a form that must be accepted; returns the tracking token.
async fn submit(app: &TestApp, kind: &str, fields: &[(&str, &str)], photos: &[(&str, &[u8])]) -> String {
    let (v, _) = visit(app, &format!("/{kind}")).await;
    let reply = post_multipart(app, &format!("/{kind}"), Some(&v.cookie), &with_csrf(&v, fields), photos).await;
    token_of(&reply)
}

/// The case reference (WS-YYYY-nnnnnn) on a page.
fn reference_in(html: &str) -> String {
    let at = html.find("WS-").unwrap_or_else(|| panic!("no reference in {html}"));
    let r = &html[at..at + "WS-2026-000001".len()];
    let b = r.as_bytes();
    assert!(b[3..7].iter().all(u8::is_ascii_digit) && b[7] == b'-' && b[8..].iter().all(u8::is_ascii_digit), "{r}");
    r.to_string()
}

async fn case_by_reference(app: &TestApp, reference: &str) -> Value {
    let (status, case) = app.get(&format!("/api/v1/cases/by-reference/{reference}"), Some(&app.admin)).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    case
}

/// The case behind a tracking token, as staff see it.
async fn case_of(app: &TestApp, token: &str) -> Value {
    let page = get(app, &format!("/ontvangen/{token}"), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    case_by_reference(app, &reference_in(&page.body)).await
}

fn case_id(case: &Value) -> CaseId {
    case["id"].as_str().unwrap().parse().unwrap()
}

async fn close_case(app: &TestApp, case: &Value) {
    let id = case["id"].as_str().unwrap();
    let (status, body) =
        app.post(&format!("/api/v1/cases/{id}/status"), &app.admin, json!({"status": "afgehandeld"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A date as the portal writes it: "dinsdag 3 maart 2026" (Europe/Amsterdam).
fn dutch_date(at: &str) -> String {
    gastvrij_domain::portal::dutch_date(at.parse().unwrap(), &jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap())
}

// ---- Photos built in code -----------------------------------------------------------------------

fn png_chunk(typ: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(typ);
    crc.update(data);
    [&(data.len() as u32).to_be_bytes()[..], typ, data, &crc.sum().to_be_bytes()].concat()
}

/// A 1×1 PNG that names its author in a tEXt chunk.
fn png_with_author() -> Vec<u8> {
    [
        vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
        png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
        png_chunk(b"tEXt", b"Author\0Jan Jansen"),
        png_chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00]),
        png_chunk(b"IEND", &[]),
    ]
    .concat()
}

fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    [&[0xFF, marker][..], &((payload.len() + 2) as u16).to_be_bytes(), payload].concat()
}

/// A small baseline JPEG with an Exif block (camera and owner) and a comment.
fn jpeg_with_exif() -> Vec<u8> {
    let mut dht = vec![0x00, 1];
    dht.extend([0; 15]);
    dht.push(0);
    [
        vec![0xFF, 0xD8],
        jpeg_segment(0xE0, b"JFIF\0\x01\x01\x00\x00\x48\x00\x48\x00\x00"),
        jpeg_segment(0xE1, b"Exif\0\0MM\0*\0\0\0\x08 Canon EOS 5D owner Jan Jansen"),
        jpeg_segment(0xFE, b"Made by Jan Jansen on holiday"),
        jpeg_segment(0xDB, &[[0u8].as_slice(), &[1; 64]].concat()),
        jpeg_segment(0xC0, &[8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
        jpeg_segment(0xC4, &dht),
        jpeg_segment(0xDA, &[1, 1, 0x00, 0, 63, 0]),
        vec![0x12, 0x34, 0xFF, 0x00, 0x56, 0x78, 0x9A, 0xBC],
        vec![0xFF, 0xD9],
    ]
    .concat()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The photo links on a tracking page, in order.
fn photo_links(html: &str, token: &str) -> Vec<String> {
    let prefix = format!("/volgen/{token}/foto/");
    let mut links: Vec<String> = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let url = part.split('"').next().unwrap();
        if url.starts_with(&prefix) && !links.iter().any(|l| l == url) {
            links.push(url.to_string());
        }
    }
    links
}

/// Every link in the error summary leads to an element on the page (WCAG: the citizen jumps
/// from the summary to the field).
fn assert_error_links_resolve(html: &str) {
    let summary = html.split("id=\"fouten\"").nth(1).expect("an error summary").split("</div>").next().unwrap();
    let targets: Vec<&str> = summary.split("href=\"#").skip(1).map(|t| t.split('"').next().unwrap()).collect();
    assert!(!targets.is_empty(), "{summary}");
    for target in targets {
        assert!(html.contains(&format!("id=\"{target}\"")), "the summary links to #{target}, which is not on the page");
    }
}

// ---- Clock helper --------------------------------------------------------------------------------

trait Tick {
    fn clock_tick(&self);
}

impl Tick for TestApp {
    /// Move the clock one second, so messages written one after another have distinct times.
    fn clock_tick(&self) {
        let next = self.app.now() + jiff::SignedDuration::from_secs(1);
        self.set_time(&next.to_string());
    }
}

mod attachments;
mod forms;
mod pages;
mod search_questions;
mod survey_invitation;
mod tracking;
