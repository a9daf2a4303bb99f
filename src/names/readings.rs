//! Readings of single characters in pinyin and in Cantonese, computed once for every
//! character of the table ranges.

use std::collections::HashMap;
use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use pinyin::ToPinyinMulti;
use serde::Deserialize;

use super::han;
use super::jyutping::hk_spellings;

#[derive(Debug, Default)]
pub(super) struct CharReadings {
    /// Every pinyin reading, toneless ASCII, most common first.
    pub pinyin: Vec<String>,
    /// Hong Kong-style spellings of the most common Cantonese reading, usual first.
    pub cantonese: Vec<String>,
}

/// Readings of a character, if it has any.
pub(super) fn char_readings(c: char) -> Option<&'static CharReadings> {
    table().get(&c)
}

pub(super) fn table() -> &'static HashMap<char, CharReadings> {
    static TABLE: OnceLock<HashMap<char, CharReadings>> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn build() -> HashMap<char, CharReadings> {
    let jyutping = jyutping_readings();
    // rust-canto reads traditional text: a simplified character it lacks is read in its
    // traditional form.
    let traditional = han::opencc_char_map(BuiltinConfig::S2t);
    han::table_chars()
        .filter_map(|c| {
            let cantonese = jyutping
                .get(&c)
                .or_else(|| jyutping.get(traditional.get(&c)?))
                .map(|reading| hk_spellings(reading))
                .unwrap_or_default();
            let readings = CharReadings {
                pinyin: pinyin_readings(c),
                cantonese,
            };
            (!readings.pinyin.is_empty() || !readings.cantonese.is_empty()).then_some((c, readings))
        })
        .collect()
}

fn pinyin_readings(c: char) -> Vec<String> {
    let mut readings: Vec<String> = Vec::new();
    for reading in c.to_pinyin_multi().into_iter().flatten() {
        let ascii: String = reading.plain().chars().map(plain_ascii).collect();
        if !readings.contains(&ascii) {
            readings.push(ascii);
        }
    }
    readings
}

/// ü → u and ê → e: the v and yu spellings of ü are kept for surnames only, as the table
/// lists them.
fn plain_ascii(c: char) -> char {
    match c {
        'ü' => 'u',
        'ê' => 'e',
        _ => c,
    }
}

/// The most common Jyutping reading of each character rust-canto knows. Its one entry point
/// annotates text, so the characters go through it in short space-separated runs (its
/// segmentation grows with the square of the run's length).
fn jyutping_readings() -> HashMap<char, String> {
    let chars: Vec<char> = han::table_chars().collect();
    chars.chunks(16).flat_map(annotate).collect()
}

#[derive(Deserialize)]
struct Token {
    word: String,
    jyutping: Option<String>,
}

fn annotate(chars: &[char]) -> Vec<(char, String)> {
    let text: String = chars.iter().flat_map(|&c| [c, ' ']).collect();
    let tokens: Vec<Token> = serde_json::from_slice(&rust_canto::annotate(text.as_bytes())).unwrap_or_default();
    tokens
        .into_iter()
        .filter_map(|token| {
            let mut word = token.word.chars();
            let (Some(c), None) = (word.next(), word.next()) else {
                return None;
            };
            // A few characters read as two syllables (units like 瓩); none of them is a name.
            token.jyutping.filter(|j| !j.contains(' ')).map(|j| (c, j))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(c: char) -> &'static CharReadings {
        char_readings(c).unwrap_or_else(|| panic!("{c} has readings"))
    }

    #[test]
    fn simplified_characters_read_in_cantonese_through_their_traditional_form() {
        assert_eq!(readings('进').cantonese[0], "chun");
        assert_eq!(readings('汉').cantonese[0], "hon");
        assert_eq!(readings('鑫').cantonese[0], "yam");
        assert_eq!(readings('莹').cantonese[0], "ying");
    }

    #[test]
    fn pinyin_keeps_every_reading_once() {
        assert_eq!(readings('行').pinyin, ["xing", "hang", "heng"]);
        assert_eq!(readings('吕').pinyin, ["lu"]);
        assert_eq!(readings('志').pinyin, ["zhi"]);
    }
}
