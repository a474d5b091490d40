//! `busy_wait`: a loop that spins on a condition another thread must change, doing nothing
//! else and never yielding.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::polls::{idles_on_failure, scan, scan_block, waits_on};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    BusyWait,
    name: "busy_wait",
    category: Perf,
    fix: None,
    summary: "a loop spinning on a flag, `try_recv` or `try_lock` without ever yielding the CPU",
    allowed_by: ["clippy::missing_spin_loop"],
);

/// See `rules/busy_wait.md`.
#[derive(Default)]
pub struct BusyWait;

/// The spinning loop's header, if `expr` is a busy-wait loop.
fn busy_loop_header(cx: &Context<'_>, expr: &Expr) -> Option<Span> {
    match expr {
        Expr::While(w) => {
            let body = scan_block(cx, &w.body);
            let spins = !body.works && !body.snapshots && waits_on(cx, &w.cond);
            // `while running.load(..) { if let Ok(m) = rx.try_recv() { .. } }`: a condition
            // that does no work of its own, and a body that idles on an empty probe.
            let idles = !scan(cx, &w.cond).works && idles_on_failure(cx, &w.body);
            (spins || idles)
                .then(|| Span::join(cx.span(w.while_token.span), cx.span(w.cond.span())))
        }
        Expr::Loop(l) => {
            let body = scan_block(cx, &l.body);
            let spins = !body.works && !body.snapshots && body.exits && !body.probes.is_empty();
            (spins || idles_on_failure(cx, &l.body)).then(|| cx.span(l.loop_token.span))
        }
        _ => None,
    }
}

impl Rule for BusyWait {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        let Some(header) = busy_loop_header(cx, expr) else {
            return;
        };
        out.push(
            cx.diagnostic_at(
                INFO.name,
                header,
                "busy-wait loop: spins on a condition without yielding the CPU",
            )
            .with_primary_label("this loop burns a whole core until another thread acts")
            .with_help(
                "block until notified instead: a `Condvar`, a blocking `recv()`, or \
                 `thread::park`/`unpark`; for waits of a few iterations, at least call \
                 `std::hint::spin_loop()` in the body",
            ),
        );
    }
}
