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
    const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let ts: jiff::Timestamp = at.parse().unwrap();
    let d = ts.to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap()).date();
    let weekday = DAYS[d.weekday().to_monday_zero_offset() as usize];
    format!("{weekday} {} {} {}", d.day(), MONTHS[(d.month() - 1) as usize], d.year())
}

// ---- Photos built in code -----------------------------------------------------------------------

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn png_chunk(typ: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let crc = crc32(&[typ.as_slice(), data].concat());
    [&(data.len() as u32).to_be_bytes()[..], typ, data, &crc.to_be_bytes()].concat()
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

// ---- 1. The three forms -------------------------------------------------------------------------

#[tokio::test]
async fn each_form_is_received_confirmed_tracked_and_becomes_a_case_for_staff() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let urgent = melding_fields(&org.topic, "ja");
    let klacht_with_topic: Vec<(&str, &str)> =
        klacht_fields().into_iter().chain([("onderwerp", org.topic.as_str())]).collect();
    let melding: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let urgent: Vec<(&str, &str)> = urgent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // (path, fields, case type, team, urgent)
    let cases: [(&str, Fields, &str, &str, bool); 4] = [
        ("vraag", vraag_fields(), "vraag", &org.kcc_team, false),
        ("melding", melding, "melding", &org.meldingen_team, false),
        ("melding", urgent, "melding", &org.meldingen_team, true),
        ("klacht", klacht_with_topic, "klacht", &org.meldingen_team, false),
    ];
    for (kind, fields, case_type, team, is_urgent) in cases {
        let (v, form) = visit(&app, &format!("/{kind}")).await;
        assert!(form.body.contains("name=\"website\""), "{kind}: the honeypot is on the form");
        assert!(form.body.contains("enctype=\"multipart/form-data\""), "{kind}");
        let reply =
            post_multipart(&app, &format!("/{kind}"), Some(&v.cookie), &with_csrf(&v, &fields), &[("", b"")]).await;
        let token = token_of(&reply);

        let confirmation = get(&app, &format!("/ontvangen/{token}"), None).await;
        assert_eq!(confirmation.status, StatusCode::OK, "{}", confirmation.body);
        assert!(
            confirmation.body.contains(&format!("Bedankt, we hebben uw {kind} ontvangen")),
            "{}",
            confirmation.body
        );
        let reference = reference_in(&confirmation.body);
        let case = case_by_reference(&app, &reference).await;
        assert_eq!(case["case_type"], case_type, "{kind}");
        assert_eq!(case["team_id"], team, "{kind}: the topic's team, else the contact centre");
        assert_eq!(case["urgent"], is_urgent, "{kind}: {case}");
        assert_eq!(case["status"], "ontvangen");
        let deadlines = &case["timing"]["deadlines"];
        let service_norm = deadlines["service_norm"].as_str().unwrap_or_else(|| panic!("{kind}: no deadline {case}"));
        assert!(
            confirmation.body.contains(&format!("U hoort uiterlijk op <strong>{}</strong>", dutch_date(service_norm))),
            "{kind}: the expected date {service_norm} is not on {}",
            confirmation.body
        );
        if is_urgent {
            let created: jiff::Timestamp = case["created_at"].as_str().unwrap().parse().unwrap();
            let due: jiff::Timestamp = service_norm.parse().unwrap();
            // Stored times are whole microseconds; the deadline keeps its nanoseconds.
            let after = due.duration_since(created) - jiff::SignedDuration::from_hours(24);
            assert!(after.abs() < jiff::SignedDuration::from_micros(1), "danger: within 24 hours, not {after}");
            assert!(confirmation.body.contains("U gaf aan dat er nu gevaar is"));
        }
        if kind == "klacht" {
            let ack = deadlines["acknowledgement"].as_str().expect("a klacht has an acknowledgement deadline");
            assert!(confirmation.body.contains(&format!("(uiterlijk {})", dutch_date(ack))), "{}", confirmation.body);
            assert!(deadlines["legal"].is_string(), "{case}");
        }

        let (status, contact) =
            app.get(&format!("/api/v1/contacts/{}", case["contact_id"].as_str().unwrap()), Some(&app.admin)).await;
        assert_eq!(status, StatusCode::OK, "{contact}");
        assert_eq!(contact["channel"], "webformulier");
        assert_eq!(contact["questions"][0]["case_id"], case["id"]);

        let tracking = get(&app, &format!("/volgen/{token}"), None).await;
        assert_eq!(tracking.status, StatusCode::OK);
        assert!(tracking.body.contains(&format!("We hebben uw {kind} ontvangen.")), "{}", tracking.body);
        assert!(tracking.body.contains(&reference));
        assert!(tracking.body.contains(&dutch_date(service_norm)), "the tracking page shows the expected date");

        let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().expect("a submission");
        assert_eq!(record.submission.kind.code(), kind);
        assert!(record.photos.is_empty(), "an empty file field (no photo chosen) stores no photo");
    }
    let (cases, contacts, _) = stored(&app).await;
    assert_eq!((cases, contacts), (4, 4));
}

