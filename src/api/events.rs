//! Events and their guest lists: create and change events, add guests from a search, from
//! organizations or one by one, move invitations through their states, check guests in.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::search::SearchRequest;
use super::{JsonObject, Page, Params, State, paging, parse_id};
use crate::app::App;
use crate::audit;
use crate::auth::{Actor, CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::events::{self, Action, Added, Candidate, CheckedIn, Summary};
use crate::models::{Event, Invitation};
use crate::records::Fields;
use crate::schema::{event_quotas, events as events_table, invitations, people};

pub const EVENT_KINDS: &[&str] = &["tea_party", "conference", "forum", "delegation_visit", "training", "other"];
pub const EVENT_STATUSES: &[&str] = &["planning", "inviting", "closed", "held"];
/// At most this many people are added from one search.
const SEARCH_CAP: usize = 5000;

/// Reads an event from a request body onto `event` (a new one, or the stored one to change).
pub fn apply_event(body: &Map<String, Value>, mut event: Event) -> Result<Event, AppError> {
    let mut f = Fields::new(body, "");
    if let Some(v) = f.text("name_zh") {
        event.name_zh = v;
    }
    if let Some(v) = f.text("name_en") {
        event.name_en = v;
    }
    if let Some(v) = f.choice("kind", EVENT_KINDS) {
        event.kind = v.unwrap_or_else(|| "other".into());
    }
    match f.date("starts_on") {
        Some(Some(d)) => event.starts_on = d,
        Some(None) => f.error("starts_on", "is required (YYYY-MM-DD)"),
        None => {}
    }
    if let Some(v) = f.date("ends_on") {
        event.ends_on = v;
    }
    if let Some(v) = f.text("venue") {
        event.venue = v;
    }
    if let Some(v) = f.int("capacity", 1, 1_000_000, "700") {
        event.capacity = v;
    }
    if let Some(v) = f.choice("status", EVENT_STATUSES) {
        event.status = v.unwrap_or_else(|| "planning".into());
    }
    let mut errors = f.errors;
    let known = [
        "name_zh",
        "name_en",
        "kind",
        "starts_on",
        "ends_on",
        "venue",
        "capacity",
        "status",
        "quotas",
    ];
    for key in body.keys().filter(|k| !known.contains(&k.as_str())) {
        errors.push(crate::error::FieldError::new(key.as_str(), "is not a field of an event"));
    }
    if event.name_zh.is_none() && event.name_en.is_none() {
        errors.push(crate::error::FieldError::new(
            "name_zh",
            "give the event a name in Chinese or English",
        ));
    }
    if event.starts_on == chrono::NaiveDate::MIN {
        errors.push(crate::error::FieldError::new("starts_on", "is required (YYYY-MM-DD)"));
    }
    if event.ends_on.is_some_and(|e| e < event.starts_on) {
        errors.push(crate::error::FieldError::new("ends_on", "is before the start"));
    }
    if errors.is_empty() {
        Ok(event)
    } else {
        Err(AppError::Invalid(errors))
    }
}

fn blank_event() -> Event {
    Event {
        id: Uuid::new_v4(),
        name_zh: None,
        name_en: None,
        kind: "other".into(),
        starts_on: chrono::NaiveDate::MIN,
        ends_on: None,
        venue: None,
        capacity: None,
        status: "planning".into(),
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

/// Quotas as a request gives them: `[{"country": "US", "quota": 80}, {"organization_id": "…", "quota": 5}]`.
fn quotas(body: &Map<String, Value>) -> AppResult<Option<Vec<(Option<String>, Option<Uuid>, i32)>>> {
    let Some(list) = body.get("quotas") else { return Ok(None) };
    let bad = || AppError::invalid("quotas", "should be a list like [{\"country\": \"US\", \"quota\": 80}]");
    let mut out = Vec::new();
    for item in list.as_array().ok_or_else(bad)? {
        let country = item.get("country").and_then(Value::as_str).map(|c| c.trim().to_uppercase());
        let org = item.get("organization_id").and_then(Value::as_str).map(Uuid::parse_str);
        let quota = item.get("quota").and_then(Value::as_i64).filter(|q| *q >= 0).ok_or_else(bad)?;
        match (country, org) {
            (Some(c), None) if crate::records::is_country_code(&c) => out.push((Some(c), None, quota as i32)),
            (None, Some(Ok(o))) => out.push((None, Some(o), quota as i32)),
            _ => return Err(bad()),
        }
    }
    Ok(Some(out))
}

/// Creates (`id` None) or changes an event, with its quotas, audited.
pub async fn save_event(app: &App, actor: &Actor, id: Option<Uuid>, body: &Map<String, Value>) -> AppResult<Event> {
    let quotas = quotas(body)?;
    let mut conn = app.conn().await?;
    use diesel_async::AsyncConnection;
    conn.transaction::<_, AppError, _>(async |conn| {
        let event = match id {
            None => {
                let event = apply_event(body, blank_event())?;
                diesel::insert_into(events_table::table).values(&event).execute(conn).await?;
                event
            }
            Some(id) => {
                let before = events::load_event(conn, id).await?;
                let mut event = apply_event(body, before.clone())?;
                event.updated_at = Utc::now();
                diesel::update(events_table::table.find(id)).set(&event).execute(conn).await?;
                if event.status == "closed" && before.status != "closed" {
                    // Registration is over: invitations never answered say so.
                    let unanswered = diesel::update(
                        invitations::table
                            .filter(invitations::event_id.eq(id))
                            .filter(invitations::state.eq(events::State::Sent.as_str())),
                    )
                    .set((
                        invitations::state.eq(events::State::NoAnswer.as_str()),
                        invitations::updated_at.eq(Utc::now()),
                    ))
                    .execute(conn)
                    .await?;
                    audit::record(conn, actor, "close", "event", Some(id), json!({ "no_answer": unanswered })).await?;
                }
                event
            }
        };
        if let Some(quotas) = quotas {
            diesel::delete(event_quotas::table.filter(event_quotas::event_id.eq(event.id)))
                .execute(conn)
                .await?;
            for (country, org, quota) in quotas {
                diesel::insert_into(event_quotas::table)
                    .values((
                        event_quotas::event_id.eq(event.id),
                        event_quotas::country.eq(country),
                        event_quotas::organization_id.eq(org),
                        event_quotas::quota.eq(quota),
                    ))
                    .execute(conn)
                    .await?;
            }
        }
        let action = if id.is_some() { "update" } else { "create" };
        audit::record(
            conn,
            actor,
            action,
            "event",
            Some(event.id),
            json!({ "fields": body.keys().collect::<Vec<_>>() }),
        )
        .await?;
        Ok(event)
    })
    .await
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct EventsQuery {
    limit: Option<i64>,
    offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventsQuery), responses((status = 200, body = Page<Event>)))]
pub async fn list(app: State, CurrentUser(actor): CurrentUser, Params(q): Params<EventsQuery>) -> AppResult<Json<Page<Event>>> {
    actor.require(Permission::ReadDirectory)?;
    let (limit, offset) = paging(q.limit, q.offset)?;
    let mut conn = app.conn().await?;
    let total = events_table::table.count().get_result(&mut conn).await?;
    let items = events_table::table
        .order(events_table::starts_on.desc())
        .limit(limit)
        .offset(offset)
        .select(Event::as_select())
        .load(&mut conn)
        .await?;
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}

#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = Event,
    responses((status = 201, body = Event), (status = 422, body = ErrorBody)))]
