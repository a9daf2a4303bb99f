//! Writes of the contact graph. Each function runs inside the caller's transaction and
//! adds the search-outbox rows of what it changed, so a write and its index update are
//! committed together or not at all. Batches serve both the API (a batch of one) and
//! imports (thousands at a time).

pub mod interactions;
pub mod memberships;
pub mod organizations;
pub mod people;

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use crate::error::FieldError;
use crate::schema::search_outbox;

/// How a record meets the stored data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Import: update the record with the same external_id, or create it.
    Upsert,
    /// API create: a record with the same external_id is a conflict.
    Create,
    /// API update of the record with this id.
    Update(Uuid),
}

/// What happened to one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Created { id: Uuid },
    Updated { id: Uuid, fields: Vec<String> },
    Unchanged { id: Uuid },
    Rejected { errors: Vec<FieldError> },
}

impl Outcome {
    pub fn id(&self) -> Option<Uuid> {
        match self {
            Outcome::Created { id } | Outcome::Updated { id, .. } | Outcome::Unchanged { id } => Some(*id),
            Outcome::Rejected { .. } => None,
        }
    }

    fn rejected(field: &str, message: impl Into<String>) -> Outcome {
        Outcome::Rejected { errors: vec![FieldError::new(field, message)] }
    }
}

/// Records that the search documents of these entities must be brought up to date.
pub async fn enqueue_index(conn: &mut AsyncPgConnection, entity_type: &str, ids: &[Uuid]) -> QueryResult<()> {
    for chunk in ids.chunks(10_000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|id| (search_outbox::entity_type.eq(entity_type), search_outbox::entity_id.eq(*id)))
            .collect();
        diesel::insert_into(search_outbox::table).values(rows).execute(conn).await?;
    }
    Ok(())
}

/// The top-level fields whose values differ between two serialized records.
pub fn changed_fields<T: Serialize>(before: &T, after: &T) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) = (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

/// Reference -> id for the organizations named, among those stored. A reference is an
/// external_id, or the record's own id (what export writes for records without one).
pub async fn organization_ids(conn: &mut AsyncPgConnection, refs: &[String]) -> QueryResult<HashMap<String, Uuid>> {
    use crate::schema::organizations::dsl::*;
    let ids: Vec<Uuid> = refs.iter().filter_map(|r| Uuid::parse_str(r).ok()).collect();
    let rows: Vec<(Option<String>, Uuid)> =
        organizations.filter(external_id.eq_any(refs).or(id.eq_any(&ids))).select((external_id, id)).load(conn).await?;
    Ok(reference_map(rows))
}

/// Reference -> id for the people named, among those stored (see `organization_ids`).
pub async fn person_ids(conn: &mut AsyncPgConnection, refs: &[String]) -> QueryResult<HashMap<String, Uuid>> {
    use crate::schema::people::dsl::*;
    let ids: Vec<Uuid> = refs.iter().filter_map(|r| Uuid::parse_str(r).ok()).collect();
    let rows: Vec<(Option<String>, Uuid)> = people.filter(external_id.eq_any(refs).or(id.eq_any(&ids))).select((external_id, id)).load(conn).await?;
    Ok(reference_map(rows))
}

fn reference_map(rows: Vec<(Option<String>, Uuid)>) -> HashMap<String, Uuid> {
    let mut map = HashMap::new();
    for (ext, id) in rows {
        map.insert(id.to_string(), id);
        if let Some(ext) = ext {
            map.insert(ext, id);
        }
    }
    map
}
