//! Applying suggested fixes: `--fix`, `--unsafe-fixes` and `--diff`.
//!
//! Fixes go through rustc's JSON (the same `children[].spans[].suggested_replacement` that
//! rust-analyzer reads) and are applied with the `rustfix` crate, so what `--fix` does is exactly
//! what any rustfix-based tool would do with concur's JSON. Edits never overlap within a pass; an
//! overlapping fix waits for the next pass, after the file is linted again. A result that does
//! not parse is dropped. A fix never leaves the file worse: the imports it takes the last use
//! of go with it ([`crate::report::imports`]), and a fix after which the file has a finding it
//! did not have (`let _guard` taking a lock the block takes again) is not applied. Files are
//! written atomically and only when their content changed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Applicability, Diagnostic};
use crate::report::imports;
use crate::report::write::write_atomically;
use crate::source::SourceFile;

/// How many times a file is re-linted and fixed before concur gives up on reaching a fixpoint.
const MAX_PASSES: usize = 4;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Only machine-applicable fixes (`--fix`).
    Safe,
    /// Machine-applicable and maybe-incorrect fixes (`--fix --unsafe-fixes`).
    Unsafe,
}

impl FixMode {
    /// Whether a suggestion of this applicability is applied in this mode.
    pub fn applies(self, applicability: Applicability) -> bool {
        match applicability {
            Applicability::MachineApplicable => true,
            Applicability::MaybeIncorrect => self == FixMode::Unsafe,
            Applicability::HasPlaceholders => false,
        }
    }
}

/// The result of fixing one file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The text after every applicable fix.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// Whether fixes were dropped because the result would not parse.
    pub dropped_unparsable: bool,
}

/// How a fixed text is linted again between passes: the same pipeline that produced the
/// findings (rules, then suppressions and configured levels), so a suppressed finding is never
/// fixed in a later pass.
pub type Relint<'a> = &'a dyn Fn(&SourceFile) -> Vec<Diagnostic>;

/// Applies every fix `mode` allows to `file`, re-linting between passes, and returns the new
/// text (equal to the old one when nothing applied).
pub fn fix_source(
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    mode: FixMode,
    relint: Relint<'_>,
) -> Fixed {
    let mut text = file.text.clone();
    let mut applied = 0;
    let mut dropped_unparsable = false;
    let mut current: Vec<Diagnostic> = diagnostics.to_vec();
    // Fixes that made the file worse, by the finding they fix (rule, message and the code it
    // points at, which survive edits elsewhere): never applied again.
    let mut refused: Vec<Identity> = Vec::new();
    for pass in 0..MAX_PASSES {
        let source = SourceFile::new(file.path.clone(), text.clone());
        if pass > 0 {
            current = relint(&source);
        }
        let ids = identities(&current, &source);
        current = current
            .into_iter()
            .zip(ids)
            .filter(|(_, id)| !refused.contains(id))
            .map(|(d, _)| d)
            .collect();
        let Some((next, count)) = apply_pass(&source, &current, mode) else {
            break;
        };
        let next = without_unused_imports(&source, next);
        let fixed = SourceFile::new(file.path.clone(), next.clone());
        if syn::parse_file(fixed.parse_text()).is_err() {
            dropped_unparsable = true;
            break;
        }
        if gains_a_finding(&current, &relint(&fixed)) {
            // Find the fixes that do it, one by one, and try again without them.
            let worse: Vec<Diagnostic> = current
                .iter()
                .filter(|d| {
                    apply_pass(&source, std::slice::from_ref(*d), mode).is_some_and(|(alone, _)| {
                        let alone = without_unused_imports(&source, alone);
                        let alone = SourceFile::new(file.path.clone(), alone);
                        gains_a_finding(&current, &relint(&alone))
                    })
                })
                .cloned()
                .collect();
            if worse.is_empty() {
                break;
            }
            let ids = identities(&current, &source);
            refused.extend(
                current
                    .iter()
                    .zip(ids)
                    .filter(|(d, _)| worse.contains(d))
                    .map(|(_, id)| id),
            );
            continue;
        }
        text = next;
        applied += count;
    }
    Fixed {
        text,
        applied,
        dropped_unparsable,
    }
}

/// `fixed` without the imports the fix took the last use of.
fn without_unused_imports(source: &SourceFile, fixed: String) -> String {
    let after = SourceFile::new(source.path.clone(), fixed);
    let unused = imports::newly_unused(source, &after);
    if unused.is_empty() {
        after.text
    } else {
        imports::remove(&after.text, &unused)
    }
}