pub async fn create(app: State, CurrentUser(actor): CurrentUser, JsonObject(body): JsonObject) -> AppResult<(StatusCode, Json<Event>)> {
    actor.require(Permission::ManageEvents)?;
    Ok((StatusCode::CREATED, Json(save_event(&app, &actor, None, &body).await?)))
}

#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", responses((status = 200, body = Event), (status = 404, body = ErrorBody)))]
pub async fn get(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<Json<Event>> {
    actor.require(Permission::ReadDirectory)?;
    let mut conn = app.conn().await?;
    Ok(Json(events::load_event(&mut conn, parse_id(&id, "event")?).await?))
}

#[utoipa::path(patch, path = "/api/v1/events/{id}", tag = "events", request_body = Event,
    responses((status = 200, body = Event), (status = 422, body = ErrorBody)))]
pub async fn update(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Event>> {
    actor.require(Permission::ManageEvents)?;
    Ok(Json(save_event(&app, &actor, Some(parse_id(&id, "event")?), &body).await?))
}

/// Whom to add: any of the three ways, together.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct NewGuests {
    /// People, one by one.
    #[serde(default)]
    pub people: Vec<Uuid>,
    /// Members of these organizations.
    #[serde(default)]
    pub organizations: Vec<Uuid>,
    /// Only members holding these roles (president, secretary_general …); all when empty.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Everyone a search finds: people directly, and members of the organizations it finds
    /// (with `roles`).
    #[schema(value_type = Option<Object>)]
    pub search: Option<SearchRequest>,
}

