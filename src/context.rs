//! The one walk over a file: execution context, loops, scope handles and live lock guards.
//!
//! [`Walker`] visits the syntax tree once with `syn::visit`, keeps the context every rule needs
//! (am I in async code, in a thread body, in a loop over what, which guards are alive) and hands
//! each node to every enabled rule. Rules read the context through [`Context`]; they never walk
//! or parse the file again.

use std::collections::HashMap;

use proc_macro2::Span as SynSpan;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprClosure, ExprMethodCall, Local, Pat};

use crate::catalog::{self, Api, Blocking, LockFlavor};
use crate::diagnostic::{Diagnostic, Span};
use crate::lint::Options;
use crate::locks::LockScope;
use crate::macros;
use crate::resolve::{CanonicalPath, Imports};
use crate::rules::Rule;
use crate::source::SourceFile;

/// Where code runs, as far as syntax can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exec {
    /// On an async executor: an async fn, async block or async closure.
    Async,
    /// Ordinary synchronous code on the calling thread.
    Sync,
    /// In a closure run on a new OS thread.
    Thread,
    /// In a closure handed to a pool meant for blocking work (`spawn_blocking`).
    BlockingPool,
    /// In a closure run on rayon's pool.
    Rayon,
    /// In a closure whose caller concur does not know: it may run anywhere, later.
    Unknown,
}

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

/// How many times a loop (or a per-item closure) runs, as far as syntax can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TripCount {
    /// A constant count known from literals (`0..4`, `[a, b, c]`).
    Constant(u128),
    /// A count from a constant item (`0..WORKERS`) or the number of cores.
    Fixed,
    /// Once per element of a data collection (input items, lines, a receiver).
    PerItem,
    /// A count concur cannot classify (`0..n`, `while cond`, `loop`).
    Unknown,
}

/// What kind of loop a loop frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopKind {
    /// `for pat in expr`.
    For,
    /// `while cond` / `while let`.
    While,
    /// `loop`.
    Loop,
    /// A closure an iterator adapter calls once per element (`.for_each(|x| ..)`).
    PerItemClosure,
}

/// One enclosing loop.
#[derive(Debug, Clone, Copy)]
pub struct LoopInfo {
    /// The loop's kind.
    pub kind: LoopKind,
    /// How often it runs.
    pub trips: TripCount,
    /// The loop header (`for x in items`), or the adapter call for a per-item closure.
    pub header: Span,
}

#[derive(Debug, Clone)]
enum Frame {
    Fn { is_async: bool },
    AsyncBlock,
    Closure { is_async: bool, role: ClosureRole },
    Loop(LoopInfo),
}

impl Frame {
    fn is_body(&self) -> bool {
        !matches!(self, Frame::Loop(_))
    }
}

/// How a guard was acquired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// `lock()`.
    Lock,
    /// `read()`.
    Read,
    /// `write()`.
    Write,
}

/// A lock guard bound by `let` and still alive at the current point of the walk.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The binding holding the guard.
    pub name: String,
    /// The lock's identity: its receiver path (`self.accounts`, `m`), when it is a plain path.
    pub lock: Option<String>,
    /// The lock's family, when its declaration is visible; `Async` when the lock was awaited.
    pub flavor: Option<LockFlavor>,
    /// How it was taken.
    pub mode: LockMode,
    /// The acquisition (`m.lock()`), for secondary labels.
    pub taken: Span,
    block_depth: usize,
    body: usize,
}

impl Guard {
    /// Whether holding this guard blocks other threads (not an awaited async lock).
    pub fn is_blocking(&self) -> bool {
        self.flavor.is_none_or(LockFlavor::is_blocking)
    }
}

/// The context of the current point of the walk, read by rules.
pub struct Context<'f> {
    /// The file being linted.
    pub file: &'f SourceFile,
    options: &'f Options,
    imports: Imports,
    frames: Vec<Frame>,
    guards: Vec<Guard>,
    scope_handles: Vec<(String, ScopeKind)>,
    lock_decls: HashMap<String, LockFlavor>,
    core_count_locals: Vec<String>,
    /// Locals bound to a literal collection or a chain over a range (`let w = vec![a, b]`,
    /// `let workers: Vec<_> = (0..n).map(..).collect()`), with the trip count of a loop over them.
    local_counts: Vec<(String, TripCount)>,
    test_depth: usize,
    value_roots: Vec<(String, Option<CanonicalPath>)>,
    /// Whether the file is under a `tests/` or `benches/` folder (computed once: rules ask
    /// per node).
    in_tests_dir: bool,
    block_depth: usize,
    uses_tokio: std::cell::OnceCell<bool>,
    locks: LockScope,
}

impl<'f> Context<'f> {
    fn new(file: &'f SourceFile, options: &'f Options) -> Self {
        Context {
            file,
            options,
            imports: Imports::default(),
            frames: Vec::new(),
            guards: Vec::new(),
            scope_handles: Vec::new(),
            lock_decls: HashMap::new(),
            core_count_locals: Vec::new(),
            local_counts: Vec::new(),
            test_depth: 0,
            value_roots: Vec::new(),
            in_tests_dir: file
                .path
                .components()
                .any(|c| c.as_os_str() == "tests" || c.as_os_str() == "benches"),
            block_depth: 0,
            uses_tokio: std::cell::OnceCell::new(),
            locks: LockScope::default(),
        }
    }

