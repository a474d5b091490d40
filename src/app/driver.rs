//! The pipeline: read each file once, parse it once, walk it once with every enabled rule.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::app::cache::{Cache, ContentHash};
use crate::app::config::{self, ConfigError, FileConfig, Overrides, Resolver};
use crate::app::discover::discover;
use crate::app::options::Options;
use crate::app::stats::{self, Phase, Stats};
use crate::diagnostic::{Diagnostic, Level};
use crate::error::Error;
use crate::report::{FileResult, Report, names, suppress};
use crate::source::SourceFile;
use crate::syntax::parse;
use crate::walk::rule::Rule;
use crate::walk::walker::Walker;

/// The one configured driver: the configuration that applies to each file (its nearest
/// `concur.toml` or Cargo metadata table, command-line overrides on top), then the pipeline.
/// The command line and the language server both lint through it, so a file gets the same
/// findings from either.
#[derive(Debug)]
pub struct Driver {
    resolver: Resolver,
    run: RunSettings,
}

/// Settings of a whole run that every configuration shares: the result cache and timing.
#[derive(Debug, Default)]
pub struct RunSettings {
    /// Folder of the result cache; `None` with `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    /// Timing, with `--stats`.
    pub stats: Option<Arc<Stats>>,
}

/// Files linted with one configuration.
type Group = (Option<Arc<FileConfig>>, Vec<PathBuf>);

impl Driver {
    /// A driver applying the command line's `overrides` to every configuration it finds.
    pub fn new(overrides: Overrides, run: RunSettings) -> Self {
        Driver {
            resolver: Resolver::new(overrides),
            run,
        }
    }

    /// The run's timing, with `--stats`.
    pub fn stats(&self) -> Option<&Stats> {
        self.run.stats.as_deref()
    }

    /// Forgets every configuration file read so far (one changed on disk).
    pub fn reload(&mut self) {
        self.resolver = Resolver::new(self.resolver.overrides().clone());
    }

    /// The options that apply to `path`, or `None` when its configuration excludes it.
    pub fn options_for(&mut self, path: &Path) -> Result<Option<Options>, ConfigError> {
        let config = self.resolver.file_for(path)?;
        if config.as_ref().is_some_and(|c| c.excludes(path)) {
            return Ok(None);
        }
        Ok(Some(self.options_of(config)))
    }

    fn options_of(&self, config: Option<Arc<FileConfig>>) -> Options {
        Options {
            cache_dir: self.run.cache_dir.clone(),
            stats: self.run.stats.clone(),
            ..config::effective(config, self.resolver.overrides()).options
        }
    }

    /// Lints the files under `paths`, each with the configuration that applies to it (files
    /// sharing a configuration file are linted together).
    pub fn lint_paths(&mut self, paths: &[PathBuf]) -> Result<Report, ConfigError> {
        let discovered = stats::time(self.stats(), Phase::Discover, || discover(paths));
        let mut groups: BTreeMap<Option<PathBuf>, Group> = BTreeMap::new();
        for file in discovered.files {
            let config = self.resolver.file_for(&file)?;
            if config.as_ref().is_some_and(|c| c.excludes(&file)) {
                continue;
            }
            let key = config.as_ref().map(|c| c.path.clone());
            groups
                .entry(key)
                .or_insert_with(|| (config, Vec::new()))
                .1
                .push(file);
        }
        let mut report = Report {
            errors: discovered.errors,
            ..Report::default()
        };
        for (config, files) in groups.into_values() {
            let part = lint_files(&files, &self.options_of(config));
            report.files += part.files;
            report.diagnostics.extend(part.diagnostics);
            report.errors.extend(part.errors);
            report.sources.extend(part.sources);
        }
        report
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(report)
    }

    /// Lints a file's text (an editor's buffer, a fixed file) with the configuration of its
    /// path; nothing when the configuration excludes it. A configuration that cannot be read
    /// is reported on stderr and the defaults apply.
    pub fn lint_source(&mut self, file: &SourceFile) -> Vec<Diagnostic> {
        match self.options_for(&file.path) {
            Ok(Some(options)) => lint_source(file, &options),
            Ok(None) => Vec::new(),
            Err(err) => {
                eprintln!("concur: {err}; using the default configuration");
                lint_source(file, &Options::default())
            }
        }
    }
}

