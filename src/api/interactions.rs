//! Interactions: visits, calls, meetings and messages, with follow-up dates.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use std::future::Future;
use uuid::Uuid;

use super::write::{self, Resource};
use super::{JsonObject, Page, Params, State, paging, parse_id};
use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::models::Interaction;
use crate::records::InteractionRecord;
use crate::schema::{interaction_organizations, interaction_people, interactions, organizations, people};
use crate::store::{self, Mode};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct InteractionsQuery {
    /// With this person (id).
    person: Option<Uuid>,
    /// With this organization (id).
    organization: Option<Uuid>,
    /// On or after this date.
    from: Option<NaiveDate>,
    /// On or before this date.
    to: Option<NaiveDate>,
    /// Follow-ups due on or before this date.
    follow_up_by: Option<NaiveDate>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/interactions", tag = "interactions", params(InteractionsQuery),
    responses((status = 200, body = Page<InteractionRecord>)))]
pub async fn list(
    app: State,
    CurrentUser(actor): CurrentUser,
    Params(q): Params<InteractionsQuery>,
) -> AppResult<Json<Page<InteractionRecord>>> {
    actor.require(Permission::ReadInteractions)?;
    let (limit, offset) = paging(q.limit, q.offset)?;
    let filtered = || {
        let mut query = interactions::table.into_boxed();
        if let Some(p) = q.person {
            query = query.filter(
                interactions::id.eq_any(
                    interaction_people::table
                        .filter(interaction_people::person_id.eq(p))
                        .select(interaction_people::interaction_id),
                ),
            );
        }
        if let Some(o) = q.organization {
            query = query.filter(
                interactions::id.eq_any(
                    interaction_organizations::table
                        .filter(interaction_organizations::organization_id.eq(o))
                        .select(interaction_organizations::interaction_id),
                ),
            );
        }
        if let Some(d) = q.from {
            query = query.filter(interactions::date.ge(d));
        }
        if let Some(d) = q.to {
            query = query.filter(interactions::date.le(d));
        }
        if let Some(d) = q.follow_up_by {
            query = query.filter(interactions::follow_up.le(d));
        }
        query
    };
    let mut conn = app.conn().await?;
    let total = filtered().count().get_result(&mut conn).await?;
    let rows: Vec<Interaction> = filtered()
        .order((interactions::date.desc(), interactions::id))
        .limit(limit)
        .offset(offset)
        .select(Interaction::as_select())
        .load(&mut conn)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(with_links(&mut conn, row).await?);
    }
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}

async fn with_links(conn: &mut AsyncPgConnection, row: Interaction) -> AppResult<InteractionRecord> {
    let linked_people: Vec<(Uuid, Option<String>)> = interaction_people::table
        .inner_join(people::table)
        .filter(interaction_people::interaction_id.eq(row.id))
        .select((people::id, people::external_id))
        .load(conn)
        .await?;
    let linked_orgs: Vec<(Uuid, Option<String>)> = interaction_organizations::table
        .inner_join(organizations::table)
        .filter(interaction_organizations::interaction_id.eq(row.id))
        .select((organizations::id, organizations::external_id))
        .load(conn)
        .await?;
    let id = row.id;
    let mut record = InteractionRecord::from_row(
        row,
        linked_people.iter().filter_map(|(_, e)| e.clone()).collect(),
        linked_orgs.iter().filter_map(|(_, e)| e.clone()).collect(),
    );
    record.id = Some(id);
    record.person_ids = Some(linked_people.iter().map(|(i, _)| *i).collect());
    record.organization_ids = Some(linked_orgs.iter().map(|(i, _)| *i).collect());
    Ok(record)
}

async fn load(conn: &mut AsyncPgConnection, id: Uuid) -> AppResult<InteractionRecord> {
    let row = interactions::table
        .find(id)
        .select(Interaction::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound("interaction"))?;
    with_links(conn, row).await
}

#[utoipa::path(get, path = "/api/v1/interactions/{id}", tag = "interactions",
    responses((status = 200, body = InteractionRecord), (status = 404, body = ErrorBody)))]
pub async fn get(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<Json<InteractionRecord>> {
    actor.require(Permission::ReadInteractions)?;
    let id = parse_id(&id, "interaction")?;
    let mut conn = app.conn().await?;
    Ok(Json(load(&mut conn, id).await?))
}

impl Resource for store::Interactions {
    type View = InteractionRecord;
    fn load(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = AppResult<InteractionRecord>> + Send {
        load(conn, id)
    }
}

#[utoipa::path(post, path = "/api/v1/interactions", tag = "interactions", request_body = InteractionRecord,
    responses((status = 201, body = InteractionRecord), (status = 422, body = ErrorBody)))]
pub async fn create(
    app: State,
    CurrentUser(actor): CurrentUser,
    JsonObject(body): JsonObject,
) -> AppResult<(StatusCode, Json<InteractionRecord>)> {
    actor.require(Permission::WriteContacts)?;
    Ok((
        StatusCode::CREATED,
        Json(write::save::<store::Interactions>(&app, &actor, Mode::Create, body).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/interactions/{id}", tag = "interactions", request_body = InteractionRecord,
    responses((status = 200, body = InteractionRecord), (status = 404, body = ErrorBody)))]
pub async fn update(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<InteractionRecord>> {
    actor.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "interaction")?;
    Ok(Json(
        write::save::<store::Interactions>(&app, &actor, Mode::Update(id), body).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/interactions/{id}", tag = "interactions", responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<StatusCode> {
    actor.require(Permission::WriteContacts)?;
    write::delete::<store::Interactions>(&app, &actor, parse_id(&id, "interaction")?).await
}
