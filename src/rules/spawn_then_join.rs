//! `spawn_then_join`: a thread spawned and joined with no work in between.

use std::collections::HashSet;

use syn::spanned::Spanned;
use syn::{Block, Expr, ExprMethodCall, Stmt};

use crate::analysis::threads;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Span, Suggestion};
use crate::rules::declare_rule;
use crate::semantic::catalog::Api;
use crate::syntax::exprs::{
    callee_span, ident_is, is_constant_name, path_ident, path_segments, strip, unwrapped,
};
use crate::syntax::find::Search;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    SpawnThenJoin,
    name: "spawn_then_join",
    category: Perf,
    fix: Unsafe,
    summary: "a thread spawned and joined right away, so nothing runs in parallel",
);

/// See `rules/spawn_then_join.md`.
#[derive(Default)]
pub struct SpawnThenJoin {
    /// Spawns already reported (by start byte), so a chain is reported once.
    reported: HashSet<usize>,
}

const HELP: &str = "call the closure's body directly: a thread that is joined before anything \
                    else happens only adds the cost of creating it";

impl SpawnThenJoin {
    fn report(
        &mut self,
        cx: &Context<'_>,
        spawn: &Expr,
        join: &syn::Ident,
        fix: Option<Suggestion>,
    ) -> Option<Diagnostic> {
        let span = cx.span(callee_span(spawn));
        if !self.reported.insert(span.start.byte) {
            return None;
        }
        let diag = cx
            .diagnostic_at(INFO.name, span, "thread spawned and immediately joined")
            .with_primary_label("the spawning thread only waits for this one")
            .with_label(cx.span(join.span()), "joined here, with no work in between")
            .with_help(HELP);
        Some(match fix {
            Some(fix) => diag.with_suggestion(fix),
            None => diag,
        })
    }
}

/// `h.join()` (with `.unwrap()`/`.expect(..)`/`?` after it) at the head of a statement, as
/// (handle name, the `join` method name, the whole expression when its value is the thread's
/// result).
fn joined_handle(stmt: &Stmt) -> Option<(String, &syn::Ident, Option<&Expr>)> {
    let expr = match stmt {
        Stmt::Expr(expr, _) => expr,
        Stmt::Local(local) => &local.init.as_ref()?.expr,
        _ => return None,
    };
    let join = join_call(expr)?;
    Some((
        path_ident(&join.receiver)?,
        &join.method,
        unwraps_join(expr).then_some(expr),
    ))
}

/// The `.join()` call an expression ends in, past `.unwrap()`/`.expect(..)`/`?`.
fn join_call(expr: &Expr) -> Option<&ExprMethodCall> {
    match unwrapped(expr) {
        Expr::MethodCall(call) if call.method == "join" && call.args.is_empty() => Some(call),
        _ => None,
    }
}

/// Whether `expr` is `X.join().unwrap()` or `X.join().expect(..)`: its value is the closure's.
fn unwraps_join(expr: &Expr) -> bool {
    matches!(expr, Expr::MethodCall(outer)
        if ident_is(&outer.method, &["unwrap", "expect"])
            && matches!(&*outer.receiver, Expr::MethodCall(join) if join.method == "join"))
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

/// A thread spawn that is not on a builder asking for a bigger stack (spawning to get a deep
/// stack, then joining, is a legitimate pattern), whose closure does not need a thread of its
/// own, and that no comment just above explains as a thread on purpose.
fn is_plain_spawn(cx: &Context<'_>, expr: &Expr) -> bool {
    let mut link = expr;
    while let Expr::MethodCall(call) = link {
        if call.method == "stack_size" {
            return false;
        }
        link = &call.receiver;
    }
    cx.api(expr) == Some(Api::ThreadSpawn)
        && !needs_fresh_thread(cx, expr)
        && !cx
            .comment_above(expr.span())
            .is_some_and(|c| c.to_ascii_lowercase().contains("thread"))
}

/// Whether the spawned code needs a thread of its own, whatever the caller's: it drives an
/// executor (`block_on` panics on a thread already inside a runtime, so a fresh thread is the
/// way to run async code from a `LazyLock` initialiser or a sync callback), reads or sets
/// thread-locals (`STATE.with(..)`), or initialises COM for the thread.
fn needs_fresh_thread(cx: &Context<'_>, spawn: &Expr) -> bool {
    let Some(body) = threads::spawned_body(spawn) else {
        return false;
    };
    Search::NESTED.any(body, |e| match e {
        Expr::MethodCall(call) => {
            call.method == "block_on"
                || (call.method == "with"
                    && path_ident(&call.receiver).is_some_and(|name| is_constant_name(&name)))
        }
        Expr::Call(call) => {
            cx.call_api(&call.func) == Some(Api::BlockOn)
                || path_segments(&call.func)
                    .and_then(|segments| segments.last().cloned())
                    .is_some_and(|name| name.starts_with("CoInitialize"))
        }
        _ => false,
    })
}

/// What runs the spawned code in the caller's place: the body of a closure written inline
/// (unless it has a `return` or `?`, which would leave the caller instead of the closure), or
/// a call of a function spawned by name (`compute()` for `thread::spawn(compute)`).
fn inlined(cx: &Context<'_>, spawn: &Expr) -> Option<String> {
    match threads::spawned_body(spawn)? {
        Expr::Closure(closure) => {
            let leaves = Search::INLINE.any(&*closure.body, |e| {
                matches!(e, Expr::Return(_) | Expr::Try(_))
            });
            (!leaves).then(|| cx.text(closure.body.span()).to_string())
        }
        function @ Expr::Path(_) => Some(format!("{}()", cx.text(function.span()))),
        _ => None,
    }
}

/// Replaces `value` (the joined result) with the closure's body, and removes `remove` (the
/// statement that spawned it), when given.
fn inline_fix(
    cx: &Context<'_>,
    spawn: &Expr,
    value: &Expr,
    remove: Option<Span>,
) -> Option<Suggestion> {
    let replacement = inlined(cx, spawn)?;
    let mut edits = Vec::new();
    if let Some(span) = remove {
        edits.push(Edit {
            span,
            replacement: String::new(),
        });
    }
    edits.push(Edit {
        span: cx.span(value.span()),
        replacement,
    });
    Some(Suggestion {
        message: "run the thread's code here".into(),
        edits,
        applicability: Applicability::MaybeIncorrect,
    })
}

impl Rule for SpawnThenJoin {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        match expr {
            // `thread::spawn(f).join()`, visited at its outermost `.unwrap()` first when it has one.
            Expr::MethodCall(_) => {
                let Some(join) = join_call(expr) else { return };
                let spawn = unwrapped(&join.receiver);
                if !is_plain_spawn(cx, spawn) {
                    return;
                }
                let fix = unwraps_join(expr)
                    .then(|| inline_fix(cx, spawn, expr, None))
                    .flatten();
                out.extend(self.report(cx, spawn, &join.method, fix));
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
                        cx.diagnostic_at(INFO.name, cx.span(spawn.method.span()),
                            "the only thread of this scope is joined when the scope ends, with no work in between",
                        )
                        .with_label(cx.span(call.func.span()), "the scope waits for it here")
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
            let Some((joined, join, value)) = joined_handle(&pair[1]) else {
                continue;
            };
            if joined != handle {
                continue;
            }
            let remove = Span {
                start: cx.span(pair[0].span()).start,
                end: cx.span(pair[1].span()).start,
            };
            let fix = value.and_then(|value| inline_fix(cx, spawn, value, Some(remove)));
            out.extend(self.report(cx, spawn, join, fix));
        }
    }
}
