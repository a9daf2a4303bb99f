//! Reading the fields of one record (a JSON object, or a CSV / Excel row turned into one)
//! with errors that name the field and say what is wrong in plain words.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::FieldError;

/// A field that may be absent (`None`), cleared (`Some(None)`) or set.
pub type Patch<T> = Option<Option<T>>;

pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
    pub errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>, prefix: impl Into<String>) -> Fields<'a> {
        Fields {
            map,
            prefix: prefix.into(),
            errors: Vec::new(),
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        let field = self.name(key);
        self.errors.push(FieldError::new(field, message));
    }

    /// Fields of the record that `known` does not list: kept out, and reported.
    pub fn unknown(&self, known: &[&str]) -> Vec<String> {
        self.map
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| self.name(k))
            .collect()
    }

    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    pub fn text(&mut self, key: &str) -> Patch<String> {
        match self.map.get(key)? {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Value::Number(n) => Some(Some(n.to_string())),
            Value::Bool(_) => {
                self.error(key, "should be text, not true/false");
                None
            }
            Value::Array(_) | Value::Object(_) => {
                self.error(key, "should be a single text, not a list or object");
                None
            }
        }
    }

    /// A list: a JSON array of texts, or one text with the items separated by `;`.
    pub fn list(&mut self, key: &str) -> Option<Vec<String>> {
        let items = match self.map.get(key)? {
            Value::Null => Vec::new(),
            Value::String(s) => s.split(';').map(str::to_string).collect(),
            Value::Array(values) => {
                let mut items = Vec::new();
                for v in values {
                    match v {
                        Value::String(s) => items.push(s.clone()),
                        Value::Number(n) => items.push(n.to_string()),
                        _ => {
                            self.error(key, "should be a list of texts");
                            return None;
                        }
                    }
                }
                items
            }
            _ => {
                self.error(key, "should be a list of texts (in CSV: separated by ;)");
                return None;
            }
        };
        let mut cleaned: Vec<String> = Vec::new();
        for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !cleaned.iter().any(|c| c == item) {
                cleaned.push(item.to_string());
            }
        }
        Some(cleaned)
    }

    pub fn int(&mut self, key: &str, min: i32, max: i32, example: &str) -> Patch<i32> {
        let value = match self.map.get(key)? {
            Value::Null => return Some(None),
            Value::Number(n) => n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64),
            Value::String(s) if s.trim().is_empty() => return Some(None),
            Value::String(s) => s.trim().trim_end_matches(".0").parse::<i64>().ok(),
            _ => None,
        };
        match value {
            None => {
                self.error(key, format!("should be a whole number, e.g. {example}"));
                None
            }
            Some(v) if v < min as i64 || v > max as i64 => {
                self.error(key, format!("{v} is out of range: it should be between {min} and {max}"));
                None
            }
            Some(v) => Some(Some(v as i32)),
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let value = match self.map.get(key)? {
            Value::Null => return Some(false),
            Value::Bool(b) => Some(*b),
            Value::Number(n) => n.as_i64().and_then(|i| match i {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            }),
            Value::String(s) => match s.trim().to_lowercase().as_str() {
                "" | "false" | "no" | "n" | "0" | "否" => Some(false),
                "true" | "yes" | "y" | "1" | "是" => Some(true),
                _ => None,
            },
            _ => None,
        };
        if value.is_none() {
            self.error(key, "should be true or false");
        }
        value
    }

    /// One of a fixed list of codes (case and spaces forgiven).
    pub fn choice(&mut self, key: &str, allowed: &[&str]) -> Patch<String> {
        let text = self.text(key)?;
        let Some(text) = text else { return Some(None) };
        let code = text.to_lowercase().replace([' ', '-'], "_");
        if allowed.contains(&code.as_str()) {
            Some(Some(code))
        } else {
            self.error(key, format!("\"{text}\" is not one of: {}", allowed.join(", ")));
            None
        }
    }

    pub fn country(&mut self, key: &str) -> Patch<String> {
        let text = self.text(key)?;
        let Some(text) = text else { return Some(None) };
        let code = text.to_uppercase();
        if is_country_code(&code) {
            Some(Some(code))
        } else {
            self.error(
                key,
                format!("\"{text}\" is not a two-letter country code (ISO 3166-1), e.g. US, CA, PE, HK"),
            );
            None
        }
    }

    pub fn date(&mut self, key: &str) -> Patch<NaiveDate> {
        let text = self.text(key)?;
        let Some(text) = text else { return Some(None) };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => Some(Some(d)),
            Err(_) => {
                self.error(key, format!("\"{text}\" is not a date written YYYY-MM-DD, e.g. 2024-01-18"));
                None
            }
        }
    }

    /// YYYY, YYYY-MM or YYYY-MM-DD: association rolls rarely give the day.
    pub fn partial_date(&mut self, key: &str) -> Patch<String> {
        let text = self.text(key)?;
        let Some(text) = text else { return Some(None) };
        if is_partial_date(&text) {
            Some(Some(text))
        } else {
            self.error(key, format!("\"{text}\" is not a date written YYYY, YYYY-MM or YYYY-MM-DD"));
            None
        }
    }

    pub fn email(&mut self, key: &str) -> Patch<String> {
        let text = self.text(key)?;
        if let Some(e) = &text {
            let ok = e
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.'))
                && !e.contains(char::is_whitespace);
            if !ok {
                self.error(key, format!("\"{e}\" does not look like an e-mail address"));
                return None;
            }
        }
        Some(text)
    }

    /// BCP 47 language tags such as yue, zh-Hant, en, es.
    pub fn languages(&mut self, key: &str) -> Option<Vec<String>> {
        let list = self.list(key)?;
        for tag in &list {
            let mut parts = tag.split('-');
            let primary_ok = parts
                .next()
                .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
            let rest_ok = parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
            if !(primary_ok && rest_ok) {
                self.error(key, format!("\"{tag}\" is not a language code such as yue, zh, en, es"));
                return None;
            }
        }
        Some(list)
    }
}

