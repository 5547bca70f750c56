//! `gastvrij bench intake`: sustained meldingen per second through the public HTTP endpoint
//! (`POST /melding`, multipart, over real TCP on 127.0.0.1) on SQLite and PostgreSQL, with
//! latency percentiles, beside the raw insert rate of the same database in the same run (the
//! same rows written straight through the `Store` port); and the bytes of the public pages.
//!
//! Per backend: a fresh database (SQLite in a scratch folder, PostgreSQL a scratch database that
//! is dropped afterwards), migrated and seeded with the demo water board's organisation, teams,
//! employees and topics and a token history (scale 0.001). The real router is served in this
//! process, with the per-address submission limit off; the load generator keeps `concurrency`
//! requests in flight, each client on its own keep-alive connection with its own form cookie.

use crate::bench_meldingen::{BOUNDARY, melding, multipart, prepared, sample_jpeg};
use crate::db::DbArgs;
use anyhow::{Context, bail};
use clap::Args;
use gastvrij_app::group_commit::SubmissionWriter;
use gastvrij_app::ports::NewSubmission;
use gastvrij_app::{App, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::topic::Topic;
use gastvrij_store::OpenMode;
use gastvrij_web::AppState;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const GOAL_RATE: f64 = 1_000.0;
const GOAL_P99: Duration = Duration::from_millis(100);
const GOAL_RATIO: f64 = 0.5;
const GOAL_PAGE_BYTES: usize = 50_000;
const FLOOD: f64 = 100_000.0;
const FLOOD_GOAL_SECONDS: f64 = 120.0;
/// More failed requests than this share fails the run.
const MAX_ERROR_SHARE: f64 = 0.001;
/// The demo's volume multiplier for the seed: reference data and about 100 contacts.
const SEED_SCALE: f64 = 0.001;

#[derive(Args, Debug)]
pub struct IntakeArgs {
    /// Meldingen per backend, through HTTP and again as raw inserts (100000 for the flood figure).
    #[arg(long, env = "GASTVRIJ_BENCH_SUBMISSIONS", default_value_t = 20_000)]
    pub submissions: usize,
    /// Requests (and raw inserts) in flight at once.
    #[arg(long, env = "GASTVRIJ_BENCH_CONCURRENCY", default_value_t = 32)]
    pub concurrency: usize,
    /// Also measure on this PostgreSQL server (a scratch database is created and dropped).
    #[arg(long, env = "GASTVRIJ_BENCH_POSTGRES")]
    pub postgres: Option<String>,
    /// Scratch folder for the SQLite database, kept afterwards (default: a temporary folder, removed).
    #[arg(long, env = "GASTVRIJ_BENCH_DATA")]
    pub data: Option<PathBuf>,
    /// Attach one small JPEG (about 20 KB) to every melding.
    #[arg(long)]
    pub photos: bool,
}

/// One finished request or insert.
struct Sample {
    done: Instant,
    took: Duration,
    /// `None` when it did what was expected; else what came back.
    error: Option<String>,
}

/// The figures of one measured phase.
struct Phase {
    total: usize,
    measured: usize,
    rate: f64,
    p50: Duration,
    p95: Duration,
    p99: Duration,
    max: Duration,
    errors: usize,
    error_kinds: BTreeMap<String, usize>,
}

struct Backend {
    name: &'static str,
    http: Phase,
    /// The same rows through the group-commit writer the HTTP path uses (the baseline).
    raw: Phase,
    /// The same rows, one transaction each (`Store::insert_submission`).
    raw_single: Phase,
    stored: i64,
    incidents: usize,
    /// The grouping read per melding: mean time and rows.
    grouping_read: (Duration, usize),
}

impl Backend {
    fn ratio(&self) -> f64 {
        self.http.rate / self.raw.rate.max(1e-9)
    }
    fn flood_seconds(&self) -> f64 {
        FLOOD / self.http.rate.max(1e-9)
    }
}

pub async fn run(args: IntakeArgs) -> anyhow::Result<()> {
    if args.submissions == 0 || args.concurrency == 0 {
        bail!("--submissions and --concurrency must be at least 1");
    }
    // reqwest is built without a TLS crypto provider of its own; plain HTTP needs none, but the
    // client insists on one being installed (as the OIDC provider does).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let photo = if args.photos { Some(sample_jpeg()?) } else { None };
    let warm = (args.submissions / 50).max(1).min(args.submissions - 1);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("intake benchmark: meldingen through POST /melding, multipart, over TCP on 127.0.0.1");
    println!(
        "machine: {cores} cores; server and load generator share them in one process (tokio multi-thread runtime)"
    );
    println!(
        "settings: {} meldingen per backend, {} in flight, first {} not counted (warm-up); raw inserts: the same \
         number again, same concurrency",
        thousands(args.submissions as f64),
        args.concurrency,
        warm
    );
    println!(
        "per-address submission limit: OFF (AppState::with_submission_limit(0)); all requests come from 127.0.0.1"
    );
    match &photo {
        Some(p) => println!("photos: one {} KB JPEG per melding (--photos)", p.len() / 1024),
        None => println!("photos: none (an empty file field, as a browser sends it; add --photos for one JPEG each)"),
    }

    let mut results = vec![];
    let mut pages = None;
    let (dir, temporary) = match &args.data {
        Some(d) => (d.clone(), false),
        None => (std::env::temp_dir().join(format!("gastvrij_bench_intake_{}", std::process::id())), true),
    };
    let sqlite = sqlite_backend(&dir, &args, warm, photo.as_deref(), &mut pages).await;
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    results.push(sqlite?);
    match args.postgres.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => results.push(postgres_backend(url, &args, warm, photo.as_deref()).await?),
        None => println!("(PostgreSQL skipped: pass --postgres URL)"),
    }
    println!();
    print_table(&results);
    if let Some(pages) = &pages {
        println!();
        print_pages(pages);
    }
    println!();
    let missed = missed_goals(&results, pages.as_deref().unwrap_or_default());
    if missed.is_empty() {
        println!("all goals met");
    } else {
        for m in &missed {
            println!("GOAL MISSED: {m}");
        }
    }
    for b in &results {
        if b.http.errors as f64 > MAX_ERROR_SHARE * b.http.total as f64
            || b.raw.errors as f64 > MAX_ERROR_SHARE * b.raw.total as f64
        {
            bail!(
                "{}: {} of {} HTTP submissions and {} of {} raw inserts failed (more than 0.1%); the figures do not \
                 count; see the error kinds above",
                b.name,
                b.http.errors,
                b.http.total,
                b.raw.errors,
                b.raw.total
            );
        }
    }
    Ok(())
}

