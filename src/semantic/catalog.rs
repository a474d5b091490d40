//! The known-API catalog: what a canonical path *is*.
//!
//! This is the one place that knows that `std::thread::sleep` is a blocking sleep or that
//! `crossbeam_channel::unbounded` makes an unbounded channel. Rules ask the catalog through
//! [`lookup`], [`lookup_method`] and [`lookup_method_name`]; they never compare path strings.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What kind of blocking a blocking call does (used in messages and help).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Blocking {
    /// `std::thread::sleep`.
    Sleep,
    /// `std::fs` functions and `File` I/O.
    FileSystem,
    /// Blocking `std::net` I/O.
    Network,
    /// Waiting for a child process.
    Process,
    /// Reading standard input.
    Stdin,
    /// A blocking HTTP client (`reqwest::blocking`, `ureq`).
    Http,
    /// Waiting for a thread (`JoinHandle::join`) or a blocking channel receive.
    Wait,
}

/// Which family a lock type belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LockFlavor {
    /// `std::sync::Mutex`/`RwLock`: blocking, poisoning.
    Std,
    /// `parking_lot` (and `lock_api`) locks: blocking, no poisoning.
    ParkingLot,
    /// Locks whose acquisition is awaited (tokio, async-std, futures).
    Async,
    /// Re-entrant mutexes: taking them twice on one thread is fine.
    Reentrant,
}

impl LockFlavor {
    /// Whether acquiring this lock blocks the calling thread.
    pub fn is_blocking(self) -> bool {
        matches!(
            self,
            LockFlavor::Std | LockFlavor::ParkingLot | LockFlavor::Reentrant
        )
    }
}

/// How a lock is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LockMode {
    /// `lock()`.
    Lock,
    /// `read()`.
    Read,
    /// `write()`.
    Write,
}

impl LockMode {
    /// Whether holding a lock in mode `self` makes taking it in mode `taken` wait: every
    /// combination but two readers.
    pub fn conflicts(self, taken: LockMode) -> bool {
        !(self == LockMode::Read && taken == LockMode::Read)
    }
}

/// What a known path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// Spawns an OS thread running the closure argument.
    ThreadSpawn,
    /// `std::thread::Builder::new`: a `.spawn(..)` later in its chain spawns a thread.
    ThreadBuilder,
    /// Runs its closure with a scope handle whose `.spawn` starts scoped threads.
    ThreadScope,
    /// Spawns an async task on an executor.
    TaskSpawn,
    /// Hands a closure to a pool meant for blocking work (`spawn_blocking`, `block_in_place`).
    BlockingHandoff,
    /// A call that blocks the calling thread.
    Blocking(Blocking),
    /// Runs a future to completion on the current thread.
    BlockOn,
    /// `rayon::spawn`.
    RayonSpawn,
    /// `rayon::join`: both closures run on rayon's pool.
    RayonJoin,
    /// `rayon::scope`/`rayon::in_place_scope`: closure param is a rayon scope handle.
    RayonScope,
    /// A pool or runtime builder whose thread count can be set.
    PoolBuilder,
    /// A lock type (the path names the type; `::new` on it is a constructor).
    LockType(LockFlavor),
    /// A channel constructor.
    ChannelNew {
        /// Whether the channel has a capacity bound.
        bounded: bool,
    },
    /// An atomic type.
    AtomicType,
    /// `std::sync::Arc`.
    ArcType,
    /// `std::process::Command`.
    CommandType,
    /// The number of cores (`available_parallelism`, `num_cpus::get`).
    CoreCount,
    /// `std::mem::drop`.
    Drop,
    // --- channels and processes ---
    /// `std::env::current_exe`: the path of the running binary.
    CurrentExe,
    /// `std::process::exit`/`abort`: the process ends here.
    ProcessExit,
    // --- async runtime misuse, threads and pools ---
    /// Sets the thread count of a pool or runtime: its last argument is the count
    /// (`ThreadPoolBuilder::num_threads(n)`, `threadpool::ThreadPool::new(n)`).
    ThreadCount,
    /// An attribute that runs a function on a new multi-threaded runtime (`#[tokio::main]`).
    RuntimeMain,
    /// A call that keeps the CPU busy for long: password hashing, compression, whole-input digests.
    CpuHeavy,
    /// A whole-input digest (`Sha256::digest`, `blake3::hash`): heavy on a request body or a
    /// file, microseconds on an id or a short string. Judged where it is called (its input is
    /// in sight), never through helpers.
    Digest,
    /// A memory ordering (`Ordering::Acquire`): a method taking one is an atomic operation.
    AtomicOrdering,
    // --- locks and shared state ---
    /// `Arc::clone(&x)` / `Rc::clone(&x)`: a new handle to the same value.
    RcClone,
    /// A standard stream (`std::io::stdin()`): its `lock()` serialises the stream, not state.
    StdioHandle,
}

