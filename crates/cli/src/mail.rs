//! Outgoing mail: the transport settings `serve` and `gastvrij mail` share, the worker that
//! `serve` runs, and `gastvrij mail send-due` / `gastvrij mail list` for operators.

use crate::db::{self, DbArgs};
use anyhow::{Context, anyhow};
use clap::{Args, Subcommand, ValueEnum};
use gastvrij_app::mail::MAIL_BATCH;
use gastvrij_app::ports::MailTransport;
use gastvrij_app::{App, Page, Principal};
use gastvrij_domain::mail::{MailInput, MailKind, MailStatus, address_domain};
use gastvrij_mail::{DEFAULT_FROM, EmlTransport, SmtpSecurity, SmtpSettings, SmtpTransport, parse_sender};
use gastvrij_store::OpenMode;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long one SMTP command may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// The worker looks for due mail this often (and at once when mail is queued).
const WORKER_INTERVAL: Duration = Duration::from_secs(5);

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    Starttls,
    /// TLS from the start (implicit TLS, port 465).
    Tls,
    /// No encryption: only for a relay on this machine.
    None,
}

/// Where outgoing mail goes: a mail server (SMTP), or without `--smtp-host` `.eml` files in
/// `DATA/mail/`.
#[derive(Args, Debug, Clone)]
pub struct MailArgs {
    /// Mail server for outgoing mail. Without it, mail is written as .eml files to DATA/mail/.
    #[arg(long, env = "GASTVRIJ_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// Mail server port [default: 587, or 465 with --smtp-tls tls].
    #[arg(long, env = "GASTVRIJ_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    /// How the connection to the mail server is secured.
    #[arg(long, env = "GASTVRIJ_SMTP_TLS", value_enum, default_value_t = SmtpTls::Starttls)]
    pub smtp_tls: SmtpTls,
    /// User name at the mail server (with --smtp-password).
    #[arg(long, env = "GASTVRIJ_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    /// Password at the mail server; prefer the environment variable over the command line.
    #[arg(long, env = "GASTVRIJ_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// Sender of outgoing mail, e.g. "Waterschap <noreply@waterschap.nl>".
    #[arg(long, env = "GASTVRIJ_MAIL_FROM", default_value = DEFAULT_FROM)]
    pub mail_from: String,
    /// Seconds a node holds the mails it claimed for delivery (a batch of 5). When a node dies,
    /// the mails it held wait this long before another node sends them; keep it above the time
    /// a batch can take against a slow mail server.
    #[arg(long, env = "GASTVRIJ_MAIL_LEASE_SECONDS", default_value_t = 900,
        value_parser = clap::value_parser!(u32).range(10..=86_400))]
    pub mail_lease_seconds: u32,
}

impl MailArgs {
    /// The configured transport; a bad setting is an error that names the flag.
    /// How long a claimed batch is held (`--mail-lease-seconds`).
    pub fn lease(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_secs(i64::from(self.mail_lease_seconds))
    }

    pub fn transport(&self, data: &Path) -> anyhow::Result<Arc<dyn MailTransport>> {
        let from = parse_sender(&self.mail_from).map_err(|e| anyhow!("--mail-from (GASTVRIJ_MAIL_FROM): {e}"))?;
        let Some(host) = self.smtp_host.as_deref().map(str::trim).filter(|h| !h.is_empty()) else {
            let dir = data.join("mail");
            let eml = EmlTransport::new(&dir, from).with_context(|| {
                format!("cannot create the mail folder {}; check --data (GASTVRIJ_DATA)", dir.display())
            })?;
            return Ok(Arc::new(eml));
        };
        let (security, default_port) = match self.smtp_tls {
            SmtpTls::Starttls => (SmtpSecurity::StartTls, 587),
            SmtpTls::Tls => (SmtpSecurity::Tls, 465),
            SmtpTls::None => (SmtpSecurity::None, 587),
        };
        let settings = SmtpSettings {
            host: host.to_string(),
            port: self.smtp_port.unwrap_or(default_port),
            security,
            username: self.smtp_username.clone().filter(|u| !u.is_empty()),
            password: self.smtp_password.clone().filter(|p| !p.is_empty()),
            timeout: SMTP_TIMEOUT,
        };
        if security == SmtpSecurity::None && settings.password.is_some() {
            tracing::warn!("the SMTP password goes over an unencrypted connection (--smtp-tls none)");
        }
        Ok(Arc::new(SmtpTransport::new(&settings, from).map_err(|e| anyhow!(e))?))
    }

