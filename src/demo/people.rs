//! People: each one made and written in turn, so memory stays flat at any size.

use std::borrow::Cow;
use std::io::{self, Write};

use rand::RngExt;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::hometown::Script;
use super::names::{self, GIVEN, Gender, capitalize};
use super::orgs::Roster;
use super::records::{Consent, Membership, Person};
use super::world::{COUNTRIES, Country, Style, University, Western};
use super::{Tables, phone, relisted, write_line};

/// What is known of each association's members while people are written: whether its
/// president and secretary-general are chosen (one each), and a few members for the
/// interactions to name.
pub struct Members {
    president: Vec<bool>,
    secretary: Vec<bool>,
    seen: Vec<u32>,
    /// Up to `SAMPLE` person numbers per association, a uniform sample of its members.
    pub sample: Vec<Vec<u32>>,
}

const SAMPLE: usize = 8;

impl Members {
    fn new(organizations: usize) -> Members {
        Members {
            president: vec![false; organizations],
            secretary: vec![false; organizations],
            seen: vec![0; organizations],
            sample: vec![Vec::new(); organizations],
        }
    }

    /// Reservoir sampling keeps memory flat however many members there are.
    fn saw(&mut self, org: usize, person: u32, rng: &mut StdRng) {
        self.seen[org] += 1;
        if self.sample[org].len() < SAMPLE {
            self.sample[org].push(person);
        } else {
            let slot = rng.random_range(0..self.seen[org]) as usize;
            if slot < SAMPLE {
                self.sample[org][slot] = person;
            }
        }
    }
}

/// Writes the people, then those of them who arrive again from another list; returns the
/// memberships made and how many came again.
pub fn write<W: Write>(out: &mut W, t: &Tables, roster: &Roster, people: usize, rng: &mut StdRng) -> io::Result<(Members, usize)> {
    let mut members = Members::new(roster.ids.len());
    let mut again = Vec::new();
    for n in 0..people {
        let record = person(t, roster, &mut members, n, rng);
        write_line(out, &record)?;
        again.extend(relisted::again(&record, n));
    }
    for record in &again {
        write_line(out, record)?;
    }
    Ok((members, again.len()))
}

/// Counties whose families write Taishanese surname spellings.
const SIYI: &[&str] = &["taishan", "kaiping", "enping", "xinhui"];

fn person<'a>(t: &'a Tables, roster: &'a Roster, members: &mut Members, n: usize, rng: &mut StdRng) -> Person<'a> {
    let country = t.people_countries.sample(rng);
    let c = &COUNTRIES[country];
    let style = c.styles[t.styles[country].sample(rng)].0;
    let gender = match rng.random_range(0..1000) {
        0..3 => Gender::Other,
        3..500 => Gender::Female,
        _ => Gender::Male,
    };
    let universities = &t.universities[country];
    let student = style == Style::Pinyin && c.code != "CN" && !universities.is_empty() && rng.random_bool(0.45);
    // Birth years peak around 1970; students are 20 to 30.
    let born = if student {
        rng.random_range(1996..=2006)
    } else {
        1935 + (rng.random_range(0..=71) + rng.random_range(0..=71)) / 2
    };
    let county = t.hometowns.county(c.bias, rng);
    let surname = t.surname_weights.sample(rng);
    let other_surname = loop {
        let s = t.surname_weights.sample(rng);
        if s != surname {
            break s;
        }
    };
    let given = names::pick_given(gender, rng);
    let written = names::write(
        &names::Person {
            surname: &t.surnames[surname],
            given: &given,
            gender,
            born,
            country: c,
            style,
            siyi: SIYI.contains(&t.hometowns.counties[county].id.as_str()),
            other_surname: &t.surnames[other_surname],
        },
        rng,
    );
    let latin_hometown = written.script != Script::Latin && c.code != "CN" && rng.random_bool(0.35);
    let hometown_script = if latin_hometown { Script::Latin } else { written.script };
    let work = work(c, universities, style, gender, born, student, rng);
    let status = status(c, style, born, student, work.high_level, rng);
    let city = work.city.unwrap_or_else(|| {
        if rng.random_bool(0.45) {
            c.cities[0].en
        } else {
            c.cities.choose(rng).map_or("", |x| x.en)
        }
    });
    let languages = languages(c, style, born, student, rng);
    let (email, phone_number, wechat, whatsapp) = contacts(c, style, &written.handle, born, n, rng);
    let mut record = Person {
        record: "person",
        external_id: format!("p-{:07}", n + 1),
        name_zh: written.zh,
        name_latin: written.latin,
        other_names: written.other,
        gender: gender.as_str(),
        birth_year: born,
        country: c.code,
        city,
        hometown: t.hometowns.written(county, hometown_script, born, rng),
        status,
        languages,
        occupation: work.occupation,
        employer: work.employer,
        talent_fields: work.talent,
        high_level_talent: work.high_level,
        email,
        phone: phone_number,
        wechat,
        whatsapp,
        consent: consent(rng),
        memberships: memberships(roster, members, n as u32, (country, surname, county), born, student, rng),
        tags: Vec::new(),
        notes: written.note,
    };
    if rng.random_bool(0.06) {
        record.tags = PERSON_TAGS.choose(rng).copied().into_iter().collect();
    }
    if record.notes.is_none() && rng.random_bool(0.04) {
        record.notes = PERSON_NOTES.choose(rng).copied();
    }
    record
}