// ---- 2. Bad input --------------------------------------------------------------------------------

#[tokio::test]
async fn a_wrong_melding_lists_every_problem_in_dutch_keeps_the_text_and_stores_nothing() {
    let app = spawn_app().await;
    organise(&app).await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/melding").await;
    let fields = with_csrf(
        &v,
        &[
            ("onderwerp", ""),
            ("omschrijving", "   "),
            ("wanneer", "vanochtend om acht uur"),
            ("naam", "Jan de Vries"),
            ("contact", "email"),
            ("email", "jan@"),
        ],
    );
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Kies waar uw melding over gaat.",
        "Beschrijf wat u ziet of wat er aan de hand is.",
        "Vertel ons waar het is: vul postcode en huisnummer in, of beschrijf de plek.",
        "Dit e-mailadres klopt niet. Schrijf het als naam@voorbeeld.nl.",
    ] {
        assert!(reply.body.contains(message), "missing {message:?} in {}", reply.body);
    }
    assert!(reply.body.contains("Er zijn nog 4 dingen niet goed"), "{}", reply.body);
    for kept in ["value=\"vanochtend om acht uur\"", "value=\"Jan de Vries\"", "value=\"jan@\""] {
        assert!(reply.body.contains(kept), "{kept} was not kept");
    }
    assert!(reply.body.contains("aria-invalid=\"true\" aria-describedby=\"omschrijving-fout\""));
    assert_error_links_resolve(&reply.body);
    assert_eq!(stored(&app).await, before, "nothing is stored");

    // A point outside the Netherlands, and a klacht without a name or a way to answer.
    let fields = with_csrf(
        &v,
        &[("omschrijving", "Er drijft olie op het water"), ("plek", "Bij de brug"), ("lat", "48.85"), ("lon", "2.35")],
    );
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("De plek op de kaart ligt niet in Nederland."), "{}", reply.body);
    assert_error_links_resolve(&reply.body);
    let (k, _) = visit(&app, "/klacht").await;
    let fields = with_csrf(&k, &[("omschrijving", "Niemand belde mij terug.")]);
    let reply = post_multipart(&app, "/klacht", Some(&k.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Kies hoe wij u een antwoord op uw klacht sturen."));
    assert!(reply.body.contains("Vul uw naam in. Een klacht behandelen we altijd persoonlijk."));
    assert_error_links_resolve(&reply.body);
    assert_eq!(stored(&app).await, before, "nothing is stored");

    // The typed description is kept too when something else is wrong.
    let fields = with_csrf(&v, &[("omschrijving", "De stuw <b>lekt</b>"), ("contact", "geen")]);
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(">De stuw &#60;b&#62;lekt&#60;/b&#62;</textarea>"), "kept and escaped: {}", reply.body);
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn forms_without_the_right_token_or_with_the_honeypot_filled_store_nothing() {
    let app = spawn_app_with(|s| s.with_submission_limit(0)).await;
    let org = organise(&app).await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/melding").await;
    let melding = melding_fields(&org.topic, "nee");
    let good: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let other = "0123456789abcdef0123456789abcdef";
    let wrong_token: Vec<(&str, &str)> = [("csrf", other), ("website", "")].into_iter().chain(good.clone()).collect();
    let attempts: [(Option<&str>, Fields); 4] = [
        (Some(&v.cookie), wrong_token.clone()),
        (Some(&v.cookie), good.clone()),
        (None, with_csrf(&v, &good)),
        (Some("gv_formulier="), [("csrf", ""), ("website", "")].into_iter().chain(good.clone()).collect()),
    ];
    for (cookie, fields) in attempts {
        let reply = post_multipart(&app, "/melding", cookie, &fields, &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "cookie {cookie:?}: {}", reply.body);
        assert!(reply.body.contains("Het formulier was verlopen"), "{}", reply.body);
        assert!(reply.body.contains(">Er ligt een dode vis in de sloot</textarea>"), "the text is kept");
        assert!(reply.body.contains("value=\"2611 AB\""), "the postcode is kept");
        // The new form works: it carries a token the browser's cookie matches.
        let retry = hidden_csrf(&reply.body);
        assert!(retry.len() == 32, "{retry}");
    }
    assert_eq!(stored(&app).await, before, "nothing is stored without the form's token");

    let honeypot: Vec<(&str, &str)> =
        [("csrf", v.csrf.as_str()), ("website", "http://spam.example")].into_iter().chain(good.clone()).collect();
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &honeypot, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Vul dit veld niet in"), "{}", reply.body);
    assert_eq!(stored(&app).await, before, "a filled honeypot stores nothing");

    // The same form with the right token and an empty honeypot goes through.
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &with_csrf(&v, &good), &[]).await;
    token_of(&reply);
    assert_eq!(stored(&app).await.0, before.0 + 1);
}

