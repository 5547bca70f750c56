//! `gastvrij serve`: the web server, with graceful shutdown on SIGTERM or Ctrl-C.

use crate::db::{self, DbArgs};
use crate::demo;
use anyhow::Context;
use clap::Args;
use gastvrij_store::OpenMode;
use gastvrij_web::AppState;
use gastvrij_web::oidc::{OidcConfig, OidcError, Provider};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

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
    pub oidc: OidcArgs,
    #[command(flatten)]
    pub mail: crate::mail::MailArgs,
    #[command(flatten)]
    pub portal: PortalArgs,
    #[command(flatten)]
    pub security: SecurityArgs,
    #[command(flatten)]
    pub retention: crate::privacy::RetentionArgs,
    /// The file with the key that makes the tracking and unsubscribe links in citizens' mails:
    /// 32 or more random bytes, raw or as hex (`openssl rand -hex 32`). Kept apart from the
    /// database and backed up with it. Default: `link-key` in the data folder, made there on first
    /// start with the embedded database; with PostgreSQL it must exist (the same on every node).
    #[arg(long, env = "GASTVRIJ_LINK_KEY_FILE")]
    pub link_key_file: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub attachments: AttachmentsArgs,
}

/// Where photos are kept (also a flag of `privacy erase` and `privacy retention`, which delete
/// the objects of the photos they erase).
#[derive(Args, Debug, Clone)]
pub struct AttachmentsArgs {
    /// Where new photos are kept: `database` (in the database rows), `folder:PATH` (files under
    /// PATH; for one node or a mount all nodes share) or `s3://bucket[/prefix]` (an S3-compatible
    /// bucket; endpoint, region and keys from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, and AWS_ALLOW_HTTP=true for a plain-HTTP endpoint). Outside the
    /// database the row keeps only the object's key. Photos stored earlier are still read.
    #[arg(long, env = "GASTVRIJ_ATTACHMENTS", default_value = "database")]
    pub attachments: gastvrij_store::AttachmentsConfig,
}

impl AttachmentsArgs {
    /// `app` keeping photos where this says.
    pub fn apply(&self, app: gastvrij_app::App) -> anyhow::Result<gastvrij_app::App> {
        Ok(match self.attachments.open().context("opening the attachments store (--attachments)")? {
            Some(attachments) => app.with_attachments(attachments),
            None => app,
        })
    }
}

/// Who the client is behind a load balancer, and how much one request may take.
#[derive(Args, Debug)]
pub struct SecurityArgs {
    /// A load balancer or reverse proxy whose X-Forwarded-For names the client, as an address or
    /// network (10.0.0.0/8, 2001:db8::/32); repeat it, or list them comma-separated in the
    /// environment variable. Without it the connecting address is the client.
    #[arg(long = "trusted-proxy", env = "GASTVRIJ_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxies: Vec<gastvrij_web::proxy::Cidr>,
    /// The longest a request may take, its upload included, in seconds.
    #[arg(long, env = "GASTVRIJ_REQUEST_TIMEOUT_SECS", default_value_t = gastvrij_web::transport::DEFAULT_REQUEST_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_secs: u64,
    /// The longest pause while a request body arrives, in seconds.
    #[arg(long, env = "GASTVRIJ_BODY_TIMEOUT_SECS", default_value_t = gastvrij_web::transport::DEFAULT_BODY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout_secs: u64,
    /// Requests handled at once; more get "503, try again in a minute" at once.
    #[arg(long, env = "GASTVRIJ_MAX_IN_FLIGHT", default_value_t = gastvrij_web::transport::DEFAULT_MAX_IN_FLIGHT as u64,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_in_flight: u64,
}

impl SecurityArgs {
    pub fn limits(&self) -> gastvrij_web::transport::Limits {
        gastvrij_web::transport::Limits {
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            body_timeout: Duration::from_secs(self.body_timeout_secs),
            max_in_flight: usize::try_from(self.max_in_flight).unwrap_or(usize::MAX),
        }
    }
}

