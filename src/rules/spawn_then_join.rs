//! `spawn_then_join`: a thread spawned and joined with no work in between.

use syn::{Block, Expr, Stmt};

use crate::catalog::Api;
use crate::context::{Context, callee_span, path_ident, strip, unwrapped};
use crate::diagnostic::Diagnostic;
use crate::rules::{Rule, declare_rule};

declare_rule!(
    SpawnThenJoin,
    name: "spawn_then_join",
    fix: None,
    summary: "a thread spawned and joined right away, so nothing runs in parallel",
);

/// See `rules/spawn_then_join.md`.
#[derive(Default)]
pub struct SpawnThenJoin;

const HELP: &str = "call the closure's body directly: a thread that is joined before anything \
                    else happens only adds the cost of creating it";

fn report(cx: &Context<'_>, spawn: &Expr, join: &syn::Ident) -> Diagnostic {
    Diagnostic::new(
        INFO.name,
        cx.file.path.clone(),
        cx.span(callee_span(spawn)),
        "thread spawned and immediately joined",
    )
    .with_primary_label("the spawning thread only waits for this one")
    .with_label(cx.span(join.span()), "joined here, with no work in between")
    .with_help(HELP)
}

/// The `.join()` call at the head of a statement (`h.join().unwrap();`, `let r = h.join()?;`)
/// and the name of the handle it joins.
fn joined_handle(stmt: &Stmt) -> Option<(String, &syn::Ident)> {
    let expr = match stmt {
        Stmt::Expr(expr, _) => expr,
        Stmt::Local(local) => &local.init.as_ref()?.expr,
        _ => return None,
    };
    let Expr::MethodCall(call) = unwrapped(expr) else {
        return None;
    };
    if call.method != "join" || !call.args.is_empty() {
        return None;
    }
    Some((path_ident(&call.receiver)?, &call.method))
}

fn spawned_handle<'s>(cx: &Context<'_>, stmt: &'s Stmt) -> Option<(String, &'s Expr)> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Pat::Ident(pat) = &local.pat else {
        return None;
    };
    let spawn = unwrapped(&local.init.as_ref()?.expr);
    is_plain_spawn(cx, spawn).then(|| (pat.ident.to_string(), spawn))
}

/// A thread spawn that is not on a builder asking for a bigger stack: spawning to get a deep
/// stack, then joining, is a legitimate pattern.
fn is_plain_spawn(cx: &Context<'_>, expr: &Expr) -> bool {
    let mut link = expr;
    while let Expr::MethodCall(call) = link {
        if call.method == "stack_size" {
            return false;
        }
        link = &call.receiver;
    }
    cx.api(expr) == Some(Api::ThreadSpawn)
}

impl Rule for SpawnThenJoin {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        match expr {
            // `thread::spawn(f).join()`
            Expr::MethodCall(call) if call.method == "join" && call.args.is_empty() => {
                let spawn = unwrapped(&call.receiver);
                if is_plain_spawn(cx, spawn) {
                    out.push(report(cx, spawn, &call.method));
                }
            }
            // `thread::scope(|s| { s.spawn(f); })`: the scope joins its only thread at once.
            Expr::Call(call) if cx.call_api(&call.func) == Some(Api::ThreadScope) => {
                let Some(Expr::Closure(closure)) = call.args.first() else {
                    return;
                };
                let Some(handle) = closure.inputs.first() else {
                    return;
                };
                let Expr::Block(body) = strip(&closure.body) else {
                    return;
                };
                let [Stmt::Expr(Expr::MethodCall(spawn), _)] = body.block.stmts.as_slice() else {
                    return;
                };
                let is_handle = path_ident(&spawn.receiver)
                    .is_some_and(|r| matches!(handle, syn::Pat::Ident(p) if p.ident == r));
                if is_handle && spawn.method == "spawn" {
                    out.push(
                        Diagnostic::new(
                            INFO.name,
                            cx.file.path.clone(),
                            cx.span(spawn.method.span()),
                            "the only thread of this scope is joined when the scope ends, with no work in between",
                        )
                        .with_label(cx.span(syn::spanned::Spanned::span(&call.func)), "the scope waits for it here")
                        .with_help(HELP),
                    );
                }
            }
            _ => {}
        }
    }

    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        for pair in block.stmts.windows(2) {
            let Some((handle, spawn)) = spawned_handle(cx, &pair[0]) else {
                continue;
            };
            let Some((joined, join)) = joined_handle(&pair[1]) else {
                continue;
            };
            if joined == handle {
                out.push(report(cx, spawn, join));
            }
        }
    }
}
