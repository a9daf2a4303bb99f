//! A typed query turned into the token space, read as typed, in Cantonese and in pinyin.

use super::chinese::ChineseName;
use super::latin::latin_chunks;
use super::readings::{CharReadings, char_readings};
use super::segment::{Segment, segments};
use super::surnames::Surname;

/// One way to ask the engine: every token must match (the last one may match as a prefix).
pub type QueryTokens = Vec<String>;

/// A typed query turned into the token space. The first variant is the query as typed
/// (Han folded to simplified, Latin folded, each Han character its own token, a hyphenated
/// word joined into one token: Man-Yin -> manyin); when the query has Han characters, a second
/// variant reads them in Cantonese (Hong Kong spelling; the surname by the table's first
/// Cantonese spelling) and a third in pinyin; Latin words of the query are kept in every variant.
pub fn query_variants(q: &str) -> Vec<QueryTokens> {
    let segments = segments(q);
    let has_han = segments.iter().any(|s| matches!(s, Segment::Han(_)));
    let readings: &[Reading] = if has_han {
        &[Reading::Typed, Reading::Cantonese, Reading::Pinyin]
    } else {
        &[Reading::Typed]
    };
    let mut variants: Vec<QueryTokens> = Vec::with_capacity(readings.len());
    for &reading in readings {
        let tokens = read(&segments, reading);
        if !tokens.is_empty() && !variants.contains(&tokens) {
            variants.push(tokens);
        }
    }
    variants
}

#[derive(Clone, Copy)]
enum Reading {
    Typed,
    Cantonese,
    Pinyin,
}

impl Reading {
    fn surname(self, surname: &Surname) -> String {
        match self {
            Reading::Cantonese => surname.cantonese.clone().unwrap_or_else(|| surname.pinyin.clone()),
            _ => surname.pinyin.clone(),
        }
    }

    /// The usual reading of a character; the character itself when it has none.
    fn character(self, c: char) -> String {
        let usual = |r: &'static CharReadings| match self {
            Reading::Cantonese => r.cantonese.first().or(r.pinyin.first()),
            _ => r.pinyin.first(),
        };
        char_readings(c).and_then(usual).cloned().unwrap_or_else(|| c.to_string())
    }
}

fn read(segments: &[Segment], reading: Reading) -> QueryTokens {
    let mut tokens = Vec::new();
    for segment in segments {
        match segment {
            Segment::Latin(text) => tokens.extend(latin_chunks(text).into_iter().map(|parts| parts.concat())),
            Segment::Han(chars) => match reading {
                Reading::Typed => tokens.extend(chars.iter().map(char::to_string)),
                _ => tokens.extend(read_chinese(chars, reading)),
            },
        }
    }
    tokens
}

fn read_chinese(chars: &[char], reading: Reading) -> impl Iterator<Item = String> {
    let name = ChineseName::split(chars);
    let surnames: Vec<String> = name.surnames.iter().map(|s| reading.surname(s)).collect();
    let rest = name.other_surname.into_iter().chain(name.given.iter().copied());
    surnames.into_iter().chain(rest.map(move |c| reading.character(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(list: &[&str]) -> QueryTokens {
        list.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn chinese_query_reads_as_typed_in_cantonese_and_in_pinyin() {
        let variants = query_variants("陳鑫道");
        assert_eq!(variants.len(), 3);
        assert_eq!(variants[0], tokens(&["陈", "鑫", "道"]));
        assert_eq!(variants[1], tokens(&["chan", "yam", "to"]));
        assert_eq!(variants[2], tokens(&["chen", "xin", "dao"]));
    }

    #[test]
    fn latin_query_is_one_variant() {
        assert_eq!(query_variants("Kwan Man-Yin"), [tokens(&["kwan", "manyin"])]);
        assert_eq!(query_variants("LIU, Wai Choi"), [tokens(&["liu", "wai", "choi"])]);
        assert!(query_variants(" , ").is_empty());
    }

    #[test]
    fn compound_and_married_surnames_read_as_one_token_each() {
        assert_eq!(query_variants("司徒美華")[1], tokens(&["szeto", "mei", "wa"]));
        assert_eq!(query_variants("司徒美華")[2], tokens(&["situ", "mei", "hua"]));
        assert_eq!(query_variants("陳方安生")[1], tokens(&["chan", "fong", "on", "sang"]));
    }

    #[test]
    fn latin_words_stay_in_every_variant() {
        let variants = query_variants("David 黃");
        assert_eq!(
            variants,
            [tokens(&["david", "黄"]), tokens(&["david", "wong"]), tokens(&["david", "huang"])]
        );
    }
}