/// What the public portal shows and allows.
#[derive(Args, Debug)]
pub struct PortalArgs {
    /// The water board's phone number shown to citizens.
    #[arg(long, env = "GASTVRIJ_PHONE", default_value = "088 000 0000")]
    pub phone: String,
    /// The 24/7 number for danger (a dike giving way, flooding); default: --phone.
    #[arg(long, env = "GASTVRIJ_URGENT_PHONE")]
    pub urgent_phone: Option<String>,
    /// Public submissions (forms, messages, surveys) allowed per address in 10 minutes.
    #[arg(long, env = "GASTVRIJ_SUBMISSIONS_PER_10_MINUTES", default_value_t = gastvrij_web::DEFAULT_SUBMISSIONS_PER_10_MINUTES,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub submissions_per_10_minutes: u32,
}

impl PortalArgs {
    pub fn settings(&self) -> gastvrij_web::portal::PortalSettings {
        let phone = self.phone.trim().to_string();
        let urgent =
            self.urgent_phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).unwrap_or(&phone).to_string();
        gastvrij_web::portal::PortalSettings { phone, urgent_phone: urgent }
    }
}

/// Staff sign-in through the organisation's OpenID Connect provider (off unless configured).
#[derive(Args, Default)]
pub struct OidcArgs {
    /// OIDC issuer URL, e.g. https://sso.example.nl/realms/waterschap (Keycloak) or
    /// https://login.microsoftonline.com/TENANT-ID/v2.0 (Entra ID). Turns on OIDC sign-in.
    #[arg(long, env = "GASTVRIJ_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The client id Gastvrij has at the provider.
    #[arg(long, env = "GASTVRIJ_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// The client secret (better in the environment than on the command line).
    #[arg(long, env = "GASTVRIJ_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// The address people use to reach Gastvrij, e.g. https://kcc.example.nl; the OIDC redirect
    /// URI is this followed by /inloggen/oidc/terug.
    #[arg(long, env = "GASTVRIJ_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Text of the OIDC sign-in button.
    #[arg(long, env = "GASTVRIJ_OIDC_LABEL", default_value = gastvrij_web::oidc::DEFAULT_LABEL)]
    pub oidc_label: String,
}

impl std::fmt::Debug for OidcArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcArgs")
            .field("oidc_issuer", &self.oidc_issuer)
            .field("oidc_client_id", &self.oidc_client_id)
            .field("oidc_client_secret", &self.oidc_client_secret.as_ref().map(|_| "[hidden]"))
            .field("public_url", &self.public_url)
            .field("oidc_label", &self.oidc_label)
            .finish()
    }
}

