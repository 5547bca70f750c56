//! The plain-language (B1) check of a Dutch text: the Flesch-Douma reading score, long
//! sentences, government jargon with plain alternatives, and a B1 verdict.
//!
//! Everything a controller needs to check a result by hand is in `docs/plain-language.md`:
//! the formula, how sentences, words and syllables are counted, and the verdict.
//!
//! - [`sentences`]: sentence and word boundaries (abbreviations, numbers, paragraphs).
//! - [`syllables`]: syllables per word with the Dutch hyphenation patterns.
//! - [`jargon`]: the maintained jargon list (`crates/domain/data/jargon.tsv`).

pub mod jargon;
pub mod sentences;
pub mod syllables;

pub use jargon::JargonWord;
pub use sentences::{Sentence, sentences};
pub use syllables::syllables;

use crate::Invalid;
use serde::{Deserialize, Serialize};

/// A sentence of more than this many words is long.
pub const LONG_SENTENCE_WORDS: usize = 20;
/// The lowest Flesch-Douma score (as rounded in the report) a B1 text may have.
pub const B1_MIN_FLESCH_DOUMA: f64 = 60.0;
/// At most this share (in percent) of a B1 text's sentences may be long.
pub const B1_MAX_LONG_SENTENCE_PERCENT: usize = 10;
/// The longest text the API checks, in characters (the command line reads any file).
pub const MAX_TEXT_CHARS: usize = 100_000;

/// The result of the check, as `gastvrij taal check --json` prints it and
/// `POST /api/v1/taal/check` answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlainLanguageReport {
    /// 206.835 − 0.93 × words per sentence − 77 × syllables per word, rounded to one decimal.
    /// Higher is easier; B1 needs at least 60.
    pub flesch_douma: f64,
    pub words: usize,
    pub sentences: usize,
    /// Sentences of more than 20 words.
    pub long_sentences: usize,
    /// Jargon from the maintained list, each once, in order of first appearance.
    pub jargon: Vec<JargonWord>,
    /// Flesch-Douma at least 60, at most 10% long sentences, and no jargon.
    pub b1: bool,
}

/// The counts the score is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub words: usize,
    pub sentences: usize,
    pub long_sentences: usize,
    pub syllables: usize,
}

