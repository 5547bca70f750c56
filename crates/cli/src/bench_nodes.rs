//! `gastvrij bench nodes`: two `gastvrij serve` nodes on one PostgreSQL database, as a shared
//! installation runs them behind a load balancer. Each node starts on a bare data folder of its
//! own (it makes the folder) and writes its mail as `.eml` files there. The run checks, in order:
//!
//! 1. a staff session made by signing in on node A opens the staff start page on node B (and
//!    without the cookie it does not);
//! 2. an article published through node A is found by node B's search within 2 seconds;
//! 3. throughput: meldingen per second through `POST /melding` against node A alone, then
//!    against both nodes, in the same run (the ratio);
//! 4. crash: clients submit to both nodes while node A is killed with SIGKILL at random moments
//!    (and started again); afterwards every acknowledged melding is found through node B, and
//!    every confirmation mail was delivered — counted by `Message-ID` over both nodes' mail
//!    folders: every one exactly once. The `.eml` transport stages a mail under a hidden name and
//!    makes it an `.eml` file only after the outbox recorded it as sent; a node that comes back
//!    after a kill settles what it left staged before it claims mail again. The run fails on any
//!    mail delivered twice or not at all.

use crate::bench_crash::{Acknowledged, reference_in, start, submit_until_refused};
use crate::bench_intake::client;
use crate::db::DbArgs;
use anyhow::{Context, bail};
use clap::Args;
use gastvrij_app::ports::MailQuery;
use gastvrij_app::{Page, Principal};
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_store::OpenMode;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct NodesArgs {
    /// The PostgreSQL server; a scratch database is made on it and dropped afterwards.
    #[arg(long, env = "GASTVRIJ_BENCH_POSTGRES")]
    pub postgres: String,
    /// Seconds of load in each throughput phase (node A alone, then both nodes).
    #[arg(long, env = "GASTVRIJ_BENCH_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=600))]
    pub seconds: u32,
    /// How often node A is killed with SIGKILL while clients submit to both nodes.
    #[arg(long, env = "GASTVRIJ_BENCH_KILLS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub kills: u32,
    /// Clients submitting at once (spread evenly over the nodes in the two-node phases).
    #[arg(long, env = "GASTVRIJ_BENCH_CONCURRENCY", default_value_t = 16, value_parser = clap::value_parser!(u32).range(2..=1_000))]
    pub clients: u32,
    /// Seed of the random kill moments, so a run can be repeated.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Seconds a node holds the mails it claimed, in this run: short, so the mails a killed node
/// held are sent by the other node within the run (the default is 15 minutes).
const LEASE_SECONDS: u64 = 10;
const LEASE_SECONDS_TEXT: &str = "10";

/// One running node.
struct Node {
    name: &'static str,
    db: DbArgs,
    log: PathBuf,
    child: Option<Child>,
    base: String,
}

impl Node {
    async fn start(&mut self, key: &Path) -> anyhow::Result<()> {
        // A short lease, so the mails a killed node held are sent by the other node within the run.
        let lease = ["--mail-lease-seconds", LEASE_SECONDS_TEXT];
        let (child, base) =
            start(&self.db, &self.log, key, &lease).await.with_context(|| format!("starting node {}", self.name))?;
        self.child = Some(child);
        self.base = base;
        Ok(())
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn mail_dir(&self) -> PathBuf {
        self.db.data.join("mail")
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

pub async fn run(args: NodesArgs) -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    println!(
        "two nodes on one PostgreSQL database: sessions, search, throughput ({} s per phase, {} clients) and {} \
         kills of node A with SIGKILL (seed {})",
        args.seconds, args.clients, args.kills, args.seed
    );
    let name = format!("gastvrij_bench_nodes_{}", std::process::id());
    let scratch = crate::bench_scratch::ScratchPostgres::create(&args.postgres, name.clone()).await?;
    let root = std::env::temp_dir().join(&name);
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let result = nodes(&args, &scratch.url, &root).await;
    let _ = std::fs::remove_dir_all(&root);
    let dropped = scratch.drop().await;
    result?;
    dropped
}

async fn nodes(args: &NodesArgs, url: &str, root: &Path) -> anyhow::Result<()> {
    // The installation: the demo's organisation, teams and topics, and two editors.
    let seed = DbArgs { data: root.join("seed"), database: Some(url.to_string()) };
    let (choices, tokens) = prepare(&seed).await?;
    let choices = Arc::new(choices);
    // One link key for every node, kept apart from the data folders (docs/operations.md).
    let key = root.join("link-key");
    std::fs::write(&key, "0123456789abcdef".repeat(4)).context("writing the link key")?;
    let node = |name: &'static str| Node {
        name,
        // The data folders do not exist yet: a node makes its own.
        db: DbArgs { data: root.join(name), database: Some(url.to_string()) },
        log: root.join(format!("{name}.log")),
        child: None,
        base: String::new(),
    };
    let (mut a, mut b) = (node("a"), node("b"));
    a.start(&key).await?;
    b.start(&key).await?;
    let mut failures = vec![];

    // 1. A session made on A is valid on B.
    match session_travels(&a.base, &b.base).await {
        Ok(()) => println!("session: signed in on node A, the workspace opens on node B: yes"),
        Err(e) => failures.push(format!("session: {e:#}")),
    }

    // 2. An article published through A is found through B.
    match article_travels(&a.base, &b.base, &tokens).await {
        Ok(took) => {
            println!("search: an article published on node A is found on node B after {} ms", took.as_millis());
            if took > Duration::from_secs(2) {
                failures.push(format!("search: node B found the article after {} ms (goal ≤ 2 s)", took.as_millis()));
            }
        }
        Err(e) => failures.push(format!("search: {e:#}")),
    }

    // 3. Throughput: A alone, then A and B, in the same run.
    let acknowledged: Arc<Mutex<Vec<Acknowledged>>> = Arc::default();
    let unanswered = Arc::new(AtomicUsize::new(0));
    let phase = Duration::from_secs(u64::from(args.seconds));
    let mut serial = 0usize;
    let mut load = |bases: Vec<String>, until: Option<Instant>| {
        let mut set = tokio::task::JoinSet::new();
        for c in 0..args.clients as usize {
            let base = bases[c % bases.len()].clone();
            let (choices, acknowledged, unanswered) = (choices.clone(), acknowledged.clone(), unanswered.clone());
            let first = serial + c * 1_000_000;
            set.spawn(
                async move { submit_until_refused(&base, first, &choices, &acknowledged, &unanswered, until).await },
            );
        }
        serial += 100_000;
        set
    };
    let count = |acknowledged: &Mutex<Vec<Acknowledged>>| acknowledged.lock().expect("no panic while held").len();
    let before = count(&acknowledged);
    let started = Instant::now();
    load(vec![a.base.clone()], Some(started + phase)).join_all().await;
    let one = (count(&acknowledged) - before) as f64 / started.elapsed().as_secs_f64();
    let before = count(&acknowledged);
    let started = Instant::now();
    load(vec![a.base.clone(), b.base.clone()], Some(started + phase)).join_all().await;
    let two = (count(&acknowledged) - before) as f64 / started.elapsed().as_secs_f64();
    println!();
    println!("| meldingen through POST /melding | per second | ratio |");
    println!("|---|---|---|");
    println!("| one node (A) | {one:.0} | 1.00 |");
    println!("| two nodes (A and B) | {two:.0} | {:.2} |", two / one.max(f64::MIN_POSITIVE));

    // 4. Kill A again and again while clients submit to both.
    let mut rng = crate::bench_meldingen::Rng::new((args.seed as usize).wrapping_mul(7_919));
    for round in 0..args.kills {
        let wait = Duration::from_millis(300 + rng.below(1_200) as u64);
        // B's clients stop a little after the kill; A's stop when A stops answering.
        let set = load(vec![a.base.clone(), b.base.clone()], Some(Instant::now() + wait + Duration::from_millis(300)));
        tokio::time::sleep(wait).await;
        a.kill();
        set.join_all().await;
        println!(
            "kill {}/{} of node A after {} ms: {} acknowledged so far",
            round + 1,
            args.kills,
            wait.as_millis(),
            count(&acknowledged)
        );
        a.start(&key).await?;
    }

    // Every acknowledged melding, through B.
    let acknowledged = acknowledged.lock().expect("no panic while held").clone();
    let http = client()?;
    let mut lost = 0;
    let mut references = vec![];
    for ack in &acknowledged {
        let page = http.get(format!("{}/ontvangen/{}", b.base, ack.token)).send().await;
        let reference = match page {
            Ok(r) if r.status().is_success() => reference_in(&r.text().await.unwrap_or_default()),
            _ => None,
        };
        match reference {
            Some(r) => references.push((r, ack.mail)),
            None => lost += 1,
        }
    }

    // Wait until the outbox is empty (the mails a killed node held return after the lease) and
    // the nodes have settled the mail a kill left staged (each delivery run does that first).
    let app = crate::db::app(seed.open(OpenMode::MustExist).await?);
    let deadline = Instant::now() + Duration::from_secs(LEASE_SECONDS * 3 + 60);
    loop {
        let counts = app.store().mail_counts().await?;
        let staged = staged_files(&a.mail_dir()) + staged_files(&b.mail_dir());
        if counts.pending == 0 && staged == 0 {
            break;
        }
        if Instant::now() > deadline {
            failures.push(format!(
                "mail: {} mails still pending and {staged} staged files not settled after the wait",
                counts.pending
            ));
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    a.kill();
    b.kill();
    // The confirmation mails queued, by reference, and the ids that were delivered.
    let mut queued: HashMap<String, String> = HashMap::new();
    let mut offset = 0;
    loop {
        let page =
            app.store().mail_list(&MailQuery { status: None, page: Page { limit: Page::MAX_LIMIT, offset } }).await?;
        let n = page.len() as u32;
        for m in page {
            if let Some(r) = reference_in(&m.subject) {
                queued.insert(r, m.id.to_string());
            }
        }
        if n < Page::MAX_LIMIT {
            break;
        }
        offset += n;
    }
    let mut delivered: HashMap<String, u32> = HashMap::new();
    for dir in [a.mail_dir(), b.mail_dir()] {
        for id in message_ids(&dir)? {
            *delivered.entry(id).or_default() += 1;
        }
    }
    let expected: Vec<&String> =
        references.iter().filter(|(_, mail)| *mail).filter_map(|(r, _)| queued.get(r)).collect();
    let not_queued = references.iter().filter(|(r, mail)| *mail && !queued.contains_key(r)).count();
    let not_delivered = expected.iter().filter(|id| !delivered.contains_key(id.as_str())).count();
    let twice: u32 = delivered.values().map(|n| n - 1).sum();
    println!();
    println!(
        "| kills | acknowledged | unanswered (in flight at a kill) | lost | confirmation mails | not queued | not \
         delivered | delivered twice |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {lost} | {} | {not_queued} | {not_delivered} | {twice} |",
        args.kills,
        acknowledged.len(),
        unanswered.load(Ordering::Relaxed),
        expected.len()
    );
    if acknowledged.is_empty() {
        failures.push("no melding was acknowledged".into());
    }
    if lost > 0 || not_queued > 0 || not_delivered > 0 {
        failures.push(format!(
            "{lost} acknowledged meldingen lost, {not_queued} confirmation mails not queued, {not_delivered} not \
             delivered"
        ));
    }
    if twice > 0 {
        failures.push(format!("{twice} repeated deliveries: every confirmation mail must arrive exactly once"));
    }
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("FAILED {f}");
        }
        bail!("{} of the two-node checks failed; the nodes' logs were in {}", failures.len(), root.display());
    }
    // What the kills left staged and the nodes settled when they came back (from their logs,
    // whose fields may carry colour codes: the fate is matched as a word of its own).
    let settled = |fate: &str| {
        [&a.log, &b.log]
            .iter()
            .filter_map(|log| std::fs::read_to_string(log).ok())
            .map(|text| {
                text.lines()
                    .filter(|l| l.contains("unconfirmed mail from an interrupted run settled") && l.contains(fate))
                    .count()
            })
            .sum::<usize>()
    };
    println!(
        "\nstaged by a killed node and settled when it came back: {} confirmed (recorded as sent), {} discarded \
         (delivered by a later attempt)",
        settled("Confirm"),
        settled("Discard")
    );
    println!(
        "\nboth nodes served one installation: the session and the article travelled, nothing acknowledged was \
         lost, every confirmation mail was delivered exactly once."
    );
    Ok(())
}

/// Seed the scratch database (the demo's organisation, teams and topics at a tiny scale) and add
/// two editors with API tokens. Returns the topics citizens can choose and the editors' tokens.
async fn prepare(seed: &DbArgs) -> anyhow::Result<(Vec<String>, [String; 2])> {
    let app = crate::db::app(seed.open(OpenMode::CreateIfMissing).await?);
    let until = jiff::ZonedDateTime::now().date();
    let config = gastvrij_demo::DemoConfig { scale: 0.001, seed: 2026, until };
    gastvrij_demo::seed(&app, &config, &|_| {}).await.context("seeding the demo water board")?;
    let topics = app.public_topics().await?.iter().map(|t| t.topic.id.to_string()).collect();
    let operator = Principal::operator();
    let mut tokens = vec![];
    for (username, password) in [("redacteur-a", "wachtwoord van a"), ("redacteur-b", "wachtwoord van b")] {
        let input = EmployeeInput {
            name: format!("Redacteur {}", &username[10..]),
            roles: vec![Role::Redacteur],
            username: Some(username.into()),
            active: true,
            ..Default::default()
        };
        app.add_user(&operator, input, password).await.with_context(|| format!("adding {username}"))?;
        let lifetime = gastvrij_domain::api_token::TokenLifetime::days(1).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        tokens.push(app.create_api_token(&operator, username, "bench nodes", lifetime).await?.secret);
    }
    let [a, b] = <[String; 2]>::try_from(tokens).expect("two editors");
    Ok((topics, [a, b]))
}

/// Sign in on `a` through the form; the session cookie must open the workspace on `b`, and no
/// cookie must not.
async fn session_travels(a: &str, b: &str) -> anyhow::Result<()> {
    let http = client()?;
    let form = http.get(format!("{a}/inloggen")).send().await.context("GET /inloggen on A")?;
    let csrf_cookie =
        set_cookie(&form, gastvrij_web::LOGIN_CSRF_COOKIE).context("the sign-in page set no CSRF cookie")?;
    let html = form.text().await?;
    let csrf = html
        .split_once(r#"name="csrf" value=""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(token, _)| token.to_string())
        .context("the sign-in page has no csrf field")?;
    let signed_in = http
        .post(format!("{a}/inloggen"))
        .header(reqwest::header::COOKIE, csrf_cookie)
        .form(&[("csrf", csrf.as_str()), ("username", "redacteur-a"), ("password", "wachtwoord van a")])
        .send()
        .await
        .context("POST /inloggen on A")?;
    let session = set_cookie(&signed_in, gastvrij_web::SESSION_COOKIE)
        .with_context(|| format!("signing in on A gave {} without a session cookie", signed_in.status()))?;
    let without = http.get(format!("{b}/medewerkers")).send().await?.status();
    if without.is_success() {
        bail!("node B opened the workspace without a session ({without})");
    }
    let with = http.get(format!("{b}/medewerkers")).header(reqwest::header::COOKIE, session).send().await?.status();
    if !with.is_success() {
        bail!("node B answered {with} to the session made on node A");
    }
    Ok(())
}

/// Editor A writes an article through node A and sends it for review; editor B publishes it
/// (openbaar) there. Returns how long node B's search took to find it after the publication.
async fn article_travels(a: &str, b: &str, tokens: &[String; 2]) -> anyhow::Result<Duration> {
    let http = client()?;
    // A word no other article has, so only this article can match.
    let word = format!("knooppuntproef{}", std::process::id());
    let created: serde_json::Value = http
        .post(format!("{a}/api/v1/kennisbank/articles"))
        .bearer_auth(&tokens[0])
        .json(&serde_json::json!({
            "title": format!("Proefartikel {word}"),
            "question": format!("Hoe werkt de {word}?"),
            "answer": "Dit artikel is gemaakt om te zien of een tweede server het vindt.",
            "public_answer": "Dit artikel laat zien dat de tweede server het vindt.",
            "keywords": [word],
        }))
        .send()
        .await?
        .error_for_status()
        .context("creating the article on A")?
        .json()
        .await?;
    let id = created["id"].as_str().context("the created article has no id")?.to_string();
    for (token, status) in [(&tokens[0], "ter_beoordeling"), (&tokens[1], "openbaar")] {
        let response = http
            .post(format!("{a}/api/v1/kennisbank/articles/{id}/status"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "status": status }))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("setting the article's status to {status} on A: {} {}", response.status(), response.text().await?);
        }
    }
    let published = Instant::now();
    let deadline = published + Duration::from_secs(10);
    loop {
        let found = http
            .get(format!("{b}/api/v1/kennisbank/search?q={word}"))
            .bearer_auth(&tokens[1])
            .send()
            .await?
            .text()
            .await?;
        if found.contains(&id) {
            return Ok(published.elapsed());
        }
        if Instant::now() > deadline {
            bail!("node B did not find the article published on node A within 10 s");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The value (`name=value`) of cookie `name` in a response's `Set-Cookie` headers.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// Mail files a node staged and has not yet confirmed or discarded (`.<id>.<µs>.eml.pending`).
fn staged_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().ends_with(".eml.pending")).count())
        .unwrap_or(0)
}

/// The mail ids (the local part of each `Message-ID`) of the `.eml` files in `dir`; a folder
/// that does not exist holds none.
fn message_ids(dir: &Path) -> anyhow::Result<Vec<String>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(vec![]) };
    let mut ids = vec![];
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "eml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: <").or_else(|| l.strip_prefix("Message-Id: <")))
            .and_then(|rest| rest.split_once('@'))
            .map(|(id, _)| id.to_string())
            .with_context(|| format!("{} has no Message-ID", path.display()))?;
        ids.push(id);
    }
    Ok(ids)
}
