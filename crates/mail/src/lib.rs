//! Mail transports for the outbox: adapters for the [`MailTransport`] port.
//!
//! - [`EmlTransport`], the default: every mail becomes an RFC 5322 `.eml` file in
//!   `DATA/mail/`, so no mail server is needed and the demo and tests can read what was sent.
//!   It delivers every mail exactly once, also when a node is killed mid-delivery: the file is
//!   staged under a hidden name and only renamed to its `.eml` name after the outbox recorded
//!   the mail as sent (see [`MailTransport`] for the two phases).
//! - [`SmtpTransport`]: a mail server through lettre (tokio, rustls with the ring provider and
//!   the system's CA certificates), with STARTTLS, implicit TLS or — for a relay on the same
//!   machine — no TLS. At least once: a node killed after the server accepted a mail and before
//!   the outbox recorded it leaves the mail leased, and after `--mail-lease-seconds` a node
//!   sends it again, with the same `Message-ID`, so the receiving side can drop the repeat. SMTP
//!   has no way to take an accepted mail back, so it cannot do better.
//!
//! Both write the same message: plain text UTF-8, the subject encoded for non-ASCII (RFC 2047),
//! a `Date`, a `Message-ID` made from the mail's id (so a repeated attempt carries the same id)
//! and `Auto-Submitted: auto-generated` so out-of-office replies stay away.

use async_trait::async_trait;
use gastvrij_app::ports::{Attempt, DeliveryError, MailTransport};
use gastvrij_domain::ids::MailId;
use gastvrij_domain::mail::OutgoingMail;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use lettre::message::Mailbox as Sender;

/// The default sender when none is configured.
pub const DEFAULT_FROM: &str = "Waterschap <noreply@localhost>";

/// Parse the sender (`--mail-from`): `Name <address@example.nl>` or a bare address.
pub fn parse_sender(text: &str) -> Result<Mailbox, String> {
    text.trim().parse::<Mailbox>().map_err(|e| {
        format!("'{text}' is not a sender address ({e}); write it as \"Waterschap <noreply@waterschap.nl>\"")
    })
}

/// The message as it goes out.
pub fn message(mail: &OutgoingMail, from: &Mailbox) -> Result<Message, DeliveryError> {
    let address = |field: &str, a: &str| {
        a.parse::<Address>().map_err(|e| {
            DeliveryError::permanent("address", format!("the {field} address cannot be used in mail: {e}"))
        })
    };
    let mut builder = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, address("recipient", mail.to.as_str())?))
        .subject(mail.subject.clone())
        .date_now()
        .message_id(Some(format!("<{}@{}>", mail.id, from.email.domain())))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()));
    if let Some(reply_to) = &mail.reply_to {
        builder = builder.reply_to(Mailbox::new(None, address("reply-to", reply_to.as_str())?));
    }
    if let Some(link) = &mail.list_unsubscribe {
        // RFC 2369 and RFC 8058: mail programs offer an unsubscribe button that POSTs to the link.
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{link}>")))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    builder
        .singlepart(SinglePart::plain(mail.body.clone()))
        .map_err(|e| DeliveryError::permanent("message", format!("the message cannot be built: {e}")))
}

/// Writes every mail as an `.eml` file into a folder (by default `DATA/mail/`), in two phases:
/// [`MailTransport::deliver`] writes the complete message to a hidden staging name that carries
/// the mail's id and the attempt's moment (`.<id>.<microseconds>.eml.pending`) and syncs it;
/// after the outbox recorded the mail as sent, [`MailTransport::confirm`] renames it to its
/// final name, the attempt's moment and the mail's id (`20260302T090000.123456Z-<id>.eml`). A
/// reader never sees half a mail, and only files ending in `.eml` count as delivered.
pub struct EmlTransport {
    dir: PathBuf,
    from: Mailbox,
}

