//! Personal names: given-name characters with their readings, and how each community writes a
//! name in Latin letters (see domain/NOTES.md). Every Latin name is a reading of the same
//! characters as the Chinese name, so a record never contradicts itself.

use rand::RngExt;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::domain::Surname;
use super::hometown::Script;
use super::world::{Country, PORTUGUESE_SURNAMES, SPANISH_SURNAMES, Style, Western, western_names};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Male,
    Female,
    Either,
}

/// A given-name character and its readings.
pub struct Syllable {
    pub hant: &'static str,
    pub hans: &'static str,
    /// Hong Kong government spelling.
    pub canto: &'static str,
    /// Macau government spelling.
    pub macau: &'static str,
    pub pinyin: &'static str,
    /// Wade-Giles as Taiwan passports write it (no apostrophes or umlauts).
    pub wade: &'static str,
    /// Hokkien as Singapore and Malaysia write it.
    pub hokkien: &'static str,
    /// Sino-Vietnamese reading.
    pub viet: &'static str,
    used: Use,
}

#[allow(clippy::too_many_arguments)]
const fn g(
    hant: &'static str,
    hans: &'static str,
    canto: &'static str,
    macau: &'static str,
    pinyin: &'static str,
    wade: &'static str,
    hokkien: &'static str,
    viet: &'static str,
    used: Use,
) -> Syllable {
    Syllable {
        hant,
        hans,
        canto,
        macau,
        pinyin,
        wade,
        hokkien,
        viet,
        used,
    }
}

const M: Use = Use::Male;
const F: Use = Use::Female;
const N: Use = Use::Either;