/// Turns the three ways of adding guests into one list of candidates.
pub async fn candidates(app: &App, conn: &mut AsyncPgConnection, guests: &NewGuests) -> AppResult<Vec<Candidate>> {
    for role in &guests.roles {
        if !crate::records::ROLES.contains(&role.as_str()) {
            return Err(AppError::invalid(
                "roles",
                format!("\"{role}\" is not one of: {}", crate::records::ROLES.join(", ")),
            ));
        }
    }
    let mut out: Vec<Candidate> = guests
        .people
        .iter()
        .map(|p| Candidate {
            person: *p,
            reason: "added by hand".into(),
            via_organization: None,
        })
        .collect();
    let mut orgs = guests.organizations.clone();
    if let Some(search) = &guests.search {
        let reason = format!("search: {}", search.q.trim());
        let mut request = SearchRequest {
            limit: Some(100),
            facets: Some(false),
            offset: Some(0),
            ..search.clone()
        };
        loop {
            let found = super::search::run(&app.search, &request).await?;
            for hit in &found.hits {
                match hit.record_type.as_str() {
                    "organization" => orgs.push(hit.id),
                    _ => out.push(Candidate {
                        person: hit.id,
                        reason: reason.clone(),
                        via_organization: None,
                    }),
                }
            }
            let next = request.offset.unwrap_or(0) + found.hits.len();
            if found.hits.is_empty() || next >= found.total || next >= SEARCH_CAP {
                break;
            }
            request.offset = Some(next);
        }
    }
    if !orgs.is_empty() {
        out.extend(events::members_of(conn, &orgs, &guests.roles).await?);
    }
    Ok(out)
}

#[utoipa::path(post, path = "/api/v1/events/{id}/guests", tag = "events", request_body = NewGuests,
    responses((status = 200, body = Added), (status = 422, body = ErrorBody)))]
pub async fn add_guests(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Added>> {
    actor.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "event")?;
    let guests: NewGuests =
        serde_json::from_value(Value::Object(body)).map_err(|e| AppError::BadRequest(format!("the guests to add are not right: {e}")))?;
    let mut conn = app.conn().await?;
    events::load_event(&mut conn, id).await?;
    let candidates = candidates(&app, &mut conn, &guests).await?;
    Ok(Json(events::add_guests(&mut conn, &actor, id, candidates).await?))
}

