//! Search keys of the names of one record, computed once at write time.

use std::collections::HashSet;

use super::chinese::ChineseName;
use super::latin::latin_chunks;
use super::readings::char_readings;
use super::segment::{Segment, segments};
use super::surnames::{self, Surname};
use super::syllables;

/// Search keys of the names of one person or organization, computed once at write time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameKeys {
    /// The names as written, tokenized: Han tokens of Chinese names (each character of 黃志明 -> 黄 志 明),
    /// Latin words of Latin names (lowercased, folded), hyphenated words also joined (Chi-ming -> chi, ming, chiming).
    pub written: Vec<String>,
    /// Keys derived from the written names: readings and spellings (surname romanizations and
    /// characters, given-name readings in pinyin and Cantonese, given names joined and split).
    /// No token of `written` is repeated here.
    pub derived: Vec<String>,
}

/// A joined given name is formed from this many characters at most (longer runs are
/// organization names, not given names).
const MAX_JOINED_CHARS: usize = 3;

/// Joined Cantonese given names combine this many usual spellings of each character…
const JOINED_SPELLINGS_PER_CHAR: usize = 2;

/// …and are kept up to this many per name.
const MAX_JOINED_SPELLINGS: usize = 4;

/// Every name of one record: Chinese, Latin, aliases.
pub fn name_keys(names: &[&str]) -> NameKeys {
    let mut keys = NameKeys::default();
    for name in names {
        for segment in segments(name) {
            match segment {
                Segment::Han(chars) => add_chinese(&mut keys, &chars),
                Segment::Latin(text) => add_latin(&mut keys, text),
            }
        }
    }
    keys.finish()
}

impl NameKeys {
    /// Drops repeats: within `written` keeping the order, within `derived` sorting it. In time
    /// linear in the number of keys: a name can be as long as the text it was given.
    fn finish(mut self) -> Self {
        let mut seen: HashSet<String> = HashSet::with_capacity(self.written.len());
        let written: Vec<String> = self.written.into_iter().filter(|token| seen.insert(token.clone())).collect();
        self.derived.sort_unstable();
        self.derived.dedup();
        self.derived.retain(|key| !seen.contains(key));
        NameKeys {
            written,
            derived: self.derived,
        }
    }
}

fn add_chinese(keys: &mut NameKeys, chars: &[char]) {
    keys.written.extend(chars.iter().map(char::to_string));
    let name = ChineseName::split(chars);
    for surname in &name.surnames {
        keys.derived.extend(surname.keys.iter().cloned());
    }
    for c in name.other_surname.iter().chain(name.given) {
        if let Some(readings) = char_readings(*c) {
            keys.derived.extend(readings.pinyin.iter().chain(&readings.cantonese).cloned());
        }
    }
    add_joined_given(keys, name.given);
}

/// The given name joined in pinyin (first reading of each character) and in Cantonese (志明 →
/// zhiming, chiming).
fn add_joined_given(keys: &mut NameKeys, given: &[char]) {
    if !(2..=MAX_JOINED_CHARS).contains(&given.len()) {
        return;
    }
    let Some(readings) = given.iter().map(|&c| char_readings(c)).collect::<Option<Vec<_>>>() else {
        return;
    };
    if let Some(pinyin) = readings.iter().map(|r| r.pinyin.first()).collect::<Option<Vec<_>>>() {
        keys.derived.push(pinyin.into_iter().map(String::as_str).collect());
    }
    let mut joined = vec![String::new()];
    for r in &readings {
        if r.cantonese.is_empty() {
            return;
        }
        joined = joined
            .iter()
            .flat_map(|head| {
                r.cantonese
                    .iter()
                    .take(JOINED_SPELLINGS_PER_CHAR)
                    .map(move |s| format!("{head}{s}"))
            })
            .take(MAX_JOINED_SPELLINGS)
            .collect();
    }
    keys.derived.extend(joined);
}

fn add_latin(keys: &mut NameKeys, text: &str) {
    let chunks = latin_chunks(text);
    let words: Vec<String> = chunks.iter().map(|parts| parts.concat()).collect();
    for (parts, word) in chunks.iter().zip(&words) {
        keys.written.extend(parts.iter().cloned());
        if parts.len() > 1 {
            keys.written.push(word.clone());
        }
        // The parts of a hyphenated word are a given name, not surnames.
        add_surnames_spelled(keys, surname_spelling(word));
        keys.derived.extend(syllables::split(word).into_iter().map(str::to_owned));
    }
    for pair in words.windows(2) {
        let joined = pair.concat();
        let compound = surnames::table().for_spelling(&joined).any(|s| s.han.len() > 1);
        if compound {
            add_surnames_spelled(keys, &joined);
        }
        if compound || pair.iter().all(|w| syllables::is_syllable(w)) {
            keys.derived.push(joined);
        }
    }
}

/// The surname spelling in a word: the word itself, or what follows the Thai "sae" prefix
/// (Saetang, Sae-Tang → tang).
fn surname_spelling(word: &str) -> &str {
    match word.strip_prefix("sae") {
        Some(rest) if rest.len() > 1 && surnames::table().for_spelling(rest).next().is_some() => rest,
        _ => word,
    }
}

/// All romanizations and the Han tokens of every surname a spelling may stand for.
fn add_surnames_spelled(keys: &mut NameKeys, spelling: &str) {
    for surname in surnames::table().for_spelling(spelling) {
        let Surname {
            keys: romanizations, han, ..
        } = surname;
        keys.derived.extend(romanizations.iter().chain(han).cloned());
    }
}
