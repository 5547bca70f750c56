//! Cases (zaken) with their status history, notes and attachments, and the reference counters.

use super::contact_rollups::mark_contact_tx;
use super::journey_rollups;
use super::mail::{MAIL_RECORD_COLUMNS, bulk_mails_tx, mail_record_from};
use super::rollups::{bulk_dirty_tx, mark_dirty_tx};
use super::shared::{BULK_ROWS, Row, Tx, commit, other, stale_or_missing, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, opt_str, opt_timestamp, parse, timestamp};
use anyhow::Context as _;
use gastvrij_app::ports::{CaseOrder, CaseQuery, DeadlineFilter, KeptLetter, StoreResult, TaskScope};
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::{Attachment, Case, Closure, Note, StatusChange};
use gastvrij_domain::case_task::CaseTask;
use gastvrij_domain::ids::{CaseId, CaseTaskId};
use sqlx::{QueryBuilder, Row as _};

const CASE_COLUMNS: &str = "id, reference, case_type, topic_id, team_id, owner_id, customer_id, contact_id, subject, intent, status, urgent, created_at, updated_at, closed_at, timing, result, answer, complaint, version";

fn case_from(r: &Row) -> anyhow::Result<(Case, i64)> {
    Ok((
        Case {
            id: parse("id", &r.try_get::<String, _>("id")?)?,
            reference: r.try_get("reference")?,
            case_type: parse("case_type", &r.try_get::<String, _>("case_type")?)?,
            topic_id: opt_parse("topic_id", r.try_get("topic_id")?)?,
            team_id: parse("team_id", &r.try_get::<String, _>("team_id")?)?,
            owner_id: opt_parse("owner_id", r.try_get("owner_id")?)?,
            customer_id: opt_parse("customer_id", r.try_get("customer_id")?)?,
            contact_id: opt_parse("contact_id", r.try_get("contact_id")?)?,
            subject: r.try_get("subject")?,
            intent: r.try_get("intent")?,
            status: parse("status", &r.try_get::<String, _>("status")?)?,
            urgent: r.try_get("urgent")?,
            created_at: timestamp(r.try_get("created_at")?)?,
            updated_at: timestamp(r.try_get("updated_at")?)?,
            closed_at: opt_timestamp(r.try_get("closed_at")?)?,
            timing: serde_json::from_str(&r.try_get::<String, _>("timing")?)
                .context("stored case timing is invalid")?,
            closure: match (r.try_get::<Option<String>, _>("result")?, r.try_get::<Option<String>, _>("answer")?) {
                (Some(result), Some(answer)) => Some(Closure { result: parse("result", &result)?, answer }),
                _ => None,
            },
            complaint: r
                .try_get::<Option<String>, _>("complaint")?
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .context("stored complaint is invalid")?,
            history: vec![],
            notes: vec![],
            attachments: vec![],
        },
        r.try_get("version")?,
    ))
}

const TASK_COLUMNS: &str =
    "id, case_id, to_team, question, due_on, asked_by, asked_at, answer, answered_by, answered_at";

fn task_from(r: &Row) -> anyhow::Result<CaseTask> {
    Ok(CaseTask {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        case_id: parse("case_id", &r.try_get::<String, _>("case_id")?)?,
        to_team: parse("to_team", &r.try_get::<String, _>("to_team")?)?,
        question: r.try_get("question")?,
        due_on: r.try_get::<String, _>("due_on")?.parse().context("stored due_on is not a date")?,
        asked_by: opt_parse("asked_by", r.try_get("asked_by")?)?,
        asked_at: timestamp(r.try_get("asked_at")?)?,
        answer: r.try_get("answer")?,
        answered_by: opt_parse("answered_by", r.try_get("answered_by")?)?,
        answered_at: opt_timestamp(r.try_get("answered_at")?)?,
    })
}

