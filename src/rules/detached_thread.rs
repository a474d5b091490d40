//! `detached_thread`: a thread spawned with its `JoinHandle` thrown away at once.

use syn::{Expr, Pat, Stmt};

use crate::analysis::threads;
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog::Api;
use crate::syntax::exprs::{chain_root, unwrapped};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    DetachedThread,
    name: "detached_thread",
    category: Pedantic,
    fix: None,
    summary: "a thread spawned with its `JoinHandle` dropped at once, so its panics and results are lost",
);

/// See `rules/detached_thread.md`.
#[derive(Default)]
pub struct DetachedThread;

/// Whether `expr` spawns an unscoped OS thread whose configuration is all in sight:
/// `thread::spawn(f)`, or `Builder::new()..spawn(f)` on an unnamed builder written inline.
/// Scoped threads are joined by their scope; a named thread is a deliberate service thread
/// (its panic message names it); a builder held in a variable may be named anywhere.
fn is_plain_detachable_spawn(cx: &Context<'_>, expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => cx.call_api(&call.func) == Some(Api::ThreadSpawn),
        Expr::MethodCall(call) if call.method == "spawn" => {
            let Expr::Call(root) = chain_root(&call.receiver) else {
                return false;
            };
            cx.call_api(&root.func) == Some(Api::ThreadBuilder) && !names_thread(&call.receiver)
        }
        _ => false,
    }
}

/// Whether a builder chain calls `.name(..)`.
fn names_thread(mut chain: &Expr) -> bool {
    while let Expr::MethodCall(call) = chain {
        if call.method == "name" {
            return true;
        }
        chain = &call.receiver;
    }
    false
}

/// The spawn whose handle a statement drops: `thread::spawn(f);`, `Builder::new().spawn(f)?;`
/// or `let _ = thread::spawn(f);`.
fn dropped_spawn<'s>(cx: &Context<'_>, stmt: &'s Stmt) -> Option<&'s Expr> {
    let value = match stmt {
        Stmt::Expr(expr, Some(_)) => expr,
        Stmt::Local(local) if matches!(local.pat, Pat::Wild(_)) => &local.init.as_ref()?.expr,
        _ => return None,
    };
    let spawn = unwrapped(value);
    if !is_plain_detachable_spawn(cx, spawn) {
        return None;
    }
    // A service thread has nothing to join at a useful time; a worker that reports through a
    // channel or the UI's event loop is observed there.
    let body = threads::spawned_body(spawn)?;
    (!threads::is_service(cx, body) && !threads::reports(body)).then_some(spawn)
}

impl Rule for DetachedThread {
    fn check_stmt(&mut self, cx: &Context<'_>, stmt: &Stmt, out: &mut Vec<Diagnostic>) {
        let Some(spawn) = dropped_spawn(cx, stmt) else {
            return;
        };
        out.push(
            cx.call_diagnostic(
                INFO.name,
                spawn,
                "the thread's `JoinHandle` is dropped at once, detaching it",
            )
            .with_primary_label(
                "nobody joins this thread: its panic is lost and it may be cut off at exit",
            )
            .with_help(
                "keep the handle and `join()` it (report its panic), or make the detach visible \
                 with `drop(handle)` and a comment saying why the thread may outlive its work",
            ),
        );
    }
}
