//! Snippets: the sentence that matches the query best, with matching words in `<mark>` and
//! everything else HTML-escaped.

use crate::analyzer::{Analyzer, fold};

const MAX_CHARS: usize = 240;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn matches(analyzer: &Analyzer, word: &str, terms: &[String], prefix: Option<&str>) -> bool {
    let folded = fold(word);
    if analyzer.is_stop_word(&folded) {
        return false;
    }
    let stem = analyzer.stem(&folded);
    terms.contains(&stem)
        || analyzer.split(&folded).iter().any(|p| terms.contains(&analyzer.stem(p)))
        || prefix.is_some_and(|p| p.len() >= 2 && folded.starts_with(p))
}

/// The best sentence of `text` for `terms` (stems), highlighted.
pub fn snippet(analyzer: &Analyzer, text: &str, terms: &[String], prefix: Option<&str>) -> String {
    let sentences: Vec<&str> =
        text.split_inclusive(['.', '!', '?', '\n']).map(str::trim).filter(|s| !s.is_empty()).collect();
    let score = |s: &str| {
        let mut seen: Vec<String> = Vec::new();
        for w in crate::analyzer::words(s) {
            if matches(analyzer, w, terms, prefix) {
                let f = fold(w);
                if !seen.contains(&f) {
                    seen.push(f);
                }
            }
        }
        seen.len()
    };
    let best =
        sentences.iter().copied().max_by(|a, b| score(a).cmp(&score(b)).then(b.len().cmp(&a.len()))).unwrap_or("");
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if matches(analyzer, word, terms, prefix) {
                out.push_str(&format!("<mark>{}</mark>", escape(word)));
            } else {
                out.push_str(&escape(word));
            }
            word.clear();
        }
    };
    for (shown, c) in best.chars().enumerate() {
        if shown >= MAX_CHARS && !c.is_alphanumeric() {
            flush(&mut word, &mut out);
            out.push('…');
            return out;
        }
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push_str(&escape(&c.to_string()));
        }
    }
    flush(&mut word, &mut out);
    out
}
