//! Who is asking, and what their role lets them do.

pub mod accounts;
mod extract;
mod roles;
pub mod secrets;

pub use extract::CurrentUser;
pub use roles::{Permission, Role};

use uuid::Uuid;

/// Who did something, as the audit log records it.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<Uuid>,
    /// A label without personal data: the token's name or the user's id.
    pub label: String,
    pub role: Role,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    User,
    Token,
    Cli,
    /// A guest answering an invitation through its link.
    Guest,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::User => "user",
            ActorKind::Token => "token",
            ActorKind::Cli => "cli",
            ActorKind::Guest => "guest",
        }
    }
}

impl Actor {
    /// The operator at the command line, who has the machine and so every right.
    pub fn cli() -> Actor {
        let who = std::env::var("USER").unwrap_or_else(|_| "operator".into());
        Actor {
            kind: ActorKind::Cli,
            id: None,
            label: format!("cli:{who}"),
            role: Role::Admin,
            ip: None,
            request_id: None,
        }
    }

    pub fn require(&self, permission: Permission) -> Result<(), crate::AppError> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden {
                role: self.role.as_str(),
                action: permission.describe(),
            })
        }
    }
}
