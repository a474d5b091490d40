//! The pipeline: read each file once, parse it once, walk it once with every enabled rule.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::app::cache::{Cache, ContentHash};
use crate::app::config::{self, ConfigError, FileConfig, Overrides, Resolver};
use crate::app::discover::discover;
use crate::app::map::MapSink;
use crate::app::options::Options;
use crate::app::progress::Progress;
use crate::app::stats::{self, Phase, Stats};
use crate::app::units::{self, Package, Units};
use crate::diagnostic::{Assumption, Diagnostic, Level};
use crate::error::Error;
use crate::report::suppress::{self, Suppressions};
use crate::report::{FileAnalysis, Report, UnitVerdict, names};
use crate::rules;
use crate::semantic::model::{self, Model, UnitFile};
use crate::semantic::settings::Settings;
use crate::semantic::summary::FileSummary;
use crate::semantic::test_code::TestCode;
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
    units: Units,
}

/// Settings of a whole run that every configuration shares: the result cache and timing.
#[derive(Debug, Default)]
pub struct RunSettings {
    /// Folder of the result cache; `None` with `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    /// Timing, with `--stats`.
    pub stats: Option<Arc<Stats>>,
    /// Progress on a terminal.
    pub progress: Option<Arc<Progress>>,
    /// Where each unit's concurrency map goes, for `concur map`.
    pub map: Option<Arc<MapSink>>,
}

/// Files linted with one configuration.
type Group = (Option<Arc<FileConfig>>, Vec<PathBuf>);

impl Driver {
    /// A driver applying the command line's `overrides` to every configuration it finds.
    pub fn new(overrides: Overrides, run: RunSettings) -> Self {
        Driver {
            resolver: Resolver::new(overrides),
            run,
            units: Units::default(),
        }
    }

    /// The run's timing, with `--stats`.
    pub fn stats(&self) -> Option<&Stats> {
        self.run.stats.as_deref()
    }

    /// Forgets every configuration file read so far (one changed on disk).
    pub fn reload(&mut self) {
        self.resolver = Resolver::new(self.resolver.overrides().clone());
        self.units = Units::default();
    }

    /// The options that apply to `path`, or `None` when its configuration excludes it.
    pub fn options_for(&mut self, path: &Path) -> Result<Option<Options>, ConfigError> {
        let config = self.resolver.file_for(path)?;
        if config.as_ref().is_some_and(|c| c.excludes(path)) {
            return Ok(None);
        }
        let package = self.units.package_of(path);
        Ok(Some(
            self.options_of(config)
                .in_package(package.as_deref())
                .into_owned(),
        ))
    }

    fn options_of(&self, config: Option<Arc<FileConfig>>) -> Options {
        Options {
            cache_dir: self.run.cache_dir.clone(),
            stats: self.run.stats.clone(),
            progress: self.run.progress.clone(),
            map: self.run.map.clone(),
            ..config::effective(config, self.resolver.overrides()).options
        }
    }

