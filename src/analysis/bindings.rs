//! The fate of a local binding in the rest of its block: every place the name is used, and how.
//!
//! Rules about values with a lifecycle (a channel's sender, a `Child`, a `Command` builder)
//! need to know what happens to a `let` binding after it is made: is it cloned, dropped, moved
//! into a closure, handed to a function, used as the head of a loop? [`uses`] answers by looking
//! at the statements that follow the `let` in its block (the binding's scope), following
//! shadowing (a later `let tx = ..` or a closure parameter named `tx` hides it) and, on request,
//! aliases (`let tx = tx.clone();` names the same channel).

use proc_macro2::Span as SynSpan;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall, Pat, Stmt};

use crate::analysis::facts::Facts;
use crate::analysis::loops::{LoopSize, while_loop_size};
use crate::diagnostic::Span;
use crate::semantic::catalog;
use crate::syntax::exprs::{ident_is, strip};
use crate::syntax::macros;
use crate::syntax::pats::{pat_name, pat_names};
use crate::syntax::spans::{self, Edges};

/// A source position (line, column) used to order uses within a file.
pub type Pos = (usize, usize);

/// Where an expression starts, for ordering.
pub fn pos(node: &impl Edges) -> Pos {
    let start = spans::start(node);
    (start.line, start.column)
}

/// Where an expression ends, for ordering.
pub fn end_pos(node: &impl Edges) -> Pos {
    let end = spans::end(node);
    (end.line, end.column)
}

/// What surrounds one use of the binding.
#[derive(Debug, Clone)]
pub enum Parent<'a> {
    /// The binding is the receiver of a method chain: the calls applied to it, innermost first
    /// (`tx.clone()` → `[clone]`; `rx.iter().sum()` → `[iter, sum]`).
    Methods(Vec<&'a ExprMethodCall>),
    /// The binding is a direct argument of a call (`drop(tx)`, `Command::new(&exe)`).
    Arg(&'a ExprCall),
    /// Inside the arguments of a known macro (`println!("{}", rx.recv()?)`): the method names
    /// applied to it.
    Macro(Vec<String>),
    /// Anything else: a `let` initializer, a struct field, a return value, a loop head, an operand.
    Other,
}

/// The innermost loop around a use, between the binding and the use.
#[derive(Debug, Clone, Copy)]
pub struct LoopCtx<'a> {
    /// What the loop runs over: the iterable of a `for`, the condition of a `while`, the
    /// receiver of a per-item adapter (`None` for `loop`).
    pub over: Option<&'a Expr>,
    /// How often it runs.
    pub size: LoopSize,
    /// The loop header, for labels.
    pub header: Span,
    /// How many closures enclosed the loop (a loop outside a spawned closure does not repeat
    /// what the spawned code does).
    closures: usize,
}

/// One use of the binding.
#[derive(Debug, Clone)]
pub struct Use<'a> {
    /// What the use is part of.
    pub parent: Parent<'a>,
    /// Whether the use is behind `&`/`&mut`.
    pub borrowed: bool,
    /// Whether the use is of an alias (`let tx = tx.clone();`) rather than the binding itself.
    pub alias: bool,
    /// The name as written at the use.
    pub span: SynSpan,
    /// Where the use is.
    pub pos: Pos,
    /// Index of the statement (among those scanned) the use is in.
    pub stmt: usize,
    /// Whether the use is inside a closure or async block.
    pub in_closure: bool,
    /// Whether some enclosing closure or async block captures by value (`move`).
    pub in_move_closure: bool,
    /// Whether some enclosing closure or async block is handed to a spawn (thread, task, pool).
    pub in_spawned: bool,
    /// The innermost loop around the use, unless a spawned closure lies between the two.
    pub in_loop: Option<LoopCtx<'a>>,
    /// The `for`/`while` loop whose header (iterable or condition) holds the use.
    pub loop_head: Option<&'a Expr>,
    /// Whether the use reads through the value rather than using the value itself: `*x`,
    /// `x.field`, `x[i]` (its parent is then [`Parent::Other`] or [`Parent::Macro`]).
    pub projected: bool,
}