use crate::semantic::catalog::Blocking::{FileSystem, Http, Network, Process, Sleep, Stdin, Wait};
use Api::*;

/// Canonical path → what it is. Re-exports are listed under every public path.
const PATHS: &[(&str, Api)] = &[
    ("std::thread::spawn", ThreadSpawn),
    ("std::thread::Builder::new", ThreadBuilder),
    ("std::thread::scope", ThreadScope),
    ("crossbeam::scope", ThreadScope),
    ("crossbeam::thread::scope", ThreadScope),
    ("crossbeam_utils::thread::scope", ThreadScope),
    ("tokio::spawn", TaskSpawn),
    ("tokio::task::spawn", TaskSpawn),
    ("tokio::task::spawn_local", TaskSpawn),
    ("async_std::task::spawn", TaskSpawn),
    ("async_std::task::spawn_local", TaskSpawn),
    ("smol::spawn", TaskSpawn),
    ("tokio::task::spawn_blocking", BlockingHandoff),
    ("tokio::task::block_in_place", BlockingHandoff),
    ("async_std::task::spawn_blocking", BlockingHandoff),
    ("smol::unblock", BlockingHandoff),
    ("blocking::unblock", BlockingHandoff),
    ("std::thread::sleep", Blocking(Sleep)),
    ("std::thread::sleep_ms", Blocking(Sleep)),
    ("std::fs::read", Blocking(FileSystem)),
    ("std::fs::read_to_string", Blocking(FileSystem)),
    ("std::fs::write", Blocking(FileSystem)),
    ("std::fs::copy", Blocking(FileSystem)),
    ("std::fs::rename", Blocking(FileSystem)),
    ("std::fs::remove_file", Blocking(FileSystem)),
    ("std::fs::remove_dir", Blocking(FileSystem)),
    ("std::fs::remove_dir_all", Blocking(FileSystem)),
    ("std::fs::create_dir", Blocking(FileSystem)),
    ("std::fs::create_dir_all", Blocking(FileSystem)),
    ("std::fs::metadata", Blocking(FileSystem)),
    ("std::fs::symlink_metadata", Blocking(FileSystem)),
    ("std::fs::read_dir", Blocking(FileSystem)),
    ("std::fs::read_link", Blocking(FileSystem)),
    ("std::fs::canonicalize", Blocking(FileSystem)),
    ("std::fs::hard_link", Blocking(FileSystem)),
    ("std::fs::set_permissions", Blocking(FileSystem)),
    ("std::fs::File::open", Blocking(FileSystem)),
    ("std::fs::File::create", Blocking(FileSystem)),
    ("std::fs::File::create_new", Blocking(FileSystem)),
    ("walkdir::WalkDir::new", Blocking(FileSystem)),
    ("std::net::TcpStream::connect", Blocking(Network)),
    ("std::net::TcpStream::connect_timeout", Blocking(Network)),
    ("reqwest::blocking::get", Blocking(Http)),
    ("ureq::get", Blocking(Http)),
    ("ureq::post", Blocking(Http)),
    ("futures::executor::block_on", BlockOn),
    ("futures_executor::block_on", BlockOn),
    ("async_std::task::block_on", BlockOn),
    ("smol::block_on", BlockOn),
    ("futures_lite::future::block_on", BlockOn),
    ("pollster::block_on", BlockOn),
    ("rayon::spawn", RayonSpawn),
    ("rayon::spawn_fifo", RayonSpawn),
    ("rayon::join", RayonJoin),
    ("rayon::scope", RayonScope),
    ("rayon::scope_fifo", RayonScope),
    ("rayon::in_place_scope", RayonScope),
    ("rayon::ThreadPoolBuilder::new", PoolBuilder),
    ("tokio::runtime::Builder::new_multi_thread", PoolBuilder),
    ("std::sync::Mutex", LockType(LockFlavor::Std)),
    ("std::sync::RwLock", LockType(LockFlavor::Std)),
    ("std::sync::ReentrantLock", LockType(LockFlavor::Reentrant)),
    ("parking_lot::Mutex", LockType(LockFlavor::ParkingLot)),
    ("parking_lot::RwLock", LockType(LockFlavor::ParkingLot)),
    ("parking_lot::FairMutex", LockType(LockFlavor::ParkingLot)),
    (
        "parking_lot::ReentrantMutex",
        LockType(LockFlavor::Reentrant),
    ),
    ("spin::Mutex", LockType(LockFlavor::ParkingLot)),
    ("spin::RwLock", LockType(LockFlavor::ParkingLot)),
    ("tokio::sync::Mutex", LockType(LockFlavor::Async)),
    ("tokio::sync::RwLock", LockType(LockFlavor::Async)),
    ("async_std::sync::Mutex", LockType(LockFlavor::Async)),
    ("async_std::sync::RwLock", LockType(LockFlavor::Async)),
    ("futures::lock::Mutex", LockType(LockFlavor::Async)),
    ("futures_util::lock::Mutex", LockType(LockFlavor::Async)),
    ("async_lock::Mutex", LockType(LockFlavor::Async)),
    ("async_lock::RwLock", LockType(LockFlavor::Async)),
    ("std::sync::mpsc::channel", ChannelNew { bounded: false }),
    (
        "std::sync::mpsc::sync_channel",
        ChannelNew { bounded: true },
    ),
    (
        "crossbeam_channel::unbounded",
        ChannelNew { bounded: false },
    ),
    ("crossbeam_channel::bounded", ChannelNew { bounded: true }),
    ("flume::unbounded", ChannelNew { bounded: false }),
    ("flume::bounded", ChannelNew { bounded: true }),
    (
        "tokio::sync::mpsc::unbounded_channel",
        ChannelNew { bounded: false },
    ),
    ("tokio::sync::mpsc::channel", ChannelNew { bounded: true }),
    ("async_channel::unbounded", ChannelNew { bounded: false }),
    ("async_channel::bounded", ChannelNew { bounded: true }),
    (
        "async_std::channel::unbounded",
        ChannelNew { bounded: false },
    ),
    ("async_std::channel::bounded", ChannelNew { bounded: true }),
    (
        "futures::channel::mpsc::unbounded",
        ChannelNew { bounded: false },
    ),
    (
        "futures::channel::mpsc::channel",
        ChannelNew { bounded: true },
    ),
    ("kanal::unbounded", ChannelNew { bounded: false }),
    ("kanal::bounded", ChannelNew { bounded: true }),
    ("std::sync::atomic::AtomicBool", AtomicType),
    ("std::sync::atomic::AtomicUsize", AtomicType),
    ("std::sync::atomic::AtomicIsize", AtomicType),
    ("std::sync::atomic::AtomicU8", AtomicType),
    ("std::sync::atomic::AtomicU16", AtomicType),
    ("std::sync::atomic::AtomicU32", AtomicType),
    ("std::sync::atomic::AtomicU64", AtomicType),
    ("std::sync::atomic::AtomicI8", AtomicType),
    ("std::sync::atomic::AtomicI16", AtomicType),
    ("std::sync::atomic::AtomicI32", AtomicType),
    ("std::sync::atomic::AtomicI64", AtomicType),
    ("std::sync::atomic::AtomicPtr", AtomicType),
    ("std::sync::Arc", ArcType),
    ("std::process::Command", CommandType),
    ("std::thread::available_parallelism", CoreCount),
    ("num_cpus::get", CoreCount),
    ("num_cpus::get_physical", CoreCount),
    ("std::mem::drop", Drop),
    ("drop", Drop),
    // --- channels and processes ---
    ("std::env::current_exe", CurrentExe),
    ("std::process::exit", ProcessExit),
    ("std::process::abort", ProcessExit),
    // --- async runtime misuse, threads and pools ---
    ("rayon::ThreadPoolBuilder::default", PoolBuilder),
    ("rayon_core::ThreadPoolBuilder::new", PoolBuilder),
    ("rayon_core::ThreadPoolBuilder::default", PoolBuilder),
    ("threadpool::Builder::new", PoolBuilder),
    ("threadpool::ThreadPool::new", ThreadCount),
    ("threadpool::ThreadPool::with_name", ThreadCount),
    ("tokio::main", RuntimeMain),
    ("std::sync::atomic::Ordering::Relaxed", AtomicOrdering),
    ("std::sync::atomic::Ordering::Acquire", AtomicOrdering),
    ("std::sync::atomic::Ordering::Release", AtomicOrdering),
    ("std::sync::atomic::Ordering::AcqRel", AtomicOrdering),
    ("std::sync::atomic::Ordering::SeqCst", AtomicOrdering),
    ("bcrypt::hash", CpuHeavy),
    ("bcrypt::hash_with_salt", CpuHeavy),
    ("bcrypt::verify", CpuHeavy),
    ("argon2::hash_encoded", CpuHeavy),
    ("argon2::hash_raw", CpuHeavy),
    ("argon2::verify_encoded", CpuHeavy),
    ("scrypt::scrypt", CpuHeavy),
    ("pbkdf2::pbkdf2", CpuHeavy),
    ("pbkdf2::pbkdf2_hmac", CpuHeavy),
    ("sha2::Sha256::digest", Digest),
    ("sha2::Sha512::digest", Digest),
    ("blake3::hash", Digest),
    ("zstd::encode_all", CpuHeavy),
    ("zstd::stream::encode_all", CpuHeavy),
    ("zstd::bulk::compress", CpuHeavy),
    ("lz4_flex::compress", CpuHeavy),
    ("lz4_flex::compress_prepend_size", CpuHeavy),
    ("miniz_oxide::deflate::compress_to_vec", CpuHeavy),
    // --- locks and shared state ---
    ("std::sync::Arc::clone", RcClone),
    ("std::rc::Rc::clone", RcClone),
    ("std::io::stdin", StdioHandle),
    ("std::io::stdout", StdioHandle),
    ("std::io::stderr", StdioHandle),
];

