//! Personal data (AVG): everything held on one customer as JSON rows, erasing it in one
//! transaction, and retention batches claimed in the database.
//!
//! E-mail addresses in submissions and the outbox are stored as typed; they are matched by
//! `LOWER(TRIM(address))` against the keys of the person (`gastvrij_domain::text::email_key`),
//! which is exact for ASCII addresses (SQLite's `LOWER` folds ASCII only).

use super::shared::{Tx, commit, other, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, micros};
use gastvrij_app::ports::{
    ERASED, ERASED_EMAIL, Erasure, JsonRow, PersonalData, RETENTION_LOCK, RetentionCounts, RetentionCutoffs,
    StoreResult,
};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::ids::CustomerId;
use jiff::Timestamp;
use serde_json::Value;
use sqlx::{QueryBuilder, Row as _};

/// The contacts of customer `$1`.
const CONTACTS_OF: &str = "(SELECT id FROM contacts WHERE customer_id = $1)";
/// The cases of customer `$1`: theirs, or opened in one of their contacts.
const CASES_OF: &str =
    "(SELECT id FROM cases WHERE customer_id = $1 OR contact_id IN (SELECT id FROM contacts WHERE customer_id = $1))";
/// The e-mail keys of customer `$1`: their own and those given in submissions on their cases.
const EMAIL_KEYS_OF: &str = "(SELECT email_key FROM customers WHERE id = $1 AND email_key IS NOT NULL \
     UNION SELECT LOWER(TRIM(email)) FROM submissions WHERE email IS NOT NULL AND case_id IN \
     (SELECT id FROM cases WHERE customer_id = $1 OR contact_id IN (SELECT id FROM contacts WHERE customer_id = $1)))";

/// Columns to export; the suffix gives the type: none text, `@` time (microseconds), `#` integer,
/// `~` real, `?` boolean.
const CUSTOMERS: &str = "id, kind, name, segments, email, phone, postcode, house_number, street, city, kvk_number, \
     created_at@, updated_at@";
const CONTACTS: &str = "id, channel, customer_id, agent_id, state, started_at@, ended_at@, waiting_seconds#";
const QUESTIONS: &str =
    "id, contact_id, position#, topic_id, text, answer, line, outcome, case_id, forwarded_to, forward_confirmed_at@";
const CONSULTATIONS: &str = "id, contact_id, question_id, asked_by, to_team, to_employee, question, answer, \
     answered_by, asked_at@, answered_at@, article_id";
const CALLS: &str = "call_id, offered_at@, outcome, waiting_seconds#, agent, contact_id, updated_at@";
const CASES: &str = "id, reference, case_type, topic_id, team_id, owner_id, customer_id, contact_id, subject, intent, \
     status, urgent?, channel, created_at@, updated_at@, closed_at@, result, answer";
const CASE_STATUS_HISTORY: &str = "case_id, position#, status, at@, by_employee, reason";
const CASE_NOTES: &str = "id, case_id, at@, author_id, text";
const CASE_LETTERS: &str = "case_id, kind, subject, body, printed_by, printed_at@";
const CASE_ATTACHMENTS: &str = "id, case_id, file_name, content_type, size_bytes#, sha256, uploaded_at@, uploaded_by";
const SUBMISSIONS: &str = "id, case_id, kind, topic_id, description, postcode, house_number, place, lat~, lon~, \
     observed, urgent?, preference, name, email, phone, photo_location_allowed?, created_at@, incident_id";
const SUBMISSION_MESSAGES: &str = "id, submission_id, at@, from_citizen?, author_id, text";
const SUBMISSION_PHOTOS: &str = "id, submission_id, message_id, content_type, size_bytes#, sha256, uploaded_at@";
const SURVEY_ANSWERS: &str = "submission_id, grade#, solved?, effort#, comment, reopen_requested?, answered_at@";
const WORK_SUBSCRIPTIONS: &str = "id, email, postcode, created_at@, confirmed_at@, unsubscribed_at@";
const MAILS: &str = "id, kind, recipient, reply_to, subject, body, created_at@, status, attempts#, sent_at@";

fn column_names(spec: &str) -> String {
    spec.split(',').map(|c| c.trim().trim_end_matches(['@', '#', '~', '?'])).collect::<Vec<_>>().join(", ")
}

