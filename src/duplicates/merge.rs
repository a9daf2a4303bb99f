//! Merging one person into another, and undoing it.
//!
//! Everything the merged-away record had moves to the survivor: its names (kept as other
//! names), memberships, interactions, invitations, consent history, audit trail, external id
//! (as an alias) and earlier merges into it. What is moved and what is dropped as a repeat is
//! written down with both rows as they were, so an undo puts the rows back. An undo gives the
//! survivor back its own values for the fields the merge changed, unless they were changed
//! again since: a later correction stays.

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{Jsonb, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::models::Person;
use crate::schema::{people, person_merges};
use crate::store::{columns, enqueue_people_and_organizations};

/// Fields the clerk may take from the merged-away record when the two differ.
pub const CHOOSABLE: &[&str] = &[
    "name_zh",
    "name_latin",
    "gender",
    "birth_year",
    "city",
    "hometown",
    "status",
    "occupation",
    "employer",
    "email",
    "phone",
    "wechat",
    "whatsapp",
    "notes",
];

/// A table holding rows that belong to a person.
struct Owned {
    table: &'static str,
    /// The column naming the person.
    person: &'static str,
    /// What tells its rows apart, to move them back.
    key: &'static str,
    /// Only rows matching this (the audit log names other kinds of records too).
    only: &'static str,
    /// When the survivor already has a row like this one, the merged one is a repeat and is
    /// dropped (and kept for undo) instead of moved; `s` is the survivor's row, `m` the other.
    repeat: Option<&'static str>,
}

const OWNED: &[Owned] = &[
    Owned {
        table: "memberships",
        person: "person_id",
        key: "id",
        only: "true",
        repeat: Some("s.organization_id = m.organization_id AND s.role = m.role AND s.since IS NOT DISTINCT FROM m.since"),
    },
    Owned {
        table: "interaction_people",
        person: "person_id",
        key: "interaction_id",
        only: "true",
        repeat: Some("s.interaction_id = m.interaction_id"),
    },
    Owned {
        table: "invitations",
        person: "person_id",
        key: "id",
        only: "true",
        repeat: Some("s.event_id = m.event_id"),
    },
    Owned { table: "consent_events", person: "person_id", key: "id", only: "true", repeat: None },
    Owned { table: "audit_log", person: "entity_id", key: "id", only: "m.entity_type = 'person'", repeat: None },
    Owned { table: "person_aliases", person: "person_id", key: "external_id", only: "true", repeat: None },
    // A record that had absorbed others brings their merges along, so they can still be undone.
    Owned { table: "person_merges", person: "survivor_id", key: "id", only: "true", repeat: None },
];

use crate::db::JsonRow;

/// Where the survivor's invitations that gave way to the merged record's are kept.
const REPLACED: &str = "invitations_replaced";

/// How far an invitation has come, as an SQL expression over the table alias.
fn progress(alias: &str) -> String {
    format!(
        "(CASE WHEN {alias}.checked_in_at IS NOT NULL THEN 5 ELSE 0 END + \
          CASE {alias}.state WHEN 'accepted' THEN 4 WHEN 'declined' THEN 3 WHEN 'no_answer' THEN 2 WHEN 'sent' THEN 1 ELSE 0 END)"
    )
}

/// Runs a data-changing statement over `m` rows and returns them as one JSON array.
async fn rows_json(conn: &mut AsyncPgConnection, sql: String, survivor: Uuid, merged: Uuid) -> QueryResult<Value> {
    let wrapped = format!("WITH x AS ({sql}) SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) AS v FROM x");
    let row: JsonRow = diesel::sql_query(wrapped)
        .bind::<SqlUuid, _>(survivor)
        .bind::<SqlUuid, _>(merged)
        .get_result(conn)
        .await?;
    Ok(row.v)
}

/// Merges `merged_id` into `survivor_id`, taking the fields named in `take` from the merged
/// record. Returns the merge's id.
pub async fn merge(
    conn: &mut AsyncPgConnection,
    survivor_id: Uuid,
    merged_id: Uuid,
    take: &[String],
    actor: &Actor,
) -> AppResult<Uuid> {
    if survivor_id == merged_id {
        return Err(AppError::BadRequest("a record cannot be merged into itself".into()));
    }
    if let Some(field) = take.iter().find(|f| !CHOOSABLE.contains(&f.as_str())) {
        return Err(AppError::invalid("take", format!("\"{field}\" is not a field that can be chosen")));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        quiet_consent_history(conn).await?;
        let mut rows: Vec<Person> = people::table
            .filter(people::id.eq_any([survivor_id, merged_id]))
            .for_update()
            .select(Person::as_select())
            .load(conn)
            .await?;
        let (Some(si), Some(mi)) = (
            rows.iter().position(|p| p.id == survivor_id),
            rows.iter().position(|p| p.id == merged_id),
        ) else {
            return Err(AppError::NotFound("person"));
        };
        let (survivor, gone) = if si < mi {
            let m = rows.remove(mi);
            (rows.remove(si), m)
        } else {
            let s = rows.remove(si);
            (s, rows.remove(mi))
        };
        if survivor.country != gone.country {
            return Err(AppError::Conflict(
                "the two records are in different countries; correct the country first if they are one person".into(),
            ));
        }
        let survivor_before = serde_json::to_value(&survivor).map_err(anyhow::Error::from)?;
        let merged_row = serde_json::to_value(&gone).map_err(anyhow::Error::from)?;
        let combined = combine(&survivor, &gone, take);

        let mut moved = Map::new();
        moved.insert("survivor_after".into(), serde_json::to_value(&combined).map_err(anyhow::Error::from)?);
        // Both invited to one event: the invitation further along (answered, checked in)
        // stays, so the guest's link keeps working; the survivor's gives way when behind.
        let behind = format!(
            "DELETE FROM invitations s WHERE s.person_id = $1 AND EXISTS (SELECT 1 FROM invitations m \
             WHERE m.person_id = $2 AND m.event_id = s.event_id AND {} > {}) RETURNING s.*",
            progress("m"),
            progress("s")
        );
        moved.insert(REPLACED.into(), rows_json(conn, behind, survivor_id, merged_id).await?);
        for o in OWNED {
            let mut entry = Map::new();
            if let Some(repeat) = o.repeat {
                let sql = format!(
                    "DELETE FROM {t} m WHERE m.{p} = $2 AND EXISTS (SELECT 1 FROM {t} s WHERE s.{p} = $1 AND {repeat}) RETURNING m.*",
                    t = o.table,
                    p = o.person
                );
                entry.insert("dropped".into(), rows_json(conn, sql, survivor_id, merged_id).await?);
            }
            let sql = format!(
                "UPDATE {t} m SET {p} = $1 WHERE m.{p} = $2 AND {only} RETURNING m.{k}::text AS key",
                t = o.table,
                p = o.person,
                only = o.only,
                k = o.key
            );
            entry.insert("moved".into(), rows_json(conn, sql, survivor_id, merged_id).await?);
            moved.insert(o.table.into(), Value::Object(entry));
        }
        enqueue_people_and_organizations(conn, &[survivor_id, merged_id]).await?;

        diesel::delete(people::table.find(merged_id)).execute(conn).await?;
        diesel::update(people::table.find(survivor_id)).set(&combined).execute(conn).await?;
        let merge_id: Uuid = diesel::insert_into(person_merges::table)
            .values((
                person_merges::survivor_id.eq(survivor_id),
                person_merges::merged_id.eq(merged_id),
                person_merges::survivor_before.eq(&survivor_before),
                person_merges::merged_row.eq(&merged_row),
                person_merges::moved.eq(Value::Object(moved)),
                person_merges::merged_by.eq(&actor.label),
            ))
            .returning(person_merges::id)
            .get_result(conn)
            .await?;
        if let Some(ext) = &gone.external_id {
            diesel::sql_query("INSERT INTO person_aliases (external_id, person_id, merge_id) VALUES ($1, $2, $3)")
                .bind::<Text, _>(ext)
                .bind::<SqlUuid, _>(survivor_id)
                .bind::<SqlUuid, _>(merge_id)
                .execute(conn)
                .await?;
        }
        crate::audit::record(
            conn,
            actor,
            "merge",
            "person",
            Some(survivor_id),
            json!({ "merge": merge_id, "merged": merged_id, "taken": take }),
        )
        .await?;
        Ok(merge_id)
    })
    .await
}

