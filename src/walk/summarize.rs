//! The file's contribution to the crate-wide model, recorded during the one walk: its
//! declarations, and for each function what it does that its callers may care about (blocking
//! and heavy calls, locks taken and held, calls of other functions, shells run on a parameter)
//! and what `concur map` draws (spawns and the code they run, runtimes, channels and the
//! messages on them, local locks, atomics, fields storing a channel half or a lock).
//! The walk hands every node here; nothing is parsed or walked again.

use syn::spanned::Spanned;
use syn::{Expr, ExprMethodCall, Local};

use crate::analysis::commands::{CommandUse, is_built_string, passed_through};
use crate::analysis::facts::ClosureRole;
use crate::analysis::facts::Worker;
use crate::analysis::locks::{LockOwner, taking};
use crate::diagnostic::Span;
use crate::semantic::catalog::{self, Api};
use crate::semantic::summary::{
    Base, Call, Callee, ChanRef, ChannelMade, Ctx, Direction, Event, EventKind, FileSummary,
    FnSummary, Item, ItemKind, LockRef, Param, Shared, Spawn, SpawnKind, Stored, TestMod,
};
use crate::semantic::test_code::is_test_item;
use crate::syntax::exprs::{ident_is, is_constant_name, path_ident, place_key, strip};
use crate::syntax::pats::{pat_name, strip_pat};
use crate::syntax::types::is_channel_half;
use crate::syntax::{attrs, macros};
use crate::walk::context::{Context, Exec};

