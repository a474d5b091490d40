//! Robustness: mutated and pathological inputs never panic, never hang, and always give either
//! findings or a per-file error, with the run going on.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{BLOCKING, concur, stderr, stdout, write_files};
use concur::app::driver::lint_source;
use concur::app::options::Options;
use concur::source::SourceFile;

/// A generous per-file budget: a file that takes longer is a hang, not slowness.
const BUDGET: Duration = Duration::from_secs(20);

/// A small deterministic generator (xorshift), so mutants are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seed_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["fixtures", "src"] {
        let walker = ignore::WalkBuilder::new(root.join(dir)).build();
        for entry in walker.flatten() {
            let path = entry.into_path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Mutants of `text`: truncations, deleted and duplicated lines, byte flips that stay UTF-8,
/// unbalanced delimiters, a stray NUL, CRLF endings, a BOM, tabs for indentation.
fn mutants(text: &str, rng: &mut Rng) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let len = text.len();
    for i in 1..=12 {
        let at = floor_char_boundary(text, len * i / 13);
        out.push((format!("truncate@{at}"), text[..at].to_string()));
    }
    let lines: Vec<&str> = text.lines().collect();
    for _ in 0..6 {
        let n = rng.below(lines.len());
        let mut deleted = lines.clone();
        deleted.remove(n.min(deleted.len().saturating_sub(1)));
        out.push((format!("delete-line-{n}"), deleted.join("\n")));
        let mut duplicated = lines.clone();
        if let Some(line) = lines.get(n) {
            duplicated.insert(n, line);
        }
        out.push((format!("dup-line-{n}"), duplicated.join("\n")));
    }
    for _ in 0..8 {
        let mut bytes = text.as_bytes().to_vec();
        let at = rng.below(bytes.len());
        if let Some(b) = bytes.get_mut(at) {
            *b ^= 1 << rng.below(7);
        }
        if let Ok(flipped) = String::from_utf8(bytes) {
            out.push((format!("flip@{at}"), flipped));
        }
    }
    for delim in [
        "(", ")", "{", "}", "[", "]", "\"", "'", "/*", "r#\"", "<", "|", "\0",
    ] {
        let at = floor_char_boundary(text, rng.below(len));
        out.push((
            format!("insert-{delim:?}@{at}"),
            format!("{}{delim}{}", &text[..at], &text[at..]),
        ));
    }
    out.push(("crlf".into(), text.replace('\n', "\r\n")));
    out.push(("bom".into(), format!("\u{feff}{text}")));
    out.push(("tabs".into(), text.replace("    ", "\t")));
    out
}

#[test]
fn mutated_files_never_panic_or_hang() {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let options = Options::default();
    let mut runs = 0;
    let mut parse_errors = 0;
    for path in seed_files() {
        let text = std::fs::read_to_string(&path).expect("seed file is UTF-8");
        for (kind, mutant) in mutants(&text, &mut rng) {
            let file = SourceFile::new(path.clone(), mutant);
            let start = Instant::now();
            let result = std::panic::catch_unwind(|| lint_source(&file, &options));
            proc_macro2::extra::invalidate_current_thread_spans();
            let found = result.unwrap_or_else(|_| panic!("{} ({kind}): panicked", path.display()));
            assert!(
                start.elapsed() < BUDGET,
                "{} ({kind}): took {:?}",
                path.display(),
                start.elapsed()
            );
            for diag in &found {
                assert!(
                    diag.span.start <= diag.span.end,
                    "{} ({kind}): inverted span",
                    path.display()
                );
                assert!(
                    diag.span.end.byte <= file.text.len(),
                    "{} ({kind}): span past the end",
                    path.display()
                );
                assert!(
                    file.text.is_char_boundary(diag.span.start.byte),
                    "{} ({kind}): span splits a character",
                    path.display()
                );
            }
            parse_errors += usize::from(found.iter().any(|d| d.rule == "parse_error"));
            runs += 1;
        }
    }
    assert!(runs > 500, "only {runs} mutants ran");
    assert!(
        parse_errors > 0,
        "no mutant failed to parse: the mutations are too gentle"
    );
    eprintln!("{runs} mutants linted, {parse_errors} gave a parse_error");
}

