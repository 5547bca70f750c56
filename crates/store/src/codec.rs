//! Conversions between domain values and the portable column types (text, bigint).

use anyhow::{Context, anyhow};
use gastvrij_app::StoreError;
use jiff::Timestamp;
use std::fmt::Display;
use std::str::FromStr;

pub fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn timestamp(v: i64) -> anyhow::Result<Timestamp> {
    Timestamp::from_microsecond(v).with_context(|| format!("stored time {v} is out of range"))
}

pub fn opt_timestamp(v: Option<i64>) -> anyhow::Result<Option<Timestamp>> {
    v.map(timestamp).transpose()
}

pub fn parse<T: FromStr>(column: &str, v: &str) -> anyhow::Result<T>
where
    T::Err: Display,
{
    v.parse().map_err(|e| anyhow!("stored {column} '{v}' is invalid: {e}"))
}

pub fn opt_parse<T: FromStr>(column: &str, v: Option<String>) -> anyhow::Result<Option<T>>
where
    T::Err: Display,
{
    v.map(|v| parse(column, &v)).transpose()
}

/// A list of codes as comma-separated text.
pub fn join<T: Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

pub fn split<T: FromStr>(column: &str, v: &str) -> anyhow::Result<Vec<T>>
where
    T::Err: Display,
{
    v.split(',').filter(|s| !s.is_empty()).map(|s| parse(column, s)).collect()
}

pub fn opt_str<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// Translate a database error: constraint violations become conflicts the caller can fix.
pub fn db_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) => match d.kind() {
            sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict(format!(
                "a record with this value already exists ({})",
                d.constraint().unwrap_or("unique")
            )),
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                StoreError::Conflict("the record refers to another record that does not exist".into())
            }
            _ => StoreError::Other(anyhow!(e)),
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Other(anyhow!(e)),
    }
}
