//! The fixture harness: runs every `fixtures/<rule>/*.rs` through the library and checks the
//! inline expectations (`//~ WARN rule_name` on the line of the primary span). Every expected
//! finding must fire on its line, and nothing else may fire.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use concur::app::driver::{lint_files, lint_source};
use concur::app::options::Options;
use concur::source::SourceFile;

/// `(line, rule)` → how many findings are expected there, and at which level (`WARN` or
/// `ERROR`: `correctness` rules are denied by default).
fn expectations(text: &str) -> BTreeMap<(usize, String), (usize, &'static str)> {
    let mut expected = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        for marker in line.split("//~").skip(1) {
            let mut words = marker.split_whitespace();
            let level = words.next().unwrap_or_default();
            assert!(
                matches!(level, "WARN" | "ERROR"),
                "line {}: expectation must be `//~ WARN rule` or `//~ ERROR rule`, got `{marker}`",
                index + 1
            );
            let rule = words
                .next()
                .unwrap_or_default()
                .trim_end_matches(',')
                .to_string();
            let level = if level == "ERROR" { "error" } else { "warning" };
            expected.entry((index + 1, rule)).or_insert((0, level)).0 += 1;
        }
    }
    expected
}

/// A fixture case: one file linted alone, or a folder holding a small crate (a `Cargo.toml`
/// and its sources) linted as one package, with expectations in any of its files.
enum Case {
    File(PathBuf),
    Crate(PathBuf, Vec<PathBuf>),
}

/// Every fixture case under `dir`, subfolders included (a case may need its path, e.g. under
/// `benches/`).
fn collect_cases(dir: &Path, cases: &mut Vec<Case>) {
    if dir.join("Cargo.toml").is_file() {
        let mut files = Vec::new();
        collect_sources(dir, &mut files);
        files.sort();
        cases.push(Case::Crate(dir.to_path_buf(), files));
        return;
    }
    for entry in std::fs::read_dir(dir).expect("fixture folder readable") {
        let path = entry.expect("fixture entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            collect_cases(&path, cases);
        } else if name.ends_with(".rs") && !name.ends_with(".fixed.rs") {
            cases.push(Case::File(path));
        }
    }
}