fn json_row(r: &super::shared::Row, spec: &str) -> anyhow::Result<JsonRow> {
    let mut row = JsonRow::new();
    for col in spec.split(',').map(str::trim) {
        let (name, value) = match col.chars().last() {
            Some('@') => {
                let name = &col[..col.len() - 1];
                let v: Option<i64> = r.try_get(name)?;
                let v = v.map(crate::codec::timestamp).transpose()?;
                (name, v.map_or(Value::Null, |t| Value::String(t.to_string())))
            }
            Some('#') => {
                let name = &col[..col.len() - 1];
                (name, r.try_get::<Option<i64>, _>(name)?.map_or(Value::Null, Value::from))
            }
            Some('~') => {
                let name = &col[..col.len() - 1];
                (name, r.try_get::<Option<f64>, _>(name)?.map_or(Value::Null, Value::from))
            }
            Some('?') => {
                let name = &col[..col.len() - 1];
                (name, r.try_get::<Option<bool>, _>(name)?.map_or(Value::Null, Value::from))
            }
            _ => (col, r.try_get::<Option<String>, _>(col)?.map_or(Value::Null, Value::from)),
        };
        row.insert(name.to_string(), value);
    }
    Ok(row)
}

async fn rows(tx: &mut Tx, spec: &str, from_where: &str, id: &str) -> StoreResult<Vec<JsonRow>> {
    let sql = format!("SELECT {} FROM {from_where}", column_names(spec));
    let found = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&mut **tx).await.map_err(db_error)?;
    found.iter().map(|r| json_row(r, spec)).collect::<anyhow::Result<_>>().map_err(super::shared::other)
}

async fn strings(tx: &mut Tx, sql: &str, id: &str) -> StoreResult<Vec<String>> {
    let found: Vec<(String,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).bind(id).fetch_all(&mut **tx).await.map_err(db_error)?;
    Ok(found.into_iter().map(|(s,)| s).collect())
}

/// Run `sql` (ending in `IN `) once per chunk of `ids`, returning the rows affected.
async fn per_ids(tx: &mut Tx, sql: &str, ids: &[String], tail: &str) -> StoreResult<u64> {
    let mut done = 0;
    for chunk in ids.chunks(super::shared::BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(sql);
        qb.push("(");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(id.clone());
        }
        qb.push(")");
        qb.push(tail);
        done += qb.build().execute(&mut **tx).await.map_err(db_error)?.rows_affected();
    }
    Ok(done)
}

/// The submissions' personal data: free text, contact fields, house number and point; photos
/// deleted, the citizen's messages and survey comments blanked. Kind, topic, postcode, place and
/// dates stay, so figures and grouping stay.
async fn anonymise_submissions(tx: &mut Tx, submissions: &[String], erasure: &mut Erasure) -> StoreResult<()> {
    let e = sql_text(ERASED);
    erasure.submissions += per_ids(
        tx,
        &format!(
            "UPDATE submissions SET description = {e}, name = NULL, email = NULL, phone = NULL, house_number = NULL, \
             lat = NULL, lon = NULL WHERE id IN "
        ),
        submissions,
        &format!(
            " AND (description <> {e} OR name IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL \
             OR house_number IS NOT NULL OR lat IS NOT NULL OR lon IS NOT NULL)"
        ),
    )
    .await?;
    erasure.messages += per_ids(
        tx,
        &format!("UPDATE submission_messages SET text = {e} WHERE submission_id IN "),
        submissions,
        &format!(" AND from_citizen = TRUE AND text <> {e}"),
    )
    .await?;
    erasure.survey_comments += per_ids(
        tx,
        "UPDATE survey_answers SET comment = NULL WHERE submission_id IN ",
        submissions,
        " AND comment IS NOT NULL",
    )
    .await?;
    // Photos in object storage: their keys are queued in this transaction; the application
    // deletes the objects after the commit (App::sweep_attachments).
    let queue = "INSERT INTO attachment_deletions (object_key) \
                 SELECT object_key FROM submission_photos WHERE object_key IS NOT NULL AND submission_id IN ";
    per_ids(tx, queue, submissions, "").await?;
    erasure.photos += per_ids(tx, "DELETE FROM submission_photos WHERE submission_id IN ", submissions, "").await?;
    Ok(())
}

