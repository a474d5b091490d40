//! `receiver_loop_never_ends`: a blocking receive loop whose channel still has a live sender in
//! the receiving function, so the loop never sees the channel close.

use syn::spanned::Spanned;

use crate::analysis::bindings::{self, Follow};
use crate::analysis::channels::{Channel, ReceiveKind};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    ReceiverLoopNeverEnds,
    name: "receiver_loop_never_ends",
    category: Correctness,
    fix: None,
    summary: "a receive loop that never ends because the receiving function still holds a sender",
    checks_tests: true,
);

/// See `rules/receiver_loop_never_ends.md`.
#[derive(Default)]
pub struct ReceiverLoopNeverEnds;

impl Rule for ReceiverLoopNeverEnds {
    fn check_channel(&mut self, cx: &Context, channel: &Channel, out: &mut Vec<Diagnostic>) {
        let Some((sender, receiver)) = channel.halves() else {
            return;
        };
        let sender_uses = bindings::uses(cx, sender, channel.rest, Follow::default());
        for (_, receive) in channel.receive_loops(cx) {
            if receive.kind != ReceiveKind::Blocking || receive.can_exit() {
                continue;
            }
            // A loop that sends on the channel itself (a work queue feeding back) keeps the
            // sender on purpose and must end some other way.
            if sender_uses
                .iter()
                .any(|u| receive.pos < u.pos && u.pos < receive.end)
            {
                continue;
            }
            let before: Vec<_> = sender_uses.iter().filter(|u| u.pos < receive.pos).collect();
            let Some(clone) = before.iter().find(|u| u.first_method_is("clone")) else {
                continue;
            };
            if before.iter().any(|u| u.gives_away()) {
                continue;
            }
            out.push(
                cx.diagnostic_at(INFO.name, receive.span(cx),
                    format!("this loop over `{receiver}` never ends: `{sender}` is still alive here"),
                )
                .with_primary_label("waits for the channel to close, which needs every sender dropped")
                .with_label(cx.span(channel.sender_pat.span()), format!("`{sender}` lives until the end of this block"))
                .with_label(cx.span(clone.span), "only clones of it are handed out")
                .with_help(format!(
                    "call `drop({sender});` before the loop (or move `{sender}` into the last worker), so \
                     the channel closes when the workers finish"
                )),
            );
            return;
        }
    }
}
