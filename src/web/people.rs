//! The person page: names and spellings, hometown, contact channels (masked for roles that
//! may not see them), consent, memberships, the timeline with its log form, and for admins
//! the person's requests about their data.

use askama::Template;
use axum::Form as Posted;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;

use super::context::{Chrome, SignedIn};
use super::forms::{self, Form};
use super::privacy::{self, ConsentForm, ConsentSection, EraseForm};
use super::records::{self, Entry, Of};
use super::{render_status, see_other};
use crate::api::{memberships, parse_id, people};
use crate::app::{App, AppState};
use crate::audit;
use crate::auth::Permission;
use crate::error::{AppError, AppResult, FieldError};
use crate::places::Places;
use crate::records::{Fields, PersonRecord};
use crate::schema::organizations;
use crate::store;

type Typed = Posted<Vec<(String, String)>>;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonView {
    c: Chrome,
    id: Uuid,
    p: PersonRecord,
    log_action: String,
    names: Vec<String>,
    hometown: Option<String>,
    timeline: Vec<Entry>,
    log_form: Form,
    membership_form: Form,
    /// For roles that may see contact details.
    consent: Option<ConsentSection>,
    consent_form: ConsentForm,
    erase_form: EraseForm,
    notice: Option<&'static str>,
    purposes: &'static [&'static str],
    sources: &'static [&'static str],
}

impl PersonView {
    fn title(&self) -> String {
        self.names.get(0).cloned().unwrap_or_default()
    }
}

/// The hometown from county down, as the place hierarchy names it: 台山 › 台城.
pub fn hometown_path(place: Option<&str>, written: Option<&str>, c: &Chrome) -> Option<String> {
    let places = Places::get();
    let Some(id) = place else { return written.map(str::to_string) };
    let mut chain: Vec<String> = places
        .ancestors(id)
        .iter()
        .rev()
        .chain(std::iter::once(&id.to_string()))
        .filter_map(|p| places.by_id(p))
        .filter(|p| !matches!(p.level.as_str(), "province" | "prefecture-level city" | "cultural region"))
        .map(|p| match c.lang {
            super::Lang::Zh => p.name_simplified.clone(),
            super::Lang::En => p.pinyin.clone().unwrap_or_else(|| p.name_simplified.clone()),
        })
        .collect();
    chain.dedup();
    Some(chain.join(" › "))
}

/// What the page shows besides the record: forms sent back with their problems (the others
/// blank), and a notice after a change.
#[derive(Default)]
pub struct Shown {
    pub log: Option<Form>,
    pub membership: Option<Form>,
    pub consent: Option<ConsentForm>,
    pub erase: Option<EraseForm>,
    /// Words key of the notice.
    pub notice: Option<&'static str>,
}

/// The page, with the forms as given.
pub async fn show(app: &App, who: SignedIn, id: Uuid, shown: Shown, status: StatusCode) -> AppResult<Response> {
    who.require(Permission::ReadDirectory)?;
    let mut conn = app.conn().await?;
    let record = people::visible(&who.actor, people::load(&mut conn, id).await?);
    let contact_details = who.c.can_see_contacts();
    audit::record(
        &mut conn,
        &who.actor,
        "read",
        "person",
        Some(id),
        json!({ "contact_details": contact_details, "via": "web" }),
    )
    .await?;
    let consent = if contact_details {
        Some(privacy::consent_section(&mut conn, &who.c, id, record.consent.as_ref()).await?)
    } else {
        None
    };
    let timeline = if who.c.can_read_interactions() {
        records::timeline(&mut conn, Of::Person(id)).await?
    } else {
        Vec::new()
    };
    let names = [record.name_zh.clone(), record.name_latin.clone()]
        .into_iter()
        .flatten()
        .chain(record.other_names.iter().cloned())
        .collect();
    let view = PersonView {
        hometown: hometown_path(record.hometown_place.as_deref(), record.hometown.as_deref(), &who.c),
        log_form: shown.log.unwrap_or_else(|| records::blank_interaction(&who)),
        membership_form: shown
            .membership
            .unwrap_or_else(|| Form::new(forms::MEMBERSHIP, who.c.lang, &Default::default(), &[])),
        consent_form: shown.consent.unwrap_or_else(ConsentForm::blank),
        erase_form: shown.erase.unwrap_or_default(),
        notice: shown.notice,
        purposes: privacy::PURPOSES,
        sources: privacy::SOURCES,
        consent,
        c: who.c,
        id,
        log_action: format!("/people/{id}/interactions"),
        p: record,
        names,
        timeline,
    };
    Ok(render_status(status, &view))
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    /// `recorded` after the consent form.
    consent: Option<String>,
}