#[rustfmt::skip]
const PERSON_TAGS: &[&str] =
    &["新春茶话会 2026", "寻根之旅 2025", "donor", "youth camp alumni", "侨捐项目", "VIP", "newsletter bounced", "海外联谊会理事"];
const PERSON_NOTES: &[&str] = &[
    "Donated to the village school fund in 2019.",
    "Asked for help tracing the ancestral village.",
    "Introduced by the association's secretary-general.",
    "Prefers to be contacted through the association.",
];

/// What a person does (in English, Spanish for men and women, Chinese), where, and the
/// talent-programme fields the work belongs to.
struct Occupation {
    en: &'static str,
    es: (&'static str, &'static str),
    zh: &'static str,
    employer: Employer,
    fields: &'static [&'static str],
}

enum Employer {
    Company,
    University,
    /// Their own business, named "<prefix> <one of these>".
    Business(&'static [&'static str]),
    Unnamed,
}

const fn occ(
    en: &'static str,
    es: (&'static str, &'static str),
    zh: &'static str,
    employer: Employer,
    fields: &'static [&'static str],
) -> Occupation {
    Occupation {
        en,
        es,
        zh,
        employer,
        fields,
    }
}

const NONE: &[&str] = &[];
#[rustfmt::skip]
const ENGINEERING: &[&str] = &["advanced manufacturing", "智能制造", "new materials", "新能源", "robotics", "semiconductors", "集成电路"];
const COMPUTING: &[&str] = &["artificial intelligence", "data science", "fintech", "semiconductors", "集成电路"];
const MEDICINE: &[&str] = &["biomedicine", "生物医药", "public health"];
#[rustfmt::skip]
const BUSINESS: &[&str] = &["新能源", "现代农业", "cultural tourism", "marine economy", "advanced manufacturing", "fintech"];
#[rustfmt::skip]
const RESEARCH: &[&str] = &[
    "artificial intelligence", "semiconductors", "新能源", "biomedicine", "new materials", "生物医药", "data science",
    "environmental engineering", "marine economy",
];
const FINANCE: &[&str] = &["fintech", "data science"];

