//! One search over a syntax node, instead of a hand-written visitor per question.
//!
//! [`Search`] visits the expressions inside an expression, block or statement, in source
//! order, and stops at the first match. How far it reaches is explicit: nested items are never
//! entered, closures and async blocks only when asked (code in them does not run where they are
//! written), and macro arguments exactly when the one macro policy ([`macros::parse_args`])
//! parses them, which is also what the walk visits.

use syn::visit::{self, Visit};
use syn::{Block, Expr, Stmt};

use crate::syntax::macros;

/// A node to search.
#[derive(Clone, Copy)]
pub enum Node<'a> {
    /// An expression, itself included.
    Expr(&'a Expr),
    /// A block's statements.
    Block(&'a Block),
    /// One statement.
    Stmt(&'a Stmt),
    /// Statements, in order.
    Stmts(&'a [Stmt]),
}

impl<'a> From<&'a Expr> for Node<'a> {
    fn from(expr: &'a Expr) -> Self {
        Node::Expr(expr)
    }
}

impl<'a> From<&'a Block> for Node<'a> {
    fn from(block: &'a Block) -> Self {
        Node::Block(block)
    }
}

impl<'a> From<&'a Stmt> for Node<'a> {
    fn from(stmt: &'a Stmt) -> Self {
        Node::Stmt(stmt)
    }
}

impl<'a> From<&'a [Stmt]> for Node<'a> {
    fn from(stmts: &'a [Stmt]) -> Self {
        Node::Stmts(stmts)
    }
}

/// How far a search reaches into nested code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Search {
    /// Whether closure bodies are searched.
    pub closures: bool,
    /// Whether async blocks are searched.
    pub async_blocks: bool,
    /// Whether the arguments of macros the macro policy parses are searched.
    pub macros: bool,
}

impl Search {
    /// The code that runs when the node runs: closures and async blocks it only creates are
    /// left out.
    pub const INLINE: Search = Search {
        closures: false,
        async_blocks: false,
        macros: true,
    };

    /// Everything written inside the node, closures and async blocks included.
    pub const NESTED: Search = Search {
        closures: true,
        async_blocks: true,
        macros: true,
    };

    /// Closures included, async blocks left out.
    pub const CLOSURES: Search = Search {
        closures: true,
        async_blocks: false,
        macros: true,
    };

    /// The same search, leaving macro arguments out (logging and formatting are not work).
    pub const fn without_macros(self) -> Search {
        Search {
            macros: false,
            ..self
        }
    }

    /// Whether `pred` holds for some expression within reach.
    pub fn any<'a>(self, node: impl Into<Node<'a>>, mut pred: impl FnMut(&Expr) -> bool) -> bool {
        self.find_map(node, |e| pred(e).then_some(())).is_some()
    }

    /// The first answer `f` gives for an expression within reach, in source order (an
    /// expression before the expressions inside it).
    pub fn find_map<'a, T>(
        self,
        node: impl Into<Node<'a>>,
        f: impl FnMut(&Expr) -> Option<T>,
    ) -> Option<T> {
        let mut finder = Finder {
            search: self,
            f,
            found: None,
        };
        match node.into() {
            Node::Expr(expr) => finder.visit_expr(expr),
            Node::Block(block) => finder.visit_block(block),
            Node::Stmt(stmt) => finder.visit_stmt(stmt),
            Node::Stmts(stmts) => {
                for stmt in stmts {
                    finder.visit_stmt(stmt);
                }
            }
        }
        finder.found
    }
}

struct Finder<F, T> {
    search: Search,
    f: F,
    found: Option<T>,
}

impl<F: FnMut(&Expr) -> Option<T>, T> Visit<'_> for Finder<F, T> {
    fn visit_expr(&mut self, expr: &Expr) {
        if self.found.is_some() {
            return;
        }
        self.found = (self.f)(expr);
        if self.found.is_some() {
            return;
        }
        match expr {
            Expr::Closure(_) if !self.search.closures => {}
            Expr::Async(_) if !self.search.async_blocks => {}
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, mac: &syn::Macro) {
        if !self.search.macros {
            return;
        }
        for arg in macros::parse_args(mac).iter() {
            self.visit_expr(arg);
        }
    }

    fn visit_item(&mut self, _: &syn::Item) {}
}

