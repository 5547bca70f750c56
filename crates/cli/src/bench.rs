//! `gastvrij bench …`: measured figures beside their goals and baselines. Build with
//! `--release`; results go in docs/benchmarks.md.

use crate::db::{self, DbArgs};
use clap::Subcommand;
use gastvrij_app::Principal;
use gastvrij_app::norms::{GroupBy, Source};
use gastvrij_domain::calendar::{Calendar, Term};
use gastvrij_store::OpenMode;
use jiff::{SignedDuration, Timestamp};
use std::time::{Duration, Instant};

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Deadline computations per second on one core (goal ≥ 1,000,000).
    Calendar {
        /// Computations per measured term.
        #[arg(long, env = "GASTVRIJ_BENCH_N", default_value_t = 2_000_000)]
        n: u32,
    },
    /// Kennisbank search: relevance on the labelled set beside SQLite FTS5 and PostgreSQL
    /// (`dutch`), and latency at 100,000 articles.
    Kennisbank {
        /// The folder with articles.jsonl and queries.jsonl.
        #[arg(long, env = "GASTVRIJ_BENCH_SET", default_value = "data/kennisbank")]
        set: std::path::PathBuf,
        /// A PostgreSQL server for the `dutch` full-text baseline.
        #[arg(long, env = "GASTVRIJ_BENCH_POSTGRES")]
        postgres: Option<String>,
        /// Generated articles for the latency run.
        #[arg(long, env = "GASTVRIJ_BENCH_DOCS", default_value_t = 100_000)]
        docs: usize,
        /// List the tuning queries whose article does not come first (the held-out part is not
        /// shown: it is never tuned on).
        #[arg(long)]
        show_misses: bool,
    },
    /// Norm compliance over a database (e.g. the demo at scale 100): time per report.
    Compliance {
        #[command(flatten)]
        db: DbArgs,
        /// Repetitions per grouping.
        #[arg(long, env = "GASTVRIJ_BENCH_RUNS", default_value_t = 3)]
        runs: u32,
    },
    /// Public intake: meldingen per second through POST /melding over HTTP on SQLite (and
    /// PostgreSQL), p50/p99 latency, beside the raw insert rate; public page sizes.
    Intake(crate::bench_intake::IntakeArgs),
    /// Crash safety: the server killed with SIGKILL at random moments while citizens submit;
    /// every acknowledged melding must be there, with its confirmation mail queued.
    Crash(crate::bench_crash::CrashArgs),
    /// The team queue with 10,000 open cases: server time per page on SQLite (and PostgreSQL)
    /// beside the plain query of the same rows (goal: p99 ≤ 100 ms).
    Queue(crate::bench_queue::QueueArgs),
    /// Two `gastvrij serve` nodes on one PostgreSQL database: a session and an article travel
    /// between them, meldingen per second on one node beside two, and nothing acknowledged is
    /// lost (nor a confirmation mail) while one node is killed with SIGKILL again and again.
    Nodes(crate::bench_nodes::NodesArgs),
    /// The figure pages of issue 15 (norms, satisfaction, pulse, contact figures, journey maps)
    /// over a database, e.g. the demo at scale 100: server time per page beside the same figures
    /// from a plain GROUP BY over the raw tables, which must match (goal: p99 ≤ 200 ms).
    Monitor(crate::bench_monitor::MonitorArgs),
}

pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Calendar { n } => {
            print!("{}", calendar(n));
            Ok(())
        }
        BenchCommand::Compliance { db, runs } => compliance(&db, runs).await,
        BenchCommand::Kennisbank { set, postgres, docs, show_misses } => {
            crate::bench_kennisbank::run(&set, postgres.as_deref(), docs, show_misses).await
        }
        BenchCommand::Intake(args) => crate::bench_intake::run(args).await,
        BenchCommand::Crash(args) => crate::bench_crash::run(args).await,
        BenchCommand::Queue(args) => crate::bench_queue::run(args).await,
        BenchCommand::Nodes(args) => crate::bench_nodes::run(args).await,
        BenchCommand::Monitor(args) => crate::bench_monitor::run(args).await,
    }
}

