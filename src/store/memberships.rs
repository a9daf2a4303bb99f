//! Memberships written on their own: rows of memberships.csv, and the API's membership
//! routes. (A person record with `memberships` replaces the whole set: see `people`.)

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::{Outcome, enqueue_index, organization_ids, person_ids};
use crate::error::FieldError;
use crate::models::Membership;
use crate::records::{MembershipInput, MembershipRow};
use crate::schema::memberships;

/// Adds membership rows; a row already stored is left as it is.
pub async fn add(conn: &mut AsyncPgConnection, rows: Vec<MembershipRow>) -> QueryResult<Vec<Outcome>> {
    let people_refs: Vec<String> = rows.iter().map(|r| r.person.clone()).collect();
    let org_refs: Vec<String> = rows.iter().map(|r| r.membership.organization.clone()).collect();
    let people = person_ids(conn, &people_refs).await?;
    let orgs = organization_ids(conn, &org_refs).await?;
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut indexed = Vec::new();
    for row in rows {
        let mut errors = Vec::new();
        let person = people.get(&row.person).copied();
        if person.is_none() {
            errors.push(FieldError::new(
                "person",
                format!("no person has the external_id \"{}\"", row.person),
            ));
        }
        let org = orgs.get(&row.membership.organization).copied();
        if org.is_none() {
            errors.push(FieldError::new(
                "organization",
                format!("no organization has the external_id \"{}\"", row.membership.organization),
            ));
        }
        let (Some(person_id), Some(organization_id)) = (person, org) else {
            outcomes.push(Outcome::Rejected { errors });
            continue;
        };
        let (outcome, changed) = insert(conn, person_id, organization_id, &row.membership).await?;
        if changed {
            indexed.push(person_id);
        }
        outcomes.push(outcome);
    }
    enqueue_index(conn, "person", &indexed).await?;
    Ok(outcomes)
}

/// Inserts one membership unless the same one is stored; says whether it was new.
async fn insert(conn: &mut AsyncPgConnection, person_id: Uuid, organization_id: Uuid, m: &MembershipInput) -> QueryResult<(Outcome, bool)> {
    let row = Membership {
        id: Uuid::new_v4(),
        person_id,
        organization_id,
        role: m.role.clone(),
        since: m.since.clone(),
        until: m.until.clone(),
        created_at: Utc::now(),
    };
    let inserted: Option<Uuid> = diesel::insert_into(memberships::table)
        .values(&row)
        .on_conflict_do_nothing()
        .returning(memberships::id)
        .get_result(conn)
        .await
        .optional()?;
    match inserted {
        Some(id) => Ok((Outcome::Created { id }, true)),
        None => {
            let id = memberships::table
                .filter(memberships::person_id.eq(person_id))
                .filter(memberships::organization_id.eq(organization_id))
                .filter(memberships::role.eq(&m.role))
                .filter(memberships::since.is_not_distinct_from(&m.since))
                .select(memberships::id)
                .first(conn)
                .await?;
            Ok((Outcome::Unchanged { id }, false))
        }
    }
}

/// The API's create: by ids rather than external_ids.
pub async fn create(conn: &mut AsyncPgConnection, person_id: Uuid, organization_id: Uuid, m: &MembershipInput) -> QueryResult<Outcome> {
    let (outcome, changed) = insert(conn, person_id, organization_id, m).await?;
    if changed {
        enqueue_index(conn, "person", &[person_id]).await?;
    }
    Ok(outcome)
}

/// Changes the role or term of a membership.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    role: Option<String>,
    since: Option<Option<String>>,
    until: Option<Option<String>>,
) -> QueryResult<Option<Membership>> {
    let Some(mut row) = memberships::table
        .find(id)
        .select(Membership::as_select())
        .first(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    if let Some(role) = role {
        row.role = role;
    }
    if let Some(since) = since {
        row.since = since;
    }
    if let Some(until) = until {
        row.until = until;
    }
    diesel::update(memberships::table.find(id)).set(&row).execute(conn).await?;
    enqueue_index(conn, "person", &[row.person_id]).await?;
    Ok(Some(row))
}

pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<Uuid>> {
    let person: Option<Uuid> = diesel::delete(memberships::table.find(id))
        .returning(memberships::person_id)
        .get_result(conn)
        .await
        .optional()?;
    if let Some(p) = person {
        enqueue_index(conn, "person", &[p]).await?;
    }
    Ok(person)
}
