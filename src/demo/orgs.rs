//! Organizations: the real associations of associations.csv first, then generated ones named
//! the way overseas associations name themselves. The roster kept here is what people's
//! memberships and the interactions refer to.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use rand::RngExt;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};

use super::domain::Surname;
use super::hometown::{Forms, Name, Script};
use super::names::{capitalize, handle_word};
use super::records::Organization;
use super::world::{COUNTRIES, Country, UNIVERSITIES, Western};
use super::{Tables, phone, write_line};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Hometown,
    Clan,
    Benevolent,
    Youth,
    Student,
    Chamber,
    Trade,
    Professional,
    Media,
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Hometown => "hometown_association",
            Kind::Clan => "clan_association",
            Kind::Benevolent => "benevolent_association",
            Kind::Youth => "youth_society",
            Kind::Student => "student_association",
            Kind::Chamber => "chamber_of_commerce",
            Kind::Trade => "trade_office",
            Kind::Professional => "professional_society",
            Kind::Media => "media",
            Kind::Other => "other",
        }
    }

    /// The `kind` column of associations.csv.
    fn from_table(kind: &str) -> Kind {
        match kind {
            "hometown" => Kind::Hometown,
            "clan" => Kind::Clan,
            "benevolent" => Kind::Benevolent,
            "youth" => Kind::Youth,
            "student" => Kind::Student,
            "chamber_of_commerce" => Kind::Chamber,
            "trade_office" => Kind::Trade,
            "professional" => Kind::Professional,
            "media" => Kind::Media,
            _ => Kind::Other,
        }
    }
}

/// How many youth societies and trade offices there are, whatever the size.
pub const YOUTH_SOCIETIES: usize = 27;
pub const TRADE_OFFICES: usize = 24;

/// The mix of the other generated organizations.
const KIND_SHARES: &[(Kind, u32)] = &[
    (Kind::Hometown, 33),
    (Kind::Clan, 28),
    (Kind::Benevolent, 9),
    (Kind::Chamber, 10),
    (Kind::Student, 6),
    (Kind::Professional, 7),
    (Kind::Media, 4),
    (Kind::Other, 3),
];

/// What people and interactions need to know about the organizations written.
pub struct Roster {
    pub ids: Vec<String>,
    /// A short name for interaction summaries.
    pub labels: Vec<String>,
    pub founded: Vec<Option<i32>>,
    /// Country index of each organization.
    pub country: Vec<usize>,
    /// Associations any adult may join, by country index.
    pub general: Vec<Vec<u32>>,
    pub youth: Vec<Vec<u32>>,
    pub students: Vec<Vec<u32>>,
    /// Clan associations by (country, surname).
    pub clans: HashMap<(usize, usize), Vec<u32>>,
    /// Hometown associations by (country, county).
    pub hometown: HashMap<(usize, usize), Vec<u32>>,
}

/// Where a federation gathers its members.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Federation {
    /// The benevolent association of a city's Chinese community.
    City(usize, usize),
    /// A national clan association.
    Clan(usize, usize),
    /// A national association of one county's natives.
    County(usize, usize),
}

/// What the roster keeps of one organization written.
struct Listing {
    id: String,
    label: String,
    founded: Option<i32>,
    country: usize,
    kind: Kind,
    surnames: Vec<usize>,
    counties: Vec<usize>,
}

impl Listing {
    fn of(o: &Organization, country: usize, kind: Kind, surnames: Vec<usize>, counties: Vec<usize>) -> Listing {
        let label = o.name_zh.as_ref().or(o.name_en.as_ref()).map(|n| n.to_string()).unwrap_or_default();
        Listing {
            id: o.external_id.clone(),
            label,
            founded: o.founded_year,
            country,
            kind,
            surnames,
            counties,
        }
    }
}

impl Roster {
    fn new() -> Roster {
        let per_country = || vec![Vec::new(); COUNTRIES.len()];
        Roster {
            ids: Vec::new(),
            labels: Vec::new(),
            founded: Vec::new(),
            country: Vec::new(),
            general: per_country(),
            youth: per_country(),
            students: per_country(),
            clans: HashMap::new(),
            hometown: HashMap::new(),
        }
    }

