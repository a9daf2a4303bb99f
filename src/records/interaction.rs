//! Interaction records: a visit, call, meeting or message with people and organizations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Fields, INTERACTION_KINDS, Parsed, Patch, set, unknown_field_warnings};
use crate::error::FieldError;
use crate::models::Interaction;

/// The fields of the record in the interchange format, in the format's order.
pub const FIELDS: &[&str] = &[
    "type",
    "external_id",
    "date",
    "kind",
    "summary",
    "people",
    "organizations",
    "officer",
    "follow_up",
];

#[derive(Clone, Debug, Default)]
pub struct InteractionInput {
    pub external_id: Option<String>,
    pub date: Patch<NaiveDate>,
    pub kind: Patch<String>,
    pub summary: Patch<String>,
    /// external_ids of the people; when present, the links become exactly these.
    pub people: Option<Vec<String>>,
    pub organizations: Option<Vec<String>>,
    pub officer: Patch<String>,
    pub follow_up: Patch<NaiveDate>,
}

impl InteractionInput {
    pub fn parse(map: &Map<String, Value>) -> Parsed<InteractionInput> {
        let mut f = Fields::new(map, "");
        let input = InteractionInput {
            external_id: f.text("external_id").flatten(),
            date: f.date("date"),
            kind: f.choice("kind", INTERACTION_KINDS),
            summary: f.text("summary"),
            people: f.list("people"),
            organizations: f.list("organizations"),
            officer: f.text("officer"),
            follow_up: f.date("follow_up"),
        };
        let warnings = unknown_field_warnings(&f, FIELDS);
        Parsed {
            input,
            errors: f.errors,
            warnings,
        }
    }

    pub fn apply(&self, existing: Option<&Interaction>, now: DateTime<Utc>) -> Result<Interaction, Vec<FieldError>> {
        let mut row = existing.cloned().unwrap_or_else(|| Interaction {
            id: Uuid::new_v4(),
            external_id: self.external_id.clone(),
            date: NaiveDate::MIN,
            kind: "other".into(),
            summary: String::new(),
            officer: None,
            follow_up: None,
            created_at: now,
            updated_at: now,
        });
        let mut errors = Vec::new();
        match &self.date {
            Some(Some(d)) => row.date = *d,
            Some(None) => errors.push(FieldError::new("date", "is required (YYYY-MM-DD)")),
            None if existing.is_none() => errors.push(FieldError::new("date", "is required (YYYY-MM-DD)")),
            None => {}
        }
        if let Some(kind) = &self.kind {
            row.kind = kind.clone().unwrap_or_else(|| "other".into());
        }
        if let Some(summary) = &self.summary {
            row.summary = summary.clone().unwrap_or_default();
        }
        if row.summary.is_empty() {
            errors.push(FieldError::new("summary", "is required: a sentence on what happened"));
        }
        set(&mut row.officer, &self.officer);
        set(&mut row.follow_up, &self.follow_up);
        if errors.is_empty() { Ok(row) } else { Err(errors) }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct InteractionRecord {
    #[serde(rename = "type")]
    pub record_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub date: NaiveDate,
    pub kind: String,
    pub summary: String,
    /// external_ids of the people.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_ids: Option<Vec<Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_ids: Option<Vec<Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<NaiveDate>,
}

impl InteractionRecord {
    pub fn from_row(row: Interaction, people: Vec<String>, organizations: Vec<String>) -> InteractionRecord {
        InteractionRecord {
            record_type: "interaction",
            id: None,
            external_id: row.external_id,
            date: row.date,
            kind: row.kind,
            summary: row.summary,
            people,
            organizations,
            person_ids: None,
            organization_ids: None,
            officer: row.officer,
            follow_up: row.follow_up,
        }
    }
}
