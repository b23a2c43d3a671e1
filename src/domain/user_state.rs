//! `UserState`: Barong's account states. `pending` until the email is confirmed,
//! `active` to use the exchange, `banned` by an admin, `discarded` when the user closed
//! the account. Admins may set other strings; they behave as "not active".

use std::fmt;

/// An account state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserState {
    /// Signed up, email not confirmed yet.
    Pending,
    /// Allowed to log in and trade.
    Active,
    /// Locked by an admin; can never reactivate by itself.
    Banned,
    /// Closed by its owner; can never reactivate by itself.
    Discarded,
    /// Any other value an admin stored.
    Other(String),
}

impl UserState {
    /// Reads a stored value.
    pub fn from_db(value: &str) -> Self {
        match value {
            "pending" => Self::Pending,
            "active" => Self::Active,
            "banned" => Self::Banned,
            "discarded" => Self::Discarded,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The stored value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Banned => "banned",
            Self::Discarded => "discarded",
            Self::Other(s) => s,
        }
    }

    /// Whether email confirmation may activate the account: only a pending one. Barong
    /// activated any non-active account, so banned and discarded users could undo their
    /// state themselves (W10).
    pub fn may_confirm_email(&self) -> bool {
        matches!(self, Self::Pending)
    }
}

impl fmt::Display for UserState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
