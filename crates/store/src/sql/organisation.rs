//! The organisation, its teams, employees (with the directory) and topics.

use super::Backend;
use super::shared::{EMPLOYEE_COLUMNS, Query, Row, Tx, commit, commit_found, employee_from, other, write_audit};
use crate::codec::{db_error, join, micros, opt_parse, opt_str, parse, timestamp};
use gastvrij_app::ports::StoreResult;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{EmployeeId, TeamId, TopicId};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::team::{Employee, Team};
use gastvrij_domain::text::fold;
use gastvrij_domain::topic::Topic;
use gastvrij_domain::values::{Email, PhoneNumber};
use sqlx::Row as _;

fn team_from(r: &Row) -> anyhow::Result<Team> {
    Ok(Team {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
    })
}

fn topic_from(r: &Row) -> anyhow::Result<Topic> {
    Ok(Topic {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        parent_id: opt_parse("parent_id", r.try_get("parent_id")?)?,
        name: r.try_get("name")?,
        team_id: opt_parse("team_id", r.try_get("team_id")?)?,
    })
}

/// Bind the team's columns `$1` to `$4` (in the order of the INSERT and UPDATE below).
fn bind_team<'q>(q: Query<'q>, t: &'q Team) -> Query<'q> {
    q.bind(t.id.to_string()).bind(&t.name).bind(&t.description).bind(fold(&t.name))
}

pub(super) async fn insert_team_tx(tx: &mut Tx, t: &Team) -> StoreResult<()> {
    let q = sqlx::query("INSERT INTO teams (id, name, description, name_folded) VALUES ($1, $2, $3, $4)");
    bind_team(q, t).execute(&mut **tx).await.map_err(db_error)?;
    Ok(())
}

/// Bind the employee's columns `$1` to `$9` (in the order of the INSERT and UPDATE below).
fn bind_employee<'q>(q: Query<'q>, e: &'q Employee) -> Query<'q> {
    q.bind(e.id.to_string())
        .bind(&e.name)
        .bind(opt_str(&e.email))
        .bind(opt_str(&e.phone))
        .bind(opt_str(&e.team_id))
        .bind(join(&e.roles))
        .bind(&e.username)
        .bind(e.active)
        .bind(fold(&e.name))
}

