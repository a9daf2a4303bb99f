//! Events: guest lists built from searches and organizations, one invitation per person,
//! the invitation's states, sending, the guest's answer and check-in at the door. The
//! database keeps capacity and quotas (see the `events` migration); these functions run in
//! the caller's connection and write their audit rows.

pub mod language;
pub mod letters;
pub mod mail;
pub mod states;

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DbError};
use diesel::sql_types::{Array, Bool, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::RngExt;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

pub use states::{Action, State};

use crate::audit;
use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::models::{Event, Invitation};
use crate::privacy::consent;
use crate::schema::{events, invitations, mail_outbox, memberships, organizations, people};

/// Someone to put on a guest list, and why.
pub struct Candidate {
    pub person: Uuid,
    pub reason: String,
    pub via_organization: Option<Uuid>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Added {
    /// People newly on the list.
    pub added: usize,
    /// People who were on it already (their new reason is noted).
    pub already_invited: usize,
    /// People left out: they have not consented to invitations to events.
    pub without_consent: usize,
    /// Guests on the list now.
    pub guests: i64,
}

pub async fn load_event(conn: &mut AsyncPgConnection, id: Uuid) -> AppResult<Event> {
    events::table
        .find(id)
        .select(Event::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound("event"))
}

fn new_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = Bool)]
    inserted: bool,
}

/// Puts people on the guest list, each once however many ways they come: someone already on
/// the list keeps their invitation and gains the new reason.
pub async fn add_guests(conn: &mut AsyncPgConnection, actor: &Actor, event_id: Uuid, candidates: Vec<Candidate>) -> AppResult<Added> {
    let mut merged: BTreeMap<Uuid, (Vec<String>, Option<Uuid>)> = BTreeMap::new();
    for c in candidates {
        let entry = merged.entry(c.person).or_insert_with(|| (Vec::new(), c.via_organization));
        if !entry.0.contains(&c.reason) {
            entry.0.push(c.reason);
        }
    }
    let ids: Vec<Uuid> = merged.keys().copied().collect();
    let found: Vec<(Uuid, Vec<String>, String, String, Vec<String>)> = people::table
        .filter(people::id.eq_any(&ids))
        .select((people::id, people::languages, people::country, people::consent_status, people::consent_purposes))
        .load(conn)
        .await?;
    if found.len() < ids.len() {
        return Err(AppError::invalid("people", "some of these people do not exist (any more)"));
    }
    // Only people who consented to be invited to events are invited.
    let (found, refused): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|(_, _, _, status, purposes)| consent::allows(status, purposes, consent::EVENTS));
    let mut persons = Vec::new();
    let (mut reasons, mut vias, mut tokens, mut langs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, languages, country, _, _) in found {
        let (why, via) = &merged[&id];
        persons.push(id);
        reasons.push(why.join("\n"));
        vias.push(*via);
        tokens.push(new_token());
        langs.push(language::for_guest(&languages, &country).to_string());
    }
    let rows: Vec<Inserted> = diesel::sql_query(
        "INSERT INTO invitations (event_id, person_id, reasons, via_organization, token, language) \
         SELECT $1, c.person, string_to_array(c.reasons, E'\\n'), c.via, c.token, c.lang \
         FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[]) AS c(person, reasons, via, token, lang) \
         ON CONFLICT (event_id, person_id) DO UPDATE SET updated_at = now(), reasons = ARRAY( \
             SELECT r FROM unnest(invitations.reasons || EXCLUDED.reasons) WITH ORDINALITY AS t(r, n) GROUP BY r ORDER BY min(n)) \
         RETURNING (xmax = 0) AS inserted",
    )
    .bind::<SqlUuid, _>(event_id)
    .bind::<Array<SqlUuid>, _>(&persons)
    .bind::<Array<Text>, _>(&reasons)
    .bind::<Array<Nullable<SqlUuid>>, _>(&vias)
    .bind::<Array<Text>, _>(&tokens)
    .bind::<Array<Text>, _>(&langs)
    .load(conn)
    .await?;
    let added = rows.iter().filter(|r| r.inserted).count();
    let guests = invitations::table
        .filter(invitations::event_id.eq(event_id))
        .count()
        .get_result(conn)
        .await?;
    audit::record(
        conn,
        actor,
        "add_guests",
        "event",
        Some(event_id),
        json!({ "added": added, "already_invited": rows.len() - added, "without_consent": refused.len() }),
    )
    .await?;
    Ok(Added {
        added,
        already_invited: rows.len() - added,
        without_consent: refused.len(),
        guests,
    })
}

