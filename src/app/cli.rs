//! The command line both binaries run: argument types, and `run`, which maps a parsed command
//! to the library and picks the exit code.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, NoColor, StandardStream};

use crate::app::config::{self, ConfigError, Overrides, Resolver};
use crate::app::driver::{Driver, RunSettings};
use crate::app::map::MapArgs;
use crate::app::workspace::{self, Selection};
use crate::diagnostic::Level;
use crate::report::Report;
use crate::report::baseline::{self, Baseline};
use crate::report::fix::{self, FixMode};
use crate::report::packages::Packages;
use crate::report::render;
use crate::report::write::write_atomically;
use crate::rules::{self, CATEGORIES, FixKind, RULES};
use crate::semantic::settings::Edition;

const EXIT_HELP: &str = "Exit status:
  0  no findings (or only warnings, with --exit-zero)
  1  findings reported (errors from `deny` rules count even with --exit-zero)
  2  usage or configuration error, or nothing could be linted";

/// `concur`: lint Rust files and folders for concurrency mistakes.
#[derive(Debug, Parser)]
#[command(name = "concur", version, about, after_help = EXIT_HELP, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A subcommand; without one, concur lints PATHs.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// What to lint and how to report it.
    #[command(flatten)]
    pub lint: LintArgs,
}

/// `cargo concur`: lint the current cargo workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo-concur", bin_name = "cargo concur", version, about = "Lint a cargo workspace for concurrency mistakes", after_help = EXIT_HELP)]
pub struct CargoCli {
    /// `map`, or nothing to lint.
    #[command(subcommand)]
    pub command: Option<CargoCommand>,
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH", global = true)]
    pub manifest_path: Option<PathBuf>,
    /// Lint only this package (repeatable).
    #[arg(short = 'p', long = "package", value_name = "NAME", global = true)]
    pub packages: Vec<String>,
    /// Lint every workspace member (the default for a virtual manifest).
    #[arg(long, global = true)]
    pub workspace: bool,
    /// Leave this package out (with --workspace; repeatable).
    #[arg(long, value_name = "NAME", global = true)]
    pub exclude: Vec<String>,
    /// How to report.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Subcommands of `cargo concur`.
#[derive(Debug, Subcommand)]
pub enum CargoCommand {
    /// Draw the concurrency architecture of the workspace's packages: contexts, shared state,
    /// channels, lock order, with findings attached.
    Map {
        /// Format and destination.
        #[command(flatten)]
        args: MapArgs,
        /// Configuration flags.
        #[command(flatten)]
        config: ConfigArgs,
    },
}

/// Subcommands of `concur`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every rule, its default level and whether it can fix what it finds.
    Rules,
    /// Print the documentation of a rule.
    Explain {
        /// The rule name, e.g. `blocking_call_in_async`.
        rule: String,
    },
    /// Inspect the configuration.
    Config {
        /// Print the effective configuration for PATH and where each value came from.
        #[arg(long)]
        show: bool,
        /// The file or folder whose configuration to show.
        #[arg(value_name = "PATH", default_value = ".")]
        path: PathBuf,
        /// Configuration flags, as for a lint run.
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Run the language server over stdio (for editors).
    Lsp,
    /// Lint PATHs: the same as `concur PATH..` (ruff's spelling).
    Check(LintArgs),
    /// Print a shell completion script (`concur completions bash > /etc/bash_completion.d/concur`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print concur's man page (roff), made from the same definition as `--help`
    /// (`concur man > concur.1`).
    Man,
    /// Draw the concurrency architecture of the crates under PATHs: threads, tasks, pools,
    /// processes, locks, atomics and channels, who spawns, sends, receives and locks what, the
    /// lock order (cycles in red), with findings attached (`concur map -o map.html`).
    Map {
        /// Files or folders to map.
        #[arg(value_name = "PATH", default_value = ".")]
        paths: Vec<PathBuf>,
        /// Format and destination.
        #[command(flatten)]
        args: MapArgs,
        /// Configuration flags.
        #[command(flatten)]
        config: ConfigArgs,
    },
}

/// The subcommands' names, for "did you mean" on a mistyped one.
const SUBCOMMANDS: &[&str] = &[
    "rules",
    "explain",
    "config",
    "lsp",
    "check",
    "completions",
    "man",
    "map",
];

/// A subcommand `word` was probably meant to be: it names no file or folder, looks like no path,
/// and is within two edits of a subcommand's name (`explian`, `rule`).
fn mistyped_subcommand(word: &std::path::Path) -> Option<&'static str> {
    let word = word.to_str()?;
    if word.contains(['/', '\\', '.']) || std::path::Path::new(word).exists() {
        return None;
    }
    SUBCOMMANDS
        .iter()
        .map(|name| (strsim::levenshtein(word, name), *name))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, name)| name)
}

