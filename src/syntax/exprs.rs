//! Small questions about one expression's shape: its parts behind parentheses and `?`, the
//! call a method chain starts from, a place path, a literal. Nothing here resolves a name.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprMethodCall};

use crate::syntax::spans;

/// Whether an identifier is one of `names`, compared in place (no string is made).
pub fn ident_is(ident: &proc_macro2::Ident, names: &[&str]) -> bool {
    names.iter().any(|name| ident == name)
}

/// Runs `f` with an identifier's text, written into a reused per-thread buffer: the walk asks
/// this of every call and method it meets, where making a `String` each time would cost more
/// than the question. `f` must not ask it again.
pub fn with_ident<R>(ident: &proc_macro2::Ident, f: impl FnOnce(&str) -> R) -> R {
    use std::fmt::Write as _;
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        buffer.clear();
        let _ = write!(buffer, "{ident}");
        f(&buffer)
    })
}

/// Strips `?`, `.unwrap()`, `.expect(..)` and parentheses from the end of an expression:
/// `Builder::new().spawn(f).unwrap()` → `Builder::new().spawn(f)`.
pub fn unwrapped(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Try(e) => &e.expr,
            Expr::Paren(e) => &e.expr,
            Expr::MethodCall(call) if ident_is(&call.method, &["unwrap", "expect"]) => {
                &call.receiver
            }
            _ => return expr,
        }
    }
}

/// The span naming a call: the callee path of a call; for a method call, its chain from the
/// first token to the method name.
pub fn callee_span(expr: &Expr) -> Span {
    match expr {
        Expr::Call(call) => call.func.span(),
        Expr::MethodCall(call) => method_callee_span(call),
        other => other.span(),
    }
}

/// A method call's callee as rustc spans a method chain: from the chain's first token
/// (`Command::new(..)` on the chain's first line) to the method's name, without its arguments.
pub fn method_callee_span(call: &syn::ExprMethodCall) -> Span {
    let first = spans::span(chain_root(&call.receiver));
    first.join(call.method.span()).unwrap_or(call.method.span())
}

/// Descends a method chain to the expression it starts from, through method calls, `?`,
/// `.await`, parentheses and references.
pub fn chain_root(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::MethodCall(call) => &call.receiver,
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Paren(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            _ => return expr,
        }
    }
}

/// Walks a method chain down from `link`, pushing every method call met (outermost first) and
/// passing through `?`, `.await` and parentheses; returns the expression the chain starts from.
pub fn chain_links<'e>(mut link: &'e Expr, calls: &mut Vec<&'e ExprMethodCall>) -> &'e Expr {
    loop {
        link = match link {
            Expr::MethodCall(call) => {
                calls.push(call);
                &call.receiver
            }
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Paren(e) => &e.expr,
            _ => return link,
        };
    }
}

/// Whether a method chain applies one of `names` (`rx.iter().map(f)` applies `iter` and `map`).
pub fn chain_has(mut expr: &Expr, names: &[&str]) -> bool {
    loop {
        expr = match expr {
            Expr::MethodCall(call) => {
                if ident_is(&call.method, names) {
                    return true;
                }
                &call.receiver
            }
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Paren(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            _ => return false,
        }
    }
}

/// The segments of a path expression as written (`Vec::new` → `["Vec", "new"]`), if it is one.
pub fn path_segments(expr: &Expr) -> Option<Vec<String>> {
    match strip(expr) {
        Expr::Path(path) => Some(
            path.path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect(),
        ),
        _ => None,
    }
}

/// Strips parentheses, references and groups.
pub fn strip(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            Expr::Group(e) => &e.expr,
            _ => return expr,
        }
    }
}

/// The single identifier of a path expression (`tx`), if it is one.
pub fn path_ident(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

/// A place expression as a dotted path of plain names (`self.accounts`, `m`, `STATE`,
/// `Self::STATE`), or `None` when it is anything else (an index, a call): identity is then
/// unclear.
pub fn place_key(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) if p.qself.is_none() => Some(
            p.path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::"),
        ),
        Expr::Field(field) => {
            let base = place_key(&field.base)?;
            let member = match &field.member {
                syn::Member::Named(ident) => ident.to_string(),
                syn::Member::Unnamed(index) => index.index.to_string(),
            };
            Some(format!("{base}.{member}"))
        }
        _ => None,
    }
}

/// An unsuffixed or suffixed integer literal's value.
pub fn int_literal(expr: &Expr) -> Option<u128> {
    match strip(expr) {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        _ => None,
    }
}

/// Whether a name follows the naming of constant and static items (`WORKERS`, `MAX_THREADS`,
/// `CACHE_2`); a single letter (`N`) is not taken for one.
pub fn is_constant_name(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
