//! `std::process::Command` as the process rules see it: the program a `Command::new` starts,
//! the arguments and run calls applied to it (in one chain or through a `let cmd` binding),
//! whether it is a shell running a command string, and which locals hold a `Command` or the
//! path of the running binary.

use std::collections::HashSet;

use syn::spanned::Spanned;
use syn::{Block, Expr, ExprCall, ExprMethodCall, Stmt};

use crate::analysis::bindings::{self, Follow, Parent, Pos, end_pos, pos};
use crate::analysis::facts::Facts;
use crate::semantic::catalog::{self, Api};
use crate::syntax::exprs::{
    ident_is, is_constant_name, path_ident, path_segments, strip, unwrapped,
};
use crate::syntax::macros;
use crate::syntax::pats::pat_name;

/// One `Command::new(..)` with the calls made on it.
#[derive(Debug, Clone)]
pub struct CommandUse<'a> {
    /// The `Command::new(program)` call.
    pub ctor: &'a ExprCall,
    /// The method calls on the command (builder and run calls), in source order.
    pub calls: Vec<&'a ExprMethodCall>,
    /// Whether the command (a `let` binding) is also handed elsewhere (`configure(&mut cmd)`,
    /// returned, stored), where more may happen to it than concur sees.
    pub escapes: bool,
}

/// One argument call on a command.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// `.arg(x)` or one element of `.args([a, b])`.
    One(&'a Expr),
    /// `.args(list)` with a list concur cannot see into.
    Many,
}

impl<'a> CommandUse<'a> {
    /// The program, when it is a string literal: its file name without directory or `.exe`
    /// (`"/bin/cp"` → `cp`).
    pub fn program(&self) -> Option<String> {
        let literal = str_literal(self.ctor.args.first()?)?;
        let name = literal.rsplit(['/', '\\']).next().unwrap_or(&literal);
        let name = name.strip_suffix(".exe").unwrap_or(name);
        Some(name.to_ascii_lowercase())
    }

    /// The program argument of `Command::new`.
    pub fn program_expr(&self) -> Option<&'a Expr> {
        self.ctor.args.first()
    }

    /// Whether a method named `name` is called on the command.
    pub fn calls(&self, name: &str) -> bool {
        self.calls.iter().any(|c| c.method == name)
    }

    /// The arguments, in order.
    pub fn args(&self) -> Vec<Arg<'a>> {
        let mut args = Vec::new();
        for call in &self.calls {
            let Some(first) = call.args.first() else {
                continue;
            };
            if call.method == "arg" {
                args.push(Arg::One(first));
            } else if call.method == "args" {
                match strip(first) {
                    Expr::Array(array) => args.extend(array.elems.iter().map(Arg::One)),
                    _ => args.push(Arg::Many),
                }
            }
        }
        args
    }

    /// When the program is a shell given a command string (`sh -c <script>`, `cmd /C <script>`,
    /// `powershell -Command <script>`): the shell's name and the command string.
    pub fn shell_script(&self) -> Option<(String, &'a Expr)> {
        let shell = self
            .program()
            .filter(|p| catalog::SHELLS.contains(&p.as_str()))?;
        let args = self.args();
        let flag = args.iter().position(|a| match a {
            Arg::One(expr) => str_literal(expr).is_some_and(|s| is_command_flag(&s)),
            Arg::Many => false,
        })?;
        match args.get(flag + 1) {
            Some(Arg::One(script)) => Some((shell, script)),
            _ => None,
        }
    }

    /// Whether the command is waited for to completion in its chain or binding (`status`,
    /// `output`, `wait`).
    pub fn runs_to_completion(&self) -> bool {
        ["status", "output", "wait", "wait_with_output"]
            .iter()
            .any(|m| self.calls(m))
    }
}

