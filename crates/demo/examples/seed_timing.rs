//! Seed a fresh SQLite database with the demo and report how long it took.
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/target-demo cargo run --release -p gastvrij-demo --example seed_timing -- 1
//! ```
//! Arguments: scale (default 1), seed (default 2026), last day (default 2026-11-27), database
//! folder (default a fresh folder under the temp dir, removed afterwards). `--generate-only`
//! times the generator without a database.

use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let generate_only = args.iter().any(|a| a == "--generate-only");
    args.retain(|a| a != "--generate-only");
    let scale: f64 = args.first().map(|s| s.parse()).transpose()?.unwrap_or(1.0);
    let seed: u64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(2026);
    let until: jiff::civil::Date =
        args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(jiff::civil::date(2026, 11, 27));
    if generate_only {
        // Only the pure generator, no database: how much of the time is generation.
        let config = gastvrij_demo::DemoConfig { scale, seed, until };
        let started = Instant::now();
        let mut g = gastvrij_demo::Generator::new(&config)?;
        let (mut customers, mut contacts, mut cases) = (0, 0, 0);
        while let Some(b) = g.next_customers(5_000)? {
            customers += b.customers.len();
        }
        while let Some(b) = g.next_history(5_000)? {
            contacts += b.contacts.len();
            cases += b.cases.len();
        }
        let s = started.elapsed().as_secs_f64();
        println!("generated {customers} customers, {contacts} contacts, {cases} cases in {s:.2} s (no database)");
        return Ok(());
    }
    let (dir, keep) = match args.get(3) {
        Some(d) => (std::path::PathBuf::from(d), true),
        None => (std::env::temp_dir().join(format!("gastvrij_demo_timing_{}", std::process::id())), false),
    };
    std::fs::create_dir_all(&dir)?;
    let location = gastvrij_store::Location::Sqlite(dir.join("gastvrij.sqlite"));
    let db = gastvrij_store::Database::open(&location, gastvrij_store::OpenMode::CreateIfMissing).await?;
    db.migrate().await?;
    let app =
        gastvrij_app::App::new(db.into_store(), std::sync::Arc::new(gastvrij_app::SystemClock), Default::default());
    let config = gastvrij_demo::DemoConfig { scale, seed, until };
    let planned = gastvrij_demo::planned_work(&config);
    let started = Instant::now();
    let marks = std::sync::Mutex::new(vec![]);
    let summary = gastvrij_demo::seed(&app, &config, &|done| {
        if let Ok(mut m) = marks.lock() {
            m.push((done, started.elapsed().as_secs_f64()));
        }
    })
    .await?;
    let elapsed = started.elapsed();
    let marks = marks.into_inner().unwrap_or_default();
    let customers = gastvrij_demo::planned_customers(scale);
    if let Some((_, t)) = marks.iter().find(|(done, _)| *done == customers) {
        let first = marks.first().map(|m| m.1).unwrap_or(0.0);
        println!("first batch after {first:.2} s, customers written after {t:.2} s");
    }
    println!("scale {scale}, seed {seed}, until {until}: {planned} units of work in {:.2} s", elapsed.as_secs_f64());
    println!("{summary}");
    for (user, password, roles) in &summary.users {
        println!("  {user} / {password} / {roles}");
    }
    if !keep {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}
