//! Mail texts in English and Russian, chosen by the request's `lang` (anything else
//! falls back to English). Links point at the configured front end.

use crate::domain::Lang;

use super::Mail;

fn is_ru(lang: &Lang) -> bool {
    lang.as_str() == "RU"
}

/// "Confirm your email" with `<frontend>/accounts/confirmation?confirmation_token=<t>`.
pub fn confirmation(lang: &Lang, app: &str, frontend: &str, to: &str, token: &str) -> Mail {
    let link = format!(
        "{}/accounts/confirmation?confirmation_token={token}",
        frontend.trim_end_matches('/')
    );
    let (subject, body) = if is_ru(lang) {
        (
            format!("{app}: подтвердите адрес электронной почты"),
            format!(
                "Здравствуйте!\n\nЧтобы подтвердить адрес, откройте ссылку:\n\n{link}\n\nЕсли вы не регистрировались в {app}, просто удалите это письмо.\n"
            ),
        )
    } else {
        (
            format!("{app}: confirm your email"),
            format!(
                "Hello,\n\nPlease confirm your email address by opening this link:\n\n{link}\n\nIf you did not sign up for {app}, ignore this message.\n"
            ),
        )
    };
    Mail {
        to: to.to_owned(),
        subject,
        body,
    }
}

/// "Reset your password" with `<frontend>/accounts/password_reset?reset_token=<t>`.
pub fn password_reset(lang: &Lang, app: &str, frontend: &str, to: &str, token: &str) -> Mail {
    let link = format!(
        "{}/accounts/password_reset?reset_token={token}",
        frontend.trim_end_matches('/')
    );
    let (subject, body) = if is_ru(lang) {
        (
            format!("{app}: сброс пароля"),
            format!(
                "Здравствуйте!\n\nЧтобы задать новый пароль, откройте ссылку:\n\n{link}\n\nЕсли вы не запрашивали сброс, проигнорируйте это письмо: пароль останется прежним.\n"
            ),
        )
    } else {
        (
            format!("{app}: reset your password"),
            format!(
                "Hello,\n\nTo choose a new password, open this link:\n\n{link}\n\nIf you did not ask for a reset, ignore this message; your password stays unchanged.\n"
            ),
        )
    };
    Mail {
        to: to.to_owned(),
        subject,
        body,
    }
}

/// Notice that the password was changed and every session ended.
pub fn password_changed(lang: &Lang, app: &str, to: &str) -> Mail {
    let (subject, body) = if is_ru(lang) {
        (
            format!("{app}: пароль изменён"),
            "Здравствуйте!\n\nПароль вашей учётной записи был изменён, все сеансы завершены.\nЕсли это были не вы, немедленно свяжитесь со службой поддержки.\n".to_owned(),
        )
    } else {
        (
            format!("{app}: your password was changed"),
            "Hello,\n\nThe password of your account was changed and every session was signed out.\nIf this was not you, contact support immediately.\n".to_owned(),
        )
    };
    Mail {
        to: to.to_owned(),
        subject,
        body,
    }
}

/// Notice of a login from a device (user agent) the account had not logged in from.
pub fn new_login(lang: &Lang, app: &str, to: &str, ip: &str, user_agent: &str) -> Mail {
    let (subject, body) = if is_ru(lang) {
        (
            format!("{app}: вход с нового устройства"),
            format!(
                "Здравствуйте!\n\nВ вашу учётную запись выполнен вход с нового устройства.\nIP: {ip}\nУстройство: {user_agent}\nЕсли это были не вы, смените пароль и свяжитесь со службой поддержки.\n"
            ),
        )
    } else {
        (
            format!("{app}: new login from a new device"),
            format!(
                "Hello,\n\nYour account was just signed in to from a device it had not used before.\nIP: {ip}\nDevice: {user_agent}\nIf this was not you, change your password and contact support.\n"
            ),
        )
    };
    Mail {
        to: to.to_owned(),
        subject,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_languages() {
        let en = confirmation(
            &Lang::from_param(None),
            "Barong",
            "https://x.io/",
            "a@b.io",
            "T",
        );
        assert!(
            en.body
                .contains("https://x.io/accounts/confirmation?confirmation_token=T")
        );
        assert!(en.subject.contains("confirm"));
        let ru = password_reset(
            &Lang::from_param(Some("ru")),
            "Barong",
            "https://x.io",
            "a@b.io",
            "R",
        );
        assert!(
            ru.body
                .contains("https://x.io/accounts/password_reset?reset_token=R")
        );
        assert!(ru.subject.contains("сброс"));
    }
}
