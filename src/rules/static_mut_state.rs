//! `static_mut_state`: a `static mut` read or written from a spawned thread.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::facts::{ClosureRole, role_for_api};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::{Reached, declare_rule, reached_effects};
use crate::semantic::model::{Effect, Hop, Model};
use crate::semantic::summary::Ctx;
use crate::syntax::exprs::path_ident;
use crate::walk::context::{Context, Exec};
use crate::walk::rule::Rule;

declare_rule!(
    StaticMutState,
    name: "static_mut_state",
    category: Correctness,
    fix: None,
    summary: "a `static mut` used from a spawned thread: a data race waiting to happen",
    crate_check: check_crate,
    allowed_by: ["static_mut_refs"],
);

/// See `rules/static_mut_state.md`.
#[derive(Default)]
pub struct StaticMutState {
    /// Accesses in the bodies of functions and methods: (callee, static, access).
    in_fns: Vec<(Callee, String, Span)>,
    /// Calls of functions and methods from thread bodies: (callee, call).
    from_threads: Vec<(Callee, Span)>,
}

/// A function of this file, as a call names it: a free function by its name, a method (or an
/// associated function called as `Type::f`/`Self::f`) by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Callee {
    Free(String),
    Method(String),
}

impl Callee {
    fn name(&self) -> &str {
        match self {
            Callee::Free(name) | Callee::Method(name) => name,
        }
    }
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
                    && let Some(func) = cx.locks().fn_name()
                {
                    let callee = if cx.locks().in_impl() {
                        Callee::Method(func.to_string())
                    } else {
                        Callee::Free(func.to_string())
                    };
                    self.in_fns.push((callee, name, access));
                }
            }
            // `thread::spawn(record_hit)`: the function itself runs on the new thread.
            Expr::Call(call)
                if matches!(
                    role_for_api(cx.call_api(&call.func)),
                    ClosureRole::Thread | ClosureRole::Rayon | ClosureRole::BlockingPool
                ) && call.args.first().and_then(path_ident).is_some() =>
            {
                if let Some(name) = call.args.first().and_then(path_ident) {
                    self.from_threads
                        .push((Callee::Free(name), cx.span(call.args[0].span())));
                }
            }
            Expr::Call(call) if on_other_thread(cx.exec()) => {
                let Expr::Path(path) = &*call.func else {
                    return;
                };
                let callee = match path.path.segments.len() {
                    1 => path_ident(&call.func).map(Callee::Free),
                    // `Self::f()`, `Type::f()`: an associated function of an impl.
                    2 => path
                        .path
                        .segments
                        .last()
                        .map(|s| Callee::Method(s.ident.to_string())),
                    _ => None,
                };
                if let Some(callee) = callee {
                    self.from_threads.push((callee, cx.span(call.func.span())));
                }
            }
            Expr::MethodCall(call) if on_other_thread(cx.exec()) => {
                self.from_threads.push((
                    Callee::Method(call.method.to_string()),
                    cx.span(call.method.span()),
                ));
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
                format!("`{}` is called from a spawned thread here", func.name()),
            ));
        }
    }
}

/// Calls on another thread of the package's functions that read or write a `static mut`,
/// however deep and in whichever file. A call one step from a function of the same file is
/// left to the walk, which reports the access itself.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    let reached = Reached {
        rule: INFO.name,
        ctx: Ctx::Thread,
        effect: Effect::StaticMut,
        what: "a `static mut` is accessed from a spawned thread",
        label: &|name| format!("`{name}` runs on the spawned thread and reaches the `static mut`"),
        help: HELP,
    };
    // A helper of the caller's own file, one call deep, is the walk's: it reports the access.
    let walked =
        |caller: &std::path::Path, hops: &[Hop]| matches!(hops, [hop] if hop.site.path == caller);
    reached_effects(model, &reached, walked, out);
}
