//! A person's rights over their data: a copy of everything held about them, and erasure.

use diesel::prelude::*;
use diesel::sql_types::Uuid as SqlUuid;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::store::enqueue_people_and_organizations;

use crate::db::JsonRow;

/// Everything held about one person: the record, memberships, interactions, invitations,
/// consent history, the records merged into it, and who read or changed it.
const EVERYTHING: &str = "SELECT jsonb_build_object(
    'person', (SELECT to_jsonb(p) FROM people p WHERE p.id = $1),
    'memberships', (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'organization', coalesce(o.name_zh, o.name_en), 'organization_external_id', o.external_id,
            'role', m.role, 'since', m.since, 'until', m.until) ORDER BY m.created_at), '[]')
        FROM memberships m JOIN organizations o ON o.id = m.organization_id WHERE m.person_id = $1),
    'interactions', (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'date', i.date, 'kind', i.kind, 'summary', i.summary, 'officer', i.officer, 'follow_up', i.follow_up)
            ORDER BY i.date), '[]')
        FROM interactions i JOIN interaction_people ip ON ip.interaction_id = i.id WHERE ip.person_id = $1),
    'invitations', (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'event', coalesce(e.name_zh, e.name_en), 'starts_on', e.starts_on, 'state', v.state,
            'language', v.language, 'sent_at', v.sent_at, 'answered_at', v.answered_at,
            'checked_in_at', v.checked_in_at, 'party_size', v.party_size, 'dietary', v.dietary) ORDER BY e.starts_on), '[]')
        FROM invitations v JOIN events e ON e.id = v.event_id WHERE v.person_id = $1),
    'consent', (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'status', c.status, 'purposes', c.purposes, 'date', c.date, 'source', c.source,
            'recorded_by', c.recorded_by, 'recorded_at', c.recorded_at) ORDER BY c.recorded_at, c.id), '[]')
        FROM consent_events c WHERE c.person_id = $1),
    'merged_external_ids', (SELECT coalesce(jsonb_agg(a.external_id ORDER BY a.external_id), '[]')
        FROM person_aliases a WHERE a.person_id = $1),
    'merged_records', (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'merged_at', m.merged_at, 'merged_by', m.merged_by, 'undone_at', m.undone_at,
            'record', m.merged_row - 'id' - 'created_at' - 'updated_at') ORDER BY m.merged_at), '[]')
        FROM person_merges m WHERE m.survivor_id = $1 OR m.merged_id = $1),
    'access_log', (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'at', a.at, 'by', a.actor_label, 'action', a.action) ORDER BY a.at, a.id), '[]')
        FROM audit_log a WHERE a.entity_type = 'person' AND a.entity_id = $1),
    'generated_at', now()
) AS v";

/// The copy of everything held about a person; the reading is audited first, so the copy
/// shows it too.
pub async fn everything(conn: &mut AsyncPgConnection, person: Uuid, actor: &Actor, format: &str) -> AppResult<Value> {
    conn.transaction::<_, AppError, _>(async |conn| {
        crate::audit::record(conn, actor, "subject access export", "person", Some(person), json!({ "format": format })).await?;
        let row: JsonRow = diesel::sql_query(EVERYTHING).bind::<SqlUuid, _>(person).get_result(conn).await?;
        if row.v["person"].is_null() {
            return Err(AppError::NotFound("person"));
        }
        Ok(row.v)
    })
    .await
}

/// The same copy as a printable page, section by section.
pub fn html(data: &Value) -> String {
    let mut out = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><style>\
         body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;font-size:10pt;margin:1.5cm}\
         h1{font-size:15pt}h2{font-size:12pt;margin-top:1.2em;border-bottom:1px solid #999}\
         table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:3px 5px;text-align:left;vertical-align:top}\
         th{background:#f2f2f2}</style></head><body>",
    );
    let name = ["name_zh", "name_latin"]
        .iter()
        .filter_map(|k| data["person"][k].as_str())
        .collect::<Vec<_>>()
        .join(" ");
    out.push_str(&format!("<h1>个人信息副本 · Personal data held about {}</h1>", escape(&name)));
    out.push_str(&format!("<p>{}</p>", escape(data["generated_at"].as_str().unwrap_or_default())));
    for (key, title) in [
        ("person", "记录 · Record"),
        ("memberships", "社团 · Memberships"),
        ("interactions", "联络 · Interactions"),
        ("invitations", "邀请 · Invitations"),
        ("consent", "同意 · Consent"),
        ("merged_external_ids", "合并的记录编号 · External ids of merged records"),
        ("merged_records", "合并的记录 · Records merged into this one"),
        ("access_log", "查阅与修改记录 · Who read or changed it"),
    ] {
        out.push_str(&format!("<h2>{title}</h2>"));
        out.push_str(&table(&data[key]));
    }
    out.push_str("</body></html>");
    out
}

