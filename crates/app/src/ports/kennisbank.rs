//! The kennisbank: articles with their versions, consultations between colleagues, synonym
//! rules, and the search index port over articles.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{ArticleId, ConsultationId, EmployeeId, QuestionId, TeamId, TopicId};
use gastvrij_domain::kennisbank::{Article, ArticleStatus, ArticleVersion, Consultation};

/// Filters for listing articles, in `order` (most recently changed first by default).
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    pub status: Option<ArticleStatus>,
    /// Articles whose review date lies before this date (and are not archived).
    pub review_before: Option<jiff::civil::Date>,
    pub topic_id: Option<TopicId>,
    /// Only drafts made from a consultation (ruggespraak): articles with `from_consultation`.
    pub from_consultation: bool,
    pub order: ArticleOrder,
    pub page: Page,
}

/// The order of an article list; ties go by id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArticleOrder {
    /// Most recently changed first.
    #[default]
    Recent,
    /// Most uses in contacts (`usage_count`) first.
    MostUsed,
    /// Only articles with at least one "niet geholpen"; the lowest share of "geholpen"
    /// (`helped / (helped + not_helped)`, in whole percents, rounded down) first, then the most
    /// "niet geholpen".
    LeastHelpful,
}

/// Filters for listing consultations, newest first.
#[derive(Debug, Clone, Default)]
pub struct ConsultationQuery {
    /// Only those asked for these questions (read in one query); empty: no filter.
    pub question_ids: Vec<QuestionId>,
    pub to_team: Option<TeamId>,
    pub to_employee: Option<EmployeeId>,
    /// With `to_team`: also those asked of one of these employees (the team's members).
    pub or_to_employees: Vec<EmployeeId>,
    pub asked_by: Option<EmployeeId>,
    /// Only those asked in `[from, to)`.
    pub asked_between: Option<(jiff::Timestamp, jiff::Timestamp)>,
    /// Only those still waiting for an answer.
    pub open_only: bool,
    pub page: Page,
}

#[async_trait]
pub trait KennisbankStore: Send + Sync {
    /// Insert a new article with its first version; raises `article.changed` for the index.
    async fn insert_article(&self, article: &Article, version: &ArticleVersion, change: &Change) -> StoreResult<()>;
    /// Save a changed article (its `version` one above `expected_version`) with the version entry.
    async fn update_article(
        &self,
        article: &Article,
        expected_version: i64,
        version: &ArticleVersion,
        change: &Change,
    ) -> StoreResult<()>;
    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>>;
    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>>;
    async fn articles(&self, query: &ArticleQuery) -> StoreResult<Vec<Article>>;
    async fn article_versions(&self, id: ArticleId) -> StoreResult<Vec<ArticleVersion>>;
    /// Count a use of the article in a contact (`helped` = None), or feedback on it.
    async fn count_article_use(&self, id: ArticleId, helped: Option<bool>, change: &Change) -> StoreResult<()>;

    async fn insert_consultation(&self, c: &Consultation, change: &Change) -> StoreResult<()>;
    async fn update_consultation(&self, c: &Consultation, change: &Change) -> StoreResult<()>;
    async fn consultation(&self, id: ConsultationId) -> StoreResult<Option<Consultation>>;
    async fn consultations(&self, query: &ConsultationQuery) -> StoreResult<Vec<Consultation>>;
    /// `(answered consultations, those turned into an article)`.
    async fn consultation_counts(&self) -> StoreResult<(i64, i64)>;

    /// The synonym rules kept by editors, in order.
    async fn synonyms(&self) -> StoreResult<Vec<String>>;
    async fn save_synonyms(&self, rules: &[String], change: &Change) -> StoreResult<()>;
}

/// A search query over knowledge articles.
#[derive(Debug, Clone)]
pub struct ArticleSearchQuery<'a> {
    pub text: &'a str,
    pub limit: usize,
    /// Search as you type: the last word may be a prefix.
    pub prefix: bool,
    /// Only articles under this topic path.
    pub topic: Option<&'a str>,
    /// Only articles with one of these status codes.
    pub statuses: &'a [&'a str],
    /// Only articles for this audience (segment code).
    pub audience: Option<&'a str>,
}

/// A ranked search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ArticleHit {
    /// The article's external id.
    pub id: String,
    pub title: String,
    pub score: f32,
    /// A fragment with the matching words in `<mark>`; the rest HTML-escaped.
    pub snippet: String,
}

/// The search index over knowledge articles: a derived, rebuildable copy of the database.
pub trait ArticleSearch: Send + Sync {
    fn search(&self, query: &ArticleSearchQuery<'_>) -> anyhow::Result<Vec<ArticleHit>>;
    /// Add or replace articles (with their topic paths).
    fn upsert(&self, articles: &[(Article, String)]) -> anyhow::Result<()>;
    fn delete(&self, external_ids: &[String]) -> anyhow::Result<()>;
    /// Replace the whole index; returns the number of articles indexed.
    fn rebuild(&self, articles: &mut dyn Iterator<Item = (Article, String)>) -> anyhow::Result<u64>;
    /// Use the editors' synonym rules from now on.
    fn set_synonyms(&self, rules: &[String]) -> anyhow::Result<()>;
    fn len(&self) -> u64;
    /// The terms that group similar wording of a question (docs/kennisbank-learning.md): the
    /// analyzer's stems without stop words. Without an analyzer: folded words.
    fn key_terms(&self, text: &str) -> Vec<String> {
        gastvrij_domain::search_questions::plain_terms(text)
    }
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
