//! A written name cut into its Chinese and its Latin parts ("David Wong 黃志明").

use super::han;

#[derive(Debug, PartialEq)]
pub(super) enum Segment<'a> {
    /// A run of Han characters folded to simplified script (spaces inside it dropped:
    /// 陳 大文 is one name).
    Han(Vec<char>),
    /// Text between Han runs.
    Latin(&'a str),
}

pub(super) fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut han_run: Vec<char> = Vec::new();
    let mut latin_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if han::is_han(c) {
            if let Some(start) = latin_start.take() {
                segments.push(Segment::Latin(&text[start..i]));
            }
            han_run.push(c);
        } else if !(c.is_whitespace() || matches!(c, '·' | '・')) {
            if !han_run.is_empty() {
                segments.push(Segment::Han(han::fold_name(&std::mem::take(&mut han_run))));
            }
            latin_start.get_or_insert(i);
        }
    }
    if !han_run.is_empty() {
        segments.push(Segment::Han(han::fold_name(&han_run)));
    }
    if let Some(start) = latin_start {
        segments.push(Segment::Latin(&text[start..]));
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_latin_parts_come_apart() {
        assert_eq!(
            segments("David Wong 黃志明 (Chi-ming)"),
            [
                Segment::Latin("David Wong "),
                Segment::Han(vec!['黄', '志', '明']),
                Segment::Latin("(Chi-ming)"),
            ]
        );
        assert_eq!(segments("陳 大文"), [Segment::Han(vec!['陈', '大', '文'])]);
        assert!(segments("  ").is_empty());
    }
}
