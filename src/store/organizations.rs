//! Saving and deleting organizations, with their resolved hometowns and parent.

use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Mode, Outcome, changed_fields, columns, enqueue_index, insert_rows, organization_ids, settle, target};
use crate::models::Organization;
use crate::records::{OrganizationInput, OrganizationRecord};
use crate::schema::{memberships, organization_hometowns, organizations};

struct Slot {
    row: Organization,
    original: Option<Organization>,
    /// Resolved hometowns, when the record gave hometowns.
    places: Option<Vec<String>>,
}

/// Saves a batch of organization records; one outcome per record, in order. A parent may
/// be any stored organization or one created earlier or later in the same batch.
pub async fn save(conn: &mut AsyncPgConnection, items: Vec<(Mode, OrganizationInput)>) -> QueryResult<Vec<Outcome>> {
    let now = Utc::now();
    let ext_ids: Vec<String> = items.iter().filter_map(|(_, o)| o.external_id.clone()).collect();
    let ids: Vec<Uuid> = items
        .iter()
        .filter_map(|(m, _)| if let Mode::Update(id) = m { Some(*id) } else { None })
        .collect();
    let existing: Vec<Organization> = organizations::table
        .filter(organizations::external_id.eq_any(&ext_ids).or(organizations::id.eq_any(&ids)))
        .select(Organization::as_select())
        .load(conn)
        .await?;
    let parent_refs: Vec<String> = items.iter().filter_map(|(_, o)| o.parent.clone().flatten()).collect();
    let mut by_ext = organization_ids(conn, &parent_refs).await?;
    // Parents that arrive in this batch, valid or not yet checked.
    let batch_ext: std::collections::HashSet<&String> = items.iter().filter_map(|(_, o)| o.external_id.as_ref()).collect();

    let mut slots: HashMap<Uuid, Slot> = HashMap::new();
    for o in existing {
        if let Some(e) = &o.external_id {
            by_ext.insert(e.clone(), o.id);
        }
        slots.insert(
            o.id,
            Slot {
                row: o.clone(),
                original: Some(o),
                places: None,
            },
        );
    }
    let mut order = Vec::new();
    let mut outcomes = Vec::with_capacity(items.len());
    let mut touched = Vec::with_capacity(items.len());
    // (child, parent external_id) to link once every row of the batch exists
    let mut parent_links: Vec<(Uuid, Option<String>)> = Vec::new();
    for (mode, input) in &items {
        let target = match target(
            mode,
            input.external_id.as_ref(),
            |id| slots.contains_key(id),
            &by_ext,
            "organization",
        ) {
            Ok(t) => t,
            Err(rejected) => {
                outcomes.push(rejected);
                touched.push(None);
                continue;
            }
        };
        if let Some(Some(parent)) = &input.parent {
            if !by_ext.contains_key(parent) && !batch_ext.contains(parent) {
                outcomes.push(Outcome::rejected(
                    "parent",
                    format!("no organization has the external_id \"{parent}\""),
                ));
                touched.push(None);
                continue;
            }
            if input.external_id.as_ref() == Some(parent) {
                outcomes.push(Outcome::rejected("parent", "an organization cannot be its own parent"));
                touched.push(None);
                continue;
            }
        }
        let current = target.and_then(|id| slots.get(&id)).map(|s| &s.row);
        let row = match input.apply(current, now) {
            Ok(row) => row,
            Err(errors) => {
                outcomes.push(Outcome::Rejected { errors });
                touched.push(None);
                continue;
            }
        };
        let id = row.id;
        if let Some(e) = &row.external_id {
            by_ext.insert(e.clone(), id);
        }
        if let Some(parent) = &input.parent {
            parent_links.push((id, parent.clone()));
        }
        let places = input.hometowns.as_ref().map(|_| input.hometown_places.clone());
        match slots.get_mut(&id) {
            Some(slot) => {
                slot.row = row;
                if places.is_some() {
                    slot.places = places;
                }
            }
            None => {
                order.push(id);
                slots.insert(
                    id,
                    Slot {
                        row,
                        original: None,
                        places,
                    },
                );
            }
        }
        outcomes.push(Outcome::Unchanged { id });
        touched.push(Some(id));
    }
    for (child, parent) in parent_links {
        let parent_id = parent.and_then(|p| by_ext.get(&p).copied());
        if let Some(slot) = slots.get_mut(&child) {
            slot.row.parent_id = parent_id;
        }
    }

    // New rows first without parents (a parent may be in a later chunk), then the links.
    let new_rows: Vec<Organization> = order
        .iter()
        .map(|id| Organization {
            parent_id: None,
            ..slots[id].row.clone()
        })
        .collect();
    insert_rows(conn, "organizations", columns::ORGANIZATIONS, &new_rows).await?;
    let (children, parents): (Vec<Uuid>, Vec<Uuid>) = order.iter().filter_map(|id| slots[id].row.parent_id.map(|p| (*id, p))).unzip();
    if !children.is_empty() {
        diesel::sql_query(
            "UPDATE organizations o SET parent_id = l.parent FROM unnest($1::uuid[], $2::uuid[]) AS l(child, parent) WHERE o.id = l.child",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&children)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&parents)
        .execute(conn)
        .await?;
    }
    let mut changed: HashMap<Uuid, Vec<String>> = HashMap::new();
    for slot in slots.values_mut() {
        let Some(original) = &slot.original else { continue };
        if slot.row == *original {
            continue;
        }
        let mut fields = changed_fields(
            &OrganizationRecord::from_row(original.clone(), None),
            &OrganizationRecord::from_row(slot.row.clone(), None),
        );
        if slot.row.parent_id != original.parent_id {
            fields.push("parent".into());
        }
        slot.row.updated_at = now;
        diesel::update(organizations::table.find(slot.row.id))
            .set(&slot.row)
            .execute(conn)
            .await?;
        changed.insert(slot.row.id, fields);
    }
    write_hometowns(conn, &slots, &order, &changed).await?;

    let mut to_index: Vec<Uuid> = order.clone();
    to_index.extend(changed.keys());
    enqueue_index(conn, "organization", &to_index).await?;
    // Members' search documents show their organizations' names.
    let changed_ids: Vec<Uuid> = changed.keys().copied().collect();
    enqueue_members(conn, &changed_ids).await?;

    settle(&mut outcomes, &touched, |id| slots[id].original.is_none(), &changed);
    Ok(outcomes)
}

