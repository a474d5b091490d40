//! `hardcoded_thread_count`: a literal thread count given to a pool or runtime.

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Item, Meta, Token};

use crate::diagnostic::{Applicability, Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog::Api;
use crate::syntax::exprs::{callee_span, int_literal};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    HardcodedThreadCount,
    name: "hardcoded_thread_count",
    category: Pedantic,
    fix: Unsafe,
    summary: "a pool or runtime sized with a literal thread count instead of the machine's cores",
);

/// See `rules/hardcoded_thread_count.md`.
#[derive(Default)]
pub struct HardcodedThreadCount;

const HELP: &str = "derive the count from `std::thread::available_parallelism()`, or read it from \
                    configuration or a command-line option";

/// The fix's replacement for a literal count: the cores available to the process, one when
/// unknown.
const CORES: &str = "std::thread::available_parallelism().map_or(1, |n| n.get())";

/// A thread count above one written as a literal (one thread is a deliberate choice).
fn literal_count(expr: &Expr) -> Option<u128> {
    int_literal(expr).filter(|n| *n > 1)
}

/// The largest worker count of an async runtime that is a deliberate small runtime: async
/// tasks waiting on I/O need few threads, and a side runtime (a dashboard, a push daemon) is
/// sized small on purpose.
const SMALL_ASYNC_RUNTIME: u128 = 4;

fn report(cx: &Context<'_>, span: Span, count: u128) -> Diagnostic {
    cx.diagnostic_at(
        INFO.name,
        span,
        format!("thread count hardcoded to {count}"),
    )
    .with_primary_label("the same count on a 2-core laptop and a 64-core server")
    .with_help(HELP)
}

impl Rule for HardcodedThreadCount {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if cx.api(expr) != Some(Api::ThreadCount) {
            return;
        }
        let args = match expr {
            Expr::Call(call) => &call.args,
            Expr::MethodCall(call) => &call.args,
            _ => return,
        };
        let Some(last) = args.last() else { return };
        let Some(count) = literal_count(last) else {
            return;
        };
        let async_runtime =
            matches!(expr, Expr::MethodCall(call) if call.method == "worker_threads");
        if (async_runtime && count <= SMALL_ASYNC_RUNTIME)
            || cx.comment_above(expr.span()).is_some()
        {
            return;
        }
        let fix = cx.replace_with(
            last,
            CORES,
            "size it by the machine's cores",
            Applicability::MaybeIncorrect,
        );
        out.push(report(cx, cx.span(callee_span(expr)), count).with_suggestion(fix));
    }

    fn check_item(&mut self, cx: &Context<'_>, item: &Item, out: &mut Vec<Diagnostic>) {
        let Item::Fn(func) = item else { return };
        for attr in &func.attrs {
            if crate::semantic::catalog::lookup(&cx.resolve(attr.path())) != Some(Api::RuntimeMain)
            {
                continue;
            }
            let Ok(args) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                continue;
            };
            for arg in args {
                let Meta::NameValue(pair) = arg else { continue };
                if !pair.path.is_ident("worker_threads") {
                    continue;
                }
                if let Some(count) = literal_count(&pair.value)
                    && count > SMALL_ASYNC_RUNTIME
                    && cx.comment_above(func.span()).is_none()
                {
                    out.push(report(cx, cx.span(pair.span()), count));
                }
            }
        }
    }
}
