//! The reference tables shipped in `domain/` (surnames, places, real associations), parsed
//! once per run into the shapes the generator needs.

use std::collections::HashMap;

/// One surname row of surnames.csv.
pub struct Surname {
    pub hans: String,
    pub hant: String,
    /// Lower case, as in the table (`huang`, `situ`).
    pub pinyin: String,
    /// The first is the Hong Kong government spelling.
    pub cantonese: Vec<String>,
    pub taishanese: Vec<String>,
    /// Spellings with where they are used (`Tan`, `Hokkien/Teochew`).
    pub tagged: Vec<(String, String)>,
}

impl Surname {
    /// Spellings the table ties to `tag` (one of the `/`-separated words of the tag).
    pub fn tagged_for<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.tagged
            .iter()
            .filter(move |(_, t)| t.split('/').any(|w| w == tag))
            .map(|(s, _)| s.as_str())
    }

    pub fn is_compound(&self) -> bool {
        self.hans.chars().count() > 1
    }
}

/// One row of places.csv.
pub struct Place {
    pub id: String,
    pub level: String,
    pub hans: String,
    pub official: String,
    pub hant: String,
    pub pinyin: String,
    pub romanizations: Vec<String>,
    pub parent: String,
}

/// One row of associations.csv, fields as given (empty when the source does not say).
pub struct RealAssociation {
    pub name_zh: String,
    pub name_en: String,
    pub city: String,
    pub country: String,
    pub kind: String,
    pub founding_year: String,
    pub wuyi_link: String,
    pub source: String,
    pub notes: String,
}

fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    // The tables are compiled in: a parse error is a build-time data bug.
    reader.deserialize().map(|r| r.expect("domain table is valid CSV")).collect()
}

fn cell(row: &HashMap<String, String>, key: &str) -> String {
    row.get(key).map(|s| s.trim().to_string()).unwrap_or_default()
}

pub fn surnames(text: &str) -> Vec<Surname> {
    rows(text)
        .iter()
        .map(|r| Surname {
            hans: cell(r, "simplified"),
            hant: cell(r, "traditional"),
            pinyin: cell(r, "pinyin"),
            cantonese: list(&cell(r, "cantonese")),
            taishanese: list(&cell(r, "taishanese")),
            tagged: list(&cell(r, "other_tagged"))
                .into_iter()
                .filter_map(|t| t.split_once('=').map(|(s, tag)| (s.trim().to_string(), tag.trim().to_string())))
                .collect(),
        })
        .collect()
}

pub fn places(text: &str) -> Vec<Place> {
    rows(text)
        .iter()
        .map(|r| Place {
            id: cell(r, "id"),
            level: cell(r, "level"),
            hans: cell(r, "simplified"),
            official: cell(r, "official_simplified"),
            hant: cell(r, "traditional"),
            pinyin: cell(r, "pinyin"),
            romanizations: list(&cell(r, "romanizations_attested")),
            parent: cell(r, "parent_id"),
        })
        .collect()
}

pub fn associations(text: &str) -> Vec<RealAssociation> {
    rows(text)
        .iter()
        .map(|r| RealAssociation {
            name_zh: cell(r, "name_zh"),
            name_en: cell(r, "name_en"),
            city: cell(r, "city"),
            country: cell(r, "country"),
            kind: cell(r, "kind"),
            founding_year: cell(r, "founding_year"),
            wuyi_link: cell(r, "wuyi_link"),
            source: cell(r, "source"),
            notes: cell(r, "notes"),
        })
        .collect()
}