impl OidcArgs {
    /// The checked OIDC settings; `None` when OIDC is not configured at all. Some but not all of
    /// issuer, client id and client secret is an error that names what is missing.
    pub fn config(&self) -> anyhow::Result<Option<OidcConfig>> {
        let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        let flags = [
            (given(&self.oidc_issuer), "--oidc-issuer (GASTVRIJ_OIDC_ISSUER)"),
            (given(&self.oidc_client_id), "--oidc-client-id (GASTVRIJ_OIDC_CLIENT_ID)"),
            (given(&self.oidc_client_secret), "--oidc-client-secret (GASTVRIJ_OIDC_CLIENT_SECRET)"),
        ];
        if flags.iter().all(|(set, _)| !set) {
            return Ok(None);
        }
        let missing: Vec<&str> = flags.iter().filter(|(set, _)| !set).map(|(_, flag)| *flag).collect();
        if !missing.is_empty() {
            anyhow::bail!(
                "OIDC sign-in needs issuer, client id and client secret together; missing {}",
                missing.join(" and ")
            );
        }
        let Some(public_url) = self.public_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            anyhow::bail!(
                "OIDC sign-in needs --public-url (GASTVRIJ_PUBLIC_URL), the address people use to reach Gastvrij, \
                 to build the redirect URI"
            );
        };
        let (issuer, id, secret) = (&self.oidc_issuer, &self.oidc_client_id, &self.oidc_client_secret);
        OidcConfig::new(
            issuer.as_deref().unwrap_or_default(),
            id.as_deref().unwrap_or_default(),
            secret.as_deref().unwrap_or_default(),
            public_url,
            Some(&self.oidc_label),
        )
        .map(Some)
        .map_err(|e| anyhow::anyhow!("{e}"))
    }
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let oidc = args.oidc.config()?;
    let mode = if args.demo { OpenMode::CreateIfMissing } else { OpenMode::MustExist };
    let database = args.db.open(mode).await?;
    // Checked before the server starts: a bad sender or SMTP setting is a clear error at once.
    let transport = args.mail.transport(&args.db.data)?;
    let applied = database.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(?applied, "database schema migrated");
    }
    if let gastvrij_store::Database::Postgres(pg) = &database {
        match pg.connection_encrypted().await {
            Ok(true) => tracing::info!("the connection to PostgreSQL is encrypted (TLS)"),
            Ok(false) => tracing::warn!(
                "the connection to PostgreSQL is not encrypted; add sslmode=verify-full to the URL \
                 when the database is on another machine"
            ),
            Err(error) => tracing::warn!(%error, "cannot tell whether the PostgreSQL connection is encrypted"),
        }
    }
    // Links in mails to citizens point here.
    let public_url = match args.oidc.public_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("http://{}", args.listen),
    };
    let https = public_url.starts_with("https://");
    let embedded = args.db.database.as_deref().map(str::trim).is_none_or(|d| d.is_empty() || d.starts_with("sqlite:"));
    let link_key = crate::link_key::KeyFile::choose(args.link_key_file.as_deref(), &args.db.data, embedded).load()?;
    let app = db::app_with(
        database,
        gastvrij_app::Settings { public_url, retention: args.retention.retention(), ..Default::default() },
    )
    .with_link_key(link_key);
    let app = args.attachments.apply(app)?;
    tracing::info!(backend = app.attachments_backend(), "photos are kept here (--attachments)");
    if args.demo {
        demo::seed_if_empty(&app, &demo::DemoArgs::defaults(args.db.clone())).await?;
    }
    let oidc = match oidc {
        Some(config) => Some(oidc_provider(config).await?),
        None => None,
    };
    let index = crate::search::open(app, &args.db.data, true).context("opening the kennisbank search index")?;
    index.catch_up().await.context("bringing the search index up to date")?;
    let wake = Arc::new(tokio::sync::Notify::new());
    let app = index.app.clone().with_mail_wake({
        let wake = wake.clone();
        Arc::new(move || wake.notify_one())
    });
    let index = Arc::new(index);
    tokio::spawn(supervise("search index", RESTART_BACKOFF, move || index_watch(index.clone())));
    tracing::info!(transport = transport.name(), to = %args.mail.describe(&args.db.data), "outgoing mail");
    let lease = args.mail.lease();
    tokio::spawn(supervise("mail", RESTART_BACKOFF, {
        let app = app.clone();
        move || crate::mail::worker(app.clone(), transport.clone(), wake.clone(), lease)
    }));
    let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| {
        format!("cannot listen on {}; choose another address with --listen (GASTVRIJ_LISTEN)", args.listen)
    })?;
    let horizon = jiff::SignedDuration::from_hours(i64::from(args.risk_horizon_hours));
    tokio::spawn(supervise("deadlines", RESTART_BACKOFF, {
        let app = app.clone();
        move || deadline_watch(app.clone(), horizon)
    }));
    tokio::spawn({
        // Objects of photos erased while a node was down (or whose deletion failed) go now;
        // retention runs the same sweep after every run.
        let app = app.clone();
        async move {
            match app.sweep_attachments().await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "objects of erased photos deleted"),
                Err(e) => tracing::error!(error = %e, "deleting objects of erased photos failed"),
            }
        }
    });
    tokio::spawn(supervise("retention", RESTART_BACKOFF, {
        let app = app.clone();
        move || retention_job(app.clone())
    }));
    let backend = app.store().backend();
    tracing::info!(address = %args.listen, backend, "Gastvrij is listening; open http://{}", args.listen);
    let state_app = app.clone();
    let mut state = AppState::new(app)
        .with_portal(args.portal.settings())
        .with_submission_limit(args.portal.submissions_per_10_minutes)
        .with_trusted_proxies(args.security.trusted_proxies.clone())
        .with_https(https)
        .with_limits(args.security.limits());
    if !args.security.trusted_proxies.is_empty() {
        let proxies: Vec<String> = args.security.trusted_proxies.iter().map(ToString::to_string).collect();
        tracing::info!(?proxies, "X-Forwarded-For is believed from these proxies");
    }
    if let Some(provider) = oidc {
        state = state.with_oidc(provider);
    }
    let router = gastvrij_web::router(state);
    tokio::spawn(supervise("portal heartbeat", RESTART_BACKOFF, {
        let (app, router, node) = (state_app.clone(), router.clone(), node_name());
        move || portal_heartbeat(app.clone(), router.clone(), node.clone())
    }));
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server error")?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Set up OIDC sign-in and read the provider's discovery document now, so a wrong issuer stops the
/// start. A provider that cannot be reached yet is tried again at the first sign-in.
async fn oidc_provider(config: OidcConfig) -> anyhow::Result<Provider> {
    let issuer = config.issuer.clone();
    let provider = Provider::new(config).map_err(|e| anyhow::anyhow!("{e}"))?;
    match provider.metadata().await {
        Ok(_) => tracing::info!(issuer, "OIDC sign-in is on"),
        Err(OidcError::Unreachable(detail)) => {
            tracing::warn!(issuer, %detail, "OIDC provider not reachable yet; trying again at the first sign-in")
        }
        Err(OidcError::BadAnswer(detail)) => anyhow::bail!("OIDC provider {issuer}: {detail}"),
        Err(OidcError::Rejected(_)) => {}
    }
    Ok(provider)
}

