//! Whether two person records are the same person, decided the way a careful clerk does:
//! another Chinese name, another given name, another gender, another country or birth years
//! two or more apart rule a pair out; an e-mail or phone counts only when no third record
//! carries it; and at least one strong field (name, e-mail, phone) must agree.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::models::Person;
use crate::names::PersonName;
use crate::places::Places;

/// Pairs scoring below this (in hundredths) are not proposed.
const THRESHOLD_POINTS: u32 = 50;

/// What is compared of one record.
#[derive(Clone, Debug)]
pub struct Profile {
    pub id: Uuid,
    names: PersonName,
    gender: Option<String>,
    birth_year: Option<i32>,
    country: String,
    city: Option<String>,
    /// The hometown and the places above it (village → town → county).
    hometown: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organizations: BTreeSet<Uuid>,
}

/// Keys shared by records worth comparing; `e:` and `t:` keys also tell whether an e-mail
/// or phone is carried by anyone else.
pub fn email_key(email: &str) -> String {
    format!("e:{email}")
}

pub fn phone_key(phone: &str) -> String {
    format!("t:{phone}")
}

impl Profile {
    pub fn new(p: &Person, organizations: BTreeSet<Uuid>) -> Self {
        let mut names: Vec<&str> = [&p.name_zh, &p.name_latin].into_iter().flatten().map(String::as_str).collect();
        names.extend(p.other_names.iter().map(String::as_str));
        let hometown = p
            .hometown_place_id
            .as_ref()
            .map(|id| {
                let mut chain = vec![id.clone()];
                chain.extend(Places::get().ancestors(id));
                chain
            })
            .unwrap_or_default();
        Profile {
            id: p.id,
            names: PersonName::new(&names),
            gender: p.gender.clone().filter(|g| g == "male" || g == "female"),
            birth_year: p.birth_year,
            country: p.country.clone(),
            city: p.city.as_deref().map(fold).filter(|c| !c.is_empty()),
            hometown,
            email: p.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| e.contains('@')),
            phone: p.phone.as_deref().and_then(phone_digits),
            organizations,
        }
    }

    /// Blocking keys of the names, within the country: records of two countries are never
    /// one person here.
    pub fn name_keys(&self) -> BTreeSet<String> {
        self.names.keys().into_iter().map(|k| format!("{}|{k}", self.country)).collect()
    }

    pub fn keys(&self) -> BTreeSet<String> {
        let mut keys = self.name_keys();
        keys.extend(self.email.as_deref().map(email_key));
        keys.extend(self.phone.as_deref().map(phone_key));
        keys
    }
}

/// The last eight digits: the subscriber number, whatever country code or spacing.
fn phone_digits(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(8)..].to_string())
}

fn fold(text: &str) -> String {
    crate::names::latin_words(text).concat()
}

/// A proposed pair: its score and the evidence, as codes the review page translates.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub score: f32,
    pub evidence: Vec<&'static str>,
}

/// Whether the two records carry their e-mail and phone alone: no third record has them,
/// or only records that could be the same person too.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unique {
    pub email: bool,
    pub phone: bool,
    /// How many records in the country carry the name the two share (0: none shared).
    pub name_carriers: usize,
}

/// A name carried by more records than this in one country is common: it counts as
/// evidence, but alone it makes no pair.
const COMMON_NAME: usize = 4;

/// Whether the two could be one person at all: the same country, and no other gender,
/// birth years two or more apart, or another name.
pub fn compatible(a: &Profile, b: &Profile) -> bool {
    let differ = |x: &Option<String>, y: &Option<String>| matches!((x, y), (Some(x), Some(y)) if x != y);
    a.country == b.country
        && !differ(&a.gender, &b.gender)
        && !matches!((a.birth_year, b.birth_year), (Some(x), Some(y)) if (x - y).abs() >= 2)
        && !a.names.compare(&b.names).conflict
}

