//! The duplicates page: pairs of records that may be one person, best first, side by side
//! with what speaks for them, to merge (choosing the values to keep) or to set apart; and
//! the recent merges, each with its undo.

use std::collections::HashMap;

use askama::Template;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::context::{Chrome, SignedIn};
use super::people::hometown_path;
use super::{render, see_other};
use crate::api::parse_id;
use crate::api::people::{load, visible};
use crate::app::AppState;
use crate::audit;
use crate::auth::Permission;
use crate::duplicates::{self, Candidate, merge};
use crate::error::{AppError, AppResult};
use crate::records::PersonRecord;

const PAGE_SIZE: i64 = 20;
const RECENT_MERGES: i64 = 20;

/// What a pair is compared on, in order: the field and its words. A row appears when
/// either record has a value, so a card shows only what there is to compare.
const ROWS: &[(&str, &str)] = &[
    ("name_zh", "field.name_zh"),
    ("name_latin", "field.name_latin"),
    ("other_names", "field.other_names"),
    ("gender", "field.gender"),
    ("birth_year", "field.birth_year"),
    ("country", "field.country"),
    ("city", "field.city"),
    ("hometown", "field.hometown"),
    ("status", "field.status"),
    ("occupation", "field.occupation"),
    ("employer", "field.employer"),
    ("email", "field.email"),
    ("phone", "field.phone"),
    ("wechat", "field.wechat"),
    ("whatsapp", "field.whatsapp"),
    ("notes", "field.notes"),
    ("memberships", "person.memberships"),
    ("external_id", "field.external_id"),
];

/// Rows shown only to roles that may see contact details.
const CONTACT_ROWS: &[&str] = &["email", "phone", "wechat", "whatsapp", "notes"];

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesView {
    c: Chrome,
    pairs: Vec<PairView>,
    total: i64,
    offset: i64,
    previous: Option<String>,
    next: Option<String>,
    merges: Vec<MergeView>,
    /// The merge just made, offered for undo at the top of the page.
    just_merged: Option<MergeView>,
    undone: bool,
}

impl DuplicatesView {
    /// The pairs shown, as "21–40".
    fn range(&self) -> String {
        format!("{}–{}", self.offset + 1, self.offset + self.pairs.len() as i64)
    }
}

struct PairView {
    a: Uuid,
    b: Uuid,
    /// Record B is offered to stay rather than A.
    keep_b: bool,
    percent: i32,
    evidence: Vec<Evidence>,
    rows: Vec<Row>,
}

struct Evidence {
    words: String,
    /// It asks the clerk to look twice.
    warn: bool,
}

struct Row {
    field: &'static str,
    words: &'static str,
    /// Record A's value, then B's.
    cells: [Cell; 2],
    /// Both have a value and they differ: the clerk picks one (a field merge may take).
    choice: bool,
}

impl Row {
    fn differ(&self) -> bool {
        self.cells[0].value != self.cells[1].value
    }
}

struct Cell {
    record: Uuid,
    value: Option<String>,
    /// Ticked at first: the value of the record kept.
    ticked: bool,
}

#[derive(Clone)]
struct MergeView {
    id: Uuid,
    merged: String,
    survivor_id: Uuid,
    survivor: String,
    by: String,
    at: DateTime<Utc>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    offset: Option<i64>,
    merged: Option<Uuid>,
    #[serde(default)]
    undone: bool,
}

