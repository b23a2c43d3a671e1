//! Pass/block rules in Barong's `authz_rules.yml` format, parsed once and reloaded when
//! the file changes (polled every second); a file that fails to parse on reload keeps
//! the previous rules and logs an error. Barong re-read and ERB-evaluated the file on
//! every request (W4). Beside Barong's `rules:` the file may carry `scopes:`, the table of
//! what each API-key scope covers (see `scopes`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::path::NormalPath;
use super::scopes::{ScopeTable, ScopeTableFile};

/// Barong's default rules.
pub const DEFAULT_RULES: &str = "rules:\n  pass:\n    - api/v2/barong/identity\n    - api/v2/peatio/public\n  block:\n    - api/v2/barong/management\n    - api/v2/peatio/management\n";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: RuleLists,
    #[serde(default)]
    scopes: Option<ScopeTableFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleLists {
    #[serde(default)]
    pass: Vec<String>,
    #[serde(default)]
    block: Vec<String>,
}

/// Parsed rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pass: Vec<NormalPath>,
    block: Vec<NormalPath>,
    scopes: ScopeTable,
}

/// What the rules say about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleVerdict {
    /// Matches a `block` prefix.
    Block,
    /// Matches a `pass` prefix: no credentials needed.
    Pass,
    /// Neither: credentials and permissions decide.
    Check,
}

impl Rules {
    /// Parses the YAML text.
    pub fn parse(yaml: &str) -> Result<Self, String> {
        let file: RulesFile = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
        let norm = |list: Vec<String>| -> Result<Vec<NormalPath>, String> {
            list.iter()
                .map(|p| NormalPath::parse(p).map_err(|_| format!("invalid rule path '{p}'")))
                .collect()
        };
        Ok(Self {
            pass: norm(file.rules.pass)?,
            block: norm(file.rules.block)?,
            scopes: ScopeTable::with_overrides(file.scopes)?,
        })
    }

    /// What API-key scopes cover (the built-in table unless the file changes it).
    pub fn scopes(&self) -> &ScopeTable {
        &self.scopes
    }

    /// Block wins over pass, as in Barong.
    pub fn verdict(&self, path: &NormalPath) -> RuleVerdict {
        if self.block.iter().any(|p| path.starts_with(p)) {
            RuleVerdict::Block
        } else if self.pass.iter().any(|p| path.starts_with(p)) {
            RuleVerdict::Pass
        } else {
            RuleVerdict::Check
        }
    }
}

/// The rules in effect, swapped atomically on reload.
#[derive(Clone)]
pub struct RulesHandle {
    current: Arc<RwLock<Arc<Rules>>>,
}

impl RulesHandle {
    /// Loads `file` (or the defaults) and, for a file, starts the reload watcher.
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let rules = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                Rules::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => Rules::parse(DEFAULT_RULES)?,
        };
        let handle = Self {
            current: Arc::new(RwLock::new(Arc::new(rules))),
        };
        if let Some(path) = file {
            tokio::spawn(watch(handle.clone(), path.to_path_buf()));
        }
        Ok(handle)
    }

    /// The rules now in effect.
    pub fn get(&self) -> Arc<Rules> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, rules: Rules) {
        match self.current.write() {
            Ok(mut guard) => *guard = Arc::new(rules),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(rules),
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

async fn watch(handle: RulesHandle, path: PathBuf) {
    let mut last = modified(&path);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let now = modified(&path);
        if now == last {
            continue;
        }
        last = now;
        match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| Rules::parse(&t))
        {
            Ok(rules) => {
                handle.set(rules);
                tracing::info!(authz.rules_file = %path.display(), "authz rules reloaded");
            }
            Err(e) => {
                tracing::error!(authz.rules_file = %path.display(), error = %e, "authz rules not reloaded; keeping the previous rules")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_identity_and_block_management() {
        let rules = Rules::parse(DEFAULT_RULES).unwrap();
        let v = |p: &str| rules.verdict(&NormalPath::parse(p).unwrap());
        assert_eq!(v("api/v2/barong/identity/sessions"), RuleVerdict::Pass);
        assert_eq!(v("api/v2/barong/identityX"), RuleVerdict::Check);
        assert_eq!(
            v("api/v2/barong/identity/../management/x"),
            RuleVerdict::Block
        );
        assert_eq!(v("api/v2/peatio/management/x"), RuleVerdict::Block);
        assert_eq!(v("api/v2/barong/resource/users/me"), RuleVerdict::Check);
        assert!(Rules::parse("rules: [").is_err());
    }

    #[tokio::test]
    async fn reloads_on_change_and_keeps_old_rules_on_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rules.yml");
        std::fs::write(&file, "rules:\n  pass: [a]\n").unwrap();
        let handle = RulesHandle::load(Some(&file)).unwrap();
        let a = NormalPath::parse("a/x").unwrap();
        assert_eq!(handle.get().verdict(&a), RuleVerdict::Pass);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        std::fs::write(&file, "rules:\n  block: [a]\n").unwrap();
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert_eq!(handle.get().verdict(&a), RuleVerdict::Block);
        std::fs::write(&file, "rules: [broken").unwrap();
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert_eq!(handle.get().verdict(&a), RuleVerdict::Block);
    }
}
