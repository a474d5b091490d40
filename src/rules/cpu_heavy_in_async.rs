//! `cpu_heavy_in_async`: CPU-bound work run directly on the async executor.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::loops::TripCount;
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::{Reached, declare_rule, reached_effects};
use crate::semantic::catalog::{self, Api};
use crate::semantic::model::{Effect, Model};
use crate::semantic::summary::Ctx;
use crate::syntax::exprs::ident_is;
use crate::syntax::find::awaits_inline;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    CpuHeavyInAsync,
    name: "cpu_heavy_in_async",
    category: Perf,
    fix: None,
    summary: "CPU-bound work (big loops, hashing, compression) run directly on the async executor",
    crate_check: check_crate,
);

/// See `rules/cpu_heavy_in_async.md`.
#[derive(Default)]
pub struct CpuHeavyInAsync {
    /// Loops already reported: loops nested in them are not reported again.
    reported: Vec<Span>,
}

const HELP: &str = "move the computation off the executor: `tokio::task::spawn_blocking(move || ..)\
                    .await`, or `rayon` with a oneshot channel to send the result back";

/// Why a loop is CPU-heavy, if it is: a literal trip count of at least `heavy-loop-bound`.
/// Nested loops over input data are not judged: read on application code, they were mostly
/// over a handful of items (collision boxes, configured filters, key ids), and a rule that
/// cannot be sure stays quiet.
fn heavy_loop(cx: &Context<'_>, trips: TripCount) -> Option<String> {
    match trips {
        TripCount::Constant(n) if n >= cx.settings().heavy_loop_bound() => Some(format!(
            "a loop of {n} iterations runs on the async executor without yielding"
        )),
        _ => None,
    }
}

/// Whether a closure only builds a future (`|i| async move { .. }`): mapping a range to
/// futures is cheap; the work happens when they are awaited.
fn makes_future(arg: &Expr) -> bool {
    matches!(arg, Expr::Closure(c) if c.asyncness.is_some() || matches!(&*c.body, Expr::Async(_)))
}

impl CpuHeavyInAsync {
    fn already_reported(&self, span: Span) -> bool {
        self.reported
            .iter()
            .any(|r| r.start.byte <= span.start.byte && span.end.byte <= r.end.byte)
    }
}

impl Rule for CpuHeavyInAsync {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if !cx.in_async() {
            return;
        }
        if matches!(cx.api(expr), Some(Api::CpuHeavy | Api::Digest)) {
            out.push(
                cx.call_diagnostic(INFO.name, expr, "CPU-heavy call runs on the async executor")
                    .with_primary_label("no other task on this thread runs until it returns")
                    .with_help(HELP),
            );
            return;
        }
        let (message, header) = match expr {
            Expr::ForLoop(for_loop) => {
                let Some(message) = heavy_loop(cx, cx.trip_count(&for_loop.expr)) else {
                    return;
                };
                let header = Span::join(
                    cx.span(for_loop.for_token.span),
                    cx.span(for_loop.expr.span()),
                );
                (message, header)
            }
            // `(0..1_000_000).map(..).sum()`: a per-item adapter over a big literal range.
            Expr::MethodCall(call) if ident_is(&call.method, catalog::PER_ITEM_METHODS) => {
                if call.args.iter().any(makes_future) {
                    return;
                }
                let TripCount::Constant(n) = cx.trip_count(&call.receiver) else {
                    return;
                };
                let Some(message) = heavy_loop(cx, TripCount::Constant(n)) else {
                    return;
                };
                (message, cx.span(call.method.span()))
            }
            _ => return,
        };
        if awaits_inline(expr) || self.already_reported(cx.span(expr.span())) {
            return;
        }
        self.reported.push(cx.span(expr.span()));
        out.push(
            cx.diagnostic_at(INFO.name, header, message)
                .with_primary_label("no other task on this thread runs until the loop ends")
                .with_help(HELP),
        );
    }
}

/// Calls in async code of the crate's own synchronous functions that do known CPU-heavy work
/// (hashing, compression), however deep.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    let reached = Reached {
        rule: INFO.name,
        ctx: Ctx::Async,
        effect: Effect::Heavy,
        what: "CPU-heavy work reached from async code",
        label: &|name| format!("no other task on this thread runs until `{name}` returns"),
        help: HELP,
    };
    reached_effects(model, &reached, |_, _| false, out);
}
