use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde_json::Value;

use super::names::{GIVEN, ascii_fold};
use super::world::SPANISH_SURNAMES;
use super::*;

// The lists of docs/import-format.md, written out here so that the generator is checked
// against the format rather than against itself.
#[rustfmt::skip]
const ORG_KINDS: &[&str] = &[
    "hometown_association", "clan_association", "benevolent_association", "youth_society", "student_association",
    "chamber_of_commerce", "trade_office", "professional_society", "media", "other",
];
#[rustfmt::skip]
const STATUSES: &[&str] = &[
    "overseas_chinese", "foreign_citizen_of_chinese_origin", "returned_overseas_chinese", "relative_of_overseas_chinese",
    "hk_macao_compatriot", "student_abroad", "foreign_expert", "other",
];
const GENDERS: &[&str] = &["female", "male", "other"];
const CONSENT_STATUSES: &[&str] = &["granted", "withdrawn", "unknown"];
#[rustfmt::skip]
const ROLES: &[&str] = &["president", "vice_president", "secretary_general", "treasurer", "director", "member", "honorary", "liaison"];
const INTERACTION_KINDS: &[&str] = &["visit", "meeting", "call", "email", "wechat", "letter", "event", "other"];
#[rustfmt::skip]
const ORG_FIELDS: &[&str] = &[
    "type", "external_id", "name_zh", "name_en", "other_names", "kind", "country", "city", "founded_year", "hometowns", "parent",
    "website", "email", "phone", "tags", "notes",
];
#[rustfmt::skip]
const PERSON_FIELDS: &[&str] = &[
    "type", "external_id", "name_zh", "name_latin", "other_names", "gender", "birth_year", "country", "city", "hometown", "status",
    "languages", "occupation", "employer", "talent_fields", "high_level_talent", "email", "phone", "wechat", "whatsapp", "consent",
    "memberships", "tags", "notes",
];
#[rustfmt::skip]
const INTERACTION_FIELDS: &[&str] =
    &["type", "external_id", "date", "kind", "summary", "people", "organizations", "officer", "follow_up"];

const SEED: u64 = 2026;

fn generate(size: &DemoSize, seed: u64) -> (String, DemoCounts) {
    let mut out = Vec::new();
    let counts = write_demo(&mut out, size, seed).expect("writing to memory");
    (String::from_utf8(out).expect("UTF-8"), counts)
}

/// The standard set, made once for all tests.
fn standard() -> &'static (String, DemoCounts) {
    static OUT: OnceLock<(String, DemoCounts)> = OnceLock::new();
    OUT.get_or_init(|| generate(&DemoSize::standard(), SEED))
}

fn records(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn of_type<'a>(all: &'a [Value], t: &str) -> Vec<&'a Value> {
    all.iter().filter(|r| r["type"] == t).collect()
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[test]
fn standard_size_has_the_promised_mix() {
    let (text, counts) = standard();
    let all = records(text);
    let orgs = of_type(&all, "organization");
    let kind_count = |k: &str| orgs.iter().filter(|o| o["kind"] == k).count();
    let traditional = kind_count("hometown_association") + kind_count("clan_association") + kind_count("benevolent_association");
    assert!(traditional >= 200, "{traditional} hometown, clan and benevolent associations");
    assert_eq!(kind_count("youth_society"), 27);
    assert_eq!(kind_count("trade_office"), 24);
    for k in ["chamber_of_commerce", "student_association", "professional_society", "media"] {
        assert!(kind_count(k) > 0, "no {k}");
    }
    let people = of_type(&all, "person");
    let relisted: Vec<_> = people.iter().filter(|p| str_of(p, "external_id").is_some_and(|e| e.starts_with("d-"))).collect();
    assert_eq!(people.len() - relisted.len(), 5_000);
    assert!((40..=120).contains(&relisted.len()), "{} people again from another list", relisted.len());
    for again in &relisted {
        let original = str_of(again, "external_id").unwrap().replacen("d-", "p-", 1);
        let first = people.iter().find(|p| str_of(p, "external_id") == Some(original.as_str())).expect("the original");
        assert_eq!(first["country"], again["country"]);
    }
    let countries: HashSet<&str> = people.iter().filter_map(|p| str_of(p, "country")).collect();
    assert!((85..=100).contains(&countries.len()), "{} countries", countries.len());
    let interactions = of_type(&all, "interaction");
    assert!(interactions.len() >= 300, "{} interactions", interactions.len());
    assert_eq!(
        *counts,
        DemoCounts {
            organizations: orgs.len(),
            people: people.len(),
            relisted: relisted.len(),
            interactions: interactions.len()
        }
    );
    let members = people.iter().filter(|p| p.get("memberships").is_some()).count();
    assert!((1_500..=2_200).contains(&members), "{members} people with memberships");
}

