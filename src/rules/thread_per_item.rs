//! `thread_per_item`: an OS thread spawned once per element of a data collection.

use syn::Expr;

use crate::analysis::loops::TripCount;
use crate::analysis::threads;
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog::Api;
use crate::syntax::exprs::callee_span;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    ThreadPerItem,
    name: "thread_per_item",
    category: Perf,
    fix: None,
    summary: "an OS thread spawned for every item of a collection, so thread count grows with input",
);

/// See `rules/thread_per_item.md`.
#[derive(Default)]
pub struct ThreadPerItem;

impl Rule for ThreadPerItem {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if cx.api(expr) != Some(Api::ThreadSpawn) {
            return;
        }
        let Some(per_item) = cx.loops().find(|l| l.trips == TripCount::PerItem) else {
            return;
        };
        // A thread per resource that serves for the program's life (one capture loop per
        // network interface) is not a thread per piece of work: no pool can run it.
        if threads::spawned_body(expr).is_some_and(|body| threads::is_service(cx, body)) {
            return;
        }
        let span = cx.span(callee_span(expr));
        out.push(
            cx.diagnostic_at(INFO.name, span,
                "a new OS thread is spawned for every item",
            )
            .with_primary_label("one thread per item: the thread count grows with the input")
            .with_label(per_item.header, "this loop runs once per item")
            .with_help(
                "use a pool (`items.par_iter().for_each(..)` with rayon), or spawn a fixed number of \
                 workers (`std::thread::available_parallelism()`) that each take a chunk",
            ),
        );
    }
}
