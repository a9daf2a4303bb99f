//! Consent, given and withdrawn per purpose. `people.consent_*` holds the current state;
//! every change is kept in `consent_events`: with how and by whom when it is recorded here,
//! by a trigger when it comes with an import or an edit.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::schema::{consent_events, people};
use crate::store::enqueue_index;

/// The purpose invitations need.
pub const EVENTS: &str = "events";
/// The purposes the office asks consent for.
pub const PURPOSES: &[&str] = &[EVENTS, "newsletter", "research", "talent programs"];

/// Whether someone with this consent may be invited to events. Consent granted without
/// naming purposes covers every purpose.
pub fn allows(status: &str, purposes: &[String], purpose: &str) -> bool {
    status == "granted" && (purposes.is_empty() || purposes.iter().any(|p| p == purpose))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Change {
    /// granted or withdrawn
    pub status: String,
    /// What for: events, newsletter, research, talent programs ...
    pub purposes: Vec<String>,
    /// The day the person said so; today when left out.
    pub date: Option<NaiveDate>,
    /// How: consent form, e-mail, in person, phone ...
    pub source: String,
}

#[derive(Serialize, Queryable, utoipa::ToSchema)]
pub struct Event {
    pub status: String,
    pub purposes: Vec<String>,
    pub date: NaiveDate,
    pub source: String,
    pub recorded_by: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// Grants or withdraws consent for some purposes; other purposes keep their state.
pub async fn record(conn: &mut AsyncPgConnection, person: Uuid, change: &Change, actor: &Actor) -> AppResult<()> {
    let granting = match change.status.as_str() {
        "granted" => true,
        "withdrawn" => false,
        _ => return Err(AppError::invalid("status", "should be \"granted\" or \"withdrawn\"")),
    };
    let purposes: Vec<String> = change
        .purposes
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    if purposes.is_empty() {
        return Err(AppError::invalid("purposes", "name at least one purpose, like \"events\""));
    }
    if change.source.trim().is_empty() {
        return Err(AppError::invalid("source", "say how the person gave or withdrew consent (form, e-mail, in person)"));
    }
    let date = change.date.unwrap_or_else(|| chrono::Utc::now().date_naive());
    if date > chrono::Utc::now().date_naive() {
        return Err(AppError::invalid("date", "lies in the future"));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let (status, mut held): (String, Vec<String>) = people::table
            .find(person)
            .for_update()
            .select((people::consent_status, people::consent_purposes))
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound("person"))?;
        // Granted without purposes is granted for all of them.
        let for_all = status == "granted" && held.is_empty();
        if status != "granted" {
            held.clear();
        }
        match (granting, for_all) {
            (true, true) => {}
            (true, false) => {
                for p in &purposes {
                    if !held.contains(p) {
                        held.push(p.clone());
                    }
                }
            }
            (false, true) => {
                held = PURPOSES.iter().map(|p| p.to_string()).filter(|p| !purposes.contains(p)).collect();
            }
            (false, false) => held.retain(|p| !purposes.contains(p)),
        }
        let now_status = if granting || !held.is_empty() { "granted" } else { "withdrawn" };
        diesel::sql_query("SELECT set_config('qiaolink.consent_recorded', 'yes', true)")
            .execute(conn)
            .await?;
        diesel::update(people::table.find(person))
            .set((
                people::consent_status.eq(now_status),
                people::consent_purposes.eq(&held),
                people::consent_date.eq(date),
                people::updated_at.eq(chrono::Utc::now()),
            ))
            .execute(conn)
            .await?;
        diesel::insert_into(consent_events::table)
            .values((
                consent_events::person_id.eq(person),
                consent_events::status.eq(&change.status),
                consent_events::purposes.eq(&purposes),
                consent_events::date.eq(date),
                consent_events::source.eq(change.source.trim()),
                consent_events::recorded_by.eq(&actor.label),
            ))
            .execute(conn)
            .await?;
        enqueue_index(conn, "person", &[person]).await?;
        crate::audit::record(
            conn,
            actor,
            "consent",
            "person",
            Some(person),
            serde_json::json!({ "status": change.status, "purposes": purposes }),
        )
        .await?;
        Ok(())
    })
    .await
}

pub async fn history(conn: &mut AsyncPgConnection, person: Uuid) -> QueryResult<Vec<Event>> {
    consent_events::table
        .filter(consent_events::person_id.eq(person))
        .order((consent_events::recorded_at, consent_events::id))
        .select((
            consent_events::status,
            consent_events::purposes,
            consent_events::date,
            consent_events::source,
            consent_events::recorded_by,
            consent_events::recorded_at,
        ))
        .load(conn)
        .await
}