/// Paths and output options of a lint run.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to lint (folders are walked for `*.rs`, honouring `.gitignore`); `-`
    /// reads one file's source from standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// With `-`: lint standard input as if it were this file (its configuration and
    /// suppressions apply; findings name it), as editors and hooks need.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// How to report.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Output options shared by both binaries.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report in --format to FILE (atomically); the terminal gets human output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Exit 0 when only warnings are found (findings of `deny` rules still exit 1).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print the findings only: no summary line, no progress.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in FILE and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Configuration flags.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Fix flags.
    #[command(flatten)]
    pub fix: FixArgs,
    /// Cache and timing flags.
    #[command(flatten)]
    pub perf: PerfArgs,
}

/// Autofix flags: apply fixes, or show them as a diff.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// Apply safe (machine-applicable) fixes to the files, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply unsafe fixes (likely right, but review them).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change, and change nothing (exit 1 if any).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Print how many findings each rule and category has (and how many are fixable) instead
    /// of the findings.
    #[arg(long)]
    pub statistics: bool,
}

/// Result cache and timing flags, shared by both binaries.
#[derive(Debug, Args)]
pub struct PerfArgs {
    /// Lint every file, neither reading nor writing the result cache (`target/concur-cache` in
    /// a cargo project, else `.concur_cache/` in the linted folder).
    #[arg(long)]
    pub no_cache: bool,
    /// Print to stderr where the time went: per phase and per rule.
    #[arg(long)]
    pub stats: bool,
}

/// Configuration flags: which file, and rule levels that win over it.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this configuration file (`concur.toml`, or a `Cargo.toml` with a concur table)
    /// instead of searching for one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Run only these rules or categories (comma-separated or repeated; `all` for every
    /// rule).
    #[arg(long, value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules or categories.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Report a rule or category as a warning, running it (`-W pedantic`, `all`).
    #[arg(short = 'W', long = "warn", value_name = "RULE")]
    pub warn: Vec<String>,
    /// Report a rule or category as an error, running it (`all` for every rule).
    #[arg(short = 'D', long = "deny", value_name = "RULE")]
    pub deny: Vec<String>,
    /// Do not run a rule or category (`all` for every rule).
    #[arg(short = 'A', long = "allow", value_name = "RULE")]
    pub allow: Vec<String>,
    /// Report in test code too (`#[test]`, `#[cfg(test)]`, `tests/`, `benches/`, test
    /// modules), as `include-tests = true` does.
    #[arg(long)]
    pub include_tests: bool,
    /// The edition of files outside a cargo package (2015, 2018, 2021, 2024; default 2021, or
    /// `edition` in the configuration). A package's files use its `Cargo.toml`'s edition.
    #[arg(long, value_parser = parse_edition)]
    pub edition: Option<Edition>,
}

fn parse_edition(name: &str) -> Result<Edition, String> {
    Edition::parse(name).ok_or_else(|| "expected 2015, 2018, 2021 or 2024".to_string())
}