    fn add(&mut self, l: Listing) -> u32 {
        let i = self.ids.len() as u32;
        self.ids.push(l.id);
        self.labels.push(l.label);
        self.founded.push(l.founded);
        self.country.push(l.country);
        let c = l.country;
        match l.kind {
            Kind::Youth => self.youth[c].push(i),
            Kind::Student => self.students[c].push(i),
            // Staff of an office or a newspaper are not its members.
            Kind::Trade | Kind::Media => {}
            _ => self.general[c].push(i),
        }
        for s in l.surnames {
            self.clans.entry((c, s)).or_default().push(i);
        }
        for county in l.counties {
            self.hometown.entry((c, county)).or_default().push(i);
        }
        i
    }
}

pub fn country_index(code: &str) -> Option<usize> {
    COUNTRIES.iter().position(|c| c.code == code)
}

/// associations.csv names countries in words.
fn country_code(name: &str) -> Option<&'static str> {
    let code = match name {
        "USA" | "United States" => "US",
        "Canada" => "CA",
        "Australia" => "AU",
        "New Zealand" => "NZ",
        "Peru" => "PE",
        "Cuba" => "CU",
        "Singapore" => "SG",
        "Malaysia" => "MY",
        "China (Hong Kong SAR)" | "Hong Kong" => "HK",
        "China (Macau SAR)" | "Macau" => "MO",
        other => return COUNTRIES.iter().find(|c| c.en.trim_start_matches("the ") == other).map(|c| c.code),
    };
    Some(code)
}

/// Writes every organization and returns the roster.
pub fn write<W: Write>(out: &mut W, t: &Tables, total: usize, rng: &mut StdRng) -> io::Result<Roster> {
    let mut roster = Roster::new();
    let (mut real_youth, mut real_trade) = (0, 0);
    for n in 0..t.real.len() {
        let Some(listing) = write_real(out, t, n, &roster)? else { continue };
        real_youth += usize::from(listing.kind == Kind::Youth);
        real_trade += usize::from(listing.kind == Kind::Trade);
        roster.add(listing);
    }
    let youth = YOUTH_SOCIETIES.saturating_sub(real_youth);
    let trade = TRADE_OFFICES.saturating_sub(real_trade);
    let general = total.saturating_sub(roster.ids.len() + youth + trade);
    let mut kinds: Vec<Kind> = std::iter::repeat_n(Kind::Youth, youth)
        .chain(std::iter::repeat_n(Kind::Trade, trade))
        .collect();
    let shares = WeightedIndex::new(KIND_SHARES.iter().map(|(_, w)| *w)).expect("positive shares");
    kinds.extend((0..general).map(|_| KIND_SHARES[shares.sample(rng)].0));
    kinds.shuffle(rng);
    let mut trade_countries = trade_office_countries(t, trade, rng).into_iter();
    let mut maker = Maker {
        t,
        federations: HashMap::new(),
        names: HashSet::new(),
    };
    for (n, kind) in kinds.into_iter().enumerate() {
        let country = match kind {
            Kind::Trade => trade_countries.next().unwrap_or(0),
            _ => t.org_countries.sample(rng),
        };
        let draft = maker.draft(kind, country, rng);
        let mut record = Organization::new(format!("org-{:06}", n + 1), kind.as_str(), COUNTRIES[country].code);
        maker.fill(&mut record, &draft, &roster, rng);
        write_line(out, &record)?;
        let i = roster.add(Listing::of(&record, country, kind, draft.surnames, draft.counties));
        if let Some(f) = draft.heads {
            maker.federations.entry(f).or_insert(i);
        }
    }
    Ok(roster)
}

/// Distinct countries for the trade offices, the larger communities more likely.
fn trade_office_countries(t: &Tables, n: usize, rng: &mut StdRng) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::new();
    let candidates = COUNTRIES.iter().filter(|c| !matches!(c.code, "CN" | "TW")).count();
    while chosen.len() < n.min(candidates) {
        let c = t.org_countries.sample(rng);
        if !chosen.contains(&c) && COUNTRIES[c].code != "TW" {
            chosen.push(c);
        }
    }
    chosen
}

