//! Consent, and the requests people make about their data: a copy of everything, erasure.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Body, PDF, Params, State, attachment, parse_id};
use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::privacy::{consent, subject};

#[utoipa::path(get, path = "/api/v1/people/{id}/consent", tag = "privacy",
    responses((status = 200, body = Vec<consent::Event>), (status = 404, body = ErrorBody)))]
pub async fn consent_history(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<Json<Vec<consent::Event>>> {
    actor.require(Permission::ReadContactDetails)?;
    let id = parse_id(&id, "person")?;
    let mut conn = app.conn().await?;
    super::people::load(&mut conn, id).await?;
    let history = consent::history(&mut conn, id).await?;
    crate::audit::record(&mut conn, &actor, "read consent", "person", Some(id), serde_json::json!({})).await?;
    Ok(Json(history))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/consent", tag = "privacy", request_body = consent::Change,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_consent(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Body(change): Body<consent::Change>,
) -> AppResult<StatusCode> {
    actor.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "person")?;
    let mut conn = app.conn().await?;
    consent::record(&mut conn, id, &change, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CopyQuery {
    /// json (default) or pdf
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/people/{id}/data", tag = "privacy", params(CopyQuery),
    responses((status = 200, description = "everything held about the person, as JSON or PDF"), (status = 404, body = ErrorBody)))]
pub async fn copy(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>, Params(q): Params<CopyQuery>) -> AppResult<Response> {
    actor.require(Permission::DataRights)?;
    let id = parse_id(&id, "person")?;
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "pdf") {
        return Err(AppError::invalid("format", "should be json or pdf"));
    }
    let mut conn = app.conn().await?;
    let data = subject::everything(&mut conn, id, &actor, format).await?;
    if format == "pdf" {
        let pdf = crate::pdf::from_html(&subject::html(&data)).await?;
        return Ok(attachment(pdf, PDF, &format!("personal-data-{id}.pdf")));
    }
    Ok(Json(data).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EraseIn {
    /// Why: the request received, its date or reference.
    pub reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Erased {
    /// The record that an erasure happened.
    pub erasure: Uuid,
    /// Rows removed per kind, and shared interactions kept without the person.
    #[schema(value_type = Object)]
    pub counts: serde_json::Value,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/erase", tag = "privacy", request_body = EraseIn,
    responses((status = 200, body = Erased), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn erase(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>, Body(body): Body<EraseIn>) -> AppResult<Json<Erased>> {
    actor.require(Permission::DataRights)?;
    let id = parse_id(&id, "person")?;
    let mut conn = app.conn().await?;
    let (erasure, counts) = subject::erase(&mut conn, id, &body.reason, &actor).await?;
    Ok(Json(Erased { erasure, counts }))
}