/// One guest on the list, as the API shows them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Guest {
    #[serde(flatten)]
    pub invitation: Invitation,
    pub name_zh: Option<String>,
    pub name_latin: Option<String>,
    pub country: String,
    /// The code the guest gives at the door.
    pub door_code: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct GuestsQuery {
    state: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// The guest list, by name.
pub async fn guest_list(
    conn: &mut AsyncPgConnection,
    event: Uuid,
    state: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<Guest>, i64)> {
    let filtered = || {
        let mut q = invitations::table
            .inner_join(people::table)
            .filter(invitations::event_id.eq(event))
            .into_boxed();
        if let Some(s) = state {
            q = q.filter(invitations::state.eq(s.to_string()));
        }
        q
    };
    let total = filtered().count().get_result(conn).await?;
    let rows: Vec<(Invitation, Option<String>, Option<String>, String)> = filtered()
        .order((people::country, people::name_zh, people::name_latin))
        .limit(limit)
        .offset(offset)
        .select((Invitation::as_select(), people::name_zh, people::name_latin, people::country))
        .load(conn)
        .await?;
    let guests = rows
        .into_iter()
        .map(|(invitation, name_zh, name_latin, country)| Guest {
            door_code: events::mail::door_code(&invitation.token),
            invitation,
            name_zh,
            name_latin,
            country,
        })
        .collect();
    Ok((guests, total))
}

#[utoipa::path(get, path = "/api/v1/events/{id}/invitations", tag = "events", params(GuestsQuery),
    responses((status = 200, body = Page<Guest>)))]
