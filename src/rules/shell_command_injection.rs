//! `shell_command_injection`: a shell given a command string built at run time.

use syn::Expr;

use crate::analysis::bindings::pos;
use crate::analysis::commands::{
    CommandUse, LocalKind, format_is_built, is_shell_quoted, passed_through, str_literal,
};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::model::Model;
use crate::syntax::exprs::{is_constant_name, path_ident, strip};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    ShellCommandInjection,
    name: "shell_command_injection",
    category: Security,
    fix: None,
    summary: "a shell (`sh -c`, `cmd /C`) running a command string built at run time",
    crate_check: check_crate,
);

/// See `rules/shell_command_injection.md`.
#[derive(Default)]
pub struct ShellCommandInjection;

impl ShellCommandInjection {
    /// Whether a whole command string is visibly built at run time: `format!` splicing in
    /// data, a concatenation, or a local bound to one. A string concur sees only as a variable,
    /// a field or a call's result is a configured command (a user's hook, a desktop entry's
    /// `Exec=` line), which is what a shell is for: it stays quiet.
    fn is_built(cx: &Context<'_>, script: &Expr) -> bool {
        let script = passed_through(script);
        match strip(script) {
            Expr::Macro(mac) => format_is_built(&mac.mac, |v| Self::splices_data(cx, v)),
            Expr::Binary(binary) => matches!(binary.op, syn::BinOp::Add(_)),
            Expr::Path(_) => path_ident(script).is_some_and(|name| {
                cx.commands().local(&name, pos(script)) == Some(LocalKind::Built)
            }),
            _ => false,
        }
    }

    /// Whether a value spliced into a script by `format!` carries data the shell would parse:
    /// anything but a literal, a constant, a value quoted for the shell, or the parameter of a
    /// helper (its callers are checked against the package's model).
    fn splices_data(cx: &Context<'_>, value: &Expr) -> bool {
        if str_literal(value).is_some() || is_shell_quoted(value) {
            return false;
        }
        let value = passed_through(value);
        match path_ident(value) {
            Some(name) => {
                !is_constant_name(&name)
                    && !cx.is_param(&name)
                    && !matches!(
                        cx.commands().local(&name, pos(value)),
                        Some(LocalKind::Literal | LocalKind::ShellQuoted)
                    )
            }
            None => true,
        }
    }
}

impl Rule for ShellCommandInjection {
    fn check_command(&mut self, cx: &Context, command: &CommandUse, out: &mut Vec<Diagnostic>) {
        let Some((shell, script)) = command.shell_script() else {
            return;
        };
        if !Self::is_built(cx, script) {
            return;
        }
        out.push(
            cx.diagnostic(
                INFO.name,
                command.ctor,
                format!("`{shell}` runs a command string built at run time"),
            )
            .with_primary_label("the shell parses this string: quotes, `;`, `$(..)` in a value run as code")
            .with_label(cx.span(syn::spanned::Spanned::span(script)), "command string built here")
            .with_help(
                "call the program directly with one `.arg()` per argument; if a shell is needed, keep \
                 the script a literal and pass values as positional parameters \
                 (`sh -c 'grep -- \"$1\" log' sh value`)",
            ),
        );
    }
}

/// Calls that hand a string built at run time to a helper of the package that runs its
/// parameter as a shell script: the injection is at the call, not in the helper.
fn check_crate(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for (caller, event, shell_fn, shell_event) in model.built_scripts() {
        let callee = model
            .callee(caller, event)
            .map(|c| model.name(c))
            .unwrap_or_default();
        let site = model.site(caller, model.summary(caller).events[event].span);
        let shell_site = model.site(shell_fn, model.summary(shell_fn).events[shell_event].span);
        out.push(
            Diagnostic::new(
                INFO.name,
                site.path,
                site.span,
                format!("`{callee}` runs a shell on a command string built here at run time"),
            )
            .with_primary_label("the shell parses this string: quotes, `;`, `$(..)` in a value run as code")
            .with_note(
                shell_site.path,
                shell_site.span,
                format!("`{}` runs its argument as a shell script here", model.name(shell_fn)),
            )
            .with_help(
                "pass the program and its arguments separately (`.arg()` per value), or keep the \
                 script a literal and pass values as positional parameters (`sh -c '..\"$1\"..' sh value`)",
            ),
        );
    }
}
