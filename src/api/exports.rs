//! Export in the interchange format, as a file download. Every export is audited.

use axum::body::Body as FileBody;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;

use super::{Body, Params, State, parse_id};
use crate::audit;
use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::export::{self, Filter, Format};
use crate::privacy::exports;
use crate::records::{RecordType, is_country_code};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// jsonl (default), csv (a .zip of CSV files, or one CSV with a single type) or xlsx.
    format: Option<String>,
    /// organization, person, membership or interaction; all when absent.
    #[serde(rename = "type")]
    record_type: Option<String>,
    /// Only records of this country (ISO 3166-1 alpha-2).
    country: Option<String>,
    /// An approved export request: officers need one to export personal data.
    approval: Option<Uuid>,
}

/// The export filter from the query; also used by the command line.
pub fn filter(record_type: Option<&str>, country: Option<&str>) -> AppResult<Filter> {
    let types = match record_type {
        None => RecordType::ALL.to_vec(),
        Some(t) => vec![
            RecordType::parse(t).ok_or_else(|| AppError::invalid("type", "should be organization, person, membership or interaction"))?,
        ],
    };
    let country = country.map(|c| c.trim().to_uppercase());
    if let Some(c) = &country {
        if !is_country_code(c) {
            return Err(AppError::invalid(
                "country",
                format!("\"{c}\" is not a two-letter country code, e.g. US"),
            ));
        }
    }
    Ok(Filter { types, country })
}

#[utoipa::path(get, path = "/api/v1/exports", tag = "exports", params(ExportQuery),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 403, body = ErrorBody)))]
pub async fn download(app: State, CurrentUser(actor): CurrentUser, Params(q): Params<ExportQuery>) -> AppResult<Response> {
    actor.require(Permission::Export)?;
    let format = match q.format.as_deref() {
        None => Format::Jsonl,
        Some(f) => Format::parse(f).ok_or_else(|| AppError::invalid("format", "should be jsonl, csv or xlsx"))?,
    };
    let filter = filter(q.record_type.as_deref(), q.country.as_deref())?;
    let mut conn = app.conn().await?;
    exports::allow(&mut conn, &filter, q.approval, &actor).await?;
    let (name, mime) = match (format, filter.types.as_slice()) {
        (Format::Jsonl, _) => ("qiaolink-export.jsonl".to_string(), "application/x-ndjson"),
        (Format::Csv, [one]) => (format!("{}.csv", one.plural()), "text/csv; charset=utf-8"),
        (Format::Csv, _) => ("qiaolink-export.zip".to_string(), "application/zip"),
        (Format::Xlsx, _) => (
            "qiaolink-export.xlsx".to_string(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    let dir = tempfile::tempdir().map_err(anyhow::Error::from)?;
    let path = dir.path().join(&name);
    let mut sink = export::sink_for(&path, &filter)?;
    let counts = export::write(&mut conn, &filter, sink.as_mut()).await?;
    sink.finish()?;
    let detail = json!({ "format": name.rsplit('.').next(), "types": filter.types, "country": filter.country, "counts": counts, "approval": q.approval });
    audit::record(&mut conn, &actor, "export", "export", None, detail).await?;
    let file = tokio::fs::File::open(&path).await.map_err(anyhow::Error::from)?;
    // The folder goes when the response has been sent: the open file keeps the data.
    drop(dir);
    let body = FileBody::from_stream(tokio_util::io::ReaderStream::new(file));
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RequestIn {
    /// organization, person, membership or interaction; all when absent.
    #[serde(rename = "type")]
    record_type: Option<String>,
    country: Option<String>,
    /// What the export is for, in the officer's words.
    purpose: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestMade {
    pub id: Uuid,
    pub status: &'static str,
}

#[utoipa::path(post, path = "/api/v1/export-requests", tag = "exports", request_body = RequestIn,
    responses((status = 201, body = RequestMade), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn request(app: State, CurrentUser(actor): CurrentUser, Body(r): Body<RequestIn>) -> AppResult<(StatusCode, Json<RequestMade>)> {
    actor.require(Permission::Export)?;
    let filter = filter(r.record_type.as_deref(), r.country.as_deref())?;
    let mut conn = app.conn().await?;
    let id = exports::request(&mut conn, &filter, &r.purpose, &actor).await?;
    Ok((StatusCode::CREATED, Json(RequestMade { id, status: "pending" })))
}

#[utoipa::path(get, path = "/api/v1/export-requests", tag = "exports",
    responses((status = 200, body = Vec<exports::Request>), (status = 403, body = ErrorBody)))]
pub async fn requests(app: State, CurrentUser(actor): CurrentUser) -> AppResult<Json<Vec<exports::Request>>> {
    actor.require(Permission::Export)?;
    let mut conn = app.conn().await?;
    Ok(Json(exports::list(&mut conn, &actor).await?))
}

#[utoipa::path(post, path = "/api/v1/export-requests/{id}/{decision}", tag = "exports",
    params(("decision" = String, Path, description = "approve or refuse")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(app: State, CurrentUser(actor): CurrentUser, Path((id, decision)): Path<(String, String)>) -> AppResult<StatusCode> {
    actor.require(Permission::ApproveExports)?;
    let id = parse_id(&id, "export request")?;
    let approve = match decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(AppError::NotFound("decision (approve or refuse)")),
    };
    let mut conn = app.conn().await?;
    exports::decide(&mut conn, id, approve, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
