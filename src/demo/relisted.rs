//! People who arrive again from another list (a conference sign-up, a visa file): the same
//! person written the way that list writes them, for the duplicates review to find. Their
//! external ids are the original's with `d-` for `p-`.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use super::records::Person;

/// About one person in seventy comes again.
const SHARE: f64 = 0.015;

#[derive(Serialize)]
pub struct Relisted {
    #[serde(rename = "type")]
    record: &'static str,
    external_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_latin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<&'static str>,
    birth_year: i32,
    country: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hometown: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    tags: [&'static str; 1],
}

/// The person again, or nothing. Decided by a generator of its own for each person, so the
/// rest of the data is the same with or without them.
pub fn again(p: &Person, n: usize) -> Option<Relisted> {
    let rng = &mut StdRng::seed_from_u64(0x7e11_57ed ^ n as u64);
    if !rng.random_bool(SHARE) {
        return None;
    }
    // The other list may write the Chinese name in simplified characters, or not at all,
    // and the Latin name in another order or in capitals; one of the two always stays.
    let mut name_zh = p.name_zh.as_ref().map(|zh| if rng.random_bool(0.5) { crate::names::fold_han(zh) } else { zh.clone() });
    let mut name_latin = p.name_latin.as_ref().map(|l| relettered(l, rng));
    match (&name_zh, &name_latin) {
        (Some(_), Some(_)) if rng.random_bool(0.3) => name_zh = None,
        (Some(_), Some(_)) if rng.random_bool(0.3) => name_latin = None,
        _ => {}
    }
    let email = p.email.as_ref().and_then(|e| match rng.random_range(0..4) {
        // another list may capitalize the address (the fake domain stays as it is)
        0 => Some(match e.split_once('@') {
            Some((local, domain)) => format!("{}@{domain}", local.to_uppercase()),
            None => e.clone(),
        }),
        1 | 2 => Some(e.clone()),
        _ => None,
    });
    let phone = p.phone.as_ref().filter(|_| rng.random_bool(0.5)).map(|ph| ph.replace([' ', '-'], ""));
    let birth_year = match rng.random_range(0..10) {
        0 => p.birth_year + 1,
        1 => p.birth_year - 1,
        _ => p.birth_year,
    };
    Some(Relisted {
        record: "person",
        external_id: p.external_id.replacen("p-", "d-", 1),
        name_zh,
        name_latin,
        gender: rng.random_bool(0.7).then_some(p.gender),
        birth_year,
        country: p.country,
        city: rng.random_bool(0.85).then_some(p.city),
        hometown: p.hometown.filter(|_| rng.random_bool(0.6)).map(str::to_string),
        email,
        phone,
        tags: ["import: conference sign-ups 2026"],
    })
}

/// "Wong Chi-ming" as another list writes it: "WONG, Chi-ming", "Chi-ming Wong" or unchanged.
fn relettered(latin: &str, rng: &mut StdRng) -> String {
    let words: Vec<&str> = latin.split_whitespace().collect();
    match (words.split_first(), rng.random_range(0..3)) {
        (Some((first, rest)), 0) if !rest.is_empty() => format!("{}, {}", first.to_uppercase(), rest.join(" ")),
        (Some((first, rest)), 1) if !rest.is_empty() => format!("{} {first}", rest.join(" ")),
        _ => latin.to_string(),
    }
}
