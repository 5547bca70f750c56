//! `gastvrij bench kennisbank`: relevance and latency of the kennisbank search on the labelled
//! set, beside SQLite FTS5 and PostgreSQL full-text search (`dutch`), and latency at 100,000
//! articles.

use anyhow::Context;
use gastvrij_app::kennisbank::ArticleLine;
use gastvrij_app::ports::{ArticleSearch, ArticleSearchQuery};
use gastvrij_domain::kennisbank::{Article, ArticleInput, ArticleStatus};
use gastvrij_search::{ArticleIndex, default_analyzer};
use std::path::Path;
use std::time::{Duration, Instant};

struct Labelled {
    query: String,
    expected: Vec<String>,
}

struct Outcome {
    ranked: Vec<String>,
    top_score: Option<f64>,
    took: Duration,
}

fn load(set: &Path) -> anyhow::Result<(Vec<ArticleLine>, Vec<Labelled>)> {
    let read = |name: &str| {
        std::fs::read_to_string(set.join(name)).with_context(|| format!("reading {}/{name}", set.display()))
    };
    let articles = read("articles.jsonl")?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<Vec<ArticleLine>, _>>()?;
    let mut queries = vec![];
    for line in read("queries.jsonl")?.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        queries.push(Labelled {
            query: v["query"].as_str().unwrap_or_default().to_string(),
            expected: v["expected"]
                .as_array()
                .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
        });
    }
    Ok((articles, queries))
}

fn article(line: &ArticleLine) -> anyhow::Result<(Article, String)> {
    let mut a = Article::create(
        ArticleInput {
            external_id: Some(line.id.clone()),
            title: line.title.clone(),
            question: line.question.clone(),
            answer: line.answer.clone(),
            public_answer: line.public_answer.clone(),
            keywords: line.keywords.clone(),
            ..Default::default()
        },
        jiff::Timestamp::UNIX_EPOCH,
    )?;
    a.status = ArticleStatus::Intern;
    Ok((a, line.topic.clone().unwrap_or_default()))
}

/// Words of a query, as a plain OR-query for the SQL baselines.
fn plain_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() > 1).map(str::to_lowercase).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

struct Row3 {
    name: &'static str,
    recall1: f64,
    recall5: f64,
    mrr: f64,
    answered_top: f64,
    unanswered_top: f64,
    p50: Duration,
    p99: Duration,
}

fn score(name: &'static str, queries: &[Labelled], outcomes: &[Outcome]) -> Row3 {
    let (mut r1, mut r5, mut mrr, mut n) = (0.0, 0.0, 0.0, 0.0);
    let (mut answered, mut unanswered) = (vec![], vec![]);
    for (q, o) in queries.iter().zip(outcomes) {
        if q.expected.is_empty() {
            unanswered.push(o.top_score.unwrap_or(0.0));
            continue;
        }
        answered.push(o.top_score.unwrap_or(0.0));
        n += 1.0;
        let rank = o.ranked.iter().position(|id| q.expected.contains(id));
        if rank == Some(0) {
            r1 += 1.0;
        }
        if rank.is_some_and(|r| r < 5) {
            r5 += 1.0;
        }
        if let Some(r) = rank {
            mrr += 1.0 / (r as f64 + 1.0);
        }
    }
    let mut took: Vec<Duration> = outcomes.iter().map(|o| o.took).collect();
    took.sort();
    Row3 {
        name,
        recall1: r1 / n,
        recall5: r5 / n,
        mrr: mrr / n,
        answered_top: median(answered),
        unanswered_top: median(unanswered),
        p50: percentile(&took, 0.5),
        p99: percentile(&took, 0.99),
    }
}

fn query(text: &str, prefix: bool) -> ArticleSearchQuery<'_> {
    ArticleSearchQuery { text, limit: 10, prefix, topic: None, statuses: &["intern", "openbaar"], audience: None }
}

impl Outcome {
    /// The outcome of one query from its hits, best first, as (id, score).
    fn new(hits: Vec<(String, f64)>, took: Duration) -> Self {
        Outcome { top_score: hits.first().map(|(_, s)| *s), ranked: hits.into_iter().map(|(id, _)| id).collect(), took }
    }
}

fn run_gastvrij(index: &ArticleIndex, queries: &[Labelled]) -> anyhow::Result<Vec<Outcome>> {
    let mut out = vec![];
    for q in queries {
        let started = Instant::now();
        let hits = ArticleSearch::search(index, &query(&q.query, false))?;
        let took = started.elapsed();
        out.push(Outcome::new(hits.into_iter().map(|h| (h.id, f64::from(h.score))).collect(), took));
    }
    Ok(out)
}

