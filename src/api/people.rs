//! People: list, read, create, change, delete.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::json;
use std::future::Future;
use uuid::Uuid;

use super::write::{self, Resource};
use super::{JsonObject, Page, Params, State, paging, parse_id};
use crate::audit;
use crate::auth::{Actor, CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::models::Person;
use crate::places::Places;
use crate::records::{MembershipOut, PersonRecord};
use crate::schema::{memberships, organizations, people};
use crate::store::{self, Mode};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PeopleQuery {
    /// ISO 3166-1 alpha-2 country of residence.
    country: Option<String>,
    status: Option<String>,
    /// A place id (`taishan`) or any written form (`Toisan`); includes the towns below it.
    hometown: Option<String>,
    /// Members of this organization (id).
    organization: Option<Uuid>,
    talent_field: Option<String>,
    high_level_talent: Option<bool>,
    external_id: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// What the caller may see of a person.
pub fn visible(actor: &Actor, record: PersonRecord) -> PersonRecord {
    if actor.role.allows(Permission::ReadContactDetails) {
        record
    } else if actor.role.allows(Permission::ReadPeople) {
        record.without_contact_details()
    } else {
        record.directory_entry()
    }
}

/// The place ids a hometown filter stands for: the place and everything below it.
pub fn hometown_filter(text: &str) -> AppResult<Vec<String>> {
    let places = Places::get();
    let id = places
        .lookup(text)
        .ok_or_else(|| AppError::invalid("hometown", format!("\"{text}\" is not a place we know")))?;
    Ok(places.with_descendants(&id))
}

#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery),
    responses((status = 200, body = Page<PersonRecord>), (status = 401, body = ErrorBody)))]
pub async fn list(app: State, CurrentUser(actor): CurrentUser, Params(q): Params<PeopleQuery>) -> AppResult<Json<Page<PersonRecord>>> {
    actor.require(Permission::ReadDirectory)?;
    let (limit, offset) = paging(q.limit, q.offset)?;
    let hometowns = q.hometown.as_deref().map(hometown_filter).transpose()?;
    let filtered = || {
        let mut query = people::table.into_boxed();
        if let Some(c) = &q.country {
            query = query.filter(people::country.eq(c.to_uppercase()));
        }
        if let Some(s) = &q.status {
            query = query.filter(people::status.eq(s));
        }
        if let Some(places) = &hometowns {
            query = query.filter(people::hometown_place_id.eq_any(places.clone()));
        }
        if let Some(org) = q.organization {
            query = query.filter(
                people::id.eq_any(
                    memberships::table
                        .filter(memberships::organization_id.eq(org))
                        .select(memberships::person_id),
                ),
            );
        }
        if let Some(t) = &q.talent_field {
            query = query.filter(people::talent_fields.contains(vec![t.clone()]));
        }
        if let Some(h) = q.high_level_talent {
            query = query.filter(people::high_level_talent.eq(h));
        }
        if let Some(e) = &q.external_id {
            // a merged-away record's external id finds the record it was merged into
            let merged = crate::schema::person_aliases::table
                .filter(crate::schema::person_aliases::external_id.eq(e.clone()))
                .select(crate::schema::person_aliases::person_id);
            query = query.filter(people::external_id.eq(e).or(people::id.eq_any(merged)));
        }
        query
    };
    let mut conn = app.conn().await?;
    let total: i64 = filtered().count().get_result(&mut conn).await?;
    let rows: Vec<Person> = filtered()
        .order((people::created_at, people::id))
        .limit(limit)
        .offset(offset)
        .select(Person::as_select())
        .load(&mut conn)
        .await?;
    let items = rows
        .into_iter()
        .map(|p| visible(&actor, PersonRecord::with_ids(p, vec![])))
        .collect();
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}

/// One person as the API shows them, with memberships.
pub async fn load(conn: &mut AsyncPgConnection, id: Uuid) -> AppResult<PersonRecord> {
    let person: Person = people::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound("person"))?;
    let rows: Vec<(
        Uuid,
        String,
        Option<String>,
        Option<String>,
        Uuid,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::person_id.eq(id))
        .order(memberships::created_at)
        .select((
            memberships::id,
            memberships::role,
            memberships::since,
            memberships::until,
            organizations::id,
            organizations::external_id,
            organizations::name_zh,
            organizations::name_en,
        ))
        .load(conn)
        .await?;
    let list = rows
        .into_iter()
        .map(|(mid, role, since, until, org_id, org_ext, zh, en)| MembershipOut {
            id: Some(mid),
            organization: org_ext,
            organization_id: Some(org_id),
            organization_name: zh.or(en),
            role,
            since,
            until,
        })
        .collect();
    Ok(PersonRecord::with_ids(person, list))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people",
    responses((status = 200, body = PersonRecord), (status = 404, body = ErrorBody)))]
pub async fn get(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<Json<PersonRecord>> {
    actor.require(Permission::ReadDirectory)?;
    let id = parse_id(&id, "person")?;
    let mut conn = app.conn().await?;
    let record = load(&mut conn, id).await?;
    let record = visible(&actor, record);
    let detail = json!({ "contact_details": record.email.is_some() || record.phone.is_some() || record.wechat.is_some() });
    audit::record(&mut conn, &actor, "read", "person", Some(id), detail).await?;
    Ok(Json(record))
}

impl Resource for store::People {
    type View = PersonRecord;
    fn load(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = AppResult<PersonRecord>> + Send {
        load(conn, id)
    }
}

#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = PersonRecord,
    responses((status = 201, body = PersonRecord), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    app: State,
    CurrentUser(actor): CurrentUser,
    JsonObject(body): JsonObject,
) -> AppResult<(StatusCode, Json<PersonRecord>)> {
    actor.require(Permission::WriteContacts)?;
    Ok((
        StatusCode::CREATED,
        Json(write::save::<store::People>(&app, &actor, Mode::Create, body).await?),
    ))
}

#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "people", request_body = PersonRecord,
    responses((status = 200, body = PersonRecord), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<PersonRecord>> {
    actor.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "person")?;
    Ok(Json(write::save::<store::People>(&app, &actor, Mode::Update(id), body).await?))
}

#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "people",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<StatusCode> {
    actor.require(Permission::WriteContacts)?;
    write::delete::<store::People>(&app, &actor, parse_id(&id, "person")?).await
}
