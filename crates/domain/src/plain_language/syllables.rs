//! Syllables of a Dutch word, counted with the Dutch hyphenation patterns.
//!
//! The patterns are the TeX `hyph-nl` patterns (Piet Tutelaers, 1996 spelling) as the
//! `hyphenation` crate serializes them; only that one dictionary is embedded
//! (`crates/domain/data/nl.standard.bincode`, see `crates/domain/data/README.md`).
//!
//! The method, step by step (also in `docs/plain-language.md`):
//! 1. Apostrophes are dropped (`auto's` → `autos`), accents that do not split a vowel are
//!    dropped (`één` → `een`, `vóór` → `voor`); a diaeresis stays (`ë`, `ï`: it starts a new
//!    syllable). Letters are lower-cased.
//! 2. A word without letters (a number: `1.000`, `3,5`, `2026`) is one syllable.
//! 3. Otherwise the word is cut at every character that is not a letter or digit
//!    (`e-mail` → `e` + `mail`, `www.hhlw.nl` → `www` + `hhlw` + `nl`) and the parts are summed.
//! 4. A part of four or more letters is hyphenated with the dictionary: syllables = break
//!    points + 1. The patterns never break within two letters of either end of a word, so two
//!    corrections add the syllable they cannot see: +1 when the word starts with a single vowel,
//!    one consonant and a vowel (`o-ver`, `e-ten`, `i-dee`), and +1 when it ends in two vowels
//!    that are not one sound (`ra-di-o`, `Bel-gi-ë`; but not `zee`, `bureau`).
//! 5. Any other part (shorter than four letters, or mixing letters and digits) counts its vowel
//!    sounds: a run of vowels is one sound when it is one of the Dutch spellings `aai`, `ooi`,
//!    `oei`, `eeu`, `ieu`, `eau`, `aa`, `ee`, `oo`, `uu`, `ie`, `ei`, `ij`, `oe`, `ou`, `au`,
//!    `eu`, `ui` (and `ay`, `ey`, `oy`); other vowels next to each other are separate sounds
//!    (`via` = 2). A part without a vowel counts 1 (`nl`, `www`).

use hyphenation::{Hyphenator, Language, Load, Standard};
use std::sync::OnceLock;

/// The `hyphenation` crate's Dutch dictionary (version 0.8.4), embedded on its own.
const DUTCH: &[u8] = include_bytes!("../../data/nl.standard.bincode");

/// Parts shorter than this are too short for the patterns (two letters at each end).
const MIN_HYPHENATED_CHARS: usize = 4;

const TRIGRAPHS: [&str; 6] = ["aai", "ooi", "oei", "eeu", "ieu", "eau"];
const DIGRAPHS: [&str; 15] = ["aa", "ee", "oo", "uu", "ie", "ei", "ij", "oe", "ou", "au", "eu", "ui", "ay", "ey", "oy"];

fn dictionary() -> &'static Standard {
    static DICTIONARY: OnceLock<Standard> = OnceLock::new();
    DICTIONARY.get_or_init(|| {
        Standard::from_reader(Language::Dutch, &mut &DUTCH[..])
            .expect("the embedded Dutch dictionary deserializes (checked by a unit test)")
    })
}

/// The number of syllables of one word as written (at least 1).
pub fn syllables(word: &str) -> usize {
    let word = normalize(word);
    if !word.chars().any(char::is_alphabetic) {
        return 1;
    }
    let total: usize = word.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).map(part_syllables).sum();
    total.max(1)
}

/// Lower case, no apostrophes, no accents that leave the vowel whole (a diaeresis stays).
fn normalize(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(c, '\'' | '’' | 'ʼ' | '‘'))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' => 'a',
            'é' | 'è' | 'ê' => 'e',
            'í' | 'ì' | 'î' => 'i',
            'ó' | 'ò' | 'ô' => 'o',
            'ú' | 'ù' | 'û' => 'u',
            'ý' => 'y',
            other => other,
        })
        .collect()
}

fn part_syllables(part: &str) -> usize {
    let chars: Vec<char> = part.chars().collect();
    if chars.len() < MIN_HYPHENATED_CHARS || !chars.iter().all(|c| c.is_alphabetic()) {
        return vowel_sounds(&chars).max(1);
    }
    let breaks = dictionary().hyphenate(part).breaks;
    let first_break = breaks.first().map_or(part.len(), |&b| b);
    let last_break = breaks.last().map_or(0, |&b| b);
    let starts_unseen =
        starts_with_open_vowel(&chars) && part.char_indices().nth(2).is_some_and(|(i, _)| i < first_break);
    let ends_unseen =
        ends_in_split_vowels(&chars) && part.char_indices().nth_back(1).is_some_and(|(i, _)| i >= last_break);
    breaks.len() + 1 + usize::from(starts_unseen) + usize::from(ends_unseen)
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ë' | 'ï' | 'ö' | 'ü' | 'ÿ')
}

