//! What is known at the current point of the walk about the names in scope: the imports, what
//! each local was bound from, which locals are scope handles or declared locks, and from these,
//! what a call *is* ([`Facts::api`]) and what it does with a closure it is given
//! ([`Facts::closure_role`], [`Facts::worker`]).
//!
//! The walk keeps one [`Facts`] up to date as it enters items, functions and blocks and passes
//! `let`s; rules and the other analysis modules only read it.

use std::cell::OnceCell;
use std::collections::HashMap;

use proc_macro2::Span as SynSpan;
use syn::{Expr, ExprCall, ExprMethodCall, Local};

use crate::analysis::callbacks::{self, Callback};
use crate::analysis::locks::{self, LockScope};
use crate::analysis::loops::TripCount;
use crate::diagnostic::Span;
use crate::semantic::catalog::{self, Api, Blocking, LockFlavor};
use crate::semantic::resolve::{CanonicalPath, Imports};
use crate::semantic::settings::Settings;
use crate::semantic::summary::TypeRef;
use crate::source::SourceFile;
use crate::syntax::exprs::{chain_root, ident_is, path_ident, strip, with_ident};
use crate::syntax::pats::{pat_name, pat_names};
use crate::syntax::types::{holds_one_value, named_type};

/// What a closure passed to a call is for, decided by the call it is passed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureRole {
    /// Called right away on this thread (iterator adapters, `Option::map`, ...).
    Inline,
    /// The body of a new OS thread.
    Thread,
    /// Handed to a blocking pool.
    BlockingPool,
    /// Run on rayon's pool.
    Rayon,
    /// The body of a `thread::scope`/`rayon::scope`: runs inline; its parameter is a scope handle.
    ScopeBody(ScopeKind),
    /// Anything else.
    Opaque,
}

/// The kind of scope a scope handle spawns into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// `std::thread::scope` / crossbeam: `s.spawn` starts an OS thread.
    Thread,
    /// `rayon::scope`: `s.spawn` runs on rayon's pool.
    Rayon,
}

/// Where a call runs the closures and async blocks it is given, when that is not the calling
/// thread, now: the answer to "is this a spawn?" for every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    /// A new OS thread (`thread::spawn`, `Builder::spawn`, a thread scope's `s.spawn`).
    Thread,
    /// An async task (`tokio::spawn`).
    Task,
    /// A pool for blocking work (`spawn_blocking`, `block_in_place`).
    BlockingPool,
    /// Rayon's pool (`rayon::spawn`, `rayon::join`, a parallel iterator's closures).
    Rayon,
    /// A spawn-like method on a receiver concur does not know (`pool.execute(f)`,
    /// `handle.spawn(fut)`).
    Unknown,
}

/// The facts of the current point of the walk.
pub struct Facts<'f> {
    /// The file being linted.
    pub file: &'f SourceFile,
    settings: &'f Settings,
    imports: Imports,
    /// Which call the value of each local comes from (`let f = File::open(p)?` → `File::open`),
    /// innermost last; `None` for a local bound from anything else.
    value_roots: Vec<(String, Option<CanonicalPath>)>,
    scope_handles: Vec<(String, ScopeKind)>,
    lock_decls: HashMap<String, LockFlavor>,
    /// Locals bound from the number of cores or a constant item.
    pub(super) core_count_locals: Vec<String>,
    /// Locals bound to a literal collection or a chain over a range (`let w = vec![a, b]`,
    /// `let workers: Vec<_> = (0..n).map(..).collect()`), with the trip count of a loop over them.
    pub(super) local_counts: Vec<(String, TripCount)>,
    /// Parameters and locals by name, with whether their declared type holds at most one
    /// value (`Option`, `Result`): `sender.map(|s| ..)` on one is no loop.
    one_value_locals: Vec<(String, bool)>,
    uses_tokio: OnceCell<bool>,
    locks: LockScope,
    /// The current function's parameters (not `self`), with the call their type's values come
    /// from when the catalog knows it (`cmd: &mut Command` is used like `Command::new(..)`'s
    /// value, `rx: Receiver<T>` like `channel()`'s).
    params: Vec<(String, Option<CanonicalPath>)>,
    /// The current function's parameters that hold caller-supplied code to notify (`f: F`
    /// with `F: Fn(u32)`, `cb: &dyn Fn()`, `handler: impl FnMut(Event)`; not accessors handed
    /// a borrow of the data, see [`callbacks::is_notification_param`]).
    callback_params: Vec<String>,
    /// Struct fields of the file that hold callbacks, by name.
    callback_fields: HashMap<String, Callback>,
    /// The configured entries calls matched so far.
    configured_hits: std::cell::RefCell<Vec<String>>,
    /// What the node the walk is at is, computed once for all who ask: the address of its
    /// callee (`Expr::Call`'s function, or the method call) and the answer. The node is alive
    /// until the walk moves on or forgets it (see [`Facts::forget_node`]), so no other value
    /// can have its address meanwhile.
    node_api: std::cell::Cell<Option<(usize, Option<Api>)>>,
}

