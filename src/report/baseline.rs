//! Baselines: adopt concur on an old codebase by recording today's findings
//! (`--write-baseline FILE`) and reporting only new ones (`--baseline FILE`).
//!
//! An entry is the rule, the file (relative to the baseline's folder) and two fingerprints:
//! the finding's source line with whitespace collapsed, and that line with its nearest
//! non-blank neighbours. Entries match by rule, file and line fingerprint, preferring an entry
//! whose neighbours match too, never by line number: code inserted above a finding does not
//! bring it back. The file is sorted, pretty JSON, so it diffs and reviews well.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::report::Report;
use crate::source::SourceFile;

const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// The recorded findings, sorted.
    pub findings: Vec<Entry>,
}

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The file, relative to the baseline's folder, with `/` separators.
    pub path: String,
    /// The rule.
    pub rule: String,
    /// Fingerprint of the finding's line, whitespace collapsed.
    pub line_hash: String,
    /// Fingerprint of the line and its nearest non-blank neighbours.
    pub context_hash: String,
    /// The message when recorded (for reviewers; not used to match).
    pub message: String,
}

impl Baseline {
    /// Records every finding of `report`; paths are made relative to `dir`.
    pub fn from_report(report: &Report, dir: &Path) -> Baseline {
        let mut findings: Vec<Entry> = report
            .diagnostics
            .iter()
            .filter_map(|diag| {
                let source = report.sources.get(&diag.path)?;
                let (line_hash, context_hash) = fingerprints(source, diag.span.start.line);
                Some(Entry {
                    path: relative(&diag.path, dir),
                    rule: diag.rule.to_string(),
                    line_hash,
                    context_hash,
                    message: diag.message.clone(),
                })
            })
            .collect();
        findings.sort();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> anyhow::Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading baseline {}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a concur baseline", path.display()))?;
        anyhow::ensure!(
            baseline.version == VERSION,
            "{}: baseline version {} is not supported (expected {VERSION})",
            path.display(),
            baseline.version
        );
        Ok(baseline)
    }

    /// Writes the baseline as sorted, pretty JSON, atomically.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let mut text = serde_json::to_string_pretty(self).context("serializing baseline")?;
        text.push('\n');
        crate::report::write::write_atomically(path, text.as_bytes(), None)
            .with_context(|| format!("writing baseline {}", path.display()))
    }

    /// Drops the findings of `report` that this baseline (stored in `dir`) records; returns how
    /// many were dropped.
    pub fn filter(&self, report: &mut Report, dir: &Path) -> usize {
        let mut known: BTreeMap<(String, String, String), Vec<&str>> = BTreeMap::new();
        for entry in &self.findings {
            known
                .entry((
                    entry.path.clone(),
                    entry.rule.clone(),
                    entry.line_hash.clone(),
                ))
                .or_default()
                .push(&entry.context_hash);
        }
        let before = report.diagnostics.len();
        let sources = &report.sources;
        report.diagnostics.retain(|diag: &Diagnostic| {
            let Some(source) = sources.get(&diag.path) else {
                return true;
            };
            let (line_hash, context_hash) = fingerprints(source, diag.span.start.line);
            let path = relative(&diag.path, dir);
            let Some(contexts) = known.get_mut(&(path, diag.rule.to_string(), line_hash)) else {
                return true;
            };
            if contexts.is_empty() {
                return true;
            }
            let at = contexts
                .iter()
                .position(|c| *c == context_hash)
                .unwrap_or(0);
            contexts.remove(at);
            false
        });
        before - report.diagnostics.len()
    }
}

/// The folder a baseline's paths are relative to: the baseline file's folder.
pub fn dir_of(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn relative(path: &Path, dir: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let rel = abs.strip_prefix(dir).unwrap_or(&abs);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// (line fingerprint, line-and-neighbours fingerprint) of a 1-based line.
fn fingerprints(source: &SourceFile, line: usize) -> (String, String) {
    let normal = |l: usize| {
        source
            .line_text(l)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let own = normal(line);
    let non_blank = |l: &usize| !source.line_text(*l).trim().is_empty();
    let above = (1..line)
        .rev()
        .find(non_blank)
        .map(normal)
        .unwrap_or_default();
    let below = (line + 1..=source.line_count())
        .find(non_blank)
        .map(normal)
        .unwrap_or_default();
    let context = format!("{above}\n{own}\n{below}");
    (
        format!("{:016x}", fnv1a(&own)),
        format!("{:016x}", fnv1a(&context)),
    )
}

/// 64-bit FNV-1a: stable across Rust versions and platforms, unlike `DefaultHasher`.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_indentation_and_line_numbers() {
        let a = SourceFile::new("a.rs", "fn f() {\n    spawn(x);\n}\n".into());
        let b = SourceFile::new("a.rs", "// new\n\nfn f() {\n        spawn(x);\n}\n".into());
        assert_eq!(fingerprints(&a, 2), fingerprints(&b, 4));
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
    }
}