#[rustfmt::skip]
const OCCUPATIONS: &[Occupation] = &[
    occ("restaurant owner", ("dueño de restaurante", "dueña de restaurante"), "餐馆老板", Employer::Business(&["Restaurant", "Seafood Restaurant", "Noodle House", "Bakery"]), NONE),
    occ("grocery owner", ("bodeguero", "bodeguera"), "杂货店老板", Employer::Business(&["Market", "Supermarket", "Grocery"]), NONE),
    occ("importer", ("importador", "importadora"), "进出口商", Employer::Company, NONE),
    occ("trader", ("comerciante", "comerciante"), "贸易商", Employer::Company, NONE),
    occ("accountant", ("contador", "contadora"), "会计师", Employer::Company, NONE),
    occ("engineer", ("ingeniero", "ingeniera"), "工程师", Employer::Company, ENGINEERING),
    occ("software engineer", ("ingeniero de software", "ingeniera de software"), "软件工程师", Employer::Company, COMPUTING),
    occ("data scientist", ("científico de datos", "científica de datos"), "数据科学家", Employer::Company, COMPUTING),
    occ("physician", ("médico", "médica"), "医生", Employer::Business(&["Family Clinic", "Medical Centre"]), MEDICINE),
    occ("nurse", ("enfermero", "enfermera"), "护士", Employer::Unnamed, NONE),
    occ("pharmacist", ("farmacéutico", "farmacéutica"), "药剂师", Employer::Business(&["Pharmacy"]), NONE),
    occ("professor", ("profesor universitario", "profesora universitaria"), "教授", Employer::University, RESEARCH),
    occ("researcher", ("investigador", "investigadora"), "研究员", Employer::University, RESEARCH),
    occ("lawyer", ("abogado", "abogada"), "律师", Employer::Company, NONE),
    occ("architect", ("arquitecto", "arquitecta"), "建筑师", Employer::Company, NONE),
    occ("teacher", ("profesor", "profesora"), "教师", Employer::Unnamed, NONE),
    occ("social worker", ("trabajador social", "trabajadora social"), "社工", Employer::Unnamed, NONE),
    occ("real estate agent", ("agente inmobiliario", "agente inmobiliaria"), "地产经纪", Employer::Company, NONE),
    occ("entrepreneur", ("empresario", "empresaria"), "企业家", Employer::Company, BUSINESS),
    occ("chairman", ("presidente de directorio", "presidenta de directorio"), "董事长", Employer::Company, NONE),
    occ("chef", ("cocinero", "cocinera"), "厨师", Employer::Business(&["Restaurant", "Kitchen"]), NONE),
    occ("civil servant", ("funcionario público", "funcionaria pública"), "公务员", Employer::Unnamed, NONE),
    occ("journalist", ("periodista", "periodista"), "记者", Employer::Unnamed, NONE),
    occ("financial analyst", ("analista financiero", "analista financiera"), "金融分析师", Employer::Company, FINANCE),
];

const RETIRED: Occupation = occ("retired", ("jubilado", "jubilada"), "退休", Employer::Unnamed, NONE);
const STUDENT_EN: &[&str] = &["student", "graduate student", "PhD candidate"];
const STUDENT_ZH: &[&str] = &["留学生", "硕士研究生", "博士研究生"];

#[rustfmt::skip]
const COMPANY_PREFIXES: &[&str] = &[
    "Golden Gate", "Pacific Rim", "Jade Garden", "Lotus", "Harbour View", "Sunrise", "Dragon Gate", "Phoenix", "Evergreen",
    "Silver Star", "Four Seas", "Great Wall", "Kong Moon", "Sze Yup", "Pearl River", "Double Happiness", "Red Lantern",
    "Bamboo Grove", "Orient", "Lucky Star",
];
#[rustfmt::skip]
const COMPANY_SECTORS: &[&str] =
    &["Trading", "Holdings", "Logistics", "Properties", "Engineering", "Technologies", "Foods", "Imports", "Construction", "Capital"];
#[rustfmt::skip]
const COMPANY_PREFIXES_ZH: &[&str] = &["五邑", "侨乡", "金山", "华侨", "银洲", "新宁", "恒信", "粤海"];
#[rustfmt::skip]
const COMPANY_SECTORS_ZH: &[&str] = &["贸易", "实业", "科技", "物流", "建筑", "食品", "投资"];

struct Work {
    occupation: Option<&'static str>,
    employer: Option<Cow<'static, str>>,
    /// Where the work is, when that decides the city (a university).
    city: Option<&'static str>,
    talent: Vec<&'static str>,
    high_level: bool,
}

