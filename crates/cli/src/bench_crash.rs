//! `gastvrij bench crash`: nothing acknowledged is lost when the server dies. Runs `gastvrij
//! serve` as a child process, posts meldingen to it through HTTP from many clients, kills it with
//! SIGKILL at random moments (default 20 times), starts it again each time, and finally checks
//! that every melding whose confirmation was received (a 303 to `/ontvangen/{token}`) is stored,
//! reachable by its tracking token, and has its confirmation mail queued — on SQLite and, with
//! `--postgres`, on PostgreSQL.

use crate::bench_intake::client;
use crate::bench_meldingen::{BOUNDARY, melding, multipart};
use crate::db::DbArgs;
use anyhow::{Context, bail};
use clap::Args;
use gastvrij_app::Page;
use gastvrij_app::ports::MailQuery;
use gastvrij_store::OpenMode;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct CrashArgs {
    /// How often the server is killed with SIGKILL while clients submit.
    #[arg(long, env = "GASTVRIJ_BENCH_KILLS", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub kills: u32,
    /// Clients submitting at once.
    #[arg(long, env = "GASTVRIJ_BENCH_CONCURRENCY", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub clients: u32,
    /// Also run against this PostgreSQL server (a scratch database is created and dropped).
    #[arg(long, env = "GASTVRIJ_BENCH_POSTGRES")]
    pub postgres: Option<String>,
    /// Seed of the random kill moments, so a run can be repeated.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// One melding whose confirmation page the client was sent to.
#[derive(Clone)]
pub(crate) struct Acknowledged {
    pub(crate) token: String,
    /// The citizen left an e-mail address, so a confirmation mail must be queued.
    pub(crate) mail: bool,
}

/// The outcome on one backend.
struct Outcome {
    name: &'static str,
    kills: u32,
    acknowledged: usize,
    unanswered: usize,
    lost: usize,
    mail_missing: usize,
    took: Duration,
}

pub async fn run(args: CrashArgs) -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    println!(
        "crash benchmark: {} clients submit meldingen through POST /melding while `gastvrij serve` is killed with \
         SIGKILL {} times at random moments (seed {})",
        args.clients, args.kills, args.seed
    );
    let mut outcomes = vec![];
    let dir = std::env::temp_dir().join(format!("gastvrij_bench_crash_{}", std::process::id()));
    let sqlite = DbArgs { data: dir.join("data"), database: None };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = backend("SQLite", &sqlite, &args).await;
    let _ = std::fs::remove_dir_all(&dir);
    outcomes.push(result?);
    if let Some(url) = &args.postgres {
        let scratch =
            crate::bench_scratch::ScratchPostgres::create(url, format!("gastvrij_bench_crash_{}", std::process::id()))
                .await?;
        let data = std::env::temp_dir().join(format!("gastvrij_bench_crash_pg_{}", std::process::id()));
        let pg = DbArgs { data: data.clone(), database: Some(scratch.url.clone()) };
        let result = backend("PostgreSQL", &pg, &args).await;
        let _ = std::fs::remove_dir_all(&data);
        let dropped = scratch.drop().await;
        outcomes.push(result?);
        dropped?;
    }
    println!();
    println!("| | kills | acknowledged | unanswered (in flight at a kill) | lost | confirmation mail missing | time |");
    println!("|---|---|---|---|---|---|---|");
    for o in &outcomes {
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.0} s |",
            o.name,
            o.kills,
            o.acknowledged,
            o.unanswered,
            o.lost,
            o.mail_missing,
            o.took.as_secs_f64()
        );
    }
    let bad: Vec<_> = outcomes.iter().filter(|o| o.lost > 0 || o.mail_missing > 0 || o.acknowledged == 0).collect();
    if !bad.is_empty() {
        bail!("acknowledged meldingen were lost or their mail was missing (or none was acknowledged); see the table");
    }
    println!("\n0 lost of all acknowledged meldingen on every backend.");
    Ok(())
}

