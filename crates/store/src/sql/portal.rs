//! The public portal: submissions (each with its contact, case, photos and mails), their
//! messages, photos and surveys, prevented questions, incidents and the installation's secrets.

use super::audit::insert_event_tx;
use super::cases::{bulk_cases_tx, link_case_mails_tx, update_case_tx};
use super::contacts::bulk_contacts_tx;
use super::mail::{bulk_mails_tx, with_reference};
use super::shared::{BULK_ROWS, Row, Tx, bulk_audit_tx, commit, commit_found, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, opt_str, opt_timestamp, parse, timestamp};
use gastvrij_app::StoreError;
use gastvrij_app::ports::CaseStore as _;
use gastvrij_app::ports::{
    CaseUpdate, NewSubmission, PhotoContent, PhotoUpload, PortalStore, StoreResult, SubmissionRecord, SurveyTotals,
};
use gastvrij_domain::audit::{Change, Event};
use gastvrij_domain::ids::{ArticleId, CaseId, PhotoId, TopicId};
use gastvrij_domain::portal::{
    ContactPreference, GeoPoint, GroupCandidate, Grouping, Incident, IncidentId, Location, Message, Photo, Submission,
    SubmissionId, SubmissionKind, SurveyAnswer,
};
use sqlx::Row as _;

const SUBMISSION_COLUMNS: &str = "id, case_id, kind, topic_id, description, postcode, house_number, place, lat, lon, \
     observed, urgent, preference, name, email, phone, photo_location_allowed, created_at, incident_id";

fn submission_from(r: &Row) -> anyhow::Result<Submission> {
    let lat: Option<f64> = r.try_get("lat")?;
    let lon: Option<f64> = r.try_get("lon")?;
    Ok(Submission {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        kind: parse::<SubmissionKind>("kind", &r.try_get::<String, _>("kind")?)?,
        case_id: parse("case_id", &r.try_get::<String, _>("case_id")?)?,
        topic_id: opt_parse("topic_id", r.try_get("topic_id")?)?,
        description: r.try_get("description")?,
        location: Location {
            postcode: opt_parse("postcode", r.try_get("postcode")?)?,
            house_number: r.try_get("house_number")?,
            description: r.try_get("place")?,
            point: lat.zip(lon).map(|(lat, lon)| GeoPoint { lat, lon }),
        },
        observed: r.try_get("observed")?,
        urgent: r.try_get("urgent")?,
        preference: parse::<ContactPreference>("preference", &r.try_get::<String, _>("preference")?)?,
        name: r.try_get("name")?,
        email: opt_parse("email", r.try_get("email")?)?,
        phone: opt_parse("phone", r.try_get("phone")?)?,
        photo_location_allowed: r.try_get("photo_location_allowed")?,
        created_at: timestamp(r.try_get("created_at")?)?,
        incident_id: opt_parse("incident_id", r.try_get("incident_id")?)?,
    })
}

fn incident_from(r: &Row) -> anyhow::Result<Incident> {
    Ok(Incident {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        topic_id: opt_parse("topic_id", r.try_get("topic_id")?)?,
        title: r.try_get("title")?,
        started_at: timestamp(r.try_get("started_at")?)?,
        last_report_at: timestamp(r.try_get("last_report_at")?)?,
        closed_at: opt_timestamp(r.try_get("closed_at")?)?,
        banner: r.try_get("banner")?,
    })
}