pub async fn page(State(app): State<AppState>, who: SignedIn, Query(q): Query<ListQuery>) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    let mut conn = app.conn().await?;
    let mut offset = q.offset.unwrap_or(0).max(0);
    let (mut candidates, total) = duplicates::open_pairs(&mut conn, PAGE_SIZE, offset).await?;
    // Merging the last pairs of the last page leaves it empty: show the page before it.
    if candidates.is_empty() && total > 0 {
        offset = (total - 1) / PAGE_SIZE * PAGE_SIZE;
        candidates = duplicates::open_pairs(&mut conn, PAGE_SIZE, offset).await?.0;
    }
    duplicates::audit_shown(&mut conn, &candidates, &who.actor).await?;
    let mut pairs = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        pairs.push(pair(&mut conn, &who, candidate).await?);
    }
    let merges = recent_merges(&mut conn).await?;
    audit::record(
        &mut conn,
        &who.actor,
        "read",
        "duplicates",
        None,
        json!({ "pairs": pairs.len(), "merges": merges.len(), "via": "web" }),
    )
    .await?;
    let link = |offset: i64| format!("/duplicates?offset={offset}");
    let view = DuplicatesView {
        previous: (offset > 0).then(|| link((offset - PAGE_SIZE).max(0))),
        next: (offset + PAGE_SIZE < total).then(|| link(offset + PAGE_SIZE)),
        just_merged: q.merged.and_then(|id| merges.iter().find(|m| m.id == id)).cloned(),
        undone: q.undone,
        c: who.c,
        pairs,
        total,
        offset,
        merges,
    };
    Ok(render(&view))
}

/// A candidate pair as the clerk compares it.
async fn pair(conn: &mut AsyncPgConnection, who: &SignedIn, candidate: Candidate) -> AppResult<PairView> {
    let a = visible(&who.actor, load(conn, candidate.person_a).await?);
    let b = visible(&who.actor, load(conn, candidate.person_b).await?);
    let c = &who.c;
    // The record in more associations is usually the one the office works with.
    let keep_b = b.memberships.len() > a.memberships.len();
    let rows = ROWS
        .iter()
        .filter(|(field, _)| c.can_see_contacts() || !CONTACT_ROWS.contains(field))
        .filter_map(|&(field, words)| {
            let (va, vb) = (value(&a, field, c), value(&b, field, c));
            let choice = merge::CHOOSABLE.contains(&field) && va.is_some() && vb.is_some() && va != vb;
            (va.is_some() || vb.is_some()).then_some(Row {
                field,
                words,
                cells: [
                    Cell {
                        record: candidate.person_a,
                        value: va,
                        ticked: !keep_b,
                    },
                    Cell {
                        record: candidate.person_b,
                        value: vb,
                        ticked: keep_b,
                    },
                ],
                choice,
            })
        })
        .collect();
    let evidence = candidate
        .evidence
        .iter()
        .map(|code| Evidence {
            words: c.label("evidence", code),
            warn: matches!(code.as_str(), "ambiguous" | "common_name"),
        })
        .collect();
    Ok(PairView {
        a: candidate.person_a,
        b: candidate.person_b,
        keep_b,
        percent: (candidate.score * 100.0).round() as i32,
        evidence,
        rows,
    })
}

/// A field of a record as the page shows it; two records differ where these differ.
fn value(p: &PersonRecord, field: &str, c: &Chrome) -> Option<String> {
    let list = |items: &[String]| (!items.is_empty()).then(|| items.join(", "));
    match field {
        "name_zh" => p.name_zh.clone(),
        "name_latin" => p.name_latin.clone(),
        "other_names" => list(&p.other_names),
        "gender" => p.gender.as_deref().map(|g| c.label("gender", g)),
        "birth_year" => p.birth_year.map(|y| y.to_string()),
        "country" => Some(p.country.clone()),
        "city" => p.city.clone(),
        "hometown" => hometown_path(p.hometown_place.as_deref(), p.hometown.as_deref(), c),
        "status" => p.status.as_deref().map(|s| c.label("status", s)),
        "occupation" => p.occupation.clone(),
        "employer" => p.employer.clone(),
        "email" => p.email.clone(),
        "phone" => p.phone.clone(),
        "wechat" => p.wechat.clone(),
        "whatsapp" => p.whatsapp.clone(),
        "notes" => p.notes.clone(),
        "memberships" => list(
            &p.memberships
                .iter()
                .map(|m| {
                    format!(
                        "{} · {}",
                        m.organization_name.as_deref().unwrap_or_default(),
                        c.label("role", &m.role)
                    )
                })
                .collect::<Vec<_>>(),
        ),
        "external_id" => p.external_id.clone(),
        _ => None,
    }
}

