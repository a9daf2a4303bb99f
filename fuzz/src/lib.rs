//! What each fuzz target does with its input, and the properties it checks. The corpus test
//! of the project (`tests/it/fuzz_corpus.rs`) includes this file, so the saved corpus is
//! replayed through exactly the same checks. Everything here goes through the project's public
//! functions only: `import::check_bytes` (reading and checking an import file up to the
//! database) and the `names` functions.

use std::collections::BTreeSet;
use std::io::Write;

use qiaolink::import::{self, Report};
use qiaolink::names::{self, PersonName};
use qiaolink::records::RecordType;

/// The names a CSV upload may have: one per record type, and one that needs a `type` column.
pub const CSV_NAMES: [&str; 5] = [
    "organizations.csv",
    "people.csv",
    "memberships.csv",
    "interactions.csv",
    "import.csv",
];

/// For the fuzz targets' `init`. The panic hook of libfuzzer-sys aborts at any panic, even one
/// that the project catches: the workbook reader's own panics, which the import turns into an
/// error for the file, would end every run. With the default hook a panic that is not caught
/// still ends the run, once it has unwound to the fuzzer.
pub fn init() {
    drop(std::panic::take_hook());
}

/// A JSON Lines file.
pub fn import_jsonl(data: &[u8]) {
    let report = check_import("import.jsonl", data, false);
    if let Some(report) = report {
        assert_lines_exist(&report, data, true);
        let lines = data.split(|&b| b == b'\n').filter(|l| !l.trim_ascii().is_empty()).count() as u64;
        let unreadable = report.counts.get("unreadable").map_or(0, |c| c.rejected);
        assert!(unreadable <= lines, "{unreadable} unreadable lines out of {lines}");
    }
}

/// A CSV file: the first byte picks the file's name (and so its record type), the rest is the
/// file.
pub fn import_csv(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else { return };
    let name = CSV_NAMES[pick as usize % CSV_NAMES.len()];
    if let Some(report) = check_import(name, file, true) {
        assert_lines_exist(&report, file, false);
    }
}

/// An Excel workbook, built from the input: the parts of the workbook (see [`XLSX_PARTS`]),
/// separated by NUL bytes, packed into a .xlsx as Excel would (a file of random bytes is
/// almost never a readable zip, so the fuzzer works on the XML inside).
pub fn import_xlsx(data: &[u8]) {
    let workbook = xlsx_from_parts(data);
    if let Some(report) = check_import("import.xlsx", &workbook, true) {
        for p in report.errors.iter().chain(&report.warnings) {
            let sheet = p.at.sheet.as_deref().expect("a problem in a workbook names its sheet");
            assert!(RecordType::parse(sheet).is_some(), "records read from sheet {sheet:?}");
            assert!(
                p.at.row.is_some_and(|r| r >= 2),
                "row {:?} of a sheet whose row 1 is the header",
                p.at.row
            );
        }
    }
}

/// A .zip file of import files.
pub fn import_zip(data: &[u8]) {
    check_import("import.zip", data, false);
}

/// The parts of a workbook, in the order in which the xlsx target takes them from its input.
pub const XLSX_PARTS: [&str; 8] = [
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "xl/worksheets/sheet4.xml",
];

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// A .xlsx (a zip, stored) holding the NUL-separated parts of `data` under the names of
/// [`XLSX_PARTS`]; parts the input does not give are left out.
pub fn xlsx_from_parts(data: &[u8]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let fixed = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
    ];
    let parts = XLSX_PARTS.iter().copied().zip(data.split(|&b| b == 0));
    for (name, bytes) in fixed.into_iter().chain(parts) {
        zip.start_file(name, options).expect("a zip entry starts in memory");
        zip.write_all(bytes).expect("a zip entry is written in memory");
    }
    zip.finish().expect("a zip is finished in memory").into_inner()
}

/// Reads and checks an import file as an import does, and checks what every report must be.
/// `columns`: the fields are named by a header row (CSV, Excel), never empty; a JSON object
/// may well have a key "".
fn check_import(name: &str, data: &[u8], columns: bool) -> Option<Report> {
    let report = match import::check_bytes(name, data) {
        Ok(report) => report,
        Err(message) => {
            assert!(message.contains(name), "an error for the whole file names it: {message}");
            return None;
        }
    };
    let rejected: u64 = report.counts.values().map(|c| c.rejected).sum();
    assert!(
        rejected as usize <= report.errors.len(),
        "{rejected} rejected, {} errors",
        report.errors.len()
    );
    assert_eq!(rejected == 0, report.errors.is_empty(), "a rejected record comes with its errors");
    for p in report.errors.iter().chain(&report.warnings) {
        assert!(p.at.file.starts_with(name), "{:?} is a problem of {name}", p.at);
        assert_eq!(p.location, p.at.to_string());
        assert!(!p.message.trim().is_empty(), "a problem says what is wrong: {p:?}");
        assert!(
            !columns || p.field.as_ref().is_none_or(|f| !f.trim().is_empty()),
            "a field that has no name: {p:?}"
        );
    }
    Some(report)
}