/// A call that spawns, as the walk meets it.
#[derive(Clone, Copy)]
pub(super) enum SpawnCall<'a> {
    /// `thread::spawn(f)`, `tokio::spawn(fut)`.
    Call(&'a syn::ExprCall),
    /// `builder.spawn(f)`, `items.par_iter().for_each(f)`, `pool.execute(f)`.
    Method(&'a ExprMethodCall),
}

/// Builds a [`FileSummary`] as the walk goes.
#[derive(Default)]
pub(super) struct Summarizer {
    file: FileSummary,
    /// The inline module path at this point.
    modules: Vec<String>,
    /// The functions being walked, innermost last (a `fn` inside a `fn` is its own).
    open: Vec<OpenFn>,
}

/// A function being summarised, with the types of its locals so far.
struct OpenFn {
    summary: FnSummary,
    locals: Vec<(String, String)>,
    /// How many `if`/`match` branches enclose this point.
    branches: usize,
    /// The spawns whose spawned code the walk is in, innermost last: each one's event and
    /// the address of its call node (closed when the walk leaves that node).
    spawns: Vec<(u32, usize)>,
    /// Locals that are halves of a channel this function made, with its event.
    chans: Vec<(String, u32)>,
}

impl Summarizer {
    /// The summary, once the walk is over.
    pub(super) fn finish(self) -> FileSummary {
        self.file
    }

    pub(super) fn enter_mod(&mut self, name: &syn::Ident) {
        self.modules.push(name.to_string());
    }

    pub(super) fn exit_mod(&mut self) {
        self.modules.pop();
    }

    /// Records the declarations other files may need: structs, statics (also those inside
    /// `lazy_static!`/`thread_local!`) and type aliases.
    pub(super) fn item(&mut self, cx: &Context<'_>, item: &syn::Item) {
        let mut add = |name: String, kind: ItemKind| {
            self.file.items.push(Item {
                module: self.modules.clone(),
                name,
                kind,
            });
        };
        match item {
            syn::Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let name = f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
                        (name, cx.type_ref(&f.ty))
                    })
                    .collect();
                add(s.ident.to_string(), ItemKind::Struct { fields });
            }
            syn::Item::Static(s) => add(
                s.ident.to_string(),
                ItemKind::Static {
                    ty: cx.type_ref(&s.ty),
                },
            ),
            syn::Item::Type(t) => add(
                t.ident.to_string(),
                ItemKind::Alias {
                    ty: cx.type_ref(&t.ty),
                },
            ),
            syn::Item::Macro(m) => {
                for (name, ty) in macros::declared_statics(&m.mac) {
                    add(
                        name.to_string(),
                        ItemKind::Static {
                            ty: cx.type_ref(&ty),
                        },
                    );
                }
            }
            syn::Item::Mod(m) if m.content.is_none() && is_test_item(&m.attrs) => {
                self.file.test_mods.push(TestMod {
                    inline: self.modules.clone(),
                    name: m.ident.to_string(),
                    path: attrs::path_attr(&m.attrs),
                });
            }
            syn::Item::Use(u) => {
                let mut globs = Vec::new();
                collect_globs(&u.tree, &mut Vec::new(), &mut globs);
                for glob in globs {
                    self.file.globs.push((self.modules.clone(), glob));
                }
            }
            _ => {}
        }
    }

    /// Opens the summary of a function with a body; `extent` is the whole item, `entry` how
    /// it starts the program when it is an entry point.
    pub(super) fn enter_fn(
        &mut self,
        cx: &Context<'_>,
        sig: &syn::Signature,
        (extent, entry): (Span, Option<String>),
        in_test: bool,
    ) {
        let owner = cx.locks().impl_type().map(str::to_string);
        let params = sig
            .inputs
            .iter()
            .map(|input| match input {
                syn::FnArg::Receiver(_) => Param {
                    name: "self".into(),
                    ty: crate::semantic::summary::TypeRef {
                        name: owner.clone().unwrap_or_default(),
                        ..Default::default()
                    },
                },
                syn::FnArg::Typed(p) => Param {
                    name: pat_name(&p.pat).unwrap_or_default(),
                    ty: cx.type_ref(&p.ty),
                },
            })
            .collect();
        self.open.push(OpenFn {
            summary: FnSummary {
                module: self.modules.clone(),
                owner,
                name: sig.ident.to_string(),
                span: cx.span(sig.ident.span()),
                extent,
                is_async: sig.asyncness.is_some(),
                entry,
                in_test,
                params,
                events: Vec::new(),
                serializing: Vec::new(),
            },
            locals: Vec::new(),
            branches: 0,
            spawns: Vec::new(),
            chans: Vec::new(),
        });
    }

    /// Enters a branch of an `if` or `match`: what happens there happens only on some paths.
    pub(super) fn enter_branch(&mut self) {
        if let Some(open) = self.open.last_mut() {
            open.branches += 1;
        }
    }

    /// Leaves a branch entered with [`Summarizer::enter_branch`].
    pub(super) fn exit_branch(&mut self) {
        if let Some(open) = self.open.last_mut() {
            open.branches = open.branches.saturating_sub(1);
        }
    }

    /// Closes the innermost function's summary.
    pub(super) fn exit_fn(&mut self) {
        if let Some(open) = self.open.pop() {
            self.file.fns.push(open.summary);
        }
    }

    /// Records the type of a `let` when it is plain to see: `let x: T`, `let x = T::new(..)`,
    /// `let x = T { .. }`.
    pub(super) fn local(&mut self, cx: &Context<'_>, local: &Local) {
        self.channel_halves(cx, local);
        let Some(open) = self.open.last_mut() else {
            return;
        };
        let Some(name) = pat_name(&local.pat) else {
            return;
        };
        let declared = match &local.pat {
            syn::Pat::Type(typed) => crate::syntax::types::named_type(&typed.ty),
            _ => None,
        };
        let ty = declared.or_else(|| {
            let init = &local.init.as_ref()?.expr;
            value_type(&open.locals, strip(init))
        });
        match ty {
            Some(ty) => open.locals.push((name, ty)),
            None => open.locals.retain(|(n, _)| *n != name),
        }
    }

    /// Names the halves a `let` binds to a channel this function made (`let (tx, rx) =
    /// mpsc::channel()`), or to a clone of one (`let tx2 = tx.clone()`).
    fn channel_halves(&mut self, cx: &Context<'_>, local: &Local) {
        let Some(open) = self.open.last_mut() else {
            return;
        };
        let Some(init) = &local.init else { return };
        let init = strip(&init.expr);
        let source = cloned(init);
        let event = if std::ptr::eq(source, init) {
            // A channel made right here (`let (tx, rx) = mpsc::channel()`).
            matches!(init, Expr::Call(_))
                .then(|| {
                    let outer = cx.span(crate::syntax::spans::span(init));
                    open.summary.events.iter().rposition(|e| {
                        matches!(e.kind, EventKind::Channel(_))
                            && outer.start <= e.span.start
                            && e.span.end <= outer.end
                    })
                })
                .flatten()
                .and_then(|i| u32::try_from(i).ok())
        } else {
            // A clone of a half (`tx.clone()`, `Sender::clone(&tx)`).
            path_ident(source)
                .and_then(|half| open.chans.iter().rev().find(|(n, _)| *n == half))
                .map(|(_, event)| *event)
        };
        if event.is_none() && open.chans.is_empty() {
            return;
        }
        let names: Vec<String> = match strip_pat(&local.pat) {
            syn::Pat::Tuple(tuple) => tuple.elems.iter().filter_map(pat_name).collect(),
            pat => pat_name(pat).into_iter().collect(),
        };
        open.chans.retain(|(n, _)| !names.contains(n));
        if let Some(event) = event {
            open.chans.extend(names.into_iter().map(|n| (n, event)));
        }
    }

    /// The channel half an expression names: a local half of a channel made here, a
    /// parameter, or a field of `self`.
    fn chan_ref(&self, expr: &Expr) -> Option<ChanRef> {
        let open = self.open.last()?;
        match strip(expr) {
            Expr::Field(field) if is_self(&field.base) => {
                let syn::Member::Named(name) = &field.member else {
                    return None;
                };
                Some(ChanRef::SelfField(name.to_string()))
            }
            other => {
                let name = path_ident(other)?;
                if let Some((_, event)) = open.chans.iter().rev().find(|(n, _)| *n == name) {
                    return Some(ChanRef::Made(*event));
                }
                let index = self.param_index(&name)?;
                let ty = &open.summary.params[usize::from(index)].ty.name;
                is_channel_half(ty).then_some(ChanRef::Param(index))
            }
        }
    }

    /// Whether an expression can be a channel half [`Summarizer::chan_ref`] names, checked
    /// without allocating: a field of `self`, or a local half or channel-typed parameter.
    fn may_name_chan(&self, expr: &Expr) -> bool {
        let Some(open) = self.open.last() else {
            return false;
        };
        match strip(expr) {
            Expr::Field(field) => is_self(&field.base),
            Expr::Path(path) => path.path.get_ident().is_some_and(|ident| {
                open.chans.iter().any(|(name, _)| ident == name)
                    || open
                        .summary
                        .params
                        .iter()
                        .any(|p| is_channel_half(&p.ty.name) && ident == &p.name)
            }),
            _ => false,
        }
    }

    /// The arguments that are channel halves the function names, by position.
    fn arg_chans<'a>(&self, args: impl Iterator<Item = &'a Expr>) -> Vec<(u8, ChanRef)> {
        args.take(64)
            .enumerate()
            .filter_map(|(i, arg)| {
                let arg = match strip(arg) {
                    Expr::MethodCall(call) if call.method == "clone" => &*call.receiver,
                    other => other,
                };
                let chan = self.chan_ref(arg)?;
                Some((u8::try_from(i).ok()?, chan))
            })
            .collect()
    }

    /// Records a message sent or received on a channel half the function names
    /// (`tx.send(x)`, `rx.recv()`, `for msg in rx`).
    fn message(&mut self, cx: &Context<'_>, expr: &Expr) {
        let found = match expr {
            Expr::MethodCall(call) => {
                if !self.may_name_chan(&call.receiver) {
                    return;
                }
                let direction = if ident_is(&call.method, catalog::SEND_METHODS) {
                    Direction::Send
                } else if ident_is(&call.method, catalog::RECV_METHODS)
                    || ident_is(&call.method, &["iter", "changed", "borrow_and_update"])
                {
                    Direction::Receive
                } else {
                    return;
                };
                self.chan_ref(&call.receiver)
                    .map(|chan| (chan, direction, cx.span(call.method.span())))
            }
            Expr::ForLoop(each) => self
                .chan_ref(&each.expr)
                .map(|chan| (chan, Direction::Receive, cx.span(each.expr.span()))),
            _ => None,
        };
        if let Some((chan, direction, span)) = found {
            // A field is a channel half only if its type says so; the model decides.
            self.push(cx, span, EventKind::Message(chan, direction));
        }
    }

    /// Records a spawn site and opens its spawned code: the events recorded until the walk
    /// leaves the call ([`Summarizer::leave_expr`]) happen in it. The walk calls this after the
    /// receiver and before the arguments.
    pub(super) fn spawn(&mut self, cx: &Context<'_>, site: SpawnCall<'_>, worker: Worker) {
        let kind = match worker {
            Worker::Thread => SpawnKind::Thread,
            Worker::Task => SpawnKind::Task,
            Worker::BlockingPool => SpawnKind::Blocking,
            Worker::Rayon => SpawnKind::Rayon,
            Worker::Unknown => SpawnKind::Pool,
        };
        let Some(open) = self.open.last() else { return };
        // A parallel iterator's adapters (`par_iter().map(f).sum()`) are one job on the pool.
        if kind == SpawnKind::Rayon
            && let Some(&(top, _)) = open.spawns.last()
            && matches!(&open.summary.events[top as usize].kind,
                EventKind::Spawn(s) if s.kind == SpawnKind::Rayon)
        {
            return;
        }
        let (what, args, extent, span, address): (String, Vec<&Expr>, _, _, usize) = match site {
            SpawnCall::Call(call) => (
                cx.text(call.func.span()).to_string(),
                call.args.iter().collect(),
                crate::syntax::spans::span(call),
                call.func.span(),
                std::ptr::from_ref(call) as usize,
            ),
            SpawnCall::Method(call) => {
                let what = match kind {
                    SpawnKind::Rayon => rayon_root(call),
                    _ => format!(".{}()", call.method),
                };
                (
                    what,
                    call.args.iter().collect(),
                    crate::syntax::spans::span(call),
                    crate::syntax::exprs::method_callee_span(call),
                    std::ptr::from_ref(call) as usize,
                )
            }
        };
        // A spawn-like method concur does not know hands over code only if it is given some:
        // `handle.spawn(serve(conn))`, `pool.execute(move || ..)`; `execute` is also a command
        // object's (`action.execute(&mut ctx)`) or a query's (`diesel::update(..).execute(conn)`),
        // so only a closure counts for it.
        if kind == SpawnKind::Pool
            && !args.iter().any(|arg| match arg {
                Expr::Closure(_) | Expr::Async(_) => true,
                Expr::Path(_) | Expr::Call(_) => what.starts_with(".spawn"),
                _ => false,
            })
        {
            return;
        }
        let is_join = what.ends_with("join");
        let spawn = Spawn {
            kind,
            what,
            per_item: cx.loops().next().is_some(),
            extent: cx.span(extent),
        };
        let Some(event) = self.push(cx, cx.span(span), EventKind::Spawn(spawn)) else {
            return;
        };
        if let Some(open) = self.open.last_mut() {
            open.spawns.push((event, address));
        }
        // A function spawned by name (`thread::spawn(worker)`) runs there. Spawn calls take
        // the code last (`spawn_scoped(scope, f)`); `rayon::join(a, b)` takes two.
        let code = if args.len() == 2 && is_join {
            &args[..]
        } else {
            &args[args.len().saturating_sub(1)..]
        };
        for &arg in code {
            if let Expr::Path(path) = arg
                && path_ident(arg).is_none_or(|name| !cx.is_param(&name))
                && let Some(callee) = self.path_callee(cx, &path.path)
            {
                let call = Call {
                    callee,
                    built_args: 0,
                    arg_bases: Vec::new(),
                    arg_chans: Vec::new(),
                    arg_places: Vec::new(),
                };
                let ctx = match kind {
                    SpawnKind::Task | SpawnKind::Pool => Ctx::Elsewhere,
                    _ => Ctx::Thread,
                };
                self.push_in(ctx, cx, cx.span(arg.span()), EventKind::Call(call));
            }
        }
    }

    /// Closes the spawned code of a spawn at `expr` when the walk leaves it.
    pub(super) fn leave_expr(&mut self, expr: &Expr) {
        let address = match expr {
            Expr::Call(call) => std::ptr::from_ref(call) as usize,
            Expr::MethodCall(call) => std::ptr::from_ref(call) as usize,
            _ => return,
        };
        if let Some(open) = self.open.last_mut()
            && open.spawns.last().is_some_and(|&(_, at)| at == address)
        {
            open.spawns.pop();
        }
    }

    /// Records the channel halves and local locks a struct literal stores in its fields.
    fn field_inits(&mut self, cx: &Context<'_>, literal: &syn::ExprStruct) {
        let Some(open) = self.open.last() else { return };
        let mut found = Vec::new();
        for field in &literal.fields {
            let syn::Member::Named(name) = &field.member else {
                continue;
            };
            let Some(local) = path_ident(cloned(&field.expr)) else {
                continue;
            };
            let value = if let Some((_, event)) = open.chans.iter().rev().find(|(n, _)| *n == local)
            {
                Stored::Channel(*event)
            } else {
                let id = cx.locks().id(&local);
                if !matches!(id.owner, LockOwner::Local(_)) || cx.lock_flavor(&id.path).is_none() {
                    continue;
                }
                Stored::Lock(id.path)
            };
            found.push((name.to_string(), value));
        }
        if found.is_empty() {
            return;
        }
        let Some(last) = literal.path.segments.last() else {
            return;
        };
        let ty = if last.ident == "Self" {
            match &open.summary.owner {
                Some(owner) => owner.clone(),
                None => return,
            }
        } else {
            last.ident.to_string()
        };
        let span = cx.span(last.ident.span());
        for (field, value) in found {
            let ty = ty.clone();
            self.push(cx, span, EventKind::FieldInit { ty, field, value });
        }
    }

    /// Records what an expression does, if it matters to other functions.
    pub(super) fn expr(&mut self, cx: &Context<'_>, expr: &Expr) -> Option<u32> {
        self.message(cx, expr);
        if let Expr::Struct(literal) = expr {
            self.field_inits(cx, literal);
            return None;
        }
        let kind = match expr {
            Expr::Call(call) => match cx.call_api(&call.func) {
                Some(Api::ChannelNew { bounded }) => EventKind::Channel(ChannelMade {
                    ctor: cx.text(call.func.span()).to_string(),
                    bound: bounded.then(|| {
                        call.args
                            .first()
                            .map_or_else(|| "bounded".to_string(), |a| cx.text(a.span()).into())
                    }),
                }),
                Some(Api::Blocking(kind)) => {
                    EventKind::Blocking(kind, cx.text(call.func.span()).to_string())
                }
                Some(Api::CpuHeavy) => EventKind::Heavy(cx.text(call.func.span()).to_string()),
                Some(Api::BlockOn) => EventKind::BlockOn(cx.text(call.func.span()).to_string()),
                Some(_) | None if builds_runtime(cx, &call.func) => {
                    EventKind::Runtime(cx.text(call.func.span()).to_string())
                }
                Some(_) => return None,
                None => {
                    let Expr::Path(path) = &*call.func else {
                        return None;
                    };
                    let callee = self.path_callee(cx, &path.path)?;
                    EventKind::Call(Call {
                        callee,
                        built_args: built_args(call.args.iter()),
                        arg_bases: self.arg_bases(call.args.iter()),
                        arg_chans: self.arg_chans(call.args.iter()),
                        arg_places: arg_places(cx, call.args.iter()),
                    })
                }
            },
            Expr::MethodCall(call) => {
                self.function_arguments(cx, call);
                if let Some(taking) = taking(cx, expr) {
                    let key = taking.key.as_deref()?;
                    match self.lock_ref(cx, key, taking.flavor) {
                        Some(lock) => EventKind::Lock(lock, taking.mode),
                        None => {
                            let id = cx.locks().id(key);
                            let flavor = cx.lock_flavor(&id.path)?;
                            if !matches!(id.owner, LockOwner::Local(_)) {
                                return None;
                            }
                            EventKind::LocalLock(id.path, taking.mode, flavor)
                        }
                    }
                } else if let Some(shared) = atomic_target(call) {
                    EventKind::Atomic(shared)
                } else {
                    match cx.method_api(call) {
                        Some(Api::Blocking(kind)) => {
                            cx.blocking_call(expr)?;
                            EventKind::Blocking(kind, format!(".{}()", call.method))
                        }
                        Some(Api::CpuHeavy) => EventKind::Heavy(format!(".{}()", call.method)),
                        Some(Api::BlockOn) => EventKind::BlockOn(format!(".{}()", call.method)),
                        Some(_) => return None,
                        None => EventKind::Call(Call {
                            callee: self.method_callee(call)?,
                            built_args: built_args(call.args.iter()),
                            arg_bases: self.arg_bases(call.args.iter()),
                            arg_chans: self.arg_chans(call.args.iter()),
                            arg_places: arg_places(cx, call.args.iter()),
                        }),
                    }
                }
            }
            Expr::Path(path) if path.qself.is_none() => {
                let name = path.path.segments.last()?.ident.to_string();
                if !cx.locks().is_static_mut(&name) {
                    return None;
                }
                EventKind::StaticMut(name)
            }
            _ => return None,
        };
        let span = match (&kind, expr) {
            (EventKind::Lock(..), Expr::MethodCall(call)) => Span::join(
                cx.span(crate::syntax::spans::span(&*call.receiver)),
                cx.span(call.paren_token.span.close()),
            ),
            _ => cx.span(crate::syntax::exprs::callee_span(expr)),
        };
        self.push(cx, span, kind)
    }

    /// Records the crate functions an iterator adapter calls by name (`items.map(fetch_one)`):
    /// they run here, once per item, like a closure would.
    fn function_arguments(&mut self, cx: &Context<'_>, call: &ExprMethodCall) {
        if !call.args.iter().any(|a| matches!(a, Expr::Path(_))) {
            return;
        }
        if cx.method_closure_role(call) != ClosureRole::Inline {
            return;
        }
        for arg in &call.args {
            let Expr::Path(path) = arg else { continue };
            if path.path.segments.len() == 1 && path.path.segments[0].ident == "self" {
                continue;
            }
            if let Some(callee) = self.path_callee(cx, &path.path) {
                let span = cx.span(arg.span());
                let kind = EventKind::Call(Call {
                    callee,
                    built_args: 0,
                    arg_bases: Vec::new(),
                    arg_chans: Vec::new(),
                    arg_places: Vec::new(),
                });
                self.push(cx, span, kind);
            }
        }
    }

    /// Records a child process started (`Command::new(p)..spawn()`, `.status()`,
    /// `.output()`), and a shell run on one of the function's parameters (`sh -c <param>`).
    pub(super) fn command(&mut self, cx: &Context<'_>, command: &CommandUse<'_>) {
        if command.runs_to_completion() || command.calls("spawn") {
            let what = command.program().unwrap_or_else(|| {
                command
                    .program_expr()
                    .map_or_else(String::new, |p| cx.text(p.span()).to_string())
            });
            let spawn = Spawn {
                kind: SpawnKind::Process,
                what,
                per_item: cx.loops().next().is_some(),
                extent: cx.span(command.ctor.span()),
            };
            self.push(
                cx,
                cx.span(command.ctor.func.span()),
                EventKind::Spawn(spawn),
            );
        }
        let Some((_, script)) = command.shell_script() else {
            return;
        };
        let Some(index) =
            path_ident(passed_through(script)).and_then(|name| self.param_index(&name))
        else {
            return;
        };
        let span = cx.span(command.ctor.span());
        self.push(cx, span, EventKind::ShellParam(index));
    }

    /// The arguments that are `self` or one of the function's parameters, by position.
    fn arg_bases<'a>(&self, args: impl Iterator<Item = &'a Expr>) -> Vec<(u8, Base)> {
        args.take(64)
            .enumerate()
            .filter_map(|(i, arg)| {
                let name = path_ident(arg)?;
                let base = if name == "self" {
                    Base::SelfValue
                } else {
                    Base::Param(self.param_index(&name)?)
                };
                Some((u8::try_from(i).ok()?, base))
            })
            .collect()
    }

    /// The index of the current function's parameter `name`.
    pub(super) fn param_index(&self, name: &str) -> Option<u8> {
        let open = self.open.last()?;
        if open.locals.iter().any(|(n, _)| n == name) {
            return None;
        }
        let index = open.summary.params.iter().position(|p| p.name == name)?;
        u8::try_from(index).ok()
    }

    fn push(&mut self, cx: &Context<'_>, span: Span, kind: EventKind) -> Option<u32> {
        let ctx = match cx.exec() {
            Exec::Sync => Ctx::Sync,
            Exec::Async => Ctx::Async,
            Exec::Thread | Exec::Rayon | Exec::BlockingPool => Ctx::Thread,
            Exec::Unknown => Ctx::Elsewhere,
        };
        self.push_in(ctx, cx, span, kind)
    }

    /// [`Summarizer::push`] in a context the caller decides.
    fn push_in(&mut self, ctx: Ctx, cx: &Context<'_>, span: Span, kind: EventKind) -> Option<u32> {
        let held = cx.live_guard_events().collect();
        let in_loop = cx.loops().next().is_some();
        let open = self.open.last_mut()?;
        let index = u32::try_from(open.summary.events.len()).ok()?;
        open.summary.events.push(Event {
            span,
            ctx,
            conditional: open.branches > 0 || in_loop,
            held,
            within: open.spawns.last().map(|&(event, _)| event),
            kind,
        });
        Some(index)
    }

    /// A lock's identity from its place path (`self.state`, `acc.balances`, `STATE`), when it
    /// is reached from `self`, a parameter or a static.
    fn lock_ref(
        &self,
        cx: &Context<'_>,
        key: &str,
        flavor: Option<crate::semantic::catalog::LockFlavor>,
    ) -> Option<LockRef> {
        let open = self.open.last()?;
        let (head, rest) = key.split_once('.').unwrap_or((key, ""));
        let (base, ty) = if head == "self" {
            (Base::SelfValue, open.summary.owner.clone())
        } else if let Some(index) = self.param_index(head) {
            let ty = &open.summary.params[usize::from(index)].ty.name;
            (Base::Param(index), (!ty.is_empty()).then(|| ty.clone()))
        } else if head.contains("::") || is_constant_name(head) {
            let path: Vec<String> = head.split("::").map(str::to_string).collect();
            let segments = syn::parse_str::<syn::Path>(head).ok();
            let path = segments.map_or(path, |p| cx.resolve(&p));
            (Base::Static(path), None)
        } else {
            return None;
        };
        Some(LockRef {
            base,
            path: rest.to_string(),
            ty,
            flavor,
        })
    }

    fn path_callee(&self, cx: &Context<'_>, path: &syn::Path) -> Option<Callee> {
        let mut segments = cx.resolve(path);
        let last = segments.last()?;
        // Tuple structs and enum variants (`Some(x)`, `Point(a, b)`) are no calls; neither are
        // the standard library's functions.
        if last.starts_with(char::is_uppercase)
            || matches!(segments[0].as_str(), "std" | "core" | "alloc")
        {
            return None;
        }
        if segments[0] == "Self" {
            segments[0] = self.open.last()?.summary.owner.clone()?;
        }
        Some(Callee::Path(segments))
    }

    /// A method call whose receiver's type is known: `self`, a typed parameter or local, or a
    /// field of one of these.
    fn method_callee(&self, call: &ExprMethodCall) -> Option<Callee> {
        let open = self.open.last()?;
        let name = call.method.to_string();
        let receiver = strip(&call.receiver);
        let (root, field) = match receiver {
            Expr::Field(field) => {
                let syn::Member::Named(member) = &field.member else {
                    return None;
                };
                (strip(&field.base), Some(member.to_string()))
            }
            other => (other, None),
        };
        let root = path_ident(root)?;
        let (ty, base) = if root == "self" {
            (open.summary.owner.clone(), Some(Base::SelfValue))
        } else if let Some(index) = self.param_index(&root) {
            let ty = &open.summary.params[usize::from(index)].ty.name;
            (
                (!ty.is_empty()).then(|| ty.clone()),
                Some(Base::Param(index)),
            )
        } else {
            let ty = open.locals.iter().rev().find(|(n, _)| *n == root);
            (ty.map(|(_, t)| t.clone()), None)
        };
        ty.as_ref()?;
        Some(Callee::Method {
            name,
            ty,
            base: if field.is_some() { None } else { base },
            field,
        })
    }

    /// Marks a lock event as one whose guard is never used by name.
    pub(super) fn serializing(&mut self, event: u32) {
        if let Some(open) = self.open.last_mut() {
            open.summary.serializing.push(event);
        }
    }

    /// The event index of the lock event an acquisition made (for the guard a `let` binds).
    pub(super) fn lock_event_at(&self, span: Span) -> Option<u32> {
        let open = self.open.last()?;
        let index = open
            .summary
            .events
            .iter()
            .rposition(|e| e.span == span && matches!(e.kind, EventKind::Lock(..)))?;
        u32::try_from(index).ok()
    }
}

