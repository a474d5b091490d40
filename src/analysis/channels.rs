//! Channels as the channel rules see them: a `let (tx, rx) = channel()` binding, the fate of its
//! two halves in the rest of the block (through [`crate::analysis::bindings`]), and the shapes of a
//! receive loop (blocking until every sender is gone, or draining what is there right now).

use proc_macro2::Span as SynSpan;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprCall, Pat, Stmt};

use crate::analysis::bindings::{self, Follow, Parent, Pos, Use, end_pos, pos};
use crate::analysis::facts::Facts;
use crate::diagnostic::Span;
use crate::semantic::catalog::{self, Api};
use crate::syntax::exprs::{chain_root, ident_is, path_ident, strip};
use crate::syntax::find::Search;
use crate::syntax::pats::pat_name;
use crate::syntax::spans;

/// A channel made by `let (tx, rx) = <constructor>(..);`.
#[derive(Debug, Clone)]
pub struct Channel<'a> {
    /// The constructor call.
    pub ctor: &'a ExprCall,
    /// Whether the channel has a capacity.
    pub bounded: bool,
    /// The sender's binding name (`None` for `_` or a nested pattern).
    pub sender: Option<String>,
    /// The sender's pattern, for labels.
    pub sender_pat: &'a Pat,
    /// The receiver's binding name.
    pub receiver: Option<String>,
    /// The statements after the `let`: the scope of both halves.
    pub rest: &'a [Stmt],
    /// The receivers of every channel made by `let` in the same block, this one's included.
    pub block_receivers: Vec<String>,
}

impl<'a> Channel<'a> {
    /// The names of the sender and the receiver, when both are plain bindings.
    pub fn halves(&self) -> Option<(&str, &str)> {
        Some((self.sender.as_deref()?, self.receiver.as_deref()?))
    }

    /// The receive loops (and consuming calls) over the receiver in the rest of its block,
    /// outside closures, with the use each one is: the receiving this function does itself.
    pub fn receive_loops(&self, cx: &Facts<'_>) -> Vec<(Use<'a>, ReceiveLoop<'a>)> {
        let Some(receiver) = &self.receiver else {
            return Vec::new();
        };
        bindings::uses(cx, receiver, self.rest, Follow::default())
            .into_iter()
            .filter(|found| !found.in_closure)
            .filter_map(|found| {
                let receive = receive_loop(&found)?;
                Some((found, receive))
            })
            .collect()
    }
}

/// The channels a block's `let` statements make.
pub fn channels<'a>(cx: &Facts<'_>, block: &'a Block) -> Vec<Channel<'a>> {
    let mut found = Vec::new();
    for (index, stmt) in block.stmts.iter().enumerate() {
        let Stmt::Local(local) = stmt else { continue };
        let Some(init) = &local.init else { continue };
        let Expr::Call(ctor) = strip(&init.expr) else {
            continue;
        };
        let Some(Api::ChannelNew { bounded }) = cx.call_api(&ctor.func) else {
            continue;
        };
        let mut pat = &local.pat;
        if let Pat::Type(typed) = pat {
            pat = &typed.pat;
        }
        let Pat::Tuple(tuple) = pat else { continue };
        let (Some(sender), Some(receiver), 2) =
            (tuple.elems.first(), tuple.elems.last(), tuple.elems.len())
        else {
            continue;
        };
        found.push(Channel {
            ctor,
            bounded,
            sender: pat_name(sender),
            sender_pat: sender,
            receiver: pat_name(receiver),
            rest: &block.stmts[index + 1..],
            block_receivers: Vec::new(),
        });
    }
    let receivers: Vec<String> = found.iter().filter_map(|c| c.receiver.clone()).collect();
    for channel in &mut found {
        channel.block_receivers.clone_from(&receivers);
    }
    found
}

