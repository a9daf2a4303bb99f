//! Personal data protection: consent per purpose, and the rights of the people we hold data
//! about (a copy of everything, erasure), and approval of bulk exports.

pub mod consent;
pub mod exports;
pub mod subject;
