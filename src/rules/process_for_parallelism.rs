//! `process_for_parallelism`: worker processes spread CPU work where threads would share
//! memory: copies of the running binary, or one external tool per item for work a crate does
//! in-process (`gzip` → flate2, `sha256sum` → sha2).

use syn::Expr;

use crate::analysis::commands::{CommandUse, command_ctor, mentions_isolation, str_literal};
use crate::analysis::loops::TripCount;
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog;
use crate::syntax::exprs::ident_is;
use crate::syntax::find::{Node, Search};
use crate::syntax::spans;
use crate::walk::context::{Context, LoopKind};
use crate::walk::rule::Rule;

declare_rule!(
    ProcessForParallelism,
    name: "process_for_parallelism",
    category: Perf,
    fix: None,
    summary: "worker processes (the running binary, or a CPU tool such as `gzip` per item) used to spread CPU work",
);

/// See `rules/process_for_parallelism.md`.
#[derive(Default)]
pub struct ProcessForParallelism;

/// A spawn of a CPU tool (`Command::new("gzip")..spawn()`) in `body`: the tool, the crate that
/// does its work in-process, and where the command is made.
fn cpu_tool_spawn<'a>(
    cx: &Context<'_>,
    body: impl Into<Node<'a>>,
) -> Option<(&'static str, &'static str, Span)> {
    Search::INLINE.find_map(body, |e| {
        let spawn = cx.commands().spawn_call(cx, e)?;
        let mut root = &*spawn.receiver;
        while let Expr::MethodCall(inner) = root {
            root = &inner.receiver;
        }
        let ctor = command_ctor(cx, root)?;
        let program = str_literal(ctor.args.first()?)?;
        let name = program.rsplit(['/', '\\']).next().unwrap_or(&program);
        let (tool, krate) = catalog::CPU_TOOLS.iter().find(|(t, _)| *t == name)?;
        Some((*tool, *krate, cx.span(spans::span(ctor))))
    })
}

/// Whether `body` waits for a child (`child.wait()`, `.wait_with_output()`): each child ends
/// within its iteration, one at a time, so nothing runs in parallel.
fn waits_in<'a>(body: impl Into<Node<'a>>) -> bool {
    Search::INLINE.any(body, |e| {
        matches!(e, Expr::MethodCall(call) if ident_is(&call.method, catalog::CHILD_WAIT_METHODS))
    })
}

impl ProcessForParallelism {
    /// One external CPU tool started per item of a loop (a `for` body, or a per-item closure)
    /// and not waited for in the iteration.
    fn check_tools(&self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        let (body, trips, header): (Node<'_>, TripCount, Span) = match expr {
            Expr::ForLoop(for_loop) => (
                Node::from(&for_loop.body),
                cx.trip_count(&for_loop.expr),
                Span::join(
                    cx.span(for_loop.for_token.span),
                    cx.span(spans::span(&*for_loop.expr)),
                ),
            ),
            // `files.iter().map(|f| Command::new("gzip").arg(f).spawn())`.
            Expr::MethodCall(call) if ident_is(&call.method, catalog::PER_ITEM_METHODS) => {
                let Some(Expr::Closure(closure)) = call.args.first() else {
                    return;
                };
                (
                    Node::from(&*closure.body),
                    cx.trip_count(&call.receiver),
                    cx.span(call.method.span()),
                )
            }
            _ => return,
        };
        if matches!(trips, TripCount::Constant(0 | 1)) || waits_in(body) {
            return;
        }
        if let Some((tool, krate, at)) = cpu_tool_spawn(cx, body) {
            out.push(tool_diagnostic(cx, tool, krate, at, header));
        }
    }
}

fn tool_diagnostic(
    cx: &Context<'_>,
    tool: &str,
    krate: &str,
    at: Span,
    header: Span,
) -> Diagnostic {
    cx.diagnostic_at(
        INFO.name,
        at,
        format!("`{tool}` is started once per item to do CPU work in parallel processes"),
    )
    .with_primary_label(format!(
        "one `{tool}` process per item; each pays a process start and pipes its data"
    ))
    .with_label(header, "one process per iteration, not waited for in it")
    .with_help(format!(
        "do the work in-process with the `{krate}` crate, and spread the items over threads \
         with rayon (`items.par_iter()`) or `std::thread::scope`"
    ))
}

impl Rule for ProcessForParallelism {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        self.check_tools(cx, expr, out);
    }

    fn check_command(&mut self, cx: &Context, command: &CommandUse, out: &mut Vec<Diagnostic>) {
        let Some(program) = command.program_expr() else {
            return;
        };
        if !cx.commands().is_current_exe(cx, program) || !command.calls("spawn") {
            return;
        }
        let Some(repeat) = cx.loops().find(|l| {
            matches!(l.kind, LoopKind::For | LoopKind::PerItemClosure)
                && !matches!(l.trips, TripCount::Constant(0 | 1))
        }) else {
            return;
        };
        if catalog::ISOLATION_METHODS.iter().any(|m| command.calls(m))
            || mentions_isolation(cx, command.ctor)
        {
            return;
        }
        out.push(
            cx.diagnostic(
                INFO.name,
                command.ctor,
                "the running binary is spawned again as a worker process, once per loop iteration",
            )
            .with_primary_label("each worker is a new process: its input and results cross a pipe")
            .with_label(repeat.header, "one worker process per iteration")
            .with_help(
                "run the work on threads (`std::thread::scope`) or rayon (`items.par_iter()`): they \
                 share memory instead of serialising every input and result; if the processes are \
                 for isolation (untrusted input, crash containment), say so in a comment",
            ),
        );
    }
}
