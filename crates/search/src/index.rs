//! The article index on tantivy. Fields hold analyzed terms separated by spaces (indexed with
//! tantivy's whitespace tokenizer), so all Dutch language handling lives in [`crate::analyzer`].

use crate::analyzer::{Analyzer, words};
use crate::snippet::snippet;
use crate::synonyms::{QueryWords, Synonyms};
use gastvrij_app::ports::{ArticleHit, ArticleSearch, ArticleSearchQuery};
use gastvrij_domain::kennisbank::Article;
use std::path::Path;
use std::sync::{Mutex, RwLock};
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// At most this many words of a query are searched (a 10,000-character query stays fast).
pub const MAX_QUERY_WORDS: usize = 32;
const WRITER_MEMORY: usize = 50_000_000;
/// The schema and analyzer version of an index on disk; bump it when either changes, and an
/// index built by another version is rebuilt from the database.
const FORMAT: &str = "3";
const FORMAT_FILE: &str = "gastvrij-format";

/// Why the index cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(
        "the search index in {0} is in use by another gastvrij process (the server?); stop it, or let the server keep the index current"
    )]
    Locked(String),
    #[error("the search index was opened read-only; changes go through the process that owns it (the server)")]
    ReadOnly,
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open the search index in {path}: {reason}")]
    Open { path: String, reason: String },
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    /// Analyzed terms of the whole article, each part repeated by its weight (see
    /// [`BODY_WEIGHTS`]): one BM25 over this field is BM25F. A word counts once however many
    /// parts it is in, saturates, and is weighed by how many articles have it anywhere.
    body: Field,
    /// Pairs of stems near each other in the title, the question or a keyword ("dijk|scheur"):
    /// a query whose words stand together in what an article is about scores more than one
    /// that has them apart (phrase proximity without positions).
    pairs: Field,
    /// Folded, unstemmed words of title, question and keywords: typos are matched against the
    /// words as written, since a misspelled word often stems differently.
    surface: Field,
    title_raw: Field,
    question_raw: Field,
    answer_raw: Field,
    status: Field,
    topic: Field,
    audience: Field,
}

/// How often each part of an article is repeated in the body field: the title, the question
/// and the keywords say what an article is about; the answer texts say much else besides.
/// Order: title, question, keywords, answer, public answer.
const BODY_WEIGHTS: [usize; 5] = [3, 3, 2, 1, 1];

/// Scores of expansions against an exact word (1.0): each is an alternative for its word, and
/// a word counts once, by its best alternative.
mod weight {
    /// One part of a compound (all found parts add up).
    pub const PART: f32 = 0.5;
    /// A known part of a misspelled or partly unknown compound.
    pub const TYPO_PART: f32 = 0.4;
    /// A verb form without its -t.
    pub const VERB_BASE: f32 = 0.7;
    /// A synonym from the editors' or the built-in list.
    pub const SYNONYM: f32 = 0.5;
    /// A typo match (constant score: a tantivy automaton does not weigh by rarity).
    pub const TYPO: f32 = 1.5;
    /// The last word as a prefix while typing (constant score).
    pub const PREFIX: f32 = 2.0;
    /// Two query words near each other in the title, the question or a keyword, on top of the
    /// words themselves.
    pub const PAIR: f32 = 1.0;
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("whitespace").set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        body: b.add_text_field("body", analyzed.clone()),
        pairs: b.add_text_field("pairs", analyzed.clone()),
        surface: b.add_text_field("surface", analyzed),
        title_raw: b.add_text_field("title_raw", STORED),
        question_raw: b.add_text_field("question_raw", STORED),
        answer_raw: b.add_text_field("answer_raw", STORED),
        status: b.add_text_field("status", STRING),
        topic: b.add_text_field("topic", STRING),
        audience: b.add_text_field("audience", STRING),
    };
    (b.build(), fields)
}

/// Pairs of stems at most [`PAIR_SPAN`] apart, each written in sorted order ("dijk|scheur" for
/// "scheur in de dijk" and "dijk met een scheur").
fn near_pairs(stems: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in stems.iter().enumerate() {
        for b in stems.iter().skip(i + 1).take(PAIR_SPAN) {
            if a != b {
                let (x, y) = if a < b { (a, b) } else { (b, a) };
                out.push(format!("{x}|{y}"));
            }
        }
    }
    out
}

/// How far apart (in words, stop words not counted) two words of a pair may be.
const PAIR_SPAN: usize = 2;

/// The kennisbank's search index.
pub struct ArticleIndex {
    reader: IndexReader,
    writer: Option<Mutex<IndexWriter>>,
    fields: Fields,
    analyzer: Analyzer,
    synonyms: RwLock<Synonyms>,
}