pub fn is_partial_date(text: &str) -> bool {
    let full = match text.len() {
        4 => format!("{text}-01-01"),
        7 => format!("{text}-01"),
        10 => text.to_string(),
        _ => return false,
    };
    text.chars().next().is_some_and(|c| c.is_ascii_digit()) && NaiveDate::parse_from_str(&full, "%Y-%m-%d").is_ok()
}

/// ISO 3166-1 alpha-2, officially assigned codes.
const COUNTRY_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT \
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG \
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && COUNTRY_CODES.split(' ').any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn lists_come_as_arrays_or_semicolon_text() {
        let m = fields(json!({"a": ["x", " y ", "x"], "b": "p; q;;", "c": null}));
        let mut f = Fields::new(&m, "");
        assert_eq!(f.list("a"), Some(vec!["x".into(), "y".into()]));
        assert_eq!(f.list("b"), Some(vec!["p".into(), "q".into()]));
        assert_eq!(f.list("c"), Some(vec![]));
        assert_eq!(f.list("missing"), None);
    }

    #[test]
    fn errors_name_the_field_and_the_problem() {
        let m = fields(json!({"country": "USA", "founded_year": "about 1900", "date": "18/01/2023", "kind": "club"}));
        let mut f = Fields::new(&m, "");
        assert_eq!(f.country("country"), None);
        assert_eq!(f.int("founded_year", 1500, 2100, "1854"), None);
        assert_eq!(f.date("date"), None);
        assert_eq!(f.choice("kind", &["media", "other"]), None);
        let fields: Vec<&str> = f.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["country", "founded_year", "date", "kind"]);
        assert!(f.errors[0].message.contains("two-letter country code"));
    }

    #[test]
    fn forgiving_where_meaning_is_clear() {
        let m = fields(json!({"country": "us", "year": "1854", "flag": "是", "kind": "Hometown Association", "since": "2019-05"}));
        let mut f = Fields::new(&m, "");
        assert_eq!(f.country("country"), Some(Some("US".into())));
        assert_eq!(f.int("year", 1500, 2100, "1854"), Some(Some(1854)));
        assert_eq!(f.boolean("flag"), Some(true));
        assert_eq!(
            f.choice("kind", &["hometown_association"]),
            Some(Some("hometown_association".into()))
        );
        assert_eq!(f.partial_date("since"), Some(Some("2019-05".into())));
        assert!(f.errors.is_empty());
    }

    #[test]
    fn partial_dates() {
        assert!(is_partial_date("2019") && is_partial_date("2019-02") && is_partial_date("2019-02-28"));
        assert!(!is_partial_date("2019-02-30") && !is_partial_date("19") && !is_partial_date("2019-13"));
    }
}
