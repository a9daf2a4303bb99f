//! Saving and deleting people, with their memberships.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Mode, Outcome, changed_fields, columns, enqueue_index, insert_rows, organization_ids, settle, target, whole};
use crate::error::FieldError;
use crate::models::{Membership, Person};
use crate::records::{PersonInput, PersonRecord};
use crate::schema::{memberships, people, person_aliases};

/// A membership as compared between what is stored and what a record asks for.
type MemberKey = (Uuid, String, Option<String>, Option<String>);

struct Slot {
    row: Person,
    original: Option<Person>,
    members: Option<BTreeSet<MemberKey>>,
    original_members: BTreeSet<MemberKey>,
}

/// Saves a batch of person records; one outcome per record, in order.
pub async fn save(conn: &mut AsyncPgConnection, items: Vec<(Mode, PersonInput)>) -> QueryResult<Vec<Outcome>> {
    let now = Utc::now();
    let ext_ids: Vec<String> = items.iter().filter_map(|(_, p)| p.external_id.clone()).collect();
    // External ids of merged-away records resolve to the record they were merged into.
    let aliases: Vec<(String, Uuid)> = person_aliases::table
        .filter(person_aliases::external_id.eq_any(&ext_ids))
        .select((person_aliases::external_id, person_aliases::person_id))
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = items
        .iter()
        .filter_map(|(m, _)| if let Mode::Update(id) = m { Some(*id) } else { None })
        .chain(aliases.iter().map(|(_, id)| *id))
        .collect();
    let existing: Vec<Person> = people::table
        .filter(people::external_id.eq_any(&ext_ids).or(people::id.eq_any(&ids)))
        .select(Person::as_select())
        .load(conn)
        .await?;
    let org_refs: Vec<String> = items
        .iter()
        .flat_map(|(_, p)| p.memberships.iter().flatten().map(|m| m.organization.clone()))
        .collect();
    let orgs = organization_ids(conn, &org_refs).await?;
    let existing_ids: Vec<Uuid> = existing.iter().map(|p| p.id).collect();
    let mut stored_members: HashMap<Uuid, BTreeSet<MemberKey>> = HashMap::new();
    for m in memberships::table
        .filter(memberships::person_id.eq_any(&existing_ids))
        .select(Membership::as_select())
        .load(conn)
        .await?
    {
        stored_members
            .entry(m.person_id)
            .or_default()
            .insert((m.organization_id, m.role, m.since, m.until));
    }

    let mut by_ext: HashMap<String, Uuid> = HashMap::new();
    let mut slots: HashMap<Uuid, Slot> = HashMap::new();
    let mut order: Vec<Uuid> = Vec::new();
    for p in existing {
        if let Some(e) = &p.external_id {
            by_ext.insert(e.clone(), p.id);
        }
        let original_members = stored_members.remove(&p.id).unwrap_or_default();
        slots.insert(
            p.id,
            Slot {
                row: p.clone(),
                original: Some(p),
                members: None,
                original_members,
            },
        );
    }

    by_ext.extend(aliases);

    let mut outcomes = Vec::with_capacity(items.len());
    let mut touched: Vec<Option<Uuid>> = Vec::with_capacity(items.len());
    for (mode, input) in &items {
        let target = match target(mode, input.external_id.as_ref(), |id| slots.contains_key(id), &by_ext, "person") {
            Ok(t) => t,
            Err(rejected) => {
                outcomes.push(rejected);
                touched.push(None);
                continue;
            }
        };
        let mut errors: Vec<FieldError> = Vec::new();
        let members = input.memberships.as_ref().map(|list| {
            let mut set = BTreeSet::new();
            for (i, m) in list.iter().enumerate() {
                match orgs.get(&m.organization) {
                    Some(org) => {
                        set.insert((*org, m.role.clone(), m.since.clone(), m.until.clone()));
                    }
                    None => errors.push(FieldError::new(
                        format!("memberships[{i}].organization"),
                        format!("no organization has the external_id \"{}\"", m.organization),
                    )),
                }
            }
            set
        });
        let current = target.and_then(|id| slots.get(&id)).map(|s| &s.row);
        let row = match whole(input.apply(current, now), errors) {
            Ok(row) => row,
            Err(rejected) => {
                outcomes.push(rejected);
                touched.push(None);
                continue;
            }
        };
        let id = row.id;
        if let Some(e) = &row.external_id {
            by_ext.insert(e.clone(), id);
        }
        match slots.get_mut(&id) {
            Some(slot) => {
                slot.row = row;
                if members.is_some() {
                    slot.members = members;
                }
            }
            None => {
                order.push(id);
                slots.insert(
                    id,
                    Slot {
                        row,
                        original: None,
                        members,
                        original_members: BTreeSet::new(),
                    },
                );
            }
        }
        outcomes.push(Outcome::Unchanged { id });
        touched.push(Some(id));
    }

    // Write what changed: new rows together, changed rows one by one, then memberships.
    let new_rows: Vec<&Person> = order.iter().map(|id| &slots[id].row).collect();
    insert_rows(conn, "people", columns::PEOPLE, &new_rows).await?;
    let mut changed: HashMap<Uuid, Vec<String>> = HashMap::new();
    for slot in slots.values_mut() {
        let Some(original) = &slot.original else { continue };
        let members_changed = slot.members.as_ref().is_some_and(|m| *m != slot.original_members);
        let row_changed = slot.row != *original;
        if !row_changed && !members_changed {
            continue;
        }
        let mut fields = if row_changed {
            changed_fields(
                &PersonRecord::from_row(original.clone(), vec![]),
                &PersonRecord::from_row(slot.row.clone(), vec![]),
            )
        } else {
            Vec::new()
        };
        if members_changed {
            fields.push("memberships".into());
        }
        slot.row.updated_at = now;
        diesel::update(people::table.find(slot.row.id)).set(&slot.row).execute(conn).await?;
        changed.insert(slot.row.id, fields);
    }
    let replace: Vec<Uuid> = slots
        .values()
        .filter(|s| s.members.as_ref().is_some_and(|m| *m != s.original_members))
        .map(|s| s.row.id)
        .collect();
    replace_memberships(conn, &replace, &slots, now).await?;

    let mut to_index: Vec<Uuid> = order.clone();
    to_index.extend(changed.keys());
    enqueue_index(conn, "person", &to_index).await?;

    settle(&mut outcomes, &touched, |id| slots[id].original.is_none(), &changed);
    Ok(outcomes)
}

async fn replace_memberships(
    conn: &mut AsyncPgConnection,
    person_ids: &[Uuid],
    slots: &HashMap<Uuid, Slot>,
    now: chrono::DateTime<Utc>,
) -> QueryResult<()> {
    if person_ids.is_empty() {
        return Ok(());
    }
    diesel::delete(memberships::table.filter(memberships::person_id.eq_any(person_ids)))
        .execute(conn)
        .await?;
    let rows: Vec<Membership> = person_ids
        .iter()
        .flat_map(|pid| {
            slots[pid]
                .members
                .iter()
                .flatten()
                .map(move |(org, role, since, until)| Membership {
                    id: Uuid::new_v4(),
                    person_id: *pid,
                    organization_id: *org,
                    role: role.clone(),
                    since: since.clone(),
                    until: until.clone(),
                    created_at: now,
                })
        })
        .collect();
    insert_rows(conn, "memberships", columns::MEMBERSHIPS, &rows).await
}

/// Deletes a person; memberships and interaction links go with them.
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    let deleted = diesel::delete(people::table.find(id)).execute(conn).await?;
    if deleted > 0 {
        enqueue_index(conn, "person", &[id]).await?;
    }
    Ok(deleted > 0)
}
