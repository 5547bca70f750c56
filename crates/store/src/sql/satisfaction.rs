//! Customer satisfaction: the sample rates, the invitation decisions (claimed by their source
//! key), the 30-day rule per person, the answers with their daily roll-up, the comments and the
//! action points.

use super::Backend;
use super::mail::enqueue_mail_tx;
use super::shared::{Row, Tx, commit, other, write_audit};
use crate::codec::{db_error, micros, opt_timestamp, parse, timestamp};
use gastvrij_app::ports::{
    Improvement, InviteOutcome, NewInvitation, SatisfactionFilter, SatisfactionSum, SkipReason, StoreResult,
    StoredInvitation, SurveyCandidate, SurveyComment, SurveyGroups,
};
use gastvrij_domain::audit::Change;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::ids::{EmployeeId, ImprovementId};
use gastvrij_domain::mail::OutgoingMail;
use gastvrij_domain::satisfaction::{ImprovementStatus, NewImprovement, Rating, SatisfactionTotals, Split};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row as _;

/// The candidates: closed contacts, and closed cases that did not come from the portal, without
/// a decision yet. A contact's topic and team are those of its first question.
const CANDIDATES: &str = "SELECT * FROM (\
    SELECT 'contact:' || c.id AS source, c.channel AS channel, c.customer_id AS customer_id, cu.email AS email, \
        cu.segments AS segments, q.topic_id AS topic_id, t.team_id AS team_id, NULL AS case_type, \
        c.ended_at AS closed_at \
    FROM contacts c LEFT JOIN customers cu ON cu.id = c.customer_id \
    LEFT JOIN questions q ON q.contact_id = c.id \
        AND q.position = (SELECT MIN(q2.position) FROM questions q2 WHERE q2.contact_id = c.id) \
    LEFT JOIN topics t ON t.id = q.topic_id \
    WHERE c.state = 'closed' AND c.ended_at >= $1 AND c.ended_at <= $2 \
        AND NOT EXISTS (SELECT 1 FROM survey_invitations s WHERE s.source = 'contact:' || c.id) \
    UNION ALL \
    SELECT 'case:' || k.id AS source, ct.channel AS channel, k.customer_id AS customer_id, cu.email AS email, \
        cu.segments AS segments, k.topic_id AS topic_id, k.team_id AS team_id, k.case_type AS case_type, \
        k.closed_at AS closed_at \
    FROM cases k LEFT JOIN contacts ct ON ct.id = k.contact_id LEFT JOIN customers cu ON cu.id = k.customer_id \
    WHERE k.closed_at >= $1 AND k.closed_at <= $2 \
        AND NOT EXISTS (SELECT 1 FROM submissions p WHERE p.case_id = k.id) \
        AND NOT EXISTS (SELECT 1 FROM survey_invitations s WHERE s.source = 'case:' || k.id) \
) u ORDER BY closed_at, source LIMIT $3";

fn text(r: &Row, c: &str) -> StoreResult<String> {
    r.try_get(c).map_err(other)
}

fn opt_text(r: &Row, c: &str) -> StoreResult<Option<String>> {
    r.try_get(c).map_err(other)
}

fn count(r: &Row, c: &str) -> StoreResult<u64> {
    u64::try_from(r.try_get::<i64, _>(c).map_err(other)?).map_err(other)
}

fn small(r: &Row, c: &str) -> StoreResult<u8> {
    u8::try_from(r.try_get::<i64, _>(c).map_err(other)?).map_err(other)
}

fn candidate(r: &Row) -> StoreResult<SurveyCandidate> {
    // A case without a contact came in on paper, as a rule: it is sampled as a letter.
    let channel = match opt_text(r, "channel")? {
        Some(code) => parse::<Channel>("channel", &code).map_err(other)?,
        None => Channel::Brief,
    };
    let segment = opt_text(r, "segments")?.unwrap_or_default().split(',').next().unwrap_or_default().trim().to_string();
    Ok(SurveyCandidate {
        source: text(r, "source")?,
        channel,
        customer_id: opt_text(r, "customer_id")?,
        email: opt_text(r, "email")?.filter(|e| !e.trim().is_empty()),
        groups: SurveyGroups {
            channel: channel.code().to_string(),
            topic_id: opt_text(r, "topic_id")?.unwrap_or_default(),
            team_id: opt_text(r, "team_id")?.unwrap_or_default(),
            segment,
            case_type: opt_text(r, "case_type")?.unwrap_or_default(),
        },
        closed_at: timestamp(r.try_get("closed_at").map_err(other)?).map_err(other)?,
    })
}

