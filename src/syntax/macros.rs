//! Macro bodies the walk can see into.
//!
//! syn leaves a macro's body as tokens. For macros whose grammar is known (std's format-like
//! macros, `vec!`, `matches!`, `join!`, `select!`), the arguments are parsed as expressions so
//! the walk visits them like any other code; their spans point into the original source.
//! Other macros (a project's `ok_or_log!(fut.await)`) are tried as a list of expressions, then
//! as statements, and stay opaque when neither parses; macros whose body is not Rust code
//! (`quote!`, `stringify!`, `html!`, ...) are never parsed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

use crate::syntax::exprs::ident_is;

/// The grammar of a known macro's arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grammar {
    /// Comma-separated expressions, each possibly `name = expr` (`format!`, `assert!`, `join!`).
    Args,
    /// `vec![elem; n]` or `vec![a, b, c]`.
    Vec,
    /// `matches!(expr, pattern)`: only the scrutinee is code.
    FirstExpr,
    /// `select! { [biased;] pat = future [, if cond] => body, ... [else => body] }`.
    Select,
    /// A macro concur does not know: expressions if they parse, else statements.
    Unknown,
}

/// Macros whose bodies are tokens for another language, quoted code or item declarations,
/// never expressions evaluated where the macro stands.
const NOT_CODE: &[&str] = &[
    "quote",
    "quote_spanned",
    "parse_quote",
    "parse_quote_spanned",
    "format_ident",
    "stringify",
    "concat",
    "concat_idents",
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "cfg",
    "compile_error",
    "macro_rules",
    "lazy_static",
    "thread_local",
    "task_local",
    "html",
    "rsx",
    "view",
    "json",
    "sql",
    "cfg_if",
];

fn grammar(name: &str) -> Option<Grammar> {
    Some(match name {
        "println" | "eprintln" | "print" | "eprint" | "format" | "format_args" | "write"
        | "writeln" | "panic" | "assert" | "assert_eq" | "assert_ne" | "debug_assert"
        | "debug_assert_eq" | "debug_assert_ne" | "unreachable" | "todo" | "unimplemented"
        | "dbg" | "join" | "try_join" | "info" | "warn" | "error" | "debug" | "trace" => {
            Grammar::Args
        }
        "vec" => Grammar::Vec,
        "matches" => Grammar::FirstExpr,
        "select" | "select_biased" => Grammar::Select,
        _ if NOT_CODE.contains(&name) => return None,
        _ => Grammar::Unknown,
    })
}

thread_local! {
    /// The arguments parsed so far in the current [`with_parse_cache`] scope, by the macro
    /// node's address (stable while the scope's syntax tree is alive).
    static PARSED: RefCell<Option<HashMap<usize, Rc<[Expr]>>>> = const { RefCell::new(None) };
}

/// Runs `f` with each macro's arguments parsed at most once: the walk and every search and
/// scan inside it ask for the same macro's arguments several times. The syntax tree the
/// macros belong to must outlive the scope, and nothing in it may ask about a macro of a
/// temporary tree (an address could be reused).
pub fn with_parse_cache<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(Option<HashMap<usize, Rc<[Expr]>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            PARSED.with(|cache| *cache.borrow_mut() = previous);
        }
    }
    let _restore = Restore(PARSED.with(|cache| cache.borrow_mut().replace(HashMap::new())));
    f()
}

/// Parses the arguments of a known macro as expressions; an unknown macro or one whose
/// tokens do not fit the grammar yields nothing. Within [`with_parse_cache`] each macro is
/// parsed once.
pub fn parse_args(mac: &syn::Macro) -> Rc<[Expr]> {
    let key = std::ptr::from_ref(mac) as usize;
    if let Some(hit) = PARSED.with(|cache| cache.borrow().as_ref()?.get(&key).cloned()) {
        return hit;
    }
    let parsed: Rc<[Expr]> = parse_args_uncached(mac).into();
    PARSED.with(|cache| {
        if let Some(cache) = cache.borrow_mut().as_mut() {
            cache.insert(key, Rc::clone(&parsed));
        }
    });
    parsed
}

fn parse_args_uncached(mac: &syn::Macro) -> Vec<Expr> {
    let Some(name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
        return Vec::new();
    };
    let Some(grammar) = grammar(&name) else {
        return Vec::new();
    };
    let tokens = mac.tokens.clone();
    let parsed = match grammar {
        Grammar::Args => Parser::parse2(parse_format_args, tokens),
        Grammar::Vec => Parser::parse2(parse_vec, tokens),
        Grammar::FirstExpr => Parser::parse2(parse_first_expr, tokens),
        Grammar::Select => Parser::parse2(parse_select, tokens),
        Grammar::Unknown => Parser::parse2(parse_format_args, tokens.clone()).or_else(|_| {
            Parser::parse2(syn::Block::parse_within, tokens)
                .map(|stmts| statements_as_block(mac, stmts))
        }),
    };
    parsed.unwrap_or_default()
}

