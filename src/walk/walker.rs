//! The walk: visits a file's syntax tree once with `syn::visit`, keeps the [`Context`] up to
//! date (frames for functions, closures, async blocks and loops; live guards; test code; the
//! [`Facts`] of the names in scope) and hands each node to every enabled rule.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Block, Expr, ExprClosure, ExprMethodCall, Local};

use crate::analysis::channels::channels;
use crate::analysis::commands::CommandFinder;
use crate::analysis::facts::{ClosureRole, Facts, api_worker, role_for_api};
use crate::analysis::locks::{Guard, lock_acquisition};
use crate::analysis::loops::TripCount;
use crate::diagnostic::{Diagnostic, Span};
use crate::semantic::catalog::{self, Api, LockFlavor, LockMode};
use crate::semantic::platform::is_windows_only;
use crate::semantic::settings::Settings;
use crate::semantic::summary::FileSummary;
use crate::semantic::test_code::{TestCode, is_test_item, is_test_path};
use crate::source::SourceFile;
use crate::syntax::attrs;
use crate::syntax::exprs::{ident_is, is_constant_name, path_ident, place_key};
use crate::syntax::find;
use crate::syntax::macros;
use crate::syntax::pats::{pat_name, strip_pat};
use crate::syntax::spans;
use crate::walk::context::{Context, Frame, LiveGuard, LoopInfo, LoopKind};
use crate::walk::rule::Rule;
use crate::walk::summarize::{SpawnCall, Summarizer};

/// The walk: visits a file once, maintains the [`Context`] and dispatches nodes to rules.
pub struct Walker<'f, 'r> {
    cx: Context<'f>,
    summary: Summarizer,
    rules: &'r mut [Box<dyn Rule>],
    out: Vec<Diagnostic>,
    pending_role: Option<ClosureRole>,
    /// The `let` the walk is about to visit binds a closure that is only called afterwards.
    inline_let: bool,
    test_code: TestCode,
}

/// What one walk of a file yields.
pub struct Walked {
    /// The rules' findings (test code included: the report applies the test policy).
    pub findings: Vec<Diagnostic>,
    /// The file's summary for the crate-wide model.
    pub summary: FileSummary,
    /// The configured `blocking-functions`/`lock-types` entries its calls matched.
    pub configured: Vec<String>,
    /// Where its test code is.
    pub test_code: TestCode,
}

impl<'f, 'r> Walker<'f, 'r> {
    /// Walks `ast`, running `rules`; returns their findings, the file's summary for the
    /// crate-wide model and where its test code is.
    pub fn run(
        file: &'f SourceFile,
        ast: &syn::File,
        rules: &'r mut [Box<dyn Rule>],
        settings: &'f Settings,
    ) -> Walked {
        let mut walker = Walker {
            cx: Context::new(Facts::new(file, settings, &ast.items)),
            summary: Summarizer::default(),
            rules,
            out: Vec::new(),
            pending_role: None,
            inline_let: false,
            test_code: TestCode {
                file: is_test_path(&file.path),
                items: Vec::new(),
            },
        };
        macros::with_parse_cache(|| {
            walker.visit_file(ast);
            for rule in walker.rules.iter_mut() {
                rule.finish(&walker.cx, &mut walker.out);
            }
        });
        Walked {
            configured: walker.cx.configured_hits(),
            findings: walker.out,
            summary: walker.summary.finish(),
            test_code: walker.test_code,
        }
    }

    fn with_frame(&mut self, frame: Frame, f: impl FnOnce(&mut Self)) {
        let depth = self.cx.frames.len();
        self.cx.frames.push(frame);
        f(self);
        self.cx.frames.pop();
        debug_assert_eq!(self.cx.frames.len(), depth, "frame stack out of balance");
    }

