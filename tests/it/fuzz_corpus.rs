//! The fuzz corpus as a regression suite: every saved input of every fuzz target (`fuzz/corpus/`
//! and `fuzz/regressions/`) goes through the same checks as under the fuzzer, which are in
//! `fuzz/src/lib.rs`. Needs no database.

use std::path::Path;

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

const TARGETS: [(&str, fn(&[u8])); 5] = [
    ("import_jsonl", checks::import_jsonl),
    ("import_csv", checks::import_csv),
    ("import_xlsx", checks::import_xlsx),
    ("import_zip", checks::import_zip),
    ("names", checks::names),
];

fn replay(folder: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(folder);
    let mut count = 0;
    for (target, check) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.expect("a corpus entry").path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).expect("a corpus file reads");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target}: {} fails its checks", file.display());
            count += 1;
        }
    }
    count
}

#[test]
fn fuzz_corpus_passes_the_fuzz_checks() {
    let count = replay("corpus");
    assert!(count > 0, "the fuzz corpus is empty");
}

#[test]
fn fuzz_regressions_pass_the_fuzz_checks() {
    replay("regressions");
}
