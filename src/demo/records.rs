//! The lines written, in the interchange format (docs/import-format.md). Absent fields are
//! left out rather than written as null, as a hand-made file would.

use std::borrow::Cow;

use serde::Serialize;

type Text<'a> = Cow<'a, str>;

fn is_false(b: &bool) -> bool {
    !b
}

#[derive(Serialize)]
pub struct Organization<'a> {
    #[serde(rename = "type")]
    pub record: &'static str,
    pub external_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<Text<'a>>,
    pub kind: &'static str,
    pub country: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub founded_year: Option<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hometowns: Vec<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Text<'a>>,
}

impl<'a> Organization<'a> {
    pub fn new(external_id: String, kind: &'static str, country: &'static str) -> Organization<'a> {
        Organization {
            record: "organization",
            external_id,
            name_zh: None,
            name_en: None,
            other_names: Vec::new(),
            kind,
            country,
            city: None,
            founded_year: None,
            hometowns: Vec::new(),
            parent: None,
            website: None,
            email: None,
            phone: None,
            tags: Vec::new(),
            notes: None,
        }
    }
}

#[derive(Serialize)]
pub struct Consent {
    pub status: &'static str,
    pub date: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct Membership<'a> {
    pub organization: &'a str,
    pub role: &'static str,
    pub since: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

#[derive(Serialize)]
pub struct Person<'a> {
    #[serde(rename = "type")]
    pub record: &'static str,
    pub external_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_latin: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    pub gender: &'static str,
    pub birth_year: i32,
    pub country: &'static str,
    pub city: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hometown: Option<&'a str>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupation: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub talent_fields: Vec<&'static str>,
    #[serde(skip_serializing_if = "is_false")]
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
    pub consent: Option<Consent>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub memberships: Vec<Membership<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'static str>,
}

#[derive(Serialize)]
pub struct Interaction<'a> {
    #[serde(rename = "type")]
    pub record: &'static str,
    pub external_id: String,
    pub date: String,
    pub kind: &'static str,
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<&'a str>,
    pub officer: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<String>,
}
