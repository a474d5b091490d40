//! `shell_command_injection`: a shell given a command string built at run time.

use syn::Expr;

use crate::analysis::bindings::pos;
use crate::analysis::commands::{CommandUse, LocalKind, str_literal};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::syntax::exprs::{path_ident, strip};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    ShellCommandInjection,
    name: "shell_command_injection",
    fix: None,
    summary: "a shell (`sh -c`, `cmd /C`) running a command string built at run time",
);

/// See `rules/shell_command_injection.md`.
#[derive(Default)]
pub struct ShellCommandInjection;

/// Whether a name is a constant item (`SCRIPT`, `CMD_1`).
fn is_const_name(name: &str) -> bool {
    name.len() > 1
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

impl ShellCommandInjection {
    /// Whether a command string is built at run time from values concur cannot see are fixed:
    /// `format!` with arguments, concatenation, a variable that is not a literal.
    fn is_built(cx: &Context<'_>, script: &Expr) -> bool {
        if str_literal(script).is_some() {
            return false;
        }
        match strip(script) {
            Expr::Macro(mac) => {
                let name = mac.mac.path.segments.last().map(|s| s.ident.to_string());
                if !matches!(name.as_deref(), Some("format" | "format_args")) {
                    return false;
                }
                let args = crate::syntax::macros::parse_args(&mac.mac);
                let Some((template, values)) = args.split_first() else {
                    return false;
                };
                values
                    .iter()
                    .any(|v| Self::is_built(cx, v) && !is_fixed_value(v))
                    || str_literal(template).is_some_and(|t| has_inline_capture(&t))
            }
            Expr::Binary(binary) => matches!(binary.op, syn::BinOp::Add(_)),
            Expr::Path(_) => {
                let Some(name) = path_ident(script) else {
                    return false;
                };
                !is_const_name(&name)
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

/// A literal or a constant item: a `format!` argument that cannot carry outside input.
fn is_fixed_value(expr: &Expr) -> bool {
    matches!(strip(expr), Expr::Lit(_)) || path_ident(expr).is_some_and(|n| is_const_name(&n))
}

/// Whether a format string captures a variable inline (`"rm {path}"`, not `"{{}}"` or `"{0}"`).
fn has_inline_capture(template: &str) -> bool {
    let mut rest = template.replace("{{", "").replace("}}", "");
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && !is_const_name(&name)
        {
            return true;
        }
        rest = after.to_string();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_captures_in_format_strings() {
        assert!(has_inline_capture("rm {path}"));
        assert!(has_inline_capture("tar {0} {name:?}"));
        assert!(!has_inline_capture("echo {{literal}} {}"));
        assert!(!has_inline_capture("run {0} {CONST_DIR}"));
    }
}