    /// The run's options: enabled rules and configured rule options.
    pub fn options(&self) -> &Options {
        self.options
    }

    /// Resolves a syn span to a diagnostic span in this file.
    pub fn span(&self, span: SynSpan) -> Span {
        Span::from_syn(self.file, span)
    }

    /// Starts a warning for `rule` on `node`.
    pub fn diagnostic(
        &self,
        rule: &'static str,
        node: &impl Spanned,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(
            rule,
            self.file.path.clone(),
            self.span(node.span()),
            message,
        )
    }

    /// Resolves a path written in code to its canonical form.
    pub fn resolve(&self, path: &syn::Path) -> CanonicalPath {
        self.imports.resolve(path)
    }

    /// What the callee of a call expression is, if the catalog knows it.
    pub fn call_api(&self, func: &Expr) -> Option<Api> {
        let Expr::Path(path) = func else { return None };
        let settings = &self.options.settings;
        let configured = !settings.blocking_functions.is_empty() || !settings.lock_types.is_empty();
        if !configured && !self.may_name_catalog_path(&path.path) {
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
        let settings = &self.options.settings;
        if settings.blocking_functions.is_empty() && settings.lock_types.is_empty() {
            return None;
        }
        let joined = path.join("::");
        if settings.blocking_functions.contains(&joined) {
            return Some(Api::Blocking(catalog::Blocking::Wait));
        }
        let owner = joined.rsplit_once("::").map(|(owner, _)| owner)?;
        settings
            .lock_types
            .iter()
            .any(|t| t == owner)
            .then_some(Api::LockType(LockFlavor::Std))
    }

    /// The canonical path of a call's callee, when it is a path.
    pub fn call_path(&self, func: &Expr) -> Option<CanonicalPath> {
        let Expr::Path(path) = func else { return None };
        Some(self.resolve(&path.path))
    }

    /// What a method call is: by its chain's root call (`Builder::new().spawn(..)`), by a scope
    /// handle receiver (`s.spawn(..)` inside `thread::scope`), or by an unambiguous name.
    pub fn method_api(&self, call: &ExprMethodCall) -> Option<Api> {
        let method = call.method.to_string();
        debug_assert!(
            catalog::may_lookup_method(&method)
                || self
                    .chain_root_path(&call.receiver)
                    .is_none_or(|root| catalog::lookup_method(&root, &method).is_none()),
            "catalog::may_lookup_method is out of date"
        );
        if catalog::may_lookup_method(&method)
            && let Some(root) = self.chain_root_path(&call.receiver)
            && let Some(api) = catalog::lookup_method(&root, &method)
        {
            return Some(api);
        }
        if matches!(method.as_str(), "spawn" | "spawn_fifo")
            && let Some(kind) = path_ident(&call.receiver).and_then(|id| self.scope_handle(&id))
        {
            return Some(match kind {
                ScopeKind::Thread => Api::ThreadSpawn,
                ScopeKind::Rayon => Api::RayonSpawn,
            });
        }
        catalog::lookup_method_name(&method)
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

    /// Whether the current code is test code: inside a `#[test]` function (any `*::test`
    /// attribute), a `#[cfg(test)]` item, or a file under a `tests/` or `benches/` folder
    /// (benchmarks fix thread counts and spawn helper threads on purpose, like tests).
    pub fn in_test_code(&self) -> bool {
        self.test_depth > 0 || self.in_tests_dir
    }

    /// The source text of a syn span.
    pub fn text(&self, span: SynSpan) -> &str {
        let span = self.span(span);
        self.file
            .text
            .get(span.start.byte..span.end.byte)
            .unwrap_or("")
    }

    /// Whether the file uses tokio anywhere (a fix may then rely on it being a dependency).
    pub fn file_uses_tokio(&self) -> bool {
        *self
            .uses_tokio
            .get_or_init(|| self.file.text.contains("tokio"))
    }

    /// Where the current code runs.
    pub fn exec(&self) -> Exec {
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::Loop(_) => {}
                Frame::Fn { is_async } | Frame::Closure { is_async, .. } if *is_async => {
                    return Exec::Async;
                }
                Frame::Fn { .. } => return Exec::Sync,
                Frame::AsyncBlock => return Exec::Async,
                Frame::Closure { role, .. } => match role {
                    ClosureRole::Inline | ClosureRole::ScopeBody(_) => {}
                    ClosureRole::Thread => return Exec::Thread,
                    ClosureRole::BlockingPool => return Exec::BlockingPool,
                    ClosureRole::Rayon => return Exec::Rayon,
                    ClosureRole::Opaque => return Exec::Unknown,
                },
            }
        }
        Exec::Sync
    }

    /// Whether the current code runs on an async executor.
    pub fn in_async(&self) -> bool {
        self.exec() == Exec::Async
    }

    /// Whether the innermost body is a closure that is not itself async (a fix that adds
    /// `.await` there would not compile).
    pub fn in_sync_closure(&self) -> bool {
        matches!(
            self.frames.iter().rev().find(|f| f.is_body()),
            Some(Frame::Closure {
                is_async: false,
                ..
            })
        )
    }