/// Whether a call's callee builds an async runtime or a thread pool (`Runtime::new()`,
/// `Builder::new_multi_thread()`); resolved only when its last segments can be one.
fn builds_runtime(cx: &Context<'_>, func: &Expr) -> bool {
    let Expr::Path(path) = func else { return false };
    let segments = &path.path.segments;
    let n = segments.len();
    n >= 2
        && ident_is(&segments[n - 1].ident, catalog::RUNTIME_BUILDER_FUNCTIONS)
        && ident_is(&segments[n - 2].ident, catalog::RUNTIME_BUILDER_TYPES)
        && cx
            .call_path(func)
            .is_some_and(|p| catalog::is_runtime_builder(&p))
}

/// The field of `self` or the static an atomic operation works on (`self.hits.fetch_add(1,
/// ..)`, `COUNT.load(..)`); whether it is an atomic the model decides from its declaration.
fn atomic_target(call: &ExprMethodCall) -> Option<Shared> {
    let receiver = strip(&call.receiver);
    let shape = match receiver {
        Expr::Field(field) => is_self(&field.base),
        Expr::Path(path) => path.path.get_ident().is_some(),
        _ => false,
    };
    if !shape || !ident_is(&call.method, catalog::ATOMIC_METHODS) {
        return None;
    }
    match receiver {
        Expr::Field(field) => match &field.member {
            syn::Member::Named(name) => Some(Shared::SelfField(name.to_string())),
            syn::Member::Unnamed(_) => None,
        },
        other => path_ident(other)
            .filter(|name| is_constant_name(name))
            .map(Shared::Static),
    }
}