pub const GIVEN: &[Syllable] = &[
    g("志", "志", "chi", "chi", "zhi", "chih", "chee", "chí", M),
    g("明", "明", "ming", "meng", "ming", "ming", "beng", "minh", N),
    g("偉", "伟", "wai", "wai", "wei", "wei", "wee", "vĩ", M),
    g("文", "文", "man", "man", "wen", "wen", "boon", "văn", M),
    g("國", "国", "kwok", "kuok", "guo", "kuo", "kok", "quốc", M),
    g("華", "华", "wah", "wa", "hua", "hua", "hua", "hoa", N),
    g("強", "强", "keung", "keong", "qiang", "chiang", "kiong", "cường", M),
    g("建", "建", "kin", "kin", "jian", "chien", "kian", "kiến", M),
    g("家", "家", "ka", "ka", "jia", "chia", "ka", "gia", N),
    g("俊", "俊", "chun", "chon", "jun", "chun", "choon", "tuấn", M),
    g("榮", "荣", "wing", "weng", "rong", "jung", "eng", "vinh", M),
    g("浩", "浩", "ho", "hou", "hao", "hao", "hoe", "hạo", M),
    g("傑", "杰", "kit", "kit", "jie", "chieh", "kiat", "kiệt", M),
    g("德", "德", "tak", "tak", "de", "te", "teck", "đức", M),
    g("輝", "辉", "fai", "fai", "hui", "hui", "hui", "huy", M),
    g("耀", "耀", "yiu", "io", "yao", "yao", "iau", "diệu", M),
    g("光", "光", "kwong", "kuong", "guang", "kuang", "kong", "quang", M),
    g("振", "振", "chun", "chan", "zhen", "chen", "chin", "chấn", M),
    g("興", "兴", "hing", "heng", "xing", "hsing", "heng", "hưng", M),
    g("龍", "龙", "lung", "long", "long", "lung", "liong", "long", M),
    g("達", "达", "tat", "tat", "da", "ta", "tat", "đạt", M),
    g("永", "永", "wing", "weng", "yong", "yung", "eng", "vĩnh", N),
    g("思", "思", "sze", "si", "si", "ssu", "su", "tư", N),
    g("健", "健", "kin", "kin", "jian", "chien", "kian", "kiện", M),
    g("嘉", "嘉", "ka", "ka", "jia", "chia", "ka", "gia", N),
    g("天", "天", "tin", "tin", "tian", "tien", "thian", "thiên", M),
    g("海", "海", "hoi", "hoi", "hai", "hai", "hai", "hải", M),
    g("東", "东", "tung", "tong", "dong", "tung", "tong", "đông", M),
    g("新", "新", "san", "san", "xin", "hsin", "sin", "tân", N),
    g("成", "成", "shing", "seng", "cheng", "cheng", "seng", "thành", M),
    g("展", "展", "chin", "chin", "zhan", "chan", "tian", "triển", M),
    g("鴻", "鸿", "hung", "hong", "hong", "hung", "hong", "hồng", M),
    g("錦", "锦", "kam", "kam", "jin", "chin", "kim", "cẩm", N),
    g("昌", "昌", "cheong", "cheong", "chang", "chang", "chiang", "xương", M),
    g("祖", "祖", "cho", "chou", "zu", "tsu", "chor", "tổ", M),
    g("炳", "炳", "ping", "peng", "bing", "ping", "peng", "bỉnh", M),
    g("麗", "丽", "lai", "lai", "li", "li", "lee", "lệ", F),
    g("美", "美", "mei", "mei", "mei", "mei", "bee", "mỹ", F),
    g("玉", "玉", "yuk", "iok", "yu", "yu", "geok", "ngọc", F),
    g("珍", "珍", "chun", "chan", "zhen", "chen", "tin", "trân", F),
    g("芳", "芳", "fong", "fong", "fang", "fang", "hong", "phương", F),
    g("秀", "秀", "sau", "sao", "xiu", "hsiu", "siew", "tú", F),
    g("蘭", "兰", "lan", "lan", "lan", "lan", "lan", "lan", F),
    g("慧", "慧", "wai", "wai", "hui", "hui", "hui", "tuệ", F),
    g("敏", "敏", "man", "man", "min", "min", "bin", "mẫn", N),
    g("雅", "雅", "nga", "nga", "ya", "ya", "nga", "nhã", F),
    g("婷", "婷", "ting", "teng", "ting", "ting", "teng", "đình", F),
    g("詩", "诗", "sze", "si", "shi", "shih", "si", "thi", F),
    g("欣", "欣", "yan", "ian", "xin", "hsin", "him", "hân", F),
    g("淑", "淑", "shuk", "sok", "shu", "shu", "siok", "thục", F),
    g("儀", "仪", "yee", "i", "yi", "yi", "gee", "nghi", F),
    g("碧", "碧", "pik", "pek", "bi", "pi", "phek", "bích", F),
    g("燕", "燕", "yin", "in", "yan", "yen", "eng", "yến", F),
    g("鳳", "凤", "fung", "fong", "feng", "feng", "hong", "phượng", F),
    g("詠", "咏", "wing", "weng", "yong", "yung", "eng", "vịnh", F),
    g("婉", "婉", "yuen", "un", "wan", "wan", "wan", "uyển", F),
    g("佩", "佩", "pui", "pui", "pei", "pei", "pwee", "bội", F),
    g("安", "安", "on", "on", "an", "an", "ann", "an", N),
    g("寶", "宝", "po", "pou", "bao", "pao", "poh", "bảo", N),
    g("惠", "惠", "wai", "wai", "hui", "hui", "hui", "huệ", F),
    g("穎", "颖", "wing", "weng", "ying", "ying", "eng", "dĩnh", F),
    g("晴", "晴", "ching", "cheng", "qing", "ching", "cheng", "tình", F),
    g("怡", "怡", "yi", "i", "yi", "yi", "ee", "di", F),
];

#[derive(Clone, Copy)]
enum Reading {
    Canto,
    Macau,
    Wade,
    Hokkien,
    Viet,
}

impl Syllable {
    fn read(&self, r: Reading) -> &'static str {
        match r {
            Reading::Canto => self.canto,
            Reading::Macau => self.macau,
            Reading::Wade => self.wade,
            Reading::Hokkien => self.hokkien,
            Reading::Viet => self.viet,
        }
    }
}