impl ConfigArgs {
    fn overrides(&self, jobs: Option<usize>) -> Result<Overrides, ConfigError> {
        let mut overrides = Overrides::new(
            &self.select,
            &self.ignore,
            &self.allow,
            &self.warn,
            &self.deny,
        )?;
        overrides.config_file.clone_from(&self.config);
        overrides.isolated = self.isolated;
        overrides.include_tests = self.include_tests;
        overrides.edition = self.edition;
        overrides.jobs = jobs;
        Ok(overrides)
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// One line per finding: `path:line:col: level[rule]: message`.
    Short,
    /// cargo `compiler-message` JSON lines (for rust-analyzer and scripts).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

/// Colour choice for human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when stdout is a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Runs `concur` with parsed arguments.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Rules) => print_rules(),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Config { show, path, config }) => show_config(show, &path, &config),
        None => {
            if let [word] = &cli.lint.paths[..]
                && let Some(name) = mistyped_subcommand(word)
            {
                eprintln!(
                    "error: unrecognized subcommand `{}`: no such file or folder either\n\n  \
                     tip: did you mean `concur {name}`?",
                    word.display()
                );
                return ExitCode::from(2);
            }
            lint(&cli.lint)
        }
        Some(Command::Check(args)) => lint(&args),
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "concur", &mut script);
            print_bytes(&script)
        }
        Some(Command::Man) => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            match clap_mangen::Man::new(command).render(&mut page) {
                Ok(()) => print_bytes(&page),
                Err(err) => {
                    eprintln!("error: making the man page: {err}");
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::Lsp) => crate::app::lsp::run(),
        Some(Command::Map {
            paths,
            args,
            config,
        }) => match config.overrides(args.jobs) {
            Ok(overrides) => crate::app::map::run(&paths, &args, overrides),
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::from(2)
            }
        },
    }
}

/// Writes generated text to stdout; a closed pipe (`| head`) is no error.
fn print_bytes(bytes: &[u8]) -> ExitCode {
    match std::io::stdout().lock().write_all(bytes) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: writing to stdout: {err}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn lint(args: &LintArgs) -> ExitCode {
    if args.stdin_filename.is_some() && args.paths != [PathBuf::from("-")] {
        eprintln!("error: `--stdin-filename` names the source read from `-`: pass `-` as the path");
        return ExitCode::from(2);
    }
    lint_and_report(
        &args.paths,
        args.stdin_filename.as_deref(),
        &Packages::default(),
        &args.output,
        crate::app::cache::dir_for(&args.paths),
    )
}

/// Runs `cargo concur` with parsed arguments.
pub fn run_cargo(cli: CargoCli) -> ExitCode {
    let selection = Selection {
        manifest_path: cli.manifest_path,
        packages: cli.packages,
        workspace: cli.workspace,
        exclude: cli.exclude,
    };
    let ws = match workspace::load(&selection) {
        Ok(ws) => ws,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(2);
        }
    };
    if let Some(CargoCommand::Map { args, config }) = &cli.command {
        return match config.overrides(args.jobs) {
            Ok(overrides) => crate::app::map::run(&ws.paths, args, overrides),
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::from(2)
            }
        };
    }
    let cache_dir = ws.target_dir.join(crate::app::cache::TARGET_SUBDIR);
    lint_and_report(&ws.paths, None, &ws.packages, &cli.output, cache_dir)
}