/// (root call of a method chain, method) → what the method call is. The root is the call a
/// chain starts from, past `?`, `.unwrap()` and `.expect(..)`: in
/// `File::open(p)?.read_to_string(&mut s)` the root is `std::fs::File::open`.
const METHODS_ON_ROOT: &[(&str, &[&str], Api)] = &[
    (
        "std::thread::Builder::new",
        &["spawn", "spawn_scoped"],
        ThreadSpawn,
    ),
    (
        "std::process::Command::new",
        &["output", "status", "wait", "wait_with_output"],
        Blocking(Process),
    ),
    (
        "std::fs::File::open",
        &[
            "read_to_string",
            "read_to_end",
            "read",
            "read_exact",
            "write_all",
            "sync_all",
            "metadata",
        ],
        Blocking(FileSystem),
    ),
    (
        "std::fs::File::create",
        &["write_all", "sync_all", "set_len", "flush"],
        Blocking(FileSystem),
    ),
    ("std::fs::OpenOptions::new", &["open"], Blocking(FileSystem)),
    ("std::fs::File::options", &["open"], Blocking(FileSystem)),
    (
        "std::io::stdin",
        &[
            "read_line",
            "lines",
            "read_to_string",
            "read_to_end",
            "read",
            "read_exact",
        ],
        Blocking(Stdin),
    ),
    (
        "std::net::TcpListener::bind",
        &["accept", "incoming"],
        Blocking(Network),
    ),
    (
        "std::net::UdpSocket::bind",
        &["recv", "recv_from", "send_to"],
        Blocking(Network),
    ),
    (
        "reqwest::blocking::Client::new",
        &["send", "execute"],
        Blocking(Http),
    ),
    // --- async runtime misuse, threads and pools ---
    (
        "rayon::ThreadPoolBuilder::new",
        &["num_threads"],
        ThreadCount,
    ),
    (
        "rayon::ThreadPoolBuilder::default",
        &["num_threads"],
        ThreadCount,
    ),
    (
        "rayon_core::ThreadPoolBuilder::new",
        &["num_threads"],
        ThreadCount,
    ),
    (
        "rayon_core::ThreadPoolBuilder::default",
        &["num_threads"],
        ThreadCount,
    ),
    (
        "tokio::runtime::Builder::new_multi_thread",
        &["worker_threads"],
        ThreadCount,
    ),
    ("threadpool::Builder::new", &["num_threads"], ThreadCount),
    (
        "argon2::Argon2::default",
        &["hash_password", "hash_password_into", "verify_password"],
        CpuHeavy,
    ),
    (
        "argon2::Argon2::new",
        &["hash_password", "hash_password_into", "verify_password"],
        CpuHeavy,
    ),
    (
        "flate2::write::GzEncoder::new",
        &["write_all", "finish"],
        CpuHeavy,
    ),
    (
        "flate2::write::ZlibEncoder::new",
        &["write_all", "finish"],
        CpuHeavy,
    ),
    (
        "flate2::write::DeflateEncoder::new",
        &["write_all", "finish"],
        CpuHeavy,
    ),
    ("std::thread::spawn", &["join"], Blocking(Wait)),
    ("std::thread::Builder::new", &["join"], Blocking(Wait)),
    (
        "std::sync::mpsc::channel",
        &["recv", "recv_timeout", "iter"],
        Blocking(Wait),
    ),
    (
        "std::sync::mpsc::sync_channel",
        &["recv", "recv_timeout", "iter", "send"],
        Blocking(Wait),
    ),
    (
        "crossbeam_channel::unbounded",
        &["recv", "recv_timeout", "iter"],
        Blocking(Wait),
    ),
    (
        "crossbeam_channel::bounded",
        &["recv", "recv_timeout", "iter", "send"],
        Blocking(Wait),
    ),
];