/// The survivor as it is after the merge: chosen fields from the merged record, empty
/// fields filled from it, lists joined, and the merged record's names kept as other names.
fn combine(survivor: &Person, gone: &Person, take: &[String]) -> Person {
    let mut row = survivor.clone();
    let taken = |f: &str| take.iter().any(|t| t == f);
    macro_rules! field {
        ($($f:ident),*) => {$(
            if taken(stringify!($f)) || row.$f.is_none() {
                row.$f = gone.$f.clone().or(row.$f.take());
            }
        )*};
    }
    field!(name_zh, name_latin, gender, birth_year, city, status, occupation, employer, email, phone, wechat, whatsapp, notes);
    if (taken("hometown") || row.hometown.is_none()) && gone.hometown.is_some() {
        row.hometown = gone.hometown.clone();
        row.hometown_place_id = gone.hometown_place_id.clone();
    }
    let join = |a: &mut Vec<String>, b: &[String]| {
        for x in b {
            if !a.contains(x) {
                a.push(x.clone());
            }
        }
    };
    // Names no longer shown as the record's own are kept, so search still finds them.
    let names: Vec<String> = [&survivor.name_zh, &survivor.name_latin, &gone.name_zh, &gone.name_latin]
        .into_iter()
        .flatten()
        .filter(|n| Some(*n) != row.name_zh.as_ref() && Some(*n) != row.name_latin.as_ref())
        .cloned()
        .collect();
    join(&mut row.other_names, &names);
    join(&mut row.other_names, &gone.other_names);
    join(&mut row.languages, &gone.languages);
    join(&mut row.talent_fields, &gone.talent_fields);
    join(&mut row.tags, &gone.tags);
    row.high_level_talent |= gone.high_level_talent;
    // The newer consent decision stands.
    if gone.consent_status != "unknown" && (survivor.consent_status == "unknown" || gone.consent_date > survivor.consent_date) {
        row.consent_status = gone.consent_status.clone();
        row.consent_date = gone.consent_date;
        row.consent_purposes = gone.consent_purposes.clone();
    }
    row.updated_at = Utc::now();
    row
}

