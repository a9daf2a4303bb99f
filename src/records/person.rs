//! Person records.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{
    CONSENT_STATUSES, Fields, GENDERS, MembershipInput, MembershipOut, PERSON_STATUSES, Parsed, Patch, require_some_name, set,
    unknown_field_warnings,
};
use crate::error::FieldError;
use crate::models::Person;
use crate::places::{Places, Resolution};

/// The fields of the record in the interchange format, in the format's order.
pub const FIELDS: &[&str] = &[
    "type",
    "external_id",
    "name_zh",
    "name_latin",
    "other_names",
    "gender",
    "birth_year",
    "country",
    "city",
    "hometown",
    "status",
    "languages",
    "occupation",
    "employer",
    "talent_fields",
    "high_level_talent",
    "email",
    "phone",
    "wechat",
    "whatsapp",
    "consent",
    "consent_status",
    "consent_date",
    "consent_purposes",
    "memberships",
    "tags",
    "notes",
];

#[derive(Clone, Debug, Default)]
pub struct PersonInput {
    pub external_id: Option<String>,
    pub name_zh: Patch<String>,
    pub name_latin: Patch<String>,
    pub other_names: Option<Vec<String>>,
    pub gender: Patch<String>,
    pub birth_year: Patch<i32>,
    pub country: Patch<String>,
    pub city: Patch<String>,
    pub hometown: Patch<String>,
    /// The place `hometown` resolved to.
    pub hometown_place: Option<String>,
    pub status: Patch<String>,
    pub languages: Option<Vec<String>>,
    pub occupation: Patch<String>,
    pub employer: Patch<String>,
    pub talent_fields: Option<Vec<String>>,
    pub high_level_talent: Option<bool>,
    pub email: Patch<String>,
    pub phone: Patch<String>,
    pub wechat: Patch<String>,
    pub whatsapp: Patch<String>,
    pub consent_status: Patch<String>,
    pub consent_date: Patch<NaiveDate>,
    pub consent_purposes: Option<Vec<String>>,
    /// When present, the person's memberships become exactly these.
    pub memberships: Option<Vec<MembershipInput>>,
    pub tags: Option<Vec<String>>,
    pub notes: Patch<String>,
}

impl PersonInput {
    pub fn parse(map: &Map<String, Value>) -> Parsed<PersonInput> {
        let mut f = Fields::new(map, "");
        let mut input = PersonInput {
            external_id: f.text("external_id").flatten(),
            name_zh: f.text("name_zh"),
            name_latin: f.text("name_latin"),
            other_names: f.list("other_names"),
            gender: f.choice("gender", GENDERS),
            birth_year: f.int("birth_year", 1880, 2100, "1975"),
            country: f.country("country"),
            city: f.text("city"),
            hometown: f.text("hometown"),
            status: f.choice("status", PERSON_STATUSES),
            languages: f.languages("languages"),
            occupation: f.text("occupation"),
            employer: f.text("employer"),
            talent_fields: f.list("talent_fields"),
            high_level_talent: f.boolean("high_level_talent"),
            email: f.email("email"),
            phone: f.text("phone"),
            wechat: f.text("wechat"),
            whatsapp: f.text("whatsapp"),
            consent_status: f.choice("consent_status", CONSENT_STATUSES),
            consent_date: f.date("consent_date"),
            consent_purposes: f.list("consent_purposes"),
            tags: f.list("tags"),
            notes: f.text("notes"),
            ..PersonInput::default()
        };
        read_consent_object(map, &mut f, &mut input);
        input.memberships = read_memberships(map, &mut f);
        let mut warnings = unknown_field_warnings(&f, FIELDS);
        if let Some(Some(written)) = &input.hometown {
            match Places::get().resolve(written) {
                Resolution::Place(id) => input.hometown_place = Some(id),
                Resolution::Ambiguous(id) => {
                    warnings.push(FieldError::new(
                        "hometown",
                        format!("\"{written}\" names more than one place; filed under the place containing them"),
                    ));
                    input.hometown_place = Some(id);
                }
                Resolution::Unknown => warnings.push(FieldError::new(
                    "hometown",
                    format!("\"{written}\" is not a place we know; it was kept as written"),
                )),
            }
        }
        Parsed {
            input,
            errors: f.errors,
            warnings,
        }
    }

    pub fn apply(&self, existing: Option<&Person>, now: DateTime<Utc>) -> Result<Person, Vec<FieldError>> {
        let mut row = existing.cloned().unwrap_or_else(|| Person {
            id: Uuid::new_v4(),
            external_id: self.external_id.clone(),
            name_zh: None,
            name_latin: None,
            other_names: Vec::new(),
            gender: None,
            birth_year: None,
            country: String::new(),
            city: None,
            hometown: None,
            hometown_place_id: None,
            status: None,
            languages: Vec::new(),
            occupation: None,
            employer: None,
            talent_fields: Vec::new(),
            high_level_talent: false,
            email: None,
            phone: None,
            wechat: None,
            whatsapp: None,
            consent_status: "unknown".into(),
            consent_date: None,
            consent_purposes: Vec::new(),
            tags: Vec::new(),
            notes: None,
            created_at: now,
            updated_at: now,
        });
        set(&mut row.name_zh, &self.name_zh);
        set(&mut row.name_latin, &self.name_latin);
        set(&mut row.other_names, &self.other_names);
        set(&mut row.gender, &self.gender);
        set(&mut row.birth_year, &self.birth_year);
        if let Some(country) = &self.country {
            row.country = country.clone().unwrap_or_default();
        }
        set(&mut row.city, &self.city);
        if let Some(hometown) = &self.hometown {
            row.hometown = hometown.clone();
            row.hometown_place_id = self.hometown_place.clone();
        }
        set(&mut row.status, &self.status);
        set(&mut row.languages, &self.languages);
        set(&mut row.occupation, &self.occupation);
        set(&mut row.employer, &self.employer);
        set(&mut row.talent_fields, &self.talent_fields);
        set(&mut row.high_level_talent, &self.high_level_talent);
        set(&mut row.email, &self.email);
        set(&mut row.phone, &self.phone);
        set(&mut row.wechat, &self.wechat);
        set(&mut row.whatsapp, &self.whatsapp);
        if let Some(status) = &self.consent_status {
            row.consent_status = status.clone().unwrap_or_else(|| "unknown".into());
        }
        set(&mut row.consent_date, &self.consent_date);
        set(&mut row.consent_purposes, &self.consent_purposes);
        set(&mut row.tags, &self.tags);
        set(&mut row.notes, &self.notes);

        let mut errors = Vec::new();
        errors.extend(require_some_name(&[&row.name_zh, &row.name_latin], &row.other_names, "name_zh"));
        if row.country.is_empty() {
            errors.push(FieldError::new(
                "country",
                "is required: the two-letter code of the country of residence, e.g. US",
            ));
        }
        if errors.is_empty() { Ok(row) } else { Err(errors) }
    }
}