    /// The loops around the current point within the current function, innermost first.
    /// Per-item closures of iterator adapters count as loops.
    pub fn loops(&self) -> impl Iterator<Item = &LoopInfo> {
        self.frames
            .iter()
            .rev()
            .take_while(|f| !matches!(f, Frame::Fn { .. } | Frame::AsyncBlock))
            .take_while(|f| {
                !matches!(
                    f,
                    Frame::Closure {
                        role: ClosureRole::Thread
                            | ClosureRole::BlockingPool
                            | ClosureRole::Rayon
                            | ClosureRole::Opaque,
                        ..
                    }
                )
            })
            .filter_map(|f| match f {
                Frame::Loop(info) => Some(info),
                _ => None,
            })
    }

    /// Guards alive at this point that were taken in the current function or closure body.
    pub fn live_guards(&self) -> impl Iterator<Item = &Guard> {
        let body = self.current_body();
        self.guards.iter().filter(move |g| g.body == body)
    }

    fn current_body(&self) -> usize {
        self.frames
            .iter()
            .rposition(Frame::is_body)
            .map_or(0, |i| i + 1)
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

    /// Whether an expression's value is derived from the number of cores or a constant item
    /// (`available_parallelism()`, `num_cpus::get()`, a local bound from one, `WORKERS`).
    pub fn is_fixed_count(&self, expr: &Expr) -> bool {
        let mut finder = FixedCountFinder {
            cx: self,
            found: false,
        };
        finder.visit_expr(expr);
        finder.found
    }

    /// Classifies how many times a loop over `iterable` runs.
    pub fn trip_count(&self, iterable: &Expr) -> TripCount {
        match strip(iterable) {
            Expr::Range(range) => {
                let (Some(start), Some(end)) = (&range.start, &range.end) else {
                    return TripCount::Unknown;
                };
                if let (Some(a), Some(b)) = (int_literal(start), int_literal(end)) {
                    let inclusive = matches!(range.limits, syn::RangeLimits::Closed(_));
                    return TripCount::Constant(b.saturating_sub(a) + u128::from(inclusive));
                }
                if self.is_fixed_count(end) {
                    TripCount::Fixed
                } else if mentions_len(end) {
                    TripCount::PerItem
                } else {
                    TripCount::Unknown
                }
            }
            Expr::Array(array) => TripCount::Constant(array.elems.len() as u128),
            Expr::Macro(mac) => match macros::vec_literal_len(&mac.mac) {
                Some(len) => TripCount::Constant(len as u128),
                None => TripCount::Unknown,
            },
            Expr::Path(path) => {
                let name = path
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                if let Some((_, count)) = self.local_counts.iter().rev().find(|(n, _)| *n == name) {
                    *count
                } else if is_constant_name(&name) || names_workers(&name) {
                    TripCount::Fixed
                } else {
                    TripCount::PerItem
                }
            }
            Expr::Field(_) => TripCount::PerItem,
            Expr::MethodCall(call) => self.method_trip_count(call),
            _ => TripCount::Unknown,
        }
    }

    fn method_trip_count(&self, call: &ExprMethodCall) -> TripCount {
        let method = call.method.to_string();
        match method.as_str() {
            "chunks" | "chunks_mut" | "chunks_exact" | "par_chunks" => {
                match call
                    .args
                    .first()
                    .map(|a| self.is_fixed_count(a) || mentions_len(a))
                {
                    Some(true) => TripCount::Fixed,
                    _ => match self.trip_count(&call.receiver) {
                        TripCount::PerItem if call.args.first().and_then(int_literal).is_some() => {
                            TripCount::PerItem
                        }
                        TripCount::Constant(n) => TripCount::Constant(n),
                        _ => TripCount::Unknown,
                    },
                }
            }
            "iter" | "into_iter" | "iter_mut" | "enumerate" | "zip" | "skip" | "rev" | "cloned"
            | "copied" | "drain" | "filter" | "map" | "values" | "keys" | "values_mut"
            | "lines" | "split_whitespace" | "chars" | "bytes" | "by_ref" | "peekable" => {
                match strip(&call.receiver) {
                    Expr::Path(_)
                    | Expr::Field(_)
                    | Expr::MethodCall(_)
                    | Expr::Range(_)
                    | Expr::Array(_)
                    | Expr::Macro(_) => self.trip_count(&call.receiver),
                    Expr::Try(_) | Expr::Call(_) if method == "lines" => TripCount::PerItem,
                    _ => TripCount::Unknown,
                }
            }
            "take" => match call.args.first().and_then(int_literal) {
                Some(n) => TripCount::Constant(n),
                None => TripCount::Unknown,
            },
            _ => TripCount::Unknown,
        }
    }
}

/// Descends a method chain to the expression it starts from, through method calls, `?`,
/// `.await`, parentheses and references.
pub fn chain_root(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::MethodCall(call) => &call.receiver,
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Paren(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            _ => return expr,
        }
    }
}

/// Walks a method chain down from `link`, pushing every method call met (outermost first) and
/// passing through `?`, `.await` and parentheses; returns the expression the chain starts from.
pub fn chain_links<'e>(mut link: &'e Expr, calls: &mut Vec<&'e ExprMethodCall>) -> &'e Expr {
    loop {
        link = match link {
            Expr::MethodCall(call) => {
                calls.push(call);
                &call.receiver
            }
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Paren(e) => &e.expr,
            _ => return link,
        };
    }
}

/// Strips parentheses, references and groups.
pub fn strip(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            Expr::Group(e) => &e.expr,
            _ => return expr,
        }
    }
}

