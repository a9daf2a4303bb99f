//! What the person and organization pages share: their edit forms (the same checks and the
//! same save as the API; on a problem the form comes back with what was typed), the
//! interaction timeline and its log form.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use diesel::sql_types::{Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::context::{Chrome, SignedIn};
use super::forms::{self, Form, Spec};
use super::{render, render_status, see_other};
use crate::api::write::{self, Resource};
use crate::app::App;
use crate::auth::Permission;
use crate::error::{AppError, AppResult, FieldError};
use crate::records::{OrganizationRecord, PersonRecord};
use crate::store::{self, Mode};

/// A record kind with a page and an edit form.
pub trait FormRecord: Resource {
    const SPECS: &'static [Spec];
    /// Where its pages live: `/people`, `/organizations`.
    const PATH: &'static str;
    fn id(view: &Self::View) -> Option<Uuid>;
}

impl FormRecord for store::People {
    const SPECS: &'static [Spec] = forms::PERSON;
    const PATH: &'static str = "/people";
    fn id(view: &PersonRecord) -> Option<Uuid> {
        view.id
    }
}

impl FormRecord for store::Interactions {
    const SPECS: &'static [Spec] = forms::INTERACTION;
    /// `/interactions/{id}` leads back to the page of whom it was with.
    const PATH: &'static str = "/interactions";
    fn id(view: &crate::records::InteractionRecord) -> Option<Uuid> {
        view.id
    }
}

impl FormRecord for store::Organizations {
    const SPECS: &'static [Spec] = forms::ORGANIZATION;
    const PATH: &'static str = "/organizations";
    fn id(view: &OrganizationRecord) -> Option<Uuid> {
        view.id
    }
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct FormView {
    c: Chrome,
    title: String,
    action: String,
    cancel: String,
    form: Form,
}

fn form_view<R: FormRecord>(c: Chrome, id: Option<Uuid>, values: &Map<String, Value>, errors: &[FieldError]) -> FormView {
    let what = R::NAME;
    let (title, action, cancel) = match id {
        None => (format!("title.new_{what}"), R::PATH.to_string(), "/search".to_string()),
        Some(id) => (
            format!("title.edit_{what}"),
            format!("{}/{id}", R::PATH),
            format!("{}/{id}", R::PATH),
        ),
    };
    FormView {
        title: c.t(&title).to_string(),
        form: Form::new(R::SPECS, c.lang, values, errors),
        c,
        action,
        cancel,
    }
}

/// The empty form for a new record.
pub fn new_form<R: FormRecord>(who: SignedIn) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    Ok(render(&form_view::<R>(who.c, None, &Map::new(), &[])))
}

/// The form filled with the stored record.
pub async fn edit_form<R: FormRecord>(app: &App, who: SignedIn, id: Uuid) -> AppResult<Response>
where
    R::View: serde::Serialize,
{
    who.require(Permission::WriteContacts)?;
    let mut conn = app.conn().await?;
    let record = R::load(&mut conn, id).await?;
    Ok(render(&form_view::<R>(who.c, Some(id), &forms::stored(&record), &[])))
}

/// Stores a sent form, or shows it again with its problems and everything typed.
pub async fn save<R: FormRecord>(app: &App, who: SignedIn, id: Option<Uuid>, typed: Vec<(String, String)>) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    let mode = match id {
        Some(id) => Mode::Update(id),
        None => Mode::Create,
    };
    let body = forms::typed(R::SPECS, &typed, id.is_some());
    match write::save::<R>(app, &who.actor, mode, body).await {
        Ok(view) => {
            let id = R::id(&view)
                .or(id)
                .ok_or_else(|| anyhow::anyhow!("a saved {} has no id", R::NAME))?;
            Ok(see_other(&format!("{}/{id}", R::PATH)))
        }
        Err(AppError::Invalid(errors)) => {
            let view = form_view::<R>(who.c, id, &forms::as_typed(R::SPECS, &typed), &errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        Err(e) => Err(e),
    }
}

/// One contact on a timeline.
#[derive(diesel::QueryableByName)]
pub struct Entry {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = Date)]
    pub date: NaiveDate,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub summary: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub officer: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    pub follow_up: Option<NaiveDate>,
    /// The other side: organizations on a person's timeline, people on an organization's.
    #[diesel(sql_type = Text)]
    pub with: String,
}

