//! Cheap spans of syntax nodes: from a node's first and last tokens, without printing it.
//!
//! `syn::spanned::Spanned::span()` turns the whole node back into tokens to find its first and
//! last one, so it costs as much as the node is big, and calling it on many nested nodes (every
//! block, every loop header) costs the square of the nesting. [`span`], [`start`] and [`end`]
//! reach the same tokens by following the syntax tree down its leftmost and rightmost edge.
//! They give exactly what `Spanned::span()` gives: the rare shapes this module does not follow
//! (verbatim tokens, invisible groups, ...) fall back to it.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{AttrStyle, Attribute, Block, Expr, Local, Macro, MacroDelimiter, Path, Stmt};

/// A node whose first and last tokens can be found without printing it.
pub trait Edges {
    /// A span starting where the node starts (its first token's).
    fn first(&self) -> Span;
    /// A span ending where the node ends (its last token's).
    fn last(&self) -> Span;
}

/// The node's span, as `Spanned::span()` would give it: from its first to its last token.
pub fn span(node: &impl Edges) -> Span {
    let (first, last) = (node.first(), node.last());
    first.join(last).unwrap_or(first)
}

/// Where the node starts.
pub fn start(node: &impl Edges) -> proc_macro2::LineColumn {
    node.first().start()
}

/// Where the node ends.
pub fn end(node: &impl Edges) -> proc_macro2::LineColumn {
    node.last().end()
}

fn outer_attr(attrs: &[Attribute]) -> Option<Span> {
    attrs
        .iter()
        .find(|a| matches!(a.style, AttrStyle::Outer))
        .map(|a| a.pound_token.span)
}

fn path_first(leading: Option<&syn::Token![::]>, path: &Path) -> Span {
    match (leading, path.segments.first()) {
        (Some(colons), _) => colons.spans[0],
        (None, Some(segment)) => segment.ident.span(),
        (None, None) => path.span(),
    }
}

fn path_last(path: &Path) -> Span {
    match path.segments.last() {
        Some(segment) => match &segment.arguments {
            syn::PathArguments::None => segment.ident.span(),
            syn::PathArguments::AngleBracketed(args) => args.gt_token.span,
            syn::PathArguments::Parenthesized(_) => path.span(),
        },
        None => path.span(),
    }
}

fn qpath_first(qself: Option<&syn::QSelf>, path: &Path) -> Span {
    match qself {
        Some(qself) => qself.lt_token.span,
        None => path_first(path.leading_colon.as_ref(), path),
    }
}

fn label_first(label: Option<&syn::Label>) -> Option<Span> {
    label.map(|l| l.name.apostrophe)
}

impl Edges for Macro {
    fn first(&self) -> Span {
        path_first(self.path.leading_colon.as_ref(), &self.path)
    }

    fn last(&self) -> Span {
        match &self.delimiter {
            MacroDelimiter::Paren(d) => d.span.close(),
            MacroDelimiter::Brace(d) => d.span.close(),
            MacroDelimiter::Bracket(d) => d.span.close(),
        }
    }
}

impl Edges for Block {
    fn first(&self) -> Span {
        self.brace_token.span.open()
    }

    fn last(&self) -> Span {
        self.brace_token.span.close()
    }
}

impl Edges for Local {
    fn first(&self) -> Span {
        outer_attr(&self.attrs).unwrap_or(self.let_token.span)
    }

    fn last(&self) -> Span {
        self.semi_token.span
    }
}

impl Edges for Stmt {
    fn first(&self) -> Span {
        match self {
            Stmt::Local(local) => local.first(),
            Stmt::Expr(expr, _) => expr.first(),
            Stmt::Macro(mac) => outer_attr(&mac.attrs).unwrap_or_else(|| mac.mac.first()),
            Stmt::Item(item) => item.span(),
        }
    }

    fn last(&self) -> Span {
        match self {
            Stmt::Local(local) => local.last(),
            Stmt::Expr(_, Some(semi)) => semi.span,
            Stmt::Expr(expr, None) => expr.last(),
            Stmt::Macro(mac) => match &mac.semi_token {
                Some(semi) => semi.span,
                None => mac.mac.last(),
            },
            Stmt::Item(item) => item.span(),
        }
    }
}

impl Edges for syn::ExprCall {
    fn first(&self) -> Span {
        outer_attr(&self.attrs).unwrap_or_else(|| self.func.first())
    }

