use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn defaults_alone_are_valid_and_documented_values() {
    let c = Config::from_sources(None, env(&[])).unwrap();
    assert_eq!(c.http_addr.to_string(), "127.0.0.1:8001");
    assert_eq!(c.grpc_addr.to_string(), "127.0.0.1:9001");
    assert_eq!(c.session_expire, 1800);
    assert_eq!(c.data_dir, PathBuf::from("./data"));
    assert!(c.redis_url.is_none());
    assert_eq!(c.database_url(), "sqlite://./data/barong.sqlite?mode=rwc");
}

#[test]
fn environment_wins_over_file_and_is_typed() {
    let file = "session_expire = 60\nsession_cookie_secure = true\n";
    let c = Config::from_sources(
        Some(file),
        env(&[
            ("BARONG_SESSION_EXPIRE", "90"),
            ("BARONG_SESSION_COOKIE_SECURE", "false"),
        ]),
    )
    .unwrap();
    assert_eq!(c.session_expire, 90);
    assert!(!c.session_cookie_secure);
}

#[test]
fn bad_values_are_refused_with_the_key_named() {
    let err = Config::from_sources(None, env(&[("BARONG_SESSION_EXPIRE", "soon")])).unwrap_err();
    assert!(err.to_string().contains("BARONG_SESSION_EXPIRE"), "{err}");
    let err = Config::from_sources(None, env(&[("BARONG_HTTP_ADDR", "nowhere")])).unwrap_err();
    assert!(
        err.to_string().contains("http_addr") || err.to_string().contains("address"),
        "{err}"
    );
    let err = Config::from_sources(Some("sesion_expire = 5"), env(&[])).unwrap_err();
    assert!(err.to_string().contains("sesion_expire"), "{err}");
    let err =
        Config::from_sources(None, env(&[("BARONG_CAPTCHA_PROVIDER", "recaptcha")])).unwrap_err();
    assert!(err.to_string().contains("recaptcha_secret_key"), "{err}");
}

#[test]
fn event_and_telemetry_settings_are_checked() {
    for (var, value, named) in [
        ("BARONG_AMQP_URL", "http://rabbit:5672", "amqp_url"),
        ("BARONG_METRICS_ADDR", "metrics", "metrics_addr"),
        ("BARONG_OTLP_ENDPOINT", "collector:4317", "otlp_endpoint"),
        ("BARONG_OUTBOX_RETENTION", "0", "outbox_retention"),
    ] {
        let err = Config::from_sources(None, env(&[(var, value)])).unwrap_err();
        assert!(err.to_string().contains(named), "{var}={value}: {err}");
    }
    let c = Config::from_sources(
        None,
        env(&[
            ("BARONG_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2f"),
            ("BARONG_METRICS_ADDR", "127.0.0.1:9464"),
        ]),
    )
    .unwrap();
    assert_eq!(
        c.metrics_socket().unwrap(),
        Some("127.0.0.1:9464".parse().unwrap())
    );
    assert!(
        !format!("{c:?}").contains("guest:guest"),
        "the AMQP URL is a secret"
    );
    assert!(c.event_key_path().ends_with("event_private_key.pem"));
}

#[test]
fn secrets_come_from_files_and_never_print() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pw");
    std::fs::write(&path, "s3cret\n").unwrap();
    let c = Config::from_sources(
        None,
        env(&[("BARONG_ADMIN_PASSWORD_FILE", path.to_str().unwrap())]),
    )
    .unwrap();
    assert_eq!(c.admin_password.as_ref().unwrap().expose(), "s3cret");
    assert!(!format!("{c:?}").contains("s3cret"));
}
