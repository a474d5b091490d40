//! How a lock bound to a local is used in the rest of its block: every handle (the binding and
//! its `Arc::clone`/`.clone()` aliases) is followed through the statements after the `let`,
//! into closures, and each use is classified. Any use the classification does not know (the
//! lock passed to a function, returned, stored, named in an unknown macro) marks the lock as
//! escaping, and rules stay silent.

use syn::visit::{self, Visit};
use syn::{BinOp, Expr, Local, Stmt, UnOp};

use crate::analysis::facts::Facts;
use crate::analysis::locks::clone_source;
use crate::analysis::locks::lock_acquisition;
use crate::analysis::threads;
use crate::semantic::catalog::Api;
use crate::semantic::catalog::LockMode;
use crate::syntax::exprs::path_ident;
use crate::syntax::pats::pat_name;

/// What a use does with the locked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// `*m.lock().unwrap()` read as a value.
    Load,
    /// `*m.lock().unwrap() = v`.
    Store,
    /// `*m.lock().unwrap() op= v`, with the operator (`+=`).
    Update(&'static str),
    /// `m.lock().unwrap().method(..)`, with the method name.
    Method(String),
    /// Anything else done with the guard (bound by `let`, passed on, ...).
    Other,
}

/// One acquisition of the lock.
#[derive(Debug, Clone)]
pub struct LockUse {
    /// How the lock was taken.
    pub mode: LockMode,
    /// What was done through the guard.
    pub access: Access,
    /// Whether the use is inside a worker: a thread, scoped-thread, task or rayon closure.
    pub in_worker: bool,
}

/// Every use of a local lock after its `let`.
#[derive(Debug, Default)]
pub struct LocalLockUses {
    /// The acquisitions, in source order.
    pub uses: Vec<LockUse>,
    /// Whether some use is not understood: the lock leaves the function's sight.
    pub escapes: bool,
    /// Whether a handle is captured by a worker closure.
    pub shared_with_worker: bool,
    /// Whether a worker that captures a handle serves until stopped (a collector task looping
    /// over a channel): it never ends, so it has no value to return.
    pub serving_worker: bool,
}

/// Follows the lock bound to `name` through `rest`, the statements after its `let`.
pub fn local_lock_uses(cx: &Facts<'_>, name: &str, rest: &[Stmt]) -> LocalLockUses {
    let mut finder = UseFinder {
        cx,
        names: vec![name.to_string()],
        worker_depth: 0,
        found: LocalLockUses::default(),
    };
    for stmt in rest {
        finder.visit_stmt(stmt);
    }
    finder.found
}

struct UseFinder<'c, 'f> {
    cx: &'c Facts<'f>,
    names: Vec<String>,
    worker_depth: usize,
    found: LocalLockUses,
}

impl UseFinder<'_, '_> {
    fn is_handle(&self, expr: &Expr) -> bool {
        path_ident(expr).is_some_and(|n| self.names.contains(&n))
    }

    /// The acquisition `expr` is, when it takes one of the tracked handles.
    fn taking<'e>(&self, expr: &'e Expr) -> Option<(LockMode, &'e Expr)> {
        let acq = lock_acquisition(expr)?;
        self.is_handle(&acq.call.receiver)
            .then_some((acq.mode, &*acq.call.receiver))
    }

    fn record(&mut self, mode: LockMode, access: Access) {
        self.found.uses.push(LockUse {
            mode,
            access,
            in_worker: self.worker_depth > 0,
        });
    }

    fn in_worker(&mut self, f: impl FnOnce(&mut Self)) {
        self.worker_depth += 1;
        f(self);
        self.worker_depth -= 1;
    }

    /// `Arc::try_unwrap(m)` / `Arc::into_inner(m)`: the last handle taken back.
    fn unwraps_handle(&self, call: &syn::ExprCall) -> bool {
        let Expr::Path(func) = &*call.func else {
            return false;
        };
        let is_unwrap = func
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "try_unwrap" || s.ident == "into_inner");
        is_unwrap && call.args.len() == 1 && self.is_handle(&call.args[0])
    }

    fn visit_worker_args<'a>(&mut self, args: impl IntoIterator<Item = &'a Expr>) {
        for arg in args {
            if matches!(arg, Expr::Closure(_) | Expr::Async(_)) {
                if contains_handle(self, arg) {
                    self.found.shared_with_worker = true;
                    self.found.serving_worker |= threads::is_service(self.cx, arg);
                }
                self.in_worker(|v| v.visit_expr(arg));
            } else {
                self.visit_expr(arg);
            }
        }
    }
}

fn contains_handle(finder: &UseFinder<'_, '_>, expr: &Expr) -> bool {
    crate::syntax::macros::node_mentions(&finder.names, |v| v.visit_expr(expr))
}

fn deref_of(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Unary(u) if matches!(u.op, UnOp::Deref(_)) => Some(&u.expr),
        Expr::Paren(p) => deref_of(&p.expr),
        _ => None,
    }
}

/// The operator of a compound assignment (`+=`), `None` for other binary operators.
fn update_op(op: &BinOp) -> Option<&'static str> {
    Some(match op {
        BinOp::AddAssign(_) => "+=",
        BinOp::SubAssign(_) => "-=",
        BinOp::BitOrAssign(_) => "|=",
        BinOp::BitAndAssign(_) => "&=",
        BinOp::BitXorAssign(_) => "^=",
        BinOp::MulAssign(_) => "*=",
        BinOp::DivAssign(_) => "/=",
        BinOp::RemAssign(_) => "%=",
        BinOp::ShlAssign(_) => "<<=",
        BinOp::ShrAssign(_) => ">>=",
        _ => return None,
    })
}

