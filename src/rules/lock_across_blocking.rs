//! `lock_across_blocking`: a lock guard alive across a blocking call in sync code.

use syn::Expr;

use crate::analysis::locks::{is_lock_guard, lock_acquisition};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::rules::{chain_line, chain_notes};
use crate::semantic::catalog::{Blocking, LockFlavor};
use crate::semantic::model::{Effect, Model};
use crate::syntax::exprs::path_ident;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    LockAcrossBlocking,
    name: "lock_across_blocking",
    category: Perf,
    fix: None,
    summary: "a lock held across a blocking call (sleep, I/O, process wait), stalling every thread that needs it",
    crate_check: check_crate,
);

/// See `rules/lock_across_blocking.md`.
#[derive(Default)]
pub struct LockAcrossBlocking;

fn what(kind: Blocking) -> &'static str {
    match kind {
        Blocking::Sleep => "a sleep",
        Blocking::FileSystem => "file system I/O",
        Blocking::Network => "network I/O",
        Blocking::Process => "a wait for a child process",
        Blocking::Stdin => "a read of standard input",
        Blocking::Http => "an HTTP request",
        Blocking::Wait => "a blocking wait",
    }
}

/// Whether a blocking method call works on the value behind the guard named `guard`: its
/// receiver chain starts from the guard (`file.write_all(..)`, `conn.lock().unwrap().query(..)`
/// through a temporary guard, `guard.stream.read(..)`).
fn on_guarded_value(expr: &Expr, guard: &str) -> bool {
    let Expr::MethodCall(call) = expr else {
        return false;
    };
    let mut link = &*call.receiver;
    loop {
        link = match link {
            Expr::MethodCall(inner) if lock_acquisition(link).is_some() => return true,
            Expr::MethodCall(inner) => &inner.receiver,
            Expr::Field(field) => &field.base,
            Expr::Try(e) => &e.expr,
            Expr::Paren(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            Expr::Unary(e) => &e.expr,
            other => return path_ident(other).is_some_and(|name| name == guard),
        };
    }
}

impl Rule for LockAcrossBlocking {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        let Some(kind) = cx.blocking_call(expr) else {
            return;
        };
        // In async code `blocking_call_in_async` reports the call itself.
        if cx.in_async() {
            return;
        }
        // A guard never used by name (`_lock`) exists to serialize what follows, blocking
        // calls included: that is its purpose.
        let Some(guard) = cx
            .live_guards()
            .filter(|g| is_lock_guard(g) && g.is_blocking() && !g.name.starts_with('_'))
            .last()
        else {
            return;
        };
        // I/O on the very handle the lock protects (`let mut file = log.lock()?;
        // file.write_all(..)`) is what the lock is for: it serialises that handle.
        if on_guarded_value(expr, &guard.name) {
            return;
        }
        let lock = guard
            .lock
            .as_deref()
            .map_or_else(|| "a lock".to_string(), |l| format!("`{l}`"));
        out.push(
            cx.call_diagnostic(
                INFO.name,
                expr,
                format!("{lock} stays locked across {}", what(kind)),
            )
            .with_primary_label("every thread that needs the lock waits for this call too")
            .with_label(
                guard.taken,
                format!("locked here; {} is still alive", guard.described()),
            )
            .assuming(guard.assumption())
            .with_help(format!(
                "take what you need out of {} and {} before the blocking call",
                guard.described(),
                guard.how_to_end()
            )),
        );
    }
}

/// A call made while a blocking lock is held, of a helper that blocks (however deep): every
/// thread that needs the lock waits for the helper's I/O.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for call in model.held_calls() {
        let Some(held) = call
            .held
            .iter()
            .find(|h| h.flavor.is_none_or(LockFlavor::is_blocking) && !model.serializes(h))
        else {
            continue;
        };
        let Some(hops) = model.effect_chain(call.callee, Effect::Blocks) else {
            continue;
        };
        let lock = model.lock_label(held);
        let callee = model.name(call.callee);
        let site = model.site(
            call.caller,
            model.summary(call.caller).events[call.event].span,
        );
        let diagnostic = Diagnostic::new(
            INFO.name,
            site.path,
            site.span,
            format!("`{lock}` is held across a blocking call: {}", chain_line(&callee, &hops)),
        )
        .with_primary_label(format!("every thread that needs `{lock}` waits until `{callee}` returns"))
        .with_label(model.take_site(held).span, format!("`{lock}` locked here"))
        .with_help("finish the blocking work before taking the lock, or copy what it needs out of the guard and drop it first");
        out.push(chain_notes(diagnostic, &hops));
    }
}