    /// Walks an item with attributes `attrs` (`node` spans it): as test code when it is a
    /// test item, as Windows-only code under a Windows-only `cfg`.
    fn in_item(&mut self, attrs: &[Attribute], node: &impl Spanned, f: impl FnOnce(&mut Self)) {
        let is_test = is_test_item(attrs);
        if is_test && self.cx.test_depth == 0 {
            let span = self.cx.span(node.span());
            self.test_code.items.push((span.start.line, span.end.line));
        }
        self.cx.test_depth += usize::from(is_test);
        self.in_windows_if(is_windows_only(attrs), f);
        self.cx.test_depth -= usize::from(is_test);
    }

    fn in_windows_if(&mut self, windows: bool, f: impl FnOnce(&mut Self)) {
        self.cx.windows_depth += usize::from(windows);
        f(self);
        self.cx.windows_depth -= usize::from(windows);
    }

    fn visit_fn(&mut self, is_async: bool, f: impl FnOnce(&mut Self)) {
        self.visit_fn_entry(is_async, None, f);
    }

    fn visit_fn_entry(&mut self, is_async: bool, entry: Option<Span>, f: impl FnOnce(&mut Self)) {
        let saved = self.cx.enter_fn();
        self.with_frame(Frame::Fn { is_async, entry }, |w| w.in_temp_scope(f));
        self.cx.exit_fn(saved);
    }

    /// Visits a closure argument with the role its callee gives it.
    fn visit_arg(&mut self, arg: &Expr, role: ClosureRole) {
        if matches!(arg, Expr::Closure(_)) {
            self.pending_role = Some(role);
        }
        self.visit_expr(arg);
        self.pending_role = None;
    }

    fn dispatch_expr(&mut self, expr: &Expr) {
        self.cx.remember_node(expr);
        for rule in self.rules.iter_mut() {
            rule.check_expr(&self.cx, expr, &mut self.out);
        }
        if let Some(command) = self.with_commands(|finder, facts| finder.at_expr(facts, expr)) {
            for rule in self.rules.iter_mut() {
                rule.check_command(&self.cx, &command, &mut self.out);
            }
            self.summary.command(&self.cx, &command);
        }
        self.summary.expr(&self.cx, expr);
    }

    /// Walks a function with a body, summarising it for the crate model.
    fn visit_fn_with_body(
        &mut self,
        item: &impl Spanned,
        attrs: &[Attribute],
        (sig, body): (&syn::Signature, &Block),
        f: impl FnOnce(&mut Self),
    ) {
        let runtime = attrs
            .iter()
            .find(|attr| catalog::lookup(&self.cx.resolve(attr.path())) == Some(Api::RuntimeMain));
        let is_entry =
            self.cx.locks().impl_type().is_none() && (sig.ident == "main" || runtime.is_some());
        let entry = is_entry.then(|| self.cx.span(sig.ident.span()));
        let how = is_entry.then(|| {
            runtime.map_or_else(
                || "main".to_string(),
                |attr| self.cx.text(attr.meta.span()).to_string(),
            )
        });
        let extent = Span::join(
            self.cx.span(sig.fn_token.span),
            self.cx.span(body.brace_token.span.close()),
        );
        self.in_item(attrs, item, |w| {
            let in_test = w.cx.in_test_code();
            w.summary.enter_fn(&w.cx, sig, (extent, how), in_test);
            w.visit_fn_entry(sig.asyncness.is_some(), entry, f);
            w.summary.exit_fn();
        });
    }

    /// Runs `f` with the walk's command finder and the facts of this point.
    fn with_commands<T>(&mut self, f: impl FnOnce(&mut CommandFinder, &Facts<'_>) -> T) -> T {
        let mut finder = std::mem::take(&mut self.cx.commands);
        let found = f(&mut finder, &self.cx);
        self.cx.commands = finder;
        found
    }

    /// A guard passed by value (`consume(guard)`, `self.grow(inner)`) is moved away: whoever
    /// received it decides when it drops, so it is no longer alive here.
    fn end_moved_guards<'a>(&mut self, args: impl IntoIterator<Item = &'a Expr>) {
        for arg in args {
            if let Expr::Path(path) = arg
                && let Some(name) = path.path.get_ident()
            {
                self.drop_guard(&name.to_string());
            }
        }
    }

