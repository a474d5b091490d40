//! `cargo concur` package selection end to end: `-p`, `--workspace`, `--exclude`, root
//! packages, a path dependency outside the workspace, a single crate, and the package and
//! target each JSON finding is reported under.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{BLOCKING, stderr, stdout, write_files};
use serde_json::Value;

fn cargo_concur(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-concur"))
        .arg("concur")
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .output()
        .expect("run cargo-concur")
}

/// (file, package name from the package id, target name, target kind) of each finding.
fn findings(out: &Output) -> Vec<(String, String, String, String)> {
    let mut found: Vec<_> = stdout(out)
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("json line");
            let file = value["message"]["spans"][0]["file_name"]
                .as_str()
                .expect("file")
                .to_string();
            let manifest = value["manifest_path"].as_str().expect("manifest path");
            assert!(Path::new(manifest).is_file(), "{manifest}");
            let id = value["package_id"].as_str().expect("package id");
            let package = package_name(id);
            let target = value["target"]["name"]
                .as_str()
                .expect("target name")
                .to_string();
            let kind = value["target"]["kind"][0]
                .as_str()
                .expect("target kind")
                .to_string();
            (file, package, target, kind)
        })
        .collect();
    found.sort();
    found
}

/// The package name in a cargo package id: `path+file:///p/core#0.1.0` (named after its
/// folder) or `path+file:///p/x#core@0.1.0`.
fn package_name(id: &str) -> String {
    let (url, fragment) = id.split_once('#').expect("package id has a fragment");
    match fragment.split_once('@') {
        Some((name, _)) => name.to_string(),
        None => url.rsplit('/').next().expect("url has a path").to_string(),
    }
}

fn package(name: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
}

/// A virtual workspace with three members; `core` has a lib, a binary and a test.
fn workspace(root: &Path) {
    write_files(
        root,
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"core\", \"cli\", \"extra\"]\nresolver = \"2\"\n",
            ),
            ("core/Cargo.toml", &package("core")),
            ("core/src/lib.rs", BLOCKING),
            ("core/src/main.rs", &format!("fn main() {{}}\n{BLOCKING}")),
            (
                "core/src/bin/tool.rs",
                &format!("fn main() {{}}\n{BLOCKING}"),
            ),
            // Test code: reported with `--include-tests`.
            (
                "core/tests/it.rs",
                "fn run(m: &std::sync::Mutex<u8>) {\n    let _ = m.lock().unwrap();\n    work();\n}\nfn work() {}\n",
            ),
            ("cli/Cargo.toml", &package("cli")),
            ("cli/src/main.rs", &format!("fn main() {{}}\n{BLOCKING}")),
            ("extra/Cargo.toml", &package("extra")),
            ("extra/src/lib.rs", BLOCKING),
        ],
    );
}

#[test]
fn each_finding_names_its_package_and_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    workspace(dir.path());
    let out = cargo_concur(dir.path(), &["-p", "core", "--include-tests"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = findings(&out);
    let summary: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(f, _, t, k)| (f.as_str(), t.as_str(), k.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("core/src/bin/tool.rs", "tool", "bin"),
            ("core/src/lib.rs", "core", "lib"),
            ("core/src/main.rs", "core", "bin"),
            ("core/tests/it.rs", "it", "test"),
        ]
    );
}

#[test]
fn packages_can_be_picked_and_excluded() {
    let dir = tempfile::tempdir().expect("tempdir");
    workspace(dir.path());
    let picked = findings(&cargo_concur(
        dir.path(),
        &["-p", "cli", "--package", "extra"],
    ));
    let packages: Vec<&str> = picked.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(packages, ["cli", "extra"]);
    let rest = findings(&cargo_concur(
        dir.path(),
        &["--workspace", "--exclude", "core"],
    ));
    let packages: Vec<&str> = rest.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(packages, ["cli", "extra"]);
    let unknown = cargo_concur(dir.path(), &["-p", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("package `nope`"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_root_package_lints_itself_unless_workspace_is_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "Cargo.toml",
                &format!("{}\n[workspace]\nmembers = [\"member\"]\n", package("root")),
            ),
            ("src/lib.rs", BLOCKING),
            ("member/Cargo.toml", &package("member")),
            ("member/src/lib.rs", BLOCKING),
        ],
    );
    let own = findings(&cargo_concur(dir.path(), &[]));
    assert_eq!(
        own.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["src/lib.rs"]
    );
    let all = findings(&cargo_concur(dir.path(), &["--workspace"]));
    assert_eq!(
        all.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["member/src/lib.rs", "src/lib.rs"]
    );
}

#[test]
fn a_path_dependency_outside_the_workspace_is_not_linted() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "ws/Cargo.toml",
                "[workspace]\nmembers = [\"app\"]\nresolver = \"2\"\n",
            ),
            (
                "ws/app/Cargo.toml",
                &format!(
                    "{}\n[dependencies]\nvendored = {{ path = \"../../vendored\" }}\n",
                    package("app")
                ),
            ),
            ("ws/app/src/main.rs", &format!("fn main() {{}}\n{BLOCKING}")),
            ("vendored/Cargo.toml", &package("vendored")),
            ("vendored/src/lib.rs", BLOCKING),
        ],
    );
    let out = cargo_concur(&dir.path().join("ws"), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "app/src/main.rs");
    assert_eq!(found[0].1, "app");
    let from_outside = cargo_concur(dir.path(), &["--manifest-path", "ws/Cargo.toml"]);
    let found = findings(&from_outside);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "ws/app/src/main.rs");
}

#[test]
fn a_single_crate_is_linted_from_any_folder_inside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            ("Cargo.toml", &package("solo")),
            ("src/lib.rs", BLOCKING),
            ("src/net/mod.rs", BLOCKING),
        ],
    );
    let out = cargo_concur(&dir.path().join("src/net"), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = findings(&out);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|f| f.1 == "solo" && f.2 == "solo" && f.3 == "lib"),
        "{found:?}"
    );
}

#[test]
fn cargo_concur_reads_the_workspace_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    workspace(dir.path());
    let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).expect("read");
    let with_config = format!(
        "{manifest}\n[workspace.metadata.concur.rules]\nblocking_call_in_async = \"deny\"\n"
    );
    write_files(dir.path(), &[("Cargo.toml", &with_config)]);
    let out = cargo_concur(dir.path(), &["-p", "extra", "--exit-zero"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("\"level\":\"error\""),
        "{}",
        stdout(&out)
    );
}
