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

/// Maximum lengths shared by the API, forms and storage.
/// Lower-case and fold diacritics (ë → e, ĳ → ij), keeping letters and digits.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'ĳ' => out.push_str("ij"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

pub mod limits {
    pub const NAME: usize = 200;
    pub const SHORT: usize = 500;
    pub const LONG: usize = 20_000;
}
