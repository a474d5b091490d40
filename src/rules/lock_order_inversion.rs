//! `lock_order_inversion`: two locks taken in opposite orders in two places.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::locks::{LockId, guard_id, is_lock_guard, taking};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog::LockMode;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    LockOrderInversion,
    name: "lock_order_inversion",
    fix: None,
    summary: "two locks taken in opposite orders in two places: threads running both can deadlock",
);

/// See `rules/lock_order_inversion.md`.
#[derive(Default)]
pub struct LockOrderInversion {
    edges: Vec<Edge>,
}

/// One nested acquisition: `taken` locked while a guard of `held` is alive.
struct Edge {
    held: LockId,
    held_mode: LockMode,
    held_at: Span,
    taken: LockId,
    taken_mode: LockMode,
    taken_at: Span,
}

impl Edge {
    /// Whether `self` and `other` take the same two locks in opposite orders and each would
    /// wait for the other's held guard.
    fn inverts(&self, other: &Edge) -> bool {
        self.held == other.taken
            && self.taken == other.held
            && other.held_mode.conflicts(self.taken_mode)
            && self.held_mode.conflicts(other.taken_mode)
    }
}

impl Rule for LockOrderInversion {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, _out: &mut Vec<Diagnostic>) {
        let Some(taking) = taking(cx, expr) else {
            return;
        };
        let Some(taken) = taking.id(cx) else { return };
        let taken_at = Span::join(
            cx.span(taking.call.receiver.span()),
            cx.span(taking.call.paren_token.span.close()),
        );
        for guard in cx.live_guards().filter(|g| is_lock_guard(g)) {
            let Some(held) = guard_id(cx, guard) else {
                continue;
            };
            if held == taken
                || self
                    .edges
                    .iter()
                    .any(|e| e.held == held && e.taken_at == taken_at)
            {
                continue;
            }
            self.edges.push(Edge {
                held,
                held_mode: guard.mode,
                held_at: guard.taken,
                taken: taken.clone(),
                taken_mode: taking.mode,
                taken_at,
            });
        }
    }

    fn finish(&mut self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut reported = vec![false; self.edges.len()];
        for (i, edge) in self.edges.iter().enumerate() {
            if reported[i] {
                continue;
            }
            let Some(j) =
                (0..self.edges.len()).find(|&j| !reported[j] && edge.inverts(&self.edges[j]))
            else {
                continue;
            };
            let other = &self.edges[j];
            reported[i] = true;
            reported[j] = true;
            for (this, that) in [(edge, other), (other, edge)] {
                out.push(
                    cx.diagnostic_at(INFO.name, this.taken_at,
                        format!(
                            "`{}` is locked while `{}` is held, but elsewhere in the opposite order",
                            this.taken.path, this.held.path
                        ),
                    )
                    .with_primary_label(format!("takes `{}` second", this.taken.path))
                    .with_label(this.held_at, format!("`{}` held since here", this.held.path))
                    .with_label(
                        that.taken_at,
                        format!("here `{}` is taken while `{}` is held", that.taken.path, that.held.path),
                    )
                    .with_help(format!(
                        "take the two locks in one order everywhere (for example always `{}` before `{}`), \
                         or protect both values with one lock",
                        that.held.path, that.taken.path
                    )),
                );
            }
        }
    }
}
