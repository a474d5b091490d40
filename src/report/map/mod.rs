//! `concur map`: the concurrency architecture of a crate as a graph. [`build`] draws it from the
//! crate-wide model (execution contexts, shared state, channels, who spawns, sends, receives and
//! locks what, the lock-order graph) with the run's findings attached; [`dot`], [`mermaid`] and
//! [`html`] render it, and the graph itself serialises as the documented JSON (`docs/map.md`).
//!
//! Ids are stable: a site's kind, file and position (`thread@src/main.rs:12:5`), or a shared
//! value's crate and name (`lock:bank:Bank.accounts`); nodes and edges are sorted by them, so
//! the same source always gives the same bytes.

mod build;
pub mod dot;
pub mod html;
pub mod mermaid;

pub use build::build;

use serde::Serialize;

/// The version of the JSON format; raised when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

/// Every crate's map of one run: what `concur map --format json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct MapDocument {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// One map per crate (cargo package, or loose file), in path order.
    pub crates: Vec<CrateMap>,
}

/// The map of one crate.
#[derive(Debug, Clone, Serialize)]
pub struct CrateMap {
    /// The package's name, or the loose file's.
    pub name: String,
    /// Contexts, shared state and channels, sorted by id.
    pub nodes: Vec<Node>,
    /// Spawns, messages, lock acquisitions and lock orders, sorted by `from`, `to`, `kind`.
    pub edges: Vec<Edge>,
    /// Findings of the crate that concern no node of the map.
    pub unplaced: Vec<Finding>,
}

/// One node: an execution context, a piece of shared state or a channel.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Unique in the document, stable across runs.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// A short name: the function that runs there, the lock's field, the channel's maker.
    pub label: String,
    /// The module it is in (`net::tcp`), or the target for a binary's root (`bin:server`).
    pub module: String,
    /// Where it is made or started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Whether a spawn happens once per item (in a loop).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub per_item: bool,
    /// Facts to show beside the label: how it is spawned, a lock's flavor and protected type,
    /// a channel's bound.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Detail>,
    /// For a context: the crate's functions that run there (at most [`MAX_RUNS`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<String>,
    /// The findings that concern it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

/// How many functions a context lists as running there.
pub const MAX_RUNS: usize = 40;

/// One fact about a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail {
    /// What the fact is (`spawned by`, `protects`, `bound`).
    pub key: String,
    /// Its value.
    pub value: String,
}

/// The kinds of nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// An entry point: `fn main`, or `#[tokio::main]` and the like.
    Main,
    /// An async runtime or thread pool built in code.
    Runtime,
    /// An OS thread.
    Thread,
    /// An async task.
    Task,
    /// A job on the blocking pool.
    Blocking,
    /// Work on rayon's pool.
    Rayon,
    /// A job handed to an executor or pool concur does not know.
    Pool,
    /// A child process.
    Process,
    /// Code run by callers concur does not follow: the library's users, a framework's
    /// callbacks.
    External,
    /// A lock (`Mutex`, `RwLock`, ...).
    Lock,
    /// An atomic.
    Atomic,
    /// A `static mut`.
    Static,
    /// A channel.
    Channel,
}

impl NodeKind {
    /// The name used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Main => "main",
            NodeKind::Runtime => "runtime",
            NodeKind::Thread => "thread",
            NodeKind::Task => "task",
            NodeKind::Blocking => "blocking",
            NodeKind::Rayon => "rayon",
            NodeKind::Pool => "pool",
            NodeKind::Process => "process",
            NodeKind::External => "external",
            NodeKind::Lock => "lock",
            NodeKind::Atomic => "atomic",
            NodeKind::Static => "static",
            NodeKind::Channel => "channel",
        }
    }

    /// Whether code runs there (a context), as opposed to state or a channel.
    pub fn is_context(self) -> bool {
        !matches!(
            self,
            NodeKind::Lock | NodeKind::Atomic | NodeKind::Static | NodeKind::Channel
        )
    }
}

/// One edge.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// The id of the node it starts at.
    pub from: String,
    /// The id of the node it ends at.
    pub to: String,
    /// What it is.
    pub kind: EdgeKind,
    /// How: the spawn call, the lock mode, the send method.
    pub label: String,
    /// How many places in the code make it.
    pub count: usize,
    /// For a lock order: whether it is part of a cycle (a possible deadlock).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
    /// The first place in the code that makes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The kinds of edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A context starts another.
    Spawns,
    /// A context builds a runtime or pool.
    Builds,
    /// A context sends on a channel.
    Sends,
    /// A channel's messages are received in a context.
    Receives,
    /// A context takes a lock.
    Locks,
    /// A context reads or writes an atomic or a `static mut`.
    Touches,
    /// A lock is taken while another is held: `from` is held, `to` is taken.
    Order,
}

impl EdgeKind {
    /// The name used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Spawns => "spawns",
            EdgeKind::Builds => "builds",
            EdgeKind::Sends => "sends",
            EdgeKind::Receives => "receives",
            EdgeKind::Locks => "locks",
            EdgeKind::Touches => "touches",
            EdgeKind::Order => "order",
        }
    }
}

/// A place in the source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The file, relative to the folder the map was made of when it is inside it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// A finding of concur's rules, attached to the node it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's name.
    pub rule: String,
    /// `error`, `warning` or `note`.
    pub level: String,
    /// The message.
    pub message: String,
    /// Where.
    pub location: Location,
}

impl Node {
    /// A node with no details, functions or findings yet.
    pub fn new(
        id: String,
        kind: NodeKind,
        label: String,
        module: String,
        location: Option<Location>,
    ) -> Node {
        Node {
            id,
            kind,
            label,
            module,
            location,
            per_item: false,
            details: Vec::new(),
            runs: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The node, marked as started once per item.
    #[must_use]
    pub fn per_item(mut self, per_item: bool) -> Node {
        self.per_item = per_item;
        self
    }

    /// The node with these details.
    #[must_use]
    pub fn with_details(mut self, details: Vec<Detail>) -> Node {
        self.details = details;
        self
    }

    /// The label the text formats print: the kind, then the label (`thread: worker`).
    pub fn title(&self) -> String {
        let times = if self.per_item { " ×N" } else { "" };
        format!("{}{times}: {}", self.kind.as_str(), self.label)
    }
}

impl Edge {
    /// The label the text formats print: the kind, then how (`spawns: tokio::spawn`), then how
    /// many places make it when more than one (`×3`).
    pub fn title(&self) -> String {
        let mut title = self.kind.as_str().to_string();
        if !self.label.is_empty() {
            title.push_str(": ");
            title.push_str(&self.label);
        }
        if self.count > 1 {
            title.push_str(&format!(" ×{}", self.count));
        }
        title
    }
}

impl MapDocument {
    /// The nodes grouped by crate and module, in order: the clusters of the text formats.
    pub fn modules(&self) -> std::collections::BTreeMap<(&str, &str), Vec<&Node>> {
        let mut groups: std::collections::BTreeMap<(&str, &str), Vec<&Node>> =
            std::collections::BTreeMap::new();
        for (krate, node) in self.nodes() {
            groups.entry((krate, &node.module)).or_default().push(node);
        }
        groups
    }

    /// Every node of every crate, with the crate's name.
    pub fn nodes(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.crates
            .iter()
            .flat_map(|c| c.nodes.iter().map(move |n| (c.name.as_str(), n)))
    }

    /// Every edge of every crate.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.crates.iter().flat_map(|c| &c.edges)
    }

    /// Writes the document as JSON (pretty, one trailing newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}
