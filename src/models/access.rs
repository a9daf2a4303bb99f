//! Users, API tokens, the audit log and import runs.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::*;

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: Option<String>,
    pub role: String,
    pub password_hash: Option<String>,
    pub locale: String,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    /// A new account, as `user add` and the admin page create it.
    pub fn new(email: &str, display_name: Option<&str>, role: &str, password_hash: String) -> User {
        User {
            id: Uuid::new_v4(),
            email: email.trim().to_string(),
            display_name: display_name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            role: role.to_string(),
            password_hash: Some(password_hash),
            locale: "zh".into(),
            disabled: false,
            created_at: Utc::now(),
            failed_logins: 0,
            locked_until: None,
            last_login_at: None,
        }
    }

    /// The name to greet the user by.
    pub fn name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.email)
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub token_hash: Vec<u8>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    pub detail: serde_json::Value,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = import_runs, check_for_backend(diesel::pg::Pg))]
pub struct ImportRun {
    pub id: Uuid,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub actor_label: String,
    pub source: String,
    pub strict: bool,
    pub dry_run: bool,
    pub summary: serde_json::Value,
}
