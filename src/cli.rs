//! The command line both binaries run: argument types, and `run`, which maps a parsed command
//! to the library and picks the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::lint::{self, Options, Report};
use crate::rules::{self, FixKind, RULES};
use crate::workspace::{self, Packages, Selection};

const EXIT_HELP: &str = "Exit status:
  0  no findings
  1  findings reported
  2  usage error, or nothing could be linted (every path missing or unreadable)";

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
    /// Path to Cargo.toml.
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Lint only this package (repeatable).
    #[arg(short = 'p', long = "package", value_name = "NAME")]
    pub packages: Vec<String>,
    /// Lint every workspace member (the default for a virtual manifest).
    #[arg(long)]
    pub workspace: bool,
    /// Leave this package out (with --workspace; repeatable).
    #[arg(long, value_name = "NAME")]
    pub exclude: Vec<String>,
    /// How to report.
    #[command(flatten)]
    pub output: OutputArgs,
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
}

/// Paths and output options of a lint run.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to lint (folders are walked for `*.rs`, honouring `.gitignore`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
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
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Cache and timing options.
    #[command(flatten)]
    pub perf: PerfArgs,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Human,
    /// cargo `compiler-message` JSON lines (for rust-analyzer and scripts).
    Json,
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
        None => {
            let options = options(&cli.lint.output, PathBuf::from(crate::cache::DEFAULT_DIR));
            let report = lint::lint_paths(&cli.lint.paths, &options);
            finish_timed(&report, &Packages::default(), &cli.lint.output, &options)
        }
    }
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
    let options = options(&cli.output, ws.target_dir.join(crate::cache::TARGET_SUBDIR));
    let report = lint::lint_paths(&ws.paths, &options);
    finish_timed(&report, &ws.packages, &cli.output, &options)
}

fn options(output: &OutputArgs, cache_dir: PathBuf) -> Options {
    Options {
        jobs: output.jobs,
        cache_dir: (!output.perf.no_cache).then_some(cache_dir),
        stats: output.perf.stats.then(Default::default),
        ..Options::default()
    }
}

/// [`finish`], timed as the render phase, then the `--stats` table.
fn finish_timed(
    report: &Report,
    packages: &Packages,
    output: &OutputArgs,
    options: &Options,
) -> ExitCode {
    let stats = options.stats.as_deref();
    let code = crate::stats::time(stats, crate::stats::Phase::Render, || {
        finish(report, packages, output)
    });
    if let Some(stats) = stats {
        let jobs = options.jobs.unwrap_or_else(rayon::current_num_threads);
        let _ = stats.write(jobs, &mut std::io::stderr().lock());
    }
    code
}

fn finish(report: &Report, packages: &Packages, output: &OutputArgs) -> ExitCode {
    let result = match output.format {
        Format::Human => {
            let choice = match output.color {
                Color::Always => ColorChoice::Always,
                Color::Never => ColorChoice::Never,
                Color::Auto if std::io::stdout().is_terminal() => ColorChoice::Auto,
                Color::Auto => ColorChoice::Never,
            };
            let stream = StandardStream::stdout(choice);
            let mut lock = stream.lock();
            crate::render::human::render(report, &mut lock)
        }
        Format::Json => {
            for err in &report.errors {
                eprintln!("error: {err}");
            }
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            crate::render::json::render(report, packages, &mut lock).and_then(|()| lock.flush())
        }
    };
    match result {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: writing output: {err}");
            return ExitCode::from(2);
        }
        _ => {}
    }
    exit_code(report)
}

/// The documented exit status: 2 when nothing could be linted, 1 on findings or path errors,
/// 0 when clean.
pub fn exit_code(report: &Report) -> ExitCode {
    if report.files == 0 && !report.errors.is_empty() {
        ExitCode::from(2)
    } else if !report.diagnostics.is_empty() || !report.errors.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_rules() -> ExitCode {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    println!("{:width$}  {:7}  {:7}  summary", "rule", "level", "fix");
    for rule in RULES {
        let fix = match rule.fix {
            FixKind::None => "-",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::Display => "display",
        };
        println!(
            "{:width$}  {:7}  {:7}  {}",
            rule.name,
            rule.default_level.as_str(),
            fix,
            rule.summary
        );
    }
    ExitCode::SUCCESS
}

fn explain(name: &str) -> ExitCode {
    if let Some(rule) = rules::find(name) {
        print!("{}", rule.doc);
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

/// Result cache and timing flags (issue 10), shared by both binaries.
#[derive(Debug, Args)]
pub struct PerfArgs {
    /// Lint every file, neither reading nor writing the result cache (`.concur_cache/`, or
    /// `target/concur-cache` for `cargo concur`).
    #[arg(long)]
    pub no_cache: bool,
    /// Print to stderr where the time went: per phase and per rule.
    #[arg(long)]
    pub stats: bool,
}
