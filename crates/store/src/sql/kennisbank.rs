//! The kennisbank: articles with their versions and use counts, consultations (ruggespraak) and
//! the search synonyms.

use super::contact_rollups::mark_consultation_tx;
use super::shared::{Query, Row, Tx, commit, commit_found, other, stale_or_missing, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, opt_str, opt_timestamp, parse, timestamp};
use anyhow::Context as _;
use gastvrij_app::ports::{ArticleOrder, StoreResult};
use gastvrij_domain::audit::{Actor, Change};
use sqlx::{QueryBuilder, Row as _};

const ARTICLE_COLUMNS: &str = "id, external_id, title, question, answer, public_answer, status, audience, keywords, owning_teams, related, topic_id, review_date, publish_at, archive_at, usage_count, helped, not_helped, from_consultation, version, created_at, updated_at";

fn json_list<T: serde::de::DeserializeOwned>(column: &str, v: &str) -> anyhow::Result<Vec<T>> {
    serde_json::from_str(v).with_context(|| format!("stored {column} is invalid"))
}

fn article_from(r: &Row) -> anyhow::Result<gastvrij_domain::kennisbank::Article> {
    let review: Option<String> = r.try_get("review_date")?;
    Ok(gastvrij_domain::kennisbank::Article {
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

fn consultation_from(r: &Row) -> anyhow::Result<gastvrij_domain::kennisbank::Consultation> {
    Ok(gastvrij_domain::kennisbank::Consultation {
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

async fn write_article_version_tx(
    tx: &mut Tx,
    a: &gastvrij_domain::kennisbank::Article,
    v: &gastvrij_domain::kennisbank::ArticleVersion,
) -> StoreResult<()> {
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

/// Bind the article's columns `$1` to `$17` (in the order of the INSERT and UPDATE below).
fn bind_article<'q>(q: Query<'q>, a: &gastvrij_domain::kennisbank::Article) -> StoreResult<Query<'q>> {
    Ok(q.bind(a.external_id.clone())
        .bind(a.title.clone())
        .bind(a.question.clone())
        .bind(a.answer.clone())
        .bind(a.public_answer.clone())
        .bind(a.status.code())
        .bind(to_json(&a.audience)?)
        .bind(to_json(&a.keywords)?)
        .bind(to_json(&a.owning_teams)?)
        .bind(to_json(&a.related)?)
        .bind(opt_str(&a.topic_id))
        .bind(a.review_date.map(|d| d.to_string()))
        .bind(a.publish_at.map(micros))
        .bind(a.archive_at.map(micros))
        .bind(a.from_consultation.map(|c| c.to_string()))
        .bind(a.version)
        .bind(micros(a.updated_at)))
}

pub(super) async fn insert_consultation_tx(
    tx: &mut Tx,
    c: &gastvrij_domain::kennisbank::Consultation,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO consultations (id, contact_id, question_id, asked_by, to_team, to_employee, question, answer, answered_by, asked_at, answered_at, article_id, asker_team_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, (SELECT e.team_id FROM employees e WHERE e.id = $4))",
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
    mark_consultation_tx(tx, &c.id.to_string()).await
}

#[async_trait::async_trait]
impl gastvrij_app::ports::KennisbankStore for Backend {
    async fn insert_article(
        &self,
        a: &gastvrij_domain::kennisbank::Article,
        v: &gastvrij_domain::kennisbank::ArticleVersion,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let q = sqlx::query(
            "INSERT INTO articles (external_id, title, question, answer, public_answer, status, audience, keywords, owning_teams, related, \
             topic_id, review_date, publish_at, archive_at, from_consultation, version, updated_at, id, usage_count, helped, not_helped, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
        );
        bind_article(q, a)?
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

    async fn update_article(
        &self,
        a: &gastvrij_domain::kennisbank::Article,
        expected_version: i64,
        v: &gastvrij_domain::kennisbank::ArticleVersion,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let q = sqlx::query(
            "UPDATE articles SET external_id = $1, title = $2, question = $3, answer = $4, public_answer = $5, status = $6, audience = $7, \
             keywords = $8, owning_teams = $9, related = $10, topic_id = $11, review_date = $12, publish_at = $13, archive_at = $14, \
             from_consultation = $15, version = $16, updated_at = $17 WHERE id = $18 AND version = $19",
        );
        let done = bind_article(q, a)?
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

    async fn article(
        &self,
        id: gastvrij_domain::ids::ArticleId,
    ) -> StoreResult<Option<gastvrij_domain::kennisbank::Article>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(article_from).transpose().map_err(other)
    }

    async fn article_by_external_id(
        &self,
        external_id: &str,
    ) -> StoreResult<Option<gastvrij_domain::kennisbank::Article>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE external_id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(external_id)
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(article_from).transpose().map_err(other)
    }

    async fn articles(
        &self,
        q: &gastvrij_app::ports::ArticleQuery,
    ) -> StoreResult<Vec<gastvrij_domain::kennisbank::Article>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE 1 = 1"));
        if let Some(s) = q.status {
            qb.push(" AND status = ").push_bind(s.code());
        }
        if let Some(d) = q.review_before {
            qb.push(" AND status <> 'gearchiveerd' AND review_date < ").push_bind(d.to_string());
        }
        if let Some(t) = q.topic_id {
            qb.push(" AND topic_id = ").push_bind(t.to_string());
        }
        if q.from_consultation {
            qb.push(" AND from_consultation IS NOT NULL");
        }
        qb.push(match q.order {
            ArticleOrder::Recent => " ORDER BY updated_at DESC, id DESC",
            ArticleOrder::MostUsed => " ORDER BY usage_count DESC, id DESC",
            // Whole percents in integer arithmetic: the same order on both backends.
            ArticleOrder::LeastHelpful => {
                " AND not_helped > 0 ORDER BY (helped * 100) / (helped + not_helped), not_helped DESC, id"
            }
        });
        qb.push(" LIMIT ").push_bind(i64::from(q.page.limit));
        qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(article_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn article_versions(
        &self,
        id: gastvrij_domain::ids::ArticleId,
    ) -> StoreResult<Vec<gastvrij_domain::kennisbank::ArticleVersion>> {
        let rows = sqlx::query(
            "SELECT version, at, author, diff FROM article_versions WHERE article_id = $1 ORDER BY version",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| -> anyhow::Result<gastvrij_domain::kennisbank::ArticleVersion> {
                let author: String = r.try_get("author")?;
                Ok(gastvrij_domain::kennisbank::ArticleVersion {
                    article_id: id,
                    version: r.try_get("version")?,
                    at: timestamp(r.try_get("at")?)?,
                    author: Actor::from_code(&author)
                        .with_context(|| format!("stored author '{author}' is invalid"))?,
                    diff: r.try_get("diff")?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn count_article_use(
        &self,
        id: gastvrij_domain::ids::ArticleId,
        helped: Option<bool>,
        change: &Change,
    ) -> StoreResult<()> {
        // A use or "helped" also sets when the article was last used (docs/kennisbank-learning.md).
        let column = match helped {
            None => "usage_count = usage_count + 1, last_used_at = $2",
            Some(true) => "helped = helped + 1, last_used_at = $2",
            Some(false) => "not_helped = not_helped + 1, last_used_at = last_used_at",
        };
        let mut tx = self.begin_write().await?;
        let sql = format!("UPDATE articles SET {column} WHERE id = $1");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string());
        if helped != Some(false) {
            query = query.bind(micros(change.at));
        }
        let done = query.execute(&mut *tx).await.map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "article", change).await
    }

    async fn insert_consultation(
        &self,
        c: &gastvrij_domain::kennisbank::Consultation,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        insert_consultation_tx(&mut tx, c).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_consultation(
        &self,
        c: &gastvrij_domain::kennisbank::Consultation,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE consultations SET answer = $2, answered_by = $3, answered_at = $4, article_id = $5 WHERE id = $1",
        )
        .bind(c.id.to_string())
        .bind(&c.answer)
        .bind(opt_str(&c.answered_by))
        .bind(c.answered_at.map(micros))
        .bind(opt_str(&c.article_id))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        mark_consultation_tx(&mut tx, &c.id.to_string()).await?;
        commit_found(tx, done.rows_affected(), "consultation", change).await
    }

    async fn consultation(
        &self,
        id: gastvrij_domain::ids::ConsultationId,
    ) -> StoreResult<Option<gastvrij_domain::kennisbank::Consultation>> {
        let sql = format!("SELECT {CONSULTATION_COLUMNS} FROM consultations WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(consultation_from).transpose().map_err(other)
    }

    async fn consultations(
        &self,
        q: &gastvrij_app::ports::ConsultationQuery,
    ) -> StoreResult<Vec<gastvrij_domain::kennisbank::Consultation>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {CONSULTATION_COLUMNS} FROM consultations WHERE 1 = 1"));
        if !q.question_ids.is_empty() {
            qb.push(" AND question_id IN (");
            let mut ids = qb.separated(", ");
            for id in &q.question_ids {
                ids.push_bind(id.to_string());
            }
            qb.push(")");
        }
        if let Some(t) = q.to_team {
            qb.push(" AND (to_team = ").push_bind(t.to_string());
            for e in &q.or_to_employees {
                qb.push(" OR to_employee = ").push_bind(e.to_string());
            }
            qb.push(")");
        }
        if let Some((from, to)) = q.asked_between {
            qb.push(" AND asked_at >= ").push_bind(crate::codec::micros(from));
            qb.push(" AND asked_at < ").push_bind(crate::codec::micros(to));
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
