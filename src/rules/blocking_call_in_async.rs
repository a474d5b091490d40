//! `blocking_call_in_async`: a call that blocks the thread, made directly in async code.

use syn::Expr;

use crate::catalog::{Api, Blocking};
use crate::context::{Context, chain_root};
use crate::diagnostic::Diagnostic;
use crate::rules::{Rule, declare_rule};

declare_rule!(
    BlockingCallInAsync,
    name: "blocking_call_in_async",
    fix: None,
    summary: "a blocking call (sleep, file, network, process, stdin) made directly in async code",
);

/// See `rules/blocking_call_in_async.md`.
#[derive(Default)]
pub struct BlockingCallInAsync;

impl Rule for BlockingCallInAsync {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        let Some(Api::Blocking(kind)) = cx.api(expr) else {
            return;
        };
        if !cx.in_async() {
            return;
        }
        // `File::open(p)?.read_to_string(..)`: the chain's root is reported already.
        if let Expr::MethodCall(call) = expr {
            if matches!(cx.api(chain_root(&call.receiver)), Some(Api::Blocking(_))) {
                return;
            }
        }
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
        out.push(
            cx.diagnostic(INFO.name, expr, what)
                .with_primary_label(
                    "this blocks the async executor thread; no other task on it can run",
                )
                .with_help(help),
        );
    }
}
