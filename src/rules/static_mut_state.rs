//! `static_mut_state`: a `static mut` read or written from a spawned thread.

use syn::Expr;
use syn::spanned::Spanned;

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::syntax::exprs::path_ident;
use crate::walk::context::{Context, Exec};
use crate::walk::rule::Rule;

declare_rule!(
    StaticMutState,
    name: "static_mut_state",
    category: Correctness,
    fix: None,
    summary: "a `static mut` used from a spawned thread: a data race waiting to happen",
    allowed_by: ["static_mut_refs"],
);

/// See `rules/static_mut_state.md`.
#[derive(Default)]
pub struct StaticMutState {
    /// Accesses in the bodies of free functions: (function, static, access).
    in_fns: Vec<(String, String, Span)>,
    /// Calls of plain functions from thread bodies: (callee, call).
    from_threads: Vec<(String, Span)>,
}

const HELP: &str = "keep the state in an atomic (`static COUNT: AtomicUsize`), a `static M: Mutex<T>`, \
                    or a `OnceLock` when it is written once";

fn on_other_thread(exec: Exec) -> bool {
    matches!(exec, Exec::Thread | Exec::Rayon | Exec::BlockingPool)
}

fn report(cx: &Context<'_>, name: &str, access: Span) -> Diagnostic {
    cx.diagnostic_at(
        INFO.name,
        access,
        format!("`static mut {name}` is accessed from a spawned thread"),
    )
    .with_primary_label(
        "unsynchronized access: another thread may read or write it at the same time",
    )
    .with_help(HELP)
}

impl Rule for StaticMutState {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        match expr {
            Expr::Path(path) if path.qself.is_none() => {
                let Some(last) = path.path.segments.last() else {
                    return;
                };
                let name = last.ident.to_string();
                if !cx.locks().is_static_mut(&name) {
                    return;
                }
                let access = cx.span(expr.span());
                if on_other_thread(cx.exec()) {
                    out.push(report(cx, &name, access));
                } else if cx.exec() == Exec::Sync
                    && !cx.locks().in_impl()
                    && let Some(func) = cx.locks().fn_name()
                {
                    self.in_fns.push((func.to_string(), name, access));
                }
            }
            Expr::Call(call) if on_other_thread(cx.exec()) => {
                if let Some(callee) = path_ident(&call.func) {
                    self.from_threads.push((callee, cx.span(call.func.span())));
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (func, name, access) in &self.in_fns {
            let Some((_, call)) = self.from_threads.iter().find(|(callee, _)| callee == func)
            else {
                continue;
            };
            out.push(report(cx, name, *access).with_label(
                *call,
                format!("`{func}` is called from a spawned thread here"),
            ));
        }
    }
}
