//! `double_lock`: a lock taken again while a guard from the first acquisition is alive.

use syn::spanned::Spanned;
use syn::{Expr, Local};

use crate::analysis::locks::{guard_id, is_lock_guard, taking};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::chain_notes;
use crate::rules::declare_rule;
use crate::semantic::catalog::LockFlavor;
use crate::semantic::catalog::LockMode;
use crate::semantic::model::Model;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    DoubleLock,
    name: "double_lock",
    category: Correctness,
    fix: None,
    summary: "a lock taken again while a guard from the first acquisition is alive: self-deadlock",
    crate_check: check_crate,
);

/// See `rules/double_lock.md`.
#[derive(Default)]
pub struct DoubleLock {
    /// Initializers of `let`s under a `#[cfg]`: two of them may be alternatives, never both
    /// compiled (`#[cfg(feature = "std")] let g = ..; #[cfg(not(..))] let g = ..;`).
    cfg_inits: Vec<Span>,
}

fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Locks a thread can take twice (re-entrant) or that an async runtime manages.
fn can_nest(flavor: Option<LockFlavor>) -> bool {
    matches!(flavor, Some(LockFlavor::Reentrant | LockFlavor::Async))
}

fn verb(mode: LockMode) -> &'static str {
    match mode {
        LockMode::Lock => "locked",
        LockMode::Read => "read-locked",
        LockMode::Write => "write-locked",
    }
}

/// Why the second acquisition hangs. Two reads of one lock deadlock too: a writer that starts
/// waiting between them blocks the second read on a writer-preferring lock (std on Linux and
/// several other platforms, parking_lot, tokio), and waits itself for the first.
fn waits(held: LockMode, taken: LockMode) -> &'static str {
    if held == LockMode::Read && taken == LockMode::Read {
        "a writer that queues between the two reads blocks this one and waits for the first: \
         the thread deadlocks (use the first guard, or `read_recursive()` with parking_lot)"
    } else {
        "this waits for the first guard to drop, which never happens: the thread deadlocks"
    }
}

impl Rule for DoubleLock {
    fn check_local(&mut self, cx: &Context<'_>, local: &Local, _out: &mut Vec<Diagnostic>) {
        if let Some(init) = &local.init
            && local.attrs.iter().any(|a| a.path().is_ident("cfg"))
        {
            self.cfg_inits.push(cx.span(init.expr.span()));
        }
    }

    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        let Some(second) = taking(cx, expr) else {
            return;
        };
        if can_nest(second.flavor) {
            return;
        }
        let Some(id) = second.id(cx) else { return };
        let Some(first) = cx.live_guards().find(|g| {
            is_lock_guard(g) && !can_nest(g.flavor) && guard_id(cx, g).as_ref() == Some(&id)
        }) else {
            return;
        };
        let span = Span::join(
            cx.span(second.call.receiver.span()),
            cx.span(second.call.paren_token.span.close()),
        );
        let in_cfg = |s: Span| self.cfg_inits.iter().any(|&init| within(s, init));
        if in_cfg(first.taken) && in_cfg(span) {
            return;
        }
        out.push(
            cx.diagnostic_at(
                INFO.name,
                span,
                format!(
                    "`{}` is {} again while {} still holds it",
                    id.path,
                    verb(second.mode),
                    first.described()
                ),
            )
            .with_primary_label(waits(first.mode, second.mode))
            .with_label(
                first.taken,
                format!(
                    "first {} here; {} is still alive",
                    verb(first.mode),
                    first.described()
                ),
            )
            .assuming(first.assumption())
            .with_help(if first.temporary {
                first.how_to_end()
            } else {
                format!(
                    "use the data through `{}`, or {}",
                    first.name,
                    first.how_to_end()
                )
            }),
        );
    }
}

/// A call made while a guard is held, of a helper that takes the same lock again (however
/// deep): the helper waits for a guard its own caller holds.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for call in model.held_calls() {
        let retaken = model.call_takes(&call).into_iter().find_map(|taken| {
            if !model.take_is_certain(&taken) {
                return None;
            }
            let held = call.held.iter().find(|h| {
                h.instance.is_some()
                    && h.instance == taken.instance
                    && !can_nest(h.flavor)
                    && !can_nest(taken.flavor)
            })?;
            Some((held.clone(), taken))
        });
        let Some((held, taken)) = retaken else {
            continue;
        };
        let lock = model.lock_label(&held);
        let callee = model.name(call.callee);
        let site = model.site(
            call.caller,
            model.summary(call.caller).events[call.event].span,
        );
        let diagnostic = Diagnostic::new(
            INFO.name,
            site.path,
            site.span,
            format!("`{callee}` takes `{lock}` again while it is held here: self-deadlock"),
        )
        .with_primary_label(format!(
            "`{lock}` is still {} when `{callee}` runs; {}",
            verb(held.mode),
            waits(held.mode, taken.mode)
        ))
        .with_label(
            model.take_site(&held).span,
            format!("`{lock}` {} here", verb(held.mode)),
        )
        .with_help(format!(
            "drop the guard before calling `{callee}`, or pass the locked value to it instead of \
             letting it lock again"
        ));
        out.push(chain_notes(diagnostic, &model.take_chain(&taken)));
    }
}
