//! The hometown hierarchy (province → city → county → town) from `domain/places.csv`,
//! and resolution of any written form of a place (台山, 臺山, Toisan, "台山 斗山",
//! "Haiyan, Taishan", 新會司前鎮) to the most specific place it names.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::models::Place;

const PLACES_CSV: &str = include_str!("../domain/places.csv");

/// Variant characters that name the same place (from the domain notes): fold the left
/// form to the right one before matching.
const VARIANTS: &[(char, char)] = &[('臺', '台'), ('晏', '宴'), ('沖', '冲'), ('岡', '冈'), ('甯', '宁')];

/// Words that only say what kind of place it is ("Taishan City", 台山市, 三合镇).
const LATIN_LEVEL_WORDS: &[&str] = &[
    "city", "county", "district", "town", "township", "village", "shi", "xian", "zhen", "qu",
];
const CJK_LEVEL_SUFFIXES: &[&str] = &["街道", "市", "区", "县", "镇", "乡", "村"];

pub struct Places {
    rows: Vec<Place>,
    index_of: HashMap<String, usize>,
    /// normalized form -> places written that way
    forms: HashMap<String, Vec<usize>>,
    /// traditional -> simplified characters, learnt from the table's own name pairs
    to_simplified: HashMap<char, char>,
    longest_cjk_form: usize,
}

/// What a written hometown resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The most specific place named.
    Place(String),
    /// Several places fit equally well; this is the nearest place containing them all.
    Ambiguous(String),
    /// Nothing in the hierarchy matched.
    Unknown,
}

impl Resolution {
    pub fn place_id(&self) -> Option<&str> {
        match self {
            Resolution::Place(id) | Resolution::Ambiguous(id) => Some(id),
            Resolution::Unknown => None,
        }
    }
}

