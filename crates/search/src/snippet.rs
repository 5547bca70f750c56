//! Snippets: the sentence that matches the query best, with matching words in `<mark>` and
//! everything else HTML-escaped.

use crate::analyzer::{Analyzer, fold};
use std::collections::HashMap;

const MAX_CHARS: usize = 240;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn is_match(analyzer: &Analyzer, folded: &str, terms: &[String], prefix: Option<&str>) -> bool {
    if analyzer.is_stop_word(folded) {
        return false;
    }
    let stem = analyzer.stem(folded);
    terms.contains(&stem)
        || analyzer.split(folded).iter().any(|p| terms.contains(&analyzer.stem(p)))
        || prefix.is_some_and(|p| p.len() >= 2 && folded.starts_with(p))
}

/// The best sentence of `text` for `terms` (stems), highlighted.
pub fn snippet(analyzer: &Analyzer, text: &str, terms: &[String], prefix: Option<&str>) -> String {
    // Stemming and compound splitting cost the most: each word form is judged once.
    let mut judged: HashMap<String, bool> = HashMap::new();
    let mut matches = |word: &str| {
        let folded = fold(word);
        if let Some(&m) = judged.get(&folded) {
            return m;
        }
        let m = is_match(analyzer, &folded, terms, prefix);
        judged.insert(folded, m);
        m
    };
    let sentences: Vec<&str> =
        text.split_inclusive(['.', '!', '?', '\n']).map(str::trim).filter(|s| !s.is_empty()).collect();
    let mut score = |s: &str| {
        let mut seen: Vec<String> = Vec::new();
        for w in crate::analyzer::words(s) {
            if matches(w) {
                let f = fold(w);
                if !seen.contains(&f) {
                    seen.push(f);
                }
            }
        }
        seen.len()
    };
    let scored: Vec<(usize, &str)> = sentences.iter().map(|s| (score(s), *s)).collect();
    let best = scored.iter().max_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len()))).map_or("", |(_, s)| s);
    let mut out = String::new();
    let mut word = String::new();
    let mut flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if matches(word) {
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
