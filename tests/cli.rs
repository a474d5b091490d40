//! The `concur` and `cargo-concur` binaries on real files in temp folders: findings, exit codes,
//! per-file errors, discovery, determinism and the `rules`/`explain` subcommands.

mod common;

use std::process::Command;

use common::{BLOCKING, CLEAN, concur, stderr, stdout, write_files};

/// A `thread_per_item` finding on line 3 (a rule that also checks test code).
/// A finding that test code gets too: a lock guard dropped at once.
const DROPPED_GUARD: &str = "fn run(m: &std::sync::Mutex<u8>) {\n    let _ = m.lock().unwrap();\n    work();\n}\nfn work() {}\n";

#[test]
fn findings_exit_1_and_clean_code_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("bad.rs", BLOCKING), ("good.rs", CLEAN)]);
    let bad = concur(dir.path(), &["bad.rs", "--color", "never"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    let out = stdout(&bad);
    assert!(out.contains("warning[blocking_call_in_async]"), "{out}");
    assert!(out.contains("bad.rs:2:5"), "{out}");
    assert!(out.contains("1 warning in 1 file (1 file linted)"), "{out}");
    let good = concur(dir.path(), &["good.rs"]);
    assert_eq!(good.status.code(), Some(0), "{}", stdout(&good));
    assert!(stdout(&good).contains("0 warnings"));
}

#[test]
fn default_path_is_the_current_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("src/lib.rs", BLOCKING)]);
    let out = concur(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("src/lib.rs:2:5"), "{}", stdout(&out));
}

#[test]
fn a_parse_error_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[("a_broken.rs", "fn main( {\n"), ("b.rs", BLOCKING)],
    );
    let out = concur(dir.path(), &[".", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1), "the warning in b.rs decides");
    let text = stdout(&out);
    assert!(
        text.contains("note[parse_error]: file not linted"),
        "{text}"
    );
    assert!(text.contains("a_broken.rs:1:"), "{text}");
    assert!(text.contains("warning[blocking_call_in_async]"), "{text}");
    assert!(
        text.contains(
            "1 warning in 1 file (2 files linted, 1 file not fully linted: syn cannot parse them)"
        ),
        "{text}"
    );
    // A file concur cannot parse alone does not fail the run by default...
    let alone = concur(dir.path(), &["a_broken.rs"]);
    assert_eq!(alone.status.code(), Some(0), "{}", stdout(&alone));
    // ...unless the configuration says so.
    write_files(dir.path(), &[("concur.toml", "parse-errors = \"deny\"\n")]);
    let denied = concur(dir.path(), &["--format", "short", "a_broken.rs"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stdout(&denied).contains("error[parse_error]"),
        "{}",
        stdout(&denied)
    );
}

