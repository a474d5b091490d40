//! Rule fixes with the real binary: a display-only (`HasPlaceholders`) fix is shown in JSON but
//! never applied, even by `--fix --unsafe-fixes`.

mod common;

use common::{concur, stdout, write_files};
use serde_json::Value;

/// An unbounded channel fed per line with the consumer on another thread: its fix, the bounded
/// constructor with a placeholder capacity, is display only.
const UNBOUNDED: &str = "use std::io::BufRead;\nuse std::sync::mpsc;\nuse std::thread;\n\nfn lengths(reader: impl BufRead + Send + 'static) -> usize {\n    let (tx, rx) = mpsc::channel();\n    thread::spawn(move || {\n        for line in reader.lines() {\n            tx.send(line.unwrap()).unwrap();\n        }\n    });\n    rx.iter().map(|l: String| l.len()).sum()\n}\n";

#[test]
fn a_display_only_fix_is_never_applied_but_is_in_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", UNBOUNDED)]);
    let out = concur(dir.path(), &["--fix", "--unsafe-fixes", "a.rs"]);
    assert_eq!(out.status.code(), Some(1), "the finding remains");
    let text = std::fs::read_to_string(dir.path().join("a.rs")).expect("read");
    assert_eq!(text, UNBOUNDED, "a HasPlaceholders fix is never applied");

    let out = concur(dir.path(), &["--format", "json", "a.rs"]);
    let line: Value =
        serde_json::from_str(stdout(&out).lines().next().expect("a finding")).expect("json");
    let children = line["message"]["children"].as_array().expect("children");
    let spans: Vec<&Value> = children
        .iter()
        .flat_map(|c| c["spans"].as_array().into_iter().flatten())
        .filter(|s| !s["suggested_replacement"].is_null())
        .collect();
    assert!(!spans.is_empty(), "{line}");
    let replaced: Vec<&str> = spans
        .iter()
        .map(|s| s["suggested_replacement"].as_str().expect("text"))
        .collect();
    assert_eq!(replaced, ["sync_channel", "(/* capacity */)"]);
    assert!(
        spans
            .iter()
            .all(|s| s["suggestion_applicability"] == "HasPlaceholders"),
        "{line}"
    );
}

/// `let_underscore_guard`'s fix is offered only when keeping the guard to the end of the block
/// cannot matter: `--fix` applies it in `Ledger` and leaves `Journal`, whose blocks take the
/// same lock again (the fix would self-deadlock) or await; `--unsafe-fixes` does not apply
/// those either.
#[test]
fn let_underscore_guard_fix_is_not_offered_when_the_block_relocks_or_awaits() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/let_underscore_guard/fix_guard.rs");
    let original = std::fs::read_to_string(&fixture).expect("fixture");
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", &original)]);
    let bound = |text: &str| {
        text.lines()
            .filter(|l| l.contains("let _guard = "))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
    };

    let out = concur(dir.path(), &["--fix", "a.rs"]);
    assert_eq!(out.status.code(), Some(1), "two findings remain");
    let safe = std::fs::read_to_string(dir.path().join("a.rs")).expect("read");
    assert_eq!(
        bound(&safe),
        "let _guard = self.entries.lock().unwrap(); //~ ERROR let_underscore_guard\n\
         let _guard = self.index.write().expect(\"index poisoned\"); //~ ERROR let_underscore_guard"
    );

    concur(dir.path(), &["--fix", "--unsafe-fixes", "a.rs"]);
    let all = std::fs::read_to_string(dir.path().join("a.rs")).expect("read");
    assert_eq!(
        all, safe,
        "no fix that would deadlock or hold a lock across an await"
    );
}
