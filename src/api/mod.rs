//! The JSON API under `/api/v1`: one module per resource, request and response types
//! beside their handlers. Every handler takes a `CurrentUser`, checks its permission
//! first, and does its writes, audit row and outbox rows in one transaction.

pub mod duplicates;
pub mod events;
pub mod exports;
pub mod imports;
pub mod interactions;
pub mod memberships;
pub mod meta;
pub mod organizations;
pub mod people;
pub mod places;
pub mod privacy;
pub mod reports;
pub mod search;
pub mod write;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{AppError, AppResult};

/// A JSON object body; anything else is answered with a clear 400.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| match e.status() {
                // `limits::guard` words it with the limit.
                axum::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge { limit: String::new() },
                _ => AppError::BadRequest(format!("the request body cannot be read: {e}")),
            })?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(JsonObject(map)),
            Ok(_) => Err(AppError::BadRequest(
                "the body should be a JSON object, like {\"name_zh\": \"黃志明\"}".into(),
            )),
            Err(e) => Err(AppError::BadRequest(format!("the body is not valid JSON: {e}"))),
        }
    }
}

/// A JSON body of a known shape; a field missing or of the wrong kind is a clear 422.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonObject(map) = JsonObject::from_request(req, state).await?;
        serde_json::from_value(Value::Object(map))
            .map(Body)
            .map_err(|e| AppError::invalid("body", e.to_string()))
    }
}

/// Query parameters, with a clear 400 when they do not fit.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Params(q.0))
            .map_err(|e| AppError::BadRequest(format!("the query parameters are not right: {}", e.body_text())))
    }
}

/// A record id from the path; a malformed one is simply not found.
pub fn parse_id(text: &str, what: &'static str) -> AppResult<Uuid> {
    Uuid::parse_str(text).map_err(|_| AppError::NotFound(what))
}

/// One page of a list.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many records match in all.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// Paging parameters shared by the list routes.
pub fn paging(limit: Option<i64>, offset: Option<i64>) -> AppResult<(i64, i64)> {
    let limit = limit.unwrap_or(50);
    let offset = offset.unwrap_or(0);
    if !(1..=500).contains(&limit) {
        return Err(AppError::invalid("limit", "should be between 1 and 500"));
    }
    if offset < 0 {
        return Err(AppError::invalid("offset", "cannot be negative"));
    }
    Ok((limit, offset))
}

pub type State = axum::extract::State<AppState>;

pub const CSV: &str = "text/csv; charset=utf-8";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PDF: &str = "application/pdf";

/// A file as a download: its type and the name the browser saves it under.
pub fn attachment(bytes: Vec<u8>, content_type: &str, filename: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
