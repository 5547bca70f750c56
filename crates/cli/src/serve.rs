//! `gastvrij serve`: the web server, with graceful shutdown on SIGTERM or Ctrl-C.

use crate::db::{self, DbArgs};
use crate::demo;
use anyhow::Context;
use clap::Args;
use gastvrij_store::OpenMode;
use gastvrij_web::AppState;
use std::net::SocketAddr;

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
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let mode = if args.demo { OpenMode::CreateIfMissing } else { OpenMode::MustExist };
    let database = args.db.open(mode).await?;
    let applied = database.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "database schema migrated");
    }
    let app = db::app(database);
    if args.demo {
        demo::seed_if_empty(&app, &demo::DemoArgs::defaults(args.db.clone())).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| {
        format!("cannot listen on {}; choose another address with --listen (GASTVRIJ_LISTEN)", args.listen)
    })?;
    let backend = app.store().backend();
    tracing::info!(address = %args.listen, backend, "Gastvrij is listening; open http://{}", args.listen);
    axum::serve(listener, gastvrij_web::router(AppState::new(app)))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")?;
    tracing::info!("stopped cleanly");
    Ok(())
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
