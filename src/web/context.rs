//! What every web request carries: who is signed in, in which language, and the checks
//! that run before any page handler (CSRF and origin on every form). Errors from handlers
//! come back here and are shown as a page in the user's language.

use std::sync::Arc;

use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::i18n::Lang;
use super::session::{self, LANG_COOKIE, SESSION_COOKIE, Session};
use crate::app::AppState;
use crate::auth::{Actor, ActorKind, Permission, Role};
use crate::error::{AppError, ErrorPage};
use crate::models::User;

/// Form bodies are small; files go through the import page as multipart.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

#[derive(Clone)]
pub struct WebContext {
    pub session: Option<Arc<Session>>,
    pub lang: Lang,
    /// A session cookie came with the request but named no live session.
    pub expired: bool,
}

/// Runs before every page: finds the session, checks forms, and turns errors into pages.
pub async fn layer(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let (req, context) = match prepare(&app, req).await {
        Ok(ready) => ready,
        Err((e, lang)) => return with_page_headers(error_page(e.into_response(), lang, &path, &method)),
    };
    let lang = context.lang;
    let response = next.run(req).await;
    with_page_headers(error_page(response, lang, &path, &method))
}

/// Pages run only our own script and style, cannot be framed, and are not cached: they
/// carry personal data.
fn with_page_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, axum::http::HeaderValue::from_static(value));
    };
    set(
        headers,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    );
    set(headers, "x-frame-options", "DENY");
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "same-origin");
    set(headers, "cache-control", "no-store");
    response
}

/// The request's context, or the error to show and the language to show it in.
async fn prepare(app: &AppState, req: Request) -> Result<(Request, WebContext), (AppError, Lang)> {
    let cookie = session::read_cookie(req.headers(), SESSION_COOKIE).map(str::to_string);
    let session = match &cookie {
        Some(token) => session::find(app, token)
            .await
            .map_err(|e| (e, Lang::from_headers(req.headers())))?
            .map(Arc::new),
        None => None,
    };
    let lang = match &session {
        Some(s) => Lang::parse(&s.user.locale).unwrap_or_default(),
        None => session::read_cookie(req.headers(), LANG_COOKIE)
            .and_then(Lang::parse)
            .unwrap_or_else(|| Lang::from_headers(req.headers())),
    };
    let context = WebContext {
        expired: cookie.is_some() && session.is_none(),
        session,
        lang,
    };
    let mut req = if matches!(*req.method(), Method::GET | Method::HEAD) {
        req
    } else {
        check_form(req, &context).await.map_err(|e| (e, context.lang))?
    };
    req.extensions_mut().insert(context.clone());
    Ok((req, context))
}

/// A form must come from our own pages: the browser's Origin must be ours, and a signed-in
/// user's form must carry the session's CSRF token (field `_csrf`, or the `x-csrf-token`
/// header for scripts, or `_csrf` in the query of a file upload).
async fn check_form(req: Request, context: &WebContext) -> Result<Request, AppError> {
    let refused = || AppError::BadRequest("this form is out of date or came from another site; reload the page and try again".into());
    if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
        if origin_host != host {
            return Err(refused());
        }
    }
    let Some(session) = &context.session else {
        return Ok(req);
    };
    let from_header = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let from_query = req.uri().query().and_then(|q| field(q.as_bytes(), "_csrf"));
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let (req, from_body) = if is_form && from_header.is_none() && from_query.is_none() {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| AppError::BadRequest("the form is too large".into()))?;
        let token = field(&bytes, "_csrf");
        (Request::from_parts(parts, Body::from(bytes)), token)
    } else {
        (req, None)
    };
    match from_header.or(from_query).or(from_body) {
        Some(token) if token == session.csrf => Ok(req),
        _ => Err(refused()),
    }
}

