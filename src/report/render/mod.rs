//! Renderers: each converts the one [`Diagnostic`](crate::diagnostic::Diagnostic) type to an
//! output format. None computes findings.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::report::names::PARSE_ERROR;

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
    let warnings = diagnostics
        .iter()
        .filter(|d| d.level == crate::diagnostic::Level::Warning)
        .count();
    let errs = diagnostics.len() - warnings + errors.len();
    let mut with_findings: Vec<&Path> = diagnostics.iter().map(|d| d.path.as_path()).collect();
    with_findings.dedup();
    let mut parts = vec![plural(warnings, "warning")];
    if errs > 0 {
        parts.push(plural(errs, "error"));
    }
    format!(
        "{} in {} ({} linted)",
        parts.join(", "),
        plural(with_findings.len(), "file"),
        plural(files, "file")
    )
}

/// Whether a finding is concur's own (not a rule's): a parse error.
pub fn is_tool_finding(diag: &Diagnostic) -> bool {
    diag.rule == PARSE_ERROR
}