/// One or two given-name characters suited to the gender.
pub fn pick_given(gender: Gender, rng: &mut StdRng) -> Vec<&'static Syllable> {
    let fits = |s: &&Syllable| match gender {
        Gender::Male => s.used != Use::Female,
        Gender::Female => s.used != Use::Male,
        Gender::Other => true,
    };
    let first = loop {
        let s = GIVEN.choose(rng).expect("given names");
        if fits(&s) {
            break s;
        }
    };
    if rng.random_bool(0.12) {
        return vec![first];
    }
    loop {
        let s = GIVEN.choose(rng).expect("given names");
        if fits(&s) && s.hant != first.hant {
            return vec![first, s];
        }
    }
}

/// What the generator needs to write one person's names.
pub struct Person<'a> {
    pub surname: &'a Surname,
    pub given: &'a [&'static Syllable],
    pub gender: Gender,
    pub born: i32,
    pub country: &'a Country,
    pub style: Style,
    /// Taishanese spellings belong to Siyi families.
    pub siyi: bool,
    /// Another surname, for husbands, mothers and paper names.
    pub other_surname: &'a Surname,
}

pub struct Names {
    pub zh: Option<String>,
    pub latin: Option<String>,
    pub other: Vec<String>,
    /// The script of `zh` (Latin when there is none).
    pub script: Script,
    /// ASCII words for e-mail addresses and messaging ids.
    pub handle: (String, String),
    pub note: Option<&'static str>,
}

/// A romanized name before it is put in order.
struct Roman {
    surname: String,
    given: Vec<String>,
    reading: Reading,
    western: Option<&'static str>,
}

impl Roman {
    fn new(surname: String, given: &[&Syllable], reading: Reading) -> Roman {
        Roman {
            surname,
            given: given.iter().map(|s| capitalize(s.read(reading))).collect(),
            reading,
            western: None,
        }
    }
    fn spaced(&self) -> String {
        self.given.join(" ")
    }
    /// Chi-ming
    fn hyphen(&self) -> String {
        let mut parts = self.given.iter();
        let first = parts.next().cloned().unwrap_or_default();
        parts.fold(first, |acc, p| format!("{acc}-{}", p.to_lowercase()))
    }
    /// Chi-Ming
    fn hyphen_cap(&self) -> String {
        self.given.join("-")
    }
    /// Chiming
    fn joined(&self) -> String {
        let mut parts = self.given.iter();
        let first = parts.next().cloned().unwrap_or_default();
        parts.fold(first, |acc, p| acc + &p.to_lowercase())
    }
    /// The surname-first form in this reading, as other_names lists it.
    fn full(&self) -> String {
        format!("{} {}", self.surname, self.spaced())
    }
    fn handle(&self) -> (String, String) {
        let given = self.western.map(str::to_string).unwrap_or_else(|| self.joined());
        (handle_word(&given), handle_word(&self.surname))
    }
}

/// How the Chinese name of a draft is made.
enum Zh {
    /// Surname and given name in the person's script.
    Plain,
    /// Already written (a married name).
    Written(String),
    Missing,
}

/// A name as a style writes it, before the Chinese form is settled.
struct Draft {
    zh: Zh,
    latin: String,
    /// The Latin name carries a Western given name (then it is always kept).
    western: bool,
    other: Vec<String>,
    handle: (String, String),
    note: Option<&'static str>,
}

impl Draft {
    fn new(latin: String, western: bool, handle: (String, String)) -> Draft {
        Draft {
            zh: Zh::Plain,
            latin,
            western,
            other: Vec::new(),
            handle,
            note: None,
        }
    }
}

pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Folds accented Latin letters (Vietnamese, Spanish, Portuguese, French) to ASCII.
pub fn ascii_fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            let folded = match lower {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ả' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'ầ' | 'ấ' | 'ẩ' | 'ẫ' | 'ậ' => {
                    'a'
                }
                'è' | 'é' | 'ê' | 'ë' | 'ẻ' | 'ẽ' | 'ẹ' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
                'ì' | 'í' | 'î' | 'ï' | 'ỉ' | 'ĩ' | 'ị' => 'i',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ỏ' | 'ọ' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở' | 'ỡ' | 'ợ' => {
                    'o'
                }
                'ù' | 'ú' | 'û' | 'ü' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
                'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
                'đ' => 'd',
                'ç' => 'c',
                'ñ' => 'n',
                other => other,
            };
            if c.is_uppercase() { folded.to_ascii_uppercase() } else { folded }
        })
        .collect()
}

