//! The demo water board: Hoogheemraadschap van de Lage Waard (fictional), with teams per process
//! step, employees, a topic tree, customers of every segment and two years of contacts and cases
//! with daily, weekly and seasonal patterns, a heat wave each summer and a named storm.
//!
//! Everything is derived from the seed and the last day of history: the same seed and `until`
//! give identical data, ids included. Volume scales with `scale` (1 ≈ 100,000 contacts) and is
//! generated and written in batches, so memory stays bounded at any scale.

mod catalogue;
mod history;
mod journeys;
mod peers;
mod people;
pub mod planned_works;
mod pulse;
mod rng;
mod satisfaction;

pub use history::{Generator, planned_contacts, planned_customers};
pub use people::DemoUser;

use anyhow::{Context, bail};
use gastvrij_app::{App, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::organisation::Organisation;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Volume multiplier, above 0: 1 ≈ 100,000 contacts over two years; 100 ≈ 10 million.
    pub scale: f64,
    pub seed: u64,
    /// The last day of the two years of history.
    pub until: jiff::civil::Date,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub teams: usize,
    pub employees: usize,
    pub topics: usize,
    pub customers: usize,
    pub contacts: usize,
    pub questions: usize,
    pub cases: usize,
    /// Sign-in accounts: (username, password, roles).
    pub users: Vec<(String, String, String)>,
    /// Open-data files of the fictional peer boards (three per year).
    pub peer_files: usize,
    /// Employee pulse answers of the weeks before the last.
    pub pulse_answers: usize,
    /// Customer journeys.
    pub journeys: usize,
    /// Customer satisfaction answers of the 56 days before `until`.
    pub survey_answers: usize,
}

/// The counts, in one line: "3 teams, 40 employees, …, 120 cases" (the accounts not).
impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} teams, {} employees, {} topics, {} customers, {} contacts, {} questions, {} cases",
            self.teams, self.employees, self.topics, self.customers, self.contacts, self.questions, self.cases
        )
    }
}

/// Contacts per batch (one transaction each).
const BATCH: usize = 5_000;

/// Units of work for a progress bar: the customers and contacts to generate.
pub fn planned_work(config: &DemoConfig) -> u64 {
    planned_customers(config.scale) + planned_contacts(config.scale)
}

/// Seed an empty, migrated database. Calls `progress(done)` after each batch (same units as
/// [`planned_work`]). Refuses when the database already holds teams; then nothing is written.
pub async fn seed(app: &App, config: &DemoConfig, progress: &(dyn Fn(u64) + Sync)) -> anyhow::Result<DemoSummary> {
    if !(config.scale.is_finite() && config.scale > 0.0) {
        bail!("the scale must be a number above 0, e.g. 1 or 0.1");
    }
    let system = Principal::system();
    if !app.teams(&system).await?.is_empty() {
        bail!("the database already holds teams; the demo only goes into an empty database, nothing was written");
    }
    let mut generator = Generator::with_settings(config, app.settings())?;
    let store = app.store().clone();
    let change = |what: String| Change::new(Actor::System, app.now(), "demo.seeded", "demo", what);

    let base = generator.reference_data();
    let mut summary = DemoSummary {
        teams: base.teams.len(),
        employees: base.employees.len(),
        topics: base.topics.len(),
        ..Default::default()
    };
    store
        .insert_batch(&base, &change(format!("{} teams, employees and topics", base.len())))
        .await
        .context("writing teams, employees and topics")?;
    app.update_organisation(
        &system,
        Organisation {
            // The storingsdienst: a demo melding with danger is mailed here first.
            on_call_email: Some(format!("storingsdienst@{}", catalogue::STAFF_DOMAIN).parse()?),
            on_call_phone: Some("088 123 45 67".parse()?),
            ..Organisation::parse(catalogue::ORGANISATION, catalogue::INHABITANTS, "Europe/Amsterdam")?
        },
    )
    .await?;
    // The sign-in accounts are staff members of the generated teams (deterministic ids, so they
    // own cases and answer contacts); only their passwords are set here, as `add_user` does.
    for user in generator.users() {
        let hash = gastvrij_app::accounts::hash_password(user.password)?;
        let set = Change::new(Actor::System, app.now(), "employee.password_set", user.employee_id, "demo account");
        store
            .set_password_hash(user.employee_id, Some(&hash), &set)
            .await
            .with_context(|| format!("setting the password of demo user {}", user.username))?;
        let roles: Vec<&str> = user.roles.iter().map(|r| r.code()).collect();
        summary.users.push((user.username.to_string(), user.password.to_string(), roles.join(",")));
    }

    let mut done = 0u64;
    while let Some(batch) = generator.next_customers(BATCH)? {
        summary.customers += batch.customers.len();
        store.insert_batch(&batch, &change(format!("{} customers", batch.customers.len()))).await?;
        done += batch.customers.len() as u64;
        progress(done);
    }
    while let Some(batch) = generator.next_history(BATCH)? {
        summary.contacts += batch.contacts.len();
        summary.questions += batch.contacts.iter().map(|c| c.questions.len()).sum::<usize>();
        summary.cases += batch.cases.len();
        let what = format!("{} contacts, {} cases", batch.contacts.len(), batch.cases.len());
        store.insert_batch(&batch, &change(what)).await?;
        done += batch.contacts.len() as u64;
        progress(done);
    }
    summary.pulse_answers = pulse::seed(app, config.seed, config.until, &base.teams, &base.employees)
        .await
        .context("storing the demo's pulse answers")?;
    summary.journeys = journeys::seed(app, &base.topics).await.context("storing the demo's customer journeys")?;
    summary.survey_answers = satisfaction::seed(app, config.seed, config.until, &base.teams)
        .await
        .context("storing the demo's satisfaction answers")?;
    // Three fictional peers for the comparison page, for the years of the history.
    let operator = Principal::operator();
    for year in [config.until.year() - 1, config.until.year()] {
        let own = app.open_data(&operator, year).await.context("computing the demo's open data")?;
        for peer in peers::peer_files(&own, config.seed) {
            app.import_peer_figures(&operator, &peer).await.context("storing the demo's peer boards")?;
            summary.peer_files += 1;
        }
    }
    Ok(summary)
}
