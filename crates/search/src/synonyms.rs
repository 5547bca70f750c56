//! Synonym rules kept by editors: `a, b => c` (a and b also find c) or `a, b, c` (each finds the
//! others). Phrases such as "blauwe envelop" work: rules match sequences of analyzed words.

use crate::analyzer::Analyzer;

/// Analyzed rules: a phrase and the stems it also searches for.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    rules: Vec<(Phrase, Vec<String>)>,
}

/// A rule's phrase: its stems, or — when dropping stop words would leave one word of several
/// ("niet kunnen betalen") — all its words with the stop words as written, so that the phrase
/// is still matched as a phrase and not as its one common word ("betalen").
#[derive(Debug, Clone, PartialEq)]
enum Phrase {
    Stems(Vec<String>),
    Words(Vec<String>),
}

fn stems(analyzer: &Analyzer, phrase: &str) -> Vec<String> {
    analyzer.analyze(phrase).into_iter().map(|w| w.stem).collect()
}

fn phrase(analyzer: &Analyzer, text: &str) -> Phrase {
    let stems = stems(analyzer, text);
    if stems.len() == 1 && crate::analyzer::words(text).nth(1).is_some() {
        Phrase::Words(analyzer.words_with_stop_words(text))
    } else {
        Phrase::Stems(stems)
    }
}

/// A query as the rules read it: its stems, and its words with the stop words kept.
pub struct QueryWords {
    pub stems: Vec<String>,
    pub words: Vec<String>,
}

impl QueryWords {
    pub fn new(analyzer: &Analyzer, text: &str) -> Self {
        QueryWords { stems: stems(analyzer, text), words: analyzer.words_with_stop_words(text) }
    }
}

impl Synonyms {
    /// Parse rules; lines that are empty, comments or malformed are skipped (the app validates
    /// what editors save).
    pub fn parse<'a>(analyzer: &Analyzer, rules: impl IntoIterator<Item = &'a str>) -> Self {
        let mut out = Vec::new();
        for rule in rules.into_iter().map(str::trim).filter(|r| !r.is_empty() && !r.starts_with('#')) {
            let terms = |side: &str| {
                side.split(',').filter(|t| !stems(analyzer, t).is_empty()).map(str::to_string).collect::<Vec<_>>()
            };
            match rule.split_once("=>") {
                Some((from, to)) => {
                    let targets: Vec<String> = terms(to).iter().flat_map(|t| stems(analyzer, t)).collect();
                    for t in terms(from) {
                        out.push((phrase(analyzer, &t), targets.clone()));
                    }
                }
                None => {
                    let group = terms(rule);
                    for (i, t) in group.iter().enumerate() {
                        let others: Vec<String> = group
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .flat_map(|(_, g)| stems(analyzer, g))
                            .collect();
                        out.push((phrase(analyzer, t), others));
                    }
                }
            }
        }
        Synonyms { rules: out }
    }

    /// The extra stems for a query.
    pub fn expand(&self, query: &QueryWords) -> Vec<String> {
        let stems = &query.stems;
        let mut extra = Vec::new();
        for (phrase, targets) in &self.rules {
            let (phrase, within) = match phrase {
                Phrase::Stems(p) => (p, stems),
                Phrase::Words(p) => (p, &query.words),
            };
            if phrase.is_empty() || phrase.len() > within.len() {
                continue;
            }
            if within.windows(phrase.len()).any(|w| w == phrase.as_slice()) {
                extra.extend(targets.iter().filter(|t| !stems.contains(t)).cloned());
            }
        }
        extra.sort();
        extra.dedup();
        extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::new(include_str!("words.txt"), include_str!("stopwords.txt"))
    }

    #[test]
    fn one_way_rules_and_phrases() {
        let a = analyzer();
        let s = Synonyms::parse(&a, ["blauwe envelop => aanslag", "nota, rekening => aanslag"]);
        let q = |text: &str| s.expand(&QueryWords::new(&a, text));
        assert_eq!(q("ik heb een blauwe envelop gekregen"), stems(&a, "aanslag"));
        assert!(q("envelop").is_empty(), "the whole phrase is needed");
        assert!(q("aanslag").is_empty(), "one way only");
        assert_eq!(q("de rekening"), stems(&a, "aanslag"));
    }

    #[test]
    fn equivalence_groups_find_each_other() {
        let a = analyzer();
        let s = Synonyms::parse(&a, ["sloot, watergang, tocht"]);
        let found = s.expand(&QueryWords::new(&a, "sloten"));
        assert!(found.contains(&a.stem("watergang")) && found.contains(&a.stem("tocht")), "{found:?}");
    }

    #[test]
    fn a_phrase_of_stop_words_and_one_word_is_not_read_as_that_word() {
        let a = analyzer();
        let s = Synonyms::parse(&a, ["kwijtschelding, niet kunnen betalen"]);
        let q = |text: &str| s.expand(&QueryWords::new(&a, text));
        assert!(q("moet ik twee keer betalen").is_empty(), "betalen alone is not the phrase");
        assert_eq!(q("ik zou het niet kunnen betalen"), stems(&a, "kwijtschelding"));
    }
}