async fn sqlite_backend(
    dir: &Path,
    args: &IntakeArgs,
    warm: usize,
    photo: Option<&[u8]>,
    pages: &mut Option<Vec<PageSize>>,
) -> anyhow::Result<Backend> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating the scratch folder {}", dir.display()))?;
    if let gastvrij_store::Location::Sqlite(file) = gastvrij_store::Location::resolve(None, dir)?
        && file.exists()
    {
        bail!("{} already holds a database; the benchmark needs a fresh one: choose another --data", file.display());
    }
    let db = DbArgs { data: dir.to_path_buf(), database: None };
    measure("SQLite", &db, args, warm, photo, Some(pages)).await
}

async fn postgres_backend(url: &str, args: &IntakeArgs, warm: usize, photo: Option<&[u8]>) -> anyhow::Result<Backend> {
    let scratch =
        crate::bench_scratch::ScratchPostgres::create(url, format!("gastvrij_bench_intake_{}", std::process::id()))
            .await?;
    println!("PostgreSQL scratch database: {} (dropped afterwards)", scratch.name());
    let db = DbArgs { data: std::env::temp_dir(), database: Some(scratch.url.clone()) };
    let result = measure("PostgreSQL", &db, args, warm, photo, None).await;
    let dropped = scratch.drop().await;
    let backend = result?;
    dropped?;
    Ok(backend)
}

