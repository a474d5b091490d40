//! What a loop polls: the non-blocking probes (`try_recv`, `try_lock`, an atomic `load`) in a
//! loop's condition or body, and whether the body does anything else. A loop that only probes
//! waits for another thread by spinning.

use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprMethodCall, Pat, UnOp};

use crate::analysis::facts::Facts;
use crate::semantic::catalog::{self, Api};
use crate::syntax::exprs::ident_is;

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
