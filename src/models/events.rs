//! Events and invitations.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::schema::*;

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize, utoipa::ToSchema)]
#[diesel(table_name = events, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct Event {
    pub id: Uuid,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// tea_party, conference, forum, delegation_visit, training, other
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub venue: Option<String>,
    /// People admitted at the door, plus-ones included; none means no limit.
    pub capacity: Option<i32>,
    /// planning, inviting, closed, held
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    pub fn name(&self) -> &str {
        self.name_zh.as_deref().or(self.name_en.as_deref()).unwrap_or_default()
    }

    /// Guests may still answer: the event is not closed or over.
    pub fn open_for_answers(&self) -> bool {
        matches!(self.status.as_str(), "planning" | "inviting")
    }
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = invitations, check_for_backend(diesel::pg::Pg))]
pub struct Invitation {
    pub id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    /// The secret of the guest's RSVP link and QR code.
    #[serde(skip)]
    pub token: String,
    /// draft, sent, accepted, declined, no_answer, cancelled
    pub state: String,
    /// Why the guest is on the list.
    pub reasons: Vec<String>,
    pub via_organization: Option<Uuid>,
    pub plus_ones: i32,
    pub party_size: Option<i32>,
    pub dietary: Option<String>,
    pub arrival_date: Option<NaiveDate>,
    pub language: String,
    pub sent_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_in_by: Option<String>,
    pub walk_in: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