fn work(
    c: &Country,
    universities: &[&'static University],
    style: Style,
    gender: Gender,
    born: i32,
    student: bool,
    rng: &mut StdRng,
) -> Work {
    let mut w = Work {
        occupation: None,
        employer: None,
        city: None,
        talent: Vec::new(),
        high_level: false,
    };
    let chinese = style == Style::Pinyin && rng.random_bool(0.5);
    if student {
        let u = universities.choose(rng).copied();
        w.occupation = if chinese { STUDENT_ZH.choose(rng) } else { STUDENT_EN.choose(rng) }.copied();
        w.employer = u.map(|u| Cow::Borrowed(u.en));
        w.city = u.map(|u| u.city);
        return w;
    }
    let occupation = if born <= 1960 && rng.random_bool(0.55) {
        &RETIRED
    } else if rng.random_bool(0.75) {
        OCCUPATIONS.choose(rng).expect("occupations")
    } else {
        return w;
    };
    w.occupation = Some(match (style, gender) {
        (Style::Spanish, Gender::Female) => occupation.es.1,
        (Style::Spanish, _) => occupation.es.0,
        _ if chinese => occupation.zh,
        _ => occupation.en,
    });
    match occupation.employer {
        Employer::Company if rng.random_bool(0.5) => w.employer = Some(Cow::Owned(company(c, chinese, rng))),
        Employer::Business(kinds) if rng.random_bool(0.5) => w.employer = Some(Cow::Owned(business(c, kinds, rng))),
        Employer::University => {
            if let Some(u) = universities.choose(rng) {
                w.employer = Some(Cow::Borrowed(u.en));
                w.city = Some(u.city);
            }
        }
        _ => {}
    }
    if !occupation.fields.is_empty() && rng.random_bool(0.55) {
        let k = rng.random_range(1..=3.min(occupation.fields.len()));
        w.talent = occupation.fields.sample(rng, k).copied().collect();
        let academic = matches!(occupation.employer, Employer::University);
        w.high_level = rng.random_bool(if academic { 0.5 } else { 0.2 });
    }
    w
}

fn company(c: &Country, chinese: bool, rng: &mut StdRng) -> String {
    if chinese || c.code == "CN" {
        let prefix = COMPANY_PREFIXES_ZH.choose(rng).copied().unwrap_or_default();
        let sector = COMPANY_SECTORS_ZH.choose(rng).copied().unwrap_or_default();
        return format!("{prefix}{sector}有限公司");
    }
    let prefix = COMPANY_PREFIXES.choose(rng).copied().unwrap_or_default();
    let sector = COMPANY_SECTORS.choose(rng).copied().unwrap_or_default();
    format!("{prefix} {sector} {}", c.legal)
}

fn business(c: &Country, kinds: &[&str], rng: &mut StdRng) -> String {
    let kind = kinds.choose(rng).copied().unwrap_or_default();
    if c.code == "PE" && kind.contains("Restaurant") {
        // Peru's Chinese restaurants are chifas, named in Cantonese.
        let name: Vec<String> = GIVEN.sample(rng, 2).map(|g| capitalize(g.canto)).collect();
        return format!("Chifa {}", name.join(" "));
    }
    format!("{} {kind}", COMPANY_PREFIXES.choose(rng).copied().unwrap_or_default())
}

fn status(c: &Country, style: Style, born: i32, student: bool, high_level: bool, rng: &mut StdRng) -> &'static str {
    let roll = rng.random_range(0..100);
    match c.code {
        // Living in China: returned from abroad, or family of people abroad.
        "CN" => {
            return if roll < 55 {
                "returned_overseas_chinese"
            } else {
                "relative_of_overseas_chinese"
            };
        }
        "HK" | "MO" => {
            return if roll < 85 {
                "hk_macao_compatriot"
            } else {
                "foreign_citizen_of_chinese_origin"
            };
        }
        "TW" => return if roll < 80 { "other" } else { "foreign_citizen_of_chinese_origin" },
        _ => {}
    }
    if student {
        return "student_abroad";
    }
    if high_level && roll < 8 {
        return "foreign_expert";
    }
    if style == Style::Pinyin && born >= 1975 {
        // Recent emigrants mostly keep Chinese nationality.
        return if roll < 70 {
            "overseas_chinese"
        } else {
            "foreign_citizen_of_chinese_origin"
        };
    }
    if style == Style::Spanish {
        // Born in Latin America, citizens there.
        return if roll < 94 {
            "foreign_citizen_of_chinese_origin"
        } else {
            "overseas_chinese"
        };
    }
    match roll {
        0..72 => "foreign_citizen_of_chinese_origin",
        72..98 => "overseas_chinese",
        _ => "other",
    }
}