async fn insert_photos_tx(tx: &mut Tx, photos: &[PhotoUpload]) -> StoreResult<()> {
    for p in photos {
        sqlx::query(
            "INSERT INTO submission_photos \
             (id, submission_id, message_id, content_type, size_bytes, sha256, content, uploaded_at, object_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(p.meta.id.to_string())
        .bind(p.meta.submission_id.to_string())
        .bind(opt_str(&p.meta.message_id))
        .bind(&p.meta.content_type)
        .bind(p.meta.size_bytes as i64)
        .bind(&p.meta.sha256)
        // In object storage the row keeps only the key; `content` stays empty.
        .bind(match &p.content {
            PhotoContent::Bytes(bytes) => &bytes[..],
            PhotoContent::Object(_) => &[][..],
        })
        .bind(micros(p.meta.uploaded_at))
        .bind(match &p.content {
            PhotoContent::Bytes(_) => None,
            PhotoContent::Object(key) => Some(key.as_str()),
        })
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

async fn insert_incident_tx(tx: &mut Tx, i: &Incident) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO incidents (id, topic_id, title, started_at, last_report_at, closed_at, banner) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(i.id.to_string())
    .bind(opt_str(&i.topic_id))
    .bind(&i.title)
    .bind(micros(i.started_at))
    .bind(micros(i.last_report_at))
    .bind(i.closed_at.map(micros))
    .bind(&i.banner)
    .execute(&mut **tx)
    .await
    .map_err(db_error)?;
    Ok(())
}

impl Backend {
    async fn submission_where(&self, column: &str, value: String) -> StoreResult<Option<SubmissionRecord>> {
        let sql = format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE {column} = $1");
        let Some(row) =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).fetch_optional(self.reader()).await.map_err(db_error)?
        else {
            return Ok(None);
        };
        let submission = submission_from(&row)?;
        let Some((case, _)) = self.case(submission.case_id).await? else {
            return Err(StoreError::Other(anyhow::anyhow!("submission {} has no case", submission.id)));
        };
        let id = submission.id.to_string();
        let messages = sqlx::query(
            "SELECT id, submission_id, at, from_citizen, author_id, text FROM submission_messages \
             WHERE submission_id = $1 ORDER BY at, id",
        )
        .bind(&id)
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?
        .iter()
        .map(|r| -> anyhow::Result<Message> {
            Ok(Message {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                submission_id: parse("submission_id", &r.try_get::<String, _>("submission_id")?)?,
                at: timestamp(r.try_get("at")?)?,
                from_citizen: r.try_get("from_citizen")?,
                author_id: opt_parse("author_id", r.try_get("author_id")?)?,
                text: r.try_get("text")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
        let photos = sqlx::query(
            "SELECT id, submission_id, message_id, content_type, size_bytes, sha256, uploaded_at FROM submission_photos \
             WHERE submission_id = $1 ORDER BY uploaded_at, id",
        )
        .bind(&id)
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?
        .iter()
        .map(|r| -> anyhow::Result<Photo> {
            Ok(Photo {
                id: parse("id", &r.try_get::<String, _>("id")?)?,
                submission_id: parse("submission_id", &r.try_get::<String, _>("submission_id")?)?,
                message_id: opt_parse("message_id", r.try_get("message_id")?)?,
                content_type: r.try_get("content_type")?,
                size_bytes: r.try_get::<i64, _>("size_bytes")?.max(0) as u64,
                sha256: r.try_get("sha256")?,
                uploaded_at: timestamp(r.try_get("uploaded_at")?)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
        let survey = sqlx::query(
            "SELECT submission_id, grade, solved, effort, comment, reopen_requested, answered_at FROM survey_answers \
             WHERE submission_id = $1",
        )
        .bind(&id)
        .fetch_optional(self.reader())
        .await
        .map_err(db_error)?
        .map(|r| -> anyhow::Result<SurveyAnswer> {
            Ok(SurveyAnswer {
                submission_id: parse("submission_id", &r.try_get::<String, _>("submission_id")?)?,
                grade: r.try_get::<i64, _>("grade")?.clamp(1, 10) as u8,
                solved: r.try_get("solved")?,
                effort: r.try_get::<i64, _>("effort")?.clamp(1, 5) as u8,
                comment: r.try_get("comment")?,
                reopen_requested: r.try_get("reopen_requested")?,
                answered_at: timestamp(r.try_get("answered_at")?)?,
            })
        })
        .transpose()?;
        Ok(Some(SubmissionRecord { submission, case, messages, photos, survey }))
    }
}

/// Insert messages of submissions, in chunks that stay under the backends' bind limits.
async fn bulk_messages_tx(tx: &mut Tx, messages: &[Message]) -> StoreResult<()> {
    for chunk in messages.chunks(BULK_ROWS / 6) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO submission_messages (id, submission_id, at, from_citizen, author_id, text) ",
        );
        qb.push_values(chunk, |mut b, m| {
            b.push_bind(m.id.to_string())
                .push_bind(m.submission_id.to_string())
                .push_bind(micros(m.at))
                .push_bind(m.from_citizen)
                .push_bind(opt_str(&m.author_id))
                .push_bind(m.text.clone());
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

/// Insert submission rows: (submission, its tracking token's hash, its incident).
pub(super) async fn bulk_submissions_tx(
    tx: &mut Tx,
    rows: &[(&gastvrij_domain::portal::Submission, &str, Option<IncidentId>)],
) -> StoreResult<()> {
    for chunk in rows.chunks(BULK_ROWS / 2) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO submissions (id, case_id, token_hash, kind, topic_id, description, postcode, house_number, place, lat, lon, \
             observed, urgent, preference, name, email, phone, photo_location_allowed, created_at, incident_id) ",
        );
        qb.push_values(chunk, |mut b, (s, token_hash, incident)| {
            b.push_bind(s.id.to_string())
                .push_bind(s.case_id.to_string())
                .push_bind(token_hash.to_string())
                .push_bind(s.kind.code())
                .push_bind(opt_str(&s.topic_id))
                .push_bind(s.description.clone())
                .push_bind(s.location.postcode.as_ref().map(|p| p.as_str().to_string()))
                .push_bind(s.location.house_number.clone())
                .push_bind(s.location.description.clone())
                .push_bind(s.location.point.map(|p| p.lat))
                .push_bind(s.location.point.map(|p| p.lon))
                .push_bind(s.observed.clone())
                .push_bind(s.urgent)
                .push_bind(s.preference.code())
                .push_bind(s.name.clone())
                .push_bind(s.email.as_ref().map(|e| e.as_str().to_string()))
                .push_bind(s.phone.as_ref().map(|p| p.as_str().to_string()))
                .push_bind(s.photo_location_allowed)
                .push_bind(micros(s.created_at))
                .push_bind(incident.map(|i| i.to_string()));
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl PortalStore for Backend {
    async fn insert_submissions(&self, batch: &[(&NewSubmission, &Change)]) -> StoreResult<Vec<String>> {
        if batch.is_empty() {
            return Ok(vec![]);
        }
        let mut tx = self.begin_write().await?;
        // References: one counter step per scope for the whole batch, numbered in batch order.
        let mut per_scope: std::collections::BTreeMap<&str, i64> = Default::default();
        for (new, _) in batch {
            *per_scope.entry(new.scope.as_str()).or_default() += 1;
        }
        let mut next = std::collections::BTreeMap::new();
        for (scope, count) in per_scope {
            let (last,): (i64,) = sqlx::query_as(
                "INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = counters.value + $2 RETURNING value",
            )
            .bind(format!("case_ref:{scope}"))
            .bind(count)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            next.insert(scope, last - count + 1);
        }
        let references: Vec<String> = batch
            .iter()
            .map(|(new, _)| {
                let n = next.get_mut(new.scope.as_str()).expect("every scope was counted above");
                *n += 1;
                gastvrij_domain::case::format_reference(&new.scope, *n - 1)
            })
            .collect();
        let contacts: Vec<_> = batch.iter().map(|(new, _)| new.contact.clone()).collect();
        bulk_contacts_tx(&mut tx, &contacts).await?;
        let cases: Vec<_> = batch
            .iter()
            .zip(&references)
            .map(|((new, _), reference)| {
                let mut case = new.case.clone();
                case.reference = reference.clone();
                case
            })
            .collect();
        bulk_cases_tx(&mut tx, &cases).await?;
        for (new, _) in batch {
            if let Some(incident) = &new.new_incident {
                insert_incident_tx(&mut tx, incident).await?;
            }
        }
        let incident_of = |new: &NewSubmission| match &new.grouping {
            Grouping::Alone => None,
            Grouping::Join(id) => Some(*id),
            Grouping::Start { .. } => new.new_incident.as_ref().map(|i| i.id),
        };
        let rows: Vec<_> =
            batch.iter().map(|(new, _)| (&new.submission, new.token_hash.as_str(), incident_of(new))).collect();
        bulk_submissions_tx(&mut tx, &rows).await?;
        for (new, _) in batch {
            let s = &new.submission;
            match &new.grouping {
                Grouping::Alone => {}
                Grouping::Join(id) => {
                    sqlx::query("UPDATE incidents SET last_report_at = $2 WHERE id = $1 AND last_report_at < $2")
                        .bind(id.to_string())
                        .bind(micros(s.created_at))
                        .execute(&mut *tx)
                        .await
                        .map_err(db_error)?;
                }
                Grouping::Start { with } => {
                    let Some(incident) = incident_of(new) else {
                        return Err(StoreError::Other(anyhow::anyhow!("an incident to start was not given")));
                    };
                    for other in with {
                        sqlx::query("UPDATE submissions SET incident_id = $2 WHERE id = $1 AND incident_id IS NULL")
                            .bind(other.to_string())
                            .bind(incident.to_string())
                            .execute(&mut *tx)
                            .await
                            .map_err(db_error)?;
                    }
                }
            }
            insert_photos_tx(&mut tx, &new.photos).await?;
        }
        let placeholder = gastvrij_app::ports::REFERENCE_PLACEHOLDER;
        let mails: Vec<_> = batch
            .iter()
            .zip(&references)
            .flat_map(|((new, _), reference)| new.mails.iter().map(move |mail| with_reference(mail, reference)))
            .collect();
        bulk_mails_tx(&mut tx, &mails).await?;
        let links: Vec<_> = batch.iter().flat_map(|(new, _)| new.mails.iter().map(|m| (new.case.id, m.id))).collect();
        link_case_mails_tx(&mut tx, &links).await?;
        for ((new, _), reference) in batch.iter().zip(&references) {
            for event in &new.events {
                let event = Event { summary: event.summary.replace(placeholder, reference), ..event.clone() };
                insert_event_tx(&mut tx, &event).await?;
            }
        }
        let changes: Vec<&Change> = batch.iter().map(|(_, change)| *change).collect();
        bulk_audit_tx(&mut tx, &changes).await?;
        commit(tx).await?;
        Ok(references)
    }

    async fn submission_by_token(&self, token_hash: &str) -> StoreResult<Option<SubmissionRecord>> {
        self.submission_where("token_hash", token_hash.to_string()).await
    }

    async fn submission_by_case(&self, case_id: CaseId) -> StoreResult<Option<SubmissionRecord>> {
        self.submission_where("case_id", case_id.to_string()).await
    }

    async fn insert_submission_message(
        &self,
        m: &Message,
        photos: &[PhotoUpload],
        mails: &[gastvrij_domain::mail::OutgoingMail],
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        bulk_messages_tx(&mut tx, std::slice::from_ref(m)).await?;
        insert_photos_tx(&mut tx, photos).await?;
        bulk_mails_tx(&mut tx, mails).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn insert_incident_update(
        &self,
        messages: &[Message],
        mails: &[gastvrij_domain::mail::OutgoingMail],
        change: &Change,
    ) -> StoreResult<usize> {
        let mut tx = self.begin_write().await?;
        bulk_messages_tx(&mut tx, messages).await?;
        bulk_mails_tx(&mut tx, mails).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(mails.len())
    }

    async fn submission_photo(
        &self,
        submission: SubmissionId,
        photo: PhotoId,
    ) -> StoreResult<Option<(String, PhotoContent)>> {
        let row: Option<(String, Vec<u8>, Option<String>)> = sqlx::query_as(
            "SELECT content_type, content, object_key FROM submission_photos WHERE id = $1 AND submission_id = $2",
        )
        .bind(photo.to_string())
        .bind(submission.to_string())
        .fetch_optional(self.reader())
        .await
        .map_err(db_error)?;
        Ok(row.map(|(content_type, bytes, key)| {
            (content_type, key.map_or(PhotoContent::Bytes(bytes), PhotoContent::Object))
        }))
    }

    async fn queued_attachment_deletions(&self, limit: u32) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT object_key FROM attachment_deletions ORDER BY object_key LIMIT $1")
            .bind(i64::from(limit))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)
    }

    async fn attachment_deleted(&self, key: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM attachment_deletions WHERE object_key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit(tx).await
    }

    async fn insert_survey_answer(
        &self,
        a: &SurveyAnswer,
        change: &Change,
        case: Option<CaseUpdate<'_>>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO survey_answers (submission_id, grade, solved, effort, comment, reopen_requested, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (submission_id) DO NOTHING",
        )
        .bind(a.submission_id.to_string())
        .bind(i64::from(a.grade))
        .bind(a.solved)
        .bind(i64::from(a.effort))
        .bind(&a.comment)
        .bind(a.reopen_requested)
        .bind(micros(a.answered_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("this survey was already answered".into()));
        }
        super::journey_rollups::mark_hours_tx(&mut tx, [super::shared::hour_of(a.answered_at)]).await?;
        write_audit(&mut tx, change).await?;
        if let Some(u) = case {
            update_case_tx(&mut tx, u.case, u.expected_version, u.change).await?;
            write_audit(&mut tx, u.change).await?;
        }
        commit(tx).await
    }

    async fn record_prevented_question(&self, article: ArticleId, at: jiff::Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO prevented_questions (article_id, at) VALUES ($1, $2)")
            .bind(article.to_string())
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        // Helping on the website is a use (docs/kennisbank-learning.md, "not used in six months").
        sqlx::query("UPDATE articles SET last_used_at = $2 WHERE id = $1")
            .bind(article.to_string())
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit(tx).await
    }

    async fn survey_totals(&self, from: jiff::Timestamp, to: jiff::Timestamp) -> StoreResult<SurveyTotals> {
        let (offered, answers, grade_sum, solved): (i64, i64, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(a.submission_id), CAST(SUM(a.grade) AS BIGINT), \
             CAST(SUM(CASE WHEN a.solved THEN 1 ELSE 0 END) AS BIGINT) \
             FROM submissions s JOIN cases c ON c.id = s.case_id \
             LEFT JOIN survey_answers a ON a.submission_id = s.id \
             WHERE c.closed_at >= $1 AND c.closed_at < $2",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_one(self.reader())
        .await
        .map_err(db_error)?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(SurveyTotals {
            offered: n(offered),
            answers: n(answers),
            grade_sum: n(grade_sum.unwrap_or(0)),
            solved: n(solved.unwrap_or(0)),
        })
    }

    async fn count_prevented_questions(&self, from: jiff::Timestamp, to: jiff::Timestamp) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM prevented_questions WHERE at >= $1 AND at < $2")
            .bind(micros(from))
            .bind(micros(to))
            .fetch_one(self.reader())
            .await
            .map_err(db_error)?;
        Ok(n)
    }

    async fn recent_reports(
        &self,
        topic: TopicId,
        since: jiff::Timestamp,
        area: &gastvrij_domain::portal::NearArea,
    ) -> StoreResult<Vec<GroupCandidate>> {
        // Two index lookups (topic + postcode, topic + latitude) instead of every
        // report of the topic: in a flood that is thousands of rows per report.
        // Reports of a closed incident are left out: it takes no new ones.
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE topic_id = $1 AND created_at >= $2 AND kind = 'melding' \
             AND (postcode = $3 OR (lat BETWEEN $4 AND $5 AND lon BETWEEN $6 AND $7)) \
             AND (incident_id IS NULL OR incident_id IN (SELECT id FROM incidents WHERE closed_at IS NULL)) \
             ORDER BY created_at DESC LIMIT 500"
        );
        let b = area.bounds;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(topic.to_string())
            .bind(micros(since))
            .bind(area.postcode.as_ref().map(|p| p.as_str().to_string()))
            .bind(b.map(|b| b.lat_min))
            .bind(b.map(|b| b.lat_max))
            .bind(b.map(|b| b.lon_min))
            .bind(b.map(|b| b.lon_max))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                let s = submission_from(r)?;
                Ok(GroupCandidate {
                    submission_id: s.id,
                    topic_id: s.topic_id,
                    location: s.location,
                    created_at: s.created_at,
                    incident_id: s.incident_id,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .map_err(StoreError::Other)
    }

    async fn incidents(&self, open_only: bool) -> StoreResult<Vec<Incident>> {
        let sql = if open_only {
            "SELECT id, topic_id, title, started_at, last_report_at, closed_at, banner FROM incidents \
             WHERE closed_at IS NULL ORDER BY last_report_at DESC"
        } else {
            "SELECT id, topic_id, title, started_at, last_report_at, closed_at, banner FROM incidents \
             ORDER BY last_report_at DESC LIMIT 200"
        };
        let rows = sqlx::query(sql).fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(incident_from).collect::<anyhow::Result<Vec<_>>>().map_err(StoreError::Other)
    }

    async fn incident(&self, id: IncidentId) -> StoreResult<Option<Incident>> {
        let row = sqlx::query(
            "SELECT id, topic_id, title, started_at, last_report_at, closed_at, banner FROM incidents WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await
        .map_err(db_error)?;
        row.as_ref().map(incident_from).transpose().map_err(StoreError::Other)
    }

    async fn update_incident(&self, i: &Incident, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE incidents SET title = $2, closed_at = $3, banner = $4 WHERE id = $1")
            .bind(i.id.to_string())
            .bind(&i.title)
            .bind(i.closed_at.map(micros))
            .bind(&i.banner)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "incident", change).await
    }

    async fn installation_secret(&self, name: &str, candidate: &str) -> StoreResult<String> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO installation_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(candidate)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let (value,): (String,) = sqlx::query_as("SELECT value FROM installation_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        commit(tx).await?;
        Ok(value)
    }

    async fn stored_installation_secret(&self, name: &str) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM installation_secrets WHERE name = $1")
            .bind(name)
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        Ok(row.map(|(value,)| value))
    }

    async fn incident_submissions(&self, id: IncidentId) -> StoreResult<Vec<Submission>> {
        let sql = format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE incident_id = $1 ORDER BY created_at");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter().map(submission_from).collect::<anyhow::Result<Vec<_>>>().map_err(StoreError::Other)
    }
}
