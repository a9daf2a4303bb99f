//! Jyutping to the Hong Kong government style spellings emigrants carry (陳 can4 → chan,
//! 志 zi3 → chi, 婉 jyun2 → yuen), with the common alternatives.

/// Initials and their spellings, usual first. Two-letter initials come first so they match first.
const INITIALS: &[(&str, &[&str])] = &[
    ("gw", &["kw"]),
    ("kw", &["kw"]),
    ("ng", &["ng"]),
    ("b", &["p"]),
    ("p", &["p"]),
    ("d", &["t"]),
    ("t", &["t"]),
    ("g", &["k"]),
    ("k", &["k"]),
    ("z", &["ch", "ts"]),
    ("c", &["ch", "ts"]),
    ("s", &["s", "sh"]),
    ("j", &["y"]),
    ("h", &["h"]),
    ("f", &["f"]),
    ("l", &["l"]),
    ("m", &["m"]),
    ("n", &["n"]),
    ("w", &["w"]),
];

/// Finals and their spellings, usual first. The yu- finals are spelled as after a consonant
/// (朱 zyu → chu); after j the initial's y restores them (余 jyu → yu, 源 jyun → yuen).
/// Finals missing here (rare colloquial ones) are written as they are.
const FINALS: &[(&str, &[&str])] = &[
    ("aa", &["a", "ah"]),
    ("aai", &["ai"]),
    ("aau", &["au"]),
    ("aam", &["am"]),
    ("aan", &["an"]),
    ("aang", &["ang"]),
    ("aap", &["ap"]),
    ("aat", &["at"]),
    ("aak", &["ak"]),
    ("ai", &["ai"]),
    ("au", &["au", "ow"]),
    ("am", &["am", "um"]),
    ("an", &["an", "un"]),
    ("ang", &["ang"]),
    ("ap", &["ap"]),
    ("at", &["at"]),
    ("ak", &["ak"]),
    ("e", &["e"]),
    ("ei", &["ei", "ee", "ay"]),
    ("eng", &["eng"]),
    ("ek", &["ek"]),
    ("i", &["i", "ee"]),
    ("iu", &["iu"]),
    ("im", &["im"]),
    ("in", &["in"]),
    ("ing", &["ing"]),
    ("ip", &["ip"]),
    ("it", &["it"]),
    ("ik", &["ik"]),
    ("o", &["o", "oh"]),
    ("oi", &["oi", "oy"]),
    ("ou", &["o", "ou"]),
    ("on", &["on"]),
    ("ong", &["ong"]),
    ("ot", &["ot"]),
    ("ok", &["ok"]),
    ("oe", &["oe"]),
    ("oeng", &["eung"]),
    ("oek", &["euk"]),
    ("eoi", &["ui", "eui"]),
    ("eon", &["un", "eun"]),
    ("eot", &["ut"]),
    ("u", &["u", "oo"]),
    ("ui", &["ui"]),
    ("un", &["un", "oon"]),
    ("ung", &["ung", "oong"]),
    ("ut", &["ut"]),
    ("uk", &["uk"]),
    ("yu", &["u", "ue"]),
    ("yun", &["uen", "un"]),
    ("yut", &["uet", "ut"]),
];

/// Whole syllables with spellings of their own: 志 Chi / 子 Tsz, 思 Sze, and the syllabic
/// nasals (吳 Ng).
const SYLLABLES: &[(&str, &[&str])] = &[
    ("zi", &["chi", "tsz", "tze"]),
    ("ci", &["chi", "tsz", "tze"]),
    ("si", &["sze", "si", "shi"]),
    ("m", &["m"]),
    ("ng", &["ng"]),
];

/// Finals after which s is usually written sh (山 Shan, 成 Shing, 石 Shek, 常 Sheung, 水 Shui,
/// 信 Shun, 淑 Shuk, 書 Shu).
const SH_FIRST: &[&str] = &["aan", "ing", "ek", "oeng", "eoi", "eon", "uk", "yu"];

