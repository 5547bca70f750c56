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
    /// In the held-out part (`"split": "heldout"`), never used to tune the engine.
    heldout: bool,
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
            heldout: v["split"] == "heldout",
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

/// A query as typed so far: cut off halfway its last word.
fn as_typed(q: &str) -> &str {
    let cut = q.char_indices().rev().find(|(_, c)| c.is_whitespace()).map(|(i, _)| i + 1).unwrap_or(0);
    let last_len = q[cut..].chars().count();
    let keep = cut + q[cut..].char_indices().nth(last_len.div_ceil(2)).map(|(i, _)| i).unwrap_or(q.len() - cut);
    &q[..keep]
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

fn score(name: &'static str, queries: &[&Labelled], outcomes: &[Outcome]) -> Row3 {
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

fn search_gastvrij(index: &ArticleIndex, text: &str, prefix: bool) -> anyhow::Result<Vec<(String, f64)>> {
    let hits = ArticleSearch::search(index, &query(text, prefix))?;
    Ok(hits.into_iter().map(|h| (h.id, f64::from(h.score))).collect())
}

/// An article's indexed fields, in the order both engines' INSERTs bind them (`$1` to `$5`).
fn fields(a: &ArticleLine) -> [String; 5] {
    [a.id.clone(), a.title.clone(), a.question.clone(), a.keywords.join(" "), a.answer.clone()]
}

/// One of the SQL full-text baselines, loaded with a corpus.
enum Baseline {
    Fts5(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Baseline {
    /// SQLite FTS5 with `unicode61 remove_diacritics 2`, in memory.
    async fn fts5(articles: &[ArticleLine]) -> anyhow::Result<Self> {
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await?;
        sqlx::query("CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, question, keywords, answer, tokenize = 'unicode61 remove_diacritics 2')")
            .execute(&pool)
            .await?;
        let mut tx = pool.begin().await?;
        for a in articles {
            let mut insert =
                sqlx::query("INSERT INTO a (id, title, question, keywords, answer) VALUES ($1, $2, $3, $4, $5)");
            for f in fields(a) {
                insert = insert.bind(f);
            }
            insert.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(Baseline::Fts5(pool))
    }

    /// PostgreSQL `to_tsvector('dutch', …)` weighted A/A/B/C in a temporary table with a GIN
    /// index.
    async fn postgres(url: &str, articles: &[ArticleLine]) -> anyhow::Result<Self> {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        sqlx::query("CREATE TEMPORARY TABLE kb_bench (id TEXT, v TSVECTOR)").execute(&pool).await?;
        for chunk in articles.chunks(5_000) {
            let mut columns: [Vec<String>; 5] = Default::default();
            for a in chunk {
                for (column, f) in columns.iter_mut().zip(fields(a)) {
                    column.push(f);
                }
            }
            let mut insert = sqlx::query(
                "INSERT INTO kb_bench (id, v) SELECT i, setweight(to_tsvector('dutch', t), 'A') || setweight(to_tsvector('dutch', q), 'A') \
                 || setweight(to_tsvector('dutch', k), 'B') || setweight(to_tsvector('dutch', a), 'C') \
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(i, t, q, k, a)",
            );
            for column in columns {
                insert = insert.bind(column);
            }
            insert.execute(&pool).await?;
        }
        sqlx::query("CREATE INDEX ON kb_bench USING GIN (v)").execute(&pool).await?;
        sqlx::query("ANALYZE kb_bench").execute(&pool).await?;
        Ok(Baseline::Postgres(pool))
    }

    /// The top 10 (id, score) for a query's plain words OR-ed; as you type, the last word is a
    /// prefix. A query without words finds nothing and is not sent.
    async fn search(&self, text: &str, prefix: bool) -> anyhow::Result<Vec<(String, f64)>> {
        let words = plain_words(text);
        if words.is_empty() {
            return Ok(vec![]);
        }
        let last_is_prefix = prefix && text.chars().last().is_some_and(char::is_alphanumeric);
        // The words OR-ed, each quoted; as you type, the last one marked as a prefix.
        let or = |quote: char, prefix_mark: &str, separator: &str| {
            let n = words.len();
            let quoted = words.iter().enumerate().map(|(i, w)| {
                let mark = if last_is_prefix && i + 1 == n { prefix_mark } else { "" };
                format!("{quote}{w}{quote}{mark}")
            });
            quoted.collect::<Vec<_>>().join(separator)
        };
        Ok(match self {
            // Field weights: title 3, question 3, keywords 2, answer 1.
            Baseline::Fts5(pool) => {
                sqlx::query_as(
                    "SELECT id, -bm25(a, 0.0, 3.0, 3.0, 2.0, 1.0) AS s FROM a WHERE a MATCH $1 ORDER BY s DESC LIMIT 10",
                )
                .bind(or('"', "*", " OR "))
                .fetch_all(pool)
                .await?
            }
            Baseline::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT id, ts_rank(v, q)::float8 AS s FROM kb_bench, to_tsquery('dutch', $1) q WHERE v @@ q ORDER BY s DESC LIMIT 10",
                )
                .bind(or('\'', ":*", " | "))
                .fetch_all(pool)
                .await?
            }
        })
    }

    async fn run(&self, queries: &[&Labelled]) -> anyhow::Result<Vec<Outcome>> {
        let mut out = vec![];
        for q in queries {
            let started = Instant::now();
            let hits = self.search(&q.query, false).await?;
            out.push(Outcome::new(hits, started.elapsed()));
        }
        Ok(out)
    }
}

/// Deterministic synthetic articles recombined from the labelled ones.
fn synthetic(articles: &[ArticleLine], n: usize) -> Vec<ArticleLine> {
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
            ArticleLine { id: format!("SYN-{i:06}"), title, answer, ..base.clone() }
        })
        .collect()
}

/// Latency of full and as-you-type queries (the second and third of three rounds).
struct Latency {
    full: Vec<Duration>,
    typed: Vec<Duration>,
}

impl Latency {
    async fn measure<F, Fut>(queries: &[Labelled], mut search: F) -> anyhow::Result<Self>
    where
        F: FnMut(String, bool) -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<Vec<(String, f64)>>>,
    {
        let (mut full, mut typed) = (vec![], vec![]);
        for round in 0..3 {
            for q in queries {
                let started = Instant::now();
                search(q.query.clone(), false).await?;
                let took = started.elapsed();
                let started = Instant::now();
                search(as_typed(&q.query).to_string(), true).await?;
                if round > 0 {
                    full.push(took);
                    typed.push(started.elapsed());
                }
            }
        }
        full.sort();
        typed.sort();
        Ok(Latency { full, typed })
    }
}

fn print_relevance(part: &str, rows: &[Row3]) {
    println!(
        "{part}\n{:<18} {:>9} {:>7} {:>9} {:>14} {:>14} {:>9} {:>9}",
        "engine", "recall@1", "MRR", "recall@5", "top score ans.", "top score none", "p50", "p99"
    );
    for r in rows {
        println!(
            "{:<18} {:>9.3} {:>7.3} {:>9.3} {:>14.2} {:>14.2} {:>7.2}ms {:>7.2}ms",
            r.name,
            r.recall1,
            r.mrr,
            r.recall5,
            r.answered_top,
            r.unanswered_top,
            r.p50.as_secs_f64() * 1000.0,
            r.p99.as_secs_f64() * 1000.0
        );
    }
    for r in &rows[1..] {
        println!(
            "Gastvrij vs {}: recall@1 {:+.3}, MRR {:+.3}, recall@5 {:+.3}",
            r.name,
            rows[0].recall1 - r.recall1,
            rows[0].mrr - r.mrr,
            rows[0].recall5 - r.recall5
        );
    }
    println!();
}

pub async fn run(set: &Path, postgres: Option<&str>, scale_docs: usize, show_misses: bool) -> anyhow::Result<()> {
    let (lines, queries) = load(set)?;
    let articles: Vec<(Article, String)> = lines.iter().map(article).collect::<anyhow::Result<_>>()?;
    let answered = queries.iter().filter(|q| !q.expected.is_empty()).count();
    let heldout = queries.iter().filter(|q| q.heldout).count();
    println!(
        "labelled set: {} articles, {} queries ({answered} with an answer, {} without; {heldout} held out)\n",
        lines.len(),
        queries.len(),
        queries.len() - answered
    );

    let index = ArticleIndex::in_memory(default_analyzer())?;
    ArticleSearch::rebuild(&index, &mut articles.clone().into_iter())?;
    let fts5 = Baseline::fts5(&lines).await?;
    let pg = match postgres {
        Some(url) => Some(Baseline::postgres(url, &lines).await?),
        None => {
            println!("(PostgreSQL skipped: pass --postgres URL)\n");
            None
        }
    };
    for (part, held) in [("tuning part", false), ("held-out part (never tuned on)", true)] {
        let part_queries: Vec<&Labelled> = queries.iter().filter(|q| q.heldout == held).collect();
        let mut ours = vec![];
        for q in &part_queries {
            let started = Instant::now();
            let hits = search_gastvrij(&index, &q.query, false)?;
            ours.push(Outcome::new(hits, started.elapsed()));
        }
        if show_misses && !held {
            for (q, o) in part_queries.iter().zip(&ours) {
                if !q.expected.is_empty() && o.ranked.first().is_none_or(|id| !q.expected.contains(id)) {
                    println!(
                        "not first: {:?} expected {:?}, got {:?}",
                        q.query,
                        q.expected,
                        o.ranked.iter().take(3).collect::<Vec<_>>()
                    );
                }
            }
        }
        let mut rows = vec![score("Gastvrij", &part_queries, &ours)];
        rows.push(score("SQLite FTS5", &part_queries, &fts5.run(&part_queries).await?));
        if let Some(pg) = &pg {
            rows.push(score("PostgreSQL dutch", &part_queries, &pg.run(&part_queries).await?));
        }
        print_relevance(part, &rows);
    }

    println!("at scale: {scale_docs} generated articles and the labelled ones, single-threaded");
    let dir = std::env::temp_dir().join(format!("gastvrij_bench_index_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let big = ArticleIndex::open_in_dir(&dir, default_analyzer())?;
    let mut all_lines = synthetic(&lines, scale_docs);
    all_lines.extend(lines.iter().cloned());
    let started = Instant::now();
    let mut all = all_lines.iter().map(|l| article(l).expect("synthetic articles are valid"));
    let n = ArticleSearch::rebuild(&big, &mut all)?;
    let build = started.elapsed();
    println!(
        "Gastvrij index build: {n} articles in {:.1}s = {:.0} articles/s",
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64()
    );
    let mut latencies = vec![(
        "Gastvrij",
        Latency::measure(&queries, |text, prefix| {
            let hits = search_gastvrij(&big, &text, prefix);
            async move { hits }
        })
        .await?,
    )];
    let started = Instant::now();
    let big_fts5 = Baseline::fts5(&all_lines).await?;
    println!("SQLite FTS5 load: {:.1}s", started.elapsed().as_secs_f64());
    let b = &big_fts5;
    latencies.push((
        "SQLite FTS5",
        Latency::measure(&queries, move |text, prefix| async move { b.search(&text, prefix).await }).await?,
    ));
    drop(big_fts5);
    if let Some(url) = postgres {
        let started = Instant::now();
        let big_pg = Baseline::postgres(url, &all_lines).await?;
        println!("PostgreSQL load and GIN index: {:.1}s", started.elapsed().as_secs_f64());
        let b = &big_pg;
        latencies.push((
            "PostgreSQL dutch",
            Latency::measure(&queries, move |text, prefix| async move { b.search(&text, prefix).await }).await?,
        ));
    }
    println!("\n{:<18} {:<12} {:>9} {:>9} {:>10} {:>10}", "engine", "query", "p50", "p99", "goal p99", "goal/p99");
    for (name, l) in &latencies {
        for (kind, v, goal) in [("full", &l.full, 5.0), ("as-you-type", &l.typed, 10.0)] {
            let p99 = percentile(v, 0.99).as_secs_f64() * 1000.0;
            println!(
                "{name:<18} {kind:<12} {:>7.2}ms {:>7.2}ms {:>8.1}ms {:>9.2}×",
                percentile(v, 0.5).as_secs_f64() * 1000.0,
                p99,
                goal,
                goal / p99
            );
        }
    }
    drop(big);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
