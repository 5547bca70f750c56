//! The queries of the `Store` port, one file per area of the port (`gastvrij_app::ports`).
//!
//! These files are compiled twice: `sqlite.rs` and `postgres.rs` each declare
//! `#[path = "sql/mod.rs"] mod sql;` after naming their database and store type, as `Db` and
//! `Backend`. So the SQL is written once and each backend gets its own monomorphic code: no
//! generics over `sqlx::Database` (whose bounds would swamp every query) and no `sqlx::Any`.
//! The SQL is portable (`$N` parameters, `ON CONFLICT`, `RETURNING`), times are stored as
//! microseconds since the epoch and ids as text, so the two backends cannot drift apart.
//! As plain modules (not macro bodies), the files are formatted by rustfmt and checked by
//! clippy like any other.
//!
//! Each file names everything it uses in its `use` lines. A table's writes live in the area that
//! owns the table; a use case whose one transaction spans areas (an import batch, a submission,
//! a question that opens a case) imports them from there. `shared` holds what belongs to no one
//! area: the transaction and row types, the audit log and commit.
//!
//! The store type must have `fn reader(&self) -> &Pool<Db>` and
//! `async fn begin_write(&self) -> Result<Transaction<'static, Db>, StoreError>`.

use super::{Backend, Db};

mod accounts;
mod audit;
mod cases;
mod contact_rollups;
mod contacts;
mod customers;
mod folds;
mod imports;
mod journey_rollups;
mod journeys;
mod kennisbank;
mod letter_templates;
mod limits;
mod mail;
mod norms;
mod open_data;
mod organisation;
mod planned_works;
mod portal;
mod privacy;
mod pulse;
mod rollups;
mod satisfaction;
mod search_questions;
mod shared;
mod team_board;
mod telephony;