    /// Where mail goes, for the start-up log (no credentials).
    pub fn describe(&self, data: &Path) -> String {
        match self.smtp_host.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            Some(host) => format!("smtp://{host} ({:?})", self.smtp_tls).to_lowercase(),
            None => data.join("mail").display().to_string(),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Queue a test mail, to check the mail settings: the running server sends it within seconds,
    /// or `gastvrij mail send-due` does.
    Test {
        #[command(flatten)]
        db: DbArgs,
        /// The address to send it to.
        #[arg(long)]
        to: String,
    },
    /// Decide the satisfaction survey invitations now, once (the server does it every five
    /// minutes): the invitations go into the outbox (docs/satisfaction.md).
    SurveyInvitations {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Deliver the mail that is due now, once, and print what happened.
    SendDue {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// List outgoing mail, newest first: id, kind, status, attempts, the recipient's domain
    /// (never the address), times and the last error.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Only mail in this status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// At most this many mails (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Pending,
    Sent,
    Failed,
}

impl From<StatusArg> for MailStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Pending => MailStatus::Pending,
            StatusArg::Sent => MailStatus::Sent,
            StatusArg::Failed => MailStatus::Failed,
        }
    }
}

pub async fn run(command: MailCommand) -> anyhow::Result<()> {
    match command {
        MailCommand::Test { db, to } => {
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let input = MailInput {
                kind: MailKind::Bericht,
                to,
                subject: "Testbericht van Gastvrij".into(),
                body: "Dit is een testbericht van Gastvrij. Komt het aan, dan werkt de uitgaande post.".into(),
                reply_to: None,
            };
            let mail = app.queue_mail(&Principal::operator(), input).await.map_err(|e| match e {
                gastvrij_app::AppError::Invalid(i) => {
                    anyhow!("--{} {}", i.field, gastvrij_web::wording::english_problem(&i))
                }
                other => other.into(),
            })?;
            println!(
                "queued test mail {}; the server sends it within seconds, or run 'gastvrij mail send-due'",
                mail.id
            );
        }
        MailCommand::SurveyInvitations { db } => {
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let run = app.invite_surveys().await?;
            println!("{} invited, {} not invited, {} decided by another node", run.invited, run.skipped, run.taken);
        }
        MailCommand::SendDue { db, mail } => {
            let transport = mail.transport(&db.data)?;
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let report = app.deliver_due_mail_leased(transport.as_ref(), MAIL_BATCH, mail.lease()).await?;
            let counts = app.store().mail_counts().await?;
            println!(
                "sent {}, failed {} (to retry later {}, given up {}); outbox now: {} pending, {} sent, {} failed",
                report.sent,
                report.retrying + report.failed,
                report.retrying,
                report.failed,
                counts.pending,
                counts.sent,
                counts.failed
            );
        }
        MailCommand::List { db, status, limit } => {
            let page = Page::new(Some(limit), None)
                .map_err(|e| anyhow!("--limit {}", gastvrij_web::wording::english_problem(&e)))?;
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let query = gastvrij_app::ports::MailQuery { status: status.map(Into::into), page };
            let mails = app.store().mail_list(&query).await?;
            let time = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string()).unwrap_or_else(|| "-".into());
            println!("id\tkind\tstatus\tattempts\tdomain\tcreated_at\tnext_attempt_at\tlast_error");
            for m in &mails {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    m.id,
                    m.kind.code(),
                    m.status.code(),
                    m.attempts,
                    address_domain(m.to.as_str()),
                    m.created_at,
                    time(m.next_attempt_at),
                    m.last_error.as_deref().unwrap_or("-").replace('\t', " ")
                );
            }
        }
    }
    Ok(())
}

/// The mail worker of `serve`: every few seconds, and at once when woken after mail was queued,
/// deliver what is due. Logs name mail ids, kinds and error categories, never recipients.
pub async fn worker(
    app: App,
    transport: Arc<dyn MailTransport>,
    wake: Arc<tokio::sync::Notify>,
    lease: jiff::SignedDuration,
) {
    let mut tick = tokio::time::interval(WORKER_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = wake.notified() => {}
        }
        match app.deliver_due_mail_leased(transport.as_ref(), MAIL_BATCH, lease).await {
            Ok(r) if r == Default::default() => {}
            Ok(r) => tracing::info!(sent = r.sent, retrying = r.retrying, failed = r.failed, "mail delivery round"),
            Err(e) => tracing::warn!(error = %e, "delivering mail failed; trying again in a few seconds"),
        }
    }
}
