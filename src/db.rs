//! The PostgreSQL pool, the embedded migrations and the reference data they need.

use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::places::Places;
use crate::schema::places;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;

/// One JSON value computed by SQL, selected `AS v`.
#[derive(QueryableByName)]
pub struct JsonRow {
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub v: serde_json::Value,
}
pub type DbConn = Object<AsyncPgConnection>;

pub fn pool(database_url: &str, max_size: usize) -> anyhow::Result<DbPool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(database_url);
    Ok(Pool::builder(manager)
        .max_size(max_size)
        // No request waits forever on PostgreSQL: not for a free connection, not for a new
        // one while the server restarts, not for the check of an idle one.
        .wait_timeout(Some(std::time::Duration::from_secs(10)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .recycle_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()?)
}

/// A background worker's loop: runs `step` until the process stops, straight on while it
/// finds work, pausing `idle` when it finds none and backing off while it fails.
pub async fn repeat<F, Fut>(pool: DbPool, what: &'static str, idle: std::time::Duration, mut step: F)
where
    F: FnMut(DbConn) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    let mut failures = 0u32;
    loop {
        let result = match pool.get().await {
            Ok(conn) => step(conn).await,
            Err(e) => Err(anyhow::anyhow!("no database connection: {e}")),
        };
        let pause = match result {
            Ok(0) => {
                failures = 0;
                idle
            }
            Ok(_) => {
                failures = 0;
                continue;
            }
            Err(e) => {
                failures += 1;
                tracing::warn!(error = %e, failures, "{what} failed; retrying");
                std::time::Duration::from_millis(500 * u64::from(failures.min(20)))
            }
        };
        tokio::time::sleep(pause).await;
    }
}

pub async fn connect(database_url: &str) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(database_url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL: {e}"))
}

/// Applies pending migrations, then loads the place hierarchy (reference data).
pub async fn migrate(database_url: &str) -> anyhow::Result<usize> {
    let conn = connect(database_url).await?;
    let mut wrapper = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
    // The migration harness is synchronous.
    let applied = tokio::task::spawn_blocking(move || {
        wrapper
            .run_pending_migrations(MIGRATIONS)
            .map(|done| done.len())
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))
    })
    .await??;
    let mut conn = connect(database_url).await?;
    load_places(&mut conn, Places::get()).await?;
    Ok(applied)
}

/// The version of the newest migration this binary carries.
pub fn latest_migration() -> String {
    use diesel::migration::MigrationSource;
    MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .ok()
        .and_then(|all| all.iter().map(|m| m.name().version().to_string()).max())
        .unwrap_or_default()
}

/// True when the database has every migration of this binary.
pub async fn migrations_current(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Latest {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        version: Option<String>,
    }
    let latest: Latest = diesel::sql_query("SELECT max(version) AS version FROM __diesel_schema_migrations")
        .get_result(conn)
        .await?;
    Ok(latest.version.unwrap_or_default() >= latest_migration())
}

async fn load_places(conn: &mut AsyncPgConnection, places: &Places) -> QueryResult<()> {
    let rows = places.rows();
    diesel::insert_into(places::table)
        .values(rows)
        .on_conflict(places::id)
        .do_update()
        .set((
            places::level.eq(excluded(places::level)),
            places::name_simplified.eq(excluded(places::name_simplified)),
            places::name_official.eq(excluded(places::name_official)),
            places::name_traditional.eq(excluded(places::name_traditional)),
            places::pinyin.eq(excluded(places::pinyin)),
            places::jyutping.eq(excluded(places::jyutping)),
            places::romanizations.eq(excluded(places::romanizations)),
            places::parent_id.eq(excluded(places::parent_id)),
            places::status.eq(excluded(places::status)),
            places::notes.eq(excluded(places::notes)),
            places::source.eq(excluded(places::source)),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