#[tokio::test]
async fn photos_are_checked_by_content_counted_and_limited_in_size() {
    let app = spawn_app_with(|s| s.with_submission_limit(0)).await;
    organise(&app).await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/vraag").await;
    let fields = with_csrf(&v, &vraag_fields());
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".to_vec();
    let png = png_with_author();

    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("vakantie.jpg", &pdf)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body.contains("vakantie.jpg: Dit bestand is geen foto. Kies een foto van het type JPEG, PNG of HEIC."),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Kies uw foto&#39;s opnieuw"), "{}", reply.body);
    assert!(reply.body.contains(">Wanneer wordt de aanslag voor dit jaar verstuurd?</textarea>"), "text kept");
    // A wrong form is answered before any photo is read: a photo's content costs CPU time, and the
    // citizen chooses the photos again anyway.
    let empty_question = with_csrf(&v, &[("omschrijving", " "), ("contact", "email"), ("email", "jan@example.nl")]);
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &empty_question, &[("vakantie.jpg", &pdf)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("omschrijving-fout"), "the form's error is shown: {}", reply.body);
    assert!(!reply.body.contains("Dit bestand is geen foto"), "the photo was not read: {}", reply.body);
    let text = b"Dit is gewoon tekst, geen foto.".to_vec();
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("foto.jpg", &text)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Dit bestand is geen foto."));

    let four: Vec<(&str, &[u8])> = (0..4).map(|_| ("a.png", png.as_slice())).collect();
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &four).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("U kunt maximaal 3 foto"), "{}", reply.body);

    let mut huge = png.clone();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("groot.png", &huge)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &reply.body[..reply.body.len().min(500)]);
    assert!(reply.body.contains("Een foto is groter dan 10 MB"), "{}", reply.body);
    assert!(reply.bytes.len() < 60_000, "the refusal does not echo the photo");
    assert_eq!(stored(&app).await, before, "no refused photo stores anything");

    // Exactly 10 MB is allowed (the limit is inclusive); it is padded after IEND, which is dropped.
    let mut at_limit = png.clone();
    at_limit.resize(10 * 1024 * 1024, 0);
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("precies.png", &at_limit)]).await;
    let token = token_of(&reply);
    let record = app.app.store().submission_by_token(&gastvrij_app::portal::token_hash(&token)).await.unwrap().unwrap();
    assert_eq!(record.photos.len(), 1);
    assert!(record.photos[0].size_bytes < 1000, "the padding after IEND is not stored");
}

#[tokio::test]
async fn stored_photos_lose_their_metadata_and_are_served_by_content_to_their_own_link_only() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let jpeg = jpeg_with_exif();
    let png = png_with_author();
    // The PNG is named .jpg and sent as image/jpeg: the type comes from the content.
    let token = submit(&app, "melding", &fields, &[("IMG_0001.jpg", &jpeg), ("scan.jpg", &png)]).await;

    let page = get(&app, &format!("/volgen/{token}"), None).await;
    let links = photo_links(&page.body, &token);
    assert_eq!(links.len(), 2, "{}", page.body);
    let mut types = Vec::new();
    for link in &links {
        let photo = get(&app, link, None).await;
        assert_eq!(photo.status, StatusCode::OK);
        for secret in [&b"Jan Jansen"[..], b"Canon", b"Author", b"Exif", b"Made by"] {
            assert!(!contains(&photo.bytes, secret), "{} survived in {link}", String::from_utf8_lossy(secret));
        }
        let content_type = photo.header("content-type").unwrap().to_string();
        match content_type.as_str() {
            "image/jpeg" => {
                assert!(photo.bytes.starts_with(&[0xFF, 0xD8]) && photo.bytes.ends_with(&[0xFF, 0xD9]));
                assert!(contains(&photo.bytes, &[0x12, 0x34, 0xFF, 0x00, 0x56]), "the image data is kept");
            }
            "image/png" => {
                assert!(photo.bytes.starts_with(&[0x89, b'P', b'N', b'G']) && contains(&photo.bytes, b"IDAT"));
            }
            other => panic!("unexpected content type {other}"),
        }
        assert!(photo.header("cache-control").unwrap().contains("private"), "photos are not cached publicly");
        assert_eq!(photo.header("x-content-type-options"), Some("nosniff"));
        types.push(content_type);
    }
    types.sort();
    assert_eq!(types, ["image/jpeg", "image/png"]);

    // Another citizen's link does not open this photo, nor does a wrong or malformed photo id.
    let other = submit(&app, "vraag", &vraag_fields(), &[]).await;
    let id = links[0].rsplit('/').next().unwrap();
    for path in [
        format!("/volgen/{other}/foto/{id}"),
        format!("/volgen/{token}/foto/0190f5c4-7a3e-7000-8000-000000000000"),
        format!("/volgen/{token}/foto/geen-id"),
        format!("/volgen/{}/foto/{id}", "0".repeat(48)),
    ] {
        let reply = get(&app, &path, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains("Niet gevonden"), "{path}");
    }
}

// ---- 3. Rate limit -------------------------------------------------------------------------------

