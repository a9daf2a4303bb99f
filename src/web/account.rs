//! Signing in and out, and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use serde_json::json;

use super::context::{Chrome, SignedIn, Visitor};
use super::session::{self, LANG_COOKIE, SESSION_COOKIE};
use super::{Lang, local_path, render_status, see_other};
use crate::app::AppState;
use crate::audit;
use crate::auth::accounts::{self, LoginRefused};
use crate::auth::{Actor, ActorKind, Role};
use crate::error::AppResult;
use crate::schema::users;

const YEAR_SECONDS: i64 = 365 * 24 * 3600;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginView {
    c: Chrome,
    next: String,
    email: String,
    problem: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

pub async fn login_page(State(app): State<AppState>, Visitor(context, _): Visitor, Query(q): Query<LoginQuery>) -> Response {
    let next = local_path(q.next.as_deref());
    if context.session.is_some() {
        return see_other(&next);
    }
    let chosen = q.lang.as_deref().and_then(Lang::parse);
    let lang = chosen.unwrap_or(context.lang);
    let view = LoginView {
        c: Chrome::anonymous(lang),
        next,
        email: String::new(),
        problem: context.expired.then(|| lang.t("login.expired").to_string()),
    };
    let mut response = render_status(StatusCode::OK, &view);
    if let Some(lang) = chosen {
        let cookie = session::set_cookie(LANG_COOKIE, lang.code(), Some(YEAR_SECONDS), app.config.sessions.secure_cookies);
        response
            .headers_mut()
            .append(SET_COOKIE, cookie.parse().expect("a cookie is a header value"));
    }
    response
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login(State(app): State<AppState>, Visitor(context, ip): Visitor, Form(form): Form<LoginForm>) -> AppResult<Response> {
    let lang = context.lang;
    let mut conn = app.conn().await?;
    let refused = match accounts::verify_login(&mut conn, &form.email, &form.password).await? {
        Ok(user) => {
            let token = session::start(&mut conn, &app.config.sessions, user.id, ip.clone()).await?;
            let actor = Actor {
                kind: ActorKind::User,
                id: Some(user.id),
                label: format!("user:{}", user.id),
                role: Role::parse(&user.role).unwrap_or(Role::Viewer),
                ip,
                request_id: None,
            };
            audit::record(&mut conn, &actor, "login", "user", Some(user.id), json!({})).await?;
            let cookie = session::set_cookie(SESSION_COOKIE, &token, None, app.config.sessions.secure_cookies);
            let mut response = see_other(&local_path(form.next.as_deref()));
            response
                .headers_mut()
                .append(SET_COOKIE, cookie.parse().expect("a cookie is a header value"));
            return Ok(response);
        }
        Err(refused) => refused,
    };
    let problem = match refused {
        LoginRefused::WrongCredentials => lang.t("login.wrong").to_string(),
        LoginRefused::LockedUntil(until) => {
            let minutes = (until - chrono::Utc::now()).num_minutes() + 1;
            lang.t("login.locked").replace("{minutes}", &minutes.to_string())
        }
    };
    let view = LoginView {
        c: Chrome::anonymous(lang),
        next: local_path(form.next.as_deref()),
        email: form.email,
        problem: Some(problem),
    };
    Ok(render_status(StatusCode::UNAUTHORIZED, &view))
}

pub async fn logout(State(app): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = session::read_cookie(&headers, SESSION_COOKIE) {
        let mut conn = app.conn().await?;
        session::end(&mut conn, token).await?;
    }
    let mut response = see_other("/login");
    let cookie = session::set_cookie(SESSION_COOKIE, "", Some(0), app.config.sessions.secure_cookies);
    response
        .headers_mut()
        .append(SET_COOKIE, cookie.parse().expect("a cookie is a header value"));
    Ok(response)
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    back: Option<String>,
}

/// The one-click language switch, remembered on the user's account.
pub async fn switch_lang(State(app): State<AppState>, who: SignedIn, Form(form): Form<LangForm>) -> AppResult<Response> {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    let mut conn = app.conn().await?;
    diesel::update(users::table.find(who.user.id))
        .set(users::locale.eq(lang.code()))
        .execute(&mut conn)
        .await?;
    Ok(see_other(&local_path(form.back.as_deref())).into_response())
}
