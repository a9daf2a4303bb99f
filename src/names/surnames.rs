//! The surname table of the domain notes: characters, and every attested romanization.

use std::collections::HashMap;
use std::sync::OnceLock;

use pinyin::ToPinyin;
use serde::Deserialize;

use super::latin::latin_words;

const SURNAMES_CSV: &str = include_str!("../../domain/surnames.csv");

/// Surnames are one or two characters long.
const MAX_SURNAME_CHARS: usize = 2;

/// Compound surnames to recognize even if the table lacks them.
const COMPOUNDS: [&str; 5] = ["司徒", "欧阳", "上官", "司马", "诸葛"];

#[derive(Debug, Default, Deserialize)]
struct Row {
    simplified: String,
    traditional: String,
    pinyin: String,
    cantonese: String,
    taishanese: String,
    other: String,
    other_tagged: String,
}

/// One surname with its search keys.
#[derive(Debug)]
pub(super) struct Surname {
    pub simplified: String,
    /// The Han tokens of the surname (one per character).
    pub han: Vec<String>,
    /// Pinyin as one token (司徒 → situ).
    pub pinyin: String,
    /// The first (Hong Kong-style) Cantonese spelling as one token (司徒 → szeto).
    pub cantonese: Option<String>,
    /// Every attested romanization, joined, and the words of those written as several words.
    pub keys: Vec<String>,
}

pub(super) struct SurnameTable {
    surnames: Vec<Surname>,
    by_han: HashMap<String, usize>,
    /// Surnames per joined spelling, most likely first.
    by_spelling: HashMap<String, Vec<usize>>,
    /// Traditional → simplified for each character of the table, identities included.
    char_folds: Vec<(char, char)>,
}

pub(super) fn table() -> &'static SurnameTable {
    static TABLE: OnceLock<SurnameTable> = OnceLock::new();
    TABLE.get_or_init(|| SurnameTable::parse(SURNAMES_CSV))
}

/// Which surnames (simplified) a spelling may stand for, most likely first (e.g. "wong" -> 黄, 王, 汪; "ng" -> 吴, 伍, 黄; "chin" -> 陈, 钱, 秦, 金).
pub fn surnames_for_spelling(word: &str) -> Vec<String> {
    let joined = latin_words(word).concat();
    table().for_spelling(&joined).map(|s| s.simplified.clone()).collect()
}

impl SurnameTable {
    fn parse(csv_text: &str) -> Self {
        let mut rows: Vec<Row> = csv::Reader::from_reader(csv_text.as_bytes())
            .deserialize()
            .collect::<Result<_, _>>()
            .expect("the embedded surname table parses");
        add_missing_compounds(&mut rows);

        let mut table = SurnameTable {
            surnames: Vec::with_capacity(rows.len()),
            by_han: HashMap::new(),
            by_spelling: HashMap::new(),
            char_folds: Vec::new(),
        };
        let mut ranked: HashMap<String, Vec<(Tier, usize)>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            for (tier, spelling) in row_spellings(row) {
                ranked.entry(spelling).or_default().push((tier, i));
            }
            table.add_char_folds(row);
            table.by_han.insert(row.simplified.clone(), i);
            table.surnames.push(Surname::from_row(row));
        }
        table.by_spelling = ranked.into_iter().map(|(spelling, hits)| (spelling, rank(hits))).collect();
        table
    }

    fn add_char_folds(&mut self, row: &Row) {
        let simplified = row.simplified.chars();
        if row.traditional.chars().count() == simplified.clone().count() {
            self.char_folds.extend(row.traditional.chars().zip(simplified.clone()));
        }
        self.char_folds.extend(simplified.map(|c| (c, c)));
    }

    pub(super) fn char_folds(&self) -> impl Iterator<Item = (char, char)> + '_ {
        self.char_folds.iter().copied()
    }

    /// The longest surname the (simplified) name starts with, and the characters after it.
    pub(super) fn prefix<'a>(&self, chars: &'a [char]) -> Option<(&Surname, &'a [char])> {
        (1..=chars.len().min(MAX_SURNAME_CHARS)).rev().find_map(|len| {
            let han: String = chars[..len].iter().collect();
            let &i = self.by_han.get(&han)?;
            Some((&self.surnames[i], &chars[len..]))
        })
    }

    /// Surnames a joined lowercase spelling may stand for, most likely first.
    pub(super) fn for_spelling(&self, spelling: &str) -> impl Iterator<Item = &Surname> {
        let hits = self.by_spelling.get(spelling).map(Vec::as_slice).unwrap_or_default();
        hits.iter().map(|&i| &self.surnames[i])
    }
}

/// How strongly a column ties a spelling to a surname: the pinyin and the Cantonese and
/// Taishanese columns (the diaspora's own spellings) before the other dialects and countries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Home,
    Elsewhere,
}

/// Surname indexes by tier, then table order (which the notes keep most common first).
fn rank(mut hits: Vec<(Tier, usize)>) -> Vec<usize> {
    hits.sort();
    let mut ranked: Vec<usize> = Vec::with_capacity(hits.len());
    for (_, i) in hits {
        if !ranked.contains(&i) {
            ranked.push(i);
        }
    }
    ranked
}

