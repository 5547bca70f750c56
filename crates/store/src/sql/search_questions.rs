//! Learning from the questions: searches kept without personal data (the app masks them before
//! they come here), marked when their results were used, and the figures made of them.

use super::Backend;
use super::shared::other;
use crate::codec::{db_error, micros, opt_parse, opt_timestamp, parse, timestamp};
use gastvrij_app::ports::{QuestionGroupRow, StoreResult, StoredSearchQuestion, TopicWeekRow, UnusedArticleRow};
use gastvrij_domain::ids::ArticleId;
use gastvrij_domain::search_questions::SearchChannel;
use jiff::Timestamp;
use sqlx::Row as _;

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

#[async_trait::async_trait]
impl gastvrij_app::ports::SearchQuestionStore for Backend {
    async fn save_search_question(&self, q: &StoredSearchQuestion) -> StoreResult<()> {
        // One statement on the hot path of searching: the top hit's article and topic are looked
        // up inside it, and a search typed on replaces its row but keeps `used`.
        sqlx::query(
            "INSERT INTO search_questions \
             (id, channel, asked_hour, asked_week, text, group_key, hits, top_article_id, topic_id, used) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, \
             (SELECT id FROM articles WHERE external_id = $8), \
             (SELECT topic_id FROM articles WHERE external_id = $8), 0) \
             ON CONFLICT (id) DO UPDATE SET text = excluded.text, group_key = excluded.group_key, \
             hits = excluded.hits, top_article_id = excluded.top_article_id, topic_id = excluded.topic_id",
        )
        .bind(&q.id)
        .bind(q.channel.code())
        .bind(micros(q.asked_hour))
        .bind(&q.asked_week)
        .bind(&q.text)
        .bind(&q.group_key)
        .bind(i64::try_from(q.hits).unwrap_or(i64::MAX))
        .bind(&q.top_hit)
        .execute(self.writer())
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn mark_search_question_used(&self, id: &str, article: ArticleId) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE search_questions SET used = CASE WHEN top_article_id = $2 THEN 1 ELSE 2 END \
             WHERE id = $1 AND used = 0",
        )
        .bind(id)
        .bind(article.to_string())
        .execute(self.writer())
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn unanswered_question_groups(
        &self,
        from: Timestamp,
        to: Timestamp,
        channel: Option<SearchChannel>,
        limit: u32,
    ) -> StoreResult<Vec<QuestionGroupRow>> {
        let rows = sqlx::query(
            "SELECT group_key, MIN(text) AS example, COUNT(*) AS searches, \
             SUM(CASE WHEN hits = 0 THEN 1 ELSE 0 END) AS without_hits, MAX(asked_hour) AS last_hour \
             FROM search_questions \
             WHERE asked_hour >= $1 AND asked_hour < $2 AND ($3 = '' OR channel = $3) \
             AND group_key <> '' AND (hits = 0 OR used <> 1) \
             GROUP BY group_key ORDER BY COUNT(*) DESC, group_key LIMIT $4",
        )
        .bind(micros(from))
        .bind(micros(to))
        .bind(channel.map(SearchChannel::code).unwrap_or_default())
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                Ok(QuestionGroupRow {
                    group_key: r.try_get("group_key").map_err(other)?,
                    example: r.try_get("example").map_err(other)?,
                    searches: count(r.try_get("searches").map_err(other)?),
                    without_hits: count(r.try_get("without_hits").map_err(other)?),
                    last_hour: timestamp(r.try_get("last_hour").map_err(other)?).map_err(other)?,
                })
            })
            .collect()
    }

    async fn questions_per_topic_week(&self, from: Timestamp, to: Timestamp) -> StoreResult<Vec<TopicWeekRow>> {
        let rows = sqlx::query(
            "SELECT topic_id, asked_week, group_key, MIN(text) AS example, COUNT(*) AS searches \
             FROM search_questions WHERE asked_hour >= $1 AND asked_hour < $2 AND group_key <> '' \
             GROUP BY topic_id, asked_week, group_key",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let mut all = rows
            .iter()
            .map(|r| {
                Ok(TopicWeekRow {
                    topic_id: opt_parse("topic_id", r.try_get("topic_id").map_err(other)?).map_err(other)?,
                    week: r.try_get("asked_week").map_err(other)?,
                    group_key: r.try_get("group_key").map_err(other)?,
                    example: r.try_get("example").map_err(other)?,
                    searches: count(r.try_get("searches").map_err(other)?),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // Sorted here: NULL topics sort differently on the two databases.
        all.sort_by(|a, b| {
            (&a.week, a.topic_id, std::cmp::Reverse(a.searches), &a.group_key).cmp(&(
                &b.week,
                b.topic_id,
                std::cmp::Reverse(b.searches),
                &b.group_key,
            ))
        });
        Ok(all)
    }

    async fn search_use_counts(
        &self,
        channel: SearchChannel,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<(u64, u64)> {
        let (used, all): (Option<i64>, i64) = sqlx::query_as(
            "SELECT CAST(SUM(CASE WHEN used <> 0 THEN 1 ELSE 0 END) AS BIGINT), COUNT(*) FROM search_questions \
             WHERE asked_hour >= $1 AND asked_hour < $2 AND channel = $3",
        )
        .bind(micros(from))
        .bind(micros(to))
        .bind(channel.code())
        .fetch_one(self.reader())
        .await
        .map_err(db_error)?;
        Ok((count(used.unwrap_or(0)), count(all)))
    }

    async fn articles_unused_since(&self, before: Timestamp, limit: u32) -> StoreResult<Vec<UnusedArticleRow>> {
        let rows = sqlx::query(
            "SELECT id, external_id, title, topic_id, created_at, last_used_at FROM articles \
             WHERE status IN ('intern', 'openbaar') AND created_at < $1 \
             AND (last_used_at IS NULL OR last_used_at < $1) \
             ORDER BY CASE WHEN last_used_at IS NULL THEN 0 ELSE 1 END, last_used_at, title, id LIMIT $2",
        )
        .bind(micros(before))
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                Ok(UnusedArticleRow {
                    id: parse("id", &r.try_get::<String, _>("id").map_err(other)?).map_err(other)?,
                    external_id: r.try_get("external_id").map_err(other)?,
                    title: r.try_get("title").map_err(other)?,
                    topic_id: opt_parse("topic_id", r.try_get("topic_id").map_err(other)?).map_err(other)?,
                    created_at: timestamp(r.try_get("created_at").map_err(other)?).map_err(other)?,
                    last_used_at: opt_timestamp(r.try_get("last_used_at").map_err(other)?).map_err(other)?,
                })
            })
            .collect()
    }
}
