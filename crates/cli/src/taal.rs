//! `gastvrij taal check FILE [--json]`: the plain-language (B1) check of a Dutch text.
//!
//! The JSON form is the contract (the same object as `POST /api/v1/taal/check`); without
//! `--json` a short Dutch summary is printed. Exit 0 whatever the verdict; input that cannot be
//! read (no such file, not UTF-8, no words) gives one line on stderr and exit code 2.

use gastvrij_domain::InvalidKind;
use gastvrij_domain::plain_language::{self, LONG_SENTENCE_WORDS, PlainLanguageReport};
use std::path::PathBuf;

/// `gastvrij taal …`
#[derive(clap::Subcommand, Debug)]
pub enum TaalCommand {
    /// Checks a Dutch text for plain language (B1): Flesch-Douma, long sentences, jargon.
    Check {
        /// A UTF-8 text file; paragraphs are separated by blank lines.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Print the result as one JSON object (the contract) instead of a Dutch summary.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the command: prints the result on stdout, or one line on stderr and exits with 2.
pub fn run(cmd: TaalCommand) -> anyhow::Result<()> {
    crate::print_or_exit_2(execute(&cmd))
}

/// The output of a command (ending in a newline), or why the input cannot be checked.
pub fn execute(cmd: &TaalCommand) -> Result<String, String> {
    let TaalCommand::Check { file, json } = cmd;
    let shown = file.display();
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{shown}: no such file; give the path of a text file"),
        _ => format!("{shown}: cannot be read: {e}"),
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("{shown}: is not UTF-8 text (byte {}); save it as UTF-8", e.utf8_error().valid_up_to()))?;
    let report = plain_language::check(&text).map_err(|e| match e.kind {
        InvalidKind::Empty => format!("{shown}: has no words to check"),
        _ => format!("{shown}: {e}"),
    })?;
    if *json {
        let mut out = serde_json::to_string(&report).map_err(|e| e.to_string())?;
        out.push('\n');
        Ok(out)
    } else {
        Ok(summary(&report))
    }
}

/// A short summary in Dutch, one fact a line.
fn summary(r: &PlainLanguageReport) -> String {
    let score = format!("{:.1}", r.flesch_douma).replace('.', ",");
    let mut out = format!("Leesbaarheid (Flesch-Douma): {score}\n");
    out.push_str(&format!("Woorden: {}, zinnen: {}\n", r.words, r.sentences));
    out.push_str(&format!("Lange zinnen (meer dan {LONG_SENTENCE_WORDS} woorden): {}\n", r.long_sentences));
    if r.jargon.is_empty() {
        out.push_str("Moeilijke woorden: geen\n");
    } else {
        out.push_str("Moeilijke woorden:\n");
        for j in &r.jargon {
            out.push_str(&format!("  {} → {}\n", j.word, j.alternative));
        }
    }
    let verdict = if r.b1 { "ja" } else { "nee" };
    out.push_str(&format!("Taalniveau B1: {verdict}\n"));
    out
}
