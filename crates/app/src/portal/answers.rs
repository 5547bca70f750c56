//! Public answers (status openbaar) for citizens: found while they type, shown, and counted when
//! they did not need to ask.

use crate::ports::{ArticleHit, ArticleSearchQuery};
use crate::{App, AppError};
use gastvrij_domain::kennisbank::{Article, ArticleStatus};

/// The sentence of a public answer that holds most words of the question (else the first),
/// shortened and HTML-escaped: the fragment under a suggested answer.
fn public_fragment(answer: &str, question: &str) -> String {
    let words: Vec<String> = question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    let sentences = answer.split_inclusive(['.', '?', '!', '\n']).map(str::trim).filter(|s| !s.is_empty());
    let score = |s: &str| {
        let s = s.to_lowercase();
        words.iter().filter(|w| s.contains(w.as_str())).count()
    };
    let mut best: Option<(&str, usize)> = None;
    for sentence in sentences {
        let n = score(sentence);
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((sentence, n));
        }
    }
    let sentence = best.map(|(s, _)| s).unwrap_or_default();
    let mut short: String = sentence.chars().take(200).collect();
    if sentence.chars().count() > 200 {
        short.push('…');
    }
    short
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

impl App {
    /// Search the public answers (status openbaar) while a citizen types.
    pub async fn search_public_answers(&self, text: &str, limit: usize) -> Result<Vec<ArticleHit>, AppError> {
        let text: String = text.chars().take(500).collect();
        if text.trim().chars().count() < 3 {
            return Ok(vec![]);
        }
        let index = self.search.as_ref().ok_or_else(|| AppError::Unavailable("the search index is not open".into()))?;
        let query = ArticleSearchQuery {
            text: &text,
            limit: limit.clamp(1, 10),
            prefix: true,
            topic: None,
            statuses: &["openbaar"],
            audience: None,
        };
        let hits = index.search(&query).map_err(AppError::Unexpected)?;
        // The index's fragment comes from the staff answer, which citizens must not read, and the
        // index may lag behind a status change: keep the hits that are openbaar now, each with a
        // fragment of its public answer.
        let mut public = Vec::with_capacity(hits.len());
        for mut hit in hits {
            let Some(article) = self.store.article_by_external_id(&hit.id).await? else { continue };
            let (ArticleStatus::Openbaar, Some(answer)) = (article.status, article.public_answer.as_deref()) else {
                continue;
            };
            hit.snippet = public_fragment(answer, &text);
            public.push(hit);
        }
        Ok(public)
    }

    /// A public answer by its id as search returns it; only published (openbaar) articles that
    /// have a public answer (the staff answer is never shown to citizens).
    pub async fn public_answer(&self, external_id: &str) -> Result<Article, AppError> {
        let article = self.store.article_by_external_id(external_id).await?.ok_or(AppError::NotFound("article"))?;
        if article.status != ArticleStatus::Openbaar || article.public_answer.is_none() {
            return Err(AppError::NotFound("article"));
        }
        Ok(article)
    }

    /// A citizen found the answer and did not send the question; `search`: the kept search that
    /// led to the answer (docs/kennisbank-learning.md), marked as used.
    pub async fn record_question_prevented(&self, external_id: &str, search: Option<&str>) -> Result<(), AppError> {
        let article = self.public_answer(external_id).await?;
        self.store.record_prevented_question(article.id, self.now()).await?;
        self.record_search_use(search, article.id).await;
        Ok(())
    }
}
