//! Organizations: list, read, create, change, delete.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use std::future::Future;
use uuid::Uuid;

use super::people::hometown_filter;
use super::write::{self, Resource};
use super::{JsonObject, Page, Params, State, paging, parse_id};
use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::models::Organization;
use crate::records::OrganizationRecord;
use crate::schema::{organization_hometowns, organizations};
use crate::store::{self, Mode};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OrganizationsQuery {
    country: Option<String>,
    kind: Option<String>,
    /// A place id or any written form; includes the towns below it.
    hometown: Option<String>,
    /// Children of this organization (id).
    parent: Option<Uuid>,
    liaison_status: Option<String>,
    external_id: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", params(OrganizationsQuery),
    responses((status = 200, body = Page<OrganizationRecord>), (status = 401, body = ErrorBody)))]
pub async fn list(
    app: State,
    CurrentUser(actor): CurrentUser,
    Params(q): Params<OrganizationsQuery>,
) -> AppResult<Json<Page<OrganizationRecord>>> {
    actor.require(Permission::ReadDirectory)?;
    let (limit, offset) = paging(q.limit, q.offset)?;
    let hometowns = q.hometown.as_deref().map(hometown_filter).transpose()?;
    let filtered = || {
        let mut query = organizations::table.into_boxed();
        if let Some(c) = &q.country {
            query = query.filter(organizations::country.eq(c.to_uppercase()));
        }
        if let Some(k) = &q.kind {
            query = query.filter(organizations::kind.eq(k));
        }
        if let Some(places) = &hometowns {
            query = query.filter(
                organizations::id.eq_any(
                    organization_hometowns::table
                        .filter(organization_hometowns::place_id.eq_any(places.clone()))
                        .select(organization_hometowns::organization_id),
                ),
            );
        }
        if let Some(p) = q.parent {
            query = query.filter(organizations::parent_id.eq(p));
        }
        if let Some(s) = &q.liaison_status {
            query = query.filter(organizations::liaison_status.eq(s));
        }
        if let Some(e) = &q.external_id {
            query = query.filter(organizations::external_id.eq(e));
        }
        query
    };
    let mut conn = app.conn().await?;
    let total: i64 = filtered().count().get_result(&mut conn).await?;
    let rows: Vec<Organization> = filtered()
        .order((organizations::created_at, organizations::id))
        .limit(limit)
        .offset(offset)
        .select(Organization::as_select())
        .load(&mut conn)
        .await?;
    let items = rows.into_iter().map(|o| OrganizationRecord::with_ids(o, None)).collect();
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}

pub async fn load(conn: &mut AsyncPgConnection, id: Uuid) -> AppResult<OrganizationRecord> {
    let org: Organization = organizations::table
        .find(id)
        .select(Organization::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound("organization"))?;
    let parent = match org.parent_id {
        Some(p) => organizations::table
            .find(p)
            .select(organizations::external_id)
            .first::<Option<String>>(conn)
            .await
            .optional()?
            .flatten(),
        None => None,
    };
    Ok(OrganizationRecord::with_ids(org, parent))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}", tag = "organizations",
    responses((status = 200, body = OrganizationRecord), (status = 404, body = ErrorBody)))]
pub async fn get(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<Json<OrganizationRecord>> {
    actor.require(Permission::ReadDirectory)?;
    let id = parse_id(&id, "organization")?;
    let mut conn = app.conn().await?;
    Ok(Json(load(&mut conn, id).await?))
}

impl Resource for store::Organizations {
    type View = OrganizationRecord;
    fn load(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = AppResult<OrganizationRecord>> + Send {
        load(conn, id)
    }
}

#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", request_body = OrganizationRecord,
    responses((status = 201, body = OrganizationRecord), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    app: State,
    CurrentUser(actor): CurrentUser,
    JsonObject(body): JsonObject,
) -> AppResult<(StatusCode, Json<OrganizationRecord>)> {
    actor.require(Permission::WriteContacts)?;
    Ok((
        StatusCode::CREATED,
        Json(write::save::<store::Organizations>(&app, &actor, Mode::Create, body).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/organizations/{id}", tag = "organizations", request_body = OrganizationRecord,
    responses((status = 200, body = OrganizationRecord), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<OrganizationRecord>> {
    actor.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "organization")?;
    Ok(Json(
        write::save::<store::Organizations>(&app, &actor, Mode::Update(id), body).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/organizations/{id}", tag = "organizations",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<StatusCode> {
    actor.require(Permission::WriteContacts)?;
    write::delete::<store::Organizations>(&app, &actor, parse_id(&id, "organization")?).await
}
