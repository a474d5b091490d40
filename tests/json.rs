//! JSON output: cargo `compiler-message` lines with the fields rust-analyzer's flycheck reads.

mod common;

use common::{concur, stdout, write_files};
use serde_json::Value;

#[test]
fn every_line_is_a_compiler_message_with_rustc_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = "use std::thread;\n\nfn run(items: Vec<u8>) {\n    for item in items {\n        let _handle = thread::spawn(move || item);\n    }\n}\n\nasync fn handler() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n";
    write_files(dir.path(), &[("lib.rs", src)]);
    let out = concur(dir.path(), &["--format", "json", "lib.rs"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every stdout line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert_eq!(line["reason"], "compiler-message");
        assert!(line["package_id"].is_string());
        assert!(line["manifest_path"].is_string());
        assert!(line["target"]["name"].is_string());
        assert!(line["target"]["kind"].is_array());
        let message = &line["message"];
        assert_eq!(message["level"], "warning");
        assert!(message["message"].is_string());
        assert!(
            message["code"]["code"]
                .as_str()
                .expect("code")
                .starts_with("concur::")
        );
        assert!(
            message["rendered"]
                .as_str()
                .expect("rendered")
                .contains("lib.rs")
        );
        let primary: Vec<&Value> = message["spans"]
            .as_array()
            .expect("spans")
            .iter()
            .filter(|s| s["is_primary"] == true)
            .collect();
        assert_eq!(primary.len(), 1);
        for span in message["spans"].as_array().expect("spans") {
            for key in [
                "line_start",
                "line_end",
                "column_start",
                "column_end",
                "byte_start",
                "byte_end",
            ] {
                assert!(span[key].as_u64().is_some(), "{key} missing in {span}");
            }
            assert_eq!(span["file_name"], "lib.rs");
            let text = &span["text"][0];
            let byte_start = span["byte_start"].as_u64().expect("byte") as usize;
            let line_no = span["line_start"].as_u64().expect("line") as usize;
            assert_eq!(
                text["text"],
                src.lines().nth(line_no - 1).expect("line exists")
            );
            let col = span["column_start"].as_u64().expect("col") as usize;
            let line_start_byte: usize = src.lines().take(line_no - 1).map(|l| l.len() + 1).sum();
            assert_eq!(
                byte_start,
                line_start_byte + col - 1,
                "ASCII line: byte and column agree"
            );
        }
        let help = &message["children"][0];
        assert_eq!(help["level"], "help");
    }
    let codes: Vec<&str> = lines
        .iter()
        .map(|l| l["message"]["code"]["code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        ["concur::thread_per_item", "concur::blocking_call_in_async"]
    );
    let thread = &lines[0]["message"]["spans"];
    assert_eq!(thread[0]["line_start"], 5);
    assert_eq!(thread[0]["column_start"], 23);
    assert_eq!(thread[0]["column_end"], 36);
    assert_eq!(thread[1]["label"], "this loop runs once per item");
}

#[test]
fn columns_count_characters_on_non_ascii_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = "async fn f() {\n    let café = \"naïve 🦀\"; std::thread::sleep(std::time::Duration::ZERO);\n}\n";
    write_files(dir.path(), &[("u.rs", src)]);
    let out = concur(dir.path(), &["--format", "json", "u.rs"]);
    let line: Value =
        serde_json::from_str(stdout(&out).lines().next().expect("a finding")).expect("json");
    let span = &line["message"]["spans"][0];
    let text = src.lines().nth(1).expect("line 2");
    let char_col = text
        .find("std::thread")
        .map(|b| text[..b].chars().count() + 1);
    assert_eq!(span["column_start"].as_u64(), char_col.map(|c| c as u64));
    let byte_start = span["byte_start"].as_u64().expect("byte") as usize;
    let byte_end = span["byte_end"].as_u64().expect("byte") as usize;
    assert!(src[byte_start..byte_end].starts_with("std::thread::sleep("));
    assert_eq!(span["text"][0]["text"], text);
    assert_eq!(span["text"][0]["highlight_start"], span["column_start"]);
}

#[test]
fn parse_errors_are_json_notes_without_a_rule_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[("broken.rs", "fn main() {\n    let x = ;\n}\n")],
    );
    let out = concur(dir.path(), &["--format", "json", "broken.rs"]);
    let line: Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(line["message"]["level"], "note");
    assert_eq!(line["message"]["spans"][0]["line_start"], 2);
    assert_eq!(out.status.code(), Some(0), "not linted is no finding");
}

/// A blocking call in the entry function's own body says so (start-up code, a one-shot
/// command), so the ones in tasks and request paths stand out.
#[test]
fn blocking_calls_in_mains_own_body_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = "#[tokio::main]\nasync fn main() {\n    let cfg = std::fs::read_to_string(\"cfg\").unwrap();\n    tokio::spawn(async move {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    });\n    let _ = cfg;\n}\n";
    write_files(dir.path(), &[("main.rs", src)]);
    let out = concur(dir.path(), &["--format", "json", "main.rs"]);
    let notes: Vec<(u64, bool)> = stdout(&out)
        .lines()
        .map(|l| {
            let line: Value = serde_json::from_str(l).expect("json");
            let message = &line["message"];
            let at = message["spans"][0]["line_start"].as_u64().expect("line");
            let says = message["children"]
                .as_array()
                .expect("children")
                .iter()
                .any(|c| {
                    c["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("entry function's own body"))
                });
            (at, says)
        })
        .collect();
    assert_eq!(notes, [(3, true), (5, false)]);
}