impl<'ast> Visit<'ast> for UseFinder<'_, '_> {
    fn visit_local(&mut self, local: &'ast Local) {
        let bound = pat_name(&local.pat);
        if let (Some(bound), Some(init)) = (&bound, &local.init) {
            let source = clone_source(self.cx, &init.expr);
            if source.is_some_and(|s| self.names.contains(&s)) && init.diverge.is_none() {
                self.names.push(bound.clone());
                return;
            }
            if self.names.contains(bound) {
                // Shadowed: identity is unclear from here on.
                self.found.escapes = true;
            }
        }
        visit::visit_local(self, local);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        if let Expr::Binary(assign) = expr {
            let op = update_op(&assign.op);
            if let Some((mode, _)) = op.and(deref_of(&assign.left)).and_then(|e| self.taking(e)) {
                self.record(mode, Access::Update(op.unwrap_or_default()));
                self.visit_expr(&assign.right);
                return;
            }
        }
        if let Expr::Assign(assign) = expr
            && let Some((mode, _)) = deref_of(&assign.left).and_then(|e| self.taking(e))
        {
            self.record(mode, Access::Store);
            self.visit_expr(&assign.right);
            return;
        }
        if let Some((mode, _)) = deref_of(expr).and_then(|e| self.taking(e)) {
            self.record(mode, Access::Load);
            return;
        }
        if let Some((mode, _)) = self.taking(expr) {
            self.record(mode, Access::Other);
            return;
        }
        if let Expr::MethodCall(call) = expr {
            if let Some((mode, _)) = self.taking(&call.receiver) {
                self.record(mode, Access::Method(call.method.to_string()));
                for arg in &call.args {
                    self.visit_expr(arg);
                }
                return;
            }
            if call.method == "into_inner" && self.is_handle(&call.receiver) {
                self.record(LockMode::Lock, Access::Method("into_inner".into()));
                return;
            }
            if call.method == "clone" && self.is_handle(&call.receiver) {
                // A clone handed on (not bound by `let`): where it goes is unseen.
                self.found.escapes = true;
                return;
            }
            if self.cx.worker(expr).is_some() {
                self.visit_expr(&call.receiver);
                self.visit_worker_args(&call.args);
                return;
            }
        }
        if let Expr::Call(call) = expr {
            if self.cx.worker(expr).is_some() {
                self.visit_worker_args(&call.args);
                return;
            }
            if self.unwraps_handle(call) {
                self.record(LockMode::Lock, Access::Method("into_inner".into()));
                return;
            }
        }
        if self.is_handle(expr) {
            self.found.escapes = true;
            return;
        }
        visit::visit_expr(self, expr);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let args = crate::syntax::macros::parse_args(mac);
        if args.is_empty() {
            if crate::syntax::macros::tokens_mention(&mac.tokens, &self.names) {
                self.found.escapes = true;
            }
            return;
        }
        for arg in args.iter() {
            self.visit_expr(arg);
        }
    }

    fn visit_item(&mut self, _item: &'ast syn::Item) {}
}

/// A lock made by a `let` in a block: `let m = Mutex::new(0);`, `let m = Arc::new(Mutex::new(0));`.
pub struct LocalLock<'a> {
    /// The binding's name.
    pub name: String,
    /// The `Mutex::new(..)` call (inside the `Arc::new` when there is one).
    pub ctor: &'a syn::ExprCall,
    /// Whether the lock was wrapped in an `Arc` at once.
    pub in_arc: bool,
    /// The `let`.
    pub local: &'a Local,
    /// The statements after the `let`.
    pub rest: &'a [Stmt],
}

impl LocalLock<'_> {
    /// How the lock is used in the rest of its block.
    pub fn uses(&self, cx: &Facts<'_>) -> LocalLockUses {
        local_lock_uses(cx, &self.name, self.rest)
    }
}

/// The locks a block's `let` statements make, in order.
pub fn local_locks<'a>(cx: &Facts<'_>, block: &'a syn::Block) -> Vec<LocalLock<'a>> {
    let mut found = Vec::new();
    for (index, stmt) in block.stmts.iter().enumerate() {
        let Stmt::Local(local) = stmt else { continue };
        let (Some(name), Some(init)) = (pat_name(&local.pat), &local.init) else {
            continue;
        };
        if let Some((ctor, in_arc)) = lock_constructor(cx, &init.expr) {
            found.push(LocalLock {
                name,
                ctor,
                in_arc,
                local,
                rest: &block.stmts[index + 1..],
            });
        }
    }
    found
}

/// The lock constructor call inside an initializer: `Mutex::new(x)` itself or wrapped in
/// `Arc::new(..)`. Returns the constructor call and whether it was wrapped in an `Arc`.
pub fn lock_constructor<'e>(cx: &Facts<'_>, init: &'e Expr) -> Option<(&'e syn::ExprCall, bool)> {
    let Expr::Call(call) = init else { return None };
    match cx.call_api(&call.func) {
        Some(Api::LockType(_)) if call.args.len() == 1 => Some((call, false)),
        Some(Api::ArcType) if call.args.len() == 1 => {
            let Expr::Call(inner) = &call.args[0] else {
                return None;
            };
            matches!(cx.call_api(&inner.func), Some(Api::LockType(_)))
                .then_some(())
                .filter(|()| inner.args.len() == 1)
                .map(|()| (inner, true))
        }
        _ => None,
    }
}
