//! `gastvrij bench queue`: the team queue (`/werkplek/zaken`) of a team with 10,000 open cases,
//! server time per page on SQLite and PostgreSQL, beside the plain query that reads the same
//! rows (issue 14: ≤ 100 ms p99).
//!
//! Per backend a fresh database (PostgreSQL: a scratch database, dropped afterwards) gets the
//! demo water board's reference data (teams, employees, topics) and then `--cases` open cases in
//! the team of the demo account `backoffice`, written in batches of 1,000: every case type, a
//! third owned by that employee, 2% urgent, received over the last 60 days with deadlines from the
//! norms (so some are late, some at risk), a tenth suspended. The page is requested in-process
//! through the real router with a signed-in session (no network), so the time is the server's:
//! session check, the queue use case, the store's query, the template. The plain query is the
//! queue's own SQL shape (open cases of the team by deadline, the page's limit) on its own
//! connection, rows fetched and nothing else done.
//!
//! In the same run the team board (`/werkplek/team`, docs/team-board.md) of that team is timed the
//! same way, beside its plain query: one count of the team's open cases (all, without an owner,
//! suspended) on its own connection.

use crate::db::DbArgs;
use anyhow::{Context, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Args;
use gastvrij_app::ports::Batch;
use gastvrij_app::{App, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{Case, CaseInput, CaseStatus, CaseType};
use gastvrij_domain::ids::{CaseId, TeamId};
use gastvrij_store::{Location, OpenMode};
use jiff::{SignedDuration, Timestamp};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tower::ServiceExt as _;

#[derive(Args, Debug)]
pub struct QueueArgs {
    /// Open cases in the team.
    #[arg(long, env = "GASTVRIJ_BENCH_CASES", default_value_t = 10_000)]
    cases: usize,
    /// Measured requests per variant (after 10 not counted).
    #[arg(long, env = "GASTVRIJ_BENCH_RUNS", default_value_t = 200)]
    runs: usize,
    /// A PostgreSQL server: also measure there, in a scratch database.
    #[arg(long, env = "GASTVRIJ_BENCH_POSTGRES")]
    postgres: Option<String>,
    /// Scratch folder for the SQLite database (must not hold one yet).
    #[arg(long, env = "GASTVRIJ_BENCH_DATA")]
    data: Option<PathBuf>,
}

const GOAL: Duration = Duration::from_millis(100);
const USER: (&str, &str) = ("backoffice", "demo-backoffice-wachtwoord");

/// Per backend: (name, page p50, page p99, query p50, query p99, rows on the page), and the
/// board's page and plain query (p50, p99).
struct Row {
    name: &'static str,
    page: Percentiles,
    query: Percentiles,
    shown: usize,
    board: Percentiles,
    board_query: Percentiles,
}

/// p50 and p99 of a series of timings.
pub(crate) type Percentiles = (Duration, Duration);

pub async fn run(args: QueueArgs) -> anyhow::Result<()> {
    println!("queue benchmark: GET /werkplek/zaken in-process (server time), {} open cases in one team", args.cases);
    let dir = args
        .data
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("gastvrij-bench-queue-{}", std::process::id())));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    if let Location::Sqlite(file) = Location::resolve(None, &dir)?
        && file.exists()
    {
        bail!("{} already holds a database; the benchmark needs a fresh one: choose another --data", file.display());
    }
    let mut rows = vec![measure("SQLite", &DbArgs { data: dir.clone(), database: None }, &args).await?];
    if args.data.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    if let Some(url) = &args.postgres {
        let scratch =
            crate::bench_scratch::ScratchPostgres::create(url, format!("gastvrij_bench_queue_{}", std::process::id()))
                .await?;
        let db = DbArgs { data: std::env::temp_dir(), database: Some(scratch.url.clone()) };
        let result = measure("PostgreSQL", &db, &args).await;
        scratch.drop().await?;
        rows.push(result?);
    }
    let queue: Vec<_> = rows.iter().map(|r| (r.name, r.page, r.query, r.shown.to_string())).collect();
    print_table("page", "rows", &queue);
    let board: Vec<_> = rows.iter().map(|r| (r.name, r.board, r.board_query, String::new())).collect();
    print_table("board", "", &board);
    println!("(p50/p99 over {} requests each; page/query is the ratio of the p99s)", args.runs);
    Ok(())
}

