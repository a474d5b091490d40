//! `block_on_in_async`: a future run to completion with `block_on` from inside async code.

use syn::Expr;

use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog::Api;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    BlockOnInAsync,
    name: "block_on_in_async",
    fix: None,
    summary: "`block_on` called inside async code, which panics or deadlocks the executor",
);

/// See `rules/block_on_in_async.md`.
#[derive(Default)]
pub struct BlockOnInAsync;

impl Rule for BlockOnInAsync {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if cx.api(expr) != Some(Api::BlockOn) || !cx.in_async() || cx.in_test_code() {
            return;
        }
        out.push(
            cx.call_diagnostic(INFO.name, expr, "`block_on` called inside async code")
                .with_primary_label("this parks the executor thread until the future completes")
                .with_help(
                    "`.await` the future instead; if this code must stay synchronous, call it from \
                 `tokio::task::spawn_blocking` or a plain thread",
                ),
        );
    }
}
