//! `mutex_collects_results`: workers push their results into a shared locked collection that
//! is read once they are done: returning the results from each worker needs no lock.

use syn::spanned::Spanned;
use syn::{Block, Expr, Stmt};

use crate::analysis::lock_uses::{Access, local_lock_uses, lock_constructor};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::syntax::pats::pat_name;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    MutexCollectsResults,
    name: "mutex_collects_results",
    fix: None,
    summary: "workers push results into a shared `Mutex<Vec<_>>`: return them from the workers instead",
);

/// See `rules/mutex_collects_results.md`.
#[derive(Default)]
pub struct MutexCollectsResults;

/// Methods that only add to a collection.
const ADDS: &[&str] = &["push", "push_back", "insert", "extend"];

impl Rule for MutexCollectsResults {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        for (i, stmt) in block.stmts.iter().enumerate() {
            let Stmt::Local(local) = stmt else { continue };
            let (Some(name), Some(init)) = (pat_name(&local.pat), &local.init) else {
                continue;
            };
            let Some((ctor, _)) = lock_constructor(cx, &init.expr) else {
                continue;
            };
            let Some(kind) = empty_collection(&ctor.args[0]) else {
                continue;
            };
            let uses = local_lock_uses(cx, &name, &block.stmts[i + 1..]);
            if uses.escapes || !uses.shared_with_worker {
                continue;
            }
            let adds_in_workers = uses
                .uses
                .iter()
                .filter(|u| u.in_worker)
                .all(|u| matches!(&u.access, Access::Method(m) if ADDS.contains(&m.as_str())));
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
                cx.diagnostic_at(INFO.name, cx.span(ctor.span()),
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
            let Expr::Path(path) = &*call.func else {
                return None;
            };
            let segs: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let [.., ty, ctor] = segs.as_slice() else {
                return None;
            };
            if !matches!(ctor.as_str(), "new" | "with_capacity") {
                return None;
            }
            [
                "Vec", "VecDeque", "HashMap", "BTreeMap", "HashSet", "BTreeSet",
            ]
            .into_iter()
            .find(|k| k == ty)
        }
        _ => None,
    }
}
