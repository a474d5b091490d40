//! Lock identity and lock acquisitions, shared by the lock rules.
//!
//! Identity is syntactic: the same place expression (`self.accounts`, `m`, `STATE`) is the same
//! lock, and a local bound from `Arc::clone(&m)` or `m.clone()` is another name for `m` within
//! its function. Where identity is unclear (an index, a call result) a lock has no identity and
//! rules stay silent. The walk keeps the facts this needs in a [`LockScope`].

use syn::{Expr, ExprMethodCall};

use crate::analysis::facts::Facts;
use crate::diagnostic::{Assumption, Span};
use crate::semantic::catalog::{self, Api, LockFlavor, LockMode};
use crate::semantic::resolve::Imports;
use crate::syntax::exprs::{ident_is, is_constant_name, place_key, strip};
use crate::syntax::find::Search;
use crate::syntax::macros;

/// A lock guard still alive at the current point of the walk: bound by `let` (or an `if let`
/// / `match` pattern), or a temporary that lives to the end of its temporary scope
/// (`m.lock().unwrap().get(k)` to the end of its statement, a `match` scrutinee's to the end
/// of the `match`).
#[derive(Debug, Clone)]
pub struct Guard {
    /// The binding holding the guard; for a temporary, the acquisition's text (`m.lock()`).
    pub name: String,
    /// Whether it is a temporary: no binding names it, and it drops at the end of its
    /// temporary scope, not of its block.
    pub temporary: bool,
    /// The lock's identity: its receiver path (`self.accounts`, `m`), when it is a plain path.
    pub lock: Option<String>,
    /// The lock's family, when its declaration is visible; `Async` when the lock was awaited.
    pub flavor: Option<LockFlavor>,
    /// How it was taken.
    pub mode: LockMode,
    /// The acquisition (`m.lock()`), for secondary labels.
    pub taken: Span,
    /// The type of `self` when the lock is a field of it (`self.client` in `impl Api`).
    pub owner: Option<String>,
}

impl Guard {
    /// What a finding about this guard assumes when the lock's declaration is not in the file:
    /// that the field is a blocking lock.
    pub fn assumption(&self) -> Option<Assumption> {
        if self.flavor.is_some() {
            return None;
        }
        let field = self.lock.as_deref()?.strip_prefix("self.")?;
        Some(Assumption::BlockingLock {
            owner: self.owner.clone()?,
            field: field.split('.').next()?.to_string(),
        })
    }

    /// How a message names it: ``guard `g` `` or ``the temporary guard of `m.lock()` ``.
    pub fn described(&self) -> String {
        if self.temporary {
            format!("the temporary guard of `{}`", self.name)
        } else {
            format!("guard `{}`", self.name)
        }
    }

    /// How a help text says to end it before the point a finding is about.
    pub fn how_to_end(&self) -> String {
        if self.temporary {
            "bind what you need from it first (`let value = ...;`) so the guard drops at the \
             end of that statement"
                .to_string()
        } else {
            format!(
                "end it first (`drop({})`, or a block around its use)",
                self.name
            )
        }
    }