impl Use<'_> {
    /// The method names applied to the binding at this use, innermost first.
    pub fn methods(&self) -> Vec<String> {
        match &self.parent {
            Parent::Methods(calls) => calls.iter().map(|c| c.method.to_string()).collect(),
            Parent::Macro(names) => names.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether the first method applied is `name` (`tx.clone()` for `"clone"`).
    pub fn first_method_is(&self, name: &str) -> bool {
        self.methods().first().is_some_and(|m| m == name)
    }

    /// Whether this use gives the value away: passed by value to a call or a `move` closure,
    /// stored, returned, or rebound; `drop(x)` included. Method calls, borrows and macro
    /// arguments keep it in place.
    pub fn gives_away(&self) -> bool {
        if self.in_move_closure {
            return true;
        }
        match self.parent {
            Parent::Methods(_) | Parent::Macro(_) => false,
            Parent::Arg(_) | Parent::Other => !self.borrowed,
        }
    }
}

/// Options for [`uses`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Follow {
    /// Also report uses of aliases: `let a = x.clone();` and `let a = x;`.
    pub aliases: bool,
}

/// Every use of `name` in `stmts` (the statements after the `let` that bound it), in source
/// order. Shadowed regions are skipped; nested items are not looked into.
pub fn uses<'a>(cx: &Facts<'_>, name: &str, stmts: &'a [Stmt], follow: Follow) -> Vec<Use<'a>> {
    let mut scanner = Scanner {
        cx,
        follow,
        scopes: vec![vec![(name.to_string(), Binding::Original)]],
        out: Vec::new(),
        stmt: 0,
        closures: Vec::new(),
        loops: Vec::new(),
        loop_head: None,
        borrowed: false,
        pending_spawn: false,
        macro_depth: 0,
    };
    for (index, stmt) in stmts.iter().enumerate() {
        scanner.stmt = index;
        scanner.visit_stmt_in_scope(stmt);
    }
    scanner.out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Binding {
    Original,
    Alias,
    Shadow,
}

#[derive(Debug, Clone, Copy)]
struct ClosureFrame {
    is_move: bool,
    spawned: bool,
}

struct Scanner<'c, 'f, 'a> {
    cx: &'c Facts<'f>,
    follow: Follow,
    scopes: Vec<Vec<(String, Binding)>>,
    out: Vec<Use<'a>>,
    stmt: usize,
    closures: Vec<ClosureFrame>,
    loops: Vec<LoopCtx<'a>>,
    loop_head: Option<&'a Expr>,
    borrowed: bool,
    pending_spawn: bool,
    macro_depth: usize,
}