    fn drop_guard(&mut self, name: &str) {
        if let Some(i) = self.cx.guards.iter().rposition(|g| g.guard.name == name) {
            self.cx.guards.remove(i);
        }
    }

    fn visit_closure(&mut self, closure: &ExprClosure, role: ClosureRole) {
        let frame = Frame::Closure {
            is_async: closure.asyncness.is_some(),
            role,
        };
        let handle = match (role, closure.inputs.first().and_then(pat_name)) {
            (ClosureRole::ScopeBody(kind), Some(name)) => Some((name, kind)),
            _ => None,
        };
        let pushed = handle.is_some();
        if let Some((name, kind)) = handle {
            self.cx.push_scope_handle(name, kind);
        }
        self.with_frame(frame, |w| {
            w.in_temp_scope(|w| visit::visit_expr_closure(w, closure))
        });
        if pushed {
            self.cx.pop_scope_handle();
        }
    }

    /// Records the guards a `let` binds, if its initializer takes a lock (`let g = m.lock()?;`,
    /// each of `let (a, b) = (x.lock(), y.lock());`).
    fn record_guard(&mut self, local: &Local) {
        let Some(init) = &local.init else { return };
        // A standard stream's lock (`stdin.lock()`) serialises access to the stream, which the
        // program does on purpose; it is not state shared between workers (and stdout's and
        // stderr's are re-entrant). Decided before this `let` shadows the handle's name
        // (`let stdin = stdin.lock()`).
        let pairs: Vec<(&syn::Pat, &Expr)> = match (strip_pat(&local.pat), &*init.expr) {
            (syn::Pat::Tuple(pats), Expr::Tuple(exprs))
                if pats.elems.len() == exprs.elems.len() =>
            {
                pats.elems.iter().zip(&exprs.elems).collect()
            }
            (pat, expr) => vec![(pat, expr)],
        };
        let guards: Vec<_> = pairs
            .into_iter()
            .filter_map(|(pat, expr)| {
                let name = pat_name(pat).filter(|name| name != "_")?;
                self.new_guard(expr, Some(name))
            })
            .collect();
        self.cx.record_let(local);
        if init.diverge.is_some() {
            return;
        }
        for live in guards {
            if live.guard.name.starts_with('_')
                && let Some(event) = live.event
            {
                self.summary.serializing(event);
            }
            self.cx.guards.push(live);
        }
    }

    /// The guard `expr` yields, when it takes a lock (`m.lock()`, `m.write().unwrap()`,
    /// `m.lock().await`), bound to `name` (`None`: a temporary): not a standard stream's, and
    /// a temporary's `read()`/`write()` only on a receiver declared as a lock.
    fn new_guard(&self, expr: &Expr, name: Option<String>) -> Option<LiveGuard> {
        let temporary = name.is_none();
        let acq = lock_acquisition(expr)?;
        if self.cx.is_stdio_handle(&acq.call.receiver) {
            return None;
        }
        let lock = place_key(&acq.call.receiver);
        let flavor = if acq.awaited {
            Some(LockFlavor::Async)
        } else {
            lock.as_deref().and_then(|l| self.cx.lock_flavor(l))
        };
        if temporary && acq.mode != LockMode::Lock && flavor.is_none() {
            return None;
        }
        let taken = Span::join(
            self.cx.span(spans::span(&*acq.call.receiver)),
            self.cx.span(acq.call.paren_token.span.close()),
        );
        let name = name.unwrap_or_else(|| {
            let text = self.cx.file.text.get(taken.start.byte..taken.end.byte);
            text.unwrap_or_default().split_whitespace().collect()
        });
        let guard = Guard {
            name,
            temporary,
            lock,
            flavor,
            mode: acq.mode,
            taken,
            owner: self.cx.locks().impl_type().map(str::to_string),
        };
        Some(LiveGuard {
            event: self.summary.lock_event_at(guard.taken),
            guard,
            block_depth: self.cx.block_depth,
            body: self.cx.current_body(),
            temp_scope: temporary.then(|| self.cx.temp_scope()),
        })
    }

