//! Chinese text folded to simplified script one character at a time, with surnames folded by
//! the surname table rather than by the converter (NOTES.md §2).

use std::collections::HashMap;
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use super::latin::fold_width;
use super::surnames;

/// Variant characters to fold that OpenCC leaves apart (锺) or that must not depend on it.
const VARIANTS: &[(char, char)] = &[
    ('臺', '台'),
    ('鍾', '钟'),
    ('鐘', '钟'),
    ('锺', '钟'),
    ('岡', '冈'),
    ('沖', '冲'),
    ('甯', '宁'),
];

/// Rare surnames that the converter would merge into a common one (於 → 于); they keep their
/// form in surname position.
const DISTINCT_SURNAMES: &[char] = &['於'];

/// The blocks whose characters get folds and readings: CJK Extension A and the unified block.
const TABLE_RANGES: [(char, char); 2] = [('\u{3400}', '\u{4DBF}'), ('\u{4E00}', '\u{9FFF}')];

/// Every character of the table ranges.
pub(super) fn table_chars() -> impl Iterator<Item = char> {
    TABLE_RANGES.into_iter().flat_map(|(first, last)| first..=last)
}

/// Han ideographs, including the extension and compatibility blocks.
pub(super) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// What OpenCC `config` makes of each character of the table ranges taken alone, where that
/// is another single character. The characters are converted in one call, one per line, so no
/// phrase rule spans two of them.
pub(super) fn opencc_char_map(config: BuiltinConfig) -> HashMap<char, char> {
    let converter = OpenCC::from_config(config).expect("built-in OpenCC configuration loads");
    let chars: Vec<char> = table_chars().collect();
    let input: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
    let output = converter.convert(&input);
    chars
        .iter()
        .zip(output.split('\n'))
        .filter_map(|(&from, line)| {
            let mut converted = line.chars();
            match (converted.next(), converted.next()) {
                (Some(to), None) if to != from => Some((from, to)),
                _ => None,
            }
        })
        .collect()
}

fn folds() -> &'static HashMap<char, char> {
    static FOLDS: OnceLock<HashMap<char, char>> = OnceLock::new();
    FOLDS.get_or_init(|| {
        let mut folds = opencc_char_map(BuiltinConfig::T2s);
        // The table wins over the converter, identity pairs included: a surname character is
        // never turned into another one.
        folds.extend(surnames::table().char_folds());
        folds.extend(VARIANTS.iter().copied());
        folds.retain(|from, to| from != to);
        settled(folds)
    })
}

/// Each fold followed to its end: the converter folds a few characters into one that it folds
/// further (薴 → 苧 → 苎), and folded text must fold to itself, or a name stored folded and the
/// same name typed folded would not meet. A cycle (none is known) ends at its least character.
fn settled(folds: HashMap<char, char>) -> HashMap<char, char> {
    folds
        .keys()
        .map(|&from| {
            let mut seen = vec![from];
            let mut to = folds[&from];
            while let Some(&next) = folds.get(&to) {
                if seen.contains(&to) {
                    to = seen.into_iter().filter(|c| folds.contains_key(c)).min().unwrap_or(to);
                    break;
                }
                seen.push(to);
                to = next;
            }
            (from, to)
        })
        .filter(|(from, to)| from != to)
        .collect()
}

/// One character in simplified script.
pub(super) fn fold_char(c: char) -> char {
    let c = fold_width(c);
    folds().get(&c).copied().unwrap_or(c)
}

/// The characters of a Chinese name in simplified script; the first one is a surname.
pub(super) fn fold_name(chars: &[char]) -> Vec<char> {
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i == 0 && DISTINCT_SURNAMES.contains(&c) {
                c
            } else {
                fold_char(c)
            }
        })
        .collect()
}

/// Simplified script for display-independent comparison (used for organization names and places too).
pub fn fold_han(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_variants_fold_to_simplified() {
        assert_eq!(fold_han("黃志明"), "黄志明");
        assert_eq!(fold_han("臺山寧陽會館"), "台山宁阳会馆");
        assert_eq!(fold_han("岡州 沖蔞 甯"), "冈州 冲蒌 宁");
        assert_eq!(fold_han("鍾鐘锺"), "钟钟钟");
        assert_eq!(fold_han("ＡＢ陳"), "AB陈");
    }

    #[test]
    fn folded_text_folds_to_itself() {
        // Found by fuzzing: 薴 folded to 苧, which folds to 苎.
        assert_eq!(fold_han("薴"), "苎");
        assert_eq!(fold_han("苧"), "苎");
        for c in table_chars().chain('\u{F900}'..='\u{FAFF}').chain('\u{FF01}'..='\u{FF5E}') {
            let once = fold_char(c);
            assert_eq!(fold_char(once), once, "{c} folds to {once}, which folds on");
        }
    }

    #[test]
    fn chains_of_folds_are_followed_to_their_end() {
        let folds = HashMap::from([('a', 'b'), ('b', 'c'), ('x', 'y'), ('y', 'x')]);
        let settled = settled(folds);
        assert_eq!(settled[&'a'], 'c');
        assert_eq!(settled[&'b'], 'c');
        // a cycle ends at its least character, which stays as it is
        assert_eq!(settled[&'y'], 'x');
        assert!(!settled.contains_key(&'x'));
    }

    #[test]
    fn surname_characters_fold_by_the_table() {
        assert_eq!(fold_han("餘範瀋薑"), "余范沈姜");
        assert_eq!(fold_han("余于范沈"), "余于范沈");
        assert_eq!(fold_name(&['於', '梨', '華']), ['於', '梨', '华']);
        assert_eq!(fold_name(&['陳', '於']), ['陈', '于']);
    }
}