/// The members of organizations, all or those holding `roles` (president, secretary_general …).
pub async fn members_of(conn: &mut AsyncPgConnection, orgs: &[Uuid], roles: &[String]) -> AppResult<Vec<Candidate>> {
    let mut query = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::organization_id.eq_any(orgs))
        .into_boxed();
    if !roles.is_empty() {
        query = query.filter(memberships::role.eq_any(roles));
    }
    let rows: Vec<(Uuid, Uuid, Option<String>, Option<String>, String)> = query
        .select((
            memberships::person_id,
            organizations::id,
            organizations::name_zh,
            organizations::name_en,
            memberships::role,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(person, org, zh, en, role)| Candidate {
            person,
            reason: format!("{} ({role})", zh.or(en).unwrap_or_default()),
            via_organization: Some(org),
        })
        .collect())
}

/// A refusal by the database's capacity and quota checks, in words.
fn limits(e: DbError) -> AppError {
    if let DbError::DatabaseError(DatabaseErrorKind::CheckViolation, info) = &e {
        let message = info.message();
        if let Some(rest) = message.strip_prefix("event_full: ") {
            return AppError::Conflict(format!("the event is full: {rest}"));
        }
        if let Some(rest) = message.strip_prefix("quota_full: ") {
            return AppError::Conflict(format!("the quota for this country or organization is full: {rest}"));
        }
    }
    e.into()
}

/// Moves an invitation to its next state; sending queues its mail when the guest has an
/// address (otherwise it goes out by letter or WeChat, and is marked sent all the same).
pub async fn act(conn: &mut AsyncPgConnection, actor: &Actor, id: Uuid, action: Action) -> AppResult<Invitation> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let invitation: Invitation = invitations::table
            .find(id)
            .for_update()
            .select(Invitation::as_select())
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound("invitation"))?;
        let from = State::parse(&invitation.state).ok_or_else(|| anyhow::anyhow!("invitation {id} has an unknown state"))?;
        let to = from.after(action)?;
        if action == Action::Send {
            // Consent may have been withdrawn since the guest was put on the list.
            let (status, purposes): (String, Vec<String>) = people::table
                .find(invitation.person_id)
                .select((people::consent_status, people::consent_purposes))
                .first(conn)
                .await?;
            if !consent::allows(&status, &purposes, consent::EVENTS) {
                return Err(AppError::Conflict("a guest has withdrawn consent to event invitations and was not sent one".into()));
            }
        }
        let now = Utc::now();
        let row = diesel::update(invitations::table.find(id))
            .set((
                invitations::state.eq(to.as_str()),
                invitations::updated_at.eq(now),
                invitations::sent_at.eq(if action == Action::Send { Some(now) } else { invitation.sent_at }),
                invitations::answered_at.eq(if matches!(action, Action::Accept | Action::Decline) {
                    Some(now)
                } else {
                    invitation.answered_at
                }),
            ))
            .returning(Invitation::as_returning())
            .get_result(conn)
            .await
            .map_err(limits)?;
        if action == Action::Send {
            let email: Option<String> = people::table.find(invitation.person_id).select(people::email).first(conn).await?;
            if email.is_some() {
                diesel::insert_into(mail_outbox::table)
                    .values(mail_outbox::invitation_id.eq(id))
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
            }
        }
        let detail = json!({ "from": from.as_str(), "to": to.as_str(), "event": invitation.event_id });
        audit::record(conn, actor, "update", "invitation", Some(id), detail).await?;
        Ok(row)
    })
    .await
}

/// Applies `action` to every invitation of the event in `from` state. Returns how many
/// moved, and the refusals (a full quota) in words.
pub async fn act_on_all(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    event_id: Uuid,
    from: State,
    action: Action,
) -> AppResult<(usize, Vec<String>)> {
    let ids: Vec<Uuid> = invitations::table
        .filter(invitations::event_id.eq(event_id))
        .filter(invitations::state.eq(from.as_str()))
        .order(invitations::created_at)
        .select(invitations::id)
        .load(conn)
        .await?;
    let (mut moved, mut refused) = (0, Vec::new());
    for id in ids {
        match act(conn, actor, id, action).await {
            Ok(_) => moved += 1,
            Err(AppError::Conflict(message)) => refused.push(message),
            Err(e) => return Err(e),
        }
    }
    Ok((moved, refused))
}

/// What the guest answers on their page.
pub struct Answer {
    pub accept: bool,
    pub party_size: i32,
    pub dietary: Option<String>,
    pub arrival_date: Option<NaiveDate>,
}

