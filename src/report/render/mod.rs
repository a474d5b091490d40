//! Renderers: each converts the one [`Diagnostic`](crate::diagnostic::Diagnostic) type to an
//! output format. None computes findings.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Level};
use crate::error::Error;
use crate::report::fix::{self, FixMode};
use crate::report::names::PARSE_ERROR;
use crate::rules::RULES;

/// `n` and `word`, in the plural unless `n` is one: `1 file`, `2 files`, `3 fixes`.
pub fn plural(n: usize, word: &str) -> String {
    let ending = match (n, word.ends_with('x')) {
        (1, _) => "",
        (_, true) => "es",
        (_, false) => "s",
    };
    format!("{n} {word}{ending}")
}

/// The summary line: `3 warnings in 2 files`.
pub fn summary(diagnostics: &[Diagnostic], errors: &[Error], files: usize) -> String {
    let count = |level| diagnostics.iter().filter(|d| d.level == level).count();
    let warnings = count(Level::Warning);
    let errs = count(Level::Error) + errors.len();
    let not_linted = diagnostics
        .iter()
        .filter(|d| d.level == Level::Note && d.rule == PARSE_ERROR)
        .map(|d| d.path.as_path())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut with_findings: Vec<&Path> = diagnostics
        .iter()
        .filter(|d| d.level != Level::Note)
        .map(|d| d.path.as_path())
        .collect();
    with_findings.dedup();
    let mut parts = vec![plural(warnings, "warning")];
    if errs > 0 {
        parts.push(plural(errs, "error"));
    }
    let unparsed = if not_linted > 0 {
        format!(
            ", {} not fully linted: syn cannot parse them",
            plural(not_linted, "file")
        )
    } else {
        String::new()
    };
    format!(
        "{} in {} ({} linted{unparsed}){}",
        parts.join(", "),
        plural(with_findings.len(), "file"),
        plural(files, "file"),
        fixable_note(diagnostics)
    )
}

/// `; 2 fixable with --fix, 1 more with --fix --unsafe-fixes`, or nothing when none is.
fn fixable_note(diagnostics: &[Diagnostic]) -> String {
    let safe = fix::fixable(diagnostics, FixMode::Safe);
    let unsafe_only = fix::fixable(diagnostics, FixMode::Unsafe) - safe;
    match (safe, unsafe_only) {
        (0, 0) => String::new(),
        (0, more) => format!("; {more} fixable with --fix --unsafe-fixes"),
        (safe, 0) => format!("; {safe} fixable with --fix"),
        (safe, more) => {
            format!("; {safe} fixable with --fix, {more} more with --fix --unsafe-fixes")
        }
    }
}

/// `--statistics`: how many findings each rule has, with its category and how many of them
/// `--fix` (and `--fix --unsafe-fixes`) would fix, then the totals per category.
pub fn statistics(diagnostics: &[Diagnostic]) -> String {
    let mut per_rule: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for diag in diagnostics {
        per_rule.entry(diag.rule).or_default().push(diag);
    }
    let category = |rule: &str| {
        RULES
            .iter()
            .find(|r| r.name == rule)
            .map_or("concur", |r| r.category.name())
    };
    let mut rows: Vec<(&str, Vec<&Diagnostic>)> = per_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut out = String::new();
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    for (rule, found) in &rows {
        let owned: Vec<Diagnostic> = found.iter().map(|d| (*d).clone()).collect();
        let safe = fix::fixable(&owned, FixMode::Safe);
        let unsafe_only = fix::fixable(&owned, FixMode::Unsafe) - safe;
        let fixes = match (safe, unsafe_only) {
            (0, 0) => String::new(),
            (0, more) => format!("{more} fixable with --unsafe-fixes"),
            (safe, 0) => format!("{safe} fixable"),
            (safe, more) => format!("{safe} fixable, {more} more with --unsafe-fixes"),
        };
        let line = format!(
            "{:6}  {:28} {:12} {fixes}",
            found.len(),
            rule,
            category(rule)
        );
        out.push_str(line.trim_end());
        out.push('\n');
        *per_category.entry(category(rule)).or_default() += found.len();
    }
    if !rows.is_empty() {
        out.push('\n');
    }
    for (name, count) in per_category {
        out.push_str(&format!("{count:6}  {name}\n"));
    }
    out.push_str(&format!(
        "{:6}  {}{}\n",
        diagnostics.len(),
        if diagnostics.len() == 1 {
            "finding"
        } else {
            "findings"
        },
        fixable_note(diagnostics)
    ));
    out
}

/// Whether a finding is concur's own (not a rule's): a parse error.
pub fn is_tool_finding(diag: &Diagnostic) -> bool {
    diag.rule == PARSE_ERROR
}