    /// Lints the files under `paths`, each with the configuration that applies to it (files
    /// sharing a configuration file are linted together).
    pub fn lint_paths(&mut self, paths: &[PathBuf]) -> Result<Report, ConfigError> {
        let discovered = stats::time(self.stats(), Phase::Discover, || discover(paths));
        // A folder with nothing to lint is most likely the wrong folder: say so.
        let empty: Vec<String> = paths
            .iter()
            .filter(|p| {
                let dir = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
                p.is_dir()
                    && !discovered.files.iter().any(|f| {
                        f.starts_with(p)
                            || std::path::absolute(f).is_ok_and(|f| f.starts_with(&dir))
                    })
            })
            .map(|p| format!("no Rust files found under {}", p.display()))
            .collect();
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
            warnings: empty,
            ..Report::default()
        };
        if let Some(progress) = &self.run.progress {
            progress.add_files(groups.values().map(|(_, files)| files.len()).sum());
        }
        for (config, files) in groups.into_values() {
            let part = lint_files(&files, &self.options_of(config));
            report.files += part.files;
            report.diagnostics.extend(part.diagnostics);
            report.errors.extend(part.errors);
            report.warnings.extend(part.warnings);
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

/// The packages an editor works in, kept between edits: every file's first phase (from the
/// buffer for documents the editor has linted, from disk for the rest), so that linting one
/// document after an edit walks only that document, and the package's crate-wide questions see
/// every file.
#[derive(Debug, Default)]
pub struct Workspace {
    units: Units,
    packages: HashMap<PathBuf, HashMap<PathBuf, FileAnalysis>>,
}

impl Workspace {
    /// Forgets every package's files (configuration or files on disk changed).
    pub fn reload(&mut self) {
        self.packages.clear();
    }

    /// Finishes a document whose first phase is `analysis`: puts it into its package (whose
    /// other files are walked from disk the first time), asks the package's crate-wide
    /// questions, and returns the final findings of the document and of every path in `open`
    /// of the same package, by path.
    pub fn finish(
        &mut self,
        file: &SourceFile,
        analysis: FileAnalysis,
        options: &Options,
        open: &[PathBuf],
    ) -> Vec<(PathBuf, Vec<Diagnostic>)> {
        let parsed = !analysis
            .findings
            .iter()
            .any(|d| d.rule == names::PARSE_ERROR);
        let package = self.units.package_of(&file.path).filter(|_| parsed);
        let Some(package) = package else {
            // A loose file, or one that does not parse (its package keeps its last summary).
            let assumed = assumptions(analysis.findings.iter());
            let verdict = check_unit(None, &[(&file.path, &analysis.summary)], &assumed, options);
            let mut findings = analysis.findings;
            drop_refuted(&mut findings, &verdict.refuted);
            findings.extend(verdict.findings);
            let done = finish_file(
                &file.path,
                findings,
                (&analysis.suppressions, &analysis.test_code),
                false,
                options,
            );
            return vec![(file.path.clone(), done)];
        };
        let files = self
            .packages
            .entry(package.root.clone())
            .or_insert_with(|| {
                context_files(&package, &[])
                    .into_iter()
                    .filter_map(|path| {
                        let source = read_source(&path).ok()?;
                        let walked = analyze_source(&source, options);
                        proc_macro2::extra::invalidate_current_thread_spans();
                        Some((path, walked))
                    })
                    .collect()
            });
        let key = std::path::absolute(&file.path).unwrap_or_else(|_| file.path.clone());
        files.retain(|path, _| std::path::absolute(path).unwrap_or_else(|_| path.clone()) != key);
        files.insert(file.path.clone(), analysis);
        let unit: Vec<(&Path, &FileSummary)> = files
            .iter()
            .map(|(p, a)| (p.as_path(), &a.summary))
            .collect();
        let assumed = assumptions(files.values().flat_map(|a| &a.findings));
        let verdict = check_unit(Some(&package), &unit, &assumed, options);
        let wanted =
            std::iter::once(&file.path).chain(open.iter().filter(|p| files.contains_key(*p)));
        wanted
            .map(|path| {
                let walked = &files[path];
                let mut findings = walked.findings.clone();
                drop_refuted(&mut findings, &verdict.refuted);
                findings.extend(verdict.findings.iter().filter(|d| d.path == *path).cloned());
                let done = finish_file(
                    path,
                    findings,
                    (&walked.suppressions, &walked.test_code),
                    verdict.test_files.contains(path),
                    options,
                );
                (path.clone(), done)
            })
            .collect()
    }
}

/// Stack size of analysis threads: syn's parser, the walk and the AST's drop recurse once
/// per nesting level, and generated code can nest deeply.
pub const ANALYSIS_STACK: usize = 256 << 20;

/// The first phase for one file's text: parse, then one walk with every enabled rule.
pub fn analyze_source(file: &SourceFile, options: &Options) -> FileAnalysis {
    let stats = options.stats.as_deref();
    let parsed = stats::time(stats, Phase::Parse, || parse::parse_recovering(file));
    let unparsed: Vec<Diagnostic> = parsed
        .unparsed
        .into_iter()
        .map(|error| names::parse_error(file, error, options.settings.parse_errors))
        .collect();
    let Some(ast) = parsed.ast else {
        return FileAnalysis {
            findings: unparsed,
            ..FileAnalysis::default()
        };
    };
    let mut rules: Vec<Box<dyn Rule>> = match &options.stats {
        Some(stats) => stats.timed_rules(&options.rules),
        None => options.rules.iter().map(|r| (r.new)()).collect(),
    };
    let walked = stats::time(stats, Phase::WalkRules, || {
        Walker::run(file, &ast, &mut rules, &options.settings)
    });
    let suppressions = suppress::collect(file, &ast, &options.settings);
    stats::time(stats, Phase::Parse, || drop(ast));
    let mut findings = walked.findings;
    findings.extend(unparsed);
    FileAnalysis {
        findings,
        summary: walked.summary,
        suppressions,
        configured: walked.configured,
        test_code: walked.test_code,
    }
}

/// The second phase for a unit (a package, or a loose file): builds its model from the files'
/// summaries and asks the enabled rules' crate-wide questions. The findings go to the files
/// they are in.
fn check_unit(
    package: Option<&Package>,
    files: &[(&Path, &FileSummary)],
    assumed: &[Assumption],
    options: &Options,
) -> UnitVerdict {
    let checks: Vec<_> = options.rules.iter().filter_map(|r| r.crate_check).collect();
    if checks.is_empty() && assumed.is_empty() {
        return UnitVerdict::default();
    }
    let placed = placed(package, files);
    let name = package.and_then(|p| p.name.as_deref());
    let model = Model::build(unit_files(files, &placed), name, &options.settings);
    let mut findings = Vec::new();
    for check in checks {
        check(&model, &mut findings);
    }
    let refuted = assumed
        .iter()
        .filter(|a| model.refutes(a))
        .cloned()
        .collect();
    UnitVerdict {
        findings,
        refuted,
        configured: model.configured_hits(),
        test_files: model.test_files().map(Path::to_path_buf).collect(),
    }
}

/// Where each file of a unit sits: its crate target and module path.
fn placed(
    package: Option<&Package>,
    files: &[(&Path, &FileSummary)],
) -> Vec<(String, Vec<String>)> {
    files
        .iter()
        .map(|(path, _)| {
            let relative = units::relative_to(package, path);
            model::module_of(&relative, package.is_some_and(|p| p.has_lib))
        })
        .collect()
}

/// The files of a unit as its model takes them.
fn unit_files<'a>(
    files: &[(&'a Path, &'a FileSummary)],
    placed: &'a [(String, Vec<String>)],
) -> Vec<UnitFile<'a>> {
    files
        .iter()
        .zip(placed)
        .map(|((path, summary), (target, module))| UnitFile {
            path,
            target,
            module,
            summary,
        })
        .collect()
}

