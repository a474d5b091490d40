//! `busy_wait`: a loop that spins on a condition another thread must change, doing nothing
//! else and never yielding.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprMethodCall, Pat, UnOp};

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog::{self, Api};
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    BusyWait,
    name: "busy_wait",
    fix: None,
    summary: "a loop spinning on a flag, `try_recv` or `try_lock` without ever yielding the CPU",
);

/// See `rules/busy_wait.md`.
#[derive(Default)]
pub struct BusyWait;

/// What a loop polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    /// `flag.load(Ordering::Acquire)`.
    AtomicLoad,
    /// `rx.try_recv()`, `m.try_lock()`, ...
    Try,
}

fn probe(cx: &Context<'_>, call: &ExprMethodCall) -> Option<Probe> {
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
            .is_some_and(|s| catalog::ORDERING_NAMES.contains(&s.ident.to_string().as_str()));
    (method == "load" && names_ordering).then_some(Probe::AtomicLoad)
}

/// Looks through code that runs inline: which probes it makes and whether it does anything
/// else (a call, a macro, an `.await`: work, or a yield point such as `spin_loop()`).
struct Scan<'c, 'f> {
    cx: &'c Context<'f>,
    probes: Vec<Probe>,
    works: bool,
    exits: bool,
    /// A `let` keeps a probed value (`let tail = self.tail.load(..)`): the loop computes with a
    /// snapshot and retries until it is consistent, it does not wait.
    snapshots: bool,
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
    fn new(cx: &'c Context<'f>) -> Self {
        Scan {
            cx,
            probes: Vec::new(),
            works: false,
            exits: false,
            snapshots: false,
        }
    }
}

fn scan_block<'c, 'f>(cx: &'c Context<'f>, block: &Block) -> Scan<'c, 'f> {
    let mut scan = Scan::new(cx);
    scan.visit_block(block);
    scan
}

/// Whether a `while` condition keeps looping while a try-probe fails: `x.try_recv().is_err()`,
/// `!x.try_lock().is_ok()`, `let Err(_) = x.try_recv()`, `let None = x.try_lock()`; or polls an
/// atomic.
fn waits_on(cx: &Context<'_>, cond: &Expr) -> bool {
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
        Expr::MethodCall(call)
            if matches!(call.method.to_string().as_str(), "is_err" | "is_none") =>
        {
            is_try_probe(cx, &call.receiver)
        }
        Expr::Unary(unary) if matches!(unary.op, UnOp::Not(_)) => match &*unary.expr {
            Expr::MethodCall(call)
                if matches!(call.method.to_string().as_str(), "is_ok" | "is_some") =>
            {
                is_try_probe(cx, &call.receiver)
            }
            _ => false,
        },
        Expr::Paren(p) => waits_on(cx, &p.expr),
        _ => false,
    }
}

fn is_try_probe(cx: &Context<'_>, expr: &Expr) -> bool {
    matches!(expr, Expr::MethodCall(call) if probe(cx, call) == Some(Probe::Try))
}

/// The spinning loop's header, if `expr` is a busy-wait loop.
fn busy_loop_header(cx: &Context<'_>, expr: &Expr) -> Option<Span> {
    match expr {
        Expr::While(w) => {
            let body = scan_block(cx, &w.body);
            (!body.works && !body.snapshots && waits_on(cx, &w.cond))
                .then(|| Span::join(cx.span(w.while_token.span), cx.span(w.cond.span())))
        }
        Expr::Loop(l) => {
            let body = scan_block(cx, &l.body);
            (!body.works && !body.snapshots && body.exits && !body.probes.is_empty())
                .then(|| cx.span(l.loop_token.span))
        }
        _ => None,
    }
}

impl Rule for BusyWait {
    fn check_expr(&mut self, cx: &Context<'_>, expr: &Expr, out: &mut Vec<Diagnostic>) {
        if cx.in_test_code() {
            return;
        }
        let Some(header) = busy_loop_header(cx, expr) else {
            return;
        };
        out.push(
            cx.diagnostic_at(
                INFO.name,
                header,
                "busy-wait loop: spins on a condition without yielding the CPU",
            )
            .with_primary_label("this loop burns a whole core until another thread acts")
            .with_help(
                "block until notified instead: a `Condvar`, a blocking `recv()`, or \
                 `thread::park`/`unpark`; for waits of a few iterations, at least call \
                 `std::hint::spin_loop()` in the body",
            ),
        );
    }
}
