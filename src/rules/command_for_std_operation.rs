//! `command_for_std_operation`: a child process started for a job the standard library does
//! in-process (`cp`, `rm`, `mkdir`, `sleep`, ...).

use syn::{Block, Expr};

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::process::{CommandFinder, CommandUse, str_literal};
use crate::rules::{Rule, declare_rule};

declare_rule!(
    CommandForStdOperation,
    name: "command_for_std_operation",
    fix: None,
    summary: "a child process (`cp`, `rm`, `mkdir`, `sleep`, ...) for a job the standard library does in-process",
);

/// See `rules/command_for_std_operation.md`.
#[derive(Default)]
pub struct CommandForStdOperation {
    commands: CommandFinder,
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

impl CommandForStdOperation {
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
        let what = match via {
            Some(shell) => format!(
                "`{shell}` started to run `{op}`, which the standard library does in-process"
            ),
            None => format!(
                "`{op}` started as a child process for what the standard library does in-process"
            ),
        };
        out.push(
            cx.diagnostic(INFO.name, command.ctor, what)
                .with_primary_label(
                    "a fork/exec, a platform dependency and a failure mode for nothing",
                )
                .with_help(format!("use {instead}")),
        );
    }
}

impl Rule for CommandForStdOperation {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        for command in self.commands.in_block(cx, block) {
            if !command.escapes {
                self.check(cx, &command, out);
            }
        }
    }

    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if let Some(command) = self.commands.at_expr(cx, expr) {
            self.check(cx, &command, out);
        }
    }
}