/// Claim `source` with a decision; `false` when it was decided before.
async fn claim(
    tx: &mut Tx,
    source: &str,
    outcome: &str,
    token_hash: Option<&str>,
    g: &SurveyGroups,
    at: Timestamp,
    expires_at: Option<Timestamp>,
) -> StoreResult<bool> {
    let row = sqlx::query(
        "INSERT INTO survey_invitations (source, outcome, token_hash, channel, topic_id, team_id, segment, case_type, \
         decided_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT DO NOTHING RETURNING source",
    )
    .bind(source)
    .bind(outcome)
    .bind(token_hash)
    .bind(&g.channel)
    .bind(&g.topic_id)
    .bind(&g.team_id)
    .bind(&g.segment)
    .bind(&g.case_type)
    .bind(micros(at))
    .bind(expires_at.map(micros))
    .fetch_optional(&mut **tx)
    .await
    .map_err(db_error)?;
    Ok(row.is_some())
}

/// The filter's conditions, from parameter `$first` on (five parameters: four groups and the
/// period are bound by [`bind_filter`]).
fn filter_sql(alias: &str) -> String {
    format!(
        "{alias}day >= $1 AND {alias}day < $2 AND ($3 = '' OR {alias}channel = $3) AND ($4 = '' OR {alias}topic_id = $4) \
         AND ($5 = '' OR {alias}team_id = $5) AND ($6 = '' OR {alias}segment = $6)"
    )
}

fn bind_filter<'q>(q: super::shared::Query<'q>, f: &'q SatisfactionFilter) -> super::shared::Query<'q> {
    let or_all = |v: &'q Option<String>| v.as_deref().unwrap_or("");
    q.bind(f.from.to_string())
        .bind(f.to.to_string())
        .bind(or_all(&f.channel))
        .bind(or_all(&f.topic_id))
        .bind(or_all(&f.team_id))
        .bind(or_all(&f.segment))
}

fn comment(r: &Row) -> StoreResult<SurveyComment> {
    Ok(SurveyComment {
        id: text(r, "id")?,
        day: parse("day", &text(r, "day")?).map_err(other)?,
        grade: small(r, "grade")?,
        solved: r.try_get("solved").map_err(other)?,
        effort: small(r, "effort")?,
        comment: text(r, "comment")?,
        channel: text(r, "channel")?,
        team_id: text(r, "team_id")?,
        segment: text(r, "segment")?,
    })
}

const COMMENT_COLUMNS: &str = "id, day, CAST(grade AS BIGINT) AS grade, solved, CAST(effort AS BIGINT) AS effort, \
     comment, channel, team_id, segment";

fn improvement(r: &Row) -> StoreResult<Improvement> {
    Ok(Improvement {
        id: parse("id", &text(r, "id")?).map_err(other)?,
        point: NewImprovement {
            text: text(r, "text")?,
            owner: parse::<EmployeeId>("owner_id", &text(r, "owner_id")?).map_err(other)?,
            due: parse::<Date>("due", &text(r, "due")?).map_err(other)?,
            source_kind: parse("source_kind", &text(r, "source_kind")?).map_err(other)?,
            source_ref: text(r, "source_ref")?,
            source_label: text(r, "source_label")?,
        },
        status: parse("status", &text(r, "status")?).map_err(other)?,
        created_at: timestamp(r.try_get("created_at").map_err(other)?).map_err(other)?,
        updated_at: timestamp(r.try_get("updated_at").map_err(other)?).map_err(other)?,
    })
}