fn languages(c: &Country, style: Style, born: i32, student: bool, rng: &mut StdRng) -> Vec<&'static str> {
    let add = |list: &mut Vec<&'static str>, lang: &'static str, p: f64, rng: &mut StdRng| {
        if rng.random_bool(p) && !list.contains(&lang) {
            list.push(lang);
        }
    };
    // Those raised abroad list the local language first.
    let raised_abroad = style == Style::Spanish || (born >= 1980 && !matches!(style, Style::Pinyin | Style::WadeGiles));
    let mut chinese: Vec<&'static str> = Vec::new();
    match style {
        Style::Cantonese | Style::Taishanese | Style::Macau => {
            let keeps_cantonese = !raised_abroad || matches!(c.code, "HK" | "MO") || rng.random_bool(0.6);
            add(&mut chinese, "yue", if keeps_cantonese { 1.0 } else { 0.0 }, rng);
            add(&mut chinese, "zh", 0.3, rng);
        }
        Style::Pinyin | Style::WadeGiles => {
            add(&mut chinese, "zh", 1.0, rng);
            add(&mut chinese, if style == Style::Pinyin { "yue" } else { "nan" }, 0.5, rng);
        }
        Style::Dialect => {
            let first = *["zh", "zh", "nan", "yue"].choose(rng).expect("dialects");
            add(&mut chinese, first, 1.0, rng);
            for lang in ["zh", "nan", "yue"] {
                add(&mut chinese, lang, 0.3, rng);
            }
        }
        Style::Vietnamese => add(&mut chinese, "yue", 0.7, rng),
        Style::Spanish => add(&mut chinese, "yue", 0.15, rng),
    }
    let mut local = Vec::new();
    if style == Style::Vietnamese {
        add(&mut local, "vi", 1.0, rng);
    }
    let usual = match c.code {
        "HK" => 0.6,
        "MO" => 0.15,
        _ if student || chinese.is_empty() || raised_abroad => 1.0,
        _ => 0.85,
    };
    for (i, lang) in c.langs.iter().enumerate() {
        add(&mut local, lang, if i == 0 { usual } else { 0.3 }, rng);
    }
    if c.western != Western::English {
        add(&mut local, "en", if student { 0.6 } else { 0.3 }, rng);
    }
    let (mut all, second) = if raised_abroad { (local, chinese) } else { (chinese, local) };
    for lang in second {
        if !all.contains(&lang) {
            all.push(lang);
        }
    }
    all
}

type Contacts = (Option<String>, Option<String>, Option<String>, Option<String>);

fn contacts(c: &Country, style: Style, handle: &(String, String), born: i32, n: usize, rng: &mut StdRng) -> Contacts {
    let (given, surname) = handle;
    let email = rng.random_bool(if born < 1950 { 0.4 } else { 0.7 }).then(|| {
        let domain = if rng.random_bool(0.5) { "example.org" } else { "example.com" };
        let number = rng.random_range(1..100);
        let initial = given.chars().next().map(String::from).unwrap_or_default();
        let local = match rng.random_range(0..4) {
            _ if given.is_empty() || surname.is_empty() => format!("contact{}", n + 1),
            0 => format!("{given}.{surname}"),
            1 => format!("{initial}{surname}{number}"),
            2 => format!("{surname}.{given}{number}"),
            _ => format!("{given}{surname}{}", born % 100),
        };
        format!("{local}@{domain}")
    });
    let phone_number = rng.random_bool(0.6).then(|| phone(c, rng));
    let chinese_apps = style == Style::Pinyin || matches!(c.code, "HK" | "MO" | "CN");
    let wechat = rng.random_bool(if chinese_apps { 0.55 } else { 0.12 }).then(|| {
        if rng.random_bool(0.5) || given.is_empty() {
            let id: String = (0..10)
                .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)]))
                .collect();
            format!("wxid_{id}")
        } else {
            format!("{given}_{surname}{}", rng.random_range(1..100))
        }
    });
    let whatsapp_country = matches!(c.western, Western::Spanish | Western::Portuguese)
        || matches!(c.code, "SG" | "MY" | "HK" | "ID" | "PH" | "ZA" | "IN" | "MO");
    let whatsapp = rng
        .random_bool(if whatsapp_country { 0.35 } else { 0.08 })
        .then(|| phone_number.clone().unwrap_or_else(|| phone(c, rng)));
    (email, phone_number, wechat, whatsapp)
}