/// `consent` as the format's object: `{"status", "date", "purposes"}`.
fn read_consent_object(map: &Map<String, Value>, f: &mut Fields, input: &mut PersonInput) {
    match map.get("consent") {
        None | Some(Value::Null) => {}
        Some(Value::Object(consent)) => {
            let mut c = Fields::new(consent, "consent.");
            input.consent_status = c.choice("status", CONSENT_STATUSES).or(input.consent_status.take());
            input.consent_date = c.date("date").or(input.consent_date.take());
            input.consent_purposes = c.list("purposes").or(input.consent_purposes.take());
            f.errors.append(&mut c.errors);
        }
        Some(_) => f.error(
            "consent",
            "should be an object like {\"status\": \"granted\", \"date\": \"2024-01-18\", \"purposes\": [\"events\"]}",
        ),
    }
}

fn read_memberships(map: &Map<String, Value>, f: &mut Fields) -> Option<Vec<MembershipInput>> {
    match map.get("memberships")? {
        Value::Null => Some(Vec::new()),
        Value::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let Some(obj) = item.as_object() else {
                    f.error(
                        &format!("memberships[{i}]"),
                        "should be an object with organization, role, since, until",
                    );
                    continue;
                };
                let mut m = Fields::new(obj, format!("memberships[{i}]."));
                if let Some(membership) = MembershipInput::read(&mut m) {
                    if !out.contains(&membership) {
                        out.push(membership);
                    }
                }
                f.errors.append(&mut m.errors);
            }
            Some(out)
        }
        _ => {
            f.error("memberships", "should be a list of memberships");
            None
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentOut {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
}

/// A person as the interchange format writes it; the API adds ids and may leave out
/// what the caller's role may not see.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PersonRecord {
    #[serde(rename = "type")]
    pub record_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_latin: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hometown: Option<String>,
    /// The place the hometown resolved to (API only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hometown_place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub talent_fields: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub high_level_talent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wechat: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whatsapp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub memberships: Vec<MembershipOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl PersonRecord {
    /// The interchange record (no database ids).
    pub fn from_row(row: Person, memberships: Vec<MembershipOut>) -> PersonRecord {
        let consent =
            (row.consent_status != "unknown" || row.consent_date.is_some() || !row.consent_purposes.is_empty()).then(|| ConsentOut {
                status: row.consent_status.clone(),
                date: row.consent_date,
                purposes: row.consent_purposes.clone(),
            });
        PersonRecord {
            record_type: "person",
            id: None,
            external_id: row.external_id,
            name_zh: row.name_zh,
            name_latin: row.name_latin,
            other_names: row.other_names,
            gender: row.gender,
            birth_year: row.birth_year,
            country: row.country,
            city: row.city,
            hometown: row.hometown,
            hometown_place: None,
            status: row.status,
            languages: row.languages,
            occupation: row.occupation,
            employer: row.employer,
            talent_fields: row.talent_fields,
            high_level_talent: row.high_level_talent,
            email: row.email,
            phone: row.phone,
            wechat: row.wechat,
            whatsapp: row.whatsapp,
            consent,
            memberships,
            tags: row.tags,
            notes: row.notes,
            created_at: None,
            updated_at: None,
        }
    }

    pub fn with_ids(row: Person, memberships: Vec<MembershipOut>) -> PersonRecord {
        let (id, place, created_at, updated_at) = (row.id, row.hometown_place_id.clone(), row.created_at, row.updated_at);
        PersonRecord {
            id: Some(id),
            hometown_place: place,
            created_at: Some(created_at),
            updated_at: Some(updated_at),
            ..PersonRecord::from_row(row, memberships)
        }
    }

    /// Leaves out contact details: e-mail, phone, messaging ids, notes and consent.
    pub fn without_contact_details(mut self) -> PersonRecord {
        self.email = None;
        self.phone = None;
        self.wechat = None;
        self.whatsapp = None;
        self.notes = None;
        self.consent = None;
        self
    }

    /// Only what an event desk needs to recognise a guest.
    pub fn directory_entry(self) -> PersonRecord {
        let mut p = self.without_contact_details();
        p.birth_year = None;
        p.hometown = None;
        p.hometown_place = None;
        p.status = None;
        p.occupation = None;
        p.employer = None;
        p.talent_fields = Vec::new();
        p.high_level_talent = false;
        p.tags = Vec::new();
        p
    }
}