#[test]
fn youth_societies_and_trade_offices_stay_fixed_as_organizations_grow() {
    let size = DemoSize {
        people: 50,
        organizations: 3_000,
        interactions: 5,
    };
    let (text, counts) = generate(&size, 1);
    let all = records(&text);
    let orgs = of_type(&all, "organization");
    assert_eq!(orgs.len(), 3_000);
    assert_eq!(counts.organizations, 3_000);
    assert_eq!(orgs.iter().filter(|o| o["kind"] == "youth_society").count(), 27);
    assert_eq!(orgs.iter().filter(|o| o["kind"] == "trade_office").count(), 24);
    let trade_countries: HashSet<&str> = orgs
        .iter()
        .filter(|o| o["kind"] == "trade_office")
        .filter_map(|o| str_of(o, "country"))
        .collect();
    assert_eq!(trade_countries.len(), 24, "one trade office per country");
    let a_million = DemoSize::with_people(1_000_000);
    assert!((9_000..=11_000).contains(&a_million.organizations));
}

#[test]
fn every_real_association_is_written_first() {
    let (text, _) = standard();
    let all = records(text);
    let real: Vec<&Value> = all
        .iter()
        .take_while(|r| str_of(r, "external_id").is_some_and(|id| id.starts_with("org-real-")))
        .collect();
    assert_eq!(real.len(), 61);
    let ning_yung = real
        .iter()
        .find(|o| o["name_en"] == "Ning Yung Benevolent Association (historically Ning Yeung Company)")
        .expect("Ning Yung");
    assert_eq!(ning_yung["kind"], "hometown_association");
    assert_eq!(ning_yung["founded_year"], 1854);
    assert_eq!(ning_yung["hometowns"][0], "Taishan");
    let see_yup = real.iter().find(|o| o["name_en"] == "See Yup Benevolent Society").expect("See Yup");
    assert_eq!(
        see_yup["hometowns"],
        serde_json::json!(["Toy San", "Sun Wui", "Hoy Ping", "Yin Ping"])
    );
    let hk_youth = real.iter().find(|o| o["name_zh"] == "香港五邑青年總會").expect("HK youth");
    assert_eq!(
        (hk_youth["kind"].as_str(), hk_youth["country"].as_str()),
        (Some("youth_society"), Some("HK"))
    );
    let sacramento = real
        .iter()
        .find(|o| o["name_en"] == "Soo Yuen Benevolent Association, Sacramento Chapter")
        .expect("Soo Yuen");
    let head_office = real.iter().find(|o| o["external_id"] == sacramento["parent"]).expect("parent");
    assert_eq!(head_office["name_en"], "Soo Yuen Benevolent Association (headquarters)");
}

fn is_date(text: &str) -> bool {
    text.len() == 10 && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

fn is_partial_date(text: &str) -> bool {
    match text.len() {
        4 => text.parse::<i32>().is_ok(),
        7 => is_date(&format!("{text}-01")),
        _ => is_date(text),
    }
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn strings(v: &Value, key: &str) -> Result<Vec<String>, String> {
    match v.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|i| {
                i.as_str()
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string)
                    .ok_or(format!("{key} has a non-text item"))
            })
            .collect(),
        Some(_) => Err(format!("{key} should be a non-empty list of texts")),
    }
}