/// The single identifier of a path expression (`tx`), if it is one.
pub fn path_ident(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

/// A lock's identity as a dotted path of plain names (`self.accounts`, `m`, `STATE`), or `None`
/// when the receiver is anything else (an index, a call): identity is then unclear.
pub fn place_key(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) if p.qself.is_none() => Some(
            p.path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::"),
        ),
        Expr::Field(field) => {
            let base = place_key(&field.base)?;
            let member = match &field.member {
                syn::Member::Named(ident) => ident.to_string(),
                syn::Member::Unnamed(index) => index.index.to_string(),
            };
            Some(format!("{base}.{member}"))
        }
        _ => None,
    }
}

/// An unsuffixed or suffixed integer literal's value.
pub fn int_literal(expr: &Expr) -> Option<u128> {
    match strip(expr) {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        _ => None,
    }
}

/// Whether a name follows the naming of constant items (`WORKERS`, `MAX_THREADS`).
fn is_constant_name(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether a collection's name says it holds one entry per worker (`workers`, `thread_states`):
/// a loop over it runs once per worker, not once per input item.
fn names_workers(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["worker", "thread", "core", "cpu"]
        .iter()
        .any(|w| name.contains(w))
}

/// The trip count of a loop over a local bound to `init`, when `init` is a literal collection
/// or a chain starting from a range or literal (so the local is not input data).
fn local_trip_count(cx: &Context<'_>, init: &Expr) -> Option<TripCount> {
    match strip(chain_root(init)) {
        root @ (Expr::Array(_) | Expr::Range(_) | Expr::Macro(_)) => match cx.trip_count(root) {
            TripCount::PerItem => None,
            count => Some(count),
        },
        _ => None,
    }
}

fn mentions_len(expr: &Expr) -> bool {
    struct LenFinder(bool);
    impl Visit<'_> for LenFinder {
        fn visit_expr_method_call(&mut self, call: &ExprMethodCall) {
            self.0 |= call.method == "len";
            visit::visit_expr_method_call(self, call);
        }
    }
    let mut finder = LenFinder(false);
    finder.visit_expr(expr);
    finder.0
}

struct FixedCountFinder<'c, 'f> {
    cx: &'c Context<'f>,
    found: bool,
}

impl Visit<'_> for FixedCountFinder<'_, '_> {
    fn visit_expr_call(&mut self, call: &syn::ExprCall) {
        self.found |= self.cx.call_api(&call.func) == Some(Api::CoreCount);
        visit::visit_expr_call(self, call);
    }
    fn visit_expr_path(&mut self, path: &syn::ExprPath) {
        if let Some(last) = path.path.segments.last() {
            let name = last.ident.to_string();
            self.found |= is_constant_name(&name) || self.cx.core_count_locals.contains(&name);
        }
    }
}

/// A lock acquisition at the end of a `let` initializer: `m.lock()`, `m.lock().unwrap()`,
/// `m.write().expect(..)`, `m.lock()?`, `m.lock().map_err(..)?`, `m.lock().await`.
pub struct Acquisition<'e> {
    /// The `.lock()`/`.read()`/`.write()` call.
    pub call: &'e ExprMethodCall,
    /// Which method it was.
    pub mode: LockMode,
    /// Whether the acquisition was awaited (an async lock).
    pub awaited: bool,
}

/// Recognises an expression whose value is a lock guard (not a temporary used further).
pub fn lock_acquisition(expr: &Expr) -> Option<Acquisition<'_>> {
    let mut awaited = false;
    let mut expr = expr;
    loop {
        match expr {
            Expr::Try(e) => expr = &e.expr,
            Expr::Paren(e) => expr = &e.expr,
            Expr::Await(e) => {
                awaited = true;
                expr = &e.base;
            }
            Expr::MethodCall(call)
                if matches!(
                    call.method.to_string().as_str(),
                    "unwrap" | "expect" | "unwrap_or_else" | "unwrap_or_default" | "map_err"
                ) =>
            {
                expr = &call.receiver;
            }
            Expr::MethodCall(call) if call.args.is_empty() => {
                let mode = match call.method.to_string().as_str() {
                    "lock" => LockMode::Lock,
                    "read" => LockMode::Read,
                    "write" => LockMode::Write,
                    _ => return None,
                };
                if is_stdio(&call.receiver) {
                    return None;
                }
                return Some(Acquisition {
                    call,
                    mode,
                    awaited,
                });
            }
            _ => return None,
        }
    }
}

fn is_stdio(expr: &Expr) -> bool {
    let Expr::Call(call) = strip(expr) else {
        return false;
    };
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    path.path
        .segments
        .last()
        .is_some_and(|s| matches!(s.ident.to_string().as_str(), "stdout" | "stderr" | "stdin"))
}

/// The walk: visits a file once, maintains the [`Context`] and dispatches nodes to rules.
pub struct Walker<'f, 'r> {
    cx: Context<'f>,
    rules: &'r mut [Box<dyn Rule>],
    out: Vec<Diagnostic>,
    pending_role: Option<ClosureRole>,
}

