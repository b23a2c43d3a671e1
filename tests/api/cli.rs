//! The `barong` binary as an operator runs it: migrate, seed (idempotent), serve with a
//! graceful stop on SIGTERM, and a clear message for bad configuration.

use std::process::{Command, Stdio};
use std::time::Duration;

fn barong(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_barong"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("BARONG_DATA_DIR", data_dir)
        .env("BARONG_LOG_LEVEL", "warn");
    cmd
}

#[test]
fn migrate_then_seed_twice() {
    let dir = tempfile::tempdir().unwrap();
    let out = barong(dir.path()).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("barong.sqlite").exists());
    let out = barong(dir.path())
        .args(["seed"])
        .env("BARONG_ADMIN_PASSWORD", crate::helpers::PASSWORD)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("levels added: 3, permissions added: 94, users created: 1"),
        "{stdout}"
    );
    assert!(stdout.contains("created admin@barong.io"), "{stdout}");
    assert!(
        !stdout.contains(crate::helpers::PASSWORD),
        "a given password is never printed"
    );
    let out = barong(dir.path()).arg("seed").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("levels added: 0, permissions added: 0, users created: 0"),
        "{stdout}"
    );
}

#[test]
fn seed_file_in_barong_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seeds.yml");
    std::fs::write(
        &file,
        "levels:\n  - { key: email, value: verified, description: e }\n  - { key: phone, value: verified, description: p }\n\
         users:\n  - { email: ops@barong.test, role: superadmin, state: active, level: 2 }\n\
         permissions:\n  - { role: superadmin, verb: all, path: api/v2, action: accept }\n",
    )
    .unwrap();
    let out = barong(dir.path())
        .args(["seed", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("levels added: 2, permissions added: 1, users created: 1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("created ops@barong.test with generated password: "),
        "{stdout}"
    );
    std::fs::write(&file, "levels: [oops").unwrap();
    let out = barong(dir.path())
        .args(["seed", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("seeds file"));
}

/// Runs `barong <args>` against `dir`; (success, stdout, stderr).
fn run(dir: &std::path::Path, args: &[&str], password: Option<&str>) -> (bool, String, String) {
    let mut cmd = barong(dir);
    cmd.args(args);
    if let Some(p) = password {
        cmd.env("BARONG_USER_PASSWORD", p);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn users_create_for_operators() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["seed"], Some(crate::helpers::PASSWORD)).0);
    let create = [
        "users",
        "create",
        "--email",
        "Ops@Barong.test",
        "--role",
        "superadmin",
        "--level",
        "2",
    ];
    let (ok, stdout, stderr) = run(dir.path(), &create, Some(crate::helpers::PASSWORD));
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("created ops@barong.test (uid ID")
            && stdout.contains("role superadmin, state active, level 2"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(crate::helpers::PASSWORD),
        "a given password is never printed"
    );
    // The same email again, an unknown role, a weak password: errors, nothing created.
    let (ok, _, stderr) = run(dir.path(), &create, Some(crate::helpers::PASSWORD));
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let pirate = [
        "users",
        "create",
        "--email",
        "p@barong.test",
        "--role",
        "pirate",
    ];
    let (ok, _, stderr) = run(dir.path(), &pirate, Some(crate::helpers::PASSWORD));
    assert!(
        !ok && stderr.contains("role 'pirate' is not named by any permission"),
        "{stderr}"
    );
    let weak = ["users", "create", "--email", "w@barong.test"];
    let (ok, _, stderr) = run(dir.path(), &weak, Some("password"));
    assert!(!ok && stderr.contains("password rejected"), "{stderr}");
    // No password: one is generated and printed once.
    let (ok, stdout, stderr) = run(
        dir.path(),
        &["users", "create", "--email", "g@barong.test"],
        None,
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("generated password: "), "{stdout}");
}

#[test]
fn permissions_load_adds_only_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["seed"], Some(crate::helpers::PASSWORD)).0);
    let file = dir.path().join("rules.yml");
    std::fs::write(
        &file,
        concat!(
            "permissions:\n",
            "  - { role: auditor, verb: get, path: api/v2/barong/admin/activities, action: accept }\n",
            "  - { role: member, verb: all, path: api/v2/barong/resource, action: accept }\n",
        ),
    )
    .unwrap();
    let path = file.display().to_string();
    let (ok, stdout, stderr) = run(dir.path(), &["permissions", "load", &path], None);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("permissions added: 1 (of 2 in the file)"),
        "{stdout}"
    );
    let (_, stdout, _) = run(dir.path(), &["permissions", "load", &path], None);
    assert!(
        stdout.contains("permissions added: 0 (of 2 in the file)"),
        "{stdout}"
    );
    let (ok, _, stderr) = run(
        dir.path(),
        &["permissions", "load", "/nonexistent.yml"],
        None,
    );
    assert!(
        !ok && stderr.contains("cannot read /nonexistent.yml"),
        "{stderr}"
    );
}

#[test]
fn bad_configuration_stops_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = barong(dir.path())
        .arg("serve")
        .env("BARONG_SESSION_EXPIRE", "half an hour")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("BARONG_SESSION_EXPIRE must be an integer"),
        "{stderr}"
    );
}

#[tokio::test]
async fn serve_answers_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = barong(dir.path())
        .arg("serve")
        .env("BARONG_HTTP_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/api/v2/identity/ping");
    let mut up = false;
    for _ in 0..100 {
        if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "serve did not answer");
    for file in ["barong.sqlite", "jwt_private_key.pem", "secret.key"] {
        assert!(
            dir.path().join(file).exists(),
            "{file} created on first start"
        );
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut exited = None;
    for _ in 0..50 {
        if let Some(s) = child.try_wait().unwrap() {
            exited = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    assert!(
        exited.is_some_and(|s| s.success()),
        "graceful exit 0 on SIGTERM: {exited:?}"
    );
}

#[test]
fn keys_rotate_keeps_the_previous_key_published() {
    let dir = tempfile::tempdir().unwrap();
    let out = barong(dir.path())
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("published keys: 1"));
    let out = barong(dir.path())
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("published keys: 2"), "{stdout}");
    assert!(dir.path().join("jwt_private_key.previous.pem").exists());
}