async fn measure(name: &'static str, db: &DbArgs, args: &QueueArgs) -> anyhow::Result<Row> {
    let app = crate::db::app(db.open(OpenMode::CreateIfMissing).await?);
    let until = jiff::ZonedDateTime::now().date();
    let config = gastvrij_demo::DemoConfig { scale: 0.001, seed: 2026, until };
    gastvrij_demo::seed(&app, &config, &|_| {}).await.context("seeding the demo water board")?;
    let session = app.open_session(USER.0, USER.1).await.context("signing in as the demo back-office employee")?;
    let me = session.principal.employee_id().context("the demo account is an employee")?;
    let team = app.employee(&Principal::system(), me).await?.team_id.context("the demo account has a team")?;
    let seeded = seed_cases(&app, team, me, args.cases).await?;
    println!("[{name}] {seeded} open cases written to the team of '{}'", USER.0);

    let router = gastvrij_web::router(gastvrij_web::AppState::new(app.clone()));
    let cookie = format!("{}={}", gastvrij_web::SESSION_COOKIE, session.token);
    let mut page = vec![];
    let mut shown = 0;
    for i in 0..args.runs + 10 {
        let request = Request::get("/werkplek/zaken").header("cookie", &cookie).body(Body::empty())?;
        let started = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let took = started.elapsed();
        if status != StatusCode::OK {
            bail!("[{name}] the queue answered {status}: {}", String::from_utf8_lossy(&body));
        }
        shown = String::from_utf8_lossy(&body).matches("href=\"/werkplek/zaken/").count();
        if i >= 10 {
            page.push(took);
        }
    }
    let query = plain_query(db, team, QUEUE_SQL, args.runs).await?;
    println!("[{name}] page p99 {:?}, plain query p99 {:?}", percentile(&page, 0.99), percentile(&query, 0.99));
    let board = timed(args.runs, || async {
        let request = Request::get("/werkplek/team").header("cookie", &cookie).body(Body::empty())?;
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        if status != StatusCode::OK {
            bail!("[{name}] the board answered {status}: {}", String::from_utf8_lossy(&body));
        }
        Ok(())
    })
    .await?;
    let board_query = plain_query(db, team, BOARD_SQL, args.runs).await?;
    println!("[{name}] board p99 {:?}, plain query p99 {:?}", percentile(&board, 0.99), percentile(&board_query, 0.99));
    let p = |v: &[Duration]| (percentile(v, 0.5), percentile(v, 0.99));
    Ok(Row { name, page: p(&page), query: p(&query), shown, board: p(&board), board_query: p(&board_query) })
}

/// One table: per backend the page's and its plain query's p50 and p99, the ratio of the p99s,
/// an `extra` column and whether the page meets the goal.
fn print_table(what: &str, extra: &str, rows: &[(&str, Percentiles, Percentiles, String)]) {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "\n{:<12} {:>12} {:>12} {:>14} {:>14} {:>10} {:>8}  goal: {what} p99 ≤ 100 ms",
        "backend",
        format!("{what} p50"),
        format!("{what} p99"),
        "query p50",
        "query p99",
        format!("{what}/query"),
        extra
    );
    for (name, page, query, more) in rows {
        println!(
            "{:<12} {:>12} {:>12} {:>14} {:>14} {:>9.1}x {:>8}  {}",
            name,
            ms(page.0),
            ms(page.1),
            ms(query.0),
            ms(query.1),
            page.1.as_secs_f64() / query.1.as_secs_f64().max(1e-9),
            more,
            if page.1 <= GOAL { "met" } else { "NOT met" }
        );
    }
}

