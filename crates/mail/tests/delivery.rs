//! Delivery end to end, without mocks: the outbox in a real SQLite database, the `.eml`
//! transport into a real folder, and the SMTP transport against a real SMTP server (Python's
//! aiosmtpd, `tests/fixtures/smtp_sink.py`). Without aiosmtpd the SMTP test says it is skipped,
//! unless `GASTVRIJ_REQUIRE_SMTP=1` (CI), where it fails.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gastvrij_app::{App, Clock, Principal, Settings};
use gastvrij_domain::mail::{MAX_ATTEMPTS, MailInput, MailKind, MailStatus, retry_delay};
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_mail::{EmlTransport, SmtpSecurity, SmtpSettings, SmtpTransport, parse_sender};
use gastvrij_store::{Database, Location, OpenMode};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

struct TestClock(Mutex<jiff::Timestamp>);

impl TestClock {
    fn advance(&self, by: jiff::SignedDuration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> jiff::Timestamp {
        *self.0.lock().unwrap()
    }
}

/// A temporary folder with a migrated SQLite database and an app over it.
struct Setup {
    dir: PathBuf,
    app: App,
    clock: Arc<TestClock>,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn setup() -> Setup {
    let dir = std::env::temp_dir().join(format!("gastvrij_mail_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let db = Database::open(&Location::Sqlite(dir.join("db.sqlite")), OpenMode::CreateIfMissing).await.unwrap();
    db.migrate().await.unwrap();
    // A fixed moment, so the test never depends on the day it runs.
    let now: jiff::Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let clock = Arc::new(TestClock(Mutex::new(now)));
    let app = App::new(db.into_store(), clock.clone(), Settings::default());
    Setup { dir, app, clock }
}

fn mail(to: &str, subject: &str, body: &str) -> MailInput {
    MailInput {
        kind: MailKind::Ontvangstbevestiging,
        to: to.into(),
        subject: subject.into(),
        body: body.into(),
        reply_to: None,
    }
}

async fn status_of(app: &App, status: MailStatus) -> Vec<gastvrij_app::mail::MailLine> {
    app.mail_overview(&Principal::operator(), Some(status), gastvrij_app::Page::default()).await.unwrap().mails
}

/// Headers of a message, unfolded, and its body.
fn split_message(text: &str) -> (Vec<(String, String)>, String) {
    let (head, body) = text.split_once("\r\n\r\n").expect("a blank line after the headers");
    let mut headers: Vec<(String, String)> = vec![];
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            headers.last_mut().expect("a folded line follows a header").1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("'{line}' is not a header"));
            headers.push((name.to_string(), value.trim().to_string()));
        }
    }
    (headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// Quoted-printable (RFC 2045) to text.
fn decode_quoted_printable(s: &str) -> String {
    let bytes = s.replace("=\r\n", "").into_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn the_eml_transport_writes_one_readable_file_per_mail() {
    let s = setup().await;
    let folder = s.dir.join("mail");
    let from = parse_sender("Hoogheemraadschap van de Lage Waard <noreply@lagewaard.nl>").unwrap();
    let eml = EmlTransport::new(&folder, from).unwrap();
    let operator = Principal::operator();
    let plain = s
        .app
        .queue_mail(&operator, mail("jan@example.nl", "Uw melding is ontvangen", "Beste meneer,\n\nDank u.\n\nGroet"))
        .await
        .unwrap();
    let dutch_body =
        "Geachte mevrouw Öztürk,\n\nUw aanvraag voor kwijtschelding (€ 312,50) is ontvangen.\nMet vriendelijke groet";
    let dutch =
        s.app.queue_mail(&operator, mail("ayse@voorbeeld.nl", "Uw aanvraag – ontvangen", dutch_body)).await.unwrap();

    let report = s.app.deliver_due_mail(&eml, 5).await.unwrap();
    assert_eq!((report.sent, report.retrying, report.failed), (2, 0, 0));
    assert_eq!(status_of(&s.app, MailStatus::Sent).await.len(), 2);

    let mut names: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names.len(), 2, "two files and no temporary ones: {names:?}");
    for (name, mail) in names.iter().zip([&plain, &dutch]) {
        let (stamp, rest) = name.split_once('-').unwrap();
        assert_eq!(rest, format!("{}.eml", mail.id));
        assert!(stamp.len() == "20260302T090000.123456Z".len() && stamp.ends_with('Z'), "{name}");
    }

    let text = std::fs::read_to_string(folder.join(&names[0])).unwrap();
    let (headers, body) = split_message(&text);
    assert_eq!(header(&headers, "From"), "\"Hoogheemraadschap van de Lage Waard\" <noreply@lagewaard.nl>");
    assert_eq!(header(&headers, "To"), "jan@example.nl");
    assert_eq!(header(&headers, "Subject"), "Uw melding is ontvangen");
    assert_eq!(header(&headers, "Message-ID"), format!("<{}@lagewaard.nl>", plain.id));
    assert_eq!(header(&headers, "Content-Type"), "text/plain; charset=utf-8");
    assert_eq!(header(&headers, "Content-Transfer-Encoding"), "7bit");
    assert_eq!(header(&headers, "Auto-Submitted"), "auto-generated");
    jiff::fmt::rfc2822::parse(header(&headers, "Date")).expect("an RFC 5322 date");
    assert_eq!(body.trim_end(), "Beste meneer,\r\n\r\nDank u.\r\n\r\nGroet");

    let text = std::fs::read_to_string(folder.join(&names[1])).unwrap();
    let (headers, body) = split_message(&text);
    assert_eq!(header(&headers, "Subject"), "Uw aanvraag =?utf-8?b?4oCT?= ontvangen");
    assert_eq!(header(&headers, "Content-Transfer-Encoding"), "quoted-printable");
    assert_eq!(decode_quoted_printable(&body).trim_end(), dutch_body.replace('\n', "\r\n"));
}

/// The SMTP sink, stopped when dropped.
struct Sink {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Sink {
    fn start(dir: &Path) -> Sink {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["127.0.0.1", &port.to_string()])
            .arg(dir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "listening", "the SMTP sink did not start");
        Sink { child, dir: dir.to_path_buf(), port }
    }

    /// The messages received so far, in order.
    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()).collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the SMTP test can run; without aiosmtpd it is skipped, or fails under
/// `GASTVRIJ_REQUIRE_SMTP=1`.
fn smtp_server_available() -> bool {
    let importable = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if importable {
        return true;
    }
    let message = "the SMTP delivery test needs Python's aiosmtpd: python3 -m pip install aiosmtpd";
    if std::env::var("GASTVRIJ_REQUIRE_SMTP").is_ok_and(|v| v == "1") {
        panic!("{message} (GASTVRIJ_REQUIRE_SMTP=1 makes it required)");
    }
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SMTP delivery test skipped: {message}");
    false
}

#[tokio::test]
async fn mail_goes_through_a_real_smtp_server_and_failures_back_off_until_staff_see_them() {
    if !smtp_server_available() {
        return;
    }
    let s = setup().await;
    let sink = Sink::start(&s.dir.join("sink"));
    let from = parse_sender("Waterschap Lage Waard <noreply@lagewaard.nl>").unwrap();
    let settings = SmtpSettings {
        host: "127.0.0.1".into(),
        port: sink.port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        timeout: Duration::from_secs(10),
    };
    let smtp = SmtpTransport::new(&settings, from).unwrap();
    let operator = Principal::operator();

    // Two mails, one with a subject and body beyond ASCII.
    let body = "Geachte heer Jansen,\n\nUw melding over de sloot aan de Dijkweg is ontvangen (kenmerk WS-2026-000042).\nWe nemen binnen 5 werkdagen contact met u op.\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard";
    let mut first = mail("Jan.Jansen@Example.NL", "Uw melding is ontvangen – dank u", body);
    first.reply_to = Some("kcc@lagewaard.nl".into());
    let first = s.app.queue_mail(&operator, first).await.unwrap();
    let second =
        s.app.queue_mail(&operator, mail("els@voorbeeld.nl", "Statuswijziging", "Uw zaak is afgehandeld.")).await;
    let second = second.unwrap();
    let report = s.app.deliver_due_mail(&smtp, 5).await.unwrap();
    assert_eq!((report.sent, report.retrying, report.failed), (2, 0, 0));
    let got = sink.messages();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0]["rcpt_tos"], serde_json::json!(["Jan.Jansen@example.nl"]));
    assert_eq!(got[0]["mail_from"], "noreply@lagewaard.nl");
    assert_eq!(got[0]["to"], "Jan.Jansen@example.nl");
    assert_eq!(got[0]["from"], "Waterschap Lage Waard <noreply@lagewaard.nl>");
    assert_eq!(got[0]["reply_to"], "kcc@lagewaard.nl");
    assert_eq!(got[0]["subject"], "Uw melding is ontvangen – dank u", "decoded by Python's parser");
    assert_eq!((got[0]["content_type"].as_str(), got[0]["charset"].as_str()), (Some("text/plain"), Some("utf-8")));
    assert_eq!(got[0]["body"].as_str().unwrap().trim_end().replace("\r\n", "\n"), body);
    assert_eq!(got[0]["message_id"], format!("<{}@lagewaard.nl>", first.id));
    assert_eq!(got[0]["auto_submitted"], "auto-generated");
    assert!(!got[0]["raw"].as_str().unwrap().contains("ontvangen – dank u"), "the raw subject is encoded");
    assert_eq!(
        (got[1]["to"].as_str(), got[1]["subject"].as_str()),
        (Some("els@voorbeeld.nl"), Some("Statuswijziging"))
    );
    assert_eq!(got[1]["message_id"], format!("<{}@lagewaard.nl>", second.id));
    assert_eq!(status_of(&s.app, MailStatus::Sent).await.len(), 2);