async fn write_hometowns(
    conn: &mut AsyncPgConnection,
    slots: &HashMap<Uuid, Slot>,
    created: &[Uuid],
    changed: &HashMap<Uuid, Vec<String>>,
) -> QueryResult<()> {
    let targets: Vec<Uuid> = created
        .iter()
        .chain(changed.iter().filter(|(_, f)| f.iter().any(|f| f == "hometowns")).map(|(id, _)| id))
        .filter(|id| slots[*id].places.is_some())
        .copied()
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    diesel::delete(organization_hometowns::table.filter(organization_hometowns::organization_id.eq_any(&targets)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = targets
        .iter()
        .flat_map(|id| {
            slots[id].places.iter().flatten().map(move |place| {
                (
                    organization_hometowns::organization_id.eq(*id),
                    organization_hometowns::place_id.eq(place.clone()),
                )
            })
        })
        .collect();
    for chunk in rows.chunks(5000) {
        diesel::insert_into(organization_hometowns::table)
            .values(chunk)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(())
}

async fn enqueue_members(conn: &mut AsyncPgConnection, org_ids: &[Uuid]) -> QueryResult<()> {
    if org_ids.is_empty() {
        return Ok(());
    }
    let members: Vec<Uuid> = memberships::table
        .filter(memberships::organization_id.eq_any(org_ids))
        .select(memberships::person_id)
        .distinct()
        .load(conn)
        .await?;
    enqueue_index(conn, "person", &members).await
}

/// Deletes an organization; its memberships go with it and its children lose their parent.
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    let members: Vec<Uuid> = memberships::table
        .filter(memberships::organization_id.eq(id))
        .select(memberships::person_id)
        .load(conn)
        .await?;
    let deleted = diesel::delete(organizations::table.find(id)).execute(conn).await?;
    if deleted > 0 {
        enqueue_index(conn, "organization", &[id]).await?;
        enqueue_index(conn, "person", &members).await?;
    }
    Ok(deleted > 0)
}
