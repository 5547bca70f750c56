//! The Dutch analyzer: lower-casing, diacritics folding, stop words, compound splitting from a
//! word list, and Snowball stemming. Index and query go through the same steps, so "ideeën",
//! "ideeen" and "idee" meet, and "regenwaterafvoer" is found by "afvoer van regenwater".

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;

/// Words shorter than this are never split off a compound.
const MIN_PART: usize = 3;
/// Words shorter than this are not compounds.
const MIN_COMPOUND: usize = 7;

/// An analyzed word: its folded surface form and the terms to index or search for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-cased and folded, before stemming.
    pub folded: String,
    /// The stem of the whole word.
    pub stem: String,
    /// Stems of the compound's parts (empty when it is not a compound).
    pub parts: Vec<String>,
}

/// Analyzer state: the word list for compounds and the stop words.
pub struct Analyzer {
    stemmer: Stemmer,
    words: HashSet<String>,
    stop: HashSet<String>,
}

pub use gastvrij_domain::text::fold;

/// Split text into words: runs of letters and digits (so operators and quotes are just spaces).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

impl Analyzer {
    pub fn new(word_list: &str, stop_words: &str) -> Self {
        let list = |text: &str| -> HashSet<String> {
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(fold).collect()
        };
        let words = list(word_list).into_iter().filter(|w| w.chars().count() >= MIN_PART).collect();
        Analyzer { stemmer: Stemmer::create(Algorithm::Dutch), words, stop: list(stop_words) }
    }

    pub fn is_stop_word(&self, folded: &str) -> bool {
        self.stop.contains(folded)
    }

    /// The Snowball stem, with "ij" written as "ei": the two sound the same and callers mix
    /// them up (overleiden / overlijden).
    ///
    /// Two spelling rules of Dutch that Snowball leaves alone are applied to the stem, so that
    /// inflected forms meet: a final z or v is written s or f (verhuizen / verhuis, schrijven /
    /// schrijf), and a long vowel written double in a closed syllable is written single (lopen /
    /// loop, meren / meer).
    pub fn stem(&self, folded: &str) -> String {
        let mut stem: Vec<char> = self.stemmer.stem(&self.undiminish(folded)).replace("ij", "ei").chars().collect();
        let n = stem.len();
        if n >= 4 {
            match stem[n - 1] {
                'z' => stem[n - 1] = 's',
                'v' => stem[n - 1] = 'f',
                _ => {}
            }
            let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
            let (c, v1, v2, before) = (stem[n - 1], stem[n - 2], stem[n - 3], stem[n - 4]);
            if !vowel(c) && v1 == v2 && matches!(v1, 'a' | 'e' | 'o' | 'u') && !vowel(before) {
                stem.remove(n - 2);
            }
        }
        stem.into_iter().collect()
    }