/// Method names that mean the same thing whatever the receiver: specific enough that no
/// other common API uses them with another meaning.
const METHOD_NAMES: &[(&str, Api)] = &[
    ("block_on", BlockOn),
    // tokio's synchronous doors into async primitives: they panic inside a runtime ("Cannot
    // block the current thread from within a runtime") or park its thread.
    ("blocking_lock", BlockOn),
    ("blocking_lock_owned", BlockOn),
    ("blocking_read", BlockOn),
    ("blocking_write", BlockOn),
    ("blocking_recv", BlockOn),
    ("blocking_send", BlockOn),
    ("spawn_blocking", BlockingHandoff),
    ("block_in_place", BlockingHandoff),
];

struct Tables {
    paths: HashMap<&'static str, Api>,
    prefixes: HashSet<String>,
    methods: HashMap<(&'static str, &'static str), Api>,
    names: HashMap<&'static str, Api>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let paths: HashMap<_, _> = PATHS.iter().copied().collect();
        let mut prefixes = HashSet::new();
        for path in PATHS
            .iter()
            .map(|(p, _)| *p)
            .chain(METHODS_ON_ROOT.iter().map(|m| m.0))
        {
            let segments: Vec<&str> = path.split("::").collect();
            for len in 2..=segments.len() {
                prefixes.insert(segments[..len].join("::"));
            }
        }
        let methods = METHODS_ON_ROOT
            .iter()
            .flat_map(|(root, names, api)| names.iter().map(move |name| ((*root, *name), *api)))
            .collect();
        let names = METHOD_NAMES.iter().copied().collect();
        Tables {
            paths,
            prefixes,
            methods,
            names,
        }
    })
}