/// The locals of an enclosing function, put aside while a nested one is walked.
pub struct SavedLocals {
    params: Vec<(String, Option<CanonicalPath>)>,
    callback_params: Vec<String>,
    value_roots: Vec<(String, Option<CanonicalPath>)>,
    core_count_locals: Vec<String>,
    local_counts: Vec<(String, TripCount)>,
    one_value_locals: Vec<(String, bool)>,
}

impl<'f> Facts<'f> {
    /// The facts at the start of `file`, whose items are `items`.
    pub fn new(file: &'f SourceFile, settings: &'f Settings, items: &[syn::Item]) -> Self {
        let mut facts = Facts {
            file,
            settings,
            imports: Imports::default(),
            value_roots: Vec::new(),
            scope_handles: Vec::new(),
            lock_decls: HashMap::new(),
            core_count_locals: Vec::new(),
            local_counts: Vec::new(),
            one_value_locals: Vec::new(),
            uses_tokio: OnceCell::new(),
            locks: LockScope::default(),
            params: Vec::new(),
            callback_params: Vec::new(),
            callback_fields: HashMap::new(),
            configured_hits: std::cell::RefCell::default(),
            node_api: std::cell::Cell::new(None),
        };
        facts.imports.push_items(items);
        locks::collect_lock_decls(&facts.imports, items, &mut facts.lock_decls);
        facts.locks.collect_statics(items);
        callbacks::collect_callback_fields(items, &mut facts.callback_fields);
        facts
    }

    /// The project's configured options.
    pub fn settings(&self) -> &Settings {
        self.settings
    }

    /// Resolves a syn span to a diagnostic span in this file.
    pub fn span(&self, span: SynSpan) -> Span {
        Span::from_syn(self.file, span)
    }

    /// The source text of a syn span.
    pub fn text(&self, span: SynSpan) -> &str {
        let span = self.span(span);
        self.file
            .text
            .get(span.start.byte..span.end.byte)
            .unwrap_or("")
    }

    /// The `//` comment on the line just above the first line of `span` (past attributes),
    /// if there is one: a choice the code explains there (`// >4 threads degrade search`) is
    /// deliberate.
    pub fn comment_above(&self, span: SynSpan) -> Option<&str> {
        let mut line = self.span(span).start.line;
        while line > 1 {
            line -= 1;
            let text = self.file.line_text(line).trim();
            // Attributes, and earlier lines of the same statement (`let pool =` above its
            // value), come between the code and its comment.
            let continues = !text.is_empty()
                && !text.starts_with("//")
                && !text.ends_with([';', '{', '}', ',']);
            if text.starts_with("#[") || continues {
                continue;
            }
            return (text.starts_with("//") && !text.starts_with("///")).then_some(text);
        }
        None
    }

    /// Whether the file uses tokio anywhere (a fix may then rely on it being a dependency).
    pub fn file_uses_tokio(&self) -> bool {
        *self
            .uses_tokio
            .get_or_init(|| self.file.text.contains("tokio"))
    }

    /// Resolves a path written in code to its canonical form.
    pub fn resolve(&self, path: &syn::Path) -> CanonicalPath {
        self.imports.resolve(path)
    }

