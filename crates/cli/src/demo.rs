//! `gastvrij demo`: seed the demo water board, with a progress bar.

use crate::db::DbArgs;
use anyhow::bail;
use clap::Args;
use gastvrij_app::{App, Principal};
use gastvrij_demo::DemoConfig;
use gastvrij_store::OpenMode;
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Volume multiplier: 1 ≈ 100,000 contacts over two years; 100 ≈ 10 million.
    #[arg(long, env = "GASTVRIJ_DEMO_SCALE", default_value_t = 1.0)]
    pub scale: f64,
    /// Random seed: the same seed (and --until) gives the same data.
    #[arg(long, env = "GASTVRIJ_DEMO_SEED", default_value_t = 2026)]
    pub seed: u64,
    /// Last day of the two years of history (YYYY-MM-DD; default today).
    #[arg(long, env = "GASTVRIJ_DEMO_UNTIL")]
    pub until: Option<jiff::civil::Date>,
}

impl DemoArgs {
    pub fn defaults(db: DbArgs) -> Self {
        Self { db, scale: 1.0, seed: 2026, until: None }
    }

    fn config(&self) -> anyhow::Result<DemoConfig> {
        if !(self.scale.is_finite() && self.scale > 0.0 && self.scale <= 1000.0) {
            bail!("--scale must be a number above 0 and at most 1000, e.g. 1 or 0.1");
        }
        let until = self.until.unwrap_or_else(|| jiff::ZonedDateTime::now().date());
        Ok(DemoConfig { scale: self.scale, seed: self.seed, until })
    }
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let config = args.config()?;
    let app = crate::db::app(args.db.open(OpenMode::CreateIfMissing).await?);
    if !app.teams(&Principal::operator()).await?.is_empty() {
        bail!(
            "the database already holds data; the demo goes into an empty database: choose another --data or --database"
        );
    }
    seed(&app, &config).await
}

/// Seed the demo unless the database already holds data (used by `serve --demo`).
pub async fn seed_if_empty(app: &App, args: &DemoArgs) -> anyhow::Result<()> {
    if app.teams(&Principal::operator()).await?.is_empty() {
        seed(app, &args.config()?).await?;
    }
    Ok(())
}

async fn seed(app: &App, config: &DemoConfig) -> anyhow::Result<()> {
    let bar = ProgressBar::new(gastvrij_demo::planned_work(config));
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            .expect("static template is valid")
            .progress_chars("=> "),
    );
    bar.set_message("demo water board");
    let progress = |done: u64| bar.set_position(done);
    let summary = gastvrij_demo::seed(app, config, &progress).await?;
    bar.finish_and_clear();
    eprintln!(
        "demo ready: {} teams, {} employees, {} topics, {} customers, {} contacts, {} questions, {} cases",
        summary.teams,
        summary.employees,
        summary.topics,
        summary.customers,
        summary.contacts,
        summary.questions,
        summary.cases
    );
    eprintln!("demo sign-in accounts (username / password / roles):");
    for (user, password, roles) in &summary.users {
        eprintln!("  {user} / {password} / {roles}");
    }
    Ok(())
}
