//! Known syllables (pinyin and Hong Kong-style Cantonese) and the splitting of a joined given
//! name into them (Chiming → chi, ming).

use std::collections::HashSet;
use std::sync::OnceLock;

use super::readings;

/// A split yields this many syllables at most (and at least two).
const MAX_SYLLABLES: usize = 3;

/// Split parts are at least this long: one-letter syllables (a, o, e) would cut most
/// Western names somewhere.
const MIN_PART: usize = 2;

fn inventory() -> &'static HashSet<&'static str> {
    static SYLLABLES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SYLLABLES.get_or_init(|| {
        readings::table()
            .values()
            .flat_map(|r| r.pinyin.iter().chain(&r.cantonese))
            .map(String::as_str)
            .collect()
    })
}

pub(super) fn is_syllable(word: &str) -> bool {
    inventory().contains(word)
}

/// The length of the longest known syllable.
fn longest() -> usize {
    static LONGEST: OnceLock<usize> = OnceLock::new();
    *LONGEST.get_or_init(|| inventory().iter().map(|s| s.len()).max().unwrap_or(0))
}

/// The syllables of every split of `word` into the fewest (two or three) known syllables;
/// nothing when the word is itself one syllable or does not split wholly.
pub(super) fn split(word: &str) -> Vec<&str> {
    // A word longer than three of the longest syllables splits into none: looking for the
    // splits of it anyway would take time growing with the square of its length.
    if !word.is_ascii() || word.len() > MAX_SYLLABLES * longest() || is_syllable(word) {
        return Vec::new();
    }
    (2..=MAX_SYLLABLES)
        .map(|count| {
            let mut parts = Vec::new();
            collect_splits(word, count, &mut parts);
            parts
        })
        .find(|parts| !parts.is_empty())
        .unwrap_or_default()
}

/// Adds the syllables of every split of `word` into exactly `count` syllables; tells whether
/// there was one.
fn collect_splits<'w>(word: &'w str, count: usize, parts: &mut Vec<&'w str>) -> bool {
    if count == 1 {
        let whole = word.len() >= MIN_PART && is_syllable(word);
        if whole {
            parts.push(word);
        }
        return whole;
    }
    let mut found = false;
    for cut in MIN_PART..=word.len().saturating_sub(MIN_PART) {
        let (head, tail) = word.split_at(cut);
        if is_syllable(head) && collect_splits(tail, count - 1, parts) {
            parts.push(head);
            found = true;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut parts: Vec<&str>) -> Vec<&str> {
        parts.sort_unstable();
        parts.dedup();
        parts
    }

    #[test]
    fn joined_given_names_split_into_syllables() {
        assert_eq!(sorted(split("chiming")), ["chi", "ming"]);
        assert_eq!(sorted(split("manyin")), ["man", "yin"]);
        assert_eq!(sorted(split("zhiming")), ["ming", "zhi"]);
        assert_eq!(sorted(split("taiman")), ["man", "tai"]);
    }

    #[test]
    fn a_word_too_long_for_three_syllables_splits_into_none_at_once() {
        // Found by the names fuzz target fed long inputs: a 90,000-letter word took minutes.
        assert!(split(&"chi".repeat(30_000)).is_empty());
        assert!(split(&"ab".repeat(MAX_SYLLABLES * longest())).is_empty());
        assert!(split("chiwaiman").contains(&"wai"));
    }

    #[test]
    fn single_syllables_and_other_words_stay_whole() {
        assert!(split("wong").is_empty());
        assert!(split("cheung").is_empty());
        assert!(split("xian").is_empty());
        assert!(split("david").is_empty());
        assert!(split("michael").is_empty());
    }
}
