//! Identity use cases: sign-up, email confirmation, password reset, log-in, log-out.

pub mod email_confirmation;
pub mod login;
pub mod password_reset;
pub mod signup;
mod user_rules;

pub use login::{LoginInput, LoginOutcome};
pub use signup::SignupInput;
pub use user_rules::{password_errors, reason_for as password_reason};