fn check_common(r: &Value, known: &[&str]) -> Result<(), String> {
    let map = r.as_object().ok_or("not an object")?;
    if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown field {k}"));
    }
    if let Some((k, _)) = map
        .iter()
        .find(|(_, v)| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()))
    {
        return Err(format!("{k} is empty"));
    }
    if str_of(r, "external_id").is_none_or(str::is_empty) {
        return Err("no external_id".into());
    }
    Ok(())
}

fn check_country(r: &Value) -> Result<(), String> {
    let country = str_of(r, "country").ok_or("no country")?;
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) || !COUNTRIES.iter().any(|c| c.code == country) {
        return Err(format!("country {country}"));
    }
    Ok(())
}

fn check_organization(o: &Value) -> Result<(), String> {
    check_common(o, ORG_FIELDS)?;
    check_country(o)?;
    if !ORG_KINDS.contains(&str_of(o, "kind").unwrap_or_default()) {
        return Err("kind".into());
    }
    if str_of(o, "name_zh").is_none() && str_of(o, "name_en").is_none() && strings(o, "other_names")?.is_empty() {
        return Err("no name".into());
    }
    strings(o, "hometowns")?;
    strings(o, "tags")?;
    if let Some(year) = o.get("founded_year") {
        year.as_i64().filter(|y| (1500..=2026).contains(y)).ok_or("founded_year")?;
    }
    Ok(())
}

fn check_person(p: &Value) -> Result<(), String> {
    check_common(p, PERSON_FIELDS)?;
    check_country(p)?;
    if str_of(p, "name_zh").is_none() && str_of(p, "name_latin").is_none() && strings(p, "other_names")?.is_empty() {
        return Err("no name".into());
    }
    // People again from another list carry what that list knew: gender and status may be missing.
    let relisted = str_of(p, "external_id").is_some_and(|e| e.starts_with("d-"));
    let known = |field: &'static str, allowed: &[&str]| match str_of(p, field) {
        Some(v) => allowed.contains(&v),
        None => relisted,
    };
    if !known("gender", GENDERS) || !known("status", STATUSES) {
        return Err("gender or status".into());
    }
    p["birth_year"].as_i64().filter(|y| (1934..=2007).contains(y)).ok_or("birth_year")?;
    if !strings(p, "languages")?.iter().all(|l| is_language_tag(l)) {
        return Err("languages".into());
    }
    strings(p, "talent_fields")?;
    if let Some(email) = str_of(p, "email")
        && !(email.ends_with("@example.org") || email.ends_with("@example.com"))
    {
        return Err(format!("email {email}"));
    }
    for key in ["phone", "whatsapp"] {
        if let Some(number) = str_of(p, key)
            && !(number.starts_with('+') && number.contains("555"))
        {
            return Err(format!("{key} {number}"));
        }
    }
    if p.get("high_level_talent").is_some_and(|b| !b.is_boolean()) {
        return Err("high_level_talent".into());
    }
    if let Some(consent) = p.get("consent") {
        let status_ok = CONSENT_STATUSES.contains(&str_of(consent, "status").unwrap_or_default());
        if !status_ok || !str_of(consent, "date").is_some_and(is_date) {
            return Err("consent".into());
        }
        strings(consent, "purposes")?;
    }
    for m in p.get("memberships").and_then(Value::as_array).into_iter().flatten() {
        let since = str_of(m, "since").unwrap_or_default();
        if str_of(m, "organization").is_none() || !ROLES.contains(&str_of(m, "role").unwrap_or_default()) || !is_partial_date(since) {
            return Err(format!("membership {m}"));
        }
        if let Some(until) = str_of(m, "until")
            && !(is_partial_date(until) && until > since)
        {
            return Err(format!("membership until {m}"));
        }
    }
    Ok(())
}

fn check_interaction(i: &Value) -> Result<(), String> {
    check_common(i, INTERACTION_FIELDS)?;
    let date = str_of(i, "date").filter(|d| is_date(d)).ok_or("date")?;
    if !("2023-11-01".."2026-11-01").contains(&date) {
        return Err(format!("date {date} is not in the three years before 2026-11-01"));
    }
    if !INTERACTION_KINDS.contains(&str_of(i, "kind").unwrap_or_default())
        || str_of(i, "summary").is_none()
        || str_of(i, "officer").is_none()
    {
        return Err("kind, summary or officer".into());
    }
    let (people, orgs) = (strings(i, "people")?, strings(i, "organizations")?);
    if people.len() + orgs.len() == 0 || people.len() > 3 || orgs.len() > 3 {
        return Err("people and organizations".into());
    }
    if let Some(follow_up) = str_of(i, "follow_up")
        && !(is_date(follow_up) && follow_up > date)
    {
        return Err("follow_up".into());
    }
    Ok(())
}