/// `-c`, `-lc`, `-ec` (sh and friends), `/C` (cmd), `-Command` (PowerShell).
fn is_command_flag(flag: &str) -> bool {
    let lower = flag.to_ascii_lowercase();
    if lower == "/c" || lower == "-command" {
        return true;
    }
    lower.len() >= 2
        && lower.starts_with('-')
        && lower.ends_with('c')
        && lower[1..].chars().all(|c| c.is_ascii_lowercase())
}

/// A string literal's value, through `&`, parentheses, `.to_string()`, `.to_owned()`, `.into()`
/// and `String::from`.
pub fn str_literal(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        Expr::MethodCall(call)
            if call.args.is_empty()
                && ident_is(&call.method, &["to_string", "to_owned", "into"]) =>
        {
            str_literal(&call.receiver)
        }
        Expr::Call(call) if call.args.len() == 1 => {
            let path = path_segments(&call.func)?;
            let from_string = path.ends_with(&["String".into(), "from".into()]);
            from_string.then(|| str_literal(&call.args[0])).flatten()
        }
        _ => None,
    }
}

/// The value a string expression passes on unchanged: through `&`, parentheses and
/// conversions (`.as_str()`, `.to_string()`, `.clone()`, ...).
pub fn passed_through(mut expr: &Expr) -> &Expr {
    loop {
        expr = match strip(expr) {
            Expr::MethodCall(call)
                if call.args.is_empty()
                    && ident_is(
                        &call.method,
                        &[
                            "as_str",
                            "as_ref",
                            "to_string",
                            "to_owned",
                            "clone",
                            "into",
                            "as_os_str",
                        ],
                    ) =>
            {
                &call.receiver
            }
            other => return other,
        }
    }
}

/// Whether a string is visibly built at run time: `format!` with a value that is neither a
/// literal, a constant nor quoted for a shell (or an inline capture), a concatenation, or a
/// conversion of one.
pub fn is_built_string(expr: &Expr) -> bool {
    match strip(expr) {
        Expr::Macro(mac) => format_is_built(&mac.mac, |v| !is_shell_quoted(v)),
        Expr::Binary(binary) => matches!(binary.op, syn::BinOp::Add(_)),
        Expr::MethodCall(call)
            if ident_is(
                &call.method,
                &["as_str", "as_ref", "to_string", "to_owned", "clone", "into"],
            ) =>
        {
            is_built_string(&call.receiver)
        }
        _ => false,
    }
}

/// Whether a value is quoted for a shell before it is spliced into a script: passed through a
/// function or method named for it (`shlex::quote`, `shell_escape::escape`,
/// `escape_string`), or with its single quotes replaced (`x.replace('\'', "'\\''")`, the
/// POSIX way to put any text inside `'..'`).
pub fn is_shell_quoted(expr: &Expr) -> bool {
    let names_quoting = |name: &str| {
        let name = name.to_ascii_lowercase();
        name.contains("escape") || name.contains("quote")
    };
    match passed_through(unwrapped(expr)) {
        Expr::Call(call) => path_segments(&call.func)
            .and_then(|segments| segments.last().cloned())
            .is_some_and(|name| names_quoting(&name)),
        Expr::MethodCall(call) if call.method == "replace" => call
            .args
            .first()
            .is_some_and(|from| char_or_str_literal(from).is_some_and(|s| s == "'")),
        Expr::MethodCall(call) => names_quoting(&call.method.to_string()),
        _ => false,
    }
}

/// The text of a string or char literal.
fn char_or_str_literal(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Char(c),
            ..
        }) => Some(c.value().to_string()),
        other => str_literal(other),
    }
}

/// Whether a `format!`/`format_args!` builds its string from outside values: a value that is
/// not a literal or constant and that `is_built` accepts, or a variable captured inline
/// (`"rm {path}"`).
pub fn format_is_built(mac: &syn::Macro, is_built: impl Fn(&Expr) -> bool) -> bool {
    let name = mac.path.segments.last().map(|s| s.ident.to_string());
    if !matches!(name.as_deref(), Some("format" | "format_args")) {
        return false;
    }
    let args = macros::parse_args(mac);
    let Some((template, values)) = args.split_first() else {
        return false;
    };
    values.iter().any(|v| is_built(v) && !is_fixed_value(v))
        || str_literal(template).is_some_and(|t| has_inline_capture(&t))
}

