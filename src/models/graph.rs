//! Places, organizations, people, memberships and interactions.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::schema::*;

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = places, check_for_backend(diesel::pg::Pg))]
pub struct Place {
    pub id: String,
    pub level: String,
    pub name_simplified: String,
    pub name_official: Option<String>,
    pub name_traditional: Option<String>,
    pub pinyin: Option<String>,
    pub jyutping: Option<String>,
    pub romanizations: Vec<String>,
    pub parent_id: Option<String>,
    pub status: String,
    pub notes: Option<String>,
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Identifiable, Serialize)]
#[diesel(table_name = organizations, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct Organization {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub other_names: Vec<String>,
    pub kind: String,
    pub country: String,
    pub city: Option<String>,
    pub founded_year: Option<i32>,
    pub hometowns: Vec<String>,
    pub parent_id: Option<Uuid>,
    pub liaison_status: String,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Organization {
    /// The name to show: Chinese as written, else English, else the first other name.
    pub fn display_name(&self) -> String {
        display_name(&[&self.name_zh, &self.name_en], &self.other_names)
    }
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Identifiable, Serialize)]
#[diesel(table_name = people, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct Person {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub name_zh: Option<String>,
    pub name_latin: Option<String>,
    pub other_names: Vec<String>,
    pub gender: Option<String>,
    pub birth_year: Option<i32>,
    pub country: String,
    pub city: Option<String>,
    pub hometown: Option<String>,
    pub hometown_place_id: Option<String>,
    pub status: Option<String>,
    pub languages: Vec<String>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub talent_fields: Vec<String>,
    pub high_level_talent: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub wechat: Option<String>,
    pub whatsapp: Option<String>,
    pub consent_status: String,
    pub consent_date: Option<NaiveDate>,
    pub consent_purposes: Vec<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    pub fn display_name(&self) -> String {
        display_name(&[&self.name_zh, &self.name_latin], &self.other_names)
    }
}

fn display_name(names: &[&Option<String>], others: &[String]) -> String {
    names
        .iter()
        .find_map(|n| n.as_ref())
        .or(others.first())
        .cloned()
        .unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Identifiable, Serialize)]
#[diesel(table_name = memberships, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct Membership {
    pub id: Uuid,
    pub person_id: Uuid,
    pub organization_id: Uuid,
    pub role: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Identifiable, Serialize)]
#[diesel(table_name = interactions, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct Interaction {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub date: NaiveDate,
    pub kind: String,
    pub summary: String,
    pub officer: Option<String>,
    pub follow_up: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