/// The first wait before a crashed background worker starts again; it doubles on every crash in a
/// row, up to [`MAX_RESTART_BACKOFF`].
const RESTART_BACKOFF: Duration = Duration::from_secs(1);
const MAX_RESTART_BACKOFF: Duration = Duration::from_secs(60);

/// Runs a background worker (mail, search index, deadlines) for as long as the server runs: when
/// it panics, the cause is logged and it starts again after a short back-off, so one bad mail or
/// record can never stop the work for everyone. A worker that returns has finished: it is not
/// started again. Returns how often the worker was restarted.
pub(crate) async fn supervise<F, Fut>(name: &'static str, backoff: Duration, mut start: F) -> u32
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (mut delay, mut restarts) = (backoff, 0);
    loop {
        let started = std::time::Instant::now();
        match tokio::spawn(start()).await {
            Ok(()) => return restarts,
            Err(e) if e.is_panic() => {
                let cause = e.into_panic();
                let cause = gastvrij_app::mail::panic_text(&*cause);
                tracing::error!(
                    worker = name,
                    cause,
                    restart_in_ms = delay.as_millis() as u64,
                    "background worker panicked; starting it again"
                );
            }
            Err(e) => {
                tracing::warn!(worker = name, error = %e, "background worker cancelled");
                return restarts;
            }
        }
        if started.elapsed() > MAX_RESTART_BACKOFF {
            delay = backoff; // it ran well for a while: this is a new crash, not a crash loop
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(MAX_RESTART_BACKOFF.max(backoff));
        restarts += 1;
    }
}

/// Every second: apply article changes to the search index (the index follows the database).
async fn index_watch(index: Arc<crate::search::OpenIndex>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tick.tick().await;
        if let Err(e) = index.catch_up().await {
            tracing::warn!(error = %e, "updating the search index failed; retrying");
        }
    }
}

