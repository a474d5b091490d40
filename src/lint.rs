//! The pipeline: read each file once, parse it once, walk it once with every enabled rule.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Settings;
use crate::context::Walker;
use crate::diagnostic::{Diagnostic, Level};
use crate::discover::discover;
use crate::error::Error;
use crate::rules::{RULES, RuleInfo};
use crate::source::SourceFile;
use crate::{parse, rules};

/// Stack size of analysis threads: syn's parser, the walk and the AST's drop recurse once
/// per nesting level, and generated code can nest deeply.
const ANALYSIS_STACK: usize = 256 << 20;

/// Which rules run and how: built from configuration files and flags by [`crate::config`].
#[derive(Debug, Clone)]
pub struct Options {
    /// The enabled rules.
    pub rules: Vec<&'static RuleInfo>,
    /// Enabled rules whose findings are errors (`deny`).
    pub deny: Vec<&'static str>,
    /// Rule options (extra blocking functions, lock types, bounds) and suppression policy.
    pub settings: Settings,
    /// Worker threads (`None`: one per core).
    pub jobs: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rules: RULES.iter().collect(),
            deny: Vec::new(),
            settings: Settings::default(),
            jobs: None,
        }
    }
}

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

/// Lints one file's text (already read): parse, then one walk with every enabled rule.
pub fn lint_source(file: &SourceFile, options: &Options) -> Vec<Diagnostic> {
    let ast = match parse::parse(file) {
        Ok(ast) => ast,
        Err(diag) => return vec![*diag],
    };
    let mut rules: Vec<Box<dyn rules::Rule>> = options.rules.iter().map(|r| (r.new)()).collect();
    let mut diagnostics = Walker::run(file, &ast, &mut rules, options);
    crate::suppress::apply(file, &ast, options, &mut diagnostics);
    drop(ast);
    for diag in &mut diagnostics {
        if options.deny.contains(&diag.rule) {
            diag.level = Level::Error;
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    diagnostics
}

/// Reads a file once, as UTF-8.
pub fn read_source(path: &Path) -> Result<SourceFile, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|err| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: err.utf8_error().valid_up_to(),
    })?;
    Ok(SourceFile::new(path, text))
}

/// Reads and lints one file, catching a panic in concur as a per-file internal error.
pub fn lint_file(path: &Path, options: &Options) -> Result<FileResult, Error> {
    let file = read_source(path)?;
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lint_source(&file, options)));
    // proc-macro2 keeps every parsed file's text in a per-thread table until told to forget it.
    proc_macro2::extra::invalidate_current_thread_spans();
    let diagnostics = result.map_err(|panic| Error::Internal {
        path: path.to_path_buf(),
        message: panic
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into()),
    })?;
    let source = (!diagnostics.is_empty()).then(|| Arc::new(file));
    Ok(FileResult {
        diagnostics,
        source,
    })
}

/// Lints every file in `files` in parallel; results are in a deterministic order.
pub fn lint_files(files: &[PathBuf], options: &Options) -> Report {
    let run = || {
        files
            .par_iter()
            .map(|path| lint_file(path, options))
            .collect::<Vec<_>>()
    };
    let results = match rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .stack_size(ANALYSIS_STACK)
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    let mut report = Report {
        files: files.len(),
        ..Report::default()
    };
    for result in results {
        match result {
            Ok(result) => {
                if let Some(source) = result.source {
                    report.sources.insert(source.path.clone(), source);
                }
                report.diagnostics.extend(result.diagnostics);
            }
            Err(err) => report.errors.push(err),
        }
    }
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// Discovers the files under `paths` and lints them.
pub fn lint_paths(paths: &[PathBuf], options: &Options) -> Report {
    let discovered = discover(paths);
    let mut report = lint_files(&discovered.files, options);
    report.errors.splice(0..0, discovered.errors);
    report
}
