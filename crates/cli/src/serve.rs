//! `gastvrij serve`: the web server, with graceful shutdown on SIGTERM or Ctrl-C.

use crate::db::{self, DbArgs};
use crate::demo;
use anyhow::Context;
use clap::Args;
use gastvrij_store::OpenMode;
use gastvrij_web::AppState;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GASTVRIJ_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// Seed the demo water board on first start (creates the database when missing).
    #[arg(long, env = "GASTVRIJ_DEMO")]
    pub demo: bool,
    /// Open cases due within this many hours raise an event for their owner and team.
    #[arg(long, env = "GASTVRIJ_RISK_HORIZON_HOURS", default_value_t = 48, value_parser = clap::value_parser!(u32).range(0..=8784))]
    pub risk_horizon_hours: u32,
    #[command(flatten)]
    pub mail: crate::mail::MailArgs,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let mode = if args.demo { OpenMode::CreateIfMissing } else { OpenMode::MustExist };
    let database = args.db.open(mode).await?;
    // Checked before the server starts: a bad sender or SMTP setting is a clear error at once.
    let transport = args.mail.transport(&args.db.data)?;
    let applied = database.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "database schema migrated");
    }
    let app = db::app(database);
    if args.demo {
        demo::seed_if_empty(&app, &demo::DemoArgs::defaults(args.db.clone())).await?;
    }
    let index = crate::search::open(app, &args.db.data, true).context("opening the kennisbank search index")?;
    index.catch_up().await.context("bringing the search index up to date")?;
    let wake = Arc::new(tokio::sync::Notify::new());
    let app = index.app.clone().with_mail_wake({
        let wake = wake.clone();
        Arc::new(move || wake.notify_one())
    });
    tokio::spawn(index_watch(index));
    tracing::info!(transport = transport.name(), to = %args.mail.describe(&args.db.data), "outgoing mail");
    tokio::spawn(crate::mail::worker(app.clone(), transport, wake));
    let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| {
        format!("cannot listen on {}; choose another address with --listen (GASTVRIJ_LISTEN)", args.listen)
    })?;
    tokio::spawn(deadline_watch(app.clone(), jiff::SignedDuration::from_hours(i64::from(args.risk_horizon_hours))));
    let backend = app.store().backend();
    tracing::info!(address = %args.listen, backend, "Gastvrij is listening; open http://{}", args.listen);
    let router = gastvrij_web::router(AppState::new(app));
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Every second: apply article changes to the search index (the index follows the database).
async fn index_watch(index: crate::search::OpenIndex) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tick.tick().await;
        if let Err(e) = index.catch_up().await {
            tracing::warn!(error = %e, "updating the search index failed; retrying");
        }
    }
}

/// Every minute: bring the compliance roll-ups up to date and apply scheduled article publication
/// and archiving; every five minutes: raise events for cases entering their risk horizon.
async fn deadline_watch(app: gastvrij_app::App, horizon: jiff::SignedDuration) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    for round in 0u64.. {
        tick.tick().await;
        if let Err(e) = app.refresh_rollups().await {
            tracing::warn!(error = %e, "refreshing the compliance roll-ups failed; retrying in a minute");
        }
        match app.apply_article_schedules().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(articles = n, "scheduled articles published or archived"),
            Err(e) => tracing::warn!(error = %e, "applying article schedules failed; retrying in a minute"),
        }
        if round % 5 != 0 {
            continue;
        }
        match app.raise_risk_events(horizon).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(events = n, "cases entered their risk horizon"),
            Err(e) => tracing::warn!(error = %e, "deadline watch failed; retrying in five minutes"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