/// Statements parsed from a macro's body, as one block expression spanning its delimiters
/// (nothing when there are none).
fn statements_as_block(mac: &syn::Macro, stmts: Vec<syn::Stmt>) -> Vec<Expr> {
    if stmts.is_empty() {
        return Vec::new();
    }
    let span = match &mac.delimiter {
        syn::MacroDelimiter::Paren(p) => p.span,
        syn::MacroDelimiter::Brace(b) => b.span,
        syn::MacroDelimiter::Bracket(b) => b.span,
    };
    vec![Expr::Block(syn::ExprBlock {
        attrs: Vec::new(),
        label: None,
        block: syn::Block {
            brace_token: syn::token::Brace { span },
            stmts,
        },
    })]
}

/// `select!`'s branches: each future (and its `if` precondition), then each body.
fn parse_select(input: ParseStream<'_>) -> syn::Result<Vec<Expr>> {
    if input.peek(syn::Ident) && input.peek2(Token![;]) {
        input.parse::<syn::Ident>()?;
        input.parse::<Token![;]>()?;
    }
    let mut futures = Vec::new();
    let mut bodies = Vec::new();
    while !input.is_empty() {
        let fallback =
            (input.peek(Token![else]) || input.peek(syn::Ident)) && input.peek2(Token![=>]);
        if fallback {
            input.parse::<proc_macro2::TokenTree>()?;
        } else {
            syn::Pat::parse_multi_with_leading_vert(input)?;
            input.parse::<Token![=]>()?;
            futures.push(input.parse()?);
            if input.peek(Token![,]) && input.peek2(Token![if]) {
                input.parse::<Token![,]>()?;
                input.parse::<Token![if]>()?;
                futures.push(input.parse()?);
            }
        }
        input.parse::<Token![=>]>()?;
        let body: Expr = input.parse()?;
        if input.peek(Token![,]) || !matches!(body, Expr::Block(_)) && !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
        bodies.push(body);
    }
    futures.extend(bodies);
    Ok(futures)
}

/// Whether a macro awaits the futures it is given (`select!`, `join!`, `pending!`): code using
/// it awaits even where no `.await` is written.
pub fn awaits_operands(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| {
        ident_is(
            &s.ident,
            &["join", "try_join", "select", "select_biased", "pending"],
        )
    })
}

/// The statics a `lazy_static! { static ref NAME: Type = ..; }` or
/// `thread_local! { static NAME: Type = ..; }` declares, with their types; nothing for other
/// macros or bodies that do not parse.
pub fn declared_statics(mac: &syn::Macro) -> Vec<(syn::Ident, syn::Type)> {
    let is_static_macro = mac
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "lazy_static" || s.ident == "thread_local");
    if !is_static_macro {
        return Vec::new();
    }
    Parser::parse2(parse_statics, mac.tokens.clone()).unwrap_or_default()
}

fn parse_statics(input: ParseStream<'_>) -> syn::Result<Vec<(syn::Ident, syn::Type)>> {
    let mut statics = Vec::new();
    while !input.is_empty() {
        input.call(syn::Attribute::parse_outer)?;
        input.parse::<syn::Visibility>()?;
        input.parse::<Token![static]>()?;
        if input.peek(Token![ref]) {
            input.parse::<Token![ref]>()?;
        }
        let name: syn::Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let ty: syn::Type = input.parse()?;
        input.parse::<Token![=]>()?;
        input.parse::<Expr>()?;
        if !input.is_empty() {
            input.parse::<Token![;]>()?;
        }
        statics.push((name, ty));
    }
    Ok(statics)
}

/// The number of elements of a `vec![a, b, c]` literal (`None` for `vec![x; n]` or other macros).
pub fn vec_literal_len(mac: &syn::Macro) -> Option<usize> {
    let is_vec = mac.path.segments.last().is_some_and(|s| s.ident == "vec");
    if !is_vec {
        return None;
    }
    let repeat = mac
        .tokens
        .clone()
        .into_iter()
        .any(|t| matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';'));
    if repeat {
        return None;
    }
    Parser::parse2(
        Punctuated::<Expr, Token![,]>::parse_terminated,
        mac.tokens.clone(),
    )
    .ok()
    .map(|items| items.len())
}