/// Every minute: bring the compliance roll-ups up to date and apply scheduled article publication
/// and archiving; every five minutes: invite customers to the satisfaction survey and raise events
/// for cases entering their risk horizon.
async fn deadline_watch(app: gastvrij_app::App, horizon: jiff::SignedDuration) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    for round in 0u64.. {
        tick.tick().await;
        if let Err(e) = app.refresh_rollups().await {
            tracing::warn!(error = %e, "refreshing the compliance roll-ups failed; retrying in a minute");
        }
        if let Err(e) = app.refresh_contact_rollups().await {
            tracing::warn!(error = %e, "refreshing the contact roll-ups failed; retrying in a minute");
        }
        if let Err(e) = app.refresh_journey_rollups().await {
            tracing::warn!(error = %e, "refreshing the journey roll-ups failed; retrying in a minute");
        }
        match app.apply_article_schedules().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(articles = n, "scheduled articles published or archived"),
            Err(e) => tracing::warn!(error = %e, "applying article schedules failed; retrying in a minute"),
        }
        if round % 5 != 0 {
            continue;
        }
        // Survey invitations: safe on several nodes, each contact or case is claimed in the database.
        match app.invite_surveys().await {
            Ok(run) if run.invited > 0 => tracing::info!(invited = run.invited, "survey invitations queued"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "survey invitations failed; retrying in five minutes"),
        }
        match app.raise_risk_events(horizon).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(events = n, "cases entered their risk horizon"),
            Err(e) => tracing::warn!(error = %e, "deadline watch failed; retrying in five minutes"),
        }
    }
}

/// The retention policy: a few minutes after the start, then daily. Each batch claims the work in
/// the database (PostgreSQL advisory lock), so with two nodes only one does it at a time; the other
/// finds nothing left to do. Cutoffs come from the app's clock.
async fn retention_job(app: gastvrij_app::App) {
    use gastvrij_app::privacy::RetentionRun;
    tokio::time::sleep(RETENTION_FIRST_RUN).await;
    let mut tick = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
    loop {
        tick.tick().await;
        match app.apply_retention(app.now(), false).await {
            Ok(RetentionRun::Done(counts)) => tracing::info!(
                cases = counts.cases,
                mail_bodies = counts.mail_bodies,
                unconfirmed_subscriptions = counts.unconfirmed_subscriptions,
                search_questions = counts.search_questions,
                "retention applied"
            ),
            Ok(RetentionRun::ClaimedElsewhere) => tracing::info!("retention is being applied by another node"),
            Err(e) => tracing::warn!(error = %e, "applying retention failed; retrying tomorrow"),
        }
    }
}

/// Every minute: ask this node's own public portal for its start page (in-process, through the
/// whole router: handler, templates and database); when it answers, record the minute as
/// available. Every node does this; the database keeps one row per minute, so two nodes never
/// count a minute twice (`App::portal_heartbeat`, docs/open-data.md).
async fn portal_heartbeat(app: gastvrij_app::App, router: axum::Router, node: String) {
    use tower::ServiceExt as _;
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let request = axum::http::Request::get("/").body(axum::body::Body::empty()).expect("a plain GET");
        let status = match router.clone().oneshot(request).await {
            Ok(res) => res.status(),
            Err(never) => match never {},
        };
        if !status.is_success() {
            tracing::warn!(
                status = status.as_u16(),
                "the portal's start page failed its self-check; minute not counted"
            );
            continue;
        }
        if let Err(e) = app.portal_heartbeat(&node).await {
            tracing::warn!(error = %e, "recording the portal heartbeat failed; minute not counted");
        }
    }
}