/// Whose timeline.
pub enum Of {
    Person(Uuid),
    Organization(Uuid),
}

/// The latest contacts of a person or an organization, newest first.
pub async fn timeline(conn: &mut AsyncPgConnection, of: Of) -> AppResult<Vec<Entry>> {
    let (link, key, other) = match of {
        Of::Person(_) => (
            "interaction_people",
            "person_id",
            "SELECT string_agg(coalesce(o.name_zh, o.name_en, o.other_names[1]), '、') FROM interaction_organizations x \
             JOIN organizations o ON o.id = x.organization_id WHERE x.interaction_id = i.id",
        ),
        Of::Organization(_) => (
            "interaction_organizations",
            "organization_id",
            "SELECT string_agg(coalesce(p.name_zh, p.name_latin, p.other_names[1]), '、') FROM interaction_people x \
             JOIN people p ON p.id = x.person_id WHERE x.interaction_id = i.id",
        ),
    };
    let id = match of {
        Of::Person(id) | Of::Organization(id) => id,
    };
    let sql = format!(
        "SELECT i.id, i.date, i.kind, i.summary, i.officer, i.follow_up, coalesce(({other}), '') AS with \
         FROM interactions i JOIN {link} l ON l.interaction_id = i.id WHERE l.{key} = $1 \
         ORDER BY i.date DESC, i.created_at DESC LIMIT 200"
    );
    Ok(diesel::sql_query(sql).bind::<diesel::sql_types::Uuid, _>(id).load(conn).await?)
}

/// The log form, empty: today's date and the officer's own name filled in.
pub fn blank_interaction(who: &SignedIn) -> Form {
    let values = json!({
        "date": chrono::Utc::now().date_naive().to_string(),
        "kind": "visit",
        "officer": who.user.name(),
    });
    let Value::Object(values) = values else { unreachable!() };
    Form::new(forms::INTERACTION, who.c.lang, &values, &[])
}

/// Logs a contact with one person or organization. Returns the form again with its
/// problems when the check fails.
pub async fn log_interaction(app: &App, who: &SignedIn, of: Of, typed: &[(String, String)]) -> AppResult<Result<(), Form>> {
    who.require(Permission::WriteContacts)?;
    let mut body = forms::typed(forms::INTERACTION, typed, false);
    match of {
        Of::Person(id) => body.insert("people".into(), json!([id.to_string()])),
        Of::Organization(id) => body.insert("organizations".into(), json!([id.to_string()])),
    };
    match write::save::<store::Interactions>(app, &who.actor, Mode::Create, body).await {
        Ok(_) => Ok(Ok(())),
        Err(AppError::Invalid(errors)) => Ok(Err(Form::new(
            forms::INTERACTION,
            who.c.lang,
            &forms::as_typed(forms::INTERACTION, typed),
            &errors,
        ))),
        Err(e) => Err(e),
    }
}

/// An interaction has no page of its own: it is shown on the timeline of the person (or
/// else the organization) it was with.
pub async fn interaction_home(app: &App, who: SignedIn, id: Uuid) -> AppResult<Response> {
    who.require(Permission::ReadInteractions)?;
    let mut conn = app.conn().await?;
    let record = <store::Interactions as Resource>::load(&mut conn, id).await?;
    let person = record.person_ids.as_ref().and_then(|ids| ids.get(0).copied());
    let organization = record.organization_ids.as_ref().and_then(|ids| ids.get(0).copied());
    Ok(match (person, organization) {
        (Some(p), _) => see_other(&format!("/people/{p}#timeline")),
        (None, Some(o)) => see_other(&format!("/organizations/{o}#timeline")),
        (None, None) => see_other("/"),
    })
}

/// Removes a logged contact and goes back to the page it was on.
pub async fn delete_interaction(app: &App, who: SignedIn, id: Uuid, back: Option<&str>) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    write::delete::<store::Interactions>(app, &who.actor, id).await?;
    Ok(see_other(&super::local_path(back)))
}
