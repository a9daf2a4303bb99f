//! Ancestral hometowns from places.csv, written every way the records write them: county
//! only (台山, Toisan), county and town (台山 斗山, 臺山斗山鎮, Doushan, Hoy Sun), the region
//! (四邑, Sze Yup) or an old name (新寧, Sunning).

use rand::RngExt;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::domain::Place;
use super::world::Bias;

/// The script a record is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Hant,
    Hans,
    Latin,
}

/// The written forms of one hometown in each script.
#[derive(Default)]
pub struct Forms {
    pub hant: Vec<String>,
    pub hans: Vec<String>,
    pub latin: Vec<String>,
}

impl Forms {
    pub fn pick(&self, script: Script, rng: &mut StdRng) -> &str {
        let forms = match script {
            Script::Hant => &self.hant,
            Script::Hans => &self.hans,
            Script::Latin => &self.latin,
        };
        forms.choose(rng).map(String::as_str).unwrap_or_default()
    }
}

/// A place's own name, for association titles (台山 / 台山 / Toishan).
pub struct Name {
    pub hant: String,
    pub hans: String,
    /// Attested romanizations, or pinyin when none is attested.
    pub latin: Vec<String>,
}

pub struct Town {
    pub name: Name,
    pub forms: Forms,
}

pub struct County {
    pub id: String,
    pub name: Name,
    pub forms: Forms,
    pub towns: Vec<Town>,
    /// An older name of the county (新寧 for Taishan, 岡州 for Xinhui), for older people.
    pub old_name: Option<Forms>,
}

pub struct Hometowns {
    pub counties: Vec<County>,
    /// 五邑, 四邑, 江门 in their forms.
    pub regions: Vec<(Name, Forms)>,
    weights: [WeightedIndex<u32>; 3],
}

/// County-level places that send emigrants, with their usual share of them.
const COUNTY_SHARES: &[(&str, u32)] = &[
    ("taishan", 34),
    ("kaiping", 20),
    ("xinhui", 18),
    ("enping", 12),
    ("heshan", 7),
    ("pengjiang", 5),
    ("jianghai", 2),
];
const REGIONS: &[&str] = &["wuyi", "siyi", "jiangmen"];
/// Historic names worth writing as a hometown, and the county they belong to.
const OLD_NAMES: &[(&str, &str)] = &[("xinning", "taishan"), ("gangzhou", "xinhui")];

fn name_of(p: &Place) -> Name {
    let latin = if p.romanizations.is_empty() {
        vec![p.pinyin.clone()]
    } else {
        p.romanizations.clone()
    };
    Name {
        hant: p.hant.clone(),
        hans: p.hans.clone(),
        latin,
    }
}

fn own_forms(p: &Place) -> Forms {
    let mut forms = Forms::default();
    forms.hant.push(p.hant.clone());
    if p.hant.contains('台') {
        // 台山 = 臺山: both are in use.
        forms.hant.push(p.hant.replace('台', "臺"));
    }
    forms.hans.push(p.hans.clone());
    if p.official != p.hans {
        forms.hans.push(p.official.clone());
    }
    forms.latin.push(p.pinyin.clone());
    forms.latin.extend(p.romanizations.iter().cloned());
    forms
}

fn town_forms(county: &Place, town: &Place) -> Forms {
    let mut forms = Forms::default();
    forms.hant.push(format!("{} {}", county.hant, town.hant));
    forms.hant.push(format!("{}{}", county.hant, town.hant));
    if town.level == "town" {
        forms.hant.push(format!("{}{}鎮", county.hant, town.hant));
    }
    forms.hans.push(format!("{} {}", county.hans, town.hans));
    forms.hans.push(format!("{}{}", county.hans, town.official));
    forms.latin.push(format!("{} {}", county.pinyin, town.pinyin));
    for county_latin in std::iter::once(&county.pinyin).chain(&county.romanizations) {
        forms.latin.push(format!("{}, {}", town.pinyin, county_latin));
    }
    forms
}

impl Hometowns {
    pub fn new(places: &[Place]) -> Hometowns {
        let by_id = |id: &str| places.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("places.csv has {id}"));
        let counties: Vec<County> = COUNTY_SHARES
            .iter()
            .map(|(id, _)| {
                let county = by_id(id);
                let towns = places
                    .iter()
                    .filter(|t| t.parent == county.id && matches!(t.level.as_str(), "town" | "subdistrict" | "former town"))
                    .map(|t| Town {
                        name: name_of(t),
                        forms: town_forms(county, t),
                    })
                    .collect();
                let old_name = OLD_NAMES.iter().find(|(_, c)| c == id).map(|(old, _)| own_forms(by_id(old)));
                County {
                    id: id.to_string(),
                    name: name_of(county),
                    forms: own_forms(county),
                    towns,
                    old_name,
                }
            })
            .collect();
        let regions = REGIONS.iter().map(|id| (name_of(by_id(id)), own_forms(by_id(id)))).collect();
        let shares = |bias: Bias| {
            let boosted = match bias {
                Bias::None => "",
                Bias::Taishan => "taishan",
                Bias::Enping => "enping",
            };
            let w = COUNTY_SHARES
                .iter()
                .map(|(id, share)| if *id == boosted { share * 3 } else { *share });
            WeightedIndex::new(w).expect("county shares are positive")
        };
        Hometowns {
            counties,
            regions,
            weights: [shares(Bias::None), shares(Bias::Taishan), shares(Bias::Enping)],
        }
    }

    /// A county index for someone from a community with this bias.
    pub fn county(&self, bias: Bias, rng: &mut StdRng) -> usize {
        let i = match bias {
            Bias::None => 0,
            Bias::Taishan => 1,
            Bias::Enping => 2,
        };
        self.weights[i].sample(rng)
    }

    /// How a person writes their hometown in `county`, or nothing (not recorded).
    pub fn written(&self, county: usize, script: Script, born: i32, rng: &mut StdRng) -> Option<&str> {
        let c = &self.counties[county];
        let roll = rng.random_range(0..100);
        let forms = match roll {
            0..8 => return None,
            8..12 => &self.regions.choose(rng)?.1,
            12..15 if born < 1960 => c.old_name.as_ref().unwrap_or(&c.forms),
            15..45 if !c.towns.is_empty() => &c.towns.choose(rng)?.forms,
            _ => &c.forms,
        };
        Some(forms.pick(script, rng)).filter(|s| !s.is_empty())
    }
}