    fn last(&self) -> Span {
        self.paren_token.span.close()
    }
}

impl Edges for syn::ExprMethodCall {
    fn first(&self) -> Span {
        outer_attr(&self.attrs).unwrap_or_else(|| self.receiver.first())
    }

    fn last(&self) -> Span {
        self.paren_token.span.close()
    }
}

impl Edges for Expr {
    fn first(&self) -> Span {
        let attrs = match self {
            Expr::Verbatim(_) | Expr::Group(_) => return self.span(),
            Expr::Call(e) => return e.first(),
            Expr::MethodCall(e) => return e.first(),
            Expr::Array(e) => &e.attrs,
            Expr::Assign(e) => &e.attrs,
            Expr::Async(e) => &e.attrs,
            Expr::Await(e) => &e.attrs,
            Expr::Binary(e) => &e.attrs,
            Expr::Block(e) => &e.attrs,
            Expr::Break(e) => &e.attrs,
            Expr::Cast(e) => &e.attrs,
            Expr::Closure(e) => &e.attrs,
            Expr::Const(e) => &e.attrs,
            Expr::Continue(e) => &e.attrs,
            Expr::Field(e) => &e.attrs,
            Expr::ForLoop(e) => &e.attrs,
            Expr::If(e) => &e.attrs,
            Expr::Index(e) => &e.attrs,
            Expr::Let(e) => &e.attrs,
            Expr::Lit(e) => &e.attrs,
            Expr::Loop(e) => &e.attrs,
            Expr::Macro(e) => &e.attrs,
            Expr::Match(e) => &e.attrs,
            Expr::Paren(e) => &e.attrs,
            Expr::Path(e) => &e.attrs,
            Expr::Range(e) => &e.attrs,
            Expr::Reference(e) => &e.attrs,
            Expr::Repeat(e) => &e.attrs,
            Expr::Return(e) => &e.attrs,
            Expr::Struct(e) => &e.attrs,
            Expr::Try(e) => &e.attrs,
            Expr::TryBlock(e) => &e.attrs,
            Expr::Tuple(e) => &e.attrs,
            Expr::Unary(e) => &e.attrs,
            Expr::Unsafe(e) => &e.attrs,
            Expr::While(e) => &e.attrs,
            Expr::Yield(e) => &e.attrs,
            _ => return self.span(),
        };
        if let Some(pound) = outer_attr(attrs) {
            return pound;
        }
        match self {
            Expr::Array(e) => e.bracket_token.span.open(),
            Expr::Assign(e) => e.left.first(),
            Expr::Async(e) => e.async_token.span,
            Expr::Await(e) => e.base.first(),
            Expr::Binary(e) => e.left.first(),
            Expr::Block(e) => label_first(e.label.as_ref()).unwrap_or(e.block.first()),
            Expr::Break(e) => e.break_token.span,
            Expr::Cast(e) => e.expr.first(),
            Expr::Closure(e) => {
                if let Some(lifetimes) = &e.lifetimes {
                    lifetimes.for_token.span
                } else if let Some(constness) = &e.constness {
                    constness.span
                } else if let Some(movability) = &e.movability {
                    movability.span
                } else if let Some(asyncness) = &e.asyncness {
                    asyncness.span
                } else if let Some(capture) = &e.capture {
                    capture.span
                } else {
                    e.or1_token.span
                }
            }
            Expr::Const(e) => e.const_token.span,
            Expr::Continue(e) => e.continue_token.span,
            Expr::Field(e) => e.base.first(),
            Expr::ForLoop(e) => label_first(e.label.as_ref()).unwrap_or(e.for_token.span),
            Expr::If(e) => e.if_token.span,
            Expr::Index(e) => e.expr.first(),
            Expr::Let(e) => e.let_token.span,
            Expr::Lit(e) => e.lit.span(),
            Expr::Loop(e) => label_first(e.label.as_ref()).unwrap_or(e.loop_token.span),
            Expr::Macro(e) => e.mac.first(),
            Expr::Match(e) => e.match_token.span,
            Expr::Paren(e) => e.paren_token.span.open(),
            Expr::Path(e) => qpath_first(e.qself.as_ref(), &e.path),
            Expr::Range(e) => match (&e.start, &e.limits) {
                (Some(start), _) => start.first(),
                (None, syn::RangeLimits::HalfOpen(dots)) => dots.spans[0],
                (None, syn::RangeLimits::Closed(dots)) => dots.spans[0],
            },
            Expr::Reference(e) => e.and_token.span,
            Expr::Repeat(e) => e.bracket_token.span.open(),
            Expr::Return(e) => e.return_token.span,
            Expr::Struct(e) => qpath_first(e.qself.as_ref(), &e.path),
            Expr::Try(e) => e.expr.first(),
            Expr::TryBlock(e) => e.try_token.span,
            Expr::Tuple(e) => e.paren_token.span.open(),
            Expr::Unary(e) => match e.op {
                syn::UnOp::Deref(star) => star.span,
                syn::UnOp::Not(bang) => bang.span,
                syn::UnOp::Neg(minus) => minus.span,
                _ => self.span(),
            },
            Expr::Unsafe(e) => e.unsafe_token.span,
            Expr::While(e) => label_first(e.label.as_ref()).unwrap_or(e.while_token.span),
            Expr::Yield(e) => e.yield_token.span,
            _ => self.span(),
        }
    }