/// Stack size of analysis threads: syn's parser, the walk and the AST's drop recurse once
/// per nesting level, and generated code can nest deeply.
pub const ANALYSIS_STACK: usize = 256 << 20;

/// Lints one file's text (already read): parse, then one walk with every enabled rule.
pub fn lint_source(file: &SourceFile, options: &Options) -> Vec<Diagnostic> {
    let stats = options.stats.as_deref();
    let ast = match stats::time(stats, Phase::Parse, || parse::parse(file)) {
        Ok(ast) => ast,
        Err(error) => return vec![names::parse_error(file, error)],
    };
    let mut rules: Vec<Box<dyn Rule>> = match &options.stats {
        Some(stats) => stats.timed_rules(&options.rules),
        None => options.rules.iter().map(|r| (r.new)()).collect(),
    };
    let mut diagnostics = stats::time(stats, Phase::WalkRules, || {
        Walker::run(file, &ast, &mut rules, &options.settings)
    });
    suppress::apply(
        file,
        &ast,
        &options.rules,
        &options.settings,
        &mut diagnostics,
    );
    stats::time(stats, Phase::Parse, || drop(ast));
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
    source_from_bytes(path, read_bytes(path)?)
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn source_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<SourceFile, Error> {
    let text = String::from_utf8(bytes).map_err(|err| Error::NotUtf8 {
        path: path.to_path_buf(),
        offset: err.utf8_error().valid_up_to(),
    })?;
    Ok(SourceFile::new(path, text))
}

/// Reads and lints one file, catching a panic in concur as a per-file internal error.
pub fn lint_file(path: &Path, options: &Options) -> Result<FileResult, Error> {
    lint_file_cached(path, options, None)
}

/// [`lint_file`], answered from `cache` when the file is unchanged, and recorded there if not.
fn lint_file_cached(
    path: &Path,
    options: &Options,
    cache: Option<&Cache>,
) -> Result<FileResult, Error> {
    let stats = options.stats.as_deref();
    let bytes = stats::time(stats, Phase::Read, || read_bytes(path))?;
    if let Some(stats) = stats {
        stats.count_file(bytes.len());
    }
    let (hash, len) = (
        cache.map(|_| stats::time(stats, Phase::Cache, || ContentHash::of(&bytes))),
        bytes.len(),
    );
    if let Some(diagnostics) = cache
        .zip(hash)
        .and_then(|(c, h)| stats::time(stats, Phase::Cache, || c.get(path, h, len)))
    {
        stats.inspect(|s| s.count_cache_hit());
        let source = if diagnostics.is_empty() {
            None
        } else {
            Some(Arc::new(source_from_bytes(path, bytes)?))
        };
        return Ok(FileResult {
            diagnostics,
            source,
        });
    }
    let file = source_from_bytes(path, bytes)?;
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
    if let Some((cache, hash)) = cache.zip(hash) {
        stats::time(stats, Phase::Cache, || {
            cache.put(path, hash, len, &diagnostics)
        });
    }
    let source = (!diagnostics.is_empty()).then(|| Arc::new(file));
    Ok(FileResult {
        diagnostics,
        source,
    })
}

/// Lints every file in `files` in parallel; results are in a deterministic order.
pub fn lint_files(files: &[PathBuf], options: &Options) -> Report {
    let stats = options.stats.as_deref();
    let cache = options
        .cache_dir
        .as_deref()
        .map(|dir| stats::time(stats, Phase::Cache, || Cache::open(dir, options)));
    let run = || {
        files
            .par_iter()
            .map(|path| lint_file_cached(path, options, cache.as_ref()))
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
    if let Some(cache) = cache {
        // A cache that cannot be written only costs the next run time.
        let _ = stats::time(stats, Phase::Cache, || cache.save(files));
    }
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
    let discovered = stats::time(options.stats.as_deref(), Phase::Discover, || {
        discover(paths)
    });
    let mut report = lint_files(&discovered.files, options);
    report.errors.splice(0..0, discovered.errors);
    report
}