/// Counts words, sentences, long sentences and syllables of `sentences`.
pub fn counts(sentences: &[Sentence<'_>]) -> Counts {
    Counts {
        words: sentences.iter().map(|s| s.words.len()).sum(),
        sentences: sentences.len(),
        long_sentences: sentences.iter().filter(|s| s.words.len() > LONG_SENTENCE_WORDS).count(),
        syllables: sentences.iter().flat_map(|s| &s.words).map(|w| syllables(w)).sum(),
    }
}

/// 206.835 − 0.93 × (words / sentences) − 77 × (syllables / words), not rounded; `None` for a
/// text without words.
pub fn flesch_douma(c: &Counts) -> Option<f64> {
    if c.words == 0 || c.sentences == 0 {
        return None;
    }
    let (words, sentences, syllables) = (c.words as f64, c.sentences as f64, c.syllables as f64);
    Some(206.835 - 0.93 * (words / sentences) - 77.0 * (syllables / words))
}

/// Checks `text` (paragraphs separated by blank lines). A text without a single word is refused
/// as an empty `text`.
pub fn check(text: &str) -> Result<PlainLanguageReport, Invalid> {
    let sentences = sentences(text);
    let c = counts(&sentences);
    let score = flesch_douma(&c).ok_or_else(|| Invalid::empty("text"))?;
    let flesch_douma = (score * 10.0).round() / 10.0;
    let jargon = jargon::find(&sentences);
    let b1 = flesch_douma >= B1_MIN_FLESCH_DOUMA
        && c.long_sentences * 100 <= c.sentences * B1_MAX_LONG_SENTENCE_PERCENT
        && jargon.is_empty();
    Ok(PlainLanguageReport {
        flesch_douma,
        words: c.words,
        sentences: c.sentences,
        long_sentences: c.long_sentences,
        jargon,
        b1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InvalidKind;

    #[test]
    fn two_short_sentences_score_as_counted_by_hand() {
        // De dijk is hoog. | Wij maken hem sterk.
        // 8 words, 2 sentences; syllables 1+1+1+1 + 1+2(ma-ken)+1+1 = 9.
        // 206.835 − 0.93 × 8/2 − 77 × 9/8 = 206.835 − 3.72 − 86.625 = 116.49 → 116.5
        let text = "De dijk is hoog. Wij maken hem sterk.";
        let c = counts(&sentences(text));
        assert_eq!(c, Counts { words: 8, sentences: 2, long_sentences: 0, syllables: 9 });
        assert_eq!(check(text).unwrap().flesch_douma, 116.5);
    }

    #[test]
    fn a_clearly_b1_text_passes() {
        // Wij hebben uw vraag gekregen.            5 words; 1+2+1+1+3 (ge-kre-gen) = 8 syllables
        // U krijgt binnen twee weken een antwoord. 7 words; 1+1+2+1+2+1+2 (ant-woord) = 10
        // Heeft u nog vragen?                      4 words; 1+1+1+2 = 5
        // Bel ons dan gerust.                      4 words; 1+1+1+2 = 5
        // 20 words, 4 sentences, 28 syllables:
        // 206.835 − 0.93 × 20/4 − 77 × 28/20 = 206.835 − 4.65 − 107.8 = 94.385 → 94.4
        let text = "Wij hebben uw vraag gekregen. U krijgt binnen twee weken een antwoord.\n\n\
                    Heeft u nog vragen? Bel ons dan gerust.";
        let c = counts(&sentences(text));
        assert_eq!(c, Counts { words: 20, sentences: 4, long_sentences: 0, syllables: 28 });
        let report = check(text).unwrap();
        assert_eq!(report.flesch_douma, 94.4);
        assert!(report.jargon.is_empty());
        assert!(report.b1);
    }

    #[test]
    fn a_clearly_bureaucratic_text_fails_with_its_jargon() {
        // One sentence of 38 words (so one long sentence). Syllables by hand:
        // in-dien 2, u 1, con-form 2, de 1, voor-waar-den 3, ten-ein-de 3, de 1, aan-slag 2, te 1,
        // vol-doen 2, reeds 1, een 1, be-ta-ling 3, heeft 1, ver-richt 2, dient 1, u 1,
        // der-hal-ve 3, mid-dels 2, het 1, bij-ge-voeg-de 4, for-mu-lier 3, in-za-ke 3, de 1,
        // res-ti-tu-tie 4, van 1, het 1, ver-schul-dig-de 4, be-drag 2, een 1, ver-zoek 2, in 1,
        // te 1, die-nen 2, bij 1, de 1, af-de-ling 3, be-las-tin-gen 4 = 73.
        // 206.835 − 0.93 × 38 − 77 × 73/38 = 206.835 − 35.34 − 147.921 = 23.574 → 23.6
        let text = "Indien u conform de voorwaarden teneinde de aanslag te voldoen reeds een betaling heeft \
                    verricht, dient u derhalve middels het bijgevoegde formulier inzake de restitutie van het \
                    verschuldigde bedrag een verzoek in te dienen bij de afdeling belastingen.";
        let c = counts(&sentences(text));
        assert_eq!(c, Counts { words: 38, sentences: 1, long_sentences: 1, syllables: 73 });
        let report = check(text).unwrap();
        assert_eq!(report.flesch_douma, 23.6);
        let words: Vec<&str> = report.jargon.iter().map(|j| j.word.as_str()).collect();
        assert_eq!(words, ["indien", "conform", "teneinde", "reeds", "dient u", "derhalve", "middels", "inzake"]);
        assert!(!report.b1);
    }

    #[test]
    fn the_verdict_needs_each_of_its_three_conditions() {
        let short = "Wij bellen u morgen. ";
        let long = "Wij bellen u morgen en dan praten we samen over de dijk en het water en de weg en het \
                    land erachter. ";
        // Ten sentences, one of them long: 10% is allowed.
        let text = format!("{}{long}", short.repeat(9));
        let report = check(&text).unwrap();
        assert_eq!((report.sentences, report.long_sentences), (10, 1));
        assert!(report.b1, "{report:?}");
        // Two long sentences in ten: 20% is too many.
        let report = check(&format!("{}{long}{long}", short.repeat(8))).unwrap();
        assert!(!report.b1, "{report:?}");
        // One jargon word is enough to fail.
        let report = check(&format!("{}Wij bellen u thans.", short.repeat(9))).unwrap();
        assert_eq!(report.jargon, vec![JargonWord { word: "thans".into(), alternative: "nu".into() }]);
        assert!(!report.b1);
        // Long words lower the score below 60.
        let report = check("Belastingaanslagen waterschapsverkiezingen. Verontreinigingsheffing.").unwrap();
        assert!(report.flesch_douma < 60.0 && !report.b1, "{report:?}");
    }

    #[test]
    fn a_text_without_words_is_refused_as_empty() {
        for text in ["", "  \n\n ", "– … !"] {
            assert_eq!(check(text).unwrap_err().kind, InvalidKind::Empty, "{text:?}");
            assert_eq!(check(text).unwrap_err().field, "text");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_either_refused_as_empty_or_counted_consistently(text in "(\\PC|\n|[ .?!]){0,300}") {
            match check(&text) {
                Err(e) => proptest::prop_assert_eq!(e.kind, InvalidKind::Empty),
                Ok(r) => {
                    proptest::prop_assert!(r.words >= r.sentences && r.sentences >= 1);
                    proptest::prop_assert!(r.long_sentences <= r.sentences);
                    proptest::prop_assert!(r.flesch_douma.is_finite());
                }
            }
        }
    }

    #[test]
    fn the_report_serializes_as_the_contract_says() {
        let json = serde_json::to_value(check("Conform afspraak.").unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                // 2 words, 1 sentence, con-form 2 + af-spraak 2 = 4 syllables:
                // 206.835 − 0.93 × 2 − 77 × 4/2 = 206.835 − 1.86 − 154 = 50.975 → 51.0
                "flesch_douma": 51.0,
                "words": 2,
                "sentences": 1,
                "long_sentences": 0,
                "jargon": [{"word": "conform", "alternative": "volgens"}],
                "b1": false,
            })
        );
    }
}