/// A guest's answer through their link, while the event takes answers.
pub async fn answer(conn: &mut AsyncPgConnection, token: &str, answer: &Answer) -> AppResult<Invitation> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (invitation, event): (Invitation, Event) = invitations::table
            .inner_join(events::table)
            .filter(invitations::token.eq(token))
            .for_update()
            .select((Invitation::as_select(), Event::as_select()))
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound("invitation"))?;
        if !event.open_for_answers() {
            return Err(AppError::Conflict("registration has closed".into()));
        }
        if answer.accept && !(1..=1 + invitation.plus_ones).contains(&answer.party_size) {
            return Err(AppError::invalid(
                "party_size",
                format!("should be between 1 and {}", 1 + invitation.plus_ones),
            ));
        }
        let from = State::parse(&invitation.state).ok_or_else(|| anyhow::anyhow!("unknown state"))?;
        let to = from.after(if answer.accept { Action::Accept } else { Action::Decline })?;
        let row = diesel::update(invitations::table.find(invitation.id))
            .set((
                invitations::state.eq(to.as_str()),
                invitations::party_size.eq(answer.accept.then_some(answer.party_size)),
                invitations::dietary.eq(&answer.dietary),
                invitations::arrival_date.eq(answer.arrival_date),
                invitations::answered_at.eq(Utc::now()),
                invitations::updated_at.eq(Utc::now()),
            ))
            .returning(Invitation::as_returning())
            .get_result(conn)
            .await
            .map_err(limits)?;
        let guest = Actor {
            kind: crate::auth::ActorKind::Guest,
            id: Some(invitation.person_id),
            label: format!("guest:{}", invitation.person_id),
            role: crate::auth::Role::Viewer,
            ip: None,
            request_id: None,
        };
        audit::record(
            conn,
            &guest,
            "answer",
            "invitation",
            Some(invitation.id),
            json!({ "to": to.as_str() }),
        )
        .await?;
        Ok(row)
    })
    .await
}

/// The outcome of a check-in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckedIn {
    pub invitation_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub party_size: i32,
    /// Checked in before this scan: the time it happened.
    pub already_at: Option<chrono::DateTime<Utc>>,
    pub arrived: i64,
    pub capacity: Option<i32>,
}

/// Finds an invitation of the event by id, by the token in its QR code, or by the code a
/// guest reads out (the token's first eight characters).
async fn find_for_door(conn: &mut AsyncPgConnection, event_id: Uuid, code: &str) -> AppResult<Uuid> {
    let code = code.trim();
    if let Ok(id) = Uuid::parse_str(code) {
        return Ok(id);
    }
    let lowered = code.to_ascii_lowercase();
    let token = lowered.rsplit('/').next().unwrap_or_default().to_string();
    if token.len() < 8 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::invalid(
            "code",
            "is not a check-in code: it has 8 letters and digits, e.g. 3FA85F64",
        ));
    }
    let found: Vec<Uuid> = invitations::table
        .filter(invitations::event_id.eq(event_id))
        .filter(invitations::token.like(format!("{token}%")))
        .select(invitations::id)
        .limit(2)
        .load(conn)
        .await?;
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(AppError::invalid(
            "code",
            format!("no guest of this event has the code {}", code.to_uppercase()),
        )),
        _ => Err(AppError::invalid(
            "code",
            "two guests share this code: find the guest by name instead",
        )),
    }
}

/// Arrivals so far, in people (guests and those with them).
pub async fn arrived(conn: &mut AsyncPgConnection, event_id: Uuid) -> AppResult<i64> {
    let heads: Option<i64> = invitations::table
        .filter(invitations::event_id.eq(event_id))
        .filter(invitations::checked_in_at.is_not_null())
        .select(diesel::dsl::sum(diesel::dsl::sql::<diesel::sql_types::Integer>(
            "coalesce(party_size, 1)",
        )))
        .first(conn)
        .await?;
    Ok(heads.unwrap_or(0))
}

/// Checks a guest in at the door. The database refuses when the event is full, whichever
/// desk asks first; a second scan of the same guest says when they arrived.
pub async fn check_in(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    event_id: Uuid,
    code: &str,
    party_size: Option<i32>,
) -> AppResult<CheckedIn> {
    let id = find_for_door(conn, event_id, code).await?;
    let result = conn
        .transaction::<_, AppError, _>(async |conn| {
            let (invitation, name_zh, name_latin): (Invitation, Option<String>, Option<String>) = invitations::table
                .inner_join(people::table)
                .filter(invitations::id.eq(id))
                .filter(invitations::event_id.eq(event_id))
                .for_update()
                .select((Invitation::as_select(), people::name_zh, people::name_latin))
                .first(conn)
                .await
                .optional()?
                .ok_or(AppError::NotFound("invitation"))?;
            let name = [name_zh, name_latin].into_iter().flatten().collect::<Vec<_>>().join(" ");
            if invitation.state == State::Cancelled.as_str() {
                return Err(AppError::Conflict(format!("{name}'s invitation was cancelled")));
            }
            if let Some(at) = invitation.checked_in_at {
                return Ok((invitation, name, Some(at)));
            }
            if party_size.is_some_and(|p| p < 1) {
                return Err(AppError::invalid("party_size", "should be 1 or more"));
            }
            let size = party_size.or(invitation.party_size).unwrap_or(1);
            let row = diesel::update(invitations::table.find(id))
                .set((
                    invitations::checked_in_at.eq(Utc::now()),
                    invitations::checked_in_by.eq(&actor.label),
                    invitations::party_size.eq(size),
                    invitations::state.eq(State::Accepted.as_str()),
                    invitations::updated_at.eq(Utc::now()),
                ))
                .returning(Invitation::as_returning())
                .get_result(conn)
                .await
                .map_err(limits)?;
            audit::record(
                conn,
                actor,
                "check_in",
                "invitation",
                Some(id),
                json!({ "event": event_id, "party_size": size }),
            )
            .await?;
            Ok((row, name, None))
        })
        .await?;
    let (invitation, name, already_at) = result;
    let capacity = load_event(conn, event_id).await?.capacity;
    Ok(CheckedIn {
        invitation_id: invitation.id,
        person_id: invitation.person_id,
        name,
        party_size: invitation.party_size.unwrap_or(1),
        already_at,
        arrived: arrived(conn, event_id).await?,
        capacity,
    })
}

