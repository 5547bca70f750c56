//! `gastvrij bench monitor`: the figure pages of issue 15 (Monitor) over an existing database,
//! e.g. the demo at scale 100: server time per page beside the same figures from a plain GROUP BY
//! over the raw tables, in the same run (goal: p99 ≤ 200 ms per page).
//!
//! The database is opened and migrated (a new roll-up's backfill is timed), the roll-ups are
//! brought up to date (timed), and then every page is requested in-process through the real
//! router as the signed-in demo team lead (no network): session check, the use case with its
//! store reads, the template. Each page with the default period and with the last `--days` days.
//! Beside it the baseline: the same figures from the raw tables (`--baseline-runs` times, as a
//! scan of a year at scale 100 takes seconds). The baseline's figures must equal the page's
//! use-case figures; a mismatch is printed and the command exits non-zero.

use crate::bench_queue::{Percentiles, percentile, timed};
use crate::db::DbArgs;
use anyhow::{Context, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Args;
use gastvrij_app::App;
use gastvrij_app::contact_figures::ContactFiguresQuery;
use gastvrij_app::norms::{GroupBy, Source};
use gastvrij_store::{Location, OpenMode};
use jiff::civil::Date;
use jiff::{SignedDuration, ToSpan};
use std::time::{Duration, Instant};
use tower::ServiceExt as _;

#[derive(Args, Debug)]
pub struct MonitorArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Measured requests per page and period (after 10 not counted).
    #[arg(long, env = "GASTVRIJ_BENCH_RUNS", default_value_t = 20)]
    runs: usize,
    /// The long period: the last D days.
    #[arg(long, default_value_t = 365)]
    days: i64,
    /// Runs of each baseline (plain GROUP BY over the raw tables).
    #[arg(long, default_value_t = 3)]
    baseline_runs: usize,
}

const GOAL: Duration = Duration::from_millis(200);
const USER: (&str, &str) = ("teamleider", "demo-teamleider-wachtwoord");

/// One line of the table.
struct Line {
    page: String,
    period: &'static str,
    page_times: Percentiles,
    baseline: Option<Percentiles>,
    check: &'static str,
}