/// Writes one real association as its row gives it; rows in a country the table does not
/// know are left out.
fn write_real<W: Write>(out: &mut W, t: &Tables, n: usize, roster: &Roster) -> io::Result<Option<Listing>> {
    let a = &t.real[n];
    let Some((code, country)) = country_code(&a.country).and_then(|code| Some((code, country_index(code)?))) else {
        return Ok(None);
    };
    let kind = Kind::from_table(&a.kind);
    let mut o = Organization::new(format!("org-real-{:04}", n + 1), kind.as_str(), code);
    o.name_zh = Some(a.name_zh.as_str()).filter(|s| !s.is_empty()).map(Cow::Borrowed);
    o.name_en = Some(a.name_en.as_str()).filter(|s| !s.is_empty()).map(Cow::Borrowed);
    o.city = Some(Cow::Borrowed(a.city.as_str()));
    o.founded_year = a.founding_year.parse().ok();
    let places = t.places_named_in(&a.wuyi_link);
    o.hometowns = places.iter().map(|(form, _)| Cow::Borrowed(*form)).collect();
    o.parent = real_parent(t, n).map(|p| roster.ids[p].clone());
    let source = (!a.source.is_empty()).then(|| format!("Source: {}", a.source));
    let notes: Vec<&str> = [Some(a.notes.as_str()).filter(|s| !s.is_empty()), source.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    o.notes = Some(notes.join(". ")).filter(|n| !n.is_empty()).map(Cow::Owned);
    write_line(out, &o)?;
    let counties = places.iter().filter_map(|(_, id)| t.county_of(id)).collect();
    let surnames = if kind == Kind::Clan { t.clan_surnames(a) } else { Vec::new() };
    Ok(Some(Listing::of(&o, country, kind, surnames, counties)))
}

/// The parent of a real association among the rows before it: its head office (a row
/// marked "(headquarters)" with the same name), or the city's benevolent association whose
/// row lists it as a member.
fn real_parent(t: &Tables, n: usize) -> Option<usize> {
    let a = &t.real[n];
    let stem = |name: &str| name.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    let before = &t.real[..n];
    let head_office = before
        .iter()
        .position(|b| b.name_en.contains("(headquarters)") && !a.name_en.is_empty() && stem(&b.name_en) == stem(&a.name_en));
    head_office.or_else(|| {
        before
            .iter()
            .position(|b| b.kind == "benevolent" && b.city == a.city && !a.name_zh.is_empty() && b.wuyi_link.contains(&a.name_zh))
    })
}

/// The language an association's Latin name is written in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Es,
    Pt,
    Fr,
}

fn local_lang(c: &Country) -> Lang {
    match c.western {
        Western::Spanish => Lang::Es,
        Western::Portuguese if c.code != "MO" => Lang::Pt,
        Western::French => Lang::Fr,
        _ => Lang::En,
    }
}

/// A generated organization before it becomes a record.
struct Draft {
    kind: Kind,
    zh: Option<String>,
    en: Option<String>,
    other_names: Vec<String>,
    city: &'static str,
    city_index: usize,
    founded: i32,
    hometowns: Vec<String>,
    surnames: Vec<usize>,
    counties: Vec<usize>,
    /// Federations it may belong to, nearest first.
    member_of: Vec<Federation>,
    /// The federation it heads.
    heads: Option<Federation>,
}

/// The hometown an association serves.
struct Served<'h> {
    name: &'h Name,
    forms: &'h Forms,
    county: Option<usize>,
}

/// Multi-surname associations and the families they join.
const FAMILY_GROUPS: &[(&str, &str, &str, &[&str])] = &[
    (
        "龍岡親義公所",
        "龙冈亲义公所",
        "Lung Kong Tin Yee Association",
        &["劉", "關", "張", "趙"],
    ),
    ("溯源堂", "溯源堂", "Soo Yuen Benevolent Association", &["雷", "方", "鄺"]),
    ("至孝篤親公所", "至孝笃亲公所", "Gee How Oak Tin Association", &["陳", "胡", "袁"]),
    ("昭倫公所", "昭伦公所", "Chew Lun Association", &["譚", "談", "許", "謝"]),
];

/// Halls some clans are known by in English.
const CLAN_HALLS: &[(&str, &str)] = &[("黃", "Wong Kong Har Tong"), ("余", "Yee Fung Toy Tong"), ("林", "Lim Sai Ho Tong")];

struct Maker<'t> {
    t: &'t Tables,
    federations: HashMap<Federation, u32>,
    /// Names already used in a city, so that no two associations share one.
    names: HashSet<(usize, usize, String)>,
}