impl<'a> Scanner<'_, '_, 'a> {
    fn lookup(&self, name: &str) -> Option<Binding> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.iter().rev().find(|(n, _)| n == name).map(|(_, b)| *b))
            .filter(|b| *b != Binding::Shadow)
    }

    /// The tracked binding an expression names directly, if any.
    fn tracked(&self, expr: &Expr) -> Option<Binding> {
        let Expr::Path(path) = expr else { return None };
        let ident = path.path.get_ident()?;
        if path.qself.is_some() {
            return None;
        }
        self.lookup(&ident.to_string())
    }

    fn bind(&mut self, pat: &Pat, binding: Binding) {
        let scope = self.scopes.last_mut().expect("scanner has a scope");
        for name in pat_names(pat) {
            scope.push((name, binding));
        }
    }

    fn record(&mut self, binding: Binding, span: SynSpan, parent: Parent<'a>) {
        let parent = if self.macro_depth > 0 {
            Parent::Macro(match parent {
                Parent::Methods(calls) => calls.iter().map(|c| c.method.to_string()).collect(),
                _ => Vec::new(),
            })
        } else {
            parent
        };
        let start = span.start();
        self.out.push(Use {
            parent,
            borrowed: self.borrowed,
            alias: binding == Binding::Alias,
            span,
            pos: (start.line, start.column),
            stmt: self.stmt,
            in_closure: !self.closures.is_empty(),
            in_move_closure: self.closures.iter().any(|c| c.is_move),
            in_spawned: self.closures.iter().any(|c| c.spawned),
            in_loop: self.current_loop(),
            loop_head: self.loop_head,
            projected: false,
        });
    }

    /// Visits the base of a deref, field access or index: a tracked name there is a projected
    /// use.
    fn visit_projected(&mut self, base: &'a Expr) {
        let stripped = strip(base);
        match self
            .tracked(stripped)
            .filter(|_| !matches!(base, Expr::Reference(_)))
        {
            Some(binding) => {
                self.record(binding, stripped.span(), Parent::Other);
                if let Some(found) = self.out.last_mut() {
                    found.projected = true;
                }
            }
            None => self.visit_expr(base),
        }
    }

    /// The innermost loop, unless a spawned closure lies between it and this point.
    fn current_loop(&self) -> Option<LoopCtx<'a>> {
        self.loops
            .last()
            .filter(|l| !self.closures[l.closures..].iter().any(|c| c.spawned))
            .copied()
    }

    fn in_scope(&mut self, f: impl FnOnce(&mut Self)) {
        let depth = self.scopes.len();
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
        debug_assert_eq!(self.scopes.len(), depth, "scanner scopes out of balance");
    }

    fn with_loop(
        &mut self,
        over: Option<&'a Expr>,
        size: LoopSize,
        header: Span,
        f: impl FnOnce(&mut Self),
    ) {
        let closures = self.closures.len();
        self.loops.push(LoopCtx {
            over,
            size,
            header,
            closures,
        });
        f(self);
        self.loops.pop();
    }

    fn with_closure(&mut self, is_move: bool, f: impl FnOnce(&mut Self)) {
        let spawned = std::mem::take(&mut self.pending_spawn);
        self.closures.push(ClosureFrame { is_move, spawned });
        let borrowed = std::mem::take(&mut self.borrowed);
        f(self);
        self.borrowed = borrowed;
        self.closures.pop();
    }

    fn visit_stmt_in_scope(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Local(local) => {
                let alias = match &local.init {
                    Some(init) => {
                        self.visit_expr(&init.expr);
                        if let Some((_, diverge)) = &init.diverge {
                            self.visit_expr(diverge);
                        }
                        self.alias_of(&init.expr)
                    }
                    None => None,
                };
                let binding = match (alias, pat_name(&local.pat)) {
                    (Some(_), Some(_)) if self.follow.aliases => Binding::Alias,
                    _ => Binding::Shadow,
                };
                self.bind(&local.pat, binding);
            }
            Stmt::Item(_) => {}
            Stmt::Expr(expr, _) => self.visit_expr(expr),
            Stmt::Macro(mac) => self.visit_macro_args(&mac.mac),
        }
    }

    /// `x.clone()` or `x` (also behind `&`/`Arc::clone(&x)`-free forms) of a tracked binding.
    fn alias_of(&self, init: &Expr) -> Option<Binding> {
        match strip(init) {
            Expr::MethodCall(call) if call.method == "clone" && call.args.is_empty() => {
                self.tracked(strip(&call.receiver))
            }
            other => self.tracked(other),
        }
    }

    fn visit_macro_args(&mut self, mac: &syn::Macro) {
        let args = macros::parse_args(mac);
        self.macro_depth += 1;
        // Uses inside a macro are recorded without references into the parsed tokens, which
        // live only for this call.
        let mut inner = Scanner {
            cx: self.cx,
            follow: self.follow,
            scopes: std::mem::take(&mut self.scopes),
            out: Vec::new(),
            stmt: self.stmt,
            closures: self.closures.clone(),
            loops: Vec::new(),
            loop_head: None,
            borrowed: self.borrowed,
            pending_spawn: false,
            macro_depth: self.macro_depth,
        };
        for arg in args.iter() {
            inner.visit_expr(arg);
        }
        self.scopes = std::mem::take(&mut inner.scopes);
        for found in inner.out {
            self.out.push(Use {
                parent: match found.parent {
                    Parent::Macro(names) => Parent::Macro(names),
                    _ => Parent::Macro(Vec::new()),
                },
                borrowed: found.borrowed,
                alias: found.alias,
                span: found.span,
                pos: found.pos,
                stmt: found.stmt,
                in_closure: found.in_closure,
                in_move_closure: found.in_move_closure,
                in_spawned: found.in_spawned,
                in_loop: self.current_loop(),
                loop_head: self.loop_head,
                projected: found.projected,
            });
        }
        self.macro_depth -= 1;
    }

    fn visit_call_args(&mut self, call: &'a ExprCall) {
        let spawn = self.cx.call_worker(call).is_some();
        for arg in &call.args {
            let stripped = strip(arg);
            if let Some(binding) = self.tracked(stripped) {
                let borrowed =
                    std::mem::replace(&mut self.borrowed, matches!(arg, Expr::Reference(_)));
                self.record(binding, stripped.span(), Parent::Arg(call));
                self.borrowed = borrowed;
                continue;
            }
            self.pending_spawn = spawn && matches!(stripped, Expr::Closure(_) | Expr::Async(_));
            self.visit_expr(arg);
            self.pending_spawn = false;
        }
    }

    fn per_item_method(&self, call: &ExprMethodCall) -> bool {
        ident_is(&call.method, catalog::PER_ITEM_METHODS)
            && call.args.iter().any(|a| matches!(a, Expr::Closure(_)))
    }
}