impl Places {
    /// The table shipped with this binary.
    pub fn get() -> &'static Places {
        static PLACES: OnceLock<Places> = OnceLock::new();
        PLACES.get_or_init(|| Places::parse(PLACES_CSV).expect("domain/places.csv is valid"))
    }

    fn parse(csv_text: &str) -> anyhow::Result<Places> {
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let mut rows = Vec::new();
        for record in reader.deserialize::<HashMap<String, String>>() {
            let r = record?;
            let get = |k: &str| r.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            rows.push(Place {
                id: get("id").ok_or_else(|| anyhow::anyhow!("place without id"))?,
                level: get("level").unwrap_or_default(),
                name_simplified: get("simplified").unwrap_or_default(),
                name_official: get("official_simplified"),
                name_traditional: get("traditional"),
                pinyin: get("pinyin"),
                jyutping: get("jyutping"),
                romanizations: get("romanizations_attested")
                    .map(|s| s.split(';').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
                    .unwrap_or_default(),
                parent_id: get("parent_id"),
                status: get("status").unwrap_or_else(|| "current".into()),
                notes: get("notes"),
                source: get("source"),
            });
        }
        let mut to_simplified = HashMap::new();
        for p in &rows {
            if let Some(trad) = &p.name_traditional {
                if trad.chars().count() == p.name_simplified.chars().count() {
                    for (t, s) in trad.chars().zip(p.name_simplified.chars()) {
                        if t != s {
                            to_simplified.insert(t, s);
                        }
                    }
                }
            }
        }
        let index_of = rows.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        let mut places = Places {
            rows,
            index_of,
            forms: HashMap::new(),
            to_simplified,
            longest_cjk_form: 1,
        };
        for i in 0..places.rows.len() {
            for form in places.written_forms(i) {
                let key = places.normalize(&form);
                if key.is_empty() {
                    continue;
                }
                if is_cjk_text(&key) {
                    places.longest_cjk_form = places.longest_cjk_form.max(key.chars().count());
                }
                let entry = places.forms.entry(key).or_default();
                if !entry.contains(&i) {
                    entry.push(i);
                }
            }
        }
        Ok(places)
    }

    fn written_forms(&self, i: usize) -> Vec<String> {
        let p = &self.rows[i];
        let mut forms = vec![p.name_simplified.clone()];
        forms.extend(p.name_official.clone());
        forms.extend(p.name_traditional.clone());
        forms.extend(p.pinyin.clone());
        forms.extend(p.romanizations.iter().cloned());
        forms
    }

    pub fn rows(&self) -> &[Place] {
        &self.rows
    }

    pub fn by_id(&self, id: &str) -> Option<&Place> {
        self.index_of.get(id).map(|&i| &self.rows[i])
    }

    /// A place named by its id (`taishan`) or by any written form (`Toisan`, `臺山`).
    pub fn lookup(&self, text: &str) -> Option<String> {
        match self.by_id(text) {
            Some(p) => Some(p.id.clone()),
            None => self.resolve(text).place_id().map(str::to_string),
        }
    }

    /// The place and every place below it (a county and its towns).
    pub fn with_descendants(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_string()];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i].clone();
            out.extend(
                self.rows
                    .iter()
                    .filter(|p| p.parent_id.as_deref() == Some(&parent))
                    .map(|p| p.id.clone()),
            );
            i += 1;
        }
        out
    }

    /// The place's ancestors, nearest first.
    pub fn ancestors(&self, id: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = self.by_id(id).and_then(|p| p.parent_id.clone());
        while let Some(pid) = current {
            current = self.by_id(&pid).and_then(|p| p.parent_id.clone());
            out.push(pid);
        }
        out
    }

    /// Folds script, variants, case and spacing so that every written form of a name
    /// gives the same key.
    fn normalize(&self, text: &str) -> String {
        let mut out = String::new();
        for word in split_words(text) {
            if !is_cjk_text(&word) && LATIN_LEVEL_WORDS.contains(&word.as_str()) {
                continue;
            }
            out.push_str(&word);
        }
        let mut folded: String = out.chars().map(|c| self.fold_char(c)).collect();
        for suffix in CJK_LEVEL_SUFFIXES {
            if folded.chars().count() > suffix.chars().count() + 1 {
                if let Some(stripped) = folded.strip_suffix(suffix) {
                    folded = stripped.to_string();
                    break;
                }
            }
        }
        folded
    }

    fn fold_char(&self, c: char) -> char {
        let c = VARIANTS.iter().find(|(v, _)| *v == c).map(|(_, to)| *to).unwrap_or(c);
        *self.to_simplified.get(&c).unwrap_or(&c)
    }

    /// Resolves a written hometown to the most specific place it names.
    pub fn resolve(&self, text: &str) -> Resolution {
        let groups = self.find_mentions(text);
        if groups.is_empty() {
            return Resolution::Unknown;
        }
        // Keep, in each mention, the places consistent with the other mentions (a town
        // under the county also named), then take the deepest.
        let mut best: Vec<usize> = Vec::new();
        let mut best_depth = 0;
        for (g, group) in groups.iter().enumerate() {
            for &cand in group {
                let consistent = groups
                    .iter()
                    .enumerate()
                    .all(|(h, other)| h == g || other.iter().any(|&o| o == cand || self.is_related(cand, o)));
                if !consistent {
                    continue;
                }
                let depth = self.ancestors(&self.rows[cand].id).len();
                if depth > best_depth || best.is_empty() {
                    best = vec![cand];
                    best_depth = depth;
                } else if depth == best_depth && !best.contains(&cand) {
                    best.push(cand);
                }
            }
        }
        // A historic county and today's town of the same name (赤溪): today's place wins.
        if best.iter().any(|&i| self.rows[i].status == "current") {
            best.retain(|&i| self.rows[i].status == "current");
        }
        match best.as_slice() {
            [] => Resolution::Unknown,
            [one] => Resolution::Place(self.rows[*one].id.clone()),
            many => match self.common_ancestor(many) {
                Some(id) => Resolution::Ambiguous(id),
                None => Resolution::Unknown,
            },
        }
    }

    fn is_related(&self, a: usize, b: usize) -> bool {
        let (ida, idb) = (&self.rows[a].id, &self.rows[b].id);
        self.ancestors(ida).contains(idb) || self.ancestors(idb).contains(ida)
    }

    fn common_ancestor(&self, places: &[usize]) -> Option<String> {
        let chains: Vec<Vec<String>> = places
            .iter()
            .map(|&i| {
                let mut chain = vec![self.rows[i].id.clone()];
                chain.extend(self.ancestors(&self.rows[i].id));
                chain
            })
            .collect();
        let others: Vec<HashSet<&String>> = chains[1..].iter().map(|c| c.iter().collect()).collect();
        chains[0].iter().find(|id| others.iter().all(|set| set.contains(id))).cloned()
    }

    /// Every place name found in the text: Latin words are matched one to three at a
    /// time (Hoi Ping = Hoiping), Chinese runs by longest match (台山三合镇 = 台山 + 三合).
    fn find_mentions(&self, text: &str) -> Vec<Vec<usize>> {
        let mut found = Vec::new();
        let words = split_words(text);
        let mut i = 0;
        while i < words.len() {
            if is_cjk_text(&words[i]) {
                found.extend(self.match_cjk_run(&words[i]));
                i += 1;
                continue;
            }
            let mut matched = 0;
            for n in (1..=3).rev() {
                if i + n > words.len() || words[i..i + n].iter().any(|w| is_cjk_text(w)) {
                    continue;
                }
                let key = self.normalize(&words[i..i + n].join(""));
                if let Some(hit) = self.forms.get(&key) {
                    found.push(hit.clone());
                    matched = n;
                    break;
                }
            }
            i += matched.max(1);
        }
        found
    }

    fn match_cjk_run(&self, run: &str) -> Vec<Vec<usize>> {
        let chars: Vec<char> = run.chars().map(|c| self.fold_char(c)).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let mut step = 1;
            for len in (2..=self.longest_cjk_form.min(chars.len() - i)).rev() {
                let key: String = chars[i..i + len].iter().collect();
                if let Some(hit) = self.forms.get(&key) {
                    found.push(hit.clone());
                    step = len;
                    break;
                }
            }
            i += step;
        }
        found
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn is_cjk_text(s: &str) -> bool {
    s.chars().any(is_cjk)
}