/// The length of the vowel sound starting at `chars[i]` (a vowel): 3, 2 or 1 letters.
fn sound_len(chars: &[char], i: usize) -> usize {
    let at = |n: usize| chars.get(i..i + n).map(|s| s.iter().collect::<String>());
    if at(3).is_some_and(|s| TRIGRAPHS.contains(&s.as_str())) {
        3
    } else if at(2).is_some_and(|s| DIGRAPHS.contains(&s.as_str())) {
        2
    } else {
        1
    }
}

/// Vowel sounds in `chars`: Dutch vowel spellings of two or three letters count once.
fn vowel_sounds(chars: &[char]) -> usize {
    let (mut i, mut count) = (0, 0);
    while i < chars.len() {
        if is_vowel(chars[i]) {
            count += 1;
            i += sound_len(chars, i);
        } else {
            i += 1;
        }
    }
    count
}

/// `o-ver`, `e-ten`, `i-dee`: a single vowel (one letter, one sound), one consonant, a vowel.
fn starts_with_open_vowel(chars: &[char]) -> bool {
    match chars {
        [a, b, c, ..] => {
            is_vowel(*a) && *a != 'y' && sound_len(chars, 0) == 1 && b.is_alphabetic() && !is_vowel(*b) && is_vowel(*c)
        }
        _ => false,
    }
}

/// `radio`, `België`, `media`: the last two letters are vowels that are not one sound.
fn ends_in_split_vowels(chars: &[char]) -> bool {
    let n = chars.len();
    if n < 2 || !is_vowel(chars[n - 2]) || !is_vowel(chars[n - 1]) || chars[n - 1] == 'y' {
        return false;
    }
    let one_sound = (n >= 3 && sound_len(chars, n - 3) == 3) || sound_len(chars, n - 2) == 2;
    !one_sound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_dictionary_is_dutch_and_hyphenates() {
        let word = dictionary().hyphenate("waterschap");
        assert_eq!(word.into_iter().segments().collect::<Vec<_>>(), vec!["wa", "ter", "schap"]);
    }

    #[test]
    fn words_count_the_syllables_of_their_hyphenation() {
        // Counted by hand, syllable by syllable.
        for (word, expected) in [
            ("de", 1),
            ("het", 1),
            ("waterschap", 3),          // wa-ter-schap
            ("belasting", 3),           // be-las-ting
            ("gemeente", 3),            // ge-meen-te
            ("aanvang", 2),             // aan-vang
            ("tenaanstelling", 4),      // ten-aan-stel-ling
            ("retourneren", 4),         // re-tour-ne-ren
            ("kwijtschelding", 3),      // kwijt-schel-ding
            ("Afvalstoffenheffing", 6), // af-val-stof-fen-hef-fing
            ("ambtenaar", 3),           // amb-te-naar
            ("beoordelen", 4),          // be-oor-de-len
            ("geïnteresseerd", 5),      // ge-ïn-te-res-seerd
            ("januari", 4),             // ja-nu-a-ri
            ("situatie", 4),            // si-tu-a-tie
            ("hoeveelheid", 3),         // hoe-veel-heid
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn a_vowel_alone_at_either_end_counts_though_the_patterns_never_break_there() {
        for (word, expected) in [
            ("over", 2),   // o-ver
            ("open", 2),   // o-pen
            ("eten", 2),   // e-ten
            ("idee", 2),   // i-dee
            ("ideeën", 3), // i-dee-ën
            ("avond", 2),  // a-vond
            ("uren", 2),   // u-ren
            ("radio", 3),  // ra-di-o
            ("België", 3), // Bel-gi-ë
            ("exact", 2),  // ex-act: the patterns saw this one
            ("eigen", 2),  // ei-gen: `ei` is one sound
            ("bureau", 2), // bu-reau: `eau` is one sound
            ("knieën", 2), // knie-ën
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn short_words_numbers_and_odd_words_count_vowel_sounds() {
        for (word, expected) in [
            ("een", 1),
            ("één", 1),
            ("zee", 1),
            ("uw", 1),
            ("ijs", 1),
            ("via", 2),
            ("1.000", 1),
            ("3,5", 1),
            ("2026", 1),
            ("12e", 1),
            ("nl", 1),
            ("auto's", 2),      // au-to's
            ("e-mail", 2),      // e + mail
            ("WOZ-waarde", 3),  // WOZ + waar-de
            ("www.hhlw.nl", 3), // www + hhlw + nl: one each
            ("Vóór", 1),
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }
}