    /// The imports in effect here.
    pub fn imports(&self) -> &Imports {
        &self.imports
    }

    /// A type as the crate-wide model records it: its named type and the lock inside it.
    pub fn type_ref(&self, ty: &syn::Type) -> TypeRef {
        let name = named_type(ty).unwrap_or_default();
        let lock = locks::type_lock_flavor(&self.imports, ty);
        // What a lock protects or a channel half carries, for the map; nothing else needs it.
        let shared = lock.is_some() || crate::syntax::types::is_channel_half(&name);
        let inner = crate::syntax::types::named_type_argument(ty)
            .filter(|_| shared)
            .map(|arg| self.text(syn::spanned::Spanned::span(arg)).to_string())
            .unwrap_or_default();
        TypeRef { name, lock, inner }
    }

    /// Lock identity at this point (clone aliases, function, impl).
    pub fn locks(&self) -> &LockScope {
        &self.locks
    }

    /// Answers the catalog question for `expr` once, for every rule that asks while the walk
    /// is at it. The answer is kept until the next node (or [`Facts::forget_node`], which the
    /// walk calls when parsed macro arguments it walked are dropped).
    pub fn remember_node(&self, expr: &Expr) {
        self.node_api.set(None);
        let key = match expr {
            Expr::Call(call) => &*call.func as *const Expr as usize,
            Expr::MethodCall(call) => call as *const ExprMethodCall as usize,
            _ => return,
        };
        let api = self.api(expr);
        self.node_api.set(Some((key, api)));
    }

    /// Forgets the remembered answer: its node may be gone.
    pub fn forget_node(&self) {
        self.node_api.set(None);
    }

    fn remembered(&self, key: usize) -> Option<Option<Api>> {
        match self.node_api.get() {
            Some((k, api)) if k == key => Some(api),
            _ => None,
        }
    }

    /// What the callee of a call expression is, if the catalog knows it.
    pub fn call_api(&self, func: &Expr) -> Option<Api> {
        if let Some(api) = self.remembered(func as *const Expr as usize) {
            return api;
        }
        let Expr::Path(path) = func else { return None };
        let settings = self.settings;
        let configured = !settings.blocking_functions.is_empty() || !settings.lock_types.is_empty();
        if !configured && !self.imports.may_name_catalog_path(&path.path) {
            debug_assert_eq!(
                catalog::lookup(&self.resolve(&path.path)),
                None,
                "catalog::may_lookup is out of date"
            );
            return None;
        }
        let canonical = self.resolve(&path.path);
        catalog::lookup(&canonical).or_else(|| self.configured_api(&canonical))
    }

    /// What the project's configuration says a called path is: a blocking function
    /// (`options.blocking-functions`) or a lock type's constructor (`options.lock-types`,
    /// taken as std-like blocking locks).
    fn configured_api(&self, path: &CanonicalPath) -> Option<Api> {
        let settings = self.settings;
        if settings.blocking_functions.is_empty() && settings.lock_types.is_empty() {
            return None;
        }
        let joined = path.join("::");
        let relative = path
            .iter()
            .skip_while(|s| matches!(s.as_str(), "crate" | "self" | "super"))
            .cloned()
            .collect::<Vec<_>>()
            .join("::");
        let names = [
            joined.clone(),
            relative,
            path.last().cloned().unwrap_or_default(),
        ];
        if let Some(entry) = settings.blocking_entry(&names) {
            self.configured_hits.borrow_mut().push(entry.to_string());
            return Some(Api::Blocking(Blocking::Wait));
        }
        let owner = joined.rsplit_once("::").map(|(owner, _)| owner)?;
        let entry = settings.lock_type_entry(owner)?;
        self.configured_hits.borrow_mut().push(entry.to_string());
        Some(Api::LockType(LockFlavor::Std))
    }

    /// The configured `blocking-functions` and `lock-types` entries calls in this file matched.
    pub fn configured_hits(&self) -> Vec<String> {
        let mut hits = self.configured_hits.borrow().clone();
        hits.sort();
        hits.dedup();
        hits
    }