/// Whether code awaits anywhere in what it runs inline (not counting async blocks and
/// closures it only creates). A macro that awaits its operands (`select!`, `join!`) or whose
/// body the macro policy cannot parse counts as awaiting.
pub fn awaits_inline(expr: &Expr) -> bool {
    struct AwaitFinder(bool);
    impl Visit<'_> for AwaitFinder {
        fn visit_expr_await(&mut self, _: &syn::ExprAwait) {
            self.0 = true;
        }
        fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {}
        fn visit_item(&mut self, _: &syn::Item) {}
        fn visit_macro(&mut self, mac: &syn::Macro) {
            let args = macros::parse_args(mac);
            self.0 |=
                macros::awaits_operands(mac) || args.is_empty() || args.iter().any(awaits_inline);
        }
    }
    let mut finder = AwaitFinder(false);
    finder.visit_expr(expr);
    finder.0
}

/// Whether every use of `name` in `stmts` (the statements after a `let name = |..| ..;`) is a
/// call of it (`name(x)`), so the closure runs right there, on the calling thread; false when it
/// is never used or is passed on, stored, returned, or named in a macro concur cannot parse.
pub fn only_called(name: &str, stmts: &[Stmt]) -> bool {
    struct Uses<'n> {
        name: &'n str,
        calls: usize,
        all: usize,
    }
    impl<'ast> Visit<'ast> for Uses<'_> {
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            if let Expr::Path(path) = &*call.func
                && path.path.is_ident(self.name)
            {
                self.calls += 1;
            }
            visit::visit_expr_call(self, call);
        }
        fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
            self.all += usize::from(path.path.is_ident(self.name));
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            for arg in macros::parse_args(mac).iter() {
                self.visit_expr(arg);
            }
        }
        fn visit_item(&mut self, _item: &'ast syn::Item) {}
    }
    let mut uses = Uses {
        name,
        calls: 0,
        all: 0,
    };
    for stmt in stmts {
        uses.visit_stmt(stmt);
    }
    uses.calls > 0 && uses.calls == uses.all && !macros::named_in_opaque_macro(stmts, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str) -> Expr {
        syn::parse_str(src).expect("test expression parses")
    }

    fn calls(e: &Expr, name: &str) -> bool {
        matches!(e, Expr::MethodCall(c) if c.method == name)
    }

    #[test]
    fn reach_decides_closures_async_blocks_and_macros() {
        let code =
            expr("{ let f = || tx.send(1); assert!(rx.recv().is_ok()); async { go.run() }; }");
        assert!(!Search::INLINE.any(&code, |e| calls(e, "send")));
        assert!(Search::CLOSURES.any(&code, |e| calls(e, "send")));
        assert!(
            Search::INLINE.any(&code, |e| calls(e, "recv")),
            "assert!'s argument is code"
        );
        assert!(!Search::CLOSURES.any(&code, |e| calls(e, "run")));
        assert!(Search::NESTED.any(&code, |e| calls(e, "run")));
        assert!(
            !Search::NESTED.any(&expr("{ fn inner() { tx.send(1); } }"), |e| calls(
                e, "send"
            ))
        );
    }

    #[test]
    fn find_map_answers_in_source_order() {
        let code = expr("a(b(1), c(2))");
        let first_call = Search::NESTED.find_map(&code, |e| match e {
            Expr::Call(call) => Some(quote::ToTokens::to_token_stream(&call.func).to_string()),
            _ => None,
        });
        assert_eq!(first_call.as_deref(), Some("a"));
    }

    #[test]
    fn awaits_through_macros_the_policy_cannot_read() {
        assert!(awaits_inline(&expr("{ x.await; }")));
        assert!(!awaits_inline(&expr("{ let f = async { x.await }; }")));
        assert!(awaits_inline(&expr("{ tokio::select! { _ = a => {} } }")));
        assert!(awaits_inline(&expr("{ println!(\"{}\", x.await); }")));
        assert!(!awaits_inline(&expr("{ println!(\"{}\", x); }")));
    }
}
