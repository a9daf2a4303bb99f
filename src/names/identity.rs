//! A person's names reduced to what tells whether two records name the same person:
//! Chinese names folded to one script, and Latin names read as a surname (the characters it
//! may stand for) and a given name (its syllables joined), whatever the order, hyphenation,
//! romanization system or English first name around them.

use std::collections::BTreeSet;

use super::chinese::ChineseName;
use super::latin::latin_chunks;
use super::readings::char_readings;
use super::segment::{Segment, segments};
use super::surnames;
use super::syllables;

/// Readings of a Chinese given name kept per name (pinyin and Cantonese, joined).
const MAX_GIVEN_SPELLINGS: usize = 32;

/// A given name is read from this many characters at most: a longer run of Han characters is
/// no person's given name, and joining readings of it would take time growing with the square
/// of its length.
const MAX_GIVEN_CHARS: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct PersonName {
    pub han: Vec<HanName>,
    pub latin: Vec<LatinName>,
}

/// A Chinese name in simplified script.
#[derive(Clone, Debug)]
pub struct HanName {
    pub text: String,
    /// The surname (simplified), or the first character when the table lacks it.
    pub surname: String,
    /// The given name read in pinyin and in Cantonese, syllables joined (志明 → zhiming, chiming).
    pub given_spellings: BTreeSet<String>,
}

/// A Latin name read as a Chinese name.
#[derive(Clone, Debug, Default)]
pub struct LatinName {
    /// Ways to read it: the surname's characters and the given name's syllables joined,
    /// with the surname taken first and taken last ("Wong Chi-ming", "Chi Ming Wong").
    pub readings: Vec<Reading>,
    /// Words that are no Chinese syllable: English first names, Spanish names.
    pub other_words: BTreeSet<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub surnames: BTreeSet<String>,
    pub given: String,
    /// False when the given name is read from a word that only splits into syllables
    /// and may be an English name ("Ivan Wong"): it then matches but never conflicts.
    pub certain: bool,
}

/// How the names of two records compare.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NameMatch {
    /// The same Chinese name (in either script).
    pub same_han: bool,
    /// The same Latin name: surname and Chinese given name, in any order or spelling system.
    pub same_latin: bool,
    /// A Latin name of one is a reading of the Chinese name of the other.
    pub across_scripts: bool,
    /// Surname and English or Spanish names alike, with no Chinese given name to compare.
    pub same_other_words: bool,
    /// Surname and at least two English or Spanish names the same, nothing else told
    /// apart (José Wong García = GARCÍA, José Wong).
    pub same_full_name: bool,
    /// Only a surname in common.
    pub same_surname: bool,
    /// Another Chinese name, another given name or another English or Spanish name.
    pub conflict: bool,
}

impl PersonName {
    pub fn new(names: &[&str]) -> Self {
        let mut person = PersonName::default();
        for name in names {
            for segment in segments(name) {
                match segment {
                    Segment::Han(chars) => person.han.push(HanName::new(&chars)),
                    Segment::Latin(text) => {
                        let latin = LatinName::new(text);
                        if !latin.readings.is_empty() || !latin.other_words.is_empty() {
                            person.latin.push(latin);
                        }
                    }
                }
            }
        }
        person
    }

    /// Keys for blocking: records sharing none are never compared by name.
    pub fn keys(&self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for h in &self.han {
            keys.insert(format!("z:{}", h.text));
            for given in &h.given_spellings {
                keys.insert(format!("n:{}:{given}", h.surname));
            }
        }
        // A surname alone blocks nothing (it would gather half a country); an English or
        // Spanish name with it does ("David Wong").
        for l in &self.latin {
            let other: Vec<&str> = l.other_words.iter().map(String::as_str).collect();
            for r in &l.readings {
                for s in &r.surnames {
                    if !r.given.is_empty() {
                        keys.insert(format!("n:{s}:{}", r.given));
                    } else if !other.is_empty() {
                        keys.insert(format!("o:{s}:{}", other.join(" ")));
                    }
                }
            }
        }
        keys
    }

    fn surnames(&self) -> BTreeSet<&str> {
        let han = self.han.iter().map(|h| h.surname.as_str());
        let latin = self
            .latin
            .iter()
            .flat_map(|l| l.readings.iter().flat_map(|r| r.surnames.iter().map(String::as_str)));
        han.chain(latin).collect()
    }

