//! The rule table and the interface every rule implements.
//!
//! A rule is one file in this folder. It subscribes to the nodes it cares about by overriding
//! [`Rule`] methods; the walk ([`crate::walk`]) calls every enabled rule on every node, once.
//! One line in [`RULES`] registers a rule. Rules read shared facts ([`crate::analysis`]) and
//! the catalog ([`crate::semantic`]); they import nothing above this layer.

use crate::diagnostic::{Diagnostic, Level};
use crate::semantic::model::{Effect, Hop, Model};
use crate::semantic::summary::Ctx;
use crate::walk::rule::Rule;

pub mod registry;

pub use registry::category::{CATEGORIES, Category};

mod arc_never_shared;
mod block_on_in_async;
mod blocking_call_in_async;
mod blocking_in_rayon;
mod busy_wait;
mod callback_under_lock;
mod command_for_std_operation;
mod condvar_wait_without_loop;
mod cpu_heavy_in_async;
mod detached_thread;
mod double_lock;
mod drain_before_join;
mod hardcoded_thread_count;
mod let_underscore_guard;
mod lock_across_await;
mod lock_across_blocking;
mod lock_order_inversion;
mod lock_serializes_workers;
mod mutex_collects_results;
mod mutex_instead_of_atomic;
mod process_for_parallelism;
mod receiver_loop_never_ends;
mod shell_command_injection;
mod spawn_then_join;
mod static_mut_state;
mod thread_per_item;
mod unbounded_channel;
mod unwaited_child;

/// How safe a rule's fix is, as shown by `concur rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    /// No fix.
    None,
    /// Applied by `--fix`.
    Safe,
    /// Applied by `--fix --unsafe-fixes`.
    Unsafe,
    /// Shown as help only.
    Display,
}

/// A rule's registration: its name, category, summary and constructor.
#[derive(Debug)]
pub struct RuleInfo {
    /// The rule name users put in configs and suppressions.
    pub name: &'static str,
    /// What kind of mistake it finds: whether it runs by default, and at which level.
    pub category: Category,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// Whether and how safely the rule's findings can be fixed.
    pub fix: FixKind,
    /// The rule's documentation (`rules/<name>.md`), compiled in.
    pub doc: &'static str,
    /// Makes a fresh instance for one file (rules may keep per-file state).
    pub new: fn() -> Box<dyn Rule>,
    /// The rule's questions to the crate-wide model (calls followed across functions and
    /// files), asked once per package after every file was walked.
    pub crate_check: Option<CrateCheck>,
    /// Whether it reports in test code even without `include-tests` (its doc says why).
    pub checks_tests: bool,
    /// The rustc and clippy lints that find the same mistake (`clippy::zombie_processes`):
    /// `#[allow(..)]` or `#[expect(..)]` of one silences the rule too, so code that already
    /// answered clippy is not asked again.
    pub allowed_by: &'static [&'static str],
}

impl RuleInfo {
    /// The level its findings get when nothing configures it; `None`: off by default.
    pub fn default_level(&self) -> Option<Level> {
        self.category.default_level()
    }
}

/// A rule's check on a package's model; it pushes its findings into the vector.
pub type CrateCheck = fn(&Model<'_>, &mut Vec<Diagnostic>);

/// Every rule concur has, in the order `concur rules` lists them.
pub static RULES: &[RuleInfo] = &[
    blocking_call_in_async::INFO,
    block_on_in_async::INFO,
    blocking_in_rayon::INFO,
    busy_wait::INFO,
    cpu_heavy_in_async::INFO,
    detached_thread::INFO,
    hardcoded_thread_count::INFO,
    lock_across_await::INFO,
    thread_per_item::INFO,
    spawn_then_join::INFO,
    command_for_std_operation::INFO,
    shell_command_injection::INFO,
    unwaited_child::INFO,
    unbounded_channel::INFO,
    receiver_loop_never_ends::INFO,
    drain_before_join::INFO,
    process_for_parallelism::INFO,
    let_underscore_guard::INFO,
    double_lock::INFO,
    lock_across_blocking::INFO,
    lock_order_inversion::INFO,
    condvar_wait_without_loop::INFO,
    static_mut_state::INFO,
    mutex_instead_of_atomic::INFO,
    mutex_collects_results::INFO,
    arc_never_shared::INFO,
    lock_serializes_workers::INFO,
    callback_under_lock::INFO,
];

/// What a rule says about calls that reach an effect through the package's functions.
pub struct Reached<'a> {
    /// The rule.
    pub rule: &'static str,
    /// Where the calls are made (async code, another thread).
    pub ctx: Ctx,
    /// What the callee reaches.
    pub effect: Effect,
    /// The message's start, before the chain (`blocking call in async code`).
    pub what: &'a str,
    /// The primary label, given the callee's name.
    pub label: &'a dyn Fn(&str) -> String,
    /// The help.
    pub help: &'a str,
}

