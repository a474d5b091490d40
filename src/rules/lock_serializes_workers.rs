//! `lock_serializes_workers`: workers that take the same shared lock first and hold it through
//! their work, so the "parallel" workers run one at a time.

use syn::spanned::Spanned;
use syn::{Expr, ExprClosure, Local, Stmt};

use crate::analysis::facts::ClosureRole;
use crate::analysis::lock_uses::lock_constructor;
use crate::analysis::locks::{LockId, LockOwner, Taking, clone_source, taking};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog::LockMode;
use crate::semantic::catalog::{self, Api, LockFlavor};
use crate::syntax::exprs::{ident_is, path_ident, unwrapped};
use crate::syntax::find::{Node, Search};
use crate::syntax::macros;
use crate::syntax::pats::{pat_name, pat_names};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    LockSerializesWorkers,
    name: "lock_serializes_workers",
    category: Perf,
    fix: None,
    summary: "workers that lock the same lock first and hold it through all their work, so they run one at a time",
);

/// See `rules/lock_serializes_workers.md`.
#[derive(Default)]
pub struct LockSerializesWorkers {
    /// Locals bound to a new lock (`let m = Arc::new(Mutex::new(..))`), with how many loops
    /// enclosed the `let`: a worker spawned in a deeper loop shares that one lock.
    declared: Vec<(LockId, usize)>,
}

/// A worker body that takes a lock first and then works while holding it.
struct HeldWork<'e> {
    taking: Taking<'e>,
    /// Where the first work done under the lock is.
    work: Span,
    /// For a guard that is a temporary of a loop or `match` header, that header's keyword.
    temporary: Option<&'static str>,
}

impl Rule for LockSerializesWorkers {
    fn check_local(&mut self, cx: &Context<'_>, local: &Local, _out: &mut Vec<Diagnostic>) {
        let (Some(name), Some(init)) = (pat_name(&local.pat), &local.init) else {
            return;
        };
        if let Some((ctor, _)) = lock_constructor(cx, &init.expr)
            && matches!(cx.call_api(&ctor.func), Some(Api::LockType(f)) if serializes(f))
        {
            self.declared
                .push((cx.locks().id(&name), cx.loops().count()));
        }
    }

    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        // Only calls given a closure can start workers: look for one before asking what the
        // callee is (most calls have none).
        let (args, method) = match expr {
            Expr::Call(call) => (&call.args, None),
            Expr::MethodCall(call) => (&call.args, Some(&call.method)),
            _ => return,
        };
        let Some(closure) = args.iter().rev().find_map(|a| match a {
            Expr::Closure(c) => Some(c),
            _ => None,
        }) else {
            return;
        };
        let role = cx.closure_role(expr);
        if !matches!(
            role,
            Some(ClosureRole::Thread | ClosureRole::BlockingPool | ClosureRole::Rayon)
        ) {
            return;
        }
        let per_item = role == Some(ClosureRole::Rayon)
            && method.is_some_and(|m| catalog::PER_ITEM_METHODS.contains(&m.to_string().as_str()));
        let loops = cx.loops().count();
        if !per_item && loops == 0 {
            return;
        }
        let Some(held) = held_work(cx, closure) else {
            return;
        };
        let Some(key) = held.taking.key.as_deref() else {
            return;
        };
        let id = cx.locks().id(key);
        // A lock captured by a per-item closure is the same one for every item; a worker
        // spawned in a loop shares a local only if the local was made outside that loop.
        let declared_lock = held.taking.flavor.is_some_and(serializes);
        let shared = match id.owner {
            LockOwner::Global | LockOwner::SelfType(_) => declared_lock,
            LockOwner::Local(_) if per_item && declared_lock => true,
            LockOwner::Local(_) => self
                .declared
                .iter()
                .rev()
                .find(|(declared, _)| *declared == id)
                .is_some_and(|(_, depth)| *depth < loops + usize::from(per_item)),
        };
        if !shared {
            return;
        }
        let call = held.taking.call;
        let taken = Span::join(
            cx.span(call.receiver.span()),
            cx.span(call.paren_token.span.close()),
        );
        let (label, help) = match held.temporary {
            None => (
                "taken first and held to the end of the worker: only one worker runs at a time"
                    .to_string(),
                "hold the lock only around the shared update (in its own block, or `drop` the guard before the work), or give each worker its own data and combine the results after joining",
            ),
            Some(header) => (
                format!(
                    "the guard is a temporary of the `{header}` header: it lives until the body is done, so only one worker runs at a time"
                ),
                "take the item in a statement of its own (`let job = rx.lock().unwrap().recv();`) so the guard drops before the work",
            ),
        };
        out.push(
            cx.diagnostic_at(
                INFO.name,
                taken,
                format!("every worker holds `{key}` through all of its work"),
            )
            .with_primary_label(label)
            .with_label(
                cx.span(crate::syntax::exprs::callee_span(expr)),
                "the workers start here",
            )
            .with_label(held.work, "this work runs while the lock is held")
            .with_help(help),
        );
    }
}