    pub fn compare(&self, other: &PersonName) -> NameMatch {
        let mut m = NameMatch::default();
        if !self.han.is_empty() && !other.han.is_empty() {
            m.same_han = self.han.iter().any(|a| other.han.iter().any(|b| a.text == b.text));
            m.conflict |= !m.same_han;
        }
        let explains = |han: &[HanName], latin: &[LatinName]| {
            latin.iter().any(|l| han.iter().any(|h| h.is_read_as(l)))
        };
        m.across_scripts = explains(&self.han, &other.latin) || explains(&other.han, &self.latin);
        for a in &self.latin {
            for b in &other.latin {
                if a.same_as(b) {
                    m.same_latin = true;
                }
            }
        }
        // Two Latin given names that differ, neither a reading of a Chinese name either
        // record has: another given name, unless one is pinyin and the other Cantonese of
        // one Chinese name.
        let given_a = self.latin.iter().any(LatinName::has_given);
        let given_b = other.latin.iter().any(LatinName::has_given);
        if !m.same_latin && given_a && given_b {
            let all_han: Vec<HanName> = self.han.iter().chain(&other.han).cloned().collect();
            let reconciled = !all_han.is_empty()
                && [self, other]
                    .iter()
                    .all(|p| p.latin.iter().filter(|l| l.has_given()).any(|l| all_han.iter().any(|h| h.is_read_as(l))));
            m.conflict |= !reconciled;
        }
        // A Chinese name on one side and a Latin given name on the other that is no reading of it.
        let lone = |han: &[HanName], latin: &[LatinName]| {
            !han.is_empty() && latin.iter().any(LatinName::has_given) && !explains(han, latin)
        };
        if !m.same_han && !m.same_latin {
            m.conflict |= (lone(&self.han, &other.latin) && other.han.is_empty())
                || (lone(&other.han, &self.latin) && self.han.is_empty());
        }
        let shared_surname = !self.surnames().is_disjoint(&other.surnames());
        m.same_surname = shared_surname;
        // A word that romanizes a Chinese given name of either record ("LI Huie", 李蕙娥)
        // is no English name to tell them apart.
        let given: BTreeSet<&String> = self.han.iter().chain(&other.han).flat_map(|h| &h.given_spellings).collect();
        let english = |words: &BTreeSet<String>| -> BTreeSet<String> {
            words.iter().filter(|w| !given.contains(w)).cloned().collect()
        };
        for a in &self.latin {
            for b in &other.latin {
                let (x, y) = (&english(&a.other_words), &english(&b.other_words));
                if x.is_empty() || y.is_empty() {
                    continue;
                }
                if x.is_subset(y) || y.is_subset(x) {
                    m.same_other_words |= shared_surname;
                    m.same_full_name |= shared_surname && x == y && x.len() >= 2;
                } else {
                    m.conflict = true;
                }
            }
        }
        m
    }
}

/// Ways to read Chinese words as surname and given name: the surname first (one word, or
/// two joined for 司徒 "Sze To"), or last.
fn readings(chinese: &[(String, bool)]) -> Vec<Reading> {
    let n = chinese.len();
    let mut readings: Vec<Reading> = Vec::new();
    for (surname, given) in [
        (0..1, 1..n),
        (0..2.min(n), 2.min(n)..n),
        (n.saturating_sub(1)..n, 0..n.saturating_sub(1)),
        (n.saturating_sub(2)..n, 0..n.saturating_sub(2)),
    ] {
        if surname.is_empty() || surname.end > n {
            continue;
        }
        let spelling: String = chinese[surname].iter().map(|(w, _)| w.as_str()).collect();
        let surnames: BTreeSet<String> = surnames::table()
            .for_spelling(&spelling)
            .map(|s| s.simplified.clone())
            .collect();
        if surnames.is_empty() {
            continue;
        }
        let given = &chinese[given];
        let reading = Reading {
            surnames,
            given: given.iter().map(|(w, _)| w.as_str()).collect(),
            certain: !given.iter().any(|(_, loose)| *loose),
        };
        if !readings.contains(&reading) {
            readings.push(reading);
        }
    }
    readings
}

impl HanName {
    fn new(chars: &[char]) -> Self {
        let name = ChineseName::split(chars);
        let surname = match name.surnames.last() {
            Some(s) => s.simplified.clone(),
            None => name.other_surname.map(String::from).unwrap_or_default(),
        };
        HanName {
            text: chars.iter().collect(),
            surname,
            given_spellings: given_spellings(name.given),
        }
    }

    /// Whether a Latin name is this name romanized (any system the readings know).
    fn is_read_as(&self, latin: &LatinName) -> bool {
        latin
            .readings
            .iter()
            .any(|r| !r.given.is_empty() && r.surnames.contains(&self.surname) && self.given_spellings.contains(&r.given))
    }
}

fn given_spellings(given: &[char]) -> BTreeSet<String> {
    if given.len() > MAX_GIVEN_CHARS {
        return BTreeSet::new();
    }
    let mut joined = vec![String::new()];
    for &c in given {
        let Some(readings) = char_readings(c) else {
            return BTreeSet::new();
        };
        let spellings: BTreeSet<&String> = readings.pinyin.iter().chain(&readings.cantonese).collect();
        joined = joined
            .iter()
            .flat_map(|head| spellings.iter().map(move |s| format!("{head}{s}")))
            .take(MAX_GIVEN_SPELLINGS)
            .collect();
    }
    joined.into_iter().filter(|s| !s.is_empty()).collect()
}