/// Lower-case ASCII letters and digits only: for e-mail addresses and messaging ids.
pub fn handle_word(s: &str) -> String {
    ascii_fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn western(w: Western, gender: Gender, rng: &mut StdRng) -> &'static str {
    let (male, female) = western_names(w);
    let list = match gender {
        Gender::Male => male,
        Gender::Female => female,
        Gender::Other if rng.random_bool(0.5) => male,
        Gender::Other => female,
    };
    list.choose(rng).copied().unwrap_or("Alex")
}

/// Mainland pinyin for a given name: syllables joined, with the apostrophe before a, o, e.
fn pinyin_given(given: &[&Syllable]) -> String {
    let mut out = String::new();
    for (i, s) in given.iter().enumerate() {
        if i == 0 {
            out.push_str(&capitalize(s.pinyin));
        } else {
            if s.pinyin.starts_with(['a', 'o', 'e']) {
                out.push('\'');
            }
            out.push_str(s.pinyin);
        }
    }
    out
}

pub fn chinese(surname: &Surname, given: &[&Syllable], script: Script) -> String {
    let mut out = String::from(if script == Script::Hans { &surname.hans } else { &surname.hant });
    for g in given {
        out.push_str(if script == Script::Hans { g.hans } else { g.hant });
    }
    out
}

/// The Cantonese spelling most people of this surname use, sometimes another one.
fn cantonese_spelling(s: &Surname, rng: &mut StdRng) -> String {
    let spelling = if rng.random_bool(0.8) {
        s.cantonese.first()
    } else {
        s.cantonese.choose(rng)
    };
    spelling.cloned().unwrap_or_else(|| capitalize(&s.pinyin))
}

fn tagged_spelling(s: &Surname, tag: Option<&str>, rng: &mut StdRng) -> Option<String> {
    let options: Vec<&str> = s.tagged_for(tag?).collect();
    options.choose(rng).map(|x| x.to_string())
}

fn dialect_spelling(s: &Surname, country: &Country, rng: &mut StdRng) -> Option<String> {
    if rng.random_bool(0.7)
        && let Some(local) = tagged_spelling(s, country.tag, rng)
    {
        return Some(local);
    }
    let options: Vec<&str> = ["Hokkien", "Teochew", "Hakka"].iter().flat_map(|t| s.tagged_for(t)).collect();
    options.choose(rng).map(|x| x.to_string())
}

fn surname_spelling(p: &Person, s: &Surname, rng: &mut StdRng) -> String {
    match p.style {
        Style::Taishanese => {
            if p.siyi && !s.taishanese.is_empty() && rng.random_bool(0.7) {
                return s.taishanese.choose(rng).cloned().unwrap_or_default();
            }
            if rng.random_bool(0.15)
                && let Some(us) = tagged_spelling(s, Some("USA"), rng)
            {
                return us;
            }
            cantonese_spelling(s, rng)
        }
        Style::Macau => tagged_spelling(s, Some("Macau"), rng).unwrap_or_else(|| cantonese_spelling(s, rng)),
        Style::Spanish => {
            if rng.random_bool(0.8)
                && let Some(local) = tagged_spelling(s, p.country.tag, rng)
            {
                return local;
            }
            match s.taishanese.choose(rng) {
                Some(t) if rng.random_bool(0.2) => t.clone(),
                _ => cantonese_spelling(s, rng),
            }
        }
        Style::WadeGiles => tagged_spelling(s, Some("Wade-Giles"), rng).unwrap_or_else(|| capitalize(&s.pinyin)),
        Style::Pinyin => capitalize(&s.pinyin),
        Style::Cantonese | Style::Dialect | Style::Vietnamese => {
            if rng.random_bool(0.15)
                && let Some(local) = tagged_spelling(s, p.country.tag, rng)
            {
                return local;
            }
            cantonese_spelling(s, rng)
        }
    }
}

