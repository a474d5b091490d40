//! `block_on_in_async`: a future run to completion with `block_on` from inside async code.

use syn::Expr;

use crate::diagnostic::Diagnostic;
use crate::rules::{Reached, declare_rule, reached_effects};
use crate::semantic::catalog::Api;
use crate::semantic::model::{Effect, Model};
use crate::semantic::summary::Ctx;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    BlockOnInAsync,
    name: "block_on_in_async",
    category: Correctness,
    fix: None,
    summary: "`block_on` called inside async code, which panics or deadlocks the executor",
    crate_check: check_crate,
);

/// See `rules/block_on_in_async.md`.
#[derive(Default)]
pub struct BlockOnInAsync;

impl Rule for BlockOnInAsync {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if cx.api(expr) != Some(Api::BlockOn) || !cx.in_async() {
            return;
        }
        let (message, label, help) = match expr {
            Expr::MethodCall(call) if call.method != "block_on" => (
                format!("`{}` called inside async code", call.method),
                "tokio panics here (\"Cannot block the current thread from within a runtime\"), \
                 or the executor thread is parked until it returns",
                format!(
                    "use the async form (`{}`) and `.await` it; keep `{}` for synchronous code \
                     such as a `spawn_blocking` closure or a plain thread",
                    async_form(&call.method.to_string()),
                    call.method
                ),
            ),
            _ => (
                "`block_on` called inside async code".to_string(),
                "this parks the executor thread until the future completes",
                "`.await` the future instead; if this code must stay synchronous, call it from \
                 `tokio::task::spawn_blocking` or a plain thread"
                    .to_string(),
            ),
        };
        out.push(
            cx.call_diagnostic(INFO.name, expr, message)
                .with_primary_label(label)
                .with_help(help),
        );
    }
}

/// The async method a tokio `blocking_*` method is the synchronous door of.
fn async_form(method: &str) -> String {
    let base = method.strip_prefix("blocking_").unwrap_or(method);
    format!(".{base}().await")
}

/// Calls in async code of the crate's own synchronous functions that `block_on`, however deep.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    let reached = Reached {
        rule: INFO.name,
        ctx: Ctx::Async,
        effect: Effect::BlockOn,
        what: "a blocking wait on a future reached from async code",
        label: &|name| {
            format!(
                "`{name}` parks the executor thread until the future completes (tokio's \
                 `blocking_*` methods panic inside a runtime)"
            )
        },
        help: "make the helper async and `.await` the future instead of blocking on it",
    };
    reached_effects(model, &reached, |_, _| false, out);
}