pub async fn run(args: MonitorArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = args.db.open(OpenMode::MustExist).await?;
    let applied = db.migrate().await.context("migrating the database")?;
    println!("migrations {applied:?} applied in {:.1} s", started.elapsed().as_secs_f64());
    let app = crate::db::app(db);
    let contacts = app.store().count_contacts().await?;
    println!("database with {contacts} contacts");
    let started = Instant::now();
    let markers = app.refresh_rollups().await?;
    println!("norm roll-ups brought up to date: {markers} markers in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let hours = app.refresh_contact_rollups().await?;
    println!("contact roll-ups brought up to date: {hours} hours in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let hours = app.refresh_journey_rollups().await?;
    println!("journey roll-ups brought up to date: {hours} hours in {:.1} s", started.elapsed().as_secs_f64());

    let session = app.open_session(USER.0, USER.1).await.context("signing in as the demo team lead")?;
    let who = session.principal.clone();
    let router = gastvrij_web::router(gastvrij_web::AppState::new(app.clone()));
    let cookie = format!("{}={}", gastvrij_web::SESSION_COOKIE, session.token);
    let tz = jiff::tz::TimeZone::get("Europe/Amsterdam")?;
    let today = app.now().to_zoned_datetime(tz.clone()).date();
    let tomorrow = today.tomorrow()?;
    let year_from = today.checked_sub(args.days.days())?;
    let mut lines = vec![];
    let mut mismatches = vec![];

    let page = |url: String| {
        let (router, cookie) = (router.clone(), cookie.clone());
        async move {
            let request = Request::get(&url).header("cookie", &cookie).body(Body::empty())?;
            let response = router.oneshot(request).await?;
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            if status != StatusCode::OK {
                bail!(
                    "{url} answered {status}: {}",
                    String::from_utf8_lossy(&body).chars().take(400).collect::<String>()
                );
            }
            Ok(())
        }
    };
    let p = |v: &[Duration]| (percentile(v, 0.5), percentile(v, 0.99));
    let periods: [(&'static str, Option<(Date, Date)>); 2] = [("default", None), ("year", Some((year_from, tomorrow)))];

    // The overview: links only.
    let t = timed(args.runs, || page("/werkplek/cijfers".into())).await?;
    lines.push(Line {
        page: "/werkplek/cijfers".into(), period: "—", page_times: p(&t), baseline: None, check: "—"
    });
    // The pulse: a few hundred answers.
    let t = timed(args.runs, || page("/werkplek/cijfers/peiling".into())).await?;
    lines.push(Line {
        page: "/werkplek/cijfers/peiling".into(),
        period: "default",
        page_times: p(&t),
        baseline: None,
        check: "—",
    });

    for (period, range) in periods {
        // Norm compliance and the "vandaag" panel; the baseline is the plain scan of the cases.
        let (url, (from, to)) = match range {
            None => ("/werkplek/cijfers/normen".to_string(), (today.checked_sub(56.days())?, tomorrow)),
            Some((from, to)) => (format!("/werkplek/cijfers/normen?van={from}&tot={today}"), (from, to)),
        };
        let t = timed(args.runs, || page(url.clone())).await?;
        let calendar = gastvrij_domain::calendar::Calendar::termijnenwet();
        let (start, end) = (calendar.start_of_day(from)?, calendar.start_of_day(to)?);
        let horizon = SignedDuration::from_hours(48);
        let figures = |source| {
            let (app, who) = (app.clone(), who.clone());
            async move {
                let r = app.compliance_from(&who, start, end, GroupBy::Team, horizon, source).await?;
                let mut g: Vec<String> =
                    r.groups.iter().map(|g| format!("{} {:?} {}", g.key, g.counts, g.legal_late)).collect();
                g.sort();
                anyhow::Ok(g)
            }
        };
        let (b, scanned) = timed_last(args.baseline_runs, || figures(Source::Scan)).await?;
        let check = same(&mut mismatches, &format!("norms {period}"), &figures(Source::Rollup).await?, &scanned);
        lines.push(Line { page: url, period, page_times: p(&t), baseline: Some(p(&b)), check });

        // Satisfaction: satisfaction_daily beside survey_responses.
        let (url, (from, to)) = match range {
            None => ("/werkplek/cijfers/tevredenheid".to_string(), (today.checked_sub(84.days())?, tomorrow)),
            Some((from, to)) => (format!("/werkplek/cijfers/tevredenheid?van={from}&tot={to}&per=month"), (from, to)),
        };
        let t = timed(args.runs, || page(url.clone())).await?;
        let raw = Raw::open(&args.db).await?;
        let (b, scanned) =
            timed_last(args.baseline_runs, || raw.days(SATISFACTION_RAW, from.to_string(), to.to_string())).await?;
        let rolled = raw.days(SATISFACTION_ROLLUP, from.to_string(), to.to_string()).await?;
        let check = same(&mut mismatches, &format!("satisfaction {period}"), &rolled, &scanned);
        lines.push(Line { page: url, period, page_times: p(&t), baseline: Some(p(&b)), check });

        // Contact figures: the roll-ups beside the plain GROUP BY.
        let (url, q) = match range {
            None => ("/werkplek/cijfers/contacten".to_string(), ContactFiguresQuery::default()),
            Some((from, to)) => (
                format!("/werkplek/cijfers/contacten?van={from}&tot={to}"),
                ContactFiguresQuery { from: Some(from), to: Some(to), ..Default::default() },
            ),
        };
        let t = timed(args.runs, || page(url.clone())).await?;
        let (b, scanned) =
            timed_last(args.baseline_runs, || async { Ok(app.contact_figures_from(&who, &q, Source::Scan).await?) })
                .await?;
        let rolled = app.contact_figures_from(&who, &q, Source::Rollup).await?;
        let check = same(&mut mismatches, &format!("contact figures {period}"), &[rolled], &[scanned]);
        lines.push(Line { page: url, period, page_times: p(&t), baseline: Some(p(&b)), check });

        // The journey map of every journey.
        for journey in app.journeys(&who).await? {
            let (url, from, to) = match range {
                None => (format!("/werkplek/klantreizen/{}", journey.id), None, None),
                Some((from, to)) => (
                    format!("/werkplek/klantreizen/{}?van={}&tm={today}", journey.id, from.tomorrow()?),
                    Some(from.tomorrow()?),
                    Some(to),
                ),
            };
            let t = timed(args.runs, || page(url.clone())).await?;
            let map = app.journey_map(&who, journey.id, from, to).await?;
            let (b, scanned) = timed_last(args.baseline_runs, || journey_scan(&app, &map)).await?;
            let shown: Vec<Touchpoint> = map
                .figures
                .iter()
                .map(|f| Touchpoint {
                    counts: (f.contacts, f.cases, f.survey_answers, f.waits),
                    median: f.median_wait_hours,
                })
                .collect();
            let check = same(&mut mismatches, &format!("journey map {} {period}", journey.name), &shown, &scanned);
            lines.push(Line {
                page: format!("/werkplek/klantreizen/… ({})", journey.name),
                period,
                page_times: p(&t),
                baseline: Some(p(&b)),
                check,
            });
        }
    }

    print_table(&lines, args.runs, args.baseline_runs);
    if !mismatches.is_empty() {
        for m in &mismatches {
            eprintln!("MISMATCH {m}");
        }
        bail!("{} figure(s) from the roll-ups differ from the plain GROUP BY", mismatches.len());
    }
    Ok(())
}

/// A touchpoint's figures: contacts, cases, survey answers and picked-up cases, and the median
/// wait in hours. Equal when the counts are and the medians differ by no more than the roll-up's
/// precision (one wait bucket, docs/journeys.md) plus the map's rounding to one decimal.
#[derive(Debug)]
struct Touchpoint {
    counts: (u64, u64, u64, u64),
    median: Option<f64>,
}

impl PartialEq for Touchpoint {
    fn eq(&self, raw: &Touchpoint) -> bool {
        self.counts == raw.counts
            && match (self.median, raw.median) {
                (None, None) => true,
                (Some(rolled), Some(exact)) => {
                    let seconds = (exact * 3600.0) as i64;
                    let width = gastvrij_app::ports::wait_bucket_width(gastvrij_app::ports::wait_bucket(seconds))
                        as f64
                        / 3600.0;
                    (rolled - exact).abs() <= width + 0.05 + 1e-9
                }
                _ => false,
            }
    }
}

/// The journey map's figures per touchpoint straight from the raw tables.
async fn journey_scan(app: &App, map: &gastvrij_app::journeys::JourneyMap) -> anyhow::Result<Vec<Touchpoint>> {
    let calendar = gastvrij_domain::calendar::Calendar::termijnenwet();
    let (from, to) = (calendar.start_of_day(map.from)?, calendar.start_of_day(map.to)?);
    let mut out = vec![];
    for t in &map.journey.touchpoints {
        let q = gastvrij_app::ports::TouchpointQuery {
            from,
            to,
            topics: t.topics.clone(),
            channels: t.channels.clone(),
            statuses: t.statuses.clone(),
        };
        let volume = app.store().touchpoint_volume(&q).await?;
        let survey = app.store().touchpoint_survey(&q).await?;
        let mut waits: Vec<f64> =
            app.store().touchpoint_waits(&q).await?.into_iter().map(|s| s as f64 / 3600.0).collect();
        let n = waits.len() as u64;
        let median = gastvrij_domain::journey::median(&mut waits);
        out.push(Touchpoint { counts: (volume.contacts, volume.cases, survey.answers, n), median });
    }
    Ok(out)
}

/// "equal", or "MISMATCH" with the difference noted.
fn same<T: std::fmt::Debug + PartialEq>(
    mismatches: &mut Vec<String>,
    what: &str,
    rolled: &[T],
    scanned: &[T],
) -> &'static str {
    if rolled == scanned {
        "equal"
    } else {
        mismatches.push(format!("{what}: roll-ups {rolled:?}\n  GROUP BY {scanned:?}"));
        "MISMATCH"
    }
}

/// `runs` timings of `once` (no warm-up: a baseline of seconds is not repeated for it), and
/// what the last run gave.
async fn timed_last<T, F, Fut>(runs: usize, mut once: F) -> anyhow::Result<(Vec<Duration>, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut took = vec![];
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        last = Some(once().await?);
        took.push(started.elapsed());
    }
    Ok((took, last.context("at least one run")?))
}

fn print_table(lines: &[Line], runs: usize, baseline_runs: usize) {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "\n{:<44} {:<8} {:>11} {:>11} {:>13} {:>13} {:>9} {:>9}  goal: page p99 ≤ 200 ms",
        "page", "period", "page p50", "page p99", "GROUP BY p50", "GROUP BY p99", "speed-up", "figures"
    );
    for l in lines {
        let (b50, b99, ratio) = match l.baseline {
            Some((b50, b99)) => {
                (ms(b50), ms(b99), format!("{:.1}x", b99.as_secs_f64() / l.page_times.1.as_secs_f64().max(1e-9)))
            }
            None => ("—".into(), "—".into(), "—".into()),
        };
        println!(
            "{:<44} {:<8} {:>11} {:>11} {:>13} {:>13} {:>9} {:>9}  {}",
            l.page,
            l.period,
            ms(l.page_times.0),
            ms(l.page_times.1),
            b50,
            b99,
            ratio,
            l.check,
            if l.page_times.1 <= GOAL { "met" } else { "NOT met" }
        );
    }
    println!(
        "(page: p50/p99 over {runs} requests after 10 warm-up ones; GROUP BY: {baseline_runs} runs; speed-up is GROUP BY \
         p99 / page p99)"
    );
}

/// Satisfaction per day from the roll-up and from the answers: answers, grade sum, solved,
/// effort sum, low grades (5 or lower, `LOW_GRADE`).
const SATISFACTION_ROLLUP: &str = "SELECT day, CAST(SUM(answers) AS BIGINT), CAST(SUM(grade_sum) AS BIGINT), \
     CAST(SUM(solved) AS BIGINT), CAST(SUM(effort_sum) AS BIGINT), CAST(SUM(low) AS BIGINT) FROM satisfaction_daily \
     WHERE day >= $1 AND day < $2 GROUP BY day ORDER BY day";
const SATISFACTION_RAW: &str = "SELECT day, COUNT(*), CAST(SUM(grade) AS BIGINT), \
     CAST(SUM(CASE WHEN solved THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(effort) AS BIGINT), \
     CAST(SUM(CASE WHEN grade <= 5 THEN 1 ELSE 0 END) AS BIGINT) FROM survey_responses \
     WHERE day >= $1 AND day < $2 GROUP BY day ORDER BY day";

/// A read-only connection of its own for the plain queries.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

type DayRow = (String, i64, i64, i64, i64, i64);

impl Raw {
    async fn open(db: &DbArgs) -> anyhow::Result<Raw> {
        Ok(match db.location(OpenMode::MustExist)? {
            Location::Sqlite(path) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
                Raw::Sqlite(sqlx::SqlitePool::connect_with(options).await?)
            }
            Location::Postgres(url) => Raw::Postgres(sqlx::PgPool::connect(&url).await?),
        })
    }

    async fn days(&self, sql: &'static str, from: String, to: String) -> anyhow::Result<Vec<DayRow>> {
        Ok(match self {
            Raw::Sqlite(pool) => sqlx::query_as(sql).bind(from).bind(to).fetch_all(pool).await?,
            Raw::Postgres(pool) => sqlx::query_as(sql).bind(from).bind(to).fetch_all(pool).await?,
        })
    }
}
