//! Contacts and their questions. Saving a contact follows its channel into its cases.

use super::cases::{insert_case_with_reference_tx, link_case_mails_tx};
use super::contact_rollups::{mark_contact_tx, mark_hours_tx};
use super::journey_rollups;
use super::kennisbank::insert_consultation_tx;
use super::mail::{bulk_mails_tx, with_reference};
use super::portal::bulk_submissions_tx;
use super::rollups::bulk_dirty_tx;
use super::shared::{BULK_ROWS, Row, Tx, commit, other, stale_or_missing, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, opt_str, opt_timestamp, parse, timestamp};
use anyhow::Context as _;
use gastvrij_app::ports::{ContactFigureCounts, ContactHourRow, ContactQuery, StoreResult, UnconfirmedForward};
use gastvrij_domain::audit::Change;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, Question};
use gastvrij_domain::ids::{ContactId, TopicId};
use sqlx::{QueryBuilder, Row as _};

const CONTACT_COLUMNS: &str =
    "id, channel, customer_id, agent_id, state, started_at, ended_at, waiting_seconds, version";

/// The team filter on contacts `c`: `$3` is a team id or `''` for all. A contact counts for the
/// team its agent was in when it was recorded (`contacts.team_id`, migration 38).
macro_rules! contact_team {
    () => {
        "($3 = '' OR c.team_id = $3)"
    };
}

/// Contacts started in `[$1, $2)` per channel and UTC hour: all, closed, and closed at once
/// (at least one question, all `answered` without a case, and no consultation asked about the
/// start of the period).
const CONTACT_HOURS: &str = concat!(
    "SELECT c.channel, c.started_at / 3600000000 AS utc_hour, COUNT(*), \
     COALESCE(SUM(CASE WHEN c.state = 'closed' THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN c.state = 'closed' \
        AND EXISTS (SELECT 1 FROM questions q WHERE q.contact_id = c.id) \
        AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.contact_id = c.id \
            AND (q.outcome IS NULL OR q.outcome <> 'answered' OR q.case_id IS NOT NULL)) \
        AND NOT EXISTS (SELECT 1 FROM consultations s WHERE s.contact_id = c.id) \
        THEN 1 ELSE 0 END), 0) \
     FROM contacts c WHERE c.started_at >= $1 AND c.started_at < $2 AND ",
    contact_team!(),
    " GROUP BY c.channel, c.started_at / 3600000000"
);

/// Consultations asked in `[$1, $2)`: asked, answered, answered and made into an article.
const CONSULT_COUNTS: &str = "SELECT COUNT(*), COUNT(s.answered_at), \
     COALESCE(SUM(CASE WHEN s.answered_at IS NOT NULL AND s.article_id IS NOT NULL THEN 1 ELSE 0 END), 0) \
     FROM consultations s WHERE s.asked_at >= $1 AND s.asked_at < $2 \
     AND ($3 = '' OR s.asker_team_id = $3)";

/// Questions of the contacts started in `[$1, $2)` with a case, per team of the case.
const HANDOVERS: &str = concat!(
    "SELECT COALESCE(k.team_id, ''), COUNT(*) FROM contacts c JOIN questions q ON q.contact_id = c.id \
     LEFT JOIN cases k ON k.id = q.case_id \
     WHERE q.case_id IS NOT NULL AND c.started_at >= $1 AND c.started_at < $2 AND ",
    contact_team!(),
    " GROUP BY COALESCE(k.team_id, '')"
);

/// Questions of the contacts started in `[$1, $2)` forwarded to another body.
const FORWARDED: &str = concat!(
    "SELECT COUNT(*) FROM contacts c JOIN questions q ON q.contact_id = c.id \
     WHERE q.outcome = 'forwarded' AND c.started_at >= $1 AND c.started_at < $2 AND ",
    contact_team!()
);