fn field(encoded: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(encoded)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorView {
    c: Chrome,
    status: u16,
    message: String,
}

/// Errors become a page in the user's language; "please sign in" becomes the log-in page.
fn error_page(response: Response, lang: Lang, path: &str, method: &Method) -> Response {
    let Some(error) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    if error.code == "unauthenticated" {
        let next = if *method == Method::GET { path } else { "/" };
        return Redirect::to(&format!("/login?next={}", super::forms::url_encode(next))).into_response();
    }
    let status = response.status();
    let view = ErrorView {
        c: Chrome::anonymous(lang),
        status: status.as_u16(),
        message: lang.message(&error),
    };
    (status, super::render(&view)).into_response()
}

/// The signed-in user of a page; without one the page answers with the log-in form.
pub struct SignedIn {
    pub actor: Actor,
    pub user: User,
    pub c: Chrome,
}

impl SignedIn {
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        self.actor.require(permission)
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _app: &AppState) -> Result<Self, Self::Rejection> {
        let context = parts.extensions.get::<WebContext>().cloned().ok_or(AppError::Unauthenticated)?;
        let session = context.session.ok_or(AppError::Unauthenticated)?;
        let user = session.user.clone();
        let role = Role::parse(&user.role).ok_or_else(|| anyhow::anyhow!("user {} has an unknown role", user.id))?;
        let ip = client_ip(parts);
        let actor = Actor {
            kind: ActorKind::User,
            id: Some(user.id),
            label: format!("user:{}", user.id),
            role,
            ip,
            request_id: parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string),
        };
        let c = Chrome {
            lang: context.lang,
            user_name: Some(user.name().to_string()),
            role: Some(role),
            csrf: session.csrf.clone(),
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
        };
        Ok(SignedIn { actor, user, c })
    }
}

/// The address a request came from, when the server knows it.
pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
}

/// Someone who may not be signed in (the log-in page), and their address.
pub struct Visitor(pub WebContext, pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let context = parts.extensions.get::<WebContext>().cloned().unwrap_or(WebContext {
            session: None,
            lang: Lang::from_headers(&parts.headers),
            expired: false,
        });
        Ok(Visitor(context, client_ip(parts)))
    }
}

/// What every page shows around its content: the menu the user may use, the language
/// switch and the log-out button.
pub struct Chrome {
    pub lang: Lang,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub csrf: String,
    /// This page, for the language switch to come back to.
    pub path: String,
}

impl Chrome {
    pub fn anonymous(lang: Lang) -> Chrome {
        Chrome {
            lang,
            user_name: None,
            role: None,
            csrf: String::new(),
            path: "/".into(),
        }
    }

    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.lang.t(key)
    }

    /// A stored value (a status, kind, role …) in the page's language.
    pub fn label(&self, group: &str, value: &str) -> String {
        self.lang.label(group, value)
    }

    /// Why a guest is on a list, as stored ("search: Wong", "寧陽會館 (president)",
    /// "added by hand", "walk-in"), in the page's language.
    pub fn reason(&self, stored: &str) -> String {
        match stored {
            "added by hand" => self.t("reason.by_hand").to_string(),
            "walk-in" => self.t("event.walk_in").to_string(),
            _ => match (stored.strip_prefix("search: "), stored.rsplit_once(" (")) {
                (Some(q), _) => format!("{} {q}", self.t("reason.search")),
                (None, Some((org, role))) => format!("{org} · {}", self.label("role", role.trim_end_matches(')'))),
                _ => stored.to_string(),
            },
        }
    }

    /// Whether two codes are the same, for marking the chosen option of a list.
    pub fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }

    fn allows(&self, permission: Permission) -> bool {
        self.role.is_some_and(|r| r.allows(permission))
    }

    pub fn can_read_people(&self) -> bool {
        self.allows(Permission::ReadPeople)
    }
    pub fn can_see_contacts(&self) -> bool {
        self.allows(Permission::ReadContactDetails)
    }
    pub fn can_read_interactions(&self) -> bool {
        self.allows(Permission::ReadInteractions)
    }
    pub fn can_write(&self) -> bool {
        self.allows(Permission::WriteContacts)
    }
    pub fn can_import(&self) -> bool {
        self.allows(Permission::Import)
    }
    pub fn can_audit(&self) -> bool {
        self.allows(Permission::ReadAudit)
    }
    pub fn can_manage_events(&self) -> bool {
        self.allows(Permission::ManageEvents)
    }
    pub fn can_check_in(&self) -> bool {
        self.allows(Permission::CheckIn)
    }
    pub fn can_manage(&self) -> bool {
        self.allows(Permission::ManageAccess)
    }
    pub fn can_answer_data_requests(&self) -> bool {
        self.allows(Permission::DataRights)
    }
    pub fn role_label(&self) -> String {
        self.role.map(|r| self.label("role", r.as_str())).unwrap_or_default()
    }
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "en",
            Lang::En => "zh",
        }
    }
}
