//! Writes of the contact graph. Each function runs inside the caller's transaction and
//! adds the search-outbox rows of what it changed, so a write and its index update are
//! committed together or not at all. Batches serve both the API (a batch of one) and
//! imports (thousands at a time).

pub mod interactions;
pub mod memberships;
pub mod organizations;
pub mod people;

use std::collections::HashMap;
use std::future::Future;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use uuid::Uuid;

use serde_json::{Map, Value};

use crate::error::FieldError;
use crate::records::{InteractionInput, OrganizationInput, Parsed, PersonInput, RecordType};
use diesel::sql_types::{Array, Nullable, Text, Uuid as SqlUuid};

/// A kind of record saved in batches: people, organizations, interactions. Import and
/// the API's record routes both go through it.
pub trait Kind {
    /// As the audit log and messages name it.
    const NAME: &'static str;
    const TYPE: RecordType;
    type Input: Send;
    fn parse(record: &Map<String, Value>) -> Parsed<Self::Input>;
    fn save(conn: &mut AsyncPgConnection, items: Vec<(Mode, Self::Input)>) -> impl Future<Output = QueryResult<Vec<Outcome>>> + Send;
    fn remove(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = QueryResult<bool>> + Send;
}

pub struct People;
pub struct Organizations;
pub struct Interactions;

impl Kind for People {
    const NAME: &'static str = "person";
    const TYPE: RecordType = RecordType::Person;
    type Input = PersonInput;
    fn parse(record: &Map<String, Value>) -> Parsed<PersonInput> {
        PersonInput::parse(record)
    }
    fn save(conn: &mut AsyncPgConnection, items: Vec<(Mode, PersonInput)>) -> impl Future<Output = QueryResult<Vec<Outcome>>> + Send {
        people::save(conn, items)
    }
    fn remove(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = QueryResult<bool>> + Send {
        people::delete(conn, id)
    }
}

impl Kind for Organizations {
    const NAME: &'static str = "organization";
    const TYPE: RecordType = RecordType::Organization;
    type Input = OrganizationInput;
    fn parse(record: &Map<String, Value>) -> Parsed<OrganizationInput> {
        OrganizationInput::parse(record)
    }
    fn save(conn: &mut AsyncPgConnection, items: Vec<(Mode, OrganizationInput)>) -> impl Future<Output = QueryResult<Vec<Outcome>>> + Send {
        organizations::save(conn, items)
    }
    fn remove(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = QueryResult<bool>> + Send {
        organizations::delete(conn, id)
    }
}

impl Kind for Interactions {
    const NAME: &'static str = "interaction";
    const TYPE: RecordType = RecordType::Interaction;
    type Input = InteractionInput;
    fn parse(record: &Map<String, Value>) -> Parsed<InteractionInput> {
        InteractionInput::parse(record)
    }
    fn save(conn: &mut AsyncPgConnection, items: Vec<(Mode, InteractionInput)>) -> impl Future<Output = QueryResult<Vec<Outcome>>> + Send {
        interactions::save(conn, items)
    }
    fn remove(conn: &mut AsyncPgConnection, id: Uuid) -> impl Future<Output = QueryResult<bool>> + Send {
        interactions::delete(conn, id)
    }
}

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
        Outcome::Rejected {
            errors: vec![FieldError::new(field, message)],
        }
    }
}

/// Records that the search documents of these entities must be brought up to date.
pub async fn enqueue_index(conn: &mut AsyncPgConnection, entity_type: &str, ids: &[Uuid]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query("INSERT INTO search_outbox (entity_type, entity_id) SELECT $1, unnest($2::uuid[])")
        .bind::<Text, _>(entity_type)
        .bind::<Array<SqlUuid>, _>(ids)
        .execute(conn)
        .await?;
    Ok(())
}

/// Queues people, and the organizations they belong to (whose documents count their
/// members), for the index. Call it before the people's memberships go.
pub async fn enqueue_people_and_organizations(conn: &mut AsyncPgConnection, people: &[Uuid]) -> QueryResult<()> {
    use crate::schema::memberships;
    let organizations: Vec<Uuid> = memberships::table
        .filter(memberships::person_id.eq_any(people))
        .select(memberships::organization_id)
        .load(conn)
        .await?;
    enqueue_index(conn, "person", people).await?;
    enqueue_index(conn, "organization", &organizations).await
}

/// The columns of the tables that `insert_rows` fills, with their SQL types.
pub mod columns {
    pub type Columns = &'static [(&'static str, &'static str)];
    pub const PEOPLE: Columns = &[
        ("id", "uuid"),
        ("external_id", "text"),
        ("name_zh", "text"),
        ("name_latin", "text"),
        ("other_names", "text[]"),
        ("gender", "text"),
        ("birth_year", "int4"),
        ("country", "text"),
        ("city", "text"),
        ("hometown", "text"),
        ("hometown_place_id", "text"),
        ("status", "text"),
        ("languages", "text[]"),
        ("occupation", "text"),
        ("employer", "text"),
        ("talent_fields", "text[]"),
        ("high_level_talent", "bool"),
        ("email", "text"),
        ("phone", "text"),
        ("wechat", "text"),
        ("whatsapp", "text"),
        ("consent_status", "text"),
        ("consent_date", "date"),
        ("consent_purposes", "text[]"),
        ("tags", "text[]"),
        ("notes", "text"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
    ];
    pub const ORGANIZATIONS: Columns = &[
        ("id", "uuid"),
        ("external_id", "text"),
        ("name_zh", "text"),
        ("name_en", "text"),
        ("other_names", "text[]"),
        ("kind", "text"),
        ("country", "text"),
        ("city", "text"),
        ("founded_year", "int4"),
        ("hometowns", "text[]"),
        ("parent_id", "uuid"),
        ("liaison_status", "text"),
        ("website", "text"),
        ("email", "text"),
        ("phone", "text"),
        ("tags", "text[]"),
        ("notes", "text"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
    ];
    pub const MEMBERSHIPS: Columns = &[
        ("id", "uuid"),
        ("person_id", "uuid"),
        ("organization_id", "uuid"),
        ("role", "text"),
        ("since", "text"),
        ("until", "text"),
        ("created_at", "timestamptz"),
    ];
    pub const INTERACTIONS: Columns = &[
        ("id", "uuid"),
        ("external_id", "text"),
        ("date", "date"),
        ("kind", "text"),
        ("summary", "text"),
        ("officer", "text"),
        ("follow_up", "date"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
    ];
}

/// Inserts whole rows, many at a time: one text array per column, unnested and cast by
/// PostgreSQL, keeps the statement the same whatever the number of rows, and is much
/// cheaper for the server to read than a row per bind or JSON. `T` serializes with the
/// column names.
pub async fn insert_rows<T: Serialize>(
    conn: &mut AsyncPgConnection,
    table: &'static str,
    columns: columns::Columns,
    rows: &[T],
) -> QueryResult<()> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let casts: Vec<String> = columns.iter().enumerate().map(|(i, (_, ty))| format!("c{i}::{ty}")).collect();
    let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}::text[]")).collect();
    let aliases: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT {} FROM unnest({}) AS t({})",
        names.join(", "),
        casts.join(", "),
        params.join(", "),
        aliases.join(", ")
    );
    for chunk in rows.chunks(10_000) {
        let mut cells: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(chunk.len()); columns.len()];
        for row in chunk {
            let value = serde_json::to_value(row).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
            for (i, name) in names.iter().enumerate() {
                cells[i].push(pg_text(value.get(*name)));
            }
        }
        let mut query = diesel::sql_query(sql.as_str()).into_boxed();
        for column in cells {
            query = query.bind::<Array<Nullable<Text>>, _>(column);
        }
        query.execute(conn).await?;
    }
    Ok(())
}

