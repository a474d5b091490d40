//! `arc_never_shared`: an `Arc::new(..)` bound to a local that never leaves its function's
//! hands: no clone, no move into a closure or task, never returned, stored or passed on.

use syn::{Block, Expr, Stmt};

use crate::analysis::bindings::{self, Follow, Parent, Use};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::semantic::catalog::{self, Api};
use crate::syntax::macros;
use crate::syntax::pats::pat_name;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    ArcNeverShared,
    name: "arc_never_shared",
    category: Perf,
    fix: None,
    summary: "an `Arc` that is never cloned, moved or passed on: its atomic reference count buys nothing",
);

/// See `rules/arc_never_shared.md`.
#[derive(Default)]
pub struct ArcNeverShared;

/// Whether a use of the `Arc` only borrows the value behind it, in the same thread (a use in a
/// worker's closure, even borrowed, is left alone: that is what the `Arc` may be for).
fn only_borrows(found: &Use<'_>) -> bool {
    if found.in_move_closure || found.in_spawned {
        return false;
    }
    if found.projected {
        return true;
    }
    match &found.parent {
        Parent::Methods(calls) => calls
            .first()
            .is_some_and(|c| catalog::only_borrows(&c.method.to_string())),
        Parent::Macro(names) => names.first().is_some_and(|m| catalog::only_borrows(m)),
        Parent::Arg(_) | Parent::Other => false,
    }
}

/// The `Arc::new(value)` call a `let` initializer is.
fn arc_new<'e>(cx: &Context<'_>, init: &'e Expr) -> Option<&'e syn::ExprCall> {
    let Expr::Call(call) = init else { return None };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    let is_new = func.path.segments.last().is_some_and(|s| s.ident == "new");
    (is_new && call.args.len() == 1 && cx.call_api(&call.func) == Some(Api::ArcType))
        .then_some(call)
}

impl Rule for ArcNeverShared {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        for (i, stmt) in block.stmts.iter().enumerate() {
            let Stmt::Local(local) = stmt else { continue };
            let Some(init) = local.init.as_ref().filter(|init| init.diverge.is_none()) else {
                continue;
            };
            let (Some(name), Some(call)) = (pat_name(&local.pat), arc_new(cx, &init.expr)) else {
                continue;
            };
            let rest = &block.stmts[i + 1..];
            let uses = bindings::uses(cx, &name, rest, Follow::default());
            if uses.is_empty()
                || !uses.iter().all(only_borrows)
                || macros::named_in_opaque_macro(rest, &name)
            {
                continue;
            }
            out.push(
                cx.diagnostic(
                    INFO.name,
                    call,
                    format!("`{name}` is an `Arc` that is never shared"),
                )
                .with_primary_label("an atomic reference count that never goes above one")
                .with_label(
                    cx.span(uses[0].span),
                    "only borrowed in this function: never cloned, moved or passed on",
                )
                .with_help(
                    "bind the value itself instead of `Arc::new(..)` and borrow it where needed; use `Rc` if it is shared within one thread",
                ),
            );
        }
    }
}