/// Rewrites paths that name the same item differently to one spelling: `core::`/`alloc::` to
/// `std::`, facade crates to the crate they re-export.
pub fn normalize(mut path: Vec<String>) -> Vec<String> {
    match path.first().map(String::as_str) {
        Some("core" | "alloc") => path[0] = "std".into(),
        Some("crossbeam") if path.get(1).is_some_and(|s| s == "channel") => {
            path.splice(0..2, ["crossbeam_channel".to_string()]);
        }
        // `fs_err` mirrors `std::fs` with better error messages (often imported as `fs`).
        Some("fs_err") if path.get(1).is_none_or(|s| s != "tokio") => {
            path.splice(0..1, ["std".to_string(), "fs".to_string()]);
        }
        _ => {}
    }
    path
}

/// What a canonical path is, if the catalog knows it. A constructor of a known type
/// (`Mutex::new`, `AtomicUsize::new`) answers with the type's entry.
pub fn lookup(path: &[String]) -> Option<Api> {
    let tables = tables();
    let joined = path.join("::");
    if let Some(api) = tables.paths.get(joined.as_str()) {
        return Some(*api);
    }
    if let Some(api) = reentrant_by_name(path) {
        return Some(api);
    }
    let (last, owner) = path.split_last()?;
    if is_constructor(last) {
        let owner = owner.join("::");
        return tables
            .paths
            .get(owner.as_str())
            .copied()
            .filter(|api| matches!(api, LockType(_) | AtomicType | ArcType | CommandType));
    }
    None
}

// --- locks and shared state ---

/// A re-entrant lock type named so in any crate (`ReentrantMutex`, `ReentrantLock`, their `new`):
/// a crate's own re-entrant mutex is as safe to take twice as `parking_lot`'s.
fn reentrant_by_name(path: &[String]) -> Option<Api> {
    let ty = match path {
        [.., ty, ctor] if matches!(ctor.as_str(), "new" | "const_new") => ty,
        [.., ty] => ty,
        [] => return None,
    };
    ty.starts_with("Reentrant")
        .then_some(LockType(LockFlavor::Reentrant))
}

/// What `root(..).….method(..)` is, for a chain whose root call has canonical path `root`.
pub fn lookup_method(root: &[String], method: &str) -> Option<Api> {
    let root = root.join("::");
    tables().methods.get(&(root.as_str(), method)).copied()
}

/// What a method is by its name alone, for the few names that are unambiguous.
pub fn lookup_method_name(method: &str) -> Option<Api> {
    tables().names.get(method).copied()
}

/// Whether `path` is, or starts with, a path the catalog knows (used to resolve glob imports).
pub fn knows_path_prefix(path: &[String]) -> bool {
    path.len() >= 2 && tables().prefixes.contains(&path.join("::"))
}

/// Iterator adapters and combinators that call their closure argument right away, on the
/// calling thread: code in those closures runs in the enclosing context.
pub const INLINE_CLOSURE_METHODS: &[&str] = &[
    "map",
    "for_each",
    "filter",
    "filter_map",
    "flat_map",
    "and_then",
    "or_else",
    "map_err",
    "unwrap_or_else",
    "map_or_else",
    "map_or",
    "fold",
    "try_fold",
    "try_for_each",
    "any",
    "all",
    "find",
    "find_map",
    "position",
    "inspect",
    "take_while",
    "skip_while",
    "scan",
    "then",
    "retain",
    "sort_by",
    "sort_by_key",
    "sort_unstable_by",
    "max_by_key",
    "min_by_key",
    "get_or_insert_with",
    "or_insert_with",
    "entry",
    "with",
    "for_each_with",
    "for_each_init",
];

/// Methods that hand closures or futures to another thread, task or pool whatever their
/// receiver (`pool.execute(f)`, `handle.spawn(fut)`, a scope's `s.spawn(f)`).
pub const SPAWN_METHODS: &[&str] = &[
    "spawn",
    "spawn_scoped",
    "spawn_local",
    "spawn_blocking",
    "spawn_fifo",
    "execute",
];

/// Standard collections, by the name code uses for them (the prelude's `Vec` is not imported).
pub const COLLECTION_TYPES: &[&str] = &[
    "Vec", "VecDeque", "HashMap", "BTreeMap", "HashSet", "BTreeSet",
];

