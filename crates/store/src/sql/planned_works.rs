//! Planned works (the activity calendar) and their subscriptions.
//!
//! Dates are ISO text (`YYYY-MM-DD`), which sorts and compares like the dates themselves. A
//! work's areas are kept twice: as typed in `planned_works.area` (read back and parsed by the
//! domain, so their order stays) and one row per part in `planned_work_areas` for the postcode
//! and place queries.

use super::mail::enqueue_mail_tx;
use super::shared::{Query, Row, Tx, commit, commit_found, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_timestamp, parse, timestamp};
use gastvrij_app::StoreError;
use gastvrij_app::ports::{NewSubscription, PlannedWorkQuery, PlannedWorkStore, StoreResult, SubscriberNews};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{ContactId, PlannedWorkId, SubscriptionId};
use gastvrij_domain::planned_works::{self, Area, PlannedWork, Subscription};
use gastvrij_domain::text::{email_key, fold};
use jiff::civil::Date;
use sqlx::{QueryBuilder, Row as _};

const WORK_COLUMNS: &str = "id, title, what, why, area, starts_on, ends_on, contact, created_at, updated_at";

const SUBSCRIPTION_COLUMNS: &str = "id, email, postcode, created_at, confirmed_at, unsubscribed_at";

fn work_from(r: &Row) -> anyhow::Result<PlannedWork> {
    let area: String = r.try_get("area")?;
    Ok(PlannedWork {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        title: r.try_get("title")?,
        what: r.try_get("what")?,
        why: r.try_get("why")?,
        // Refilled from planned_work_areas below when the text no longer parses.
        areas: planned_works::parse_area(&area).unwrap_or_default(),
        area,
        starts_on: parse("starts_on", &r.try_get::<String, _>("starts_on")?)?,
        ends_on: parse("ends_on", &r.try_get::<String, _>("ends_on")?)?,
        contact: r.try_get("contact")?,
        created_at: timestamp(r.try_get("created_at")?)?,
        updated_at: timestamp(r.try_get("updated_at")?)?,
    })
}

/// Bind a work's columns `$1` (id) to `$9` (updated_at), in the order of the INSERT and UPDATE
/// below.
fn bind_work<'q>(q: Query<'q>, w: &'q PlannedWork) -> Query<'q> {
    q.bind(w.id.to_string())
        .bind(&w.title)
        .bind(&w.what)
        .bind(&w.why)
        .bind(&w.area)
        .bind(w.starts_on.to_string())
        .bind(w.ends_on.to_string())
        .bind(&w.contact)
        .bind(micros(w.updated_at))
}

fn subscription_from(r: &Row) -> anyhow::Result<Subscription> {
    Ok(Subscription {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        email: parse("email", &r.try_get::<String, _>("email")?)?,
        postcode: parse("postcode", &r.try_get::<String, _>("postcode")?)?,
        created_at: timestamp(r.try_get("created_at")?)?,
        confirmed_at: opt_timestamp(r.try_get("confirmed_at")?)?,
        unsubscribed_at: opt_timestamp(r.try_get("unsubscribed_at")?)?,
    })
}

