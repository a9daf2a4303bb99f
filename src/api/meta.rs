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

/// Prometheus text format (see `crate::metrics`).
pub async fn metrics(app: State) -> Response {
    let text = crate::metrics::render(&app.pool).await;
    ([(axum::http::header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text).into_response()
}