fn parse_format_args(input: ParseStream<'_>) -> syn::Result<Vec<Expr>> {
    let mut exprs = Vec::new();
    while !input.is_empty() {
        if input.peek(syn::Ident) && input.peek2(Token![=]) && !input.peek2(Token![==]) {
            input.parse::<syn::Ident>()?;
            input.parse::<Token![=]>()?;
        }
        exprs.push(input.parse()?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(exprs)
}

fn parse_vec(input: ParseStream<'_>) -> syn::Result<Vec<Expr>> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    let first: Expr = input.parse()?;
    if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        return Ok(vec![first, input.parse()?]);
    }
    let mut exprs = vec![first];
    if input.is_empty() {
        return Ok(exprs);
    }
    input.parse::<Token![,]>()?;
    exprs.extend(Punctuated::<Expr, Token![,]>::parse_terminated(input)?);
    Ok(exprs)
}

fn parse_first_expr(input: ParseStream<'_>) -> syn::Result<Vec<Expr>> {
    let expr: Expr = input.parse()?;
    input.parse::<proc_macro2::TokenStream>()?;
    Ok(vec![expr])
}

/// Whether `tokens` contain one of `names` as an identifier, at any depth (a macro the walk
/// cannot parse may still use a local).
pub fn tokens_mention(tokens: &proc_macro2::TokenStream, names: &[String]) -> bool {
    tokens.clone().into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => names.iter().any(|n| ident == n),
        proc_macro2::TokenTree::Group(group) => tokens_mention(&group.stream(), names),
        _ => false,
    })
}

/// Whether the syntax node that `visit_node` walks names one of `names`, in code or in a
/// macro's tokens: `node_mentions(names, |v| v.visit_expr(expr))`.
pub fn node_mentions<'ast>(
    names: &[String],
    visit_node: impl FnOnce(&mut dyn syn::visit::Visit<'ast>),
) -> bool {
    struct Mention<'n> {
        names: &'n [String],
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Mention<'_> {
        fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
            self.found |= self.names.iter().any(|n| ident == n);
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            self.found |= tokens_mention(&mac.tokens, self.names);
        }
    }
    let mut mention = Mention {
        names,
        found: false,
    };
    visit_node(&mut mention);
    mention.found
}

/// Whether a macro in `stmts` whose body the walk cannot parse (an unknown macro) names
/// `name`: a use that a binding's list of uses cannot classify.
pub fn named_in_opaque_macro(stmts: &[syn::Stmt], name: &str) -> bool {
    let mut finder = OpaqueMention {
        names: [name.to_string()],
        found: false,
    };
    for stmt in stmts {
        syn::visit::Visit::visit_stmt(&mut finder, stmt);
    }
    finder.found
}

struct OpaqueMention {
    names: [String; 1],
    found: bool,
}

impl<'ast> syn::visit::Visit<'ast> for OpaqueMention {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let args = parse_args(mac);
        if args.is_empty() {
            self.found |= tokens_mention(&mac.tokens, &self.names);
        }
        for arg in args.iter() {
            self.visit_expr(arg);
        }
    }

    fn visit_item(&mut self, _item: &'ast syn::Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(src: &str) -> usize {
        let mac: syn::Macro = syn::parse_str(src).expect("test macro parses");
        parse_args(&mac).len()
    }

    #[test]
    fn known_macros_yield_their_expressions() {
        assert_eq!(args(r#"println!("{} {x}", a.b(), x = f())"#), 3);
        assert_eq!(args("vec![make(); n]"), 2);
        assert_eq!(args("vec![a, b, c,]"), 3);
        assert_eq!(args("matches!(x.get(), Some(1) | None)"), 1);
        assert_eq!(args("assert!(a == b)"), 1);
        assert_eq!(args("quote!(#a)"), 0);
        assert_eq!(args("stringify!(a.lock())"), 0);
        assert_eq!(args("println!(garbage ;;)"), 0);
        assert_eq!(
            args(
                "tokio::select! { biased; Some(m) = rx.recv() => handle(m), _ = tick.tick(), if on => {} else => break }"
            ),
            6
        );
        assert_eq!(args("select! { a = one() => { x } b = two() => { y } }"), 4);
        assert_eq!(args("ok_or_log!(fut.await)"), 1);
        assert_eq!(args("retry! { let x = f(); x.await }"), 1);
        assert_eq!(args("my_dsl!(<div> hello </div>)"), 0);
    }

    #[test]
    fn statics_declared_in_macros() {
        let lazy: syn::Macro = syn::parse_str(
            "lazy_static! { pub static ref CACHE: Mutex<Vec<u8>> = Mutex::new(vec![]); static ref N: u8 = 1; }",
        )
        .expect("test macro parses");
        let names: Vec<String> = declared_statics(&lazy)
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(names, ["CACHE", "N"]);
        let local: syn::Macro =
            syn::parse_str("thread_local! { static COUNT: Cell<u32> = Cell::new(0) }")
                .expect("test macro parses");
        assert_eq!(declared_statics(&local).len(), 1);
    }
}