#[tokio::test]
async fn the_third_submission_from_one_address_waits_with_a_dutch_message() {
    let app = spawn_app_with(|s| s.with_submission_limit(2)).await;
    organise(&app).await;
    let (v, _) = visit(&app, "/vraag").await;
    let fields = with_csrf(&v, &vraag_fields());
    for _ in 0..2 {
        token_of(&post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[]).await);
    }
    let before = stored(&app).await;
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{}", reply.body);
    assert_eq!(reply.header("retry-after"), Some("600"));
    assert!(reply.body.contains("Even wachten") && reply.body.contains("Wacht tien minuten"), "{}", reply.body);
    assert!(reply.body.contains("lang=\"nl\""));
    assert_eq!(stored(&app).await, before, "the refused submission is not stored");
    // Reading is not limited.
    assert_eq!(get(&app, "/vraag", Some(&v.cookie)).await.status, StatusCode::OK);
}

// ---- 4. Tracking ---------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_or_malformed_tracking_links_are_a_dutch_404_never_a_500() {
    let app = spawn_app().await;
    organise(&app).await;
    submit(&app, "vraag", &vraag_fields(), &[]).await;
    let unknown = "ab".repeat(24);
    let long = "a".repeat(5000);
    for token in [unknown.as_str(), "abc", "ZZ".repeat(24).as_str(), "%2e%2e%2f%2e%2e", "'%20OR%201=1--", &long] {
        for path in [format!("/volgen/{token}"), format!("/ontvangen/{token}")] {
            let reply = get(&app, &path, None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", &path[..path.len().min(80)]);
            assert!(reply.body.contains("Niet gevonden") && reply.body.contains("lang=\"nl\""), "{}", reply.body);
        }
        let (v, _) = visit(&app, "/vraag").await;
        let add = post_multipart(
            &app,
            &format!("/volgen/{token}/aanvullen"),
            Some(&v.cookie),
            &[("csrf", &v.csrf), ("bericht", "Nog iets")],
            &[],
        )
        .await;
        assert_eq!(add.status, StatusCode::NOT_FOUND, "aanvullen on {}", &token[..token.len().min(80)]);
        let survey = post_form(
            &app,
            &format!("/volgen/{token}/tevredenheid"),
            Some(&v.cookie),
            &format!("csrf={}&cijfer=8&opgelost=ja&moeite=2", v.csrf),
        )
        .await;
        assert_eq!(survey.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn citizens_add_information_while_open_and_see_the_water_boards_messages() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = submit(&app, "melding", &fields, &[]).await;
    let case = case_of(&app, &token).await;
    let (v, page) = visit(&app, &format!("/volgen/{token}")).await;
    assert!(page.body.contains("Er zijn nog geen berichten."));
    assert!(page.body.contains("Iets toevoegen"));
    let add = format!("/volgen/{token}/aanvullen");

    // Without the form's token nothing is added, and the text is kept.
    let forged =
        post_multipart(&app, &add, Some(&v.cookie), &[("csrf", "x"), ("bericht", "Hij stinkt nu ook")], &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains(">Hij stinkt nu ook</textarea>"), "{}", forged.body);
    let empty = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "  ")], &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Typ wat u wilt toevoegen, of kies een foto."));
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert!(record.messages.is_empty());

    let png = png_with_author();
    let added = post_multipart(
        &app,
        &add,
        Some(&v.cookie),
        &[("csrf", &v.csrf), ("bericht", "De vis ligt er nog steeds.\nEn er zijn er meer.")],
        &[("sloot.png", &png)],
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(added.location(), format!("/volgen/{token}?toegevoegd=1"));
    app.clock_tick();
    app.app.message_citizen(&Principal::operator(), case_id(&case), "We komen morgen <kijken>.").await.unwrap();

    let page = get(&app, &format!("/volgen/{token}?toegevoegd=1"), Some(&v.cookie)).await;
    assert!(page.body.contains("We hebben uw aanvulling ontvangen."));
    let citizen = page.body.find("U schreef op").expect("the citizen's message");
    let board = page.body.find("Het waterschap schreef op").expect("the water board's message");
    assert!(citizen < board, "messages in order");
    assert!(page.body.contains("De vis ligt er nog steeds.<br>En er zijn er meer."));
    assert!(page.body.contains("We komen morgen &#60;kijken&#62;."), "staff text is escaped");
    let links = photo_links(&page.body, &token);
    assert_eq!(links.len(), 1, "the added photo shows");
    let photo = get(&app, &links[0], None).await;
    assert_eq!(photo.header("content-type"), Some("image/png"));
    assert!(!contains(&photo.bytes, b"Jan Jansen"));

    // A photo without text is allowed.
    let only_photo =
        post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &[("b.png", &png)]).await;
    assert_eq!(only_photo.status, StatusCode::SEE_OTHER, "{}", only_photo.body);
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert_eq!(record.messages.len(), 3);
    assert_eq!(record.photos.len(), 2);

    close_case(&app, &case).await;
    let page = get(&app, &format!("/volgen/{token}"), Some(&v.cookie)).await;
    assert!(page.body.contains("Uw melding is afgehandeld."));
    assert!(!page.body.contains("Iets toevoegen"), "no add form on a closed case");
    let late =
        post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "Nog één ding")], &[]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", late.body);
    assert!(late.body.contains("Uw melding is al afgehandeld."), "{}", late.body);
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert_eq!(record.messages.len(), 3, "nothing is added to a closed case");
}