fn contact_from(r: &Row) -> anyhow::Result<(Contact, i64)> {
    let waiting: Option<i64> = r.try_get("waiting_seconds")?;
    Ok((
        Contact {
            id: parse("id", &r.try_get::<String, _>("id")?)?,
            channel: parse("channel", &r.try_get::<String, _>("channel")?)?,
            customer_id: opt_parse("customer_id", r.try_get("customer_id")?)?,
            agent_id: opt_parse("agent_id", r.try_get("agent_id")?)?,
            state: parse("state", &r.try_get::<String, _>("state")?)?,
            started_at: timestamp(r.try_get("started_at")?)?,
            ended_at: opt_timestamp(r.try_get("ended_at")?)?,
            waiting_seconds: waiting.map(u32::try_from).transpose().context("waiting_seconds out of range")?,
            questions: vec![],
        },
        r.try_get("version")?,
    ))
}

fn question_from(r: &Row) -> anyhow::Result<(ContactId, Question)> {
    Ok((
        parse("contact_id", &r.try_get::<String, _>("contact_id")?)?,
        Question {
            id: parse("id", &r.try_get::<String, _>("id")?)?,
            topic_id: opt_parse("topic_id", r.try_get("topic_id")?)?,
            text: r.try_get("text")?,
            answer: r.try_get("answer")?,
            line: opt_parse("line", r.try_get("line")?)?,
            outcome: opt_parse("outcome", r.try_get("outcome")?)?,
            case_id: opt_parse("case_id", r.try_get("case_id")?)?,
            forwarded_to: r.try_get("forwarded_to")?,
            forward_confirmed_at: opt_timestamp(r.try_get("forward_confirmed_at")?)?,
        },
    ))
}

async fn upsert_questions_tx(tx: &mut Tx, c: &Contact) -> StoreResult<()> {
    for (position, q) in c.questions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO questions (id, contact_id, position, topic_id, text, answer, line, outcome, case_id, forwarded_to, forward_confirmed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, topic_id = excluded.topic_id, text = excluded.text, \
             answer = excluded.answer, line = excluded.line, outcome = excluded.outcome, case_id = excluded.case_id, \
             forwarded_to = excluded.forwarded_to, forward_confirmed_at = excluded.forward_confirmed_at",
        )
        .bind(q.id.to_string())
        .bind(c.id.to_string())
        .bind(position as i64)
        .bind(opt_str(&q.topic_id))
        .bind(&q.text)
        .bind(&q.answer)
        .bind(q.line.map(|l| l.code()))
        .bind(q.outcome.map(|o| o.code()))
        .bind(opt_str(&q.case_id))
        .bind(&q.forwarded_to)
        .bind(q.forward_confirmed_at.map(micros))
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

/// Save a changed contact (without audit or commit), refusing a stale `expected_version`.
async fn update_contact_tx(tx: &mut Tx, c: &Contact, expected_version: i64, change: &Change) -> StoreResult<()> {
    // The contact figures and the journey map of the hour it started in (before and after a
    // changed start), and the journey map of its cases (their channel follows the contact's).
    mark_contact_tx(tx, &c.id.to_string()).await?;
    mark_hours_tx(tx, [super::shared::hour_of(c.started_at)]).await?;
    journey_rollups::mark_contact_tx(tx, &c.id.to_string()).await?;
    journey_rollups::mark_hours_tx(tx, [super::shared::hour_of(c.started_at)]).await?;
    let done = sqlx::query(
        "UPDATE contacts SET channel = $3, customer_id = $4, agent_id = $5, state = $6, started_at = $7, ended_at = $8, \
         waiting_seconds = $9, version = version + 1, \
         team_id = CASE WHEN agent_id IS NOT DISTINCT FROM $5 THEN team_id ELSE (SELECT e.team_id FROM employees e WHERE e.id = $5) END \
         WHERE id = $1 AND version = $2",
    )
    .bind(c.id.to_string())
    .bind(expected_version)
    .bind(c.channel.code())
    .bind(opt_str(&c.customer_id))
    .bind(opt_str(&c.agent_id))
    .bind(c.state.code())
    .bind(micros(c.started_at))
    .bind(c.ended_at.map(micros))
    .bind(c.waiting_seconds.map(i64::from))
    .execute(&mut **tx)
    .await
    .map_err(db_error)?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(tx, "contacts", c.id.to_string(), "contact").await);
    }
    // The contact's cases carry its channel: follow a change, and recompute their roll-ups.
    sqlx::query(
        "INSERT INTO rollup_dirty (kind, id, day_at, touched) \
         SELECT 'case', id, created_at, $3 FROM cases WHERE contact_id = $1 AND (channel IS NULL OR channel <> $2) \
         ON CONFLICT (kind, id) DO UPDATE SET touched = excluded.touched",
    )
    .bind(c.id.to_string())
    .bind(c.channel.code())
    .bind(micros(change.at))
    .execute(&mut **tx)
    .await
    .map_err(db_error)?;
    sqlx::query("UPDATE cases SET channel = $2 WHERE contact_id = $1 AND (channel IS NULL OR channel <> $2)")
        .bind(c.id.to_string())
        .bind(c.channel.code())
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
    upsert_questions_tx(tx, c).await?;
    Ok(())
}