/// Writes the person's names the way their community does.
pub fn write(p: &Person, rng: &mut StdRng) -> Names {
    let script = chinese_script(p, rng);
    let draft = match p.style {
        Style::Cantonese => cantonese(p, rng),
        Style::Taishanese => taishanese(p, rng),
        Style::Macau => macau(p, rng),
        Style::Spanish => spanish(p, rng),
        Style::Dialect => dialect(p, rng),
        Style::Vietnamese => vietnamese(p, rng),
        Style::Pinyin => pinyin(p, rng),
        Style::WadeGiles => wade_giles(p, rng),
    };
    let zh = match draft.zh {
        Zh::Plain => Some(chinese(p.surname, p.given, script)),
        Zh::Written(zh) => Some(zh),
        Zh::Missing => None,
    };
    // Some rolls only ever had the name in characters.
    let latin = Some(draft.latin).filter(|_| zh.is_none() || draft.western || rng.random_bool(0.95));
    let script = if zh.is_some() { script } else { Script::Latin };
    Names {
        zh,
        latin,
        other: draft.other,
        script,
        handle: draft.handle,
        note: draft.note,
    }
}

fn chinese_script(p: &Person, rng: &mut StdRng) -> Script {
    match (p.style, p.country.code) {
        (Style::Pinyin, _) => Script::Hans,
        (Style::Dialect, "SG" | "MY") if rng.random_bool(if p.born >= 1960 { 0.7 } else { 0.3 }) => Script::Hans,
        _ => Script::Hant,
    }
}

fn cantonese(p: &Person, rng: &mut StdRng) -> Draft {
    if p.gender == Gender::Female && p.born < 1975 && rng.random_bool(0.1) {
        return married(p, Reading::Canto, rng);
    }
    let mut r = Roman::new(surname_spelling(p, p.surname, rng), p.given, Reading::Canto);
    let s = r.surname.clone();
    let latin = match rng.random_range(0..100) {
        0..20 => {
            let w = *r.western.insert(western(p.country.western, p.gender, rng));
            format!("{w} {s} {}", r.hyphen())
        }
        20..35 => format!("{} {}", s.to_uppercase(), r.spaced()),
        35..45 => format!("{} {s}", r.hyphen_cap()),
        45..50 => format!("{s} {}", r.joined()),
        50..75 => r.full(),
        75..90 => {
            let w = *r.western.insert(western(p.country.western, p.gender, rng));
            format!("{w} {s}")
        }
        _ => format!("{s} {}", r.hyphen()),
    };
    finish(p, r, latin, rng)
}

fn taishanese(p: &Person, rng: &mut StdRng) -> Draft {
    let born_abroad = p.born >= 1965 && rng.random_bool(0.55);
    if !born_abroad && p.gender == Gender::Female && p.born < 1975 && rng.random_bool(0.08) {
        return married(p, Reading::Canto, rng);
    }
    let mut r = Roman::new(surname_spelling(p, p.surname, rng), p.given, Reading::Canto);
    let s = r.surname.clone();
    if born_abroad {
        // Later generations: an English name; the Chinese name is often kept only in the family.
        let w = *r.western.insert(western(p.country.western, p.gender, rng));
        let latin = if rng.random_bool(0.8) {
            format!("{w} {s}")
        } else {
            format!("{w} {} {s}", r.spaced())
        };
        let mut draft = finish(p, r, latin, rng);
        if rng.random_bool(0.55) {
            draft.zh = Zh::Missing;
        }
        return draft;
    }
    let latin = match rng.random_range(0..100) {
        0..45 => r.full(),
        45..65 => {
            let w = *r.western.insert(western(p.country.western, p.gender, rng));
            format!("{w} {s}")
        }
        65..80 => format!("{} {s}", r.spaced()),
        80..90 => format!("{} {}", s.to_uppercase(), r.spaced()),
        _ => format!("{s} {}", r.hyphen()),
    };
    let mut draft = finish(p, r, latin, rng);
    if p.country.code == "US" && p.born < 1955 && rng.random_bool(0.08) {
        let paper = Roman::new(cantonese_spelling(p.other_surname, rng), p.given, Reading::Canto);
        draft.other.push(paper.full());
        draft.note = Some("The family came in under a paper name: older US records use the name in other_names.");
    }
    draft
}