/// Seed, measure raw inserts, serve, measure HTTP intake (and the page sizes once).
async fn measure(
    name: &'static str,
    db: &DbArgs,
    args: &IntakeArgs,
    warm: usize,
    photo: Option<&[u8]>,
    pages: Option<&mut Option<Vec<PageSize>>>,
) -> anyhow::Result<Backend> {
    let app = crate::db::app(db.open(OpenMode::CreateIfMissing).await?);
    let until = jiff::ZonedDateTime::now().date();
    let config = gastvrij_demo::DemoConfig { scale: SEED_SCALE, seed: 2026, until };
    let summary = gastvrij_demo::seed(&app, &config, &|_| {}).await.context("seeding the demo water board")?;
    let who = Principal::system();
    let topics = app.topics(&who).await?;
    let choices: Vec<String> = app.public_topics().await?.iter().map(|t| t.topic.id.to_string()).collect();
    println!(
        "\n[{name}] fresh database: demo organisation, {} teams, {} employees, {} topics; {} customers, {} contacts, \
         {} cases of history (demo scale {SEED_SCALE})",
        summary.teams, summary.employees, summary.topics, summary.customers, summary.contacts, summary.cases
    );

    // Raw: the same rows, built beforehand as App::submit builds them, written through the port:
    // one transaction each, and with the group commit App::submit uses.
    let n = args.submissions;
    let before = app.store().count_contacts().await?;
    let mut raws = vec![];
    for (mode, offset) in [(RawMode::OneTransactionEach, 2 * n), (RawMode::GroupCommit, 3 * n)] {
        let mut built = Vec::with_capacity(n);
        for i in 0..n {
            built.push(prepared(&app, &melding(offset + i, &choices), photo).await?);
        }
        settle(db).await?;
        let phase = summarise(raw_inserts(&app, Arc::new(built), args.concurrency, mode).await, warm);
        println!(
            "[{name}] raw inserts ({}): {} /s, p50 {}, p99 {}, {} errors",
            mode.label(),
            thousands(phase.rate),
            ms(phase.p50),
            ms(phase.p99),
            phase.errors
        );
        raws.push(phase);
    }
    let (raw, raw_single) = (raws.pop().context("two raw phases")?, raws.pop().context("two raw phases")?);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("listening on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let router = gastvrij_web::router(AppState::new(app.clone()).with_submission_limit(0));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let base = format!("http://{addr}");
    if let Some(pages) = pages {
        *pages = Some(page_sizes(&base).await?);
    }
    let middle = app.store().count_contacts().await?;
    settle(db).await?;
    let samples = http_intake(&base, n, args.concurrency, Arc::new(choices), photo).await;
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    let http = summarise(samples?, warm);
    let grouping_read = grouping_read(&app, &topics).await?;
    let after = app.store().count_contacts().await?;
    let incidents = app.store().incidents(false).await?.len();
    println!(
        "[{name}] HTTP intake: {} /s, p50 {}, p99 {}, {} errors; stored {} (raw {}), {incidents} incidents grouped",
        thousands(http.rate),
        ms(http.p50),
        ms(http.p99),
        http.errors,
        after - middle,
        middle - before
    );
    if (after - middle) as usize != http.total - http.errors {
        bail!(
            "{name}: {} submissions were answered with a confirmation but {} contacts were stored",
            http.total - http.errors,
            after - middle
        );
    }
    Ok(Backend { name, http, raw, raw_single, stored: after - middle, incidents, grouping_read })
}

/// Between phases: write the database's log into its files (SQLite: a truncating checkpoint;
/// PostgreSQL: CHECKPOINT and VACUUM ANALYZE), so no phase pays for the writes of the one before.
async fn settle(db: &DbArgs) -> anyhow::Result<()> {
    use sqlx::Connection as _;
    match db.location(OpenMode::MustExist)? {
        gastvrij_store::Location::Sqlite(file) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&file);
            let mut c = sqlx::SqliteConnection::connect_with(&options).await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut c).await?;
            c.close().await?;
        }
        gastvrij_store::Location::Postgres(url) => {
            let mut c = sqlx::PgConnection::connect(&url).await?;
            sqlx::query("CHECKPOINT")
                .execute(&mut c)
                .await
                .context("CHECKPOINT (needs a superuser or pg_checkpoint)")?;
            sqlx::query("VACUUM ANALYZE").execute(&mut c).await?;
            c.close().await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Load

pub(crate) fn client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1)
        .build()
        .context("building the HTTP client")
}

/// `concurrency` clients, each on its own connection with its own form cookie, sharing one queue
/// of `n` meldingen.
async fn http_intake(
    base: &str,
    n: usize,
    concurrency: usize,
    choices: Arc<Vec<String>>,
    photo: Option<&[u8]>,
) -> anyhow::Result<Vec<Sample>> {
    let next = Arc::new(AtomicUsize::new(0));
    let photo: Option<Arc<[u8]>> = photo.map(Arc::from);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(n) {
        let (base, next, choices, photo) = (base.to_string(), next.clone(), choices.clone(), photo.clone());
        tasks.spawn(async move { client_loop(&base, &next, n, &choices, photo.as_deref()).await });
    }
    let mut samples = Vec::with_capacity(n);
    while let Some(done) = tasks.join_next().await {
        samples.extend(done.context("a load task panicked")??);
    }
    Ok(samples)
}

