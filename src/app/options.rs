//! The options of one lint: which rules run, at which level, with which settings, and how the
//! run itself goes (threads, cache, timing).

use std::path::PathBuf;
use std::sync::Arc;

use crate::app::stats::Stats;
use crate::rules::{RULES, RuleInfo};
use crate::semantic::settings::Settings;

/// Which rules run and how: built from configuration files and flags by [`crate::app::config`].
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
    /// Folder of the result cache ([`crate::app::cache`]); `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// Per-phase and per-rule timing (`--stats`); `None`: no clock is read.
    pub stats: Option<Arc<Stats>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rules: RULES.iter().collect(),
            deny: Vec::new(),
            settings: Settings::default(),
            jobs: None,
            cache_dir: None,
            stats: None,
        }
    }
}
