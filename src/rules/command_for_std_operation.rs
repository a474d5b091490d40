//! `command_for_std_operation`: a child process started for a job the standard library does
//! in-process (`cp`, `rm`, `mkdir`, `sleep`, ...).

use std::collections::HashSet;

use syn::spanned::Spanned;
use syn::{Block, Expr, ExprMethodCall, Stmt};

use crate::analysis::commands::{Arg, CommandUse, command_ctor, str_literal};
use crate::diagnostic::{Applicability, Diagnostic, Suggestion};
use crate::rules::declare_rule;
use crate::syntax::exprs::{ident_is, unwrapped};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    CommandForStdOperation,
    name: "command_for_std_operation",
    category: Perf,
    fix: Unsafe,
    summary: "a child process (`cp`, `rm`, `mkdir`, `sleep`, ...) for a job the standard library does in-process",
);

/// See `rules/command_for_std_operation.md`.
#[derive(Default)]
pub struct CommandForStdOperation {
    /// Where the `Command::new` of each plain statement chain starts (byte offset): a command
    /// built only with `.arg`/`.args` and run by `.status()`/`.output()` (then `?`, `.unwrap()`
    /// or `.expect(..)`) whose result is dropped, so a std call returning another
    /// `io::Result` can take its place.
    statements: HashSet<usize>,
}

/// Programs whose job std does, and what to call instead.
const STD_OPERATIONS: &[(&str, &str)] = &[
    (
        "cp",
        "`std::fs::copy` (walk `std::fs::read_dir` for a directory)",
    ),
    ("mv", "`std::fs::rename`"),
    (
        "rm",
        "`std::fs::remove_file`, or `std::fs::remove_dir_all` for a directory",
    ),
    ("rmdir", "`std::fs::remove_dir`"),
    ("mkdir", "`std::fs::create_dir_all`"),
    (
        "touch",
        "`std::fs::OpenOptions::new().create(true).append(true).open(path)`",
    ),
    (
        "cat",
        "`std::fs::read_to_string` (or `std::io::copy` from a `File`)",
    ),
    ("ls", "`std::fs::read_dir`"),
    (
        "ln",
        "`std::os::unix::fs::symlink`, or `std::fs::hard_link`",
    ),
    ("chmod", "`std::fs::set_permissions`"),
    ("sleep", "`std::thread::sleep`"),
    ("echo", "the string itself (`println!`, `write!`)"),
    ("true", "nothing: the command has no effect"),
    ("pwd", "`std::env::current_dir`"),
];

/// Shell metacharacters: a script using them is more than one simple command.
const SHELL_SYNTAX: &[char] = &['|', '&', ';', '<', '>', '$', '`', '(', '*', '?', '\n'];

fn std_operation(program: &str) -> Option<(&'static str, &'static str)> {
    STD_OPERATIONS.iter().find(|(p, _)| *p == program).copied()
}

/// The command run by a plain statement chain (see `statements`).
fn statement_command<'a>(cx: &Context<'_>, stmt: &'a Stmt) -> Option<&'a syn::ExprCall> {
    let Stmt::Expr(expr, Some(_)) = stmt else {
        return None;
    };
    let Expr::MethodCall(run) = unwrapped(expr) else {
        return None;
    };
    if !ident_is(&run.method, &["status", "output"]) || !run.args.is_empty() {
        return None;
    }
    let mut link = &*run.receiver;
    while let Expr::MethodCall(ExprMethodCall {
        method, receiver, ..
    }) = link
    {
        if method != "arg" && method != "args" {
            return None;
        }
        link = &**receiver;
    }
    command_ctor(cx, link)
}