#[test]
fn valid_rust_that_syn_rejects_is_linted_around() {
    // Edition-2015 bare trait objects and a cfg'd-out negative impl: rustc accepts both, syn
    // does not. The items around them are still linted; the file is reported as partly linted.
    let dir = tempfile::tempdir().expect("tempdir");
    let code = format!(
        "type Handler = Box<Fn(&u8) + Send>;\n#[cfg(any())]\nimpl !Marker {{}}\n{BLOCKING}"
    );
    write_files(dir.path(), &[("old.rs", &code)]);
    let out = concur(dir.path(), &["--format", "short", "old.rs"]);
    let text = stdout(&out);
    assert!(text.contains("old.rs:1:"), "{text}");
    assert!(
        text.contains("note[parse_error]: 2 items not linted"),
        "{text}"
    );
    assert!(text.contains("warning[blocking_call_in_async]"), "{text}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the warning counts, the note does not"
    );
    for format in ["json", "sarif", "github"] {
        let out = concur(dir.path(), &["--format", format, "old.rs"]);
        assert!(
            stdout(&out).contains("parse_error"),
            "{format}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn non_utf8_and_missing_paths_are_named_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("ok.rs", BLOCKING)]);
    std::fs::write(dir.path().join("latin1.rs"), b"// caf\xe9\nfn main() {}\n").expect("write");
    let out = concur(dir.path(), &[".", "missing_dir"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("latin1.rs: not valid UTF-8 (byte 6)"),
        "{text}"
    );
    assert!(
        text.contains("missing_dir: No such file or directory"),
        "{text}"
    );
    assert!(text.contains("warning[blocking_call_in_async]"), "{text}");
}

#[test]
fn nothing_lintable_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = concur(dir.path(), &["does_not_exist.rs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("does_not_exist.rs"));
}

#[test]
fn bad_usage_exits_2_without_a_backtrace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = concur(dir.path(), &["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("panicked"));
    let out = concur(dir.path(), &["--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn discovery_honours_gitignore_and_skips_target_and_hidden_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (".gitignore", "generated/\n"),
            ("generated/gen.rs", BLOCKING),
            ("target/debug/build.rs", BLOCKING),
            (".hidden/h.rs", BLOCKING),
            ("notes.txt", BLOCKING),
            ("src/real.rs", BLOCKING),
        ],
    );
    let out = concur(dir.path(), &["--format", "json"]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("src/real.rs"), "{text}");
    // A file given explicitly is linted whatever its extension.
    let out = concur(dir.path(), &["notes.txt", "--format", "json"]);
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn output_order_is_deterministic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<(String, &str)> = (0..40)
        .map(|i| (format!("m{i:02}/f.rs"), BLOCKING))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    write_files(dir.path(), &refs);
    let first = stdout(&concur(dir.path(), &["--format", "json", "-j", "2"]));
    let second = stdout(&concur(dir.path(), &["--format", "json", "-j", "1"]));
    assert_eq!(first, second);
    let paths: Vec<&str> = first
        .lines()
        .map(|l| &l[l.find("m").expect("path")..][..3])
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 40);
}

#[test]
fn pathological_nesting_does_not_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep_parens = format!(
        "fn f() -> i32 {{ {}1{} }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let long_chain = format!("fn g() -> i32 {{ {}1 }}\n", "1 + ".repeat(100_000));
    let deep_unary = format!("fn h() -> bool {{ {}true }}\n", "!".repeat(100_000));
    write_files(
        dir.path(),
        &[
            ("deep.rs", &deep_parens),
            ("chain.rs", &long_chain),
            ("unary.rs", &deep_unary),
            ("ok.rs", BLOCKING),
        ],
    );
    let out = concur(dir.path(), &["."]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        text.contains("deep.rs") && text.contains("nesting deeper than"),
        "{text}"
    );
    assert!(text.contains("warning[blocking_call_in_async]"), "{text}");
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_doc() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = concur(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(0));
    for rule in concur::rules::RULES {
        assert!(
            stdout(&out).contains(rule.name),
            "{} missing from `concur rules`",
            rule.name
        );
    }
    let out = concur(dir.path(), &["explain", "spawn_then_join"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("# spawn_then_join"));
    let out = concur(dir.path(), &["explain", "spawn_than_join"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `spawn_then_join`"),
        "{}",
        stderr(&out)
    );
}

fn two_member_workspace(root: &std::path::Path) {
    write_files(
        root,
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"alpha\", \"beta\"]\nresolver = \"2\"\n",
            ),
            (
                "alpha/Cargo.toml",
                "[package]\nname = \"alpha\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("alpha/src/lib.rs", BLOCKING),
            ("alpha/tests/it.rs", DROPPED_GUARD),
            (
                "beta/Cargo.toml",
                "[package]\nname = \"beta\"\nversion = \"0.2.0\"\nedition = \"2021\"\n",
            ),
            ("beta/src/main.rs", &format!("fn main() {{}}\n{BLOCKING}")),
            ("beta/build.rs", BLOCKING),
            ("beta/examples/demo.rs", BLOCKING),
            ("beta/target/junk.rs", BLOCKING),
        ],
    );
}

#[test]
fn cargo_concur_lints_every_member_of_a_workspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    two_member_workspace(dir.path());
    // cargo runs `cargo-concur concur ARGS`; put the binary on PATH and go through cargo.
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_cargo-concur"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("cargo")
        .args(["concur", "--format", "json", "--include-tests"])
        .env("PATH", path)
        .current_dir(dir.path())
        .output()
        .expect("run cargo concur");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}\n{}", text, stderr(&out));
    let mut found: Vec<(String, String)> = text
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("json line");
            let file = value["message"]["spans"][0]["file_name"]
                .as_str()
                .expect("file")
                .to_string();
            let package = value["package_id"]
                .as_str()
                .expect("package id")
                .to_string();
            (file, package)
        })
        .collect();
    found.sort();
    let files: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "alpha/src/lib.rs",
            "alpha/tests/it.rs",
            "beta/build.rs",
            "beta/examples/demo.rs",
            "beta/src/main.rs"
        ]
    );
    assert!(found[0].1.contains("alpha"), "{:?}", found[0]);
    assert!(found[2].1.contains("beta"), "{:?}", found[2]);
}

