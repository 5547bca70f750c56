//! The one place that decides which key derives the secret links in citizens' mails: the
//! tracking link of a submission, the unsubscribe link of a work subscription and the link to a
//! satisfaction survey.
//!
//! Both are HMAC-SHA256 tokens (`secrets::derived_token`) of which the database keeps only the
//! SHA-256, so a link is checked by looking its hash up and needs no key. The key matters when a
//! link is made: whoever holds it can make the link of any submission or subscription. So it is
//! kept apart from the database, in a file (`gastvrij serve --link-key-file`, [`LinkKey`]), and a
//! copy of the database alone (a leaked backup) makes no working link.
//!
//! Installations from before kept the key in the database (`installation_secrets`, one per kind
//! of link). Links made with it keep working, as their hashes are stored. New mails about a record
//! made back then need the same link again, so for such a record the old key derives it: a link
//! for an existing record ([`App::link_token`]) is the file key's when the record's stored hash
//! matches that one, else the old key's when its matches. The old key is only read, never made.
//! Without a key file (tools and tests) the database key is used and made on first use, as before.

use crate::secrets::{derived_token, token_hash};
use crate::{App, AppError};
use std::sync::OnceLock;

/// What a link leads to; each kind has a key of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// A submission's tracking page (`/volgen/…`).
    Tracking,
    /// Ending a work subscription (`/werkzaamheden/afmelden/…`).
    Unsubscribe,
    /// Answering a satisfaction survey (`/enquete/…`).
    Survey,
}

impl LinkPurpose {
    /// The name of the kind's key in `installation_secrets` (from before the key file), which
    /// also separates the kinds' keys derived from the file key.
    fn name(self) -> &'static str {
        match self {
            LinkPurpose::Tracking => "tracking_links",
            LinkPurpose::Unsubscribe => "unsubscribe_links",
            LinkPurpose::Survey => "survey_links",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Bytes a link key must have at least: 256 bits.
pub const MIN_LINK_KEY_BYTES: usize = 32;

/// The installation's link key, as read from its file. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey([hidden])")
    }
}

/// Why a key file's contents are no link key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkKeyError {
    #[error(
        "holds {0} bytes; a link key needs at least {MIN_LINK_KEY_BYTES} random bytes, raw or as hex \
         (make one with: openssl rand -hex 32)"
    )]
    TooShort(usize),
}

impl LinkKey {
    /// The key in a key file: hex digits (at least 64, surrounding white space ignored), or else
    /// the file's bytes as they are (at least 32).
    pub fn from_file_contents(contents: &[u8]) -> Result<Self, LinkKeyError> {
        let trimmed = contents.trim_ascii();
        let hex = trimmed.len().is_multiple_of(2) && !trimmed.is_empty() && trimmed.iter().all(u8::is_ascii_hexdigit);
        let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
        let bytes: Vec<u8> = if hex {
            trimmed.chunks(2).map(|pair| (digit(pair[0]) << 4) | digit(pair[1])).collect()
        } else {
            contents.to_vec()
        };
        if bytes.len() < MIN_LINK_KEY_BYTES {
            return Err(LinkKeyError::TooShort(bytes.len()));
        }
        Ok(LinkKey(bytes))
    }

    /// A new random key.
    pub fn generate() -> Result<Self, AppError> {
        Ok(LinkKey(crate::secrets::random_bytes::<MIN_LINK_KEY_BYTES>()?.to_vec()))
    }

    /// The key as its file holds it: hex and a line end.
    pub fn file_contents(&self) -> String {
        let mut s = crate::secrets::hex(&self.0);
        s.push('\n');
        s
    }

    /// The key of one kind of link (HMAC of the kind's name, as hex), so one file serves both
    /// and a tracking token is never an unsubscribe token.
    fn for_purpose(&self, purpose: LinkPurpose) -> Vec<u8> {
        derived_token(&self.0, format!("gastvrij link key\n{}", purpose.name()).as_bytes(), 32).into_bytes()
    }
}

/// The keys links are made with: the file's, and the database's of each kind as far as read.
#[derive(Default)]
pub(crate) struct LinkKeys {
    file: Option<LinkKey>,
    /// The database key of each kind ([`LinkPurpose::index`]), read (or, without a file key, made)
    /// once.
    database: [OnceLock<Option<String>>; 3],
}

