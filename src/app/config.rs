//! Configuration: `concur.toml`, or `[package.metadata.concur]` / `[workspace.metadata.concur]`
//! in `Cargo.toml`, found by walking up from each linted file (nearest wins), then command-line
//! flags on top. The result is the [`Options`] the lint run, the rules and the cache see.
//!
//! ```toml
//! select = ["correctness", "perf", "thread_per_item"]   # rules or categories; default:
//! ignore = ["spawn_then_join"]                           # correctness, security, perf, suspicious
//! exclude = ["generated/**", "vendor/"]
//! require-reason = true            # suppression comments must say `-- why`
//! include-tests = true             # lint test code too (default: skipped)
//! edition = "2024"                 # for files outside a cargo package (default: 2021)
//! parse-errors = "warn"            # files syn cannot parse: note (default) | warn | deny
//!
//! [rules]
//! thread_per_item = "deny"         # allow | warn | deny
//! pedantic = "warn"                # a category: every rule in it
//!
//! [options]
//! blocking-functions = ["my_crate::io::read_all"]
//! lock-types = ["my_crate::sync::FairMutex"]
//! heavy-loop-bound = 1000
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::app::options::Options;
use crate::diagnostic::Level;
use crate::rules::{self, RULES};
use crate::semantic::settings::{Edition, Settings};

/// The file name concur looks for in every folder.
pub const CONFIG_FILE: &str = "concur.toml";

const TOP_KEYS: &[&str] = &[
    "select",
    "ignore",
    "exclude",
    "require-reason",
    "include-tests",
    "edition",
    "parse-errors",
    "rules",
    "options",
];
const OPTION_KEYS: &[&str] = &["blocking-functions", "lock-types", "heavy-loop-bound"];
const LEVELS: &[&str] = &["allow", "warn", "deny"];

/// What a configured rule level does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleLevel {
    /// The rule does not run.
    Allow,
    /// Findings are warnings.
    Warn,
    /// Findings are errors (and fail the run even with `--exit-zero`).
    Deny,
}

impl RuleLevel {
    /// The word used in config files.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Allow => "allow",
            RuleLevel::Warn => "warn",
            RuleLevel::Deny => "deny",
        }
    }

    fn parse(word: &str) -> Option<RuleLevel> {
        match word {
            "allow" => Some(RuleLevel::Allow),
            "warn" => Some(RuleLevel::Warn),
            "deny" => Some(RuleLevel::Deny),
            _ => None,
        }
    }
}

/// Where a configured value came from, for `concur config --show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// concur's default.
    Default,
    /// A config file, at a line and column.
    File {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A command-line flag.
    Cli(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File { path, line, column } => write!(f, "{}:{line}:{column}", path.display()),
            Origin::Cli(flag) => write!(f, "command line `{flag}`"),
        }
    }
}

/// A bad configuration: where, what, and the valid choices.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The config file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A bad key, value or TOML syntax, at a position.
    #[error("{}:{line}:{column}: {message}{}", path.display(), help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
        /// The closest valid name, or the valid choices.
        help: Option<String>,
    },
    /// A bad value given on the command line.
    #[error("{flag}: {message}{}", help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
    Cli {
        /// The flag.
        flag: &'static str,
        /// What is wrong.
        message: String,
        /// The closest valid name, or the valid choices.
        help: Option<String>,
    },
}