#[derive(diesel::QueryableByName)]
struct MergeRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Nullable<Text>)]
    merged: Option<String>,
    #[diesel(sql_type = SqlUuid)]
    survivor_id: Uuid,
    #[diesel(sql_type = Nullable<Text>)]
    survivor: Option<String>,
    #[diesel(sql_type = Text)]
    by: String,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
}

/// The latest merges still in force, newest first, naming the user who made each.
async fn recent_merges(conn: &mut AsyncPgConnection) -> AppResult<Vec<MergeView>> {
    let rows: Vec<MergeRow> = diesel::sql_query(
        "SELECT m.id, coalesce(m.merged_row->>'name_zh', m.merged_row->>'name_latin') AS merged, \
         m.survivor_id, coalesce(s.name_zh, s.name_latin) AS survivor, \
         coalesce(u.display_name, u.email, m.merged_by) AS by, m.merged_at AS at \
         FROM person_merges m \
         LEFT JOIN people s ON s.id = m.survivor_id \
         LEFT JOIN users u ON m.merged_by = 'user:' || u.id \
         WHERE m.undone_at IS NULL ORDER BY m.merged_at DESC LIMIT $1",
    )
    .bind::<BigInt, _>(RECENT_MERGES)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MergeView {
            id: r.id,
            merged: r.merged.unwrap_or_default(),
            survivor_id: r.survivor_id,
            survivor: r.survivor.unwrap_or_default(),
            by: r.by,
            at: r.at,
        })
        .collect())
}

/// Where to come back to after a form, at the same place in the list.
fn back(offset: Option<i64>, notice: &str) -> Response {
    let offset = offset.unwrap_or(0).max(0);
    see_other(&format!("/duplicates?offset={offset}{notice}"))
}

/// The pair's merge form: `keep` names the record that stays; each field where the two
/// differ names the record whose value is kept.
pub async fn merge(State(app): State<AppState>, who: SignedIn, Posted(form): Posted<HashMap<String, String>>) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    let id = |name: &str| parse_id(form.get(name).map(String::as_str).unwrap_or_default(), "person");
    let (a, b, keep) = (id("a")?, id("b")?, id("keep")?);
    let merged = match keep {
        k if k == a => b,
        k if k == b => a,
        _ => return Err(AppError::BadRequest("the record to keep is not one of the pair".into())),
    };
    let merged_text = merged.to_string();
    let take: Vec<String> = merge::CHOOSABLE
        .iter()
        .filter(|field| form.get(**field) == Some(&merged_text))
        .map(|field| field.to_string())
        .collect();
    let mut conn = app.conn().await?;
    let merge_id = merge::merge(&mut conn, keep, merged, &take, &who.actor).await?;
    let offset = form.get("offset").and_then(|o| o.parse().ok());
    Ok(back(offset, &format!("&merged={merge_id}")))
}

#[derive(Deserialize)]
pub struct PairForm {
    a: Uuid,
    b: Uuid,
    offset: Option<i64>,
}

/// "Not the same person": the pair is not proposed again.
pub async fn dismiss(State(app): State<AppState>, who: SignedIn, Posted(form): Posted<PairForm>) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    let mut conn = app.conn().await?;
    duplicates::dismiss(&mut conn, form.a, form.b, &who.actor).await?;
    Ok(back(form.offset, ""))
}

#[derive(Deserialize)]
pub struct UndoForm {
    merge: Uuid,
    offset: Option<i64>,
}

pub async fn undo(State(app): State<AppState>, who: SignedIn, Posted(form): Posted<UndoForm>) -> AppResult<Response> {
    who.require(Permission::WriteContacts)?;
    let mut conn = app.conn().await?;
    merge::undo(&mut conn, form.merge, &who.actor).await?;
    Ok(back(form.offset, "&undone=true"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::Lang;

    #[test]
    fn every_row_has_words() {
        for (_, words) in ROWS {
            assert_ne!(Lang::En.t(words), *words, "{words}");
        }
    }
}
