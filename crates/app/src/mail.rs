//! Use cases: outgoing mail to citizens. Mail waits in the outbox (queued in the transaction of
//! its cause) until a worker delivers it through a [`MailTransport`]; a failed attempt is tried
//! again after 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours, then the mail is `failed`
//! and shows on the staff page, where a team lead can try it once more.
//!
//! Logs name the mail's id, kind and the error category, never its recipient or content.

use crate::ports::{Attempt, DeliveryError, MailQuery, MailTransport};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::MailId;
use gastvrij_domain::mail::{
    self, MailCounts, MailInput, MailKind, MailRecord, MailStatus, OutgoingMail, Retry, mask_address,
};
use gastvrij_domain::team::Role;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// How long a worker holds the mails it claimed. Long enough to try a batch of
/// [`MAIL_BATCH`] against a server that times out on every command.
pub const MAIL_LEASE: SignedDuration = SignedDuration::from_mins(15);
/// Mails claimed at a time.
pub const MAIL_BATCH: u32 = 5;
/// A delivery run stops after this many batches, so one run never takes forever.
const MAX_BATCHES: u32 = 200;

/// Polls a future and turns a panic while polling into an `Err` with the panic's payload.
struct CatchUnwind<F>(F);

impl<F: std::future::Future + Unpin> std::future::Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let inner = &mut self.0;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| std::pin::Pin::new(inner).poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(output)) => std::task::Poll::Ready(Ok(output)),
            Err(cause) => std::task::Poll::Ready(Err(cause)),
        }
    }
}

/// The message of a panic, for the log.
pub fn panic_text(cause: &(dyn std::any::Any + Send)) -> &str {
    cause
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| cause.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

/// What becomes of an attempt a transport holds staged, unconfirmed (see
/// [`App::settle_unconfirmed_mail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StagedFate {
    /// The store recorded this very attempt as the mail's delivery: release it.
    Confirm,
    /// The mail is leased: the attempt may still be in flight (another process on the same
    /// folder); decide at a later run.
    Keep,
    /// Not recorded, or the mail was sent by another attempt, failed or is gone: drop it.
    Discard,
}

/// The fate of a staged `attempt` given the mail's `record` as it stands at `now`.
pub fn staged_fate(record: Option<&MailRecord>, attempt: Attempt, now: Timestamp) -> StagedFate {
    let Some(r) = record else { return StagedFate::Discard };
    let micros = |t: Timestamp| t.as_microsecond();
    match r.status {
        MailStatus::Sent if r.sent_at.map(micros) == Some(micros(attempt.at)) => StagedFate::Confirm,
        MailStatus::Pending if r.next_attempt_at.is_some_and(|t| t > now) => StagedFate::Keep,
        _ => StagedFate::Discard,
    }
}

/// Who sees the outbox and may retry failed mail.
const OUTBOX_KEEPERS: &[Role] = &[Role::Teamleider];

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    /// Accepted by the server (or written to the mail folder).
    pub sent: u64,
    /// Failed this time; tried again later.
    pub retrying: u64,
    /// Failed for good.
    pub failed: u64,
}

/// A mail as staff see it: the recipient masked (`j***@example.nl`), no body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MailLine {
    #[schema(value_type = String, format = Uuid)]
    pub id: MailId,
    pub kind: MailKind,
    /// The recipient, masked: first character and domain.
    pub recipient: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: u32,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_attempt_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<Timestamp>,
    /// Why the last attempt failed (technical; addresses masked).
    pub last_error: Option<String>,
}

impl From<MailRecord> for MailLine {
    fn from(r: MailRecord) -> Self {
        MailLine {
            id: r.id,
            kind: r.kind,
            recipient: mask_address(r.to.as_str()),
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            created_at: r.created_at,
            next_attempt_at: r.next_attempt_at,
            sent_at: r.sent_at,
            last_error: r.last_error,
        }
    }
}

/// The outbox at a glance: counts per status and a page of mails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MailOverview {
    pub counts: MailCounts,
    pub mails: Vec<MailLine>,
}

impl App {
    /// Queue one mail on its own (operators, and use cases without a record of their own).
    /// A use case whose change causes a mail queues it in that change's transaction instead.
    pub async fn queue_mail(&self, who: &Principal, input: MailInput) -> Result<OutgoingMail, AppError> {
        who.require(roles::ADMIN)?;
        let mail = OutgoingMail::create(input, self.now())?;
        let change = Change::new(who.actor, self.now(), "mail.queued", mail.id, mail.kind.code());
        self.store.enqueue_mail(&mail, &change).await?;
        self.wake_mail_worker();
        Ok(mail)
    }