    /// The canonical path of a call's callee, when it is a path.
    pub fn call_path(&self, func: &Expr) -> Option<CanonicalPath> {
        let Expr::Path(path) = func else { return None };
        Some(self.resolve(&path.path))
    }

    /// What a method call is: by its chain's root call (`Builder::new().spawn(..)`), by a scope
    /// handle receiver (`s.spawn(..)` inside `thread::scope`), or by an unambiguous name.
    pub fn method_api(&self, call: &ExprMethodCall) -> Option<Api> {
        if let Some(api) = self.remembered(call as *const ExprMethodCall as usize) {
            return api;
        }
        let (may_lookup, by_name) = with_ident(&call.method, |method| {
            (
                catalog::may_lookup_method(method),
                catalog::lookup_method_name(method),
            )
        });
        debug_assert!(
            may_lookup
                || self.chain_root_path(&call.receiver).is_none_or(|root| {
                    catalog::lookup_method(&root, &call.method.to_string()).is_none()
                }),
            "catalog::may_lookup_method is out of date"
        );
        if may_lookup
            && let Some(root) = self.chain_root_path(&call.receiver)
            && let Some(api) = catalog::lookup_method(&root, &call.method.to_string())
        {
            return Some(api);
        }
        if ident_is(&call.method, &["spawn", "spawn_fifo"])
            && let Some(kind) = path_ident(&call.receiver).and_then(|id| self.scope_handle(&id))
        {
            return Some(match kind {
                ScopeKind::Thread => Api::ThreadSpawn,
                ScopeKind::Rayon => Api::RayonSpawn,
            });
        }
        by_name
    }

    /// What an expression is when it is a call or method call the catalog knows.
    pub fn api(&self, expr: &Expr) -> Option<Api> {
        match expr {
            Expr::Call(call) => self.call_api(&call.func),
            Expr::MethodCall(call) => self.method_api(call),
            _ => None,
        }
    }

    /// The canonical path of the call a method chain starts from, if it starts from a call or
    /// from a local bound to one (`let f = File::open(p)?; f.read(..)` starts from `File::open`).
    pub fn chain_root_path(&self, receiver: &Expr) -> Option<CanonicalPath> {
        match chain_root(receiver) {
            Expr::Call(call) => self.call_path(&call.func),
            root => self.value_root(&path_ident(root)?),
        }
    }

    /// Whether `name` is a parameter of the current function holding caller-supplied code
    /// (a closure), not shadowed by a `let`.
    pub fn is_callback_param(&self, name: &str) -> bool {
        self.callback_params.iter().any(|p| p == name) && self.is_param(name)
    }

    /// The callback a struct field of this file holds (`listeners: Vec<Box<dyn Listener>>`).
    pub fn callback_field(&self, field: &str) -> Option<Callback> {
        self.callback_fields.get(field).copied()
    }

    /// Whether `name` is a parameter of the current function, not shadowed by a `let`.
    pub fn is_param(&self, name: &str) -> bool {
        self.params.iter().any(|(p, _)| p == name)
            && !self.value_roots.iter().any(|(n, _)| n == name)
    }