/// `n` open cases in `team`, in batches of 1,000; a third owned by `owner`.
async fn seed_cases(
    app: &App,
    team: TeamId,
    owner: gastvrij_domain::ids::EmployeeId,
    n: usize,
) -> anyhow::Result<usize> {
    let now = app.now();
    let topics = app.topics(&Principal::system()).await?;
    let settings = app.settings();
    let types = [CaseType::Vraag, CaseType::Melding, CaseType::Klacht, CaseType::Verzoek, CaseType::Vergunningaanvraag];
    let year = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    let mut written = 0;
    for chunk_start in (0..n).step_by(1000) {
        let mut cases = vec![];
        for i in chunk_start..(chunk_start + 1000).min(n) {
            let case_type = types[i % types.len()];
            // Received over the last 60 days, the newest first.
            let received: Timestamp = now - SignedDuration::from_mins(i as i64 * 86_400 / n.max(1) as i64);
            let input = CaseInput {
                case_type,
                team_id: team,
                topic_id: topics.get(i % topics.len().max(1)).map(|t| t.id),
                owner_id: (i % 3 == 0).then_some(owner),
                customer_id: None,
                contact_id: None,
                subject: format!("Bench zaak {i}: water in de kelder aan de Dijkweg"),
                intent: None,
                urgent: case_type == CaseType::Melding && i % 50 == 0,
            };
            let mut case = Case::create(input, None, received)?;
            case.id = CaseId::new();
            case.reference = format!("BQ-{year}-{:06}", i + 1);
            if let Some(norm) = settings.norms.for_case_type(case_type)
                && let Ok(calendar) = settings.calendars.get(&norm.calendar)
            {
                case.recompute_deadlines(norm, calendar, None, "aangemaakt", received)?;
            }
            if i % 10 == 5 && case.status.can_become(CaseStatus::Opgeschort) {
                let _ = case.change_status(CaseStatus::Opgeschort, None, Some("wacht op klant"), received);
            }
            cases.push(case);
        }
        written += cases.len();
        let batch = Batch { cases, ..Default::default() };
        let change = Change::new(Actor::System, now, "bench.queue_cases", "bench", "");
        app.store().insert_batch(&batch, &change).await?;
    }
    Ok(written)
}

/// The queue's SQL shape alone: open cases of the team, nearest deadline first, the page's limit
/// (one page and the one case that tells whether a next page follows).
const QUEUE_SQL: &str = "SELECT id, reference, case_type, subject, status, owner_id, service_norm_due FROM cases \
     WHERE team_id = $1 AND status IN ('ontvangen', 'in_behandeling', 'opgeschort') \
     ORDER BY CASE WHEN urgent AND owner_id IS NULL THEN 0 ELSE 1 END, \
     CASE WHEN service_norm_due IS NULL THEN 1 ELSE 0 END, service_norm_due, id LIMIT 51";

/// The board's plainest figures in one statement: the team's open cases, those without an
/// owner and those suspended.
const BOARD_SQL: &str = "SELECT COUNT(*), SUM(CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'opgeschort' THEN 1 ELSE 0 END) FROM cases \
     WHERE team_id = $1 AND status IN ('ontvangen', 'in_behandeling', 'opgeschort')";

/// `runs` timings of `sql` (with the team bound) on its own read-only connection.
async fn plain_query(db: &DbArgs, team: TeamId, sql: &'static str, runs: usize) -> anyhow::Result<Vec<Duration>> {
    let team = team.to_string();
    match db.location(OpenMode::MustExist)? {
        Location::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
            time_query(sqlx::SqlitePool::connect_with(options).await?, sql, &team, runs).await
        }
        Location::Postgres(url) => time_query(sqlx::PgPool::connect(&url).await?, sql, &team, runs).await,
    }
}

/// `runs` timings of `sql` with `team` bound, all rows fetched, on `pool` (closed afterwards).
async fn time_query<DB: sqlx::Database>(
    pool: sqlx::Pool<DB>,
    sql: &'static str,
    team: &str,
    runs: usize,
) -> anyhow::Result<Vec<Duration>>
where
    for<'c> &'c sqlx::Pool<DB>: sqlx::Executor<'c, Database = DB>,
    for<'q> <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let took = timed(runs, || async {
        std::hint::black_box(sqlx::query(sql).bind(team).fetch_all(&pool).await?);
        Ok(())
    })
    .await;
    pool.close().await;
    took
}

/// `runs` timings of `once`, after 10 that are not counted.
pub(crate) async fn timed<F, Fut>(runs: usize, mut once: F) -> anyhow::Result<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut took = vec![];
    for i in 0..runs + 10 {
        let started = Instant::now();
        once().await?;
        if i >= 10 {
            took.push(started.elapsed());
        }
    }
    Ok(took)
}

pub(crate) fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    sorted.get(((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or_default()
}