pub(super) async fn insert_employee_tx(tx: &mut Tx, e: &Employee) -> StoreResult<()> {
    let q = sqlx::query(
        "INSERT INTO employees (id, name, email, phone, team_id, roles, username, active, name_folded) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    );
    bind_employee(q, e).execute(&mut **tx).await.map_err(db_error)?;
    Ok(())
}

/// Bind the topic's columns `$1` to `$5` (in the order of the INSERT and UPDATE below).
fn bind_topic<'q>(q: Query<'q>, t: &'q Topic) -> Query<'q> {
    q.bind(t.id.to_string()).bind(opt_str(&t.parent_id)).bind(&t.name).bind(opt_str(&t.team_id)).bind(fold(&t.name))
}

pub(super) async fn insert_topic_tx(tx: &mut Tx, t: &Topic) -> StoreResult<()> {
    let q = sqlx::query("INSERT INTO topics (id, parent_id, name, team_id, name_folded) VALUES ($1, $2, $3, $4, $5)");
    bind_topic(q, t).execute(&mut **tx).await.map_err(db_error)?;
    Ok(())
}

#[async_trait::async_trait]
impl gastvrij_app::ports::OrganisationStore for Backend {
    async fn organisation(&self) -> StoreResult<Option<Organisation>> {
        let row = sqlx::query(
            "SELECT name, inhabitants, time_zone, on_call_email, on_call_phone FROM organisation WHERE id = 1",
        )
        .fetch_optional(self.reader())
        .await
        .map_err(db_error)?;
        row.map(|r| -> anyhow::Result<Organisation> {
            let inhabitants: i64 = r.try_get("inhabitants")?;
            Ok(Organisation {
                name: r.try_get("name")?,
                inhabitants: u32::try_from(inhabitants)?,
                time_zone: r.try_get("time_zone")?,
                on_call_email: r
                    .try_get::<Option<String>, _>("on_call_email")?
                    .as_deref()
                    .map(Email::parse)
                    .transpose()?,
                on_call_phone: r
                    .try_get::<Option<String>, _>("on_call_phone")?
                    .as_deref()
                    .map(PhoneNumber::parse)
                    .transpose()?,
            })
        })
        .transpose()
        .map_err(other)
    }

    async fn save_organisation(&self, org: &Organisation, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO organisation (id, name, inhabitants, time_zone, on_call_email, on_call_phone) VALUES (1, $1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, inhabitants = excluded.inhabitants, time_zone = excluded.time_zone, \
             on_call_email = excluded.on_call_email, on_call_phone = excluded.on_call_phone",
        )
        .bind(&org.name)
        .bind(i64::from(org.inhabitants))
        .bind(&org.time_zone)
        .bind(org.on_call_email.as_ref().map(|e| e.as_str().to_string()))
        .bind(org.on_call_phone.as_ref().map(|p| p.as_str().to_string()))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn insert_team(&self, team: &Team, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        insert_team_tx(&mut tx, team).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_team(&self, team: &Team, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let q = sqlx::query("UPDATE teams SET name = $2, description = $3, name_folded = $4 WHERE id = $1");
        let done = bind_team(q, team).execute(&mut *tx).await.map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "team", change).await
    }

    async fn team(&self, id: TeamId) -> StoreResult<Option<Team>> {
        let row = sqlx::query("SELECT id, name, description FROM teams WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(team_from).transpose().map_err(other)
    }

    async fn teams(&self) -> StoreResult<Vec<Team>> {
        let rows = sqlx::query("SELECT id, name, description FROM teams ORDER BY name_folded, id")
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter().map(team_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn insert_employee(&self, employee: &Employee, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        insert_employee_tx(&mut tx, employee).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_employee(&self, e: &Employee, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let q = sqlx::query(
            "UPDATE employees SET name = $2, email = $3, phone = $4, team_id = $5, roles = $6, username = $7, active = $8, name_folded = $9 WHERE id = $1",
        );
        let done = bind_employee(q, e).execute(&mut *tx).await.map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "employee", change).await
    }

    async fn employee(&self, id: EmployeeId) -> StoreResult<Option<Employee>> {
        let sql = format!("SELECT {EMPLOYEE_COLUMNS} FROM employees WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(employee_from).transpose().map_err(other)
    }

    async fn employee_by_username(&self, username: &str) -> StoreResult<Option<Employee>> {
        let sql = format!("SELECT {EMPLOYEE_COLUMNS} FROM employees WHERE username = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(employee_from).transpose().map_err(other)
    }

    async fn employees(&self) -> StoreResult<Vec<Employee>> {
        let sql = format!("SELECT {EMPLOYEE_COLUMNS} FROM employees ORDER BY name_folded, id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(employee_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn directory(&self) -> StoreResult<Vec<gastvrij_domain::directory::DirectoryEntry>> {
        let rows: Vec<(String, String, String, Option<String>, Option<String>, i64)> = sqlx::query_as(
            "SELECT employee_id, expertise, availability, until, note, updated_at FROM employee_directory",
        )
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(id, expertise, availability, until, note, updated_at)| {
                Ok(gastvrij_domain::directory::DirectoryEntry {
                    employee_id: parse("employee_id", &id)?,
                    expertise: serde_json::from_str(&expertise)?,
                    availability: gastvrij_domain::directory::Availability::parse(&availability)?,
                    until,
                    note,
                    updated_at: timestamp(updated_at)?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn save_directory_entry(
        &self,
        entry: &gastvrij_domain::directory::DirectoryEntry,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO employee_directory (employee_id, expertise, availability, until, note, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (employee_id) DO UPDATE SET expertise = excluded.expertise, \
             availability = excluded.availability, until = excluded.until, note = excluded.note, updated_at = excluded.updated_at",
        )
        .bind(entry.employee_id.to_string())
        .bind(serde_json::to_string(&entry.expertise).map_err(other)?)
        .bind(entry.availability.code())
        .bind(entry.until.as_deref())
        .bind(entry.note.as_deref())
        .bind(micros(entry.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn insert_topic(&self, topic: &Topic, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        insert_topic_tx(&mut tx, topic).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_topic(&self, t: &Topic, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let q =
            sqlx::query("UPDATE topics SET parent_id = $2, name = $3, team_id = $4, name_folded = $5 WHERE id = $1");
        let done = bind_topic(q, t).execute(&mut *tx).await.map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "topic", change).await
    }

    async fn topic(&self, id: TopicId) -> StoreResult<Option<Topic>> {
        let row = sqlx::query("SELECT id, parent_id, name, team_id FROM topics WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(topic_from).transpose().map_err(other)
    }

    async fn topics(&self) -> StoreResult<Vec<Topic>> {
        let rows = sqlx::query("SELECT id, parent_id, name, team_id FROM topics ORDER BY name_folded, id")
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter().map(topic_from).collect::<anyhow::Result<_>>().map_err(other)
    }
}