/// Draws a unit's concurrency map from its files' summaries (the code of `members`, the files
/// linted, with the rest of the package for calls), with its findings attached, and hands it
/// to `sink`.
fn draw_unit(
    package: Option<&Package>,
    (files, members): (&[(&Path, &FileSummary)], &[&Path]),
    findings: &[Diagnostic],
    options: &Options,
    sink: &MapSink,
) {
    let placed = placed(package, files);
    let name = package.and_then(|p| p.name.as_deref());
    let model = Model::build(unit_files(files, &placed), name, &options.settings);
    let title = name.map_or_else(
        || {
            files.first().map_or_else(String::new, |(path, _)| {
                path.file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
            })
        },
        str::to_string,
    );
    sink.add(crate::report::map::build(
        &model,
        &title,
        (sink.root(), members),
        findings,
    ));
}

/// The assumptions the findings of some files make, each once.
fn assumptions<'a>(findings: impl Iterator<Item = &'a Diagnostic>) -> Vec<Assumption> {
    let mut found: Vec<Assumption> = Vec::new();
    for assumption in findings.flat_map(|d| &d.assumes) {
        if !found.contains(assumption) {
            found.push(assumption.clone());
        }
    }
    found
}

/// Drops the findings that make an assumption the unit's model refuted.
fn drop_refuted(findings: &mut Vec<Diagnostic>, refuted: &[Assumption]) {
    if !refuted.is_empty() {
        findings.retain(|d| !d.assumes.iter().any(|a| refuted.contains(a)));
    }
}

