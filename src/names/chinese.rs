//! A Chinese name split into surname(s) and given name.

use super::surnames::{self, Surname};

/// The parts of a folded Chinese name.
#[derive(Debug)]
pub(super) struct ChineseName<'a> {
    /// One surname, or two for a married woman's name (husband's, then her own).
    pub surnames: Vec<&'static Surname>,
    /// A first character missing from the surname table: read like a given-name character.
    pub other_surname: Option<char>,
    pub given: &'a [char],
}

impl<'a> ChineseName<'a> {
    /// Splits a name whose characters are folded to simplified script.
    pub(super) fn split(chars: &'a [char]) -> Self {
        let table = surnames::table();
        let Some((first, rest)) = table.prefix(chars) else {
            return ChineseName {
                surnames: Vec::new(),
                other_surname: chars.first().copied(),
                given: chars.get(1..).unwrap_or_default(),
            };
        };
        // 陳方安生: a surname right after the surname of a name of four or more characters is
        // the woman's own, after her husband's.
        let married = (chars.len() >= 4)
            .then(|| table.prefix(rest))
            .flatten()
            .filter(|(_, given)| !given.is_empty());
        match married {
            Some((own, given)) => ChineseName {
                surnames: vec![first, own],
                other_surname: None,
                given,
            },
            None => ChineseName {
                surnames: vec![first],
                other_surname: None,
                given: rest,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(name: &str) -> (Vec<String>, Option<char>, String) {
        let chars: Vec<char> = name.chars().collect();
        let name = ChineseName::split(&chars);
        let surnames = name.surnames.iter().map(|s| s.simplified.clone()).collect();
        (surnames, name.other_surname, name.given.iter().collect())
    }

    #[test]
    fn surname_then_given_name() {
        assert_eq!(split("黄志明"), (vec!["黄".into()], None, "志明".into()));
        assert_eq!(split("司徒美华"), (vec!["司徒".into()], None, "美华".into()));
        assert_eq!(split("诸葛亮"), (vec!["诸葛".into()], None, "亮".into()));
    }

    #[test]
    fn married_names_carry_two_surnames() {
        assert_eq!(split("陈方安生"), (vec!["陈".into(), "方".into()], None, "安生".into()));
        assert_eq!(split("汪史薇琳"), (vec!["汪".into(), "史".into()], None, "薇琳".into()));
        // three characters: 方 is the given name's first character
        assert_eq!(split("陈方生"), (vec!["陈".into()], None, "方生".into()));
    }

    #[test]
    fn unknown_surname_is_kept_apart() {
        assert_eq!(split("鑫道"), (vec![], Some('鑫'), "道".into()));
    }
}
