//! What a clippy or ruff user expects on day one, with the real binary: `concur check`, "did
//! you mean" for a mistyped subcommand, a warning for a folder with nothing to lint,
//! `--statistics`, the fixable counts in the summary, and `--unsafe-fixes` only with a fix mode.

mod common;

use common::{BLOCKING, concur, path_with_concur, stderr, stdout, write_files};

/// Two `spawn_then_join` findings (each with an unsafe fix) and one `blocking_call_in_async`
/// (no fix: the file does not use tokio).
const MIXED: &str = "fn a() -> u64 {\n    let h = std::thread::spawn(|| 1 + 1);\n    h.join().unwrap()\n}\n\nfn b() -> u64 {\n    let h = std::thread::spawn(|| 2 + 2);\n    h.join().unwrap()\n}\n\nasync fn c() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n";

#[test]
fn check_lints_like_the_bare_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", BLOCKING)]);
    let bare = concur(dir.path(), &["--format", "short", "a.rs"]);
    let check = concur(dir.path(), &["check", "--format", "short", "a.rs"]);
    assert_eq!(stdout(&check), stdout(&bare));
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("a.rs:2:5"), "{}", stdout(&check));
}

#[test]
fn a_mistyped_subcommand_gets_did_you_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (typed, meant) in [("explian", "explain"), ("rule", "rules"), ("chek", "check")] {
        let out = concur(dir.path(), &[typed]);
        assert_eq!(out.status.code(), Some(2), "{typed}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("did you mean `concur {meant}`?")),
            "{typed}: {}",
            stderr(&out)
        );
    }
    // A file or folder of that name is linted, not taken for a typo.
    write_files(dir.path(), &[("rule/a.rs", BLOCKING)]);
    let out = concur(dir.path(), &["--format", "short", "rule"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_folder_without_rust_files_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[("docs/readme.md", "# nothing\n"), ("src/a.rs", BLOCKING)],
    );
    let out = concur(dir.path(), &["--format", "short", "docs"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("warning: no Rust files found under docs"),
        "{}",
        stderr(&out)
    );
    let out = concur(dir.path(), &["--format", "short", "."]);
    assert!(!stderr(&out).contains("no Rust files"), "{}", stderr(&out));
}

#[test]
fn statistics_count_per_rule_and_category_with_fixes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", MIXED)]);
    let out = concur(dir.path(), &["--statistics", "a.rs"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert_eq!(
        lines,
        [
            "2  spawn_then_join              perf         2 fixable with --unsafe-fixes",
            "1  blocking_call_in_async       perf",
            "",
            "3  perf",
            "3  findings; 2 fixable with --fix --unsafe-fixes",
        ],
        "{text}"
    );
    // The summary line of a normal run says the same.
    let out = concur(dir.path(), &["--color", "never", "a.rs"]);
    assert!(
        stdout(&out)
            .contains("3 warnings in 1 file (1 file linted); 2 fixable with --fix --unsafe-fixes"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn unsafe_fixes_need_a_fix_mode_and_diff_says_what_they_would_add() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", MIXED)]);
    let out = concur(dir.path(), &["--unsafe-fixes", "a.rs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`--unsafe-fixes` applies only with `--fix` or `--diff`"),
        "{}",
        stderr(&out)
    );
    let out = concur(dir.path(), &["--diff", "a.rs"]);
    assert!(
        stderr(&out).contains("0 fixes would change 0 files"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("2 fixes more with --unsafe-fixes"),
        "{}",
        stderr(&out)
    );
    let original = std::fs::read_to_string(dir.path().join("a.rs")).expect("read");
    assert_eq!(original, MIXED, "--diff changes nothing");
}

#[test]
fn shell_completions_and_man_page_come_from_the_cli_definition() {
    let dir = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = concur(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["explain", "statistics", "format"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    // bash itself accepts the script.
    let out = concur(dir.path(), &["completions", "bash"]);
    std::fs::write(dir.path().join("concur.bash"), out.stdout).expect("write");
    match std::process::Command::new("bash")
        .arg("-n")
        .arg(dir.path().join("concur.bash"))
        .status()
    {
        Ok(status) => assert!(status.success(), "bash -n rejects the completion script"),
        Err(err) => eprintln!("skipped: bash -n (bash is not available: {err})"),
    }
    let out = concur(dir.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie") || page.contains(".TH concur 1"),
        "{page}"
    );
    for word in ["SYNOPSIS", "explain", "completions", "statistics"] {
        assert!(page.contains(word), "the man page lacks {word}");
    }
    let bad = concur(dir.path(), &["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn quiet_hides_the_summary_and_piped_runs_draw_no_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", BLOCKING)]);
    let out = concur(dir.path(), &["--color", "never", "a.rs"]);
    assert!(
        stdout(&out).contains("1 warning in 1 file"),
        "{}",
        stdout(&out)
    );
    assert!(
        !stderr(&out).contains("linting"),
        "no progress when stderr is not a terminal"
    );
    let quiet = concur(dir.path(), &["-q", "--color", "never", "a.rs"]);
    assert!(
        stdout(&quiet).contains("warning[blocking_call_in_async]"),
        "{}",
        stdout(&quiet)
    );
    assert!(
        !stdout(&quiet).contains("1 warning in"),
        "{}",
        stdout(&quiet)
    );
    assert_eq!(quiet.status.code(), Some(1));
}

#[test]
fn the_cache_lives_with_the_linted_project_not_in_the_current_folder() {
    let shell = tempfile::tempdir().expect("tempdir");
    let projects = tempfile::tempdir().expect("tempdir");
    write_files(
        projects.path(),
        &[
            (
                "app/Cargo.toml",
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\n",
            ),
            ("app/src/main.rs", BLOCKING),
            ("loose/a.rs", BLOCKING),
        ],
    );
    let app = projects.path().join("app/src");
    let loose = projects.path().join("loose");
    for path in [&app, &loose] {
        let out = concur(
            shell.path(),
            &["--format", "short", path.to_str().expect("utf-8")],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    }
    assert!(
        std::fs::read_dir(shell.path())
            .expect("list")
            .next()
            .is_none(),
        "nothing written in the shell's folder"
    );
    assert!(projects.path().join("app/target/concur-cache").is_dir());
    assert!(loose.join(".concur_cache").is_dir());
}

#[test]
fn standard_input_is_linted_as_the_named_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "sub/concur.toml",
                "[rules]\nblocking_call_in_async = \"deny\"\n",
            ),
            ("sub/x.rs", "// on disk: nothing to find\n"),
        ],
    );
    let run = |args: &[&str]| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_concur"))
            .args(args)
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("concur runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(BLOCKING.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("concur ends")
    };
    // The buffer, not the file on disk, with the file's configuration (denied: an error).
    let out = run(&["--format", "short", "--stdin-filename", "sub/x.rs", "-"]);
    assert_eq!(
        stdout(&out),
        "sub/x.rs:2:5: error[blocking_call_in_async]: `std::thread::sleep` blocks the executor thread\n"
    );
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["--format", "short", "-"]);
    assert!(
        stdout(&out).starts_with("<stdin>:2:5: warning[blocking_call_in_async]"),
        "{}",
        stdout(&out)
    );
    let out = run(&["--stdin-filename", "sub/x.rs", "sub"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--fix", "-"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_report_that_cannot_be_written_names_the_report_not_a_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", BLOCKING)]);
    let target = dir.path().join("missing/report.json");
    let out = concur(
        dir.path(),
        &[
            "--format",
            "json",
            "-o",
            target.to_str().expect("utf-8"),
            "a.rs",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("missing/report.json"), "{err}");
    assert!(
        !err.contains(".concur-") && !err.contains("at path"),
        "{err}"
    );
}

#[test]
fn the_pre_commit_hook_lints_staged_rust_files() {
    let has = |tool: &str| {
        std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has("pre-commit") || !has("git") {
        eprintln!("skipped: pre-commit or git is not installed (`pip install pre-commit`)");
        return;
    }
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if !checkout.join(".git").exists() {
        eprintln!("skipped: this checkout is not a git repository (pre-commit try-repo needs one)");
        return;
    }
    let repo = tempfile::tempdir().expect("tempdir");
    let home = tempfile::tempdir().expect("tempdir");
    write_files(
        repo.path(),
        &[("src/bad.rs", BLOCKING), ("notes.md", "# not Rust\n")],
    );
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {}", stderr(&status));
    };
    git(&["init", "-q"]);
    git(&["add", "src/bad.rs", "notes.md"]);
    let path = path_with_concur();
    let out = std::process::Command::new("pre-commit")
        .args([
            "try-repo",
            checkout.to_str().expect("utf-8"),
            "concur-system",
            "--verbose",
        ])
        .current_dir(repo.path())
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home.path())
        .output()
        .expect("pre-commit runs");
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "the hook fails on a finding: {text}");
    assert!(text.contains("blocking_call_in_async"), "{text}");
    assert!(text.contains("src/bad.rs"), "{text}");
}