fn collect_sources(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixture crate readable") {
        let path = entry.expect("fixture entry").path();
        if path.is_dir() {
            collect_sources(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn fixture_cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases = Vec::new();
    for dir in std::fs::read_dir(&root).expect("fixtures/ exists") {
        collect_cases(&dir.expect("fixture folder entry").path(), &mut cases);
    }
    cases.sort_by(|a, b| case_path(a).cmp(case_path(b)));
    cases
}

fn case_path(case: &Case) -> &Path {
    match case {
        Case::File(path) | Case::Crate(path, _) => path,
    }
}

/// The single-file fixtures (crate cases are checked by expectation only).
fn fixture_files() -> Vec<PathBuf> {
    fixture_cases()
        .into_iter()
        .filter_map(|case| match case {
            Case::File(path) => Some(path),
            Case::Crate(..) => None,
        })
        .collect()
}

/// The findings of a case, with the files whose expectations they are checked against.
fn lint_case(case: &Case) -> (Vec<PathBuf>, Vec<concur::diagnostic::Diagnostic>) {
    match case {
        Case::File(path) => {
            let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
            let file = SourceFile::new(path.clone(), text);
            (
                vec![path.clone()],
                lint_source(&file, &Options::every_rule()),
            )
        }
        Case::Crate(_, files) => {
            let report = lint_files(files, &Options::every_rule());
            assert!(report.errors.is_empty(), "{:?}", report.errors);
            (files.clone(), report.diagnostics)
        }
    }
}

#[test]
fn every_fixture_expectation_fires_and_nothing_else() {
    let cases = fixture_cases();
    assert!(!cases.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut files_checked = 0;
    for case in &cases {
        let (files, found) = lint_case(case);
        for path in &files {
            files_checked += 1;
            let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
            let mut expected = expectations(&text);
            for diag in found.iter().filter(|d| d.path == *path) {
                let key = (diag.span.start.line, diag.rule.to_string());
                match expected.get_mut(&key) {
                    Some((count, level)) if *count > 0 => {
                        *count -= 1;
                        checked += 1;
                        if *level != diag.level.as_str() {
                            failures.push(format!(
                                "wrong level: {}:{}: {} is a {}, expected a {level}",
                                path.display(),
                                diag.span.start.line,
                                diag.rule,
                                diag.level.as_str()
                            ));
                        }
                    }
                    _ => failures.push(format!(
                        "unexpected: {}:{}: {} ({})",
                        path.display(),
                        diag.span.start.line,
                        diag.rule,
                        diag.message
                    )),
                }
            }
            for ((line, rule), (count, _)) in expected {
                if count > 0 {
                    failures.push(format!("missing:    {}:{line}: {rule}", path.display()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} fixture cases ({files_checked} files), {checked} expected findings matched",
        cases.len()
    );
}

#[test]
fn every_rule_has_fixtures_with_positive_and_negative_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for rule in concur::rules::RULES {
        let dir = root.join(rule.name);
        assert!(
            dir.is_dir(),
            "rule {} has no fixtures/{}/",
            rule.name,
            rule.name
        );
        let level = if rule.category.enabled_level() == concur::diagnostic::Level::Error {
            "ERROR"
        } else {
            "WARN"
        };
        let marker = format!("//~ {level} {}", rule.name);
        let mut sources = Vec::new();
        collect_sources(&dir, &mut sources);
        let positives: usize = sources
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .map(|t| t.matches(&marker).count())
            .sum();
        assert!(
            positives >= 4,
            "rule {} has {positives} positive fixture cases, needs at least 4",
            rule.name
        );
    }
}

fn fixed_text(path: &Path, text: String) -> concur::report::fix::Fixed {
    let options = Options::every_rule();
    let file = SourceFile::new(path.to_path_buf(), text);
    let found = lint_source(&file, &options);
    let relint = |file: &SourceFile| lint_source(file, &options);
    concur::report::fix::fix_source(&file, &found, concur::report::fix::FixMode::Unsafe, &relint)
}

#[test]
fn fixable_fixtures_match_their_fixed_files_and_fixing_is_idempotent() {
    let mut pairs = 0;
    for path in fixture_files() {
        let fixed_path = path.with_extension("fixed.rs");
        if !fixed_path.exists() {
            continue;
        }
        pairs += 1;
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let expected = std::fs::read_to_string(&fixed_path).expect("fixed fixture is UTF-8");
        let fixed = fixed_text(&path, text);
        assert!(
            fixed.text == expected,
            "{}: `--fix --unsafe-fixes` output differs from {}:\n{}",
            path.display(),
            fixed_path.display(),
            concur::report::fix::unified_diff(&fixed_path, &expected, &fixed.text)
        );
        let again = fixed_text(&fixed_path, expected.clone());
        assert_eq!(
            again.text,
            expected,
            "{}: a second fix changed the file",
            fixed_path.display()
        );
        assert_eq!(again.applied, 0);
    }
    assert!(pairs > 0, "no .fixed.rs fixture pairs found");
}

#[test]
fn fixing_any_fixture_leaves_a_file_that_parses() {
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let fixed = fixed_text(&path, text);
        assert!(
            syn::parse_file(&fixed.text).is_ok(),
            "{}: fixed text does not parse",
            path.display()
        );
    }
}

/// The names a `use` line imports (`use a::B;`, `use a::B as C;`, `use a::{B, C as D};`):
/// read from the text, independently of concur's own import handling.
fn imported_names(line: &str) -> Vec<String> {
    let Some(body) = line
        .trim()
        .strip_prefix("use ")
        .and_then(|b| b.strip_suffix(';'))
    else {
        return Vec::new();
    };
    let leaves: Vec<&str> = match (body.find('{'), body.rfind('}')) {
        (Some(open), Some(close)) => body[open + 1..close].split(',').collect(),
        _ => vec![body],
    };
    leaves
        .iter()
        .filter_map(|leaf| {
            let leaf = leaf.trim();
            let name = match leaf.split_once(" as ") {
                Some((_, rename)) => rename.trim(),
                None => leaf.rsplit("::").next().unwrap_or(leaf).trim(),
            };
            (!name.is_empty() && name != "*" && name != "_" && name != "self")
                .then(|| name.to_string())
        })
        .collect()
}

/// How many times `name` appears as a word outside `use` lines.
fn mentions(text: &str, name: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("use "))
        .map(|l| {
            l.match_indices(name)
                .filter(|(at, _)| {
                    let before = l[..*at].chars().next_back();
                    let after = l[at + name.len()..].chars().next();
                    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    !word(before) && !word(after)
                })
                .count()
        })
        .sum()
}

/// Every fix leaves the file no worse: linted again, the fixed file has no finding the
/// original did not have (same rule and message), no import the fix took the last use of,
/// and no closure called in place (`(|| expr)()`, which clippy flags).
#[test]
fn fixed_fixtures_gain_no_finding_no_unused_import_and_no_closure_call() {
    let options = Options::every_rule();
    let mut fixed_files = 0;
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let fixed = fixed_text(&path, text.clone());
        if fixed.applied == 0 {
            continue;
        }
        fixed_files += 1;
        let before = lint_source(&SourceFile::new(path.clone(), text.clone()), &options);
        let after = lint_source(&SourceFile::new(path.clone(), fixed.text.clone()), &options);
        for diag in &after {
            let alike = |list: &[concur::diagnostic::Diagnostic]| {
                list.iter()
                    .filter(|d| d.rule == diag.rule && d.message == diag.message)
                    .count()
            };
            assert!(
                alike(&after) <= alike(&before),
                "{}: fixing added a finding: {} ({})",
                path.display(),
                diag.rule,
                diag.message
            );
        }
        for line in fixed.text.lines() {
            for name in imported_names(line) {
                assert!(
                    mentions(&fixed.text, &name) > 0 || mentions(&text, &name) == 0,
                    "{}: fixing left `{name}` imported but unused",
                    path.display()
                );
            }
        }
        for line in fixed.text.lines() {
            let called_closure =
                line.contains(")()") && (line.contains("(|| ") || line.contains("(move || "));
            assert!(
                !called_closure,
                "{}: fixing left a closure called in place: {line}",
                path.display()
            );
        }
    }
    assert!(fixed_files > 0, "no fixture has an applicable fix");
    eprintln!("{fixed_files} fixed fixtures re-linted");
}