fn consent(rng: &mut StdRng) -> Option<Consent> {
    if !rng.random_bool(0.8) {
        return None;
    }
    let status = match rng.random_range(0..100) {
        0..78 => "granted",
        78..93 => "unknown",
        _ => "withdrawn",
    };
    let purposes = if status == "granted" {
        let mut p: Vec<&'static str> = [("events", 0.85), ("newsletter", 0.6), ("research", 0.15), ("talent programs", 0.25)]
            .into_iter()
            .filter(|(_, chance)| rng.random_bool(*chance))
            .map(|(name, _)| name)
            .collect();
        if p.is_empty() {
            p.push("newsletter");
        }
        p
    } else {
        Vec::new()
    };
    Some(Consent {
        status,
        date: super::random_day(rng, 2018, 2026).to_string(),
        purposes,
    })
}

/// About 40% of people belong to associations of their country: their clan, their
/// county's association, their university's, or any other.
fn memberships<'a>(
    roster: &'a Roster,
    members: &mut Members,
    person: u32,
    (country, surname, county): (usize, usize, usize),
    born: i32,
    student: bool,
    rng: &mut StdRng,
) -> Vec<Membership<'a>> {
    if !rng.random_bool(if student { 0.6 } else { 0.4 }) {
        return Vec::new();
    }
    let wanted = match rng.random_range(0..100) {
        0..70 => 1,
        70..92 => 2,
        _ => 3,
    };
    let general = &roster.general[country];
    let mut chosen: Vec<u32> = Vec::new();
    for _ in 0..wanted * 3 {
        if chosen.len() == wanted {
            break;
        }
        let preferred = match rng.random_range(0..100) {
            0..30 => roster.clans.get(&(country, surname)),
            30..60 => roster.hometown.get(&(country, county)),
            60..80 if student => Some(&roster.students[country]),
            60..75 if born >= 1980 => Some(&roster.youth[country]),
            _ => None,
        };
        let pool = preferred.filter(|p| !p.is_empty()).unwrap_or(general);
        if let Some(&org) = pool.choose(rng)
            && !chosen.contains(&org)
        {
            chosen.push(org);
        }
    }
    chosen
        .into_iter()
        .map(|org| {
            members.saw(org as usize, person, rng);
            membership(roster, members, org as usize, born, rng)
        })
        .collect()
}

fn membership<'a>(roster: &'a Roster, offices: &mut Members, org: usize, born: i32, rng: &mut StdRng) -> Membership<'a> {
    let earliest = roster.founded[org].unwrap_or(1950).max(born + 18).clamp(1950, super::LAST_YEAR);
    let start = rng.random_range(earliest..=super::LAST_YEAR);
    let past = start + 1 < super::LAST_YEAR && rng.random_bool(0.07);
    let role = match rng.random_range(0..1000) {
        0..15 if born < 1986 && (past || !offices.president[org]) => "president",
        15..30 if past || !offices.secretary[org] => "secretary_general",
        30..70 => "vice_president",
        70..90 => "treasurer",
        90..170 => "director",
        170..200 if born < 1965 => "honorary",
        200..230 => "liaison",
        _ => "member",
    };
    if !past {
        match role {
            "president" => offices.president[org] = true,
            "secretary_general" => offices.secretary[org] = true,
            _ => {}
        }
    }
    let since = match rng.random_range(0..10) {
        0..7 => start.to_string(),
        7 => format!("{start}-{:02}", rng.random_range(1..=10)),
        _ => super::random_day(rng, start, start).to_string(),
    };
    let until = past.then(|| rng.random_range(start + 1..=(start + 8).min(super::LAST_YEAR)).to_string());
    Membership {
        organization: &roster.ids[org],
        role,
        since,
        until,
    }
}