/// A file's final findings: its own and the crate-wide ones in it, suppressions applied, test
/// code left out (unless `include-tests`, or the rule checks tests), denied rules raised to
/// errors, sorted. `declared_test` says the package declares the file as a test module.
fn finish_file(
    path: &Path,
    mut findings: Vec<Diagnostic>,
    analysis: (&Suppressions, &TestCode),
    declared_test: bool,
    options: &Options,
) -> Vec<Diagnostic> {
    let (suppressions, test_code) = analysis;
    suppressions.apply(path, &options.rules, &mut findings);
    if !options.settings.include_tests {
        findings.retain(|diag| {
            let in_test = declared_test || test_code.covers(diag.span.start.line);
            !in_test || rules::find(diag.rule).is_none_or(|rule| rule.checks_tests)
        });
    }
    for diag in &mut findings {
        if options.deny.contains(&diag.rule) {
            diag.level = Level::Error;
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    findings
}

/// Lints one file's text (already read) as a unit of its own: both phases, suppressions and
/// levels applied. Calls between the file's functions are followed; other files are not read.
pub fn lint_source(file: &SourceFile, options: &Options) -> Vec<Diagnostic> {
    let analysis = analyze_source(file, options);
    let mut findings = analysis.findings;
    let assumed = assumptions(findings.iter());
    let verdict = stats::time(options.stats.as_deref(), Phase::Model, || {
        check_unit(None, &[(&file.path, &analysis.summary)], &assumed, options)
    });
    drop_refuted(&mut findings, &verdict.refuted);
    findings.extend(verdict.findings);
    finish_file(
        &file.path,
        findings,
        (&analysis.suppressions, &analysis.test_code),
        false,
        options,
    )
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

/// A file's first-phase result.
struct Analyzed {
    /// The walk's findings, summary (empty when `cached`) and suppressions.
    analysis: FileAnalysis,
    /// The file's text, when it has findings.
    source: Option<Arc<SourceFile>>,
    /// Its content hash, when a cache is in use.
    hash: Option<ContentHash>,
    /// Whether the walk's results came from the cache (its summary is then in the pack).
    cached: bool,
}

/// The first phase for one file on disk, answered from `cache` when the file is unchanged and
/// recorded there if not; a panic in concur is a per-file internal error. The text is kept when
/// the file has findings.
fn analyze_file(path: &Path, options: &Options, cache: Option<&Cache>) -> Result<Analyzed, Error> {
    let stats = options.stats.as_deref();
    let bytes = stats::time(stats, Phase::Read, || read_bytes(path))?;
    if let Some(stats) = stats {
        stats.count_file(bytes.len());
    }
    let (hash, len) = (
        cache.map(|_| {
            stats::time(stats, Phase::Cache, || {
                ContentHash::of_source(&bytes, options.settings.edition)
            })
        }),
        bytes.len(),
    );
    if let Some(analysis) = cache
        .zip(hash)
        .and_then(|(c, h)| stats::time(stats, Phase::Cache, || c.get(path, h, len)))
    {
        stats.inspect(|s| s.count_cache_hit());
        let source = if analysis.findings.is_empty() {
            None
        } else {
            Some(Arc::new(source_from_bytes(path, bytes)?))
        };
        return Ok(Analyzed {
            analysis,
            source,
            hash,
            cached: true,
        });
    }
    let file = source_from_bytes(path, bytes)?;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyze_source(&file, options)
    }));
    // proc-macro2 keeps every parsed file's text in a per-thread table until told to forget it.
    proc_macro2::extra::invalidate_current_thread_spans();
    let analysis = result.map_err(|panic| Error::Internal {
        path: path.to_path_buf(),
        message: panic
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into()),
    })?;
    if let Some((cache, hash)) = cache.zip(hash) {
        stats::time(stats, Phase::Cache, || {
            cache.put(path, hash, len, &analysis)
        });
    }
    let source = (!analysis.findings.is_empty()).then(|| Arc::new(file));
    Ok(Analyzed {
        analysis,
        source,
        hash,
        cached: false,
    })
}

