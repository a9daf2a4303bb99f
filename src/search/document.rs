//! One search document per person and per organization, built by one function from the
//! database rows as they are now.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::models::{Organization, Person};
use crate::names;
use crate::places::Places;
use crate::schema::{memberships, organization_hometowns, organizations, people};

/// What the search engines index. Both engines get exactly these documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchDocument {
    /// `person-<uuid>` or `organization-<uuid>`.
    pub id: String,
    #[serde(rename = "type")]
    pub record_type: String,
    pub record_id: Uuid,
    pub external_id: Option<String>,
    pub display_name: String,
    /// The names as written, to show which one matched.
    pub names: Vec<String>,
    pub written: Vec<String>,
    pub derived: Vec<String>,
    pub place_keys: Vec<String>,
    pub country: String,
    pub city: Option<String>,
    /// Organization kind.
    pub kind: Option<String>,
    /// Person status (华侨, 外籍华人 ...).
    pub status: Option<String>,
    /// Hometown places with the places above them, for filters and facets.
    pub hometown: Vec<String>,
    pub talent_fields: Vec<String>,
    /// Ids of the organizations a person belongs to.
    pub organizations: Vec<String>,
    pub high_level_talent: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    Person,
    Organization,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
        }
    }

    pub fn parse(text: &str) -> Option<EntityType> {
        match text {
            "person" => Some(EntityType::Person),
            "organization" => Some(EntityType::Organization),
            _ => None,
        }
    }

    pub fn doc_id(self, id: Uuid) -> String {
        format!("{}-{id}", self.as_str())
    }
}

/// Tokens for a hometown: the place and the places above it down to the county, in every
/// attested form, so that a search for Toisan finds a person from 台山斗山.
fn place_keys(place_ids: &[String]) -> (Vec<String>, Vec<String>) {
    let places = Places::get();
    let mut keys = Vec::new();
    let mut facets = Vec::new();
    for id in place_ids {
        let mut chain = vec![id.clone()];
        chain.extend(places.ancestors(id));
        for (depth, pid) in chain.iter().enumerate() {
            if !facets.contains(pid) {
                facets.push(pid.clone());
            }
            let Some(place) = places.by_id(pid) else { continue };
            // The region and the province name everyone: only when written so.
            if depth > 0 && matches!(place.level.as_str(), "prefecture-level city" | "province" | "cultural region") {
                continue;
            }
            let mut forms = vec![place.name_simplified.clone()];
            forms.extend(place.pinyin.clone());
            forms.extend(place.romanizations.iter().cloned());
            for form in forms {
                let han: Vec<String> = names::fold_han(&form).chars().filter(|c| is_han(*c)).map(String::from).collect();
                keys.extend(han);
                let words = names::latin_words(&form);
                if words.len() > 1 {
                    keys.push(words.concat());
                }
                keys.extend(words);
            }
        }
    }
    dedup(&mut keys);
    (keys, facets)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.clone()));
}

fn name_fields(names_written: &[String]) -> (Vec<String>, Vec<String>) {
    let refs: Vec<&str> = names_written.iter().map(String::as_str).collect();
    let keys = names::name_keys(&refs);
    (keys.written, keys.derived)
}

pub fn person_document(p: &Person, organizations: Vec<String>) -> SearchDocument {
    let mut all_names: Vec<String> = p.name_zh.iter().chain(p.name_latin.iter()).cloned().collect();
    all_names.extend(p.other_names.iter().cloned());
    let (written, derived) = name_fields(&all_names);
    let (place_keys, hometown) = place_keys(&p.hometown_place_id.iter().cloned().collect::<Vec<_>>());
    SearchDocument {
        id: EntityType::Person.doc_id(p.id),
        record_type: "person".into(),
        record_id: p.id,
        external_id: p.external_id.clone(),
        display_name: p.display_name(),
        names: all_names,
        written,
        derived,
        place_keys,
        country: p.country.clone(),
        city: p.city.clone(),
        kind: None,
        status: p.status.clone(),
        hometown,
        talent_fields: p.talent_fields.clone(),
        organizations,
        high_level_talent: p.high_level_talent,
    }
}

pub fn organization_document(o: &Organization, places: Vec<String>) -> SearchDocument {
    let mut all_names: Vec<String> = o.name_zh.iter().chain(o.name_en.iter()).cloned().collect();
    all_names.extend(o.other_names.iter().cloned());
    let (written, derived) = name_fields(&all_names);
    let (place_keys, hometown) = place_keys(&places);
    SearchDocument {
        id: EntityType::Organization.doc_id(o.id),
        record_type: "organization".into(),
        record_id: o.id,
        external_id: o.external_id.clone(),
        display_name: o.display_name(),
        names: all_names,
        written,
        derived,
        place_keys,
        country: o.country.clone(),
        city: o.city.clone(),
        kind: Some(o.kind.clone()),
        status: None,
        hometown,
        talent_fields: Vec::new(),
        organizations: Vec::new(),
        high_level_talent: false,
    }
}

/// The documents of these people as they are now; ids with no row are simply absent.
pub async fn people(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<SearchDocument>> {
    let rows: Vec<Person> = people::table
        .filter(people::id.eq_any(ids))
        .select(Person::as_select())
        .load(conn)
        .await?;
    let links: Vec<(Uuid, Uuid)> = memberships::table
        .filter(memberships::person_id.eq_any(ids))
        .select((memberships::person_id, memberships::organization_id))
        .load(conn)
        .await?;
    let mut orgs: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (person, org) in links {
        let list = orgs.entry(person).or_default();
        let org = org.to_string();
        if !list.contains(&org) {
            list.push(org);
        }
    }
    Ok(rows
        .iter()
        .map(|p| person_document(p, orgs.remove(&p.id).unwrap_or_default()))
        .collect())
}

pub async fn organizations(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<SearchDocument>> {
    let rows: Vec<Organization> = organizations::table
        .filter(organizations::id.eq_any(ids))
        .select(Organization::as_select())
        .load(conn)
        .await?;
    let links: Vec<(Uuid, String)> = organization_hometowns::table
        .filter(organization_hometowns::organization_id.eq_any(ids))
        .select((organization_hometowns::organization_id, organization_hometowns::place_id))
        .load(conn)
        .await?;
    let mut places: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (org, place) in links {
        places.entry(org).or_default().push(place);
    }
    Ok(rows
        .iter()
        .map(|o| organization_document(o, places.remove(&o.id).unwrap_or_default()))
        .collect())
}

/// Ids of every record of a type, a page at a time (for rebuilding the index).
pub async fn page_of_ids(conn: &mut AsyncPgConnection, ty: EntityType, after: Uuid, limit: i64) -> QueryResult<Vec<Uuid>> {
    match ty {
        EntityType::Person => {
            people::table
                .filter(people::id.gt(after))
                .order(people::id)
                .limit(limit)
                .select(people::id)
                .load(conn)
                .await
        }
        EntityType::Organization => {
            organizations::table
                .filter(organizations::id.gt(after))
                .order(organizations::id)
                .limit(limit)
                .select(organizations::id)
                .load(conn)
                .await
        }
    }
}

pub async fn load(conn: &mut AsyncPgConnection, ty: EntityType, ids: &[Uuid]) -> QueryResult<Vec<SearchDocument>> {
    match ty {
        EntityType::Person => people(conn, ids).await,
        EntityType::Organization => organizations(conn, ids).await,
    }
}
