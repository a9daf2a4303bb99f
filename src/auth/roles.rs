//! The roles and the permission matrix. `docs/permissions.md` shows the same matrix and a
//! test keeps the two in step.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Officer,
    EventStaff,
    Viewer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Organizations, and people's names, country, city, organizations.
    ReadDirectory,
    /// People's full records: hometown, status, occupation, talents, memberships.
    ReadPeople,
    /// Contact channels, notes and consent.
    ReadContactDetails,
    ReadInteractions,
    /// Create, change and delete organizations, people, memberships, interactions.
    WriteContacts,
    Import,
    Export,
    ReadAudit,
    ManageAccess,
    /// Create events, build guest lists, send invitations, record answers.
    ManageEvents,
    /// Check guests in at the door, and add walk-ins.
    CheckIn,
    /// Answer a person's requests about their data: a copy of everything, erasure.
    DataRights,
    /// Approve bulk exports of personal data (and export it without asking).
    ApproveExports,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Officer, Role::EventStaff, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::EventStaff => "event_staff",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }

    /// The permission matrix.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Officer => !matches!(permission, ReadAudit | ManageAccess | DataRights | ApproveExports),
            // Event staff see who a guest is and which organizations they belong to, and
            // no more: no contact details, no interactions, no writes or exports here.
            Role::EventStaff => matches!(permission, ReadDirectory | CheckIn),
            // Viewers read, but never see contact details, write or export.
            Role::Viewer => matches!(permission, ReadDirectory | ReadPeople | ReadInteractions),
        }
    }
}

impl Permission {
    pub const ALL: [Permission; 13] = [
        Permission::ReadDirectory,
        Permission::ReadPeople,
        Permission::ReadContactDetails,
        Permission::ReadInteractions,
        Permission::WriteContacts,
        Permission::Import,
        Permission::Export,
        Permission::ReadAudit,
        Permission::ManageAccess,
        Permission::ManageEvents,
        Permission::CheckIn,
        Permission::DataRights,
        Permission::ApproveExports,
    ];

    /// What the permission lets one do, as the refusal message says it.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::ReadDirectory => "read the directory of organizations and people",
            Permission::ReadPeople => "read people's full records",
            Permission::ReadContactDetails => "see contact details",
            Permission::ReadInteractions => "read interactions",
            Permission::WriteContacts => "change contact records",
            Permission::Import => "import files",
            Permission::Export => "export data",
            Permission::ReadAudit => "read the audit log",
            Permission::ManageAccess => "manage users and API tokens",
            Permission::ManageEvents => "manage events and their guest lists",
            Permission::CheckIn => "check guests in at events",
            Permission::DataRights => "answer data-subject requests (copy, erasure)",
            Permission::ApproveExports => "approve bulk exports of personal data",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/permissions.md must show exactly the matrix the code enforces.
    #[test]
    fn documented_matrix_matches_the_code() {
        let doc = include_str!("../../docs/permissions.md");
        for p in Permission::ALL {
            let line = doc
                .lines()
                .find(|l| l.starts_with(&format!("| {} |", p.describe())))
                .unwrap_or_else(|| panic!("docs/permissions.md has no row for '{}'", p.describe()));
            let cells: Vec<&str> = line.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
            for (i, role) in Role::ALL.into_iter().enumerate() {
                let documented = cells[i + 1] == "yes";
                assert_eq!(documented, role.allows(p), "{} / {}", p.describe(), role.as_str());
            }
        }
    }

    #[test]
    fn viewer_never_writes_or_exports() {
        for p in [
            Permission::WriteContacts,
            Permission::Import,
            Permission::Export,
            Permission::ReadContactDetails,
        ] {
            assert!(!Role::Viewer.allows(p));
        }
    }
}