/// A literal or a constant item: a `format!` argument that cannot carry outside input.
fn is_fixed_value(expr: &Expr) -> bool {
    matches!(strip(expr), Expr::Lit(_)) || path_ident(expr).is_some_and(|n| is_constant_name(&n))
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
            && !is_constant_name(&name)
        {
            return true;
        }
        rest = after.to_string();
    }
    false
}

/// What a local holds, for the locals the process rules care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    /// A `Command` (`let mut cmd = Command::new(..)`).
    Command,
    /// The running binary's path (`let exe = std::env::current_exe()?`).
    CurrentExe,
    /// A string literal.
    Literal,
    /// A string visibly built at run time ([`is_built_string`]: `format!` with values, `+`).
    Built,
    /// A value quoted for a shell ([`is_shell_quoted`]: `shlex::quote(x)`,
    /// `x.replace('\'', "'\\''")`).
    ShellQuoted,
}

/// Finds every `Command` of a file once: bound ones when their block is entered, chained ones
/// when their expression is. The walk keeps one and hands each command to the rules.
#[derive(Debug, Default)]
pub struct CommandFinder {
    seen: HashSet<Pos>,
    locals: Vec<(String, LocalKind, Pos, Pos)>,
}

impl CommandFinder {
    /// Called from `check_block`: records the block's locals, and returns the commands bound
    /// by `let` in it, with the calls made on them in the rest of the block.
    pub fn in_block<'a>(&mut self, cx: &Facts<'_>, block: &'a Block) -> Vec<CommandUse<'a>> {
        let mut found = Vec::new();
        let end = end_pos(block);
        for (index, stmt) in block.stmts.iter().enumerate() {
            let Stmt::Local(local) = stmt else { continue };
            let (Some(name), Some(init)) = (pat_name(&local.pat), &local.init) else {
                continue;
            };
            let value = unwrapped(&init.expr);
            let kind = if str_literal(value).is_some() {
                LocalKind::Literal
            } else if is_current_exe(cx, value) {
                LocalKind::CurrentExe
            } else if command_ctor(cx, value).is_some() {
                LocalKind::Command
            } else if is_shell_quoted(value) {
                LocalKind::ShellQuoted
            } else if is_built_string(value) {
                LocalKind::Built
            } else {
                continue;
            };
            self.locals.push((name.clone(), kind, pos(stmt), end));
            let Some(ctor) = command_ctor(cx, value).filter(|_| kind == LocalKind::Command) else {
                continue;
            };
            self.seen.insert(pos(ctor));
            let mut calls = Vec::new();
            let mut escapes = false;
            for found_use in bindings::uses(cx, &name, &block.stmts[index + 1..], Follow::default())
            {
                match found_use.parent {
                    Parent::Methods(chain) => calls.extend(chain),
                    Parent::Macro(_) => {}
                    Parent::Arg(_) | Parent::Other => escapes = true,
                }
            }
            found.push(CommandUse {
                ctor,
                calls,
                escapes,
            });
        }
        found
    }

    /// Called from `check_expr`: the command a method chain starts from, once per command (the
    /// outermost chain, which is visited first, holds every call).
    pub fn at_expr<'a>(&mut self, cx: &Facts<'_>, expr: &'a Expr) -> Option<CommandUse<'a>> {
        let mut calls = Vec::new();
        let link = crate::syntax::exprs::chain_links(expr, &mut calls);
        let ctor = command_ctor(cx, link)?;
        if !self.seen.insert(pos(ctor)) {
            return None;
        }
        calls.reverse();
        Some(CommandUse {
            ctor,
            calls,
            escapes: false,
        })
    }

