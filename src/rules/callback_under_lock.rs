//! `callback_under_lock`: caller-supplied code (a closure parameter, a handler or observer held
//! in a field) called while a lock is held.

use syn::{Expr, Pat};

use crate::analysis::callbacks::Callback;
use crate::analysis::locks::{Guard, is_lock_guard, lock_acquisition};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog::LockFlavor;
use crate::syntax::exprs::{chain_root, is_constant_name, path_ident, strip};
use crate::syntax::pats::pat_names;
use crate::syntax::spans;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    CallbackUnderLock,
    name: "callback_under_lock",
    category: Suspicious,
    fix: None,
    summary: "a caller-supplied closure or observer called while a lock is held: re-entrancy deadlock",
);

/// See `rules/callback_under_lock.md`.
#[derive(Default)]
pub struct CallbackUnderLock {
    /// Names bound to callbacks taken from a field (`for l in &self.listeners`,
    /// `if let Some(cb) = &self.on_change`), with the code they are bound in.
    bound: Vec<(String, Span, Callback)>,
}

fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

impl CallbackUnderLock {
    /// Remembers the names `pat` binds from `source` when `source` holds callbacks, for
    /// `scope` (the loop body, the `if let` branch).
    fn bind(&mut self, cx: &Context<'_>, pat: &Pat, source: &Expr, scope: Span) {
        // `if let Ok(guard) = self.listeners.lock()` binds the guard, not a listener.
        if lock_acquisition(strip(source)).is_some() {
            return;
        }
        let Some(callback) = source_callback(cx, source) else {
            return;
        };
        for name in pat_names(pat) {
            self.bound.push((name, scope, callback));
        }
    }

    fn bound_as(&self, name: &str, at: Span) -> Option<Callback> {
        self.bound
            .iter()
            .rev()
            .find(|(n, scope, _)| n == name && within(at, *scope))
            .map(|(_, _, callback)| *callback)
    }

    /// The callback `expr` calls and how to name it, if it is caller-supplied code.
    fn callee(&self, cx: &Context<'_>, expr: &Expr) -> Option<String> {
        let at = || cx.span(spans::span(expr));
        match expr {
            Expr::Call(call) => match strip(&call.func) {
                Expr::Path(_) => {
                    let name = path_ident(&call.func)?;
                    (cx.is_callback_param(&name)
                        || self.bound_as(&name, at()) == Some(Callback::Closure))
                    .then(|| format!("`{name}`"))
                }
                Expr::Field(field) => {
                    let name = field_of_self(field)?;
                    (cx.callback_field(&name) == Some(Callback::Closure))
                        .then(|| format!("the handler in `self.{name}`"))
                }
                _ => None,
            },
            Expr::MethodCall(call) => {
                let receiver = strip(&call.receiver);
                let observer = match path_ident(receiver) {
                    Some(name) if name != "self" => self.bound_as(&name, at()),
                    _ => self_field(receiver).and_then(|f| cx.callback_field(&f)),
                };
                (observer == Some(Callback::Observer))
                    .then(|| format!("`.{}()` on a caller-supplied observer", call.method))
            }
            _ => None,
        }
    }
}

/// The field name of `self.name`.
fn self_field(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Field(field) => field_of_self(field),
        _ => None,
    }
}

/// The field name of `self.name`, for a field expression.
fn field_of_self(field: &syn::ExprField) -> Option<String> {
    let syn::Member::Named(name) = &field.member else {
        return None;
    };
    (path_ident(&field.base).as_deref() == Some("self")).then(|| name.to_string())
}

/// The callbacks `expr` yields when iterated or matched: `&self.listeners`,
/// `self.handlers.lock().unwrap().iter()`, `self.on_change.as_ref()`, or a guard of a lock on
/// such a field.
fn source_callback(cx: &Context<'_>, expr: &Expr) -> Option<Callback> {
    let root = chain_root(strip(expr));
    if let Some(field) = self_field(root) {
        return cx.callback_field(&field);
    }
    let name = path_ident(root)?;
    let guard = cx.live_guards().find(|g| !g.temporary && g.name == name)?;
    let field = guard.lock.as_deref()?.strip_prefix("self.")?;
    cx.callback_field(field)
}

/// Whether caller-supplied code can reach the lock `guard` holds: a field of `self`, a static,
/// or a parameter (not a lock this function made).
fn reachable(cx: &Context<'_>, guard: &Guard) -> bool {
    let Some(lock) = guard.lock.as_deref() else {
        return false;
    };
    let head = lock.split(['.', ':']).next().unwrap_or_default();
    head == "self" || is_constant_name(head) || cx.is_param(head)
}

impl Rule for CallbackUnderLock {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        match expr {
            Expr::ForLoop(for_loop) => {
                let scope = cx.span(spans::span(&for_loop.body));
                self.bind(cx, &for_loop.pat, &for_loop.expr, scope);
                return;
            }
            Expr::If(if_expr) => {
                if let Expr::Let(lett) = &*if_expr.cond {
                    let scope = cx.span(spans::span(&if_expr.then_branch));
                    self.bind(cx, &lett.pat, &lett.expr, scope);
                }
                return;
            }
            _ => {}
        }
        let Some(callee) = self.callee(cx, expr) else {
            return;
        };
        let Some(guard) = cx.live_guards().find(|g| {
            is_lock_guard(g)
                && g.is_blocking()
                && g.flavor != Some(LockFlavor::Reentrant)
                && reachable(cx, g)
        }) else {
            return;
        };
        let lock = guard.lock.as_deref().unwrap_or("the lock");
        out.push(
            cx.diagnostic(
                INFO.name,
                expr,
                format!("{callee} is caller-supplied code, called while `{lock}` is locked"),
            )
            .with_primary_label(format!(
                "if it calls back into this code and locks `{lock}` again, the thread deadlocks"
            ))
            .with_label(
                guard.taken,
                format!("locked here; {} is still alive", guard.described()),
            )
            .assuming(guard.assumption())
            .with_help(format!(
                "take what the callback needs out of the lock, {}, then call it (clone an \
                 `Arc<dyn Fn>` or the list of observers out of the lock if needed)",
                guard.how_to_end()
            )),
        );
    }
}
