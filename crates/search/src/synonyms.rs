//! Synonym rules kept by editors: `a, b => c` (a and b also find c) or `a, b, c` (each finds the
//! others). Phrases such as "blauwe envelop" work: rules match sequences of analyzed words.

use crate::analyzer::Analyzer;

/// Analyzed rules: a phrase (stems) and the stems it also searches for.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    rules: Vec<(Vec<String>, Vec<String>)>,
}

fn stems(analyzer: &Analyzer, phrase: &str) -> Vec<String> {
    analyzer.analyze(phrase).into_iter().map(|w| w.stem).collect()
}

impl Synonyms {
    /// Parse rules; lines that are empty, comments or malformed are skipped (the app validates
    /// what editors save).
    pub fn parse<'a>(analyzer: &Analyzer, rules: impl IntoIterator<Item = &'a str>) -> Self {
        let mut out = Vec::new();
        for rule in rules.into_iter().map(str::trim).filter(|r| !r.is_empty() && !r.starts_with('#')) {
            let terms =
                |side: &str| side.split(',').map(|t| stems(analyzer, t)).filter(|t| !t.is_empty()).collect::<Vec<_>>();
            match rule.split_once("=>") {
                Some((from, to)) => {
                    let targets: Vec<String> = terms(to).into_iter().flatten().collect();
                    for phrase in terms(from) {
                        out.push((phrase, targets.clone()));
                    }
                }
                None => {
                    let group = terms(rule);
                    for (i, phrase) in group.iter().enumerate() {
                        let others: Vec<String> = group
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .flat_map(|(_, g)| g.iter().cloned())
                            .collect();
                        out.push((phrase.clone(), others));
                    }
                }
            }
        }
        Synonyms { rules: out }
    }

    /// The extra stems for a sequence of query stems.
    pub fn expand(&self, stems: &[String]) -> Vec<String> {
        let mut extra = Vec::new();
        for (phrase, targets) in &self.rules {
            if phrase.is_empty() || phrase.len() > stems.len() {
                continue;
            }
            if stems.windows(phrase.len()).any(|w| w == phrase.as_slice()) {
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
        let q = stems(&a, "ik heb een blauwe envelop gekregen");
        assert_eq!(s.expand(&q), stems(&a, "aanslag"));
        assert!(s.expand(&stems(&a, "envelop")).is_empty(), "the whole phrase is needed");
        assert!(s.expand(&stems(&a, "aanslag")).is_empty(), "one way only");
        assert_eq!(s.expand(&stems(&a, "de rekening")), stems(&a, "aanslag"));
    }

    #[test]
    fn equivalence_groups_find_each_other() {
        let a = analyzer();
        let s = Synonyms::parse(&a, ["sloot, watergang, tocht"]);
        let found = s.expand(&stems(&a, "sloten"));
        assert!(found.contains(&a.stem("watergang")) && found.contains(&a.stem("tocht")), "{found:?}");
    }
}
