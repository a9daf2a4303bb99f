//! The demo-data generator: a realistic, deterministic contact graph of Wuyi / Siyi diaspora
//! associations, people and the office's interactions with them, written as JSON Lines in the
//! interchange format (docs/import-format.md).
//!
//! The real associations of `domain/associations.csv` come first, then generated ones, then
//! people (each made and written in turn, so memory stays flat for millions), then
//! interactions. Names follow `domain/NOTES.md`: every Latin name is a real reading of the
//! Chinese name, in the spelling the person's community uses.

mod domain;
mod hometown;
mod interactions;
mod names;
mod orgs;
mod people;
mod records;
mod relisted;
mod world;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use chrono::{Duration, NaiveDate};
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use domain::{Place, RealAssociation, Surname};
use hometown::Hometowns;
use world::{COUNTRIES, Country, UNIVERSITIES, University};

const SURNAMES_CSV: &str = include_str!("../domain/surnames.csv");
const PLACES_CSV: &str = include_str!("../domain/places.csv");
const ASSOCIATIONS_CSV: &str = include_str!("../domain/associations.csv");

/// "Today" for the data, fixed so that the output depends on the seed alone.
const REFERENCE_DAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a valid date");
const LAST_YEAR: i32 = 2026;

/// How much to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSize {
    pub people: usize,
    /// Organizations in all: the real associations and the fixed 27 youth societies and 24
    /// trade offices are always written, the rest are generated up to this number.
    pub organizations: usize,
    pub interactions: usize,
}

impl DemoSize {
    /// 5,000 people, 380 organizations, 500 interactions.
    pub fn standard() -> Self {
        Self::with_people(5_000)
    }

    /// 330 organizations plus one per hundred people (10,330 for a million), and one
    /// interaction per ten people.
    pub fn with_people(people: usize) -> Self {
        DemoSize {
            people,
            organizations: 330 + people / 100,
            interactions: people / 10,
        }
    }
}

/// What was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoCounts {
    pub organizations: usize,
    /// People records, those who came again from another list included.
    pub people: usize,
    /// People written a second time, as another list writes them (`d-` for `p-`).
    pub relisted: usize,
    pub interactions: usize,
}

/// Writes organizations first, then people (memberships nested in the person, as the format
/// says), then interactions. The same seed gives the same bytes.
pub fn write_demo<W: std::io::Write>(out: &mut W, size: &DemoSize, seed: u64) -> std::io::Result<DemoCounts> {
    let tables = Tables::new();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let roster = orgs::write(&mut out, &tables, size.organizations, &mut rng)?;
    let (members, relisted) = people::write(&mut out, &tables, &roster, size.people, &mut rng)?;
    let interactions = interactions::write(&mut out, &roster, &members, size.people, size.interactions, &mut rng)?;
    out.flush()?;
    Ok(DemoCounts {
        organizations: roster.ids.len(),
        people: size.people + relisted,
        relisted,
        interactions,
    })
}

fn write_line<W: Write, T: Serialize>(out: &mut W, record: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")
}

/// A made-up number in the country's format, on the 555 exchange.
fn phone(c: &Country, rng: &mut StdRng) -> String {
    if c.calling == "1" {
        // North America: 555-0100 to 555-0199 are the numbers set aside for fiction.
        format!("+1-555-01{:02}", rng.random_range(0..100))
    } else {
        format!("+{} 555 {:04}", c.calling, rng.random_range(0..10_000))
    }
}

/// A day from the start of `from` to the end of `to`, never after the reference day.
fn random_day(rng: &mut StdRng, from: i32, to: i32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(from, 1, 1).expect("a valid year");
    let last = NaiveDate::from_ymd_opt(to, 12, 31)
        .expect("a valid year")
        .min(REFERENCE_DAY - Duration::days(1));
    first + Duration::days(rng.random_range(0..=(last - first).num_days().max(0)))
}

/// The reference tables, parsed and weighted once per run.
struct Tables {
    surnames: Vec<Surname>,
    surname_weights: WeightedIndex<u32>,
    surname_by_hant: HashMap<String, usize>,
    places: Vec<Place>,
    hometowns: Hometowns,
    real: Vec<RealAssociation>,
    people_countries: WeightedIndex<u32>,
    /// Where generated associations are: where people are, but not in China itself.
    org_countries: WeightedIndex<u32>,
    /// Name styles, by country index.
    styles: Vec<WeightedIndex<u32>>,
    universities: Vec<Vec<&'static University>>,
}

/// How common a surname is among Wuyi families (others get 3, rare compound ones 1).
#[rustfmt::skip]
const SURNAME_WEIGHTS: &[(&str, u32)] = &[
    ("黄", 60), ("陈", 55), ("李", 50), ("梁", 35), ("刘", 25), ("张", 25), ("林", 25), ("谭", 25), ("余", 25), ("伍", 20),
    ("吴", 20), ("关", 18), ("周", 18), ("何", 18), ("谢", 15), ("梅", 15), ("马", 15), ("冯", 15), ("叶", 15), ("郑", 15),
    ("邓", 15), ("杨", 15), ("雷", 12), ("邝", 12), ("赵", 12), ("胡", 12), ("蔡", 12), ("罗", 12), ("麦", 12), ("司徒", 10),
    ("甄", 10), ("朱", 10), ("方", 10), ("许", 10), ("钟", 10), ("温", 10), ("黎", 10), ("卢", 10), ("苏", 10), ("郭", 10),
    ("王", 8), ("区", 8), ("阮", 8), ("唐", 8), ("潘", 8), ("袁", 8), ("廖", 8), ("曾", 8), ("汤", 6), ("劳", 6), ("岑", 6),
    ("容", 6), ("江", 6), ("彭", 6), ("欧阳", 5), ("沈", 5), ("范", 5),
];