    /// Whether holding this guard blocks other threads (not an awaited async lock).
    pub fn is_blocking(&self) -> bool {
        self.flavor.is_none_or(LockFlavor::is_blocking)
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
            Expr::MethodCall(call) if ident_is(&call.method, catalog::GUARD_PASSING_METHODS) => {
                expr = &call.receiver;
            }
            Expr::MethodCall(call) if call.args.is_empty() => {
                let mode = if call.method == "lock" {
                    LockMode::Lock
                } else if call.method == "read" {
                    LockMode::Read
                } else if call.method == "write" {
                    LockMode::Write
                } else {
                    return None;
                };
                if is_stdio_call(&call.receiver) {
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

/// Whether `expr` is a call of a function named like a standard stream (`stdout()`,
/// `io::stdin()`): its `lock()` is the stream's, not shared state's.
fn is_stdio_call(expr: &Expr) -> bool {
    let Expr::Call(call) = strip(expr) else {
        return false;
    };
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    path.path
        .segments
        .last()
        .is_some_and(|s| ident_is(&s.ident, catalog::STDIO_FUNCTIONS))
}

/// Whether a static's type initialises it on first use (`LazyLock<T>`, `once_cell`'s `Lazy<T>`).
fn is_lazy_type(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "LazyLock" || s.ident == "Lazy"))
}

/// Records the lock flavor of struct fields and statics by name, from their declared types.
pub fn collect_lock_decls(
    imports: &Imports,
    items: &[syn::Item],
    decls: &mut std::collections::HashMap<String, LockFlavor>,
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
    impl syn::visit::Visit<'_> for TypeFinder<'_> {
        fn visit_type_path(&mut self, ty: &syn::TypePath) {
            if self.found.is_none() {
                // Most type paths (`Vec`, `Option`, `Self`) cannot name a lock type: skip
                // resolving them.
                let may_name = self.imports.may_name_catalog_path(&ty.path);
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
                syn::visit::visit_type_path(self, ty);
            }
        }
    }
    let mut finder = TypeFinder {
        imports,
        found: None,
    };
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.found
}

/// The flavor of the first lock constructor in an initializer (`Arc::new(Mutex::new(0))`).
pub fn init_lock_flavor(facts: &Facts<'_>, expr: &Expr) -> Option<LockFlavor> {
    Search::NESTED.find_map(expr, |e| match e {
        Expr::Call(call) => match facts.call_api(&call.func) {
            Some(Api::LockType(flavor)) => Some(flavor),
            _ => None,
        },
        _ => None,
    })
}

/// Who a lock's path belongs to: decides whether equal paths in two places name the same lock.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LockOwner {
    /// A local or parameter: comparable within one function (identified by its walk index).
    Local(usize),
    /// A field reached through `self`: comparable within the impls of one type.
    SelfType(String),
    /// A static (an upper-case name) or a path (`Self::STATE`): comparable across the file.
    Global,
}

/// A lock's identity: its owner and its place path after clone aliases are resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LockId {
    /// Who the path belongs to.
    pub owner: LockOwner,
    /// The place path (`self.accounts`, `m`, `STATE`).
    pub path: String,
}

/// The per-function lock facts the walk maintains: clone aliases, the current function and
/// the self type of the enclosing impl.
#[derive(Debug, Default)]
pub struct LockScope {
    aliases: Vec<(String, String)>,
    fn_count: usize,
    fns: Vec<(usize, Option<String>)>,
    impls: Vec<String>,
    static_muts: Vec<String>,
    lazy_statics: Vec<String>,
}

impl LockScope {
    /// Enters a function body; returns the aliases of the enclosing function, to restore.
    pub(crate) fn enter_fn(&mut self) -> Vec<(String, String)> {
        self.fn_count += 1;
        self.fns.push((self.fn_count, None));
        std::mem::take(&mut self.aliases)
    }

    /// Names the current function from its signature (visited first in a function item).
    pub(crate) fn name_fn(&mut self, ident: &syn::Ident) {
        if let Some((_, name @ None)) = self.fns.last_mut() {
            *name = Some(ident.to_string());
        }
    }

    /// Leaves a function body entered with [`LockScope::enter_fn`].
    pub(crate) fn exit_fn(&mut self, saved: Vec<(String, String)>) {
        self.fns.pop();
        self.aliases = saved;
    }

    /// Enters an `impl` block for the type named `self_ty`.
    pub(crate) fn enter_impl(&mut self, self_ty: String) {
        self.impls.push(self_ty);
    }

    /// Leaves the innermost `impl` block.
    pub(crate) fn exit_impl(&mut self) {
        self.impls.pop();
    }

    /// Records `let name = <clone of source>`: `name` is another handle to `source`.
    pub(crate) fn add_alias(&mut self, name: String, source: String) {
        self.aliases.push((name, source));
    }

