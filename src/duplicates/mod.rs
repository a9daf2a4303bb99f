//! Duplicate people: candidate pairs found in the background, reviewed and merged by a clerk.
//!
//! A trigger queues every person whose names or contact fields change; the worker gives each
//! queued person its blocking keys (name readings, e-mail, phone) and scores them against
//! the people sharing a key, never against everyone.

pub mod eval;
pub mod merge;
pub mod score;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float4, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::DbPool;
use crate::models::Person;
use crate::schema::{memberships, people, person_keys};
use score::{Profile, Unique, email_key, phone_key};

/// People compared per transaction.
const BATCH: i64 = 500;
/// A key shared by more people than this (a very common name read loosely) blocks nothing.
const MAX_BLOCK: usize = 200;
/// Records that may share one e-mail or phone and still all be one person.
const MAX_SHARED: usize = 4;

/// Compares one batch of queued people; returns how many were taken from the queue.
pub async fn scan_once(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    conn.transaction::<_, diesel::result::Error, _>(async |conn| scan_batch(conn).await).await
}

/// Drains the whole queue (the command line and the tests).
pub async fn scan_all(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    let mut total = 0;
    loop {
        match scan_once(conn).await? {
            0 => return Ok(total),
            n => total += n,
        }
    }
}

#[derive(QueryableByName)]
struct Queued {
    #[diesel(sql_type = SqlUuid)]
    person_id: Uuid,
}

/// Workers compare one batch at a time: two batches at once would each miss the other's
/// keys, not yet committed.
const SCAN_LOCK: i64 = 0x7175_6470;

