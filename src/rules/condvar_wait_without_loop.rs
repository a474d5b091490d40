//! `condvar_wait_without_loop`: a condition-variable wait not in a loop re-checking the condition.

use syn::Expr;

use crate::context::{Context, lock_acquisition, path_ident};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::{Rule, declare_rule};

declare_rule!(
    CondvarWaitWithoutLoop,
    name: "condvar_wait_without_loop",
    fix: None,
    summary: "`Condvar::wait` outside a loop re-checking the condition, so a spurious wakeup slips through",
);

/// See `rules/condvar_wait_without_loop.md`.
#[derive(Default)]
pub struct CondvarWaitWithoutLoop;

/// Condition-variable waits that can return without a notification (`wait_while` and
/// `wait_timeout_while` re-check for the caller and are fine).
const WAITS: &[&str] = &[
    "wait",
    "wait_timeout",
    "wait_timeout_ms",
    "wait_for",
    "wait_until",
];

impl Rule for CondvarWaitWithoutLoop {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        let Expr::MethodCall(call) = expr else { return };
        let method = call.method.to_string();
        if !WAITS.contains(&method.as_str()) || !(1..=2).contains(&call.args.len()) {
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
            Diagnostic::new(
                INFO.name,
                cx.file.path.clone(),
                span,
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
