//! The one route table. The OpenAPI document is built from the same handlers, so the
//! two cannot drift apart.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{exports, imports, interactions, memberships, meta, organizations, people, places, search};
use crate::app::AppState;

/// Imports arrive as one request body.
const MAX_BODY_BYTES: usize = 512 * 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "qiaolink", description = "Outreach CRM for overseas-affairs offices: organizations, people, memberships, interactions."),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(meta::healthz))
        .routes(routes!(meta::readyz))
        .routes(routes!(organizations::list, organizations::create))
        .routes(routes!(organizations::get, organizations::update, organizations::delete))
        .routes(routes!(people::list, people::create))
        .routes(routes!(people::get, people::update, people::delete))
        .routes(routes!(memberships::list, memberships::create))
        .routes(routes!(memberships::update, memberships::delete))
        .routes(routes!(interactions::list, interactions::create))
        .routes(routes!(interactions::get, interactions::update, interactions::delete))
        .routes(routes!(imports::create))
        .routes(routes!(exports::download))
        .routes(routes!(places::list))
        .routes(routes!(places::resolve))
        .routes(routes!(search::search))
}

/// The OpenAPI document of the whole API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

pub fn build(app: AppState) -> Router {
    let (router, api) = api_routes().split_for_parts();
    let api_json = serde_json::to_value(&api).expect("the OpenAPI document serializes");
    router
        .route("/api/openapi.json", get(move || async move { axum::Json(api_json) }))
        .route("/metrics", get(meta::metrics))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            // The path only: query strings may carry filters, never logged.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(app)
}