    // An unknown user is refused for good: failed at once, the address masked in the error.
    let unknown = s.app.queue_mail(&operator, mail("onbekend@example.nl", "Bericht", "Tekst")).await.unwrap();
    let report = s.app.deliver_due_mail(&smtp, 5).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    let failed = status_of(&s.app, MailStatus::Failed).await;
    assert_eq!((failed[0].id, failed[0].attempts), (unknown.id, 1));
    let error = failed[0].last_error.clone().unwrap();
    assert!(error.starts_with("refused: permanent error (550)") && error.contains("<o***@example.nl>"), "{error}");
    assert!(!error.contains("onbekend"), "{error}");

    // The server goes away: the attempt fails and the mail waits, backing off, until it is failed.
    drop(sink);
    let late = s.app.queue_mail(&operator, mail("piet@example.nl", "Uw melding", "Tekst")).await.unwrap();
    let report = s.app.deliver_due_mail(&smtp, 5).await.unwrap();
    assert_eq!((report.sent, report.retrying, report.failed), (0, 1, 0));
    let pending = status_of(&s.app, MailStatus::Pending).await;
    assert_eq!((pending[0].id, pending[0].attempts), (late.id, 1));
    assert!(pending[0].next_attempt_at.unwrap() > s.app.now(), "the next attempt lies ahead");
    assert_eq!(pending[0].next_attempt_at, Some(s.app.now() + retry_delay(1).unwrap()));
    let error = pending[0].last_error.clone().unwrap();
    assert!(error.starts_with("connection: "), "{error}");
    for attempt in 2..=MAX_ATTEMPTS {
        s.clock.advance(retry_delay(attempt - 1).unwrap());
        let report = s.app.deliver_due_mail(&smtp, 5).await.unwrap();
        assert_eq!(report.retrying + report.failed, 1, "attempt {attempt}");
    }
    let failed = status_of(&s.app, MailStatus::Failed).await;
    assert_eq!(
        failed.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(),
        vec![(late.id, MAX_ATTEMPTS), (unknown.id, 1)]
    );