    fn last(&self) -> Span {
        // syn prints these in invented parentheses after their attributes: their span then
        // ends where the attributes do.
        let grouped = match self {
            Expr::Assign(e) => !e.attrs.is_empty(),
            Expr::Binary(e) => !e.attrs.is_empty(),
            Expr::Cast(e) => !e.attrs.is_empty(),
            Expr::Range(e) => !e.attrs.is_empty(),
            _ => false,
        };
        if grouped {
            return self.span();
        }
        match self {
            Expr::Array(e) => e.bracket_token.span.close(),
            Expr::Assign(e) => e.right.last(),
            Expr::Async(e) => e.block.last(),
            Expr::Await(e) => e.await_token.span,
            Expr::Binary(e) => e.right.last(),
            Expr::Block(e) => e.block.last(),
            Expr::Break(e) => match (&e.expr, &e.label) {
                (Some(value), _) => value.last(),
                (None, Some(label)) => label.ident.span(),
                (None, None) => e.break_token.span,
            },
            Expr::Call(e) => e.last(),
            Expr::Cast(e) => e.ty.span(),
            Expr::Closure(e) => {
                let plain_body = matches!(e.output, syn::ReturnType::Default)
                    || matches!(&*e.body, Expr::Block(b) if b.attrs.is_empty() && b.label.is_none());
                if plain_body {
                    e.body.last()
                } else {
                    self.span()
                }
            }
            Expr::Const(e) => e.block.last(),
            Expr::Continue(e) => match &e.label {
                Some(label) => label.ident.span(),
                None => e.continue_token.span,
            },
            Expr::Field(e) => match &e.member {
                syn::Member::Named(ident) => ident.span(),
                syn::Member::Unnamed(index) => index.span,
            },
            Expr::ForLoop(e) => e.body.last(),
            Expr::If(e) => match &e.else_branch {
                Some((_, els)) => els.last(),
                None => e.then_branch.last(),
            },
            Expr::Index(e) => e.bracket_token.span.close(),
            Expr::Let(e) => e.expr.last(),
            Expr::Lit(e) => e.lit.span(),
            Expr::Loop(e) => e.body.last(),
            Expr::Macro(e) => e.mac.last(),
            Expr::Match(e) => e.brace_token.span.close(),
            Expr::MethodCall(e) => e.last(),
            Expr::Paren(e) => e.paren_token.span.close(),
            Expr::Path(e) => path_last(&e.path),
            Expr::Range(e) => match (&e.end, &e.limits) {
                (Some(end), _) => end.last(),
                (None, syn::RangeLimits::HalfOpen(dots)) => dots.spans[1],
                (None, syn::RangeLimits::Closed(dots)) => dots.spans[2],
            },
            Expr::Reference(e) => e.expr.last(),
            Expr::Repeat(e) => e.bracket_token.span.close(),
            Expr::Return(e) => match &e.expr {
                Some(value) => value.last(),
                None => e.return_token.span,
            },
            Expr::Struct(e) => e.brace_token.span.close(),
            Expr::Try(e) => e.question_token.span,
            Expr::TryBlock(e) => e.block.last(),
            Expr::Tuple(e) => e.paren_token.span.close(),
            Expr::Unary(e) => e.expr.last(),
            Expr::Unsafe(e) => e.block.last(),
            Expr::While(e) => e.body.last(),
            Expr::Yield(e) => match &e.expr {
                Some(value) => value.last(),
                None => e.yield_token.span,
            },
            _ => self.span(),
        }
    }
}
