//! The index settings in `search-config/settings.json`: sent to Meilisearch as they are,
//! and read by the embedded index for field weights and typo tolerance.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

const SETTINGS_JSON: &str = include_str!("../../search-config/settings.json");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub searchable_attributes: Vec<String>,
    pub filterable_attributes: Vec<String>,
    pub typo_tolerance: TypoTolerance,
    pub pagination: Pagination,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypoTolerance {
    pub enabled: bool,
    pub min_word_size_for_typos: MinWordSize,
    #[serde(default)]
    pub disable_on_attributes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MinWordSize {
    pub one_typo: usize,
    pub two_typos: usize,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub max_total_hits: usize,
}

impl Settings {
    pub fn get() -> &'static Settings {
        static SETTINGS: OnceLock<Settings> = OnceLock::new();
        SETTINGS.get_or_init(|| serde_json::from_str(SETTINGS_JSON).expect("search-config/settings.json is valid"))
    }

    /// The whole document, for Meilisearch.
    pub fn json() -> Value {
        serde_json::from_str(SETTINGS_JSON).expect("search-config/settings.json is valid")
    }

    /// How much a match in a searchable field weighs: the first field most.
    pub fn weight(&self, field: &str) -> f32 {
        match self.searchable_attributes.iter().position(|f| f == field) {
            Some(0) => 4.0,
            Some(1) => 2.0,
            Some(_) => 1.0,
            None => 0.0,
        }
    }

    /// How many typos a word of the query may carry in a field.
    pub fn typos_allowed(&self, field: &str, word: &str) -> u8 {
        let t = &self.typo_tolerance;
        if !t.enabled || t.disable_on_attributes.iter().any(|f| f == field) || word.chars().any(|c| !c.is_ascii_alphabetic()) {
            return 0;
        }
        let len = word.chars().count();
        if len >= t.min_word_size_for_typos.two_typos {
            2
        } else if len >= t.min_word_size_for_typos.one_typo {
            1
        } else {
            0
        }
    }
}
