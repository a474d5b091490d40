//! What a project's configuration tells the analysis that the source cannot: its own blocking
//! functions and lock types, thresholds, and the suppression policy. Parsed from `concur.toml`
//! by the front end; read by the analysis, the rules and the report.

use crate::diagnostic::Level;

/// Rule options: project knowledge the rules cannot see in the source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// Extra functions (canonical paths, `my_crate::io::read_all`) that block the thread.
    pub blocking_functions: Vec<String>,
    /// Extra lock types (canonical paths) that behave like `std::sync::Mutex`: their
    /// constructors (`FairMutex::new(..)`) make blocking locks.
    pub lock_types: Vec<String>,
    /// Loops with a literal trip count at least this big count as heavy (default
    /// [`Settings::DEFAULT_HEAVY_LOOP_BOUND`]).
    pub heavy_loop_bound: Option<u64>,
    /// Whether a suppression comment must give a reason (`-- why`).
    pub require_reason: bool,
    /// Whether rules report in test code too (`include-tests`); by default only the rules
    /// for which test code matters do.
    pub include_tests: bool,
    /// The edition the code is written for: a package's own (`Cargo.toml`), otherwise
    /// `edition` in the configuration or `--edition`, otherwise 2021.
    pub edition: Edition,
    /// How a file syn cannot parse is reported: a note (the default: the exit code does not
    /// change, rustc may well accept the file), a warning or an error (`parse-errors`).
    pub parse_errors: Level,
}

/// A Rust edition. The analysis depends on it where the language does: how long the
/// temporaries of an `if let` scrutinee and of a block's tail expression live.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    /// Rust 2015 (cargo's default when a manifest names none).
    E2015,
    /// Rust 2018.
    E2018,
    /// Rust 2021 (concur's default for code outside a package).
    #[default]
    E2021,
    /// Rust 2024.
    E2024,
}

impl Edition {
    /// Every edition, oldest first, with its name.
    pub const ALL: [(Edition, &'static str); 4] = [
        (Edition::E2015, "2015"),
        (Edition::E2018, "2018"),
        (Edition::E2021, "2021"),
        (Edition::E2024, "2024"),
    ];

    /// The edition named `name` (`"2021"`).
    pub fn parse(name: &str) -> Option<Edition> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(e, _)| *e)
    }

    /// Whether the temporaries of an `if let` scrutinee live through its `else` branch and
    /// those of a block's tail expression to the end of the enclosing statement (before 2024;
    /// the Reference's temporary scopes, edition 2024 changes).
    pub fn long_temporaries(self) -> bool {
        self < Edition::E2024
    }
}

impl std::fmt::Display for Edition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = Self::ALL
            .iter()
            .find(|(e, _)| e == self)
            .map_or("", |(_, n)| n);
        f.write_str(name)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            blocking_functions: Vec::new(),
            lock_types: Vec::new(),
            heavy_loop_bound: None,
            require_reason: false,
            include_tests: false,
            edition: Edition::default(),
            parse_errors: Level::Note,
        }
    }
}

impl Settings {
    /// The literal trip count from which a loop is heavy when `heavy-loop-bound` is not set.
    pub const DEFAULT_HEAVY_LOOP_BOUND: u64 = 100_000;

    /// The literal trip count from which a loop is heavy.
    pub fn heavy_loop_bound(&self) -> u128 {
        u128::from(
            self.heavy_loop_bound
                .unwrap_or(Self::DEFAULT_HEAVY_LOOP_BOUND),
        )
    }

    /// The `blocking-functions` entry that names a function known by any of `names` (its
    /// paths: `crate::store::read_all`, `store::read_all`, `my_crate::store::read_all`, and
    /// its bare name `read_all`). An entry is matched as written, without a leading `crate::`,
    /// or as a bare name.
    pub fn blocking_entry(&self, names: &[String]) -> Option<&str> {
        self.blocking_functions
            .iter()
            .find(|entry| {
                let entry = entry.strip_prefix("crate::").unwrap_or(entry);
                names
                    .iter()
                    .any(|name| name.strip_prefix("crate::").unwrap_or(name) == entry)
            })
            .map(String::as_str)
    }

    /// The `lock-types` entry that names the type a constructor path's owner is (as written,
    /// without a leading `crate::`, or by its last segment when the entry is a bare name).
    pub fn lock_type_entry(&self, owner: &str) -> Option<&str> {
        let owner = owner.strip_prefix("crate::").unwrap_or(owner);
        let last = owner.rsplit("::").next().unwrap_or(owner);
        self.lock_types
            .iter()
            .find(|entry| {
                let entry = entry.strip_prefix("crate::").unwrap_or(entry);
                entry == owner || (!entry.contains("::") && entry == last)
            })
            .map(String::as_str)
    }
}
