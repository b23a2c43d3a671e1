//! User activity records: what the audit log says about an action (topic, action,
//! result and, for failures, a reason), Barong's vocabulary.

/// Topics of user activities.
pub mod topic {
    /// Sign-up and account changes.
    pub const ACCOUNT: &str = "account";
    /// Log-in and log-out.
    pub const SESSION: &str = "session";
    /// Password reset and change.
    pub const PASSWORD: &str = "password";
    /// 2FA set-up.
    pub const OTP: &str = "otp";
}

/// Outcome of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The action happened.
    Succeed,
    /// The action was refused.
    Failed,
    /// The edge check denied the request.
    Denied,
}

impl Outcome {
    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeed => "succeed",
            Self::Failed => "failed",
            Self::Denied => "denied",
        }
    }
}

/// A user activity to record.
#[derive(Debug, Clone)]
pub struct UserActivity {
    /// Topic (see [`topic`]).
    pub topic: &'static str,
    /// Action, e.g. `login`, `login::2fa`, `password reset`.
    pub action: &'static str,
    /// Result.
    pub outcome: Outcome,
    /// Why it failed, in English (stored as `{"reason": ...}`).
    pub reason: Option<&'static str>,
}

impl UserActivity {
    /// A successful action.
    pub fn succeed(topic: &'static str, action: &'static str) -> Self {
        Self {
            topic,
            action,
            outcome: Outcome::Succeed,
            reason: None,
        }
    }

    /// A refused action with its reason.
    pub fn failed(topic: &'static str, action: &'static str, reason: &'static str) -> Self {
        Self {
            topic,
            action,
            outcome: Outcome::Failed,
            reason: Some(reason),
        }
    }

    /// The `data` column: `{"reason": ...}` for failures, nothing otherwise.
    pub fn data_json(&self) -> Option<String> {
        self.reason
            .map(|r| serde_json::json!({ "reason": r }).to_string())
    }
}