    /// What the local `name` used at `at` holds, when it was bound in a block checked earlier.
    pub fn local(&self, name: &str, at: Pos) -> Option<LocalKind> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _, start, end)| n == name && *start < at && at < *end)
            .map(|(_, kind, _, _)| *kind)
    }

    /// Whether `expr` is a command's `.spawn()` (on a chain or a `Command` local); returns the
    /// spawn call.
    pub fn spawn_call<'a>(&self, cx: &Facts<'_>, expr: &'a Expr) -> Option<&'a ExprMethodCall> {
        let Expr::MethodCall(call) = unwrapped(expr) else {
            return None;
        };
        if call.method != "spawn" || !call.args.is_empty() {
            return None;
        }
        let mut root = &*call.receiver;
        while let Expr::MethodCall(inner) = root {
            root = &inner.receiver;
        }
        let is_command = command_ctor(cx, root).is_some()
            || path_ident(root)
                .is_some_and(|name| self.local(&name, pos(root)) == Some(LocalKind::Command))
            || cx
                .chain_root_path(root)
                .is_some_and(|path| catalog::lookup(&path) == Some(Api::CommandType));
        is_command.then_some(call)
    }

    /// Whether `expr` is the running binary's path: `current_exe()` (unwrapped) or a local
    /// bound to it.
    pub fn is_current_exe(&self, cx: &Facts<'_>, expr: &Expr) -> bool {
        let value = unwrapped(strip(expr));
        is_current_exe(cx, value)
            || path_ident(value)
                .is_some_and(|name| self.local(&name, pos(value)) == Some(LocalKind::CurrentExe))
    }
}

/// `Command::new(..)` of `std::process::Command`.
pub fn command_ctor<'a>(cx: &Facts<'_>, expr: &'a Expr) -> Option<&'a ExprCall> {
    let Expr::Call(call) = strip(expr) else {
        return None;
    };
    let Expr::Path(path) = &*call.func else {
        return None;
    };
    let is_new = path.path.segments.last().is_some_and(|s| s.ident == "new");
    (is_new && cx.call_api(&call.func) == Some(Api::CommandType) && call.args.len() == 1)
        .then_some(call)
}

fn is_current_exe(cx: &Facts<'_>, expr: &Expr) -> bool {
    let Expr::Call(call) = strip(unwrapped(expr)) else {
        return false;
    };
    cx.call_api(&call.func) == Some(Api::CurrentExe)
}

/// Whether the source lines just above `node` or on its line mention isolation (a sandbox, an
/// untrusted plugin, crash isolation): the reason to prefer a process made explicit.
pub fn mentions_isolation(cx: &Facts<'_>, node: &impl Spanned) -> bool {
    let line = node.span().start().line;
    let first = line.saturating_sub(4).max(1);
    cx.file
        .parse_text()
        .lines()
        .skip(first - 1)
        .take(line + 1 - first)
        .any(|text| {
            let lower = text.to_ascii_lowercase();
            [
                "sandbox",
                "isolat",
                "untrusted",
                "plugin",
                "crash",
                "seccomp",
            ]
            .iter()
            .any(|w| lower.contains(w))
        })
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

    fn lit(src: &str) -> Option<String> {
        str_literal(&syn::parse_str::<Expr>(src).expect("test expression parses"))
    }

    #[test]
    fn string_literals_are_seen_through_conversions() {
        assert_eq!(lit(r#""cp""#).as_deref(), Some("cp"));
        assert_eq!(lit(r#"&"-c".to_string()"#).as_deref(), Some("-c"));
        assert_eq!(lit(r#"String::from("ls")"#).as_deref(), Some("ls"));
        assert_eq!(lit("script"), None);
        assert_eq!(lit(r#"format!("{x}")"#), None);
    }

    #[test]
    fn shell_command_flags() {
        for flag in ["-c", "-lc", "-euc", "/C", "/c", "-Command"] {
            assert!(is_command_flag(flag), "{flag}");
        }
        for flag in ["-x", "--color", "c", "-", "/K"] {
            assert!(!is_command_flag(flag), "{flag}");
        }
    }
}