impl<'t> Maker<'t> {
    fn draft(&mut self, kind: Kind, country: usize, rng: &mut StdRng) -> Draft {
        // A few tries for a name not yet used in the city; the last one is kept regardless.
        let mut draft = self.try_draft(kind, country, rng);
        for _ in 0..4 {
            let key = (country, draft.city_index, draft.zh.clone().or(draft.en.clone()).unwrap_or_default());
            if self.names.insert(key) {
                break;
            }
            draft = self.try_draft(kind, country, rng);
        }
        draft
    }

    fn try_draft(&self, kind: Kind, country: usize, rng: &mut StdRng) -> Draft {
        let c = &COUNTRIES[country];
        let city_index = if rng.random_bool(0.5) {
            0
        } else {
            rng.random_range(0..c.cities.len())
        };
        let founded = founded(kind, c, rng);
        let mut d = Draft {
            kind,
            zh: None,
            en: None,
            other_names: Vec::new(),
            city: c.cities[city_index].en,
            city_index,
            founded,
            hometowns: Vec::new(),
            surnames: Vec::new(),
            counties: Vec::new(),
            member_of: vec![Federation::City(country, city_index)],
            heads: None,
        };
        let script = org_script(kind, c, founded, rng);
        match kind {
            Kind::Hometown => self.hometown(&mut d, c, country, script, rng),
            Kind::Clan => self.clan(&mut d, c, country, script, rng),
            Kind::Benevolent => benevolent(&mut d, c, country, script, rng),
            Kind::Youth => self.youth(&mut d, c, script, rng),
            Kind::Trade => trade_office(&mut d, c),
            Kind::Chamber => chamber(&mut d, c, script, rng),
            Kind::Student => student(&mut d, c, rng),
            Kind::Professional => titled(&mut d, c, script, PROFESSIONS, rng),
            Kind::Media => titled(&mut d, c, script, MEDIA, rng),
            Kind::Other => titled(&mut d, c, script, OTHERS, rng),
        }
        if d.zh.is_some() && d.en.is_some() && rng.random_bool(0.2) {
            // Many associations are known only by their Chinese name.
            d.en = None;
        }
        d
    }