/// Whether `after` has a finding `before` did not (more of the same rule and message; lines
/// may have moved): a fix made the file worse.
fn gains_a_finding(before: &[Diagnostic], after: &[Diagnostic]) -> bool {
    let count = |list: &[Diagnostic], like: &Diagnostic| {
        list.iter().filter(|d| same_finding(d, like)).count()
    };
    after.iter().any(|d| count(after, d) > count(before, d))
}

/// Whether two findings say the same thing (their lines may differ).
fn same_finding(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.rule == b.rule && a.message == b.message
}

/// A finding's identity across edits elsewhere in the file: its rule, its message, the line
/// it points at, and which of the findings alike it is, in source order.
type Identity = (&'static str, String, String, usize);

/// The identities of `findings` (sorted by position) in `source`.
fn identities(findings: &[Diagnostic], source: &SourceFile) -> Vec<Identity> {
    let mut out: Vec<Identity> = Vec::with_capacity(findings.len());
    for diag in findings {
        let line = source.line_text(diag.span.start.line).trim().to_string();
        let nth = out
            .iter()
            .filter(|(rule, message, code, _)| {
                *rule == diag.rule && *message == diag.message && *code == line
            })
            .count();
        out.push((diag.rule, diag.message.clone(), line, nth));
    }
    out
}

/// One pass: applies the non-overlapping applicable fixes; `None` when none applied.
fn apply_pass(
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    mode: FixMode,
) -> Option<(String, usize)> {
    let mut fix = rustfix::CodeFix::new(&source.text);
    let mut count = 0;
    for diag in diagnostics {
        let Some(suggestion) = &diag.suggestion else {
            continue;
        };
        if !mode.applies(suggestion.applicability) {
            continue;
        }
        let sources = |path: &std::path::Path| (path == diag.path).then_some(source);
        let Some(json) = crate::report::render::json::message(diag, &sources) else {
            continue;
        };
        let json = json.to_string();
        let Ok(suggestions) = rustfix::get_suggestions_from_json(
            &json,
            &HashSet::<String>::new(),
            rustfix::Filter::Everything,
        ) else {
            continue;
        };
        // An overlapping fix fails here and waits for the next pass.
        if suggestions.iter().all(|s| fix.apply(s).is_ok()) && !suggestions.is_empty() {
            count += 1;
        }
    }
    let text = fix.finish().ok()?;
    (count > 0 && text != source.text).then_some((text, count))
}

/// Counts the fixes `mode` would apply to these findings (before any pass).
pub fn fixable(diagnostics: &[Diagnostic], mode: FixMode) -> usize {
    diagnostics
        .iter()
        .filter(|d| {
            d.suggestion
                .as_ref()
                .is_some_and(|s| mode.applies(s.applicability))
        })
        .count()
}

/// A unified diff of a file before and after fixing, with `a/` and `b/` headers.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// What `--fix` or `--diff` did to a whole report.
#[derive(Debug, Default)]
pub struct FixSummary {
    /// Fixes applied (or, with `--diff`, that would be applied).
    pub applied: usize,
    /// Files changed (or that would change).
    pub files: usize,
    /// The unified diff of every change, for `--diff`.
    pub diff: String,
    /// Files that could not be written, or whose fixes were dropped.
    pub problems: Vec<String>,
}

/// Fixes every file of `report` that has applicable fixes. With `write`, changed files are
/// written atomically and re-linted, so `report` then lists what remains; without it nothing is
/// touched and the summary carries the diff.
pub fn fix_report(
    report: &mut crate::report::Report,
    mode: FixMode,
    write: bool,
    relint: Relint<'_>,
) -> FixSummary {
    let mut summary = FixSummary::default();
    let paths: Vec<PathBuf> = report.sources.keys().cloned().collect();
    for path in paths {
        let source = std::sync::Arc::clone(&report.sources[&path]);
        let findings: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.path == path)
            .cloned()
            .collect();
        if fixable(&findings, mode) == 0 {
            continue;
        }
        let fixed = fix_source(&source, &findings, mode, relint);
        if fixed.dropped_unparsable {
            summary.problems.push(format!(
                "{}: some fixes were dropped because the result would not parse",
                path.display()
            ));
        }
        if fixed.text == source.text {
            continue;
        }
        if !write {
            summary
                .diff
                .push_str(&unified_diff(&path, &source.text, &fixed.text));
        } else if let Err(err) =
            write_atomically(&path, fixed.text.as_bytes(), Some(source.text.as_bytes()))
        {
            summary.problems.push(err.to_string());
            continue;
        } else {
            let relinted = SourceFile::new(path.clone(), fixed.text);
            let remaining = relint(&relinted);
            report.diagnostics.retain(|d| d.path != path);
            report.diagnostics.extend(remaining);
            report
                .sources
                .insert(path.clone(), std::sync::Arc::new(relinted));
        }
        summary.applied += fixed.applied;
        summary.files += 1;
    }
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    summary
}