/// Consent moves with the rows (its history included); the change of the survivor's current
/// consent is no new decision of the person, so the history trigger keeps out of it.
async fn quiet_consent_history(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::sql_query("SELECT set_config('qiaolink.consent_recorded', 'yes', true)")
        .execute(conn)
        .await
}

/// Undoes a merge: the merged-away record comes back with everything it had, and the
/// survivor is as it was before the merge. Later merges into the survivor are undone first.
pub async fn undo(conn: &mut AsyncPgConnection, merge_id: Uuid, actor: &Actor) -> AppResult<()> {
    conn.transaction::<_, AppError, _>(async |conn| {
        quiet_consent_history(conn).await?;
        #[derive(Queryable)]
        struct Merge {
            survivor_id: Uuid,
            merged_id: Uuid,
            survivor_before: Value,
            merged_row: Value,
            moved: Value,
            merged_at: chrono::DateTime<Utc>,
            undone_at: Option<chrono::DateTime<Utc>>,
        }
        let m: Merge = person_merges::table
            .find(merge_id)
            .for_update()
            .select((
                person_merges::survivor_id,
                person_merges::merged_id,
                person_merges::survivor_before,
                person_merges::merged_row,
                person_merges::moved,
                person_merges::merged_at,
                person_merges::undone_at,
            ))
            .first(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound("merge"))?;
        if m.undone_at.is_some() {
            return Err(AppError::Conflict("this merge has already been undone".into()));
        }
        // The survivor is locked first, so no merge into it can slip in meanwhile.
        let current: Person = people::table
            .find(m.survivor_id)
            .for_update()
            .select(Person::as_select())
            .first(conn)
            .await?;
        let later: i64 = person_merges::table
            .filter(person_merges::survivor_id.eq(m.survivor_id))
            .filter(person_merges::merged_at.gt(m.merged_at))
            .filter(person_merges::undone_at.is_null())
            .count()
            .get_result(conn)
            .await?;
        if later > 0 {
            return Err(AppError::Conflict(
                "a later merge into this record must be undone first".into(),
            ));
        }

        let cols: Vec<&str> = columns::PEOPLE.iter().map(|(c, _)| *c).collect();
        diesel::sql_query(format!(
            "INSERT INTO people ({list}) SELECT {list} FROM jsonb_populate_record(NULL::people, $1)",
            list = cols.join(", ")
        ))
        .bind::<Jsonb, _>(&m.merged_row)
        .execute(conn)
        .await?;
        let set: Vec<String> = cols
            .iter()
            .filter(|c| !matches!(**c, "id" | "created_at" | "updated_at"))
            .map(|c| format!("{c} = r.{c}"))
            .collect();
        let restored = unmerged(&current, &m.survivor_before, &m.moved["survivor_after"])?;
        diesel::sql_query(format!(
            "UPDATE people p SET {}, updated_at = now() FROM jsonb_populate_record(NULL::people, $1) r WHERE p.id = $2",
            set.join(", ")
        ))
        .bind::<Jsonb, _>(&restored)
        .bind::<SqlUuid, _>(m.survivor_id)
        .execute(conn)
        .await?;
        diesel::sql_query("DELETE FROM person_aliases WHERE merge_id = $1")
            .bind::<SqlUuid, _>(merge_id)
            .execute(conn)
            .await?;
        for o in OWNED {
            let entry = &m.moved[o.table];
            diesel::sql_query(format!(
                "UPDATE {t} m SET {p} = $2 WHERE m.{p} = $1 AND {only} \
                 AND m.{k}::text IN (SELECT j->>'key' FROM jsonb_array_elements($3) j)",
                t = o.table,
                p = o.person,
                only = o.only,
                k = o.key
            ))
            .bind::<SqlUuid, _>(m.survivor_id)
            .bind::<SqlUuid, _>(m.merged_id)
            .bind::<Jsonb, _>(&entry["moved"])
            .execute(conn)
            .await?;
            if o.repeat.is_some() {
                diesel::sql_query(format!(
                    "INSERT INTO {t} SELECT * FROM jsonb_populate_recordset(NULL::{t}, $1)",
                    t = o.table
                ))
                .bind::<Jsonb, _>(&entry["dropped"])
                .execute(conn)
                .await
                .map_err(|e| match e {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::ForeignKeyViolation | diesel::result::DatabaseErrorKind::CheckViolation,
                        _,
                    ) => AppError::Conflict(
                        "this merge can no longer be undone: an event, organization or interaction it touched was deleted since, or an event has filled up"
                            .into(),
                    ),
                    other => other.into(),
                })?;
            }
        }
        if m.moved[REPLACED].is_array() {
            diesel::sql_query("INSERT INTO invitations SELECT * FROM jsonb_populate_recordset(NULL::invitations, $1)")
                .bind::<Jsonb, _>(&m.moved[REPLACED])
                .execute(conn)
                .await?;
        }
        diesel::update(person_merges::table.find(merge_id))
            .set((
                person_merges::undone_at.eq(Utc::now()),
                person_merges::undone_by.eq(&actor.label),
            ))
            .execute(conn)
            .await?;
        enqueue_people_and_organizations(conn, &[m.survivor_id, m.merged_id]).await?;
        crate::audit::record(
            conn,
            actor,
            "undo merge",
            "person",
            Some(m.survivor_id),
            json!({ "merge": merge_id, "restored": m.merged_id }),
        )
        .await?;
        Ok(())
    })
    .await
}

/// The survivor as the undo leaves it: each field the merge changed goes back to the
/// survivor's own value, unless it has been changed again since the merge.
fn unmerged(current: &Person, before: &Value, after: &Value) -> AppResult<Value> {
    let mut row = serde_json::to_value(current).map_err(anyhow::Error::from)?;
    if let (Some(fields), Some(before)) = (row.as_object_mut(), before.as_object()) {
        for (field, was) in before {
            if matches!(field.as_str(), "id" | "created_at" | "updated_at") {
                continue;
            }
            if fields.get(field) == after.get(field) {
                fields.insert(field.clone(), was.clone());
            }
        }
    }
    Ok(row)
}
