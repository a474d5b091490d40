//! `blocking_call_in_async`: a call that blocks the thread, made directly in async code.

use syn::Expr;
use syn::spanned::Spanned;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Span, Suggestion};
use crate::rules::{Reached, declare_rule, reached_effects};
use crate::semantic::catalog::{self, Blocking};
use crate::semantic::model::{Effect, Model};
use crate::semantic::summary::Ctx;
use crate::syntax::spans;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    BlockingCallInAsync,
    name: "blocking_call_in_async",
    category: Perf,
    fix: Unsafe,
    summary: "a blocking call (sleep, file, network, process, stdin) made directly in async code",
    crate_check: check_crate,
);

/// Said of a finding in the entry function's own body, so that those in a task or a request
/// path stand out.
const ENTRY_NOTE: &str = "in the entry function's own body: this runs at start-up or as a \
                          one-shot command, and stalls only the tasks already spawned";

/// See `rules/blocking_call_in_async.md`.
#[derive(Default)]
pub struct BlockingCallInAsync;

impl Rule for BlockingCallInAsync {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if !cx.in_async() {
            return;
        }
        // `for msg in rx` on a std or crossbeam receiver waits for each message.
        if let Expr::ForLoop(for_loop) = expr
            && cx.is_blocking_receiver(&for_loop.expr)
        {
            let header = Span::join(
                cx.span(for_loop.for_token.span),
                cx.span(spans::span(&*for_loop.expr)),
            );
            out.push(
                cx.diagnostic_at(INFO.name, header, "blocking receive loop in async code")
                    .with_primary_label(
                        "each iteration blocks the executor thread until a message arrives",
                    )
                    .with_help(
                        "use an async channel (`tokio::sync::mpsc`, `flume`'s `recv_async`) and \
                         `while let Some(msg) = rx.recv().await`, or receive on a dedicated thread",
                    ),
            );
            return;
        }
        let Some(kind) = cx.blocking_call(expr) else {
            return;
        };
        let what = match kind {
            Blocking::Sleep => "`std::thread::sleep` blocks the executor thread",
            Blocking::FileSystem => "blocking file system call in async code",
            Blocking::Network => "blocking network call in async code",
            Blocking::Process => "blocking wait for a child process in async code",
            Blocking::Stdin => "blocking read of standard input in async code",
            Blocking::Http => "blocking HTTP request in async code",
            Blocking::Wait => "blocking wait in async code",
        };
        let help = match kind {
            Blocking::Sleep => {
                "use `tokio::time::sleep(duration).await` (or your runtime's async sleep)"
            }
            Blocking::FileSystem => {
                "use `tokio::fs` (or `async_std::fs`), or move the work into `tokio::task::spawn_blocking`"
            }
            Blocking::Network => "use `tokio::net` (or `async_std::net`) and `.await` the I/O",
            Blocking::Process => "use `tokio::process::Command` and `.await` its output or status",
            Blocking::Stdin => {
                "use `tokio::io::stdin()` with `AsyncBufReadExt`, or read on a dedicated thread"
            }
            Blocking::Http => "use the async `reqwest::Client` and `.await` the request",
            Blocking::Wait => {
                "move the wait into `tokio::task::spawn_blocking` and `.await` its handle"
            }
        };
        let mut diag = cx
            .diagnostic(INFO.name, expr, what)
            .with_primary_label(
                "this blocks the async executor thread; no other task on it can run",
            )
            .with_help(help);
        if let Some(suggestion) = async_equivalent(cx, expr) {
            diag = diag.with_suggestion(suggestion);
        }
        if let Some(entry) = cx.entry_fn() {
            diag = diag.with_note(cx.file.path.clone(), entry, ENTRY_NOTE);
        }
        out.push(diag);
    }
}

/// `std::thread::sleep(d)` → `tokio::time::sleep(d).await`, `std::fs::X(..)` →
/// `tokio::fs::X(..).await`: only in a file that already uses tokio, and never inside a closure
/// that is not async (an `.await` there would not compile).
fn async_equivalent(cx: &Context<'_>, expr: &Expr) -> Option<Suggestion> {
    if cx.in_sync_closure() || !cx.file_uses_tokio() {
        return None;
    }
    let Expr::Call(call) = expr else { return None };
    let path = cx.call_path(&call.func)?;
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let replacement = match path.as_slice() {
        ["std", "thread", "sleep"] => "tokio::time::sleep".to_string(),
        ["std", "fs", name] if catalog::TOKIO_FS_FUNCTIONS.contains(name) => {
            format!("tokio::fs::{name}")
        }
        _ => return None,
    };
    let end = cx.span(call.span()).end;
    Some(Suggestion {
        message: format!("use `{replacement}(..).await`"),
        edits: vec![
            Edit {
                span: cx.span(call.func.span()),
                replacement,
            },
            Edit {
                span: Span { start: end, end },
                replacement: ".await".into(),
            },
        ],
        applicability: Applicability::MaybeIncorrect,
    })
}

/// Calls in async code of the crate's own synchronous functions that block, however deep.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    let reached = Reached {
        rule: INFO.name,
        ctx: Ctx::Async,
        effect: Effect::Blocks,
        what: "blocking call in async code",
        label: &|name| format!("`{name}` blocks the executor thread until it returns"),
        help: "run the call on the blocking pool (`tokio::task::spawn_blocking(move || ..).await`), \
               or make the helper async (`tokio::fs`, an async client)",
    };
    reached_effects(model, &reached, |_, _| false, out);
}
