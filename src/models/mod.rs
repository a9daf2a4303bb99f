//! Rows of the contact graph as diesel reads and writes them. One struct per table serves
//! select, insert and update, so a column is added in one place.

mod access;
mod events;
mod graph;

pub use access::{ApiToken, AuditEntry, ImportRun, User};
pub use events::{Event, Invitation};
pub use graph::{Interaction, Membership, Organization, Person, Place};