fn macau(p: &Person, rng: &mut StdRng) -> Draft {
    if p.gender == Gender::Female && p.born < 1975 && rng.random_bool(0.1) {
        return married(p, Reading::Macau, rng);
    }
    let mut r = Roman::new(surname_spelling(p, p.surname, rng), p.given, Reading::Macau);
    let s = r.surname.clone();
    let latin = match rng.random_range(0..100) {
        0..60 => r.full(),
        60..80 => r.full().to_uppercase(),
        _ => {
            let w = *r.western.insert(western(p.country.western, p.gender, rng));
            format!("{w} {s} {}", r.spaced())
        }
    };
    finish(p, r, latin, rng)
}

/// 陳方安生 style: husband's surname, own surname, given name; the maiden name is kept too.
fn married(p: &Person, reading: Reading, rng: &mut StdRng) -> Draft {
    let husband = surname_spelling(p, p.other_surname, rng);
    let r = Roman::new(surname_spelling(p, p.surname, rng), p.given, reading);
    let maiden = chinese(p.surname, p.given, Script::Hant);
    let with_western = rng.random_bool(0.5);
    let (latin, first) = if with_western {
        let w = western(p.country.western, p.gender, rng);
        (format!("{w} {husband}"), w.to_string())
    } else {
        (format!("{husband} {}", r.full()), r.joined())
    };
    Draft {
        zh: Zh::Written(format!("{}{maiden}", p.other_surname.hant)),
        latin,
        western: with_western,
        other: vec![maiden, r.full()],
        handle: (handle_word(&first), handle_word(&husband)),
        note: None,
    }
}

fn spanish(p: &Person, rng: &mut StdRng) -> Draft {
    if p.born < 1960 && rng.random_bool(0.4) {
        // Born in China: the name as the association rolls write it.
        return cantonese(p, rng);
    }
    let chinese_surname = surname_spelling(p, p.surname, rng);
    let portuguese = p.country.western == Western::Portuguese;
    let other = if rng.random_bool(0.7) {
        let local = if portuguese { PORTUGUESE_SURNAMES } else { SPANISH_SURNAMES };
        local.choose(rng).copied().unwrap_or("Pérez").to_string()
    } else {
        cantonese_spelling(p.other_surname, rng)
    };
    // The Chinese surname usually comes from the father, sometimes from the mother.
    let (paternal, maternal) = if rng.random_bool(0.85) {
        (chinese_surname.clone(), other)
    } else {
        (other, chinese_surname.clone())
    };
    let w = western(p.country.western, p.gender, rng);
    // Brazil puts the mother's surname first.
    let latin = if portuguese {
        format!("{w} {maternal} {paternal}")
    } else {
        format!("{w} {paternal} {maternal}")
    };
    let mut draft = Draft::new(latin, true, (handle_word(w), handle_word(&paternal)));
    if rng.random_bool(if p.born < 1960 { 0.7 } else { 0.35 }) {
        if rng.random_bool(0.3) {
            draft.other.push(Roman::new(chinese_surname, p.given, Reading::Canto).full());
        }
    } else {
        draft.zh = Zh::Missing;
    }
    draft
}

fn dialect(p: &Person, rng: &mut StdRng) -> Draft {
    let Some(s) = dialect_spelling(p.surname, p.country, rng) else {
        return cantonese(p, rng);
    };
    let mut r = Roman::new(s.clone(), p.given, Reading::Hokkien);
    if p.country.code == "TH" && !s.contains(' ') && rng.random_bool(0.4) {
        // แซ่ + surname: Thai Chinese families kept the clan name this way.
        let w = *r.western.insert(western(Western::Thai, p.gender, rng));
        let latin = format!("{w} Sae-{s}");
        return finish(p, r, latin, rng);
    }
    let roll = rng.random_range(0..100);
    let latin = match roll {
        0..55 => r.full(),
        55..65 => r.full().to_uppercase(),
        _ => {
            let w = *r.western.insert(western(p.country.western, p.gender, rng));
            if roll < 80 {
                format!("{w} {s} {}", r.spaced())
            } else {
                format!("{w} {s}")
            }
        }
    };
    let mut draft = finish(p, r, latin, rng);
    if p.country.code == "ID" && p.born >= 1966 && rng.random_bool(0.4) {
        draft.zh = Zh::Missing;
    }
    draft
}

