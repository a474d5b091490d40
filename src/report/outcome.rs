//! The outcome of linting: findings, the paths that could not be linted, and the text of the
//! files renderers quote.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Assumption, Diagnostic};
use crate::error::Error;
use crate::report::suppress::Suppressions;
use crate::semantic::summary::FileSummary;
use crate::semantic::test_code::TestCode;
use crate::source::SourceFile;

/// The outcome of linting a set of paths.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by path, then position, then rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths that could not be linted.
    pub errors: Vec<Error>,
    /// Problems of the run that are no finding (a configured entry that matched nothing).
    pub warnings: Vec<String>,
    /// How many files were linted (parsed or not).
    pub files: usize,
    /// The text of every file with findings, for renderers that quote source lines.
    pub sources: BTreeMap<PathBuf, Arc<SourceFile>>,
}

/// What the one walk of a file yields, before the crate-wide questions: its findings
/// (suppressions not yet applied), its summary for the package's model, and its suppressions.
/// The result cache stores it.
#[derive(Debug, Clone, Default)]
pub struct FileAnalysis {
    /// The rules' findings (or the parse error).
    pub findings: Vec<Diagnostic>,
    /// What the file declares and what its functions do.
    pub summary: FileSummary,
    /// Its suppressions, matched to its syntax tree.
    pub suppressions: Suppressions,
    /// The configured `blocking-functions`/`lock-types` entries its calls matched.
    pub configured: Vec<String>,
    /// Where its test code is.
    pub test_code: TestCode,
}

/// What a unit's model says: its crate-wide findings, and which of the assumptions its files'
/// findings make it refutes.
#[derive(Debug, Clone, Default)]
pub struct UnitVerdict {
    /// The crate-wide findings.
    pub findings: Vec<Diagnostic>,
    /// Assumptions the model refutes: findings that make them are dropped.
    pub refuted: Vec<Assumption>,
    /// The configured `blocking-functions` entries that name the unit's own functions.
    pub configured: Vec<String>,
    /// The unit's files that are test code because the package declares them so
    /// (`#[cfg(test)] mod x;`), which their own walk cannot know.
    pub test_files: Vec<PathBuf>,
}