async fn insert_areas_tx(tx: &mut Tx, w: &PlannedWork) -> StoreResult<()> {
    for a in &w.areas {
        let (from, to, place) = match a {
            Area::Postcodes { from, to } => (Some(i64::from(*from)), Some(i64::from(*to)), None),
            Area::Place { name } => (None, None, Some(name.clone())),
        };
        sqlx::query(
            "INSERT INTO planned_work_areas (work_id, postcode_from, postcode_to, place, place_folded) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(w.id.to_string())
        .bind(from)
        .bind(to)
        .bind(place.clone())
        .bind(place.as_deref().map(fold))
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

async fn subscription_tx(tx: &mut Tx, id: &str) -> StoreResult<Subscription> {
    let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM work_subscriptions WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut **tx).await.map_err(db_error)?;
    subscription_from(&row).map_err(StoreError::Other)
}

impl Backend {
    /// Works from rows; a work whose area text no longer parses gets its stored parts.
    async fn works_from(&self, rows: &[Row]) -> StoreResult<Vec<PlannedWork>> {
        let mut works = Vec::with_capacity(rows.len());
        for r in rows {
            let mut w = work_from(r)?;
            if w.areas.is_empty() {
                let parts: Vec<(Option<i64>, Option<i64>, Option<String>)> = sqlx::query_as(
                    "SELECT postcode_from, postcode_to, place FROM planned_work_areas WHERE work_id = $1 \
                     ORDER BY postcode_from, place",
                )
                .bind(w.id.to_string())
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
                w.areas = parts
                    .into_iter()
                    .filter_map(|p| match p {
                        (Some(from), Some(to), _) => {
                            Some(Area::Postcodes { from: u16::try_from(from).ok()?, to: u16::try_from(to).ok()? })
                        }
                        (_, _, Some(name)) => Some(Area::Place { name }),
                        _ => None,
                    })
                    .collect();
            }
            works.push(w);
        }
        Ok(works)
    }

    /// Run `sql` (with `$1` the contact, `$2` the work) on the link between a contact and a
    /// work; audited only when it changed a row, so linking twice or unlinking nothing leaves
    /// no trace.
    async fn change_contact_link(
        &self,
        sql: &'static str,
        contact: ContactId,
        work: PlannedWorkId,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(sql)
            .bind(contact.to_string())
            .bind(work.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if done.rows_affected() > 0 {
            write_audit(&mut tx, change).await?;
        }
        commit(tx).await
    }

    /// Run `sql` (with `$1` the subscription, `$2` the moment) that stamps a step on one
    /// subscription; not found when it matched no row.
    async fn stamp_subscription(
        &self,
        sql: &'static str,
        id: SubscriptionId,
        at: jiff::Timestamp,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(sql).bind(id.to_string()).bind(micros(at)).execute(&mut *tx).await.map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "subscription", change).await
    }

    async fn subscription_where(&self, column: &str, value: &str) -> StoreResult<Option<Subscription>> {
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM work_subscriptions WHERE {column} = $1");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).fetch_optional(self.reader()).await.map_err(db_error)?;
        row.as_ref().map(subscription_from).transpose().map_err(StoreError::Other)
    }
}

#[async_trait::async_trait]
impl PlannedWorkStore for Backend {
    async fn insert_planned_work(&self, w: &PlannedWork, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let q = sqlx::query(
            "INSERT INTO planned_works (id, title, what, why, area, starts_on, ends_on, contact, updated_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        );
        bind_work(q, w).bind(micros(w.created_at)).execute(&mut *tx).await.map_err(db_error)?;
        insert_areas_tx(&mut tx, w).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_planned_work(&self, w: &PlannedWork, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let q = sqlx::query(
            "UPDATE planned_works SET title = $2, what = $3, why = $4, area = $5, starts_on = $6, ends_on = $7, \
             contact = $8, updated_at = $9 WHERE id = $1",
        );
        let done = bind_work(q, w).execute(&mut *tx).await.map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("planned work"));
        }
        sqlx::query("DELETE FROM planned_work_areas WHERE work_id = $1")
            .bind(w.id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        insert_areas_tx(&mut tx, w).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn planned_work(&self, id: PlannedWorkId) -> StoreResult<Option<PlannedWork>> {
        let sql = format!("SELECT {WORK_COLUMNS} FROM planned_works WHERE id = $1");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        Ok(self.works_from(&rows).await?.into_iter().next())
    }

    async fn planned_works(&self, q: &PlannedWorkQuery) -> StoreResult<Vec<PlannedWork>> {
        let sql = format!(
            "SELECT {WORK_COLUMNS} FROM planned_works WHERE ($2 OR ends_on >= $1) \
             ORDER BY CASE WHEN ends_on >= $1 THEN 0 ELSE 1 END, \
             CASE WHEN ends_on >= $1 THEN starts_on ELSE '' END, \
             CASE WHEN ends_on >= $1 THEN ends_on ELSE '' END, ends_on DESC, id \
             LIMIT $3 OFFSET $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(q.today.to_string())
            .bind(q.include_past)
            .bind(i64::from(q.page.limit))
            .bind(i64::from(q.page.offset))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        self.works_from(&rows).await
    }

    async fn planned_works_covering(
        &self,
        digits: Option<u16>,
        place: Option<&str>,
        today: Date,
    ) -> StoreResult<Vec<PlannedWork>> {
        if digits.is_none() && place.is_none() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT {WORK_COLUMNS} FROM planned_works WHERE ends_on >= $1 AND id IN ( \
               SELECT work_id FROM planned_work_areas \
               WHERE (postcode_from <= $2 AND postcode_to >= $2) OR place_folded = $3) \
             ORDER BY starts_on, ends_on, id LIMIT 200"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(today.to_string())
            .bind(digits.map(i64::from))
            .bind(place.map(|p| fold(&p.split_whitespace().collect::<Vec<_>>().join(" "))))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        self.works_from(&rows).await
    }

    async fn link_contact_planned_work(
        &self,
        contact: ContactId,
        work: PlannedWorkId,
        change: &Change,
    ) -> StoreResult<()> {
        let sql = "INSERT INTO contact_planned_works (contact_id, work_id) VALUES ($1, $2) \
                   ON CONFLICT (contact_id, work_id) DO NOTHING";
        self.change_contact_link(sql, contact, work, change).await
    }

    async fn unlink_contact_planned_work(
        &self,
        contact: ContactId,
        work: PlannedWorkId,
        change: &Change,
    ) -> StoreResult<()> {
        let sql = "DELETE FROM contact_planned_works WHERE contact_id = $1 AND work_id = $2";
        self.change_contact_link(sql, contact, work, change).await
    }

    async fn contact_planned_works(&self, contact: ContactId) -> StoreResult<Vec<PlannedWorkId>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT work_id FROM contact_planned_works WHERE contact_id = $1 ORDER BY work_id")
                .bind(contact.to_string())
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
        rows.iter().map(|(id,)| parse("work_id", id)).collect::<anyhow::Result<Vec<_>>>().map_err(StoreError::Other)
    }

    async fn planned_work_contact_counts(&self) -> StoreResult<Vec<(PlannedWorkId, i64)>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT work_id, COUNT(*) FROM contact_planned_works GROUP BY work_id ORDER BY work_id")
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
        rows.iter()
            .map(|(id, n)| Ok((parse("work_id", id)?, *n)))
            .collect::<anyhow::Result<Vec<_>>>()
            .map_err(StoreError::Other)
    }

    async fn save_subscription(&self, new: &NewSubscription, change: &Change) -> StoreResult<Subscription> {
        let s = &new.subscription;
        let key = email_key(s.email.as_str());
        let mut tx = self.begin_write().await?;
        let existing: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT id, confirm_sent_at, unsubscribed_at FROM work_subscriptions WHERE email_key = $1 AND postcode = $2 \
             ORDER BY created_at, id LIMIT 1",
        )
        .bind(&key)
        .bind(s.postcode.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let since = micros(new.quiet_since);
        // A confirmation mail for this address and postcode went out lately: its link still works.
        let mailed_lately = matches!(existing, Some((_, Some(sent), None)) if sent > since);
        let send = !mailed_lately && {
            let (recent,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM work_subscriptions WHERE email_key = $1 AND confirm_sent_at > $2")
                    .bind(&key)
                    .bind(since)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_error)?;
            recent < new.max_recent_mails
        };
        let id = match existing {
            Some((id, ..)) => {
                if send {
                    // All right-hand sides see the row as it was: an ended subscription
                    // loses its old confirmation and is pending again.
                    sqlx::query(
                        "UPDATE work_subscriptions SET confirm_hash = $2, unsubscribe_hash = $3, confirm_sent_at = $4, \
                         confirmed_at = CASE WHEN unsubscribed_at IS NULL THEN confirmed_at ELSE NULL END, \
                         unsubscribed_at = NULL WHERE id = $1",
                    )
                    .bind(&id)
                    .bind(&new.confirm_hash)
                    .bind(&new.unsubscribe_hash)
                    .bind(micros(s.created_at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                }
                id
            }
            None => {
                sqlx::query(
                    "INSERT INTO work_subscriptions (id, email, postcode, confirm_hash, unsubscribe_hash, created_at, \
                     confirmed_at, unsubscribed_at, email_key, confirm_sent_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, $8)",
                )
                .bind(s.id.to_string())
                .bind(s.email.as_str())
                .bind(s.postcode.as_str())
                .bind(&new.confirm_hash)
                .bind(&new.unsubscribe_hash)
                .bind(micros(s.created_at))
                .bind(&key)
                .bind(send.then(|| micros(s.created_at)))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                s.id.to_string()
            }
        };
        if send {
            enqueue_mail_tx(&mut tx, &new.mail).await?;
        }
        let stored = subscription_tx(&mut tx, &id).await?;
        let mut change = change.clone();
        change.entity_id = id;
        write_audit(&mut tx, &change).await?;
        commit(tx).await?;
        Ok(stored)
    }

    async fn subscription_by_confirm_hash(&self, hash: &str) -> StoreResult<Option<Subscription>> {
        self.subscription_where("confirm_hash", hash).await
    }

    async fn subscription_by_unsubscribe_hash(&self, hash: &str) -> StoreResult<Option<Subscription>> {
        self.subscription_where("unsubscribe_hash", hash).await
    }

    async fn confirm_subscription(&self, id: SubscriptionId, at: jiff::Timestamp, change: &Change) -> StoreResult<()> {
        let sql = "UPDATE work_subscriptions SET confirmed_at = COALESCE(confirmed_at, $2) \
                   WHERE id = $1 AND unsubscribed_at IS NULL";
        self.stamp_subscription(sql, id, at, change).await
    }

    async fn end_subscription(&self, id: SubscriptionId, at: jiff::Timestamp, change: &Change) -> StoreResult<()> {
        let sql = "UPDATE work_subscriptions SET unsubscribed_at = COALESCE(unsubscribed_at, $2) WHERE id = $1";
        self.stamp_subscription(sql, id, at, change).await
    }

    async fn confirmed_subscribers(&self, ranges: &[(u16, u16)]) -> StoreResult<Vec<Subscription>> {
        let mut found: Vec<Subscription> = Vec::new();
        for chunk in ranges.chunks(100) {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT {SUBSCRIPTION_COLUMNS} FROM work_subscriptions \
                 WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL AND ("
            ));
            for (i, (from, to)) in chunk.iter().enumerate() {
                if i > 0 {
                    qb.push(" OR ");
                }
                qb.push("CAST(SUBSTR(postcode, 1, 4) AS BIGINT) BETWEEN ");
                qb.push_bind(i64::from(*from));
                qb.push(" AND ");
                qb.push_bind(i64::from(*to));
            }
            qb.push(") ORDER BY created_at, id");
            let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
            for r in &rows {
                let s = subscription_from(r)?;
                if !found.iter().any(|f| f.id == s.id) {
                    found.push(s);
                }
            }
        }
        Ok(found)
    }

    async fn queue_subscriber_news(&self, news: &[SubscriberNews], change: &Change) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut queued = 0;
        for n in news {
            // A subscriber who left meanwhile gets nothing.
            let current: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM work_subscriptions \
                 WHERE id = $1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL",
            )
            .bind(n.subscription_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
            if current.is_some() {
                enqueue_mail_tx(&mut tx, &n.mail).await?;
                queued += 1;
            }
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(queued)
    }
}
