//! What one file contributes to the crate-wide model: the items it declares and a summary of
//! each function body. Summaries are small, serialisable (the result cache stores them) and
//! hold no syntax tree: the model of a crate is built from them alone.
//!
//! Everything here is as written in the file, resolved through the file's own imports as far
//! as they go; what a path means in the crate is decided later, by [`crate::semantic::model`].

use crate::diagnostic::Span;
use crate::semantic::catalog::{Blocking, LockFlavor, LockMode};

/// One file's items and function summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileSummary {
    /// Structs, statics and type aliases, with the inline module each sits in.
    pub items: Vec<Item>,
    /// Every function and method with a body.
    pub fns: Vec<FnSummary>,
    /// Glob imports (`use super::*;`), with the inline module they are in.
    pub globs: Vec<(Vec<String>, Vec<String>)>,
    /// Modules in other files declared as test code (`#[cfg(test)] mod tests;`).
    pub test_mods: Vec<TestMod>,
}

/// A module in another file declared as test code: `#[cfg(test)] mod tests;`, or with its
/// file named, `#[cfg(test)] #[path = "store_tests.rs"] mod tests;`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TestMod {
    /// The inline modules the declaration is in.
    pub inline: Vec<String>,
    /// The module's name.
    pub name: String,
    /// Its `#[path]`, relative to the declaring file's folder.
    pub path: Option<String>,
}

/// A declaration other files may need.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// The inline module path within the file (`mod a { mod b { .. } }` → `["a", "b"]`).
    pub module: Vec<String>,
    /// The item's name.
    pub name: String,
    /// What it is.
    pub kind: ItemKind,
}

/// The kinds of declarations the model uses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ItemKind {
    /// A struct with named fields (tuple fields are named `0`, `1`, ...).
    Struct {
        /// Each field's name and type.
        fields: Vec<(String, TypeRef)>,
    },
    /// A `static` (also one declared in `lazy_static!`/`thread_local!`, or a `LazyLock`).
    Static {
        /// Its type.
        ty: TypeRef,
    },
    /// `type Name = ..;`.
    Alias {
        /// The aliased type.
        ty: TypeRef,
    },
}

/// A type as the model needs it: the named type behind references and smart pointers, and
/// whether it is (or holds) a lock.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TypeRef {
    /// The last segment of the named type behind `&`, `Arc`, `Box`, `Rc`, `Option`
    /// (`Arc<Mutex<State>>` → `Mutex`, `&Accounts` → `Accounts`); empty when unnamed.
    pub name: String,
    /// The flavor of the first lock type inside it (`Arc<tokio::sync::Mutex<_>>` → async).
    pub lock: Option<LockFlavor>,
    /// The named type's first type argument as written (`Mutex<HashMap<u32, User>>` →
    /// `HashMap<u32, User>`): what a lock protects, what a channel carries.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub inner: String,
}

/// A function or method with a body, summarised.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FnSummary {
    /// The inline module path within the file.
    pub module: Vec<String>,
    /// The self type of the enclosing `impl` (`Bank` for `impl Bank`), if any.
    pub owner: Option<String>,
    /// The function's name.
    pub name: String,
    /// The function's name in the source, for notes.
    pub span: Span,
    /// The whole function, signature to closing brace.
    pub extent: Span,
    /// Whether it is an `async fn`.
    pub is_async: bool,
    /// How it starts the program when it is an entry point: `main` for a plain `fn main`,
    /// the runtime attribute as written for `#[tokio::main(flavor = "current_thread")]` and the
    /// like.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// Whether it is test code.
    pub in_test: bool,
    /// Its parameters, `self` first when it has one.
    pub params: Vec<Param>,
    /// What the body does that other functions may care about, in source order.
    pub events: Vec<Event>,
    /// The lock events whose guard is never used by name (`let _guard = m.lock()`): it
    /// exists to serialise what follows, blocking calls included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serializing: Vec<u32>,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Param {
    /// Its name (`self` for the receiver).
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
}

/// Where in its function an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Ctx {
    /// Synchronous code that runs when the function runs, on its thread (its body, inline
    /// closures).
    Sync,
    /// Code on an async executor: an async function's body, an async block or closure.
    Async,
    /// Code handed to a task or to a caller concur does not know.
    Elsewhere,
    /// Code run on another OS thread: a thread spawn's closure, rayon, the blocking pool.
    Thread,
}

impl Ctx {
    /// Whether the code runs when its function runs, on the caller's thread or executor (not
    /// handed to another thread, task or unknown caller).
    pub fn runs_here(self) -> bool {
        matches!(self, Ctx::Sync | Ctx::Async)
    }
}

/// One thing a function body does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// Where.
    pub span: Span,
    /// In which context.
    pub ctx: Ctx,
    /// Whether it happens only on some paths through the function: in a branch of an `if` or
    /// `match`, or in a loop's body.
    pub conditional: bool,
    /// The locks whose guards are alive here: indices of this function's earlier
    /// [`EventKind::Lock`] events.
    pub held: Vec<u32>,
    /// The innermost [`EventKind::Spawn`] of this function whose spawned code the event is
    /// in (`thread::spawn(move || rx.recv())`): it happens there, not where the function runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<u32>,
    /// What.
    pub kind: EventKind,
}

