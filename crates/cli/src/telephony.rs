//! `gastvrij telephony import FILE.csv`: calls from a call-centre export.

use crate::db::{self, DbArgs};
use anyhow::{Context, bail};
use clap::Subcommand;
use gastvrij_app::Principal;
use gastvrij_domain::telephony::CallInput;
use gastvrij_domain::telephony::export::read_export;
use gastvrij_store::OpenMode;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum TelephonyCommand {
    /// Import calls from a CSV export (comma or semicolon separated, with a header row naming
    /// call_id, offered_at, outcome, waiting_seconds and optionally agent — or the Dutch
    /// gesprek_id, tijdstip, uitkomst, wachttijd, medewerker). Times are RFC 3339, or
    /// "YYYY-MM-DD HH:MM[:SS]" in Dutch time. A bad line is reported with its number and skipped.
    Import {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: TelephonyCommand) -> anyhow::Result<()> {
    match command {
        TelephonyCommand::Import { file, db } => import(&file, &db).await,
    }
}

async fn import(file: &PathBuf, args: &DbArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).with_context(|| format!("cannot read {}; give the path of a .csv file", file.display()))?;
    let read = read_export(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let app = db::app(args.open(OpenMode::MustExist).await?);
    let who = Principal::operator();
    let total = read.calls.len() + read.errors.len();
    for e in &read.errors {
        eprintln!("line {}: {}; skipped", e.line, e.message);
    }
    let mut stored = 0u64;
    let calls: Vec<CallInput> = read.calls.into_iter().map(|(_, call)| call).collect();
    for batch in calls.chunks(500) {
        stored += app.record_calls(&who, batch.to_vec()).await?;
    }
    let failed = read.errors.len();
    eprintln!("imported {stored} calls; {failed} lines failed");
    if failed > 0 {
        bail!("{failed} of {total} lines were not imported (see above); fix them and import the file again");
    }
    Ok(())
}