/// Insert new contacts with their questions, and mark the phone calls for the roll-ups.
pub(super) async fn bulk_contacts_tx(tx: &mut Tx, contacts: &[Contact]) -> StoreResult<()> {
    for chunk in contacts.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO contacts (id, channel, customer_id, agent_id, state, started_at, ended_at, waiting_seconds, version, team_id) ",
        );
        qb.push_values(chunk, |mut b, c| {
            b.push_bind(c.id.to_string())
                .push_bind(c.channel.code())
                .push_bind(opt_str(&c.customer_id))
                .push_bind(opt_str(&c.agent_id))
                .push_bind(c.state.code())
                .push_bind(micros(c.started_at))
                .push_bind(c.ended_at.map(micros))
                .push_bind(c.waiting_seconds.map(i64::from))
                .push_bind(1i64)
                // The agent's team now: the contact counts for it (docs/contact-figures.md).
                .push("(SELECT e.team_id FROM employees e WHERE e.id = ")
                .push_bind_unseparated(opt_str(&c.agent_id))
                .push_unseparated(")");
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    let questions: Vec<(&Contact, usize, &Question)> =
        contacts.iter().flat_map(|c| c.questions.iter().enumerate().map(move |(i, q)| (c, i, q))).collect();
    for chunk in questions.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO questions (id, contact_id, position, topic_id, text, answer, line, outcome, case_id, forwarded_to, forward_confirmed_at) ",
        );
        qb.push_values(chunk, |mut b, (c, i, q)| {
            b.push_bind(q.id.to_string())
                .push_bind(c.id.to_string())
                .push_bind(*i as i64)
                .push_bind(opt_str(&q.topic_id))
                .push_bind(q.text.clone())
                .push_bind(q.answer.clone())
                .push_bind(q.line.map(|l| l.code()))
                .push_bind(q.outcome.map(|o| o.code()))
                .push_bind(opt_str(&q.case_id))
                .push_bind(q.forwarded_to.clone())
                .push_bind(q.forward_confirmed_at.map(micros));
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    let phone: Vec<_> = contacts
        .iter()
        .filter(|c| c.waiting_seconds.is_some() && c.channel == gastvrij_domain::channel::Channel::Telefoon)
        .map(|c| ("phone", c.id.to_string(), c.started_at, c.started_at))
        .collect();
    bulk_dirty_tx(tx, &phone).await?;
    mark_hours_tx(tx, contacts.iter().map(|c| super::shared::hour_of(c.started_at))).await?;
    journey_rollups::mark_hours_tx(tx, contacts.iter().map(|c| super::shared::hour_of(c.started_at))).await
}

impl Backend {
    async fn load_questions(&self, contacts: &mut [(Contact, i64)]) -> StoreResult<()> {
        if contacts.is_empty() {
            return Ok(());
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT id, contact_id, position, topic_id, text, answer, line, outcome, case_id, forwarded_to, forward_confirmed_at FROM questions WHERE contact_id IN (",
        );
        let mut sep = qb.separated(", ");
        for (c, _) in contacts.iter() {
            sep.push_bind(c.id.to_string());
        }
        qb.push(") ORDER BY contact_id, position");
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        let mut by_contact: std::collections::HashMap<ContactId, Vec<Question>> = std::collections::HashMap::new();
        for r in &rows {
            let (cid, q) = question_from(r)?;
            by_contact.entry(cid).or_default().push(q);
        }
        for (c, _) in contacts.iter_mut() {
            c.questions = by_contact.remove(&c.id).unwrap_or_default();
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl gastvrij_app::ports::ContactStore for Backend {
    async fn insert_contact(&self, contact: &Contact, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        bulk_contacts_tx(&mut tx, std::slice::from_ref(contact)).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_contact(&self, c: &Contact, expected_version: i64, change: &Change) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        update_contact_tx(&mut tx, c, expected_version, change).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(expected_version + 1)
    }

    async fn update_contact_with(
        &self,
        c: &Contact,
        expected_version: i64,
        change: &Change,
        follow_up: gastvrij_app::ports::FollowUp<'_>,
    ) -> StoreResult<(i64, Option<String>)> {
        use gastvrij_app::ports::FollowUp;
        let mut tx = self.begin_write().await?;
        let mut reference = None;
        // The case first: the contact's question points at it.
        if let FollowUp::Case { case, scope, change: case_change, tracked } = follow_up {
            let given = insert_case_with_reference_tx(&mut tx, case, scope).await?;
            write_audit(&mut tx, case_change).await?;
            if let Some(t) = tracked {
                bulk_submissions_tx(&mut tx, &[(&t.submission, t.token_hash.as_str(), None)]).await?;
                let mails: Vec<_> = t.mails.iter().map(|m| with_reference(m, &given)).collect();
                bulk_mails_tx(&mut tx, &mails).await?;
                link_case_mails_tx(&mut tx, &mails.iter().map(|m| (case.id, m.id)).collect::<Vec<_>>()).await?;
            }
            reference = Some(given);
        }
        update_contact_tx(&mut tx, c, expected_version, change).await?;
        write_audit(&mut tx, change).await?;
        if let FollowUp::Consultation { consultation, change: asked } = follow_up {
            insert_consultation_tx(&mut tx, consultation).await?;
            write_audit(&mut tx, asked).await?;
        }
        commit(tx).await?;
        Ok((expected_version + 1, reference))
    }

    async fn contact(&self, id: ContactId) -> StoreResult<Option<(Contact, i64)>> {
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        let Some(row) = row else { return Ok(None) };
        let mut found = vec![contact_from(&row).map_err(other)?];
        self.load_questions(&mut found).await?;
        Ok(found.pop())
    }

    async fn contacts(&self, q: &ContactQuery) -> StoreResult<Vec<Contact>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE 1 = 1"));
        if let Some(c) = q.customer_id {
            qb.push(" AND customer_id = ").push_bind(c.to_string());
        }
        if let Some(a) = q.agent_id {
            qb.push(" AND agent_id = ").push_bind(a.to_string());
        }
        if let Some(from) = q.from {
            qb.push(" AND started_at >= ").push_bind(micros(from));
        }
        if let Some(to) = q.to {
            qb.push(" AND started_at < ").push_bind(micros(to));
        }
        qb.push(" ORDER BY started_at DESC, id DESC LIMIT ").push_bind(i64::from(q.page.limit));
        qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        let mut found = rows.iter().map(contact_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        self.load_questions(&mut found).await?;
        Ok(found.into_iter().map(|(c, _)| c).collect())
    }

    async fn count_contacts(&self) -> StoreResult<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM contacts").fetch_one(self.reader()).await.map_err(db_error)?;
        Ok(n)
    }

    async fn question_counts(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> StoreResult<Vec<(Option<TopicId>, Channel, u64)>> {
        let rows: Vec<(Option<String>, String, i64)> = sqlx::query_as(
            "SELECT q.topic_id, c.channel, COUNT(*) FROM questions q JOIN contacts c ON c.id = q.contact_id \
             WHERE c.started_at >= $1 AND c.started_at < $2 GROUP BY q.topic_id, c.channel",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(topic, channel, n)| {
                Ok((opt_parse("topic_id", topic)?, parse("channel", &channel)?, u64::try_from(n).unwrap_or(0)))
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn contact_figure_counts(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
        team: Option<&str>,
    ) -> StoreResult<ContactFigureCounts> {
        let team = team.unwrap_or("");
        let (from, to) = (micros(from), micros(to));
        let ranged = |sql: &'static str| sqlx::query(sql).bind(from).bind(to).bind(team);
        let count = |r: &Row, i: usize| u64::try_from(r.try_get::<i64, _>(i).map_err(other)?).map_err(other);
        let hours = ranged(CONTACT_HOURS).fetch_all(self.reader()).await.map_err(db_error)?;
        let consults = ranged(CONSULT_COUNTS).fetch_one(self.reader()).await.map_err(db_error)?;
        let handovers = ranged(HANDOVERS).fetch_all(self.reader()).await.map_err(db_error)?;
        let forwarded = ranged(FORWARDED).fetch_one(self.reader()).await.map_err(db_error)?;
        // Rows per channel and hour, summed per hour and per channel.
        let mut by_hour: std::collections::BTreeMap<i64, (u64, u64, u64)> = Default::default();
        let mut by_channel: std::collections::BTreeMap<String, u64> = Default::default();
        for r in &hours {
            let (contacts, closed, first_time) = (count(r, 2)?, count(r, 3)?, count(r, 4)?);
            let e = by_hour.entry(r.try_get(1).map_err(other)?).or_default();
            (e.0, e.1, e.2) = (e.0 + contacts, e.1 + closed, e.2 + first_time);
            *by_channel.entry(r.try_get(0).map_err(other)?).or_default() += contacts;
        }
        Ok(ContactFigureCounts {
            hours: by_hour
                .into_iter()
                .map(|(utc_hour, (contacts, closed, first_time))| ContactHourRow {
                    utc_hour,
                    contacts,
                    closed,
                    first_time,
                })
                .collect(),
            channels: by_channel.into_iter().collect(),
            consults_asked: count(&consults, 0)?,
            consults_answered: count(&consults, 1)?,
            consults_to_article: count(&consults, 2)?,
            handovers: handovers
                .iter()
                .map(|r| Ok((r.try_get(0).map_err(other)?, count(r, 1)?)))
                .collect::<StoreResult<_>>()?,
            forwarded: count(&forwarded, 0)?,
        })
    }

    async fn contact_figure_rollup(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
        team: Option<&str>,
        segment: Option<&str>,
    ) -> StoreResult<ContactFigureCounts> {
        super::contact_rollups::figure_rollup(self, from, to, team, segment).await
    }

    async fn dirty_contact_hours(&self, limit: u32) -> StoreResult<Vec<(i64, i64)>> {
        super::contact_rollups::dirty_hours(self, limit).await
    }

    async fn refresh_contact_hours(&self, from_hour: i64, to_hour: i64, done: &[(i64, i64)]) -> StoreResult<()> {
        super::contact_rollups::refresh_hours(self, from_hour, to_hour, done).await
    }

    async fn unconfirmed_forwards(&self, limit: u32) -> StoreResult<Vec<UnconfirmedForward>> {
        let rows = sqlx::query(
            "SELECT q.contact_id, q.id, q.text, q.forwarded_to, c.started_at, c.customer_id, c.channel \
             FROM questions q JOIN contacts c ON c.id = q.contact_id \
             WHERE q.outcome = 'forwarded' AND q.forward_confirmed_at IS NULL AND q.forwarded_to IS NOT NULL \
             ORDER BY c.started_at, q.contact_id, q.position LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let forward = |r: &Row| -> anyhow::Result<UnconfirmedForward> {
            Ok(UnconfirmedForward {
                contact_id: parse("contact_id", &r.try_get::<String, _>("contact_id")?)?,
                question_id: parse("id", &r.try_get::<String, _>("id")?)?,
                text: r.try_get("text")?,
                forwarded_to: r.try_get("forwarded_to")?,
                forwarded_at: timestamp(r.try_get("started_at")?)?,
                customer_id: opt_parse("customer_id", r.try_get("customer_id")?)?,
                channel: parse("channel", &r.try_get::<String, _>("channel")?)?,
            })
        };
        rows.iter().map(forward).collect::<anyhow::Result<_>>().map_err(other)
    }
}