/// One layer of rule selection: a config file's, or the command line's.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Only these rules (`None`: all).
    pub select: Option<(Vec<&'static str>, Origin)>,
    /// Never these rules.
    pub ignore: Vec<(&'static str, Origin)>,
    /// Explicit levels, in the order given (later wins).
    pub levels: Vec<(&'static str, RuleLevel, Origin)>,
}

/// Command-line overrides, applied on top of whatever file is found.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--select`, `--ignore`, `-A/-W/-D`.
    pub layer: Layer,
    /// `--config FILE`: use this file for every path instead of searching.
    pub config_file: Option<PathBuf>,
    /// `--isolated`: use no file at all.
    pub isolated: bool,
    /// `--include-tests`: report in test code too, whatever the file says.
    pub include_tests: bool,
    /// `--edition`: the edition of files outside a cargo package, whatever the file says.
    pub edition: Option<Edition>,
    /// `-j`.
    pub jobs: Option<usize>,
}

impl Overrides {
    /// Builds the command-line layer; unknown rule names are errors naming the closest rule.
    pub fn new(
        select: &[String],
        ignore: &[String],
        allow: &[String],
        warn: &[String],
        deny: &[String],
    ) -> Result<Overrides, ConfigError> {
        let names =
            |flag: &'static str, list: &[String]| -> Result<Vec<&'static str>, ConfigError> {
                let mut out = Vec::new();
                for item in list
                    .iter()
                    .flat_map(|s| s.split(','))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                {
                    match rules::selected_by(item) {
                        Some(selected) => out.extend(selected.into_iter().map(|r| r.name)),
                        None => {
                            return Err(ConfigError::Cli {
                                flag,
                                message: format!("unknown rule or category `{item}`"),
                                help: Some(rules::unknown_rule_help(item)),
                            });
                        }
                    }
                }
                Ok(out)
            };
        let mut layer = Layer::default();
        if !select.is_empty() {
            layer.select = Some((names("--select", select)?, Origin::Cli("--select")));
        }
        layer.ignore = names("--ignore", ignore)?
            .into_iter()
            .map(|r| (r, Origin::Cli("--ignore")))
            .collect();
        // A rule named by several of -A/-W/-D gets the strongest: deny over warn over allow.
        for (flag, list, level) in [
            ("-A", allow, RuleLevel::Allow),
            ("-W", warn, RuleLevel::Warn),
            ("-D", deny, RuleLevel::Deny),
        ] {
            layer.levels.extend(
                names(flag, list)?
                    .into_iter()
                    .map(|r| (r, level, Origin::Cli(flag))),
            );
        }
        Ok(Overrides {
            layer,
            ..Overrides::default()
        })
    }
}

/// A parsed configuration file.
#[derive(Debug, Clone)]
pub struct FileConfig {
    /// The file (`concur.toml` or a `Cargo.toml`).
    pub path: PathBuf,
    /// Its folder: exclude globs are relative to it.
    pub root: PathBuf,
    /// Its rule selection.
    pub layer: Layer,
    /// `exclude` globs as written.
    pub exclude: Vec<String>,
    exclude_set: GlobSet,
    /// Rule options.
    pub settings: Settings,
    /// Where each set option came from, by key (`options.lock-types`, `require-reason`).
    pub origins: BTreeMap<String, Origin>,
}

impl FileConfig {
    /// Whether `file` matches an `exclude` glob (tested on the path relative to the config's
    /// folder, and on each of its parent folders).
    pub fn excludes(&self, file: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let Ok(rel) = abs.strip_prefix(&self.root) else {
            return false;
        };
        rel.ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.exclude_set.is_match(p))
    }
}