/// This node's name in the heartbeat table: the host name and process id.
fn node_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "node".into());
    format!("{}:{}", host.trim(), std::process::id())
}

/// The first retention run waits until the server has settled.
const RETENTION_FIRST_RUN: Duration = Duration::from_secs(5 * 60);

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

#[cfg(test)]
mod tests {
    use super::{Duration, OidcArgs, supervise};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(clap::Parser)]
    struct SecurityOnly {
        #[command(flatten)]
        security: super::SecurityArgs,
    }

    #[test]
    fn trusted_proxies_repeat_or_come_comma_separated_and_limits_have_defaults() {
        use clap::Parser;
        let args = ["serve", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "2001:db8::/48, 192.0.2.7"];
        let parsed = SecurityOnly::try_parse_from(args).unwrap().security;
        let proxies: Vec<String> = parsed.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(proxies, ["10.0.0.0/8", "2001:db8::/48", "192.0.2.7/32"]);
        assert_eq!(parsed.limits(), gastvrij_web::transport::Limits::default());
        let err = SecurityOnly::try_parse_from(["serve", "--trusted-proxy", "10.0.0.0/33"]).err().unwrap().to_string();
        assert!(err.contains("prefix length"), "{err}");
    }

    #[tokio::test]
    async fn a_supervised_worker_is_started_again_after_each_panic_until_it_finishes() {
        let starts = Arc::new(AtomicU32::new(0));
        let restarts = supervise("test", Duration::from_millis(1), {
            let starts = starts.clone();
            move || {
                let starts = starts.clone();
                async move {
                    // Panics on its first three runs (as the mail worker did on one bad address).
                    if starts.fetch_add(1, Ordering::SeqCst) < 3 {
                        panic!("a bad record");
                    }
                }
            }
        })
        .await;
        assert_eq!(restarts, 3);
        assert_eq!(starts.load(Ordering::SeqCst), 4);
    }

    fn args(issuer: Option<&str>, id: Option<&str>, secret: Option<&str>, public_url: Option<&str>) -> OidcArgs {
        OidcArgs {
            oidc_issuer: issuer.map(str::to_string),
            oidc_client_id: id.map(str::to_string),
            oidc_client_secret: secret.map(str::to_string),
            public_url: public_url.map(str::to_string),
            oidc_label: gastvrij_web::oidc::DEFAULT_LABEL.into(),
        }
    }

    #[test]
    fn oidc_is_off_unless_configured_and_a_partial_configuration_names_what_is_missing() {
        assert!(args(None, None, None, None).config().unwrap().is_none());
        assert!(args(None, None, None, Some("https://kcc.ws.nl")).config().unwrap().is_none());
        let issuer = Some("https://sso.ws.nl/realms/ws");
        let err = args(issuer, Some("gastvrij"), None, Some("https://kcc.ws.nl")).config().unwrap_err().to_string();
        assert!(err.contains("missing --oidc-client-secret (GASTVRIJ_OIDC_CLIENT_SECRET)"), "{err}");
        assert!(!err.contains("--oidc-client-id"), "{err}");
        let err = args(issuer, None, None, None).config().unwrap_err().to_string();
        assert!(err.contains("--oidc-client-id") && err.contains("--oidc-client-secret"), "{err}");
        let err = args(None, Some("gastvrij"), Some("geheim"), None).config().unwrap_err().to_string();
        assert!(err.contains("missing --oidc-issuer (GASTVRIJ_OIDC_ISSUER)"), "{err}");
        let err = args(issuer, Some("gastvrij"), Some("geheim"), None).config().unwrap_err().to_string();
        assert!(err.contains("--public-url (GASTVRIJ_PUBLIC_URL)"), "{err}");
        let ok = args(issuer, Some("gastvrij"), Some("geheim"), Some("https://kcc.ws.nl/")).config().unwrap().unwrap();
        assert_eq!(ok.redirect_uri, "https://kcc.ws.nl/inloggen/oidc/terug");
    }
}