/// Whether holding a lock of this family makes other threads wait: blocking and not
/// re-entrant (shared `read()` guards never reach here).
fn serializes(flavor: LockFlavor) -> bool {
    matches!(flavor, LockFlavor::Std | LockFlavor::ParkingLot)
}

/// The worker body's leading lock and the first work done under it, if the body takes an
/// exclusive lock before doing anything but binding clones and holds it while working: a
/// guard bound by `let`, or a temporary of a `while let`/`for`/`match` header (alone or first
/// in a `loop`).
fn held_work<'e>(cx: &Context<'_>, closure: &'e ExprClosure) -> Option<HeldWork<'e>> {
    let mut local_names: Vec<String> = closure.inputs.iter().flat_map(pat_names).collect();
    let Expr::Block(body) = &*closure.body else {
        // `move || loop { .. }`
        return temporary_guard(cx, &closure.body, &local_names);
    };
    let stmts = &body.block.stmts;
    for (index, stmt) in stmts.iter().enumerate() {
        let local = match stmt {
            Stmt::Local(local) => local,
            Stmt::Expr(expr, _) => return temporary_guard(cx, expr, &local_names),
            _ => return None,
        };
        let Some(init) = &local.init else { continue };
        let exclusive = taking(cx, unwrapped(&init.expr))
            .filter(|t| init.diverge.is_none() && t.mode != LockMode::Read);
        let Some(taking) = exclusive else {
            if !is_preamble(cx, &init.expr) {
                return None;
            }
            local_names.extend(pat_names(&local.pat));
            continue;
        };
        captured_root(&taking, &local_names)?;
        let names = [pat_name(&local.pat)?];
        let work = stmts[index + 1..]
            .iter()
            .take_while(|stmt| !releases(stmt, &names[0]))
            .find(|stmt| does_work(&names, *stmt))?;
        return Some(HeldWork {
            taking,
            work: work_span(cx, work),
            temporary: None,
        });
    }
    None
}

/// The root name of the lock's path, when it is not one of the worker's own `locals`.
fn captured_root<'t>(taking: &'t Taking<'_>, locals: &[String]) -> Option<&'t str> {
    let root = taking.key.as_deref()?.split(['.', ':']).next()?;
    (!locals.iter().any(|n| n == root)).then_some(root)
}

/// A lock taken in the header of a `while let`, `for` or `match` (or of the first such
/// statement of a `loop`) whose body works: the guard, a temporary of the header, lives until
/// the body ends.
fn temporary_guard<'e>(
    cx: &Context<'_>,
    expr: &'e Expr,
    locals: &[String],
) -> Option<HeldWork<'e>> {
    let expr = match expr {
        Expr::Loop(lp) => match lp.body.stmts.first()? {
            Stmt::Expr(inner, _) => inner,
            _ => return None,
        },
        other => other,
    };
    let (header, scrutinee) = match expr {
        Expr::While(w) => match &*w.cond {
            Expr::Let(binding) => ("while let", &*binding.expr),
            _ => return None,
        },
        Expr::ForLoop(f) => ("for", &*f.expr),
        Expr::Match(m) => ("match", &*m.expr),
        _ => return None,
    };
    let taking = header_taking(cx, scrutinee).filter(|t| t.mode != LockMode::Read)?;
    captured_root(&taking, locals)?;
    let work = match expr {
        Expr::While(w) => block_work(cx, &w.body)?,
        Expr::ForLoop(f) => block_work(cx, &f.body)?,
        Expr::Match(m) => m
            .arms
            .iter()
            .find(|arm| does_work(&[], &*arm.body))
            .map(|arm| cx.span(arm.body.span()))?,
        _ => return None,
    };
    Some(HeldWork {
        taking,
        work,
        temporary: Some(header),
    })
}