impl LinkKeys {
    pub(crate) fn with_file_key(key: LinkKey) -> Self {
        LinkKeys { file: Some(key), database: Default::default() }
    }
}

impl App {
    /// The same app, making links with `key` (the installation's key file) instead of the key
    /// in the database.
    pub fn with_link_key(mut self, key: LinkKey) -> Self {
        self.links = std::sync::Arc::new(LinkKeys::with_file_key(key));
        self
    }

    /// The token of a link to a record made now (nothing is stored under it yet).
    pub(crate) async fn new_link_token(&self, purpose: LinkPurpose, message: &[u8]) -> Result<String, AppError> {
        match &self.links.file {
            Some(key) => Ok(derived_token(&key.for_purpose(purpose), message, 24)),
            None => {
                Ok(derived_token(self.database_link_key(purpose).await?.unwrap_or_default().as_bytes(), message, 24))
            }
        }
    }

    /// The token of the link to the record `message` names: the one whose hash the record keeps,
    /// so a new mail carries the same link as the mails before it; for a record not stored yet,
    /// a new one (see the module's comment).
    pub async fn link_token(&self, purpose: LinkPurpose, message: &[u8]) -> Result<String, AppError> {
        let token = self.new_link_token(purpose, message).await?;
        if self.links.file.is_none() || self.is_stored(purpose, &token).await? {
            return Ok(token);
        }
        if let Some(old) = self.database_link_key(purpose).await? {
            let old = derived_token(old.as_bytes(), message, 24);
            if self.is_stored(purpose, &old).await? {
                return Ok(old);
            }
        }
        Ok(token)
    }

    /// Whether a record keeps the hash of `token`.
    async fn is_stored(&self, purpose: LinkPurpose, token: &str) -> Result<bool, AppError> {
        let hash = token_hash(token);
        Ok(match purpose {
            LinkPurpose::Tracking => self.store.submission_by_token(&hash).await?.is_some(),
            LinkPurpose::Unsubscribe => self.store.subscription_by_unsubscribe_hash(&hash).await?.is_some(),
            LinkPurpose::Survey => self.store.survey_invitation(&hash).await?.is_some(),
        })
    }

    /// The kind's key in the database: only read when there is a key file, made when missing
    /// when there is none.
    async fn database_link_key(&self, purpose: LinkPurpose) -> Result<Option<String>, AppError> {
        let cell = &self.links.database[purpose.index()];
        if let Some(key) = cell.get() {
            return Ok(key.clone());
        }
        let key = match self.links.file {
            Some(_) => self.store.stored_installation_secret(purpose.name()).await?,
            None => Some(self.store.installation_secret(purpose.name(), &crate::secrets::random_hex(32)?).await?),
        };
        Ok(cell.get_or_init(|| key).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_holds_hex_or_raw_bytes_of_at_least_256_bits() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
        let from_hex = LinkKey::from_file_contents(format!("  {hex}\n").as_bytes()).unwrap();
        assert_eq!(from_hex.0.len(), 32);
        assert_eq!(from_hex.0[..2], [0x00, 0x11]);
        assert_eq!(from_hex.0[31], 0xff);
        assert_eq!(from_hex.file_contents(), format!("{}\n", hex.to_lowercase()));
        assert_eq!(LinkKey::from_file_contents(from_hex.file_contents().as_bytes()).unwrap(), from_hex);
        let raw = [0xe9_u8; 40];
        assert_eq!(LinkKey::from_file_contents(&raw).unwrap().0, raw.to_vec());
        assert_eq!(LinkKey::from_file_contents(&hex.as_bytes()[..62]), Err(LinkKeyError::TooShort(31)));
        assert_eq!(LinkKey::from_file_contents(b"geheim\n"), Err(LinkKeyError::TooShort(7)));
        assert_eq!(LinkKey::from_file_contents(b""), Err(LinkKeyError::TooShort(0)));
        assert!(!format!("{from_hex:?}").contains("0011"), "Debug hides the key");
    }

    #[test]
    fn each_kind_of_link_has_its_own_key_and_generated_keys_differ() {
        let key = LinkKey::generate().unwrap();
        assert_eq!(key.0.len(), MIN_LINK_KEY_BYTES);
        assert_ne!(key.for_purpose(LinkPurpose::Tracking), key.for_purpose(LinkPurpose::Unsubscribe));
        assert_ne!(key, LinkKey::generate().unwrap());
    }
}
