//! The search sync worker: drains the outbox into the index. It claims rows with
//! `FOR UPDATE SKIP LOCKED` (so several workers share the work), indexes each entity as it
//! is now in the database (so order and repeats don't matter), deletes the documents of
//! deleted rows, and on failure leaves the rows for a retry with backoff. A rebuild holds
//! an exclusive advisory lock that pauses every worker until the new index is swapped in.

use std::collections::BTreeMap;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::document::{self, EntityType};
use super::{SearchError, SearchIndex};
use crate::db::DbPool;

/// Rows claimed at a time.
const BATCH: i64 = 500;
/// The advisory lock that pauses workers while the index is rebuilt.
const REBUILD_LOCK: i64 = 0x7169_616f_6c69;

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    entity_type: String,
    #[diesel(sql_type = SqlUuid)]
    entity_id: Uuid,
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    ok: bool,
}

/// Applies one batch of the outbox; returns how many rows it cleared.
pub async fn drain_once(conn: &mut AsyncPgConnection, index: &SearchIndex) -> anyhow::Result<usize> {
    if let SearchIndex::Embedded(e) = index {
        e.follow_current()?;
    }
    // Ok(Err(..)): the index failed and the rows were rescheduled; that must be committed.
    let outcome = conn
        .transaction::<Result<usize, String>, diesel::result::Error, _>(async |conn| {
            let free: Flag = diesel::sql_query(format!("SELECT pg_try_advisory_xact_lock_shared({REBUILD_LOCK}) AS ok"))
                .get_result(conn)
                .await?;
            if !free.ok {
                return Ok(Ok(0));
            }
            let rows: Vec<Claimed> = diesel::sql_query(
                "SELECT id, entity_type, entity_id FROM search_outbox WHERE next_attempt_at <= now() \
                 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
            )
            .bind::<BigInt, _>(BATCH)
            .load(conn)
            .await?;
            if rows.is_empty() {
                return Ok(Ok(0));
            }
            let row_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            match apply(conn, index, &rows).await {
                Ok(()) => {
                    diesel::sql_query("DELETE FROM search_outbox WHERE id = ANY($1)")
                        .bind::<diesel::sql_types::Array<BigInt>, _>(&row_ids)
                        .execute(conn)
                        .await?;
                    crate::metrics::index_updates("applied", rows.len());
                    Ok(Ok(rows.len()))
                }
                Err(e) => {
                    crate::metrics::index_updates("failed", rows.len());
                    // Keep the rows, due again after a backoff that grows with each attempt.
                    diesel::sql_query(
                        "UPDATE search_outbox SET attempts = attempts + 1, last_error = $2, \
                         next_attempt_at = now() + least(300, power(2, attempts)) * interval '1 second' WHERE id = ANY($1)",
                    )
                    .bind::<diesel::sql_types::Array<BigInt>, _>(&row_ids)
                    .bind::<Text, _>(e.0.chars().take(500).collect::<String>())
                    .execute(conn)
                    .await?;
                    Ok(Err(e.0))
                }
            }
        })
        .await?;
    outcome.map_err(|e| anyhow::anyhow!("the search index is unavailable: {e}"))
}

async fn apply(conn: &mut AsyncPgConnection, index: &SearchIndex, rows: &[Claimed]) -> Result<(), SearchError> {
    let mut by_type: BTreeMap<&str, Vec<Uuid>> = BTreeMap::new();
    for r in rows {
        let ids = by_type.entry(r.entity_type.as_str()).or_default();
        if !ids.contains(&r.entity_id) {
            ids.push(r.entity_id);
        }
    }
    for (ty, ids) in by_type {
        let Some(ty) = EntityType::parse(ty) else { continue };
        let docs = document::load(conn, ty, &ids).await.map_err(|e| SearchError(e.to_string()))?;
        let present: std::collections::HashSet<Uuid> = docs.iter().map(|d| d.record_id).collect();
        let gone: Vec<String> = ids.iter().filter(|id| !present.contains(id)).map(|id| ty.doc_id(*id)).collect();
        // Each call commits to the index: none for nothing.
        if !docs.is_empty() {
            index.upsert(docs).await?;
        }
        if !gone.is_empty() {
            index.delete(gone).await?;
        }
    }
    Ok(())
}

/// Drains the outbox until the process stops, pausing when there is nothing to do.
pub async fn run(pool: DbPool, index: std::sync::Arc<SearchIndex>) {
    crate::db::repeat(pool, "search sync", Duration::from_millis(100), |mut conn| {
        let index = index.clone();
        // A partial batch means the outbox is empty: pause as when idle, so that writes
        // arriving one by one are committed together (each commit writes index files).
        async move { drain_once(&mut conn, &index).await.map(|n| if n < BATCH as usize { 0 } else { n }) }
    })
    .await
}

/// Rebuilds the index from the database into a fresh one and swaps it in; workers pause
/// meanwhile and then apply what was written during the rebuild.
pub async fn reindex(database_url: &str, index: &SearchIndex) -> anyhow::Result<u64> {
    let mut lock_conn = crate::db::connect(database_url).await?;
    diesel::sql_query(format!("SELECT pg_advisory_lock({REBUILD_LOCK})"))
        .execute(&mut lock_conn)
        .await?;
    let result = rebuild(database_url, index).await;
    diesel::sql_query(format!("SELECT pg_advisory_unlock({REBUILD_LOCK})"))
        .execute(&mut lock_conn)
        .await?;
    result
}

async fn rebuild(database_url: &str, index: &SearchIndex) -> anyhow::Result<u64> {
    let mut conn = crate::db::connect(database_url).await?;
    // Updates already waiting are covered by the rebuild, which reads every row as it is
    // from now on; those that arrive later are applied after the swap.
    #[derive(QueryableByName)]
    struct Last {
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        id: Option<i64>,
    }
    let covered: Last = diesel::sql_query("SELECT max(id) AS id FROM search_outbox")
        .get_result(&mut conn)
        .await?;
    let mut fresh = index.begin_rebuild().await?;
    let mut total = 0u64;
    for ty in [EntityType::Organization, EntityType::Person] {
        let mut after = Uuid::nil();
        loop {
            let ids = document::page_of_ids(&mut conn, ty, after, 2000).await?;
            let Some(last) = ids.last() else { break };
            after = *last;
            let docs = document::load(&mut conn, ty, &ids).await?;
            total += docs.len() as u64;
            fresh.add(docs).await?;
        }
    }
    fresh.finish(index).await?;
    if let Some(last) = covered.id {
        diesel::sql_query("DELETE FROM search_outbox WHERE id <= $1")
            .bind::<BigInt, _>(last)
            .execute(&mut conn)
            .await?;
    }
    Ok(total)
}

/// What `/readyz` and `/metrics` report of the sync.
pub async fn lag(pool: &DbPool) -> anyhow::Result<(i64, f64)> {
    use crate::schema::search_outbox::dsl::*;
    let mut conn = pool.get().await?;
    let (count, oldest): (i64, Option<chrono::DateTime<chrono::Utc>>) = search_outbox
        .select((diesel::dsl::count_star(), diesel::dsl::min(enqueued_at)))
        .first(&mut conn)
        .await?;
    let lag = oldest
        .map(|t| (chrono::Utc::now() - t).num_milliseconds() as f64 / 1000.0)
        .unwrap_or(0.0);
    Ok((count, lag.max(0.0)))
}
