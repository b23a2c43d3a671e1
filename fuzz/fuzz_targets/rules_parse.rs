//! Fuzzes the authz rules file parser (`barong::authz::rules::Rules::parse`), which reads
//! the operator's `authz_rules.yml` at start and on every change: a file that panics the
//! parser would take the gateway down on reload instead of keeping the old rules.
//!
//! Input: UTF-8 YAML text, then optionally a NUL byte and a request path (inputs that are
//! not UTF-8 are skipped). When the text parses, `verdict` is asked about the path and,
//! from the documented prefix semantics, about a child of it: a `block` prefix that covers
//! a path covers its children, and a child of a `pass` path is `pass` or `block`, never
//! `check`. Parsing is also required to be deterministic.
#![no_main]

use barong::authz::path::NormalPath;
use barong::authz::rules::{RuleVerdict, Rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (yaml, raw_path) = text.split_once('\0').unwrap_or((text, "api/v2/barong/identity"));

    let Ok(rules) = Rules::parse(yaml) else {
        return;
    };
    assert_eq!(Rules::parse(yaml).as_ref(), Ok(&rules), "parse is not deterministic");

    let Ok(path) = NormalPath::parse(raw_path) else {
        return;
    };
    let verdict = rules.verdict(&path);
    if path.as_str().contains(['%', '?', '#']) {
        // Re-parsing would decode or cut it again; not a child of `path`.
        return;
    }
    let child_raw = format!("{}/child", path.as_str());
    let Ok(child) = NormalPath::parse(&child_raw) else {
        return;
    };
    let child_verdict = rules.verdict(&child);
    match verdict {
        RuleVerdict::Block => assert_eq!(child_verdict, RuleVerdict::Block, "{child_raw:?}"),
        RuleVerdict::Pass => assert_ne!(child_verdict, RuleVerdict::Check, "{child_raw:?}"),
        RuleVerdict::Check => {}
    }
});