#[test]
fn every_line_is_a_valid_record_of_its_type() {
    let (text, _) = standard();
    for line in text.lines() {
        let r: Value = serde_json::from_str(line).expect("JSON");
        let checked = match str_of(&r, "type") {
            Some("organization") => check_organization(&r),
            Some("person") => check_person(&r),
            Some("interaction") => check_interaction(&r),
            other => Err(format!("type {other:?}")),
        };
        if let Err(problem) = checked {
            panic!("{problem}: {line}");
        }
    }
}

#[test]
fn types_come_in_order_and_references_point_back() {
    let (text, _) = standard();
    let all = records(text);
    let order: Vec<&str> = all.iter().map(|r| str_of(r, "type").unwrap_or_default()).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|t| ["organization", "person", "interaction"].iter().position(|x| x == t));
    assert_eq!(order, sorted, "organizations, then people, then interactions");
    let mut seen: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in &all {
        let t = str_of(r, "type").unwrap_or_default();
        let refers = |ids: Vec<&str>, of: &str| {
            for id in ids {
                assert!(seen.get(of).is_some_and(|s| s.contains(id)), "{id} is not an earlier {of}: {r}");
            }
        };
        refers(str_of(r, "parent").into_iter().collect(), "organization");
        let memberships = r.get("memberships").and_then(Value::as_array);
        refers(
            memberships
                .into_iter()
                .flatten()
                .filter_map(|m| str_of(m, "organization"))
                .collect(),
            "organization",
        );
        let list = |key| {
            r.get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
        };
        refers(list("people"), "person");
        refers(list("organizations"), "organization");
        let id = str_of(r, "external_id").unwrap_or_default();
        assert!(seen.entry(t).or_default().insert(id), "{id} written twice");
    }
    let parents = all.iter().filter(|r| r.get("parent").is_some()).count();
    assert!(parents >= 5, "only {parents} organizations have a parent");
    let dates: Vec<&str> = of_type(&all, "interaction").iter().filter_map(|i| str_of(i, "date")).collect();
    assert!(dates.is_sorted(), "interactions out of date order");
}

#[test]
fn same_seed_same_bytes_other_seed_other_data() {
    let size = DemoSize::with_people(800);
    let (a, _) = generate(&size, 42);
    let (b, _) = generate(&size, 42);
    let (c, _) = generate(&size, 43);
    assert!(a == b, "the same seed gave different output");
    assert_ne!(a, c);
    assert_eq!(generate(&DemoSize::standard(), SEED).0, standard().0);
}

/// surnames.csv: every spelling of each surname (normalized), keyed by both character forms.
fn surname_spellings() -> HashMap<String, HashSet<String>> {
    let mut reader = csv::Reader::from_reader(SURNAMES_CSV.as_bytes());
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for row in reader.deserialize::<HashMap<String, String>>() {
        let row = row.expect("surnames.csv");
        let spellings: HashSet<String> = ["pinyin", "cantonese", "taishanese", "other"]
            .iter()
            .flat_map(|k| row[*k].split(';'))
            .map(normalized)
            .filter(|s| !s.is_empty())
            .collect();
        for key in ["simplified", "traditional"] {
            out.entry(row[key].clone()).or_default().extend(spellings.iter().cloned());
        }
    }
    out
}

fn normalized(s: &str) -> String {
    ascii_fold(s)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Words of a Latin name, alone, split at hyphens, and two at a time (Sze To, Soo Hoo).
fn name_words(latin: &str) -> HashSet<String> {
    let words: Vec<&str> = latin.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let mut out: HashSet<String> = words.iter().flat_map(|w| w.split('-').chain([*w])).map(normalized).collect();
    out.extend(words.windows(2).map(|pair| normalized(&pair.concat())));
    out
}

/// The surname a Chinese name starts with (compound surnames first).
fn surname_of<'a>(zh: &str, table: &'a HashMap<String, HashSet<String>>) -> Option<(String, &'a HashSet<String>)> {
    let two: String = zh.chars().take(2).collect();
    let one: String = zh.chars().take(1).collect();
    table.get(&two).map(|s| (two, s)).or_else(|| table.get(&one).map(|s| (one, s)))
}

