//! Use case: the plain-language (B1) check of a text a staff member is writing (a template, an
//! answer). Pure computation; nothing is stored.

use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::plain_language::{self, MAX_TEXT_CHARS, PlainLanguageReport};
use gastvrij_domain::{Invalid, InvalidKind};

impl App {
    /// Checks `text` for plain language; any staff role may. A text over
    /// [`MAX_TEXT_CHARS`] characters is refused as too long, one without words as empty.
    pub fn check_plain_language(&self, who: &Principal, text: &str) -> Result<PlainLanguageReport, AppError> {
        who.require(roles::STAFF)?;
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(Invalid::new("text", InvalidKind::TooLong { max: MAX_TEXT_CHARS }).into());
        }
        Ok(plain_language::check(text)?)
    }
}
