//! The organization page: names, kind, place, hometowns served, office bearers and members,
//! parent and child organizations, last contact and liaison status, and the timeline.

use askama::Template;
use axum::Form as Posted;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::context::{Chrome, SignedIn};
use super::forms::Form;
use super::records::{self, Entry, Of};
use super::{render_status, see_other};
use crate::api::{organizations, parse_id};
use crate::app::{App, AppState};
use crate::auth::Permission;
use crate::error::AppResult;
use crate::places::{Places, Resolution};
use crate::records::OrganizationRecord;
use crate::schema::{memberships, organizations as orgs, people};
use crate::store;

type Typed = Posted<Vec<(String, String)>>;

/// Contacted within this many days counts as recent.
const RECENT_DAYS: i64 = 365;

pub struct Link {
    pub href: String,
    pub name: String,
}

pub struct Member {
    pub href: String,
    pub name: String,
    pub role: String,
    pub term: String,
    /// The role's place in the list of roles: presidents first.
    rank: usize,
}

#[derive(Template)]
#[template(path = "organization.html")]
struct OrganizationView {
    c: Chrome,
    id: Uuid,
    log_action: String,
    o: OrganizationRecord,
    name: String,
    hometowns: Vec<String>,
    parent: Option<Link>,
    children: Vec<Link>,
    bearers: Vec<Member>,
    members: Vec<Member>,
    last_contact: Option<NaiveDate>,
    /// `recent`, `overdue` or `never`.
    contact: &'static str,
    timeline: Vec<Entry>,
    log_form: Form,
}

async fn show(app: &App, who: SignedIn, id: Uuid, log_form: Option<Form>, status: StatusCode) -> AppResult<Response> {
    who.require(Permission::ReadDirectory)?;
    let mut conn = app.conn().await?;
    let o = organizations::load(&mut conn, id).await?;
    let link = |(id, zh, en): (Uuid, Option<String>, Option<String>)| Link {
        href: format!("/organizations/{id}"),
        name: zh.or(en).unwrap_or_default(),
    };
    let parent = match o.parent_id {
        Some(p) => orgs::table
            .find(p)
            .select((orgs::id, orgs::name_zh, orgs::name_en))
            .first(&mut conn)
            .await
            .optional()?
            .map(link),
        None => None,
    };
    let children = orgs::table
        .filter(orgs::parent_id.eq(id))
        .order(orgs::name_zh)
        .select((orgs::id, orgs::name_zh, orgs::name_en))
        .load(&mut conn)
        .await?
        .into_iter()
        .map(link)
        .collect();
    let rows: Vec<(Uuid, Option<String>, Option<String>, String, Option<String>, Option<String>)> = memberships::table
        .inner_join(people::table)
        .filter(memberships::organization_id.eq(id))
        .order((memberships::role, people::name_zh))
        .select((
            people::id,
            people::name_zh,
            people::name_latin,
            memberships::role,
            memberships::since,
            memberships::until,
        ))
        .limit(500)
        .load(&mut conn)
        .await?;
    let (mut bearers, mut members) = (Vec::new(), Vec::new());
    for (pid, zh, latin, role, since, until) in rows {
        let member = Member {
            href: format!("/people/{pid}"),
            name: [zh, latin].into_iter().flatten().collect::<Vec<_>>().join(" "),
            role: who.c.label("role", &role),
            rank: crate::records::ROLES.iter().position(|r| *r == role).unwrap_or(usize::MAX),
            term: match (since, until) {
                (None, None) => String::new(),
                (s, u) => format!("{} – {}", s.unwrap_or_default(), u.unwrap_or_default()),
            },
        };
        if role == "member" {
            members.push(member)
        } else {
            bearers.push(member)
        }
    }
    bearers.sort_by_key(|m| m.rank);
    let timeline = if who.c.can_read_interactions() {
        records::timeline(&mut conn, Of::Organization(id)).await?
    } else {
        Vec::new()
    };
    let last_contact = timeline.get(0).map(|e| e.date);
    let contact = match last_contact {
        None => "never",
        Some(d) if (chrono::Utc::now().date_naive() - d).num_days() <= RECENT_DAYS => "recent",
        Some(_) => "overdue",
    };
    let places = Places::get();
    let hometowns = o
        .hometowns
        .iter()
        .map(|written| match places.resolve(written) {
            Resolution::Unknown => written.clone(),
            resolved => match resolved
                .place_id()
                .and_then(|id| super::people::hometown_path(Some(id), None, &who.c))
            {
                Some(path) => path,
                None => written.clone(),
            },
        })
        .collect();
    let view = OrganizationView {
        name: o
            .name_zh
            .clone()
            .or(o.name_en.clone())
            .or(o.other_names.get(0).cloned())
            .unwrap_or_default(),
        log_form: log_form.unwrap_or_else(|| records::blank_interaction(&who)),
        c: who.c,
        id,
        log_action: format!("/organizations/{id}/interactions"),
        o,
        hometowns,
        parent,
        children,
        bearers,
        members,
        last_contact,
        contact,
        timeline,
    };
    Ok(render_status(status, &view))
}

pub async fn page(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    show(&app, who, parse_id(&id, "organization")?, None, StatusCode::OK).await
}

pub async fn new_form(who: SignedIn) -> AppResult<Response> {
    records::new_form::<store::Organizations>(who)
}

pub async fn edit_form(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    records::edit_form::<store::Organizations>(&app, who, parse_id(&id, "organization")?).await
}

pub async fn create(State(app): State<AppState>, who: SignedIn, Posted(typed): Typed) -> AppResult<Response> {
    records::save::<store::Organizations>(&app, who, None, typed).await
}

pub async fn update(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>, Posted(typed): Typed) -> AppResult<Response> {
    records::save::<store::Organizations>(&app, who, Some(parse_id(&id, "organization")?), typed).await
}

pub async fn log_interaction(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(typed): Typed,
) -> AppResult<Response> {
    let id = parse_id(&id, "organization")?;
    match records::log_interaction(&app, &who, Of::Organization(id), &typed).await? {
        Ok(()) => Ok(see_other(&format!("/organizations/{id}#timeline"))),
        Err(form) => show(&app, who, id, Some(form), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}
