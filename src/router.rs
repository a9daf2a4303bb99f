//! The one route table. The OpenAPI document is built from the same handlers, so the
//! two cannot drift apart.

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::middleware;
use axum::routing::{get, post};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::LatencyUnit;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{duplicates, events, exports, imports, interactions, memberships, meta, organizations, people, places, privacy, reports, search};
use crate::app::AppState;
use crate::{limits, metrics};
use crate::web::{
    account, admin, assets, context, duplicates as duplicate_pages, events as event_pages, home, imports as import_page,
    organizations as org_pages, people as person_pages, privacy as privacy_pages, reports as report_pages, rsvp, search as search_page,
};

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
        .routes(routes!(exports::request, exports::requests))
        .routes(routes!(exports::decide))
        .routes(routes!(places::list))
        .routes(routes!(places::resolve))
        .routes(routes!(search::search))
        .routes(routes!(events::list, events::create))
        .routes(routes!(events::get, events::update))
        .routes(routes!(events::add_guests))
        .routes(routes!(events::invitations_list))
        .routes(routes!(events::send_all))
        .routes(routes!(events::act))
        .routes(routes!(events::check_in))
        .routes(routes!(events::summary))
        .routes(routes!(events::guests_file))
        .routes(routes!(reports::overview))
        .routes(routes!(reports::country))
        .routes(routes!(duplicates::list))
        .routes(routes!(duplicates::dismiss))
        .routes(routes!(duplicates::create))
        .routes(routes!(duplicates::undo))
        .routes(routes!(privacy::consent_history, privacy::record_consent))
        .routes(routes!(privacy::copy))
        .routes(routes!(privacy::erase))
}

/// The officers' web app. Every page passes through `context::layer`: session, language,
/// CSRF and origin checks, and errors shown as pages.
fn web_routes(app: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/login", get(account::login_page).post(account::login))
        .route("/logout", post(account::logout))
        .route("/lang", post(account::switch_lang))
        .route("/search", get(search_page::page))
        .route("/people", post(person_pages::create))
        .route("/people/new", get(person_pages::new_form))
        .route("/people/{id}", get(person_pages::page).post(person_pages::update))
        .route("/people/{id}/edit", get(person_pages::edit_form))
        .route("/people/{id}/interactions", post(person_pages::log_interaction))
        .route("/people/{id}/memberships", post(person_pages::add_membership))
        .route("/people/{id}/consent", post(privacy_pages::record_consent))
        .route("/people/{id}/data.json", get(privacy_pages::copy_json))
        .route("/people/{id}/data.pdf", get(privacy_pages::copy_pdf))
        .route("/people/{id}/erase", post(privacy_pages::erase))
        .route("/memberships/{id}/delete", post(person_pages::remove_membership))
        .route(
            "/interactions/{id}",
            get(person_pages::interaction).post(person_pages::update_interaction),
        )
        .route("/interactions/{id}/edit", get(person_pages::edit_interaction))
        .route("/interactions/{id}/delete", post(person_pages::delete_interaction))
        .route("/organizations", post(org_pages::create))
        .route("/organizations/new", get(org_pages::new_form))
        .route("/organizations/{id}", get(org_pages::page).post(org_pages::update))
        .route("/organizations/{id}/edit", get(org_pages::edit_form))
        .route("/organizations/{id}/interactions", post(org_pages::log_interaction))
        .route("/import", get(import_page::page).post(import_page::upload))
        .route("/duplicates", get(duplicate_pages::page))
        .route("/duplicates/merge", post(duplicate_pages::merge))
        .route("/duplicates/dismiss", post(duplicate_pages::dismiss))
        .route("/duplicates/undo", post(duplicate_pages::undo))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}", post(admin::update_user))
        .route("/admin/tokens", get(admin::tokens).post(admin::create_token))
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/audit", get(admin::audit_log))
        .route("/events", get(event_pages::list).post(event_pages::create))
        .route("/events/{id}", get(event_pages::page).post(event_pages::update))
        .route("/events/{id}/guests", post(event_pages::add_guests))
        .route("/events/{id}/guests.csv", get(event_pages::guests_csv))
        .route("/events/{id}/guests.xlsx", get(event_pages::guests_xlsx))
        .route("/events/{id}/send", post(event_pages::send_all))
        .route("/events/{id}/badges.pdf", get(event_pages::badges_pdf))
        .route("/events/{id}/letters.pdf", get(event_pages::letters_pdf))
        .route("/events/{id}/checkin", get(event_pages::checkin_page).post(event_pages::check_in))
        .route("/events/{id}/arrivals", get(event_pages::arrivals))
        .route("/invitations/{id}/act", post(event_pages::act))
        .route("/invitations/{id}/letter", get(rsvp::letter))
        .route("/rsvp/{token}", get(rsvp::page).post(rsvp::answer))
        .route("/reports", get(report_pages::overview))
        .route("/reports/{cc}", get(report_pages::country))
        .layer(middleware::from_fn_with_state(app.clone(), limits::guard))
        .layer(middleware::from_fn_with_state(app, context::layer))
        .route("/assets/{name}", get(assets::file))
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
        .layer(middleware::from_fn_with_state(app.clone(), limits::guard))
        .merge(web_routes(app.clone()))
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn(metrics::track))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    // The route, not the path: paths carry ids and RSVP tokens; query
                    // strings carry searches. Neither is logged.
                    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str());
                    tracing::info_span!("request", method = %req.method(), route, request_id)
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Millis)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(app)
}

/// What a worker process answers on its port: liveness and metrics.
pub fn worker(app: AppState) -> Router {
    Router::new()
        .route("/healthz", get(meta::healthz))
        .route("/metrics", get(meta::metrics))
        .with_state(app)
}
