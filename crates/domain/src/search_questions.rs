//! Learning from the questions (issue 16): what people searched for in the kennisbank, kept
//! without personal data. [`mask`] replaces postcodes, e-mail addresses, phone and other long
//! numbers, IBANs and names by placeholders before anything is stored; [`group_key`] turns the
//! analysed words of a question into the key that groups similar wording. The exact rules are in
//! `docs/kennisbank-learning.md`; the tests below pin them.

use crate::text::fold;
use jiff::Timestamp;

/// Placeholders put in place of personal data.
pub const NAME: &str = "[naam]";
pub const POSTCODE: &str = "[postcode]";
pub const EMAIL: &str = "[e-mail]";
pub const PHONE: &str = "[telefoon]";
pub const NUMBER: &str = "[nummer]";
pub const IBAN: &str = "[rekening]";

/// The longest masked question kept (characters); the rest is cut off.
pub const MAX_STORED_CHARS: usize = 300;

/// Where a question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchChannel {
    /// The KCC workspace search (`/werkplek/zoeken` and its live search).
    Werkplek,
    /// The public answers page (`/antwoorden`).
    Website,
}

impl SearchChannel {
    pub fn code(self) -> &'static str {
        match self {
            Self::Werkplek => "werkplek",
            Self::Website => "website",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "werkplek" => Some(Self::Werkplek),
            "website" => Some(Self::Website),
            _ => None,
        }
    }
}

/// Whether the results of a search were used: in the KCC "Gebruikt voor dit contact", on the
/// website "Ja, dit beantwoordt mijn vraag".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SearchUse {
    /// Nothing from the results was used (yet).
    None,
    /// The top hit was used.
    TopHit,
    /// Another hit than the top one was used.
    OtherHit,
}

impl SearchUse {
    pub fn code(self) -> i16 {
        match self {
            Self::None => 0,
            Self::TopHit => 1,
            Self::OtherHit => 2,
        }
    }

    pub fn from_code(code: i64) -> Self {
        match code {
            1 => Self::TopHit,
            2 => Self::OtherHit,
            _ => Self::None,
        }
    }
}

/// The moment a question is stored with: the start of its hour (UTC), nothing finer.
pub fn hour_of(at: Timestamp) -> Timestamp {
    let s = at.as_second();
    Timestamp::from_second(s - s.rem_euclid(3600)).expect("the start of an hour of a valid moment is valid")
}

/// The ISO week of a moment in Europe/Amsterdam, written `2026-W10`.
pub fn week_of(at: Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
    let date = tz.to_datetime(at).date();
    let week = date.iso_week_date();
    format!("{}-W{:02}", week.year(), week.week())
}

