//! Search keys of diaspora names, whatever script or spelling they are written in.
//!
//! Every name and every query is turned into one token space that both search engines index:
//! * a Han token is one simplified character (黃 → 黄), folded character by character, with
//!   surname characters folded by the surname table so that 余/范/沈 never become 餘/範/瀋;
//! * a Latin token is a lowercase ASCII word, diacritics and apostrophes removed (Lâm → lam,
//!   O'Young → oyoung).
//!
//! [`name_keys`] computes at write time what a record can be found by: the tokens as written
//! and the keys derived from them (surname spellings from the table of `domain/surnames.csv`,
//! pinyin and Hong Kong-style Cantonese readings of given names, joined and split given
//! names). [`query_variants`] reads a query as typed, and Chinese in Cantonese and in pinyin.
//!
//! The tables (surnames, character folds, character readings, syllables) are built once, on
//! first use.

mod chinese;
mod han;
mod identity;
mod jyutping;
mod keys;
mod latin;
mod query;
mod readings;
mod segment;
mod surnames;
mod syllables;

#[cfg(test)]
mod tests;

pub use han::fold_han;
pub use identity::{NameMatch, PersonName};
pub use keys::{NameKeys, name_keys};
pub use latin::latin_words;
pub use query::{QueryTokens, query_variants};
pub use surnames::surnames_for_spelling;
