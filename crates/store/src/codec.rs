//! Conversions between domain values and the portable column types (text, bigint).

use anyhow::{Context, anyhow};
use gastvrij_app::StoreError;
use gastvrij_domain::{Invalid, InvalidKind};
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

/// Translate a database error: a violation of a known constraint becomes the field error it
/// stands for (carried as an `Invalid` that `AppError` unwraps); other constraint violations
/// become conflicts the caller can fix.
pub fn db_error(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e
        && let Some(invalid) = constraint_invalid(d.constraint(), d.message())
    {
        return StoreError::Other(anyhow::Error::new(invalid));
    }
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

/// The field error a known constraint stands for. PostgreSQL names the constraint
/// (`teams_name_key`); SQLite only says `UNIQUE constraint failed: teams.name` and gives no
/// name for a foreign key, so foreign keys map on PostgreSQL only (the use cases check
/// references before writing; this catches a reference deleted in between).
pub fn constraint_invalid(constraint: Option<&str>, message: &str) -> Option<Invalid> {
    let key = constraint.or_else(|| message.split_once("UNIQUE constraint failed: ").map(|(_, k)| k.trim()))?;
    let (field, kind) = match key {
        "teams_name_key" | "teams.name" => ("name", InvalidKind::Duplicate),
        "employees_username_key" | "employees.username" => ("username", InvalidKind::Duplicate),
        "employees_team_id_fkey" | "topics_team_id_fkey" | "cases_team_id_fkey" => ("team_id", unknown()),
        "consultations_to_team_fkey" => ("to_team", unknown()),
        "consultations_to_employee_fkey" => ("to_employee", unknown()),
        "topics_parent_id_fkey" => ("parent_id", unknown()),
        "questions_topic_id_fkey" | "cases_topic_id_fkey" | "articles_topic_id_fkey" => ("topic_id", unknown()),
        "contacts_customer_id_fkey" | "cases_customer_id_fkey" => ("customer_id", unknown()),
        "contacts_agent_id_fkey" => ("agent_id", unknown()),
        "cases_owner_id_fkey" => ("owner_id", unknown()),
        "cases_contact_id_fkey" | "consultations_contact_id_fkey" | "calls_contact_id_fkey" => {
            ("contact_id", unknown())
        }
        _ => return None,
    };
    Some(Invalid::new(field, kind))
}

fn unknown() -> InvalidKind {
    InvalidKind::Unknown { given: String::new(), allowed: vec![] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_constraints_of_both_databases_become_field_errors() {
        let pg = constraint_invalid(Some("employees_username_key"), "duplicate key value").unwrap();
        let sqlite = constraint_invalid(None, "UNIQUE constraint failed: employees.username").unwrap();
        assert_eq!(pg, sqlite);
        assert_eq!((pg.field, pg.kind), ("username", InvalidKind::Duplicate));
        let fk = constraint_invalid(Some("topics_team_id_fkey"), "violates foreign key constraint").unwrap();
        assert!(matches!(fk.kind, InvalidKind::Unknown { .. }) && fk.field == "team_id");
        assert_eq!(constraint_invalid(Some("survey_answers_pkey"), "duplicate key value"), None);
        assert_eq!(constraint_invalid(None, "FOREIGN KEY constraint failed"), None);
    }
}