/// Problems of a text file are reported at lines the file has.
fn assert_lines_exist(report: &Report, data: &[u8], always: bool) {
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    for p in report.errors.iter().chain(&report.warnings) {
        match p.at.line {
            Some(line) => assert!((1..=lines).contains(&line), "line {line} of a file of {lines} lines: {p:?}"),
            None => assert!(!always, "{p:?} gives no line"),
        }
    }
}

/// The name normalizer on arbitrary text: the names of two people, separated by a tab, each
/// person's names (name_zh, name_latin, other names) one a line.
pub fn names(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\t').unwrap_or((&*text, ""));
    let a: Vec<&str> = a.split('\n').collect();
    let b: Vec<&str> = b.split('\n').collect();
    for name in a.iter().chain(&b) {
        check_name(name);
    }
    check_person_names(&a, &b);
}

fn has_han(text: &str) -> bool {
    // The blocks that the name keys treat as Han (CJK unified, extension A and beyond, compatibility).
    text.chars()
        .any(|c| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}'))
}

fn check_name(name: &str) {
    // Folding to simplified script goes character by character and is done once for all.
    let folded = names::fold_han(name);
    assert_eq!(folded.chars().count(), name.chars().count(), "{name:?} folded to {folded:?}");
    assert_eq!(names::fold_han(&folded), folded, "folding {name:?} twice");

    // Latin words: lowercase ASCII letters and digits, the same when read again.
    let words = names::latin_words(name);
    for w in &words {
        assert!(
            !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{name:?}: word {w:?}"
        );
    }
    assert_eq!(names::latin_words(&words.join(" ")), words, "the words of {name:?} read again");
    if name.chars().any(|c| c.is_ascii_alphanumeric()) {
        assert!(!words.is_empty(), "{name:?} has letters but no words");
    }
    if !words.is_empty() {
        assert!(
            name.chars().any(char::is_alphanumeric),
            "{name:?} has no letters but words {words:?}"
        );
    }

    // Query variants: at most three, none empty, no two alike; the first is the query as typed,
    // and a Latin query stays so when typed again (a Han one need not: 於 keeps its form only
    // where it starts a run of Han characters).
    let variants = names::query_variants(name);
    assert!(variants.len() <= 3, "{name:?}: {variants:?}");
    assert_eq!(variants.is_empty(), words.is_empty() && !has_han(name), "{name:?}: {variants:?}");
    for (i, v) in variants.iter().enumerate() {
        assert!(!v.is_empty() && v.iter().all(|t| !t.is_empty()), "{name:?}: {variants:?}");
        assert!(!variants[..i].contains(v), "{name:?}: {variants:?}");
    }
    if let Some(typed) = variants.first().filter(|_| !has_han(name)) {
        let again = names::query_variants(&typed.join(" "));
        assert_eq!(again.first(), Some(typed), "{name:?} typed again as {typed:?}");
    }

    // Name keys: no repeats, derived keys sorted and apart from the written ones.
    let keys = names::name_keys(&[name]);
    let written: BTreeSet<&String> = keys.written.iter().collect();
    assert_eq!(
        written.len(),
        keys.written.len(),
        "{name:?}: repeated written keys {:?}",
        keys.written
    );
    assert!(
        keys.derived.windows(2).all(|w| w[0] < w[1]),
        "{name:?}: derived keys {:?}",
        keys.derived
    );
    for k in keys.written.iter().chain(&keys.derived) {
        assert!(!k.is_empty(), "{name:?}: an empty key in {keys:?}");
    }
    assert!(keys.derived.iter().all(|k| !written.contains(k)), "{name:?}: {keys:?}");
    // A record is found by its name typed as written, and by the readings the query gives it.
    for v in &variants {
        for token in v {
            assert!(
                written.contains(token) || keys.derived.binary_search(token).is_ok(),
                "{name:?}: query token {token:?} of {v:?} is no key of {keys:?}"
            );
        }
    }
}

/// The identity of two people's names: comparing is symmetric, and two records whose names
/// match share a blocking key (else duplicate detection would never compare them).
fn check_person_names(a: &[&str], b: &[&str]) {
    let (pa, pb) = (PersonName::new(a), PersonName::new(b));
    let (ka, kb) = (pa.keys(), pb.keys());
    for k in ka.iter().chain(&kb) {
        assert!(
            ["z:", "n:", "o:"].iter().any(|p| k.starts_with(p) && k.len() > p.len()),
            "blocking key {k:?}"
        );
    }
    let m = pa.compare(&pb);
    assert_eq!(m, pb.compare(&pa), "comparing {a:?} with {b:?} both ways");
    if m.same_han || m.same_latin || m.across_scripts {
        assert!(
            !ka.is_disjoint(&kb),
            "{a:?} and {b:?} match ({m:?}) but share no key: {ka:?} / {kb:?}"
        );
    }
}
