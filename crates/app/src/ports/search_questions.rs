//! Learning from the questions: searches kept without personal data, and the figures made of
//! them (docs/kennisbank-learning.md).

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::ids::{ArticleId, TopicId};
use gastvrij_domain::search_questions::SearchChannel;
use jiff::Timestamp;

/// One search as it is stored: the text already masked, the time already rounded to the hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSearchQuestion {
    /// Random, no time in it. Saving again with the same id replaces the text and the results
    /// (a search typed on, as you type), and keeps whether it was used.
    pub id: String,
    pub channel: SearchChannel,
    pub asked_hour: Timestamp,
    /// `2026-W10`.
    pub asked_week: String,
    pub text: String,
    pub group_key: String,
    pub hits: u64,
    /// The external id of the top hit; its article and topic are looked up in the same statement.
    pub top_hit: Option<String>,
}

/// Searches with one group key in a period that found no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionGroupRow {
    pub group_key: String,
    /// One wording of the group (the smallest text, so the same on both databases).
    pub example: String,
    /// Searches in the group that found nothing or whose top hit was not used.
    pub searches: u64,
    /// Of those, the ones that found nothing.
    pub without_hits: u64,
    pub last_hour: Timestamp,
}

/// How often a group of wording was asked under one topic (of the top hit) in one week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicWeekRow {
    pub topic_id: Option<TopicId>,
    pub week: String,
    pub group_key: String,
    pub example: String,
    pub searches: u64,
}

/// A published article with the last time it was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedArticleRow {
    pub id: ArticleId,
    pub external_id: String,
    pub title: String,
    pub topic_id: Option<TopicId>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

#[async_trait]
pub trait SearchQuestionStore: Send + Sync {
    /// Insert or replace one search in one statement (no transaction of its own).
    async fn save_search_question(&self, q: &StoredSearchQuestion) -> StoreResult<()>;
    /// The search's results were used: `article` is the one used. Marks the search once (top hit
    /// or another); `false` when there is no such search or it was marked before.
    async fn mark_search_question_used(&self, id: &str, article: ArticleId) -> StoreResult<bool>;
    /// Groups of searches asked in `[from, to)` (on `channel`, or all) that found nothing or whose
    /// top hit was not used, most searches first, at most `limit`.
    async fn unanswered_question_groups(
        &self,
        from: Timestamp,
        to: Timestamp,
        channel: Option<SearchChannel>,
        limit: u32,
    ) -> StoreResult<Vec<QuestionGroupRow>>;
    /// Searches asked in `[from, to)` counted per topic of the top hit, week and group key.
    async fn questions_per_topic_week(&self, from: Timestamp, to: Timestamp) -> StoreResult<Vec<TopicWeekRow>>;
    /// `(searches whose results were used, all searches)` on `channel` asked in `[from, to)`.
    async fn search_use_counts(
        &self,
        channel: SearchChannel,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<(u64, u64)>;
    /// Published articles (intern, openbaar) created before `before` and not used since then,
    /// never used first, at most `limit`.
    async fn articles_unused_since(&self, before: Timestamp, limit: u32) -> StoreResult<Vec<UnusedArticleRow>>;
}
