//! Validated values: once constructed, they are valid.

use crate::{Format, Invalid, InvalidKind};
use serde::{Deserialize, Serialize};

macro_rules! string_value {
    ($(#[$doc:meta])* $name:ident, $field:literal, $parse:path, schema($($schema:tt)*)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(try_from = "String", into = "String")]
        #[schema(value_type = String, $($schema)*)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, Invalid> {
                $parse(s.trim()).map(Self).map_err(|kind| Invalid::new($field, kind))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = Invalid;
            fn from_str(s: &str) -> Result<Self, Invalid> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Invalid;
            fn try_from(s: String) -> Result<Self, Invalid> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_value!(
    /// An e-mail address, lower-cased domain, basic shape checked.
    Email, "email", parse_email, schema(format = "email", max_length = 254)
);
string_value!(
    /// A phone number: digits with an optional leading +, stored without spaces or dashes.
    PhoneNumber, "phone", parse_phone, schema(pattern = r"^\+?[0-9]{3,15}$")
);
string_value!(
    /// A Dutch postcode, normalised to `1234 AB`.
    Postcode, "postcode", parse_postcode, schema(pattern = r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
);
string_value!(
    /// A Chamber of Commerce (KvK) number: 8 digits.
    KvkNumber, "kvk_number", parse_kvk, schema(pattern = "^[0-9]{8}$")
);

fn malformed(given: &str, expected: Format) -> InvalidKind {
    InvalidKind::Malformed { given: given.to_string(), expected }
}

fn parse_email(s: &str) -> Result<String, InvalidKind> {
    if s.len() > 254 {
        return Err(InvalidKind::TooLong { max: 254 });
    }
    let (local, domain) = s.rsplit_once('@').ok_or_else(|| malformed(s, Format::Email))?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || local.contains(char::is_whitespace) || !domain_ok {
        return Err(malformed(s, Format::Email));
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

fn parse_phone(s: &str) -> Result<String, InvalidKind> {
    let cleaned: String = s.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    if digits.len() < 3 || digits.len() > 15 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(malformed(s, Format::Phone));
    }
    Ok(cleaned)
}

fn parse_postcode(s: &str) -> Result<String, InvalidKind> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let b = compact.as_bytes();
    let ok = b.len() == 6
        && b[0] != b'0'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_uppercase);
    if !ok {
        return Err(malformed(s, Format::Postcode));
    }
    Ok(format!("{} {}", &compact[..4], &compact[4..]))
}

fn parse_kvk(s: &str) -> Result<String, InvalidKind> {
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(malformed(s, Format::KvkNumber))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised_and_bad_ones_refused() {
        assert_eq!(Postcode::parse("2611ab").unwrap().as_str(), "2611 AB");
        assert_eq!(Postcode::parse(" 2611  AB ").unwrap().as_str(), "2611 AB");
        for bad in ["0611AB", "261AB", "2611A1", "ABCD12", ""] {
            assert!(Postcode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn emails_keep_local_part_and_lowercase_domain() {
        assert_eq!(Email::parse("Jan.Jansen@Example.NL").unwrap().as_str(), "Jan.Jansen@example.nl");
        for bad in ["jan", "jan@", "@x.nl", "jan@x", "j an@x.nl", "jan@.nl"] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn phone_numbers_lose_formatting() {
        assert_eq!(PhoneNumber::parse("06-123 456 78").unwrap().as_str(), "0612345678");
        assert_eq!(PhoneNumber::parse("+31 (0)6 1234").unwrap().as_str(), "+310612 34".replace(' ', ""));
        assert!(PhoneNumber::parse("bel me").is_err());
    }

    #[test]
    fn kvk_numbers_have_eight_digits() {
        assert!(KvkNumber::parse("12345678").is_ok());
        assert!(KvkNumber::parse("1234567").is_err());
        assert!(KvkNumber::parse("1234567a").is_err());
    }

    #[test]
    fn serde_refuses_invalid_values() {
        let r: Result<Postcode, _> = serde_json::from_str("\"nope\"");
        assert!(r.is_err());
    }
}
