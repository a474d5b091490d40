//! `process_for_parallelism`: copies of the running binary spawned as workers to spread CPU
//! work, where threads would share memory.

use crate::analysis::commands::{CommandUse, mentions_isolation};
use crate::analysis::loops::TripCount;
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog;
use crate::walk::context::{Context, LoopKind};
use crate::walk::rule::Rule;

declare_rule!(
    ProcessForParallelism,
    name: "process_for_parallelism",
    category: Perf,
    fix: None,
    summary: "worker processes (the running binary re-executed in a loop) used to spread CPU work",
);

/// See `rules/process_for_parallelism.md`.
#[derive(Default)]
pub struct ProcessForParallelism;

impl Rule for ProcessForParallelism {
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