pub async fn invitations_list(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Params(q): Params<GuestsQuery>,
) -> AppResult<Json<Page<Guest>>> {
    actor.require(Permission::ReadDirectory)?;
    let id = parse_id(&id, "event")?;
    let (limit, offset) = paging(q.limit, q.offset)?;
    if let Some(s) = &q.state
        && events::State::parse(s).is_none()
    {
        return Err(AppError::invalid(
            "state",
            "should be draft, sent, accepted, declined, no_answer or cancelled",
        ));
    }
    let mut conn = app.conn().await?;
    let (items, total) = guest_list(&mut conn, id, q.state.as_deref(), limit, offset).await?;
    Ok(Json(Page {
        items,
        total,
        limit,
        offset,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Sent {
    pub sent: usize,
    /// Invitations held back, with the reason (a full quota).
    pub held_back: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/events/{id}/send", tag = "events", responses((status = 200, body = Sent)))]
pub async fn send_all(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<Json<Sent>> {
    actor.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "event")?;
    let mut conn = app.conn().await?;
    events::load_event(&mut conn, id).await?;
    let (sent, held_back) = events::act_on_all(&mut conn, &actor, id, events::State::Draft, Action::Send).await?;
    Ok(Json(Sent { sent, held_back }))
}

#[utoipa::path(post, path = "/api/v1/invitations/{id}/{action}", tag = "events",
    params(("action" = String, Path, description = "send, accept, decline, cancel or restore")),
    responses((status = 200, body = Invitation), (status = 409, body = ErrorBody)))]
pub async fn act(app: State, CurrentUser(actor): CurrentUser, Path((id, action)): Path<(String, String)>) -> AppResult<Json<Invitation>> {
    actor.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "invitation")?;
    let action = Action::parse(&action)
        .filter(|a| *a != Action::Close)
        .ok_or(AppError::NotFound("action"))?;
    let mut conn = app.conn().await?;
    Ok(Json(events::act(&mut conn, &actor, id, action).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Door {
    /// The QR code's content, the 8-character code, or an invitation id.
    pub code: Option<String>,
    /// For a walk-in: the person.
    pub person_id: Option<Uuid>,
    /// People arriving together, the guest included.
    pub party_size: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/events/{id}/check-in", tag = "events", request_body = Door,
    responses((status = 200, body = CheckedIn), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check_in(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<CheckedIn>> {
    actor.require(Permission::CheckIn)?;
    let id = parse_id(&id, "event")?;
    let door: Door =
        serde_json::from_value(Value::Object(body)).map_err(|e| AppError::BadRequest(format!("the check-in is not right: {e}")))?;
    let mut conn = app.conn().await?;
    let done = match (&door.code, door.person_id) {
        (Some(code), _) => events::check_in(&mut conn, &actor, id, code, door.party_size).await?,
        (None, Some(person)) => events::walk_in(&mut conn, &actor, id, person, door.party_size).await?,
        (None, None) => {
            return Err(AppError::invalid(
                "code",
                "give the code on the invitation, or a person_id for a walk-in",
            ));
        }
    };
    Ok(Json(done))
}

#[utoipa::path(get, path = "/api/v1/events/{id}/summary", tag = "events", responses((status = 200, body = Summary)))]
pub async fn summary(app: State, CurrentUser(actor): CurrentUser, Path(id): Path<String>) -> AppResult<Json<Summary>> {
    actor.require(Permission::ReadDirectory)?;
    let id = parse_id(&id, "event")?;
    let mut conn = app.conn().await?;
    events::load_event(&mut conn, id).await?;
    Ok(Json(events::summary(&mut conn, id).await?))
}

/// The guest list as a file: CSV or Excel. Names and answers, no contact details.
pub async fn guest_file(conn: &mut AsyncPgConnection, actor: &Actor, event_id: Uuid, xlsx: bool) -> AppResult<Vec<u8>> {
    let (guests, _) = guest_list(conn, event_id, None, i64::MAX, 0).await?;
    let header = [
        "name_zh",
        "name_latin",
        "country",
        "state",
        "party_size",
        "dietary",
        "arrival_date",
        "door_code",
        "checked_in_at",
        "reasons",
    ];
    let rows: Vec<[String; 10]> = guests
        .iter()
        .map(|g| {
            let i = &g.invitation;
            [
                g.name_zh.clone().unwrap_or_default(),
                g.name_latin.clone().unwrap_or_default(),
                g.country.clone(),
                i.state.clone(),
                i.party_size.map(|p| p.to_string()).unwrap_or_default(),
                i.dietary.clone().unwrap_or_default(),
                i.arrival_date.map(|d| d.to_string()).unwrap_or_default(),
                g.door_code.clone(),
                i.checked_in_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                i.reasons.join("; "),
            ]
        })
        .collect();
    let bytes = if xlsx {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("guests").map_err(anyhow::Error::from)?;
        for (col, name) in header.iter().enumerate() {
            sheet.write_string(0, col as u16, *name).map_err(anyhow::Error::from)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (col, value) in row.iter().enumerate() {
                sheet
                    .write_string(r as u32 + 1, col as u16, crate::export::guard_formula(value))
                    .map_err(anyhow::Error::from)?;
            }
        }
        book.save_to_buffer().map_err(anyhow::Error::from)?
    } else {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(header).map_err(anyhow::Error::from)?;
        for row in &rows {
            out.write_record(row.iter().map(|v| crate::export::guard_formula(v)))
                .map_err(anyhow::Error::from)?;
        }
        out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?
    };
    audit::record(
        conn,
        actor,
        "export",
        "event",
        Some(event_id),
        json!({ "guests": rows.len(), "format": if xlsx { "xlsx" } else { "csv" } }),
    )
    .await?;
    Ok(bytes)
}

/// A guest-list file as a download.
pub fn download(bytes: Vec<u8>, xlsx: bool) -> axum::response::Response {
    if xlsx {
        super::attachment(bytes, super::XLSX, "guests.xlsx")
    } else {
        super::attachment(bytes, super::CSV, "guests.csv")
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct GuestFileQuery {
    /// csv (default) or xlsx
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/events/{id}/guests", tag = "events", params(GuestFileQuery),
    responses((status = 200, description = "the guest list as CSV or XLSX")))]
pub async fn guests_file(
    app: State,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Params(q): Params<GuestFileQuery>,
) -> AppResult<axum::response::Response> {
    actor.require(Permission::ManageEvents)?;
    let id = parse_id(&id, "event")?;
    let xlsx = match q.format.as_deref() {
        None | Some("csv") => false,
        Some("xlsx") => true,
        Some(_) => return Err(AppError::invalid("format", "should be csv or xlsx")),
    };
    let mut conn = app.conn().await?;
    events::load_event(&mut conn, id).await?;
    Ok(download(guest_file(&mut conn, &actor, id, xlsx).await?, xlsx))
}
