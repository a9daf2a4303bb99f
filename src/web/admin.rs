//! The admin pages: staff accounts and their roles, API tokens (shown once), and the audit
//! log with filters.

use askama::Template;
use axum::Form as Posted;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::context::{Chrome, SignedIn};
use super::session;
use super::{render, render_status, see_other};
use crate::api::parse_id;
use crate::app::{App, AppState};
use crate::audit;
use crate::auth::accounts::{self, check_password};
use crate::auth::{Permission, Role, secrets};
use crate::error::{AppError, AppResult, FieldError};
use crate::models::{ApiToken, User};
use crate::schema::{api_tokens, audit_log, users};

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersView {
    c: Chrome,
    users: Vec<User>,
    me: Uuid,
    roles: Vec<(&'static str, String)>,
    /// The new-user form as typed, and its problems.
    email: String,
    name: String,
    role: String,
    problems: Vec<String>,
}

fn role_choices(c: &Chrome) -> Vec<(&'static str, String)> {
    Role::ALL.iter().map(|r| (r.as_str(), c.label("role", r.as_str()))).collect()
}

async fn users_page(app: &App, who: SignedIn, typed: Option<NewUser>, problems: Vec<String>) -> AppResult<Response> {
    who.require(Permission::ManageAccess)?;
    let mut conn = app.conn().await?;
    let list: Vec<User> = users::table.order(users::email).select(User::as_select()).load(&mut conn).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let typed = typed.unwrap_or_default();
    let view = UsersView {
        roles: role_choices(&who.c),
        me: who.user.id,
        c: who.c,
        users: list,
        email: typed.email,
        name: typed.name,
        role: typed.role,
        problems,
    };
    Ok(render_status(status, &view))
}

pub async fn users(State(app): State<AppState>, who: SignedIn) -> AppResult<Response> {
    users_page(&app, who, None, Vec::new()).await
}

#[derive(Deserialize, Default)]
pub struct NewUser {
    email: String,
    #[serde(default)]
    name: String,
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn create_user(State(app): State<AppState>, who: SignedIn, Posted(form): Posted<NewUser>) -> AppResult<Response> {
    who.require(Permission::ManageAccess)?;
    let created = match Role::parse(&form.role) {
        None => Err(AppError::invalid("role", "choose a role")),
        Some(role) => {
            let mut conn = app.conn().await?;
            let name = Some(form.name.as_str()).filter(|n| !n.trim().is_empty());
            accounts::create_user(&mut conn, &who.actor, &form.email, name, role, &form.password).await
        }
    };
    match created {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(AppError::Invalid(errors)) => {
            let problems = field_problems(&who.c, &errors);
            users_page(
                &app,
                who,
                Some(NewUser {
                    password: String::new(),
                    ..form
                }),
                problems,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

fn field_problems(c: &Chrome, errors: &[FieldError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("{}: {}", c.t(&format!("field.{}", e.field)), c.lang.field_message(&e.message)))
        .collect()
}

#[derive(Deserialize)]
pub struct ChangeUser {
    role: String,
    disabled: Option<String>,
    #[serde(default)]
    password: String,
}

/// Changes a user's role, disables or enables them, or sets a new password. Saving also
/// lifts a log-in wait. Disabling or a new password ends the user's sessions.
pub async fn update_user(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(form): Posted<ChangeUser>,
) -> AppResult<Response> {
    who.require(Permission::ManageAccess)?;
    let id = parse_id(&id, "user")?;
    let role = Role::parse(&form.role).ok_or_else(|| AppError::invalid("role", "choose a role"))?;
    let disabled = form.disabled.is_some();
    if id == who.user.id && (disabled || role != Role::Admin) {
        return Err(AppError::BadRequest(
            "you cannot disable yourself or take away your own admin role".into(),
        ));
    }
    let password = match form.password.trim() {
        "" => None,
        p => {
            check_password(p).map_err(|e| AppError::Invalid(vec![e]))?;
            Some(secrets::hash_password(p)?)
        }
    };
    let mut conn = app.conn().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let changed = diesel::update(users::table.find(id))
            .set((
                users::role.eq(role.as_str()),
                users::disabled.eq(disabled),
                users::failed_logins.eq(0),
                users::locked_until.eq(None::<DateTime<Utc>>),
            ))
            .execute(conn)
            .await?;
        if changed == 0 {
            return Err(AppError::NotFound("user"));
        }
        if let Some(hash) = &password {
            diesel::update(users::table.find(id))
                .set(users::password_hash.eq(hash))
                .execute(conn)
                .await?;
        }
        if disabled || password.is_some() {
            session::end_all(conn, id).await?;
        }
        let detail = json!({ "role": role.as_str(), "disabled": disabled, "password_changed": password.is_some() });
        audit::record(conn, &who.actor, "update", "user", Some(id), detail).await?;
        Ok(())
    })
    .await?;
    Ok(see_other("/admin/users"))
}

#[derive(Template)]
#[template(path = "admin_tokens.html")]
struct TokensView {
    c: Chrome,
    tokens: Vec<ApiToken>,
    roles: Vec<(&'static str, String)>,
    /// A token just made, shown this once.
    new_token: Option<String>,
    problems: Vec<String>,
}

async fn tokens_page(app: &App, who: SignedIn, new_token: Option<String>, problems: Vec<String>) -> AppResult<Response> {
    who.require(Permission::ManageAccess)?;
    let mut conn = app.conn().await?;
    let tokens = api_tokens::table
        .order(api_tokens::created_at.desc())
        .select(ApiToken::as_select())
        .load(&mut conn)
        .await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &TokensView {
            roles: role_choices(&who.c),
            c: who.c,
            tokens,
            new_token,
            problems,
        },
    ))
}

pub async fn tokens(State(app): State<AppState>, who: SignedIn) -> AppResult<Response> {
    tokens_page(&app, who, None, Vec::new()).await
}

#[derive(Deserialize)]
pub struct NewToken {
    name: String,
    role: String,
}

pub async fn create_token(State(app): State<AppState>, who: SignedIn, Posted(form): Posted<NewToken>) -> AppResult<Response> {
    who.require(Permission::ManageAccess)?;
    let role = Role::parse(&form.role).ok_or_else(|| AppError::invalid("role", "choose a role"))?;
    let mut conn = app.conn().await?;
    match accounts::create_token(&mut conn, &who.actor, &form.name, role).await {
        Ok((_, token)) => tokens_page(&app, who, Some(token), Vec::new()).await,
        Err(AppError::Invalid(errors)) => {
            let problems = field_problems(&who.c, &errors);
            tokens_page(&app, who, None, problems).await
        }
        Err(e) => Err(e),
    }
}

pub async fn revoke_token(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(Permission::ManageAccess)?;
    let id = parse_id(&id, "API token")?;
    let mut conn = app.conn().await?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let changed = diesel::update(api_tokens::table.find(id).filter(api_tokens::revoked_at.is_null()))
            .set(api_tokens::revoked_at.eq(Utc::now()))
            .execute(conn)
            .await?;
        if changed == 1 {
            audit::record(conn, &who.actor, "revoke", "api_token", Some(id), json!({})).await?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other("/admin/tokens"))
}

const AUDIT_PAGE: i64 = 100;
const ACTIONS: &[&str] = &["read", "create", "update", "delete", "import", "export", "login", "revoke"];
const ENTITY_TYPES: &[&str] = &[
    "person",
    "organization",
    "membership",
    "interaction",
    "export",
    "import_run",
    "user",
    "api_token",
];

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    entity_type: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    offset: Option<i64>,
}

pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_href: Option<String>,
    pub entity_id: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditView {
    c: Chrome,
    actions: &'static [&'static str],
    entity_types: &'static [&'static str],
    q: AuditQuery,
    rows: Vec<AuditRow>,
    total: i64,
    more: Option<String>,
    problem: Option<String>,
}

