//! The hometown hierarchy, for pickers and filters.

use axum::Json;
use serde::{Deserialize, Serialize};

use super::{Params, State};
use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::models::Place;
use crate::places::{Places, Resolution};

#[utoipa::path(get, path = "/api/v1/places", tag = "places", responses((status = 200, body = Vec<Place>)))]
pub async fn list(_app: State, CurrentUser(actor): CurrentUser) -> AppResult<Json<Vec<Place>>> {
    actor.require(Permission::ReadDirectory)?;
    Ok(Json(Places::get().rows().to_vec()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResolveQuery {
    /// A place as written: 台山, 臺山, Toisan, "台山 斗山".
    q: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Resolved {
    /// The place id, when the text names one.
    pub place: Option<String>,
    /// True when the text fits several places and the one containing them was chosen.
    pub ambiguous: bool,
    /// The place and the places above it, nearest first.
    pub ancestors: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/places/resolve", tag = "places", params(ResolveQuery), responses((status = 200, body = Resolved)))]
pub async fn resolve(_app: State, CurrentUser(actor): CurrentUser, Params(q): Params<ResolveQuery>) -> AppResult<Json<Resolved>> {
    actor.require(Permission::ReadDirectory)?;
    let places = Places::get();
    let resolution = places.resolve(&q.q);
    let place = resolution.place_id().map(str::to_string);
    let ancestors = place.as_deref().map(|p| places.ancestors(p)).unwrap_or_default();
    Ok(Json(Resolved {
        ambiguous: matches!(resolution, Resolution::Ambiguous(_)),
        place,
        ancestors,
    }))
}
