//! Duplicate people: the candidate pairs, dismissing one, merging and undoing a merge.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::people::{load, visible};
use super::{Body, Page, Params, State, paging, parse_id};
use crate::auth::{CurrentUser, Permission};
use crate::duplicates::{self, merge};
use crate::error::{AppResult, ErrorBody};
use crate::records::PersonRecord;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Two records that may be one person, with what agrees and what differs.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CandidateOut {
    pub score: f32,
    /// Codes: same_zh, same_latin, across_scripts, same_full_name, email, phone, birth_year,
    /// born_1_apart, city, hometown, organization, same_surname, same_other_names, common_name
    /// (several people in the country carry the name), ambiguous (it also matches a different person).
    pub evidence: Vec<String>,
    pub a: PersonRecord,
    pub b: PersonRecord,
}

#[utoipa::path(get, path = "/api/v1/duplicates", tag = "duplicates", params(PageQuery),
    responses((status = 200, body = Page<CandidateOut>), (status = 403, body = ErrorBody)))]
pub async fn list(app: State, CurrentUser(actor): CurrentUser, Params(q): Params<PageQuery>) -> AppResult<Json<Page<CandidateOut>>> {
    actor.require(Permission::WriteContacts)?;
    let (limit, offset) = paging(q.limit, q.offset)?;
    let mut conn = app.conn().await?;
    let (pairs, total) = duplicates::open_pairs(&mut conn, limit, offset).await?;
    duplicates::audit_shown(&mut conn, &pairs, &actor).await?;
    let mut items = Vec::with_capacity(pairs.len());
    for c in pairs {
        items.push(CandidateOut {
            score: c.score,
            evidence: c.evidence,
            a: visible(&actor, load(&mut conn, c.person_a).await?),
            b: visible(&actor, load(&mut conn, c.person_b).await?),
        });
    }
    Ok(Json(Page { items, total, limit, offset }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PairIn {
    pub a: Uuid,
    pub b: Uuid,
}

#[utoipa::path(post, path = "/api/v1/duplicates/dismiss", tag = "duplicates", request_body = PairIn,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn dismiss(app: State, CurrentUser(actor): CurrentUser, Body(pair): Body<PairIn>) -> AppResult<StatusCode> {
    actor.require(Permission::WriteContacts)?;
    let mut conn = app.conn().await?;
    duplicates::dismiss(&mut conn, pair.a, pair.b, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MergeIn {
    /// The record that stays.
    pub survivor: Uuid,
    /// The record merged into it and removed; its external id becomes an alias.
    pub merged: Uuid,
    /// Fields to take from the merged record where the two differ (name_zh, email ...).
    #[serde(default)]
    pub take: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MergeOut {
    /// The merge, to undo it.
    pub merge: Uuid,
    pub person: PersonRecord,
}

#[utoipa::path(post, path = "/api/v1/merges", tag = "duplicates", request_body = MergeIn,
    responses((status = 201, body = MergeOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(app: State, CurrentUser(actor): CurrentUser, Body(m): Body<MergeIn>) -> AppResult<(StatusCode, Json<MergeOut>)> {
    actor.require(Permission::WriteContacts)?;
    let mut conn = app.conn().await?;
    let merge = merge::merge(&mut conn, m.survivor, m.merged, &m.take, &actor).await?;
    let person = visible(&actor, load(&mut conn, m.survivor).await?);
    Ok((StatusCode::CREATED, Json(MergeOut { merge, person })))
}

#[utoipa::path(post, path = "/api/v1/merges/{id}/undo", tag = "duplicates",
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn undo(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<StatusCode> {
    actor.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "merge")?;
    let mut conn = app.conn().await?;
    merge::undo(&mut conn, id, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