#[test]
fn the_binary_survives_a_sample_of_mutants_and_invalid_utf8() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = Rng(42);
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/thread_per_item/workers.rs"),
    )
    .expect("seed");
    for (i, (_, mutant)) in mutants(&seed, &mut rng).into_iter().enumerate().step_by(5) {
        std::fs::write(dir.path().join(format!("m{i}.rs")), mutant).expect("write mutant");
    }
    let mut invalid = seed.clone().into_bytes();
    invalid.splice(10..10, [0xff, 0xfe, 0xc3]);
    std::fs::write(dir.path().join("invalid.rs"), invalid).expect("write");
    let out = concur(dir.path(), &[".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid.rs: not valid UTF-8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn pathological_files_give_results_or_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    // 20 MB of documented code with a finding every 200 functions.
    let unit = format!(
        "/// {}\nfn work(items: &[u32]) -> u32 {{\n    items.iter().sum()\n}}\n",
        "doc ".repeat(250)
    );
    let mut big = String::new();
    let mut expected_big = 0;
    while big.len() < 20 * 1024 * 1024 {
        big.push_str(&unit.repeat(200));
        big.push_str(BLOCKING);
        expected_big += 1;
    }
    // One 5 MB line: a long literal, then a finding on the same line.
    let long_line = format!(
        "async fn f() {{ let _s = \"{}\"; std::thread::sleep(std::time::Duration::ZERO); }}\n",
        "x".repeat(5 * 1024 * 1024)
    );
    let mut nested_mods = String::new();
    for i in 0..200 {
        nested_mods.push_str(&format!("mod m{i} {{ "));
    }
    nested_mods.push_str(BLOCKING);
    nested_mods.push_str(&"}".repeat(200));
    write_files(
        root,
        &[
            ("big.rs", &big),
            ("long_line.rs", &long_line),
            ("empty.rs", ""),
            ("comments.rs", "// only\n/* comments */\n//! here\n"),
            ("nested_mods.rs", &nested_mods),
            ("notes.md", "# not rust\n"),
        ],
    );
    std::fs::write(
        root.join("binary.rs"),
        (0..=255u8).cycle().take(4096).collect::<Vec<u8>>(),
    )
    .expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("loop")).expect("symlink loop");
    let out = concur(root, &[".", "notes.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let errors = stderr(&out);
    assert!(!errors.contains("panicked"), "{errors}");
    assert!(errors.contains("binary.rs: not valid UTF-8"), "{errors}");
    assert_eq!(
        text.lines().filter(|l| l.contains("big.rs")).count(),
        expected_big
    );
    let long: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("long_line.rs"))
        .collect();
    assert_eq!(long.len(), 1, "the finding on the 5 MB line is reported");
    assert!(
        long[0].contains("\"column_start\":5242909"),
        "column counted on the long line"
    );
    assert!(
        text.contains("nested_mods.rs"),
        "deeply nested modules are linted"
    );
    assert!(
        text.contains("notes.md"),
        "an explicit non-.rs file is parsed (and fails to)"
    );
    assert!(!text.contains("empty.rs") && !text.contains("comments.rs"));
}

#[test]
fn many_tiny_files_in_one_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..50_000 {
        std::fs::write(dir.path().join(format!("f{i:05}.rs")), "fn f() {}\n").expect("write");
    }
    std::fs::write(dir.path().join("z.rs"), BLOCKING).expect("write");
    let out = concur(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn unreadable_and_vanished_files_are_per_file_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("ok.rs", BLOCKING), ("secret.rs", BLOCKING)]);
    // A file that vanished between discovery and read.
    let files = vec![dir.path().join("ok.rs"), dir.path().join("gone.rs")];
    let report = concur::app::driver::lint_files(&files, &Options::default());
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].to_string().contains("gone.rs"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let secret = dir.path().join("secret.rs");
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read(&secret).is_ok() {
            eprintln!("skipped the unreadable-file check: running as root, which reads any file");
        } else {
            let out = concur(dir.path(), &["."]);
            assert_eq!(out.status.code(), Some(1));
            assert!(
                stdout(&out).contains("secret.rs: Permission denied"),
                "{}",
                stdout(&out)
            );
        }
    }
}