/// A constant as an SQL literal (only for the fixed texts of this module).
fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The notes of `cases` (the count returned), and the answers they were closed with, their
/// internal tasks (the same kind of free text) and the letters printed for them.
async fn anonymise_case_notes(tx: &mut Tx, cases: &[String]) -> StoreResult<u64> {
    let e = sql_text(ERASED);
    let notes = per_ids(
        tx,
        &format!("UPDATE case_notes SET text = {e} WHERE case_id IN "),
        cases,
        &format!(" AND text <> {e}"),
    )
    .await?;
    let tail = format!(" AND answer IS NOT NULL AND answer <> {e}");
    per_ids(tx, &format!("UPDATE cases SET answer = {e} WHERE id IN "), cases, &tail).await?;
    let sql = format!(
        "UPDATE case_tasks SET question = {e}, answer = CASE WHEN answer IS NULL THEN NULL ELSE {e} END WHERE case_id IN "
    );
    per_ids(tx, &sql, cases, &format!(" AND question <> {e}")).await?;
    anonymise_complaints(tx, cases).await?;
    // The printed letters hold the answer and the citizen's name and address.
    let sql = format!("UPDATE case_letters SET subject = {e}, body = {e} WHERE case_id IN ");
    per_ids(tx, &sql, cases, &format!(" AND body <> {e}")).await?;
    Ok(notes)
}

/// A klacht's hearing notes and the party involved that is no employee (`cases.complaint`, JSON:
/// rewritten through `Complaint::erase_personal_data`, so both backends do the same).
async fn anonymise_complaints(tx: &mut Tx, cases: &[String]) -> StoreResult<()> {
    for chunk in cases.chunks(super::shared::BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new("SELECT id, complaint FROM cases WHERE complaint IS NOT NULL AND id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(id.clone());
        }
        qb.push(")");
        let rows = qb.build().fetch_all(&mut **tx).await.map_err(db_error)?;
        for row in rows {
            let id: String = row.try_get("id").map_err(other)?;
            let json: String = row.try_get("complaint").map_err(other)?;
            let mut complaint: gastvrij_domain::complaint::Complaint = serde_json::from_str(&json).map_err(other)?;
            if complaint.erase_personal_data(ERASED) {
                sqlx::query("UPDATE cases SET complaint = $2 WHERE id = $1")
                    .bind(id)
                    .bind(serde_json::to_string(&complaint).map_err(other)?)
                    .execute(&mut **tx)
                    .await
                    .map_err(db_error)?;
            }
        }
    }
    Ok(())
}

/// The text of the questions that opened `cases` (a portal question copies the description).
async fn anonymise_case_questions(tx: &mut Tx, cases: &[String]) -> StoreResult<u64> {
    let e = sql_text(ERASED);
    let tail = format!(" AND (text <> {e} OR answer IS NOT NULL)");
    per_ids(tx, &format!("UPDATE questions SET text = {e}, answer = NULL WHERE case_id IN "), cases, &tail).await
}

/// Cases closed at or before `$1` whose personal data is still there.
fn due_cases_where() -> String {
    let e = sql_text(ERASED);
    format!(
        "closed_at IS NOT NULL AND closed_at <= $1 AND (\
         EXISTS (SELECT 1 FROM submissions s WHERE s.case_id = cases.id AND (s.description <> {e} OR s.name IS NOT NULL \
           OR s.email IS NOT NULL OR s.phone IS NOT NULL OR s.house_number IS NOT NULL OR s.lat IS NOT NULL \
           OR s.lon IS NOT NULL)) \
         OR (cases.answer IS NOT NULL AND cases.answer <> {e}) \
         OR EXISTS (SELECT 1 FROM case_tasks t WHERE t.case_id = cases.id AND t.question <> {e}) \
         OR EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = cases.id AND n.text <> {e}) \
         OR EXISTS (SELECT 1 FROM case_letters l WHERE l.case_id = cases.id AND l.body <> {e}) \
         OR EXISTS (SELECT 1 FROM questions q WHERE q.contact_id = cases.contact_id AND q.case_id = cases.id \
           AND (q.text <> {e} OR q.answer IS NOT NULL)) \
         OR EXISTS (SELECT 1 FROM submissions s JOIN submission_messages m ON m.submission_id = s.id \
           WHERE s.case_id = cases.id AND m.from_citizen = TRUE AND m.text <> {e}) \
         OR EXISTS (SELECT 1 FROM submissions s JOIN survey_answers a ON a.submission_id = s.id \
           WHERE s.case_id = cases.id AND a.comment IS NOT NULL) \
         OR EXISTS (SELECT 1 FROM submissions s JOIN submission_photos p ON p.submission_id = s.id \
           WHERE s.case_id = cases.id))"
    )
}

