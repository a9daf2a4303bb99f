//! Bulk exports of personal data wait for an admin's approval. An officer asks, saying what
//! for; an admin approves or refuses; the approved export can be downloaded once, with the
//! filters asked for. Admins export directly. Every step is audited.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::auth::{Actor, Permission};
use crate::error::{AppError, AppResult};
use crate::export::Filter;
use crate::records::RecordType;
use crate::schema::export_requests as er;

/// Whether an export holds personal data: people, their memberships or interactions.
pub fn personal(filter: &Filter) -> bool {
    filter.types.iter().any(|t| *t != RecordType::Organization)
}

fn filters_json(filter: &Filter) -> Value {
    json!({ "types": filter.types, "country": filter.country })
}

#[derive(Serialize, Queryable, utoipa::ToSchema)]
pub struct Request {
    pub id: Uuid,
    pub requested_by: String,
    /// types and country
    #[schema(value_type = Object)]
    pub filters: Value,
    pub purpose: String,
    /// pending, approved, refused or used
    pub status: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn request(conn: &mut AsyncPgConnection, filter: &Filter, purpose: &str, actor: &Actor) -> AppResult<Uuid> {
    let purpose = purpose.trim();
    if purpose.is_empty() {
        return Err(AppError::invalid("purpose", "say what the export is for"));
    }
    if !personal(filter) {
        return Err(AppError::invalid("type", "organizations alone can be exported without approval"));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let id: Uuid = diesel::insert_into(er::table)
            .values((
                er::requested_by.eq(&actor.label),
                er::requester_id.eq(actor.id),
                er::filters.eq(filters_json(filter)),
                er::purpose.eq(purpose),
            ))
            .returning(er::id)
            .get_result(conn)
            .await?;
        crate::audit::record(conn, actor, "request export", "export_request", Some(id), filters_json(filter)).await?;
        Ok(id)
    })
    .await
}

/// Requests the caller may see: their own, or all for those who decide.
pub async fn list(conn: &mut AsyncPgConnection, actor: &Actor) -> QueryResult<Vec<Request>> {
    let mut query = er::table.order(er::requested_at.desc()).limit(200).into_boxed();
    if !actor.role.allows(Permission::ApproveExports) {
        query = query.filter(er::requested_by.eq(actor.label.clone()));
    }
    query
        .select((
            er::id,
            er::requested_by,
            er::filters,
            er::purpose,
            er::status,
            er::requested_at,
            er::decided_by,
            er::decided_at,
        ))
        .load(conn)
        .await
}

pub async fn decide(conn: &mut AsyncPgConnection, id: Uuid, approve: bool, actor: &Actor) -> AppResult<()> {
    let status = if approve { "approved" } else { "refused" };
    conn.transaction::<_, AppError, _>(async |conn| {
        let n = diesel::update(er::table.find(id).filter(er::status.eq("pending")))
            .set((
                er::status.eq(status),
                er::decided_by.eq(&actor.label),
                er::decided_at.eq(chrono::Utc::now()),
            ))
            .execute(conn)
            .await?;
        if n == 0 {
            let exists: i64 = er::table.find(id).count().get_result(conn).await?;
            return Err(if exists == 0 {
                AppError::NotFound("export request")
            } else {
                AppError::Conflict("this request has been decided already".into())
            });
        }
        crate::audit::record(conn, actor, status, "export_request", Some(id), json!({})).await?;
        Ok(())
    })
    .await
}

/// Lets an export go ahead: directly for those who approve, else once per approved request
/// of the same caller and the same filters.
pub async fn allow(conn: &mut AsyncPgConnection, filter: &Filter, approval: Option<Uuid>, actor: &Actor) -> AppResult<()> {
    if !personal(filter) || actor.role.allows(Permission::ApproveExports) {
        return Ok(());
    }
    let Some(id) = approval else {
        return Err(AppError::Forbidden {
            role: actor.role.as_str(),
            action: "export personal data without an admin's approval: ask for one at /api/v1/export-requests, then pass its id as approval",
        });
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let n = diesel::update(
            er::table
                .find(id)
                .filter(er::status.eq("approved"))
                .filter(er::requested_by.eq(&actor.label))
                .filter(er::filters.eq(filters_json(filter))),
        )
        .set(er::status.eq("used"))
        .execute(conn)
        .await?;
        if n == 0 {
            return Err(AppError::Conflict(
                "this approval does not cover this export: it is not approved yet, was used already, is someone else's, or was for other filters".into(),
            ));
        }
        Ok(())
    })
    .await
}