    /// The hometown an association serves: mostly a county, sometimes a town or the region.
    fn served(&self, c: &Country, rng: &mut StdRng) -> Served<'t> {
        let h = &self.t.hometowns;
        let roll = rng.random_range(0..100);
        if roll < 10 {
            let (name, forms) = h
                .regions
                .iter()
                .filter(|(n, _)| n.hans != "江门")
                .collect::<Vec<_>>()
                .choose(rng)
                .copied()
                .expect("regions");
            return Served { name, forms, county: None };
        }
        let county = h.county(c.bias, rng);
        let k = &h.counties[county];
        match k.towns.choose(rng) {
            Some(town) if roll < 25 => Served {
                name: &town.name,
                forms: &town.forms,
                county: Some(county),
            },
            _ => Served {
                name: &k.name,
                forms: &k.forms,
                county: Some(county),
            },
        }
    }

    fn hometown(&self, d: &mut Draft, c: &Country, country: usize, script: Script, rng: &mut StdRng) {
        let city = &c.cities[d.city_index];
        let place = self.served(c, rng);
        let p = pick_script(script, &place.name.hant, &place.name.hans);
        let p_latin = place.name.latin.choose(rng).map(String::as_str).unwrap_or_default();
        let lang = local_lang(c);
        let county_federation = place.county.map(|k| Federation::County(country, k));
        let (zh, en) = if rng.random_bool(0.12) {
            d.heads = county_federation;
            let nation = pick_script(script, c.hant, c.hans);
            let en = match lang {
                Lang::Es => format!("Asociación {p_latin} {}", country_title(lang, c).1),
                Lang::Pt => format!("Associação {p_latin} {}", country_title(lang, c).1),
                Lang::Fr => format!("Association {p_latin} {}", country_title(lang, c).1),
                Lang::En => format!("{p_latin} Association {}", country_title(lang, c).1),
            };
            (format!("{nation}{p}{}", pick_script(script, "同鄉總會", "同乡总会")), en)
        } else {
            d.member_of.extend(county_federation);
            let (suffix_t, suffix_s, what) = match rng.random_range(0..3) {
                0 => ("同鄉會", "同乡会", "Association"),
                1 => ("會館", "会馆", "Benevolent Association"),
                _ => ("聯誼會", "联谊会", "Friendship Association"),
            };
            let city_zh = pick_script(script, city.hant, city.hans);
            (
                format!("{city_zh}{p}{}", pick_script(script, suffix_t, suffix_s)),
                local_title(lang, p_latin, city.en, what),
            )
        };
        d.zh = Some(zh);
        d.en = Some(en);
        let written = if script == Script::Hant && rng.random_bool(0.3) {
            Script::Latin
        } else {
            script
        };
        d.hometowns = vec![place.forms.pick(written, rng).to_string()];
        d.counties = place.county.into_iter().collect();
    }

    fn clan(&self, d: &mut Draft, c: &Country, country: usize, script: Script, rng: &mut StdRng) {
        let city = &c.cities[d.city_index];
        if rng.random_bool(0.1) {
            let (hant, hans, en, families) = FAMILY_GROUPS.choose(rng).expect("family groups");
            d.zh = Some(pick_script(script, hant, hans).to_string());
            d.en = Some(format!("{en} of {}", city.en));
            d.surnames = families.iter().filter_map(|f| self.t.surname_by_hant.get(*f).copied()).collect();
            return;
        }
        let s = self.t.surname_weights.sample(rng);
        let surname = &self.t.surnames[s];
        d.surnames = vec![s];
        let spelling = clan_spelling(surname, c, rng);
        let sz = pick_script(script, &surname.hant, &surname.hans);
        let lang = local_lang(c);
        if rng.random_bool(0.12) {
            d.heads = Some(Federation::Clan(country, s));
            let nation = pick_script(script, c.hant, c.hans);
            d.zh = Some(format!("{nation}{sz}氏{}", pick_script(script, "宗親總會", "宗亲总会")));
            d.en = Some(match lang {
                Lang::Es => format!("Asociación Familia {spelling} {}", country_title(lang, c).1),
                _ => format!("{spelling} Family Association {}", country_title(Lang::En, c).1),
            });
            return;
        }
        d.member_of.insert(0, Federation::Clan(country, s));
        let city_zh = pick_script(script, city.hant, city.hans);
        d.zh = Some(if rng.random_bool(0.3) {
            format!("{city_zh}{sz}氏公所")
        } else {
            format!("{city_zh}{sz}氏{}", pick_script(script, "宗親會", "宗亲会"))
        });
        let hall = CLAN_HALLS
            .iter()
            .find(|(h, _)| *h == surname.hant)
            .map(|(_, en)| *en)
            .filter(|_| rng.random_bool(0.4));
        d.en = Some(match (hall, lang) {
            (Some(hall), _) => hall.to_string(),
            (None, Lang::Es) => format!("Sociedad {spelling} de {}", city.en),
            (None, Lang::Pt) => format!("Associação da Família {spelling} de {}", city.en),
            (None, _) => format!("{spelling} Family Association of {}", city.en),
        });
    }

    fn youth(&self, d: &mut Draft, c: &Country, script: Script, rng: &mut StdRng) {
        let city = &c.cities[d.city_index];
        let city_zh = pick_script(script, city.hant, city.hans);
        let (zh, en, home) = match rng.random_range(0..3) {
            0 => (
                format!("{city_zh}{}", pick_script(script, "江門青年聯合會", "江门青年联合会")),
                format!("Jiangmen Youth Federation of {}", city.en),
                pick_script(script, "江門", "江门"),
            ),
            1 => (
                format!("{city_zh}{}", pick_script(script, "五邑青年會", "五邑青年会")),
                format!("{} Ng Yap Youth Association", city.en),
                "五邑",
            ),
            _ => (
                format!(
                    "{}{}",
                    pick_script(script, c.hant, c.hans),
                    pick_script(script, "台山青年聯誼會", "台山青年联谊会")
                ),
                format!("Toishan Youth Association of {}", c.en),
                "台山",
            ),
        };
        d.zh = Some(zh);
        d.en = Some(en);
        d.hometowns = vec![home.to_string()];
        d.counties = self
            .t
            .hometowns
            .counties
            .iter()
            .position(|k| k.name.hans == home)
            .into_iter()
            .collect();
    }

    /// Everything but the names: contact details, tags, notes, the parent federation.
    fn fill(&self, o: &mut Organization, d: &Draft, roster: &Roster, rng: &mut StdRng) {
        let c = COUNTRIES.iter().find(|c| c.code == o.country).expect("a known country");
        o.name_zh = d.zh.clone().map(Cow::Owned);
        o.name_en = d.en.clone().map(Cow::Owned);
        o.other_names = d.other_names.iter().cloned().map(Cow::Owned).collect();
        o.city = Some(Cow::Borrowed(d.city));
        o.founded_year = Some(d.founded).filter(|_| rng.random_bool(0.85));
        o.hometowns = d.hometowns.iter().cloned().map(Cow::Owned).collect();
        let federation = d.member_of.iter().find_map(|f| self.federations.get(f));
        o.parent = federation
            .filter(|_| rng.random_bool(0.35))
            .map(|p| roster.ids[*p as usize].clone());
        let slug = slug(d, &o.external_id);
        if rng.random_bool(0.4) {
            o.website = Some(format!("https://{slug}.example.org"));
        }
        if rng.random_bool(0.35) {
            o.email = Some(if o.website.is_some() {
                format!("info@{slug}.example.org")
            } else {
                format!("{slug}@example.com")
            });
        }
        if rng.random_bool(0.4) {
            o.phone = Some(phone(c, rng));
        }
        if rng.random_bool(0.1) {
            o.tags = ORG_TAGS.choose(rng).copied().into_iter().collect();
        }
        if matches!(d.kind, Kind::Hometown | Kind::Clan | Kind::Benevolent) && rng.random_bool(0.08) {
            o.notes = ORG_NOTES.choose(rng).map(|n| Cow::Borrowed(*n));
        }
    }
}

