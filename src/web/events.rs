//! The event pages: the list of events, one event's dashboard and guest list with the ways
//! to add guests and send invitations, and the check-in desk.

use askama::Template;
use axum::Form as Posted;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use serde_json::Map;
use uuid::Uuid;

use super::context::{Chrome, SignedIn};
use super::forms::{self, Form, Input, Spec};
use super::{render_status, see_other};
use crate::api::events::{EVENT_KINDS, EVENT_STATUSES, Guest, NewGuests, candidates, guest_list, save_event};
use crate::api::parse_id;
use crate::api::search::{SearchFilters, SearchRequest};
use crate::app::{App, AppState};
use crate::auth::Permission;
use crate::error::{AppError, AppResult};
use crate::events::{self, Action, CheckedIn, State as InvitationState, Summary};
use crate::models::Event;
use crate::schema::events as events_table;

pub const EVENT_FORM: &[Spec] = &[
    Spec {
        name: "name_zh",
        input: Input::Text,
        required: false,
    },
    Spec {
        name: "name_en",
        input: Input::Text,
        required: false,
    },
    Spec {
        name: "kind",
        input: Input::Choice("ekind", EVENT_KINDS),
        required: true,
    },
    Spec {
        name: "status",
        input: Input::Choice("estatus", EVENT_STATUSES),
        required: true,
    },
    Spec {
        name: "starts_on",
        input: Input::Date,
        required: true,
    },
    Spec {
        name: "ends_on",
        input: Input::Date,
        required: false,
    },
    Spec {
        name: "venue",
        input: Input::Text,
        required: false,
    },
    Spec {
        name: "capacity",
        input: Input::Number,
        required: false,
    },
];

type Typed = Posted<Vec<(String, String)>>;

/// Guests shown on the event page: a New-Year tea party has about 700.
const GUEST_PAGE: i64 = 3000;

#[derive(Template)]
#[template(path = "events.html")]
struct EventsView {
    c: Chrome,
    events: Vec<Event>,
    form: Form,
}

async fn events_page(app: &App, who: SignedIn, form: Option<Form>) -> AppResult<Response> {
    who.require(Permission::ReadDirectory)?;
    let mut conn = app.conn().await?;
    let list = events_table::table
        .order(events_table::starts_on.desc())
        .limit(200)
        .select(Event::as_select())
        .load(&mut conn)
        .await?;
    let status = if form.as_ref().is_some_and(Form::has_errors) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let form = form.unwrap_or_else(|| Form::new(EVENT_FORM, who.c.lang, &Map::new(), &[]));
    Ok(render_status(
        status,
        &EventsView {
            c: who.c,
            events: list,
            form,
        },
    ))
}

pub async fn list(State(app): State<AppState>, who: SignedIn) -> AppResult<Response> {
    events_page(&app, who, None).await
}

/// Creates (`id` None) or changes an event from its form.
async fn save(app: &App, who: SignedIn, id: Option<Uuid>, typed: Vec<(String, String)>) -> AppResult<Response> {
    who.require(Permission::ManageEvents)?;
    let body = forms::typed(EVENT_FORM, &typed, id.is_some());
    match save_event(app, &who.actor, id, &body).await {
        Ok(event) => Ok(see_other(&format!("/events/{}", event.id))),
        Err(AppError::Invalid(errors)) => {
            let form = Form::new(EVENT_FORM, who.c.lang, &forms::as_typed(EVENT_FORM, &typed), &errors);
            match id {
                None => events_page(app, who, Some(form)).await,
                Some(id) => show(app, who, id, Some(form), None, StatusCode::UNPROCESSABLE_ENTITY).await,
            }
        }
        Err(e) => Err(e),
    }
}

pub async fn create(State(app): State<AppState>, who: SignedIn, Posted(typed): Typed) -> AppResult<Response> {
    save(&app, who, None, typed).await
}

pub async fn update(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>, Posted(typed): Typed) -> AppResult<Response> {
    save(&app, who, Some(parse_id(&id, "event")?), typed).await
}