/// Whether a loop runs over one of the `receivers` (`for m in rx.iter()`, `while let Ok(m) =
/// rx.recv()`, `for m in &rx`): its pace is set by that channel's senders.
pub fn loops_over_receiver(over: &Expr, receivers: &[String]) -> bool {
    let over = match strip(over) {
        Expr::Let(binding) => &*binding.expr,
        other => other,
    };
    path_ident(chain_root(over)).is_some_and(|name| receivers.contains(&name))
}

/// How a receive loop reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiveKind {
    /// Blocks for each message and ends only when every sender is gone (`for x in rx`,
    /// `rx.iter().sum()`, `while let Ok(x) = rx.recv()`).
    Blocking,
    /// Takes only what is queued right now (`rx.try_iter()`, `while let Ok(x) = rx.try_recv()`).
    Drain,
}

/// A loop (or consuming call) over a receiver.
#[derive(Debug, Clone)]
pub struct ReceiveLoop<'a> {
    /// Blocking or draining.
    pub kind: ReceiveKind,
    /// Where the loop header (or the consuming call) starts.
    pub first: SynSpan,
    /// Where the loop header (or the consuming call) ends.
    pub last: SynSpan,
    /// Where the loop starts.
    pub pos: Pos,
    /// Where the loop ends.
    pub end: Pos,
    /// The loop's body (`None` for a consuming call).
    pub body: Option<&'a Block>,
}

impl ReceiveLoop<'_> {
    /// The loop header (`for x in rx`, `while let Ok(x) = rx.recv()`) or the consuming call.
    pub fn span(&self, cx: &Facts<'_>) -> Span {
        Span::join(cx.span(self.first), cx.span(self.last))
    }

    /// Whether the loop can end while senders are alive: its body breaks or returns.
    pub fn can_exit(&self) -> bool {
        self.body.is_some_and(loop_can_exit)
    }
}

fn iter_kind(method: &str) -> Option<ReceiveKind> {
    match method {
        "iter" | "into_iter" => Some(ReceiveKind::Blocking),
        "try_iter" => Some(ReceiveKind::Drain),
        _ => None,
    }
}

/// The receive loop a use of a receiver is the head of, if it is one.
pub fn receive_loop<'a>(found: &Use<'a>) -> Option<ReceiveLoop<'a>> {
    let methods = found.methods();
    if let Some(head) = found.loop_head {
        return match head {
            Expr::ForLoop(for_loop) => {
                let kind = match (&found.parent, methods.split_first()) {
                    (Parent::Other, _) if matches!(strip(&for_loop.expr), Expr::Path(_)) => {
                        ReceiveKind::Blocking
                    }
                    (Parent::Methods(calls), Some((first, adapters))) => {
                        let outer = calls.last()?;
                        let is_whole_head = matches!(strip(&for_loop.expr), Expr::MethodCall(c) if std::ptr::eq(c, *outer));
                        if !is_whole_head
                            || !adapters.iter().all(|a| {
                                catalog::RECEIVER_PASS_THROUGH_METHODS.contains(&a.as_str())
                            })
                        {
                            return None;
                        }
                        iter_kind(first)?
                    }
                    _ => return None,
                };
                Some(ReceiveLoop {
                    kind,
                    first: for_loop.for_token.span,
                    last: spans::span(&*for_loop.expr),
                    pos: pos(head),
                    end: end_pos(head),
                    body: Some(&for_loop.body),
                })
            }
            Expr::While(while_loop) => {
                let Expr::Let(binding) = strip(&while_loop.cond) else {
                    return None;
                };
                if !is_ok_or_some(&binding.pat) {
                    return None;
                }
                let Parent::Methods(calls) = &found.parent else {
                    return None;
                };
                let outer = calls.last()?;
                let scrutinee = strip(&binding.expr);
                let whole = match scrutinee {
                    Expr::MethodCall(c) => std::ptr::eq(c, *outer),
                    Expr::Await(a) => {
                        matches!(strip(&a.base), Expr::MethodCall(c) if std::ptr::eq(c, *outer))
                    }
                    _ => false,
                };
                let kind = match methods
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    ["recv"] | ["recv", "ok"] => ReceiveKind::Blocking,
                    ["try_recv"] | ["try_recv", "ok"] => ReceiveKind::Drain,
                    _ => return None,
                };
                whole.then(|| ReceiveLoop {
                    kind,
                    first: while_loop.while_token.span,
                    last: spans::span(&*while_loop.cond),
                    pos: pos(head),
                    end: end_pos(head),
                    body: Some(&while_loop.body),
                })
            }
            _ => None,
        };
    }
    let Parent::Methods(calls) = &found.parent else {
        return None;
    };
    let (first, rest) = methods.split_first()?;
    let (consumer, adapters) = rest.split_last()?;
    let kind = iter_kind(first)?;
    if !catalog::RECEIVER_CONSUMING_METHODS.contains(&consumer.as_str())
        || !adapters
            .iter()
            .all(|a| catalog::RECEIVER_PASS_THROUGH_METHODS.contains(&a.as_str()))
    {
        return None;
    }
    let outer = *calls.last()?;
    Some(ReceiveLoop {
        kind,
        first: found.span,
        last: spans::span(outer),
        pos: found.pos,
        end: end_pos(outer),
        body: None,
    })
}