const ORG_TAGS: &[&str] = &[
    "heritage building",
    "youth exchange",
    "federation member",
    "scholarship fund",
    "寻根之旅",
];
const ORG_NOTES: &[&str] = &[
    "Owns its hall; rents the ground floor to shops.",
    "Board elected every two years; next election in 2027.",
    "Runs Saturday Cantonese classes for members' children.",
    "Hosts the spring banquet every February.",
    "Publishes a members' newsletter in Chinese and English.",
    "Keeps genealogy books for member families.",
];

/// Names of the city-wide benevolent associations: (traditional, simplified, English, Spanish).
const BENEVOLENT: &[(&str, &str, &str, &str)] = &[
    (
        "中華會館",
        "中华会馆",
        "Chinese Benevolent Association of {city}",
        "Sociedad de Beneficencia China de {city}",
    ),
    (
        "中華公所",
        "中华公所",
        "Chinese Consolidated Benevolent Association of {city}",
        "Beneficencia China de {city}",
    ),
    (
        "華僑總會",
        "华侨总会",
        "{city} Overseas Chinese Association",
        "Asociación de Residentes Chinos de {city}",
    ),
];

fn benevolent(d: &mut Draft, c: &Country, country: usize, script: Script, rng: &mut StdRng) {
    let city = &c.cities[d.city_index];
    d.member_of.clear();
    d.heads = Some(Federation::City(country, d.city_index));
    let (hant, hans, en, es) = BENEVOLENT.choose(rng).expect("benevolent names");
    d.zh = Some(format!(
        "{}{}",
        pick_script(script, city.hant, city.hans),
        pick_script(script, hant, hans)
    ));
    let title = if local_lang(c) == Lang::Es { es } else { en };
    d.en = Some(title.replace("{city}", city.en));
    if rng.random_bool(0.3) {
        d.hometowns = vec!["四邑".to_string()];
    }
}

fn trade_office(d: &mut Draft, c: &Country) {
    d.city_index = 0;
    d.city = c.cities[0].en;
    d.zh = Some(format!("江门驻{}经贸代表处", c.hans));
    d.en = Some(format!("Jiangmen Economic and Trade Representative Office in {}", c.en));
    d.hometowns = vec!["江门".to_string()];
    d.member_of.clear();
}

