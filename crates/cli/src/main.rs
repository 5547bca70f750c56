//! `gastvrij`: the command line of the Gastvrij customer-contact platform.
//!
//! Results go to stdout, diagnostics and logs to stderr. Every flag is also an environment
//! variable (`GASTVRIJ_…`). Errors are one line naming the problem and the fix.

mod bench;
mod bench_crash;
mod bench_intake;
mod bench_kennisbank;
mod bench_meldingen;
mod bench_monitor;
mod bench_nodes;
mod bench_queue;
mod bench_scratch;
mod calendar;
mod db;
mod demo;
mod kennisbank;
mod link_key;
mod mail;
mod norms;
mod open_data;
mod privacy;
mod search;
mod serve;
mod taal;
mod telephony;
mod user;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "gastvrij", version, about = "Gastvrij: customer contact for Dutch water boards")]
struct Cli {
    /// Log format on stderr.
    #[arg(long, env = "GASTVRIJ_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (staff pages, public portal, JSON API).
    Serve(Box<serve::ServeArgs>),
    /// Create the database or bring its schema up to date.
    Migrate {
        #[command(flatten)]
        db: db::DbArgs,
    },
    /// Fill an empty database with the demo water board (Hoogheemraadschap van de Lage Waard).
    Demo(demo::DemoArgs),
    /// Manage sign-in accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// The kennisbank: import, export and search articles.
    Kennisbank {
        #[command(subcommand)]
        command: kennisbank::KennisbankCommand,
    },
    /// Rebuild the kennisbank search index from the database.
    Reindex {
        #[command(flatten)]
        db: db::DbArgs,
    },
    /// Measure speed against the goals (build with --release).
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// Working days, holidays and deadlines.
    Calendar {
        #[command(subcommand)]
        command: calendar::CalendarCommand,
    },
    /// Service norms: import or export the norm set's versions as TOML.
    Norms {
        #[command(subcommand)]
        command: norms::NormsCommand,
    },
    /// Telephony data: import calls from a call-centre export.
    Telephony {
        #[command(subcommand)]
        command: telephony::TelephonyCommand,
    },
    /// Outgoing mail: deliver what is due, list the outbox.
    Mail {
        #[command(subcommand)]
        command: mail::MailCommand,
    },
    /// Personal data (AVG): export or erase what is held on a customer; apply retention.
    Privacy {
        #[command(subcommand)]
        command: privacy::PrivacyCommand,
    },
    /// Open service data: export this board's figures of a year, import other boards' files.
    Benchmark {
        #[command(subcommand)]
        command: open_data::BenchmarkCommand,
    },
    /// Plain language: check a Dutch text for B1.
    Taal {
        #[command(subcommand)]
        command: taal::TaalCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A benchmark prints its figures; a log line per request would cost more than some of them.
    let quiet = matches!(cli.command, Command::Bench { .. });
    init_logging(cli.log_format, if quiet { "warn" } else { "info,sqlx=warn" });
    let result = match cli.command {
        Command::Calendar { command } => calendar::run(command),
        Command::Taal { command } => taal::run(command),
        command => runtime().and_then(|rt| rt.block_on(run(command))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(1)
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(*args).await,
        Command::Migrate { db } => db::migrate(&db).await,
        Command::Demo(args) => demo::run(args).await,
        Command::User { command } => user::run(command).await,
        Command::Bench { command } => bench::run(command).await,
        Command::Kennisbank { command } => kennisbank::run(command).await,
        Command::Reindex { db } => kennisbank::reindex(&db).await,
        Command::Norms { command } => norms::run(command).await,
        Command::Telephony { command } => telephony::run(command).await,
        Command::Mail { command } => mail::run(command).await,
        Command::Privacy { command } => privacy::run(command).await,
        Command::Benchmark { command } => open_data::run(command).await,
        Command::Calendar { .. } | Command::Taal { .. } => unreachable!("handled without a runtime"),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// The error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    e.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ").replace('\n', " ")
}

/// `GASTVRIJ_LOG` (an env-filter such as `info,sqlx=warn`) overrides the default filter.
fn init_logging(format: LogFormat, default_filter: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("GASTVRIJ_LOG").unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// The end of a command whose contract is "the result on stdout, exit 0; or one line on stderr,
/// exit 2" (`calendar`, `taal`).
pub(crate) fn print_or_exit_2<E: std::fmt::Display>(result: Result<String, E>) -> anyhow::Result<()> {
    use std::io::Write as _;
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(out.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {}", e.to_string().replace(['\n', '\r'], " "));
            std::process::exit(2)
        }
    }
}
