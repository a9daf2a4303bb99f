//! Memberships on their own: who holds which role in which organization, and when.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{JsonObject, Page, Params, State, paging, parse_id};
use crate::app::App;
use crate::audit;
use crate::auth::{Actor, CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody, FieldError};
use crate::models::Membership;
use crate::records::{Fields, MembershipInput, ROLES};
use crate::schema::memberships;
use crate::store::{self, Outcome};

#[derive(Serialize, utoipa::ToSchema)]
pub struct MembershipView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub organization_id: Uuid,
    pub role: String,
    pub since: Option<String>,
    pub until: Option<String>,
}

impl From<Membership> for MembershipView {
    fn from(m: Membership) -> MembershipView {
        MembershipView {
            id: m.id,
            person_id: m.person_id,
            organization_id: m.organization_id,
            role: m.role,
            since: m.since,
            until: m.until,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MembershipsQuery {
    person: Option<Uuid>,
    organization: Option<Uuid>,
    role: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/memberships", tag = "memberships", params(MembershipsQuery),
    responses((status = 200, body = Page<MembershipView>)))]
pub async fn list(
    app: State,
    CurrentUser(actor): CurrentUser,
    Params(q): Params<MembershipsQuery>,
) -> AppResult<Json<Page<MembershipView>>> {
    actor.require(Permission::ReadDirectory)?;
    let (limit, offset) = paging(q.limit, q.offset)?;
    let filtered = || {
        let mut query = memberships::table.into_boxed();
        if let Some(p) = q.person {
            query = query.filter(memberships::person_id.eq(p));
        }
        if let Some(o) = q.organization {
            query = query.filter(memberships::organization_id.eq(o));
        }
        if let Some(r) = &q.role {
            query = query.filter(memberships::role.eq(r));
        }
        query
    };
    let mut conn = app.conn().await?;
    let total = filtered().count().get_result(&mut conn).await?;
    let rows: Vec<Membership> = filtered()
        .order((memberships::created_at, memberships::id))
        .limit(limit)
        .offset(offset)
        .select(Membership::as_select())
        .load(&mut conn)
        .await?;
    Ok(Json(Page {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        limit,
        offset,
    }))
}

/// Body of a new membership.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewMembership {
    person_id: Uuid,
    organization_id: Uuid,
    /// president, vice_president, secretary_general, treasurer, director, member, honorary, liaison
    role: String,
    /// YYYY, YYYY-MM or YYYY-MM-DD
    since: Option<String>,
    until: Option<String>,
}

fn id_field(f: &mut Fields, key: &str) -> Option<Uuid> {
    match f.text(key).flatten() {
        Some(text) => match Uuid::parse_str(&text) {
            Ok(id) => Some(id),
            Err(_) => {
                f.error(key, "is not an id");
                None
            }
        },
        None => {
            f.error(key, "is required");
            None
        }
    }
}

/// The role and term of a new membership, as a request gives them (the organization is
/// the caller's to fill in).
pub fn terms(f: &mut Fields) -> MembershipInput {
    let role = f.choice("role", ROLES).flatten().unwrap_or_else(|| "member".into());
    let since = f.partial_date("since").flatten();
    let until = f.partial_date("until").flatten();
    if let (Some(s), Some(u)) = (&since, &until)
        && u < s
    {
        f.error("until", format!("{u} is before the start {s}"));
    }
    MembershipInput {
        organization: String::new(),
        role,
        since,
        until,
    }
}

#[utoipa::path(post, path = "/api/v1/memberships", tag = "memberships", request_body = NewMembership,
    responses((status = 201, body = MembershipView), (status = 422, body = ErrorBody)))]
pub async fn create(
    app: State,
    CurrentUser(actor): CurrentUser,
    JsonObject(body): JsonObject,
) -> AppResult<(StatusCode, Json<MembershipView>)> {
    actor.require(Permission::WriteContacts)?;
    let mut f = Fields::new(&body, "");
    let person = id_field(&mut f, "person_id");
    let org = id_field(&mut f, "organization_id");
    let mut input = terms(&mut f);
    let (Some(person), Some(org), true) = (person, org, f.errors.is_empty()) else {
        return Err(AppError::Invalid(f.errors));
    };
    input.organization = org.to_string();
    let view = add(&app, &actor, person, org, &input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Adds a person to an organization (or changes the role they hold there), audited.
pub async fn add(app: &App, actor: &Actor, person: Uuid, org: Uuid, input: &MembershipInput) -> AppResult<Membership> {
    let mut conn = app.conn().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let outcome = store::memberships::create(conn, person, org, input).await.map_err(|e| match e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::Invalid(vec![FieldError::new("person_id", "no such person or organization")])
            }
            other => other.into(),
        })?;
        let id = outcome.id().expect("a stored membership has an id");
        if let Outcome::Created { .. } = outcome {
            audit::record(
                conn,
                actor,
                "create",
                "membership",
                Some(id),
                json!({ "person": person, "organization": org }),
            )
            .await?;
        }
        Ok(memberships::table.find(id).select(Membership::as_select()).first(conn).await?)
    })
    .await
}

#[utoipa::path(patch, path = "/api/v1/memberships/{id}", tag = "memberships", request_body = NewMembership,
    responses((status = 200, body = MembershipView), (status = 404, body = ErrorBody)))]
pub async fn update(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<MembershipView>> {
    actor.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "membership")?;
    let mut f = Fields::new(&body, "");
    let role = f.choice("role", ROLES).flatten();
    let since = f.partial_date("since");
    let until = f.partial_date("until");
    if !f.errors.is_empty() {
        return Err(AppError::Invalid(f.errors));
    }
    let mut conn = app.conn().await?;
    let row = conn
        .transaction::<_, AppError, _>(async |conn| {
            let row = store::memberships::update(conn, id, role, since, until)
                .await?
                .ok_or(AppError::NotFound("membership"))?;
            audit::record(
                conn,
                &actor,
                "update",
                "membership",
                Some(id),
                json!({ "fields": body.keys().collect::<Vec<_>>() }),
            )
            .await?;
            Ok(row)
        })
        .await?;
    Ok(Json(row.into()))
}

#[utoipa::path(delete, path = "/api/v1/memberships/{id}", tag = "memberships", responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<StatusCode> {
    actor.require(Permission::WriteContacts)?;
    remove(&app, &actor, parse_id(&id, "membership")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends a membership by removing it, audited.
pub async fn remove(app: &App, actor: &Actor, id: Uuid) -> AppResult<()> {
    let mut conn = app.conn().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        store::memberships::delete(conn, id)
            .await?
            .ok_or(AppError::NotFound("membership"))?;
        audit::record(conn, actor, "delete", "membership", Some(id), json!({})).await?;
        Ok(())
    })
    .await
}