/// Sent or given-up mail whose text is still kept: its body, and the List-Unsubscribe header that
/// holds the same secret link as the body.
const MAIL_DUE_WHERE: &str = "(body <> '' OR list_unsubscribe IS NOT NULL) \
     AND ((status = 'sent' AND sent_at <= $1) OR (status = 'failed' AND created_at <= $1))";
const UNCONFIRMED_DUE_WHERE: &str = "confirmed_at IS NULL AND unsubscribed_at IS NULL AND created_at <= $1";
/// Search questions (kept at most a year, docs/kennisbank-learning.md) asked before the cutoff.
const SEARCH_QUESTIONS_DUE_WHERE: &str = "asked_hour < $1";

async fn count(tx: &mut Tx, sql: String, at: Timestamp) -> StoreResult<u64> {
    let (n,): (i64,) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(micros(at)).fetch_one(&mut **tx).await.map_err(db_error)?;
    Ok(n.max(0) as u64)
}

/// Run one retention statement (`$1` the cutoff, `$2` the batch size); the rows it changed.
async fn apply_due(tx: &mut Tx, sql: String, at: Timestamp, limit: u32) -> StoreResult<u64> {
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(micros(at))
        .bind(i64::from(limit))
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
    Ok(done.rows_affected())
}

#[async_trait::async_trait]
impl gastvrij_app::ports::PrivacyStore for Backend {
    async fn personal_data(&self, id: CustomerId) -> StoreResult<Option<PersonalData>> {
        // One transaction, so the sections agree with each other.
        let mut tx: Tx = self.reader().begin().await.map_err(db_error)?;
        let id = id.to_string();
        let Some(customer) = rows(&mut tx, CUSTOMERS, "customers WHERE id = $1", &id).await?.pop() else {
            return Ok(None);
        };
        let submissions_of = format!(
            "(SELECT id FROM submissions WHERE case_id IN {CASES_OF} OR LOWER(TRIM(email)) IN {EMAIL_KEYS_OF})"
        );
        let data = PersonalData {
            customer,
            contacts: rows(&mut tx, CONTACTS, "contacts WHERE customer_id = $1 ORDER BY started_at, id", &id).await?,
            questions: rows(
                &mut tx,
                QUESTIONS,
                &format!(
                    "questions WHERE contact_id IN {CONTACTS_OF} OR case_id IN {CASES_OF} ORDER BY contact_id, position"
                ),
                &id,
            )
            .await?,
            consultations: rows(
                &mut tx,
                CONSULTATIONS,
                &format!("consultations WHERE contact_id IN {CONTACTS_OF} ORDER BY asked_at, id"),
                &id,
            )
            .await?,
            calls: rows(
                &mut tx,
                CALLS,
                &format!("calls WHERE contact_id IN {CONTACTS_OF} ORDER BY offered_at, call_id"),
                &id,
            )
            .await?,
            cases: rows(&mut tx, CASES, &format!("cases WHERE id IN {CASES_OF} ORDER BY created_at, id"), &id).await?,
            case_status_history: rows(
                &mut tx,
                CASE_STATUS_HISTORY,
                &format!("case_status_history WHERE case_id IN {CASES_OF} ORDER BY case_id, position"),
                &id,
            )
            .await?,
            case_notes: rows(
                &mut tx,
                CASE_NOTES,
                &format!("case_notes WHERE case_id IN {CASES_OF} ORDER BY at, id"),
                &id,
            )
            .await?,
            case_letters: rows(
                &mut tx,
                CASE_LETTERS,
                &format!("case_letters WHERE case_id IN {CASES_OF} ORDER BY printed_at, kind"),
                &id,
            )
            .await?,
            case_attachments: rows(
                &mut tx,
                CASE_ATTACHMENTS,
                &format!("case_attachments WHERE case_id IN {CASES_OF} ORDER BY uploaded_at, id"),
                &id,
            )
            .await?,
            submissions: rows(
                &mut tx,
                SUBMISSIONS,
                &format!("submissions WHERE id IN {submissions_of} ORDER BY created_at, id"),
                &id,
            )
            .await?,
            submission_messages: rows(
                &mut tx,
                SUBMISSION_MESSAGES,
                &format!("submission_messages WHERE submission_id IN {submissions_of} ORDER BY at, id"),
                &id,
            )
            .await?,
            submission_photos: rows(
                &mut tx,
                SUBMISSION_PHOTOS,
                &format!("submission_photos WHERE submission_id IN {submissions_of} ORDER BY uploaded_at, id"),
                &id,
            )
            .await?,
            survey_answers: rows(
                &mut tx,
                SURVEY_ANSWERS,
                &format!("survey_answers WHERE submission_id IN {submissions_of} ORDER BY answered_at, submission_id"),
                &id,
            )
            .await?,
            work_subscriptions: rows(
                &mut tx,
                WORK_SUBSCRIPTIONS,
                &format!("work_subscriptions WHERE email_key IN {EMAIL_KEYS_OF} ORDER BY created_at, id"),
                &id,
            )
            .await?,
            mails: rows(
                &mut tx,
                MAILS,
                &format!("mail_outbox WHERE LOWER(TRIM(recipient)) IN {EMAIL_KEYS_OF} ORDER BY created_at, id"),
                &id,
            )
            .await?,
        };
        tx.rollback().await.map_err(db_error)?;
        Ok(Some(data))
    }