    fn value_root(&self, name: &str) -> Option<CanonicalPath> {
        match self.value_roots.iter().rev().find(|(n, _)| n == name) {
            Some((_, root)) => root.clone(),
            None => self
                .params
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, root)| root.clone()),
        }
    }

    /// The kind of blocking `expr` does, if it is a blocking call the catalog knows. A method
    /// whose chain starts from a blocking call (`File::open(p)?.read_to_end(..)`, or `f.read(..)`
    /// after `let f = File::open(p)?`) answers `None`: the root call is the one to report. So
    /// does a file system call on a literal path in `/proc` or `/sys`, which the kernel answers
    /// from memory (`File::open("/proc/mounts")` to watch it with `AsyncFd`).
    pub fn blocking_call(&self, expr: &Expr) -> Option<Blocking> {
        let Some(Api::Blocking(kind)) = self.api(expr) else {
            return None;
        };
        if kind == Blocking::FileSystem
            && let Expr::Call(call) = expr
            && let Some(Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(path),
                ..
            })) = call.args.first()
            && ["/proc/", "/sys/"]
                .iter()
                .any(|p| path.value().starts_with(p))
        {
            return None;
        }
        if let Expr::MethodCall(call) = expr
            && let Some(root) = self.chain_root_path(&call.receiver)
            && matches!(catalog::lookup(&root), Some(Api::Blocking(_)))
        {
            return None;
        }
        Some(kind)
    }

    /// Whether `expr` (`rx`, `&rx`) is the receiving end of a blocking channel made here
    /// (`std::sync::mpsc`, crossbeam): iterating it waits for every message.
    pub fn is_blocking_receiver(&self, expr: &Expr) -> bool {
        let Some(name) = path_ident(strip(expr)) else {
            return false;
        };
        self.value_root(&name).is_some_and(|root| {
            catalog::lookup_method(&root, "recv") == Some(Api::Blocking(Blocking::Wait))
        })
    }

    /// Whether `expr` is a standard stream handle: `io::stdin()`, `stdout()`, `stderr()`, or a
    /// local bound to one.
    pub fn is_stdio_handle(&self, expr: &Expr) -> bool {
        let path = match strip(expr) {
            Expr::Call(call) => self.call_path(&call.func),
            other => path_ident(other).and_then(|name| self.value_root(&name)),
        };
        path.is_some_and(|p| catalog::lookup(&p) == Some(Api::StdioHandle))
    }

    fn scope_handle(&self, name: &str) -> Option<ScopeKind> {
        self.scope_handles
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, k)| *k)
    }

    /// The declared flavor of a lock, looked up by the last segment of its path
    /// (`self.accounts` → field `accounts`, `m` → local or static `m`).
    pub fn lock_flavor(&self, lock: &str) -> Option<LockFlavor> {
        let last = lock.rsplit('.').next().unwrap_or(lock);
        self.lock_decls.get(last).copied()
    }

    /// The role a call or method call gives the closures passed to it: `thread::spawn(f)`
    /// runs `f` on a new thread, `items.par_iter().for_each(f)` on rayon's pool,
    /// `v.iter().map(f)` inline. `None` for anything but a call.
    pub fn closure_role(&self, expr: &Expr) -> Option<ClosureRole> {
        match expr {
            Expr::Call(call) => Some(role_for_api(self.call_api(&call.func))),
            Expr::MethodCall(call) => Some(self.method_closure_role(call)),
            _ => None,
        }
    }

    /// The role a method call gives the closures passed to it ([`Facts::closure_role`]).
    pub fn method_closure_role(&self, call: &ExprMethodCall) -> ClosureRole {
        match self.method_api(call) {
            Some(api @ (Api::ThreadSpawn | Api::BlockingHandoff | Api::RayonSpawn)) => {
                return role_for_api(Some(api));
            }
            Some(_) => return ClosureRole::Opaque,
            None => {}
        }
        let inline = ident_is(&call.method, catalog::INLINE_CLOSURE_METHODS);
        if call.method == "install" || (inline && in_rayon_chain(&call.receiver)) {
            return ClosureRole::Rayon;
        }
        if inline {
            ClosureRole::Inline
        } else {
            ClosureRole::Opaque
        }
    }

    /// Where a call runs the closures and async blocks it is given, when it hands them to
    /// another thread, task or pool; `None` when it runs them here (or is no call).
    pub fn worker(&self, expr: &Expr) -> Option<Worker> {
        match expr {
            Expr::Call(call) => self.call_worker(call),
            Expr::MethodCall(call) => self.method_worker(call),
            _ => None,
        }
    }

    /// [`Facts::worker`] for a call: `thread::spawn(f)`, `tokio::spawn(fut)`, `rayon::join(a, b)`.
    pub fn call_worker(&self, call: &ExprCall) -> Option<Worker> {
        api_worker(self.call_api(&call.func)?)
    }

    /// [`Facts::worker`] for a method call: `Builder::new().spawn(f)`, a scope's `s.spawn(f)`,
    /// `items.par_iter().for_each(f)`, `pool.execute(f)`.
    pub fn method_worker(&self, call: &ExprMethodCall) -> Option<Worker> {
        if let Some(worker) = self.method_api(call).and_then(api_worker) {
            return Some(worker);
        }
        self.method_worker_in_role(call, self.method_closure_role(call))
    }

    /// [`Facts::method_worker`] when the role the call gives its closures is known already.
    pub fn method_worker_in_role(
        &self,
        call: &ExprMethodCall,
        role: ClosureRole,
    ) -> Option<Worker> {
        match role {
            ClosureRole::Thread => Some(Worker::Thread),
            ClosureRole::BlockingPool => Some(Worker::BlockingPool),
            ClosureRole::Rayon => Some(Worker::Rayon),
            _ => self.method_api(call).and_then(api_worker).or_else(|| {
                ident_is(&call.method, catalog::SPAWN_METHODS).then_some(Worker::Unknown)
            }),
        }
    }
}