    /// Records the temporary guard `expr` yields when it takes a lock and its value is used in
    /// place (a method's receiver, a field's base, a dereference, a scrutinee): the guard lives
    /// to the end of the current temporary scope.
    fn temp_guard(&mut self, expr: &Expr) {
        if let Some(live) = self.new_guard(expr, None) {
            self.cx.guards.push(live);
        }
    }

    /// Runs `f` in a temporary scope of its own (a statement, a condition, an arm's body, a
    /// function body): the temporary guards made in it drop when it ends.
    fn in_temp_scope(&mut self, f: impl FnOnce(&mut Self)) {
        let scope = self.cx.open_temp_scope();
        f(self);
        self.cx.close_temp_scope(scope);
    }

    /// The task may suspend at `span` (an `.await`, a `select!`): the rules see the guards
    /// alive there.
    fn suspend(&mut self, span: Span) {
        for rule in self.rules.iter_mut() {
            rule.check_suspend(&self.cx, span, &mut self.out);
        }
    }

    /// Whether temporaries live long, as before edition 2024 (see
    /// [`crate::semantic::settings::Edition::long_temporaries`]).
    fn long_temporaries(&self) -> bool {
        self.cx.settings().edition.long_temporaries()
    }
}

/// Whether an `if`/`while` condition binds with `let` (`if let`, a let chain).
fn binds(cond: &Expr) -> bool {
    match cond {
        Expr::Let(_) => true,
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => binds(&b.left) || binds(&b.right),
        Expr::Paren(p) => binds(&p.expr),
        _ => false,
    }
}