impl LatinName {
    fn new(text: &str) -> Self {
        // Chinese words, each marked when it is Chinese only because it splits into
        // syllables ("Chiming", but also "Linda", "Helen").
        let mut chinese: Vec<(String, bool)> = Vec::new();
        let mut other_words = BTreeSet::new();
        let chunks = latin_chunks(text);
        let is_surname = |word: &str| surnames::table().for_spelling(word).next().is_some();
        for (i, parts) in chunks.iter().enumerate() {
            let word = parts.concat();
            let whole_syllables = parts.iter().all(|p| syllables::is_syllable(p)) || is_surname(&word);
            // "Peter" splits into syllables too; ahead of a surname in a name of three or
            // more words it is an English first name ("Peter Wong Chi Ming").
            let first_name = i == 0
                && !whole_syllables
                && chunks.len() >= 3
                && is_surname(&chunks[1].concat());
            if whole_syllables {
                chinese.push((word, false));
            } else if !first_name && !syllables::split(&word).is_empty() {
                chinese.push((word, true));
            } else {
                other_words.insert(word);
            }
        }
        let mut readings = readings(&chinese);
        // "Linda Huipei Chen": the first word may be an English name after all.
        if chinese.len() >= 3 && chinese[0].1 {
            for r in self::readings(&chinese[1..]) {
                if !readings.contains(&r) {
                    readings.push(r);
                }
            }
        }
        LatinName { readings, other_words }
    }

    /// Whether a given name certainly Chinese is written: enough to tell two people apart.
    fn has_given(&self) -> bool {
        self.readings.iter().any(|r| !r.given.is_empty() && r.certain)
    }

    /// The same surname and the same Chinese given name, in any order, hyphenation or
    /// surname spelling (Hom Chun Hon = Tam Chun-hon).
    fn same_as(&self, other: &LatinName) -> bool {
        self.readings.iter().any(|a| {
            !a.given.is_empty()
                && other
                    .readings
                    .iter()
                    .any(|b| a.given == b.given && !a.surnames.is_disjoint(&b.surnames))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compare(a: &[&str], b: &[&str]) -> NameMatch {
        PersonName::new(a).compare(&PersonName::new(b))
    }

    #[test]
    fn one_chinese_name_in_either_script() {
        let m = compare(&["黃志明"], &["黄 志明"]);
        assert!(m.same_han && !m.conflict);
        assert!(compare(&["黃志明"], &["王志明"]).conflict);
    }

    #[test]
    fn latin_names_in_any_order_hyphenation_or_surname_spelling() {
        for other in ["WONG, Chi-ming", "Chi Ming Wong", "David Wong Chiming"] {
            let m = compare(&["Wong Chi Ming"], &[other]);
            assert!(m.same_latin && !m.conflict, "{other}: {m:?}");
        }
        let m = compare(&["Hom Chun Hon"], &["Tam Chun-hon"]);
        assert!(m.same_latin && !m.conflict, "{m:?}");
        assert!(compare(&["Wong Chi Ming"], &["Wong Chi Wai"]).conflict);
    }

    #[test]
    fn a_romanization_reads_the_chinese_name() {
        for latin in ["Wong Chi Ming", "Huang Zhiming"] {
            let m = compare(&["黃志明"], &[latin]);
            assert!(m.across_scripts && !m.conflict, "{latin}: {m:?}");
        }
        assert!(compare(&["黃志明"], &["Wong Chi Wai"]).conflict);
        // pinyin on one record, Cantonese on the other, reconciled by the Chinese name
        let m = compare(&["黃志明", "Huang Zhiming"], &["Wong Chi Ming"]);
        assert!(m.across_scripts && !m.conflict, "{m:?}");
    }

    #[test]
    fn english_and_spanish_names_alone_do_not_make_a_name_match() {
        let m = compare(&["David Wong"], &["David Wong"]);
        assert!(!m.same_latin && m.same_other_words && !m.conflict, "{m:?}");
        assert!(compare(&["José Wong García"], &["José Wong Pérez"]).conflict);
        assert!(!compare(&["José Wong García"], &["Wong, José"]).conflict);
        assert!(compare(&["Peter Wong Chi Ming"], &["David Wong Chi Ming"]).conflict);
    }

    #[test]
    fn a_run_of_han_too_long_for_a_name_is_read_at_once() {
        // Found by the names fuzz target fed long inputs: 20,000 characters took seconds.
        let long: String = "黃".chars().chain(('一'..='龥').step_by(2).take(20_000)).collect();
        let name = PersonName::new(&[&long]);
        assert!(name.han[0].given_spellings.is_empty());
        assert_eq!(name.keys().len(), 1);
        let given = HanName::new(&['黄', '志', '明', '志', '明', '志', '明', '志', '明']);
        assert!(!given.given_spellings.is_empty());
    }

    #[test]
    fn an_english_name_that_splits_into_syllables_does_not_conflict() {
        assert!(!compare(&["Ivan Wong"], &["Ivan WONG Cheuk Kai"]).conflict);
        assert!(!compare(&["李蕙娥", "LI Huie"], &["Stella Li"]).conflict);
        let m = compare(&["Linda Huipei Chen"], &["Chen Huipei"]);
        assert!(m.same_latin && !m.conflict, "{m:?}");
        let m = compare(&["Helen Wailam Kwong"], &["KWONG, Wai-Lam"]);
        assert!(m.same_latin && !m.conflict, "{m:?}");
    }
}
