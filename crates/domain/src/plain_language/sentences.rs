//! Sentences and words of a Dutch text.
//!
//! The rules, as `docs/plain-language.md` states them for a controller:
//! - A blank line ends a paragraph, and the end of a paragraph ends a sentence. A single line
//!   break is just a space.
//! - Words are the pieces between spaces that hold at least one letter or digit; quotes,
//!   brackets and punctuation around them are not part of the word (`"(bijv.)"` is the word
//!   `bijv`). `1.000`, `3,5`, `e-mail` and `auto's` are one word each.
//! - A word followed by `.`, `!`, `?` or `…` ends the sentence (closing quotes or brackets may
//!   come after the mark). A full stop inside a word (`1.000`, `12.30`, `www.hhlw.nl`) does not.
//! - A full stop after an abbreviation does not end the sentence: the list in
//!   [`ABBREVIATIONS`], any run of single letters with full stops (`t.a.v.`, `m.a.w.`), one
//!   capital with a full stop (an initial: `J. de Vries`; not `U.`), and a number at the very start of a
//!   sentence (a numbered list: `1. Vul het formulier in.`). `enz.`, `etc.`, `e.d.`, `e.a.` and
//!   `e.v.` do end the sentence when the next word starts with a capital letter.

/// Abbreviations whose full stop does not end a sentence (lower case, with the full stop).
pub const ABBREVIATIONS: &[&str] = &[
    "a.s.", "a.u.b.", "afd.", "apr.", "art.", "aug.", "blz.", "bijv.", "bv.", "c.q.", "ca.", "d.d.", "d.w.z.", "dec.",
    "dhr.", "dr.", "drs.", "e.a.", "e.d.", "e.v.", "enz.", "etc.", "evt.", "excl.", "feb.", "febr.", "i.p.v.",
    "i.v.m.", "incl.", "ing.", "ir.", "jan.", "jl.", "jul.", "jun.", "m.a.w.", "m.b.t.", "m.i.v.", "max.", "mevr.",
    "min.", "mr.", "mrt.", "mw.", "n.a.v.", "nov.", "nr.", "o.a.", "o.b.v.", "okt.", "p.", "pag.", "prof.", "resp.",
    "s.v.p.", "sep.", "sept.", "st.", "t.a.v.", "t.o.v.", "t.z.t.", "tel.", "vgl.", "vs.", "z.o.z.", "z.s.m.", "zgn.",
];

/// Abbreviations that often close a list and so may end a sentence: they do when the next word
/// starts with a capital letter.
const MAY_END: &[&str] = &["enz.", "etc.", "e.d.", "e.a.", "e.v."];

/// One sentence: its words as written, without the punctuation around them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence<'t> {
    pub words: Vec<&'t str>,
}

/// The sentences of `text` in order; a sentence always has at least one word.
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for paragraph in paragraphs(text) {
        let mut current = Sentence::default();
        for (i, token) in paragraph.iter().enumerate() {
            let Token { word, tail } = split_token(token);
            let opens_sentence = current.words.is_empty();
            if !word.is_empty() {
                current.words.push(word);
            }
            let next = paragraph.get(i + 1).map(|t| split_token(t).word);
            if ends_sentence(word, tail, opens_sentence, next) && !current.words.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        }
        if !current.words.is_empty() {
            out.push(current);
        }
    }
    out
}

/// The whitespace-separated tokens of each paragraph (paragraphs are separated by blank lines).
fn paragraphs(text: &str) -> Vec<Vec<&str>> {
    let mut out = vec![];
    let mut current: Vec<&str> = vec![];
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A token split into its word (from the first to the last letter or digit; empty when it has
/// none) and the punctuation after the word.
struct Token<'t> {
    word: &'t str,
    tail: &'t str,
}

fn split_token(token: &str) -> Token<'_> {
    let start = token.find(char::is_alphanumeric);
    let end = token.rfind(char::is_alphanumeric).map(|i| i + token[i..].chars().next().map_or(1, char::len_utf8));
    match (start, end) {
        (Some(start), Some(end)) => Token { word: &token[start..end], tail: &token[end..] },
        _ => Token { word: "", tail: token },
    }
}

/// The word of a token as the jargon list and the syllable count see it: the token without
/// the punctuation around it.
pub fn bare(token: &str) -> &str {
    split_token(token).word
}

fn ends_sentence(word: &str, tail: &str, opens_sentence: bool, next: Option<&str>) -> bool {
    if tail.contains(['!', '?', '…']) {
        return true;
    }
    let stops = tail.matches('.').count();
    if stops == 0 {
        return false;
    }
    // `bijv.)` is an abbreviation in brackets; `bijv..` or `(bijv.).` closes the sentence.
    if stops > 1 || !tail.starts_with('.') || word.is_empty() {
        return true;
    }
    let lower = format!("{}.", word.to_lowercase());
    if MAY_END.contains(&lower.as_str()) {
        return next.and_then(|n| n.chars().next()).is_some_and(char::is_uppercase);
    }
    let abbreviation = ABBREVIATIONS.contains(&lower.as_str()) || single_letters(word);
    let list_number = opens_sentence && word.chars().all(|c| c.is_ascii_digit());
    !(abbreviation || list_number)
}