impl<'f, 'r> Walker<'f, 'r> {
    /// Walks `ast`, running `rules`, and returns their findings.
    pub fn run(
        file: &'f SourceFile,
        ast: &syn::File,
        rules: &'r mut [Box<dyn Rule>],
        options: &'f Options,
    ) -> Vec<Diagnostic> {
        let mut walker = Walker {
            cx: Context::new(file, options),
            rules,
            out: Vec::new(),
            pending_role: None,
        };
        walker.cx.imports.push_items(&ast.items);
        collect_lock_decls(&walker.cx.imports, &ast.items, &mut walker.cx.lock_decls);
        walker.cx.locks.collect_static_muts(&ast.items);
        walker.visit_file(ast);
        walker.cx.imports.pop();
        for rule in walker.rules.iter_mut() {
            rule.finish(&walker.cx, &mut walker.out);
        }
        walker.out
    }

    fn with_frame(&mut self, frame: Frame, f: impl FnOnce(&mut Self)) {
        let depth = self.cx.frames.len();
        self.cx.frames.push(frame);
        f(self);
        self.cx.frames.pop();
        debug_assert_eq!(self.cx.frames.len(), depth, "frame stack out of balance");
    }

    fn in_test_if(&mut self, is_test: bool, f: impl FnOnce(&mut Self)) {
        self.cx.test_depth += usize::from(is_test);
        f(self);
        self.cx.test_depth -= usize::from(is_test);
    }

    fn with_core_locals(&mut self, f: impl FnOnce(&mut Self)) {
        let saved = std::mem::take(&mut self.cx.core_count_locals);
        let saved_counts = std::mem::take(&mut self.cx.local_counts);
        let saved_roots = std::mem::take(&mut self.cx.value_roots);
        f(self);
        self.cx.core_count_locals = saved;
        self.cx.local_counts = saved_counts;
        self.cx.value_roots = saved_roots;
    }

    fn visit_fn(&mut self, is_async: bool, f: impl FnOnce(&mut Self)) {
        let saved = self.cx.locks.enter_fn();
        self.with_core_locals(|w| w.with_frame(Frame::Fn { is_async }, f));
        self.cx.locks.exit_fn(saved);
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
        for rule in self.rules.iter_mut() {
            rule.check_expr(&self.cx, expr, &mut self.out);
        }
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
        if let Some(i) = self.cx.guards.iter().rposition(|g| g.name == name) {
            self.cx.guards.remove(i);
        }
    }
}

/// The role a call with this known callee gives its closure arguments.
fn role_for_call(api: Option<Api>) -> ClosureRole {
    match api {
        Some(Api::ThreadSpawn) => ClosureRole::Thread,
        Some(Api::BlockingHandoff) => ClosureRole::BlockingPool,
        Some(Api::RayonSpawn | Api::RayonJoin) => ClosureRole::Rayon,
        Some(Api::ThreadScope) => ClosureRole::ScopeBody(ScopeKind::Thread),
        Some(Api::RayonScope) => ClosureRole::ScopeBody(ScopeKind::Rayon),
        _ => ClosureRole::Opaque,
    }
}

impl Context<'_> {
    /// The role a call or method call gives the closures passed to it: `thread::spawn(f)`
    /// runs `f` on a new thread, `items.par_iter().for_each(f)` on rayon's pool,
    /// `v.iter().map(f)` inline. `None` for anything but a call.
    pub fn closure_role(&self, expr: &Expr) -> Option<ClosureRole> {
        match expr {
            Expr::Call(call) => Some(role_for_call(self.call_api(&call.func))),
            Expr::MethodCall(call) => Some(self.role_for_method(call)),
            _ => None,
        }
    }

    fn role_for_method(&self, call: &ExprMethodCall) -> ClosureRole {
        let method = call.method.to_string();
        match self.method_api(call) {
            Some(api @ (Api::ThreadSpawn | Api::BlockingHandoff | Api::RayonSpawn)) => {
                return role_for_call(Some(api));
            }
            Some(_) => return ClosureRole::Opaque,
            None => {}
        }
        let inline = catalog::INLINE_CLOSURE_METHODS.contains(&method.as_str());
        if method == "install" || (inline && in_rayon_chain(&call.receiver)) {
            return ClosureRole::Rayon;
        }
        if inline {
            ClosureRole::Inline
        } else {
            ClosureRole::Opaque
        }
    }
}

fn in_rayon_chain(mut expr: &Expr) -> bool {
    while let Expr::MethodCall(call) = expr {
        if catalog::RAYON_ITER_METHODS.contains(&call.method.to_string().as_str()) {
            return true;
        }
        expr = &call.receiver;
    }
    false
}

/// Records the lock flavor of struct fields and statics by name, from their declared types.
fn collect_lock_decls(
    imports: &Imports,
    items: &[syn::Item],
    decls: &mut HashMap<String, LockFlavor>,
) {
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                for field in &s.fields {
                    if let (Some(name), Some(flavor)) =
                        (&field.ident, type_lock_flavor(imports, &field.ty))
                    {
                        decls.insert(name.to_string(), flavor);
                    }
                }
            }
            syn::Item::Static(s) => {
                if let Some(flavor) = type_lock_flavor(imports, &s.ty) {
                    decls.insert(s.ident.to_string(), flavor);
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_lock_decls(imports, items, decls);
                }
            }
            _ => {}
        }
    }
}