fn list(column: &str) -> impl Iterator<Item = &str> {
    column.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// The `Spelling=origin` entries of `other_tagged`, spelling only.
fn tagged(column: &str) -> impl Iterator<Item = &str> {
    list(column).map(|entry| entry.split_once('=').map_or(entry, |(spelling, _)| spelling))
}

/// Every spelling of a row as written in the table, with its tier.
fn raw_spellings(row: &Row) -> impl Iterator<Item = (Tier, &str)> {
    let home = list(&row.pinyin).chain(list(&row.cantonese)).chain(list(&row.taishanese));
    let elsewhere = list(&row.other).chain(tagged(&row.other_tagged));
    home.map(|s| (Tier::Home, s)).chain(elsewhere.map(|s| (Tier::Elsewhere, s)))
}

/// Every spelling of a row, folded and joined into one token.
fn row_spellings(row: &Row) -> impl Iterator<Item = (Tier, String)> {
    raw_spellings(row)
        .map(|(tier, s)| (tier, latin_words(s).concat()))
        .filter(|(_, s)| !s.is_empty())
}

impl Surname {
    fn from_row(row: &Row) -> Self {
        let mut keys: Vec<String> = Vec::new();
        for (_, spelling) in raw_spellings(row) {
            let words = latin_words(spelling);
            let joined = words.concat();
            if words.len() > 1 {
                keys.extend(words);
            }
            keys.push(joined);
        }
        keys.retain(|k| !k.is_empty());
        dedup_in_order(&mut keys);
        let first_joined = |column: &str| list(column).next().map(|s| latin_words(s).concat());
        Surname {
            simplified: row.simplified.clone(),
            han: row.simplified.chars().map(String::from).collect(),
            pinyin: first_joined(&row.pinyin).unwrap_or_default(),
            cantonese: first_joined(&row.cantonese),
            keys,
        }
    }
}

fn dedup_in_order(keys: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
}

/// A compound surname the table lacks still splits off, with its pinyin as its only spelling.
fn add_missing_compounds(rows: &mut Vec<Row>) {
    for compound in COMPOUNDS {
        if rows.iter().all(|row| row.simplified != compound) {
            let pinyin = compound.to_pinyin().flatten().map(pinyin::Pinyin::plain).collect();
            rows.push(Row {
                simplified: compound.to_owned(),
                pinyin,
                ..Row::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn han(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn spellings_lead_to_their_surnames_most_likely_first() {
        let wong = surnames_for_spelling("Wong");
        assert_eq!(wong[..3], ["黄", "王", "汪"]);
        let ng = surnames_for_spelling("NG");
        for s in ["吴", "伍", "黄"] {
            assert!(ng.contains(&s.to_owned()), "{ng:?}");
        }
        let chin = surnames_for_spelling("chin");
        assert_eq!(chin[..2], ["陈", "钱"]);
        assert!(chin.contains(&"秦".to_owned()) && chin.contains(&"金".to_owned()), "{chin:?}");
        assert_eq!(surnames_for_spelling("Sze To"), ["司徒"]);
        assert_eq!(surnames_for_spelling("Ch'ng"), ["钟", "庄"]);
        assert!(surnames_for_spelling("Huỳnh").contains(&"黄".to_owned()));
        assert!(surnames_for_spelling("david").is_empty());
    }

    #[test]
    fn keys_hold_joined_spellings_and_their_words() {
        let name = han("司徒美华");
        let (situ, _) = table().prefix(&name).unwrap();
        for key in ["szeto", "sze", "to", "soohoo", "soo", "hoo", "situ", "sitou", "seetoo"] {
            assert!(situ.keys.contains(&key.to_owned()), "{key} in {:?}", situ.keys);
        }
        assert_eq!(situ.cantonese.as_deref(), Some("szeto"));
        assert_eq!(situ.pinyin, "situ");
        let name = han("吕");
        let (lu, _) = table().prefix(&name).unwrap();
        for key in ["lu", "lui", "lyu", "lv"] {
            assert!(lu.keys.contains(&key.to_owned()), "{key} in {:?}", lu.keys);
        }
    }

    #[test]
    fn prefix_takes_the_longest_surname() {
        let name = han("欧阳震华");
        let (s, given) = table().prefix(&name).unwrap();
        assert_eq!((s.simplified.as_str(), given), ("欧阳", &han("震华")[..]));
        let name = han("区志明");
        let (s, given) = table().prefix(&name).unwrap();
        assert_eq!((s.simplified.as_str(), given.len()), ("区", 2));
        assert!(table().prefix(&han("志明")).is_none());
    }

    #[test]
    fn compounds_missing_from_the_table_are_added() {
        let csv = "simplified,traditional,pinyin,cantonese,taishanese,other,source_note,other_tagged,jyutping\n\
                   陈,陳,chen,Chan,,,,,can4\n";
        let table = SurnameTable::parse(csv);
        let name = han("诸葛亮");
        let (s, given) = table.prefix(&name).unwrap();
        assert_eq!((s.simplified.as_str(), s.pinyin.as_str(), given.len()), ("诸葛", "zhuge", 1));
        assert_eq!(table.char_folds().find(|&(t, _)| t == '陳'), Some(('陳', '陈')));
    }
}