/// Finals after which s is never written sh (蘇 So, 宋 Sung, 細 Sai).
const NO_SH: &[&str] = &["o", "ou", "on", "ong", "ok", "ot", "ung", "ai", "ei", "oi", "aai", "aau", "ui"];

fn lookup<'a>(table: &[(&str, &'a [&'a str])], key: &str) -> Option<&'a [&'a str]> {
    table.iter().find(|(k, _)| *k == key).map(|(_, spellings)| *spellings)
}

/// Spellings of one Jyutping syllable (tone digit optional), most usual first.
pub(super) fn hk_spellings(jyutping: &str) -> Vec<String> {
    let syllable = jyutping.trim_end_matches(|c: char| c.is_ascii_digit());
    if let Some(spellings) = lookup(SYLLABLES, syllable) {
        return spellings.iter().map(|s| (*s).to_owned()).collect();
    }
    let (initial, final_) = split_initial(syllable);
    let finals = lookup(FINALS, final_).map_or_else(|| vec![final_], <[&str]>::to_vec);
    let mut spellings = Vec::new();
    for initial in initial_spellings(initial, final_) {
        for final_ in &finals {
            spellings.push(format!("{initial}{final_}"));
        }
    }
    spellings
}

fn split_initial(syllable: &str) -> (&str, &str) {
    INITIALS
        .iter()
        .map(|(initial, _)| *initial)
        .find(|initial| syllable.len() > initial.len() && syllable.starts_with(initial))
        .map_or(("", syllable), |initial| syllable.split_at(initial.len()))
}

fn initial_spellings(initial: &str, final_: &str) -> &'static [&'static str] {
    match initial {
        "" => &[""],
        "s" if NO_SH.contains(&final_) => &["s"],
        "s" if SH_FIRST.contains(&final_) => &["sh", "s"],
        _ => lookup(INITIALS, initial).unwrap_or(&[""]),
    }
}

#[cfg(test)]
mod tests {
    use super::hk_spellings;

    #[track_caller]
    fn spells(jyutping: &str, expected: &[&str]) {
        assert_eq!(hk_spellings(jyutping), expected, "{jyutping}");
    }

    #[track_caller]
    fn first(jyutping: &str, expected: &str) {
        assert_eq!(hk_spellings(jyutping)[0], expected, "{jyutping}");
    }

    #[test]
    fn usual_spelling_comes_first() {
        for (jyutping, expected) in [
            ("zi3", "chi"),
            ("ming4", "ming"),
            ("jam1", "yam"),
            ("dou6", "to"),
            ("zeon3", "chun"),
            ("hon3", "hon"),
            ("jan1", "yan"),
            ("saan1", "shan"),
            ("jing4", "ying"),
            ("jyun2", "yuen"),
            ("koeng4", "keung"),
            ("wai5", "wai"),
            ("gwok3", "kwok"),
            ("cing1", "ching"),
            ("sing4", "shing"),
            ("hoi2", "hoi"),
            ("zyu1", "chu"),
            ("jyut6", "yuet"),
            ("lam4", "lam"),
            ("zoeng1", "cheung"),
            ("ngai6", "ngai"),
            ("can4", "chan"),
            ("ng5", "ng"),
            ("si1", "sze"),
            ("sou1", "so"),
            ("jyu4", "yu"),
            ("lei5", "lei"),
            ("syun1", "suen"),
            ("baak6", "pak"),
        ] {
            first(jyutping, expected);
        }
    }

    #[test]
    fn alternatives_are_few_and_real() {
        spells("saan1", &["shan", "san"]);
        spells("sing4", &["shing", "sing"]);
        spells("zi2", &["chi", "tsz", "tze"]);
        spells("dou6", &["to", "tou"]);
        spells("hoi2", &["hoi", "hoy"]);
        spells("zoeng1", &["cheung", "tseung"]);
        spells("sung3", &["sung", "soong"]);
        spells("jyu4", &["yu", "yue"]);
        spells("lei5", &["lei", "lee", "lay"]);
        spells("wu4", &["wu", "woo"]);
        spells("zau1", &["chau", "chow", "tsau", "tsow"]);
    }
}