/// Someone who came without an invitation: put on the list and checked in at once.
pub async fn walk_in(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    event_id: Uuid,
    person: Uuid,
    party_size: Option<i32>,
) -> AppResult<CheckedIn> {
    add_guests(
        conn,
        actor,
        event_id,
        vec![Candidate {
            person,
            reason: "walk-in".into(),
            via_organization: None,
        }],
    )
    .await?;
    diesel::update(
        invitations::table
            .filter(invitations::event_id.eq(event_id))
            .filter(invitations::person_id.eq(person))
            .filter(invitations::state.eq(State::Draft.as_str())),
    )
    .set(invitations::walk_in.eq(true))
    .execute(conn)
    .await?;
    let id: Uuid = invitations::table
        .filter(invitations::event_id.eq(event_id))
        .filter(invitations::person_id.eq(person))
        .select(invitations::id)
        .first(conn)
        .await?;
    check_in(conn, actor, event_id, &id.to_string(), party_size).await
}

/// Counts of one group of guests.
#[derive(Debug, Default, Serialize, utoipa::ToSchema, QueryableByName)]
pub struct Tally {
    /// The country code or organization name; empty for the whole event.
    #[diesel(sql_type = Text)]
    pub label: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub invited: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub sent: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub accepted: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub declined: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub checked_in: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub total: Tally,
    pub by_country: Vec<Tally>,
    pub by_organization: Vec<Tally>,
    /// People at the door so far, plus-ones included.
    pub arrived: i64,
    pub capacity: Option<i32>,
    /// Invitation mails not yet delivered.
    pub mail_waiting: i64,
}

const TALLY: &str = "count(*) FILTER (WHERE i.state <> 'cancelled') AS invited, \
    count(*) FILTER (WHERE i.state IN ('sent', 'accepted', 'declined', 'no_answer')) AS sent, \
    count(*) FILTER (WHERE i.state = 'accepted') AS accepted, \
    count(*) FILTER (WHERE i.state = 'declined') AS declined, \
    count(*) FILTER (WHERE i.checked_in_at IS NOT NULL) AS checked_in";

/// Invited, accepted, declined and checked in: in all, by country, by organization.
pub async fn summary(conn: &mut AsyncPgConnection, event_id: Uuid) -> AppResult<Summary> {
    let total: Tally = diesel::sql_query(format!("SELECT '' AS label, {TALLY} FROM invitations i WHERE i.event_id = $1"))
        .bind::<SqlUuid, _>(event_id)
        .get_result(conn)
        .await?;
    let by_country = diesel::sql_query(format!(
        "SELECT p.country AS label, {TALLY} FROM invitations i JOIN people p ON p.id = i.person_id \
         WHERE i.event_id = $1 GROUP BY p.country ORDER BY count(*) DESC, p.country"
    ))
    .bind::<SqlUuid, _>(event_id)
    .load(conn)
    .await?;
    let by_organization = diesel::sql_query(format!(
        "SELECT coalesce(o.name_zh, o.name_en, '') AS label, {TALLY} FROM invitations i \
         JOIN memberships m ON m.person_id = i.person_id JOIN organizations o ON o.id = m.organization_id \
         WHERE i.event_id = $1 GROUP BY o.id, o.name_zh, o.name_en ORDER BY count(*) DESC, 1 LIMIT 50"
    ))
    .bind::<SqlUuid, _>(event_id)
    .load(conn)
    .await?;
    let mail_waiting = mail_outbox::table
        .inner_join(invitations::table)
        .filter(invitations::event_id.eq(event_id))
        .count()
        .get_result(conn)
        .await?;
    Ok(Summary {
        total,
        by_country,
        by_organization,
        arrived: arrived(conn, event_id).await?,
        capacity: load_event(conn, event_id).await?.capacity,
        mail_waiting,
    })
}