impl Tables {
    fn new() -> Tables {
        let surnames = domain::surnames(SURNAMES_CSV);
        let weight = |s: &Surname| match SURNAME_WEIGHTS.iter().find(|(h, _)| *h == s.hans) {
            Some((_, w)) => *w,
            None if s.is_compound() && s.hans != "司马" => 1,
            None => 3,
        };
        let surname_weights = WeightedIndex::new(surnames.iter().map(weight)).expect("surname weights");
        let surname_by_hant = surnames.iter().enumerate().map(|(i, s)| (s.hant.clone(), i)).collect();
        let places = domain::places(PLACES_CSV);
        let hometowns = Hometowns::new(&places);
        let people_countries = WeightedIndex::new(COUNTRIES.iter().map(|c| c.weight)).expect("country weights");
        let org_countries =
            WeightedIndex::new(COUNTRIES.iter().map(|c| if c.code == "CN" { 0 } else { c.weight })).expect("country weights");
        let styles = COUNTRIES
            .iter()
            .map(|c| WeightedIndex::new(c.styles.iter().map(|(_, w)| *w)).expect("style weights"))
            .collect();
        let universities = COUNTRIES
            .iter()
            .map(|c| UNIVERSITIES.iter().filter(|u| u.country == c.code).collect())
            .collect();
        Tables {
            surnames,
            surname_weights,
            surname_by_hant,
            places,
            hometowns,
            real: domain::associations(ASSOCIATIONS_CSV),
            people_countries,
            org_countries,
            styles,
            universities,
        }
    }

    /// The places a text names, in order, each in the form the text first uses: Latin names
    /// as whole words (Toy San, Hoy Ping), Chinese ones as a whole run of characters (新會).
    fn places_named_in<'a>(&self, text: &'a str) -> Vec<(&'a str, &str)> {
        let mut found: Vec<(usize, &'a str, &str)> = Vec::new();
        for p in self.places.iter().filter(|p| p.level != "province") {
            let forms = [&p.hans, &p.hant, &p.pinyin].into_iter().chain(&p.romanizations);
            for form in forms.filter(|f| !f.is_empty()) {
                if let Some(at) = find_whole(text, form) {
                    found.push((at, &text[at..at + form.len()], &p.id));
                }
            }
        }
        found.sort_by_key(|(at, _, _)| *at);
        let mut places: Vec<(&'a str, &str)> = Vec::new();
        for (_, form, id) in found {
            if !places.iter().any(|(_, seen)| *seen == id) {
                places.push((form, id));
            }
        }
        places
    }

    /// The county (index into `hometowns.counties`) a place is in, if any.
    fn county_of(&self, id: &str) -> Option<usize> {
        let mut current = id;
        loop {
            if let Some(i) = self.hometowns.counties.iter().position(|c| c.id == current) {
                return Some(i);
            }
            current = &self.places.iter().find(|p| p.id == current)?.parent;
        }
    }

    /// The surnames a real clan association gathers: the one before 氏 in its name, and
    /// those its row lists in characters (劉關張趙, 雷/方/鄺).
    fn clan_surnames(&self, a: &RealAssociation) -> Vec<usize> {
        let mut found = Vec::new();
        if let Some((before, _)) = a.name_zh.split_once('氏') {
            let chars: Vec<char> = before.chars().collect();
            let two: String = chars.iter().rev().take(2).rev().collect();
            let one: String = chars.last().map(|c| c.to_string()).unwrap_or_default();
            found.extend(self.surname_by_hant.get(&two).or(self.surname_by_hant.get(&one)));
        }
        for run in cjk_runs(&a.wuyi_link) {
            if let Some(all) = self.split_surnames(run) {
                found.extend(all.into_iter().filter(|s| !found.contains(s)).collect::<Vec<_>>());
            }
        }
        found
    }

    /// A run of characters read as surnames only (劉關張趙), or nothing.
    fn split_surnames(&self, run: &str) -> Option<Vec<usize>> {
        let chars: Vec<char> = run.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let (s, len) = match self.surname_by_hant.get(&two) {
                Some(s) if two.chars().count() == 2 => (*s, 2),
                _ => (*self.surname_by_hant.get(&chars[i].to_string())?, 1),
            };
            out.push(s);
            i += len;
        }
        Some(out)
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

fn cjk_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_cjk(c)).filter(|s| !s.is_empty())
}

/// Where `form` occurs in `text` as a whole word (Latin) or a whole run (Chinese).
fn find_whole(text: &str, form: &str) -> Option<usize> {
    let cjk = form.chars().any(is_cjk);
    let boundary = |c: Option<char>| match c {
        None => true,
        Some(c) if cjk => !is_cjk(c),
        Some(c) => !c.is_alphanumeric(),
    };
    text.match_indices(form)
        .map(|(at, _)| at)
        .find(|&at| boundary(text[..at].chars().next_back()) && boundary(text[at + form.len()..].chars().next()))
}
