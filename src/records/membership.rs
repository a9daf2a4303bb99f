//! Memberships: nested in a person record in JSON Lines, one row each in CSV and Excel.

use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Fields, Parsed, ROLES, unknown_field_warnings};

/// The fields of a membership row of CSV and Excel.
pub const FIELDS: &[&str] = &["type", "person", "organization", "role", "since", "until"];

/// One membership as a person record lists it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MembershipInput {
    /// external_id of the organization.
    pub organization: String,
    pub role: String,
    pub since: Option<String>,
    pub until: Option<String>,
}

impl MembershipInput {
    /// Reads the fields of one membership; `f` is already prefixed with its position.
    pub(super) fn read(f: &mut Fields) -> Option<MembershipInput> {
        let before = f.errors.len();
        let organization = f.text("organization").flatten();
        if organization.is_none() {
            f.error("organization", "is required: the external_id of the organization");
        }
        let role = f.choice("role", ROLES).flatten().unwrap_or_else(|| "member".into());
        let since = f.partial_date("since").flatten();
        let until = f.partial_date("until").flatten();
        if let (Some(s), Some(u)) = (&since, &until) {
            if u < s {
                f.error("until", format!("{u} is before the start {s}"));
            }
        }
        if f.errors.len() > before {
            return None;
        }
        Some(MembershipInput {
            organization: organization?,
            role,
            since,
            until,
        })
    }
}

/// A membership row of `memberships.csv` or the memberships sheet.
#[derive(Clone, Debug)]
pub struct MembershipRow {
    /// external_id of the person.
    pub person: String,
    pub membership: MembershipInput,
}

impl MembershipRow {
    pub fn parse(map: &Map<String, Value>) -> Parsed<Option<MembershipRow>> {
        let mut f = Fields::new(map, "");
        let person = f.text("person").flatten();
        if person.is_none() {
            f.error("person", "is required: the external_id of the person");
        }
        let membership = MembershipInput::read(&mut f);
        let warnings = unknown_field_warnings(&f, FIELDS);
        let input = match (person, membership) {
            (Some(person), Some(membership)) => Some(MembershipRow { person, membership }),
            _ => None,
        };
        Parsed {
            input,
            errors: f.errors,
            warnings,
        }
    }
}

/// A membership as a person record shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MembershipOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// external_id of the organization (absent when it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}