pub fn score(a: &Profile, b: &Profile, unique: Unique) -> Option<Scored> {
    if !compatible(a, b) {
        return None;
    }
    let names = a.names.compare(&b.names);
    // Points in hundredths, so that sums are exact.
    let mut evidence = Vec::new();
    let mut points: u32 = 0;
    let mut strong = false;
    let mut name_points: u32 = 0;
    for (agrees, code, weight) in [
        (names.same_han, "same_zh", 50),
        (names.across_scripts, "across_scripts", 45),
        (names.same_latin, "same_latin", 45),
        (names.same_full_name, "same_full_name", 40),
    ] {
        if agrees {
            evidence.push(code);
            // the other forms of one name add little: they mostly say the same again
            name_points = if name_points == 0 { weight } else { (name_points + 5).min(60) };
        }
    }
    points += name_points;
    let common = unique.name_carriers > COMMON_NAME;
    if common && name_points > 0 {
        evidence.push("common_name");
    }
    // A rare name is enough to propose a pair; a common one needs the birth year and the
    // city to agree as well.
    let same_born = matches!((a.birth_year, b.birth_year), (Some(x), Some(y)) if x == y);
    let same_city = a.city.is_some() && a.city == b.city;
    strong |= name_points > 0 && (!common || (same_born && same_city));
    if names.same_other_words && !names.same_full_name {
        evidence.push("same_other_names");
        points += 15;
    } else if names.same_surname && name_points == 0 {
        evidence.push("same_surname");
        points += 5;
    }
    for (x, y, alone, code, weight) in [
        (&a.email, &b.email, unique.email, "email", 40),
        (&a.phone, &b.phone, unique.phone, "phone", 35),
    ] {
        if x.is_some() && x == y {
            if alone {
                evidence.push(code);
                points += weight;
                strong = true;
            } else {
                evidence.push(if code == "email" { "email_shared" } else { "phone_shared" });
            }
        }
    }
    match (a.birth_year, b.birth_year) {
        (Some(x), Some(y)) if x == y => {
            evidence.push("birth_year");
            points += 20;
        }
        (Some(_), Some(_)) => evidence.push("born_1_apart"),
        _ => {}
    }
    if a.city.is_some() && a.city == b.city {
        evidence.push("city");
        points += 5;
    }
    // One hometown the other's ancestor (a village and its county) or the same place.
    let hometowns = !a.hometown.is_empty()
        && !b.hometown.is_empty()
        && (a.hometown.contains(&b.hometown[0]) || b.hometown.contains(&a.hometown[0]));
    if hometowns {
        evidence.push("hometown");
        points += 5;
    }
    if !a.organizations.is_disjoint(&b.organizations) {
        evidence.push("organization");
        points += 10;
    }
    let score = points.min(100) as f32 / 100.0;
    (strong && points >= THRESHOLD_POINTS).then_some(Scored { score, evidence })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn person(name_zh: Option<&str>, name_latin: Option<&str>, birth: Option<i32>, email: Option<&str>) -> Person {
        let now = Utc::now();
        Person {
            id: Uuid::new_v4(),
            external_id: None,
            name_zh: name_zh.map(String::from),
            name_latin: name_latin.map(String::from),
            other_names: vec![],
            gender: None,
            birth_year: birth,
            country: "US".into(),
            city: Some("San Francisco".into()),
            hometown: None,
            hometown_place_id: None,
            status: None,
            languages: vec![],
            occupation: None,
            employer: None,
            talent_fields: vec![],
            high_level_talent: false,
            email: email.map(String::from),
            phone: None,
            wechat: None,
            whatsapp: None,
            consent_status: "unknown".into(),
            consent_date: None,
            consent_purposes: vec![],
            tags: vec![],
            notes: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn pair(a: &Person, b: &Person, unique: Unique) -> Option<Scored> {
        score(&Profile::new(a, BTreeSet::new()), &Profile::new(b, BTreeSet::new()), unique)
    }

    #[test]
    fn one_person_in_three_lists() {
        let zh = person(Some("黃志明"), None, Some(1960), None);
        let english = person(None, Some("David Wong Chi-ming"), Some(1960), None);
        let visa = person(None, Some("WONG Chi Ming"), None, None);
        assert!(pair(&zh, &english, Unique::default()).is_some());
        assert!(pair(&english, &visa, Unique::default()).is_some());
        assert!(pair(&zh, &visa, Unique::default()).is_some());
    }

    #[test]
    fn look_alikes_are_ruled_out() {
        let a = person(Some("黃志明"), Some("Wong Chi Ming"), Some(1960), None);
        // other characters, same romanization
        assert!(pair(&a, &person(Some("王志明"), Some("Wong Chi Ming"), Some(1960), None), Unique::default()).is_none());
        // born years apart
        assert!(pair(&a, &person(Some("黃志明"), None, Some(1975), None), Unique::default()).is_none());
        let mut abroad = person(Some("黃志明"), None, Some(1960), None);
        abroad.country = "CA".into();
        assert!(pair(&a, &abroad, Unique::default()).is_none());
    }

    #[test]
    fn an_email_counts_only_when_no_one_else_has_it() {
        let a = person(None, Some("David Wong"), None, Some("family@example.org"));
        let b = person(None, Some("David Wong"), None, Some("Family@example.org"));
        assert!(pair(&a, &b, Unique::default()).is_none());
        let found = pair(&a, &b, Unique { email: true, ..Unique::default() }).expect("a pair");
        assert!(found.evidence.contains(&"email"));
    }

    #[test]
    fn a_common_name_alone_makes_no_pair() {
        let a = person(Some("陈伟"), None, Some(1970), None);
        let mut b = person(Some("陳偉"), None, Some(1970), None);
        let common = Unique { name_carriers: 30, ..Unique::default() };
        assert!(pair(&a, &b, Unique { name_carriers: 2, ..Unique::default() }).is_some());
        assert!(pair(&a, &b, common).is_some(), "same birth year and city");
        b.city = Some("Oakland".into());
        assert!(pair(&a, &b, common).is_none());
    }
}
