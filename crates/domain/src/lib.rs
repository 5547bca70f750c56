//! Gastvrij's domain: the types and rules of customer contact at a Dutch water board.
//!
//! Nothing in this crate does I/O. Values are parsed once at the edge ("parse, don't
//! validate"): a `Postcode` or `Email` that exists is valid.

pub mod audit;
pub mod calendar;
pub mod case;
pub mod channel;
mod codes;
pub mod contact;
pub mod customer;
pub mod directory;
pub mod ids;
pub mod knowledge;
pub mod mail;
pub mod norms;
pub mod organisation;
pub mod photo;
pub mod planned_work;
pub mod portal;
pub mod team;
pub mod telephony;
pub mod text;
pub mod topic;
pub mod values;

/// A rule violation caused by input: the message says what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    /// The field (as named in the API or form) that is wrong.
    pub field: &'static str,
    /// What is wrong and how to fix it, in plain English for the API; the UI translates.
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}