    // … and a team lead sees it on the outbox page, with the recipient masked.
    let input = EmployeeInput {
        name: "Teamleider".into(),
        username: Some("leider".into()),
        roles: vec![Role::Teamleider],
        active: true,
        ..Default::default()
    };
    s.app.add_user(&operator, input, "een lang testwachtwoord").await.unwrap();
    let session = s.app.open_session("leider", "een lang testwachtwoord").await.unwrap();
    let router = gastvrij_web::router(gastvrij_web::AppState::new(s.app.clone()));
    let request = Request::get("/werkplek/post").header("cookie", format!("gv_sessie={}", session.token));
    let res = router.oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = String::from_utf8(axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
    assert!(page.contains("<dt>Mislukt</dt><dd>2</dd>") && page.contains("<dt>Verstuurd</dt><dd>2</dd>"), "{page}");
    assert!(page.contains("p***@example.nl") && page.contains("connection: "), "{page}");
    assert!(page.contains(&format!("/werkplek/post/{}/opnieuw", late.id)));
    assert!(!page.contains("piet@") && !page.contains("onbekend@"));
}

/// A transport that panics on one recipient, quotes another's address (with é) in its refusal,
/// and accepts the rest.
struct Touchy(Mutex<Vec<String>>);

#[async_trait::async_trait]
impl gastvrij_app::ports::MailTransport for Touchy {
    fn name(&self) -> &'static str {
        "touchy"
    }

