//! `mutex_collects_results`: workers push their results into a shared locked collection that
//! is read once they are done: returning the results from each worker needs no lock.

use syn::spanned::Spanned;
use syn::{Block, Expr};

use crate::analysis::lock_uses::{Access, local_locks};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog;
use crate::syntax::exprs::path_segments;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    MutexCollectsResults,
    name: "mutex_collects_results",
    category: Perf,
    fix: None,
    summary: "workers push results into a shared `Mutex<Vec<_>>`: return them from the workers instead",
);

/// See `rules/mutex_collects_results.md`.
#[derive(Default)]
pub struct MutexCollectsResults;

impl Rule for MutexCollectsResults {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        for lock in local_locks(cx, block) {
            let Some(kind) = empty_collection(&lock.ctor.args[0]) else {
                continue;
            };
            let uses = lock.uses(cx);
            let name = &lock.name;
            // A collector that serves until stopped never returns: it has nothing to hand back.
            if uses.escapes || !uses.shared_with_worker || uses.serving_worker {
                continue;
            }
            let adds_in_workers = uses
                .uses
                .iter()
                .filter(|u| u.in_worker)
                .all(|u| matches!(&u.access, Access::Method(m) if catalog::COLLECTION_ADD_METHODS.contains(&m.as_str())));
            let pushed = uses.uses.iter().any(|u| u.in_worker);
            let read_after = uses.uses.iter().any(|u| !u.in_worker);
            if !(adds_in_workers && pushed && read_after) {
                continue;
            }
            let how = if kind == "Vec" {
                "return each worker's results from its closure and collect the join handles' values (or use `par_iter().map(..).collect()`, or send them on a channel)"
            } else {
                "return each worker's entries from its closure and merge them after joining (or collect a parallel iterator into the map, or send them on a channel)"
            };
            out.push(
                cx.diagnostic_at(INFO.name, cx.span(lock.ctor.span()),
                    format!("workers only add to the shared `{kind}` `{name}`, which is read after they finish"),
                )
                .with_primary_label("every worker takes this lock just to hand back its results")
                .with_help(how),
            );
        }
    }
}

/// The collection an initializer makes empty: `Vec::new()`, `Vec::with_capacity(n)`, `vec![]`,
/// `HashMap::new()`, `BTreeMap::new()`, `HashSet::new()`, `BTreeSet::new()`, `VecDeque::new()`.
fn empty_collection(expr: &Expr) -> Option<&'static str> {
    match expr {
        Expr::Macro(mac) if mac.mac.path.is_ident("vec") && mac.mac.tokens.is_empty() => {
            Some("Vec")
        }
        Expr::Call(call) if call.args.len() <= 1 => {
            let segs = path_segments(&call.func)?;
            let [.., ty, ctor] = segs.as_slice() else {
                return None;
            };
            if !matches!(ctor.as_str(), "new" | "with_capacity") {
                return None;
            }
            catalog::COLLECTION_TYPES.iter().copied().find(|k| k == ty)
        }
        _ => None,
    }
}