/// A value as PostgreSQL reads it from text: arrays as array literals.
fn pg_text(value: Option<&serde_json::Value>) -> Option<String> {
    use serde_json::Value;
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let quoted: Vec<String> = items
                .iter()
                .map(|v| {
                    let text = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
                })
                .collect();
            Some(format!("{{{}}}", quoted.join(",")))
        }
        other => Some(other.to_string()),
    }
}

/// Where a record of a batch goes: the row it updates, `None` for a new row, or why it
/// cannot be saved. `stored` says whether a row with that id is loaded.
fn target(
    mode: &Mode,
    external_id: Option<&String>,
    stored: impl Fn(&Uuid) -> bool,
    by_ext: &HashMap<String, Uuid>,
    what: &str,
) -> Result<Option<Uuid>, Outcome> {
    match mode {
        Mode::Update(id) if !stored(id) => Err(Outcome::rejected("id", format!("no such {what}"))),
        Mode::Update(id) => Ok(Some(*id)),
        Mode::Create if external_id.is_some_and(|e| by_ext.contains_key(e)) => Err(Outcome::rejected(
            "external_id",
            format!("another {what} already has this external_id"),
        )),
        Mode::Create => Ok(None),
        Mode::Upsert => Ok(external_id.and_then(|e| by_ext.get(e)).copied()),
    }
}