fn is_ok_or_some(pat: &Pat) -> bool {
    let Pat::TupleStruct(tuple) = pat else {
        return false;
    };
    tuple
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "Ok" || s.ident == "Some")
}

/// Whether a loop body can leave the loop on its own: a `break` aimed at it or a `return`
/// (outside nested closures; an unlabeled `break` inside a nested loop leaves only that one).
pub fn loop_can_exit(body: &Block) -> bool {
    struct Exits {
        depth: usize,
        found: bool,
    }
    impl Visit<'_> for Exits {
        fn visit_expr_break(&mut self, brk: &syn::ExprBreak) {
            self.found |= self.depth == 0 || brk.label.is_some();
        }
        fn visit_expr_return(&mut self, _: &syn::ExprReturn) {
            self.found = true;
        }
        fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        fn visit_item(&mut self, _: &syn::Item) {}
        fn visit_expr_for_loop(&mut self, e: &syn::ExprForLoop) {
            self.depth += 1;
            visit::visit_expr_for_loop(self, e);
            self.depth -= 1;
        }
        fn visit_expr_while(&mut self, e: &syn::ExprWhile) {
            self.depth += 1;
            visit::visit_expr_while(self, e);
            self.depth -= 1;
        }
        fn visit_expr_loop(&mut self, e: &syn::ExprLoop) {
            self.depth += 1;
            visit::visit_expr_loop(self, e);
            self.depth -= 1;
        }
        fn visit_macro(&mut self, mac: &syn::Macro) {
            // `panic!`/`unreachable!` do not leave the loop normally; other macros are opaque.
            let _ = mac;
        }
    }
    let mut exits = Exits {
        depth: 0,
        found: false,
    };
    exits.visit_block(body);
    exits.found
}

/// The first thread join among `stmts`: a `.join()` call with no arguments (the `join` name).
pub fn first_join(stmts: &[Stmt]) -> Option<SynSpan> {
    Search::NESTED.find_map(stmts, |expr| match expr {
        Expr::MethodCall(call) if call.method == "join" && call.args.is_empty() => {
            Some(call.method.span())
        }
        _ => None,
    })
}

/// Whether code sends on a channel (`tx.send(..)`, `try_send`, `send_blocking`), also inside
/// closures and macro arguments: a thread whose body does reports its results, and its end,
/// through the channel rather than its handle.
pub fn sends_on_channel(expr: &Expr) -> bool {
    Search::NESTED.any(expr, |e| {
        matches!(e, Expr::MethodCall(call)
            if ident_is(&call.method, catalog::SEND_METHODS))
    })
}
