//! A scratch PostgreSQL database for a benchmark: made fresh on the given server and dropped
//! afterwards, so a run never touches the database the URL names.

use anyhow::Context;

pub(crate) struct ScratchPostgres {
    admin: sqlx::PgPool,
    name: String,
    /// The URL of the scratch database.
    pub url: String,
}

impl ScratchPostgres {
    /// Create database `name` on the server of `server_url` (dropping a leftover of that name).
    pub(crate) async fn create(server_url: &str, name: String) -> anyhow::Result<Self> {
        let admin =
            sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(server_url).await.with_context(|| {
                format!("connecting to PostgreSQL at {}", gastvrij_store::Location::Postgres(server_url.into()))
            })?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&admin).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .context("creating a scratch database (the user needs CREATEDB)")?;
        let mut scratch = reqwest::Url::parse(server_url).context("reading the PostgreSQL URL")?;
        scratch.set_path(&format!("/{name}"));
        Ok(Self { admin, name, url: scratch.to_string() })
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Drop the scratch database (also while connections to it remain).
    pub(crate) async fn drop(self) -> anyhow::Result<()> {
        let name = &self.name;
        let dropped = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
            .execute(&self.admin)
            .await;
        self.admin.close().await;
        dropped.map(|_| ()).with_context(|| format!("dropping the scratch database {name}"))
    }
}
