//! What a loop polls: the non-blocking probes (`try_recv`, `try_lock`, an atomic `load`) in a
//! loop's condition or body, and whether the body does anything else. A loop that only probes
//! waits for another thread by spinning.

use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprMethodCall, Pat, Stmt, UnOp};

use crate::analysis::facts::Facts;
use crate::semantic::catalog::{self, Api};
use crate::syntax::exprs::{ident_is, strip};

/// What a loop polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// `flag.load(Ordering::Acquire)`.
    AtomicLoad,
    /// `rx.try_recv()`, `m.try_lock()`, ...
    Try,
}

/// What a method call polls, if it is a probe.
fn probe(cx: &Facts<'_>, call: &ExprMethodCall) -> Option<Probe> {
    let method = call.method.to_string();
    if catalog::TRY_METHODS.contains(&method.as_str()) && call.args.is_empty() {
        return Some(Probe::Try);
    }
    let [Expr::Path(ordering)] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let names_ordering = catalog::lookup(&cx.resolve(&ordering.path)) == Some(Api::AtomicOrdering)
        || ordering
            .path
            .segments
            .last()
            .is_some_and(|s| ident_is(&s.ident, catalog::ORDERING_NAMES));
    (method == "load" && names_ordering).then_some(Probe::AtomicLoad)
}

/// Looks through code that runs inline: which probes it makes and whether it does anything
/// else (a call, a macro, an `.await`: work, or a yield point such as `spin_loop()`).
pub struct Scan<'c, 'f> {
    cx: &'c Facts<'f>,
    /// The probes met, in order.
    pub probes: Vec<Probe>,
    /// Whether the code does anything but probe: a call, a macro, an `.await`, a closure.
    pub works: bool,
    /// Whether the code breaks or returns.
    pub exits: bool,
    /// A `let` keeps a probed value (`let tail = self.tail.load(..)`): the loop computes with a
    /// snapshot and retries until it is consistent, it does not wait.
    pub snapshots: bool,
}

impl Visit<'_> for Scan<'_, '_> {
    fn visit_expr_method_call(&mut self, call: &ExprMethodCall) {
        let method = call.method.to_string();
        match probe(self.cx, call) {
            Some(p) => self.probes.push(p),
            None => self.works |= !catalog::RESULT_TEST_METHODS.contains(&method.as_str()),
        }
        visit::visit_expr_method_call(self, call);
    }
    fn visit_expr_call(&mut self, call: &syn::ExprCall) {
        // Enum variants and tuple structs are constructors, not calls.
        let is_constructor = matches!(&*call.func, Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident.to_string().starts_with(char::is_uppercase)));
        self.works |= !is_constructor;
        visit::visit_expr_call(self, call);
    }
    fn visit_macro(&mut self, _: &syn::Macro) {
        self.works = true;
    }
    fn visit_expr_await(&mut self, _: &syn::ExprAwait) {
        self.works = true;
    }
    fn visit_expr_closure(&mut self, _: &syn::ExprClosure) {
        self.works = true;
    }
    fn visit_expr_async(&mut self, _: &syn::ExprAsync) {
        self.works = true;
    }
    fn visit_expr_break(&mut self, brk: &syn::ExprBreak) {
        self.exits = true;
        visit::visit_expr_break(self, brk);
    }
    fn visit_expr_return(&mut self, ret: &syn::ExprReturn) {
        self.exits = true;
        visit::visit_expr_return(self, ret);
    }
    fn visit_local(&mut self, local: &syn::Local) {
        let probes = self.probes.len();
        visit::visit_local(self, local);
        self.snapshots |= self.probes.len() > probes;
    }
    fn visit_item(&mut self, _: &syn::Item) {}
}

impl<'c, 'f> Scan<'c, 'f> {
    fn new(cx: &'c Facts<'f>) -> Self {
        Scan {
            cx,
            probes: Vec::new(),
            works: false,
            exits: false,
            snapshots: false,
        }
    }
}

/// What a loop body probes and does.
pub fn scan_block<'c, 'f>(cx: &'c Facts<'f>, block: &Block) -> Scan<'c, 'f> {
    let mut scan = Scan::new(cx);
    scan.visit_block(block);
    scan
}

/// What an expression (a loop condition) probes and does.
pub fn scan<'c, 'f>(cx: &'c Facts<'f>, expr: &Expr) -> Scan<'c, 'f> {
    let mut scan = Scan::new(cx);
    scan.visit_expr(expr);
    scan
}