/// The flavor of the first lock type found in a type, looking through `Arc<..>` and friends.
pub fn type_lock_flavor(imports: &Imports, ty: &syn::Type) -> Option<LockFlavor> {
    struct TypeFinder<'i> {
        imports: &'i Imports,
        found: Option<LockFlavor>,
    }
    impl Visit<'_> for TypeFinder<'_> {
        fn visit_type_path(&mut self, ty: &syn::TypePath) {
            if self.found.is_none() {
                // Most type paths (`Vec`, `Option`, `Self`) cannot name a lock type: skip
                // resolving them.
                let may_name = may_name_catalog_path(self.imports, &ty.path);
                debug_assert!(
                    may_name || catalog::lookup(&self.imports.resolve(&ty.path)).is_none(),
                    "catalog::may_lookup is out of date"
                );
                if may_name
                    && let Some(Api::LockType(flavor)) =
                        catalog::lookup(&self.imports.resolve(&ty.path))
                {
                    self.found = Some(flavor);
                    return;
                }
                visit::visit_type_path(self, ty);
            }
        }
    }
    let mut finder = TypeFinder {
        imports,
        found: None,
    };
    finder.visit_type(ty);
    finder.found
}

/// The flavor of the first lock constructor in an initializer (`Arc::new(Mutex::new(0))`).
fn init_lock_flavor(cx: &Context<'_>, expr: &Expr) -> Option<LockFlavor> {
    struct CtorFinder<'c, 'f> {
        cx: &'c Context<'f>,
        found: Option<LockFlavor>,
    }
    impl Visit<'_> for CtorFinder<'_, '_> {
        fn visit_expr_call(&mut self, call: &syn::ExprCall) {
            if let Some(Api::LockType(flavor)) = self.cx.call_api(&call.func) {
                self.found.get_or_insert(flavor);
            }
            visit::visit_expr_call(self, call);
        }
    }
    let mut finder = CtorFinder { cx, found: None };
    finder.visit_expr(expr);
    finder.found
}

/// Whether an item is test code: `#[test]`, `#[tokio::test]` and friends, or `#[cfg(test)]`.
fn is_test_item(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        if path.segments.last().is_some_and(|s| s.ident == "test") {
            return true;
        }
        path.is_ident("cfg")
            && attr
                .parse_args::<syn::Meta>()
                .is_ok_and(|meta| cfg_requires_test(&meta))
    })
}

/// Whether a `cfg` predicate only holds in test builds: `test`, or `all(test, ..)`.
fn cfg_requires_test(meta: &syn::Meta) -> bool {
    match meta {
        syn::Meta::Path(path) => path.is_ident("test"),
        syn::Meta::List(list) if list.path.is_ident("all") => list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|items| items.iter().any(cfg_requires_test)),
        _ => false,
    }
}