type AuditTuple = (
    DateTime<Utc>,
    String,
    Option<String>,
    String,
    String,
    Option<Uuid>,
    serde_json::Value,
    Option<String>,
);

/// The audit log, newest first, filtered by who (e-mail or label), what, which record and when.
pub async fn audit_log(State(app): State<AppState>, who: SignedIn, Query(q): Query<AuditQuery>) -> AppResult<Response> {
    who.require(Permission::ReadAudit)?;
    let date = |text: &str, field: &str| -> AppResult<Option<NaiveDate>> {
        match text.trim() {
            "" => Ok(None),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid(field, format!("\"{t}\" is not a date written YYYY-MM-DD, e.g. 2024-01-18"))),
        }
    };
    let (from, to, entity) = match (date(&q.from, "from"), date(&q.to, "to"), q.entity_id.trim()) {
        (Ok(f), Ok(t), "") => (f, t, None),
        (Ok(f), Ok(t), e) => match Uuid::parse_str(e) {
            Ok(id) => (f, t, Some(id)),
            Err(_) => return audit_problem(who, q, "entity_id: not an id").await,
        },
        (Err(e), _, _) | (_, Err(e), _) => {
            let message = who.c.lang.message(&e.page());
            return audit_problem(who, q, &message).await;
        }
    };
    let filtered = || {
        let mut query = audit_log::table
            .left_join(users::table.on(audit_log::actor_id.eq(users::id.nullable())))
            .into_boxed();
        if !q.actor.trim().is_empty() {
            let pattern = format!("%{}%", q.actor.trim().replace('%', "\\%").replace('_', "\\_"));
            query = query.filter(audit_log::actor_label.ilike(pattern.clone()).or(users::email.ilike(pattern)));
        }
        if !q.action.trim().is_empty() {
            query = query.filter(audit_log::action.eq(q.action.trim().to_string()));
        }
        if !q.entity_type.trim().is_empty() {
            query = query.filter(audit_log::entity_type.eq(q.entity_type.trim().to_string()));
        }
        if let Some(id) = entity {
            query = query.filter(audit_log::entity_id.eq(id));
        }
        if let Some(from) = from {
            query = query.filter(audit_log::at.ge(from.and_hms_opt(0, 0, 0).expect("midnight").and_utc()));
        }
        if let Some(to) = to {
            let end = to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            query = query.filter(audit_log::at.lt(end));
        }
        query
    };
    let offset = q.offset.unwrap_or(0).max(0);
    let mut conn = app.conn().await?;
    let total: i64 = filtered().count().get_result(&mut conn).await?;
    let rows: Vec<AuditTuple> = filtered()
        .order(audit_log::id.desc())
        .limit(AUDIT_PAGE)
        .offset(offset)
        .select((
            audit_log::at,
            audit_log::actor_label,
            users::email.nullable(),
            audit_log::action,
            audit_log::entity_type,
            audit_log::entity_id,
            audit_log::detail,
            audit_log::ip,
        ))
        .load(&mut conn)
        .await?;
    let rows = rows
        .into_iter()
        .map(|(at, label, email, action, entity_type, entity_id, detail, ip)| AuditRow {
            at,
            actor: email.unwrap_or(label),
            entity_href: entity_id.and_then(|id| match entity_type.as_str() {
                "person" => Some(format!("/people/{id}")),
                "organization" => Some(format!("/organizations/{id}")),
                _ => None,
            }),
            entity_id: entity_id.map(|id| id.to_string()).unwrap_or_default(),
            action,
            entity_type,
            detail: if detail == json!({}) { String::new() } else { detail.to_string() },
            ip: ip.unwrap_or_default(),
        })
        .collect();
    let more = (offset + AUDIT_PAGE < total).then(|| {
        let keep = [
            ("actor", &q.actor),
            ("action", &q.action),
            ("entity_type", &q.entity_type),
            ("entity_id", &q.entity_id),
            ("from", &q.from),
            ("to", &q.to),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", super::forms::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
        format!("/admin/audit?{keep}&offset={}", offset + AUDIT_PAGE)
    });
    Ok(render(&AuditView {
        c: who.c,
        actions: ACTIONS,
        entity_types: ENTITY_TYPES,
        q,
        rows,
        total,
        more,
        problem: None,
    }))
}

async fn audit_problem(who: SignedIn, q: AuditQuery, problem: &str) -> AppResult<Response> {
    let view = AuditView {
        c: who.c,
        actions: ACTIONS,
        entity_types: ENTITY_TYPES,
        q,
        rows: Vec::new(),
        total: 0,
        more: None,
        problem: Some(problem.to_string()),
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &view))
}
