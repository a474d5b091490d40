//! `--stats`: where a run's time goes, per phase (discover, read, cache, parse, walk+rules,
//! render) and per rule, so a slow rule is visible.
//!
//! Timing is opt-in: without `--stats` no clock is read. Phases that run on the worker threads
//! are summed over threads (CPU time spent in the phase), so with `-jN` they add up to about N
//! times the wall time. Rule times come from wrapping each rule (see [`Stats::timed_rules`]);
//! the walk's own time is walk+rules minus the rules.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use syn::{Block, Expr, Item, Local, Stmt};

use crate::analysis::channels::Channel;
use crate::analysis::commands::CommandUse;
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::{RULES, RuleInfo};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

/// A stage of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Walking folders for `*.rs` files.
    Discover,
    /// Reading files from disk.
    Read,
    /// Hashing file contents and looking up or storing cached results.
    Cache,
    /// Parsing with syn.
    Parse,
    /// The one walk, with every rule's callbacks.
    WalkRules,
    /// Building each package's model from the file summaries and asking it the crate-wide
    /// questions.
    Model,
    /// Writing the report.
    Render,
}

impl Phase {
    const ALL: [Phase; 7] = [
        Phase::Discover,
        Phase::Read,
        Phase::Cache,
        Phase::Parse,
        Phase::WalkRules,
        Phase::Model,
        Phase::Render,
    ];

    fn name(self) -> &'static str {
        match self {
            Phase::Discover => "discover",
            Phase::Read => "read",
            Phase::Cache => "cache",
            Phase::Parse => "parse",
            Phase::WalkRules => "walk+rules",
            Phase::Model => "crate model",
            Phase::Render => "render",
        }
    }
}

/// Counters of one run, shared by the worker threads.
#[derive(Debug)]
pub struct Stats {
    start: Instant,
    phases: [AtomicU64; Phase::ALL.len()],
    /// Nanoseconds per rule, in [`RULES`] order.
    rules: Vec<AtomicU64>,
    files: AtomicUsize,
    bytes: AtomicU64,
    cache_hits: AtomicUsize,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            start: Instant::now(),
            phases: Default::default(),
            rules: RULES.iter().map(|_| AtomicU64::new(0)).collect(),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            cache_hits: AtomicUsize::new(0),
        }
    }
}

/// Runs `f`, adding its duration to `phase` when `stats` is on.
pub fn time<T>(stats: Option<&Stats>, phase: Phase, f: impl FnOnce() -> T) -> T {
    let Some(stats) = stats else { return f() };
    let start = Instant::now();
    let value = f();
    stats.add(phase, start.elapsed());
    value
}

impl Stats {
    /// Adds time spent in `phase`.
    pub fn add(&self, phase: Phase, elapsed: Duration) {
        self.phases[phase as usize].fetch_add(nanos(elapsed), Ordering::Relaxed);
    }

    /// Counts a file read, with its size.
    pub fn count_file(&self, bytes: usize) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Counts a file whose findings came from the cache.
    pub fn count_cache_hit(&self) {
        self.cache_hits.fetch_add(1, Ordering::Relaxed);
    }

    /// How many files' findings came from the cache so far.
    pub fn cache_hits(&self) -> usize {
        self.cache_hits.load(Ordering::Relaxed)
    }

    /// Makes fresh instances of `rules`, each wrapped so the time spent in its callbacks is
    /// added to its counter.
    pub fn timed_rules(self: &Arc<Self>, rules: &[&'static RuleInfo]) -> Vec<Box<dyn Rule>> {
        rules
            .iter()
            .map(|info| {
                Box::new(TimedRule {
                    inner: (info.new)(),
                    nanos: 0,
                    slot: RULES.iter().position(|r| r.name == info.name),
                    stats: Arc::clone(self),
                }) as Box<dyn Rule>
            })
            .collect()
    }

    /// Writes the table `--stats` prints.
    pub fn write(&self, jobs: usize, out: &mut dyn Write) -> std::io::Result<()> {
        let wall = self.start.elapsed().as_secs_f64();
        let get = |phase: Phase| self.phases[phase as usize].load(Ordering::Relaxed) as f64 / 1e9;
        let files = self.files.load(Ordering::Relaxed);
        let mb = self.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        writeln!(
            out,
            "concur stats: {files} files, {mb:.1} MB, {} from cache, {wall:.3} s wall on {jobs} thread{}",
            self.cache_hits.load(Ordering::Relaxed),
            if jobs == 1 { "" } else { "s" },
        )?;
        writeln!(
            out,
            "{:<28} {:>10}  (worker phases: CPU time summed over threads)",
            "phase", "seconds"
        )?;
        let rule_total: f64 = self
            .rules
            .iter()
            .map(|n| n.load(Ordering::Relaxed) as f64 / 1e9)
            .sum();
        for phase in Phase::ALL {
            writeln!(out, "{:<28} {:>10.3}", phase.name(), get(phase))?;
            if phase == Phase::WalkRules {
                let walk = (get(phase) - rule_total).max(0.0);
                writeln!(out, "  {:<26} {:>10.3}", "walk (no rule)", walk)?;
                for (info, nanos) in RULES.iter().zip(&self.rules) {
                    let secs = nanos.load(Ordering::Relaxed) as f64 / 1e9;
                    writeln!(out, "  {:<26} {:>10.3}", info.name, secs)?;
                }
            }
        }
        Ok(())
    }
}

fn nanos(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
}

/// A rule whose callbacks are timed. It forwards EVERY [`Rule`] method: a callback added to the
/// trait must be forwarded here too (the `stats_do_not_change_findings` test catches a miss).
struct TimedRule {
    inner: Box<dyn Rule>,
    nanos: u64,
    /// Index of the rule in [`RULES`].
    slot: Option<usize>,
    stats: Arc<Stats>,
}

impl TimedRule {
    fn timed(&mut self, f: impl FnOnce(&mut dyn Rule)) {
        let start = Instant::now();
        f(&mut *self.inner);
        self.nanos += nanos(start.elapsed());
    }
}

impl Rule for TimedRule {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_expr(cx, expr, out));
    }

    fn check_local(&mut self, cx: &Context<'_>, local: &Local, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_local(cx, local, out));
    }

    fn check_stmt(&mut self, cx: &Context<'_>, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_stmt(cx, stmt, out));
    }

    fn check_item(&mut self, cx: &Context<'_>, item: &Item, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_item(cx, item, out));
    }

    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_block(cx, block, out));
    }

    fn check_command(&mut self, cx: &Context, command: &CommandUse, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_command(cx, command, out));
    }

    fn check_channel(&mut self, cx: &Context, channel: &Channel, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_channel(cx, channel, out));
    }

    fn check_suspend(&mut self, cx: &Context<'_>, at: Span, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.check_suspend(cx, at, out));
    }

    fn finish(&mut self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        self.timed(|rule| rule.finish(cx, out));
    }
}

impl Drop for TimedRule {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.and_then(|i| self.stats.rules.get(i)) {
            slot.fetch_add(self.nanos, Ordering::Relaxed);
        }
    }
}
