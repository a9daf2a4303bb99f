//! Health, readiness and metrics: open routes for load balancers and monitoring.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::State;
use crate::db;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub database: &'static str,
    pub migrations: &'static str,
    pub search: SearchStatus,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchStatus {
    pub backend: &'static str,
    /// Index updates not yet applied.
    pub pending: i64,
    /// Age in seconds of the oldest update not yet applied.
    pub lag_seconds: f64,
}

#[utoipa::path(get, path = "/healthz", tag = "meta", responses((status = 200, description = "the process is up")))]
pub async fn healthz() -> &'static str {
    "ok"
}

#[utoipa::path(get, path = "/readyz", tag = "meta",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn readyz(app: State) -> Response {
    let migrations_ok = match app.pool.get().await {
        Ok(mut conn) => db::migrations_current(&mut conn).await.ok(),
        Err(_) => None,
    };
    let (pending, lag_seconds) = crate::search::worker::lag(&app.pool).await.unwrap_or((0, 0.0));
    let backend = app.search.backend();
    let body = Readiness {
        database: if migrations_ok.is_some() { "ok" } else { "unreachable" },
        migrations: match migrations_ok {
            Some(true) => "current",
            Some(false) => "pending: run `qiaolink migrate`",
            None => "unknown",
        },
        search: SearchStatus {
            backend,
            pending,
            lag_seconds,
        },
    };
    let status = if migrations_ok == Some(true) {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// Prometheus text format.
pub async fn metrics(app: State) -> Response {
    let (pending, lag) = crate::search::worker::lag(&app.pool).await.unwrap_or((-1, -1.0));
    let pool = app.pool.status();
    let text = format!(
        "# HELP qiaolink_search_outbox_pending Index updates not yet applied.\n\
         # TYPE qiaolink_search_outbox_pending gauge\nqiaolink_search_outbox_pending {pending}\n\
         # HELP qiaolink_search_sync_lag_seconds Age of the oldest index update not yet applied.\n\
         # TYPE qiaolink_search_sync_lag_seconds gauge\nqiaolink_search_sync_lag_seconds {lag}\n\
         # HELP qiaolink_db_pool_connections Database connections held by the pool.\n\
         # TYPE qiaolink_db_pool_connections gauge\nqiaolink_db_pool_connections {}\n\
         # HELP qiaolink_db_pool_available Idle database connections in the pool.\n\
         # TYPE qiaolink_db_pool_available gauge\nqiaolink_db_pool_available {}\n",
        pool.size, pool.available
    );
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
