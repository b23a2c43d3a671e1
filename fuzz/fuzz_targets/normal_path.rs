//! Fuzzes request-path normalisation (`barong::authz::path::NormalPath`), which runs
//! before any pass/block rule or permission is matched: a path that normalises wrongly
//! can slip past a `block` rule or into a `pass` one (Barong's W5).
//!
//! Input: a raw path, then optionally `\n` and a second raw path used as a rule prefix
//! (lossy UTF-8). Only what `path.rs` documents is asserted:
//! * canonical form: no leading or trailing `/`, no empty, `.` or `..` segments, no NUL;
//! * no query string: whatever follows the first `?` or `#` does not change the result;
//! * re-parsing the canonical text gives the same path, when that text has no `%`, `?` or
//!   `#` left (those come from percent-decoding, e.g. `%2525` -> `%25`, and would be
//!   decoded or cut a second time; see the fuzz report);
//! * `starts_with` matches on segment boundaries: a prefix covers a path exactly when its
//!   segments are the first segments of the path; the empty prefix covers everything.
#![no_main]

use barong::authz::path::NormalPath;
use libfuzzer_sys::fuzz_target;

fn segments(p: &NormalPath) -> Vec<&str> {
    if p.as_str().is_empty() {
        Vec::new()
    } else {
        p.as_str().split('/').collect()
    }
}

fn check_canonical(raw: &str, p: &NormalPath) {
    let s = p.as_str();
    assert!(!s.starts_with('/') && !s.ends_with('/'), "{raw:?} -> {s:?}");
    assert!(!s.contains('\0'), "NUL kept: {raw:?} -> {s:?}");
    for seg in segments(p) {
        assert!(
            !seg.is_empty() && seg != "." && seg != "..",
            "segment {seg:?} kept: {raw:?} -> {s:?}"
        );
    }

    // No query string or fragment: only what precedes the first `?`/`#` counts.
    let before_query = raw.split(['?', '#']).next().unwrap_or_default();
    assert_eq!(NormalPath::parse(before_query).as_ref(), Ok(p));

    // Canonical text parses to itself (when percent-decoding left nothing to re-decode).
    if !s.contains(['%', '?', '#']) {
        assert_eq!(
            NormalPath::parse(s).as_ref(),
            Ok(p),
            "not idempotent: {raw:?} -> {s:?}"
        );
        assert_eq!(NormalPath::parse(&format!("/{s}/")).as_ref(), Ok(p));
    }

    // Every path covers itself, the empty prefix covers every path.
    assert!(p.starts_with(p));
    let root = NormalPath::parse("").expect("the empty path is valid");
    assert!(p.starts_with(&root));
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (raw, raw_prefix) = match text.split_once('\n') {
        Some((a, b)) => (a, Some(b)),
        None => (&*text, None),
    };

    let Ok(path) = NormalPath::parse(raw) else {
        return;
    };
    check_canonical(raw, &path);

    if let Some(raw_prefix) = raw_prefix {
        if let Ok(prefix) = NormalPath::parse(raw_prefix) {
            check_canonical(raw_prefix, &prefix);
            let (ps, qs) = (segments(&path), segments(&prefix));
            let expected = qs.len() <= ps.len() && ps[..qs.len()] == qs[..];
            assert_eq!(
                path.starts_with(&prefix),
                expected,
                "starts_with({:?}, {:?})",
                path.as_str(),
                prefix.as_str()
            );
        }
    }
});
