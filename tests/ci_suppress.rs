//! Suppressions end to end: trailing and own-line comments, whole items, file-level comments,
//! `cfg_attr` attributes, unused and invalid suppressions, and the require-reason option.

mod common;

use common::{concur, stdout, write_files};

const SLEEP: &str = "std::thread::sleep(std::time::Duration::from_millis(5));";

/// Lints `code` as `a.rs` (with an optional `concur.toml`) and returns the short output.
fn lint(code: &str, config: Option<&str>) -> (String, Option<i32>) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", code)]);
    if let Some(config) = config {
        write_files(dir.path(), &[("concur.toml", config)]);
    }
    let out = concur(dir.path(), &["--format", "short", "a.rs"]);
    (stdout(&out), out.status.code())
}

#[test]
fn trailing_comment_silences_its_line_only() {
    let code = format!(
        "async fn a() {{\n    {SLEEP} // concur: ignore[blocking_call_in_async] -- warm-up only\n    {SLEEP}\n}}\n"
    );
    let (out, code) = lint(&code, None);
    assert_eq!(
        out,
        "a.rs:3:5: warning[blocking_call_in_async]: `std::thread::sleep` blocks the executor thread\n"
    );
    assert_eq!(code, Some(1));
}

#[test]
fn own_line_comment_covers_the_next_statement() {
    let code = format!(
        "async fn a() {{\n    // concur: ignore[blocking_call_in_async] -- startup\n\n    if true {{\n        {SLEEP}\n    }}\n    {SLEEP}\n}}\n"
    );
    let (out, _) = lint(&code, None);
    assert_eq!(
        out,
        "a.rs:7:5: warning[blocking_call_in_async]: `std::thread::sleep` blocks the executor thread\n"
    );
}

#[test]
fn comment_above_an_item_covers_the_whole_item() {
    let code = format!(
        "// concur: ignore[blocking_call_in_async] -- a test helper\n#[allow(dead_code)]\nasync fn a() {{\n    {SLEEP}\n    {SLEEP}\n}}\n\nasync fn b() {{\n    {SLEEP}\n}}\n"
    );
    let (out, _) = lint(&code, None);
    assert_eq!(
        out,
        "a.rs:9:5: warning[blocking_call_in_async]: `std::thread::sleep` blocks the executor thread\n"
    );
}

#[test]
fn file_ignore_covers_the_file() {
    let code = format!(
        "//! concur: file-ignore[blocking_call_in_async] -- a blocking test harness\n\nasync fn a() {{\n    {SLEEP}\n}}\n"
    );
    let (out, code) = lint(&code, None);
    assert_eq!(out, "");
    assert_eq!(code, Some(0));
}

#[test]
fn cfg_attr_allow_on_an_item() {
    let code = format!(
        "#[cfg_attr(concur, allow(concur::blocking_call_in_async))]\nasync fn a() {{\n    {SLEEP}\n}}\n\nstruct S;\n\nimpl S {{\n    #[cfg_attr(concur, allow(concur::thread_per_item, concur::blocking_call_in_async))]\n    async fn b(&self) {{\n        {SLEEP}\n    }}\n}}\n"
    );
    let (out, _) = lint(&code, None);
    assert_eq!(
        out,
        "a.rs:9:38: warning[unused_suppression]: unused suppression: no `thread_per_item` finding here\n"
    );
}

#[test]
fn a_suppression_that_matches_nothing_is_reported() {
    let code = format!(
        "async fn a() {{\n    {SLEEP} // concur: ignore[thread_per_item, blocking_call_in_async]\n}}\n"
    );
    let (out, code) = lint(&code, None);
    assert_eq!(
        out,
        "a.rs:2:80: warning[unused_suppression]: unused suppression: no `thread_per_item` finding here\n"
    );
    assert_eq!(code, Some(1));
    let disabled = format!(
        "async fn a() {{\n    {SLEEP} // concur: ignore[thread_per_item, blocking_call_in_async]\n}}\n"
    );
    let (out, _) = lint(&disabled, Some("[rules]\nthread_per_item = \"allow\"\n"));
    assert_eq!(out, "", "a suppression of a disabled rule is not reported");
}

#[test]
fn unknown_rule_in_a_suppression_is_an_error_naming_the_closest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let code =
        format!("async fn a() {{\n    {SLEEP} // concur: ignore[blocking_call_in_asinc]\n}}\n");
    write_files(dir.path(), &[("a.rs", &code)]);
    let out = concur(dir.path(), &["--color", "never", "--exit-zero", "a.rs"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an invalid suppression fails even with --exit-zero"
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            "error[invalid_suppression]: unknown rule `blocking_call_in_asinc` in suppression"
        ),
        "{text}"
    );
    assert!(
        text.contains("did you mean `blocking_call_in_async`?"),
        "{text}"
    );
    assert!(text.contains("warning[blocking_call_in_async]"), "{text}");
}

#[test]
fn malformed_suppression_is_an_error() {
    let code =
        format!("async fn a() {{\n    {SLEEP} // concur: ignore blocking_call_in_async\n}}\n");
    let (out, _) = lint(&code, None);
    assert!(
        out.contains("a.rs:2:62: error[invalid_suppression]: malformed suppression"),
        "{out}"
    );
}

#[test]
fn require_reason_rejects_bare_suppressions() {
    let code = format!(
        "async fn a() {{\n    {SLEEP} // concur: ignore[blocking_call_in_async]\n    {SLEEP} // concur: ignore[blocking_call_in_async] -- measured: 5 ms at startup\n}}\n"
    );
    let (out, code) = lint(&code, Some("require-reason = true\n"));
    assert_eq!(
        out,
        "a.rs:2:62: error[invalid_suppression]: suppression without a reason\n"
    );
    assert_eq!(code, Some(1));
}

#[test]
fn comment_text_inside_strings_is_not_a_suppression() {
    let code = format!(
        "async fn a() {{\n    let s = \"// concur: ignore[blocking_call_in_async]\"; {SLEEP}\n}}\n"
    );
    let (out, _) = lint(&code, None);
    assert!(out.contains("warning[blocking_call_in_async]"), "{out}");
    assert!(!out.contains("suppression"), "{out}");
}

#[test]
fn a_comment_on_a_builder_chains_first_line_covers_the_chain() {
    // The finding is on the chain (rustc spans a method chain from its first token), so a
    // trailing comment on `Builder::new()`'s line silences the `.spawn(..)` lines below.
    let chain = "    std::thread::Builder::new(){comment}\n        .stack_size(1 << 20)\n        .spawn(|| println!(\"worker up\"))?;\n    Ok(())\n";
    let code = |comment: &str| {
        format!(
            "fn start() -> std::io::Result<()> {{\n{}}}\n",
            chain.replace("{comment}", comment)
        )
    };
    let (out, _) = lint(&code(""), Some("select = [\"detached_thread\"]\n"));
    assert_eq!(
        out,
        "a.rs:2:5: warning[detached_thread]: the thread's `JoinHandle` is dropped at once, detaching it\n",
        "{out}"
    );
    let (out, code) = lint(
        &code(" // concur: ignore[detached_thread] -- pool threads live as long as the process"),
        Some("select = [\"detached_thread\"]\n"),
    );
    assert_eq!(out, "", "{out}");
    assert_eq!(code, Some(0));
}
