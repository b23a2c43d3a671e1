//! KYC document rules, pure: which files are accepted (by their bytes, not by the name
//! or the Content-Type the client claims), Barong's `doc_type` / `doc_number` /
//! `doc_expire` model checks, and the per-user document limit. Error keys are Barong's
//! (`doc_type.inclusion`, `resource.documents.limit_reached`, ...) so services only
//! forward them.

use chrono::NaiveDate;

/// Longest accepted `doc_number` (Barong's column rule).
pub const DOC_NUMBER_MAX: usize = 128;

/// A file kind KYC accepts, recognised from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// JPEG image (`FF D8 FF`).
    Jpeg,
    /// PNG image (`89 'PNG' 0D 0A 1A 0A`).
    Png,
    /// PDF document (`%PDF-`).
    Pdf,
}

impl FileKind {
    /// The kind whose signature starts `bytes`, if any. A text file named `x.jpg` is
    /// `None`, whatever its name or the part's Content-Type say.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }

    /// The media type sent back on download.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }

    /// Extension of generated object keys, so an operator browsing the bucket sees
    /// what each object is.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }
}

/// Barong's model keys for one uploaded file: `upload.blank` when empty,
/// `upload.invalid_type` when it is not a JPEG, PNG or PDF; else its kind.
pub fn check_file(bytes: &[u8]) -> Result<FileKind, String> {
    if bytes.is_empty() {
        return Err("upload.blank".to_owned());
    }
    FileKind::sniff(bytes).ok_or_else(|| "upload.invalid_type".to_owned())
}

/// `doc_type.inclusion` unless `doc_type` is one of `allowed` (exact case, as Barong).
pub fn doc_type_errors(doc_type: &str, allowed: &[String]) -> Vec<String> {
    if allowed.iter().any(|a| a == doc_type) {
        Vec::new()
    } else {
        vec!["doc_type.inclusion".to_owned()]
    }
}

/// `doc_number.too_long` (over 128 characters) and `doc_number.invalid` (anything but
/// letters, digits, `-` and whitespace), in Barong's order.
pub fn doc_number_errors(doc_number: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if doc_number.chars().count() > DOC_NUMBER_MAX {
        errors.push("doc_number.too_long".to_owned());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c.is_whitespace();
    if doc_number.is_empty() || !doc_number.chars().all(allowed) {
        errors.push("doc_number.invalid".to_owned());
    }
    errors
}

/// A `doc_expire` value: `YYYY-MM-DD` only (the format every response uses).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The upload-level expiry rule with its key: when expiry is `required`, a missing
/// date is 422 `resource.documents.invalid_format` and a date before `today` is 422
/// `resource.documents.already_expired`. When it is optional, a past date is the model
/// key `doc_expire.invalid` (400), as Barong's model said.
pub fn check_expiry(
    expire: Option<NaiveDate>,
    required: bool,
    today: NaiveDate,
) -> Result<(), ExpiryError> {
    match expire {
        None if required => Err(ExpiryError::Missing),
        Some(date) if date < today && required => Err(ExpiryError::AlreadyExpired),
        Some(date) if date < today => Err(ExpiryError::Invalid),
        _ => Ok(()),
    }
}

/// Why a `doc_expire` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryError {
    /// Required but absent: 422 `resource.documents.invalid_format`.
    Missing,
    /// Before today while required: 422 `resource.documents.already_expired`.
    AlreadyExpired,
    /// Before today while optional: 400 model key `doc_expire.invalid`.
    Invalid,
}

impl ExpiryError {
    /// Barong's key.
    pub fn key(self) -> &'static str {
        match self {
            Self::Missing => "resource.documents.invalid_format",
            Self::AlreadyExpired => "resource.documents.already_expired",
            Self::Invalid => "doc_expire.invalid",
        }
    }
}

/// The per-user limit, with Barong's two keys (both 400). Unlike Barong (W24), a user
/// who already has exactly `limit` documents is refused too (`limit_reached`), so the
/// limit really is the most a user can hold.
pub fn check_limit(existing: u64, incoming: u64, limit: u64) -> Result<(), &'static str> {
    if existing >= limit {
        Err("resource.documents.limit_reached")
    } else if existing.saturating_add(incoming) > limit {
        Err("resource.documents.limit_will_be_reached")
    } else {
        Ok(())
    }
}

/// The metadata parameter: a JSON object (as text), or `None` when it is anything else.
pub fn parse_metadata(raw: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str(raw) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(
            FileKind::sniff(b"\xFF\xD8\xFF\xE0rest"),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"hello, I am a .jpg"), None);
        assert_eq!(check_file(b""), Err("upload.blank".to_owned()));
        assert_eq!(check_file(b"GIF89a"), Err("upload.invalid_type".to_owned()));
    }

    #[test]
    fn doc_number_rules() {
        assert!(doc_number_errors("AB 12-34").is_empty());
        assert_eq!(doc_number_errors("AB/12"), ["doc_number.invalid"]);
        assert_eq!(
            doc_number_errors(&"/".repeat(129)),
            ["doc_number.too_long", "doc_number.invalid"]
        );
    }

    #[test]
    fn expiry_rules() {
        let today = day("2026-12-05");
        assert_eq!(check_expiry(None, true, today), Err(ExpiryError::Missing));
        assert_eq!(check_expiry(None, false, today), Ok(()));
        assert_eq!(check_expiry(Some(today), true, today), Ok(()));
        assert_eq!(
            check_expiry(Some(day("2026-12-04")), true, today),
            Err(ExpiryError::AlreadyExpired)
        );
        assert_eq!(
            check_expiry(Some(day("2026-12-04")), false, today),
            Err(ExpiryError::Invalid)
        );
        assert_eq!(parse_date("05/12/2026"), None);
    }

    #[test]
    fn limit_counts_exactly() {
        assert_eq!(check_limit(0, 10, 10), Ok(()));
        assert_eq!(
            check_limit(9, 2, 10),
            Err("resource.documents.limit_will_be_reached")
        );
        assert_eq!(
            check_limit(10, 1, 10),
            Err("resource.documents.limit_reached")
        );
    }
}
