//! The record forms: which fields each shows and how, filled from a stored record or from
//! what was typed, and turned into the interchange format that the record checks read, so
//! the pages and the API accept exactly the same records.

use serde::Serialize;
use serde_json::{Map, Value};

use super::i18n::Lang;
use crate::error::FieldError;
use crate::records::{CONSENT_STATUSES, GENDERS, INTERACTION_KINDS, LIAISON_STATUSES, ORGANIZATION_KINDS, PERSON_STATUSES, ROLES};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Long,
    Number,
    Date,
    Check,
    /// A list typed as text, one item per line or separated by ; or ,
    List,
    /// One of the codes, shown by the words of the group.
    Choice(&'static str, &'static [&'static str]),
}

pub struct Spec {
    pub name: &'static str,
    pub input: Input,
    pub required: bool,
}

const fn field(name: &'static str, input: Input) -> Spec {
    Spec {
        name,
        input,
        required: false,
    }
}

const fn required(name: &'static str, input: Input) -> Spec {
    Spec {
        name,
        input,
        required: true,
    }
}

pub const PERSON: &[Spec] = &[
    field("name_zh", Input::Text),
    field("name_latin", Input::Text),
    field("other_names", Input::List),
    field("gender", Input::Choice("gender", GENDERS)),
    field("birth_year", Input::Number),
    required("country", Input::Text),
    field("city", Input::Text),
    field("hometown", Input::Text),
    field("status", Input::Choice("status", PERSON_STATUSES)),
    field("languages", Input::List),
    field("occupation", Input::Text),
    field("employer", Input::Text),
    field("talent_fields", Input::List),
    field("high_level_talent", Input::Check),
    field("email", Input::Text),
    field("phone", Input::Text),
    field("wechat", Input::Text),
    field("whatsapp", Input::Text),
    field("consent_status", Input::Choice("consent", CONSENT_STATUSES)),
    field("tags", Input::List),
    field("notes", Input::Long),
];

pub const ORGANIZATION: &[Spec] = &[
    field("name_zh", Input::Text),
    field("name_en", Input::Text),
    field("other_names", Input::List),
    required("kind", Input::Choice("kind", ORGANIZATION_KINDS)),
    required("country", Input::Text),
    field("city", Input::Text),
    field("founded_year", Input::Number),
    field("hometowns", Input::List),
    field("parent", Input::Text),
    field("liaison_status", Input::Choice("liaison", LIAISON_STATUSES)),
    field("website", Input::Text),
    field("email", Input::Text),
    field("phone", Input::Text),
    field("tags", Input::List),
    field("notes", Input::Long),
];

pub const INTERACTION: &[Spec] = &[
    required("date", Input::Date),
    required("kind", Input::Choice("ikind", INTERACTION_KINDS)),
    required("summary", Input::Long),
    field("officer", Input::Text),
    field("follow_up", Input::Date),
];

pub const MEMBERSHIP: &[Spec] = &[
    required("organization", Input::Text),
    required("role", Input::Choice("role", ROLES)),
    field("since", Input::Text),
    field("until", Input::Text),
];

/// The fields that hold contact details, left out for roles that may not see them.
pub const CONTACT_FIELDS: &[&str] = &["email", "phone", "wechat", "whatsapp", "consent_status", "notes"];

/// One field as the page shows it.
pub struct FormField {
    pub name: &'static str,
    pub label: String,
    pub input: Input,
    pub required: bool,
    pub value: String,
    pub checked: bool,
    /// (code, words) of a choice.
    pub options: Vec<(String, String)>,
    pub hint: String,
    pub error: Option<String>,
}

impl FormField {
    /// Whether a choice has this code selected.
    pub fn has(&self, code: &str) -> bool {
        self.value == code
    }

    pub fn is(&self, kind: &str) -> bool {
        matches!(
            (self.input, kind),
            (Input::Text, "text")
                | (Input::Long, "long")
                | (Input::Number, "number")
                | (Input::Date, "date")
                | (Input::Check, "check")
                | (Input::List, "list")
                | (Input::Choice(..), "choice")
        )
    }
}

/// A form on screen: its fields with values and messages, and the messages that belong to
/// no one field.
pub struct Form {
    pub fields: Vec<FormField>,
    pub problems: Vec<String>,
}

impl Form {
    /// Lays out `specs` with `values` (a stored record or what was typed) and `errors`.
    pub fn new(specs: &[Spec], lang: Lang, values: &Map<String, Value>, errors: &[FieldError]) -> Form {
        let base = |field: &str| field.split(['[', '.']).next().unwrap_or(field).to_string();
        let mut problems = Vec::new();
        for e in errors {
            if !specs.iter().any(|s| s.name == base(&e.field)) {
                problems.push(format!("{}: {}", e.field, lang.field_message(&e.message)));
            }
        }
        let fields = specs
            .iter()
            .map(|spec| {
                let value = values.get(spec.name).unwrap_or(&Value::Null);
                let error = errors
                    .iter()
                    .filter(|e| base(&e.field) == spec.name)
                    .map(|e| lang.field_message(&e.message))
                    .collect::<Vec<_>>();
                FormField {
                    name: spec.name,
                    label: lang.t(&format!("field.{}", spec.name)).to_string(),
                    input: spec.input,
                    required: spec.required,
                    value: shown(value),
                    checked: value == &Value::Bool(true),
                    options: match spec.input {
                        Input::Choice(group, codes) => codes.iter().map(|c| (c.to_string(), lang.label(group, c))).collect(),
                        _ => Vec::new(),
                    },
                    hint: lang.t(&format!("hint.{}", spec.name)).to_string(),
                    error: (!error.is_empty()).then(|| error.join("; ")),
                }
                .without_missing_hint(spec.name)
            })
            .collect();
        Form { fields, problems }
    }

    pub fn has_errors(&self) -> bool {
        !self.problems.is_empty() || self.fields.iter().any(|f| f.error.is_some())
    }

    /// Leaves out fields the viewer may not see.
    pub fn without(mut self, names: &[&str]) -> Form {
        self.fields.retain(|f| !names.contains(&f.name));
        self
    }
}

impl FormField {
    fn without_missing_hint(mut self, name: &str) -> FormField {
        if self.hint == format!("hint.{name}") {
            self.hint.clear();
        }
        self
    }
}

/// A stored value as a form shows it.
fn shown(value: &Value) -> String {
    match value {
        Value::Null | Value::Bool(_) => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// A stored record as form values. Consent is one object in a record and one choice on
/// the form.
pub fn stored(record: &impl Serialize) -> Map<String, Value> {
    let mut map = match serde_json::to_value(record) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    if let Some(status) = map.get("consent").and_then(|c| c.get("status")).cloned() {
        map.insert("consent_status".into(), status);
    }
    map
}

/// What was typed, as a record in the interchange format. An empty field is left out of a
/// new record and clears the field of a stored one. A number that does not read as one is
/// passed on as text, so the record check says what is wrong with it.
pub fn typed(specs: &[Spec], pairs: &[(String, String)], clear_empty: bool) -> Map<String, Value> {
    let mut map = Map::new();
    for spec in specs {
        let text = pairs
            .iter()
            .find(|(k, _)| k == spec.name)
            .map(|(_, v)| v.trim())
            .unwrap_or_default();
        let value = match spec.input {
            Input::Check => Value::Bool(matches!(text, "on" | "true" | "1")),
            _ if text.is_empty() => {
                if clear_empty {
                    Value::Null
                } else {
                    continue;
                }
            }
            Input::List => Value::Array(
                text.split(['\n', ';', ',', '；', '，'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            Input::Number => text.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(text.into())),
            _ => Value::String(text.to_string()),
        };
        map.insert(spec.name.to_string(), value);
    }
    map
}

/// Typed values to show again after a failed check: what was typed, as typed.
pub fn as_typed(specs: &[Spec], pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for spec in specs {
        if let Some((_, v)) = pairs.iter().find(|(k, _)| k == spec.name) {
            let value = match spec.input {
                Input::Check => Value::Bool(matches!(v.as_str(), "on" | "true" | "1")),
                _ => Value::String(v.clone()),
            };
            map.insert(spec.name.to_string(), value);
        }
    }
    map
}

pub fn url_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn typed_fields_become_a_record() {
        let typed = typed(
            PERSON,
            &pairs(&[
                ("name_zh", " 黃志明 "),
                ("birth_year", "1961"),
                ("languages", "yue; en，zh"),
                ("city", ""),
            ]),
            false,
        );
        assert_eq!(typed["name_zh"], "黃志明");
        assert_eq!(typed["birth_year"], 1961);
        assert_eq!(typed["languages"], serde_json::json!(["yue", "en", "zh"]));
        assert_eq!(typed["high_level_talent"], false);
        assert!(!typed.contains_key("city"));
    }

    #[test]
    fn an_empty_field_clears_a_stored_one() {
        let typed = typed(PERSON, &pairs(&[("city", "")]), true);
        assert_eq!(typed["city"], Value::Null);
    }

    #[test]
    fn a_bad_number_reaches_the_check_as_text() {
        let typed = typed(PERSON, &pairs(&[("birth_year", "nineteen")]), false);
        assert_eq!(typed["birth_year"], "nineteen");
    }

    #[test]
    fn errors_go_to_their_field_and_the_rest_on_top() {
        let errors = vec![
            FieldError::new("country", "is required"),
            FieldError::new("memberships[0].organization", "no organization has the external_id \"x\""),
        ];
        let form = Form::new(PERSON, Lang::En, &Map::new(), &errors);
        let country = form.fields.iter().find(|f| f.name == "country").unwrap();
        assert_eq!(country.error.as_deref(), Some("is required"));
        assert_eq!(form.problems.len(), 1);
    }
}