async fn backend(name: &'static str, db: &DbArgs, args: &CrashArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    // Seed the organisation, teams and topics, then close the database: only the children use it.
    let choices = {
        let app = crate::db::app(db.open(OpenMode::CreateIfMissing).await?);
        let until = jiff::ZonedDateTime::now().date();
        let config = gastvrij_demo::DemoConfig { scale: 0.001, seed: 2026, until };
        gastvrij_demo::seed(&app, &config, &|_| {}).await.context("seeding the demo water board")?;
        let topics: Vec<String> = app.public_topics().await?.iter().map(|t| t.topic.id.to_string()).collect();
        topics
    };
    let choices = Arc::new(choices);
    std::fs::create_dir_all(&db.data).ok();
    // Every start uses one link key, as the nodes of one installation do (PostgreSQL needs it made).
    let key = crate::link_key::KeyFile { path: db.data.join(crate::link_key::DEFAULT_FILE), create_if_missing: true };
    key.load().context("making the link key file")?;
    let log = db.data.join("serve.log");
    let key = key.path;
    let acknowledged: Arc<Mutex<Vec<Acknowledged>>> = Arc::default();
    let unanswered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut serial = 0usize;
    for round in 0..args.kills {
        let (mut child, base) = start(db, &log, &key, &[]).await?;
        let mut load = tokio::task::JoinSet::new();
        for c in 0..args.clients as usize {
            let (base, choices, acknowledged, unanswered) =
                (base.clone(), choices.clone(), acknowledged.clone(), unanswered.clone());
            let first = serial + c * 1_000_000;
            load.spawn(
                async move { submit_until_refused(&base, first, &choices, &acknowledged, &unanswered, None).await },
            );
        }
        serial += 1_000;
        // Let the load build up, then kill at a moment the random generator picks.
        let mut rng =
            crate::bench_meldingen::Rng::new((args.seed as usize).wrapping_mul(7_919).wrapping_add(round as usize));
        let wait = Duration::from_millis(200 + rng.below(1_300) as u64);
        tokio::time::sleep(wait).await;
        child.kill().context("killing the server")?;
        let _ = child.wait();
        while load.join_next().await.is_some() {}
        let n = acknowledged.lock().expect("no panic while held").len();
        println!("[{name}] kill {}/{} after {} ms: {n} acknowledged so far", round + 1, args.kills, wait.as_millis());
    }
    // Start once more and check every acknowledged melding through its tracking link.
    let (mut child, base) = start(db, &log, &key, &[]).await?;
    let acknowledged = acknowledged.lock().expect("no panic while held").clone();
    let http = client()?;
    let mut lost = 0;
    let mut references = vec![];
    for a in &acknowledged {
        let page = http.get(format!("{base}/ontvangen/{}", a.token)).send().await;
        let reference = match page {
            Ok(r) if r.status().is_success() => reference_in(&r.text().await.unwrap_or_default()),
            _ => None,
        };
        match reference {
            Some(r) => references.push((r, a.mail)),
            None => lost += 1,
        }
    }
    child.kill().ok();
    let _ = child.wait();
    // The confirmation mails, by the reference in their subject.
    let app = crate::db::app(db.open(OpenMode::MustExist).await?);
    let mut subjects = HashSet::new();
    let mut offset = 0;
    loop {
        let page =
            app.store().mail_list(&MailQuery { status: None, page: Page { limit: Page::MAX_LIMIT, offset } }).await?;
        let n = page.len() as u32;
        subjects.extend(page.into_iter().filter_map(|m| reference_in(&m.subject)));
        if n < Page::MAX_LIMIT {
            break;
        }
        offset += n;
    }
    let mail_missing = references.iter().filter(|(r, mail)| *mail && !subjects.contains(r)).count();
    Ok(Outcome {
        name,
        kills: args.kills,
        acknowledged: acknowledged.len(),
        unanswered: unanswered.load(std::sync::atomic::Ordering::Relaxed),
        lost,
        mail_missing,
        took: started.elapsed(),
    })
}

/// Start `gastvrij serve` on a free port with the link key in `key` (and `extra` arguments) and
/// wait until it is ready; its output goes to `log`.
pub(crate) async fn start(db: &DbArgs, log: &Path, key: &Path, extra: &[&str]) -> anyhow::Result<(Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let exe = std::env::current_exe().context("finding this program")?;
    let shown = log.to_path_buf();
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
    let mut command = Command::new(exe);
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--submissions-per-10-minutes", "1000000"])
        .arg("--data")
        .arg(&db.data)
        .arg("--link-key-file")
        .arg(key)
        .args(extra)
        .env("GASTVRIJ_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    if let Some(url) = &db.database {
        command.env("GASTVRIJ_DATABASE", url);
    }
    let mut child = command.spawn().context("starting gastvrij serve")?;
    let base = format!("http://127.0.0.1:{port}");
    let http = client()?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if http.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok((child, base));
        }
        if let Some(status) = child.try_wait()? {
            bail!("gastvrij serve stopped with {status} before it was ready; see {}", shown.display());
        }
        if Instant::now() > deadline {
            child.kill().ok();
            bail!("gastvrij serve was not ready within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Submit meldingen one after another until the server stops answering (or `until` passes).
pub(crate) async fn submit_until_refused(
    base: &str,
    first: usize,
    choices: &[String],
    acknowledged: &Mutex<Vec<Acknowledged>>,
    unanswered: &std::sync::atomic::AtomicUsize,
    until: Option<Instant>,
) {
    let Ok(http) = client() else { return };
    let url = format!("{base}/melding");
    let Ok(page) = http.get(&url).send().await else { return };
    let cookie = crate::bench_meldingen::form_cookie(&page);
    let Ok(html) = page.text().await else { return };
    let csrf = html
        .split_once(r#"name="csrf" value=""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(token, _)| token.to_string());
    let (Some(cookie), Some(csrf)) = (cookie, csrf) else { return };
    for i in first.. {
        if until.is_some_and(|u| Instant::now() >= u) {
            return;
        }
        let form = melding(i, choices);
        let mail = form.contact == "email";
        let response = http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(reqwest::header::COOKIE, &cookie)
            .body(multipart(&csrf, &form, None))
            .send()
            .await;
        let Ok(response) = response else {
            // The server died with this request in flight: it was never acknowledged.
            unanswered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return;
        };
        let token = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| l.strip_prefix("/ontvangen/"))
            .map(str::to_string);
        if response.status() == reqwest::StatusCode::SEE_OTHER
            && let Some(token) = token
        {
            acknowledged.lock().expect("no panic while held").push(Acknowledged { token, mail });
        } else {
            unanswered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// The first case reference (`WS-2026-000042`) in a text.
pub(crate) fn reference_in(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let candidate = text.get(i..i + 14)?;
        let b = candidate.as_bytes();
        let shape = b[0..3] == *b"WS-"
            && b[3..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
            && b[8..14].iter().all(u8::is_ascii_digit);
        shape.then(|| candidate.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::reference_in;

    #[test]
    fn finds_the_reference_in_a_subject_or_page() {
        assert_eq!(reference_in("Ontvangstbevestiging: uw melding WS-2026-000042").as_deref(), Some("WS-2026-000042"));
        assert_eq!(
            reference_in("<p>Uw nummer: <strong>WS-2026-123456</strong></p>").as_deref(),
            Some("WS-2026-123456")
        );
        assert_eq!(reference_in("WS-2026-12345 is te kort"), None);
        assert_eq!(reference_in("één WS-2026-000001"), Some("WS-2026-000001".into()));
    }
}