    /// Deliver the mail that is due, `batch` at a time, until none is left (the worker and
    /// `gastvrij mail send-due`). Each attempt is recorded: sent, or failed with the next attempt
    /// by the back-off schedule (a permanent refusal gives up at once).
    pub async fn deliver_due_mail(
        &self,
        transport: &dyn MailTransport,
        batch: u32,
    ) -> Result<DeliveryReport, AppError> {
        self.deliver_due_mail_leased(transport, batch, MAIL_LEASE).await
    }

    /// [`App::deliver_due_mail`] holding each claimed batch for `lease` (`serve
    /// --mail-lease-seconds`): when a node dies, the mails it had claimed wait that long before
    /// another node takes them.
    pub async fn deliver_due_mail_leased(
        &self,
        transport: &dyn MailTransport,
        batch: u32,
        lease: SignedDuration,
    ) -> Result<DeliveryReport, AppError> {
        let batch = batch.clamp(1, Page::MAX_LIMIT);
        // First settle what a killed run of this node left staged, before claiming anything.
        self.settle_unconfirmed_mail(transport).await?;
        let mut report = DeliveryReport::default();
        for _ in 0..MAX_BATCHES {
            let now = self.now();
            let claimed = self.store.due_mail(now, now + lease, batch).await?;
            let full = claimed.len() as u32 == batch;
            for c in claimed {
                let (id, kind, attempt) = (c.mail.id, c.mail.kind.code(), c.attempts + 1);
                // The moment this attempt is recorded as sent with, in the store's precision.
                let staged = Attempt {
                    id,
                    at: Timestamp::from_microsecond(self.now().as_microsecond())
                        .map_err(|e| AppError::Unexpected(e.into()))?,
                };
                // One mail must never stop the others: a transport that panics on it (a strange
                // address, a bug) counts as a failed attempt, and so does a failure to record.
                let outcome = CatchUnwind(transport.deliver(&c.mail, staged)).await.unwrap_or_else(|cause| {
                    tracing::error!(mail_id = %id, kind, attempt, cause = panic_text(&*cause),
                        transport = transport.name(), "mail transport panicked");
                    Err(DeliveryError::permanent("panic", "the mail transport crashed on this mail"))
                });
                match outcome {
                    Ok(()) => match self.store.mail_sent(id, staged.at).await {
                        Ok(()) => {
                            report.sent += 1;
                            tracing::info!(mail_id = %id, kind, attempt, transport = transport.name(), "mail sent");
                            if let Err(e) = transport.confirm(staged).await {
                                tracing::error!(mail_id = %id, kind, category = e.category, error = %e,
                                    "mail recorded as sent but not confirmed; the next delivery run confirms it");
                            }
                        }
                        // The staged mail stays: the next run confirms it if the record did land
                        // after all, and discards it otherwise (the mail is then delivered again).
                        Err(e) => tracing::error!(mail_id = %id, kind, error = %e, "mail delivered but not recorded"),
                    },
                    Err(e) => match self.record_failed_attempt(id, attempt, &e).await {
                        Ok(Retry::At(next)) => {
                            report.retrying += 1;
                            tracing::warn!(mail_id = %id, kind, attempt, category = e.category, next_attempt = %next,
                                transport = transport.name(), "mail not delivered; trying again later");
                        }
                        Ok(Retry::GiveUp) => {
                            report.failed += 1;
                            tracing::error!(mail_id = %id, kind, attempt, category = e.category,
                                transport = transport.name(), "mail not delivered; given up");
                        }
                        Err(error) => tracing::error!(mail_id = %id, kind, attempt, %error,
                            "recording a failed mail attempt failed; the mail returns when its lease ends"),
                    },
                }
            }
            if !full {
                break;
            }
        }
        Ok(report)
    }

