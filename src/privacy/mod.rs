//! Personal data protection: consent per purpose, and the rights of the people we hold data
//! about (a copy of everything, erasure).

pub mod consent;
pub mod subject;
