//! The mail outbox: queued in the transaction of the change that causes a mail, claimed by the
//! sender with a lease, then sent, retried or failed.

use super::shared::{BULK_ROWS, Row, Tx, commit, other, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, opt_timestamp, parse, timestamp};
use anyhow::Context as _;
use gastvrij_app::StoreError;
use gastvrij_app::ports::StoreResult;
use gastvrij_domain::audit::Change;
use gastvrij_domain::mail::MailKind;
use sqlx::{QueryBuilder, Row as _};

/// Queue a mail in the caller's transaction: a use case whose change causes a mail calls
/// this beside its own writes, so the mail exists exactly when the change does.
pub(super) async fn enqueue_mail_tx(tx: &mut Tx, m: &gastvrij_domain::mail::OutgoingMail) -> StoreResult<()> {
    bulk_mails_tx(tx, std::slice::from_ref(m)).await
}

/// Queue mail, due at once.
pub(super) async fn bulk_mails_tx(tx: &mut Tx, mails: &[gastvrij_domain::mail::OutgoingMail]) -> StoreResult<()> {
    for chunk in mails.chunks(BULK_ROWS / 2) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO mail_outbox (id, kind, recipient, reply_to, subject, body, created_at, status, attempts, next_attempt_at, \
             list_unsubscribe) ",
        );
        qb.push_values(chunk, |mut b, m| {
            b.push_bind(m.id.to_string())
                .push_bind(m.kind.code())
                .push_bind(m.to.as_str().to_string())
                .push_bind(m.reply_to.as_ref().map(|r| r.as_str().to_string()))
                .push_bind(m.subject.clone())
                .push_bind(m.body.clone())
                .push_bind(micros(m.created_at))
                .push_bind("pending")
                .push_bind(0i64)
                .push_bind(micros(m.created_at))
                .push_bind(m.list_unsubscribe.clone());
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

pub(super) const MAIL_RECORD_COLUMNS: &str =
    "id, kind, recipient, subject, body, created_at, status, attempts, next_attempt_at, sent_at, last_error";

pub(super) fn mail_record_from(r: &Row) -> anyhow::Result<gastvrij_domain::mail::MailRecord> {
    Ok(gastvrij_domain::mail::MailRecord {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        kind: parse("kind", &r.try_get::<String, _>("kind")?)?,
        to: parse("recipient", &r.try_get::<String, _>("recipient")?)?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        created_at: timestamp(r.try_get("created_at")?)?,
        status: parse("status", &r.try_get::<String, _>("status")?)?,
        attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).context("attempts out of range")?,
        next_attempt_at: opt_timestamp(r.try_get("next_attempt_at")?)?,
        sent_at: opt_timestamp(r.try_get("sent_at")?)?,
        last_error: r.try_get("last_error")?,
    })
}

fn claimed_mail_from(r: &Row) -> anyhow::Result<gastvrij_app::ports::ClaimedMail> {
    Ok(gastvrij_app::ports::ClaimedMail {
        mail: gastvrij_domain::mail::OutgoingMail {
            id: parse("id", &r.try_get::<String, _>("id")?)?,
            kind: parse("kind", &r.try_get::<String, _>("kind")?)?,
            to: parse("recipient", &r.try_get::<String, _>("recipient")?)?,
            subject: r.try_get("subject")?,
            body: r.try_get("body")?,
            reply_to: opt_parse("reply_to", r.try_get("reply_to")?)?,
            created_at: timestamp(r.try_get("created_at")?)?,
            list_unsubscribe: r.try_get("list_unsubscribe")?,
        },
        attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).context("attempts out of range")?,
    })
}