    /// Settle the attempts the transport still holds staged: a node killed between delivering a
    /// mail and recording it leaves one. Recorded as sent by that very attempt → confirm it;
    /// still leased (perhaps in flight in another process on the same folder) → leave it for a
    /// later run; otherwise → discard it, and the mail (still due, or sent by another attempt) is
    /// delivered once, by whichever node claims it. Only transports that stage mail hold any.
    pub async fn settle_unconfirmed_mail(&self, transport: &dyn MailTransport) -> Result<(), AppError> {
        let staged = match transport.unconfirmed().await {
            Ok(staged) => staged,
            Err(e) => {
                tracing::warn!(category = e.category, error = %e, transport = transport.name(),
                    "cannot list the unconfirmed mail; settling it at the next run");
                return Ok(());
            }
        };
        for attempt in staged {
            let record = self.store.mail_record(attempt.id).await?;
            let fate = staged_fate(record.as_ref(), attempt, self.now());
            let done = match fate {
                StagedFate::Confirm => transport.confirm(attempt).await,
                StagedFate::Discard => transport.discard(attempt).await,
                StagedFate::Keep => Ok(()),
            };
            match done {
                Ok(()) if fate == StagedFate::Keep => {}
                // A warning: it happens only after a node was stopped mid-delivery.
                Ok(()) => tracing::warn!(mail_id = %attempt.id, ?fate, transport = transport.name(),
                    "unconfirmed mail from an interrupted run settled"),
                Err(e) => tracing::warn!(mail_id = %attempt.id, ?fate, category = e.category, error = %e,
                    "settling unconfirmed mail failed; trying again at the next run"),
            }
        }
        Ok(())
    }

    async fn record_failed_attempt(&self, id: MailId, attempt: u32, e: &DeliveryError) -> Result<Retry, AppError> {
        let next = if e.permanent { Retry::GiveUp } else { mail::after_failed_attempt(attempt, self.now()) };
        let reason = mail::scrub_error(&e.to_string());
        self.store.mail_failed_attempt(id, &reason, next).await?;
        Ok(next)
    }

    /// Counts per status and a page of mails (newest first), recipients masked.
    pub async fn mail_overview(
        &self,
        who: &Principal,
        status: Option<MailStatus>,
        page: Page,
    ) -> Result<MailOverview, AppError> {
        who.require(OUTBOX_KEEPERS)?;
        let counts = self.store.mail_counts().await?;
        let mails = self.store.mail_list(&MailQuery { status, page }).await?;
        Ok(MailOverview { counts, mails: mails.into_iter().map(MailLine::from).collect() })
    }

    /// Try a failed mail once more, now.
    pub async fn retry_mail(&self, who: &Principal, id: MailId) -> Result<(), AppError> {
        who.require(OUTBOX_KEEPERS)?;
        let change = Change::new(who.actor, self.now(), "mail.retried", id, "");
        self.store.retry_mail(id, self.now(), &change).await?;
        self.wake_mail_worker();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gastvrij_domain::mail::MailKind;

    fn record(status: MailStatus, next: Option<&str>, sent: Option<&str>) -> MailRecord {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        MailRecord {
            id: MailId::from_parts(1, [0; 10]),
            kind: MailKind::Ontvangstbevestiging,
            to: gastvrij_domain::values::Email::parse("jan@example.nl").unwrap(),
            subject: "Ontvangen".into(),
            body: "Dank u.".into(),
            created_at: t("2026-03-02T08:00:00Z"),
            status,
            attempts: 1,
            next_attempt_at: next.map(t),
            sent_at: sent.map(t),
            last_error: None,
        }
    }

    #[test]
    fn a_staged_attempt_is_confirmed_only_when_that_very_attempt_was_recorded() {
        let now: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        let attempt =
            Attempt { id: MailId::from_parts(1, [0; 10]), at: "2026-03-02T08:50:00.123456Z".parse().unwrap() };
        let fate = |r: Option<MailRecord>| staged_fate(r.as_ref(), attempt, now);
        assert_eq!(
            fate(Some(record(MailStatus::Sent, None, Some("2026-03-02T08:50:00.123456Z")))),
            StagedFate::Confirm
        );
        assert_eq!(
            fate(Some(record(MailStatus::Sent, None, Some("2026-03-02T08:50:00.123457Z")))),
            StagedFate::Discard,
            "sent by another attempt (another node, after the lease)"
        );
        assert_eq!(
            fate(Some(record(MailStatus::Pending, Some("2026-03-02T09:05:00Z"), None))),
            StagedFate::Keep,
            "still leased: the attempt may be in flight"
        );
        assert_eq!(fate(Some(record(MailStatus::Pending, Some("2026-03-02T09:00:00Z"), None))), StagedFate::Discard);
        assert_eq!(fate(Some(record(MailStatus::Failed, None, None))), StagedFate::Discard);
        assert_eq!(fate(None), StagedFate::Discard, "a mail that is gone");
    }
}
