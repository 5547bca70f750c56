//! `gastvrij privacy …`: personal data (AVG). Export everything held on one customer, erase it
//! (the case figures stay), and apply the retention policy by hand.

use crate::db::{self, DbArgs};
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use gastvrij_app::privacy::{Retention, RetentionRun};
use gastvrij_app::{AppError, Principal, Settings};
use gastvrij_domain::ids::CustomerId;
use gastvrij_store::OpenMode;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum PrivacyCommand {
    /// Everything held on one customer, as JSON (for an access request).
    Export {
        #[command(flatten)]
        db: DbArgs,
        /// The customer's id (as in /api/v1/customers).
        #[arg(long)]
        customer: String,
        /// Write the JSON to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Anonymise one customer and what identifies them; case figures stay.
    Erase {
        #[command(flatten)]
        db: DbArgs,
        /// The customer's id (as in /api/v1/customers).
        #[arg(long)]
        customer: String,
        /// Confirm: this cannot be undone.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        attachments: crate::serve::AttachmentsArgs,
    },
    /// Anonymise or delete what is past its retention term now (the server does this daily).
    Retention {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        retention: RetentionArgs,
        /// Only count what is due; change nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        attachments: crate::serve::AttachmentsArgs,
    },
}

/// How long personal data is kept (also flags of `serve`).
#[derive(Args, Debug, Clone)]
pub struct RetentionArgs {
    /// Days after closing that a case keeps its personal data (photos go with the case).
    #[arg(long, env = "GASTVRIJ_RETAIN_CLOSED_CASES_DAYS", default_value_t = 730,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub retain_closed_cases_days: u32,
    /// Days a sent mail keeps its body.
    #[arg(long, env = "GASTVRIJ_RETAIN_MAIL_BODIES_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub retain_mail_bodies_days: u32,
    /// Days an unconfirmed subscription to planned-works news is kept.
    #[arg(long, env = "GASTVRIJ_RETAIN_UNCONFIRMED_SUBSCRIPTIONS_DAYS", default_value_t = 7,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub retain_unconfirmed_subscriptions_days: u32,
    /// Days a stored search question (masked, docs/kennisbank-learning.md) is kept.
    #[arg(long, env = "GASTVRIJ_RETAIN_SEARCH_QUESTIONS_DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=365))]
    pub retain_search_questions_days: u32,
}

impl RetentionArgs {
    pub fn retention(&self) -> Retention {
        Retention {
            closed_cases_days: self.retain_closed_cases_days,
            mail_bodies_days: self.retain_mail_bodies_days,
            unconfirmed_subscriptions_days: self.retain_unconfirmed_subscriptions_days,
            search_questions_days: self.retain_search_questions_days,
        }
    }
}

fn customer_id(s: &str) -> anyhow::Result<CustomerId> {
    s.trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("--customer '{s}' is not a customer id; copy the id from /api/v1/customers"))
}

fn not_found(e: AppError, id: CustomerId) -> anyhow::Error {
    match e {
        AppError::NotFound(_) => anyhow::anyhow!("no customer has id {id}"),
        e => e.into(),
    }
}

pub async fn run(command: PrivacyCommand) -> anyhow::Result<()> {
    let who = Principal::operator();
    match command {
        PrivacyCommand::Export { db, customer, out } => {
            let id = customer_id(&customer)?;
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let data = app.export_customer(&who, id).await.map_err(|e| not_found(e, id))?;
            let json = serde_json::to_string_pretty(&data)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, json + "\n").with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("wrote everything held on customer {id} to {}", path.display());
                }
                None => println!("{json}"),
            }
        }
        PrivacyCommand::Erase { db, customer, yes, attachments } => {
            let id = customer_id(&customer)?;
            if !yes {
                bail!("erasing customer {id} cannot be undone; run it again with --yes to confirm");
            }
            let app = attachments.apply(db::app(db.open(OpenMode::MustExist).await?))?;
            let erased = app.erase_customer(&who, id).await.map_err(|e| not_found(e, id))?;
            if erased.total() == 0 {
                println!("customer {id} was already erased; nothing changed");
            } else {
                println!("erased customer {id}: {}", erased.summary());
            }
        }
        PrivacyCommand::Retention { db, retention, dry_run, attachments } => {
            let settings = Settings { retention: retention.retention(), ..Default::default() };
            let app = attachments.apply(db::app_with(db.open(OpenMode::MustExist).await?, settings))?;
            match app.apply_retention(app.now(), dry_run).await? {
                RetentionRun::Done(counts) if dry_run => println!("due (nothing changed): {}", counts.summary()),
                RetentionRun::Done(counts) => println!("retention applied: {}", counts.summary()),
                RetentionRun::ClaimedElsewhere => {
                    println!("another node is applying retention right now; nothing done here")
                }
            }
        }
    }
    Ok(())
}