impl ArticleIndex {
    /// Open (or create) the index in `dir`, owning its writer. Fails with [`SearchError::Locked`]
    /// when another process owns it.
    pub fn open_in_dir(dir: &Path, analyzer: Analyzer) -> Result<Self, SearchError> {
        Self::open(dir, analyzer, true)
    }

    /// Open an existing index in `dir` for searching only (beside a server that owns it).
    pub fn open_read_only(dir: &Path, analyzer: Analyzer) -> Result<Self, SearchError> {
        Self::open(dir, analyzer, false)
    }

    fn open(dir: &Path, analyzer: Analyzer, write: bool) -> Result<Self, SearchError> {
        let shown = dir.display().to_string();
        let open_err = |reason: String| SearchError::Open { path: shown.clone(), reason };
        std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
        let format_file = dir.join(FORMAT_FILE);
        let format = std::fs::read_to_string(&format_file).unwrap_or_default();
        if format.trim() != FORMAT && dir.join("meta.json").exists() {
            // Built by another version: the index is derived, so it is emptied and rebuilt
            // from the database (the position file goes with it) — but never under a writer.
            if !write {
                return Err(open_err(
                    "it was built by another version of gastvrij; the server rebuilds it when it starts".into(),
                ));
            }
            let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| open_err(e.to_string()))?;
            let old = Index::open(directory).map_err(|e| open_err(e.to_string()))?;
            match old.writer::<TantivyDocument>(15_000_000) {
                Ok(w) => drop(w),
                Err(tantivy::TantivyError::LockFailure(..)) => return Err(SearchError::Locked(shown)),
                Err(e) => return Err(e.into()),
            }
            drop(old);
            for entry in std::fs::read_dir(dir).map_err(|e| open_err(e.to_string()))? {
                let path = entry.map_err(|e| open_err(e.to_string()))?.path();
                if path.is_file() {
                    std::fs::remove_file(&path).map_err(|e| open_err(e.to_string()))?;
                }
            }
        }
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| open_err(e.to_string()))?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(directory, schema).map_err(|e| open_err(e.to_string()))?;
        let opened = Self::with_index(index, fields, analyzer, write, &shown)?;
        if write && format.trim() != FORMAT {
            std::fs::write(&format_file, FORMAT).map_err(|e| open_err(e.to_string()))?;
        }
        Ok(opened)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory(analyzer: Analyzer) -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, analyzer, true, "memory")
    }

    fn with_index(
        index: Index,
        fields: Fields,
        analyzer: Analyzer,
        write: bool,
        shown: &str,
    ) -> Result<Self, SearchError> {
        let writer = if write {
            match index.writer(WRITER_MEMORY) {
                Ok(w) => Some(Mutex::new(w)),
                Err(tantivy::TantivyError::LockFailure(..)) => return Err(SearchError::Locked(shown.to_string())),
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let synonyms = RwLock::new(Synonyms::parse(&analyzer, include_str!("synonyms.txt").lines()));
        Ok(ArticleIndex { reader, writer, fields, analyzer, synonyms })
    }

    fn text(&self, text: &str) -> String {
        self.analyzer.terms(text).join(" ")
    }

    fn document(&self, a: &Article, topic_path: &str) -> TantivyDocument {
        let f = self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &a.external_id);
        let keywords = a.keywords.join(" ");
        let parts = [a.title.as_str(), &a.question, &keywords, &a.answer, a.public_answer.as_deref().unwrap_or("")];
        let mut body = String::new();
        for (text, times) in parts.into_iter().zip(BODY_WEIGHTS) {
            let terms = self.text(text);
            for _ in 0..times {
                body.push_str(&terms);
                body.push(' ');
            }
        }
        d.add_text(f.body, body);
        let mut pairs = String::new();
        for text in
            std::iter::once(a.title.as_str()).chain([a.question.as_str()]).chain(a.keywords.iter().map(String::as_str))
        {
            let stems: Vec<String> = self.analyzer.analyze(text).into_iter().map(|w| w.stem).collect();
            for pair in near_pairs(&stems) {
                pairs.push_str(&pair);
                pairs.push(' ');
            }
        }
        d.add_text(f.pairs, pairs);
        let surface = [a.title.as_str(), a.question.as_str(), &a.keywords.join(" ")].join(" ");
        d.add_text(f.surface, self.analyzer.surface(&surface));
        d.add_text(f.title_raw, &a.title);
        d.add_text(f.question_raw, &a.question);
        d.add_text(f.answer_raw, &a.answer);
        d.add_text(f.status, a.status.code());
        let mut path = String::new();
        for part in topic_path.split('/').filter(|p| !p.is_empty()) {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            d.add_text(f.topic, &path);
        }
        for s in &a.audience {
            d.add_text(f.audience, s.code());
        }
        d
    }

    fn write(&self, change: impl FnOnce(&mut IndexWriter, &Fields) -> tantivy::Result<()>) -> Result<(), SearchError> {
        let writer = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        let mut w = writer.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut w, &self.fields)?;
        w.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The number of indexed articles.
    pub fn count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Reload to see changes committed by the process that owns the writer.
    pub fn refresh(&self) -> Result<(), SearchError> {
        Ok(self.reader.reload()?)
    }

    fn exact(&self, stem: &str, boost: f32) -> Box<dyn Query> {
        let term = Term::from_field_text(self.fields.body, stem);
        Box::new(BoostQuery::new(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), boost))
    }

    fn filter(&self, field: Field, values: &[&str]) -> Box<dyn Query> {
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic))
                        as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))
    }

    /// Search: never fails on the query text; empty text finds nothing.
    pub fn search(&self, q: &ArticleSearchQuery<'_>) -> Result<Vec<ArticleHit>, SearchError> {
        let fields = self.fields;
        // Only the first words of a very long query are searched.
        let mut text_end = q.text.len();
        if let Some((i, _)) = q.text.char_indices().nth(2_000) {
            text_end = i;
        }
        let text = &q.text[..text_end];
        let analyzed: Vec<_> = self.analyzer.analyze(text).into_iter().take(MAX_QUERY_WORDS).collect();
        let ends_in_word = text.chars().last().is_some_and(char::is_alphanumeric);
        let last_raw = words(text).last().map(crate::analyzer::fold);
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let count = analyzed.len();
        let searcher = self.reader.searcher();
        // A word the index knows is spelled as the articles spell it: no typo tolerance needed.
        let known = |stem: &str| searcher.doc_freq(&Term::from_field_text(fields.body, stem)).is_ok_and(|n| n > 0);
        // A word found in a large share of all articles (of a large kennisbank) says little and
        // costs much: it is not searched as an expansion (the "water" of "waterschap"), nor as
        // one of four or more words when the query has a rarer one.
        let total = searcher.num_docs().max(1);
        let common = |term: &Term, expansion: bool| {
            expansion && total >= 1_000 && searcher.doc_freq(term).is_ok_and(|n| n * 5 > total)
        };
        let body = fields.body;
        let is_common: Vec<bool> =
            analyzed.iter().map(|w| common(&Term::from_field_text(body, &w.stem), true)).collect();
        let skip_common = count >= 4 && is_common.contains(&false);
        for (i, w) in analyzed.iter().enumerate() {
            let prefix = q.prefix && ends_in_word && i + 1 == count && last_raw.as_deref() == Some(w.folded.as_str());
            if skip_common && is_common[i] && !prefix {
                continue;
            }
            let fuzzy = !prefix && !known(&w.stem);
            let letters = w.folded.chars().count();
            // The alternatives for one word: the word itself, or else its best expansion.
            let mut alternatives: Vec<Box<dyn Query>> = vec![self.exact(&w.stem, 1.0)];
            if prefix && letters >= 2 {
                // Stems spell "ij" as "ei" (see Analyzer::stem); a prefix must too.
                let start = w.folded.replace("ij", "ei");
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(body, &start), 0, false);
                alternatives.push(Box::new(BoostQuery::new(Box::new(q), weight::PREFIX)));
            }
            if fuzzy && letters >= 5 {
                // Typos: tolerance grows with the word's length.
                let distance = if letters >= 9 { 2 } else { 1 };
                for (field, text) in [(body, w.stem.as_str()), (fields.surface, w.folded.as_str())] {
                    let q = FuzzyTermQuery::new(Term::from_field_text(field, text), distance, true);
                    alternatives.push(Box::new(BoostQuery::new(Box::new(q), weight::TYPO)));
                }
            }
            let mut parts = |parts: &mut dyn Iterator<Item = String>, boost: f32| {
                let found: Vec<(Occur, Box<dyn Query>)> = parts
                    .filter(|p| !common(&Term::from_field_text(body, p), true))
                    .map(|p| (Occur::Should, self.exact(&p, boost)))
                    .collect();
                if !found.is_empty() {
                    alternatives.push(Box::new(BooleanQuery::new(found)));
                }
            };
            parts(&mut w.parts.iter().cloned(), weight::PART);
            if fuzzy && w.parts.is_empty() {
                let mut split = self.analyzer.split_with_typo(&w.folded);
                if split.is_empty() {
                    split = self.analyzer.split_partial(&w.folded);
                }
                parts(&mut split.into_iter().map(|p| self.analyzer.stem(&p)), weight::TYPO_PART);
            }
            // Verb forms: "lekt", "stinkt", "loopt" are the stem plus -t; the articles often
            // use another form ("lekken"), so the stem without the -t is searched as well.
            if let Some(base) = w.folded.strip_suffix('t').filter(|b| b.chars().count() >= 3 && !prefix)
                && let base = self.analyzer.stem(base)
                && base != w.stem
                && known(&base)
            {
                alternatives.push(self.exact(&base, weight::VERB_BASE));
            }
            let group: Box<dyn Query> = if alternatives.len() == 1 {
                alternatives.pop().expect("one alternative")
            } else {
                Box::new(DisjunctionMaxQuery::new(alternatives))
            };
            groups.push((Occur::Should, group));
        }
        let synonyms =
            self.synonyms.read().unwrap_or_else(|p| p.into_inner()).expand(&QueryWords::new(&self.analyzer, text));
        for s in &synonyms {
            if !common(&Term::from_field_text(body, s), true) {
                groups.push((Occur::Should, self.exact(s, weight::SYNONYM)));
            }
        }
        let stems: Vec<String> = analyzed.iter().map(|w| w.stem.clone()).collect();
        for pair in near_pairs(&stems) {
            let term = Term::from_field_text(fields.pairs, &pair);
            let q = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            groups.push((Occur::Should, Box::new(BoostQuery::new(q, weight::PAIR))));
        }
        if groups.is_empty() {
            return Ok(vec![]);
        }
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(groups)))];
        if !q.statuses.is_empty() {
            must.push((Occur::Must, self.filter(fields.status, q.statuses)));
        }
        if let Some(topic) = q.topic {
            must.push((Occur::Must, self.filter(fields.topic, &[topic])));
        }
        if let Some(audience) = q.audience {
            must.push((Occur::Must, self.filter(fields.audience, &[audience])));
        }
        let query = BooleanQuery::new(must);
        let top = searcher.search(&query, &TopDocs::with_limit(q.limit.clamp(1, 100)).order_by_score())?;
        let mut terms: Vec<String> =
            analyzed.iter().flat_map(|w| std::iter::once(w.stem.clone()).chain(w.parts.iter().cloned())).collect();
        terms.extend(synonyms);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let answer = get(fields.answer_raw);
            let question = get(fields.question_raw);
            let prefix_word = if q.prefix && ends_in_word { last_raw.as_deref() } else { None };
            hits.push(ArticleHit {
                id: get(fields.id),
                title: get(fields.title_raw),
                score,
                snippet: snippet(&self.analyzer, &format!("{question}\n{answer}"), &terms, prefix_word),
            });
        }
        Ok(hits)
    }
}