/// The worker a call the catalog knows as `api` hands its closures to.
pub fn api_worker(api: Api) -> Option<Worker> {
    match api {
        Api::ThreadSpawn => Some(Worker::Thread),
        Api::TaskSpawn => Some(Worker::Task),
        Api::BlockingHandoff => Some(Worker::BlockingPool),
        Api::RayonSpawn | Api::RayonJoin => Some(Worker::Rayon),
        _ => None,
    }
}

// --- keeping the facts up to date: called by the walk only ---

impl Facts<'_> {
    /// Opens an import scope for the `use` items among `items` (a module's).
    pub fn enter_items(&mut self, items: &[syn::Item]) {
        self.imports.push_items(items);
    }

    /// Opens an import scope for a block's `use` statements; `false` (and nothing to leave)
    /// when it has none.
    pub fn enter_block(&mut self, stmts: &[syn::Stmt]) -> bool {
        let has_imports = Imports::block_has_imports(stmts);
        if has_imports {
            self.imports.push_block(stmts);
        }
        has_imports
    }

    /// Closes the innermost import scope.
    pub fn leave_scope(&mut self) {
        self.imports.pop();
    }

    /// Enters a function body: its locals start empty.
    pub fn enter_fn(&mut self) -> (SavedLocals, Vec<(String, String)>) {
        let saved = SavedLocals {
            params: std::mem::take(&mut self.params),
            callback_params: std::mem::take(&mut self.callback_params),
            value_roots: std::mem::take(&mut self.value_roots),
            core_count_locals: std::mem::take(&mut self.core_count_locals),
            local_counts: std::mem::take(&mut self.local_counts),
            one_value_locals: std::mem::take(&mut self.one_value_locals),
        };
        (saved, self.locks.enter_fn())
    }

    /// Leaves a function body entered with [`Facts::enter_fn`].
    pub fn exit_fn(&mut self, (saved, aliases): (SavedLocals, Vec<(String, String)>)) {
        self.params = saved.params;
        self.callback_params = saved.callback_params;
        self.value_roots = saved.value_roots;
        self.core_count_locals = saved.core_count_locals;
        self.local_counts = saved.local_counts;
        self.one_value_locals = saved.one_value_locals;
        self.locks.exit_fn(aliases);
    }

    /// Whether `name` is a parameter or local declared as holding at most one value
    /// (`Option<T>`, `Result<T, E>`).
    pub fn holds_one_value(&self, name: &str) -> bool {
        self.one_value_locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .is_some_and(|(_, one)| *one)
    }

    /// Records a function's name and the lock types of its parameters.
    pub fn record_signature(&mut self, sig: &syn::Signature) {
        self.locks.name_fn(&sig.ident);
        for input in &sig.inputs {
            let syn::FnArg::Typed(param) = input else {
                continue;
            };
            if let Some(name) = pat_name(&param.pat) {
                self.params.push((name.clone(), self.param_root(&param.ty)));
                if callbacks::is_notification_param(&param.ty, &sig.generics) {
                    self.callback_params.push(name.clone());
                }
                self.one_value_locals
                    .push((name, holds_one_value(&param.ty)));
            }
            let flavor = locks::type_lock_flavor(&self.imports, &param.ty);
            if let (Some(name), Some(flavor)) = (pat_name(&param.pat), flavor) {
                self.lock_decls.insert(name, flavor);
            }
        }
    }

    /// The call a parameter of type `ty` is used like the value of (through references):
    /// `std::process::Command::new` for a `Command`, `std::thread::spawn` for a `JoinHandle`,
    /// the channel constructor for a `Receiver` (see [`catalog::PARAM_TYPE_ROOTS`]).
    fn param_root(&self, ty: &syn::Type) -> Option<CanonicalPath> {
        let mut ty = ty;
        while let syn::Type::Reference(r) = ty {
            ty = &r.elem;
        }
        let syn::Type::Path(path) = ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        if !catalog::PARAM_TYPE_ROOTS
            .iter()
            .any(|(t, _)| t.rsplit("::").next() == Some(&*last.ident.to_string()))
            && !self.imports.is_imported(&last.ident.to_string())
        {
            return None;
        }
        let resolved = self.imports.resolve(&path.path).join("::");
        let (_, root) = catalog::PARAM_TYPE_ROOTS
            .iter()
            .find(|(t, _)| *t == resolved)?;
        Some(root.split("::").map(str::to_string).collect())
    }

    /// Enters an `impl` block for `self_ty`.
    pub fn enter_impl(&mut self, self_ty: &syn::Type) {
        self.locks.enter_impl(locks::type_name(self_ty));
    }

    /// Leaves the innermost `impl` block.
    pub fn exit_impl(&mut self) {
        self.locks.exit_impl();
    }

    /// Makes `name` a scope handle of `kind` (the parameter of a `thread::scope` closure).
    pub fn push_scope_handle(&mut self, name: String, kind: ScopeKind) {
        self.scope_handles.push((name, kind));
    }

    /// Forgets the innermost scope handle.
    pub fn pop_scope_handle(&mut self) {
        self.scope_handles.pop();
    }

    /// Records what a `let` binds: the call each name's value comes from, core-count and
    /// literal-collection locals, declared locks and clone aliases of locks.
    pub fn record_let(&mut self, local: &Local) {
        let root = local
            .init
            .as_ref()
            .and_then(|init| match chain_root(&init.expr) {
                Expr::Call(call) => self.call_path(&call.func),
                _ => None,
            });
        // Every name bound gets an entry: unknown values shadow known ones of the same name.
        let typed_one = matches!(&local.pat, syn::Pat::Type(typed) if holds_one_value(&typed.ty));
        for name in pat_names(&local.pat) {
            self.one_value_locals.push((name.clone(), typed_one));
            self.value_roots.push((name, root.clone()));
        }
        let (Some(name), Some(init)) = (pat_name(&local.pat), &local.init) else {
            return;
        };
        if self.is_fixed_count(&init.expr) {
            self.core_count_locals.push(name.clone());
        }
        if let Some(count) = self.local_trip_count(&init.expr) {
            self.local_counts.push((name.clone(), count));
        }
        if let Some(flavor) = locks::init_lock_flavor(self, &init.expr) {
            self.lock_decls.insert(name.clone(), flavor);
        }
        if let Some(source) = locks::clone_source(self, &init.expr) {
            self.locks.add_alias(name, source);
        }
    }
}

/// The role a call whose callee the catalog knows as `api` gives its closure arguments.
pub fn role_for_api(api: Option<Api>) -> ClosureRole {
    match api {
        Some(Api::ThreadSpawn) => ClosureRole::Thread,
        Some(Api::BlockingHandoff) => ClosureRole::BlockingPool,
        Some(Api::RayonSpawn | Api::RayonJoin) => ClosureRole::Rayon,
        Some(Api::ThreadScope) => ClosureRole::ScopeBody(ScopeKind::Thread),
        Some(Api::RayonScope) => ClosureRole::ScopeBody(ScopeKind::Rayon),
        _ => ClosureRole::Opaque,
    }
}

/// Whether a method chain passes through a rayon parallel iterator (`par_iter()`).
pub fn in_rayon_chain(mut expr: &Expr) -> bool {
    while let Expr::MethodCall(call) = expr {
        if ident_is(&call.method, catalog::RAYON_ITER_METHODS) {
            return true;
        }
        expr = &call.receiver;
    }
    false
}
