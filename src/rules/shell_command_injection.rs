//! `shell_command_injection`: a shell given a command string built at run time.

use syn::Expr;

use crate::analysis::bindings::pos;
use crate::analysis::commands::{CommandUse, LocalKind, format_is_built, str_literal};
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
    /// Whether a command string is built at run time from values concur cannot see are fixed:
    /// `format!` with arguments, concatenation, a variable that is not a literal.
    fn is_built(cx: &Context<'_>, script: &Expr) -> bool {
        if str_literal(script).is_some() {
            return false;
        }
        match strip(script) {
            Expr::Macro(mac) => format_is_built(&mac.mac, |v| Self::is_built(cx, v)),
            Expr::Binary(binary) => matches!(binary.op, syn::BinOp::Add(_)),
            Expr::Path(_) => {
                let Some(name) = path_ident(script) else {
                    return false;
                };
                // A helper that runs the string it was given is not the finding: its callers
                // are checked against the package's model.
                !is_constant_name(&name)
                    && !cx.is_param(&name)
                    && cx.commands().local(&name, pos(script)) != Some(LocalKind::Literal)
            }
            Expr::MethodCall(call) => match call.method.to_string().as_str() {
                "as_str" | "as_ref" | "to_string" | "to_owned" | "clone" | "into" | "as_os_str" => {
                    Self::is_built(cx, &call.receiver)
                }
                _ => true,
            },
            Expr::Field(_) | Expr::Call(_) | Expr::Index(_) => true,
            _ => false,
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