/// The row a record makes, unless the record or its references (`errors`) are wrong.
fn whole<T>(applied: Result<T, Vec<FieldError>>, mut errors: Vec<FieldError>) -> Result<T, Outcome> {
    match applied {
        Ok(row) if errors.is_empty() => Ok(row),
        Ok(_) => Err(Outcome::Rejected { errors }),
        Err(mut record_errors) => {
            record_errors.append(&mut errors);
            Err(Outcome::Rejected { errors: record_errors })
        }
    }
}

/// Turns the provisional outcomes of a batch into final ones: created when the record's
/// row is new (once per row), updated when its row changed.
fn settle(outcomes: &mut [Outcome], touched: &[Option<Uuid>], is_new: impl Fn(&Uuid) -> bool, changed: &HashMap<Uuid, Vec<String>>) {
    let mut reported_new = std::collections::HashSet::new();
    for (outcome, id) in outcomes.iter_mut().zip(touched) {
        let Some(id) = id else { continue };
        if is_new(id) {
            if reported_new.insert(*id) {
                *outcome = Outcome::Created { id: *id };
            }
        } else if let Some(fields) = changed.get(id) {
            *outcome = Outcome::Updated {
                id: *id,
                fields: fields.clone(),
            };
        }
    }
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
    let rows: Vec<(Option<String>, Uuid)> = organizations
        .filter(external_id.eq_any(refs).or(id.eq_any(&ids)))
        .select((external_id, id))
        .load(conn)
        .await?;
    Ok(reference_map(rows))
}

/// Reference -> id for the people named, among those stored (see `organization_ids`).
pub async fn person_ids(conn: &mut AsyncPgConnection, refs: &[String]) -> QueryResult<HashMap<String, Uuid>> {
    use crate::schema::people::dsl::*;
    let ids: Vec<Uuid> = refs.iter().filter_map(|r| Uuid::parse_str(r).ok()).collect();
    let rows: Vec<(Option<String>, Uuid)> = people
        .filter(external_id.eq_any(refs).or(id.eq_any(&ids)))
        .select((external_id, id))
        .load(conn)
        .await?;
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

#[cfg(test)]
mod tests {
    use super::pg_text;
    use serde_json::json;

    #[test]
    fn arrays_become_literals_that_keep_every_character() {
        let v = json!(["a b", "c,d", "e\"f", "g\\h", "{i}", "黃"]);
        assert_eq!(pg_text(Some(&v)).unwrap(), r#"{"a b","c,d","e\"f","g\\h","{i}","黃"}"#);
        assert_eq!(pg_text(Some(&json!([]))).unwrap(), "{}");
        assert_eq!(pg_text(Some(&json!(null))), None);
        assert_eq!(pg_text(None), None);
        assert_eq!(pg_text(Some(&json!(1854))).unwrap(), "1854");
        assert_eq!(pg_text(Some(&json!(true))).unwrap(), "true");
    }
}