fn table(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let rows: String = map
                .iter()
                .filter(|(_, v)| !v.is_null() && v != &&json!([]))
                .map(|(k, v)| format!("<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&cell(v))))
                .collect();
            format!("<table>{rows}</table>")
        }
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let mut columns: Vec<&String> = Vec::new();
            for item in items {
                for k in item.as_object().into_iter().flat_map(Map::keys) {
                    if !columns.contains(&k) {
                        columns.push(k);
                    }
                }
            }
            let head: String = columns.iter().map(|c| format!("<th>{}</th>", escape(c))).collect();
            let body: String = items
                .iter()
                .map(|item| {
                    let cells: String = columns.iter().map(|c| format!("<td>{}</td>", escape(&cell(&item[c.as_str()])))).collect();
                    format!("<tr>{cells}</tr>")
                })
                .collect();
            format!("<table><tr>{head}</tr>{body}</table>")
        }
        Value::Array(items) if items.is_empty() => "<p>—</p>".into(),
        other => format!("<p>{}</p>", escape(&cell(other))),
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Erases a person: the record and everything that is only about them, from the database
/// and (through the outbox) the search index. Interactions shared with other people are kept
/// without them (their summaries are the office's words and may still name the person).
/// What stays is that an erasure happened, when, by whom and why, with counts. A later
/// import of the same list brings the person back: the source lists must be corrected too.
/// Returns the erasure's id and the counts.
pub async fn erase(conn: &mut AsyncPgConnection, person: Uuid, reason: &str, actor: &Actor) -> AppResult<(Uuid, Value)> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "say why (the request received, its date or reference)"));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        // Locked, so that no merge carries the person elsewhere meanwhile.
        crate::schema::people::table
            .find(person)
            .for_update()
            .select(crate::schema::people::id)
            .first::<Uuid>(conn)
            .await
            .optional()?
            .ok_or(AppError::NotFound("person"))?;
        // Queued now, while the memberships still name the organizations; the worker
        // applies it after the commit and finds the person gone.
        enqueue_people_and_organizations(conn, &[person]).await?;
        let count = |sql: &'static str| {
            diesel::sql_query(format!("SELECT to_jsonb(({sql})::bigint) AS v")).bind::<SqlUuid, _>(person)
        };
        let mut counts = Map::new();
        for (name, sql) in [
            ("memberships", "SELECT count(*) FROM memberships WHERE person_id = $1"),
            ("invitations", "SELECT count(*) FROM invitations WHERE person_id = $1"),
            ("consent_events", "SELECT count(*) FROM consent_events WHERE person_id = $1"),
            ("merges", "SELECT count(*) FROM person_merges WHERE survivor_id = $1"),
            (
                "shared_interactions_kept",
                "SELECT count(*) FROM interaction_people ip WHERE ip.person_id = $1 AND EXISTS \
                 (SELECT 1 FROM interaction_people o WHERE o.interaction_id = ip.interaction_id AND o.person_id <> $1)",
            ),
            ("audit_entries", "SELECT count(*) FROM audit_log WHERE entity_type = 'person' AND entity_id = $1"),
        ] {
            let row: JsonRow = count(sql).get_result(conn).await?;
            counts.insert(name.into(), row.v);
        }
        // Interactions about this person alone go with them.
        let own: JsonRow = diesel::sql_query(
            "WITH gone AS (DELETE FROM interactions i WHERE i.id IN \
                 (SELECT ip.interaction_id FROM interaction_people ip WHERE ip.person_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM interaction_people o WHERE o.interaction_id = i.id AND o.person_id <> $1) \
             RETURNING 1) SELECT to_jsonb(count(*)) AS v FROM gone",
        )
        .bind::<SqlUuid, _>(person)
        .get_result(conn)
        .await?;
        counts.insert("interactions".into(), own.v);
        let counts = Value::Object(counts);
        let erasure: Uuid = diesel::insert_into(crate::schema::erasures::table)
            .values((
                crate::schema::erasures::erased_by.eq(&actor.label),
                crate::schema::erasures::reason.eq(reason),
                crate::schema::erasures::counts.eq(&counts),
            ))
            .returning(crate::schema::erasures::id)
            .get_result(conn)
            .await?;
        // The audit trail stays, pointing at the erasure instead of the person, wherever it
        // named them (as the record read, as a guest answering, in the details).
        for sql in [
            "UPDATE audit_log SET entity_type = 'erasure', entity_id = $2 WHERE entity_type = 'person' AND entity_id = $1",
            "UPDATE audit_log SET actor_id = NULL, actor_label = 'guest:' || $2::text WHERE actor_id = $1 OR actor_label = 'guest:' || $1::text",
            "UPDATE audit_log SET detail = replace(detail::text, $1::text, $2::text)::jsonb WHERE detail::text LIKE '%' || $1::text || '%'",
        ] {
            diesel::sql_query(sql).bind::<SqlUuid, _>(person).bind::<SqlUuid, _>(erasure).execute(conn).await?;
        }
        // Merges undone keep the merged-away row for the record; it goes too.
        diesel::sql_query("DELETE FROM person_merges WHERE merged_id = $1")
            .bind::<SqlUuid, _>(person)
            .execute(conn)
            .await?;
        // The rest goes with the record (memberships, invitations, consent, merges, aliases).
        diesel::delete(crate::schema::people::table.find(person)).execute(conn).await?;
        crate::audit::record(conn, actor, "erase", "erasure", Some(erasure), json!({ "counts": counts })).await?;
        Ok((erasure, counts))
    })
    .await
}