/// The effective configuration for one group of files.
#[derive(Debug, Clone)]
pub struct Effective {
    /// The file found (or given), if any.
    pub file: Option<Arc<FileConfig>>,
    /// Each rule's level and where it came from.
    pub levels: Vec<(&'static str, RuleLevel, Origin)>,
    /// The options the run sees.
    pub options: Options,
}

/// Combines a file's layer and the command line's into options.
pub fn effective(file: Option<Arc<FileConfig>>, overrides: &Overrides) -> Effective {
    let mut levels: Vec<(&'static str, RuleLevel, Origin)> = RULES
        .iter()
        .map(|r| (r.name, default_level(r.name), Origin::Default))
        .collect();
    let layers = file
        .as_ref()
        .map(|f| &f.layer)
        .into_iter()
        .chain([&overrides.layer]);
    for layer in layers {
        if let Some((select, origin)) = &layer.select {
            for entry in levels.iter_mut() {
                if !select.contains(&entry.0) {
                    *entry = (entry.0, RuleLevel::Allow, origin.clone());
                } else if entry.1 == RuleLevel::Allow {
                    // Selected: on at its category's level (a later layer's select also turns
                    // back on what an earlier one left out).
                    *entry = (entry.0, enabled_level(entry.0), origin.clone());
                }
            }
        }
        for (name, origin) in &layer.ignore {
            for entry in levels.iter_mut().filter(|e| e.0 == *name) {
                *entry = (entry.0, RuleLevel::Allow, origin.clone());
            }
        }
        for (name, level, origin) in &layer.levels {
            for entry in levels.iter_mut().filter(|e| e.0 == *name) {
                *entry = (entry.0, *level, origin.clone());
            }
        }
    }
    let options = Options {
        rules: RULES
            .iter()
            .filter(|r| {
                levels
                    .iter()
                    .any(|(n, l, _)| *n == r.name && *l != RuleLevel::Allow)
            })
            .collect(),
        deny: levels
            .iter()
            .filter(|(_, l, _)| *l == RuleLevel::Deny)
            .map(|(n, _, _)| *n)
            .collect(),
        settings: Settings {
            include_tests: overrides.include_tests
                || file.as_ref().is_some_and(|f| f.settings.include_tests),
            edition: overrides.edition.unwrap_or_else(|| {
                file.as_ref()
                    .map_or_else(Edition::default, |f| f.settings.edition)
            }),
            ..file
                .as_ref()
                .map(|f| f.settings.clone())
                .unwrap_or_default()
        },
        jobs: overrides.jobs,
        ..Options::default()
    };
    Effective {
        file,
        levels,
        options,
    }
}

/// A rule's level when nothing configures it: its category's (`pedantic` and `nursery` rules
/// are off).
fn default_level(rule: &str) -> RuleLevel {
    match rules::find(rule).and_then(|r| r.default_level()) {
        Some(level) => RuleLevel::from(level),
        None => RuleLevel::Allow,
    }
}

/// A rule's level once selected: its category's, a warning for rules off by default.
fn enabled_level(rule: &str) -> RuleLevel {
    rules::find(rule).map_or(RuleLevel::Warn, |r| {
        RuleLevel::from(r.category.enabled_level())
    })
}

impl From<Level> for RuleLevel {
    fn from(level: Level) -> RuleLevel {
        match level {
            Level::Error => RuleLevel::Deny,
            Level::Warning | Level::Note => RuleLevel::Warn,
        }
    }
}

/// Finds and caches the configuration of each folder.
#[derive(Debug, Default)]
pub struct Resolver {
    overrides: Overrides,
    by_dir: HashMap<PathBuf, Option<Arc<FileConfig>>>,
    by_file: HashMap<PathBuf, Arc<FileConfig>>,
}

impl Resolver {
    /// A resolver applying `overrides` (which may name a fixed file or none).
    pub fn new(overrides: Overrides) -> Self {
        Resolver {
            overrides,
            ..Resolver::default()
        }
    }

    /// The command-line overrides.
    pub fn overrides(&self) -> &Overrides {
        &self.overrides
    }

    /// The configuration file that applies to `path` (a file or folder): `--config`, nothing
    /// with `--isolated`, else the nearest `concur.toml` or `Cargo.toml` with a concur table
    /// in `path`'s folder or above.
    pub fn file_for(&mut self, path: &Path) -> Result<Option<Arc<FileConfig>>, ConfigError> {
        if self.overrides.isolated {
            return Ok(None);
        }
        if let Some(file) = self.overrides.config_file.clone() {
            return self.load(&file).map(Some);
        }
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let start = if abs.is_dir() {
            abs.as_path()
        } else {
            abs.parent().unwrap_or(&abs)
        };
        let mut visited = Vec::new();
        let mut found = None;
        for dir in start.ancestors() {
            if let Some(cached) = self.by_dir.get(dir) {
                found = cached.clone();
                break;
            }
            visited.push(dir.to_path_buf());
            if let Some(file) = config_in(dir) {
                found = Some(self.load(&file)?);
                break;
            }
        }
        for dir in visited {
            self.by_dir.insert(dir, found.clone());
        }
        Ok(found)
    }

    fn load(&mut self, path: &Path) -> Result<Arc<FileConfig>, ConfigError> {
        if let Some(config) = self.by_file.get(path) {
            return Ok(config.clone());
        }
        let config = Arc::new(load_file(path)?);
        self.by_file.insert(path.to_path_buf(), config.clone());
        Ok(config)
    }
}

/// The config file in `dir`, if any: `concur.toml`, else a `Cargo.toml` with a concur table.
fn config_in(dir: &Path) -> Option<PathBuf> {
    let own = dir.join(CONFIG_FILE);
    if own.is_file() {
        return Some(own);
    }
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).ok()?;
    if !text.contains("concur") {
        return None;
    }
    let table = DeTable::parse(&text).ok()?;
    cargo_table(table.get_ref()).is_some().then_some(manifest)
}

/// `[package.metadata.concur]`, else `[workspace.metadata.concur]`.
fn cargo_table<'a, 'i>(doc: &'a DeTable<'i>) -> Option<&'a Spanned<DeValue<'i>>> {
    ["package", "workspace"].into_iter().find_map(|section| {
        doc.get(section)?
            .get_ref()
            .as_table()?
            .get("metadata")?
            .get_ref()
            .as_table()?
            .get("concur")
    })
}

/// Reads and validates one config file (`concur.toml`, or a `Cargo.toml`'s concur table).
pub fn load_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parser = Parser {
        path: &abs,
        text: &text,
    };
    let doc = DeTable::parse(&text)
        .map_err(|err| parser.error(err.span().unwrap_or(0..0), err.message().trim(), None))?;
    let is_manifest = abs.file_name().is_some_and(|n| n == "Cargo.toml");
    let empty = DeTable::default();
    let table = if is_manifest {
        match cargo_table(doc.get_ref()) {
            Some(value) => parser.table(value, "metadata.concur")?,
            None => &empty,
        }
    } else {
        doc.get_ref()
    };
    parser.config(table, abs.parent().unwrap_or(Path::new("/")).to_path_buf())
}

struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Parser<'_> {
    fn origin(&self, span: std::ops::Range<usize>) -> Origin {
        let before = &self.text[..span.start.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Origin::File {
            path: self.path.to_path_buf(),
            line,
            column,
        }
    }

    fn error(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        let Origin::File { line, column, .. } = self.origin(span) else {
            unreachable!("origin of a span is a file position")
        };
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
            help,
        }
    }

    fn table<'t, 'i>(
        &self,
        value: &'t Spanned<DeValue<'i>>,
        key: &str,
    ) -> Result<&'t DeTable<'i>, ConfigError> {
        value.get_ref().as_table().ok_or_else(|| {
            self.error(
                value.span(),
                format!(
                    "`{key}` must be a table, found {}",
                    value.get_ref().type_str()
                ),
                None,
            )
        })
    }

    fn strings(
        &self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
    ) -> Result<Vec<(String, std::ops::Range<usize>)>, ConfigError> {
        let bad = || {
            self.error(
                value.span(),
                format!("`{key}` must be a list of strings"),
                Some(format!("write `{key} = [\"...\"]`")),
            )
        };
        let array = value.get_ref().as_array().ok_or_else(bad)?;
        array
            .iter()
            .map(|item| {
                item.get_ref()
                    .as_str()
                    .map(|s| (s.to_string(), item.span()))
                    .ok_or_else(bad)
            })
            .collect()
    }

    fn boolean(&self, value: &Spanned<DeValue<'_>>, key: &str) -> Result<bool, ConfigError> {
        value.get_ref().as_bool().ok_or_else(|| {
            self.error(
                value.span(),
                format!("`{key}` must be `true` or `false`"),
                None,
            )
        })
    }

    fn edition(&self, value: &Spanned<DeValue<'_>>) -> Result<Edition, ConfigError> {
        value
            .get_ref()
            .as_str()
            .and_then(Edition::parse)
            .ok_or_else(|| {
                self.error(
                    value.span(),
                    "`edition` must be one of \"2015\", \"2018\", \"2021\", \"2024\"",
                    Some("it applies to files outside a cargo package; a package's own edition comes from its `Cargo.toml`".into()),
                )
            })
    }

    fn rule_names(
        &self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
    ) -> Result<Vec<&'static str>, ConfigError> {
        self.strings(value, key)?
            .into_iter()
            .map(|(name, span)| {
                rules::selected_by(&name).ok_or_else(|| {
                    self.error(
                        span,
                        format!("unknown rule or category `{name}` in `{key}`"),
                        Some(rules::unknown_rule_help(&name)),
                    )
                })
            })
            .map(|selected| Ok(selected?.into_iter().map(|r| r.name)))
            .collect::<Result<Vec<_>, _>>()
            .map(|lists| lists.into_iter().flatten().collect())
    }

    fn config(&self, table: &DeTable<'_>, root: PathBuf) -> Result<FileConfig, ConfigError> {
        let mut layer = Layer::default();
        let mut exclude = Vec::new();
        let mut settings = Settings::default();
        let mut origins = BTreeMap::new();
        for (key, value) in table {
            let origin = self.origin(value.span());
            match key.get_ref().as_ref() {
                "select" => layer.select = Some((self.rule_names(value, "select")?, origin)),
                "ignore" => {
                    layer.ignore = self
                        .rule_names(value, "ignore")?
                        .into_iter()
                        .map(|r| (r, origin.clone()))
                        .collect();
                }
                "exclude" => {
                    exclude = self
                        .strings(value, "exclude")?
                        .into_iter()
                        .map(|(s, _)| s)
                        .collect();
                    origins.insert("exclude".into(), origin);
                }
                "require-reason" => {
                    settings.require_reason = self.boolean(value, "require-reason")?;
                    origins.insert("require-reason".into(), origin);
                }
                "include-tests" => {
                    settings.include_tests = self.boolean(value, "include-tests")?;
                    origins.insert("include-tests".into(), origin);
                }
                "edition" => {
                    settings.edition = self.edition(value)?;
                    origins.insert("edition".into(), origin);
                }
                "parse-errors" => {
                    settings.parse_errors =
                        match value.get_ref().as_str() {
                            Some("note") => Level::Note,
                            Some("warn") => Level::Warning,
                            Some("deny") => Level::Error,
                            _ => {
                                return Err(self.error(
                                value.span(),
                                "`parse-errors` must be \"note\", \"warn\" or \"deny\"",
                                Some("a file syn cannot parse is reported as not linted; `note` \
                                      (the default) leaves the exit code alone"
                                    .into()),
                            ));
                            }
                        };
                    origins.insert("parse-errors".into(), origin);
                }
                "rules" => {
                    for (name, level) in self.table(value, "rules")? {
                        let Some(selected) = rules::selected_by(name.get_ref()) else {
                            return Err(self.error(
                                name.span(),
                                format!(
                                    "unknown rule or category `{}` in `[rules]`",
                                    name.get_ref()
                                ),
                                Some(rules::unknown_rule_help(name.get_ref())),
                            ));
                        };
                        let word = level.get_ref().as_str().unwrap_or_default();
                        let Some(parsed) = RuleLevel::parse(word) else {
                            return Err(self.error(
                                level.span(),
                                format!("invalid level for `{}`", name.get_ref()),
                                Some(format!("expected one of {}", quoted(LEVELS))),
                            ));
                        };
                        let origin = self.origin(level.span());
                        layer.levels.extend(
                            selected
                                .into_iter()
                                .map(|rule| (rule.name, parsed, origin.clone())),
                        );
                    }
                }
                "options" => {
                    self.options(self.table(value, "options")?, &mut settings, &mut origins)?
                }
                other => {
                    return Err(self.error(
                        key.span(),
                        format!("unknown key `{other}`"),
                        Some(key_help(other, TOP_KEYS)),
                    ));
                }
            }
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in &exclude {
            for glob in glob_forms(pattern) {
                let glob = Glob::new(&glob).map_err(|err| {
                    let at = table.get("exclude").map(|v| v.span()).unwrap_or(0..0);
                    self.error(
                        at,
                        format!("invalid exclude glob `{pattern}`: {}", err.kind()),
                        None,
                    )
                })?;
                builder.add(glob);
            }
        }
        let exclude_set = builder
            .build()
            .map_err(|err| self.error(0..0, err.to_string(), None))?;
        Ok(FileConfig {
            path: self.path.to_path_buf(),
            root,
            layer,
            exclude,
            exclude_set,
            settings,
            origins,
        })
    }

    fn options(
        &self,
        table: &DeTable<'_>,
        settings: &mut Settings,
        origins: &mut BTreeMap<String, Origin>,
    ) -> Result<(), ConfigError> {
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            match name {
                "blocking-functions" => {
                    settings.blocking_functions = self
                        .strings(value, name)?
                        .into_iter()
                        .map(|(s, _)| s)
                        .collect();
                }
                "lock-types" => {
                    settings.lock_types = self
                        .strings(value, name)?
                        .into_iter()
                        .map(|(s, _)| s)
                        .collect()
                }
                "heavy-loop-bound" => {
                    let bound = value
                        .get_ref()
                        .as_integer()
                        .and_then(|i| {
                            u64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
                        })
                        .ok_or_else(|| {
                            self.error(
                                value.span(),
                                "`heavy-loop-bound` must be a non-negative integer",
                                None,
                            )
                        })?;
                    settings.heavy_loop_bound = Some(bound);
                }
                other => {
                    return Err(self.error(
                        key.span(),
                        format!("unknown option `{other}`"),
                        Some(key_help(other, OPTION_KEYS)),
                    ));
                }
            }
            origins.insert(format!("options.{name}"), self.origin(value.span()));
        }
        Ok(())
    }
}

