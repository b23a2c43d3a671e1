//! Path normalisation and segment-boundary prefix matching, applied before any rule or
//! permission is consulted. Barong matched raw string prefixes, so
//! `api/v2/barong/identityX` or `api/v2/barong/identity/../admin` slipped through a
//! `pass` rule for `api/v2/barong/identity` (W5).

/// A request path in canonical form: no leading or trailing slash, no query string,
/// percent-decoded, `.` and `..` resolved, no empty segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalPath(String);

/// Why a path cannot be normalised; the check denies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPath;

impl NormalPath {
    /// Normalises `raw` (which may carry a query string and a leading slash). Invalid
    /// percent-encoding, encoded slashes inside a segment, NUL bytes and `..` above the
    /// root are refused rather than guessed at.
    pub fn parse(raw: &str) -> Result<Self, BadPath> {
        let without_query = raw.split(['?', '#']).next().unwrap_or_default();
        let mut segments: Vec<String> = Vec::new();
        for raw_segment in without_query.split('/') {
            let segment = percent_decode(raw_segment)?;
            if segment.contains('/') || segment.contains('\0') || segment.contains('\\') {
                return Err(BadPath);
            }
            match segment.as_str() {
                "" | "." => {}
                ".." => {
                    segments.pop().ok_or(BadPath)?;
                }
                _ => segments.push(segment),
            }
        }
        Ok(Self(segments.join("/")))
    }

    /// The canonical text, e.g. `api/v2/barong/resource/users/me`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `prefix` covers this path on segment boundaries: `api/v2/barong` covers
    /// `api/v2/barong` and `api/v2/barong/x` but not `api/v2/barongX`. The prefix is
    /// normalised the same way (so Barong's `api/v2/` with a trailing slash still works).
    pub fn starts_with(&self, prefix: &NormalPath) -> bool {
        let (path, prefix) = (self.0.as_str(), prefix.0.as_str());
        if prefix.is_empty() {
            return true;
        }
        path == prefix
            || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
    }
}

fn percent_decode(segment: &str) -> Result<String, BadPath> {
    if !segment.contains('%') {
        return Ok(segment.to_owned());
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(BadPath)?;
            let hex = std::str::from_utf8(hex).map_err(|_| BadPath)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| BadPath)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| BadPath)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> NormalPath {
        NormalPath::parse(s).unwrap()
    }

    #[test]
    fn normalises_dots_slashes_encoding_and_query() {
        assert_eq!(
            p("/api/v2/barong/identity/ping?x=1").as_str(),
            "api/v2/barong/identity/ping"
        );
        assert_eq!(
            p("api//v2/./barong/identity/../admin/").as_str(),
            "api/v2/barong/admin"
        );
        assert_eq!(
            p("/api/v2/%62arong/identity").as_str(),
            "api/v2/barong/identity"
        );
        assert_eq!(
            p("/api/v2/barong/identity/%2e%2e/admin").as_str(),
            "api/v2/barong/admin"
        );
        assert!(NormalPath::parse("/a/%2Fb").is_err(), "encoded slash");
        assert!(NormalPath::parse("/a/%zz").is_err());
        assert!(NormalPath::parse("/../etc").is_err());
    }

    #[test]
    fn prefixes_match_on_segment_boundaries() {
        let identity = p("api/v2/barong/identity");
        assert!(p("api/v2/barong/identity").starts_with(&identity));
        assert!(p("api/v2/barong/identity/sessions").starts_with(&identity));
        assert!(!p("api/v2/barong/identityX").starts_with(&identity));
        assert!(!p("api/v2/barong/identity/../admin").starts_with(&identity));
        assert!(p("api/v2/peatio").starts_with(&p("api/v2/")));
    }
}