#[tokio::test]
async fn a_tracked_submission_takes_at_most_twenty_messages_and_twenty_photos() {
    let app = spawn_app_with(|s| s.with_submission_limit(0)).await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = submit(&app, "melding", &fields, &[]).await;
    let case = case_of(&app, &token).await;
    let (v, _) = visit(&app, &format!("/volgen/{token}")).await;
    let add = format!("/volgen/{token}/aanvullen");
    let png = png_with_author();
    let stored = || async { app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap() };

    // Six messages with three photos each: 18 photos; with two more, seven messages and 20 photos.
    let three: [(&str, &[u8]); 3] = [("a.png", &png), ("b.png", &png), ("c.png", &png)];
    for _ in 0..6 {
        let added = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &three).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    // Three more would make 21: refused whole, with how many still fit.
    let over = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "Nog meer")], &three).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", over.body);
    assert!(
        over.body.contains("Bij uw melding kunnen in totaal 20 foto&#39;s. Er kunnen er nog 2 bij."),
        "{}",
        over.body
    );
    assert_eq!((stored().await.messages.len(), stored().await.photos.len()), (6, 18), "nothing stored");
    let two = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &three[..2]).await;
    assert_eq!(two.status, StatusCode::SEE_OTHER, "{}", two.body);
    let full = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &three[..1]).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", full.body);
    assert!(full.body.contains("Bij uw melding zitten al 20 foto&#39;s."), "{}", full.body);
    assert_eq!(stored().await.photos.len(), 20);

    // Text messages up to twenty in all; the 21st is refused and not stored.
    for i in 8..=20 {
        app.clock_tick();
        let text = format!("Bericht {i}");
        let added = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", &text)], &[]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "message {i}: {}", added.body);
    }
    // Staff messages do not count against the citizen.
    app.app.message_citizen(&Principal::operator(), case_id(&case), "We komen kijken.").await.unwrap();
    let last = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "Bericht 21")], &[]).await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", last.body);
    assert!(last.body.contains("U hebt al 20 berichten over uw melding gestuurd."), "{}", last.body);
    let record = stored().await;
    assert_eq!(record.messages.iter().filter(|m| m.from_citizen).count(), 20);
    assert!(!record.messages.iter().any(|m| m.text == "Bericht 21"), "the 21st is not stored");
}

// ---- 5. Survey -----------------------------------------------------------------------------------

#[tokio::test]
async fn the_survey_opens_on_closure_takes_one_answer_and_closes_after_fourteen_days() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    app.set_time("2026-03-02T09:00:00Z");
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = submit(&app, "melding", &fields, &[]).await;
    let case = case_of(&app, &token).await;
    let (v, page) = visit(&app, &format!("/volgen/{token}")).await;
    let survey = format!("/volgen/{token}/tevredenheid");
    assert!(!page.body.contains("Wat vond u ervan?"), "no survey while the case is open");
    let early =
        post_form(&app, &survey, Some(&v.cookie), &format!("csrf={}&cijfer=8&opgelost=ja&moeite=2", v.csrf)).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap().survey.is_none());

    app.set_time("2026-03-03T09:00:00Z");
    close_case(&app, &case).await;
    let page = get(&app, &format!("/volgen/{token}"), Some(&v.cookie)).await;
    assert!(page.body.contains("Wat vond u ervan?") && page.body.contains(&format!("action=\"{survey}\"")));
    assert!(page.body.contains("Is uw melding opgelost?"), "the survey names what was sent in");

    let invalid =
        post_form(&app, &survey, Some(&v.cookie), &format!("csrf={}&cijfer=11&opgelost=nee&moeite=9", v.csrf)).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("Kies een cijfer van 1 tot en met 10."));
    assert!(invalid.body.contains("Kies hoeveel moeite het u kostte."));
    assert!(invalid.body.contains("id=\"opgelost-nee\" name=\"opgelost\" value=\"nee\" checked"), "answers kept");
    let forged = post_form(&app, &survey, Some(&v.cookie), "csrf=nope&cijfer=8&opgelost=ja&moeite=2").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap().survey.is_none());

    let unhappy =
        format!("csrf={}&cijfer=4&opgelost=nee&moeite=5&toelichting=Er+ligt+nog+steeds+vis&heropenen=ja", v.csrf);
    let answered = post_form(&app, &survey, Some(&v.cookie), &unhappy).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert!(answered.body.contains("We kijken er opnieuw naar"), "{}", answered.body);
    assert!(!answered.body.contains("uw vraag"), "a melding is not called a vraag: {}", answered.body);
    assert!(answered.body.contains("U hebt de vragenlijst ingevuld."));
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    let stored_answer = record.survey.expect("the answer is stored");
    assert_eq!((stored_answer.grade, stored_answer.solved, stored_answer.effort), (4, false, 5));
    assert!(stored_answer.reopen_requested);
    assert_eq!(stored_answer.comment.as_deref(), Some("Er ligt nog steeds vis"));

    let (_, staff_view) = app.get(&format!("/api/v1/cases/{}", case["id"].as_str().unwrap()), Some(&app.admin)).await;
    let notes = staff_view["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["text"].as_str().unwrap_or_default().contains("vraagt om opnieuw te kijken")),
        "staff see the request: {staff_view}"
    );

    let again =
        post_form(&app, &survey, Some(&v.cookie), &format!("csrf={}&cijfer=9&opgelost=ja&moeite=1", v.csrf)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("U hebt deze vragenlijst al ingevuld."), "{}", again.body);
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert_eq!(record.survey.unwrap().grade, 4, "the first answer stays");

    // A happy answer asks for nothing; the survey stays open for 14 days after closure.
    let second = submit(&app, "vraag", &vraag_fields(), &[]).await;
    let second_case = case_of(&app, &second).await;
    close_case(&app, &second_case).await; // closed 2026-03-03T09:00Z
    app.set_time("2026-03-17T09:00:00Z");
    let page = get(&app, &format!("/volgen/{second}"), Some(&v.cookie)).await;
    assert!(page.body.contains("Wat vond u ervan?"), "still open on day 14");
    app.set_time("2026-03-17T09:00:01Z");
    let page = get(&app, &format!("/volgen/{second}"), Some(&v.cookie)).await;
    assert!(!page.body.contains("Wat vond u ervan?"), "closed after 14 days");
    let late = post_form(
        &app,
        &format!("/volgen/{second}/tevredenheid"),
        Some(&v.cookie),
        &format!("csrf={}&cijfer=9&opgelost=ja&moeite=1&heropenen=ja", v.csrf),
    )
    .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("De vragenlijst is niet meer open."), "{}", late.body);
    assert!(app.app.store().submission_by_case(case_id(&second_case)).await.unwrap().unwrap().survey.is_none());
}

