//! Latin text to lowercase ASCII words: diacritics and apostrophes dropped, hyphens kept as
//! word-part boundaries.

/// Base letter of each code point from U+00C0 to U+024F, `.` where there is none (generated
/// from the Unicode NFKD decomposition, plus Ð Ø Đ Ł and the like that do not decompose).
const LATIN_EXTENDED: &str = concat!(
    "aaaaaa.ceeeeiiiidnooooo.ouuuuy..aaaaaa.ceeeeiiiidnooooo.ouuuuy.y",
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkk.lllllll",
    "lllnnnnnn...oooooo..rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs",
    "b......................i..l.....oo.............uu....zz.........",
    ".............aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa....",
    "aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............",
    "......ee........",
);

/// Base letter of each code point from U+1E00 to U+1EFF (Vietnamese lives here: ầ ĩ ỳ …).
const LATIN_ADDITIONAL: &str = concat!(
    "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm",
    "mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv",
    "wwwwwwwwwwxxxxyyzzzzzzhtwy.s....aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee",
    "eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......",
);

const ASCII_WORD_CHARS: &str = "0123456789abcdefghijklmnopqrstuvwxyz";

/// Full-width forms (ＡＢＣ１２３) and the ideographic space to their ASCII counterparts.
pub(super) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The lowercase ASCII letters a character stands for once its diacritics are removed
/// (`Â` → `a`, `Æ` → `ae`); `None` for anything that is not a letter or digit.
fn fold_letter(c: char) -> Option<&'static str> {
    let c = fold_width(c).to_ascii_lowercase();
    match c {
        '0'..='9' | 'a'..='z' => {
            let i = ASCII_WORD_CHARS.find(c)?;
            Some(&ASCII_WORD_CHARS[i..=i])
        }
        'Æ' | 'æ' => Some("ae"),
        'Œ' | 'œ' => Some("oe"),
        'Þ' | 'þ' => Some("th"),
        'ß' => Some("ss"),
        '\u{00C0}'..='\u{024F}' => table_letter(LATIN_EXTENDED, c as usize - 0xC0),
        '\u{1E00}'..='\u{1EFF}' => table_letter(LATIN_ADDITIONAL, c as usize - 0x1E00),
        _ => None,
    }
}

fn table_letter(table: &'static str, i: usize) -> Option<&'static str> {
    table.get(i..=i).filter(|letter| *letter != ".")
}

/// Apostrophes join what they separate (O'Young → oyoung); combining accents (a + U+0302)
/// belong to the letter before them.
fn is_silent(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´') || ('\u{0300}'..='\u{036F}').contains(&c)
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Words of a Latin text, each as its hyphen-separated parts: "Wong Chi-ming" →
/// [[wong], [chi, ming]].
pub(super) fn latin_chunks(text: &str) -> Vec<Vec<String>> {
    let mut chunks = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut part = String::new();
    for c in text.chars() {
        if let Some(letters) = fold_letter(c) {
            part.push_str(letters);
        } else if !is_silent(c) {
            if !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            if !is_hyphen(c) && !parts.is_empty() {
                chunks.push(std::mem::take(&mut parts));
            }
        }
    }
    if !part.is_empty() {
        parts.push(part);
    }
    if !parts.is_empty() {
        chunks.push(parts);
    }
    chunks
}

/// Lowercase ASCII words of a Latin text (diacritics and apostrophes removed, split on
/// anything else).
pub fn latin_words(text: &str) -> Vec<String> {
    latin_chunks(text).into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_apostrophes_fold_away() {
        assert_eq!(latin_words("Lâm Tĩnh Thu"), ["lam", "tinh", "thu"]);
        assert_eq!(latin_words("Huỳnh Đặng Lữ Nguyễn"), ["huynh", "dang", "lu", "nguyen"]);
        assert_eq!(latin_words("O'Young, Wongs’"), ["oyoung", "wongs"]);
        assert_eq!(latin_words("LIU, Wai Choi"), ["liu", "wai", "choi"]);
        assert_eq!(latin_words("Ｗｏｎｇ　Ｃｈｉ２"), ["wong", "chi2"]);
        // a + combining circumflex, as some keyboards produce
        assert_eq!(latin_words("La\u{0302}m"), ["lam"]);
    }

    #[test]
    fn hyphens_split_parts_of_one_chunk() {
        let chunks = latin_chunks("David Wong Chi-ming, Soo-hoo");
        assert_eq!(chunks, [vec!["david"], vec!["wong"], vec!["chi", "ming"], vec!["soo", "hoo"]]);
        assert_eq!(latin_chunks("-Man- -Yin"), [vec!["man"], vec!["yin"]]);
    }
}