/// Whether an expression is `self`.
fn is_self(expr: &Expr) -> bool {
    matches!(strip(expr), Expr::Path(path) if path.path.is_ident("self"))
}

/// The start of a rayon chain, for a label: `items.par_iter()` → `.par_iter()`.
fn rayon_root(call: &ExprMethodCall) -> String {
    let mut current = call;
    while let Expr::MethodCall(inner) = &*current.receiver {
        if ident_is(&inner.method, catalog::RAYON_ITER_METHODS) {
            return format!(".{}()", inner.method);
        }
        current = inner;
    }
    format!(".{}()", call.method)
}

/// The type of a value plain to see: what a constructor makes, behind `Arc::new`/`Rc::new`/
/// `Box::new` (`Arc::new(Stats { .. })` → `Stats`), or a clone of a local whose type is known
/// (`Arc::clone(&stats)`, `stats.clone()`).
fn value_type(locals: &[(String, String)], init: &Expr) -> Option<String> {
    let local_type = |expr: &Expr| {
        let name = path_ident(strip(expr))?;
        locals
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, ty)| ty.clone())
    };
    match init {
        Expr::Call(call) => {
            let Expr::Path(path) = &*call.func else {
                return None;
            };
            let segments = &path.path.segments;
            let n = segments.len();
            if n < 2 {
                return constructed_type(init);
            }
            let (wrapper, function) = (&segments[n - 2].ident, &segments[n - 1].ident);
            if function == "new" && (wrapper == "Arc" || wrapper == "Rc" || wrapper == "Box") {
                value_type(locals, strip(call.args.first()?))
            } else if function == "clone" && (wrapper == "Arc" || wrapper == "Rc") {
                local_type(call.args.first()?)
            } else {
                constructed_type(init)
            }
        }
        Expr::MethodCall(call) if call.method == "clone" && call.args.is_empty() => {
            local_type(&call.receiver)
        }
        Expr::Reference(r) => value_type(locals, strip(&r.expr)),
        _ => constructed_type(init),
    }
}