    async fn deliver(
        &self,
        mail: &gastvrij_domain::mail::OutgoingMail,
        _: gastvrij_app::ports::Attempt,
    ) -> Result<(), gastvrij_app::ports::DeliveryError> {
        let to = mail.to.as_str().to_string();
        if to.starts_with("paniek") {
            panic!("the transport cannot handle this mail");
        }
        if to.ends_with(".café") {
            return Err(gastvrij_app::ports::DeliveryError::temporary("deferred", format!("451 try later <{to}>")));
        }
        self.0.lock().unwrap().push(to);
        Ok(())
    }
}

#[tokio::test]
async fn one_mail_that_crashes_the_transport_or_quotes_an_accented_address_never_stops_the_others() {
    let s = setup().await;
    for to in ["eerste@example.nl", "paniek@example.nl", "zoë@voorbeeld.café", "laatste@example.nl"] {
        s.app.queue_mail(&Principal::operator(), mail(to, "Onderwerp", "Tekst")).await.unwrap();
    }
    let transport = Touchy(Mutex::new(vec![]));
    let report = s.app.deliver_due_mail(&transport, 10).await.unwrap();
    assert_eq!((report.sent, report.retrying, report.failed), (2, 1, 1), "{report:?}");
    assert_eq!(*transport.0.lock().unwrap(), ["eerste@example.nl", "laatste@example.nl"]);
    let failed = status_of(&s.app, MailStatus::Failed).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].recipient, "p***@example.nl");
    assert!(failed[0].last_error.as_deref().unwrap_or_default().contains("crashed"), "{failed:?}");
    let retrying = s.app.mail_overview(&Principal::operator(), None, gastvrij_app::Page::default()).await.unwrap();
    let deferred = retrying.mails.iter().find(|m| m.recipient == "z***@voorbeeld.café").expect("the deferred mail");
    assert_eq!(deferred.last_error.as_deref(), Some("deferred: 451 try later <z***@voorbeeld.café>"));
    // The next round finds nothing due: the crashed mail is not tried again and again.
    let again = s.app.deliver_due_mail(&transport, 10).await.unwrap();
    assert_eq!((again.sent, again.retrying, again.failed), (0, 0, 0));
}

/// The files in a mail folder, sorted: `(delivered .eml files, staged .pending files)`.
fn folder_files(folder: &Path) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|d| d.map(|e| e.unwrap().file_name().into_string().unwrap()).collect())
        .unwrap_or_default();
    names.sort();
    let pending = names.iter().filter(|n| n.ends_with(".eml.pending")).cloned().collect();
    let delivered = names.iter().filter(|n| n.ends_with(".eml")).cloned().collect();
    (delivered, pending)
}

/// How a node killed mid-delivery is simulated: it claims the mail (the lease of a real run) and
/// its transport writes the staged file; the kill comes before (`record` false) or after the
/// outbox recorded the mail as sent, in both cases before the file was confirmed.
async fn killed_mid_delivery(
    s: &Setup,
    eml: &EmlTransport,
    record: bool,
) -> (gastvrij_domain::ids::MailId, gastvrij_app::ports::Attempt) {
    use gastvrij_app::ports::MailTransport as _;
    let now = s.app.now();
    let claimed = s.app.store().due_mail(now, now + gastvrij_app::mail::MAIL_LEASE, 5).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let attempt = gastvrij_app::ports::Attempt { id: claimed[0].mail.id, at: now };
    eml.deliver(&claimed[0].mail, attempt).await.unwrap();
    if record {
        s.app.store().mail_sent(attempt.id, attempt.at).await.unwrap();
    }
    (attempt.id, attempt)
}

