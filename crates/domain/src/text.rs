//! Free-text fields: trimmed, non-empty where required, bounded in length.

use crate::{Invalid, InvalidKind};

/// Trim `value` and check it is between 1 and `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::empty(field));
    }
    bounded(field, value, max)
}

/// Trim `value`; empty becomes `None`; longer than `max` characters is refused.
pub fn optional(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => bounded(field, v, max).map(Some),
    }
}

fn bounded(field: &'static str, value: &str, max: usize) -> Result<String, Invalid> {
    let len = value.chars().count();
    if len > max {
        return Err(Invalid::new(field, InvalidKind::TooLong { max }));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(Invalid::new(field, InvalidKind::ControlCharacters));
    }
    Ok(value.to_string())
}

/// Fold `text` for comparing and sorting names, places and words: every case folded (full
/// Unicode, not just ASCII) and every diacritic removed, so `Özdemir`, `özdemir` and `OZDEMIR`
/// all become `ozdemir`.
///
/// Exactly: the text is decomposed (Unicode NFKD, so `ĳ` becomes `ij` and `ﬁ` becomes `fi`),
/// combining marks are dropped (`ö` → `o`), letters are lower-cased, and the letters that carry
/// no separable mark are spelled out: `æ` → `ae`, `œ` → `oe`, `ø` → `o`, `ß`/`ẞ` → `ss`,
/// `ł` → `l`, `đ`/`ð` → `d`, `þ` → `th`, dotless `ı` → `i`, final `ς` → `σ`. Everything else
/// (digits, spaces, punctuation) stays as it is. The store keeps this fold of names beside them
/// and searches and sorts by it, so SQLite and PostgreSQL give the same answers in the same order.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().flat_map(char::to_lowercase) {
        match c {
            c if is_combining_mark(c) => {}
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ß' => out.push_str("ss"),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            'ς' => out.push('σ'),
            c => out.push(c),
        }
    }
    out
}

/// The key an e-mail address is compared and sorted by: the whole address lower-cased (full
/// Unicode). Unlike [`fold`] it keeps diacritics, since `josé@example.nl` and `jose@example.nl`
/// are different mailboxes.
pub fn email_key(address: &str) -> String {
    address.trim().to_lowercase()
}

/// Maximum lengths shared by the API, forms and storage.
pub mod limits {
    pub const NAME: usize = 200;
    pub const SHORT: usize = 500;
    pub const LONG: usize = 20_000;
}

#[cfg(test)]
mod tests {
    use super::{email_key, fold};

    #[test]
    fn fold_ignores_case_and_diacritics_across_unicode() {
        for name in ["Özdemir", "özdemir", "OZDEMIR", "ÖZDEMİR", "Ozdemir"] {
            assert_eq!(fold(name), "ozdemir", "{name}");
        }
        assert_eq!(fold("Ærø"), "aero");
        assert_eq!(fold("AERØ"), "aero");
        assert_eq!(fold("ĲSSELMEER"), "ijsselmeer");
        assert_eq!(fold("IJsselmeer"), "ijsselmeer");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Café ĲSSEL"), "cafe ijssel");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("ΟΔΟΣ"), fold("οδος"));
    }

    #[test]
    fn fold_keeps_digits_spaces_and_punctuation() {
        assert_eq!(fold("De Vries-Smit 2"), "de vries-smit 2");
    }

    #[test]
    fn email_key_lowercases_but_keeps_accents() {
        assert_eq!(email_key("Özlem.Kaya@Example.NL"), "özlem.kaya@example.nl");
        assert_ne!(email_key("josé@example.nl"), email_key("jose@example.nl"));
    }
}