/// Tussenvoegsels: small words inside a Dutch surname ("Jan van der Berg").
const PARTICLES: &[&str] =
    &["van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "la", "le", "du", "da", "di", "von"];

/// Two-letter words that, in lower case after four digits, are read as words, not as the
/// letters of a postcode ("1000 en").
const SHORT_WORDS: &[&str] = &[
    "de", "en", "in", "op", "te", "is", "al", "of", "om", "nu", "er", "ik", "je", "we", "ze", "na", "zo", "ja", "uw",
    "eu", "pm", "am",
];

/// Phrases after which the capitalised words that follow are a name ("ik ben Jan de Vries").
const NAME_AFTER_CAPITALISED: &[&[&str]] = &[
    &["ik", "ben"],
    &["spreekt", "met"],
    &["spreek", "met"],
    &["namens"],
    &["de", "heer"],
    &["mevrouw"],
    &["meneer"],
    &["mevr"],
    &["dhr"],
    &["mw"],
];

/// Phrases after which the next words are a name whatever their case ("mijn naam is jan jansen"):
/// up to three words besides tussenvoegsels.
const NAME_AFTER_ANY: &[&[&str]] = &[&["mijn", "naam", "is"], &["ik", "heet"], &["naam"]];

/// The words of `text` with personal data replaced by placeholders; whitespace is normalised to
/// single spaces and the result is cut at [`MAX_STORED_CHARS`]. `known_names` are names of
/// customers known in the context of the search (the customer of the contact being handled):
/// every word equal to one of their words (folded, tussenvoegsels left out) is masked too.
pub fn mask(text: &str, known_names: &[&str]) -> String {
    let mut tokens: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let mut masked: Vec<Option<&'static str>> = vec![None; tokens.len()];

    // E-mail addresses and IBANs written as one word.
    for (i, t) in tokens.iter().enumerate() {
        let core = trim_punctuation(t);
        if let Some(at) = core.find('@')
            && core[at + 1..].contains('.')
        {
            masked[i] = Some(EMAIL);
        } else if is_iban(core) {
            masked[i] = Some(IBAN);
        }
    }

    // Phone numbers and other long numbers, possibly spread over several words.
    let mut i = 0;
    while i < tokens.len() {
        if masked[i].is_some() || !is_number_part(&tokens[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut digits = 0;
        while j < tokens.len() && masked[j].is_none() && is_number_part(&tokens[j]) {
            digits += tokens[j].chars().filter(char::is_ascii_digit).count();
            j += 1;
        }
        if digits >= 9 {
            let start = tokens[i].trim_start_matches('(');
            let phone = start.starts_with('+') || start.starts_with('0');
            for m in &mut masked[i..j] {
                *m = Some(if phone { PHONE } else { NUMBER });
            }
        }
        i = j;
    }

    // Postcodes: "2611AB", "2611 AB", "2611 ab" (unless the letters are a short word).
    for i in 0..tokens.len() {
        if masked[i].is_some() {
            continue;
        }
        let core = trim_punctuation(&tokens[i]);
        let chars: Vec<char> = core.chars().collect();
        let four_digits = |c: &[char]| c.len() >= 4 && c[0] != '0' && c[..4].iter().all(char::is_ascii_digit);
        if chars.len() == 6 && four_digits(&chars) && chars[4..].iter().all(char::is_ascii_alphabetic) {
            masked[i] = Some(POSTCODE);
        } else if chars.len() == 4
            && four_digits(&chars)
            && let Some(next) = tokens.get(i + 1)
            && masked[i + 1].is_none()
        {
            let letters = trim_punctuation(next);
            let upper = letters.chars().all(|c| c.is_ascii_uppercase());
            if letters.chars().count() == 2
                && letters.chars().all(|c| c.is_ascii_alphabetic())
                && (upper || !SHORT_WORDS.contains(&letters.to_ascii_lowercase().as_str()))
            {
                masked[i] = Some(POSTCODE);
                masked[i + 1] = Some(POSTCODE);
            }
        }
    }

    // Names after "ik ben", "mijn naam is" and the like.
    let folded: Vec<String> = tokens.iter().map(|t| fold(trim_punctuation(t).trim_end_matches('.'))).collect();
    for i in 0..tokens.len() {
        for (phrases, any_case) in [(NAME_AFTER_ANY, true), (NAME_AFTER_CAPITALISED, false)] {
            for phrase in phrases {
                let end = i + phrase.len();
                if end > tokens.len() || !phrase.iter().zip(&folded[i..end]).all(|(p, w)| p == w) {
                    continue;
                }
                // "naam" alone only when followed by a colon ("naam: Jan Jansen").
                if phrase.len() == 1 && phrase[0] == "naam" && !tokens[i].ends_with(':') {
                    continue;
                }
                let n = name_length(&tokens[end..], &masked[end..], any_case);
                for m in &mut masked[end..end + n] {
                    *m = Some(NAME);
                }
            }
        }
    }

    // Initials with a surname anywhere: "J. de Vries", "J.P. Jansen", "A.Bakker".
    for i in 0..tokens.len() {
        if masked[i].is_some() {
            continue;
        }
        let t = trim_punctuation_start(&tokens[i]);
        if let Some(rest) = strip_initials(t) {
            if !rest.is_empty() && is_capitalised(rest) {
                masked[i] = Some(NAME);
                continue;
            }
            if rest.is_empty() {
                let n = name_length(&tokens[i + 1..], &masked[i + 1..], false);
                if n > 0 {
                    for m in &mut masked[i..=i + n] {
                        *m = Some(NAME);
                    }
                }
            }
        }
    }

    // Words of the names of customers known to the contact.
    let name_words: Vec<String> = known_names
        .iter()
        .flat_map(|n| n.split(|c: char| c.is_whitespace() || c == '-' || c == '.'))
        .map(fold)
        .filter(|w| w.chars().count() >= 2 && !PARTICLES.contains(&w.as_str()))
        .collect();
    if !name_words.is_empty() {
        for (i, f) in folded.iter().enumerate() {
            if masked[i].is_none() && name_words.iter().any(|n| n == f) {
                masked[i] = Some(NAME);
            }
        }
    }

    // Replace, keeping punctuation around a placeholder, and one placeholder per run.
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut last: Option<&str> = None;
    for (i, t) in tokens.iter_mut().enumerate() {
        match masked[i] {
            Some(p) if last == Some(p) => {}
            Some(p) => {
                out.push(p.to_string());
                last = Some(p);
            }
            None => {
                out.push(std::mem::take(t));
                last = None;
            }
        }
    }
    let joined = out.join(" ");
    match joined.char_indices().nth(MAX_STORED_CHARS) {
        Some((cut, _)) => joined[..cut].trim_end().to_string(),
        None => joined,
    }
}

/// The masked text without its placeholders: what the group key is made of.
pub fn without_placeholders(masked: &str) -> String {
    masked
        .split_whitespace()
        .filter(|w| ![NAME, POSTCODE, EMAIL, PHONE, NUMBER, IBAN].contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key that groups similar wording: the analysed terms (folded, stop words dropped, stemmed
/// by the search analyzer) sorted and without repeats, joined by spaces. Empty when nothing is
/// left.
pub fn group_key(terms: impl IntoIterator<Item = String>) -> String {
    let mut terms: Vec<String> = terms.into_iter().filter(|t| !t.is_empty()).collect();
    terms.sort();
    terms.dedup();
    terms.join(" ")
}

/// The terms of `text` when no analyzer is at hand: folded words of letters and digits.
pub fn plain_terms(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Common words that end a name written in lower case ("mijn naam is jan en ik ...").
const NOT_A_NAME: &[&str] = &[
    "en", "ik", "wil", "heb", "is", "maar", "want", "over", "of", "om", "mijn", "met", "voor", "wat", "hoe", "kan",
    "moet", "woon", "graag", "vraag", "bij", "uit", "aan", "dat", "die", "niet", "wel", "ook", "nog", "u", "uw",
    "heeft", "wordt", "waarom", "wanneer",
];

/// How many of `tokens` (from the start) form a name: name words and the tussenvoegsels between
/// them, at most three name words (two in lower case); with `any_case` also words in lower case.
fn name_length(tokens: &[String], masked: &[Option<&'static str>], any_case: bool) -> usize {
    let (mut n, mut names, mut end) = (0, 0, 0);
    while n < tokens.len() && masked[n].is_none() && names < 3 {
        let t = &tokens[n];
        let core = trim_punctuation(t);
        let lower = fold(core);
        if PARTICLES.contains(&lower.as_str()) {
            // Inside or before a name ("ik ben van der Berg"); a name never ends with one.
            n += 1;
            continue;
        }
        let initials = strip_initials(core).is_some_and(str::is_empty);
        let word = !core.is_empty() && core.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'');
        let capitalised = word && is_capitalised(core);
        let lower_name = word && any_case && names < 2 && !NOT_A_NAME.contains(&lower.as_str());
        if !(initials || capitalised || lower_name) {
            break;
        }
        names += usize::from(!initials);
        n += 1;
        end = n;
        // Punctuation after a word ends the name ("ik ben Jan, mijn vraag ...").
        if t.ends_with([',', ';', ':', '!', '?']) || (t.ends_with('.') && !initials) {
            break;
        }
    }
    end
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// "J." or "J.P." → the rest after the initials; `None` when `word` does not start with initials.
fn strip_initials(word: &str) -> Option<&str> {
    let mut rest = word;
    let mut any = false;
    loop {
        let mut chars = rest.chars();
        match (chars.next(), chars.next()) {
            (Some(c), Some('.')) if c.is_uppercase() => {
                rest = &rest[c.len_utf8() + 1..];
                any = true;
            }
            _ => break,
        }
    }
    any.then_some(rest)
}

fn trim_punctuation(word: &str) -> &str {
    word.trim_matches([',', '.', ';', ':', '!', '?', '"', '\'', '(', ')', '[', ']'])
}

fn trim_punctuation_start(word: &str) -> &str {
    word.trim_start_matches(['"', '\'', '(', '['])
}

/// A word that can be part of a number: digits and the signs written in phone numbers.
fn is_number_part(word: &str) -> bool {
    let word = word.trim_end_matches([',', ';', ':', '!', '?', '.']);
    word.chars().any(|c| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | '.' | '/'))
}

/// A Dutch IBAN written as one word: NL, two digits, four letters, ten digits.
fn is_iban(word: &str) -> bool {
    let c: Vec<char> = word.chars().collect();
    c.len() == 18
        && c[..2].iter().all(|c| c.eq_ignore_ascii_case(&'n') || c.eq_ignore_ascii_case(&'l'))
        && c[2..4].iter().all(char::is_ascii_digit)
        && c[4..8].iter().all(char::is_ascii_alphabetic)
        && c[8..].iter().all(char::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_masked_with_and_without_a_space() {
        assert_eq!(mask("ik woon op 2611 AB in Delft", &[]), "ik woon op [postcode] in Delft");
        assert_eq!(mask("postcode 2611AB, wanneer?", &[]), "postcode [postcode] wanneer?");
        assert_eq!(mask("postcode 2611 ab", &[]), "postcode [postcode]");
        // Four digits and a short word are no postcode; an amount stays.
        assert_eq!(mask("ik betaal 1000 en nog wat", &[]), "ik betaal 1000 en nog wat");
        assert_eq!(mask("aanslag 2026 te hoog", &[]), "aanslag 2026 te hoog");
    }

    #[test]
    fn email_addresses_are_masked() {
        assert_eq!(mask("stuur naar jan.jansen@example.nl a.u.b.", &[]), "stuur naar [e-mail] a.u.b.");
        assert_eq!(mask("mail (piet@voorbeeld.com) kwijt", &[]), "mail [e-mail] kwijt");
        assert_eq!(mask("het @-teken", &[]), "het @-teken");
    }

    #[test]
    fn mobile_and_international_numbers_are_masked() {
        assert_eq!(mask("bel me op 06-12345678 graag", &[]), "bel me op [telefoon] graag");
        assert_eq!(mask("bel 0612345678", &[]), "bel [telefoon]");
        assert_eq!(mask("bel 06 123 456 78 terug", &[]), "bel [telefoon] terug");
        assert_eq!(mask("nummer +31 6 12345678.", &[]), "nummer [telefoon]");
        assert_eq!(mask("nummer +31612345678", &[]), "nummer [telefoon]");
        assert_eq!(mask("vast (015) 123 45 67", &[]), "vast [telefoon]");
        // Other long numbers (a citizen service number, an account) go too; dates stay.
        assert_eq!(mask("bsn 123456782", &[]), "bsn [nummer]");
        assert_eq!(mask("iban NL91ABNA0417164300", &[]), "iban [rekening]");
        assert_eq!(mask("brief van 12-03-2026", &[]), "brief van 12-03-2026");
    }

    #[test]
    fn names_after_an_introduction_are_masked() {
        assert_eq!(mask("mijn naam is Jan de Vries en ik ben verhuisd", &[]), "mijn naam is [naam] en ik ben verhuisd");
        assert_eq!(mask("Mijn naam is jan jansen, kwijtschelding", &[]), "Mijn naam is [naam] kwijtschelding");
        assert_eq!(mask("ik ben Fatima El Amrani, mijn aanslag", &[]), "ik ben [naam] mijn aanslag");
        assert_eq!(mask("ik ben van der Berg", &[]), "ik ben [naam]");
        assert_eq!(mask("ik heet Piet", &[]), "ik heet [naam]");
        assert_eq!(mask("brief voor mevrouw Bakker over de aanslag", &[]), "brief voor mevrouw [naam] over de aanslag");
        // "ik ben" with words in lower case is no introduction.
        assert_eq!(mask("ik ben verhuisd naar Delft", &[]), "ik ben verhuisd naar Delft");
    }

    #[test]
    fn initials_with_a_surname_are_masked() {
        assert_eq!(mask("aanslag van J. de Vries", &[]), "aanslag van [naam]");
        assert_eq!(mask("J.P. Jansen belt over riool", &[]), "[naam] belt over riool");
        assert_eq!(mask("voor A.Bakker", &[]), "voor [naam]");
        assert_eq!(mask("zie p. 3", &[]), "zie p. 3");
    }

    #[test]
    fn words_of_a_known_customer_name_are_masked() {
        assert_eq!(
            mask("kwijtschelding jansen aanvraag", &["Jan van Jansen"]),
            "kwijtschelding [naam] aanvraag",
            "the known surname, folded"
        );
        assert_eq!(mask("van de dijk", &["Jan van Dijk"]), "van de [naam]", "particles are never masked alone");
    }

    #[test]
    fn masking_keeps_at_most_the_stored_length() {
        let long = "woord ".repeat(200);
        assert!(mask(&long, &[]).chars().count() <= MAX_STORED_CHARS);
    }

    #[test]
    fn the_group_key_is_sorted_without_repeats_or_placeholders() {
        let a = group_key(plain_terms(&without_placeholders("Rekening betalen [naam] rekening")));
        let b = group_key(plain_terms(&without_placeholders("betalen rekening")));
        assert_eq!(a, "betalen rekening");
        assert_eq!(a, b);
        assert_eq!(group_key(plain_terms("Één café")), "cafe een", "folded and sorted");
        assert_eq!(group_key(plain_terms(&without_placeholders("[naam] [postcode]"))), "");
    }

    #[test]
    fn a_question_is_kept_with_its_hour_and_iso_week() {
        let at: Timestamp = "2026-03-02T10:47:13Z".parse().unwrap();
        assert_eq!(hour_of(at).to_string(), "2026-03-02T10:00:00Z");
        assert_eq!(week_of(at), "2026-W10");
        // Sunday evening in Amsterdam is still the week before.
        assert_eq!(week_of("2026-03-01T22:30:00Z".parse().unwrap()), "2026-W09");
    }
}
