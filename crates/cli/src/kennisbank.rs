//! `gastvrij kennisbank import|export|search` and `gastvrij reindex`.

use crate::db::{self, DbArgs};
use anyhow::{Context, bail};
use clap::Subcommand;
use gastvrij_app::kennisbank::{ArticleLine, ImportOutcome};
use gastvrij_app::{Page, Principal};
use gastvrij_store::OpenMode;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum KennisbankCommand {
    /// Import articles from a JSON Lines file: one {"id","title","question","answer","topic","keywords"} per line.
    Import {
        /// The .jsonl file.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write all articles as JSON Lines (the import format) to stdout or --output.
    Export {
        #[arg(long, env = "GASTVRIJ_EXPORT_OUTPUT")]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Search the kennisbank as the KCC does.
    Search {
        /// What the caller asks, in their own words.
        query: String,
        /// At most this many hits (1–100).
        #[arg(long, env = "GASTVRIJ_SEARCH_LIMIT", default_value_t = 10)]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: KennisbankCommand) -> anyhow::Result<()> {
    match command {
        KennisbankCommand::Import { file, db } => import(&file, &db).await,
        KennisbankCommand::Export { output, db } => export(output, &db).await,
        KennisbankCommand::Search { query, limit, json, db } => search(&query, limit, json, &db).await,
    }
}

async fn import(file: &PathBuf, args: &DbArgs) -> anyhow::Result<()> {
    let handle = std::fs::File::open(file)
        .with_context(|| format!("cannot read {}; give the path of a .jsonl file", file.display()))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let index = crate::search::open(db::app(args.open(OpenMode::MustExist).await?), &args.data, false)?;
    let app = &index.app;
    let who = Principal::operator();
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("import [{bar:40}] {bytes}/{total_bytes} ({eta} left)")
            .expect("static template")
            .progress_chars("=> "),
    );
    let (mut created, mut updated, mut unchanged, mut failed) = (0u64, 0u64, 0u64, 0u64);
    let mut reader = std::io::BufReader::new(handle);
    let mut raw = Vec::new();
    let mut number = 0u64;
    loop {
        raw.clear();
        let read = reader.read_until(b'\n', &mut raw).with_context(|| format!("reading {}", file.display()))?;
        if read == 0 {
            break;
        }
        number += 1;
        bar.inc(read as u64);
        let result = match std::str::from_utf8(&raw) {
            Err(_) => Err("is not valid UTF-8; save the file as UTF-8".to_string()),
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => match serde_json::from_str::<ArticleLine>(text) {
                Err(e) => Err(format!(
                    "is not a valid article ({e}); expected {{\"id\", \"title\", \"question\", \"answer\", \"topic\", \"keywords\"}}"
                )),
                Ok(line) => app.import_article_line(&who, line).await.map_err(|e| e.to_string()),
            },
        };
        match result {
            Ok(ImportOutcome::Created) => created += 1,
            Ok(ImportOutcome::Updated) => updated += 1,
            Ok(ImportOutcome::Unchanged) => unchanged += 1,
            Err(message) => {
                failed += 1;
                bar.suspend(|| eprintln!("line {number}: {message}; skipped"));
            }
        }
    }
    bar.finish_and_clear();
    index.catch_up().await?;
    eprintln!("imported {created} new, {updated} changed, {unchanged} unchanged articles; {failed} lines failed");
    if failed > 0 {
        bail!("{failed} of {number} lines were not imported (see above); fix them and import the file again");
    }
    Ok(())
}

async fn export(output: Option<PathBuf>, args: &DbArgs) -> anyhow::Result<()> {
    let app = db::app(args.open(OpenMode::MustExist).await?);
    let who = Principal::operator();
    let mut out: Box<dyn Write> = match &output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut offset = 0;
    loop {
        let page = app.export_articles(&who, Page { limit: Page::MAX_LIMIT, offset }).await?;
        for line in &page {
            serde_json::to_writer(&mut out, line)?;
            out.write_all(b"\n")?;
        }
        if page.len() < Page::MAX_LIMIT as usize {
            break;
        }
        offset += Page::MAX_LIMIT;
    }
    out.flush()?;
    Ok(())
}

async fn search(query: &str, limit: usize, json: bool, args: &DbArgs) -> anyhow::Result<()> {
    let index = crate::search::open(db::app(args.open(OpenMode::MustExist).await?), &args.data, false)?;
    index.catch_up().await?;
    let hits = index.app.search_articles(&Principal::operator(), query, limit, false, &Default::default()).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(());
    }
    if hits.is_empty() {
        println!("geen resultaten");
    }
    for (i, hit) in hits.iter().enumerate() {
        println!("{}. {}  {}  (score {:.2})", i + 1, hit.id, hit.title, hit.score);
        println!("   {}", hit.snippet.replace("<mark>", "[").replace("</mark>", "]"));
    }
    Ok(())
}

/// `gastvrij reindex`: rebuild the search index from the database.
pub async fn reindex(args: &DbArgs) -> anyhow::Result<()> {
    let index = crate::search::open(db::app(args.open(OpenMode::MustExist).await?), &args.data, true)?;
    let started = std::time::Instant::now();
    let count = index.rebuild().await?;
    println!("indexed {count} articles in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}