/// Lower-cased words: runs of Chinese characters, or runs of Latin letters and digits
/// (apostrophes and hyphens inside a name are dropped, so Gan-ping = Ganping).
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut current_cjk = false;
    for c in text.chars() {
        if c == '-' || c == '\'' || c == '’' {
            continue;
        }
        let cjk = is_cjk(c);
        if cjk || c.is_alphanumeric() {
            if !current.is_empty() && cjk != current_cjk {
                words.push(std::mem::take(&mut current));
            }
            current_cjk = cjk;
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str) -> Option<String> {
        Places::get().resolve(text).place_id().map(str::to_string)
    }

    #[test]
    fn county_in_every_script_and_spelling() {
        for form in [
            "台山",
            "臺山",
            "台山市",
            "Toisan",
            "Hoisan",
            "Hoy Sun",
            "Toy San",
            "TAISHAN",
            "Taishan City",
        ] {
            assert_eq!(resolve(form).as_deref(), Some("taishan"), "{form}");
        }
        assert_eq!(resolve("Hoi Ping").as_deref(), Some("kaiping"));
        assert_eq!(resolve("開平市").as_deref(), Some("kaiping"));
        assert_eq!(resolve("Gan-ping").as_deref(), Some("enping"));
        assert_eq!(resolve("鶴山").as_deref(), Some("heshan"));
        assert_eq!(resolve("Kongmoon").as_deref(), Some("jiangmen"));
    }

    #[test]
    fn town_under_its_county_joined_spaced_or_with_suffix() {
        for form in ["台山 斗山", "台山斗山", "臺山斗山鎮", "台山斗山镇"] {
            assert_eq!(resolve(form).as_deref(), Some("taishan:斗山"), "{form}");
        }
        assert_eq!(resolve("新會司前鎮").as_deref(), Some("xinhui:司前"));
        assert_eq!(resolve("開平 龍勝").as_deref(), Some("kaiping:龙胜"));
        assert_eq!(resolve("台山沖蔞").as_deref(), Some("taishan:冲蒌"));
    }

    #[test]
    fn variant_characters_fold() {
        // 海晏 is how the New York association writes the town 海宴.
        assert_eq!(resolve("台山海晏").as_deref(), Some("taishan:海宴"));
    }

    #[test]
    fn historic_names_resolve_under_their_county() {
        assert_eq!(resolve("新寧").as_deref(), Some("xinning"));
        assert!(Places::get().ancestors("xinning").contains(&"taishan".to_string()));
        assert_eq!(resolve("Kong Chow").as_deref(), Some("gangzhou"));
    }

    #[test]
    fn ambiguous_town_falls_back_to_the_place_containing_both() {
        // 白沙 is a town of Taishan and a subdistrict of Pengjiang.
        assert_eq!(Places::get().resolve("白沙"), Resolution::Ambiguous("jiangmen".into()));
        assert_eq!(resolve("台山 白沙").as_deref(), Some("taishan:白沙"));
    }

    #[test]
    fn a_current_town_wins_over_a_historic_county_of_the_same_name() {
        assert_eq!(Places::get().resolve("台山赤溪"), Resolution::Place("taishan:赤溪".into()));
        assert_eq!(Places::get().resolve("Chixi, Hoi San"), Resolution::Place("taishan:赤溪".into()));
    }

    #[test]
    fn unknown_places_stay_unresolved() {
        assert_eq!(Places::get().resolve("Guangzhou"), Resolution::Unknown);
        assert_eq!(Places::get().resolve(""), Resolution::Unknown);
    }

    #[test]
    fn descendants_include_towns() {
        let below = Places::get().with_descendants("taishan");
        assert!(below.contains(&"taishan:斗山".to_string()));
        assert!(!below.contains(&"kaiping".to_string()));
    }
}
