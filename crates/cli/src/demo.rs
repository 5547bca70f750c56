//! `gastvrij demo`: seed the demo water board, with a progress bar.

use crate::db::DbArgs;
use anyhow::Context;
use anyhow::bail;
use clap::Args;
use gastvrij_app::kennisbank::ArticleLine;
use gastvrij_app::{App, Principal};
use gastvrij_demo::DemoConfig;
use gastvrij_domain::directory::{Availability, DirectoryInput};
use gastvrij_domain::ids::TeamId;
use gastvrij_domain::kennisbank::ArticleStatus;
use gastvrij_domain::topic::Topic;
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
    let experts = fill_directory(app).await?;
    let articles = import_kennisbank(app).await?;
    let works = gastvrij_demo::planned_works::seed(app, config.until).await?;
    eprintln!("demo ready: {summary}");
    eprintln!("demo kennisbank: {articles} articles; wie weet wat: {experts} employees; werkzaamheden: {works}");
    eprintln!("demo sign-in accounts (username / password / roles):");
    for (user, password, roles) in &summary.users {
        eprintln!("  {user} / {password} / {roles}");
    }
    Ok(())
}

/// The labelled kennisbank set (data/kennisbank), so the demo's KCC finds answers while typing.
const ARTICLES: &str = include_str!("../../../data/kennisbank/articles.jsonl");

/// Import the kennisbank set through the same use case as `gastvrij kennisbank import`, published
/// (openbaar) since every article has a public answer. The search index catches up from the
/// database when the server starts.
async fn import_kennisbank(app: &App) -> anyhow::Result<usize> {
    let who = Principal::system();
    let mut count = 0;
    for (number, text) in ARTICLES.lines().enumerate().filter(|(_, t)| !t.trim().is_empty()) {
        let mut line: ArticleLine = serde_json::from_str(text)
            .with_context(|| format!("data/kennisbank/articles.jsonl line {} is not an article", number + 1))?;
        if line.status.is_none() && line.public_answer.is_some() {
            line.status = Some(ArticleStatus::Openbaar);
        }
        app.import_article_line(&who, line)
            .await
            .with_context(|| format!("importing data/kennisbank/articles.jsonl line {}", number + 1))?;
        count += 1;
    }
    Ok(count)
}

/// Give every demo employee with a team a line in wie weet wat: the team, its top topics and a
/// few of its subtopics (a different few per colleague); most are present today, some absent or
/// in a meeting until a given time. Deterministic: the same demo gives the same directory.
async fn fill_directory(app: &App) -> anyhow::Result<usize> {
    let who = Principal::system();
    let teams = app.teams(&who).await?;
    let topics = app.topics(&who).await?;
    let team_of = |topic: &Topic| responsible_team(&topics, topic);
    let mut employees = app.employees(&who).await?;
    employees.retain(|e| e.active && e.team_id.is_some());
    employees.sort_by(|a, b| a.name.cmp(&b.name));
    let mut position: std::collections::HashMap<_, usize> = Default::default();
    for (n, employee) in employees.iter().enumerate() {
        let Some(team) = employee.team_id.and_then(|id| teams.iter().find(|t| t.id == id)) else { continue };
        let nth = position.entry(team.id).or_default();
        let i = *nth;
        *nth += 1;
        let mine: Vec<_> = topics.iter().filter(|t| team_of(t) == Some(team.id)).collect();
        let (tops, subs): (Vec<_>, Vec<_>) = mine.into_iter().partition(|t| {
            t.parent_id.is_none_or(|p| topics.iter().find(|x| x.id == p).and_then(team_of) != Some(team.id))
        });
        let mut expertise = vec![team.name.clone()];
        expertise.extend(tops.iter().map(|t| t.name.clone()));
        let take = subs.len().min(4);
        expertise.extend((0..take).map(|k| subs[(i * 3 + k) % subs.len()].name.clone()));
        let (availability, until) = match n % 9 {
            4 => (Availability::InMeeting, Some(["10:30", "11:00", "14:30", "15:45"][n % 4])),
            7 => (Availability::Absent, Some(["12:00", "13:30"][n % 2])),
            8 if n % 2 == 0 => (Availability::Absent, None),
            _ => (Availability::Present, None),
        };
        let note = match availability {
            Availability::Absent if until.is_none() => Some("Vandaag vrij; morgen weer bereikbaar.".to_string()),
            _ if i == 0 => Some(format!("Vraagbaak van team {}.", team.name)),
            _ => None,
        };
        let input = DirectoryInput { expertise, availability, until: until.map(str::to_string), note };
        app.save_directory_entry(&who, employee.id, input)
            .await
            .with_context(|| format!("writing the wie weet wat line of {}", employee.name))?;
    }
    Ok(employees.len())
}

/// The team that answers for a topic: its own, else the nearest parent's.
fn responsible_team<'a>(topics: &'a [Topic], mut topic: &'a Topic) -> Option<TeamId> {
    loop {
        if topic.team_id.is_some() {
            return topic.team_id;
        }
        topic = topic.parent_id.and_then(|p| topics.iter().find(|t| t.id == p))?;
    }
}
