//! Organization records.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Fields, LIAISON_STATUSES, ORGANIZATION_KINDS, Parsed, Patch, require_some_name, set, unknown_field_warnings};
use crate::error::FieldError;
use crate::models::Organization;
use crate::places::{Places, Resolution};

/// The fields of the record in the interchange format, in the format's order.
pub const FIELDS: &[&str] = &[
    "type",
    "external_id",
    "name_zh",
    "name_en",
    "other_names",
    "kind",
    "country",
    "city",
    "founded_year",
    "hometowns",
    "parent",
    "liaison_status",
    "website",
    "email",
    "phone",
    "tags",
    "notes",
];

#[derive(Clone, Debug, Default)]
pub struct OrganizationInput {
    pub external_id: Option<String>,
    pub name_zh: Patch<String>,
    pub name_en: Patch<String>,
    pub other_names: Option<Vec<String>>,
    pub kind: Patch<String>,
    pub country: Patch<String>,
    pub city: Patch<String>,
    pub founded_year: Patch<i32>,
    pub hometowns: Option<Vec<String>>,
    /// The places `hometowns` resolved to.
    pub hometown_places: Vec<String>,
    /// external_id of the parent organization.
    pub parent: Patch<String>,
    pub liaison_status: Patch<String>,
    pub website: Patch<String>,
    pub email: Patch<String>,
    pub phone: Patch<String>,
    pub tags: Option<Vec<String>>,
    pub notes: Patch<String>,
}

impl OrganizationInput {
    pub fn parse(map: &Map<String, Value>) -> Parsed<OrganizationInput> {
        let mut f = Fields::new(map, "");
        let mut input = OrganizationInput {
            external_id: f.text("external_id").flatten(),
            name_zh: f.text("name_zh"),
            name_en: f.text("name_en"),
            other_names: f.list("other_names"),
            kind: f.choice("kind", ORGANIZATION_KINDS),
            country: f.country("country"),
            city: f.text("city"),
            founded_year: f.int("founded_year", 1500, 2100, "1854"),
            hometowns: f.list("hometowns"),
            hometown_places: Vec::new(),
            parent: f.text("parent"),
            liaison_status: f.choice("liaison_status", LIAISON_STATUSES),
            website: f.text("website"),
            email: f.email("email"),
            phone: f.text("phone"),
            tags: f.list("tags"),
            notes: f.text("notes"),
        };
        let mut warnings = unknown_field_warnings(&f, FIELDS);
        for (i, written) in input.hometowns.iter().flatten().enumerate() {
            match Places::get().resolve(written) {
                Resolution::Place(id) => input.hometown_places.push(id),
                Resolution::Ambiguous(id) => {
                    warnings.push(FieldError::new(
                        format!("hometowns[{i}]"),
                        format!("\"{written}\" names more than one place; filed under the place containing them"),
                    ));
                    input.hometown_places.push(id);
                }
                Resolution::Unknown => warnings.push(FieldError::new(
                    format!("hometowns[{i}]"),
                    format!("\"{written}\" is not a place we know; it was kept as written"),
                )),
            }
        }
        input.hometown_places.dedup();
        Parsed {
            input,
            errors: f.errors,
            warnings,
        }
    }

    /// The stored row with this record applied (a new row when there is none), or what
    /// is missing for the row to be whole. The parent is resolved by the caller.
    pub fn apply(&self, existing: Option<&Organization>, now: DateTime<Utc>) -> Result<Organization, Vec<FieldError>> {
        let mut row = existing.cloned().unwrap_or_else(|| Organization {
            id: Uuid::new_v4(),
            external_id: self.external_id.clone(),
            name_zh: None,
            name_en: None,
            other_names: Vec::new(),
            kind: String::new(),
            country: String::new(),
            city: None,
            founded_year: None,
            hometowns: Vec::new(),
            parent_id: None,
            liaison_status: "active".into(),
            website: None,
            email: None,
            phone: None,
            tags: Vec::new(),
            notes: None,
            created_at: now,
            updated_at: now,
        });
        set(&mut row.name_zh, &self.name_zh);
        set(&mut row.name_en, &self.name_en);
        set(&mut row.other_names, &self.other_names);
        if let Some(kind) = &self.kind {
            row.kind = kind.clone().unwrap_or_default();
        }
        if let Some(country) = &self.country {
            row.country = country.clone().unwrap_or_default();
        }
        set(&mut row.city, &self.city);
        set(&mut row.founded_year, &self.founded_year);
        set(&mut row.hometowns, &self.hometowns);
        if let Some(status) = &self.liaison_status {
            row.liaison_status = status.clone().unwrap_or_else(|| "active".into());
        }
        set(&mut row.website, &self.website);
        set(&mut row.email, &self.email);
        set(&mut row.phone, &self.phone);
        set(&mut row.tags, &self.tags);
        set(&mut row.notes, &self.notes);

        let mut errors = Vec::new();
        errors.extend(require_some_name(&[&row.name_zh, &row.name_en], &row.other_names, "name_zh"));
        if row.kind.is_empty() {
            errors.push(FieldError::new(
                "kind",
                format!("is required: one of {}", ORGANIZATION_KINDS.join(", ")),
            ));
        }
        if row.country.is_empty() {
            errors.push(FieldError::new("country", "is required: the two-letter country code, e.g. US"));
        }
        if errors.is_empty() { Ok(row) } else { Err(errors) }
    }
}

/// An organization as the interchange format writes it; the API adds its ids.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OrganizationRecord {
    #[serde(rename = "type")]
    pub record_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    pub kind: String,
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub founded_year: Option<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hometowns: Vec<String>,
    /// external_id of the parent organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    /// `active` unless written.
    #[serde(skip_serializing_if = "is_active")]
    pub liaison_status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

fn is_active(status: &String) -> bool {
    status == "active"
}

impl OrganizationRecord {
    /// The interchange record (no database ids).
    pub fn from_row(row: Organization, parent: Option<String>) -> OrganizationRecord {
        OrganizationRecord {
            record_type: "organization",
            id: None,
            external_id: row.external_id,
            name_zh: row.name_zh,
            name_en: row.name_en,
            other_names: row.other_names,
            kind: row.kind,
            country: row.country,
            city: row.city,
            founded_year: row.founded_year,
            hometowns: row.hometowns,
            parent,
            parent_id: None,
            liaison_status: row.liaison_status,
            website: row.website,
            email: row.email,
            phone: row.phone,
            tags: row.tags,
            notes: row.notes,
            created_at: None,
            updated_at: None,
        }
    }

    /// The record with its database ids, as the API shows it.
    pub fn with_ids(row: Organization, parent: Option<String>) -> OrganizationRecord {
        let (id, parent_id, created_at, updated_at) = (row.id, row.parent_id, row.created_at, row.updated_at);
        OrganizationRecord {
            id: Some(id),
            parent_id,
            created_at: Some(created_at),
            updated_at: Some(updated_at),
            ..OrganizationRecord::from_row(row, parent)
        }
    }
}