#[async_trait::async_trait]
impl gastvrij_app::ports::SatisfactionStore for Backend {
    async fn survey_rates(&self) -> StoreResult<Vec<(Channel, u8)>> {
        let rows = sqlx::query("SELECT channel, percent FROM survey_rates ORDER BY channel")
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|r| Ok((parse("channel", &text(r, "channel")?).map_err(other)?, small(r, "percent")?)))
            .collect()
    }

    async fn set_survey_rate(&self, channel: Channel, percent: u8, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO survey_rates (channel, percent, changed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (channel) DO UPDATE SET percent = excluded.percent, changed_at = excluded.changed_at",
        )
        .bind(channel.code())
        .bind(i64::from(percent))
        .bind(micros(change.at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn survey_candidates(&self, from: Timestamp, to: Timestamp, limit: u32) -> StoreResult<Vec<SurveyCandidate>> {
        let rows = sqlx::query(CANDIDATES)
            .bind(micros(from))
            .bind(micros(to))
            .bind(i64::from(limit))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter().map(candidate).collect()
    }

    async fn skip_survey(
        &self,
        source: &str,
        groups: &SurveyGroups,
        reason: SkipReason,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let claimed = claim(&mut tx, source, reason.code(), None, groups, at, None).await?;
        commit(tx).await?;
        Ok(claimed)
    }

    async fn invite_survey(
        &self,
        inv: &NewInvitation,
        mail: &OutgoingMail,
        cutoff: Timestamp,
    ) -> StoreResult<InviteOutcome> {
        let mut tx = self.begin_write().await?;
        if !claim(&mut tx, &inv.source, "invited", Some(&inv.token_hash), &inv.groups, inv.at, Some(inv.expires_at))
            .await?
        {
            return Ok(InviteOutcome::Taken);
        }
        // One conditional write per person (in a fixed order): it only moves the last
        // invitation when that was at or before the cutoff, and the row lock makes a second node
        // wait and then see the new moment.
        for person in &inv.persons {
            let moved = sqlx::query(
                "INSERT INTO survey_recipients (person, last_invited_at) VALUES ($1, $2) \
                 ON CONFLICT (person) DO UPDATE SET last_invited_at = excluded.last_invited_at \
                 WHERE survey_recipients.last_invited_at <= $3 RETURNING person",
            )
            .bind(person)
            .bind(micros(inv.at))
            .bind(micros(cutoff))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?
            .is_some();
            if !moved {
                tx.rollback().await.map_err(db_error)?;
                let mut tx = self.begin_write().await?;
                let claimed = claim(&mut tx, &inv.source, "recent", None, &inv.groups, inv.at, None).await?;
                commit(tx).await?;
                return Ok(if claimed { InviteOutcome::Recent } else { InviteOutcome::Taken });
            }
        }
        enqueue_mail_tx(&mut tx, mail).await?;
        let change = Change::new(
            gastvrij_domain::audit::Actor::System,
            inv.at,
            "survey.invited",
            &inv.source,
            &inv.groups.channel,
        );
        write_audit(&mut tx, &change).await?;
        commit(tx).await?;
        Ok(InviteOutcome::Invited)
    }

    async fn seed_survey_invitation(&self, inv: &NewInvitation) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        claim(&mut tx, &inv.source, "invited", Some(&inv.token_hash), &inv.groups, inv.at, Some(inv.expires_at))
            .await?;
        commit(tx).await
    }

    async fn survey_invitation(&self, token_hash: &str) -> StoreResult<Option<StoredInvitation>> {
        let row = sqlx::query(
            "SELECT source, expires_at, answered_at FROM survey_invitations WHERE token_hash = $1 AND outcome = 'invited'",
        )
        .bind(token_hash)
        .fetch_optional(self.reader())
        .await
        .map_err(db_error)?;
        row.map(|r| {
            Ok(StoredInvitation {
                source: text(&r, "source")?,
                expires_at: timestamp(r.try_get("expires_at").map_err(other)?).map_err(other)?,
                answered_at: opt_timestamp(r.try_get("answered_at").map_err(other)?).map_err(other)?,
            })
        })
        .transpose()
    }

    async fn answer_survey_invitation(
        &self,
        token_hash: &str,
        rating: &Rating,
        comment_folded: Option<&str>,
        day: Date,
        change: &Change,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE survey_invitations SET answered_at = $2 \
             WHERE token_hash = $1 AND outcome = 'invited' AND answered_at IS NULL AND expires_at > $2 \
             RETURNING source, channel, topic_id, team_id, segment, case_type",
        )
        .bind(token_hash)
        .bind(micros(change.at))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some(row) = row else {
            return Ok(false);
        };
        let source = text(&row, "source")?;
        let g = SurveyGroups {
            channel: text(&row, "channel")?,
            topic_id: text(&row, "topic_id")?,
            team_id: text(&row, "team_id")?,
            segment: text(&row, "segment")?,
            case_type: text(&row, "case_type")?,
        };
        sqlx::query(
            "INSERT INTO survey_responses (id, source, day, answered_at, channel, topic_id, team_id, segment, case_type, \
             grade, solved, effort, comment, comment_folded) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(uuid::Uuid::now_v7().simple().to_string())
        .bind(&source)
        .bind(day.to_string())
        .bind(micros(change.at))
        .bind(&g.channel)
        .bind(&g.topic_id)
        .bind(&g.team_id)
        .bind(&g.segment)
        .bind(&g.case_type)
        .bind(i16::from(rating.grade))
        .bind(rating.solved)
        .bind(i16::from(rating.effort))
        .bind(&rating.comment)
        .bind(comment_folded)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let t = SatisfactionTotals::of(rating);
        let as_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO satisfaction_daily (day, channel, topic_id, team_id, segment, case_type, answers, grade_sum, \
             solved, effort_sum, low) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10) \
             ON CONFLICT (day, channel, topic_id, team_id, segment, case_type) DO UPDATE SET \
             answers = satisfaction_daily.answers + 1, grade_sum = satisfaction_daily.grade_sum + excluded.grade_sum, \
             solved = satisfaction_daily.solved + excluded.solved, \
             effort_sum = satisfaction_daily.effort_sum + excluded.effort_sum, low = satisfaction_daily.low + excluded.low",
        )
        .bind(day.to_string())
        .bind(&g.channel)
        .bind(&g.topic_id)
        .bind(&g.team_id)
        .bind(&g.segment)
        .bind(&g.case_type)
        .bind(as_i64(t.grade_sum))
        .bind(as_i64(t.solved))
        .bind(as_i64(t.effort_sum))
        .bind(as_i64(t.low))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn satisfaction_daily(&self, f: &SatisfactionFilter, split: Split) -> StoreResult<Vec<SatisfactionSum>> {
        let key = match split {
            Split::Total => "'totaal'",
            Split::Channel => "channel",
            Split::Topic => "topic_id",
            Split::Team => "team_id",
            Split::Segment => "segment",
            Split::CaseType => "case_type",
        };
        let group = if split == Split::Total { "day".to_string() } else { format!("day, {key}") };
        let sql = format!(
            "SELECT day, {key} AS k, CAST(SUM(answers) AS BIGINT) AS answers, CAST(SUM(grade_sum) AS BIGINT) AS grade_sum, \
             CAST(SUM(solved) AS BIGINT) AS solved, CAST(SUM(effort_sum) AS BIGINT) AS effort_sum, \
             CAST(SUM(low) AS BIGINT) AS low FROM satisfaction_daily WHERE {} GROUP BY {group} ORDER BY day, k",
            filter_sql("")
        );
        let rows =
            bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), f).fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter()
            .map(|r| {
                Ok(SatisfactionSum {
                    day: parse("day", &text(r, "day")?).map_err(other)?,
                    key: text(r, "k")?,
                    totals: SatisfactionTotals {
                        answers: count(r, "answers")?,
                        grade_sum: count(r, "grade_sum")?,
                        solved: count(r, "solved")?,
                        effort_sum: count(r, "effort_sum")?,
                        low: count(r, "low")?,
                    },
                })
            })
            .collect()
    }

    async fn survey_comments(
        &self,
        f: &SatisfactionFilter,
        folded_search: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<SurveyComment>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM survey_responses WHERE {} AND comment IS NOT NULL \
             AND ($7 = '' OR comment_folded LIKE $8 ESCAPE '\\') ORDER BY answered_at DESC, id LIMIT $9",
            filter_sql("")
        );
        let search = folded_search.unwrap_or("");
        let pattern = format!("%{}%", search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let rows = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), f)
            .bind(search)
            .bind(pattern)
            .bind(i64::from(limit))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter().map(comment).collect()
    }

    async fn survey_comment(&self, id: &str) -> StoreResult<Option<SurveyComment>> {
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM survey_responses WHERE id = $1 AND comment IS NOT NULL");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.reader()).await.map_err(db_error)?;
        row.as_ref().map(comment).transpose()
    }

    async fn insert_improvement(&self, a: &Improvement, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO improvements (id, text, owner_id, due, status, source_kind, source_ref, source_label, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(a.id.to_string())
        .bind(&a.point.text)
        .bind(a.point.owner.to_string())
        .bind(a.point.due.to_string())
        .bind(a.status.code())
        .bind(a.point.source_kind.code())
        .bind(&a.point.source_ref)
        .bind(&a.point.source_label)
        .bind(micros(a.created_at))
        .bind(micros(a.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn improvements(&self) -> StoreResult<Vec<Improvement>> {
        let rows = sqlx::query(
            "SELECT * FROM improvements ORDER BY CASE status WHEN 'klaar' THEN 1 ELSE 0 END, due, created_at, id",
        )
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.iter().map(improvement).collect()
    }

    async fn set_improvement_status(
        &self,
        id: ImprovementId,
        status: ImprovementStatus,
        at: Timestamp,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE improvements SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(id.to_string())
            .bind(status.code())
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        super::shared::commit_found(tx, done.rows_affected(), "improvement", change).await
    }

    async fn active_employee(&self, employee: EmployeeId) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 FROM employees WHERE id = $1 AND active = $2")
            .bind(employee.to_string())
            .bind(true)
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        Ok(row.is_some())
    }
}