/// The lock taken along a header's method chain (`rx.lock().unwrap().recv()`).
fn header_taking<'e>(cx: &Context<'_>, mut expr: &'e Expr) -> Option<Taking<'e>> {
    loop {
        if let Some(found) = taking(cx, expr) {
            return Some(found);
        }
        expr = match expr {
            Expr::MethodCall(call) => &call.receiver,
            Expr::Try(inner) => &inner.expr,
            Expr::Paren(inner) => &inner.expr,
            Expr::Reference(inner) => &inner.expr,
            _ => return None,
        };
    }
}

/// Where the first work in a loop body is.
fn block_work(cx: &Context<'_>, body: &syn::Block) -> Option<Span> {
    body.stmts
        .iter()
        .find(|stmt| does_work(&[], *stmt))
        .map(|stmt| work_span(cx, stmt))
}

/// A statement before the lock that does no work: a clone of a handle, a path, a literal.
fn is_preamble(cx: &Context<'_>, init: &Expr) -> bool {
    clone_source(cx, init).is_some() || matches!(init, Expr::Path(_) | Expr::Lit(_))
}

/// Whether a statement ends the guard `name`: `drop(name)` or the guard passed by value to any
/// call (`cvar.wait(guard)` releases it while waiting).
fn releases(stmt: &Stmt, name: &str) -> bool {
    Search::NESTED.without_macros().any(stmt, |expr| {
        let args = match expr {
            Expr::Call(call) => &call.args,
            Expr::MethodCall(call) => &call.args,
            _ => return false,
        };
        args.iter().any(|a| path_ident_is(a, name))
    })
}

fn path_ident_is(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(_)) && path_ident(expr).is_some_and(|n| n == name)
}

/// Whether a node does real work without the guard: a call that is neither a cheap
/// conversion nor a constructor and does not use the guard (`heavy(x)` in
/// `out.push(heavy(x))` counts, `out.push(x)` does not). Macros (logging, formatting) are not
/// counted.
fn does_work<'a>(guard: &[String], node: impl Into<Node<'a>>) -> bool {
    Search::NESTED.without_macros().any(node, |expr| {
        let costly = match expr {
            Expr::Call(call) => !is_constructor(&call.func),
            Expr::MethodCall(call) => !ident_is(&call.method, catalog::CHEAP_METHODS),
            _ => false,
        };
        costly && !macros::node_mentions(guard, |v| v.visit_expr(expr))
    })
}

/// Whether a callee builds a value: a tuple struct or variant (`Some`, `Ok`, `Point`) or a
/// conventional constructor (`Item::new`, `String::from`). Building a value is not work.
fn is_constructor(func: &Expr) -> bool {
    let Expr::Path(path) = func else { return false };
    path.path.segments.last().is_some_and(|s| {
        let name = s.ident.to_string();
        name.starts_with(char::is_uppercase)
            || matches!(name.as_str(), "new" | "from" | "default" | "with_capacity")
    })
}

/// Where to point at a statement of work: a loop's header, or the statement.
fn work_span(cx: &Context<'_>, stmt: &Stmt) -> Span {
    let expr = match stmt {
        Stmt::Expr(expr, _) => expr,
        _ => return cx.span(stmt.span()),
    };
    match expr {
        Expr::ForLoop(l) => Span::join(cx.span(l.for_token.span), cx.span(l.expr.span())),
        Expr::While(l) => Span::join(cx.span(l.while_token.span), cx.span(l.cond.span())),
        Expr::Loop(l) => cx.span(l.loop_token.span),
        _ => cx.span(stmt.span()),
    }
}
