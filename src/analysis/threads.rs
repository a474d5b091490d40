//! What a spawned thread's body is, for the rules that judge a spawn by it.
//!
//! A *service thread* serves for as long as the program (or its input) lives: its body, after
//! a few `let`s, is one loop that runs until a flag or a channel says stop (`loop { .. }`
//! without a `break`, or breaking when its input ends,
//! `while running.load(..)`, `while let Ok(job) = rx.recv()`, `for event in rx`,
//! `for signal in signals.forever()`), or a function it is handed by name
//! (`thread::spawn(run_server)`), or an executor it drives (`block_on(..)`). Such a thread is
//! neither a piece of work to join nor a task a pool could run.
//!
//! A thread *reports* when its results reach the program another way than its handle: a
//! channel send, or a hand-off to a UI toolkit's event loop (`slint::invoke_from_event_loop`,
//! `weak.upgrade_in_event_loop`, `glib::idle_add`).

use syn::{Expr, Stmt};

use crate::analysis::facts::Facts;
use crate::semantic::catalog::{self, Api};
use crate::syntax::exprs::{chain_has, ident_is, path_segments};
use crate::syntax::find::Search;

/// The body a spawn call runs: its closure argument (also when it is the tail of a block that
/// clones handles first: `spawn({ let tx = tx.clone(); move || .. })`) or a function given by
/// name.
pub fn spawned_body(spawn: &Expr) -> Option<&Expr> {
    let args = match spawn {
        Expr::Call(call) => &call.args,
        Expr::MethodCall(call) => &call.args,
        _ => return None,
    };
    let mut body = args.last()?;
    while let Expr::Block(block) = body {
        match block.block.stmts.last() {
            Some(Stmt::Expr(tail, None)) => body = tail,
            _ => return None,
        }
    }
    Some(body)
}

/// Whether a spawned body (see [`spawned_body`]) is a service thread's.
pub fn is_service(cx: &Facts<'_>, body: &Expr) -> bool {
    let code = match body {
        Expr::Closure(closure) => &*closure.body,
        // `tokio::spawn(async move { while let Some(x) = rx.recv().await { .. } })`.
        Expr::Async(_) => body,
        // `thread::spawn(run_server)`: a function named to run on its own thread.
        Expr::Path(_) => return true,
        _ => return false,
    };
    let main = match code {
        Expr::Async(block) => block.block.stmts.iter().find_map(|stmt| match stmt {
            Stmt::Expr(expr, _) => Some(expr),
            _ => None,
        }),
        Expr::Block(block) => block.block.stmts.iter().find_map(|stmt| match stmt {
            Stmt::Local(_) | Stmt::Item(_) => None,
            Stmt::Expr(expr, _) => Some(expr),
            Stmt::Macro(_) => None,
        }),
        body => Some(body),
    };
    main.is_some_and(|main| is_service_loop(cx, main))
}

/// Whether the main expression of a thread's body serves until told to stop.
fn is_service_loop(cx: &Facts<'_>, main: &Expr) -> bool {
    match main {
        // A loop that serves until killed, or until its input ends (`Err(_) => break` after a
        // receive); a loop that breaks on something else is a piece of work.
        Expr::Loop(l) => {
            !Search::INLINE.any(&l.body, |e| matches!(e, Expr::Break(_)))
                || Search::INLINE.any(&l.body, receives)
        }
        Expr::While(w) => match &*w.cond {
            // `while let Ok(job) = rx.recv()`, `while let Some(line) = lines.next()`.
            Expr::Let(binding) => receives(&binding.expr),
            // `while running.load(..)`, `while !stop.load(..)`.
            cond => Search::INLINE.any(
                cond,
                |e| matches!(e, Expr::MethodCall(call) if call.method == "load"),
            ),
        },
        Expr::ForLoop(f) => {
            receives(&f.expr)
                || chain_has(&f.expr, &["forever", "incoming", "pending"])
                || cx.chain_root_path(&f.expr).is_some_and(|root| {
                    matches!(catalog::lookup(&root), Some(Api::ChannelNew { .. }))
                })
                || is_receiver_name(&f.expr)
        }
        // `|| block_on(executor.run())`: a thread that drives an executor is its daemon.
        // `|| worker(state)`: the captured state goes to a function concur cannot see, which
        // may be a service loop or report through a channel.
        Expr::Call(call) => match cx.call_api(&call.func) {
            Some(Api::BlockOn) => true,
            Some(_) => false,
            None => !call.args.is_empty(),
        },
        _ => false,
    }
}

/// Whether an expression takes the next message or element of an input (`rx.recv()`,
/// `lines.next()`, `listener.accept()`).
fn receives(expr: &Expr) -> bool {
    chain_has(expr, catalog::RECV_METHODS)
        || chain_has(expr, catalog::NEXT_METHODS)
        || chain_has(expr, &["iter"]) && is_receiver_name(expr)
}

/// Whether a loop's input is named like a channel's receiving half (`rx`, `receiver`,
/// `events_rx`): `for msg in rx`.
fn is_receiver_name(expr: &Expr) -> bool {
    let mut root = expr;
    while let Expr::MethodCall(call) = root {
        root = &call.receiver;
    }
    let name = match root {
        Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Field(field) => match &field.member {
            syn::Member::Named(ident) => Some(ident.to_string()),
            syn::Member::Unnamed(_) => None,
        },
        _ => None,
    };
    name.is_some_and(|n| n == "rx" || n.ends_with("_rx") || n.contains("receiver"))
}

/// Whether a thread's body hands its results to the program another way than its handle: a
/// channel send, or a UI toolkit's run-on-the-UI-thread call, also in closures and macros.
pub fn reports(body: &Expr) -> bool {
    Search::NESTED.any(body, |e| match e {
        Expr::MethodCall(call) => {
            ident_is(&call.method, catalog::SEND_METHODS)
                || ident_is(&call.method, catalog::UI_HANDOFF)
        }
        Expr::Call(call) => path_segments(&call.func)
            .and_then(|segments| segments.last().cloned())
            .is_some_and(|name| catalog::UI_HANDOFF.contains(&name.as_str())),
        _ => false,
    })
}
