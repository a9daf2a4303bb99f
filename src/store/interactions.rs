//! Saving and deleting interactions, with the people and organizations they involved.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Mode, Outcome, changed_fields, columns, insert_rows, organization_ids, person_ids, settle, target, whole};
use crate::error::FieldError;
use crate::models::Interaction;
use crate::records::{InteractionInput, InteractionRecord};
use crate::schema::{interaction_organizations, interaction_people, interactions};

struct Slot {
    row: Interaction,
    original: Option<Interaction>,
    people: Option<BTreeSet<Uuid>>,
    organizations: Option<BTreeSet<Uuid>>,
}

pub async fn save(conn: &mut AsyncPgConnection, items: Vec<(Mode, InteractionInput)>) -> QueryResult<Vec<Outcome>> {
    let now = Utc::now();
    let ext_ids: Vec<String> = items.iter().filter_map(|(_, i)| i.external_id.clone()).collect();
    let ids: Vec<Uuid> = items
        .iter()
        .filter_map(|(m, _)| if let Mode::Update(id) = m { Some(*id) } else { None })
        .collect();
    let existing: Vec<Interaction> = interactions::table
        .filter(interactions::external_id.eq_any(&ext_ids).or(interactions::id.eq_any(&ids)))
        .select(Interaction::as_select())
        .load(conn)
        .await?;
    let people_refs: Vec<String> = items.iter().flat_map(|(_, i)| i.people.iter().flatten().cloned()).collect();
    let org_refs: Vec<String> = items.iter().flat_map(|(_, i)| i.organizations.iter().flatten().cloned()).collect();
    let people = person_ids(conn, &people_refs).await?;
    let orgs = organization_ids(conn, &org_refs).await?;
    let existing_ids: Vec<Uuid> = existing.iter().map(|i| i.id).collect();
    let stored_people = links(conn, &existing_ids, true).await?;
    let stored_orgs = links(conn, &existing_ids, false).await?;

    let mut by_ext: HashMap<String, Uuid> = HashMap::new();
    let mut slots: HashMap<Uuid, Slot> = HashMap::new();
    for i in existing {
        if let Some(e) = &i.external_id {
            by_ext.insert(e.clone(), i.id);
        }
        slots.insert(
            i.id,
            Slot {
                row: i.clone(),
                original: Some(i),
                people: None,
                organizations: None,
            },
        );
    }
    let mut order = Vec::new();
    let mut outcomes = Vec::with_capacity(items.len());
    let mut touched = Vec::with_capacity(items.len());
    for (mode, input) in &items {
        let target = match target(
            mode,
            input.external_id.as_ref(),
            |id| slots.contains_key(id),
            &by_ext,
            "interaction",
        ) {
            Ok(t) => t,
            Err(rejected) => {
                outcomes.push(rejected);
                touched.push(None);
                continue;
            }
        };
        let mut errors = Vec::new();
        let linked_people = resolve(&input.people, &people, "people", "person", &mut errors);
        let linked_orgs = resolve(&input.organizations, &orgs, "organizations", "organization", &mut errors);
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
                slot.people = linked_people.or(slot.people.take());
                slot.organizations = linked_orgs.or(slot.organizations.take());
            }
            None => {
                order.push(id);
                slots.insert(
                    id,
                    Slot {
                        row,
                        original: None,
                        people: linked_people,
                        organizations: linked_orgs,
                    },
                );
            }
        }
        outcomes.push(Outcome::Unchanged { id });
        touched.push(Some(id));
    }

    let new_rows: Vec<Interaction> = order.iter().map(|id| slots[id].row.clone()).collect();
    insert_rows(conn, "interactions", columns::INTERACTIONS, &new_rows).await?;
    let mut changed: HashMap<Uuid, Vec<String>> = HashMap::new();
    let mut relink = Vec::new();
    for slot in slots.values_mut() {
        let id = slot.row.id;
        let people_changed = slot
            .people
            .as_ref()
            .is_some_and(|p| Some(p) != stored_people.get(&id).or(Some(&BTreeSet::new())));
        let orgs_changed = slot
            .organizations
            .as_ref()
            .is_some_and(|o| Some(o) != stored_orgs.get(&id).or(Some(&BTreeSet::new())));
        if people_changed || orgs_changed || slot.original.is_none() {
            relink.push(id);
        }
        let Some(original) = &slot.original else { continue };
        let row_changed = slot.row != *original;
        if !row_changed && !people_changed && !orgs_changed {
            continue;
        }
        let mut fields = if row_changed {
            changed_fields(
                &InteractionRecord::from_row(original.clone(), vec![], vec![]),
                &InteractionRecord::from_row(slot.row.clone(), vec![], vec![]),
            )
        } else {
            Vec::new()
        };
        if people_changed {
            fields.push("people".into());
        }
        if orgs_changed {
            fields.push("organizations".into());
        }
        slot.row.updated_at = now;
        diesel::update(interactions::table.find(id)).set(&slot.row).execute(conn).await?;
        changed.insert(id, fields);
    }
    write_links(conn, &relink, &slots).await?;

    settle(&mut outcomes, &touched, |id| slots[id].original.is_none(), &changed);
    Ok(outcomes)
}