impl<'ast> Visit<'ast> for Walker<'_, '_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.visit_fn_with_body(item, &item.attrs, (&item.sig, &item.block), |w| {
            visit::visit_item_fn(w, item)
        });
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.visit_fn_with_body(item, &item.attrs, (&item.sig, &item.block), |w| {
            visit::visit_impl_item_fn(w, item)
        });
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(body) = &item.default {
            self.visit_fn_with_body(item, &item.attrs, (&item.sig, body), |w| {
                visit::visit_trait_item_fn(w, item)
            });
        } else {
            self.visit_fn(item.sig.asyncness.is_some(), |w| {
                visit::visit_trait_item_fn(w, item)
            });
        }
    }

    fn visit_signature(&mut self, sig: &'ast syn::Signature) {
        self.cx.record_signature(sig);
        visit::visit_signature(self, sig);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        self.cx.enter_impl(&item.self_ty);
        self.in_item(&item.attrs, item, |w| visit::visit_item_impl(w, item));
        self.cx.exit_impl();
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let Some((_, items)) = &item.content else {
            return;
        };
        self.cx.enter_items(items);
        self.summary.enter_mod(&item.ident);
        self.in_item(&item.attrs, item, |w| visit::visit_item_mod(w, item));
        self.summary.exit_mod();
        self.cx.leave_scope();
    }

    fn visit_block(&mut self, block: &'ast Block) {
        let has_imports = self.cx.enter_block(&block.stmts);
        self.cx.block_depth += 1;
        let commands = self.with_commands(|finder, facts| finder.in_block(facts, block));
        for rule in self.rules.iter_mut() {
            rule.check_block(&self.cx, block, &mut self.out);
        }
        for command in &commands {
            for rule in self.rules.iter_mut() {
                rule.check_command(&self.cx, command, &mut self.out);
            }
            self.summary.command(&self.cx, command);
        }
        for channel in channels(&self.cx, block) {
            for rule in self.rules.iter_mut() {
                rule.check_channel(&self.cx, &channel, &mut self.out);
            }
        }
        // Each statement is a temporary scope; a block's tail expression is one from edition
        // 2024 on (before, its temporaries live to the end of the enclosing statement).
        let long = self.long_temporaries();
        for (i, stmt) in block.stmts.iter().enumerate() {
            // `let check = |x| ..; check(a);`: a closure only ever called here runs inline.
            if let syn::Stmt::Local(local) = stmt
                && let Some(init) = &local.init
                && matches!(&*init.expr, Expr::Closure(_))
                && let Some(name) = pat_name(&local.pat)
                && find::only_called(&name, &block.stmts[i + 1..])
            {
                self.inline_let = true;
            }
            let tail = i + 1 == block.stmts.len() && matches!(stmt, syn::Stmt::Expr(_, None));
            if tail && long {
                self.visit_stmt(stmt);
            } else {
                self.in_temp_scope(|w| w.visit_stmt(stmt));
            }
        }
        let depth = self.cx.block_depth;
        self.cx
            .guards
            .retain(|g| g.temp_scope.is_some() || g.block_depth < depth);
        self.cx.block_depth -= 1;
        if has_imports {
            self.cx.leave_scope();
        }
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        for rule in self.rules.iter_mut() {
            rule.check_item(&self.cx, item, &mut self.out);
        }
        self.summary.item(&self.cx, item);
        visit::visit_item(self, item);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        let attrs = attrs::stmt_attrs(stmt);
        let windows = !attrs.is_empty() && is_windows_only(attrs);
        self.in_windows_if(windows, |w| {
            for rule in w.rules.iter_mut() {
                rule.check_stmt(&w.cx, stmt, &mut w.out);
            }
            visit::visit_stmt(w, stmt);
        });
    }

    fn visit_local(&mut self, local: &'ast Local) {
        for rule in self.rules.iter_mut() {
            rule.check_local(&self.cx, local, &mut self.out);
        }
        visit::visit_local(self, local);
        self.record_guard(local);
        self.summary.local(&self.cx, local);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        let role = self.pending_role.take();
        self.dispatch_expr(expr);
        match expr {
            Expr::Closure(closure) => {
                self.visit_closure(closure, role.unwrap_or(ClosureRole::Opaque))
            }
            _ => visit::visit_expr(self, expr),
        }
        self.summary.leave_expr(expr);
    }

    fn visit_expr_if(&mut self, expr: &'ast syn::ExprIf) {
        // A plain condition is a temporary scope. An `if let` scrutinee's temporaries live
        // through the `else` branch before edition 2024, and only to its end from 2024 on.
        let binds = binds(&expr.cond);
        let scrutinee = (binds && !self.long_temporaries()).then(|| self.cx.open_temp_scope());
        if binds {
            self.visit_expr(&expr.cond);
        } else {
            self.in_temp_scope(|w| w.visit_expr(&expr.cond));
        }
        self.summary.enter_branch();
        self.in_temp_scope(|w| w.visit_block(&expr.then_branch));
        if let Some(scope) = scrutinee {
            self.cx.close_temp_scope(scope);
        }
        if let Some((_, els)) = &expr.else_branch {
            self.in_temp_scope(|w| w.visit_expr(els));
        }
        self.summary.exit_branch();
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.visit_pat(&arm.pat);
        if let Some((_, guard)) = &arm.guard {
            self.in_temp_scope(|w| w.visit_expr(guard));
        }
        self.summary.enter_branch();
        self.in_temp_scope(|w| w.visit_expr(&arm.body));
        self.summary.exit_branch();
    }

    fn visit_expr_match(&mut self, expr: &'ast syn::ExprMatch) {
        // The scrutinee's temporaries live to the end of the `match`, in every edition.
        self.visit_expr(&expr.expr);
        self.temp_guard(&expr.expr);
        for arm in &expr.arms {
            self.visit_arm(arm);
        }
    }

    fn visit_expr_let(&mut self, expr: &'ast syn::ExprLet) {
        self.visit_pat(&expr.pat);
        self.visit_expr(&expr.expr);
        self.temp_guard(&expr.expr);
    }

    fn visit_expr_binary(&mut self, expr: &'ast syn::ExprBinary) {
        if !matches!(expr.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) {
            return visit::visit_expr_binary(self, expr);
        }
        // Each operand of `&&`/`||` is a temporary scope, except a `let` of a let chain.
        for operand in [&*expr.left, &*expr.right] {
            if binds(operand) {
                self.visit_expr(operand);
            } else {
                self.in_temp_scope(|w| w.visit_expr(operand));
            }
        }
    }

    fn visit_expr_field(&mut self, expr: &'ast syn::ExprField) {
        self.visit_expr(&expr.base);
        self.temp_guard(&expr.base);
    }

    fn visit_expr_unary(&mut self, expr: &'ast syn::ExprUnary) {
        self.visit_expr(&expr.expr);
        if matches!(expr.op, syn::UnOp::Deref(_)) {
            self.temp_guard(&expr.expr);
        }
    }

    fn visit_expr_index(&mut self, expr: &'ast syn::ExprIndex) {
        self.visit_expr(&expr.expr);
        self.temp_guard(&expr.expr);
        self.visit_expr(&expr.index);
    }

    fn visit_local_init(&mut self, init: &'ast syn::LocalInit) {
        match &init.diverge {
            // A `let .. else` drops its initializer's temporaries before the `else` block runs.
            Some((_, diverge)) => {
                self.inline_let = false;
                self.in_temp_scope(|w| w.visit_expr(&init.expr));
                self.visit_expr(diverge);
            }
            None => {
                if std::mem::take(&mut self.inline_let) {
                    self.pending_role = Some(ClosureRole::Inline);
                }
                self.visit_expr(&init.expr);
            }
        }
    }

    fn visit_expr_tuple(&mut self, expr: &'ast syn::ExprTuple) {
        // A tuple holds the guards it is built of (`(x.lock(), y.lock())`) while it is built.
        for elem in &expr.elems {
            self.visit_expr(elem);
            self.temp_guard(elem);
        }
    }

    fn visit_expr_await(&mut self, expr: &'ast syn::ExprAwait) {
        self.visit_expr(&expr.base);
        let span = Span::join(
            self.cx.span(expr.dot_token.span),
            self.cx.span(expr.await_token.span),
        );
        self.suspend(span);
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        self.with_frame(Frame::AsyncBlock, |w| {
            w.in_temp_scope(|w| visit::visit_expr_async(w, block))
        });
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let api = self.cx.call_api(&call.func);
        self.visit_expr(&call.func);
        if let Some(worker) = api.and_then(api_worker) {
            self.summary.spawn(&self.cx, SpawnCall::Call(call), worker);
        }
        let role = role_for_api(api);
        for arg in &call.args {
            self.visit_arg(arg, role);
        }
        if api == Some(Api::Drop)
            && let Some(name) = call.args.first().and_then(path_ident)
        {
            self.drop_guard(&name);
        }
        self.end_moved_guards(&call.args);
    }

    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        let role = self.cx.method_closure_role(call);
        self.visit_expr(&call.receiver);
        // Spawns take the code to run as an argument: a method call without one spawns nothing.
        let may_spawn = matches!(
            role,
            ClosureRole::Thread | ClosureRole::BlockingPool | ClosureRole::Rayon
        ) || ident_is(&call.method, catalog::SPAWN_METHODS);
        if may_spawn
            && !call.args.is_empty()
            && let Some(worker) = self.cx.method_worker_in_role(call, role)
        {
            self.summary
                .spawn(&self.cx, SpawnCall::Method(call), worker);
        }
        if !ident_is(&call.method, catalog::GUARD_PASSING_METHODS)
            && !ident_is(&call.method, catalog::GUARD_CONSUMING_METHODS)
        {
            self.temp_guard(&call.receiver);
        }
        if role == ClosureRole::Inline && ident_is(&call.method, catalog::PER_ITEM_METHODS) {
            // `opt.map(|x| ..)` on an `Option` or `Result` runs at most once.
            let one_value = path_ident(&call.receiver).is_some_and(|n| self.cx.holds_one_value(&n));
            let info = LoopInfo {
                kind: LoopKind::PerItemClosure,
                trips: if one_value {
                    TripCount::Constant(1)
                } else {
                    self.cx.trip_count(&call.receiver)
                },
                header: self.cx.span(call.method.span()),
            };
            self.with_frame(Frame::Loop(info), |w| {
                for arg in &call.args {
                    w.visit_arg(arg, role);
                }
            });
        } else {
            // `pool.install(..)` on a pool built here (`let pool = ..build()?`, or bound by a
            // `match` on the build) runs on that pool, not the global one.
            let dedicated = role == ClosureRole::Rayon
                && call.method == "install"
                && (self
                    .cx
                    .chain_root_path(&call.receiver)
                    .is_some_and(|root| catalog::lookup(&root) == Some(Api::PoolBuilder))
                    || path_ident(&call.receiver).is_some_and(|name| {
                        name != "self" && !self.cx.is_param(&name) && !is_constant_name(&name)
                    }));
            self.cx.dedicated_pool_depth += usize::from(dedicated);
            for arg in &call.args {
                self.visit_arg(arg, role);
            }
            self.cx.dedicated_pool_depth -= usize::from(dedicated);
        }
        self.end_moved_guards(&call.args);
    }

    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        self.visit_expr(&expr.expr);
        let info = LoopInfo {
            kind: LoopKind::For,
            trips: self.cx.trip_count(&expr.expr),
            header: Span::join(
                self.cx.span(expr.for_token.span),
                self.cx.span(spans::span(&*expr.expr)),
            ),
        };
        self.with_frame(Frame::Loop(info), |w| {
            w.visit_pat(&expr.pat);
            w.visit_block(&expr.body);
        });
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        let info = LoopInfo {
            kind: LoopKind::While,
            trips: TripCount::Unknown,
            header: Span::join(
                self.cx.span(expr.while_token.span),
                self.cx.span(spans::span(&*expr.cond)),
            ),
        };
        // A plain condition is a temporary scope; a `while let` scrutinee's temporaries live
        // through the body.
        let binds = binds(&expr.cond);
        self.with_frame(Frame::Loop(info), |w| {
            w.in_temp_scope(|w| {
                if binds {
                    w.visit_expr(&expr.cond);
                } else {
                    w.in_temp_scope(|w| w.visit_expr(&expr.cond));
                }
                w.in_temp_scope(|w| w.visit_block(&expr.body));
            })
        });
    }

    fn visit_expr_loop(&mut self, expr: &'ast syn::ExprLoop) {
        let info = LoopInfo {
            kind: LoopKind::Loop,
            trips: TripCount::Unknown,
            header: self.cx.span(expr.loop_token.span),
        };
        self.with_frame(Frame::Loop(info), |w| visit::visit_expr_loop(w, expr));
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for expr in macros::parse_args(mac).iter() {
            self.visit_expr(expr);
        }
        if macros::awaits_operands(mac) {
            let span = self.cx.span(mac.path.span());
            self.suspend(span);
        }
        // The parsed arguments are gone: no remembered answer may name their addresses.
        self.cx.forget_node();
    }

    /// A macro among items declares items: its body is not code run here (the statics of
    /// `lazy_static!` and `thread_local!` are read by the rules that need them).
    fn visit_item_macro(&mut self, _item: &'ast syn::ItemMacro) {}

    fn visit_impl_item_macro(&mut self, _item: &'ast syn::ImplItemMacro) {}

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.visit_fn(false, |w| visit::visit_item_const(w, item));
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        self.visit_fn(false, |w| visit::visit_item_static(w, item));
    }
}
