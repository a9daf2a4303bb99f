//! Integration tests: the real service on a real PostgreSQL, one fresh database per test.

mod access;
mod api;
mod browser;
mod deploy;
mod events;
mod faults;
mod fuzz_corpus;
mod helpers;
mod import_export;
mod load;
mod matrix;
mod observability;
mod privacy;
mod records;
mod reports;
mod search;
mod web;