/// An article's indexed fields, in the order both engines' INSERTs bind them (`$1` to `$5`).
fn fields(a: &ArticleLine) -> [String; 5] {
    [a.id.clone(), a.title.clone(), a.question.clone(), a.keywords.join(" "), a.answer.clone()]
}

/// Time each query through a database's full-text `search`, given the query's plain words
/// (a query without any finds nothing and is not sent), which answers ids and scores, best
/// first.
async fn run_sql<F, Fut>(queries: &[Labelled], mut search: F) -> anyhow::Result<Vec<Outcome>>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<(String, f64)>, sqlx::Error>>,
{
    let mut out = vec![];
    for q in queries {
        let words = plain_words(&q.query);
        let started = Instant::now();
        let hits = if words.is_empty() { vec![] } else { search(words).await? };
        out.push(Outcome::new(hits, started.elapsed()));
    }
    Ok(out)
}

async fn run_fts5(articles: &[ArticleLine], queries: &[Labelled]) -> anyhow::Result<Vec<Outcome>> {
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await?;
    sqlx::query("CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, question, keywords, answer, tokenize = 'unicode61 remove_diacritics 2')")
        .execute(&pool)
        .await?;
    for a in articles {
        let mut insert =
            sqlx::query("INSERT INTO a (id, title, question, keywords, answer) VALUES ($1, $2, $3, $4, $5)");
        for f in fields(a) {
            insert = insert.bind(f);
        }
        insert.execute(&pool).await?;
    }
    let pool = &pool;
    run_sql(queries, |words| async move {
        let expr = words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" OR ");
        sqlx::query_as(
            "SELECT id, -bm25(a, 0.0, 3.0, 2.5, 2.5, 1.0) AS s FROM a WHERE a MATCH $1 ORDER BY s DESC LIMIT 10",
        )
        .bind(expr)
        .fetch_all(pool)
        .await
    })
    .await
}

async fn run_postgres(url: &str, articles: &[ArticleLine], queries: &[Labelled]) -> anyhow::Result<Vec<Outcome>> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .context("connecting to PostgreSQL")?;
    sqlx::query("CREATE TEMPORARY TABLE kb_bench (id TEXT, v TSVECTOR)").execute(&pool).await?;
    for a in articles {
        let mut insert = sqlx::query(
            "INSERT INTO kb_bench (id, v) VALUES ($1, setweight(to_tsvector('dutch', $2), 'A') || setweight(to_tsvector('dutch', $3), 'A') \
             || setweight(to_tsvector('dutch', $4), 'B') || setweight(to_tsvector('dutch', $5), 'C'))",
        );
        for f in fields(a) {
            insert = insert.bind(f);
        }
        insert.execute(&pool).await?;
    }
    sqlx::query("CREATE INDEX ON kb_bench USING GIN (v)").execute(&pool).await?;
    let pool = &pool;
    run_sql(queries, |words| async move {
        sqlx::query_as(
            "SELECT id, ts_rank(v, q)::float8 AS s FROM kb_bench, to_tsquery('dutch', $1) q WHERE v @@ q ORDER BY s DESC LIMIT 10",
        )
        .bind(words.join(" | "))
        .fetch_all(pool)
        .await
    })
    .await
}

/// Deterministic synthetic articles recombined from the labelled ones.
fn synthetic(articles: &[ArticleLine], n: usize) -> Vec<(Article, String)> {
    let sentences: Vec<&str> = articles.iter().flat_map(|a| a.answer.split_inclusive('.')).collect();
    let words: Vec<&str> = articles.iter().flat_map(|a| a.question.split_whitespace()).collect();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let base = &articles[next(articles.len())];
            let title = format!("{} {}", base.title, words[next(words.len())]);
            let answer: String = (0..3).map(|_| sentences[next(sentences.len())]).collect::<Vec<_>>().join(" ");
            let line = ArticleLine { id: format!("SYN-{i:06}"), title, answer, ..base.clone() };
            article(&line).expect("synthetic articles are valid")
        })
        .collect()
}

