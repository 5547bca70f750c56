//! Customers (klanten), found by folded name, e-mail key, phone, postcode or KvK number.

use super::shared::{BULK_ROWS, Row, Tx, commit, commit_found, other, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, join, micros, opt_parse, opt_str, parse, split, timestamp};
use gastvrij_app::ports::{CustomerQuery, StoreResult};
use gastvrij_domain::audit::Change;
use gastvrij_domain::customer::{ContactDetails, Customer};
use gastvrij_domain::ids::CustomerId;
use gastvrij_domain::text::{email_key, fold};
use sqlx::{QueryBuilder, Row as _};

const CUSTOMER_COLUMNS: &str =
    "id, kind, name, segments, email, phone, postcode, house_number, street, city, kvk_number, created_at, updated_at";

fn customer_from(r: &Row) -> anyhow::Result<Customer> {
    Ok(Customer {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        kind: parse("kind", &r.try_get::<String, _>("kind")?)?,
        name: r.try_get("name")?,
        segments: split("segments", &r.try_get::<String, _>("segments")?)?,
        details: ContactDetails {
            email: opt_parse("email", r.try_get("email")?)?,
            phone: opt_parse("phone", r.try_get("phone")?)?,
            postcode: opt_parse("postcode", r.try_get("postcode")?)?,
            house_number: r.try_get("house_number")?,
            street: r.try_get("street")?,
            city: r.try_get("city")?,
            kvk_number: opt_parse("kvk_number", r.try_get("kvk_number")?)?,
        },
        created_at: timestamp(r.try_get("created_at")?)?,
        updated_at: timestamp(r.try_get("updated_at")?)?,
    })
}

pub(super) async fn bulk_customers_tx(tx: &mut Tx, customers: &[Customer]) -> StoreResult<()> {
    for chunk in customers.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO customers (id, kind, name, segments, email, phone, postcode, house_number, street, city, kvk_number, created_at, updated_at, name_folded, email_key) ",
        );
        qb.push_values(chunk, |mut b, c| {
            let d = &c.details;
            b.push_bind(c.id.to_string())
                .push_bind(c.kind.code())
                .push_bind(c.name.clone())
                .push_bind(join(&c.segments))
                .push_bind(opt_str(&d.email))
                .push_bind(opt_str(&d.phone))
                .push_bind(opt_str(&d.postcode))
                .push_bind(d.house_number.clone())
                .push_bind(d.street.clone())
                .push_bind(d.city.clone())
                .push_bind(opt_str(&d.kvk_number))
                .push_bind(micros(c.created_at))
                .push_bind(micros(c.updated_at))
                .push_bind(fold(c.name.as_deref().unwrap_or_default()))
                .push_bind(d.email.as_ref().map(|e| email_key(e.as_str())));
        });
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl gastvrij_app::ports::CustomerStore for Backend {
    async fn insert_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        bulk_customers_tx(&mut tx, std::slice::from_ref(customer)).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_customer(&self, c: &Customer, change: &Change) -> StoreResult<()> {
        let d = &c.details;
        let mut tx = self.begin_write().await?;
        // The first segment before the change: the contact figures are split by it.
        // (On PostgreSQL the row is locked, so two changes at once each see the other's result.)
        let lock = if Backend::BACKEND == "postgres" { " FOR UPDATE" } else { "" };
        let before: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM customers WHERE id = $1{lock}",
            super::shared::first_segment("segments")
        )))
        .bind(c.id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let done = sqlx::query(
            "UPDATE customers SET kind = $2, name = $3, segments = $4, email = $5, phone = $6, postcode = $7, house_number = $8, \
             street = $9, city = $10, kvk_number = $11, updated_at = $12, name_folded = $13, email_key = $14 WHERE id = $1",
        )
        .bind(c.id.to_string())
        .bind(c.kind.code())
        .bind(&c.name)
        .bind(join(&c.segments))
        .bind(opt_str(&d.email))
        .bind(opt_str(&d.phone))
        .bind(opt_str(&d.postcode))
        .bind(&d.house_number)
        .bind(&d.street)
        .bind(&d.city)
        .bind(opt_str(&d.kvk_number))
        .bind(micros(c.updated_at))
        .bind(fold(c.name.as_deref().unwrap_or_default()))
        .bind(d.email.as_ref().map(|e| email_key(e.as_str())))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        // The customer's cases carry its first segment: follow a change, and recompute their
        // roll-up days (as a contact's channel, `contacts::update_contact_tx`).
        let first = c.segments.first().map_or("", |s| s.code());
        sqlx::query(
            "INSERT INTO rollup_dirty (kind, id, day_at, touched) \
             SELECT 'case', id, created_at, $3 FROM cases WHERE customer_id = $1 AND segment <> $2 \
             ON CONFLICT (kind, id) DO UPDATE SET touched = excluded.touched",
        )
        .bind(c.id.to_string())
        .bind(first)
        .bind(micros(change.at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        // Its contacts' hours too: the contact roll-ups are split by the same first segment.
        if before.as_deref().is_some_and(|b| b != first) {
            let hours: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT DISTINCT started_at / {} FROM contacts WHERE customer_id = $1",
                super::shared::HOUR
            )))
            .bind(c.id.to_string())
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
            super::contact_rollups::mark_hours_tx(&mut tx, hours).await?;
        }
        sqlx::query("UPDATE cases SET segment = $2 WHERE customer_id = $1 AND segment <> $2")
            .bind(c.id.to_string())
            .bind(first)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "customer", change).await
    }

    async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>> {
        let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(customer_from).transpose().map_err(other)
    }

    async fn customers(&self, q: &CustomerQuery) -> StoreResult<Vec<Customer>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE 1 = 1"));
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", fold(text).replace(['%', '_'], ""));
            qb.push(" AND (name_folded LIKE ").push_bind(pattern);
            qb.push(" OR email_key = ").push_bind(email_key(text));
            qb.push(" OR phone = ").push_bind(text.replace([' ', '-'], ""));
            qb.push(" OR postcode = ").push_bind(text.to_uppercase());
            qb.push(" OR kvk_number = ").push_bind(text.to_string());
            qb.push(")");
        }
        if let Some(pc) = &q.postcode {
            qb.push(" AND postcode = ").push_bind(pc.clone());
        }
        if let Some(nr) = &q.house_number {
            qb.push(" AND house_number = ").push_bind(nr.clone());
        }
        qb.push(" ORDER BY name_folded, id LIMIT ").push_bind(i64::from(q.page.limit));
        qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(customer_from).collect::<anyhow::Result<_>>().map_err(other)
    }
}
