//! The kennisbank search index: tantivy with a Dutch analyzer. No external search engine: the
//! index lives in the data dir, is derived from the database, and is rebuilt with
//! `gastvrij reindex`.

mod analyzer;
mod index;
mod snippet;
mod synonyms;

pub use analyzer::{Analyzer, fold};
pub use index::{ArticleIndex, MAX_QUERY_WORDS, SearchError};
pub use synonyms::Synonyms;

/// The built-in word list for compounds and the Dutch stop words.
pub fn default_analyzer() -> Analyzer {
    Analyzer::new(include_str!("words.txt"), include_str!("stopwords.txt"))
}
