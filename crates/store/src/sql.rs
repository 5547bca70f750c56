//! The queries of the `Store` port, written once and instantiated for SQLite and PostgreSQL.
//!
//! The macro expects the store type to have `fn reader(&self) -> &Pool<DB>` and
//! `async fn begin_write(&self) -> Result<Transaction<'static, DB>, StoreError>`.

macro_rules! store_impl {
    ($store:ty, $db:ty) => {
        use $crate::codec::{
            db_error, join, micros, opt_parse, opt_str, opt_timestamp, parse, split, timestamp,
        };
        use anyhow::Context as _;
        use gastvrij_app::ports::{AuditQuery, Batch, CaseQuery, ContactQuery, CustomerQuery, StoreResult};
        use gastvrij_app::StoreError;
        use gastvrij_domain::audit::{Actor, AuditEntry, Change};
        use gastvrij_domain::case::{Attachment, Case, Note, StatusChange};
        use gastvrij_domain::contact::{Contact, Question};
        use gastvrij_domain::customer::{ContactDetails, Customer};
        use gastvrij_domain::ids::{CaseId, ContactId, CustomerId, EmployeeId, TeamId, TopicId};
        use gastvrij_domain::organisation::Organisation;
        use gastvrij_domain::team::{Employee, Team};
        use gastvrij_domain::topic::Topic;
        use gastvrij_domain::text::{email_key, fold};
        use sqlx::{QueryBuilder, Row as _};

        type Row = <$db as sqlx::Database>::Row;
        type Tx = sqlx::Transaction<'static, $db>;

        async fn write_audit(tx: &mut Tx, change: &Change) -> StoreResult<()> {
            bulk_audit_tx(tx, &[change]).await
        }

        async fn bulk_audit_tx(tx: &mut Tx, changes: &[&Change]) -> StoreResult<()> {
            for chunk in changes.chunks(BULK_ROWS) {
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO audit_log (at, actor, action, entity_id, summary) ");
                qb.push_values(chunk, |mut b, change| {
                    b.push_bind(micros(change.at))
                        .push_bind(change.actor.to_code())
                        .push_bind(change.action)
                        .push_bind(change.entity_id.clone())
                        .push_bind(change.summary.clone());
                });
                qb.build().execute(&mut **tx).await.map_err(db_error)?;
            }
            Ok(())
        }

        /// After an update matched no row: a stale version (someone else saved first) or a
        /// record that does not exist.
        async fn stale_or_missing(tx: &mut Tx, table: &'static str, id: String, what: &'static str) -> StoreError {
            let sql = format!("SELECT version FROM {table} WHERE id = $1");
            match sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await {
                Ok(Some(_)) => StoreError::Conflict(format!("the {what} was changed by someone else in the meantime; reload it and try again")),
                Ok(None) => StoreError::NotFound(what),
                Err(e) => db_error(e),
            }
        }

        async fn commit(tx: Tx) -> StoreResult<()> {
            tx.commit().await.map_err(db_error)
        }

        fn team_from(r: &Row) -> anyhow::Result<Team> {
            Ok(Team { id: parse("id", &r.try_get::<String, _>("id")?)?, name: r.try_get("name")?, description: r.try_get("description")? })
        }

        const EMPLOYEE_COLUMNS: &str = "id, name, email, phone, team_id, roles, username, active";

        fn employee_from(r: &Row) -> anyhow::Result<Employee> {
            Ok(Employee {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                name: r.try_get("name")?,
                email: opt_parse("email", r.try_get("email")?)?,
                phone: opt_parse("phone", r.try_get("phone")?)?,
                team_id: opt_parse("team_id", r.try_get("team_id")?)?,
                roles: split("roles", &r.try_get::<String, _>("roles")?)?,
                username: r.try_get("username")?,
                active: r.try_get("active")?,
            })
        }

        fn topic_from(r: &Row) -> anyhow::Result<Topic> {
            Ok(Topic {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                parent_id: opt_parse("parent_id", r.try_get("parent_id")?)?,
                name: r.try_get("name")?,
                team_id: opt_parse("team_id", r.try_get("team_id")?)?,
            })
        }

        const CUSTOMER_COLUMNS: &str =
            "id, kind, name, segments, email, phone, postcode, house_number, street, city, kvk_number, created_at, updated_at";

        fn customer_from(r: &Row) -> anyhow::Result<Customer> {
            Ok(Customer {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                kind: parse("kind", &r.try_get::<String, _>("kind")?)?,
                name: r.try_get("name")?,
                segments: split("segments", &r.try_get::<String, _>("segments")?)?,
                details: ContactDetails {
                    email: opt_parse("email", r.try_get("email")?)?,
                    phone: opt_parse("phone", r.try_get("phone")?)?,
                    postcode: opt_parse("postcode", r.try_get("postcode")?)?,
                    house_number: r.try_get("house_number")?,
                    street: r.try_get("street")?,
                    city: r.try_get("city")?,
                    kvk_number: opt_parse("kvk_number", r.try_get("kvk_number")?)?,
                },
                created_at: timestamp(r.try_get("created_at")?)?,
                updated_at: timestamp(r.try_get("updated_at")?)?,
            })
        }

        const CONTACT_COLUMNS: &str = "id, channel, customer_id, agent_id, state, started_at, ended_at, waiting_seconds, version";

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

        const CASE_COLUMNS: &str = "id, reference, case_type, topic_id, team_id, owner_id, customer_id, contact_id, subject, intent, status, urgent, created_at, updated_at, closed_at, timing, version";

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
                    timing: serde_json::from_str(&r.try_get::<String, _>("timing")?).context("stored case timing is invalid")?,
                    history: vec![],
                    notes: vec![],
                    attachments: vec![],
                },
                r.try_get("version")?,
            ))
        }

        fn audit_from(r: &Row) -> anyhow::Result<AuditEntry> {
            let actor: String = r.try_get("actor")?;
            Ok(AuditEntry {
                seq: r.try_get("seq")?,
                at: timestamp(r.try_get("at")?)?,
                actor: Actor::from_code(&actor).with_context(|| format!("stored actor '{actor}' is invalid"))?,
                action: r.try_get("action")?,
                entity_id: r.try_get("entity_id")?,
                summary: r.try_get("summary")?,
            })
        }

        fn other(e: impl Into<anyhow::Error>) -> StoreError {
            StoreError::Other(e.into())
        }

        /// Queue a mail in the caller's transaction: a use case whose change causes a mail calls
        /// this beside its own writes, so the mail exists exactly when the change does.
        async fn enqueue_mail_tx(tx: &mut Tx, m: &gastvrij_domain::mail::OutgoingMail) -> StoreResult<()> {
            bulk_mails_tx(tx, std::slice::from_ref(m)).await
        }

        /// Queue mail, due at once.
        async fn bulk_mails_tx(tx: &mut Tx, mails: &[gastvrij_domain::mail::OutgoingMail]) -> StoreResult<()> {
            for chunk in mails.chunks(BULK_ROWS / 2) {
                let mut qb = QueryBuilder::<$db>::new(
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

        const MAIL_RECORD_COLUMNS: &str =
            "id, kind, recipient, subject, created_at, status, attempts, next_attempt_at, sent_at, last_error";

        fn mail_record_from(r: &Row) -> anyhow::Result<gastvrij_domain::mail::MailRecord> {
            Ok(gastvrij_domain::mail::MailRecord {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                kind: parse("kind", &r.try_get::<String, _>("kind")?)?,
                to: parse("recipient", &r.try_get::<String, _>("recipient")?)?,
                subject: r.try_get("subject")?,
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
        async fn mail_missing_or(tx: &mut Tx, id: String, conflict: &'static str) -> StoreError {
            match sqlx::query_as::<_, (String,)>("SELECT status FROM mail_outbox WHERE id = $1").bind(id).fetch_optional(&mut **tx).await {
                Ok(Some(_)) => StoreError::Conflict(conflict.into()),
                Ok(None) => StoreError::NotFound("mail"),
                Err(e) => db_error(e),
            }
        }

        async fn insert_team_tx(tx: &mut Tx, t: &Team) -> StoreResult<()> {
            sqlx::query("INSERT INTO teams (id, name, description, name_folded) VALUES ($1, $2, $3, $4)")
                .bind(t.id.to_string())
                .bind(&t.name)
                .bind(&t.description)
                .bind(fold(&t.name))
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            Ok(())
        }

        async fn insert_employee_tx(tx: &mut Tx, e: &Employee) -> StoreResult<()> {
            sqlx::query("INSERT INTO employees (id, name, email, phone, team_id, roles, username, active, name_folded) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(e.id.to_string())
                .bind(&e.name)
                .bind(opt_str(&e.email))
                .bind(opt_str(&e.phone))
                .bind(opt_str(&e.team_id))
                .bind(join(&e.roles))
                .bind(&e.username)
                .bind(e.active)
                .bind(fold(&e.name))
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            Ok(())
        }

        async fn insert_topic_tx(tx: &mut Tx, t: &Topic) -> StoreResult<()> {
            sqlx::query("INSERT INTO topics (id, parent_id, name, team_id, name_folded) VALUES ($1, $2, $3, $4, $5)")
                .bind(t.id.to_string())
                .bind(opt_str(&t.parent_id))
                .bind(&t.name)
                .bind(opt_str(&t.team_id))
                .bind(fold(&t.name))
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            Ok(())
        }

        async fn insert_customer_tx(tx: &mut Tx, c: &Customer) -> StoreResult<()> {
            let d = &c.details;
            sqlx::query(
                "INSERT INTO customers (id, kind, name, segments, email, phone, postcode, house_number, street, city, kvk_number, created_at, updated_at, name_folded, email_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(c.id.to_string())
            .bind(c.kind.code())
            .bind(&c.name)
            .bind(join(&c.segments))
            .bind(opt_str(&d.email))
            .bind(opt_str(&d.phone))
            .bind(opt_str(&d.postcode))
            .bind(&d.house_number)
            .bind(&d.street)
            .bind(&d.city)
            .bind(opt_str(&d.kvk_number))
            .bind(micros(c.created_at))
            .bind(micros(c.updated_at))
            .bind(fold(c.name.as_deref().unwrap_or_default()))
            .bind(d.email.as_ref().map(|e| email_key(e.as_str())))
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
            Ok(())
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

        async fn insert_contact_tx(tx: &mut Tx, c: &Contact) -> StoreResult<()> {
            sqlx::query(
                "INSERT INTO contacts (id, channel, customer_id, agent_id, state, started_at, ended_at, waiting_seconds, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
            )
            .bind(c.id.to_string())
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
            if c.waiting_seconds.is_some() && c.channel == gastvrij_domain::channel::Channel::Telefoon {
                mark_dirty_tx(tx, "phone", &c.id.to_string(), c.started_at, c.started_at).await?;
            }
            upsert_questions_tx(tx, c).await
        }

        /// The first status change after receipt of a new case (kept in `cases.first_action_at`;
        /// `cases.channel` is looked up from the contact in the INSERT itself).
        fn first_action_at(c: &Case) -> Option<i64> {
            c.history.iter().skip(1).map(|h| micros(h.at)).min()
        }

        /// Save a changed contact (without audit or commit), refusing a stale `expected_version`.
        async fn update_contact_tx(tx: &mut Tx, c: &Contact, expected_version: i64, change: &Change) -> StoreResult<()> {
            let done = sqlx::query(
                "UPDATE contacts SET channel = $3, customer_id = $4, agent_id = $5, state = $6, started_at = $7, ended_at = $8, \
                 waiting_seconds = $9, version = version + 1 WHERE id = $1 AND version = $2",
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

        /// Insert a new case with the next reference of `scope`; returns that reference.
        async fn insert_case_with_reference_tx(tx: &mut Tx, case: &Case, scope: &str) -> StoreResult<String> {
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
            insert_case_tx(tx, &stored).await?;
            Ok(reference)
        }

        async fn insert_consultation_tx(tx: &mut Tx, c: &gastvrij_domain::knowledge::Consultation) -> StoreResult<()> {
            sqlx::query(
                "INSERT INTO consultations (id, contact_id, question_id, asked_by, to_team, to_employee, question, answer, answered_by, asked_at, answered_at, article_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(c.id.to_string())
            .bind(opt_str(&c.contact_id))
            .bind(opt_str(&c.question_id))
            .bind(opt_str(&c.asked_by))
            .bind(opt_str(&c.to_team))
            .bind(opt_str(&c.to_employee))
            .bind(&c.question)
            .bind(&c.answer)
            .bind(opt_str(&c.answered_by))
            .bind(micros(c.asked_at))
            .bind(c.answered_at.map(micros))
            .bind(opt_str(&c.article_id))
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
            Ok(())
        }

        async fn insert_case_tx(tx: &mut Tx, c: &Case) -> StoreResult<()> {
            sqlx::query(
                "INSERT INTO cases (id, reference, case_type, topic_id, team_id, owner_id, customer_id, contact_id, subject, intent, status, urgent, \
                 created_at, updated_at, closed_at, acknowledgement_due, service_norm_due, legal_due, timing, version, first_action_at, channel) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, \
                 (SELECT channel FROM contacts WHERE id = $8))",
            )
            .bind(c.id.to_string())
            .bind(&c.reference)
            .bind(c.case_type.code())
            .bind(opt_str(&c.topic_id))
            .bind(c.team_id.to_string())
            .bind(opt_str(&c.owner_id))
            .bind(opt_str(&c.customer_id))
            .bind(opt_str(&c.contact_id))
            .bind(&c.subject)
            .bind(&c.intent)
            .bind(c.status.code())
            .bind(c.urgent)
            .bind(micros(c.created_at))
            .bind(micros(c.updated_at))
            .bind(c.closed_at.map(micros))
            .bind(c.timing.deadlines.and_then(|d| d.acknowledgement).map(micros))
            .bind(c.timing.deadlines.map(|d| micros(d.service_norm)))
            .bind(c.timing.deadlines.and_then(|d| d.legal).map(micros))
            .bind(serde_json::to_string(&c.timing).map_err(other)?)
            .bind(first_action_at(c))
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
            mark_dirty_tx(tx, "case", &c.id.to_string(), c.created_at, c.updated_at).await?;
            append_case_children_tx(tx, c).await
        }

        async fn mark_dirty_tx(tx: &mut Tx, kind: &str, id: &str, day_at: jiff::Timestamp, touched: jiff::Timestamp) -> StoreResult<()> {
            sqlx::query(
                "INSERT INTO rollup_dirty (kind, id, day_at, touched) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (kind, id) DO UPDATE SET touched = excluded.touched",
            )
            .bind(kind)
            .bind(id)
            .bind(micros(day_at))
            .bind(micros(touched))
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
            Ok(())
        }

        /// History, notes and attachments are append-only: existing rows are left as they are.
        async fn append_case_children_tx(tx: &mut Tx, c: &Case) -> StoreResult<()> {
            for (position, h) in c.history.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO case_status_history (case_id, position, status, at, by_employee, reason) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (case_id, position) DO NOTHING",
                )
                .bind(c.id.to_string())
                .bind(position as i64)
                .bind(h.status.code())
                .bind(micros(h.at))
                .bind(opt_str(&h.by))
                .bind(&h.reason)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            }
            for n in &c.notes {
                sqlx::query(
                    "INSERT INTO case_notes (id, case_id, at, author_id, text) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                )
                .bind(n.id.to_string())
                .bind(c.id.to_string())
                .bind(micros(n.at))
                .bind(opt_str(&n.author))
                .bind(&n.text)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            }
            for a in &c.attachments {
                sqlx::query(
                    "INSERT INTO case_attachments (id, case_id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                )
                .bind(a.id.to_string())
                .bind(c.id.to_string())
                .bind(&a.file_name)
                .bind(&a.content_type)
                .bind(i64::try_from(a.size_bytes).map_err(other)?)
                .bind(&a.sha256)
                .bind(micros(a.uploaded_at))
                .bind(opt_str(&a.uploaded_by))
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            }
            Ok(())
        }

        /// Move the reference counter of `scope` to at least `value`.
        async fn raise_counter_tx(tx: &mut Tx, scope: &str, value: i64) -> StoreResult<()> {
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

        const ARTICLE_COLUMNS: &str = "id, external_id, title, question, answer, public_answer, status, audience, keywords, owning_teams, related, topic_id, review_date, publish_at, archive_at, usage_count, helped, not_helped, from_consultation, version, created_at, updated_at";

        fn json_list<T: serde::de::DeserializeOwned>(column: &str, v: &str) -> anyhow::Result<Vec<T>> {
            serde_json::from_str(v).with_context(|| format!("stored {column} is invalid"))
        }

        fn article_from(r: &Row) -> anyhow::Result<gastvrij_domain::knowledge::Article> {
            let review: Option<String> = r.try_get("review_date")?;
            Ok(gastvrij_domain::knowledge::Article {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                external_id: r.try_get("external_id")?,
                title: r.try_get("title")?,
                question: r.try_get("question")?,
                answer: r.try_get("answer")?,
                public_answer: r.try_get("public_answer")?,
                status: parse("status", &r.try_get::<String, _>("status")?)?,
                audience: json_list("audience", &r.try_get::<String, _>("audience")?)?,
                keywords: json_list("keywords", &r.try_get::<String, _>("keywords")?)?,
                owning_teams: json_list("owning_teams", &r.try_get::<String, _>("owning_teams")?)?,
                related: json_list("related", &r.try_get::<String, _>("related")?)?,
                topic_id: opt_parse("topic_id", r.try_get("topic_id")?)?,
                review_date: review.map(|d| parse("review_date", &d)).transpose()?,
                publish_at: opt_timestamp(r.try_get("publish_at")?)?,
                archive_at: opt_timestamp(r.try_get("archive_at")?)?,
                usage_count: r.try_get("usage_count")?,
                helped: r.try_get("helped")?,
                not_helped: r.try_get("not_helped")?,
                from_consultation: opt_parse("from_consultation", r.try_get("from_consultation")?)?,
                version: r.try_get("version")?,
                created_at: timestamp(r.try_get("created_at")?)?,
                updated_at: timestamp(r.try_get("updated_at")?)?,
            })
        }

        const CONSULTATION_COLUMNS: &str = "id, contact_id, question_id, asked_by, to_team, to_employee, question, answer, answered_by, asked_at, answered_at, article_id";

        fn consultation_from(r: &Row) -> anyhow::Result<gastvrij_domain::knowledge::Consultation> {
            Ok(gastvrij_domain::knowledge::Consultation {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                contact_id: opt_parse("contact_id", r.try_get("contact_id")?)?,
                question_id: opt_parse("question_id", r.try_get("question_id")?)?,
                asked_by: opt_parse("asked_by", r.try_get("asked_by")?)?,
                to_team: opt_parse("to_team", r.try_get("to_team")?)?,
                to_employee: opt_parse("to_employee", r.try_get("to_employee")?)?,
                question: r.try_get("question")?,
                answer: r.try_get("answer")?,
                answered_by: opt_parse("answered_by", r.try_get("answered_by")?)?,
                asked_at: timestamp(r.try_get("asked_at")?)?,
                answered_at: opt_timestamp(r.try_get("answered_at")?)?,
                article_id: opt_parse("article_id", r.try_get("article_id")?)?,
            })
        }

        fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
            serde_json::to_string(v).map_err(other)
        }

        async fn write_article_version_tx(tx: &mut Tx, a: &gastvrij_domain::knowledge::Article, v: &gastvrij_domain::knowledge::ArticleVersion) -> StoreResult<()> {
            sqlx::query("INSERT INTO article_versions (article_id, version, at, author, diff) VALUES ($1, $2, $3, $4, $5)")
                .bind(a.id.to_string())
                .bind(v.version)
                .bind(micros(v.at))
                .bind(v.author.to_code())
                .bind(&v.diff)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
            // The search index follows the database through this event.
            sqlx::query(
                "INSERT INTO events (at, kind, entity_id, team_id, employee_id, summary, dedupe_key) VALUES ($1, 'article.changed', $2, NULL, NULL, '', $3) \
                 ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(micros(v.at))
            .bind(a.id.to_string())
            .bind(format!("article.changed:{}:{}", a.id, v.version))
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
            Ok(())
        }

        macro_rules! bind_article {
            ($q:expr, $a:expr) => {
                $q.bind($a.external_id.clone())
                    .bind($a.title.clone())
                    .bind($a.question.clone())
                    .bind($a.answer.clone())
                    .bind($a.public_answer.clone())
                    .bind($a.status.code())
                    .bind(to_json(&$a.audience)?)
                    .bind(to_json(&$a.keywords)?)
                    .bind(to_json(&$a.owning_teams)?)
                    .bind(to_json(&$a.related)?)
                    .bind(opt_str(&$a.topic_id))
                    .bind($a.review_date.map(|d| d.to_string()))
                    .bind($a.publish_at.map(micros))
                    .bind($a.archive_at.map(micros))
                    .bind($a.from_consultation.map(|c| c.to_string()))
                    .bind($a.version)
                    .bind(micros($a.updated_at))
            };
        }

        /// Open cases, written as a list so the (status, …) indexes apply (`<>` would scan).
        const OPEN_STATUSES: &str = " AND status IN ('ontvangen', 'in_behandeling', 'opgeschort')";

        /// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's parameter limits.
        const BULK_ROWS: usize = 400;

        async fn bulk_customers_tx(tx: &mut Tx, customers: &[Customer]) -> StoreResult<()> {
            for chunk in customers.chunks(BULK_ROWS) {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO customers (id, kind, name, segments, email, phone, postcode, house_number, street, city, kvk_number, created_at, updated_at, name_folded, email_key) ",
                );
                qb.push_values(chunk, |mut b, c| {
                    let d = &c.details;
                    b.push_bind(c.id.to_string())
                        .push_bind(c.kind.code())
                        .push_bind(c.name.clone())
                        .push_bind(join(&c.segments))
                        .push_bind(opt_str(&d.email))
                        .push_bind(opt_str(&d.phone))
                        .push_bind(opt_str(&d.postcode))
                        .push_bind(d.house_number.clone())
                        .push_bind(d.street.clone())
                        .push_bind(d.city.clone())
                        .push_bind(opt_str(&d.kvk_number))
                        .push_bind(micros(c.created_at))
                        .push_bind(micros(c.updated_at))
                        .push_bind(fold(c.name.as_deref().unwrap_or_default()))
                        .push_bind(d.email.as_ref().map(|e| email_key(e.as_str())));
                });
                qb.build().execute(&mut **tx).await.map_err(db_error)?;
            }
            Ok(())
        }

        async fn bulk_dirty_tx(tx: &mut Tx, markers: &[(&'static str, String, jiff::Timestamp, jiff::Timestamp)]) -> StoreResult<()> {
            for chunk in markers.chunks(BULK_ROWS) {
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO rollup_dirty (kind, id, day_at, touched) ");
                qb.push_values(chunk, |mut b, (kind, id, day_at, touched)| {
                    b.push_bind(*kind).push_bind(id.clone()).push_bind(micros(*day_at)).push_bind(micros(*touched));
                });
                qb.push(" ON CONFLICT (kind, id) DO UPDATE SET touched = excluded.touched");
                qb.build().execute(&mut **tx).await.map_err(db_error)?;
            }
            Ok(())
        }

        async fn bulk_contacts_tx(tx: &mut Tx, contacts: &[Contact]) -> StoreResult<()> {
            for chunk in contacts.chunks(BULK_ROWS) {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO contacts (id, channel, customer_id, agent_id, state, started_at, ended_at, waiting_seconds, version) ",
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
                        .push_bind(1i64);
                });
                qb.build().execute(&mut **tx).await.map_err(db_error)?;
            }
            let questions: Vec<(&Contact, usize, &Question)> =
                contacts.iter().flat_map(|c| c.questions.iter().enumerate().map(move |(i, q)| (c, i, q))).collect();
            for chunk in questions.chunks(BULK_ROWS) {
                let mut qb = QueryBuilder::<$db>::new(
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
            bulk_dirty_tx(tx, &phone).await
        }

        async fn bulk_cases_tx(tx: &mut Tx, cases: &[Case]) -> StoreResult<()> {
            let mut timings = Vec::with_capacity(cases.len());
            for c in cases {
                timings.push(serde_json::to_string(&c.timing).map_err(other)?);
            }
            let rows: Vec<(&Case, &String)> = cases.iter().zip(timings.iter()).collect();
            for chunk in rows.chunks(BULK_ROWS / 2) {
                let mut qb = QueryBuilder::<$db>::new(
                    "INSERT INTO cases (id, reference, case_type, topic_id, team_id, owner_id, customer_id, contact_id, subject, intent, status, urgent, \
                     created_at, updated_at, closed_at, acknowledgement_due, service_norm_due, legal_due, timing, version, first_action_at, channel) ",
                );
                qb.push_values(chunk, |mut b, (c, timing)| {
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
                        .push_bind((*timing).clone())
                        .push_bind(1i64)
                        .push_bind(first_action_at(c))
                        // `cases.channel`: the channel of the case's contact.
                        .push("(SELECT channel FROM contacts WHERE id = ")
                        .push_bind_unseparated(opt_str(&c.contact_id))
                        .push_unseparated(")");
                });
                qb.build().execute(&mut **tx).await.map_err(db_error)?;
            }
            let history: Vec<(&Case, usize, &StatusChange)> =
                cases.iter().flat_map(|c| c.history.iter().enumerate().map(move |(i, h)| (c, i, h))).collect();
            for chunk in history.chunks(BULK_ROWS) {
                let mut qb = QueryBuilder::<$db>::new("INSERT INTO case_status_history (case_id, position, status, at, by_employee, reason) ");
                qb.push_values(chunk, |mut b, (c, i, h)| {
                    b.push_bind(c.id.to_string())
                        .push_bind(*i as i64)
                        .push_bind(h.status.code())
                        .push_bind(micros(h.at))
                        .push_bind(opt_str(&h.by))
                        .push_bind(h.reason.clone());
                });
                qb.build().execute(&mut **tx).await.map_err(db_error)?;
            }
            for c in cases.iter().filter(|c| !c.notes.is_empty() || !c.attachments.is_empty()) {
                append_case_children_tx(tx, c).await?;
            }
            let dirty: Vec<_> = cases.iter().map(|c| ("case", c.id.to_string(), c.created_at, c.updated_at)).collect();
            bulk_dirty_tx(tx, &dirty).await
        }

        impl $store {
            /// Fill the folded columns of migration 14 (see `gastvrij_domain::text::fold` and
            /// `email_key`) for rows written before it; rows written since have them already.
            /// Idempotent: only rows still without a fold are read. Returns how many were filled.
            pub(crate) async fn backfill_folds(&self) -> StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                let mut filled = 0;
                for table in ["employees", "teams", "topics"] {
                    let sql = format!("SELECT id, name FROM {table} WHERE name_folded IS NULL");
                    let rows: Vec<(String, String)> =
                        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await.map_err(db_error)?;
                    let sql = format!("UPDATE {table} SET name_folded = $2 WHERE id = $1");
                    for (id, name) in rows {
                        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                            .bind(id)
                            .bind(fold(&name))
                            .execute(&mut *tx)
                            .await
                            .map_err(db_error)?;
                        filled += 1;
                    }
                }
                let rows: Vec<(String, Option<String>, Option<String>)> =
                    sqlx::query_as("SELECT id, name, email FROM customers WHERE name_folded IS NULL")
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db_error)?;
                for (id, name, email) in rows {
                    sqlx::query("UPDATE customers SET name_folded = $2, email_key = $3 WHERE id = $1")
                        .bind(id)
                        .bind(fold(name.as_deref().unwrap_or_default()))
                        .bind(email.as_deref().map(email_key))
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                    filled += 1;
                }
                let rows: Vec<(String, String)> =
                    sqlx::query_as("SELECT id, email FROM work_subscriptions WHERE email_key IS NULL")
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db_error)?;
                for (id, email) in rows {
                    sqlx::query("UPDATE work_subscriptions SET email_key = $2 WHERE id = $1")
                        .bind(id)
                        .bind(email_key(&email))
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                    filled += 1;
                }
                let places: Vec<(String,)> = sqlx::query_as(
                    "SELECT DISTINCT place FROM planned_work_areas WHERE place IS NOT NULL AND place_folded IS NULL",
                )
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
                for (place,) in places {
                    let done = sqlx::query(
                        "UPDATE planned_work_areas SET place_folded = $2 WHERE place = $1 AND place_folded IS NULL",
                    )
                    .bind(&place)
                    .bind(fold(&place))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                    filled += done.rows_affected();
                }
                commit(tx).await?;
                Ok(filled)
            }

            async fn load_questions(&self, contacts: &mut [(Contact, i64)]) -> StoreResult<()> {
                if contacts.is_empty() {
                    return Ok(());
                }
                let mut qb = QueryBuilder::<$db>::new(
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

            async fn load_case_children(&self, cases: &mut [(Case, i64)]) -> StoreResult<()> {
                if cases.is_empty() {
                    return Ok(());
                }
                let ids: Vec<String> = cases.iter().map(|(c, _)| c.id.to_string()).collect();
                let fetch = |sql: &'static str| {
                    let mut qb = QueryBuilder::<$db>::new(sql);
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
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).fetch_optional(self.reader()).await.map_err(db_error)?;
                let Some(row) = row else { return Ok(None) };
                let mut found = vec![case_from(&row)?];
                self.load_case_children(&mut found).await?;
                Ok(found.pop())
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::Store for $store {
            fn backend(&self) -> &'static str {
                Self::BACKEND
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(self.reader()).await.map_err(db_error)?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::OrganisationStore for $store {
            async fn organisation(&self) -> StoreResult<Option<Organisation>> {
                let row = sqlx::query("SELECT name, inhabitants, time_zone FROM organisation WHERE id = 1")
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_error)?;
                row.map(|r| -> anyhow::Result<Organisation> {
                    let inhabitants: i64 = r.try_get("inhabitants")?;
                    Ok(Organisation { name: r.try_get("name")?, inhabitants: u32::try_from(inhabitants)?, time_zone: r.try_get("time_zone")? })
                })
                .transpose()
                .map_err(other)
            }

            async fn save_organisation(&self, org: &Organisation, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO organisation (id, name, inhabitants, time_zone) VALUES (1, $1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name, inhabitants = excluded.inhabitants, time_zone = excluded.time_zone",
                )
                .bind(&org.name)
                .bind(i64::from(org.inhabitants))
                .bind(&org.time_zone)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn insert_team(&self, team: &Team, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                insert_team_tx(&mut tx, team).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn update_team(&self, team: &Team, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE teams SET name = $2, description = $3, name_folded = $4 WHERE id = $1")
                    .bind(team.id.to_string())
                    .bind(&team.name)
                    .bind(&team.description)
                    .bind(fold(&team.name))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("team"));
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn team(&self, id: TeamId) -> StoreResult<Option<Team>> {
                let row = sqlx::query("SELECT id, name, description FROM teams WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_error)?;
                row.as_ref().map(team_from).transpose().map_err(other)
            }

            async fn teams(&self) -> StoreResult<Vec<Team>> {
                let rows = sqlx::query("SELECT id, name, description FROM teams ORDER BY name_folded, id")
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_error)?;
                rows.iter().map(team_from).collect::<anyhow::Result<_>>().map_err(other)
            }

            async fn insert_employee(&self, employee: &Employee, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                insert_employee_tx(&mut tx, employee).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn update_employee(&self, e: &Employee, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE employees SET name = $2, email = $3, phone = $4, team_id = $5, roles = $6, username = $7, active = $8, name_folded = $9 WHERE id = $1",
                )
                .bind(e.id.to_string())
                .bind(&e.name)
                .bind(opt_str(&e.email))
                .bind(opt_str(&e.phone))
                .bind(opt_str(&e.team_id))
                .bind(join(&e.roles))
                .bind(&e.username)
                .bind(e.active)
                .bind(fold(&e.name))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("employee"));
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn employee(&self, id: EmployeeId) -> StoreResult<Option<Employee>> {
                let sql = format!("SELECT {EMPLOYEE_COLUMNS} FROM employees WHERE id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref().map(employee_from).transpose().map_err(other)
            }

            async fn employee_by_username(&self, username: &str) -> StoreResult<Option<Employee>> {
                let sql = format!("SELECT {EMPLOYEE_COLUMNS} FROM employees WHERE username = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref().map(employee_from).transpose().map_err(other)
            }

            async fn employees(&self) -> StoreResult<Vec<Employee>> {
                let sql = format!("SELECT {EMPLOYEE_COLUMNS} FROM employees ORDER BY name_folded, id");
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(db_error)?;
                rows.iter().map(employee_from).collect::<anyhow::Result<_>>().map_err(other)
            }

            async fn directory(&self) -> StoreResult<Vec<gastvrij_domain::directory::DirectoryEntry>> {
                let rows: Vec<(String, String, String, Option<String>, Option<String>, i64)> = sqlx::query_as(
                    "SELECT employee_id, expertise, availability, until, note, updated_at FROM employee_directory",
                )
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
                rows.into_iter()
                    .map(|(id, expertise, availability, until, note, updated_at)| {
                        Ok(gastvrij_domain::directory::DirectoryEntry {
                            employee_id: parse("employee_id", &id)?,
                            expertise: serde_json::from_str(&expertise)?,
                            availability: gastvrij_domain::directory::Availability::parse(&availability)?,
                            until,
                            note,
                            updated_at: timestamp(updated_at)?,
                        })
                    })
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }

            async fn save_directory_entry(
                &self,
                entry: &gastvrij_domain::directory::DirectoryEntry,
                change: &Change,
            ) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "INSERT INTO employee_directory (employee_id, expertise, availability, until, note, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (employee_id) DO UPDATE SET expertise = excluded.expertise, \
                     availability = excluded.availability, until = excluded.until, note = excluded.note, updated_at = excluded.updated_at",
                )
                .bind(entry.employee_id.to_string())
                .bind(serde_json::to_string(&entry.expertise).map_err(other)?)
                .bind(entry.availability.code())
                .bind(entry.until.as_deref())
                .bind(entry.note.as_deref())
                .bind(micros(entry.updated_at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn insert_topic(&self, topic: &Topic, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                insert_topic_tx(&mut tx, topic).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn update_topic(&self, t: &Topic, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE topics SET parent_id = $2, name = $3, team_id = $4, name_folded = $5 WHERE id = $1")
                    .bind(t.id.to_string())
                    .bind(opt_str(&t.parent_id))
                    .bind(&t.name)
                    .bind(opt_str(&t.team_id))
                    .bind(fold(&t.name))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("topic"));
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn topic(&self, id: TopicId) -> StoreResult<Option<Topic>> {
                let row = sqlx::query("SELECT id, parent_id, name, team_id FROM topics WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_error)?;
                row.as_ref().map(topic_from).transpose().map_err(other)
            }

            async fn topics(&self) -> StoreResult<Vec<Topic>> {
                let rows = sqlx::query("SELECT id, parent_id, name, team_id FROM topics ORDER BY name_folded, id")
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_error)?;
                rows.iter().map(topic_from).collect::<anyhow::Result<_>>().map_err(other)
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::TelephonyStore for $store {
            async fn upsert_calls(&self, calls: &[gastvrij_domain::telephony::Call], change: &Change) -> StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                for c in calls {
                    sqlx::query(
                        "INSERT INTO calls (call_id, offered_at, outcome, waiting_seconds, agent, contact_id, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (call_id) DO UPDATE SET offered_at = excluded.offered_at, \
                         outcome = excluded.outcome, waiting_seconds = excluded.waiting_seconds, agent = excluded.agent, \
                         contact_id = COALESCE(excluded.contact_id, calls.contact_id), updated_at = excluded.updated_at",
                    )
                    .bind(&c.call_id)
                    .bind(micros(c.offered_at))
                    .bind(c.outcome.code())
                    .bind(c.waiting_seconds.map(i64::from))
                    .bind(c.agent.as_deref())
                    .bind(c.contact_id.map(|id| id.to_string()))
                    .bind(micros(change.at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                    mark_dirty_tx(&mut tx, "call", &c.call_id, c.offered_at, change.at).await?;
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await?;
                Ok(calls.len() as u64)
            }

            async fn calls(&self, from: jiff::Timestamp, to: jiff::Timestamp) -> StoreResult<Vec<gastvrij_domain::telephony::Call>> {
                let rows: Vec<(String, i64, String, Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT call_id, offered_at, outcome, waiting_seconds, agent, contact_id FROM calls \
                     WHERE offered_at >= $1 AND offered_at < $2 ORDER BY offered_at, call_id",
                )
                .bind(micros(from))
                .bind(micros(to))
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
                rows.into_iter()
                    .map(|(call_id, at, outcome, wait, agent, contact)| {
                        Ok(gastvrij_domain::telephony::Call {
                            call_id,
                            offered_at: timestamp(at)?,
                            outcome: outcome.parse()?,
                            waiting_seconds: wait.map(u32::try_from).transpose()?,
                            agent,
                            contact_id: contact.as_deref().map(|c| parse("contact_id", c)).transpose()?,
                        })
                    })
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::AccountStore for $store {
            async fn set_password_hash(&self, id: EmployeeId, hash: Option<&str>, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE employees SET password_hash = $2 WHERE id = $1")
                    .bind(id.to_string())
                    .bind(hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("employee"));
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn password_hash(&self, id: EmployeeId) -> StoreResult<Option<String>> {
                let row: Option<(Option<String>,)> = sqlx::query_as("SELECT password_hash FROM employees WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_error)?;
                Ok(row.and_then(|(h,)| h))
            }

            async fn insert_api_token(&self, hash: &str, employee: EmployeeId, label: &str, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("INSERT INTO api_tokens (token_hash, employee_id, label, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(hash)
                    .bind(employee.to_string())
                    .bind(label)
                    .bind(micros(change.at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn employee_by_api_token(&self, hash: &str) -> StoreResult<Option<Employee>> {
                let sql = format!(
                    "SELECT {} FROM employees e JOIN api_tokens t ON t.employee_id = e.id WHERE t.token_hash = $1",
                    EMPLOYEE_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(hash).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref().map(employee_from).transpose().map_err(other)
            }

            async fn insert_session(&self, token_hash: &str, employee: EmployeeId, csrf: &str, expires_at: jiff::Timestamp, now: jiff::Timestamp) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(micros(now)).execute(&mut *tx).await.map_err(db_error)?;
                sqlx::query("INSERT INTO sessions (token_hash, employee_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(token_hash)
                    .bind(employee.to_string())
                    .bind(csrf)
                    .bind(micros(now))
                    .bind(micros(expires_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                commit(tx).await
            }

            async fn session(&self, token_hash: &str, now: jiff::Timestamp) -> StoreResult<Option<(Employee, String)>> {
                let sql = format!(
                    "SELECT {}, s.csrf_token FROM employees e JOIN sessions s ON s.employee_id = e.id WHERE s.token_hash = $1 AND s.expires_at > $2",
                    EMPLOYEE_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
                );
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).bind(micros(now)).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref()
                    .map(|r| -> anyhow::Result<(Employee, String)> { Ok((employee_from(r)?, r.try_get("csrf_token")?)) })
                    .transpose()
                    .map_err(other)
            }

            async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await.map_err(db_error)?;
                commit(tx).await
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::CustomerStore for $store {
            async fn insert_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                insert_customer_tx(&mut tx, customer).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn update_customer(&self, c: &Customer, change: &Change) -> StoreResult<()> {
                let d = &c.details;
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE customers SET kind = $2, name = $3, segments = $4, email = $5, phone = $6, postcode = $7, house_number = $8, \
                     street = $9, city = $10, kvk_number = $11, updated_at = $12, name_folded = $13, email_key = $14 WHERE id = $1",
                )
                .bind(c.id.to_string())
                .bind(c.kind.code())
                .bind(&c.name)
                .bind(join(&c.segments))
                .bind(opt_str(&d.email))
                .bind(opt_str(&d.phone))
                .bind(opt_str(&d.postcode))
                .bind(&d.house_number)
                .bind(&d.street)
                .bind(&d.city)
                .bind(opt_str(&d.kvk_number))
                .bind(micros(c.updated_at))
                .bind(fold(c.name.as_deref().unwrap_or_default()))
                .bind(d.email.as_ref().map(|e| email_key(e.as_str())))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("customer"));
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>> {
                let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref().map(customer_from).transpose().map_err(other)
            }

            async fn customers(&self, q: &CustomerQuery) -> StoreResult<Vec<Customer>> {
                let mut qb = QueryBuilder::<$db>::new(format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE 1 = 1"));
                if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    let pattern = format!("%{}%", fold(text).replace(['%', '_'], ""));
                    qb.push(" AND (name_folded LIKE ").push_bind(pattern);
                    qb.push(" OR email_key = ").push_bind(email_key(text));
                    qb.push(" OR phone = ").push_bind(text.replace([' ', '-'], ""));
                    qb.push(" OR postcode = ").push_bind(text.to_uppercase());
                    qb.push(" OR kvk_number = ").push_bind(text.to_string());
                    qb.push(")");
                }
                if let Some(pc) = &q.postcode {
                    qb.push(" AND postcode = ").push_bind(pc.clone());
                }
                if let Some(nr) = &q.house_number {
                    qb.push(" AND house_number = ").push_bind(nr.clone());
                }
                qb.push(" ORDER BY name_folded, id LIMIT ").push_bind(i64::from(q.page.limit));
                qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
                let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
                rows.iter().map(customer_from).collect::<anyhow::Result<_>>().map_err(other)
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::ContactStore for $store {
            async fn insert_contact(&self, contact: &Contact, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                insert_contact_tx(&mut tx, contact).await?;
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
                if let FollowUp::Case { case, scope, change: case_change } = follow_up {
                    reference = Some(insert_case_with_reference_tx(&mut tx, case, scope).await?);
                    write_audit(&mut tx, case_change).await?;
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
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).fetch_optional(self.reader()).await.map_err(db_error)?;
                let Some(row) = row else { return Ok(None) };
                let mut found = vec![contact_from(&row).map_err(other)?];
                self.load_questions(&mut found).await?;
                Ok(found.pop())
            }

            async fn contacts(&self, q: &ContactQuery) -> StoreResult<Vec<Contact>> {
                let mut qb = QueryBuilder::<$db>::new(format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE 1 = 1"));
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
                let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM contacts").fetch_one(self.reader()).await.map_err(db_error)?;
                Ok(n)
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::CaseStore for $store {
            async fn insert_case(&self, case: &Case, scope: &str, change: &Change) -> StoreResult<String> {
                let mut tx = self.begin_write().await?;
                let reference = insert_case_with_reference_tx(&mut tx, case, scope).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await?;
                Ok(reference)
            }

            async fn update_case(&self, c: &Case, expected_version: i64, change: &Change) -> StoreResult<i64> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE cases SET case_type = $3, topic_id = $4, team_id = $5, owner_id = $6, customer_id = $7, contact_id = $8, \
                     subject = $9, intent = $10, status = $11, updated_at = $12, urgent = $13, closed_at = $14, acknowledgement_due = $15, \
                     service_norm_due = $16, legal_due = $17, timing = $18, version = version + 1, \
                     channel = (SELECT channel FROM contacts WHERE id = $8) WHERE id = $1 AND version = $2",
                )
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
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(stale_or_missing(&mut tx, "cases", c.id.to_string(), "case").await);
                }
                append_case_children_tx(&mut tx, c).await?;
                // History is append-only: the stored entries decide the first action.
                sqlx::query(
                    "UPDATE cases SET first_action_at = \
                     (SELECT MIN(at) FROM case_status_history WHERE case_id = $1 AND position > 0) WHERE id = $1",
                )
                .bind(c.id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                mark_dirty_tx(&mut tx, "case", &c.id.to_string(), c.created_at, change.at.max(c.updated_at)).await?;
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
                let mut qb = QueryBuilder::<$db>::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE 1 = 1"));
                if let Some(t) = q.team_id {
                    qb.push(" AND team_id = ").push_bind(t.to_string());
                }
                if let Some(o) = q.owner_id {
                    qb.push(" AND owner_id = ").push_bind(o.to_string());
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
                if q.open_only {
                    qb.push(OPEN_STATUSES);
                }
                qb.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(i64::from(q.page.limit));
                qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
                let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
                let mut found = rows.iter().map(case_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
                self.load_case_children(&mut found).await?;
                Ok(found.into_iter().map(|(c, _)| c).collect())
            }

            async fn open_cases_due(&self, after: jiff::Timestamp, until: jiff::Timestamp) -> StoreResult<Vec<gastvrij_app::ports::DueCase>> {
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

        #[async_trait::async_trait]
        impl gastvrij_app::ports::RollupStore for $store {
            async fn case_timings(&self, from: jiff::Timestamp, to: jiff::Timestamp, scope: gastvrij_app::ports::CaseScope) -> StoreResult<Vec<gastvrij_app::ports::CaseTimingRow>> {
                let status = match scope {
                    gastvrij_app::ports::CaseScope::All => "",
                    gastvrij_app::ports::CaseScope::Open => " AND c.status IN ('ontvangen', 'in_behandeling', 'opgeschort')",
                    gastvrij_app::ports::CaseScope::Closed => " AND c.status = 'afgehandeld'",
                };
                let sql = format!(
                    "SELECT c.case_type, c.team_id, c.topic_id, c.channel, c.created_at, c.closed_at, c.acknowledgement_due, \
                     c.service_norm_due, c.legal_due, c.first_action_at FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2{status}"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(micros(from))
                .bind(micros(to))
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
                rows.iter()
                    .map(|r| -> anyhow::Result<gastvrij_app::ports::CaseTimingRow> {
                        Ok(gastvrij_app::ports::CaseTimingRow {
                            case_type: parse("case_type", &r.try_get::<String, _>("case_type")?)?,
                            team_id: parse("team_id", &r.try_get::<String, _>("team_id")?)?,
                            topic_id: opt_parse("topic_id", r.try_get("topic_id")?)?,
                            channel: opt_parse("channel", r.try_get("channel")?)?,
                            created_at: timestamp(r.try_get("created_at")?)?,
                            closed_at: opt_timestamp(r.try_get("closed_at")?)?,
                            first_action_at: opt_timestamp(r.try_get("first_action_at")?)?,
                            acknowledgement_due: opt_timestamp(r.try_get("acknowledgement_due")?)?,
                            service_norm_due: opt_timestamp(r.try_get("service_norm_due")?)?,
                            legal_due: opt_timestamp(r.try_get("legal_due")?)?,
                        })
                    })
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }

            async fn dirty_rollups(&self, limit: u32) -> StoreResult<Vec<gastvrij_app::ports::DirtyMarker>> {
                let rows: Vec<(String, String, i64, i64)> =
                    sqlx::query_as("SELECT kind, id, day_at, touched FROM rollup_dirty ORDER BY day_at LIMIT $1")
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_error)?;
                rows.into_iter()
                    .map(|(kind, id, day_at, touched)| Ok(gastvrij_app::ports::DirtyMarker { kind, id, day_at: timestamp(day_at)?, touched }))
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }

            async fn replace_rollup_days(
                &self,
                days: &[String],
                norms: &[gastvrij_app::ports::NormDailyRow],
                phone: &[gastvrij_app::ports::PhoneDailyRow],
                done: &[gastvrij_app::ports::DirtyMarker],
            ) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                for day in days {
                    sqlx::query("DELETE FROM norm_daily WHERE day = $1").bind(day).execute(&mut *tx).await.map_err(db_error)?;
                    sqlx::query("DELETE FROM phone_daily WHERE day = $1").bind(day).execute(&mut *tx).await.map_err(db_error)?;
                }
                for r in norms {
                    sqlx::query(
                        "INSERT INTO norm_daily (day, team_id, topic_id, channel, case_type, category, within_norm, late, legal_late) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(&r.day)
                    .bind(r.team_id.to_string())
                    .bind(r.topic_id.map(|t| t.to_string()).unwrap_or_default())
                    .bind(r.channel.map(|c| c.code()).unwrap_or(""))
                    .bind(r.case_type.code())
                    .bind(&r.category)
                    .bind(r.within_norm)
                    .bind(r.late)
                    .bind(r.legal_late)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                }
                for r in phone {
                    sqlx::query("INSERT INTO phone_daily (day, within_norm, late) VALUES ($1, $2, $3)")
                        .bind(&r.day)
                        .bind(r.within_norm)
                        .bind(r.late)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                }
                for m in done {
                    sqlx::query("DELETE FROM rollup_dirty WHERE kind = $1 AND id = $2 AND touched = $3")
                        .bind(&m.kind)
                        .bind(&m.id)
                        .bind(m.touched)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                }
                commit(tx).await
            }

            async fn norm_daily(&self, from_day: &str, to_day: &str, slice: gastvrij_app::ports::RollupSlice) -> StoreResult<Vec<gastvrij_app::ports::NormDailySum>> {
                use gastvrij_app::ports::RollupSlice;
                let key = match slice {
                    RollupSlice::Total => "'totaal'",
                    RollupSlice::Team => "team_id",
                    RollupSlice::Topic => "CASE WHEN topic_id = '' THEN 'geen' ELSE topic_id END",
                    RollupSlice::Channel => "CASE WHEN channel = '' THEN 'geen' ELSE channel END",
                    RollupSlice::CaseType => "case_type",
                    RollupSlice::Category => "category",
                };
                let sql = format!(
                    "SELECT day, {key} AS k, CAST(SUM(within_norm) AS BIGINT) AS w, CAST(SUM(late) AS BIGINT) AS l, CAST(SUM(legal_late) AS BIGINT) AS ll \
                     FROM norm_daily WHERE day >= $1 AND day < $2 GROUP BY day, k"
                );
                let rows: Vec<(String, String, i64, i64, i64)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(from_day).bind(to_day).fetch_all(self.reader()).await.map_err(db_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(day, key, within_norm, late, legal_late)| gastvrij_app::ports::NormDailySum { day, key, within_norm, late, legal_late })
                    .collect())
            }

            async fn open_case_counts(&self, q: &gastvrij_app::ports::OpenCaseQuery) -> StoreResult<Vec<gastvrij_app::ports::OpenCaseCount>> {
                use gastvrij_app::ports::RollupSlice;
                use gastvrij_domain::norms::Compliance;
                let key = match q.slice {
                    RollupSlice::Total | RollupSlice::Category => "'totaal'",
                    RollupSlice::Team => "team_id",
                    RollupSlice::Topic => "COALESCE(topic_id, 'geen')",
                    RollupSlice::Channel => "COALESCE(channel, 'geen')",
                    RollupSlice::CaseType => "case_type",
                };
                // $1 from, $2 to, $3 now, $4 risk_until, $5… the starts of the second and later weeks.
                let last = q.week_starts.len().saturating_sub(1);
                let week = if last == 0 {
                    "CAST(0 AS BIGINT)".to_string()
                } else {
                    let whens: String = (1..=last).map(|i| format!(" WHEN created_at < ${} THEN {}", i + 4, i - 1)).collect();
                    format!("CAST(CASE{whens} ELSE {last} END AS BIGINT)")
                };
                // The state of one measurement, as `gastvrij_domain::norms::classify` decides it.
                let state = |due: &str, done: &str| {
                    format!(
                        "CASE WHEN {due} IS NULL THEN '' WHEN {done} IS NOT NULL THEN (CASE WHEN {done} < {due} THEN 'w' ELSE 'l' END) \
                         WHEN {due} <= $3 THEN 'l' WHEN {due} <= $4 THEN 'r' ELSE 'o' END"
                    )
                };
                let (ack, service) = (state("acknowledgement_due", "first_action_at"), state("service_norm_due", "closed_at"));
                let sql = format!(
                    "SELECT {key} AS k, {week} AS w, {ack} AS a, {service} AS s, \
                     CAST(CASE WHEN service_norm_due IS NOT NULL AND legal_due IS NOT NULL AND COALESCE(closed_at, $3) >= legal_due \
                     THEN 1 ELSE 0 END AS BIGINT) AS ll, COUNT(*) AS n \
                     FROM cases WHERE created_at >= $1 AND created_at < $2{OPEN_STATUSES} GROUP BY k, w, a, s, ll"
                );
                let mut query = sqlx::query_as::<_, (String, i64, String, String, i64, i64)>(sqlx::AssertSqlSafe(sql))
                    .bind(micros(q.from))
                    .bind(micros(q.to))
                    .bind(micros(q.now))
                    .bind(micros(q.risk_until));
                for start in q.week_starts.iter().skip(1) {
                    query = query.bind(micros(*start));
                }
                let rows = query.fetch_all(self.reader()).await.map_err(db_error)?;
                let state = |code: &str| match code {
                    "w" => Some(Compliance::WithinNorm),
                    "l" => Some(Compliance::Late),
                    "r" => Some(Compliance::AtRisk),
                    "o" => Some(Compliance::Open),
                    _ => None,
                };
                rows.into_iter()
                    .map(|(key, week, a, s, legal_late, cases)| {
                        Ok(gastvrij_app::ports::OpenCaseCount {
                            key,
                            week: usize::try_from(week)?,
                            acknowledgement: state(&a),
                            service_norm: state(&s),
                            legal_late: legal_late != 0,
                            cases,
                        })
                    })
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }

            async fn phone_daily(&self, from_day: &str, to_day: &str) -> StoreResult<Vec<gastvrij_app::ports::PhoneDailyRow>> {
                let rows: Vec<(String, i64, i64)> =
                    sqlx::query_as("SELECT day, within_norm, late FROM phone_daily WHERE day >= $1 AND day < $2")
                        .bind(from_day)
                        .bind(to_day)
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_error)?;
                Ok(rows.into_iter().map(|(day, within_norm, late)| gastvrij_app::ports::PhoneDailyRow { day, within_norm, late }).collect())
            }

            async fn phone_waits(&self, from: jiff::Timestamp, to: jiff::Timestamp) -> StoreResult<Vec<(jiff::Timestamp, u32)>> {
                // Phone contacts with a waiting time, unless a reported call stands for them; and
                // the reported calls (an abandoned call was never answered in time).
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT started_at, waiting_seconds FROM contacts k WHERE channel = 'telefoon' AND waiting_seconds IS NOT NULL \
                     AND started_at >= $1 AND started_at < $2 \
                     AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.contact_id = k.id) \
                     UNION ALL \
                     SELECT offered_at, CASE WHEN outcome = 'abandoned' THEN $3 ELSE waiting_seconds END FROM calls \
                     WHERE outcome <> 'offered' AND offered_at >= $1 AND offered_at < $2",
                )
                .bind(micros(from))
                .bind(micros(to))
                .bind(i64::from(u32::MAX))
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
                rows.into_iter()
                    .map(|(at, w)| Ok((timestamp(at)?, u32::try_from(w)?)))
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::AuditStore for $store {
            async fn raise_events(&self, events: &[gastvrij_domain::audit::Event]) -> StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                let mut new = 0;
                for e in events {
                    let done = sqlx::query(
                        "INSERT INTO events (at, kind, entity_id, team_id, employee_id, summary, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (dedupe_key) DO NOTHING",
                    )
                    .bind(micros(e.at))
                    .bind(&e.kind)
                    .bind(&e.entity_id)
                    .bind(opt_str(&e.team_id))
                    .bind(opt_str(&e.employee_id))
                    .bind(&e.summary)
                    .bind(&e.dedupe_key)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                    new += done.rows_affected();
                }
                commit(tx).await?;
                Ok(new)
            }

            async fn events(&self, q: &gastvrij_app::ports::EventQuery) -> StoreResult<Vec<gastvrij_domain::audit::Event>> {
                let mut qb = QueryBuilder::<$db>::new(
                    "SELECT seq, at, kind, entity_id, team_id, employee_id, summary, dedupe_key FROM events WHERE 1 = 1",
                );
                if let (Some(t), Some(e)) = (q.team_id, q.employee_id) {
                    qb.push(" AND (team_id = ").push_bind(t.to_string()).push(" OR employee_id = ").push_bind(e.to_string()).push(")");
                } else if let Some(t) = q.team_id {
                    qb.push(" AND team_id = ").push_bind(t.to_string());
                } else if let Some(e) = q.employee_id {
                    qb.push(" AND employee_id = ").push_bind(e.to_string());
                }
                if let Some(s) = q.after_seq {
                    qb.push(" AND seq > ").push_bind(s);
                }
                qb.push(" ORDER BY seq LIMIT ").push_bind(i64::from(q.page.limit));
                qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
                let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
                rows.iter()
                    .map(|r| -> anyhow::Result<gastvrij_domain::audit::Event> {
                        Ok(gastvrij_domain::audit::Event {
                            seq: r.try_get("seq")?,
                            at: timestamp(r.try_get("at")?)?,
                            kind: r.try_get("kind")?,
                            entity_id: r.try_get("entity_id")?,
                            team_id: opt_parse("team_id", r.try_get("team_id")?)?,
                            employee_id: opt_parse("employee_id", r.try_get("employee_id")?)?,
                            summary: r.try_get("summary")?,
                            dedupe_key: r.try_get("dedupe_key")?,
                        })
                    })
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }

            async fn audit_log(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
                let mut qb = QueryBuilder::<$db>::new("SELECT seq, at, actor, action, entity_id, summary FROM audit_log WHERE 1 = 1");
                if let Some(e) = &q.entity_id {
                    qb.push(" AND entity_id = ").push_bind(e.clone());
                }
                if let Some(s) = q.after_seq {
                    qb.push(" AND seq > ").push_bind(s);
                }
                qb.push(" ORDER BY seq LIMIT ").push_bind(i64::from(q.page.limit));
                qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
                let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
                rows.iter().map(audit_from).collect::<anyhow::Result<_>>().map_err(other)
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::KennisbankStore for $store {
            async fn insert_article(&self, a: &gastvrij_domain::knowledge::Article, v: &gastvrij_domain::knowledge::ArticleVersion, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let q = sqlx::query(
                    "INSERT INTO articles (external_id, title, question, answer, public_answer, status, audience, keywords, owning_teams, related, \
                     topic_id, review_date, publish_at, archive_at, from_consultation, version, updated_at, id, usage_count, helped, not_helped, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
                );
                bind_article!(q, a)
                    .bind(a.id.to_string())
                    .bind(a.usage_count)
                    .bind(a.helped)
                    .bind(a.not_helped)
                    .bind(micros(a.created_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                write_article_version_tx(&mut tx, a, v).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn update_article(&self, a: &gastvrij_domain::knowledge::Article, expected_version: i64, v: &gastvrij_domain::knowledge::ArticleVersion, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let q = sqlx::query(
                    "UPDATE articles SET external_id = $1, title = $2, question = $3, answer = $4, public_answer = $5, status = $6, audience = $7, \
                     keywords = $8, owning_teams = $9, related = $10, topic_id = $11, review_date = $12, publish_at = $13, archive_at = $14, \
                     from_consultation = $15, version = $16, updated_at = $17 WHERE id = $18 AND version = $19",
                );
                let done = bind_article!(q, a)
                    .bind(a.id.to_string())
                    .bind(expected_version)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(stale_or_missing(&mut tx, "articles", a.id.to_string(), "article").await);
                }
                write_article_version_tx(&mut tx, a, v).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn article(&self, id: gastvrij_domain::ids::ArticleId) -> StoreResult<Option<gastvrij_domain::knowledge::Article>> {
                let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref().map(article_from).transpose().map_err(other)
            }

            async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<gastvrij_domain::knowledge::Article>> {
                let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE external_id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(external_id).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref().map(article_from).transpose().map_err(other)
            }

            async fn articles(&self, q: &gastvrij_app::ports::ArticleQuery) -> StoreResult<Vec<gastvrij_domain::knowledge::Article>> {
                let mut qb = QueryBuilder::<$db>::new(format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE 1 = 1"));
                if let Some(s) = q.status {
                    qb.push(" AND status = ").push_bind(s.code());
                }
                if let Some(d) = q.review_before {
                    qb.push(" AND status <> 'gearchiveerd' AND review_date < ").push_bind(d.to_string());
                }
                if let Some(t) = q.topic_id {
                    qb.push(" AND topic_id = ").push_bind(t.to_string());
                }
                qb.push(" ORDER BY updated_at DESC, id DESC LIMIT ").push_bind(i64::from(q.page.limit));
                qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
                let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
                rows.iter().map(article_from).collect::<anyhow::Result<_>>().map_err(other)
            }

            async fn article_versions(&self, id: gastvrij_domain::ids::ArticleId) -> StoreResult<Vec<gastvrij_domain::knowledge::ArticleVersion>> {
                let rows = sqlx::query("SELECT version, at, author, diff FROM article_versions WHERE article_id = $1 ORDER BY version")
                    .bind(id.to_string())
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_error)?;
                rows.iter()
                    .map(|r| -> anyhow::Result<gastvrij_domain::knowledge::ArticleVersion> {
                        let author: String = r.try_get("author")?;
                        Ok(gastvrij_domain::knowledge::ArticleVersion {
                            article_id: id,
                            version: r.try_get("version")?,
                            at: timestamp(r.try_get("at")?)?,
                            author: Actor::from_code(&author).with_context(|| format!("stored author '{author}' is invalid"))?,
                            diff: r.try_get("diff")?,
                        })
                    })
                    .collect::<anyhow::Result<_>>()
                    .map_err(other)
            }

            async fn count_article_use(&self, id: gastvrij_domain::ids::ArticleId, helped: Option<bool>, change: &Change) -> StoreResult<()> {
                let column = match helped {
                    None => "usage_count = usage_count + 1",
                    Some(true) => "helped = helped + 1",
                    Some(false) => "not_helped = not_helped + 1",
                };
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE articles SET {column} WHERE id = $1")))
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("article"));
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn insert_consultation(&self, c: &gastvrij_domain::knowledge::Consultation, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                insert_consultation_tx(&mut tx, c).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn update_consultation(&self, c: &gastvrij_domain::knowledge::Consultation, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE consultations SET answer = $2, answered_by = $3, answered_at = $4, article_id = $5 WHERE id = $1")
                    .bind(c.id.to_string())
                    .bind(&c.answer)
                    .bind(opt_str(&c.answered_by))
                    .bind(c.answered_at.map(micros))
                    .bind(opt_str(&c.article_id))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("consultation"));
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn consultation(&self, id: gastvrij_domain::ids::ConsultationId) -> StoreResult<Option<gastvrij_domain::knowledge::Consultation>> {
                let sql = format!("SELECT {CONSULTATION_COLUMNS} FROM consultations WHERE id = $1");
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).fetch_optional(self.reader()).await.map_err(db_error)?;
                row.as_ref().map(consultation_from).transpose().map_err(other)
            }

            async fn consultations(&self, q: &gastvrij_app::ports::ConsultationQuery) -> StoreResult<Vec<gastvrij_domain::knowledge::Consultation>> {
                let mut qb = QueryBuilder::<$db>::new(format!("SELECT {CONSULTATION_COLUMNS} FROM consultations WHERE 1 = 1"));
                if let Some(t) = q.to_team {
                    qb.push(" AND to_team = ").push_bind(t.to_string());
                }
                if let Some(e) = q.to_employee {
                    qb.push(" AND to_employee = ").push_bind(e.to_string());
                }
                if let Some(e) = q.asked_by {
                    qb.push(" AND asked_by = ").push_bind(e.to_string());
                }
                if q.open_only {
                    qb.push(" AND answered_at IS NULL");
                }
                qb.push(" ORDER BY asked_at DESC, id DESC LIMIT ").push_bind(i64::from(q.page.limit));
                qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
                let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
                rows.iter().map(consultation_from).collect::<anyhow::Result<_>>().map_err(other)
            }

            async fn consultation_counts(&self) -> StoreResult<(i64, i64)> {
                sqlx::query_as("SELECT COUNT(answered_at), COUNT(article_id) FROM consultations")
                    .fetch_one(self.reader())
                    .await
                    .map_err(db_error)
            }

            async fn synonyms(&self) -> StoreResult<Vec<String>> {
                let rows: Vec<(String,)> = sqlx::query_as("SELECT rule FROM kennisbank_synonyms ORDER BY position")
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_error)?;
                Ok(rows.into_iter().map(|(r,)| r).collect())
            }

            async fn save_synonyms(&self, rules: &[String], change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM kennisbank_synonyms").execute(&mut *tx).await.map_err(db_error)?;
                for (i, rule) in rules.iter().enumerate() {
                    sqlx::query("INSERT INTO kennisbank_synonyms (position, rule) VALUES ($1, $2)")
                        .bind(i as i64)
                        .bind(rule)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                }
                sqlx::query(
                    "INSERT INTO events (at, kind, entity_id, team_id, employee_id, summary, dedupe_key) VALUES ($1, 'synonyms.changed', 'synonyms', NULL, NULL, '', $2)",
                )
                .bind(micros(change.at))
                .bind(format!("synonyms.changed:{}", micros(change.at)))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }
        }

        #[async_trait::async_trait]
        impl gastvrij_app::ports::MailStore for $store {
            async fn enqueue_mail(&self, mail: &gastvrij_domain::mail::OutgoingMail, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                enqueue_mail_tx(&mut tx, mail).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn due_mail(&self, now: jiff::Timestamp, lease_until: jiff::Timestamp, limit: u32) -> StoreResult<Vec<gastvrij_app::ports::ClaimedMail>> {
                // The outer condition repeats the inner one: on PostgreSQL a second worker that
                // waited for the first one's row lock re-checks it against the claimed row (whose
                // next attempt now lies in the future) and skips it. SQLite has one writer.
                let mut tx = self.begin_write().await?;
                let rows = sqlx::query(
                    "UPDATE mail_outbox SET next_attempt_at = $1 \
                     WHERE status = 'pending' AND next_attempt_at <= $2 AND id IN ( \
                       SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
                       ORDER BY next_attempt_at, id LIMIT $3) \
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
                claimed.sort_by_key(|c| (c.mail.created_at, c.mail.id));
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
                if done.rows_affected() == 0 {
                    return Err(mail_missing_or(&mut tx, id.to_string(), "the mail is not waiting to be sent").await);
                }
                commit(tx).await
            }

            async fn mail_failed_attempt(&self, id: gastvrij_domain::ids::MailId, error: &str, next: gastvrij_domain::mail::Retry) -> StoreResult<()> {
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
                if done.rows_affected() == 0 {
                    return Err(mail_missing_or(&mut tx, id.to_string(), "the mail is not waiting to be sent").await);
                }
                commit(tx).await
            }

            async fn retry_mail(&self, id: gastvrij_domain::ids::MailId, at: jiff::Timestamp, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE mail_outbox SET status = 'pending', next_attempt_at = $2 WHERE id = $1 AND status = 'failed'")
                    .bind(id.to_string())
                    .bind(micros(at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if done.rows_affected() == 0 {
                    return Err(mail_missing_or(&mut tx, id.to_string(), "only failed mail can be retried; this one is pending or sent").await);
                }
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }

            async fn mail_list(&self, q: &gastvrij_app::ports::MailQuery) -> StoreResult<Vec<gastvrij_domain::mail::MailRecord>> {
                let mut qb = QueryBuilder::<$db>::new(format!("SELECT {MAIL_RECORD_COLUMNS} FROM mail_outbox WHERE 1 = 1"));
                if let Some(s) = q.status {
                    qb.push(" AND status = ").push_bind(s.code());
                }
                qb.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(i64::from(q.page.limit));
                qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
                let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
                rows.iter().map(mail_record_from).collect::<anyhow::Result<_>>().map_err(other)
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

        #[async_trait::async_trait]
        impl gastvrij_app::ports::ImportStore for $store {
            async fn insert_batch(&self, b: &Batch, change: &Change) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                for t in &b.teams {
                    insert_team_tx(&mut tx, t).await?;
                }
                for e in &b.employees {
                    insert_employee_tx(&mut tx, e).await?;
                }
                for t in &b.topics {
                    insert_topic_tx(&mut tx, t).await?;
                }
                bulk_customers_tx(&mut tx, &b.customers).await?;
                bulk_contacts_tx(&mut tx, &b.contacts).await?;
                let mut highest: std::collections::BTreeMap<&str, i64> = Default::default();
                for c in &b.cases {
                    let (scope, number) = c
                        .reference
                        .rsplit_once('-')
                        .and_then(|(s, n)| n.parse::<i64>().ok().map(|n| (s, n)))
                        .ok_or_else(|| StoreError::Conflict(format!("case reference '{}' is not SCOPE-NNNNNN", c.reference)))?;
                    let h = highest.entry(scope).or_insert(0);
                    *h = (*h).max(number);
                }
                bulk_cases_tx(&mut tx, &b.cases).await?;
                for (scope, n) in highest {
                    raise_counter_tx(&mut tx, scope, n).await?;
                }
                bulk_mails_tx(&mut tx, &b.mails).await?;
                write_audit(&mut tx, change).await?;
                commit(tx).await
            }
        }

    };
}

pub(crate) use store_impl;