/// One row of a tally, with its share of the largest row for the bar.
pub struct Bar {
    pub label: String,
    pub invited: i64,
    pub accepted: i64,
    pub declined: i64,
    pub checked_in: i64,
    pub max: i64,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventView {
    c: Chrome,
    e: Event,
    name: String,
    s: Summary,
    countries: Vec<Bar>,
    organizations: Vec<Bar>,
    guests: Vec<Guest>,
    guests_total: i64,
    state_filter: String,
    states: &'static [InvitationState],
    form: Form,
    notice: Option<String>,
    problem: Option<String>,
    roles: Vec<(&'static str, String)>,
    kinds: &'static [&'static str],
}

fn bars(tallies: &[events::Tally]) -> Vec<Bar> {
    let max = tallies.iter().map(|t| t.invited).max().unwrap_or(0).max(1);
    tallies
        .iter()
        .map(|t| Bar {
            label: t.label.clone(),
            invited: t.invited,
            accepted: t.accepted,
            declined: t.declined,
            checked_in: t.checked_in,
            max,
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct EventQuery {
    state: Option<String>,
    added: Option<usize>,
    already: Option<usize>,
    no_consent: Option<usize>,
    sent: Option<usize>,
    held: Option<usize>,
}

async fn show(app: &App, who: SignedIn, id: Uuid, form: Option<Form>, q: Option<EventQuery>, status: StatusCode) -> AppResult<Response> {
    who.require(Permission::ReadDirectory)?;
    let q = q.unwrap_or_default();
    let mut conn = app.conn().await?;
    let event = events::load_event(&mut conn, id).await?;
    let summary = events::summary(&mut conn, id).await?;
    let state = q.state.as_deref().filter(|s| InvitationState::parse(s).is_some());
    let (guests, guests_total) = guest_list(&mut conn, id, state, GUEST_PAGE, 0).await?;
    let c = who.c;
    let notice = match (q.added, q.already, q.sent, q.held) {
        (Some(added), already, _, _) => Some(
            c.t("event.added")
                .replace("{added}", &added.to_string())
                .replace("{already}", &already.unwrap_or(0).to_string())
                .replace("{no_consent}", &q.no_consent.unwrap_or(0).to_string()),
        ),
        (None, _, Some(sent), held) => Some(
            c.t("event.sent")
                .replace("{sent}", &sent.to_string())
                .replace("{held}", &held.unwrap_or(0).to_string()),
        ),
        _ => None,
    };
    let values = forms::stored(&event);
    let view = EventView {
        name: event.name().to_string(),
        countries: bars(&summary.by_country),
        organizations: bars(&summary.by_organization),
        form: form.unwrap_or_else(|| Form::new(EVENT_FORM, c.lang, &values, &[])),
        roles: ["president", "vice_president", "secretary_general", "liaison"]
            .iter()
            .map(|r| (*r, c.label("role", r)))
            .collect(),
        kinds: crate::records::ORGANIZATION_KINDS,
        c,
        e: event,
        s: summary,
        guests,
        guests_total,
        state_filter: state.unwrap_or_default().to_string(),
        states: &InvitationState::ALL,
        notice,
        problem: None,
    };
    Ok(render_status(status, &view))
}

pub async fn page(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>, Query(q): Query<EventQuery>) -> AppResult<Response> {
    show(&app, who, parse_id(&id, "event")?, None, Some(q), StatusCode::OK).await
}

/// The add-guests form.
struct GuestsForm {
    q: String,
    country: String,
    kind: String,
    hometown: String,
    /// `person` or `organization` (their members).
    target: String,
    /// The roles ticked (one `role` field each); all members when none.
    role: Vec<String>,
}

/// Adds guests from a search: people it finds, or the members (or office bearers) of the
/// organizations it finds.
pub async fn add_guests(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    who.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "event")?;
    // Several `role` fields: read the form by hand, since the usual reader takes one value.
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let form = GuestsForm {
        q: one("q"),
        country: one("country"),
        kind: one("kind"),
        hometown: one("hometown"),
        target: one("target"),
        role: pairs.iter().filter(|(k, _)| k == "role").map(|(_, v)| v.clone()).collect(),
    };
    let list = |v: &str| {
        v.split([',', ' ', ';'])
            .filter(|s| !s.is_empty())
            .map(|s| s.to_uppercase())
            .collect::<Vec<_>>()
    };
    let search = SearchRequest {
        q: form.q.clone(),
        record_type: Some(if form.target == "organization" { "organization" } else { "person" }.into()),
        filters: SearchFilters {
            country: list(&form.country),
            kind: Some(form.kind.clone()).filter(|k| !k.is_empty()).into_iter().collect(),
            hometown: Some(form.hometown.clone()).filter(|h| !h.is_empty()).into_iter().collect(),
            ..Default::default()
        },
        limit: None,
        facets: None,
        offset: None,
    };
    if form.q.is_empty() && search.filters.country.is_empty() && search.filters.kind.is_empty() && search.filters.hometown.is_empty() {
        return Err(AppError::invalid(
            "q",
            "give a name, a place or a filter: adding everyone at once is not allowed",
        ));
    }
    let guests = NewGuests {
        roles: if form.target == "organization" { form.role } else { Vec::new() },
        search: Some(search),
        ..Default::default()
    };
    let mut conn = app.conn().await?;
    events::load_event(&mut conn, id).await?;
    let found = candidates(&app, &mut conn, &guests).await?;
    let added = events::add_guests(&mut conn, &who.actor, id, found).await?;
    Ok(see_other(&format!(
        "/events/{id}?added={}&already={}&no_consent={}",
        added.added, added.already_invited, added.without_consent
    )))
}

pub async fn send_all(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "event")?;
    let mut conn = app.conn().await?;
    events::load_event(&mut conn, id).await?;
    let (sent, held) = events::act_on_all(&mut conn, &who.actor, id, InvitationState::Draft, Action::Send).await?;
    Ok(see_other(&format!("/events/{id}?sent={sent}&held={}", held.len())))
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    back: Option<String>,
}

/// One invitation's next step, from the guest list: cancel, restore, or an answer given by
/// phone.
pub async fn act(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>, Posted(form): Posted<ActForm>) -> AppResult<Response> {
    who.require(Permission::ManageEvents)?;
    let action = Action::parse(&form.action).ok_or_else(|| AppError::invalid("action", "is not a step an invitation can take"))?;
    let mut conn = app.conn().await?;
    events::act(&mut conn, &who.actor, parse_id(&id, "invitation")?, action).await?;
    Ok(see_other(&super::local_path(form.back.as_deref())))
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckInView {
    c: Chrome,
    e: Event,
    name: String,
    arrived: i64,
    done: Option<CheckedIn>,
    problem: Option<String>,
    q: String,
    found: Vec<Guest>,
}

#[derive(Deserialize, Default)]
pub struct CheckInQuery {
    #[serde(default)]
    q: String,
}

async fn desk(
    app: &App,
    who: SignedIn,
    id: Uuid,
    q: &str,
    done: Option<CheckedIn>,
    problem: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    who.require(Permission::CheckIn)?;
    let mut conn = app.conn().await?;
    let event = events::load_event(&mut conn, id).await?;
    let found = if q.trim().is_empty() {
        Vec::new()
    } else {
        guests_named(app, &mut conn, id, q).await?
    };
    let view = CheckInView {
        name: event.name().to_string(),
        arrived: events::arrived(&mut conn, id).await?,
        c: who.c,
        e: event,
        done,
        problem,
        q: q.to_string(),
        found,
    };
    Ok(render_status(status, &view))
}

/// Guests of the event whose name matches, in any script or spelling: the search finds the
/// people, the guest list keeps those invited.
async fn guests_named(app: &App, conn: &mut diesel_async::AsyncPgConnection, event: Uuid, q: &str) -> AppResult<Vec<Guest>> {
    let request = SearchRequest {
        q: q.to_string(),
        record_type: Some("person".into()),
        filters: SearchFilters::default(),
        limit: Some(100),
        facets: Some(false),
        offset: None,
    };
    let hits = crate::api::search::run(&app.search, &request).await?;
    let ids: Vec<Uuid> = hits.hits.iter().map(|h| h.id).collect();
    let (guests, _) = guest_list(conn, event, None, 500, 0).await?;
    let mut found: Vec<Guest> = guests.into_iter().filter(|g| ids.contains(&g.invitation.person_id)).collect();
    found.sort_by_key(|g| ids.iter().position(|i| *i == g.invitation.person_id));
    found.truncate(20);
    Ok(found)
}

pub async fn checkin_page(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<CheckInQuery>,
) -> AppResult<Response> {
    desk(&app, who, parse_id(&id, "event")?, &q.q, None, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DoorForm {
    code: Option<String>,
    person: Option<Uuid>,
    party_size: Option<String>,
}

pub async fn check_in(
    State(app): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Posted(form): Posted<DoorForm>,
) -> AppResult<Response> {
    who.require(Permission::CheckIn)?;
    let id = parse_id(&id, "event")?;
    let party_size = form
        .party_size
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<i32>().unwrap_or(0));
    let mut conn = app.conn().await?;
    let result = match (form.code.as_deref().map(str::trim).filter(|c| !c.is_empty()), form.person) {
        (Some(code), _) => events::check_in(&mut conn, &who.actor, id, code, party_size).await,
        (None, Some(person)) => events::walk_in(&mut conn, &who.actor, id, person, party_size).await,
        (None, None) => Err(AppError::invalid("code", "is required")),
    };
    match result {
        Ok(done) => desk(&app, who, id, "", Some(done), None, StatusCode::OK).await,
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::NotFound(_))) => {
            let problem = match &e {
                AppError::Invalid(fields) => fields
                    .iter()
                    .map(|f| who.c.lang.field_message(&f.message))
                    .collect::<Vec<_>>()
                    .join("；"),
                other => who.c.lang.message(&other.page()),
            };
            let status = e.status();
            desk(&app, who, id, "", None, Some(problem), status).await
        }
        Err(e) => Err(e),
    }
}

/// Arrivals so far, for the desk's live count.
pub async fn arrivals(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(Permission::CheckIn)?;
    let mut conn = app.conn().await?;
    let n = events::arrived(&mut conn, parse_id(&id, "event")?).await?;
    Ok(n.to_string().into_response())
}

async fn guests_download(app: &App, who: SignedIn, id: &str, xlsx: bool) -> AppResult<Response> {
    who.require(Permission::ManageEvents)?;
    let id = parse_id(id, "event")?;
    let mut conn = app.conn().await?;
    events::load_event(&mut conn, id).await?;
    let bytes = crate::api::events::guest_file(&mut conn, &who.actor, id, xlsx).await?;
    Ok(crate::api::events::download(bytes, xlsx))
}

pub async fn guests_csv(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    guests_download(&app, who, &id, false).await
}

pub async fn guests_xlsx(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    guests_download(&app, who, &id, true).await
}

pub struct BadgeText {
    pub name_zh: String,
    pub name_latin: String,
    /// Country, and the first organization the guest was invited through.
    pub from: String,
}

#[derive(Template)]
#[template(path = "print/badges.html")]
struct BadgesPrint {
    event: String,
    badges: Vec<BadgeText>,
}

#[derive(Template)]
#[template(path = "print/letters.html")]
struct LettersPrint {
    event: String,
    letters: Vec<super::rsvp::LetterText>,
}

/// Guests still coming or asked: not declined or cancelled.
async fn expected(
    conn: &mut diesel_async::AsyncPgConnection,
    event: Uuid,
) -> AppResult<Vec<(crate::models::Invitation, crate::models::Person)>> {
    use crate::schema::{invitations, people};
    Ok(invitations::table
        .inner_join(people::table)
        .filter(invitations::event_id.eq(event))
        .filter(invitations::state.ne_all(vec!["declined", "cancelled"]))
        .order((people::country, people::name_zh, people::name_latin))
        .select((crate::models::Invitation::as_select(), crate::models::Person::as_select()))
        .load(conn)
        .await?)
}

/// Name badges for every guest expected, Chinese name first, as a PDF to print.
pub async fn badges_pdf(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "event")?;
    let mut conn = app.conn().await?;
    let event = events::load_event(&mut conn, id).await?;
    let badges = expected(&mut conn, id)
        .await?
        .into_iter()
        .map(|(invitation, person)| BadgeText {
            name_zh: person.name_zh.clone().unwrap_or_default(),
            name_latin: person.name_latin.clone().unwrap_or_default(),
            from: [
                Some(person.country.clone()),
                invitation
                    .reasons
                    .get(0)
                    .and_then(|r| r.rsplit_once(" (").map(|(org, _)| org.to_string())),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        })
        .collect::<Vec<_>>();
    let page = BadgesPrint {
        event: event.name().to_string(),
        badges,
    };
    printed(&mut conn, &who, id, &page, "badges.pdf").await
}

/// Prints a page of the event to PDF, audited as an export.
async fn printed(
    conn: &mut diesel_async::AsyncPgConnection,
    who: &SignedIn,
    event: Uuid,
    page: &impl Template,
    name: &str,
) -> AppResult<Response> {
    let html = page.render().map_err(anyhow::Error::from)?;
    crate::audit::record(
        conn,
        &who.actor,
        "export",
        "event",
        Some(event),
        serde_json::json!({ "format": name }),
    )
    .await?;
    Ok(crate::api::attachment(crate::pdf::from_html(&html).await?, crate::api::PDF, name))
}

/// Every expected guest's invitation letter, one per page, as a PDF to print or send.
pub async fn letters_pdf(State(app): State<AppState>, who: SignedIn, Path(id): Path<String>) -> AppResult<Response> {
    who.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "event")?;
    let mut conn = app.conn().await?;
    let event = events::load_event(&mut conn, id).await?;
    let letters = expected(&mut conn, id)
        .await?
        .iter()
        .map(|(invitation, person)| super::rsvp::LetterText::new(&app.config, invitation, person, &event))
        .collect();
    let page = LettersPrint {
        event: event.name().to_string(),
        letters,
    };
    printed(&mut conn, &who, id, &page, "letters.pdf").await
}
