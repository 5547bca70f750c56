//! What every area uses: the transaction and row types, the audit log, commit, the answer to an
//! update that matched no row, and the employee columns (read by organisation and accounts).

use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, parse, split};
use gastvrij_app::StoreError;
use gastvrij_app::ports::StoreResult;
use gastvrij_domain::audit::Change;
use gastvrij_domain::team::Employee;
use sqlx::{QueryBuilder, Row as _};

pub(super) type Row = <Db as sqlx::Database>::Row;
pub(super) type Tx = sqlx::Transaction<'static, Db>;
pub(super) type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>;

pub(super) async fn write_audit(tx: &mut Tx, change: &Change) -> StoreResult<()> {
    bulk_audit_tx(tx, &[change]).await
}

pub(super) async fn bulk_audit_tx(tx: &mut Tx, changes: &[&Change]) -> StoreResult<()> {
    for chunk in changes.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new("INSERT INTO audit_log (at, actor, action, entity_id, summary) ");
        qb.push_values(chunk, |mut b, change| {
            b.push_bind(micros(change.at))
                .push_bind(change.actor.to_code())
                .push_bind(change.action)
                .push_bind(change.entity_id.clone())
                .push_bind(change.summary.clone());
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

/// After an update matched no row: a stale version (someone else saved first) or a
/// record that does not exist.
pub(super) async fn stale_or_missing(tx: &mut Tx, table: &'static str, id: String, what: &'static str) -> StoreError {
    let sql = format!("SELECT version FROM {table} WHERE id = $1");
    match sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await {
        Ok(Some(_)) => StoreError::Conflict(format!(
            "the {what} was changed by someone else in the meantime; reload it and try again"
        )),
        Ok(None) => StoreError::NotFound(what),
        Err(e) => db_error(e),
    }
}

pub(super) async fn commit(tx: Tx) -> StoreResult<()> {
    tx.commit().await.map_err(db_error)
}

/// Finish the update of one record: audit and commit it, or, when the update matched no row
/// (`rows` is 0), report `what` as not found and write nothing (dropping `tx` rolls it back).
pub(super) async fn commit_found(mut tx: Tx, rows: u64, what: &'static str, change: &Change) -> StoreResult<()> {
    if rows == 0 {
        return Err(StoreError::NotFound(what));
    }
    write_audit(&mut tx, change).await?;
    commit(tx).await
}

pub(super) fn other(e: impl Into<anyhow::Error>) -> StoreError {
    StoreError::Other(e.into())
}

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's parameter limits.
pub(super) const BULK_ROWS: usize = 400;

/// Microseconds in an hour: `at / HOUR` is the UTC hour of a stored moment.
pub(super) const HOUR: i64 = 3_600_000_000;

/// The UTC hour of a moment, as the roll-up markers count hours.
pub(super) fn hour_of(at: jiff::Timestamp) -> i64 {
    micros(at).div_euclid(HOUR)
}

/// Mark the UTC hours `hours` (in any order, repeats allowed) in the marker table `table`
/// (`contact_dirty`, `journey_dirty`): a new hour starts at 0, a marked one counts up, so a
/// refresh that read the old counter leaves it standing.
pub(super) async fn mark_hours_tx(
    tx: &mut Tx,
    table: &'static str,
    hours: impl IntoIterator<Item = i64>,
) -> StoreResult<()> {
    let hours: std::collections::BTreeSet<i64> = hours.into_iter().collect();
    let hours: Vec<i64> = hours.into_iter().collect();
    for chunk in hours.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO {table} (utc_hour, touched) "));
        qb.push_values(chunk, |mut b, h| {
            b.push_bind(*h).push_bind(0i64);
        });
        qb.push(format!(" ON CONFLICT (utc_hour) DO UPDATE SET touched = {table}.touched + 1"));
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

/// SQL for the first of the segments in `column` (stored joined by commas, `codec::join`), as
/// the satisfaction survey takes it; '' when the column is NULL or empty. Cases carry it
/// (`cases.segment`) and the contact roll-ups group by it.
pub(super) fn first_segment(column: &str) -> String {
    let position = if Backend::BACKEND == "postgres" { "strpos" } else { "instr" };
    format!("COALESCE(substr({column}, 1, {position}({column} || ',', ',') - 1), '')")
}

pub(super) const EMPLOYEE_COLUMNS: &str = "id, name, email, phone, team_id, roles, username, active";

pub(super) fn employee_from(r: &Row) -> anyhow::Result<Employee> {
    Ok(Employee {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        name: r.try_get("name")?,
        email: opt_parse("email", r.try_get("email")?)?,
        phone: opt_parse("phone", r.try_get("phone")?)?,
        team_id: opt_parse("team_id", r.try_get("team_id")?)?,
        roles: split("roles", &r.try_get::<String, _>("roles")?)?,
        username: r.try_get("username")?,
        active: r.try_get("active")?,
    })
}

#[async_trait::async_trait]
impl gastvrij_app::Store for Backend {
    fn backend(&self) -> &'static str {
        Self::BACKEND
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(self.reader()).await.map_err(db_error)?;
        Ok(())
    }
}