// ---- 6. Public answers ---------------------------------------------------------------------------

async fn articles(app: &TestApp) {
    let who = Principal::operator();
    use gastvrij_domain::kennisbank::ArticleStatus;
    for (id, title, answer, public, status) in [
        (
            "KB-1",
            "Kwijtschelding aanvragen",
            "Intern: controleer het inkomen altijd bij het Inlichtingenbureau.",
            Some("U kunt kwijtschelding aanvragen als uw inkomen laag is."),
            ArticleStatus::Openbaar,
        ),
        (
            "KB-2",
            "Kwijtschelding fraudesignalen",
            "Let op signalen van kwijtschelding-fraude.",
            None,
            ArticleStatus::Intern,
        ),
    ] {
        let input = serde_json::from_value(json!({
            "external_id": id, "title": title, "question": format!("{title}?"), "answer": answer, "public_answer": public
        }))
        .unwrap();
        let a = app.app.create_article(&who, input).await.unwrap();
        app.app.change_article_status(&who, a.id, ArticleStatus::TerBeoordeling).await.unwrap();
        app.app.change_article_status(&who, a.id, status).await.unwrap();
    }
    app.app.sync_search(0).await.unwrap();
}

#[tokio::test]
async fn public_answers_show_only_published_articles_and_count_prevented_questions() {
    let app = spawn_app().await;
    organise(&app).await;
    articles(&app).await;
    let window = |app: &TestApp| {
        let now = app.app.now();
        (now - jiff::SignedDuration::from_hours(1), now + jiff::SignedDuration::from_hours(1))
    };

    let hints = get(&app, "/antwoorden/suggesties?q=kwijtschelding", None).await;
    assert_eq!(hints.status, StatusCode::OK);
    assert!(hints.header("content-type").unwrap().starts_with("text/html"));
    assert!(
        hints.body.contains("Kwijtschelding aanvragen") && hints.body.contains("/antwoorden/KB-1"),
        "{}",
        hints.body
    );
    assert!(!hints.body.contains("fraude") && !hints.body.contains("KB-2"), "intern articles stay internal");
    assert!(!hints.body.contains("<html"), "a fragment, not a page");
    // The fragment under a public answer comes from what citizens may read, never the staff answer.
    let hints = get(&app, "/antwoorden/suggesties?q=inkomen", None).await;
    assert!(hints.body.contains("/antwoorden/KB-1"), "{}", hints.body);
    assert!(!hints.body.contains("Inlichtingenbureau"), "the staff answer leaks: {}", hints.body);
    assert!(hints.body.contains("uw inkomen laag is"), "{}", hints.body);
    // An answer taken off the website is not suggested, even before the index catches up.
    let kb1 = app.app.store().article_by_external_id("KB-1").await.unwrap().unwrap();
    app.app
        .change_article_status(&Principal::operator(), kb1.id, gastvrij_domain::kennisbank::ArticleStatus::Intern)
        .await
        .unwrap();
    let hints = get(&app, "/antwoorden/suggesties?q=kwijtschelding", None).await;
    assert!(!hints.body.contains("KB-1"), "{}", hints.body);
    app.app
        .change_article_status(&Principal::operator(), kb1.id, gastvrij_domain::kennisbank::ArticleStatus::Openbaar)
        .await
        .unwrap();
    let short = get(&app, "/antwoorden/suggesties?q=kw", None).await;
    assert_eq!((short.status, short.body.as_str()), (StatusCode::OK, ""));

    let search = get(&app, "/antwoorden?q=kwijtschelding", None).await;
    assert!(search.body.contains("Kwijtschelding aanvragen") && !search.body.contains("KB-2"));

    let (v, page) = visit(&app, "/antwoorden/KB-1?vraag=mag+ik+kwijtschelding").await;
    assert!(page.body.contains("U kunt kwijtschelding aanvragen als uw inkomen laag is."));
    assert!(!page.body.contains("Inlichtingenbureau"), "the internal answer is not shown to citizens");
    assert!(page.body.contains("/vraag?omschrijving=mag%20ik%20kwijtschelding"), "{}", page.body);
    for id in ["KB-2", "KB-404", "%00"] {
        let reply = get(&app, &format!("/antwoorden/{id}"), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
        assert!(reply.body.contains("Niet gevonden"));
    }

    let (from, to) = window(&app);
    let count = || async { app.app.store().count_prevented_questions(from, to).await.unwrap() };
    assert_eq!(count().await, 0);
    let forged = post_form(&app, "/antwoorden/KB-1/geholpen", Some(&v.cookie), "csrf=fout").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(count().await, 0);
    let helped = post_form(&app, "/antwoorden/KB-1/geholpen", Some(&v.cookie), &format!("csrf={}", v.csrf)).await;
    assert_eq!(helped.status, StatusCode::OK, "{}", helped.body);
    assert!(helped.body.contains("Fijn dat we u konden helpen"));
    assert_eq!(count().await, 1);
    let internal = post_form(&app, "/antwoorden/KB-2/geholpen", Some(&v.cookie), &format!("csrf={}", v.csrf)).await;
    assert_eq!(internal.status, StatusCode::NOT_FOUND);
    assert_eq!(count().await, 1, "an intern article prevents nothing");

    // An editor removes the public answer but leaves the article openbaar: the staff answer
    // must not take its place on the website.
    let kb1 = app.app.store().article_by_external_id("KB-1").await.unwrap().unwrap();
    let input = serde_json::from_value(json!({
        "external_id": "KB-1", "title": kb1.title, "question": kb1.question, "answer": kb1.answer
    }))
    .unwrap();
    let edited = app.app.update_article(&Principal::operator(), kb1.id, input).await.unwrap();
    assert_eq!((edited.status.code(), edited.public_answer), ("openbaar", None));
    let page = get(&app, "/antwoorden/KB-1", None).await;
    assert!(!page.body.contains("Inlichtingenbureau"), "the staff answer is shown to citizens: {}", page.body);
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let hints = get(&app, "/antwoorden/suggesties?q=kwijtschelding", None).await;
    assert!(!hints.body.contains("Inlichtingenbureau") && !hints.body.contains("KB-1"), "{}", hints.body);
    let input = serde_json::from_value(json!({
        "external_id": "KB-1", "title": kb1.title, "question": kb1.question, "answer": kb1.answer,
        "public_answer": kb1.public_answer
    }))
    .unwrap();
    app.app.update_article(&Principal::operator(), kb1.id, input).await.unwrap();
    app.app.sync_search(0).await.unwrap();

    // "Zoek eerst": the vraag form shows the answers and stores nothing.
    let before = stored(&app).await;
    let (fv, _) = visit(&app, "/vraag").await;
    let first = post_multipart(
        &app,
        "/vraag",
        Some(&fv.cookie),
        &with_csrf(&fv, &[("omschrijving", "Kan ik kwijtschelding krijgen?"), ("zoek", "1")]),
        &[],
    )
    .await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Misschien helpt dit antwoord u") && first.body.contains("/antwoorden/KB-1"));
    assert!(first.body.contains(">Kan ik kwijtschelding krijgen?</textarea>"));
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn without_a_search_index_suggestions_degrade_to_nothing_instead_of_an_error() {
    let dir = std::env::temp_dir().join(format!("gastvrij_portal_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let location = gastvrij_store::Location::Sqlite(dir.join("db.sqlite"));
    let db = gastvrij_store::Database::open(&location, gastvrij_store::OpenMode::CreateIfMissing).await.unwrap();
    db.migrate().await.unwrap();
    let app = gastvrij_app::App::new(
        db.into_store(),
        std::sync::Arc::new(crate::helpers::TestClock::at_test_start()),
        gastvrij_app::Settings::default(),
    );
    assert!(app.search_public_answers("kwijtschelding", 5).await.is_err(), "the use case says it is unavailable");
    let router = gastvrij_web::router(gastvrij_web::AppState::new(app));
    let hints = send(&router, "GET", "/antwoorden/suggesties?q=kwijtschelding", None, None).await;
    assert_eq!((hints.status, hints.body.as_str()), (StatusCode::OK, ""));
    let search = send(&router, "GET", "/antwoorden?q=kwijtschelding", None, None).await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(search.body.contains("We vonden geen antwoord"), "{}", search.body);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- 7. Headers and page budget ------------------------------------------------------------------

#[tokio::test]
async fn public_pages_are_small_and_carry_strict_security_headers() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    for i in 0..30 {
        // A long topic list is what makes the forms grow.
        app.post(
            "/api/v1/topics",
            &app.admin,
            json!({"name": format!("Onderwerp nummer {i:02} met een lange naam"), "team_id": org.meldingen_team}),
        )
        .await;
    }
    let token = submit(&app, "vraag", &vraag_fields(), &[]).await;
    let mut sizes = Vec::new();
    for path in
        ["/", "/vraag", "/melding", "/klacht", "/antwoorden", &format!("/volgen/{token}"), "/static/gastvrij.css"]
    {
        let reply = get(&app, path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'"));
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
        if path.starts_with("/volgen/") {
            assert_eq!(reply.header("cache-control"), Some("no-store"), "the private page is not cached");
        }
        if !path.ends_with(".css") {
            assert!(reply.header("content-type").unwrap().starts_with("text/html"));
            assert!(!reply.body.contains("style=") && !reply.body.contains("<script>"), "{path}: inline code");
            assert!(reply.body.contains("<html lang=\"nl\">"));
        }
        assert!(reply.bytes.len() < 50 * 1024, "{path} is {} bytes", reply.bytes.len());
        sizes.push(format!("{path} {} B", reply.bytes.len()));
    }
    eprintln!("page sizes: {}", sizes.join(", "));
}

/// What a citizen typed comes back on public pages as text, never as markup: in a form that is
/// shown again with an error, and on the tracking page.
#[tokio::test]
async fn a_citizens_text_echoed_on_a_public_page_is_escaped() {
    let app = spawn_app().await;
    organise(&app).await;
    let evil = r#"J. "de" Vries"><script>alert('x')</script>"#;
    let (v, _) = visit(&app, "/klacht").await;
    // No description: the form comes back with the name kept.
    let fields = with_csrf(&v, &[("naam", evil), ("contact", "email"), ("email", "jan@example.nl")]);
    let reply = post_multipart(&app, "/klacht", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(!reply.body.contains("<script>alert"), "markup from the citizen runs: {}", reply.body);
    assert!(reply.body.contains("&#60;script&#62;alert("), "the name is kept, escaped: {}", reply.body);
    assert!(!reply.body.contains(r#""de""#) && !reply.body.contains(r#"Vries">"#), "quotes close no attribute");

    let description = "De stuw <b>lekt</b>\n& het \"water\" stijgt";
    let fields = [("omschrijving", description), ("contact", "email"), ("email", "jan@example.nl")];
    let token = submit(&app, "vraag", &fields, &[]).await;
    let page = get(&app, &format!("/volgen/{token}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<b>lekt"), "{}", page.body);
    assert!(
        page.body.contains("De stuw &#60;b&#62;lekt&#60;/b&#62;<br>&#38; het &#34;water&#34; stijgt"),
        "{}",
        page.body
    );
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

// ---- Failures on our side and incidents ------------------------------------------------------------

#[tokio::test]
async fn without_a_team_to_receive_it_the_citizen_hears_that_nothing_was_stored() {
    let app = spawn_app().await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/vraag").await;
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &with_csrf(&v, &vraag_fields()), &[]).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert!(reply.body.contains("Het lukt nu even niet") && reply.body.contains("Er is niets van u opgeslagen"));
    assert!(!reply.body.contains("team") && !reply.body.contains("administrator"), "no technical cause shown");
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn near_meldingen_form_an_incident_whose_banner_shows_on_the_start_page_until_closed() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    for lat in ["52.0116", "52.0140"] {
        let mut fields = melding_fields(&org.topic, "nee");
        fields.extend([("lat", lat.to_string()), ("lon", "4.3571".to_string())]);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        submit(&app, "melding", &fields, &[]).await;
    }
    let who = Principal::operator();
    let incidents = app.app.incidents(&who, true).await.unwrap();
    assert_eq!(incidents.len(), 1, "two reports ~270 m apart within an hour form one incident");
    let (_, reports) = app.app.incident_reports(&who, incidents[0].id).await.unwrap();
    assert_eq!(reports.len(), 2);
    app.app.set_incident(&who, incidents[0].id, Some("Wateroverlast <Delft>: wij zijn bezig."), false).await.unwrap();
    let start = get(&app, "/", None).await;
    assert!(
        start.body.contains("<strong>Let op:</strong> Wateroverlast &#60;Delft&#62;: wij zijn bezig."),
        "{}",
        start.body
    );
    let reached = app.app.update_incident_reporters(&who, incidents[0].id, "Het water zakt.").await.unwrap();
    assert_eq!(reached, 2);
    app.app.set_incident(&who, incidents[0].id, None, true).await.unwrap();
    assert!(!get(&app, "/", None).await.body.contains("Let op:"), "the banner goes with the incident");
}
