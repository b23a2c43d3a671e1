//! The mailer as an Event API consumer: which events become which message. It reads the
//! same payloads RabbitMQ consumers get (the token, the user object, `language`), so
//! what a mail says and what the event says cannot drift apart.

use serde_json::Value;

use super::mail_templates;
use super::mailer::Mail;
use crate::domain::{Lang, event};

/// What the templates need besides the event.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// Application name in subjects.
    pub app_name: String,
    /// Base of links.
    pub frontend_url: String,
}

/// The message for an event, or `None` when the event mails nothing (a login from a
/// known device) or its payload lacks what the template needs.
pub fn mail_for(name: &str, payload: &Value, settings: &MailSettings) -> Option<Mail> {
    let to = payload["user"]["email"].as_str()?;
    let lang = Lang::from_param(payload["language"].as_str());
    let (app, front) = (settings.app_name.as_str(), settings.frontend_url.as_str());
    match name {
        event::EMAIL_CONFIRMATION_TOKEN => Some(mail_templates::confirmation(
            &lang,
            app,
            front,
            to,
            payload["token"].as_str()?,
        )),
        event::PASSWORD_RESET_TOKEN => Some(mail_templates::password_reset(
            &lang,
            app,
            front,
            to,
            payload["token"].as_str()?,
        )),
        event::PASSWORD_RESET | event::PASSWORD_CHANGE => {
            Some(mail_templates::password_changed(&lang, app, to))
        }
        event::SESSION_CREATED if payload["new_device"].as_bool() == Some(true) => {
            Some(mail_templates::new_login(
                &lang,
                app,
                to,
                payload["user_ip"].as_str().unwrap_or("unknown"),
                payload["user_agent"].as_str().unwrap_or("unknown"),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn settings() -> MailSettings {
        MailSettings {
            app_name: "Barong".into(),
            frontend_url: "https://x.io".into(),
        }
    }

    #[test]
    fn token_events_mail_their_link_in_their_language() {
        let payload = json!({"user": {"email": "a@b.io"}, "language": "RU", "token": "T"});
        let mail = mail_for(event::EMAIL_CONFIRMATION_TOKEN, &payload, &settings()).unwrap();
        assert_eq!(mail.to, "a@b.io");
        assert!(mail.body.contains("confirmation_token=T"));
        assert!(mail.subject.contains("подтвердите"));
    }

    #[test]
    fn known_devices_and_other_events_mail_nothing() {
        let known = json!({"user": {"email": "a@b.io"}, "new_device": false});
        assert!(mail_for(event::SESSION_CREATED, &known, &settings()).is_none());
        let created = json!({"record": {"email": "a@b.io"}});
        assert!(mail_for(event::USER_CREATED, &created, &settings()).is_none());
        let new = json!({"user": {"email": "a@b.io"}, "new_device": true, "user_ip": "1.2.3.4"});
        let mail = mail_for(event::SESSION_CREATED, &new, &settings()).unwrap();
        assert!(mail.body.contains("1.2.3.4"));
    }
}
