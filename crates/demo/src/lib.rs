//! The demo water board: Hoogheemraadschap van de Lage Waard (fictional), with teams,
//! employees, a topic tree, customers of every segment and two years of contacts and cases
//! with daily, weekly and seasonal patterns and a storm peak.
//!
//! Everything is derived from the seed and the last day of history: the same seed and `until`
//! give identical data, ids included. Volume scales with `scale` (1 ≈ 100,000 contacts) and is
//! written in batches, so memory stays bounded at any scale.

mod catalogue;
mod history;
mod rng;

pub use history::{Generator, planned_contacts};

use anyhow::{Context, bail};
use gastvrij_app::{App, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::team::{EmployeeInput, Role};

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
}

/// Units of work for a progress bar: the contacts to generate.
pub fn planned_work(config: &DemoConfig) -> u64 {
    planned_contacts(config.scale)
}

/// The demo sign-in accounts: (username, password, roles, team index).
const USERS: [(&str, &str, &[Role], usize); 5] = [
    ("kcc", "demo-kcc-wachtwoord", &[Role::Kcc], 0),
    ("backoffice", "demo-backoffice-wachtwoord", &[Role::Backoffice], 5),
    ("teamleider", "demo-teamleider-wachtwoord", &[Role::Teamleider, Role::Backoffice], 5),
    ("redacteur", "demo-redacteur-wachtwoord", &[Role::Redacteur], 0),
    ("beheerder", "demo-beheerder-wachtwoord", &[Role::Beheerder], 0),
];

/// Seed an empty, migrated database. Refuses when it already holds teams; then nothing is written.
pub async fn seed(app: &App, config: &DemoConfig, progress: &(dyn Fn(u64) + Sync)) -> anyhow::Result<DemoSummary> {
    if !(config.scale.is_finite() && config.scale > 0.0) {
        bail!("the scale must be a number above 0");
    }
    let system = Principal::system();
    if !app.teams(&system).await?.is_empty() {
        bail!("the database already holds data; the demo goes into an empty database");
    }
    let mut generator = Generator::new(config)?;
    let mut summary = DemoSummary::default();
    let store = app.store().clone();
    let change = |what: String| Change::new(Actor::System, app.now(), "demo.seeded", "demo", what);

    let base = generator.reference_data();
    summary.teams = base.teams.len();
    summary.employees = base.employees.len();
    summary.topics = base.topics.len();
    store
        .insert_batch(&base, &change(format!("{} reference records", base.len())))
        .await
        .context("writing teams, employees and topics")?;
    app.update_organisation(
        &system,
        Organisation::parse(catalogue::ORGANISATION, catalogue::INHABITANTS, "Europe/Amsterdam")?,
    )
    .await?;

    for (username, password, roles, team) in USERS {
        let input = EmployeeInput {
            name: format!("Demo {username}"),
            email: Some(format!("{username}@lagewaard.example").parse()?),
            team_id: Some(base.teams[team].id),
            roles: roles.to_vec(),
            username: Some(username.to_string()),
            active: true,
            ..Default::default()
        };
        app.add_user(&system, input, password).await.with_context(|| format!("adding demo user {username}"))?;
        let roles: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        summary.users.push((username.to_string(), password.to_string(), roles.join(",")));
    }
    summary.employees += USERS.len();

    while let Some(batch) = generator.next_customers(5_000) {
        summary.customers += batch.customers.len();
        store.insert_batch(&batch, &change(format!("{} customers", batch.customers.len()))).await?;
    }
    while let Some(batch) = generator.next_history(5_000) {
        summary.contacts += batch.contacts.len();
        summary.questions += batch.contacts.iter().map(|c| c.questions.len()).sum::<usize>();
        summary.cases += batch.cases.len();
        store.insert_batch(&batch, &change(format!("{} contacts", batch.contacts.len()))).await?;
        progress(summary.contacts as u64);
    }
    Ok(summary)
}
