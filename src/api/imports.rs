//! Import of a file in the interchange format, sent as the request body.

use std::io::Write;

use axum::Json;
use axum::body::Bytes;
use serde::Deserialize;

use super::{Params, State};
use crate::app::App;
use crate::auth::{Actor, CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::import::{self, NoProgress, Options, Report};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// The file's name; its extension (.jsonl, .csv, .xlsx, .zip) says its format, and a
    /// CSV's name says its type (people.csv).
    filename: String,
    /// Store nothing when any record is invalid.
    #[serde(default)]
    strict: bool,
    /// Check everything, store nothing.
    #[serde(default)]
    dry_run: bool,
}

#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = Report), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(app: State, CurrentUser(actor): CurrentUser, Params(q): Params<ImportQuery>, body: Bytes) -> AppResult<Json<Report>> {
    actor.require(Permission::Import)?;
    let options = Options {
        strict: q.strict,
        dry_run: q.dry_run,
    };
    Ok(Json(run_upload(&app, &actor, &q.filename, &body, &options).await?))
}

/// Imports one uploaded file, as the API and the import page receive it.
pub async fn run_upload(app: &App, actor: &Actor, filename: &str, body: &[u8], options: &Options) -> AppResult<Report> {
    let name = std::path::Path::new(filename)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| AppError::invalid("filename", "give the file's name, e.g. people.csv"))?
        .to_string();
    let dir = tempfile::tempdir().map_err(anyhow::Error::from)?;
    let path = dir.path().join(&name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(body))
        .map_err(anyhow::Error::from)?;
    let sources = import::sources(&[path]).map_err(AppError::BadRequest)?;
    let mut conn = app.conn().await?;
    Ok(import::run(&mut conn, &sources, actor, options, &NoProgress).await?)
}
