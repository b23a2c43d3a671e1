//! Embeds version information for `/api/v2/identity/version`: the git tag and commit
//! when built from a clone (`unknown` otherwise) and the build date.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let sha = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    let tag = git(&["describe", "--tags", "--abbrev=0"]).unwrap_or_else(|| format!("v{version}"));
    let date = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f+00:00")
        .to_string();
    println!("cargo:rustc-env=BARONG_GIT_SHA={sha}");
    println!("cargo:rustc-env=BARONG_GIT_TAG={tag}");
    println!("cargo:rustc-env=BARONG_BUILD_DATE={date}");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
    println!("cargo:rerun-if-changed=build.rs");
}