/// Lints every file in `files` in parallel, package by package: the first phase per file,
/// then the package's crate-wide questions, so that only the summaries of the packages in
/// flight are held. Results are in a deterministic order.
pub fn lint_files(files: &[PathBuf], options: &Options) -> Report {
    let stats = options.stats.as_deref();
    let cache = options
        .cache_dir
        .as_deref()
        .map(|dir| stats::time(stats, Phase::Cache, || Cache::open(dir, options)));
    let units = group_by_unit(files);
    let run = || {
        units
            .par_iter()
            .map(|(package, members)| {
                lint_unit(package.as_deref(), members, options, cache.as_ref())
            })
            .collect::<Vec<_>>()
    };
    let parts = match rayon::ThreadPoolBuilder::new()
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
    let mut matched: HashSet<String> = HashSet::new();
    for (part, hits) in parts {
        report.diagnostics.extend(part.diagnostics);
        report.errors.extend(part.errors);
        report.sources.extend(part.sources);
        matched.extend(hits);
    }
    report.warnings = unmatched_entries(&options.settings, &matched);
    add_noted_sources(&mut report);
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// Warnings for configured `blocking-functions` and `lock-types` entries that no call or
/// function of the run matched: probably a typo or a stale entry.
fn unmatched_entries(settings: &Settings, matched: &HashSet<String>) -> Vec<String> {
    let blocking = settings
        .blocking_functions
        .iter()
        .map(|e| ("blocking-functions", e));
    let locks = settings.lock_types.iter().map(|e| ("lock-types", e));
    blocking
        .chain(locks)
        .filter(|(_, entry)| !matched.contains(*entry))
        .map(|(key, entry)| {
            format!(
                "options.{key} entry `{entry}` matches no call or function in the linted files \
                 (write it as `crate::module::name`, `my_crate::module::name` or a bare name)"
            )
        })
        .collect()
}

/// The units of the crate-wide model among `files`: the files of each package together, each
/// loose file alone, in a deterministic order.
fn group_by_unit(files: &[PathBuf]) -> Vec<(Option<Arc<Package>>, Vec<&Path>)> {
    let mut units = Units::default();
    let mut packages: BTreeMap<Arc<Package>, Vec<&Path>> = BTreeMap::new();
    let mut loose = Vec::new();
    for file in files {
        match units.package_of(file) {
            Some(package) => packages.entry(package).or_default().push(file),
            None => loose.push((None, vec![file.as_path()])),
        }
    }
    let mut grouped: Vec<_> = packages
        .into_iter()
        .map(|(package, members)| (Some(package), members))
        .collect();
    grouped.extend(loose);
    grouped
}

/// Both phases for one unit: every file's walk (in parallel), then the unit's crate-wide
/// questions, then each file's suppressions and levels. With a cache, a unit whose files are
/// all unchanged takes its crate-wide findings from it; otherwise the summaries of the
/// unchanged files come from the unit's pack (a file missing there is walked again).
fn lint_unit(
    package: Option<&Package>,
    members: &[&Path],
    options: &Options,
    cache: Option<&Cache>,
) -> (Report, Vec<String>) {
    let options = &*options.in_package(package);
    let analyses: Vec<_> = members
        .par_iter()
        .map(|path| {
            let analyzed = analyze_file(path, options, cache);
            if let Some(progress) = &options.progress {
                progress.file_done();
            }
            analyzed
        })
        .collect();
    let mut report = Report::default();
    let mut done: Vec<(&Path, Analyzed)> = Vec::new();
    for (path, result) in members.iter().zip(analyses) {
        match result {
            Ok(mut analyzed) => {
                if let Some(source) = analyzed.source.take() {
                    report.sources.insert(source.path.clone(), source);
                }
                done.push((*path, analyzed));
            }
            Err(err) => report.errors.push(err),
        }
    }
    // The rest of the package, when only some of its files are linted: their summaries make
    // the model whole; their own findings are not reported.
    let context = package.map_or_else(Vec::new, |p| context_files(p, members));
    let linted = done.len();
    let context_analyses: Vec<_> = context
        .par_iter()
        .map(|path| analyze_file(path, options, cache))
        .collect();
    for (path, result) in context.iter().zip(context_analyses) {
        if let Ok(analyzed) = result {
            done.push((path, analyzed));
        }
    }
    let verdict = stats::time(options.stats.as_deref(), Phase::Model, || {
        crate_wide_findings(package, members, &mut done, options, cache)
    });
    let mut hits = verdict.configured.clone();
    hits.extend(
        done.iter()
            .flat_map(|(_, a)| a.analysis.configured.iter().cloned()),
    );
    // The map needs every file's summary, the context files' too: moved aside (nothing below
    // reads them) only when a map is drawn.
    let map_summaries: Option<Vec<(PathBuf, FileSummary)>> = options.map.as_ref().map(|_| {
        done.iter_mut()
            .map(|(path, a)| (path.to_path_buf(), std::mem::take(&mut a.analysis.summary)))
            .collect()
    });
    done.truncate(linted);
    let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for diag in verdict.findings {
        by_file.entry(diag.path.clone()).or_default().push(diag);
    }
    for (path, analyzed) in done {
        let mut findings = analyzed.analysis.findings;
        drop_refuted(&mut findings, &verdict.refuted);
        findings.extend(by_file.remove(path).unwrap_or_default());
        report.diagnostics.extend(finish_file(
            path,
            findings,
            (
                &analyzed.analysis.suppressions,
                &analyzed.analysis.test_code,
            ),
            verdict.test_files.iter().any(|p| p == path),
            options,
        ));
    }
    if let (Some(sink), Some(summaries)) = (&options.map, &map_summaries) {
        let files: Vec<(&Path, &FileSummary)> =
            summaries.iter().map(|(p, s)| (p.as_path(), s)).collect();
        draw_unit(
            package,
            (&files, members),
            &report.diagnostics,
            options,
            sink,
        );
    }
    (report, hits)
}

/// The files of `package` that are not among `members` (when only part of it is linted).
fn context_files(package: &Package, members: &[&Path]) -> Vec<PathBuf> {
    let absolute: HashSet<PathBuf> = members
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
        .collect();
    let mut units = Units::default();
    discover(std::slice::from_ref(&package.root))
        .files
        .into_iter()
        .filter(|file| {
            let abs = std::path::absolute(file).unwrap_or_else(|_| file.clone());
            !absolute.contains(&abs)
                && units
                    .package_of(file)
                    .is_some_and(|p| p.root == package.root)
        })
        .collect()
}

/// The unit's crate-wide findings: from the cache when every file is unchanged, else asked of
/// its model (and recorded in the cache with the summaries).
fn crate_wide_findings(
    package: Option<&Package>,
    members: &[&Path],
    done: &mut [(&Path, Analyzed)],
    options: &Options,
    cache: Option<&Cache>,
) -> UnitVerdict {
    let assumed = assumptions(done.iter().flat_map(|(_, a)| &a.analysis.findings));
    if options.rules.iter().all(|r| r.crate_check.is_none()) && assumed.is_empty() {
        return UnitVerdict::default();
    }
    let key = package.map_or_else(
        || {
            members
                .first()
                .map_or_else(String::new, |p| p.display().to_string())
        },
        |p| p.root.display().to_string(),
    );
    let fingerprint = ContentHash::of(
        done.iter()
            .map(|(path, a)| format!("{}\0{:?}\n", path.display(), a.hash))
            .collect::<String>()
            .as_bytes(),
    );
    if let Some(cache) = cache
        && done.iter().all(|(_, a)| a.cached)
        && let Some(found) = cache.unit(&key, fingerprint)
    {
        return found;
    }
    if let Some(cache) = cache
        && done.iter().any(|(_, a)| a.cached)
    {
        let mut pack = cache.summaries(&key);
        for (path, analyzed) in done.iter_mut().filter(|(_, a)| a.cached) {
            match pack.remove(*path) {
                Some((hash, summary)) if Some(hash) == analyzed.hash => {
                    analyzed.analysis.summary = summary;
                }
                // No summary of this content: walk the file again for it.
                _ => {
                    if let Ok(source) = read_source(path) {
                        analyzed.analysis.summary = analyze_source(&source, options).summary;
                        proc_macro2::extra::invalidate_current_thread_spans();
                    }
                }
            }
        }
    }
    let unit: Vec<(&Path, &FileSummary)> = done
        .iter()
        .map(|(p, a)| (*p, &a.analysis.summary))
        .collect();
    let verdict = check_unit(package, &unit, &assumed, options);
    if let Some(cache) = cache {
        let summaries = done
            .iter()
            .filter_map(|(path, a)| {
                Some((path.to_path_buf(), (a.hash?, a.analysis.summary.clone())))
            })
            .collect();
        cache.put_unit(&key, fingerprint, &verdict, summaries);
    }
    verdict
}

/// Reads the files that findings and their notes point into but whose text the report does
/// not hold yet (a file that gained a crate-wide finding, a helper's file in a call chain).
fn add_noted_sources(report: &mut Report) {
    let wanted: Vec<PathBuf> = report
        .diagnostics
        .iter()
        .flat_map(|d| std::iter::once(&d.path).chain(d.notes.iter().map(|n| &n.path)))
        .filter(|p| !report.sources.contains_key(*p))
        .cloned()
        .collect();
    for path in wanted {
        if report.sources.contains_key(&path) {
            continue;
        }
        if let Ok(source) = read_source(&path) {
            report.sources.insert(path, Arc::new(source));
        }
    }
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
