//! `Lang`: the mail language requested by `lang`, upper-cased, `EN` when absent (Barong).

/// A requested language code such as `EN` or `RU`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang(String);

impl Lang {
    /// Upper-cases the parameter; absent or blank means `EN`.
    pub fn from_param(raw: Option<&str>) -> Self {
        match raw.map(str::trim).filter(|s| !s.is_empty()) {
            Some(code) => Self(code.to_uppercase()),
            None => Self("EN".to_owned()),
        }
    }

    /// `EN`, for events and mail of actions that carry no `lang` parameter.
    pub fn english() -> Self {
        Self::from_param(None)
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