#[test]
fn cargo_concur_honours_manifest_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    two_member_workspace(dir.path());
    let manifest = dir.path().join("beta/Cargo.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-concur"))
        .args([
            "concur",
            "--manifest-path",
            manifest.to_str().expect("utf-8 path"),
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output()
        .expect("run cargo-concur");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(text.lines().all(|l| l.contains("beta")), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn cargo_concur_outside_a_project_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-concur"))
        .args(["concur"])
        .current_dir(dir.path())
        .output()
        .expect("run cargo-concur");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cargo metadata"), "{}", stderr(&out));
}

#[test]
fn conflicting_flags_and_a_broken_manifest_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", BLOCKING)]);
    let out = concur(dir.path(), &["--fix", "--diff", "a.rs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    let out = concur(
        dir.path(),
        &["--baseline", "b.json", "--write-baseline", "b.json", "a.rs"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.rs")).expect("read"),
        BLOCKING
    );

    write_files(
        dir.path(),
        &[("Cargo.toml", "[package\nname = \"broken\"\n")],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-concur"))
        .args(["concur"])
        .current_dir(dir.path())
        .output()
        .expect("run cargo-concur");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Cargo.toml"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

/// concur's own code passes concur: a finding in `src/` or `tests/` is either a bug to fix or a
/// false positive to fix in the rule (the test caught a doc comment read as a suppression).
#[test]
fn concur_lints_its_own_source_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = concur(
        root,
        &[
            "--isolated",
            "--no-cache",
            "--format",
            "short",
            "src",
            "tests",
            "examples",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn one_file_of_a_package_is_linted_with_the_packages_model() {
    // The helper that blocks is in storage.rs and the declarations that decide which `read()`
    // is a guard are in types.rs: linting lib.rs alone still sees them, as the editor does.
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let helpers = concur(
        &fixtures.join("blocking_call_in_async/through_helpers"),
        &["--no-cache", "--format", "short", "src/lib.rs"],
    );
    let out = stdout(&helpers);
    assert!(
        out.contains("src/lib.rs:18:5: warning[blocking_call_in_async]: blocking call in async code: `save` → `write_blob` → `std::fs::File::create`"),
        "{out}"
    );
    assert!(
        out.lines().all(|l| l.starts_with("src/lib.rs:")),
        "only the linted file's findings: {out}"
    );
    let declared = concur(
        &fixtures.join("lock_across_await/declared_elsewhere"),
        &["--no-cache", "--format", "short", "src/lib.rs"],
    );
    assert_eq!(
        stdout(&declared),
        "src/lib.rs:19:15: error[lock_across_await]: blocking lock guard `cache` is held across an `.await`\n"
    );
}