#[test]
fn latin_names_spell_the_chinese_surname() {
    let (text, _) = standard();
    let table = surname_spellings();
    let mut checked = 0;
    for p in of_type(&records(text), "person") {
        let (Some(zh), Some(latin)) = (str_of(p, "name_zh"), str_of(p, "name_latin")) else {
            continue;
        };
        let (surname, spellings) = surname_of(zh, &table).unwrap_or_else(|| panic!("{zh} starts with no known surname"));
        assert!(!name_words(latin).is_disjoint(spellings), "{latin} does not spell {surname} ({zh})");
        checked += 1;
    }
    assert!(checked > 3_000, "only {checked} people have both names");
}

#[test]
fn given_names_are_read_from_the_same_characters() {
    let (text, _) = standard();
    let table = surname_spellings();
    let mut read_out = 0;
    for p in of_type(&records(text), "person")
        .into_iter()
        .filter(|p| p["country"] == "HK" || p["country"] == "MO")
    {
        let (Some(zh), Some(latin)) = (str_of(p, "name_zh"), str_of(p, "name_latin")) else {
            continue;
        };
        let last = zh.chars().last().map(String::from).unwrap_or_default();
        let syllable = GIVEN
            .iter()
            .find(|g| g.hant == last || g.hans == last)
            .unwrap_or_else(|| panic!("{zh}: unknown given name"));
        let (words, joined) = (name_words(latin), normalized(latin));
        let reads = [syllable.canto, syllable.macau, syllable.pinyin]
            .iter()
            .any(|r| words.contains(*r) || joined.ends_with(r));
        // Otherwise only an English name and the surname are written (David Wong, Alice Sze To).
        let after_first = normalized(latin.split_once(' ').map_or("", |(_, rest)| rest));
        let english_name_and_surname = surname_of(zh, &table).is_some_and(|(_, spellings)| spellings.contains(&after_first));
        assert!(reads || english_name_and_surname, "{latin} does not read {zh}");
        read_out += usize::from(reads);
    }
    assert!(read_out > 300, "{read_out} Hong Kong and Macau names read out");
}

#[test]
fn taishanese_spellings_and_spanish_double_surnames_appear() {
    let (text, _) = standard();
    let all = records(text);
    let people = of_type(&all, "person");
    let mut reader = csv::Reader::from_reader(SURNAMES_CSV.as_bytes());
    let taishanese_only: HashMap<String, HashSet<String>> = reader
        .deserialize::<HashMap<String, String>>()
        .map(|r| r.expect("surnames.csv"))
        .map(|r| {
            let cantonese: HashSet<String> = r["cantonese"].split(';').map(normalized).collect();
            let own = r["taishanese"]
                .split(';')
                .map(normalized)
                .filter(|t| !t.is_empty() && !cantonese.contains(t))
                .collect();
            (r["traditional"].clone(), own)
        })
        .collect();
    let mut taishanese_seen = HashSet::new();
    for p in people.iter().filter(|p| p["country"] == "US" || p["country"] == "CA") {
        let (Some(zh), Some(latin)) = (str_of(p, "name_zh"), str_of(p, "name_latin")) else {
            continue;
        };
        let Some(spellings) = taishanese_only.get(&zh.chars().take(1).collect::<String>()) else {
            continue;
        };
        taishanese_seen.extend(name_words(latin).intersection(spellings).cloned());
    }
    assert!(taishanese_seen.len() >= 5, "Taishanese spellings seen: {taishanese_seen:?}");
    let table = surname_spellings();
    let chinese_spelling = |w: &str| table.values().any(|s| s.contains(&normalized(w)));
    let spanish: Vec<&str> = people
        .iter()
        .filter(|p| ["PE", "MX", "CU", "PA", "VE", "CR", "EC"].contains(&p["country"].as_str().unwrap_or_default()))
        .filter_map(|p| str_of(p, "name_latin"))
        .filter(|latin| {
            let w: Vec<&str> = latin.split(' ').collect();
            w.len() == 3 && chinese_spelling(w[1]) && SPANISH_SURNAMES.contains(&w[2])
        })
        .collect();
    assert!(spanish.len() >= 20, "Spanish double surnames: {spanish:?}");
}

