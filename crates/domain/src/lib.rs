//! Gastvrij's domain: the types and rules of customer contact at a Dutch water board.
//!
//! Nothing in this crate does I/O. Values are parsed once at the edge ("parse, don't
//! validate"): a `Postcode` or `Email` that exists is valid.

pub mod api_token;
pub mod audit;
pub mod calendar;
pub mod case;
pub mod case_task;
pub mod channel;
mod codes;
pub mod complaint;
pub mod contact;
pub mod customer;
pub mod directory;
pub mod ids;
mod invalid;
pub mod journey;
pub mod json_schema;
pub mod kennisbank;
pub mod letter_template;
pub mod mail;
pub mod norm_versions;
pub mod norms;
pub mod open_data;
pub mod organisation;
pub mod photo;
pub mod plain_language;
pub mod planned_works;
pub mod portal;
pub mod pulse;
pub mod quarterly_review;
pub mod satisfaction;
pub mod search_questions;
pub mod team;
pub mod team_board;
pub mod telephony;
pub mod text;
pub mod topic;
pub mod values;

pub use invalid::{Format, Invalid, InvalidKind, Item, StateRule};