/// Methods that send a message on a channel.
pub const SEND_METHODS: &[&str] = &[
    "send",
    "unbounded_send",
    "send_blocking",
    "blocking_send",
    "try_send",
    "send_timeout",
    "send_async",
];

/// Calls that hand work to a UI toolkit's event loop, to run on the UI thread: how a worker
/// thread of a desktop app reports its results (slint, glib/gtk, winit, egui, iced, fltk).
pub const UI_HANDOFF: &[&str] = &[
    "invoke_from_event_loop",
    "upgrade_in_event_loop",
    "idle_add",
    "idle_add_local",
    "idle_add_once",
    "timeout_add",
    "send_event",
    "request_repaint",
    "awake",
];

/// Receiving methods of channels and queues.
pub const RECV_METHODS: &[&str] = &[
    "recv",
    "try_recv",
    "recv_timeout",
    "recv_async",
    "blocking_recv",
    "try_iter",
    "pop",
];

/// Method names whose loops run over an input of unknown length.
pub const STREAM_METHODS: &[&str] = &[
    "lines",
    "incoming",
    "read_dir",
    "bytes",
    "split",
    "records",
    "walk",
    "into_stream",
];

/// Methods whose call in a `while let` condition yields the next element of an input.
pub const NEXT_METHODS: &[&str] = &[
    "next",
    "accept",
    "read_line",
    "next_line",
    "message",
    "try_next",
    "read",
];

/// Methods that pass a lock's guard through (`m.lock().unwrap()` is still the guard).
pub const GUARD_PASSING_METHODS: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_else",
    "unwrap_or_default",
    "map_err",
    "ok",
];

/// Types of parameters whose values are used like the result of a known call: a method on
/// such a parameter is looked up as if its chain started from that call.
pub const PARAM_TYPE_ROOTS: &[(&str, &str)] = &[
    ("std::process::Command", "std::process::Command::new"),
    ("std::thread::JoinHandle", "std::thread::spawn"),
    ("std::sync::mpsc::Receiver", "std::sync::mpsc::channel"),
    (
        "std::sync::mpsc::SyncSender",
        "std::sync::mpsc::sync_channel",
    ),
    (
        "crossbeam_channel::Receiver",
        "crossbeam_channel::unbounded",
    ),
];

/// Programs that do CPU work a crate does in-process, with that crate: starting one per item
/// spreads the work over processes where threads (or rayon) and the crate would do.
pub const CPU_TOOLS: &[(&str, &str)] = &[
    ("gzip", "flate2"),
    ("gunzip", "flate2"),
    ("pigz", "flate2"),
    ("xz", "xz2"),
    ("unxz", "xz2"),
    ("zstd", "zstd"),
    ("unzstd", "zstd"),
    ("bzip2", "bzip2"),
    ("brotli", "brotli"),
    ("lz4", "lz4_flex"),
    ("sha256sum", "sha2"),
    ("sha512sum", "sha2"),
    ("sha1sum", "sha1"),
    ("md5sum", "md-5"),
    ("b3sum", "blake3"),
    ("convert", "image"),
    ("magick", "image"),
];

/// Combinators that take a `Result`/`Option` by value and hand its content to a closure:
/// a guard inside (`m.read().ok().and_then(|g| g.x.clone())`) moves into the closure and drops
/// there, it is no temporary of the statement.
pub const GUARD_CONSUMING_METHODS: &[&str] = &[
    "map",
    "and_then",
    "map_or",
    "map_or_else",
    "is_some_and",
    "is_ok_and",
];

/// Functions named like the standard streams, whose handles have a `lock()` of their own.
pub const STDIO_FUNCTIONS: &[&str] = &["stdin", "stdout", "stderr"];

/// Iterator adapters that call their closure once per element of the receiver.
pub const PER_ITEM_METHODS: &[&str] = &[
    "map",
    "for_each",
    "filter_map",
    "flat_map",
    "try_for_each",
    "inspect",
    "fold",
    "try_fold",
    "scan",
];

/// Rayon's parallel-iterator entry points: closures further down such a chain run on rayon's pool.
pub const RAYON_ITER_METHODS: &[&str] = &[
    "par_iter",
    "par_iter_mut",
    "into_par_iter",
    "par_chunks",
    "par_chunks_mut",
    "par_bridge",
    "par_lines",
    "par_split",
    "par_windows",
    "par_drain",
];

// --- names the rules and analyses match, each with one meaning ---

/// The memory orderings, for a file that names them through an import concur cannot see
/// (`use super::*`).
pub const ORDERING_NAMES: &[&str] = &["Relaxed", "Acquire", "Release", "AcqRel", "SeqCst"];

/// Non-blocking attempts whose failure means "not yet": looping on them waits for another thread.
pub const TRY_METHODS: &[&str] = &["try_recv", "try_lock", "try_read", "try_write"];