/// The kinds of events a summary records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EventKind {
    /// A call the catalog knows blocks the thread, with its path as written.
    Blocking(Blocking, String),
    /// A call the catalog knows keeps the CPU busy for long.
    Heavy(String),
    /// A `block_on`.
    BlockOn(String),
    /// A lock taken.
    Lock(LockRef, LockMode),
    /// A call of something that may be the crate's own function.
    Call(Call),
    /// A shell run on the string in parameter `index` (`sh -c <param>`).
    ShellParam(u8),
    /// A read or write of a `static mut`, by its name.
    StaticMut(String),
    /// Code started elsewhere: a thread, a task, a pool's job, a child process. The events
    /// of the spawned code name it in [`Event::within`].
    Spawn(Spawn),
    /// An async runtime or thread pool built here (`Builder::new_multi_thread()`).
    Runtime(String),
    /// A channel made here.
    Channel(ChannelMade),
    /// A message sent on, or received from, a channel half.
    Message(ChanRef, Direction),
    /// A lock held in a local of this function (`let m = Arc::new(Mutex::new(0))`, or a
    /// clone of it), by the local's name, taken: shared with the code it spawns.
    LocalLock(String, LockMode, LockFlavor),
    /// An atomic operation (`load`, `fetch_add`, ...) on a field of `self` or a static.
    Atomic(Shared),
    /// A struct literal storing a channel half or a lock this function holds in a local into
    /// a field (`Worker { tx, state: Arc::clone(&state) }`): the field is that channel or lock.
    FieldInit {
        /// The struct's name (`Self` resolved to the impl's type).
        ty: String,
        /// The field.
        field: String,
        /// What is stored.
        value: Stored,
    },
}

/// What a struct literal stores in a field, as the map follows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Stored {
    /// A half of the channel made by this function's [`EventKind::Channel`] event.
    Channel(u32),
    /// The lock held in this local (its clone aliases resolved).
    Lock(String),
}

/// State reached from `self` or by a static's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Shared {
    /// A field of `self`.
    SelfField(String),
    /// A static, by its name.
    Static(String),
}

/// A spawn site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Spawn {
    /// What is started.
    pub kind: SpawnKind,
    /// The call as written (`thread::spawn`, `tokio::spawn`, `.par_iter()`), or the program of
    /// a child process.
    pub what: String,
    /// Whether it happens once per item (in a loop or a per-item closure).
    pub per_item: bool,
    /// The whole spawn, spawned code included.
    pub extent: Span,
}

/// What a spawn starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SpawnKind {
    /// An OS thread (`thread::spawn`, a `Builder`, a scope's `s.spawn`).
    Thread,
    /// An async task (`tokio::spawn`, `spawn_local`).
    Task,
    /// A job on the blocking pool (`spawn_blocking`, `block_in_place`).
    Blocking,
    /// Work on rayon's pool (`par_iter`, `rayon::spawn`, `join`, `install`).
    Rayon,
    /// A job handed to an executor or pool concur does not know (`pool.execute(f)`).
    Pool,
    /// A child process.
    Process,
}

/// A channel constructor call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelMade {
    /// The constructor as written (`mpsc::channel`, `crossbeam_channel::bounded`).
    pub ctor: String,
    /// Its capacity as written, when it has one.
    pub bound: Option<String>,
}

/// A channel half, as the function can name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ChanRef {
    /// A half of the channel made by this function's [`EventKind::Channel`] event.
    Made(u32),
    /// The parameter at this index.
    Param(u8),
    /// A field of `self`.
    SelfField(String),
}

/// Which way a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    /// A send.
    Send,
    /// A receive.
    Receive,
}

/// What a lock is reached from: the instance it belongs to, as a caller can map it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Base {
    /// `self.field`.
    SelfValue,
    /// `param.field`, by the parameter's index.
    Param(u8),
    /// A static, by its path as written (resolved through the file's imports).
    Static(Vec<String>),
}

/// A lock's identity: the value it is reached from, the field path from there, and its class
/// (the type the path starts from), shared by every instance of that type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LockRef {
    /// The instance.
    pub base: Base,
    /// The field path after the base (`balances` in `acc.balances`); empty for a static.
    pub path: String,
    /// The base's type name (the impl's for `self`, the parameter's declared type), if known.
    pub ty: Option<String>,
    /// The lock's flavor when its declaration is visible in this file.
    pub flavor: Option<LockFlavor>,
}

/// A call of something that may be the crate's own function.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Call {
    /// The callee.
    pub callee: Callee,
    /// The arguments that are strings built at run time (`format!`, concatenation), as a bit
    /// set by position: what a shell helper must not be given.
    pub built_args: u64,
    /// The arguments that are `self` or a parameter of the caller (`&self`, `acc`), by
    /// position: the callee's parameter is then the caller's value.
    pub arg_bases: Vec<(u8, Base)>,
    /// The arguments that are channel halves the caller names, by position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arg_chans: Vec<(u8, ChanRef)>,
    /// The arguments that are a place of the caller's other than `self` or a parameter
    /// (`&self.cache`, `Arc::clone(&state)`, `map.clone()`): its path, by position. A lock the
    /// callee takes on its parameter is then the caller's field or local.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arg_places: Vec<(u8, String)>,
}

/// A callee as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Callee {
    /// `helper(..)`, `crate::store::save(..)`, `Self::new(..)`, `Bank::open(..)`: the path,
    /// resolved through the file's imports as far as they go (`Self` becomes the impl's type).
    Path(Vec<String>),
    /// `receiver.name(..)`.
    Method {
        /// The method's name.
        name: String,
        /// The receiver's type name, when it is known (`self`, a typed parameter or local).
        ty: Option<String>,
        /// The receiver's field whose type decides the method (`self.store.save()` →
        /// `store`), looked up in the struct `ty`.
        field: Option<String>,
        /// The instance the receiver is, for mapping the callee's `self` locks.
        base: Option<Base>,
    },
}