fn binding_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(p) => Some(p.ident.to_string()),
        Pat::Type(p) => binding_name(&p.pat),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for Walker<'_, '_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.in_test_if(is_test_item(&item.attrs), |w| {
            w.visit_fn(item.sig.asyncness.is_some(), |w| {
                visit::visit_item_fn(w, item)
            });
        });
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.visit_fn(item.sig.asyncness.is_some(), |w| {
            visit::visit_impl_item_fn(w, item)
        });
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.visit_fn(item.sig.asyncness.is_some(), |w| {
            visit::visit_trait_item_fn(w, item)
        });
    }

    fn visit_signature(&mut self, sig: &'ast syn::Signature) {
        self.cx.locks.name_fn(&sig.ident);
        for input in &sig.inputs {
            let syn::FnArg::Typed(param) = input else {
                continue;
            };
            let flavor = type_lock_flavor(&self.cx.imports, &param.ty);
            if let (Some(name), Some(flavor)) = (binding_name(&param.pat), flavor) {
                self.cx.lock_decls.insert(name, flavor);
            }
        }
        visit::visit_signature(self, sig);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        self.cx
            .locks
            .enter_impl(crate::locks::type_name(&item.self_ty));
        visit::visit_item_impl(self, item);
        self.cx.locks.exit_impl();
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let Some((_, items)) = &item.content else {
            return;
        };
        self.cx.imports.push_items(items);
        self.in_test_if(is_test_item(&item.attrs), |w| {
            visit::visit_item_mod(w, item)
        });
        self.cx.imports.pop();
    }

    fn visit_block(&mut self, block: &'ast Block) {
        let has_imports = Imports::block_has_imports(&block.stmts);
        if has_imports {
            self.cx.imports.push_block(&block.stmts);
        }
        self.cx.block_depth += 1;
        for rule in self.rules.iter_mut() {
            rule.check_block(&self.cx, block, &mut self.out);
        }
        visit::visit_block(self, block);
        let depth = self.cx.block_depth;
        self.cx.guards.retain(|g| g.block_depth < depth);
        self.cx.block_depth -= 1;
        if has_imports {
            self.cx.imports.pop();
        }
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        for rule in self.rules.iter_mut() {
            rule.check_item(&self.cx, item, &mut self.out);
        }
        visit::visit_item(self, item);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        for rule in self.rules.iter_mut() {
            rule.check_stmt(&self.cx, stmt, &mut self.out);
        }
        visit::visit_stmt(self, stmt);
    }

    fn visit_local(&mut self, local: &'ast Local) {
        for rule in self.rules.iter_mut() {
            rule.check_local(&self.cx, local, &mut self.out);
        }
        visit::visit_local(self, local);
        // A standard stream's lock (`stdin.lock()`) serialises access to the stream, which the
        // program does on purpose; it is not state shared between workers (and stdout's and
        // stderr's are re-entrant). Decided before this `let` shadows the handle's name
        // (`let stdin = stdin.lock()`).
        let acquisition = local
            .init
            .as_ref()
            .and_then(|init| lock_acquisition(&init.expr))
            .filter(|acq| !self.cx.is_stdio_handle(&acq.call.receiver));
        self.cx.record_value_roots(local);
        let (Some(name), Some(init)) = (binding_name(&local.pat), &local.init) else {
            return;
        };
        if self.cx.is_fixed_count(&init.expr) {
            self.cx.core_count_locals.push(name.clone());
        }
        if let Some(count) = local_trip_count(&self.cx, &init.expr) {
            self.cx.local_counts.push((name.clone(), count));
        }
        if let Some(flavor) = init_lock_flavor(&self.cx, &init.expr) {
            self.cx.lock_decls.insert(name.clone(), flavor);
        }
        if let Some(source) = crate::locks::clone_source(&self.cx, &init.expr) {
            self.cx.locks.add_alias(name.clone(), source);
        }
        if init.diverge.is_some() || name == "_" {
            return;
        }
        let Some(acq) = acquisition else {
            return;
        };
        let lock = place_key(&acq.call.receiver);
        let flavor = if acq.awaited {
            Some(LockFlavor::Async)
        } else {
            lock.as_deref().and_then(|l| self.cx.lock_flavor(l))
        };
        let guard = Guard {
            name,
            lock,
            flavor,
            mode: acq.mode,
            taken: Span::join(
                self.cx.span(acq.call.receiver.span()),
                self.cx.span(acq.call.paren_token.span.close()),
            ),
            block_depth: self.cx.block_depth,
            body: self.cx.current_body(),
        };
        self.cx.guards.push(guard);
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
    }

    fn visit_expr_async(&mut self, block: &'ast syn::ExprAsync) {
        self.with_frame(Frame::AsyncBlock, |w| visit::visit_expr_async(w, block));
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        self.visit_expr(&call.func);
        let api = self.cx.call_api(&call.func);
        let role = role_for_call(api);
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
        self.visit_expr(&call.receiver);
        let role = self.cx.role_for_method(call);
        if role == ClosureRole::Inline
            && catalog::PER_ITEM_METHODS.contains(&call.method.to_string().as_str())
        {
            let info = LoopInfo {
                kind: LoopKind::PerItemClosure,
                trips: self.cx.trip_count(&call.receiver),
                header: self.cx.span(call.method.span()),
            };
            self.with_frame(Frame::Loop(info), |w| {
                for arg in &call.args {
                    w.visit_arg(arg, role);
                }
            });
        } else {
            for arg in &call.args {
                self.visit_arg(arg, role);
            }
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
                self.cx.span(crate::spans::span(&*expr.expr)),
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
                self.cx.span(crate::spans::span(&*expr.cond)),
            ),
        };
        self.with_frame(Frame::Loop(info), |w| visit::visit_expr_while(w, expr));
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
        for expr in macros::parse_args(mac) {
            self.visit_expr(&expr);
        }
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        self.visit_fn(false, |w| visit::visit_item_const(w, item));
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        self.visit_fn(false, |w| visit::visit_item_static(w, item));
    }
}

impl Walker<'_, '_> {
    fn visit_closure(&mut self, closure: &ExprClosure, role: ClosureRole) {
        let frame = Frame::Closure {
            is_async: closure.asyncness.is_some(),
            role,
        };
        let handle = match (role, closure.inputs.first().and_then(binding_name)) {
            (ClosureRole::ScopeBody(kind), Some(name)) => Some((name, kind)),
            _ => None,
        };
        let pushed = handle.is_some();
        if let Some(handle) = handle {
            self.cx.scope_handles.push(handle);
        }
        self.with_frame(frame, |w| visit::visit_expr_closure(w, closure));
        if pushed {
            self.cx.scope_handles.pop();
        }
    }
}

/// Strips `?`, `.unwrap()`, `.expect(..)` and parentheses from the end of an expression:
/// `Builder::new().spawn(f).unwrap()` → `Builder::new().spawn(f)`.
pub fn unwrapped(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Try(e) => &e.expr,
            Expr::Paren(e) => &e.expr,
            Expr::MethodCall(call)
                if matches!(call.method.to_string().as_str(), "unwrap" | "expect") =>
            {
                &call.receiver
            }
            _ => return expr,
        }
    }
}

/// The span naming a call: the callee path of a call, the method name of a method call.
pub fn callee_span(expr: &Expr) -> SynSpan {
    match expr {
        Expr::Call(call) => call.func.span(),
        Expr::MethodCall(call) => call.method.span(),
        other => other.span(),
    }
}

// --- async runtime misuse, threads and pools ---