fn throughput(calendar: &Calendar, terms: &[Term], n: u32) -> f64 {
    let base: Timestamp = "2026-01-05T09:00:00Z".parse().expect("static timestamp is valid");
    for term in terms {
        let _ = term.deadline_after(calendar, base);
    }
    let started = Instant::now();
    let mut checksum = 0i64;
    for i in 0..n {
        // Start moments spread over about three years, at varying times of day.
        let start = base + SignedDuration::from_secs(i64::from(i % 100_000) * 997);
        let term = terms[i as usize % terms.len()];
        checksum ^= term.deadline_after(calendar, start).map(|t| t.as_second()).unwrap_or(0);
    }
    std::hint::black_box(checksum);
    f64::from(n) / started.elapsed().as_secs_f64()
}

/// The table of deadline throughput per term kind, single-threaded.
pub fn calendar(n: u32) -> String {
    const GOAL: f64 = 1_000_000.0;
    let calendar = Calendar::termijnenwet();
    let all =
        [Term::WorkingDays(5), Term::Weeks(6), Term::CalendarDays(10), Term::BusinessHours(16), Term::ClockHours(24)];
    let mut out = format!("{:<18} {:>16} {:>12} {:>8}\n", "term", "deadlines/s", "goal", "ratio");
    let mut line = |name: String, rate: f64| {
        out.push_str(&format!("{name:<18} {rate:>16.0} {GOAL:>12.0} {:>7.1}x\n", rate / GOAL));
    };
    for term in all {
        line(term.to_string(), throughput(&calendar, &[term], n));
    }
    line("mixed".into(), throughput(&calendar, &all, n));
    out
}

async fn compliance(args: &DbArgs, runs: u32) -> anyhow::Result<()> {
    let app = db::app(args.open(OpenMode::MustExist).await?);
    let who = Principal::operator();
    let contacts = app.store().count_contacts().await?;
    let calendar = Calendar::termijnenwet();
    let today = calendar.date_of(app.now());
    let to = calendar.start_of_day(today)?;
    let from = calendar.start_of_day(today.checked_sub(jiff::Span::new().days(365))?)?;
    let started = Instant::now();
    let markers = app.refresh_rollups().await?;
    println!("roll-ups brought up to date: {markers} changes in {:.1}s", started.elapsed().as_secs_f64());
    println!("compliance over the last 365 days of a database with {contacts} contacts (best of {runs}):");
    println!(
        "{:<14} {:>7} {:>12} {:>12} {:>10} {:>12}",
        "group_by", "groups", "scan", "roll-ups", "speed-up", "goal < 1 s"
    );
    for group_by in [
        GroupBy::None,
        GroupBy::Team,
        GroupBy::Topic,
        GroupBy::CaseType,
        GroupBy::Channel,
        GroupBy::NormCategory,
        GroupBy::Segment,
    ] {
        let mut timings = [Duration::MAX; 2];
        let mut groups = 0;
        for (i, source) in [Source::Scan, Source::Rollup].into_iter().enumerate() {
            for _ in 0..runs.max(1) {
                let started = Instant::now();
                let report =
                    app.compliance_from(&who, from, to, group_by, SignedDuration::from_hours(48), source).await?;
                timings[i] = timings[i].min(started.elapsed());
                groups = report.groups.len();
            }
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<14} {groups:>7} {:>10.1}ms {:>10.1}ms {:>9.1}x {:>12}",
            format!("{group_by:?}"),
            ms(timings[0]),
            ms(timings[1]),
            timings[0].as_secs_f64() / timings[1].as_secs_f64(),
            if timings[1] < Duration::from_secs(1) { "met" } else { "NOT met" }
        );
    }
    Ok(())
}
