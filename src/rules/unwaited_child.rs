//! `unwaited_child`: a `Child` from `Command::spawn` that is never waited on.

use syn::{Block, Expr, ExprMethodCall, Pat, Stmt};

use crate::analysis::bindings::{self, Follow, Parent};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog::{self, Api};
use crate::syntax::exprs::{ident_is, unwrapped};
use crate::syntax::find::Search;
use crate::syntax::pats::pat_name;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    UnwaitedChild,
    name: "unwaited_child",
    category: Correctness,
    fix: None,
    summary: "a child process spawned and never waited on: a zombie on Unix until this process exits",
    allowed_by: ["clippy::zombie_processes"],
);

/// See `rules/unwaited_child.md`.
#[derive(Default)]
pub struct UnwaitedChild;

const HELP: &str = "wait for it (`child.wait()?`, or `try_wait` in a loop), or return or store the \
                    `Child` so its owner can; dropping a `Child` neither waits for nor kills it";

impl UnwaitedChild {
    fn report(&self, cx: &Context<'_>, spawn: &Expr, message: &str, label: &str) -> Diagnostic {
        cx.diagnostic(INFO.name, spawn, message)
            .with_primary_label(label)
            .with_help(HELP)
    }

    /// Whether the binding `name`, holding a `Child`, is waited on or handed to something that
    /// may wait on it, in `rest`.
    fn is_rescued(cx: &Context<'_>, name: &str, rest: &[Stmt]) -> bool {
        bindings::uses(cx, name, rest, Follow::default())
            .iter()
            .any(|u| match &u.parent {
                Parent::Methods(_) | Parent::Macro(_) => {
                    u.in_move_closure
                        || u.methods()
                            .iter()
                            .any(|m| catalog::CHILD_WAIT_METHODS.contains(&m.as_str()))
                }
                Parent::Arg(_) | Parent::Other => true,
            })
    }
}

/// Whether a child left unreaped leaks nothing: on Windows (no zombies there: Windows-only
/// code, or a chain setting `creation_flags`, which only Windows has), or when the process
/// ends right after (`process::exit` later in the block: the daemon is spawned on purpose).
fn leaks_nothing(cx: &Context<'_>, spawn: &ExprMethodCall, rest: &[Stmt]) -> bool {
    let mut receiver = &*spawn.receiver;
    let mut windows_flags = false;
    while let Expr::MethodCall(call) = receiver {
        windows_flags |= call.method == "creation_flags";
        receiver = &call.receiver;
    }
    windows_flags
        || cx.windows_only()
        || Search::INLINE.any(rest, |e| cx.api(e) == Some(Api::ProcessExit))
}

/// A `Child` dropped by the shape of the code around its spawn: `.spawn().map(|_| ..)`,
/// `if let Err(e) = cmd.spawn()`, `match cmd.spawn() { Ok(_) => .. }`; the spawn call when so.
fn dropped_by_pattern<'e>(cx: &Context<'_>, expr: &'e Expr) -> Option<&'e Expr> {
    let spawn = |e: &'e Expr| {
        cx.commands()
            .spawn_call(cx, e)
            .filter(|call| !leaks_nothing(cx, call, &[]))
            .map(|_| e)
    };
    match expr {
        Expr::MethodCall(call)
            if ident_is(&call.method, &["map", "and_then"])
                && matches!(call.args.first(), Some(Expr::Closure(c))
                    if c.inputs.first().is_some_and(|p| matches!(p, Pat::Wild(_)))) =>
        {
            spawn(&call.receiver)
        }
        Expr::If(if_expr) => match &*if_expr.cond {
            Expr::Let(lett) if is_err_pattern(&lett.pat) => spawn(&lett.expr),
            _ => None,
        },
        Expr::Match(m) if m.arms.iter().any(|arm| drops_ok(&arm.pat)) => spawn(&m.expr),
        _ => None,
    }
}

/// `Err(..)`: the `Ok` value, the `Child`, is dropped unnamed.
fn is_err_pattern(pat: &Pat) -> bool {
    matches!(pat, Pat::TupleStruct(p) if p.path.is_ident("Err"))
}

/// `Ok(_)` or `Ok(..)`: an arm that matches the `Child` without binding it.
fn drops_ok(pat: &Pat) -> bool {
    match pat {
        Pat::TupleStruct(p) if p.path.is_ident("Ok") => p
            .elems
            .iter()
            .all(|e| matches!(e, Pat::Wild(_) | Pat::Rest(_))),
        Pat::Or(or) => or.cases.iter().any(drops_ok),
        _ => false,
    }
}

impl Rule for UnwaitedChild {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if let Some(spawn) = dropped_by_pattern(cx, expr) {
            out.push(self.report(
                cx,
                unwrapped(spawn),
                "child process spawned and dropped unnamed, never waited on",
                "the `Child` in this `Ok` is dropped without a name: nobody reaps the process",
            ));
        }
    }

    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        for (index, stmt) in block.stmts.iter().enumerate() {
            let rest = &block.stmts[index + 1..];
            match stmt {
                Stmt::Expr(expr, Some(_))
                    if cx
                        .commands()
                        .spawn_call(cx, expr)
                        .is_some_and(|spawn| !leaks_nothing(cx, spawn, rest)) =>
                {
                    out.push(self.report(
                        cx,
                        unwrapped(expr),
                        "child process spawned and dropped at once, never waited on",
                        "the `Child` is dropped here: nobody reaps the process when it exits",
                    ));
                }
                Stmt::Local(local) => {
                    let Some(init) = &local.init else { continue };
                    let Some(spawn_call) = cx.commands().spawn_call(cx, &init.expr) else {
                        continue;
                    };
                    if leaks_nothing(cx, spawn_call, rest) {
                        continue;
                    }
                    let spawn = unwrapped(&init.expr);
                    if matches!(local.pat, Pat::Wild(_)) {
                        out.push(self.report(
                            cx,
                            spawn,
                            "child process spawned and dropped at once, never waited on",
                            "`let _ =` drops the `Child` here: nobody reaps the process when it exits",
                        ));
                        continue;
                    }
                    let Some(name) = pat_name(&local.pat) else {
                        continue;
                    };
                    if !Self::is_rescued(cx, &name, rest) {
                        out.push(
                            self.report(
                                cx,
                                spawn,
                                &format!("child process `{name}` is never waited on"),
                                "spawned here; no `wait`, `wait_with_output` or `try_wait` follows",
                            )
                            .with_label(
                                cx.span(syn::spanned::Spanned::span(&local.pat)),
                                "dropped at the end of its scope without being reaped",
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