/// The globs a pattern stands for: as written, plus `**/pattern` when it has no `/` (matches
/// at any depth), and `pattern**` for a folder written with a trailing `/`.
fn glob_forms(pattern: &str) -> Vec<String> {
    let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
    let mut forms = vec![trimmed.to_string()];
    if !trimmed.contains('/') {
        forms.push(format!("**/{trimmed}"));
    }
    forms
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "did you mean" help for an unknown key.
fn key_help(key: &str, valid: &[&str]) -> String {
    let closest = valid
        .iter()
        .map(|v| (strsim::levenshtein(key, v), *v))
        .filter(|(d, v)| *d <= v.len() / 2 + 1)
        .min();
    match closest {
        Some((_, name)) => format!("did you mean `{name}`? valid keys: {}", quoted(valid)),
        None => format!("valid keys: {}", quoted(valid)),
    }
}

/// `concur config --show`: the effective configuration and where each value came from.
pub fn show(effective: &Effective) -> String {
    let mut out = String::new();
    match &effective.file {
        Some(file) => out.push_str(&format!("# config file: {}\n", file.path.display())),
        None => out.push_str("# config file: none\n"),
    }
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    out.push_str("\n[rules]\n");
    for (name, level, origin) in &effective.levels {
        let value = format!("\"{}\"", level.as_str());
        let category = rules::find(name)
            .map(|r| r.category.name())
            .unwrap_or_default();
        out.push_str(&format!(
            "{name:width$} = {value:7}  # {origin} ({category})\n"
        ));
    }
    let origin = |key: &str| {
        effective
            .file
            .as_ref()
            .and_then(|f| f.origins.get(key).cloned())
            .unwrap_or(Origin::Default)
    };
    let list = |items: &[String]| {
        format!(
            "[{}]",
            items
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let settings = &effective.options.settings;
    let exclude = effective
        .file
        .as_ref()
        .map(|f| f.exclude.clone())
        .unwrap_or_default();
    out.push_str(&format!(
        "\nexclude = {}  # {}\n",
        list(&exclude),
        origin("exclude")
    ));
    out.push_str(&format!(
        "require-reason = {}  # {}\n",
        settings.require_reason,
        origin("require-reason")
    ));
    out.push_str(&format!(
        "include-tests = {}  # {}\n",
        settings.include_tests,
        origin("include-tests")
    ));
    out.push_str(&format!(
        "edition = \"{}\"  # {} (files outside a cargo package)\n",
        settings.edition,
        origin("edition")
    ));
    out.push_str("\n[options]\n");
    out.push_str(&format!(
        "blocking-functions = {}  # {}\n",
        list(&settings.blocking_functions),
        origin("options.blocking-functions")
    ));
    out.push_str(&format!(
        "lock-types = {}  # {}\n",
        list(&settings.lock_types),
        origin("options.lock-types")
    ));
    match settings.heavy_loop_bound {
        Some(bound) => out.push_str(&format!(
            "heavy-loop-bound = {bound}  # {}\n",
            origin("options.heavy-loop-bound")
        )),
        None => out.push_str("# heavy-loop-bound: unset (each rule's built-in bound)  # default\n"),
    }
    out
}