impl Context<'_> {
    /// Remembers which call the value of each name bound by `local` comes from, so that
    /// methods called on the name later resolve like methods on the call itself. Every name
    /// bound gets an entry (unknown values shadow known ones of the same name).
    fn record_value_roots(&mut self, local: &Local) {
        let root = local
            .init
            .as_ref()
            .and_then(|init| match chain_root(&init.expr) {
                Expr::Call(call) => self.call_path(&call.func),
                _ => None,
            });
        let mut names = Vec::new();
        bound_names(&local.pat, &mut names);
        for name in names {
            self.value_roots.push((name, root.clone()));
        }
    }

    /// Whether `expr` is a standard stream handle: `io::stdin()`, `stdout()`, `stderr()`, or a
    /// local bound to one.
    fn is_stdio_handle(&self, expr: &Expr) -> bool {
        let path = match strip(expr) {
            Expr::Call(call) => self.call_path(&call.func),
            other => path_ident(other).and_then(|name| self.value_root(&name)),
        };
        path.is_some_and(|p| {
            matches!(
                p.join("::").as_str(),
                "std::io::stdin" | "std::io::stdout" | "std::io::stderr"
            )
        })
    }

    fn value_root(&self, name: &str) -> Option<CanonicalPath> {
        let (_, root) = self.value_roots.iter().rev().find(|(n, _)| n == name)?;
        root.clone()
    }

    /// The kind of blocking `expr` does, if it is a blocking call the catalog knows. A method
    /// whose chain starts from a blocking call (`File::open(p)?.read_to_end(..)`, or `f.read(..)`
    /// after `let f = File::open(p)?`) answers `None`: the root call is the one to report.
    pub fn blocking_call(&self, expr: &Expr) -> Option<Blocking> {
        let Some(Api::Blocking(kind)) = self.api(expr) else {
            return None;
        };
        if let Expr::MethodCall(call) = expr
            && let Some(root) = self.chain_root_path(&call.receiver)
            && matches!(catalog::lookup(&root), Some(Api::Blocking(_)))
        {
            return None;
        }
        Some(kind)
    }
}

/// The names a pattern binds (`(tx, rx)` binds `tx` and `rx`).
fn bound_names(pat: &Pat, names: &mut Vec<String>) {
    match pat {
        Pat::Ident(p) => names.push(p.ident.to_string()),
        Pat::Type(p) => bound_names(&p.pat, names),
        Pat::Tuple(t) => t.elems.iter().for_each(|p| bound_names(p, names)),
        Pat::Reference(r) => bound_names(&r.pat, names),
        _ => {}
    }
}

/// Whether `expr` awaits anywhere in the code it runs inline (not counting async blocks and
/// closures it only creates).
pub fn awaits_inline(expr: &Expr) -> bool {
    struct AwaitFinder(bool);
    impl Visit<'_> for AwaitFinder {
        fn visit_expr_await(&mut self, _: &syn::ExprAwait) {
            self.0 = true;
        }
        fn visit_expr_async(&mut self, _: &syn::ExprAsync) {}
        fn visit_expr_closure(&mut self, _: &ExprClosure) {}
        fn visit_item(&mut self, _: &syn::Item) {}
        fn visit_macro(&mut self, mac: &syn::Macro) {
            // `select!`, `join!` and macros concur cannot parse may await their operands.
            let name = mac
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            let args = macros::parse_args(mac);
            self.0 |= matches!(
                name.as_str(),
                "join" | "try_join" | "select" | "select_biased" | "pending"
            ) || args.is_empty()
                || args.iter().any(awaits_inline);
        }
    }
    let mut finder = AwaitFinder(false);
    finder.visit_expr(expr);
    finder.0
}

// --- threads ---

/// Whether code sends on a channel (`tx.send(..)`, `try_send`, `send_blocking`): a thread whose
/// body does reports its results, and its end, through the channel rather than its handle.
pub fn sends_on_channel(expr: &Expr) -> bool {
    struct SendFinder(bool);
    impl Visit<'_> for SendFinder {
        fn visit_expr_method_call(&mut self, call: &ExprMethodCall) {
            self.0 |= matches!(
                call.method.to_string().as_str(),
                "send" | "try_send" | "send_blocking"
            );
            visit::visit_expr_method_call(self, call);
        }
    }
    let mut finder = SendFinder(false);
    finder.visit_expr(expr);
    finder.0
}

// --- locks and shared state ---

impl Context<'_> {
    /// Lock identity at the current point of the walk (clone aliases, function, impl).
    pub fn locks(&self) -> &LockScope {
        &self.locks
    }
}

// --- perf (issue 10) ---

impl Context<'_> {
    /// Exact fast rejection before resolving a path for [`catalog::lookup`]: resolution keeps
    /// the written last segment (imports and globs rewrite the front, normalisation only the
    /// first segments), except for a single segment that is an imported name. `false` means
    /// `catalog::lookup(&self.resolve(path))` is `None`.
    fn may_name_catalog_path(&self, path: &syn::Path) -> bool {
        may_name_catalog_path(&self.imports, path)
    }
}

/// [`Context::may_name_catalog_path`] for code that holds only the imports.
fn may_name_catalog_path(imports: &Imports, path: &syn::Path) -> bool {
    let Some(last) = path.segments.last() else {
        return false;
    };
    let last = last.ident.to_string();
    catalog::may_lookup(&last)
        || (path.segments.len() == 1 && path.leading_colon.is_none() && imports.is_imported(&last))
}

// --- fixes (issue 8) ---

impl Context<'_> {
    /// A suggestion with one edit: the source text of `node` replaced by `replacement`.
    pub fn replace_with(
        &self,
        node: &impl Spanned,
        replacement: impl Into<String>,
        message: impl Into<String>,
        applicability: crate::diagnostic::Applicability,
    ) -> crate::diagnostic::Suggestion {
        crate::diagnostic::Suggestion {
            message: message.into(),
            edits: vec![crate::diagnostic::Edit {
                span: self.span(node.span()),
                replacement: replacement.into(),
            }],
            applicability,
        }
    }
}