async fn scan_batch(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<BigInt, _>(SCAN_LOCK)
        .execute(conn)
        .await?;
    let queued: Vec<Uuid> = diesel::sql_query(
        "DELETE FROM duplicate_queue WHERE person_id IN \
         (SELECT person_id FROM duplicate_queue ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
         RETURNING person_id",
    )
    .bind::<BigInt, _>(BATCH)
    .load::<Queued>(conn)
    .await?
    .into_iter()
    .map(|q| q.person_id)
    .collect();
    if queued.is_empty() {
        return Ok(0);
    }
    let mut profiles = load_profiles(conn, &queued).await?;

    // The batch's keys replace what it had.
    let had: BTreeSet<(String, Uuid)> = diesel::delete(person_keys::table.filter(person_keys::person_id.eq_any(&queued)))
        .returning((person_keys::key, person_keys::person_id))
        .load(conn)
        .await?
        .into_iter()
        .collect();
    let mut key_rows: (Vec<String>, Vec<Uuid>) = (Vec::new(), Vec::new());
    for p in profiles.values() {
        for k in p.keys() {
            key_rows.0.push(k);
            key_rows.1.push(p.id);
        }
    }
    diesel::sql_query("INSERT INTO person_keys (key, person_id) SELECT * FROM unnest($1::text[], $2::uuid[]) ON CONFLICT DO NOTHING")
        .bind::<Array<Text>, _>(&key_rows.0)
        .bind::<Array<SqlUuid>, _>(&key_rows.1)
        .execute(conn)
        .await?;

    // Everyone sharing a key with the batch, per key; keys shared too widely are left out
    // before loading them.
    let keys: Vec<&String> = key_rows.0.iter().collect::<BTreeSet<_>>().into_iter().collect();
    #[derive(QueryableByName)]
    struct Key {
        #[diesel(sql_type = Text)]
        key: String,
    }
    // Counting stops past the limit: a common name's block is never counted whole.
    let crowded: std::collections::HashSet<String> = diesel::sql_query(
        "SELECT k.key FROM unnest($1::text[]) AS k(key) \
         WHERE (SELECT count(*) FROM (SELECT 1 FROM person_keys p WHERE p.key = k.key LIMIT $2) AS x) >= $2",
    )
    .bind::<Array<Text>, _>(&keys)
    .bind::<BigInt, _>(MAX_BLOCK as i64 + 1)
    .load::<Key>(conn)
    .await?
    .into_iter()
    .map(|k| k.key)
    .collect();
    let keys: Vec<&String> = keys.into_iter().filter(|k| !crowded.contains(k.as_str())).collect();
    let mut blocks: HashMap<String, Vec<Uuid>> = HashMap::new();
    for (key, id) in person_keys::table
        .filter(person_keys::key.eq_any(&keys))
        .select((person_keys::key, person_keys::person_id))
        .load::<(String, Uuid)>(conn)
        .await?
    {
        blocks.entry(key).or_default().push(id);
    }
    let mut pairs: BTreeSet<(Uuid, Uuid)> = BTreeSet::new();
    for &id in &queued {
        let Some(p) = profiles.get(&id) else { continue };
        for key in p.keys() {
            let Some(block) = blocks.get(&key) else { continue };
            pairs.extend(block.iter().filter(|&&o| o != id).map(|&o| (id.min(o), id.max(o))));
        }
    }
    // Someone newly carrying an e-mail or phone others have makes it no longer theirs
    // alone: those others are compared again. (They gain no key, so this never repeats.)
    let batch: BTreeSet<Uuid> = queued.iter().copied().collect();
    let mut again: BTreeSet<Uuid> = BTreeSet::new();
    for &id in &queued {
        let Some(p) = profiles.get(&id) else { continue };
        for key in [p.email.as_deref().map(email_key), p.phone.as_deref().map(phone_key)].into_iter().flatten() {
            // Past MAX_SHARED the others had stopped counting it as theirs already.
            let Some(block) = blocks.get(&key).filter(|b| b.len() <= MAX_SHARED + 1) else { continue };
            if !had.contains(&(key.clone(), id)) {
                again.extend(block.iter().filter(|o| !batch.contains(o)));
            }
        }
    }
    diesel::sql_query("INSERT INTO duplicate_queue (person_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING")
        .bind::<Array<SqlUuid>, _>(again.into_iter().collect::<Vec<_>>())
        .execute(conn)
        .await?;
    let missing: Vec<Uuid> = pairs
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .filter(|id| !profiles.contains_key(id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    profiles.extend(load_profiles(conn, &missing).await?);

    // An e-mail or phone tells two records apart from everyone only when no third record
    // carries it, or only a few that could all be the same person (one person on three lists).
    let alone = |key: Option<String>| {
        key.and_then(|k| blocks.get(&k)).is_some_and(|block| {
            block.len() == 2
                || (block.len() <= MAX_SHARED
                    && block.iter().enumerate().all(|(i, x)| {
                        block[i + 1..].iter().all(|y| match (profiles.get(x), profiles.get(y)) {
                            (Some(x), Some(y)) => score::compatible(x, y),
                            _ => false,
                        })
                    }))
        })
    };
    let mut found: (Vec<Uuid>, Vec<Uuid>, Vec<f32>, Vec<String>) = Default::default();
    for (a, b) in pairs {
        let (Some(pa), Some(pb)) = (profiles.get(&a), profiles.get(&b)) else { continue };
        // How many in the country carry the most particular name the two share: a name
        // that many carry tells little by itself.
        let (ka, kb) = (pa.name_keys(), pb.name_keys());
        let name_carriers = ka
            .intersection(&kb)
            .map(|k| blocks.get(k).map_or(MAX_BLOCK + 1, Vec::len))
            .min()
            .unwrap_or(0);
        let unique = Unique {
            email: alone(pa.email.as_deref().map(email_key)),
            phone: alone(pa.phone.as_deref().map(phone_key)),
            name_carriers,
        };
        if let Some(s) = score::score(pa, pb, unique) {
            found.0.push(a);
            found.1.push(b);
            found.2.push(s.score);
            found.3.push(s.evidence.join(","));
        }
    }

    // Open pairs of the batch not found again are gone; dismissed ones stay dismissed.
    diesel::sql_query(
        "DELETE FROM duplicate_candidates WHERE status = 'open' AND (person_a = ANY($1) OR person_b = ANY($1))",
    )
    .bind::<Array<SqlUuid>, _>(&queued)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO duplicate_candidates (person_a, person_b, score, evidence) \
         SELECT a, b, s, string_to_array(e, ',') FROM unnest($1::uuid[], $2::uuid[], $3::real[], $4::text[]) AS t(a, b, s, e) \
         ON CONFLICT (person_a, person_b) DO UPDATE SET score = excluded.score, evidence = excluded.evidence \
         WHERE duplicate_candidates.status = 'open'",
    )
    .bind::<Array<SqlUuid>, _>(&found.0)
    .bind::<Array<SqlUuid>, _>(&found.1)
    .bind::<Array<Float4>, _>(&found.2)
    .bind::<Array<Text>, _>(&found.3)
    .execute(conn)
    .await?;
    flag_ambiguous(conn, &queued, &mut profiles).await?;
    Ok(queued.len())
}

/// A record that matches two others which cannot be one person ("David Wong Chi-ming"
/// beside both 黃志明 and 王志明) is ambiguous: its pairs say so, for the clerk to decide.
async fn flag_ambiguous(conn: &mut AsyncPgConnection, queued: &[Uuid], profiles: &mut HashMap<Uuid, Profile>) -> QueryResult<()> {
    use crate::schema::duplicate_candidates as dc;
    let open: Vec<(Uuid, Uuid)> = dc::table
        .filter(dc::status.eq("open"))
        .filter(dc::person_a.eq_any(queued).or(dc::person_b.eq_any(queued)))
        .select((dc::person_a, dc::person_b))
        .load(conn)
        .await?;
    let mut partners: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for &(a, b) in &open {
        partners.entry(a).or_default().push(b);
        partners.entry(b).or_default().push(a);
    }
    let missing: Vec<Uuid> = partners.keys().filter(|id| !profiles.contains_key(id)).copied().collect();
    profiles.extend(load_profiles(conn, &missing).await?);
    let mut ambiguous: BTreeSet<(Uuid, Uuid)> = BTreeSet::new();
    for (&x, others) in &partners {
        for (i, y) in others.iter().enumerate() {
            for z in &others[i + 1..] {
                if let (Some(py), Some(pz)) = (profiles.get(y), profiles.get(z))
                    && !score::compatible(py, pz)
                {
                    ambiguous.insert((x.min(*y), x.max(*y)));
                    ambiguous.insert((x.min(*z), x.max(*z)));
                }
            }
        }
    }
    let (a, b): (Vec<Uuid>, Vec<Uuid>) = ambiguous.into_iter().unzip();
    diesel::sql_query(
        "UPDATE duplicate_candidates c SET evidence = array_append(c.evidence, 'ambiguous') \
         FROM unnest($1::uuid[], $2::uuid[]) AS t(a, b) \
         WHERE c.person_a = t.a AND c.person_b = t.b AND NOT 'ambiguous' = ANY(c.evidence)",
    )
    .bind::<Array<SqlUuid>, _>(&a)
    .bind::<Array<SqlUuid>, _>(&b)
    .execute(conn)
    .await?;
    Ok(())
}

async fn load_profiles(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<HashMap<Uuid, Profile>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut orgs: HashMap<Uuid, BTreeSet<Uuid>> = HashMap::new();
    for (person, org) in memberships::table
        .filter(memberships::person_id.eq_any(ids))
        .select((memberships::person_id, memberships::organization_id))
        .load::<(Uuid, Uuid)>(conn)
        .await?
    {
        orgs.entry(person).or_default().insert(org);
    }
    let rows: Vec<Person> = people::table
        .filter(people::id.eq_any(ids))
        .select(Person::as_select())
        .load(conn)
        .await?;
    Ok(rows
        .iter()
        .map(|p| (p.id, Profile::new(p, orgs.remove(&p.id).unwrap_or_default())))
        .collect())
}

/// Drains the queue until the process stops, pausing when there is nothing to do.
pub async fn run(pool: DbPool) {
    crate::db::repeat(pool, "duplicate detection", Duration::from_secs(1), |mut conn| async move {
        Ok(scan_once(&mut conn).await?)
    })
    .await
}

/// An open candidate pair, best first.
#[derive(Clone, Debug, Queryable)]
pub struct Candidate {
    pub person_a: Uuid,
    pub person_b: Uuid,
    pub score: f32,
    pub evidence: Vec<String>,
}

/// One page of open pairs, best first, and how many are open in all.
pub async fn open_pairs(conn: &mut AsyncPgConnection, limit: i64, offset: i64) -> QueryResult<(Vec<Candidate>, i64)> {
    use crate::schema::duplicate_candidates as dc;
    let open = || dc::table.filter(dc::status.eq("open"));
    let total = open().count().get_result(conn).await?;
    let page = open()
        .order((dc::score.desc(), dc::person_a, dc::person_b))
        .limit(limit)
        .offset(offset)
        .select((dc::person_a, dc::person_b, dc::score, dc::evidence))
        .load(conn)
        .await?;
    Ok((page, total))
}

/// Marks a pair as two different people, so it is not proposed again.
pub async fn dismiss(conn: &mut AsyncPgConnection, a: Uuid, b: Uuid, actor: &crate::auth::Actor) -> crate::error::AppResult<()> {
    use crate::schema::duplicate_candidates as dc;
    let (a, b) = (a.min(b), a.max(b));
    conn.transaction::<_, crate::error::AppError, _>(async |conn| {
        let n = diesel::update(dc::table.find((a, b)))
            .set((
                dc::status.eq("dismissed"),
                dc::decided_by.eq(&actor.label),
                dc::decided_at.eq(chrono::Utc::now()),
            ))
            .execute(conn)
            .await?;
        if n == 0 {
            return Err(crate::error::AppError::NotFound("duplicate candidate"));
        }
        crate::audit::record(conn, actor, "dismiss duplicate", "person", Some(a), serde_json::json!({ "other": b })).await?;
        Ok(())
    })
    .await
}

/// Showing candidate pairs is reading those people's records: each is audited as read.
pub async fn audit_shown(conn: &mut AsyncPgConnection, pairs: &[Candidate], actor: &crate::auth::Actor) -> QueryResult<()> {
    let people: BTreeSet<Uuid> = pairs.iter().flat_map(|c| [c.person_a, c.person_b]).collect();
    for id in people {
        crate::audit::record(conn, actor, "read", "person", Some(id), serde_json::json!({ "via": "duplicates" })).await?;
    }
    Ok(())
}
