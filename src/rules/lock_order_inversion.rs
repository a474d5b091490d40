//! `lock_order_inversion`: two locks taken in opposite orders in two places.

use syn::Expr;
use syn::spanned::Spanned;

use crate::analysis::locks::{LockId, guard_id, is_lock_guard, taking};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog::LockMode;
use crate::semantic::model::{Model, OrderEdge, Take};
use crate::semantic::summary::Base;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    LockOrderInversion,
    name: "lock_order_inversion",
    category: Correctness,
    fix: None,
    summary: "two locks taken in opposite orders in two places: threads running both can deadlock",
    crate_check: check_crate,
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

/// The longest lock cycle the crate-wide check looks for.
const MAX_CYCLE: usize = 4;

/// Lock cycles across the package: two or more locks taken in orders that form a cycle, where
/// at least one edge goes through a call, takes a lock through a parameter, or lies in another
/// file than the others (cycles of two direct edges within one file are the walk's). Each cycle
/// is reported once, with every edge.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    let mut edges: Vec<OrderEdge> = Vec::new();
    for edge in model.order_edges() {
        if !edges
            .iter()
            .any(|e| e.held.class == edge.held.class && e.taken.class == edge.taken.class)
        {
            edges.push(edge);
        }
    }
    for cycle in cycles(&edges) {
        let steps: Vec<&OrderEdge> = cycle.iter().map(|&i| &edges[i]).collect();
        let modes_conflict = steps.iter().enumerate().all(|(i, step)| {
            let next = steps[(i + 1) % steps.len()];
            next.held.mode.conflicts(step.taken.mode)
        });
        if !modes_conflict || walk_reports(model, &steps) {
            continue;
        }
        let first = steps[0];
        let site = model.take_site(&first.taken);
        let order = steps
            .iter()
            .map(|s| format!("`{}`", s.held.class))
            .chain(std::iter::once(format!("`{}`", first.held.class)))
            .collect::<Vec<_>>()
            .join(" → ");
        let mut diagnostic = Diagnostic::new(
            INFO.name,
            site.path,
            site.span,
            format!("locks taken in a cycle: {order}; threads taking them can deadlock"),
        )
        .with_primary_label(format!(
            "takes `{}` while `{}` is held",
            first.taken.class, first.held.class
        ))
        .with_help("take these locks in one order everywhere, or protect the values with one lock");
        for step in &steps {
            let held_site = model.take_site(&step.held);
            diagnostic = diagnostic.with_note(
                held_site.path,
                held_site.span,
                format!("`{}` is held from here", step.held.class),
            );
            for hop in model.take_chain(&step.taken) {
                diagnostic = diagnostic.with_note(
                    hop.site.path,
                    hop.site.span,
                    format!("`{}`: {}", hop.function, hop.does),
                );
            }
        }
        out.push(diagnostic);
    }
}

/// Whether the walk reports this cycle itself: two direct edges in one file, between locks it
/// identifies the same way (fields of `self` in one type's impls, or statics).
fn walk_reports(model: &Model<'_>, steps: &[&OrderEdge]) -> bool {
    let direct_self_or_static = |take: &Take| {
        take.via.is_empty() && matches!(take.instance, Some((Base::SelfValue | Base::Static(_), _)))
    };
    steps.len() == 2
        && steps
            .iter()
            .all(|s| direct_self_or_static(&s.held) && direct_self_or_static(&s.taken))
        && model.take_site(&steps[0].taken).path == model.take_site(&steps[1].taken).path
}

/// The elementary cycles of the edge list (up to [`MAX_CYCLE`] edges), each once: as edge
/// indices, starting from the edge whose held class is the smallest in the cycle.
fn cycles(edges: &[OrderEdge]) -> Vec<Vec<usize>> {
    fn extend(
        edges: &[OrderEdge],
        path: &mut Vec<usize>,
        start: &str,
        found: &mut Vec<Vec<usize>>,
    ) {
        let last = &edges[*path.last().expect("a path has an edge")].taken.class;
        if last == start {
            found.push(path.clone());
            return;
        }
        if path.len() == MAX_CYCLE {
            return;
        }
        for (i, edge) in edges.iter().enumerate() {
            let visited = path.iter().any(|&p| edges[p].held.class == edge.held.class);
            if edge.held.class == *last && edge.held.class.as_str() > start && !visited {
                path.push(i);
                extend(edges, path, start, found);
                path.pop();
            }
        }
    }
    let mut found = Vec::new();
    for (i, edge) in edges.iter().enumerate() {
        if edge.taken.class > edge.held.class {
            extend(edges, &mut vec![i], &edge.held.class, &mut found);
        }
    }
    found
}
