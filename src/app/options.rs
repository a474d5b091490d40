//! The options of one lint: which rules run, at which level, with which settings, and how the
//! run itself goes (threads, cache, timing).

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use crate::app::map::MapSink;
use crate::app::progress::Progress;
use crate::app::stats::Stats;
use crate::app::units::Package;
use crate::diagnostic::Level;
use crate::rules::{self, RULES, RuleInfo};
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
    /// Files done of all, on a terminal; `None`: nothing is drawn.
    pub progress: Option<Arc<Progress>>,
    /// Where `concur map` collects each unit's map; `None`: no map is drawn.
    pub map: Option<Arc<MapSink>>,
}

impl Default for Options {
    /// The default set: the rules of the default-on categories, `correctness` denied.
    fn default() -> Self {
        Options {
            rules: rules::default_rules().collect(),
            deny: denied_by_default(),
            settings: Settings::default(),
            jobs: None,
            cache_dir: None,
            stats: None,
            progress: None,
            map: None,
        }
    }
}

impl Options {
    /// Every rule, `pedantic` and `nursery` included, each at its category's level once
    /// enabled: what the fixtures are checked with.
    pub fn every_rule() -> Self {
        Options {
            rules: RULES.iter().collect(),
            ..Options::default()
        }
    }

    /// These options for the files of `package`: its manifest's edition replaces the
    /// configured one, which is for files outside a package.
    pub fn in_package(&self, package: Option<&Package>) -> Cow<'_, Options> {
        match package {
            Some(package) if package.edition != self.settings.edition => {
                let mut options = self.clone();
                options.settings.edition = package.edition;
                Cow::Owned(options)
            }
            _ => Cow::Borrowed(self),
        }
    }
}

/// The rules whose findings are errors when nothing configures them.
fn denied_by_default() -> Vec<&'static str> {
    RULES
        .iter()
        .filter(|r| r.default_level() == Some(Level::Error))
        .map(|r| r.name)
        .collect()
}
