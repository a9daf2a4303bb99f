//! The audit log: who read, exported or changed what, when and from where.

use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::Actor;
use crate::models::AuditEntry;
use crate::schema::audit_log;

/// Writes one audit row on `conn`; inside a transaction it commits or rolls back with it.
/// `detail` must hold ids, counts and field names only, never personal data.
pub async fn record(
    conn: &mut AsyncPgConnection,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: Option<Uuid>,
    detail: Value,
) -> diesel::QueryResult<()> {
    let entry = AuditEntry {
        actor_kind: actor.kind.as_str().to_string(),
        actor_id: actor.id,
        actor_label: actor.label.clone(),
        action: action.to_string(),
        entity_type: entity_type.to_string(),
        entity_id,
        detail,
        ip: actor.ip.clone(),
        request_id: actor.request_id.clone(),
    };
    diesel::insert_into(audit_log::table).values(&entry).execute(conn).await?;
    Ok(())
}