fn vietnamese(p: &Person, rng: &mut StdRng) -> Draft {
    let Some(s) = p.surname.tagged_for("Vietnamese").next().map(str::to_string) else {
        return cantonese(p, rng);
    };
    let r = Roman::new(s.clone(), p.given, Reading::Viet);
    let latin = if p.country.code == "VN" {
        match rng.random_range(0..10) {
            0..5 => r.full(),
            5..9 => ascii_fold(&r.full()),
            _ => ascii_fold(&r.full()).to_uppercase(),
        }
    } else {
        // Abroad the family name usually moves to the end.
        match rng.random_range(0..10) {
            0..6 => ascii_fold(&format!("{} {s}", r.spaced())),
            _ => ascii_fold(&r.full()),
        }
    };
    let mut draft = finish(p, r, latin, rng);
    if rng.random_bool(0.25) {
        draft.zh = Zh::Missing;
    }
    draft
}

fn pinyin(p: &Person, rng: &mut StdRng) -> Draft {
    let s = capitalize(&p.surname.pinyin);
    let given = pinyin_given(p.given);
    let mut western_name = None;
    let latin = match rng.random_range(0..100) {
        0..20 => {
            // PRC passports: 吕 is LYU since 2012.
            let passport = tagged_spelling(p.surname, Some("PRC passport"), rng).unwrap_or_else(|| s.clone());
            format!("{} {}", passport.to_uppercase(), given.replace('\'', "").to_uppercase())
        }
        20..35 => format!("{} {given}", s.to_uppercase()),
        35..70 => format!("{s} {given}"),
        70..90 => format!("{given} {s}"),
        _ => {
            let w = *western_name.insert(western(Western::English, p.gender, rng));
            format!("{w} {s}")
        }
    };
    let first = western_name.unwrap_or(&given);
    let mut draft = Draft::new(latin, western_name.is_some(), (handle_word(first), handle_word(&s)));
    if rng.random_bool(0.1) {
        // Jiangmen families often also go by the Cantonese reading.
        draft
            .other
            .push(Roman::new(cantonese_spelling(p.surname, rng), p.given, Reading::Canto).full());
    }
    draft
}

fn wade_giles(p: &Person, rng: &mut StdRng) -> Draft {
    let mut r = Roman::new(surname_spelling(p, p.surname, rng), p.given, Reading::Wade);
    let s = r.surname.clone();
    let latin = match rng.random_range(0..100) {
        0..50 => format!("{s} {}", r.hyphen()),
        50..75 => format!("{} {s}", r.hyphen()),
        75..90 => format!("{}, {}", s.to_uppercase(), r.hyphen_cap().to_uppercase()),
        _ => {
            let w = *r.western.insert(western(Western::English, p.gender, rng));
            format!("{w} {s}")
        }
    };
    finish(p, r, latin, rng)
}

/// The common ending: sometimes another way the person is known (the full name behind an
/// English one, or another Cantonese spelling of the surname).
fn finish(p: &Person, r: Roman, latin: String, rng: &mut StdRng) -> Draft {
    let mut draft = Draft::new(latin, r.western.is_some(), r.handle());
    if r.western.is_some() {
        if rng.random_bool(0.3) {
            draft.other.push(r.full());
        }
    } else if matches!(r.reading, Reading::Canto | Reading::Macau)
        && rng.random_bool(0.06)
        && let Some(alt) = p.surname.cantonese.iter().chain(&p.surname.taishanese).find(|a| **a != r.surname)
    {
        draft.other.push(format!("{alt} {}", r.spaced()));
    }
    draft
}