    async fn erase_customer(&self, id: CustomerId, actor: Actor, at: Timestamp) -> StoreResult<Option<Erasure>> {
        let mut tx = self.begin_write().await?;
        let id = id.to_string();
        if strings(&mut tx, "SELECT id FROM customers WHERE id = $1", &id).await?.is_empty() {
            return Ok(None);
        }
        // What to match on is gathered before anything is blanked.
        let keys = strings(&mut tx, &format!("SELECT * FROM {EMAIL_KEYS_OF} AS email_keys"), &id).await?;
        let cases = strings(&mut tx, &format!("SELECT id FROM cases WHERE id IN {CASES_OF}"), &id).await?;
        let mut submissions =
            strings(&mut tx, &format!("SELECT id FROM submissions WHERE case_id IN {CASES_OF}"), &id).await?;
        if !keys.is_empty() {
            let mut qb = QueryBuilder::<Db>::new("SELECT id FROM submissions WHERE LOWER(TRIM(email)) IN (");
            let mut list = qb.separated(", ");
            for k in &keys {
                list.push_bind(k.clone());
            }
            qb.push(")");
            let more: Vec<(String,)> = qb.build_query_as().fetch_all(&mut *tx).await.map_err(db_error)?;
            for (s,) in more {
                if !submissions.contains(&s) {
                    submissions.push(s);
                }
            }
        }
        let customers = sqlx::query(
            "UPDATE customers SET name = NULL, email = NULL, phone = NULL, postcode = NULL, house_number = NULL, \
             street = NULL, city = NULL, kvk_number = NULL, name_folded = '', email_key = NULL, updated_at = $2 \
             WHERE id = $1 AND (name IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL OR postcode IS NOT NULL \
             OR house_number IS NOT NULL OR street IS NOT NULL OR city IS NOT NULL OR kvk_number IS NOT NULL)",
        )
        .bind(&id)
        .bind(micros(at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?
        .rows_affected();
        let mut erasure = Erasure { customers, ..Erasure::default() };
        let e = sql_text(ERASED);
        erasure.questions = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE questions SET text = {e}, answer = NULL WHERE (contact_id IN {CONTACTS_OF} OR case_id IN {CASES_OF}) \
             AND (text <> {e} OR answer IS NOT NULL)"
        )))
        .bind(&id)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?
        .rows_affected();
        erasure.case_notes = anonymise_case_notes(&mut tx, &cases).await?;
        anonymise_submissions(&mut tx, &submissions, &mut erasure).await?;
        for key in &keys {
            erasure.subscriptions += sqlx::query(
                "UPDATE work_subscriptions SET email = $2, email_key = NULL, \
                 unsubscribed_at = COALESCE(unsubscribed_at, $3) WHERE email_key = $1",
            )
            .bind(key)
            .bind(ERASED_EMAIL)
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
            // Right-hand sides see the row as it was: mail still waiting is given up.
            erasure.mails += sqlx::query(
                "UPDATE mail_outbox SET recipient = $2, reply_to = NULL, body = '', list_unsubscribe = NULL, \
                 last_error = CASE WHEN status = 'pending' THEN 'personal data erased' ELSE last_error END, \
                 status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END, next_attempt_at = NULL \
                 WHERE LOWER(TRIM(recipient)) = $1",
            )
            .bind(key)
            .bind(ERASED_EMAIL)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        }
        if erasure.total() > 0 {
            write_audit(&mut tx, &Change::new(actor, at, "customer.erased", &id, erasure.summary())).await?;
        }
        commit(tx).await?;
        Ok(Some(erasure))
    }

    async fn retention_batch(
        &self,
        cutoffs: &RetentionCutoffs,
        limit: u32,
        dry_run: bool,
    ) -> StoreResult<Option<RetentionCounts>> {
        let mut tx = self.begin_write().await?;
        // Two nodes on one PostgreSQL: the lock is held until this transaction ends, and a node
        // that does not get it leaves the work to the one that has it. SQLite is single-node, and
        // its write transaction (BEGIN IMMEDIATE) already excludes every other writer.
        if Backend::BACKEND == "postgres" {
            let (claimed,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_xact_lock($1)")
                .bind(RETENTION_LOCK)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
            if !claimed {
                return Ok(None);
            }
        }
        let mut counts = RetentionCounts::default();
        if dry_run {
            counts.cases = count(
                &mut tx,
                format!("SELECT COUNT(*) FROM cases WHERE {}", due_cases_where()),
                cutoffs.cases_closed_before,
            )
            .await?;
            counts.mail_bodies =
                count(&mut tx, format!("SELECT COUNT(*) FROM mail_outbox WHERE {MAIL_DUE_WHERE}"), cutoffs.mail_before)
                    .await?;
            counts.unconfirmed_subscriptions = count(
                &mut tx,
                format!("SELECT COUNT(*) FROM work_subscriptions WHERE {UNCONFIRMED_DUE_WHERE}"),
                cutoffs.unconfirmed_before,
            )
            .await?;
            counts.search_questions = count(
                &mut tx,
                format!("SELECT COUNT(*) FROM search_questions WHERE {SEARCH_QUESTIONS_DUE_WHERE}"),
                cutoffs.search_questions_before,
            )
            .await?;
            tx.rollback().await.map_err(db_error)?;
            return Ok(Some(counts));
        }
        let sql = format!("SELECT id FROM cases WHERE {} ORDER BY closed_at, id LIMIT $2", due_cases_where());
        let cases: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(micros(cutoffs.cases_closed_before))
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        let cases: Vec<String> = cases.into_iter().map(|(c,)| c).collect();
        counts.cases = cases.len() as u64;
        if !cases.is_empty() {
            let mut qb = QueryBuilder::<Db>::new("SELECT id FROM submissions WHERE case_id IN (");
            let mut list = qb.separated(", ");
            for c in &cases {
                list.push_bind(c.clone());
            }
            qb.push(")");
            let subs: Vec<(String,)> = qb.build_query_as().fetch_all(&mut *tx).await.map_err(db_error)?;
            let subs: Vec<String> = subs.into_iter().map(|(s,)| s).collect();
            anonymise_case_notes(&mut tx, &cases).await?;
            anonymise_case_questions(&mut tx, &cases).await?;
            anonymise_submissions(&mut tx, &subs, &mut Erasure::default()).await?;
        }
        let sql = format!(
            "UPDATE mail_outbox SET body = '', list_unsubscribe = NULL WHERE id IN \
             (SELECT id FROM mail_outbox WHERE {MAIL_DUE_WHERE} ORDER BY created_at, id LIMIT $2)"
        );
        counts.mail_bodies = apply_due(&mut tx, sql, cutoffs.mail_before, limit).await?;
        let sql = format!(
            "DELETE FROM work_subscriptions WHERE id IN \
             (SELECT id FROM work_subscriptions WHERE {UNCONFIRMED_DUE_WHERE} ORDER BY created_at, id LIMIT $2)"
        );
        counts.unconfirmed_subscriptions = apply_due(&mut tx, sql, cutoffs.unconfirmed_before, limit).await?;
        let sql = format!(
            "DELETE FROM search_questions WHERE id IN \
             (SELECT id FROM search_questions WHERE {SEARCH_QUESTIONS_DUE_WHERE} ORDER BY asked_hour, id LIMIT $2)"
        );
        counts.search_questions = apply_due(&mut tx, sql, cutoffs.search_questions_before, limit).await?;
        commit(tx).await?;
        Ok(Some(counts))
    }

    async fn record_change(&self, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }
}
