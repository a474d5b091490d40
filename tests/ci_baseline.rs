//! Baselines end to end: record today's findings, move code around, add one new finding, and
//! see only the new one.

mod common;

use common::{concur, stderr, stdout, write_files};

const OLD: &str = "async fn a() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n\nfn per_line(input: &str) {\n    for line in input.lines() {\n        let line = line.to_string();\n        let _h = std::thread::spawn(move || line.len());\n    }\n}\n";

#[test]
fn only_new_findings_are_reported_after_edits_above_old_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("src/a.rs", OLD)]);
    let wrote = concur(
        dir.path(),
        &["--write-baseline", "concur-baseline.json", "src"],
    );
    assert_eq!(wrote.status.code(), Some(0), "{}", stderr(&wrote));
    assert!(
        stderr(&wrote).contains("wrote 2 findings"),
        "{}",
        stderr(&wrote)
    );

    let text =
        std::fs::read_to_string(dir.path().join("concur-baseline.json")).expect("baseline written");
    let baseline: serde_json::Value = serde_json::from_str(&text).expect("baseline is JSON");
    let entries = baseline["findings"].as_array().expect("findings");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["path"], "src/a.rs");
    assert!(
        entries.iter().all(|e| e.get("line").is_none()),
        "entries do not record line numbers"
    );
    let again = concur(
        dir.path(),
        &["--write-baseline", "concur-baseline.json", "src"],
    );
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("concur-baseline.json")).expect("read"),
        text,
        "stable output"
    );

    let clean = concur(dir.path(), &["--baseline", "concur-baseline.json", "src"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));

    let edited = format!(
        "//! Handlers.\n\nuse std::time::Duration;\n\n{OLD}\nasync fn fresh() {{\n    std::thread::sleep(Duration::from_millis(1));\n}}\n"
    );
    let edited = edited.replacen(
        "async fn a() {\n",
        "async fn a() {\n    let _moved = 1;\n\n",
        1,
    );
    write_files(dir.path(), &[("src/a.rs", &edited)]);
    let out = concur(
        dir.path(),
        &[
            "--format",
            "short",
            "--baseline",
            "concur-baseline.json",
            "src",
        ],
    );
    assert_eq!(
        stdout(&out),
        "src/a.rs:19:5: warning[blocking_call_in_async]: `std::thread::sleep` blocks the executor thread\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_second_identical_finding_is_new() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = "async fn a() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n";
    write_files(dir.path(), &[("a.rs", one)]);
    assert_eq!(
        concur(dir.path(), &["--write-baseline", "b.json", "a.rs"])
            .status
            .code(),
        Some(0)
    );
    write_files(
        dir.path(),
        &[("a.rs", &format!("{one}\n{}", one.replace("fn a", "fn b")))],
    );
    let out = concur(
        dir.path(),
        &["--format", "short", "--baseline", "b.json", "a.rs"],
    );
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
}

#[test]
fn a_missing_or_broken_baseline_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", OLD), ("broken.json", "{")]);
    let missing = concur(dir.path(), &["--baseline", "nope.json", "a.rs"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("nope.json"),
        "{}",
        stderr(&missing)
    );
    let broken = concur(dir.path(), &["--baseline", "broken.json", "a.rs"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("not a concur baseline"),
        "{}",
        stderr(&broken)
    );
}
