//! What an API key's scopes let it do. Barong stored a key's `scope` and never looked at
//! it again (W6, openware/barong#540, #779), so a "read-only" key could place orders and
//! withdraw. Here every scope name maps to `(verb, path prefix)` entries, taken from the
//! `scopes:` table of the rules file over built-in defaults; a key with scopes may do
//! only what one of them covers (and what its owner's role allows, checked separately).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::path::NormalPath;

/// The built-in table: `read` covers every GET/HEAD under `api/v2`, `trade` covers
/// Peatio's market API (orders), `withdraw` covers Peatio's withdrawals. A rules file
/// entry with the same name replaces one of these; `name: []` removes it.
pub const DEFAULT_SCOPES: &str = "\
read:
  - { verb: [GET, HEAD], path: api/v2 }
trade:
  - { verb: ALL, path: api/v2/peatio/market }
withdraw:
  - { verb: [GET, POST], path: api/v2/peatio/account/withdraws }
";

/// One entry as written in YAML: `verb` is a method, a list of methods or `ALL`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScopeEntryFile {
    verb: Verbs,
    path: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Verbs {
    One(String),
    Many(Vec<String>),
}

/// The YAML shape of a scope table.
pub(super) type ScopeTableFile = BTreeMap<String, Vec<ScopeEntryFile>>;

#[derive(Debug, Clone, PartialEq, Eq)]
struct ScopeEntry {
    /// Upper-case methods; empty means every method (`ALL`).
    verbs: Vec<String>,
    path: NormalPath,
}

/// Scope name to what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeTable {
    by_name: BTreeMap<String, Vec<ScopeEntry>>,
}

impl Default for ScopeTable {
    fn default() -> Self {
        match parse_table(DEFAULT_SCOPES) {
            Ok(table) => Self { by_name: table },
            Err(_) => Self {
                by_name: BTreeMap::new(),
            },
        }
    }
}

fn entries(name: &str, list: Vec<ScopeEntryFile>) -> Result<Vec<ScopeEntry>, String> {
    list.into_iter()
        .map(|e| {
            let path = NormalPath::parse(&e.path)
                .map_err(|_| format!("scope '{name}': invalid path '{}'", e.path))?;
            let verbs: Vec<String> = match e.verb {
                Verbs::One(v) => vec![v],
                Verbs::Many(vs) => vs,
            }
            .into_iter()
            .map(|v| v.trim().to_uppercase())
            .collect();
            if verbs.is_empty() || verbs.iter().any(|v| v.is_empty()) {
                return Err(format!("scope '{name}': empty verb"));
            }
            let verbs = if verbs.iter().any(|v| v == "ALL" || v == "*") {
                Vec::new()
            } else {
                verbs
            };
            Ok(ScopeEntry { verbs, path })
        })
        .collect()
}

fn parse_table(yaml: &str) -> Result<BTreeMap<String, Vec<ScopeEntry>>, String> {
    let file: ScopeTableFile = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    from_file(file)
}

fn from_file(file: ScopeTableFile) -> Result<BTreeMap<String, Vec<ScopeEntry>>, String> {
    file.into_iter()
        .map(|(name, list)| Ok((name.clone(), entries(&name, list)?)))
        .collect()
}

impl ScopeTable {
    /// The defaults with the rules file's entries laid over them by name.
    pub(super) fn with_overrides(file: Option<ScopeTableFile>) -> Result<Self, String> {
        let mut table = Self::default();
        if let Some(file) = file {
            for (name, list) in from_file(file)? {
                if list.is_empty() {
                    table.by_name.remove(&name);
                } else {
                    table.by_name.insert(name, list);
                }
            }
        }
        Ok(table)
    }

    /// Whether any of `scopes` covers `method` on `path`. Unknown scope names cover
    /// nothing (a typo fails closed).
    pub fn allows(&self, scopes: &[String], method: &str, path: &NormalPath) -> bool {
        scopes
            .iter()
            .filter_map(|name| self.by_name.get(name.trim()))
            .flatten()
            .any(|e| {
                path.starts_with(&e.path)
                    && (e.verbs.is_empty() || e.verbs.iter().any(|v| v == method))
            })
    }

    /// The scope names known to this table.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> NormalPath {
        NormalPath::parse(s).unwrap()
    }

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn defaults_separate_reading_trading_and_withdrawing() {
        let t = ScopeTable::default();
        let orders = p("/api/v2/peatio/market/orders");
        assert!(t.allows(&s(&["read"]), "GET", &orders));
        assert!(!t.allows(&s(&["read"]), "POST", &orders));
        assert!(t.allows(&s(&["trade"]), "POST", &orders));
        assert!(t.allows(&s(&["read", "trade"]), "DELETE", &orders));
        let withdraws = p("api/v2/peatio/account/withdraws");
        assert!(!t.allows(&s(&["trade", "read"]), "POST", &withdraws));
        assert!(t.allows(&s(&["withdraw"]), "POST", &withdraws));
        assert!(!t.allows(&s(&["reed"]), "GET", &orders), "unknown scope");
        assert!(!t.allows(&[], "GET", &orders));
        assert!(
            !t.allows(&s(&["trade"]), "POST", &p("api/v2/peatio/marketX")),
            "segment boundary"
        );
    }

    #[test]
    fn file_entries_replace_or_remove_defaults() {
        let file: ScopeTableFile = serde_yaml::from_str(
            "trade: [{verb: post, path: api/v2/x}]\nwithdraw: []\nall: [{verb: '*', path: ''}]\n",
        )
        .unwrap();
        let t = ScopeTable::with_overrides(Some(file)).unwrap();
        assert!(t.allows(&s(&["trade"]), "POST", &p("api/v2/x/y")));
        assert!(!t.allows(&s(&["trade"]), "POST", &p("api/v2/peatio/market/orders")));
        assert!(!t.allows(
            &s(&["withdraw"]),
            "POST",
            &p("api/v2/peatio/account/withdraws")
        ));
        assert!(t.allows(&s(&["all"]), "PATCH", &p("anything/at/all")));
        assert!(t.allows(&s(&["read"]), "GET", &p("api/v2/a")), "read kept");
        assert_eq!(t.names().collect::<Vec<_>>(), ["all", "read", "trade"]);
        let bad: ScopeTableFile = serde_yaml::from_str("x: [{verb: GET, path: '../..'}]").unwrap();
        assert!(ScopeTable::with_overrides(Some(bad)).is_err());
        let empty_verb: ScopeTableFile = serde_yaml::from_str("x: [{verb: [], path: a}]").unwrap();
        assert!(ScopeTable::with_overrides(Some(empty_verb)).is_err());
    }
}