/// Methods on a probe's result that do no work of their own.
pub const RESULT_TEST_METHODS: &[&str] = &[
    "is_ok", "is_err", "is_some", "is_none", "unwrap", "expect", "ok", "err",
];

/// Builder calls that make a child an isolation boundary rather than a worker.
pub const ISOLATION_METHODS: &[&str] = &[
    "env_clear",
    "uid",
    "gid",
    "pre_exec",
    "process_group",
    "chroot",
];

/// Waits that return after a timeout even without a notification.
pub const TIMED_WAIT_METHODS: &[&str] =
    &["wait_timeout", "wait_timeout_ms", "wait_for", "wait_until"];

/// Condition-variable waits that can return without a notification (`wait_while` and
/// `wait_timeout_while` re-check for the caller and are fine).
pub const CONDVAR_WAIT_METHODS: &[&str] = &[
    "wait",
    "wait_timeout",
    "wait_timeout_ms",
    "wait_for",
    "wait_until",
];

/// Methods that only add to a collection.
pub const COLLECTION_ADD_METHODS: &[&str] = &["push", "push_back", "insert", "extend"];

/// Calls that reap a child.
pub const CHILD_WAIT_METHODS: &[&str] = &["wait", "wait_with_output", "try_wait"];

/// `std::fs` functions whose tokio counterpart has the same arguments and output.
pub const TOKIO_FS_FUNCTIONS: &[&str] = &[
    "read",
    "read_to_string",
    "write",
    "copy",
    "rename",
    "remove_file",
    "remove_dir",
    "remove_dir_all",
    "create_dir",
    "create_dir_all",
    "metadata",
    "symlink_metadata",
    "read_link",
    "canonicalize",
    "hard_link",
    "set_permissions",
];

/// Methods of the standard library's shared-state and collection types that only borrow the
/// value behind the `Arc`. A method outside this list may be the program's own, and one taking
/// `self: Arc<Self>` (or `&Arc<Self>`, which can clone it) shares the `Arc`: without types the
/// rule cannot tell, so it stays silent. The atomic operations ([`ATOMIC_METHODS`]) borrow too
/// ([`only_borrows`]).
const BORROWING_METHODS: &[&str] = &[
    "lock",
    "try_lock",
    "read",
    "try_read",
    "write",
    "try_write",
    "get",
    "len",
    "is_empty",
    "iter",
    "contains",
    "contains_key",
    "keys",
    "values",
    "first",
    "last",
    "as_str",
    "as_slice",
    "as_bytes",
    "as_path",
    "as_ref",
    "to_vec",
    "to_string",
    "starts_with",
    "ends_with",
    "wait",
    "notify_one",
    "notify_all",
];

/// Whether a method of the standard library's shared-state and collection types only borrows
/// the value behind an `Arc` ([`BORROWING_METHODS`], the atomic operations).
pub fn only_borrows(method: &str) -> bool {
    BORROWING_METHODS.contains(&method) || ATOMIC_METHODS.contains(&method)
}

/// Methods cheap enough that a statement made only of them is not "work".
pub const CHEAP_METHODS: &[&str] = &[
    "clone",
    "to_owned",
    "to_string",
    "into",
    "unwrap",
    "expect",
    "len",
    "is_empty",
    "as_ref",
    "as_str",
    "borrow",
];

/// Shells that run a command string given after a flag.
pub const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "fish",
    "cmd",
    "powershell",
    "pwsh",
];

/// Adapters that pass every message through, so the loop still runs until the channel ends.
pub const RECEIVER_PASS_THROUGH_METHODS: &[&str] = &[
    "map",
    "filter",
    "filter_map",
    "enumerate",
    "inspect",
    "flatten",
    "flat_map",
    "cloned",
    "copied",
    "peekable",
    "chain",
    "zip",
];

/// Consuming calls that read an iterator to its end.
pub const RECEIVER_CONSUMING_METHODS: &[&str] = &[
    "sum",
    "product",
    "collect",
    "count",
    "for_each",
    "fold",
    "last",
    "max",
    "min",
    "max_by",
    "min_by",
    "max_by_key",
    "min_by_key",
    "partition",
    "unzip",
];

// --- perf: exact fast rejection (issue 10) ---
// Resolving a path allocates; most calls in real code are to the crate's own functions. These
// filters answer "the catalog cannot know this" from one segment, exactly: `false` only when
// `lookup`/`lookup_method` would answer `None` anyway. A new way for `lookup` to answer (like
// `reentrant_by_name`) must be accepted here too; debug builds check every rejection
// (`Context::call_api`, `Context::method_api`), so the fixture suite catches a miss.

/// Last segments of catalog paths, method names of chains on catalog roots, and the names of
/// the types whose constructors the catalog knows.
struct Filters {
    path_lasts: HashSet<&'static str>,
    root_methods: HashSet<&'static str>,
    constructed: HashSet<&'static str>,
    /// The segment before a constructor-named last segment in the catalog's own paths
    /// (`ThreadPoolBuilder` of `rayon::ThreadPoolBuilder::new`).
    constructor_owners: HashSet<&'static str>,
}