/// After a mail update matched no row: the mail is missing, or not in the expected status.
/// Finish a status change of one mail: audit it (when `change` is given) and commit, or, when
/// the update matched no row, write nothing and say why: `conflict` when the mail exists in
/// another status, not found when it does not exist.
async fn commit_mail_change(
    mut tx: Tx,
    rows: u64,
    id: gastvrij_domain::ids::MailId,
    conflict: &'static str,
    change: Option<&Change>,
) -> StoreResult<()> {
    if rows > 0 {
        if let Some(change) = change {
            write_audit(&mut tx, change).await?;
        }
        return commit(tx).await;
    }
    let status = sqlx::query_as::<_, (String,)>("SELECT status FROM mail_outbox WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await;
    Err(match status {
        Ok(Some(_)) => StoreError::Conflict(conflict.into()),
        Ok(None) => StoreError::NotFound("mail"),
        Err(e) => db_error(e),
    })
}

/// `mail` with the case reference in place of [`gastvrij_app::ports::REFERENCE_PLACEHOLDER`]
/// (mails queued with a case that gets its reference in the same transaction).
pub(super) fn with_reference(
    mail: &gastvrij_domain::mail::OutgoingMail,
    reference: &str,
) -> gastvrij_domain::mail::OutgoingMail {
    let placeholder = gastvrij_app::ports::REFERENCE_PLACEHOLDER;
    let mut mail = mail.clone();
    mail.subject = mail.subject.replace(placeholder, reference);
    mail.body = mail.body.replace(placeholder, reference);
    mail
}

const NOT_PENDING: &str = "the mail is not waiting to be sent";

#[async_trait::async_trait]
impl gastvrij_app::ports::MailStore for Backend {
    async fn enqueue_mail(&self, mail: &gastvrij_domain::mail::OutgoingMail, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        enqueue_mail_tx(&mut tx, mail).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn due_mail(
        &self,
        now: jiff::Timestamp,
        lease_until: jiff::Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<gastvrij_app::ports::ClaimedMail>> {
        // The outer condition repeats the inner one: on PostgreSQL a second worker that
        // waited for the first one's row lock re-checks it against the claimed row (whose
        // next attempt now lies in the future) and skips it. SQLite has one writer. A danger
        // alert for the on-call service goes before everything else that is due.
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "UPDATE mail_outbox SET next_attempt_at = $1 \
             WHERE status = 'pending' AND next_attempt_at <= $2 AND id IN ( \
               SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
               ORDER BY (kind <> 'gevaarmelding'), next_attempt_at, id LIMIT $3) \
             RETURNING id, kind, recipient, reply_to, subject, body, created_at, attempts, list_unsubscribe",
        )
        .bind(micros(lease_until))
        .bind(micros(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        commit(tx).await?;
        let mut claimed = rows.iter().map(claimed_mail_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        claimed.sort_by_key(|c| (c.mail.kind != MailKind::Gevaarmelding, c.mail.created_at, c.mail.id));
        Ok(claimed)
    }

    async fn mail_sent(&self, id: gastvrij_domain::ids::MailId, at: jiff::Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = $2, next_attempt_at = NULL \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(id.to_string())
        .bind(micros(at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        commit_mail_change(tx, done.rows_affected(), id, NOT_PENDING, None).await
    }

    async fn mail_failed_attempt(
        &self,
        id: gastvrij_domain::ids::MailId,
        error: &str,
        next: gastvrij_domain::mail::Retry,
    ) -> StoreResult<()> {
        let (status, next_at) = match next {
            gastvrij_domain::mail::Retry::At(t) => ("pending", Some(micros(t))),
            gastvrij_domain::mail::Retry::GiveUp => ("failed", None),
        };
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE mail_outbox SET status = $2, attempts = attempts + 1, next_attempt_at = $3, last_error = $4 \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(id.to_string())
        .bind(status)
        .bind(next_at)
        .bind(error)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        commit_mail_change(tx, done.rows_affected(), id, NOT_PENDING, None).await
    }

    async fn retry_mail(
        &self,
        id: gastvrij_domain::ids::MailId,
        at: jiff::Timestamp,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE mail_outbox SET status = 'pending', next_attempt_at = $2 WHERE id = $1 AND status = 'failed'",
        )
        .bind(id.to_string())
        .bind(micros(at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let conflict = "only failed mail can be retried; this one is pending or sent";
        commit_mail_change(tx, done.rows_affected(), id, conflict, Some(change)).await
    }

    async fn mail_list(
        &self,
        q: &gastvrij_app::ports::MailQuery,
    ) -> StoreResult<Vec<gastvrij_domain::mail::MailRecord>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {MAIL_RECORD_COLUMNS} FROM mail_outbox WHERE 1 = 1"));
        if let Some(s) = q.status {
            qb.push(" AND status = ").push_bind(s.code());
        }
        qb.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(i64::from(q.page.limit));
        qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(mail_record_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn mail_record(
        &self,
        id: gastvrij_domain::ids::MailId,
    ) -> StoreResult<Option<gastvrij_domain::mail::MailRecord>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {MAIL_RECORD_COLUMNS} FROM mail_outbox WHERE id = "));
        qb.push_bind(id.to_string());
        let row = qb.build().fetch_optional(self.reader()).await.map_err(db_error)?;
        row.as_ref().map(mail_record_from).transpose().map_err(other)
    }

    async fn mail_counts(&self) -> StoreResult<gastvrij_domain::mail::MailCounts> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT status, COUNT(*) FROM mail_outbox GROUP BY status")
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        let mut counts = gastvrij_domain::mail::MailCounts::default();
        for (status, n) in rows {
            match status.as_str() {
                "pending" => counts.pending = n,
                "sent" => counts.sent = n,
                "failed" => counts.failed = n,
                other_status => return Err(other(anyhow::anyhow!("stored mail status '{other_status}' is invalid"))),
            }
        }
        Ok(counts)
    }
}