fn chamber(d: &mut Draft, c: &Country, script: Script, rng: &mut StdRng) {
    let city = &c.cities[d.city_index];
    let es = local_lang(c) == Lang::Es;
    let city_zh = pick_script(script, city.hant, city.hans);
    let (zh, en, home) = match rng.random_range(0..3) {
        0 => (
            format!("{city_zh}{}", pick_script(script, "五邑商會", "五邑商会")),
            if es {
                format!("Cámara de Comercio Wuyi de {}", city.en)
            } else {
                format!("{} Ng Yap Chamber of Commerce", city.en)
            },
            Some("五邑"),
        ),
        1 => (
            format!(
                "{}{}",
                pick_script(script, c.hant, c.hans),
                pick_script(script, "江門總商會", "江门总商会")
            ),
            if es {
                format!("Cámara de Comercio de Jiangmen en {}", country_title(Lang::Es, c).0)
            } else {
                format!("Jiangmen Chamber of Commerce in {}", c.en)
            },
            Some(pick_script(script, "江門", "江门")),
        ),
        _ => (
            format!("{city_zh}{}", pick_script(script, "中華總商會", "中华总商会")),
            if es {
                format!("Cámara de Comercio China de {}", city.en)
            } else {
                format!("Chinese Chamber of Commerce of {}", city.en)
            },
            None,
        ),
    };
    d.zh = Some(zh);
    d.en = Some(en);
    d.hometowns = home.map(str::to_string).into_iter().collect();
}

/// A university's students and scholars association, or a city-wide one of Jiangmen students.
fn student(d: &mut Draft, c: &Country, rng: &mut StdRng) {
    let here: Vec<_> = UNIVERSITIES.iter().filter(|u| u.country == c.code).collect();
    match here.choose(rng) {
        Some(u) if rng.random_bool(0.6) => {
            d.zh = Some(format!("{}中国学生学者联合会", u.hans));
            d.en = Some(format!("{} Chinese Students and Scholars Association", u.en));
            d.other_names = vec![format!("{} CSSA", u.en)];
            d.city = u.city;
            d.city_index = c.cities.iter().position(|city| city.en == u.city).unwrap_or(d.city_index);
        }
        _ => {
            let city = &c.cities[d.city_index];
            d.zh = Some(format!("{}江门留学生联谊会", city.hans));
            d.en = Some(format!("Jiangmen Students Association of {}", city.en));
            d.hometowns = vec!["江门".to_string()];
        }
    }
    d.member_of.clear();
}

/// Other kinds named "<city><suffix>": (traditional, simplified, English with {city}).
const PROFESSIONS: &[(&str, &str, &str)] = &[
    ("華人工程師協會", "华人工程师协会", "Chinese Engineers Association of {city}"),
    ("華人醫學會", "华人医学会", "Chinese Medical Association of {city}"),
    ("華人會計師公會", "华人会计师公会", "Chinese Accountants Association of {city}"),
    (
        "華人專業人士協會",
        "华人专业人士协会",
        "Chinese Professionals Association of {city}",
    ),
    (
        "江門籍專家學者聯誼會",
        "江门籍专家学者联谊会",
        "Jiangmen Scholars and Experts Association of {city}",
    ),
    (
        "華人科技協會",
        "华人科技协会",
        "Chinese Association for Science and Technology of {city}",
    ),
];
const MEDIA: &[(&str, &str, &str)] = &[
    ("華聲報", "华声报", "{city} Chinese Herald"),
    ("僑報週刊", "侨报周刊", "{city} Chinese Weekly"),
    ("華語電台", "华语电台", "{city} Chinese Radio"),
    ("華人電視", "华人电视", "Chinese Television of {city}"),
];
const OTHERS: &[(&str, &str, &str)] = &[
    ("關帝廟", "关帝庙", "Kwan Tai Temple of {city}"),
    ("華人文化中心", "华人文化中心", "Chinese Cultural Centre of {city}"),
    ("醒獅團", "醒狮团", "{city} Lion Dance Troupe"),
    ("華僑義山", "华侨义山", "Chinese Cemetery Association of {city}"),
];

fn titled(d: &mut Draft, c: &Country, script: Script, titles: &[(&str, &str, &str)], rng: &mut StdRng) {
    let city = &c.cities[d.city_index];
    let (hant, hans, en) = titles.choose(rng).expect("titles");
    d.zh = Some(format!(
        "{}{}",
        pick_script(script, city.hant, city.hans),
        pick_script(script, hant, hans)
    ));
    d.en = Some(en.replace("{city}", city.en));
}