fn filters() -> &'static Filters {
    static FILTERS: OnceLock<Filters> = OnceLock::new();
    FILTERS.get_or_init(|| Filters {
        path_lasts: PATHS
            .iter()
            .filter_map(|(path, _)| path.rsplit("::").next())
            .collect(),
        root_methods: METHODS_ON_ROOT
            .iter()
            .flat_map(|(_, names, _)| names.iter().copied())
            .collect(),
        constructed: PATHS
            .iter()
            .filter(|(_, api)| matches!(api, LockType(_) | AtomicType | ArcType | CommandType))
            .filter_map(|(path, _)| path.rsplit("::").next())
            .collect(),
        constructor_owners: PATHS
            .iter()
            .filter_map(|(path, _)| {
                let mut segments = path.rsplit("::");
                let last = segments.next()?;
                is_constructor(last).then(|| segments.next()).flatten()
            })
            .collect(),
    })
}

/// Whether a last segment names a constructor, which [`lookup`] maps to its type's entry.
fn is_constructor(last: &str) -> bool {
    matches!(last, "new" | "const_new" | "default" | "from" | "new_with")
}

/// Whether [`lookup`] can know a canonical path ending in `last`; `false` means it answers
/// `None` for every such path.
pub fn may_lookup(last: &str) -> bool {
    is_constructor(last) || last.starts_with("Reentrant") || filters().path_lasts.contains(last)
}

/// Whether [`lookup`] can know a constructor (`Mutex::new`) written with `owner` as the
/// segment before it: the owner must be a type the catalog knows (resolution keeps that
/// segment, unless it is an imported name, which the caller checks).
pub fn may_own_constructor(owner: &str) -> bool {
    let filters = filters();
    owner.starts_with("Reentrant")
        || filters.constructed.contains(owner)
        || filters.constructor_owners.contains(owner)
}

/// Whether a last segment names a constructor ([`lookup`] maps it to its type's entry).
pub fn names_constructor(last: &str) -> bool {
    is_constructor(last)
}

/// Whether [`lookup_method`] can know a method named `method` on some root; `false` means it
/// answers `None` whatever the root.
pub fn may_lookup_method(method: &str) -> bool {
    filters().root_methods.contains(method)
}

/// Calls that build an async runtime or a thread pool: where a program's executors come from.
const RUNTIME_BUILDERS: &[&[&str]] = &[
    &["tokio", "runtime", "Runtime", "new"],
    &["tokio", "runtime", "Builder", "new_multi_thread"],
    &["tokio", "runtime", "Builder", "new_current_thread"],
    &["rayon", "ThreadPoolBuilder", "new"],
    &["threadpool", "ThreadPool", "new"],
    &["threadpool", "Builder", "new"],
    &["async_executor", "Executor", "new"],
    &["futures", "executor", "ThreadPool", "new"],
];

/// The last two path segments a runtime or pool builder can have (`Runtime::new`,
/// `Builder::new_multi_thread`): the cheap test before a call's path is resolved.
pub const RUNTIME_BUILDER_TYPES: &[&str] = &[
    "Runtime",
    "Builder",
    "ThreadPoolBuilder",
    "ThreadPool",
    "Executor",
];

/// See [`RUNTIME_BUILDER_TYPES`].
pub const RUNTIME_BUILDER_FUNCTIONS: &[&str] = &["new", "new_multi_thread", "new_current_thread"];

/// Whether a call's canonical path builds an async runtime or a thread pool.
pub fn is_runtime_builder(path: &[String]) -> bool {
    RUNTIME_BUILDERS
        .iter()
        .any(|known| known.iter().copied().eq(path.iter().map(String::as_str)))
}

/// The operations of the standard atomic types.
pub const ATOMIC_METHODS: &[&str] = &[
    "load",
    "store",
    "swap",
    "fetch_add",
    "fetch_sub",
    "fetch_and",
    "fetch_or",
    "fetch_xor",
    "fetch_nand",
    "fetch_max",
    "fetch_min",
    "fetch_update",
    "compare_exchange",
    "compare_exchange_weak",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<String> {
        s.split("::").map(String::from).collect()
    }

    #[test]
    fn constructors_of_known_types_resolve_to_the_type() {
        assert_eq!(
            lookup(&path("std::sync::Mutex::new")),
            Some(LockType(LockFlavor::Std))
        );
        assert_eq!(lookup(&path("std::sync::Mutex::lock")), None);
        assert_eq!(lookup(&path("tokio::task::spawn")), Some(TaskSpawn));
        assert_eq!(lookup(&normalize(path("tokio::spawn"))), Some(TaskSpawn));
        assert_eq!(
            lookup_method(&path("std::thread::Builder::new"), "spawn"),
            Some(ThreadSpawn)
        );
    }
}