/// `J` (an initial: one capital, but not the word `U`), or single letters joined by full stops
/// (`t.a.v`, `m.a.w`).
fn single_letters(word: &str) -> bool {
    let one_letter = |part: &str| {
        let mut chars = part.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    };
    if word.contains('.') {
        word.split('.').all(one_letter)
    } else {
        one_letter(word) && word.chars().all(char::is_uppercase) && word != "U"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_per_sentence(text: &str) -> Vec<Vec<&str>> {
        sentences(text).into_iter().map(|s| s.words).collect()
    }

    #[test]
    fn full_stops_question_and_exclamation_marks_end_sentences() {
        assert_eq!(
            words_per_sentence("Wij helpen u graag. Heeft u een vraag? Bel ons!"),
            vec![vec!["Wij", "helpen", "u", "graag"], vec!["Heeft", "u", "een", "vraag"], vec!["Bel", "ons"]]
        );
    }

    #[test]
    fn a_blank_line_ends_a_sentence_and_a_single_line_break_does_not() {
        let text = "Uw aanslag\n\nWij sturen u\neen nieuwe brief\n \nMet vriendelijke groet";
        assert_eq!(
            words_per_sentence(text),
            vec![
                vec!["Uw", "aanslag"],
                vec!["Wij", "sturen", "u", "een", "nieuwe", "brief"],
                vec!["Met", "vriendelijke", "groet"]
            ]
        );
    }

    #[test]
    fn abbreviations_do_not_end_a_sentence() {
        let text = "Stuur bijv. een foto, o.a. van de dijk, d.w.z. van dichtbij. Doe dat z.s.m. en noem nr. 12. Klaar.";
        let s = words_per_sentence(text);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0], vec!["Stuur", "bijv", "een", "foto", "o.a", "van", "de", "dijk", "d.w.z", "van", "dichtbij"]);
        assert_eq!(s[1], vec!["Doe", "dat", "z.s.m", "en", "noem", "nr", "12"]);
        assert_eq!(s[2], vec!["Klaar"]);
    }

    #[test]
    fn abbreviations_in_capitals_in_brackets_and_initials_do_not_end_a_sentence() {
        let s = words_per_sentence("Dhr. J. de Vries (t.a.v. Bijv. afdeling) belt u. Daarna T.A.V. iets.");
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].len(), 9);
        // `u` and `U` are words, not initials.
        assert_eq!(words_per_sentence("Wij bellen u. Daarna mailen wij U. Tot dan.").len(), 3);
    }

    #[test]
    fn numbers_with_points_and_commas_are_one_word_and_end_no_sentence() {
        let s = words_per_sentence("U betaalt € 1.000 of 3,5 procent. Wij bellen om 12.30 uur.");
        assert_eq!(
            s,
            vec![vec!["U", "betaalt", "1.000", "of", "3,5", "procent"], vec!["Wij", "bellen", "om", "12.30", "uur"]]
        );
    }

    #[test]
    fn a_numbered_list_item_is_one_sentence_with_its_number() {
        let s = words_per_sentence("1. Vul het formulier in.\n2. Stuur het op.");
        assert_eq!(s, vec![vec!["1", "Vul", "het", "formulier", "in"], vec!["2", "Stuur", "het", "op"]]);
    }

    #[test]
    fn enz_ends_a_sentence_only_before_a_capital() {
        assert_eq!(words_per_sentence("Glas, papier enz. Zet het buiten.").len(), 2);
        assert_eq!(words_per_sentence("Glas, papier enz. zet u buiten.").len(), 1);
    }

    #[test]
    fn punctuation_alone_is_no_word_and_marks_after_the_word_still_count() {
        let s = words_per_sentence("Wij – en u – komen \"morgen.\" Goed ?! ... Tot dan (zie hieronder.)");
        assert_eq!(
            s,
            vec![vec!["Wij", "en", "u", "komen", "morgen"], vec!["Goed"], vec!["Tot", "dan", "zie", "hieronder"]]
        );
    }

    #[test]
    fn hyphens_apostrophes_and_addresses_stay_inside_one_word() {
        let s = words_per_sentence("Mail naar info@hhlw.nl of zie www.hhlw.nl. Foto's per e-mail.");
        assert_eq!(
            s,
            vec![vec!["Mail", "naar", "info@hhlw.nl", "of", "zie", "www.hhlw.nl"], vec!["Foto's", "per", "e-mail"]]
        );
    }

    #[test]
    fn text_without_letters_or_digits_has_no_sentences() {
        assert!(sentences("").is_empty());
        assert!(sentences(" \n\n – … !? \n").is_empty());
    }
}
