//! Role-based permissions with Barong's semantics: rows matching the role, the verb
//! (exact or `ALL`) and a path prefix (on segment boundaries) are selected; a `DROP`
//! vetoes, an `ACCEPT` is required, an `AUDIT` only adds an audit record.

use std::collections::HashMap;

use super::path::NormalPath;

/// One permission row, pre-parsed.
#[derive(Debug, Clone)]
pub struct PermissionRule {
    /// Upper-case method or `ALL`.
    pub verb: String,
    /// Normalised path prefix.
    pub path: NormalPath,
    /// ACCEPT, DROP or AUDIT (upper-case).
    pub action: String,
    /// Audit topic.
    pub topic: Option<String>,
}

/// The whole table, grouped by role.
#[derive(Debug, Clone, Default)]
pub struct PermissionTable {
    by_role: HashMap<String, Vec<PermissionRule>>,
}

/// RBAC result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RbacOutcome {
    /// Allowed; `Some(topic)` when an AUDIT row matched.
    Allow {
        /// Audit topic when the request must be audited.
        audit: Option<String>,
    },
    /// Denied (and audited as `denied`).
    Deny,
}

impl PermissionTable {
    /// Builds the table from `(role, verb, path, action, topic)` rows; rows whose path
    /// cannot be normalised are skipped with a warning.
    pub fn from_rows(
        rows: impl IntoIterator<Item = (String, String, String, String, Option<String>)>,
    ) -> Self {
        let mut by_role: HashMap<String, Vec<PermissionRule>> = HashMap::new();
        for (role, verb, path, action, topic) in rows {
            let Ok(path) = NormalPath::parse(&path) else {
                tracing::warn!(permission.path = %path, "permission path cannot be normalised; ignored");
                continue;
            };
            by_role.entry(role).or_default().push(PermissionRule {
                verb: verb.to_uppercase(),
                path,
                action: action.to_uppercase(),
                topic,
            });
        }
        Self { by_role }
    }

    /// Evaluates a request.
    pub fn evaluate(&self, role: &str, method: &str, path: &NormalPath) -> RbacOutcome {
        let Some(rules) = self.by_role.get(role) else {
            return RbacOutcome::Deny;
        };
        let matching = rules.iter().filter(|r| {
            (r.verb == "ALL" || r.verb.eq_ignore_ascii_case(method)) && path.starts_with(&r.path)
        });
        let (mut accept, mut drop, mut audit) = (false, false, None::<&PermissionRule>);
        for rule in matching {
            match rule.action.as_str() {
                "ACCEPT" => accept = true,
                "DROP" => drop = true,
                "AUDIT" => {
                    audit.get_or_insert(rule);
                }
                _ => {}
            }
        }
        if drop || !accept {
            return RbacOutcome::Deny;
        }
        RbacOutcome::Allow {
            audit: audit.map(|r| audit_topic(r.topic.as_deref(), path)),
        }
    }
}

/// Barong's audit topic: the AUDIT row's topic, else the segment after the first
/// `admin/`, else `general`.
pub fn audit_topic(topic: Option<&str>, path: &NormalPath) -> String {
    if let Some(t) = topic.filter(|t| !t.is_empty()) {
        return t.to_owned();
    }
    path.as_str()
        .split_once("admin/")
        .and_then(|(_, rest)| rest.split('/').next())
        .filter(|s| !s.is_empty())
        .unwrap_or("general")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> PermissionTable {
        let row = |role: &str, verb: &str, path: &str, action: &str| {
            (
                role.to_owned(),
                verb.to_owned(),
                path.to_owned(),
                action.to_owned(),
                None,
            )
        };
        PermissionTable::from_rows([
            row("member", "ALL", "api/v2/barong/resource", "ACCEPT"),
            row("admin", "ALL", "api/v2", "ACCEPT"),
            row("admin", "ALL", "api/v2/barong/admin/permissions", "DROP"),
            row("admin", "ALL", "api/v2", "AUDIT"),
            row("auditor", "GET", "api/v2/x", "AUDIT"),
        ])
    }

    fn p(s: &str) -> NormalPath {
        NormalPath::parse(s).unwrap()
    }

    #[test]
    fn accept_drop_audit_semantics() {
        let t = table();
        assert_eq!(
            t.evaluate("member", "GET", &p("api/v2/barong/resource/users/me")),
            RbacOutcome::Allow { audit: None }
        );
        assert_eq!(
            t.evaluate("member", "GET", &p("api/v2/barong/resourceX")),
            RbacOutcome::Deny
        );
        assert_eq!(
            t.evaluate("member", "GET", &p("api/v2/barong/admin/users")),
            RbacOutcome::Deny
        );
        assert_eq!(
            t.evaluate("admin", "PUT", &p("api/v2/barong/admin/users/labels")),
            RbacOutcome::Allow {
                audit: Some("users".into())
            }
        );
        assert_eq!(
            t.evaluate("admin", "GET", &p("api/v2/barong/admin/permissions")),
            RbacOutcome::Deny
        );
        assert_eq!(
            t.evaluate("auditor", "GET", &p("api/v2/x")),
            RbacOutcome::Deny,
            "AUDIT alone never grants"
        );
        assert_eq!(
            t.evaluate("ghost", "GET", &p("api/v2/x")),
            RbacOutcome::Deny
        );
        assert_eq!(
            t.evaluate("admin", "GET", &p("api/v2/peatio/account")),
            RbacOutcome::Allow {
                audit: Some("general".into())
            }
        );
    }
}