fn founded(kind: Kind, c: &Country, rng: &mut StdRng) -> i32 {
    if c.mostly_simplified() && kind != Kind::Trade {
        // Communities of recent emigrants organized from the 1990s.
        return rng.random_range(1990..=2023);
    }
    match kind {
        Kind::Hometown | Kind::Clan | Kind::Benevolent => rng.random_range(1850..=2015),
        Kind::Youth => rng.random_range(1995..=2023),
        Kind::Student => rng.random_range(1985..=2022),
        Kind::Trade => rng.random_range(2008..=2024),
        Kind::Chamber => rng.random_range(1900..=2020),
        Kind::Professional => rng.random_range(1970..=2020),
        Kind::Media | Kind::Other => rng.random_range(1900..=2015),
    }
}

/// Older associations write traditional characters; mainland-linked and newer ones, simplified.
fn org_script(kind: Kind, c: &Country, founded: i32, rng: &mut StdRng) -> Script {
    let simplified = match kind {
        Kind::Trade | Kind::Student => true,
        Kind::Youth => rng.random_bool(0.6),
        _ if c.mostly_simplified() => true,
        _ if matches!(c.code, "SG" | "MY") => founded > 1980,
        _ => founded > 2000 && rng.random_bool(0.5),
    };
    if simplified { Script::Hans } else { Script::Hant }
}

fn pick_script<'a>(script: Script, hant: &'a str, hans: &'a str) -> &'a str {
    if script == Script::Hans { hans } else { hant }
}

/// "Toishan Association of San Francisco" in the association's language.
fn local_title(lang: Lang, place: &str, city: &str, what: &str) -> String {
    match lang {
        Lang::Es => format!("Asociación {place} de {city}"),
        Lang::Pt => format!("Associação {place} de {city}"),
        Lang::Fr => format!("Association {place} de {city}"),
        Lang::En => format!("{place} {what} of {city}"),
    }
}

/// Country names in titles: (language, code, name, "of" + name).
const COUNTRY_TITLES: &[(Lang, &str, &str, &str)] = &[
    (Lang::Es, "PE", "Perú", "del Perú"),
    (Lang::Es, "MX", "México", "de México"),
    (Lang::Es, "PA", "Panamá", "de Panamá"),
    (Lang::Es, "ES", "España", "de España"),
    (Lang::Es, "DO", "República Dominicana", "de la República Dominicana"),
    (Lang::Pt, "BR", "Brasil", "do Brasil"),
    (Lang::Pt, "MZ", "Moçambique", "de Moçambique"),
    (Lang::Fr, "MU", "Maurice", "de Maurice"),
    (Lang::Fr, "RE", "La Réunion", "de La Réunion"),
    (Lang::Fr, "PF", "Polynésie française", "de Polynésie française"),
    (Lang::Fr, "NC", "Nouvelle-Calédonie", "de Nouvelle-Calédonie"),
    (Lang::Fr, "BE", "Belgique", "de Belgique"),
    (Lang::Fr, "SC", "Seychelles", "des Seychelles"),
    (Lang::Fr, "MA", "Maroc", "du Maroc"),
];

/// The country's name in a title, and "of the country" ("of the United States", "del Perú").
fn country_title(lang: Lang, c: &Country) -> (String, String) {
    if let Some((_, _, name, of)) = COUNTRY_TITLES.iter().find(|(l, code, _, _)| *l == lang && *code == c.code) {
        return (name.to_string(), of.to_string());
    }
    let of = if lang == Lang::En { "of" } else { "de" };
    (c.en.to_string(), format!("{of} {}", c.en))
}

/// How a clan writes its surname in the association's name.
fn clan_spelling(s: &Surname, c: &Country, rng: &mut StdRng) -> String {
    if let Some(tag) = c.tag
        && rng.random_bool(0.5)
        && let Some(local) = s.tagged_for(tag).next()
    {
        return local.to_string();
    }
    if matches!(c.code, "US" | "CA")
        && rng.random_bool(0.5)
        && let Some(t) = s.taishanese.first()
    {
        return t.clone();
    }
    s.cantonese.first().cloned().unwrap_or_else(|| capitalize(&s.pinyin))
}

/// A web name from the initials of the English name ("tasf" for Toishan Association of San Francisco).
fn slug(d: &Draft, external_id: &str) -> String {
    let initials: String =
        d.en.iter()
            .flat_map(|n| n.split_whitespace())
            .filter_map(|w| handle_word(w).chars().next())
            .collect();
    if initials.len() >= 3 { initials } else { handle_word(external_id) }
}
