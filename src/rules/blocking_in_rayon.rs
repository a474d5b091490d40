//! `blocking_in_rayon`: blocking I/O, sleeping or waiting inside work run on rayon's pool.

use syn::Expr;

use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog::Blocking;
use crate::walk::context::{Context, Exec};
use crate::walk::rule::Rule;

declare_rule!(
    BlockingInRayon,
    name: "blocking_in_rayon",
    category: Perf,
    fix: None,
    summary: "a blocking call (I/O, sleep, network, waiting) inside a closure run on rayon's pool",
);

/// See `rules/blocking_in_rayon.md`.
#[derive(Default)]
pub struct BlockingInRayon;

impl Rule for BlockingInRayon {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        // A pool built for the job (sized for I/O, one task per domain) blocks only itself.
        if cx.exec() != Exec::Rayon || cx.on_dedicated_pool() {
            return;
        }
        let Some(kind) = cx.blocking_call(expr) else {
            return;
        };
        let what = match kind {
            Blocking::Sleep => "`std::thread::sleep` on a rayon worker thread",
            Blocking::FileSystem => "blocking file system call on a rayon worker thread",
            Blocking::Network | Blocking::Http => "blocking network call on a rayon worker thread",
            Blocking::Process => "wait for a child process on a rayon worker thread",
            Blocking::Stdin => "blocking read of standard input on a rayon worker thread",
            Blocking::Wait => "blocking wait on a rayon worker thread",
        };
        out.push(
            cx.call_diagnostic(INFO.name, expr, what)
                .with_primary_label("the worker sits idle here while CPU work queues up behind it")
                .with_help(
                    "do the blocking part on a dedicated thread pool or with async I/O, and keep \
                     rayon for CPU work (read the inputs first, then `par_iter` over them)",
                ),
        );
    }
}
