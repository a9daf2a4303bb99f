//! What every record route does when it writes: check the record, save it, audit it and
//! read it back, in one transaction.

use std::future::Future;

use axum::http::StatusCode;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::audit;
use crate::auth::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::store::{Kind, Mode, Outcome};

/// A kind of record the API writes, and how it reads one back.
pub trait Resource: Kind {
    type View: Send;
    fn load(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = AppResult<Self::View>> + Send;
}

/// Creates (`Mode::Create`) or changes (`Mode::Update`) one record from a request body.
pub async fn save<R: Resource>(app: &App, actor: &Actor, mode: Mode, body: Map<String, Value>) -> AppResult<R::View> {
    let parsed = R::parse(&body);
    if !parsed.errors.is_empty() {
        return Err(AppError::Invalid(parsed.errors));
    }
    let mut conn = app.conn().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let outcome = R::save(conn, vec![(mode, parsed.input)]).await?.remove(0);
        let (action, id, detail) = match outcome {
            Outcome::Rejected { errors } => return Err(rejection(errors, R::NAME)),
            Outcome::Created { id } => ("create", id, json!({})),
            Outcome::Updated { id, fields } => ("update", id, json!({ "fields": fields })),
            Outcome::Unchanged { id } => return R::load(conn, id).await,
        };
        audit::record(conn, actor, action, R::NAME, Some(id), detail).await?;
        R::load(conn, id).await
    })
    .await
}

/// Deletes one record.
pub async fn delete<R: Resource>(app: &App, actor: &Actor, id: Uuid) -> AppResult<StatusCode> {
    let mut conn = app.conn().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        if !R::remove(conn, id).await? {
            return Err(AppError::NotFound(R::NAME));
        }
        audit::record(conn, actor, "delete", R::NAME, Some(id), json!({})).await?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}

/// A rejected write: a missing record is a 404, a taken key a 409, the rest 422.
fn rejection(errors: Vec<FieldError>, name: &'static str) -> AppError {
    match errors.as_slice() {
        [e] if e.field == "id" => AppError::NotFound(name),
        [e] if e.field == "external_id" && e.message.contains("already") => AppError::Conflict(e.message.clone()),
        _ => AppError::Invalid(errors),
    }
}