impl<'a> Visit<'a> for Scanner<'_, '_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Path(_) => {
                if let Some(binding) = self.tracked(expr) {
                    self.record(binding, expr.span(), Parent::Other);
                }
            }
            Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => {
                self.visit_projected(&unary.expr);
            }
            Expr::Field(field) => self.visit_projected(&field.base),
            Expr::Index(index) => {
                self.visit_projected(&index.expr);
                self.visit_expr(&index.index);
            }
            Expr::Reference(reference) => {
                let borrowed = std::mem::replace(&mut self.borrowed, true);
                self.visit_expr(&reference.expr);
                self.borrowed = borrowed;
            }
            Expr::MethodCall(call) => self.visit_method_chain(call),
            Expr::Call(call) => {
                self.visit_expr(&call.func);
                self.visit_call_args(call);
            }
            Expr::Closure(closure) => {
                let is_move = closure.capture.is_some();
                self.with_closure(is_move, |s| {
                    s.in_scope(|s| {
                        for input in &closure.inputs {
                            s.bind(input, Binding::Shadow);
                        }
                        s.visit_expr(&closure.body);
                    });
                });
            }
            Expr::Async(block) => {
                let is_move = block.capture.is_some();
                self.with_closure(is_move, |s| s.visit_block(&block.block));
            }
            Expr::ForLoop(for_loop) => {
                let head = self.loop_head.replace(expr);
                self.visit_expr(&for_loop.expr);
                self.loop_head = head;
                let size = self.cx.for_loop_size(&for_loop.expr);
                let header = Span::join(
                    self.cx.span(for_loop.for_token.span),
                    self.cx.span(spans::span(&*for_loop.expr)),
                );
                self.with_loop(Some(&for_loop.expr), size, header, |s| {
                    s.in_scope(|s| {
                        s.bind(&for_loop.pat, Binding::Shadow);
                        s.visit_block(&for_loop.body);
                    });
                });
            }
            Expr::While(while_loop) => {
                let size = while_loop_size(&while_loop.cond);
                let header = Span::join(
                    self.cx.span(while_loop.while_token.span),
                    self.cx.span(spans::span(&*while_loop.cond)),
                );
                self.with_loop(Some(&while_loop.cond), size, header, |s| {
                    s.in_scope(|s| {
                        let head = s.loop_head.replace(expr);
                        s.visit_expr(&while_loop.cond);
                        s.loop_head = head;
                        s.visit_block(&while_loop.body);
                    });
                });
            }
            Expr::Loop(lp) => {
                let header = self.cx.span(lp.loop_token.span);
                self.with_loop(None, LoopSize::Unknown, header, |s| s.visit_block(&lp.body));
            }
            Expr::Let(binding) => {
                // `if let`/`while let`: the pattern's names are visible in the rest of the
                // enclosing scope opened by the caller (approximation: the current scope).
                self.visit_expr(&binding.expr);
                self.bind(&binding.pat, Binding::Shadow);
            }
            Expr::Macro(mac) => self.visit_macro_args(&mac.mac),
            _ => visit::visit_expr(self, expr),
        }
    }

    fn visit_block(&mut self, block: &'a syn::Block) {
        self.in_scope(|s| {
            for stmt in &block.stmts {
                s.visit_stmt_in_scope(stmt);
            }
        });
    }

    fn visit_arm(&mut self, arm: &'a syn::Arm) {
        self.in_scope(|s| {
            s.bind(&arm.pat, Binding::Shadow);
            if let Some((_, guard)) = &arm.guard {
                s.visit_expr(guard);
            }
            s.visit_expr(&arm.body);
        });
    }

    fn visit_expr_if(&mut self, expr: &'a syn::ExprIf) {
        self.in_scope(|s| {
            s.visit_expr(&expr.cond);
            s.visit_block(&expr.then_branch);
        });
        if let Some((_, els)) = &expr.else_branch {
            self.visit_expr(els);
        }
    }

    fn visit_item(&mut self, _item: &'a syn::Item) {}

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        self.visit_macro_args(mac);
    }
}