async fn client_loop(
    base: &str,
    next: &AtomicUsize,
    n: usize,
    choices: &[String],
    photo: Option<&[u8]>,
) -> anyhow::Result<Vec<Sample>> {
    let client = client()?;
    let url = format!("{base}/melding");
    let page = client.get(&url).send().await.context("GET /melding")?;
    let cookie = crate::bench_meldingen::form_cookie(&page).context("GET /melding set no gv_formulier cookie")?;
    let html = page.text().await?;
    let csrf = html
        .split_once(r#"name="csrf" value=""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(token, _)| token.to_string())
        .context("the form at /melding has no csrf field")?;
    let mut samples = vec![];
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= n {
            break;
        }
        // Other content than the raw inserts got: offset the index.
        let body = multipart(&csrf, &melding(n + i, choices), photo);
        let started = Instant::now();
        let response = client
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(reqwest::header::COOKIE, &cookie)
            .body(body)
            .send()
            .await;
        let error = match response {
            Ok(r) => {
                let status = r.status();
                let location = r.headers().get(reqwest::header::LOCATION).and_then(|l| l.to_str().ok());
                let ok =
                    status == reqwest::StatusCode::SEE_OTHER && location.is_some_and(|l| l.starts_with("/ontvangen/"));
                let error = (!ok).then(|| format!("HTTP {} {}", status.as_u16(), location.unwrap_or_default()));
                match r.bytes().await {
                    Ok(_) => error,
                    Err(e) => Some(format!("reading the response: {e}")),
                }
            }
            Err(e) => Some(format!("request failed: {e}")),
        };
        samples.push(Sample { done: Instant::now(), took: started.elapsed(), error });
    }
    Ok(samples)
}

#[derive(Clone, Copy)]
enum RawMode {
    OneTransactionEach,
    GroupCommit,
}

impl RawMode {
    fn label(self) -> &'static str {
        match self {
            RawMode::OneTransactionEach => "one transaction each",
            RawMode::GroupCommit => "group commit",
        }
    }
}

async fn raw_inserts(
    app: &App,
    built: Arc<Vec<(NewSubmission, Change)>>,
    concurrency: usize,
    mode: RawMode,
) -> Vec<Sample> {
    let next = Arc::new(AtomicUsize::new(0));
    let writer = SubmissionWriter::start(app.store().clone());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(built.len()) {
        let (store, built, next, writer) = (app.store().clone(), built.clone(), next.clone(), writer.clone());
        tasks.spawn(async move {
            let mut samples = vec![];
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((new, change)) = built.get(i) else { break };
                let started = Instant::now();
                let result = match mode {
                    RawMode::OneTransactionEach => store.insert_submission(new, change).await,
                    RawMode::GroupCommit => writer.write(new.clone(), change.clone()).await,
                };
                samples.push(Sample {
                    done: Instant::now(),
                    took: started.elapsed(),
                    error: result.err().map(|e| format!("insert failed: {e}")),
                });
            }
            samples
        });
    }
    let mut samples = Vec::with_capacity(built.len());
    while let Some(done) = tasks.join_next().await {
        samples.extend(done.unwrap_or_default());
    }
    samples
}

/// The one read `App::submit` makes per melding with a place — the reports near it in the last
/// 6 hours, for grouping — timed alone (one at a time, idle server, the database as the run left
/// it). Topics, teams and the organisation come from a copy read at most once a second.
async fn grouping_read(app: &App, topics: &[Topic]) -> anyhow::Result<(Duration, usize)> {
    const ROUNDS: usize = 200;
    let since = app.now() - jiff::SignedDuration::from_hours(gastvrij_domain::portal::INCIDENT_WINDOW_HOURS);
    let (mut took, mut rows) = (Duration::ZERO, 0);
    for i in 0..ROUNDS {
        let point = gastvrij_domain::portal::GeoPoint {
            lat: 51.8 + (i % 50) as f64 / 100.0,
            lon: 4.2 + (i % 80) as f64 / 100.0,
        };
        let place = gastvrij_domain::portal::Location { point: Some(point), ..Default::default() };
        let area = place.near_area().context("a point has an area")?;
        let started = Instant::now();
        rows += app.store().recent_reports(topics[i % topics.len()].id, since, &area).await?.len();
        took += started.elapsed();
    }
    Ok((took / ROUNDS as u32, rows / ROUNDS))
}

