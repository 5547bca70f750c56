//! Government jargon with plain alternatives, from the maintained list
//! `crates/domain/data/jargon.tsv` (`word<TAB>alternative`, `#` starts a comment line).

use super::sentences::{Sentence, bare};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const LIST: &str = include_str!("../../data/jargon.tsv");

/// A jargon word found in a text, with its plain alternative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JargonWord {
    /// The entry as the list spells it (`conform`, `met betrekking tot`).
    pub word: String,
    /// What to write instead.
    pub alternative: String,
}

/// One line of the list: the entry's words as they are matched, and what is reported.
#[derive(Debug, Clone)]
struct Entry {
    words: Vec<String>,
    found: JargonWord,
}

/// Reads the list: every line that is not blank or a `#` comment is `word<TAB>alternative`.
fn parse(list: &str) -> Result<Vec<Entry>, String> {
    let mut entries = vec![];
    for (n, line) in list.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, alternative) = line
            .split_once('\t')
            .map(|(w, a)| (w.trim(), a.trim()))
            .filter(|(w, a)| !w.is_empty() && !a.is_empty() && !a.contains('\t'))
            .ok_or_else(|| format!("line {}: write `word<TAB>alternative`", n + 1))?;
        let words: Vec<String> = word.split_whitespace().map(|w| bare(w).to_lowercase()).collect();
        if words.iter().any(String::is_empty) {
            return Err(format!("line {}: `{word}` has a part without letters", n + 1));
        }
        entries
            .push(Entry { words, found: JargonWord { word: word.to_string(), alternative: alternative.to_string() } });
    }
    Ok(entries)
}

fn list() -> &'static [Entry] {
    static LIST_PARSED: OnceLock<Vec<Entry>> = OnceLock::new();
    LIST_PARSED.get_or_init(|| parse(LIST).expect("jargon.tsv is well-formed (checked by a unit test)"))
}

/// The jargon in `sentences`, each entry once, in order of first appearance. Entries match
/// whole words, case-insensitively, within one sentence; where entries overlap the longest one
/// starting at a word wins, and matching goes on after it.
pub fn find(sentences: &[Sentence<'_>]) -> Vec<JargonWord> {
    let entries = list();
    let mut found: Vec<JargonWord> = vec![];
    for sentence in sentences {
        let words: Vec<String> = sentence.words.iter().map(|w| w.to_lowercase()).collect();
        let mut i = 0;
        while i < words.len() {
            let rest = &words[i..];
            let best = entries
                .iter()
                .filter(|e| e.words.len() <= rest.len() && e.words.iter().zip(rest).all(|(a, b)| a == b))
                .max_by_key(|e| e.words.len());
            match best {
                Some(entry) => {
                    if !found.contains(&entry.found) {
                        found.push(entry.found.clone());
                    }
                    i += entry.words.len();
                }
                None => i += 1,
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plain_language::sentences::sentences;

    fn jargon_in(text: &str) -> Vec<String> {
        find(&sentences(text)).into_iter().map(|j| j.word).collect()
    }

    #[test]
    fn the_maintained_list_reads_and_holds_real_entries_once_each() {
        let entries = parse(LIST).unwrap();
        assert!(entries.len() >= 60, "{} entries", entries.len());
        let mut seen = std::collections::HashSet::new();
        for e in &entries {
            assert!(seen.insert(e.words.clone()), "{} is listed twice", e.found.word);
            assert_eq!(e.found.word, e.found.word.to_lowercase(), "entries are lower case");
        }
        let get = |w: &str| entries.iter().find(|e| e.found.word == w).map(|e| e.found.alternative.as_str());
        assert_eq!(get("conform"), Some("volgens"));
        assert_eq!(get("inzake"), Some("over"));
        assert_eq!(get("tenaanstelling"), Some("op naam van"));
        assert_eq!(get("dienen te"), Some("moeten"));
    }

    #[test]
    fn a_malformed_line_is_refused_with_its_number() {
        assert_eq!(
            parse("# kop\nconform\tvolgens\ninzake over\n").unwrap_err(),
            "line 3: write `word<TAB>alternative`"
        );
    }

    #[test]
    fn jargon_is_found_case_insensitively_on_whole_words_once_in_order() {
        let text = "Inzake uw brief: conform de regels. Wij betalen INZAKE de dijk. Dat is conformiteit.";
        assert_eq!(jargon_in(text), vec!["inzake", "conform"]);
        let found = find(&sentences("Conform afspraak."));
        assert_eq!(found, vec![JargonWord { word: "conform".into(), alternative: "volgens".into() }]);
    }

    #[test]
    fn entries_of_several_words_match_as_a_whole_and_the_longest_wins() {
        assert_eq!(
            jargon_in("U dient te betalen met betrekking tot de aanslag, (ten behoeve van) de dijk."),
            vec!["dient te", "met betrekking tot", "ten behoeve van"]
        );
        // `dan wel` is an entry and so is `danwel`; the words `met betrekking` alone are not.
        assert_eq!(jargon_in("Met betrekking. Bellen dan wel mailen."), vec!["dan wel"]);
        // An entry does not run from one sentence into the next.
        assert!(jargon_in("Wij dienen. Te laat is te laat.").is_empty());
    }

    #[test]
    fn entries_with_points_or_slashes_match_as_written() {
        assert_eq!(jargon_in("Bel en/of mail, c.q. schrijf ons."), vec!["en/of", "c.q."]);
    }
}