/// One finding per call in `reached.ctx` of a package function that reaches `reached.effect`,
/// however deep: at the call, with the chain in the message and each hop as a note. Calls for
/// which `skip(caller's file, hops)` holds are left out.
pub fn reached_effects(
    model: &Model<'_>,
    reached: &Reached<'_>,
    skip: impl Fn(&std::path::Path, &[Hop]) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    for (caller, event, callee) in model.calls_with(reached.ctx, reached.effect) {
        let Some(hops) = model.effect_chain(callee, reached.effect) else {
            continue;
        };
        let path = model.file_of(caller);
        if skip(path, &hops) {
            continue;
        }
        let name = model.name(callee);
        let diagnostic = Diagnostic::new(
            reached.rule,
            path.to_path_buf(),
            model.summary(caller).events[event].span,
            format!("{}: {}", reached.what, chain_line(&name, &hops)),
        )
        .with_primary_label((reached.label)(&name))
        .with_help(reached.help);
        out.push(chain_notes(diagnostic, &hops));
    }
}

/// The notes of a call chain (`save_upload` calls `write_blob`, `write_blob` calls
/// `std::fs::File::create`), each at its place, possibly in other files.
pub fn chain_notes(mut diagnostic: Diagnostic, hops: &[Hop]) -> Diagnostic {
    for hop in hops {
        let message = if hop.configured {
            format!(
                "`{}` is configured as blocking (`options.blocking-functions`)",
                hop.function
            )
        } else if let Some(name) = hop.does.strip_prefix("static mut ") {
            format!(
                "`{}` reads or writes `static mut {name}` here",
                hop.function
            )
        } else {
            format!("`{}` calls `{}` here", hop.function, hop.does)
        };
        diagnostic = diagnostic.with_note(hop.site.path.clone(), hop.site.span, message);
    }
    diagnostic
}

/// The chain of a call as one line: `save_upload` → `write_blob` → `std::fs::File::create`.
pub fn chain_line(callee: &str, hops: &[Hop]) -> String {
    std::iter::once(callee)
        .chain(
            hops.iter()
                .filter(|h| !h.configured)
                .map(|h| h.does.as_str()),
        )
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Looks a rule up by name.
pub fn find(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.name == name)
}

/// The rules a selector names: a rule name, a category name, or `all`.
pub fn selected_by(selector: &str) -> Option<Vec<&'static RuleInfo>> {
    if selector == "all" {
        return Some(RULES.iter().collect());
    }
    if let Some(category) = Category::parse(selector) {
        return Some(RULES.iter().filter(|r| r.category == category).collect());
    }
    find(selector).map(|rule| vec![rule])
}

/// The rules that run when nothing configures them.
pub fn default_rules() -> impl Iterator<Item = &'static RuleInfo> {
    RULES.iter().filter(|r| r.default_level().is_some())
}

/// Rule and category names closest to `name`, for "did you mean" messages.
pub fn similar_names(name: &str) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = RULES
        .iter()
        .map(|r| r.name)
        .chain(CATEGORIES.iter().map(|c| c.name()))
        .map(|n| (edit_distance(name, n), n))
        .filter(|(d, rule)| *d <= rule.len() / 3 + 2 || rule.contains(name))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// The help for an unknown rule name: the closest rule or category, and where to find them
/// all.
pub fn unknown_rule_help(name: &str) -> String {
    match similar_names(name).first() {
        Some(closest) => {
            format!("did you mean `{closest}`? `concur rules` lists every rule and category")
        }
        None => "`concur rules` lists every rule and category".to_string(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Declares a rule's registration next to its implementation. After the summary come the
/// optional parts, in this order: its `crate_check`, `checks_tests: true` and the lints it
/// is `allowed_by`.
macro_rules! declare_rule {
    (
        $ty:ident,
        name: $name:literal,
        category: $category:ident,
        fix: $fix:ident,
        summary: $summary:literal
        $(, crate_check: $check:expr)?
        $(, checks_tests: $tests:literal)?
        $(, allowed_by: [$($allowed:literal),* $(,)?])?
        $(,)?
    ) => {
        /// This rule's registration.
        pub const INFO: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            name: $name,
            category: $crate::rules::Category::$category,
            summary: $summary,
            fix: $crate::rules::FixKind::$fix,
            doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $name, ".md")),
            new: || Box::<$ty>::default(),
            crate_check: $crate::rules::declare_rule!(@or [$(Some($check))?] None),
            checks_tests: $crate::rules::declare_rule!(@or [$($tests)?] false),
            allowed_by: &[$($($allowed),*)?],
        };
    };
    (@or [$value:expr] $default:expr) => { $value };
    (@or [] $default:expr) => { $default };
}
pub(crate) use declare_rule;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_names_suggest_the_closest_rule() {
        assert_eq!(similar_names("thread_per_items")[0], "thread_per_item");
        assert!(similar_names("zzzzzzzzzzzzzzzzzzzzzzzz").is_empty());
    }
}