/// Whether a `while` condition keeps looping while a try-probe fails: `x.try_recv().is_err()`,
/// `!x.try_lock().is_ok()`, `let Err(_) = x.try_recv()`, `let None = x.try_lock()`; or polls an
/// atomic.
pub fn waits_on(cx: &Facts<'_>, cond: &Expr) -> bool {
    let mut scan = Scan::new(cx);
    scan.visit_expr(cond);
    if scan.probes.contains(&Probe::AtomicLoad) {
        return true;
    }
    match cond {
        Expr::Let(lett) => {
            let waiting_pattern = match &*lett.pat {
                Pat::TupleStruct(p) => p.path.is_ident("Err"),
                Pat::Ident(p) => p.ident == "None",
                Pat::Path(p) => p.path.is_ident("None"),
                _ => false,
            };
            waiting_pattern && is_try_probe(cx, &lett.expr)
        }
        Expr::MethodCall(call) if ident_is(&call.method, &["is_err", "is_none"]) => {
            is_try_probe(cx, &call.receiver)
        }
        Expr::Unary(unary) if matches!(unary.op, UnOp::Not(_)) => match &*unary.expr {
            Expr::MethodCall(call) if ident_is(&call.method, &["is_ok", "is_some"]) => {
                is_try_probe(cx, &call.receiver)
            }
            _ => false,
        },
        Expr::Paren(p) => waits_on(cx, &p.expr),
        _ => false,
    }
}

fn is_try_probe(cx: &Facts<'_>, expr: &Expr) -> bool {
    matches!(expr, Expr::MethodCall(call) if probe(cx, call) == Some(Probe::Try))
}

/// Whether a loop body does nothing but dispatch on try-probes, idling when they fail:
/// `match rx.try_recv() { Ok(m) => handle(m), Err(_) => {} }`,
/// `if let Ok(m) = rx.try_recv() { handle(m) }`. Whatever the success branch does, an empty
/// channel or a held lock sends the loop straight round again. A failure branch that breaks,
/// returns, sleeps or yields (a drain loop, a backoff) is not idle; neither is a body with any
/// other statement.
pub fn idles_on_failure(cx: &Facts<'_>, body: &Block) -> bool {
    !body.stmts.is_empty()
        && body.stmts.iter().all(|stmt| match stmt {
            Stmt::Expr(expr, _) => dispatch_idles(cx, strip(expr)),
            _ => false,
        })
}

fn dispatch_idles(cx: &Facts<'_>, expr: &Expr) -> bool {
    match expr {
        Expr::Match(m) if is_try_probe(cx, &m.expr) => {
            let mut failures = m
                .arms
                .iter()
                .filter(|arm| arm.guard.is_none() && catches_empty(&arm.pat))
                .peekable();
            failures.peek().is_some() && failures.all(|arm| is_idle(&arm.body))
        }
        Expr::If(i) => match &*i.cond {
            Expr::Let(lett) if is_success(&lett.pat) && is_try_probe(cx, &lett.expr) => {
                i.else_branch.as_ref().is_none_or(|(_, els)| is_idle(els))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether a pattern matches a try-probe's "nothing yet" (`Err(_)`, `Err(TryRecvError::Empty)`,
/// `None`, `_`), not only its "disconnected".
fn catches_empty(pat: &Pat) -> bool {
    match pat {
        Pat::Wild(_) => true,
        Pat::Ident(p) => p.ident == "None",
        Pat::Path(p) => p.path.is_ident("None"),
        Pat::TupleStruct(p) => {
            p.path.is_ident("Err")
                && !p.elems.iter().any(|e| {
                    matches!(e, Pat::Path(inner) if inner.path.segments.last().is_some_and(|s| s.ident == "Disconnected"))
                })
        }
        Pat::Or(or) => or.cases.iter().any(catches_empty),
        _ => false,
    }
}

fn is_success(pat: &Pat) -> bool {
    matches!(pat, Pat::TupleStruct(p) if p.path.is_ident("Ok") || p.path.is_ident("Some"))
}

/// Whether a branch does nothing: `{}`, `()`, `continue`.
fn is_idle(expr: &Expr) -> bool {
    match expr {
        Expr::Block(b) => b
            .block
            .stmts
            .iter()
            .all(|stmt| matches!(stmt, Stmt::Expr(Expr::Continue(c), _) if c.label.is_none())),
        Expr::Tuple(t) => t.elems.is_empty(),
        Expr::Continue(c) => c.label.is_none(),
        _ => false,
    }
}
