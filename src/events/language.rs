//! The language a guest is written to in: their own first language we have words for, or
//! else the usual one of their country of residence.

/// The languages of invitations and RSVP pages.
pub const LANGUAGES: &[&str] = &["zh-Hans", "zh-Hant", "en", "es", "pt"];

const TRADITIONAL_COUNTRIES: &[&str] = &["HK", "MO", "TW"];
const SPANISH_COUNTRIES: &[&str] = &[
    "ES", "MX", "GT", "HN", "SV", "NI", "CR", "PA", "CU", "DO", "CO", "VE", "EC", "PE", "BO", "CL", "AR", "UY", "PY",
];
const PORTUGUESE_COUNTRIES: &[&str] = &["BR", "PT", "AO", "MZ"];
const ENGLISH_COUNTRIES: &[&str] = &["US", "CA", "GB", "AU", "NZ", "IE", "ZA", "SG", "JM", "TT", "GY", "FJ"];

/// `languages` are the person's language codes (`yue`, `zh`, `en` …) in their order.
pub fn for_guest(languages: &[String], country: &str) -> &'static str {
    let country = country.to_ascii_uppercase();
    let traditional_place = TRADITIONAL_COUNTRIES.contains(&country.as_str());
    for code in languages {
        let code = code.to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or_default();
        let found = match (base, code.as_str()) {
            // Cantonese and Taishanese readers are mostly taught traditional characters.
            ("yue" | "tws", _) => Some("zh-Hant"),
            (_, "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo") => Some("zh-Hant"),
            ("zh" | "cmn", _) => Some(if traditional_place { "zh-Hant" } else { "zh-Hans" }),
            ("en", _) => Some("en"),
            ("es", _) => Some("es"),
            ("pt", _) => Some("pt"),
            _ => None,
        };
        if let Some(lang) = found {
            return lang;
        }
    }
    let c = country.as_str();
    if traditional_place {
        "zh-Hant"
    } else if SPANISH_COUNTRIES.contains(&c) {
        "es"
    } else if PORTUGUESE_COUNTRIES.contains(&c) {
        "pt"
    } else if ENGLISH_COUNTRIES.contains(&c) {
        "en"
    } else {
        "zh-Hans"
    }
}

#[cfg(test)]
mod tests {
    use super::for_guest;

    fn langs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_guests_own_languages_come_first() {
        assert_eq!(for_guest(&langs(&["yue", "en"]), "US"), "zh-Hant");
        assert_eq!(for_guest(&langs(&["es", "zh"]), "PE"), "es");
        assert_eq!(for_guest(&langs(&["zh"]), "HK"), "zh-Hant");
        assert_eq!(for_guest(&langs(&["zh"]), "CA"), "zh-Hans");
        assert_eq!(for_guest(&langs(&["pt-BR"]), "BR"), "pt");
    }

    #[test]
    fn the_country_decides_when_no_language_is_known() {
        assert_eq!(for_guest(&[], "PE"), "es");
        assert_eq!(for_guest(&[], "BR"), "pt");
        assert_eq!(for_guest(&[], "GB"), "en");
        assert_eq!(for_guest(&langs(&["ms"]), "MY"), "zh-Hans");
    }
}