    /// Records the names of the file's `static mut` items and of its lazily initialised
    /// statics (`LazyLock`, `Lazy`, `lazy_static!`), in inline modules too.
    pub(crate) fn collect_statics(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Static(s) if matches!(s.mutability, syn::StaticMutability::Mut(_)) => {
                    self.static_muts.push(s.ident.to_string());
                }
                syn::Item::Static(s) if is_lazy_type(&s.ty) => {
                    self.lazy_statics.push(s.ident.to_string());
                }
                syn::Item::Macro(m) => {
                    let lazy = m
                        .mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "lazy_static");
                    if lazy {
                        self.lazy_statics.extend(
                            macros::declared_statics(&m.mac)
                                .into_iter()
                                .map(|(name, _)| name.to_string()),
                        );
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        self.collect_statics(items);
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether `name` is a lazily initialised static declared in this file.
    pub fn is_lazy_static(&self, name: &str) -> bool {
        self.lazy_statics.iter().any(|s| s == name)
    }

    /// Whether `name` is a `static mut` declared in this file.
    pub fn is_static_mut(&self, name: &str) -> bool {
        self.static_muts.iter().any(|s| s == name)
    }

    /// Whether the walk is inside an `impl` block.
    pub fn in_impl(&self) -> bool {
        !self.impls.is_empty()
    }

    /// The self type's name of the innermost `impl` block (`Bank` for `impl<T> Bank<T>`).
    pub fn impl_type(&self) -> Option<&str> {
        self.impls.last().map(String::as_str)
    }

    /// The name of the innermost named function (`None` in a const or static initializer).
    pub fn fn_name(&self) -> Option<&str> {
        self.fns.last().and_then(|(_, name)| name.as_deref())
    }

    /// The place a clone alias stands for (`state` after `let state = self.state.clone()` →
    /// `self.state`), or `key` itself.
    pub fn resolve_alias(&self, key: &str) -> String {
        let (head, rest) = key
            .split_once('.')
            .map_or((key, None), |(h, r)| (h, Some(r)));
        match self.aliases.iter().rev().find(|(name, _)| name == head) {
            Some((_, source)) => match rest {
                Some(rest) => format!("{source}.{rest}"),
                None => source.clone(),
            },
            None => key.to_string(),
        }
    }

    /// The identity of the lock at place path `key` (from [`place_key`]) at this point.
    pub fn id(&self, key: &str) -> LockId {
        let path = self.resolve_alias(key);
        let head = path.split(['.', ':']).next().unwrap_or_default();
        let owner = if head == "self" && !self.impls.is_empty() {
            LockOwner::SelfType(self.impls.last().cloned().unwrap_or_default())
        } else if path.contains("::") || is_constant_name(head) {
            LockOwner::Global
        } else {
            LockOwner::Local(self.fns.last().map_or(0, |(id, _)| *id))
        };
        LockId { owner, path }
    }
}

/// The name of an impl's self type (`Bank` for `impl<T> Bank<T>`), or its tokens.
pub fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        other => quote::ToTokens::to_token_stream(other).to_string(),
    }
}

/// The place a clone of a shared handle copies: `Arc::clone(&m)` → `m`, `self.m.clone()` →
/// `self.m`.
pub fn clone_source(cx: &Facts<'_>, init: &Expr) -> Option<String> {
    match init {
        Expr::Call(call)
            if call.args.len() == 1 && cx.call_api(&call.func) == Some(Api::RcClone) =>
        {
            place_key(&call.args[0])
        }
        Expr::MethodCall(call) if call.method == "clone" && call.args.is_empty() => {
            place_key(&call.receiver)
        }
        _ => None,
    }
}

/// A `.lock()`/`.read()`/`.write()` call taking a lock, wherever it appears.
pub struct Taking<'e> {
    /// The method call.
    pub call: &'e ExprMethodCall,
    /// Which method it was.
    pub mode: LockMode,
    /// The receiver's place path, when it is a plain path.
    pub key: Option<String>,
    /// The lock's declared family, when visible.
    pub flavor: Option<LockFlavor>,
}

impl Taking<'_> {
    /// The lock's identity, when its receiver is a plain path.
    pub fn id(&self, cx: &Facts<'_>) -> Option<LockId> {
        self.key.as_deref().map(|key| cx.locks().id(key))
    }
}

/// Recognises `expr` as a lock acquisition. `read()`/`write()` count only on a receiver
/// declared as a lock (a raw pointer has `read()` too); `lock()` counts unless declared
/// otherwise.
pub fn taking<'e>(cx: &Facts<'_>, expr: &'e Expr) -> Option<Taking<'e>> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    let acq = lock_acquisition(expr)?;
    if !std::ptr::eq(acq.call, call) {
        return None;
    }
    let key = place_key(&call.receiver);
    let flavor = key.as_deref().and_then(|k| cx.lock_flavor(k));
    if acq.mode != LockMode::Lock && flavor.is_none() {
        return None;
    }
    Some(Taking {
        call,
        mode: acq.mode,
        key,
        flavor,
    })
}

/// Whether a guard certainly comes from a lock: a `lock()`, or a `read()`/`write()` on a
/// receiver declared as a lock.
pub fn is_lock_guard(guard: &Guard) -> bool {
    guard.mode == LockMode::Lock || guard.flavor.is_some()
}

/// The identity of the lock a guard holds, when known.
pub fn guard_id(cx: &Facts<'_>, guard: &Guard) -> Option<LockId> {
    guard.lock.as_deref().map(|key| cx.locks().id(key))
}
