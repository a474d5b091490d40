//! Test code, end to end: one definition (test items, test files by path and by name, modules
//! the package declares as tests, `#[path]` ones included) and one policy (skipped unless
//! `include-tests`, except for the rules that check tests).

mod common;

use common::{concur, stdout, write_files};

/// A zombie child (`unwaited_child`, which skips test code) on line 2, a thread per item
/// (`thread_per_item`, likewise) on line 8 and a receive loop that never ends
/// (`receiver_loop_never_ends`, which checks test code) on line 10.
const BOTH: &str = "pub fn start() {\n    std::process::Command::new(\"true\").spawn().unwrap();\n}\npub fn squares(inputs: Vec<u64>) -> u64 {\n    let (tx, rx) = std::sync::mpsc::channel();\n    for x in inputs {\n        let tx = tx.clone();\n        std::thread::spawn(move || tx.send(x * x).unwrap());\n    }\n    rx.iter().sum()\n}\n";

fn package(root: &std::path::Path) {
    let lib = format!(
        "#[cfg(test)]\n#[path = \"lib_checks.rs\"]\nmod checks;\n#[cfg(test)]\nmod more;\nmod tests;\n\n#[cfg(test)]\nmod inline {{\n{BOTH}}}\n\n{BOTH}"
    );
    write_files(
        root,
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("src/lib.rs", &lib),
            ("src/lib_checks.rs", BOTH),
            ("src/more.rs", BOTH),
            ("src/more/deeper.rs", BOTH),
            ("src/tests.rs", BOTH),
            ("src/store_tests.rs", BOTH),
            ("tests/it.rs", BOTH),
        ],
    );
}

fn findings(root: &std::path::Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--isolated", "--no-cache", "--format", "short"];
    all.extend_from_slice(args);
    all.push(".");
    let out = concur(root, &all);
    stdout(&out)
        .lines()
        .map(|l| {
            let mut parts = l.split(':');
            let file = parts.next().unwrap_or_default();
            let line = parts.next().unwrap_or_default();
            let rule = l.split('[').nth(1).and_then(|r| r.split(']').next());
            format!("{file}:{line} {}", rule.unwrap_or_default())
        })
        .collect()
}

#[test]
fn test_code_is_one_notion_and_rules_skip_it_unless_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    package(dir.path());
    let test_files = [
        "src/lib_checks.rs",
        "src/more.rs",
        "src/more/deeper.rs",
        "src/store_tests.rs",
        "src/tests.rs",
        "tests/it.rs",
    ];
    // lib.rs: the inline test module holds BOTH at lines 10-20, the crate's own code at 23-33.
    let mut expected = vec![
        "src/lib.rs:19 receiver_loop_never_ends".to_string(),
        "src/lib.rs:24 unwaited_child".to_string(),
        "src/lib.rs:30 thread_per_item".to_string(),
        "src/lib.rs:32 receiver_loop_never_ends".to_string(),
    ];
    expected.extend(
        test_files
            .iter()
            .map(|f| format!("{f}:10 receiver_loop_never_ends")),
    );
    expected.sort();
    let mut found = findings(dir.path(), &[]);
    found.sort();
    assert_eq!(found, expected);

    let mut everything = findings(dir.path(), &["--include-tests"]);
    everything.sort();
    let mut expected_all = expected.clone();
    expected_all.push("src/lib.rs:11 unwaited_child".to_string());
    expected_all.push("src/lib.rs:17 thread_per_item".to_string());
    for file in test_files {
        expected_all.push(format!("{file}:2 unwaited_child"));
        expected_all.push(format!("{file}:8 thread_per_item"));
    }
    expected_all.sort();
    assert_eq!(everything, expected_all);

    write_files(dir.path(), &[("concur.toml", "include-tests = true\n")]);
    let out = concur(dir.path(), &["--no-cache", "--format", "short", "."]);
    assert_eq!(stdout(&out).lines().count(), expected_all.len());
}
