//! The `CurrentUser` extractor: every `/api/v1` handler takes one, so no route can
//! forget to authenticate.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::{Actor, ActorKind, Role, secrets};
use crate::app::AppState;
use crate::error::AppError;
use crate::schema::api_tokens;

pub struct CurrentUser(pub Actor);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthenticated)?;
        let mut conn = app.conn().await?;
        let found: Option<(uuid::Uuid, String, String)> = api_tokens::table
            .filter(api_tokens::token_hash.eq(secrets::token_hash(token)))
            .filter(api_tokens::revoked_at.is_null())
            .select((api_tokens::id, api_tokens::name, api_tokens::role))
            .first(&mut conn)
            .await
            .optional()?;
        let (id, name, role) = found.ok_or(AppError::Unauthenticated)?;
        let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("token {id} has an unknown role"))?;
        let ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ci| ci.0.ip().to_string());
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(CurrentUser(Actor {
            kind: ActorKind::Token,
            id: Some(id),
            label: format!("token:{name}"),
            role,
            ip,
            request_id,
        }))
    }
}