impl<'a> Scanner<'_, '_, 'a> {
    /// A method chain: when it starts from a tracked name, record one use with every call of
    /// the chain, then visit the calls' arguments.
    fn visit_method_chain(&mut self, outer: &'a ExprMethodCall) {
        let mut calls = vec![outer];
        let root = crate::syntax::exprs::chain_links(&outer.receiver, &mut calls);
        calls.reverse();
        let tracked = self.tracked(strip(root));
        if let Some(binding) = tracked {
            let now = matches!(root, Expr::Reference(_)) || self.borrowed;
            let borrowed = std::mem::replace(&mut self.borrowed, now);
            self.record(binding, strip(root).span(), Parent::Methods(calls.clone()));
            self.borrowed = borrowed;
        } else {
            self.visit_expr(root);
        }
        for call in calls {
            let per_item = self.per_item_method(call);
            if per_item {
                let size = self.cx.for_loop_size(&call.receiver);
                self.loops.push(LoopCtx {
                    over: Some(&call.receiver),
                    size,
                    header: self.cx.span(call.method.span()),
                    closures: self.closures.len(),
                });
            }
            let spawn = self.cx.method_worker(call).is_some();
            for arg in &call.args {
                self.pending_spawn =
                    spawn && matches!(strip(arg), Expr::Closure(_) | Expr::Async(_));
                let stripped = strip(arg);
                if let Some(binding) = self.tracked(stripped) {
                    let borrowed =
                        std::mem::replace(&mut self.borrowed, matches!(arg, Expr::Reference(_)));
                    self.record(binding, stripped.span(), Parent::Other);
                    self.borrowed = borrowed;
                } else {
                    self.visit_expr(arg);
                }
                self.pending_spawn = false;
            }
            if per_item {
                self.loops.pop();
            }
        }
    }
}
