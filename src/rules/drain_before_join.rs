//! `drain_before_join`: results drained from a channel with non-blocking receives before the
//! workers that send them are joined.

use syn::Stmt;

use crate::analysis::bindings::{self, Follow, pos};
use crate::analysis::channels::{Channel, ReceiveKind, first_join};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    DrainBeforeJoin,
    name: "drain_before_join",
    category: Correctness,
    fix: None,
    summary: "results drained with `try_recv`/`try_iter` before the producing workers are joined, so late results are lost",
    checks_tests: true,
);

/// See `rules/drain_before_join.md`.
#[derive(Default)]
pub struct DrainBeforeJoin;

impl Rule for DrainBeforeJoin {
    fn check_channel(&mut self, cx: &Context, channel: &Channel, out: &mut Vec<Diagnostic>) {
        let Some((sender, receiver)) = channel.halves() else {
            return;
        };
        let producers = bindings::uses(cx, sender, channel.rest, Follow { aliases: true });
        for (found, drain) in channel.receive_loops(cx) {
            let in_polling_loop = found.in_loop.is_some() && found.loop_head.is_none();
            if in_polling_loop || drain.kind != ReceiveKind::Drain {
                continue;
            }
            // The drain must be a statement of this block, not inside a polling loop.
            let is_statement = match &channel.rest[found.stmt] {
                Stmt::Expr(expr, _) => drain.body.is_none() || pos(expr) == drain.pos,
                Stmt::Local(_) => drain.body.is_none(),
                _ => false,
            };
            if !is_statement || !producers.iter().any(|u| u.in_spawned && u.pos < drain.pos) {
                continue;
            }
            if first_join(&channel.rest[..found.stmt]).is_some() {
                continue;
            }
            let Some(join) = first_join(&channel.rest[found.stmt + 1..]) else {
                continue;
            };
            out.push(
                cx.diagnostic_at(
                    INFO.name,
                    drain.span(cx),
                    format!("`{receiver}` is drained before the workers sending to it are joined"),
                )
                .with_primary_label(
                    "takes only what has arrived so far; results still in flight are lost",
                )
                .with_label(cx.span(join), "the workers are joined only here")
                .with_help(format!(
                    "join the workers first (or drop the last sender and loop with blocking \
                         `for x in {receiver}`), then read: every result is in the channel by then"
                )),
            );
            return;
        }
    }
}