/// The type a constructor expression makes: `T::new(..)`, `T::default()`, `T { .. }`.
fn constructed_type(init: &Expr) -> Option<String> {
    match init {
        Expr::Struct(s) => s.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Call(call) => {
            let Expr::Path(path) = &*call.func else {
                return None;
            };
            let segments = &path.path.segments;
            let n = segments.len();
            (n >= 2).then(|| segments[n - 2].ident.to_string())
        }
        Expr::Try(e) => constructed_type(&e.expr),
        Expr::MethodCall(call) if ident_is(&call.method, &["unwrap", "expect"]) => {
            constructed_type(&call.receiver)
        }
        _ => None,
    }
    .filter(|name| name.starts_with(char::is_uppercase) && name != "Self")
}

/// The arguments that are places (`&self.cache`, `Arc::clone(&state)`, `map.clone()`), by
/// position, with their paths; `self` itself is left out ([`Call::arg_bases`] has it).
/// A local cloned from a field (`let state = self.state.clone()`) is that field.
fn arg_places<'a>(cx: &Context<'_>, args: impl Iterator<Item = &'a Expr>) -> Vec<(u8, String)> {
    args.take(64)
        .enumerate()
        .filter_map(|(i, arg)| {
            let place = place_key(cloned(arg))?;
            let place = cx.locks().resolve_alias(&place);
            (place != "self" && !place.contains("::"))
                .then(|| Some((u8::try_from(i).ok()?, place)))
                .flatten()
        })
        .collect()
}

/// The value a clone is made of (`x.clone()`, `Arc::clone(&x)` → `x`), or the expression.
fn cloned(expr: &Expr) -> &Expr {
    match strip(expr) {
        Expr::MethodCall(call) if call.method == "clone" && call.args.is_empty() => {
            strip(&call.receiver)
        }
        Expr::Call(call)
            if call.args.len() == 1
                && matches!(&*call.func, Expr::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "clone")) =>
        {
            strip(&call.args[0])
        }
        other => other,
    }
}

/// The positions of arguments that are strings built at run time, as a bit set.
fn built_args<'a>(args: impl Iterator<Item = &'a Expr>) -> u64 {
    args.take(64)
        .enumerate()
        .filter(|(_, arg)| is_built_string(arg))
        .fold(0, |bits, (i, _)| bits | (1 << i))
}

/// The paths of glob imports in a `use` tree (`use super::*` → `["super"]`).
fn collect_globs(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            collect_globs(&path.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                collect_globs(tree, prefix, out);
            }
        }
        syn::UseTree::Name(_) | syn::UseTree::Rename(_) => {}
    }
}