impl EmlTransport {
    /// A transport into `dir`, which is created when missing (its parent is not: a mistyped
    /// data dir is an error, not a new folder).
    pub fn new(dir: impl Into<PathBuf>, from: Mailbox) -> std::io::Result<Self> {
        let dir = dir.into();
        if !dir.is_dir() {
            std::fs::create_dir(&dir)?;
        }
        Ok(Self { dir, from })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// The suffix of a staged, unconfirmed mail.
const PENDING: &str = ".eml.pending";

fn pending_name(attempt: Attempt) -> String {
    format!(".{}.{}{PENDING}", attempt.id, attempt.at.as_microsecond())
}

fn final_name(attempt: Attempt) -> String {
    format!("{}-{}.eml", attempt.at.strftime("%Y%m%dT%H%M%S%.6fZ"), attempt.id)
}

/// The attempt a staging name stands for; `None` for any other file.
fn parse_pending(name: &str) -> Option<Attempt> {
    let (id, micros) = name.strip_prefix('.')?.strip_suffix(PENDING)?.split_once('.')?;
    let id = id.parse::<MailId>().ok()?;
    let at = jiff::Timestamp::from_microsecond(micros.parse().ok()?).ok()?;
    Some(Attempt { id, at })
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let result = (|| {
        let mut file = std::fs::File::create(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

/// Rename the staged file to its final name; done already (the final file is there) is fine.
fn rename_pending(dir: &Path, attempt: Attempt) -> std::io::Result<()> {
    let target = dir.join(final_name(attempt));
    match std::fs::rename(dir.join(pending_name(attempt)), &target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && target.is_file() => Ok(()),
        other => other,
    }
}

fn remove_pending(dir: &Path, attempt: Attempt) -> std::io::Result<()> {
    match std::fs::remove_file(dir.join(pending_name(attempt))) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn list_pending(dir: &Path) -> std::io::Result<Vec<Attempt>> {
    let mut staged = vec![];
    for entry in std::fs::read_dir(dir)? {
        if let Some(attempt) = entry?.file_name().to_str().and_then(parse_pending) {
            staged.push(attempt);
        }
    }
    staged.sort_by_key(|a| (a.at, a.id));
    Ok(staged)
}

impl EmlTransport {
    /// Run file work off the async threads; an error is a temporary `io` failure.
    async fn on_folder<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&Path) -> std::io::Result<T> + Send + 'static,
    ) -> Result<T, DeliveryError> {
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || work(&dir))
            .await
            .map_err(|e| DeliveryError::temporary("io", format!("{what} stopped: {e}")))?
            .map_err(|e| DeliveryError::temporary("io", format!("{what} in the mail folder failed: {e}")))
    }
}

#[async_trait]
impl MailTransport for EmlTransport {
    fn name(&self) -> &'static str {
        "eml"
    }

    async fn deliver(&self, mail: &OutgoingMail, attempt: Attempt) -> Result<(), DeliveryError> {
        let bytes = message(mail, &self.from)?.formatted();
        self.on_folder("writing the mail file", move |dir| write_synced(&dir.join(pending_name(attempt)), &bytes)).await
    }

    async fn confirm(&self, attempt: Attempt) -> Result<(), DeliveryError> {
        self.on_folder("confirming the mail file", move |dir| rename_pending(dir, attempt)).await
    }

    async fn unconfirmed(&self) -> Result<Vec<Attempt>, DeliveryError> {
        self.on_folder("listing unconfirmed mail files", list_pending).await
    }

    async fn discard(&self, attempt: Attempt) -> Result<(), DeliveryError> {
        self.on_folder("removing an unconfirmed mail file", move |dir| remove_pending(dir, attempt)).await
    }
}

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Connect in plain text, then require STARTTLS (submission, port 587).
    StartTls,
    /// TLS from the first byte (submissions, port 465).
    Tls,
    /// No TLS: only for a relay on this machine or a test server.
    None,
}

/// Where and how to reach the mail server.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// For each SMTP command; a mail that takes longer fails this attempt.
    pub timeout: Duration,
}

/// Delivers through a mail server: one connection per mail.
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpTransport {
    pub fn new(settings: &SmtpSettings, from: Mailbox) -> Result<Self, String> {
        let host = settings.host.trim();
        if host.is_empty() {
            return Err("the SMTP host is empty; give --smtp-host (GASTVRIJ_SMTP_HOST)".into());
        }
        let tls = |host: &str| {
            TlsParameters::new(host.to_string())
                .map_err(|e| format!("cannot set up TLS for the SMTP host '{host}': {e}"))
        };
        let tls = match settings.security {
            SmtpSecurity::StartTls => Tls::Required(tls(host)?),
            SmtpSecurity::Tls => Tls::Wrapper(tls(host)?),
            SmtpSecurity::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(settings.timeout));
        match (&settings.username, &settings.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (None, None) => {}
            (Some(_), None) => {
                return Err("--smtp-username is set without --smtp-password (GASTVRIJ_SMTP_PASSWORD)".into());
            }
            (None, Some(_)) => {
                return Err("--smtp-password is set without --smtp-username (GASTVRIJ_SMTP_USERNAME)".into());
            }
        }
        Ok(Self { inner: builder.build(), from })
    }
}

/// Sort a lettre error into the outbox's categories; 5xx answers are permanent.
fn delivery_error(e: &lettre::transport::smtp::Error) -> DeliveryError {
    let reason = e.to_string().replace(['\r', '\n'], " ");
    if e.is_permanent() {
        DeliveryError::permanent("refused", reason)
    } else if e.is_transient() {
        DeliveryError::temporary("deferred", reason)
    } else if e.is_timeout() {
        DeliveryError::temporary("timeout", reason)
    } else if e.is_tls() {
        DeliveryError::temporary("tls", reason)
    } else {
        DeliveryError::temporary("connection", reason)
    }
}

#[async_trait]
impl MailTransport for SmtpTransport {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn deliver(&self, mail: &OutgoingMail, _attempt: Attempt) -> Result<(), DeliveryError> {
        let message = message(mail, &self.from)?;
        self.inner.send(message).await.map(|_| ()).map_err(|e| delivery_error(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gastvrij_domain::mail::{MailInput, MailKind};

    #[test]
    fn senders_are_parsed_or_refused_with_the_fix() {
        let s = parse_sender(DEFAULT_FROM).unwrap();
        assert_eq!((s.name.as_deref(), s.email.to_string().as_str()), (Some("Waterschap"), "noreply@localhost"));
        assert!(parse_sender("noreply@lagewaard.nl").is_ok());
        let e = parse_sender("Waterschap").unwrap_err();
        assert!(e.contains("'Waterschap' is not a sender address") && e.contains("<noreply@"), "{e}");
    }

    #[test]
    fn the_message_has_the_headers_a_mail_needs() {
        let input = MailInput {
            kind: MailKind::Bericht,
            to: "jan@example.nl".into(),
            subject: "Uw melding is ontvangen – dank u".into(),
            body: "Beste meneer,\n\nDank u.".into(),
            reply_to: Some("kcc@lagewaard.nl".into()),
        };
        let mail = OutgoingMail::create(input, jiff::Timestamp::now()).unwrap();
        let from = parse_sender("Hoogheemraadschap <noreply@lagewaard.nl>").unwrap();
        let text = String::from_utf8(message(&mail, &from).unwrap().formatted()).unwrap();
        for expected in [
            "From: Hoogheemraadschap <noreply@lagewaard.nl>\r\n",
            "To: jan@example.nl\r\n",
            "Reply-To: kcc@lagewaard.nl\r\n",
            "Subject: Uw melding is ontvangen =?utf-8?b?4oCT?= dank u\r\n",
            &format!("Message-ID: <{}@lagewaard.nl>\r\n", mail.id),
            "Auto-Submitted: auto-generated\r\n",
            "MIME-Version: 1.0\r\n",
            "Content-Type: text/plain; charset=utf-8\r\n",
            "Date: ",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from\n{text}");
        }
        assert!(!text.contains("Uw melding is ontvangen –"), "the subject is encoded, not raw UTF-8");
        assert!(!text.contains("List-Unsubscribe"), "only mail to subscribers has an unsubscribe link");

        let link = "https://www.lagewaard.nl/werkzaamheden/afmelden/0a1b2c3d";
        let news = mail.with_list_unsubscribe(link).unwrap();
        let text = String::from_utf8(message(&news, &from).unwrap().formatted()).unwrap();
        assert!(text.contains(&format!("List-Unsubscribe: <{link}>\r\n")), "{text}");
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), "{text}");
    }

    #[test]
    fn an_address_no_mail_server_takes_is_a_permanent_failure() {
        let input = MailInput {
            kind: MailKind::Bericht,
            to: "jan..jansen@example.nl".into(),
            subject: "Bericht".into(),
            body: "Tekst".into(),
            reply_to: None,
        };
        let mail = OutgoingMail::create(input, jiff::Timestamp::now()).expect("the domain's check is looser");
        let e = message(&mail, &parse_sender(DEFAULT_FROM).unwrap()).unwrap_err();
        assert_eq!((e.category, e.permanent), ("address", true));
    }
}