#[tokio::test]
async fn a_node_killed_before_recording_a_mail_still_delivers_it_exactly_once() {
    let s = setup().await;
    let folder = s.dir.join("mail");
    let eml = EmlTransport::new(&folder, parse_sender(gastvrij_mail::DEFAULT_FROM).unwrap()).unwrap();
    let queued =
        s.app.queue_mail(&Principal::operator(), mail("jan@example.nl", "Ontvangen", "Dank u.")).await.unwrap();
    let (id, _) = killed_mid_delivery(&s, &eml, false).await;
    let (delivered, pending) = folder_files(&folder);
    assert_eq!((delivered.len(), pending.len()), (0, 1), "staged, not delivered: {pending:?}");
    assert!(pending[0].starts_with(&format!(".{id}.")), "the staged name carries the mail id: {pending:?}");

    // The node comes back within the lease: the mail may still be in flight, so it waits.
    let report = s.app.deliver_due_mail(&eml, 5).await.unwrap();
    assert_eq!(report, Default::default());
    assert_eq!(folder_files(&folder), (vec![], pending.clone()));

    // After the lease the staged file goes, and the mail is delivered once, by the new attempt.
    s.clock.advance(gastvrij_app::mail::MAIL_LEASE + jiff::SignedDuration::from_secs(1));
    let report = s.app.deliver_due_mail(&eml, 5).await.unwrap();
    assert_eq!((report.sent, report.retrying, report.failed), (1, 0, 0));
    let (delivered, pending) = folder_files(&folder);
    assert_eq!(pending, Vec::<String>::new());
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    assert!(delivered[0].ends_with(&format!("-{}.eml", queued.id)), "{delivered:?}");
    let record = s.app.store().mail_record(queued.id).await.unwrap().unwrap();
    assert_eq!((record.status, record.attempts, record.sent_at), (MailStatus::Sent, 1, Some(s.app.now())));
}

#[tokio::test]
async fn a_node_killed_after_recording_a_mail_confirms_it_when_it_runs_again() {
    let s = setup().await;
    let folder = s.dir.join("mail");
    let eml = EmlTransport::new(&folder, parse_sender(gastvrij_mail::DEFAULT_FROM).unwrap()).unwrap();
    s.app.queue_mail(&Principal::operator(), mail("jan@example.nl", "Ontvangen", "Dank u.")).await.unwrap();
    let (id, attempt) = killed_mid_delivery(&s, &eml, true).await;
    assert_eq!(folder_files(&folder).0, Vec::<String>::new(), "recorded, but not yet visible");

    // Later, even after the lease: the next run renames the staged file and sends nothing new.
    s.clock.advance(gastvrij_app::mail::MAIL_LEASE + jiff::SignedDuration::from_secs(1));
    let report = s.app.deliver_due_mail(&eml, 5).await.unwrap();
    assert_eq!(report, Default::default());
    let (delivered, pending) = folder_files(&folder);
    assert_eq!(pending, Vec::<String>::new());
    assert_eq!(delivered, vec![format!("{}-{id}.eml", attempt.at.strftime("%Y%m%dT%H%M%S%.6fZ"))]);
    let text = std::fs::read_to_string(folder.join(&delivered[0])).unwrap();
    assert!(text.contains(&format!("Message-ID: <{id}@localhost>")), "{text}");
    // A further run changes nothing.
    s.app.deliver_due_mail(&eml, 5).await.unwrap();
    assert_eq!(folder_files(&folder), (delivered, vec![]));
}

#[tokio::test]
async fn a_node_back_after_another_node_sent_its_mail_drops_its_staged_copy() {
    let s = setup().await;
    let (folder_a, folder_b) = (s.dir.join("mail_a"), s.dir.join("mail_b"));
    let from = parse_sender(gastvrij_mail::DEFAULT_FROM).unwrap();
    let (a, b) = (EmlTransport::new(&folder_a, from.clone()).unwrap(), EmlTransport::new(&folder_b, from).unwrap());
    s.app.queue_mail(&Principal::operator(), mail("jan@example.nl", "Ontvangen", "Dank u.")).await.unwrap();
    let (id, _) = killed_mid_delivery(&s, &a, false).await;

    // Node B takes the mail after the lease; node A comes back only then.
    s.clock.advance(gastvrij_app::mail::MAIL_LEASE + jiff::SignedDuration::from_secs(1));
    assert_eq!(s.app.deliver_due_mail(&b, 5).await.unwrap().sent, 1);
    s.clock.advance(jiff::SignedDuration::from_secs(5));
    assert_eq!(s.app.deliver_due_mail(&a, 5).await.unwrap(), Default::default());
    let (in_a, in_b) = (folder_files(&folder_a), folder_files(&folder_b));
    assert_eq!(in_a, (vec![], vec![]), "A's staged copy is dropped, not confirmed");
    assert_eq!((in_b.0.len(), in_b.1.len()), (1, 0));
    assert!(in_b.0[0].ends_with(&format!("-{id}.eml")));
}
