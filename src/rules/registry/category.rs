//! Rule categories, as clippy groups and ruff prefixes: what kind of mistake a rule finds,
//! and so whether it runs by default and at which level.
//!
//! A rule sits in a default-on category only while its precision on application code (read
//! finding by finding, `bench/triage.toml`) is at least 90%; below that it waits in
//! `pedantic` or `nursery`. Everywhere a rule name is accepted (`--select`, `--ignore`,
//! `-W/-D/-A`, `select`, `ignore`, `[rules]`) a category name is accepted too.

use crate::diagnostic::Level;

/// What kind of mistake a rule finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Code that deadlocks, hangs, leaks processes or loses results: errors by default.
    Correctness,
    /// Code an attacker can steer (a shell built from input).
    Security,
    /// Code that is right but slow: the executor blocked, a thread per item, a needless process.
    Perf,
    /// Code that is probably wrong or needlessly risky.
    Suspicious,
    /// Sound advice that is often deliberately not taken: off by default.
    Pedantic,
    /// Rules still earning their precision: off by default.
    Nursery,
}

/// Every category, in the order `concur rules` explains them.
pub const CATEGORIES: &[Category] = &[
    Category::Correctness,
    Category::Security,
    Category::Perf,
    Category::Suspicious,
    Category::Pedantic,
    Category::Nursery,
];

impl Category {
    /// The name users write in configs and flags.
    pub fn name(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Perf => "perf",
            Category::Suspicious => "suspicious",
            Category::Pedantic => "pedantic",
            Category::Nursery => "nursery",
        }
    }

    /// Looks a category up by name.
    pub fn parse(name: &str) -> Option<Category> {
        CATEGORIES.iter().copied().find(|c| c.name() == name)
    }

    /// The level its rules' findings get when nothing configures them, or `None` when its
    /// rules are off unless selected.
    pub fn default_level(self) -> Option<Level> {
        match self {
            Category::Correctness => Some(Level::Error),
            Category::Security | Category::Perf | Category::Suspicious => Some(Level::Warning),
            Category::Pedantic | Category::Nursery => None,
        }
    }

    /// The level its rules' findings get once enabled (a selected `pedantic` rule warns).
    pub fn enabled_level(self) -> Level {
        self.default_level().unwrap_or(Level::Warning)
    }

    /// One line: what its rules find, and whether they run by default.
    pub fn summary(self) -> &'static str {
        match self {
            Category::Correctness => "deadlocks, hangs, zombies, lost results (on, as errors)",
            Category::Security => "commands an attacker can steer (on)",
            Category::Perf => "blocked executors, needless threads and processes (on)",
            Category::Suspicious => "probably wrong or needlessly risky (on)",
            Category::Pedantic => "sound advice often not taken on purpose (off)",
            Category::Nursery => "rules still earning their precision (off)",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
