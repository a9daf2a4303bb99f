//! The interchange format (`docs/import-format.md`): the records that import, export and
//! the JSON API all speak, their validation, and how a record is applied to a stored row.
//!
//! Reading a record yields an *input* whose fields are patches: absent fields leave the
//! stored value alone, so re-importing a file, or sending a partial update, changes only
//! what it names.

mod fields;
mod interaction;
mod membership;
mod organization;
mod person;

pub use fields::{Fields, Patch, is_country_code, is_partial_date};
pub use interaction::{InteractionInput, InteractionRecord};
pub use membership::{MembershipInput, MembershipOut, MembershipRow};
pub use organization::{OrganizationInput, OrganizationRecord};
pub use person::{ConsentOut, PersonInput, PersonRecord};

use crate::error::FieldError;

pub const ORGANIZATION_KINDS: &[&str] = &[
    "hometown_association",
    "clan_association",
    "benevolent_association",
    "youth_society",
    "student_association",
    "chamber_of_commerce",
    "trade_office",
    "professional_society",
    "media",
    "other",
];
pub const LIAISON_STATUSES: &[&str] = &["active", "dormant", "closed"];
pub const PERSON_STATUSES: &[&str] = &[
    "overseas_chinese",
    "foreign_citizen_of_chinese_origin",
    "returned_overseas_chinese",
    "relative_of_overseas_chinese",
    "hk_macao_compatriot",
    "student_abroad",
    "foreign_expert",
    "other",
];
pub const GENDERS: &[&str] = &["female", "male", "other"];
pub const CONSENT_STATUSES: &[&str] = &["granted", "withdrawn", "unknown"];
pub const ROLES: &[&str] = &[
    "president",
    "vice_president",
    "secretary_general",
    "treasurer",
    "director",
    "member",
    "honorary",
    "liaison",
];
pub const INTERACTION_KINDS: &[&str] = &["visit", "meeting", "call", "email", "wechat", "letter", "event", "other"];

/// What a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Organization,
    Person,
    Membership,
    Interaction,
}

impl RecordType {
    pub const ALL: [RecordType; 4] = [
        RecordType::Organization,
        RecordType::Person,
        RecordType::Membership,
        RecordType::Interaction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Organization => "organization",
            RecordType::Person => "person",
            RecordType::Membership => "membership",
            RecordType::Interaction => "interaction",
        }
    }

    pub fn parse(text: &str) -> Option<RecordType> {
        let t = text.trim().to_lowercase();
        RecordType::ALL.into_iter().find(|r| r.as_str() == t || r.plural() == t)
    }

    /// The fields of this type of record, in the format's order.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            RecordType::Organization => organization::FIELDS,
            RecordType::Person => person::FIELDS,
            RecordType::Membership => membership::FIELDS,
            RecordType::Interaction => interaction::FIELDS,
        }
    }

    /// The CSV file and Excel sheet name of this type.
    pub fn plural(self) -> &'static str {
        match self {
            RecordType::Organization => "organizations",
            RecordType::Person => "people",
            RecordType::Membership => "memberships",
            RecordType::Interaction => "interactions",
        }
    }
}

/// A record read from a file or a request: what it asks, and what was wrong with it.
#[derive(Debug)]
pub struct Parsed<T> {
    pub input: T,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
}

/// Fields that are not part of the format are kept out of the record and reported.
fn unknown_field_warnings(fields: &Fields, known: &[&str]) -> Vec<FieldError> {
    fields
        .unknown(known)
        .into_iter()
        .map(|f| FieldError::new(f, "is not a field of this record type; it was not stored"))
        .collect()
}

/// Applies a patch to a stored value.
fn set<T: Clone>(target: &mut T, patch: &Option<T>) {
    if let Some(v) = patch {
        *target = v.clone();
    }
}

fn require_some_name(names: &[&Option<String>], others: &[String], fields: &str) -> Option<FieldError> {
    if names.iter().all(|n| n.is_none()) && others.is_empty() {
        Some(FieldError::new(fields, "at least one name is required"))
    } else {
        None
    }
}