/// The std call for a simple `cp a b`, `mkdir -p p` or `rm p` (no other flags), with the
/// source text of its arguments.
fn std_call(cx: &Context<'_>, program: &str, command: &CommandUse<'_>) -> Option<String> {
    let mut args = Vec::new();
    for arg in command.args() {
        let Arg::One(expr) = arg else { return None };
        args.push((str_literal(expr), cx.text(expr.span())));
    }
    let is_flag = |(literal, _): &(Option<String>, &str)| {
        literal.as_ref().is_some_and(|l| l.starts_with('-'))
    };
    let (flags, operands): (Vec<_>, Vec<_>) = args.iter().partition(|a| is_flag(a));
    let flags: Vec<&str> = flags.iter().filter_map(|(l, _)| l.as_deref()).collect();
    let operands: Vec<&str> = operands.iter().map(|(_, text)| *text).collect();
    match (program, flags.as_slice(), operands.as_slice()) {
        ("cp", [], [from, to]) => Some(format!("std::fs::copy({from}, {to})")),
        ("mkdir", ["-p"], [dir]) => Some(format!("std::fs::create_dir_all({dir})")),
        ("rm", [], [file]) => Some(format!("std::fs::remove_file({file})")),
        _ => None,
    }
}

impl CommandForStdOperation {
    /// The std call in place of a plain statement chain's command and its run call.
    fn fix(&self, cx: &Context<'_>, program: &str, command: &CommandUse<'_>) -> Option<Suggestion> {
        if !self
            .statements
            .contains(&cx.span(command.ctor.span()).start.byte)
        {
            return None;
        }
        let run = command
            .calls
            .iter()
            .find(|c| c.method == "status" || c.method == "output")?;
        let call = std_call(cx, program, command)?;
        // The run call's span covers its whole receiver chain, from `Command::new`.
        Some(cx.replace_with(
            *run,
            call.clone(),
            format!("call `{call}`"),
            Applicability::MaybeIncorrect,
        ))
    }

    fn check(&self, cx: &Context<'_>, command: &CommandUse<'_>, out: &mut Vec<Diagnostic>) {
        // Feeding the child's stdin, killing it or leaving it running makes it a process
        // fixture (tests of process handling), not a file operation.
        if !command.runs_to_completion() || command.calls("stdin") || command.calls("kill") {
            return;
        }
        let Some(program) = command.program() else {
            return;
        };
        let (op, via) = match std_operation(&program) {
            Some((op, _)) => (op, None),
            None => {
                let Some((shell, script)) = command.shell_script() else {
                    return;
                };
                let Some(script) = str_literal(script) else {
                    return;
                };
                if script.contains(SHELL_SYNTAX) {
                    return;
                }
                let Some(first) = script.split_whitespace().next() else {
                    return;
                };
                let Some((op, _)) = std_operation(first) else {
                    return;
                };
                (op, Some(shell))
            }
        };
        let Some((_, instead)) = std_operation(op) else {
            return;
        };
        // A shell script gets no fix: its quoting is not the command's arguments.
        let direct = via.is_none();
        let what = match via {
            Some(shell) => format!(
                "`{shell}` started to run `{op}`, which the standard library does in-process"
            ),
            None => format!(
                "`{op}` started as a child process for what the standard library does in-process"
            ),
        };
        let diagnostic = cx
            .diagnostic(INFO.name, command.ctor, what)
            .with_primary_label("a fork/exec, a platform dependency and a failure mode for nothing")
            .with_help(format!("use {instead}"));
        let fix = if direct {
            self.fix(cx, op, command)
        } else {
            None
        };
        out.push(match fix {
            Some(fix) => diagnostic.with_suggestion(fix),
            None => diagnostic,
        });
    }
}

impl Rule for CommandForStdOperation {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, _out: &mut Vec<Diagnostic>) {
        for stmt in &block.stmts {
            if let Some(ctor) = statement_command(cx, stmt) {
                self.statements.insert(cx.span(ctor.span()).start.byte);
            }
        }
    }

    fn check_command(&mut self, cx: &Context, command: &CommandUse, out: &mut Vec<Diagnostic>) {
        if !command.escapes {
            self.check(cx, command, out);
        }
    }
}