/// Throughput over everything finished after the warm-up; latency of the same requests.
fn summarise(mut samples: Vec<Sample>, warm: usize) -> Phase {
    samples.sort_by_key(|s| s.done);
    let total = samples.len();
    let mut error_kinds = BTreeMap::new();
    for s in &samples {
        if let Some(e) = &s.error {
            *error_kinds.entry(e.chars().take(120).collect::<String>()).or_insert(0) += 1;
        }
    }
    let errors = error_kinds.values().sum();
    let warm = warm.min(total.saturating_sub(1));
    let counted = &samples[warm..];
    let rate = match (warm.checked_sub(1).and_then(|w| samples.get(w)), samples.last()) {
        (Some(first), Some(last)) if last.done > first.done => {
            counted.len() as f64 / last.done.duration_since(first.done).as_secs_f64()
        }
        _ => 0.0,
    };
    let mut took: Vec<Duration> = counted.iter().map(|s| s.took).collect();
    took.sort();
    let pct = |p: f64| took.get(((took.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default();
    Phase {
        total,
        measured: counted.len(),
        rate,
        p50: pct(0.50),
        p95: pct(0.95),
        p99: pct(0.99),
        max: took.last().copied().unwrap_or_default(),
        errors,
        error_kinds,
    }
}

/// Bytes of a public page or asset: as served to a client that accepts no compression, and on the
/// wire to a browser that accepts gzip (the stylesheets and scripts are compressed; pages never
/// are, so for a page both figures are the same).
#[derive(Debug, Clone)]
pub struct PageSize {
    path: String,
    plain: usize,
    wire: usize,
}

async fn page_sizes(base: &str) -> anyhow::Result<Vec<PageSize>> {
    let client = client()?;
    let mut out = vec![];
    for path in ["/", "/vraag", "/melding", "/klacht", "/static/gastvrij.css", "/static/portaal.js"] {
        let mut sizes = [0; 2];
        for (size, accept) in sizes.iter_mut().zip(["identity", "gzip"]) {
            let r = client
                .get(format!("{base}{path}"))
                .header("accept-encoding", accept)
                .send()
                .await
                .with_context(|| format!("GET {path}"))?;
            if !r.status().is_success() {
                bail!("GET {path} answered {}", r.status());
            }
            *size = r.bytes().await?.len();
        }
        out.push(PageSize { path: path.to_string(), plain: sizes[0], wire: sizes[1] });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Output

fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn yes(ok: bool) -> &'static str {
    if ok { "yes" } else { "NO" }
}

fn print_table(results: &[Backend]) {
    let mut header = format!("{:<30}", "");
    for b in results {
        header.push_str(&format!(" {:>14}", b.name));
    }
    println!("{header} {:>4}goal", "");
    let row = |label: &str, cell: &dyn Fn(&Backend) -> String, goal: &str| {
        let mut line = format!("{label:<30}");
        for b in results {
            line.push_str(&format!(" {:>14}", cell(b)));
        }
        println!("{line}    {goal}");
    };
    row("HTTP submissions/s", &|b| thousands(b.http.rate), "≥ 1,000 (SQLite)");
    row("HTTP p50", &|b| ms(b.http.p50), "");
    row("HTTP p95", &|b| ms(b.http.p95), "");
    row("HTTP p99", &|b| ms(b.http.p99), "≤ 100 ms (SQLite)");
    row("HTTP max", &|b| ms(b.http.max), "");
    row("HTTP errors", &|b| format!("{} of {}", b.http.errors, b.http.total), "≤ 0.1%");
    row("stored (contacts)", &|b| thousands(b.stored as f64), "");
    row("incidents grouped", &|b| b.incidents.to_string(), "");
    row("raw inserts/s (group commit)", &|b| thousands(b.raw.rate), "");
    row("raw p50", &|b| ms(b.raw.p50), "");
    row("raw p99", &|b| ms(b.raw.p99), "");
    row("raw inserts/s (1 tx each)", &|b| thousands(b.raw_single.rate), "");
    row("raw p50 (1 tx each)", &|b| ms(b.raw_single.p50), "");
    row("raw p99 (1 tx each)", &|b| ms(b.raw_single.p99), "");
    row("HTTP intake / raw insert", &|b| format!("{:.0}%", b.ratio() * 100.0), "≥ 50%");
    row("100,000 reports take", &|b| format!("{:.0} s", b.flood_seconds()), "< 120 s (SQLite)");
    row(
        "goals met",
        &|b| {
            let mut ok = b.ratio() >= GOAL_RATIO;
            if b.name == "SQLite" {
                ok &= b.http.rate >= GOAL_RATE && b.http.p99 <= GOAL_P99;
            }
            yes(ok).to_string()
        },
        "",
    );
    println!(
        "(throughput over the {} submissions after the warm-up; latency per request from the client, send to full \
         response; raw inserts write the same rows through the Store port without HTTP, parsing, validation or \
         grouping reads: with the group commit App::submit uses (the baseline of the ratio), and one transaction \
         each)",
        thousands(results.first().map_or(0.0, |b| b.http.measured as f64))
    );
    for b in results {
        let (took, rows) = b.grouping_read;
        println!(
            "{}: the grouping read per melding (reports near it in 6 hours), alone after the run: {:.2} ms, {rows} rows; \
             topics, teams and organisation are read at most once a second",
            b.name,
            took.as_secs_f64() * 1000.0
        );
    }
    for b in results {
        for (kind, count) in
            b.http.error_kinds.iter().chain(&b.raw.error_kinds).chain(&b.raw_single.error_kinds).take(10)
        {
            println!("{} error ×{count}: {kind}", b.name);
        }
    }
}

fn stylesheet(pages: &[PageSize]) -> (usize, usize) {
    pages.iter().find(|p| p.path == "/static/gastvrij.css").map_or((0, 0), |p| (p.plain, p.wire))
}

fn print_pages(pages: &[PageSize]) {
    let (css, css_wire) = stylesheet(pages);
    println!(
        "{:<24} {:>8} {:>10} {:>10} {:>14} {:>12}",
        "public page", "HTML", "+ CSS", "total", "on the wire", "≤ 50 KB"
    );
    for p in pages.iter().filter(|p| !p.path.starts_with("/static/")) {
        println!(
            "{:<24} {:>8} {:>10} {:>10} {:>14} {:>12}",
            p.path,
            thousands(p.plain as f64),
            thousands(css as f64),
            thousands((p.plain + css) as f64),
            thousands((p.wire + css_wire) as f64),
            yes(p.wire + css_wire <= GOAL_PAGE_BYTES)
        );
    }
    if let Some(js) = pages.iter().find(|p| p.path == "/static/portaal.js") {
        println!(
            "{:<24} {:>8} {:>32}  (script, loaded with defer; {} on the wire)",
            "/static/portaal.js",
            thousands(js.plain as f64),
            "",
            thousands(js.wire as f64)
        );
    }
    println!(
        "(bytes of the response bodies; \"total\" uncompressed, \"on the wire\" as a browser receives them: the \
         stylesheet gzip-compressed ({} bytes), pages never compressed; 50 KB = 50,000 bytes, judged on the wire)",
        thousands(css_wire as f64)
    );
}

fn missed_goals(results: &[Backend], pages: &[PageSize]) -> Vec<String> {
    let mut missed = vec![];
    for b in results {
        if b.name == "SQLite" {
            if b.http.rate < GOAL_RATE {
                missed.push(format!("SQLite intake {} submissions/s < 1,000/s", thousands(b.http.rate)));
            }
            if b.http.p99 > GOAL_P99 {
                missed.push(format!("SQLite p99 {} > 100 ms", ms(b.http.p99)));
            }
            if b.flood_seconds() >= FLOOD_GOAL_SECONDS {
                missed.push(format!("SQLite: 100,000 reports take {:.0} s ≥ 120 s", b.flood_seconds()));
            }
        }
        if b.ratio() < GOAL_RATIO {
            missed.push(format!("{} HTTP intake is {:.0}% of the raw insert rate < 50%", b.name, b.ratio() * 100.0));
        }
    }
    let (_, css_wire) = stylesheet(pages);
    for p in pages.iter().filter(|p| !p.path.starts_with("/static/")) {
        if p.wire + css_wire > GOAL_PAGE_BYTES {
            missed.push(format!(
                "page {} with CSS is {} bytes on the wire > 50,000",
                p.path,
                thousands((p.wire + css_wire) as f64)
            ));
        }
    }
    missed
}