#[test]
fn surnames_keep_their_own_traditional_forms() {
    let (text, _) = standard();
    let people = records(text);
    let names: Vec<&str> = of_type(&people, "person").iter().filter_map(|p| str_of(p, "name_zh")).collect();
    for wrong in ['餘', '範', '瀋', '於', '薑', '硃', '遊', '鬍'] {
        assert!(!names.iter().any(|n| n.starts_with(wrong)), "a surname written {wrong}");
    }
    // A name is in traditional script when a given-name character differs between the scripts.
    let traditional_only: HashSet<char> = GIVEN.iter().filter(|g| g.hant != g.hans).flat_map(|g| g.hant.chars()).collect();
    for surname in ['余', '范', '沈'] {
        let found = names
            .iter()
            .any(|n| n.starts_with(surname) && n.chars().skip(1).any(|c| traditional_only.contains(&c)));
        assert!(found, "no traditional-script name with the surname {surname}");
    }
}

#[test]
fn the_tables_agree_with_the_notes() {
    let t = Tables::new();
    for surname in ["余", "范", "沈", "于", "姜", "朱", "游", "胡"] {
        let row = t.surnames.iter().find(|s| s.hans == surname).expect("in surnames.csv");
        assert_eq!(row.hant, surname);
    }
    for s in &t.surnames {
        for (spelling, _) in s.tagged.iter().filter(|(_, tag)| tag.contains("Vietnamese")) {
            assert!(ascii_fold(spelling).is_ascii(), "{spelling} does not fold to ASCII");
        }
    }
    for g in GIVEN {
        assert!(ascii_fold(g.viet).is_ascii(), "{} does not fold to ASCII", g.viet);
    }
    for c in COUNTRIES {
        assert!(!c.cities.is_empty() && c.styles.iter().all(|(_, w)| *w > 0), "{}", c.code);
    }
    let codes: HashSet<&str> = COUNTRIES.iter().map(|c| c.code).collect();
    assert_eq!(codes.len(), COUNTRIES.len(), "a country listed twice");
}

/// Counts bytes without keeping them.
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// cargo test --release --lib demo -- --ignored --nocapture
#[test]
#[ignore = "slow: a million people"]
fn a_million_people() {
    let start = std::time::Instant::now();
    let mut out = Counter(0);
    let counts = write_demo(&mut out, &DemoSize::with_people(1_000_000), SEED).expect("written");
    println!("{counts:?}: {} MB in {:.1?}", out.0 / 1_000_000, start.elapsed());
    assert_eq!(counts.people, 1_000_000);
}

/// The crate's own reader takes every line without an error or a warning (hometowns included).
#[test]
fn the_importer_accepts_every_line_as_is() {
    use crate::records::{InteractionInput, OrganizationInput, PersonInput};
    let (text, _) = standard();
    let now = chrono::Utc::now();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON");
        let map = v.as_object().expect("object");
        let (errors, warnings, applied) = match str_of(&v, "type") {
            Some("organization") => {
                let p = OrganizationInput::parse(map);
                let ok = p.input.apply(None, now).map(|_| ());
                (p.errors, p.warnings, ok)
            }
            Some("person") => {
                let p = PersonInput::parse(map);
                let ok = p.input.apply(None, now).map(|_| ());
                (p.errors, p.warnings, ok)
            }
            _ => {
                let p = InteractionInput::parse(map);
                let ok = p.input.apply(None, now).map(|_| ());
                (p.errors, p.warnings, ok)
            }
        };
        assert!(
            errors.is_empty() && warnings.is_empty() && applied.is_ok(),
            "{errors:?} {warnings:?} {applied:?}: {line}"
        );
    }
}
