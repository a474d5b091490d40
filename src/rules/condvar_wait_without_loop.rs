//! `condvar_wait_without_loop`: a condition-variable wait not in a loop re-checking the condition.

use syn::spanned::Spanned;
use syn::{Block, Expr, Pat, Stmt};

use crate::analysis::locks::lock_acquisition;
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog;
use crate::syntax::exprs::{ident_is, path_ident, unwrapped};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    CondvarWaitWithoutLoop,
    name: "condvar_wait_without_loop",
    category: Correctness,
    fix: None,
    summary: "`Condvar::wait` outside a loop re-checking the condition, so a spurious wakeup slips through",
);

/// See `rules/condvar_wait_without_loop.md`.
#[derive(Default)]
pub struct CondvarWaitWithoutLoop {
    /// Timed waits whose timeout result is thrown away: used as an interruptible sleep, after
    /// which the caller re-checks its own state (tokio's parker), so an early return is harmless.
    sleeps: Vec<Span>,
}

/// The timed wait a statement runs while discarding its result: `cv.wait_for(&mut g, d);`,
/// `let _ = ..`, `let (_g, _timed_out) = cv.wait_timeout(g, d).unwrap();`.
fn discarded_timed_wait(stmt: &Stmt) -> Option<&Expr> {
    let expr = match stmt {
        Stmt::Expr(expr, Some(_)) => expr,
        Stmt::Local(local) if discards_result(&local.pat) => &local.init.as_ref()?.expr,
        _ => return None,
    };
    let wait = unwrapped(expr);
    let Expr::MethodCall(call) = wait else {
        return None;
    };
    ident_is(&call.method, catalog::TIMED_WAIT_METHODS).then_some(wait)
}

fn discards_result(pat: &Pat) -> bool {
    match pat {
        Pat::Wild(_) => true,
        Pat::Ident(p) => p.ident.to_string().starts_with('_'),
        Pat::Tuple(t) => t.elems.last().is_some_and(discards_result),
        _ => false,
    }
}

impl Rule for CondvarWaitWithoutLoop {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, _out: &mut Vec<Diagnostic>) {
        let sleeps = block.stmts.iter().filter_map(discarded_timed_wait);
        self.sleeps.extend(sleeps.map(|wait| cx.span(wait.span())));
    }

    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        let Expr::MethodCall(call) = expr else { return };
        let method = call.method.to_string();
        // Tests of synchronization primitives wait once on purpose.
        if !catalog::CONDVAR_WAIT_METHODS.contains(&method.as_str())
            || !(1..=2).contains(&call.args.len())
        {
            return;
        }
        if self.sleeps.contains(&cx.span(expr.span())) {
            return;
        }
        // What makes this a condition variable: the wait is handed a lock guard, either a
        // live guard binding (`cvar.wait(guard)`, `cvar.wait(&mut guard)`) or a fresh one.
        let arg = &call.args[0];
        let is_guard = lock_acquisition(arg).is_some()
            || path_ident(arg).is_some_and(|name| cx.live_guards().any(|g| g.name == name));
        if !is_guard || cx.loops().next().is_some() {
            return;
        }
        let span = Span::join(
            cx.span(call.method.span()),
            cx.span(call.paren_token.span.close()),
        );
        out.push(
            cx.diagnostic_at(INFO.name, span,
                format!("`{method}` on a condition variable is not in a loop re-checking the condition"),
            )
            .with_primary_label("a spurious wakeup returns here with the condition still false")
            .with_help(
                "re-check the condition in a loop (`while !ready(&guard) { guard = cvar.wait(guard).unwrap(); }`), \
                 or use `cvar.wait_while(guard, |state| !ready(state))`",
            ),
        );
    }
}
