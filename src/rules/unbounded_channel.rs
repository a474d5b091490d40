//! `unbounded_channel`: an unbounded channel fed from a loop over input of unknown size, with
//! the consumer on another thread or task.

use syn::Expr;

use crate::analysis::bindings::{self, Follow, Parent};
use crate::analysis::channels::{Channel, loops_over_receiver};
use crate::analysis::loops::LoopSize;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::rules::declare_rule;
use crate::semantic::catalog;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    UnboundedChannel,
    name: "unbounded_channel",
    category: Suspicious,
    fix: Display,
    summary: "an unbounded channel fed once per input item, so producers can run arbitrarily far ahead of the consumer",
);

/// See `rules/unbounded_channel.md`.
#[derive(Default)]
pub struct UnboundedChannel;

/// The bounded constructor to suggest, from the unbounded one's canonical path.
fn bounded_instead(path: &[String]) -> String {
    let joined = path.join("::");
    match joined.as_str() {
        "std::sync::mpsc::channel" => "`std::sync::mpsc::sync_channel(capacity)`: `send` then blocks while the channel is full".into(),
        "tokio::sync::mpsc::unbounded_channel" => {
            "`tokio::sync::mpsc::channel(capacity)`: `send(..).await` then waits while the channel is full".into()
        }
        "futures::channel::mpsc::unbounded" => {
            "`futures::channel::mpsc::channel(capacity)`: `SinkExt::send(..).await` then waits while the channel is full".into()
        }
        _ => {
            let bounded = joined.strip_suffix("unbounded").map(|p| format!("{p}bounded"));
            let bounded = bounded.unwrap_or_else(|| "the crate's bounded constructor".into());
            format!("`{bounded}(capacity)`: `send` then blocks (or `.await`s) while the channel is full")
        }
    }
}

/// The bounded constructor's name in the same module as the unbounded one, when there is one.
fn bounded_name(path: &[String]) -> Option<&'static str> {
    match path.join("::").as_str() {
        "std::sync::mpsc::channel" => Some("sync_channel"),
        "tokio::sync::mpsc::unbounded_channel" | "futures::channel::mpsc::unbounded" => {
            Some("channel")
        }
        _ => (path.last()? == "unbounded").then_some("bounded"),
    }
}

/// The bounded constructor with a placeholder capacity, display only: written through a module
/// path (`mpsc::channel()`, not an imported or renamed name, which would need an import) and
/// called without arguments.
fn bounded_fix(cx: &Context<'_>, ctor: &syn::ExprCall, path: &[String]) -> Option<Suggestion> {
    let Expr::Path(func) = &*ctor.func else {
        return None;
    };
    let last = func.path.segments.last()?;
    if func.path.segments.len() < 2 || path.last()? != &last.ident.to_string() {
        return None;
    }
    if !ctor.args.is_empty() {
        return None;
    }
    let bounded = bounded_name(path)?;
    Some(Suggestion {
        message: "use the bounded constructor and choose a capacity (its `send` waits while the channel is full)".into(),
        edits: vec![
            Edit {
                span: cx.span(last.ident.span()),
                replacement: bounded.into(),
            },
            Edit {
                span: cx.span(ctor.paren_token.span.join()),
                replacement: "(/* capacity */)".into(),
            },
        ],
        applicability: Applicability::HasPlaceholders,
    })
}

/// Whether a send call sends `()`.
fn sends_unit(call: &syn::ExprMethodCall) -> bool {
    matches!(call.args.first(), Some(Expr::Tuple(t)) if t.elems.is_empty())
}

impl Rule for UnboundedChannel {
    fn check_channel(&mut self, cx: &Context, channel: &Channel, out: &mut Vec<Diagnostic>) {
        let Some(sender) = channel.sender.as_ref().filter(|_| !channel.bounded) else {
            return;
        };
        let follow = Follow { aliases: true };
        let sends = bindings::uses(cx, sender, channel.rest, follow);
        let Some((send, input)) = sends.iter().find_map(|u| {
            // `tx.send(())` queues a wake-up that carries no data: nothing grows with it.
            if let Parent::Methods(calls) = &u.parent
                && calls.first().is_some_and(|call| sends_unit(call))
            {
                return None;
            }
            let method = u.methods().into_iter().next()?;
            let input = u.in_loop.filter(|l| {
                matches!(l.size, LoopSize::PerItem | LoopSize::Stream)
                    && !l
                        .over
                        .is_some_and(|over| loops_over_receiver(over, &channel.block_receivers))
            })?;
            catalog::SEND_METHODS
                .contains(&method.as_str())
                .then_some((u, input))
        }) else {
            return;
        };
        // A consumer on the producers' own thread reads only after they are done: a bound
        // there would deadlock, and the queue's size is the input's size either way.
        let consumer_elsewhere = send.in_spawned
            || channel.receiver.as_ref().is_some_and(|receiver| {
                bindings::uses(cx, receiver, channel.rest, follow)
                    .iter()
                    .any(|u| u.in_spawned)
            });
        if !consumer_elsewhere {
            return;
        }
        let path = cx.call_path(&channel.ctor.func).unwrap_or_default();
        let diagnostic = cx
            .diagnostic(INFO.name, &channel.ctor.func, "unbounded channel fed once per input item")
                .with_primary_label("nothing limits how many messages this channel holds")
                .with_label(input.header, "one message per item of this input, however long it is")
                .with_label(cx.span(send.span), "sent here without waiting for the consumer")
                .with_help(format!(
                    "use a bounded channel, {}, so producers wait for the consumer instead of queueing without limit",
                    bounded_instead(&path)
                ));
        out.push(match bounded_fix(cx, channel.ctor, &path) {
            Some(fix) => diagnostic.with_suggestion(fix),
            None => diagnostic,
        });
    }
}