fn show_config(show: bool, path: &Path, args: &ConfigArgs) -> ExitCode {
    if !show {
        eprintln!("error: `concur config` needs `--show`");
        return ExitCode::from(2);
    }
    let result = args.overrides(None).and_then(|overrides| {
        let mut resolver = Resolver::new(overrides);
        let file = resolver.file_for(path)?;
        Ok(config::effective(file, resolver.overrides()))
    });
    match result {
        Ok(effective) => {
            print!("{}", config::show(&effective));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// Lints the source on standard input as the file `name` (`<stdin>` without one).
fn lint_stdin(driver: &mut Driver, name: Option<&Path>) -> Result<Report, ConfigError> {
    let mut text = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut text) {
        return Ok(Report {
            errors: vec![crate::error::Error::Io {
                path: PathBuf::from("-"),
                source: err,
            }],
            ..Report::default()
        });
    }
    let path = name.map_or_else(|| PathBuf::from("<stdin>"), Path::to_path_buf);
    let file = std::sync::Arc::new(crate::source::SourceFile::new(path.clone(), text));
    let diagnostics = driver.lint_source(&file);
    let mut report = Report {
        diagnostics,
        files: 1,
        ..Report::default()
    };
    report.sources.insert(path, file);
    Ok(report)
}

fn lint_and_report(
    paths: &[PathBuf],
    stdin_filename: Option<&Path>,
    packages: &Packages,
    output: &OutputArgs,
    cache_dir: PathBuf,
) -> ExitCode {
    if output.fix.unsafe_fixes && !output.fix.fix && !output.fix.diff {
        eprintln!(
            "error: `--unsafe-fixes` applies only with `--fix` or `--diff`\n\n  tip: \
             `concur --fix --unsafe-fixes` applies them, `concur --diff --unsafe-fixes` shows them"
        );
        return ExitCode::from(2);
    }
    let overrides = match output.config.overrides(output.jobs) {
        Ok(overrides) => overrides,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let fixing = output.fix.fix || output.fix.diff;
    let run = RunSettings {
        // Fixes need every finding's source text, which cached results do not keep.
        cache_dir: (!output.perf.no_cache && !fixing).then_some(cache_dir),
        stats: output.perf.stats.then(Default::default),
        // Progress only for a person watching: a terminal, and no machine format on stdout.
        progress: (std::io::stderr().is_terminal()
            && !output.quiet
            && matches!(output.format, Format::Human | Format::Short))
        .then(Default::default),
        map: None,
    };
    let progress = run.progress.clone();
    let mut driver = Driver::new(overrides, run);
    let linted = if paths == [PathBuf::from("-")] {
        if output.fix.fix || output.fix.diff {
            eprintln!("error: `--fix` and `--diff` change files; standard input is none");
            return ExitCode::from(2);
        }
        lint_stdin(&mut driver, stdin_filename)
    } else {
        driver.lint_paths(paths)
    };
    if let Some(progress) = progress {
        progress.finish();
    }
    let mut report = match linted {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let code = report_and_exit(&mut report, packages, output, &mut driver);
    if let Some(stats) = driver.stats() {
        let jobs = output.jobs.unwrap_or_else(rayon::current_num_threads);
        let _ = stats.write(jobs, &mut std::io::stderr().lock());
    }
    code
}

/// Applies `--fix`/`--diff`, relinting each fixed file with the configuration that applies to it
/// (suppressions included), and prints the summary. Returns whether `--diff` found changes.
fn apply_fixes(report: &mut Report, output: &OutputArgs, driver: &mut Driver) -> bool {
    let mode = if output.fix.unsafe_fixes {
        FixMode::Unsafe
    } else {
        FixMode::Safe
    };
    let driver = std::cell::RefCell::new(driver);
    let relint = |file: &crate::source::SourceFile| driver.borrow_mut().lint_source(file);
    let summary = fix::fix_report(report, mode, output.fix.fix, &relint);
    for problem in &summary.problems {
        eprintln!("error: {problem}");
    }
    if output.fix.diff {
        print!("{}", summary.diff);
        eprintln!(
            "{} would change {} (--diff changes nothing)",
            render::plural(summary.applied, "fix"),
            render::plural(summary.files, "file")
        );
        let more = fix::fixable(&report.diagnostics, FixMode::Unsafe)
            - fix::fixable(&report.diagnostics, FixMode::Safe);
        if mode == FixMode::Safe && more > 0 {
            eprintln!(
                "{} more with --unsafe-fixes (likely right, but review them)",
                render::plural(more, "fix")
            );
        }
    } else {
        let remaining = fix::fixable(&report.diagnostics, FixMode::Unsafe);
        eprintln!(
            "fixed {} in {}; {} remain, {} of them fixable{}",
            render::plural(summary.applied, "finding"),
            render::plural(summary.files, "file"),
            render::plural(report.diagnostics.len(), "finding"),
            remaining,
            if mode == FixMode::Safe && remaining > 0 {
                " with --unsafe-fixes"
            } else {
                ""
            }
        );
    }
    summary.files > 0
}

fn report_and_exit(
    report: &mut Report,
    packages: &Packages,
    output: &OutputArgs,
    driver: &mut Driver,
) -> ExitCode {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(path) = &output.write_baseline {
        let baseline = Baseline::from_report(report, &baseline::dir_of(path));
        if let Err(err) = baseline.save(path) {
            eprintln!("error: {err:#}");
            return ExitCode::from(2);
        }
        eprintln!(
            "wrote {} findings to baseline {}",
            baseline.findings.len(),
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    if let Some(path) = &output.baseline {
        match Baseline::load(path) {
            Ok(baseline) => {
                baseline.filter(report, &baseline::dir_of(path));
            }
            Err(err) => {
                eprintln!("error: {err:#}");
                return ExitCode::from(2);
            }
        }
    }
    if output.fix.fix || output.fix.diff {
        let changes = apply_fixes(report, output, driver);
        if output.fix.diff {
            return ExitCode::from(u8::from(changes));
        }
    }
    if output.fix.statistics {
        print!("{}", render::statistics(&report.diagnostics));
        return exit_code(report, output.exit_zero);
    }
    let stats = driver.stats();
    let result = crate::app::stats::time(stats, crate::app::stats::Phase::Render, || match &output
        .output
    {
        Some(file) => {
            let mut buffer = Vec::new();
            render(report, packages, output.format, &mut buffer)
                .and_then(|()| Ok(write_atomically(file, &buffer, None)?))
                .map_err(|err| (format!("writing {}", file.display()), err))
                .and_then(|()| {
                    render_stdout(report, packages, Format::Human, output.color, output.quiet)
                })
        }
        None => render_stdout(report, packages, output.format, output.color, output.quiet),
    });
    match result {
        Err((what, err)) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: {what}: {err}");
            return ExitCode::from(2);
        }
        _ => {}
    }
    exit_code(report, output.exit_zero)
}

fn render_stdout(
    report: &Report,
    packages: &Packages,
    format: Format,
    color: Color,
    quiet: bool,
) -> Result<(), (String, std::io::Error)> {
    let result = if format == Format::Human {
        let choice = match color {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if std::io::stdout().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        };
        let stream = StandardStream::stdout(choice);
        let mut lock = stream.lock();
        render::human::render(report, &mut lock, !quiet)
    } else {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        render(report, packages, format, &mut lock).and_then(|()| lock.flush())
    };
    result.map_err(|err| ("writing output".to_string(), err))
}

/// Writes `report` in `format` (without colour); path errors go to stderr for the machine
/// formats that have no place for them.
fn render(
    report: &Report,
    packages: &Packages,
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if matches!(format, Format::Json | Format::Sarif) {
        for err in &report.errors {
            eprintln!("error: {err}");
        }
    }
    match format {
        Format::Human => {
            let mut plain = NoColor::new(out);
            render::human::render(report, &mut plain, true)
        }
        Format::Short => render::short::render(report, out),
        Format::Json => render::json::render(report, packages, out),
        Format::Sarif => render::sarif::render(report, out),
        Format::Github => render::github::render(report, out),
    }
}

/// The documented exit status: 2 when nothing could be linted; 1 on errors (denied rules,
/// parse errors, unreadable paths) and on warnings unless `exit_zero`; else 0.
pub fn exit_code(report: &Report, exit_zero: bool) -> ExitCode {
    let errors =
        report.diagnostics.iter().any(|d| d.level == Level::Error) || !report.errors.is_empty();
    let warnings = report.diagnostics.iter().any(|d| d.level == Level::Warning);
    if report.files == 0 && !report.errors.is_empty() {
        ExitCode::from(2)
    } else if errors || (!exit_zero && warnings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_rules() -> ExitCode {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    println!(
        "{:width$}  {:11}  {:7}  {:7}  summary",
        "rule", "category", "level", "fix"
    );
    for rule in RULES {
        let fix = match rule.fix {
            FixKind::None => "-",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::Display => "display",
        };
        println!(
            "{:width$}  {:11}  {:7}  {:7}  {}",
            rule.name,
            rule.category.name(),
            rule.default_level().map_or("off", Level::as_str),
            fix,
            rule.summary
        );
    }
    println!("\ncategories (select, ignore and -W/-D/-A take them like rule names):");
    for category in CATEGORIES {
        println!("  {:11}  {}", category.name(), category.summary());
    }
    ExitCode::SUCCESS
}

fn explain(name: &str) -> ExitCode {
    if let Some(rule) = rules::find(name) {
        print!("{}", rule.doc);
        println!(
            "\nCategory: `{}` ({}).",
            rule.category.name(),
            rule.category.summary()
        );
        return ExitCode::SUCCESS;
    }
    eprintln!("error: unknown rule `{name}`");
    let similar = rules::similar_names(name);
    if !similar.is_empty() {
        eprintln!(
            "help: did you mean {}?",
            similar
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        );
    }
    eprintln!("help: `concur rules` lists every rule");
    ExitCode::from(2)
}
