//! The article index on tantivy. Fields hold analyzed terms separated by spaces (indexed with
//! tantivy's whitespace tokenizer), so all Dutch language handling lives in [`crate::analyzer`].

use crate::analyzer::{Analyzer, words};
use crate::snippet::snippet;
use crate::synonyms::Synonyms;
use gastvrij_app::ports::{ArticleHit, ArticleSearch, ArticleSearchQuery};
use gastvrij_domain::kennisbank::Article;
use std::path::Path;
use std::sync::{Mutex, RwLock};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// At most this many words of a query are searched (a 10,000-character query stays fast).
pub const MAX_QUERY_WORDS: usize = 32;
const WRITER_MEMORY: usize = 50_000_000;
/// The schema and analyzer version of an index on disk; bump it when either changes, and an
/// index built by another version is rebuilt from the database.
const FORMAT: &str = "2";
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
    title: Field,
    question: Field,
    keywords: Field,
    answer: Field,
    public_answer: Field,
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

/// Field boosts: the question, the title and the keywords say what an article is about.
const BOOSTS: [(usize, f32); 5] = [(0, 3.0), (1, 2.5), (2, 2.5), (3, 1.0), (4, 0.8)];

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("whitespace").set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", analyzed.clone()),
        question: b.add_text_field("question", analyzed.clone()),
        keywords: b.add_text_field("keywords", analyzed.clone()),
        answer: b.add_text_field("answer", analyzed.clone()),
        public_answer: b.add_text_field("public_answer", analyzed.clone()),
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
        d.add_text(f.title, self.text(&a.title));
        d.add_text(f.question, self.text(&a.question));
        d.add_text(f.keywords, self.text(&a.keywords.join(" ")));
        d.add_text(f.answer, self.text(&a.answer));
        d.add_text(f.public_answer, self.text(a.public_answer.as_deref().unwrap_or("")));
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

    fn word_query(
        &self,
        common: &dyn Fn(&Term, bool) -> bool,
        stem: &str,
        folded: &str,
        fuzzy: bool,
        prefix: bool,
        weight: f32,
    ) -> Box<dyn Query> {
        let fields = &self.fields;
        let targets = [fields.title, fields.question, fields.keywords, fields.answer, fields.public_answer];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, boost) in BOOSTS {
            // Expansions (compound parts, synonyms, other forms) look at what an article is
            // about — title, question, keywords — and not through the long answer texts.
            if weight < 1.0 && i >= 4 {
                continue;
            }
            let term = Term::from_field_text(targets[i], stem);
            // A common word costs much and says little: skipped as an expansion (the "water" of
            // "waterschap"), and in the answers when the query has other words.
            if (weight < 1.0 || i >= 3) && common(&term, weight < 1.0) {
                continue;
            }
            let exact: Box<dyn Query> = Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(exact, boost * weight))));
            // Typos: tolerance grows with the word's length; scored below exact matches.
            let letters = folded.chars().count();
            if fuzzy && letters >= 5 && i < 3 {
                let distance = if letters >= 9 { 2 } else { 1 };
                let q: Box<dyn Query> = Box::new(FuzzyTermQuery::new(term, distance, true));
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost * weight * 0.4))));
            }
            if prefix && letters >= 2 && i < 4 {
                // Stems spell "ij" as "ei" (see Analyzer::stem); a prefix must too.
                let start = folded.replace("ij", "ei");
                let q: Box<dyn Query> =
                    Box::new(FuzzyTermQuery::new_prefix(Term::from_field_text(targets[i], &start), 0, false));
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost * weight * 0.7))));
            }
        }
        let letters = folded.chars().count();
        if fuzzy && letters >= 5 {
            let distance = if letters >= 9 { 2 } else { 1 };
            let q: Box<dyn Query> =
                Box::new(FuzzyTermQuery::new(Term::from_field_text(fields.surface, folded), distance, true));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(q, 2.5 * weight * 0.4))));
        }
        Box::new(BooleanQuery::new(clauses))
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
        let targets = [fields.title, fields.question, fields.keywords, fields.answer, fields.public_answer];
        // A word the index knows is spelled as the articles spell it: no typo tolerance needed.
        let known = |stem: &str| {
            targets.iter().any(|f| searcher.doc_freq(&Term::from_field_text(*f, stem)).is_ok_and(|n| n > 0))
        };
        // In a long query, a word found in the answers of a large share of all articles says
        // little and costs much: it is matched in titles, questions and keywords only.
        let total = searcher.num_docs().max(1);
        let long = count >= 4;
        let common = |term: &Term, expansion: bool| {
            (long || expansion) && total >= 1_000 && searcher.doc_freq(term).is_ok_and(|n| n * 5 > total)
        };
        for (i, w) in analyzed.iter().enumerate() {
            let prefix = q.prefix && ends_in_word && i + 1 == count && last_raw.as_deref() == Some(w.folded.as_str());
            let fuzzy = !prefix && !known(&w.stem);
            let mut variants: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, self.word_query(&common, &w.stem, &w.folded, fuzzy, prefix, 1.0))];
            for part in &w.parts {
                variants.push((Occur::Should, self.word_query(&common, part, part, false, false, 0.5)));
            }
            if fuzzy && w.parts.is_empty() {
                for part in self.analyzer.split_with_typo(&w.folded) {
                    let part = self.analyzer.stem(&part);
                    variants.push((Occur::Should, self.word_query(&common, &part, &part, false, false, 0.4)));
                }
            }
            // Verb forms: "lekt", "stinkt", "loopt" are the stem plus -t; the articles often
            // use another form ("lekken"), so the stem without the -t is searched as well.
            if let Some(base) = w.folded.strip_suffix('t').filter(|b| b.chars().count() >= 3 && !prefix)
                && let base = self.analyzer.stem(base)
                && base != w.stem
                && known(&base)
            {
                variants.push((Occur::Should, self.word_query(&common, &base, &base, false, false, 0.9)));
            }
            groups.push((Occur::Should, Box::new(BooleanQuery::new(variants))));
        }
        let stems: Vec<String> = analyzed.iter().map(|w| w.stem.clone()).collect();
        let synonyms = self.synonyms.read().unwrap_or_else(|p| p.into_inner()).expand(&stems);
        for s in &synonyms {
            groups.push((Occur::Should, self.word_query(&common, s, s, false, false, 0.8)));
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