    /// A diminutive (pensioentje, slootje, boompje) written as its base word when the word
    /// list knows that base.
    fn undiminish<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        if word.len() < 6 || !word.ends_with("je") {
            return word.into();
        }
        for suffix in ["tje", "pje", "je", "etje"] {
            if let Some(base) = word.strip_suffix(suffix)
                && self.words.contains(base)
            {
                return base.to_string().into();
            }
        }
        word.into()
    }

    /// Folded words of `text` without stemming or stop words, for typo matching against the
    /// words as written.
    pub fn surface(&self, text: &str) -> String {
        let folded = fold(text);
        let mut out = String::with_capacity(folded.len());
        for w in words(&folded).filter(|w| w.chars().count() >= 5) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        out
    }

    /// Stems of the words of `text`, with the stop words kept as written (folded): for
    /// matching phrases whose stop words carry the meaning ("niet kunnen betalen").
    pub fn words_with_stop_words(&self, text: &str) -> Vec<String> {
        let folded = fold(text);
        words(&folded).map(|w| if self.is_stop_word(w) { w.to_string() } else { self.stem(w) }).collect()
    }

    /// Analyze text into words, stop words dropped.
    pub fn analyze(&self, text: &str) -> Vec<Word> {
        let folded = fold(text);
        words(&folded)
            .filter(|w| !self.is_stop_word(w))
            .map(|w| Word {
                folded: w.to_string(),
                stem: self.stem(w),
                parts: self.split(w).iter().map(|p| self.stem(p)).collect(),
            })
            .collect()
    }

    /// All terms of `text` for the index: stems of words and of compound parts.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for w in self.analyze(text) {
            out.extend(w.parts.iter().cloned());
            out.push(w.stem);
        }
        out
    }

    /// Split a compound into known words (longest parts first), allowing the linking letters
    /// -s-, -e- and -en- between them; empty when no full split exists.
    pub fn split(&self, word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < MIN_COMPOUND || !chars.iter().all(|c| c.is_alphabetic()) {
            return vec![];
        }
        let n = chars.len();
        // best[i] = the split of chars[i..] with the fewest parts, if any.
        let mut best: Vec<Option<Vec<String>>> = vec![None; n + 1];
        best[n] = Some(vec![]);
        for i in (0..n).rev() {
            let mut choice: Option<Vec<String>> = None;
            for j in (i + MIN_PART..=n).rev() {
                let part: String = chars[i..j].iter().collect();
                if !self.words.contains(&part) {
                    continue;
                }
                for link in ["", "s", "e", "en"] {
                    let next = j + link.len();
                    if next > n
                        || (!link.is_empty() && (next == n || chars[j..next].iter().collect::<String>() != link))
                    {
                        continue;
                    }
                    if let Some(rest) = &best[next] {
                        let candidate: Vec<String> =
                            std::iter::once(part.clone()).chain(rest.iter().cloned()).collect();
                        if choice.as_ref().is_none_or(|c| candidate.len() < c.len()) {
                            choice = Some(candidate);
                        }
                    }
                }
            }
            best[i] = choice;
        }
        match best[0].take() {
            Some(parts) if parts.len() >= 2 => parts,
            _ => vec![],
        }
    }
}

/// Whether `a` and `b` differ by at most one insertion, deletion or substitution.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let first = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[first + 1.min(short.len() - first)..] == long[first + 1.min(long.len() - first)..]
    } else {
        short[first..] == long[first + 1..]
    }
}

impl Analyzer {
    /// Split a misspelled compound: known words, then a last part one typo away from a known
    /// word ("lozingsvergunnig" → lozing, vergunning). For query words the index does not know.
    pub fn split_with_typo(&self, word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < MIN_COMPOUND + 1 || !chars.iter().all(|c| c.is_alphabetic()) {
            return vec![];
        }
        for j in (MIN_PART..=chars.len() - 5).rev() {
            let head: String = chars[..j].iter().collect();
            let mut parts = if self.words.contains(&head) { vec![head.clone()] } else { self.split(&head) };
            if parts.is_empty() {
                continue;
            }
            for link in ["", "s", "e", "en"] {
                let start = j + link.len();
                if start + 5 > chars.len() || chars[j..start].iter().collect::<String>() != link {
                    continue;
                }
                let tail = &chars[start..];
                let mut found: Vec<&String> = self
                    .words
                    .iter()
                    .filter(|w| {
                        w.len().abs_diff(tail.len()) <= 1 && within_one_edit(&w.chars().collect::<Vec<_>>(), tail)
                    })
                    .collect();
                found.sort();
                if let Some(last) = found.first() {
                    parts.push((*last).clone());
                    return parts;
                }
            }
        }
        vec![]
    }
}

