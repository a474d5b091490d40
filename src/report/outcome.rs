//! The outcome of linting: findings, the paths that could not be linted, and the text of the
//! files renderers quote.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::source::SourceFile;

/// The outcome of linting a set of paths.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by path, then position, then rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths that could not be linted.
    pub errors: Vec<Error>,
    /// How many files were linted (parsed or not).
    pub files: usize,
    /// The text of every file with findings, for renderers that quote source lines.
    pub sources: BTreeMap<PathBuf, Arc<SourceFile>>,
}

/// One file's findings and, when there are any, its text.
#[derive(Debug)]
pub struct FileResult {
    /// The findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The file, kept only when it has findings.
    pub source: Option<Arc<SourceFile>>,
}