pub async fn run(set: &Path, postgres: Option<&str>, scale_docs: usize, show_misses: bool) -> anyhow::Result<()> {
    let (lines, queries) = load(set)?;
    let articles: Vec<(Article, String)> = lines.iter().map(article).collect::<anyhow::Result<_>>()?;
    let answered = queries.iter().filter(|q| !q.expected.is_empty()).count();
    println!(
        "labelled set: {} articles, {} queries ({answered} with an answer, {} without)\n",
        lines.len(),
        queries.len(),
        queries.len() - answered
    );

    let index = ArticleIndex::in_memory(default_analyzer())?;
    ArticleSearch::rebuild(&index, &mut articles.clone().into_iter())?;
    let ours = run_gastvrij(&index, &queries)?;
    if show_misses {
        for (q, o) in queries.iter().zip(&ours) {
            if !q.expected.is_empty() && !o.ranked.iter().take(5).any(|id| q.expected.contains(id)) {
                println!(
                    "miss: {:?} expected {:?}, got {:?}",
                    q.query,
                    q.expected,
                    o.ranked.iter().take(3).collect::<Vec<_>>()
                );
            }
        }
    }
    let mut rows = vec![score("Gastvrij", &queries, &ours)];
    rows.push(score("SQLite FTS5", &queries, &run_fts5(&lines, &queries).await?));
    match postgres {
        Some(url) => rows.push(score("PostgreSQL dutch", &queries, &run_postgres(url, &lines, &queries).await?)),
        None => println!("(PostgreSQL skipped: pass --postgres URL)"),
    }
    println!(
        "{:<18} {:>9} {:>9} {:>7} {:>14} {:>14} {:>9} {:>9}",
        "engine", "recall@1", "recall@5", "MRR", "top score ans.", "top score none", "p50", "p99"
    );
    for r in &rows {
        println!(
            "{:<18} {:>9.3} {:>9.3} {:>7.3} {:>14.2} {:>14.2} {:>7.2}ms {:>7.2}ms",
            r.name,
            r.recall1,
            r.recall5,
            r.mrr,
            r.answered_top,
            r.unanswered_top,
            r.p50.as_secs_f64() * 1000.0,
            r.p99.as_secs_f64() * 1000.0
        );
    }
    println!(
        "goal: recall@5 ≥ 0.900 (Gastvrij {:.3}, {:.2}× the goal); no-answer queries score visibly lower",
        rows[0].recall5,
        rows[0].recall5 / 0.9
    );
    for r in &rows[1..] {
        println!(
            "Gastvrij vs {}: recall@5 {:.2}×, MRR {:.2}×",
            r.name,
            rows[0].recall5 / r.recall5.max(1e-9),
            rows[0].mrr / r.mrr.max(1e-9)
        );
    }

    println!("\nat scale: {scale_docs} generated articles, single-threaded");
    let dir = std::env::temp_dir().join(format!("gastvrij_bench_index_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let big = ArticleIndex::open_in_dir(&dir, default_analyzer())?;
    let docs = synthetic(&lines, scale_docs);
    let started = Instant::now();
    let mut all = docs.into_iter().chain(articles);
    let n = ArticleSearch::rebuild(&big, &mut all)?;
    let build = started.elapsed();
    println!(
        "index build: {n} articles in {:.1}s = {:.0} articles/s",
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64()
    );
    let mut full = vec![];
    let mut prefix = vec![];
    for round in 0..3 {
        for q in &queries {
            let started = Instant::now();
            ArticleSearch::search(&big, &query(&q.query, false))?;
            if round > 0 {
                full.push(started.elapsed());
            }
            // As you type: the query cut off halfway its last word.
            let cut = q.query.char_indices().rev().find(|(_, c)| c.is_whitespace()).map(|(i, _)| i + 1).unwrap_or(0);
            let last_len = q.query[cut..].chars().count();
            let keep = cut
                + q.query[cut..]
                    .char_indices()
                    .nth(last_len.div_ceil(2))
                    .map(|(i, _)| i)
                    .unwrap_or(q.query.len() - cut);
            let typed = &q.query[..keep];
            let started = Instant::now();
            ArticleSearch::search(&big, &query(typed, true))?;
            if round > 0 {
                prefix.push(started.elapsed());
            }
        }
    }
    full.sort();
    prefix.sort();
    println!("{:<16} {:>9} {:>9} {:>12} {:>8}", "query", "p50", "p99", "goal p99", "ratio");
    for (name, v, goal) in [("full", &full, 5.0), ("as-you-type", &prefix, 10.0)] {
        let p99 = percentile(v, 0.99).as_secs_f64() * 1000.0;
        println!(
            "{name:<16} {:>7.2}ms {:>7.2}ms {:>10.1}ms {:>7.2}×",
            percentile(v, 0.5).as_secs_f64() * 1000.0,
            p99,
            goal,
            goal / p99
        );
    }
    drop(big);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
