#![no_main]

libfuzzer_sys::fuzz_target!(init: qiaolink_fuzz::init(), |data: &[u8]| qiaolink_fuzz::import_jsonl(data));