pub async fn page(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let shown = Shown {
        notice: (q.consent.as_deref() == Some("recorded")).then_some("consent.recorded"),
        ..Shown::default()
    };
    show(&app, who, parse_id(&id, "person")?, shown, StatusCode::OK).await
}

pub async fn new_form(who: SignedIn) -> AppResult<Response> {
    records::new_form::<store::People>(who)
}

pub async fn edit_form(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    records::edit_form::<store::People>(&app, who, parse_id(&id, "person")?).await
}

pub async fn create(State(app): State<AppState>, who: SignedIn, Posted(typed): Typed) -> AppResult<Response> {
    records::save::<store::People>(&app, who, None, typed).await
}

pub async fn update(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>, Posted(typed): Typed) -> AppResult<Response> {
    records::save::<store::People>(&app, who, Some(parse_id(&id, "person")?), typed).await
}

pub async fn log_interaction(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(typed): Typed,
) -> AppResult<Response> {
    let id = parse_id(&id, "person")?;
    match records::log_interaction(&app, &who, Of::Person(id), &typed).await? {
        Ok(()) => Ok(see_other(&format!("/people/{id}#timeline"))),
        Err(form) => {
            let shown = Shown {
                log: Some(form),
                ..Shown::default()
            };
            show(&app, who, id, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Adds the person to an organization named by its id, external_id or exact name.
pub async fn add_membership(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(typed): Typed,
) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    let id = parse_id(&id, "person")?;
    let body = forms::typed(forms::MEMBERSHIP, &typed, false);
    let mut f = Fields::new(&body, "");
    let mut input = memberships::terms(&mut f);
    let mut errors = f.errors;
    let written = body.get("organization").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let org = if written.is_empty() {
        errors.push(FieldError::new("organization", "is required"));
        None
    } else {
        let mut conn = app.conn().await?;
        let found = find_organization(&mut conn, &written).await?;
        if found.is_none() {
            errors.push(FieldError::new("organization", format!("no organization is named \"{written}\"")));
        }
        found
    };
    let result = match org {
        Some(org) if errors.is_empty() => {
            input.organization = org.to_string();
            memberships::add(&app, &who.actor, id, org, &input).await.map(|_| ())
        }
        _ => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/people/{id}#memberships"))),
        Err(AppError::Invalid(errors)) => {
            let form = Form::new(forms::MEMBERSHIP, who.c.lang, &forms::as_typed(forms::MEMBERSHIP, &typed), &errors);
            let shown = Shown {
                membership: Some(form),
                ..Shown::default()
            };
            show(&app, who, id, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// An organization by id, external_id, or a name matching exactly one organization.
async fn find_organization(conn: &mut diesel_async::AsyncPgConnection, written: &str) -> AppResult<Option<Uuid>> {
    let written = written.trim();
    if let Ok(id) = Uuid::parse_str(written) {
        return Ok(Some(id));
    }
    let by_key: Option<Uuid> = organizations::table
        .filter(organizations::external_id.eq(written))
        .select(organizations::id)
        .first(conn)
        .await
        .optional()?;
    if by_key.is_some() {
        return Ok(by_key);
    }
    let by_name: Vec<Uuid> = organizations::table
        .filter(
            organizations::name_zh
                .eq(written)
                .or(organizations::name_en.eq(written))
                .or(organizations::other_names.contains(vec![written.to_string()])),
        )
        .select(organizations::id)
        .limit(2)
        .load(conn)
        .await?;
    Ok(match by_name.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

#[derive(serde::Deserialize)]
pub struct Back {
    back: Option<String>,
}

pub async fn remove_membership(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(form): Posted<Back>,
) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    memberships::remove(&app, &who.actor, parse_id(&id, "membership")?).await?;
    Ok(see_other(&super::local_path(form.back.as_deref())))
}

pub async fn interaction(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    records::interaction_home(&app, who, parse_id(&id, "interaction")?).await
}

pub async fn edit_interaction(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    records::edit_form::<store::Interactions>(&app, who, parse_id(&id, "interaction")?).await
}

pub async fn update_interaction(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(typed): Typed,
) -> AppResult<Response> {
    records::save::<store::Interactions>(&app, who, Some(parse_id(&id, "interaction")?), typed).await
}

pub async fn delete_interaction(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(form): Posted<Back>,
) -> AppResult<Response> {
    records::delete_interaction(&app, who, parse_id(&id, "interaction")?, form.back.as_deref()).await
}