fn resolve(
    refs: &Option<Vec<String>>,
    known: &HashMap<String, Uuid>,
    field: &str,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<BTreeSet<Uuid>> {
    let refs = refs.as_ref()?;
    let mut out = BTreeSet::new();
    for (i, r) in refs.iter().enumerate() {
        match known.get(r) {
            Some(id) => {
                out.insert(*id);
            }
            None => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                format!("no {what} has the external_id \"{r}\""),
            )),
        }
    }
    Some(out)
}

async fn links(conn: &mut AsyncPgConnection, ids: &[Uuid], people: bool) -> QueryResult<HashMap<Uuid, BTreeSet<Uuid>>> {
    let pairs: Vec<(Uuid, Uuid)> = if people {
        interaction_people::table
            .filter(interaction_people::interaction_id.eq_any(ids))
            .select((interaction_people::interaction_id, interaction_people::person_id))
            .load(conn)
            .await?
    } else {
        interaction_organizations::table
            .filter(interaction_organizations::interaction_id.eq_any(ids))
            .select((
                interaction_organizations::interaction_id,
                interaction_organizations::organization_id,
            ))
            .load(conn)
            .await?
    };
    let mut map: HashMap<Uuid, BTreeSet<Uuid>> = HashMap::new();
    for (i, other) in pairs {
        map.entry(i).or_default().insert(other);
    }
    Ok(map)
}

async fn write_links(conn: &mut AsyncPgConnection, ids: &[Uuid], slots: &HashMap<Uuid, Slot>) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let with_people: Vec<Uuid> = ids.iter().filter(|id| slots[*id].people.is_some()).copied().collect();
    let with_orgs: Vec<Uuid> = ids.iter().filter(|id| slots[*id].organizations.is_some()).copied().collect();
    diesel::delete(interaction_people::table.filter(interaction_people::interaction_id.eq_any(&with_people)))
        .execute(conn)
        .await?;
    diesel::delete(interaction_organizations::table.filter(interaction_organizations::interaction_id.eq_any(&with_orgs)))
        .execute(conn)
        .await?;
    let people_rows: Vec<_> = with_people
        .iter()
        .flat_map(|id| {
            slots[id]
                .people
                .iter()
                .flatten()
                .map(move |p| (interaction_people::interaction_id.eq(*id), interaction_people::person_id.eq(*p)))
        })
        .collect();
    for chunk in people_rows.chunks(10_000) {
        diesel::insert_into(interaction_people::table).values(chunk).execute(conn).await?;
    }
    let org_rows: Vec<_> = with_orgs
        .iter()
        .flat_map(|id| {
            slots[id].organizations.iter().flatten().map(move |o| {
                (
                    interaction_organizations::interaction_id.eq(*id),
                    interaction_organizations::organization_id.eq(*o),
                )
            })
        })
        .collect();
    for chunk in org_rows.chunks(10_000) {
        diesel::insert_into(interaction_organizations::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    Ok(diesel::delete(interactions::table.find(id)).execute(conn).await? > 0)
}
