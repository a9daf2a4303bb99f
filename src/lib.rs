//! qiaolink: an outreach CRM for the offices that keep a home region in touch with its
//! people abroad.
//!
//! Map of the crate:
//! * [`config`]: settings from the environment.
//! * [`db`]: the PostgreSQL pool, migrations and reference data.
//! * [`schema`], [`models`]: the tables and their rows.
//! * [`records`]: the interchange format (validation shared by API and import).
//! * [`places`]: resolving any written form of a hometown to the place hierarchy.
//! * [`store`]: writes of the contact graph; every write adds its audit and outbox rows.
//! * [`auth`]: roles, permissions, tokens, passwords and the `CurrentUser` extractor.
//! * [`audit`]: the audit log.
//! * [`events`]: events, guest lists, invitations, their mail and check-in.
//! * [`import`], [`export`]: reading and writing JSON Lines, CSV and XLSX; [`pdf`]: printing HTML to PDF.
//! * [`api`]: JSON handlers; [`web`]: the officers' pages; [`router`] holds the one route table.
//! * [`names`]: search keys of names in every script and spelling; [`duplicates`]: finding,
//!   merging and unmerging duplicate people.
//! * [`privacy`]: consent, a person's copy of their data, erasure.
//! * [`search`]: the search index (Meilisearch or embedded) and its sync worker.
//! * [`reports`]: liaison reports per country, their charts and files.
//! * [`relevance`]: scoring search on a query set.
//! * [`server`], [`limits`], [`metrics`], [`logging`]: serving HTTP with time and size limits,
//!   Prometheus metrics, JSON logs without personal data.
//! * [`demo`]: the demo-data generator; [`bench`]: load benchmarks.

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod duplicates;
pub mod error;
pub mod events;
pub mod export;
pub mod import;
pub mod limits;
pub mod logging;
pub mod metrics;
pub mod models;
pub mod names;
pub mod pdf;
pub mod places;
pub mod privacy;
pub mod records;
pub mod relevance;
pub mod reports;
pub mod router;
pub mod schema;
pub mod search;
pub mod server;
pub mod store;
pub mod web;

pub use app::App;
pub use error::AppError;
