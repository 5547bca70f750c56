//! Use cases: searching the kennisbank, and keeping the search index in step with the database.
//!
//! The index is derived: every article change writes an `article.changed` event in the same
//! transaction, and [`App::sync_search`] applies the events after the last one it saw. Only the
//! process that owns the index writer (the server, or the CLI when no server runs) calls it.

use crate::kennisbank::topic_path;
use crate::ports::{ArticleHit, ArticleQuery, ArticleSearch, ArticleSearchQuery, EventQuery};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::team::Role;
use gastvrij_domain::{Invalid, InvalidKind};
use std::sync::Arc;

/// Optional filters of a kennisbank search.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SearchFilters {
    /// A topic path such as `Belastingen` or `Belastingen/Kwijtschelding` (and everything below it).
    pub topic: Option<String>,
    /// Only articles with this status (among those the caller may see).
    pub status: Option<gastvrij_domain::kennisbank::ArticleStatus>,
    /// Only articles for this audience.
    pub audience: Option<gastvrij_domain::customer::Segment>,
}

/// The longest query accepted; longer is refused with a clear message.
pub const MAX_QUERY_CHARS: usize = 10_000;
/// The most hits one search returns.
pub const MAX_HITS: usize = 100;

impl App {
    fn index(&self) -> Result<&Arc<dyn ArticleSearch>, AppError> {
        self.search.as_ref().ok_or_else(|| AppError::Unavailable("the search index is not open".into()))
    }

    /// Search published articles (editors also find concepts and articles under review).
    pub async fn search_articles(
        &self,
        who: &Principal,
        text: &str,
        limit: usize,
        prefix: bool,
        filters: &SearchFilters,
    ) -> Result<Vec<ArticleHit>, AppError> {
        who.require(roles::STAFF)?;
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(Invalid::new("q", InvalidKind::TooLong { max: MAX_QUERY_CHARS }).into());
        }
        if limit == 0 || limit > MAX_HITS {
            return Err(Invalid::new("limit", InvalidKind::OutOfRange { min: 1, max: Some(MAX_HITS as i64) }).into());
        }
        if text.trim().is_empty() {
            return Ok(vec![]);
        }
        let statuses: &[&str] = if who.require(&[Role::Redacteur]).is_ok() {
            &["concept", "ter_beoordeling", "intern", "openbaar"]
        } else {
            &["intern", "openbaar"]
        };
        let wanted: [&str; 1] = [filters.status.map(|s| s.code()).unwrap_or_default()];
        let statuses: &[&str] = match filters.status {
            Some(_) if statuses.contains(&wanted[0]) => &wanted,
            Some(_) => return Ok(vec![]),
            None => statuses,
        };
        let topic = filters.topic.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let audience = filters.audience.map(|a| a.code());
        let query = ArticleSearchQuery { text, limit, prefix, topic, statuses, audience };
        self.index()?.search(&query).map_err(AppError::Unexpected)
    }

    /// Apply article changes recorded after event `after`; returns the last event seen. Event
    /// numbers may be committed out of order on PostgreSQL, so a window before `after` is read
    /// again (upserts are idempotent).
    pub async fn sync_search(&self, after: i64) -> Result<i64, AppError> {
        let index = self.index()?.clone();
        let mut cursor = (after - 1_000).max(0);
        let mut last = after;
        let topics = self.store.topics().await?;
        loop {
            let page = Page { limit: Page::MAX_LIMIT, offset: 0 };
            let events = self.store.events(&EventQuery { after_seq: Some(cursor), page, ..Default::default() }).await?;
            let Some(tail) = events.last() else { break };
            cursor = tail.seq;
            last = last.max(tail.seq);
            if events.iter().any(|e| e.kind == "synonyms.changed") {
                index.set_synonyms(&self.store.synonyms().await?).map_err(AppError::Unexpected)?;
            }
            let mut upserts = vec![];
            let mut deletes = vec![];
            for e in events.iter().filter(|e| e.kind == "article.changed") {
                let Ok(id) = e.entity_id.parse() else { continue };
                match self.store.article(id).await? {
                    Some(a) if a.status != gastvrij_domain::kennisbank::ArticleStatus::Gearchiveerd => {
                        let path = a.topic_id.map(|t| topic_path(&topics, t)).unwrap_or_default();
                        upserts.push((a, path));
                    }
                    Some(a) => deletes.push(a.external_id),
                    None => {}
                }
            }
            index.upsert(&upserts).map_err(AppError::Unexpected)?;
            index.delete(&deletes).map_err(AppError::Unexpected)?;
            if events.len() < Page::MAX_LIMIT as usize {
                break;
            }
        }
        Ok(last)
    }

    /// Rebuild the index from the database (`gastvrij reindex`); returns the number indexed and
    /// the last event number, from which [`App::sync_search`] continues.
    pub async fn rebuild_search(&self) -> Result<(u64, i64), AppError> {
        let index = self.index()?.clone();
        let mut newest = 0;
        let mut after = None;
        loop {
            let page = self
                .store
                .events(&EventQuery {
                    after_seq: after,
                    page: Page { limit: Page::MAX_LIMIT, offset: 0 },
                    ..Default::default()
                })
                .await?;
            let Some(tail) = page.last() else { break };
            newest = tail.seq;
            after = Some(tail.seq);
        }
        index.set_synonyms(&self.store.synonyms().await?).map_err(AppError::Unexpected)?;
        let topics = self.store.topics().await?;
        let mut all = vec![];
        let mut offset = 0;
        loop {
            let batch = self
                .store
                .articles(&ArticleQuery { page: Page { limit: Page::MAX_LIMIT, offset }, ..Default::default() })
                .await?;
            let n = batch.len();
            all.extend(
                batch.into_iter().filter(|a| a.status != gastvrij_domain::kennisbank::ArticleStatus::Gearchiveerd).map(
                    |a| {
                        let path = a.topic_id.map(|t| topic_path(&topics, t)).unwrap_or_default();
                        (a, path)
                    },
                ),
            );
            if n < Page::MAX_LIMIT as usize {
                break;
            }
            offset += Page::MAX_LIMIT;
        }
        let count = index.rebuild(&mut all.into_iter()).map_err(AppError::Unexpected)?;
        Ok((count, newest))
    }
}