impl Analyzer {
    /// The known words at the start and at the end of a compound that does not split fully
    /// ("hondenpoep" → hond): the longest known word (at least four letters) that starts it,
    /// before a linking letter or not, and the longest one that ends it. For query words the
    /// index does not know and that neither split nor look like a typo.
    pub fn split_partial(&self, word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let n = chars.len();
        if n < MIN_COMPOUND || !chars.iter().all(|c| c.is_alphabetic()) {
            return vec![];
        }
        let known = |from: usize, to: usize| {
            let part: String = chars[from..to].iter().collect();
            self.words.contains(&part).then_some(part)
        };
        let mut parts = Vec::new();
        if let Some(head) = (4..=n - MIN_PART).rev().find_map(|j| known(0, j)) {
            parts.push(head);
        }
        if let Some(tail) = (MIN_PART..=n - 4).find_map(|i| known(i, n))
            && !parts.contains(&tail)
        {
            parts.push(tail);
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::new(include_str!("words.txt"), include_str!("stopwords.txt"))
    }

    #[test]
    fn diacritics_fold_and_case_is_ignored() {
        let a = analyzer();
        assert_eq!(a.terms("Ideeën"), a.terms("ideeen"));
        assert_eq!(fold("Café ĲSSEL"), "cafe ijssel");
    }

    #[test]
    fn compounds_split_into_known_words_with_linking_letters() {
        let a = analyzer();
        assert_eq!(a.split("regenwaterafvoer"), vec!["regen", "water", "afvoer"]);
        assert_eq!(a.split("watersysteemheffing"), vec!["water", "systeem", "heffing"]);
        assert_eq!(a.split("zuiveringsheffing"), vec!["zuivering", "heffing"]);
        assert!(a.split("aanslag").is_empty(), "a single word is not split");
        assert!(a.split("xyzwaterqq").is_empty(), "no split with unknown rests");
    }

    #[test]
    fn plural_and_singular_share_a_stem_and_stop_words_go() {
        let a = analyzer();
        assert_eq!(a.terms("heffingen"), a.terms("heffing"));
        assert_eq!(a.terms("de het een"), Vec::<String>::new());
    }

    #[test]
    fn a_compound_with_a_typo_in_its_last_part_still_splits() {
        let a = analyzer();
        assert_eq!(a.split_with_typo("lozingsvergunnig"), vec!["lozing", "vergunning"]);
        assert_eq!(a.split_with_typo("regenwaterafvoor"), vec!["regen", "water", "afvoer"]);
        assert!(a.split_with_typo("qqqqqqvergunnig").is_empty(), "the head must be known");
        assert!(within_one_edit(&['a', 'b'], &['a', 'b', 'c']));
        assert!(!within_one_edit(&['a', 'b'], &['b', 'a', 'c']));
    }

    #[test]
    fn a_compound_of_one_unknown_part_keeps_its_known_parts() {
        let a = analyzer();
        assert_eq!(a.split_partial("hondenpoep"), vec!["hond"]);
        assert_eq!(a.split_partial("sedumxyzdak"), vec!["sedum"]);
        assert!(a.split_partial("qqqqqqqq").is_empty());
    }

    #[test]
    fn inflections_and_diminutives_meet() {
        let a = analyzer();
        assert_eq!(a.stem("verhuizen"), a.stem("verhuis"));
        assert_eq!(a.stem("lopen"), a.stem("loop"));
        assert_eq!(a.stem("meren"), a.stem("meer"));
        assert_eq!(a.stem("pensioentje"), a.stem("pensioen"));
        assert_eq!(a.stem("slootje"), a.stem("sloot"));
        assert_eq!(a.stem("sloten"), a.stem("sloot"), "plural and singular of sloot meet");
        assert_ne!(a.stem("dijk"), a.stem("dik"));
    }

    #[test]
    fn ij_and_ei_sound_the_same() {
        let a = analyzer();
        assert_eq!(a.terms("overleiden"), a.terms("overlijden"));
        assert_ne!(a.terms("dijk"), a.terms("dak"));
    }

    #[test]
    fn operators_quotes_and_control_characters_are_just_separators() {
        let a = analyzer();
        assert_eq!(a.terms("\"kwijtschelding\" AND (aanslag) +~^\u{0}"), a.terms("kwijtschelding and aanslag"));
    }
}