/// What a klacht adds to its case, as stored in `cases.complaint`.
fn complaint_json(c: &Case) -> StoreResult<Option<String>> {
    c.complaint.as_ref().map(serde_json::to_string).transpose().map_err(other)
}

/// Open cases, written as a list so the (status, …) indexes apply (`<>` would scan).
pub(super) const OPEN_STATUSES: &str = " AND status IN ('ontvangen', 'in_behandeling', 'opgeschort')";

/// The first status change after receipt of a new case (kept in `cases.first_action_at`;
/// `cases.channel` and `cases.segment` are looked up in the INSERT itself).
fn first_action_at(c: &Case) -> Option<i64> {
    c.history.iter().skip(1).map(|h| micros(h.at)).min()
}

/// Insert a new case with the next reference of `scope`; returns that reference.
/// Link queued mails to the cases they are about (`case_mails`): the case page's timeline
/// shows them with the text that was sent.
pub(super) async fn link_case_mails_tx(
    tx: &mut Tx,
    links: &[(gastvrij_domain::ids::CaseId, gastvrij_domain::ids::MailId)],
) -> StoreResult<()> {
    for chunk in links.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new("INSERT INTO case_mails (case_id, mail_id) ");
        qb.push_values(chunk, |mut b, (case, mail)| {
            b.push_bind(case.to_string()).push_bind(mail.to_string());
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

pub(super) async fn insert_case_with_reference_tx(tx: &mut Tx, case: &Case, scope: &str) -> StoreResult<String> {
    let (n,): (i64,) = sqlx::query_as(
        "INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind(format!("case_ref:{scope}"))
    .fetch_one(&mut **tx)
    .await
    .map_err(db_error)?;
    let reference = gastvrij_domain::case::format_reference(scope, n);
    let mut stored = case.clone();
    stored.reference = reference.clone();
    bulk_cases_tx(tx, std::slice::from_ref(&stored)).await?;
    Ok(reference)
}

/// History, notes and attachments of `cases` are append-only: rows already stored are left as
/// they are.
async fn append_case_children_tx(tx: &mut Tx, cases: &[Case]) -> StoreResult<()> {
    let history: Vec<(&Case, usize, &StatusChange)> =
        cases.iter().flat_map(|c| c.history.iter().enumerate().map(move |(i, h)| (c, i, h))).collect();
    for chunk in history.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO case_status_history (case_id, position, status, at, by_employee, reason) ",
        );
        qb.push_values(chunk, |mut b, (c, i, h)| {
            b.push_bind(c.id.to_string())
                .push_bind(*i as i64)
                .push_bind(h.status.code())
                .push_bind(micros(h.at))
                .push_bind(opt_str(&h.by))
                .push_bind(h.reason.clone());
        });
        qb.push(" ON CONFLICT (case_id, position) DO NOTHING");
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    let notes: Vec<(&Case, &Note)> = cases.iter().flat_map(|c| c.notes.iter().map(move |n| (c, n))).collect();
    for chunk in notes.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new("INSERT INTO case_notes (id, case_id, at, author_id, text) ");
        qb.push_values(chunk, |mut b, (c, n)| {
            b.push_bind(n.id.to_string())
                .push_bind(c.id.to_string())
                .push_bind(micros(n.at))
                .push_bind(opt_str(&n.author))
                .push_bind(n.text.clone());
        });
        qb.push(" ON CONFLICT (id) DO NOTHING");
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    let files: Vec<(&Case, &Attachment)> =
        cases.iter().flat_map(|c| c.attachments.iter().map(move |a| (c, a))).collect();
    for chunk in files.chunks(BULK_ROWS / 2) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO case_attachments (id, case_id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by) ",
        );
        let mut sizes = Vec::with_capacity(chunk.len());
        for (_, a) in chunk {
            sizes.push(i64::try_from(a.size_bytes).map_err(other)?);
        }
        qb.push_values(chunk.iter().zip(sizes), |mut b, ((c, a), size)| {
            b.push_bind(a.id.to_string())
                .push_bind(c.id.to_string())
                .push_bind(a.file_name.clone())
                .push_bind(a.content_type.clone())
                .push_bind(size)
                .push_bind(a.sha256.clone())
                .push_bind(micros(a.uploaded_at))
                .push_bind(opt_str(&a.uploaded_by));
        });
        qb.push(" ON CONFLICT (id) DO NOTHING");
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

/// Move the reference counter of `scope` to at least `value`.
pub(super) async fn raise_counter_tx(tx: &mut Tx, scope: &str, value: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE \
         SET value = CASE WHEN counters.value > excluded.value THEN counters.value ELSE excluded.value END",
    )
    .bind(format!("case_ref:{scope}"))
    .bind(value)
    .execute(&mut **tx)
    .await
    .map_err(db_error)?;
    Ok(())
}

/// SQL for the first of the segments of the customer whose id follows (a parameter), closed by
/// [`FIRST_SEGMENT_END`]: `cases.segment`, '' without a customer or segment.
fn first_segment_start() -> String {
    format!("COALESCE((SELECT {} FROM customers WHERE id = ", super::shared::first_segment("segments"))
}

const FIRST_SEGMENT_END: &str = "), '')";

pub(super) async fn bulk_cases_tx(tx: &mut Tx, cases: &[Case]) -> StoreResult<()> {
    let mut timings = Vec::with_capacity(cases.len());
    for c in cases {
        timings.push((serde_json::to_string(&c.timing).map_err(other)?, complaint_json(c)?));
    }
    let rows: Vec<(&Case, &(String, Option<String>))> = cases.iter().zip(timings.iter()).collect();
    for chunk in rows.chunks(BULK_ROWS / 2) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO cases (id, reference, case_type, topic_id, team_id, owner_id, customer_id, contact_id, subject, intent, status, urgent, \
             created_at, updated_at, closed_at, acknowledgement_due, service_norm_due, legal_due, timing, version, first_action_at, \
             suspended_since, result, answer, complaint, channel, segment) ",
        );
        let segment_start = first_segment_start();
        qb.push_values(chunk, |mut b, (c, (timing, complaint))| {
            b.push_bind(c.id.to_string())
                .push_bind(c.reference.clone())
                .push_bind(c.case_type.code())
                .push_bind(opt_str(&c.topic_id))
                .push_bind(c.team_id.to_string())
                .push_bind(opt_str(&c.owner_id))
                .push_bind(opt_str(&c.customer_id))
                .push_bind(opt_str(&c.contact_id))
                .push_bind(c.subject.clone())
                .push_bind(c.intent.clone())
                .push_bind(c.status.code())
                .push_bind(c.urgent)
                .push_bind(micros(c.created_at))
                .push_bind(micros(c.updated_at))
                .push_bind(c.closed_at.map(micros))
                .push_bind(c.timing.deadlines.and_then(|d| d.acknowledgement).map(micros))
                .push_bind(c.timing.deadlines.map(|d| micros(d.service_norm)))
                .push_bind(c.timing.deadlines.and_then(|d| d.legal).map(micros))
                .push_bind(timing.clone())
                .push_bind(1i64)
                .push_bind(first_action_at(c))
                .push_bind(c.suspended_since().map(micros))
                .push_bind(c.closure.as_ref().map(|x| x.result.code()))
                .push_bind(c.closure.as_ref().map(|x| x.answer.clone()))
                .push_bind(complaint.clone())
                // `cases.channel`: the channel of the case's contact.
                .push("(SELECT channel FROM contacts WHERE id = ")
                .push_bind_unseparated(opt_str(&c.contact_id))
                .push_unseparated(")")
                // `cases.segment`: the first segment of the case's customer.
                .push(&segment_start)
                .push_bind_unseparated(opt_str(&c.customer_id))
                .push_unseparated(FIRST_SEGMENT_END);
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    append_case_children_tx(tx, cases).await?;
    let dirty: Vec<_> = cases.iter().map(|c| ("case", c.id.to_string(), c.created_at, c.updated_at)).collect();
    bulk_dirty_tx(tx, &dirty).await?;
    journey_rollups::mark_hours_tx(tx, cases.iter().map(|c| super::shared::hour_of(c.created_at))).await
}

/// Save a changed case (without audit or commit), refusing a stale `expected_version`; see
/// `CaseStore::update_case`.
pub(super) async fn update_case_tx(tx: &mut Tx, c: &Case, expected_version: i64, change: &Change) -> StoreResult<()> {
    let sql = format!(
        "UPDATE cases SET case_type = $3, topic_id = $4, team_id = $5, owner_id = $6, customer_id = $7, contact_id = $8, \
         subject = $9, intent = $10, status = $11, updated_at = $12, urgent = $13, closed_at = $14, acknowledgement_due = $15, \
         service_norm_due = $16, legal_due = $17, timing = $18, suspended_since = $19, result = $20, answer = $21, \
         complaint = $22, version = version + 1, channel = (SELECT channel FROM contacts WHERE id = $8), \
         segment = {}$7{FIRST_SEGMENT_END} WHERE id = $1 AND version = $2",
        first_segment_start()
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(c.id.to_string())
        .bind(expected_version)
        .bind(c.case_type.code())
        .bind(opt_str(&c.topic_id))
        .bind(c.team_id.to_string())
        .bind(opt_str(&c.owner_id))
        .bind(opt_str(&c.customer_id))
        .bind(opt_str(&c.contact_id))
        .bind(&c.subject)
        .bind(&c.intent)
        .bind(c.status.code())
        .bind(micros(c.updated_at))
        .bind(c.urgent)
        .bind(c.closed_at.map(micros))
        .bind(c.timing.deadlines.and_then(|d| d.acknowledgement).map(micros))
        .bind(c.timing.deadlines.map(|d| micros(d.service_norm)))
        .bind(c.timing.deadlines.and_then(|d| d.legal).map(micros))
        .bind(serde_json::to_string(&c.timing).map_err(other)?)
        .bind(c.suspended_since().map(micros))
        .bind(c.closure.as_ref().map(|x| x.result.code()))
        .bind(c.closure.as_ref().map(|x| x.answer.clone()))
        .bind(complaint_json(c)?)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(tx, "cases", c.id.to_string(), "case").await);
    }
    append_case_children_tx(tx, std::slice::from_ref(c)).await?;
    // History is append-only: the stored entries decide the first action.
    sqlx::query(
        "UPDATE cases SET first_action_at = \
         (SELECT MIN(at) FROM case_status_history WHERE case_id = $1 AND position > 0) WHERE id = $1",
    )
    .bind(c.id.to_string())
    .execute(&mut **tx)
    .await
    .map_err(db_error)?;
    mark_dirty_tx(tx, "case", &c.id.to_string(), c.created_at, change.at.max(c.updated_at)).await?;
    journey_rollups::mark_case_tx(tx, &c.id.to_string(), c.created_at).await?;
    // Handovers are counted per team of the case, in the hour its contact started.
    if let Some(contact) = c.contact_id {
        mark_contact_tx(tx, &contact.to_string()).await?;
    }
    Ok(())
}

impl Backend {
    async fn load_case_children(&self, cases: &mut [(Case, i64)]) -> StoreResult<()> {
        if cases.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = cases.iter().map(|(c, _)| c.id.to_string()).collect();
        let fetch = |sql: &'static str| {
            let mut qb = QueryBuilder::<Db>::new(sql);
            qb.push(" WHERE case_id IN (");
            let mut sep = qb.separated(", ");
            for id in &ids {
                sep.push_bind(id.clone());
            }
            qb.push(")");
            qb
        };
        let mut qb = fetch("SELECT case_id, position, status, at, by_employee, reason FROM case_status_history");
        qb.push(" ORDER BY case_id, position");
        let mut history: std::collections::HashMap<CaseId, Vec<StatusChange>> = Default::default();
        for r in qb.build().fetch_all(self.reader()).await.map_err(db_error)? {
            let id: CaseId = parse("case_id", &r.try_get::<String, _>("case_id").map_err(other)?)?;
            history.entry(id).or_default().push(StatusChange {
                status: parse("status", &r.try_get::<String, _>("status").map_err(other)?)?,
                at: timestamp(r.try_get("at").map_err(other)?)?,
                by: opt_parse("by_employee", r.try_get("by_employee").map_err(other)?)?,
                reason: r.try_get("reason").map_err(other)?,
            });
        }
        let mut qb = fetch("SELECT id, case_id, at, author_id, text FROM case_notes");
        qb.push(" ORDER BY case_id, at, id");
        let mut notes: std::collections::HashMap<CaseId, Vec<Note>> = Default::default();
        for r in qb.build().fetch_all(self.reader()).await.map_err(db_error)? {
            let id: CaseId = parse("case_id", &r.try_get::<String, _>("case_id").map_err(other)?)?;
            notes.entry(id).or_default().push(Note {
                id: parse("id", &r.try_get::<String, _>("id").map_err(other)?)?,
                at: timestamp(r.try_get("at").map_err(other)?)?,
                author: opt_parse("author_id", r.try_get("author_id").map_err(other)?)?,
                text: r.try_get("text").map_err(other)?,
            });
        }
        let mut qb = fetch(
            "SELECT id, case_id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by FROM case_attachments",
        );
        qb.push(" ORDER BY case_id, uploaded_at, id");
        let mut attachments: std::collections::HashMap<CaseId, Vec<Attachment>> = Default::default();
        for r in qb.build().fetch_all(self.reader()).await.map_err(db_error)? {
            let id: CaseId = parse("case_id", &r.try_get::<String, _>("case_id").map_err(other)?)?;
            let size: i64 = r.try_get("size_bytes").map_err(other)?;
            attachments.entry(id).or_default().push(Attachment {
                id: parse("id", &r.try_get::<String, _>("id").map_err(other)?)?,
                file_name: r.try_get("file_name").map_err(other)?,
                content_type: r.try_get("content_type").map_err(other)?,
                size_bytes: u64::try_from(size).map_err(other)?,
                sha256: r.try_get("sha256").map_err(other)?,
                uploaded_at: timestamp(r.try_get("uploaded_at").map_err(other)?)?,
                uploaded_by: opt_parse("uploaded_by", r.try_get("uploaded_by").map_err(other)?)?,
            });
        }
        for (c, _) in cases.iter_mut() {
            c.history = history.remove(&c.id).unwrap_or_default();
            c.notes = notes.remove(&c.id).unwrap_or_default();
            c.attachments = attachments.remove(&c.id).unwrap_or_default();
        }
        Ok(())
    }

    async fn one_case(&self, column: &'static str, value: String) -> StoreResult<Option<(Case, i64)>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE {column} = $1");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).fetch_optional(self.reader()).await.map_err(db_error)?;
        let Some(row) = row else { return Ok(None) };
        let mut found = vec![case_from(&row)?];
        self.load_case_children(&mut found).await?;
        Ok(found.pop())
    }
}

#[async_trait::async_trait]
impl gastvrij_app::ports::CaseStore for Backend {
    async fn insert_case(&self, case: &Case, scope: &str, change: &Change) -> StoreResult<String> {
        let mut tx = self.begin_write().await?;
        let reference = insert_case_with_reference_tx(&mut tx, case, scope).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(reference)
    }

    async fn update_case(
        &self,
        c: &Case,
        expected_version: i64,
        change: &Change,
        mails: &[gastvrij_domain::mail::OutgoingMail],
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        update_case_tx(&mut tx, c, expected_version, change).await?;
        bulk_mails_tx(&mut tx, mails).await?;
        link_case_mails_tx(&mut tx, &mails.iter().map(|m| (c.id, m.id)).collect::<Vec<_>>()).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(expected_version + 1)
    }

    async fn case(&self, id: CaseId) -> StoreResult<Option<(Case, i64)>> {
        self.one_case("id", id.to_string()).await
    }

    async fn case_by_reference(&self, reference: &str) -> StoreResult<Option<(Case, i64)>> {
        self.one_case("reference", reference.to_uppercase()).await
    }

    async fn cases(&self, q: &CaseQuery) -> StoreResult<Vec<Case>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE 1 = 1"));
        if !q.ids.is_empty() {
            qb.push(" AND id IN (");
            let mut ids = qb.separated(", ");
            for id in &q.ids {
                ids.push_bind(id.to_string());
            }
            qb.push(")");
        }
        if let Some(t) = q.team_id {
            qb.push(" AND team_id = ").push_bind(t.to_string());
        }
        if let Some(o) = q.owner_id {
            qb.push(" AND owner_id = ").push_bind(o.to_string());
        }
        if q.unassigned {
            qb.push(" AND owner_id IS NULL");
        }
        if let Some(t) = q.topic_id {
            qb.push(" AND topic_id = ").push_bind(t.to_string());
        }
        if let Some(c) = q.customer_id {
            qb.push(" AND customer_id = ").push_bind(c.to_string());
        }
        if let Some(s) = q.status {
            qb.push(" AND status = ").push_bind(s.code());
        }
        if let Some(t) = q.case_type {
            qb.push(" AND case_type = ").push_bind(t.code());
        }
        if q.open_only || q.deadline.is_some() {
            qb.push(OPEN_STATUSES);
        }
        // As `norms::classify_case`: a suspended case is judged at its suspension.
        match q.deadline {
            Some(DeadlineFilter::Late { now }) => {
                qb.push(" AND service_norm_due <= COALESCE(suspended_since, ").push_bind(micros(now)).push(")");
            }
            Some(DeadlineFilter::AtRisk { now, until }) => {
                qb.push(" AND suspended_since IS NULL AND service_norm_due > ").push_bind(micros(now));
                qb.push(" AND service_norm_due <= ").push_bind(micros(until));
            }
            None => {}
        }
        qb.push(match q.order {
            CaseOrder::Newest => " ORDER BY created_at DESC, id DESC",
            CaseOrder::Deadline => {
                " ORDER BY CASE WHEN urgent AND owner_id IS NULL THEN 0 ELSE 1 END, \
                 CASE WHEN service_norm_due IS NULL THEN 1 ELSE 0 END, service_norm_due, id"
            }
        });
        qb.push(" LIMIT ").push_bind(i64::from(q.page.limit));
        qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        let mut found = rows.iter().map(case_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        if !q.shallow {
            self.load_case_children(&mut found).await?;
        }
        Ok(found.into_iter().map(|(c, _)| c).collect())
    }

    async fn complaints_received(&self, from: jiff::Timestamp, until: jiff::Timestamp) -> StoreResult<Vec<Case>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE case_type = 'klacht' AND created_at >= $1 AND created_at < $2 \
             ORDER BY created_at, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(micros(from))
            .bind(micros(until))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        let mut found = rows.iter().map(case_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        self.load_case_children(&mut found).await?;
        Ok(found.into_iter().map(|(c, _)| c).collect())
    }

    async fn insert_case_task(&self, t: &CaseTask, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO case_tasks (id, case_id, to_team, question, due_on, asked_by, asked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id.to_string())
        .bind(t.case_id.to_string())
        .bind(t.to_team.to_string())
        .bind(&t.question)
        .bind(t.due_on.to_string())
        .bind(opt_str(&t.asked_by))
        .bind(micros(t.asked_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn answer_case_task(&self, t: &CaseTask, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE case_tasks SET answer = $2, answered_by = $3, answered_at = $4 WHERE id = $1 AND answer IS NULL",
        )
        .bind(t.id.to_string())
        .bind(&t.answer)
        .bind(opt_str(&t.answered_by))
        .bind(t.answered_at.map(micros))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(gastvrij_app::ports::StoreError::Conflict("the task was answered meanwhile".into()));
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn case_task(&self, id: CaseTaskId) -> StoreResult<Option<CaseTask>> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM case_tasks WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(task_from).transpose().map_err(other)
    }

    async fn case_tasks(&self, of: TaskScope) -> StoreResult<Vec<CaseTask>> {
        let (filter, id) = match of {
            TaskScope::Case(c) => ("case_id = $1 ORDER BY asked_at, id", c.to_string()),
            TaskScope::OpenFor(t) => {
                ("to_team = $1 AND answered_at IS NULL ORDER BY due_on, asked_at, id", t.to_string())
            }
        };
        let sql = format!("SELECT {TASK_COLUMNS} FROM case_tasks WHERE {filter}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(task_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn keep_printed_letter(&self, l: &KeptLetter) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let newest: Option<(String, String)> = sqlx::query_as(
            "SELECT subject, body FROM case_letters WHERE case_id = $1 AND kind = $2 ORDER BY printed_at DESC LIMIT 1",
        )
        .bind(l.case_id.to_string())
        .bind(l.kind)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        if newest.is_some_and(|(subject, body)| subject == l.subject && body == l.body) {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO case_letters (case_id, kind, subject, body, printed_by, printed_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(l.case_id.to_string())
        .bind(l.kind)
        .bind(&l.subject)
        .bind(&l.body)
        .bind(opt_str(&l.printed_by))
        .bind(micros(l.printed_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        commit(tx).await?;
        Ok(true)
    }

    async fn printed_letters(&self, id: CaseId) -> StoreResult<Vec<KeptLetter>> {
        let rows = sqlx::query(
            "SELECT kind, subject, body, printed_by, printed_at FROM case_letters WHERE case_id = $1 \
             ORDER BY printed_at, kind",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let letter = |r: &Row| -> anyhow::Result<KeptLetter> {
            Ok(KeptLetter {
                case_id: id,
                kind: if r.try_get::<String, _>("kind")? == "ontvangstbrief" { "ontvangstbrief" } else { "brief" },
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                printed_by: opt_parse("printed_by", r.try_get("printed_by")?)?,
                printed_at: timestamp(r.try_get("printed_at")?)?,
            })
        };
        rows.iter().map(letter).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn case_mails(&self, id: CaseId) -> StoreResult<Vec<gastvrij_domain::mail::MailRecord>> {
        let sql = format!(
            "SELECT {MAIL_RECORD_COLUMNS} FROM mail_outbox WHERE id IN (SELECT mail_id FROM case_mails WHERE case_id = $1) \
             ORDER BY created_at DESC, id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter().map(mail_record_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn open_cases_due(
        &self,
        after: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> StoreResult<Vec<gastvrij_app::ports::DueCase>> {
        let rows = sqlx::query(
            "SELECT id, reference, team_id, owner_id, service_norm_due FROM cases \
             WHERE status IN ('ontvangen', 'in_behandeling') AND service_norm_due > $1 AND service_norm_due <= $2 \
             ORDER BY service_norm_due",
        )
        .bind(micros(after))
        .bind(micros(until))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| -> anyhow::Result<gastvrij_app::ports::DueCase> {
                Ok(gastvrij_app::ports::DueCase {
                    id: parse("id", &r.try_get::<String, _>("id")?)?,
                    reference: r.try_get("reference")?,
                    team_id: parse("team_id", &r.try_get::<String, _>("team_id")?)?,
                    owner_id: opt_parse("owner_id", r.try_get("owner_id")?)?,
                    service_norm_due: timestamp(r.try_get("service_norm_due")?)?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }
}