impl ArticleSearch for ArticleIndex {
    fn search(&self, query: &ArticleSearchQuery<'_>) -> anyhow::Result<Vec<ArticleHit>> {
        Ok(ArticleIndex::search(self, query)?)
    }

    fn key_terms(&self, text: &str) -> Vec<String> {
        self.analyzer.analyze(text).into_iter().map(|w| w.stem).collect()
    }

    fn upsert(&self, articles: &[(Article, String)]) -> anyhow::Result<()> {
        if articles.is_empty() {
            return Ok(());
        }
        let docs: Vec<(String, TantivyDocument)> =
            articles.iter().map(|(a, path)| (a.external_id.clone(), self.document(a, path))).collect();
        Ok(self.write(|w, f| {
            for (id, doc) in docs {
                w.delete_term(Term::from_field_text(f.id, &id));
                w.add_document(doc)?;
            }
            Ok(())
        })?)
    }

    fn delete(&self, external_ids: &[String]) -> anyhow::Result<()> {
        if external_ids.is_empty() {
            return Ok(());
        }
        Ok(self.write(|w, f| {
            for id in external_ids {
                w.delete_term(Term::from_field_text(f.id, id));
            }
            Ok(())
        })?)
    }

    fn rebuild(&self, articles: &mut dyn Iterator<Item = (Article, String)>) -> anyhow::Result<u64> {
        let docs: Vec<TantivyDocument> = articles.map(|(a, path)| self.document(&a, &path)).collect();
        let n = docs.len() as u64;
        self.write(|w, _| {
            w.delete_all_documents()?;
            for d in docs {
                w.add_document(d)?;
            }
            Ok(())
        })?;
        Ok(n)
    }

    fn set_synonyms(&self, rules: &[String]) -> anyhow::Result<()> {
        let defaults = include_str!("synonyms.txt").lines();
        let parsed = Synonyms::parse(&self.analyzer, defaults.chain(rules.iter().map(String::as_str)));
        *self.synonyms.write().unwrap_or_else(|p| p.into_inner()) = parsed;
        Ok(())
    }

    fn len(&self) -> u64 {
        self.count()
    }
}
