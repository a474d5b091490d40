//! Draws a crate's map from its model: which contexts exist (entry points, spawn sites, child
//! processes, runtimes), which functions run in each (followed along resolved calls from the
//! entry points and the spawned code), and what each context does to shared state and channels.
//! Nothing is guessed: a call the model cannot resolve leads nowhere, a lock without a class or a
//! channel half that cannot be traced is left out.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::diagnostic::{Diagnostic, Span};
use crate::report::map::{
    CrateMap, Detail, Edge, EdgeKind, Finding, Location, MAX_RUNS, Node, NodeKind,
};
use crate::semantic::catalog::{LockFlavor, LockMode};
use crate::semantic::model::{FnId, Model, Take};
use crate::semantic::summary::{
    Base, ChanRef, Direction, EventKind, Shared, Spawn, SpawnKind, Stored, TypeRef,
};
use crate::syntax::types::is_channel_half;

/// How many contexts the map follows into one function: a helper called from everywhere is
/// drawn in the first few.
const MAX_CONTEXTS_PER_FN: usize = 8;

/// How many calls up the map follows a channel half passed as a parameter.
const MAX_CHANNEL_HOPS: usize = 6;

/// The map of a crate: its model drawn, the findings of the run (those in the crate's files)
/// attached to the nodes they concern. Only the code of the files asked for (`drawn`, the
/// paths the user gave) is drawn; the rest of the crate still resolves calls. Paths in
/// locations are relative to `root` when inside it.
pub fn build(
    model: &Model<'_>,
    name: &str,
    (root, drawn): (&Path, &[&Path]),
    findings: &[Diagnostic],
) -> CrateMap {
    let mut map = Builder::new(model, name, root);
    map.files = model
        .files()
        .iter()
        .map(|f| drawn.contains(&f.path))
        .collect();
    map.contexts();
    map.spawns();
    map.state_and_channels();
    map.lock_orders();
    map.merge_stored();
    map.mark_cycles();
    map.finish(findings)
}

/// A lock's node id, label and declaration.
type LockIdentity<'a> = (String, String, Option<&'a TypeRef>);

/// The node a finding concerns.
enum Placed {
    /// A node of the map.
    Node(String),
    /// The callers concur does not follow (the finding's function is reached from no
    /// context).
    External,
}

/// A place a finding can point at, and the node it then concerns.
struct Site {
    file: usize,
    span: Span,
    node: String,
}

struct Builder<'m, 'a> {
    model: &'m Model<'a>,
    name: String,
    root: &'m Path,
    nodes: BTreeMap<String, Node>,
    edges: BTreeMap<(String, String, EdgeKind), Edge>,
    /// Per function: the contexts its own code (outside spawned code) runs in.
    fn_contexts: Vec<BTreeSet<String>>,
    /// Per function: the calls made of it (caller, event).
    callers: Vec<Vec<(FnId, usize)>>,
    /// Exact places: spawn calls, acquisitions, channel makers.
    sites: Vec<Site>,
    /// The code of each spawn, for findings inside it.
    extents: Vec<Site>,
    /// Nodes that are another under a second name (a channel stored in a field, a local lock
    /// stored in one): the name, the node it is, and what to note on that node.
    stored: Vec<(String, String, Detail)>,
    /// For each lock-order edge, how the held lock is held and the other taken.
    order_modes: Vec<(String, String, LockMode, LockMode)>,
    /// Per file of the model: whether its code is drawn.
    files: Vec<bool>,
    /// Each file's index in the model.
    file_indices: HashMap<&'m Path, usize>,
}

impl<'m, 'a> Builder<'m, 'a> {
    fn new(model: &'m Model<'a>, name: &str, root: &'m Path) -> Self {
        let count = model.functions().count();
        let mut callers = vec![Vec::new(); count];
        for id in model.functions() {
            for event in 0..model.summary(id).events.len() {
                if let Some(callee) = model.callee(id, event) {
                    callers[callee].push((id, event));
                }
            }
        }
        Builder {
            model,
            name: name.to_string(),
            root,
            nodes: BTreeMap::new(),
            edges: BTreeMap::new(),
            fn_contexts: vec![BTreeSet::new(); count],
            callers,
            sites: Vec::new(),
            extents: Vec::new(),
            stored: Vec::new(),
            order_modes: Vec::new(),
            files: Vec::new(),
            file_indices: model
                .files()
                .iter()
                .enumerate()
                .map(|(i, f)| (f.path, i))
                .collect(),
        }
    }

    /// The functions the map draws: the crate's own, not test code and not the build script
    /// (a program of its own that runs at build time).
    fn drawn(&self) -> impl Iterator<Item = FnId> + use<'_, 'm, 'a> {
        self.model.functions().filter(|&id| self.is_drawn(id))
    }

    fn is_drawn(&self, id: FnId) -> bool {
        self.files
            .get(self.model.file_index_of(id))
            .copied()
            .unwrap_or(false)
            && !self.model.skips_test(id)
            && self.model.unit_file(id).target != "build"
    }

    fn location(&self, id: FnId, span: Span) -> Location {
        let path = self.model.file_of(id);
        self.location_in(path, span)
    }

    fn location_in(&self, path: &Path, span: Span) -> Location {
        let shown = path.strip_prefix(self.root).unwrap_or(path);
        let file = shown
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Location {
            file,
            line: span.start.line,
            column: span.start.column,
        }
    }

    /// The module a function is in, as the map groups nodes: `net::tcp`, or the target for
    /// a crate root (`lib`, `main`, `bin:server`).
    fn module(&self, id: FnId) -> String {
        let file = self.model.unit_file(id);
        let mut path: Vec<&str> = file.module.iter().map(String::as_str).collect();
        path.extend(self.model.summary(id).module.iter().map(String::as_str));
        let target = match file.target {
            "lib" | "main" => None,
            other => Some(other),
        };
        match (target, path.is_empty()) {
            (_, true) => file.target.to_string(),
            (None, false) => path.join("::"),
            (Some(target), false) => format!("{target}::{}", path.join("::")),
        }
    }

    /// The id of the context a spawn event starts.
    fn spawn_id(&self, id: FnId, event: usize, spawn: &Spawn) -> String {
        let at = self.location(id, self.model.summary(id).events[event].span);
        let kind = spawn_kind(spawn.kind).as_str();
        format!("{kind}@{}:{}:{}", at.file, at.line, at.column)
    }

    fn external_id(&self) -> String {
        format!("external:{}", self.name)
    }

    fn add_node(&mut self, node: Node) {
        self.nodes.entry(node.id.clone()).or_insert(node);
    }

    fn add_edge(&mut self, from: &str, to: &str, kind: EdgeKind, label: &str, at: Location) {
        let key = (from.to_string(), to.to_string(), kind);
        let edge = self.edges.entry(key).or_insert_with(|| Edge {
            from: from.to_string(),
            to: to.to_string(),
            kind,
            label: String::new(),
            count: 0,
            cycle: false,
            location: Some(at),
        });
        edge.count += 1;
        if !label.is_empty() && !edge.label.split(", ").any(|l| l == label) {
            if !edge.label.is_empty() {
                edge.label.push_str(", ");
            }
            edge.label.push_str(label);
        }
    }

    /// The contexts an event of a function happens in: its spawn's when it is in spawned code,
    /// else its function's (or the callers concur does not follow, when none reach it).
    fn event_contexts(&mut self, id: FnId, event: usize) -> Vec<String> {
        let summary = self.model.summary(id);
        if let Some(within) = summary.events[event].within
            && let EventKind::Spawn(spawn) = &summary.events[within as usize].kind
        {
            return vec![self.spawn_id(id, within as usize, spawn)];
        }
        if self.fn_contexts[id].is_empty() {
            return vec![self.external()];
        }
        self.fn_contexts[id].iter().cloned().collect()
    }

    /// The node of the callers concur does not follow, added when first needed.
    fn external(&mut self) -> String {
        let external = self.external_id();
        {
            self.add_node(
                Node::new(
                    external.clone(),
                    NodeKind::External,
                    "callers outside what concur follows".into(),
                    "external".into(),
                    None,
                )
                .with_details(vec![detail(
                    "what",
                    "the library's users, framework callbacks, calls concur cannot resolve",
                )]),
            );
        }
        external
    }

    /// Finds the entry points and spawns, and which functions run in each context: seeded by
    /// each entry function and each spawn's own code, followed along resolved calls.
    fn contexts(&mut self) {
        let mut work: Vec<(FnId, String)> = Vec::new();
        let drawn: Vec<FnId> = self.drawn().collect();
        for &id in &drawn {
            let summary = self.model.summary(id);
            if let Some(how) = &summary.entry {
                let at = self.location(id, summary.span);
                let ctx = format!("main@{}:{}:{}", at.file, at.line, at.column);
                let kind = if how == "main" && !summary.is_async {
                    NodeKind::Main
                } else {
                    NodeKind::Runtime
                };
                let mut details = vec![detail("entry", &format!("fn {}", summary.name))];
                if how != "main" {
                    details.push(detail("runtime", &format!("#[{how}]")));
                }
                self.add_node(
                    Node::new(
                        ctx.clone(),
                        kind,
                        if how == "main" {
                            format!("{} (main thread)", summary.name)
                        } else {
                            let path = how.split('(').next().unwrap_or(how).trim();
                            format!("{} (#[{path}])", summary.name)
                        },
                        self.module(id),
                        Some(at),
                    )
                    .with_details(details),
                );
                work.push((id, ctx));
            }
            for (i, event) in summary.events.iter().enumerate() {
                let Some(within) = event.within else { continue };
                let EventKind::Spawn(spawn) = &summary.events[within as usize].kind else {
                    continue;
                };
                if let Some(callee) = self.model.callee(id, i) {
                    work.push((callee, self.spawn_id(id, within as usize, spawn)));
                }
            }
        }
        while let Some((id, ctx)) = work.pop() {
            if !self.is_drawn(id)
                || self.fn_contexts[id].contains(&ctx)
                || self.fn_contexts[id].len() >= MAX_CONTEXTS_PER_FN
            {
                continue;
            }
            self.fn_contexts[id].insert(ctx.clone());
            let summary = self.model.summary(id);
            for (i, event) in summary.events.iter().enumerate() {
                if event.within.is_none()
                    && let Some(callee) = self.model.callee(id, i)
                {
                    work.push((callee, ctx.clone()));
                }
            }
        }
    }

    /// A node for each spawn site and runtime built, and an edge from each context that spawns
    /// or builds it.
    fn spawns(&mut self) {
        let drawn: Vec<FnId> = self.drawn().collect();
        for id in drawn {
            let summary = self.model.summary(id);
            for (i, event) in summary.events.iter().enumerate() {
                let at = self.location(id, event.span);
                match &event.kind {
                    EventKind::Spawn(spawn) => {
                        let ctx = self.spawn_id(id, i, spawn);
                        let runs = self.spawned_code(id, i, spawn);
                        let mut details = vec![
                            detail("spawned by", &spawn.what),
                            detail("in", &self.model.name(id)),
                        ];
                        if spawn.per_item {
                            details.push(detail("how many", "one per item (in a loop)"));
                        }
                        self.add_node(
                            Node::new(
                                ctx.clone(),
                                spawn_kind(spawn.kind),
                                runs,
                                self.module(id),
                                Some(at.clone()),
                            )
                            .per_item(spawn.per_item)
                            .with_details(details),
                        );
                        let file = self.model.file_index_of(id);
                        self.sites.push(Site {
                            file,
                            span: event.span,
                            node: ctx.clone(),
                        });
                        self.extents.push(Site {
                            file,
                            span: spawn.extent,
                            node: ctx.clone(),
                        });
                        let label = if spawn.per_item {
                            format!("{} per item", spawn.what)
                        } else {
                            spawn.what.clone()
                        };
                        for parent in self.event_contexts(id, i) {
                            self.add_edge(&parent, &ctx, EdgeKind::Spawns, &label, at.clone());
                        }
                    }
                    EventKind::Runtime(what) => {
                        let node = format!("runtime@{}:{}:{}", at.file, at.line, at.column);
                        self.add_node(
                            Node::new(
                                node.clone(),
                                NodeKind::Runtime,
                                what.clone(),
                                self.module(id),
                                Some(at.clone()),
                            )
                            .with_details(vec![detail("built in", &self.model.name(id))]),
                        );
                        for parent in self.event_contexts(id, i) {
                            self.add_edge(&parent, &node, EdgeKind::Builds, "", at.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// What a spawn runs, for its label: the one crate function it calls (`handle_conn`), the
    /// program of a child process, else the closure in its function.
    fn spawned_code(&self, id: FnId, event: usize, spawn: &Spawn) -> String {
        if spawn.kind == SpawnKind::Process {
            return spawn.what.clone();
        }
        let summary = self.model.summary(id);
        let mut named: Vec<FnId> = summary
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.within == u32::try_from(event).ok())
            .filter_map(|(i, _)| self.model.callee(id, i))
            .collect();
        named.dedup();
        match named.as_slice() {
            [one] => self.model.name(*one),
            _ => format!("{}::{{closure}}", self.model.name(id)),
        }
    }

    fn file_index(&self, path: &Path) -> usize {
        self.file_indices.get(path).copied().unwrap_or(usize::MAX)
    }

    /// Locks, atomics, statics and channels, with an edge from each context that takes,
    /// touches, sends on or receives from them.
    fn state_and_channels(&mut self) {
        let drawn: Vec<FnId> = self.drawn().collect();
        for &id in &drawn {
            let summary = self.model.summary(id);
            for (i, event) in summary.events.iter().enumerate() {
                if let EventKind::Channel(made) = &event.kind {
                    let node = self.channel_id(id, i);
                    let mut details = vec![
                        detail("made by", &made.ctor),
                        detail("in", &self.model.name(id)),
                    ];
                    details.push(detail(
                        "bound",
                        made.bound.as_deref().unwrap_or("unbounded"),
                    ));
                    let bound = made
                        .bound
                        .as_ref()
                        .map_or_else(|| "unbounded".to_string(), |b| format!("bound {b}"));
                    self.add_node(
                        Node::new(
                            node.clone(),
                            NodeKind::Channel,
                            format!("{} ({bound})", made.ctor),
                            self.module(id),
                            Some(self.location(id, event.span)),
                        )
                        .with_details(details),
                    );
                    self.add_site(id, event.span, &node);
                }
            }
        }
        for id in drawn {
            let summary = self.model.summary(id);
            for (i, event) in summary.events.iter().enumerate() {
                let at = self.location(id, event.span);
                let (node, kind, label) = match &event.kind {
                    EventKind::Lock(..) => {
                        let Some(take) = self.model.lock_event(id, i) else {
                            continue;
                        };
                        for (node, label, decl) in self.lock_identities(id, &take) {
                            self.lock_node(&node, &label, take.flavor, decl, id, at.clone());
                            self.add_site(id, event.span, &node);
                            for ctx in self.event_contexts(id, i) {
                                let mode = mode_label(take.mode);
                                self.add_edge(&ctx, &node, EdgeKind::Locks, mode, at.clone());
                            }
                        }
                        continue;
                    }
                    EventKind::LocalLock(name, mode, flavor) => {
                        let owner = self.model.name(id);
                        let node = format!("lock:{}:{owner}::{name}", self.name);
                        let label = format!("{name} (local in {owner})");
                        self.lock_node(&node, &label, Some(*flavor), None, id, at.clone());
                        (node, EdgeKind::Locks, mode_label(*mode))
                    }
                    EventKind::Atomic(shared) => {
                        let Some((node, label, decl)) = self.atomic(id, shared) else {
                            continue;
                        };
                        self.add_node(
                            Node::new(
                                node.clone(),
                                NodeKind::Atomic,
                                label,
                                self.module(id),
                                Some(at.clone()),
                            )
                            .with_details(vec![detail("type", &decl.name)]),
                        );
                        (node, EdgeKind::Touches, "atomic")
                    }
                    EventKind::StaticMut(name) => {
                        let node = format!("static:{}:{name}", self.name);
                        self.add_node(Node::new(
                            node.clone(),
                            NodeKind::Static,
                            format!("static mut {name}"),
                            self.module(id),
                            Some(at.clone()),
                        ));
                        (node, EdgeKind::Touches, "unsynchronised")
                    }
                    EventKind::FieldInit { ty, field, value } => {
                        let in_fn = self.model.name(id);
                        let (alias, canonical, note) = match value {
                            Stored::Channel(made) => (
                                format!("channel:{}:{ty}.{field}", self.name),
                                self.channel_id(id, *made as usize),
                                detail("stored in", &format!("{ty}.{field}")),
                            ),
                            Stored::Lock(local) => (
                                format!("lock:{}:{in_fn}::{local}", self.name),
                                format!("lock:{}:{ty}.{field}", self.name),
                                detail("made in", &format!("{in_fn} as `{local}`")),
                            ),
                        };
                        self.stored.push((alias, canonical, note));
                        continue;
                    }
                    EventKind::Message(chan, direction) => {
                        for node in self.channels_of(id, chan, 0) {
                            for ctx in self.event_contexts(id, i) {
                                let (from, to, kind) = match direction {
                                    Direction::Send => (&ctx, &node, EdgeKind::Sends),
                                    Direction::Receive => (&node, &ctx, EdgeKind::Receives),
                                };
                                self.add_edge(from, to, kind, "", at.clone());
                            }
                        }
                        continue;
                    }
                    _ => continue,
                };
                self.add_site(id, event.span, &node);
                for ctx in self.event_contexts(id, i) {
                    self.add_edge(&ctx, &node, kind, label, at.clone());
                }
            }
        }
    }

    /// A lock's node id and label: its class (`Bank.accounts`, a static), or for a lock that
    /// is a parameter itself (`m: &Mutex<T>`), which the class cannot tell apart from others of
    /// its type, the parameter of its function.
    /// When its callers pass their own field or local for the parameter, those are the lock.
    fn lock_identities(&self, id: FnId, take: &Take) -> Vec<LockIdentity<'a>> {
        if let Some((Base::Param(index), path)) = &take.instance
            && path.is_empty()
            && let Some(param) = self.model.summary(id).params.get(usize::from(*index))
        {
            let passed = self.passed_locks(id, *index, 0);
            if !passed.is_empty() {
                return passed;
            }
            let owner = self.model.name(id);
            return vec![(
                format!("lock:{}:{owner}::{}", self.name, param.name),
                format!("{} (parameter of {owner})", param.name),
                None,
            )];
        }
        vec![(
            format!("lock:{}:{}", self.name, take.class),
            take.class.clone(),
            self.model.lock_decl(take),
        )]
    }

    /// The locks callers pass for parameter `index` of function `id`: a field of theirs
    /// (`&self.cache`), a local (`Arc::clone(&state)`), or their own parameter's, followed up.
    fn passed_locks(&self, id: FnId, index: u8, hops: usize) -> Vec<LockIdentity<'a>> {
        let mut found: Vec<LockIdentity<'a>> = Vec::new();
        if hops >= MAX_CHANNEL_HOPS {
            return found;
        }
        for &(caller, event) in &self.callers[id] {
            let summary = self.model.summary(caller);
            let EventKind::Call(call) = &summary.events[event].kind else {
                continue;
            };
            for (_, place) in call.arg_places.iter().filter(|(i, _)| *i == index) {
                let locks = if let Some(field) = place.strip_prefix("self.") {
                    let Some(owner) = summary.owner.as_deref() else {
                        continue;
                    };
                    let head = field.split('.').next().unwrap_or(field);
                    let decl = self.model.field_decl(owner, head);
                    if decl.is_some_and(|d| d.lock.is_none()) {
                        continue;
                    }
                    vec![(
                        format!("lock:{}:{owner}.{field}", self.name),
                        format!("{owner}.{field}"),
                        decl,
                    )]
                } else if place.contains('.') {
                    continue;
                } else if let Some(param) = summary.params.iter().position(|p| p.name == *place) {
                    let Ok(param) = u8::try_from(param) else {
                        continue;
                    };
                    self.passed_locks(caller, param, hops + 1)
                } else {
                    let owner = self.model.name(caller);
                    vec![(
                        format!("lock:{}:{owner}::{place}", self.name),
                        format!("{place} (local in {owner})"),
                        None,
                    )]
                };
                for lock in locks {
                    if !found.iter().any(|(n, _, _)| *n == lock.0) {
                        found.push(lock);
                    }
                }
            }
        }
        found
    }

    fn add_site(&mut self, id: FnId, span: Span, node: &str) {
        let file = self.model.file_index_of(id);
        self.sites.push(Site {
            file,
            span,
            node: node.to_string(),
        });
    }

    fn lock_node(
        &mut self,
        node: &str,
        label: &str,
        flavor: Option<LockFlavor>,
        decl: Option<&TypeRef>,
        id: FnId,
        at: Location,
    ) {
        if self.nodes.contains_key(node) {
            return;
        }
        let mut details = Vec::new();
        if let Some(decl) = decl {
            details.push(detail("type", &decl.name));
            if !decl.inner.is_empty() {
                details.push(detail("protects", &decl.inner));
            }
        }
        if let Some(flavor) = flavor.or(decl.and_then(|d| d.lock)) {
            details.push(detail("flavor", flavor_label(flavor)));
        }
        self.add_node(
            Node::new(
                node.to_string(),
                NodeKind::Lock,
                label.to_string(),
                self.module(id),
                Some(at),
            )
            .with_details(details),
        );
    }

    /// The node of an atomic a function touches, when its declaration says it is one.
    fn atomic(&self, id: FnId, shared: &Shared) -> Option<(String, String, &'a TypeRef)> {
        let (name, decl) = match shared {
            Shared::SelfField(field) => {
                let owner = self.model.summary(id).owner.as_deref()?;
                (
                    format!("{owner}.{field}"),
                    self.model.field_decl(owner, field)?,
                )
            }
            Shared::Static(name) => (name.clone(), self.model.static_decl(name)?),
        };
        decl.name
            .starts_with("Atomic")
            .then(|| (format!("atomic:{}:{name}", self.name), name.clone(), decl))
    }

    fn channel_id(&self, id: FnId, event: usize) -> String {
        let at = self.location(id, self.model.summary(id).events[event].span);
        format!("channel@{}:{}:{}", at.file, at.line, at.column)
    }

    /// The channels a half the function names belongs to: the one it made, those its callers
    /// pass for a parameter, or a field's.
    fn channels_of(&mut self, id: FnId, chan: &ChanRef, hops: usize) -> Vec<String> {
        match chan {
            ChanRef::Made(event) => {
                let node = self.channel_id(id, *event as usize);
                if self.nodes.contains_key(&node) {
                    vec![node]
                } else {
                    Vec::new()
                }
            }
            ChanRef::Param(index) if hops < MAX_CHANNEL_HOPS => {
                let mut found = Vec::new();
                for (caller, event) in self.callers[id].clone() {
                    let EventKind::Call(call) = &self.model.summary(caller).events[event].kind
                    else {
                        continue;
                    };
                    for (_, passed) in call.arg_chans.iter().filter(|(i, _)| i == index) {
                        for node in self.channels_of(caller, passed, hops + 1) {
                            if !found.contains(&node) {
                                found.push(node);
                            }
                        }
                    }
                }
                found
            }
            ChanRef::Param(_) => Vec::new(),
            ChanRef::SelfField(field) => {
                let Some(owner) = self.model.summary(id).owner.clone() else {
                    return Vec::new();
                };
                let Some(decl) = self.model.field_decl(&owner, field) else {
                    return Vec::new();
                };
                if !is_channel_half(&decl.name) {
                    return Vec::new();
                }
                let node = format!("channel:{}:{owner}.{field}", self.name);
                let mut details = vec![detail("type", &decl.name)];
                if !decl.inner.is_empty() {
                    details.push(detail("carries", &decl.inner));
                }
                let at = self.location(id, self.model.summary(id).span);
                self.add_node(
                    Node::new(
                        node.clone(),
                        NodeKind::Channel,
                        format!("{owner}.{field} ({})", decl.name),
                        self.module(id),
                        Some(at),
                    )
                    .with_details(details),
                );
                vec![node]
            }
        }
    }

    /// The lock-order graph: an edge from each lock held to each lock taken meanwhile (the
    /// edges of a cycle are marked by [`Builder::mark_cycles`]).
    fn lock_orders(&mut self) {
        for edge in self.model.order_edges() {
            if !self.is_drawn(edge.held.site.0) {
                continue;
            }
            let (f, e) = edge.taken.via.first().copied().unwrap_or(edge.taken.site);
            let at = self.location(f, self.model.summary(f).events[e].span);
            let mut ends: Vec<Vec<String>> = Vec::new();
            for take in [&edge.held, &edge.taken] {
                let (f, e) = take.site;
                let site = self.location(f, self.model.summary(f).events[e].span);
                let mut nodes = Vec::new();
                for (node, label, decl) in self.lock_identities(f, take) {
                    self.lock_node(&node, &label, take.flavor, decl, f, site.clone());
                    nodes.push(node);
                }
                ends.push(nodes);
            }
            for held in &ends[0] {
                for taken in &ends[1] {
                    if held != taken {
                        self.add_edge(held, taken, EdgeKind::Order, "then", at.clone());
                        let modes = (held.clone(), taken.clone(), edge.held.mode, edge.taken.mode);
                        if !self.order_modes.contains(&modes) {
                            self.order_modes.push(modes);
                        }
                    }
                }
            }
        }
    }

    /// Makes one node of each channel or lock known under two names: the channel a function
    /// makes and the field it stores a half in, a lock a function holds in a local and the field
    /// it stores it in. Edges, sites and findings move to the one kept.
    fn merge_stored(&mut self) {
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        for (alias, canonical, note) in std::mem::take(&mut self.stored) {
            let Some(mut gone) = self.nodes.remove(&alias) else {
                continue;
            };
            match self.nodes.get_mut(&canonical) {
                Some(kept) => {
                    kept.findings.append(&mut gone.findings);
                    if !kept.details.contains(&note) {
                        kept.details.push(note);
                    }
                }
                // The field is not used by that name: the local's node takes it.
                None => {
                    gone.id.clone_from(&canonical);
                    if let Some((_, field)) = canonical.rsplit_once(':') {
                        gone.label = field.to_string();
                    }
                    gone.details.push(note);
                    self.nodes.insert(canonical.clone(), gone);
                }
            }
            renamed.insert(alias, canonical);
        }
        if renamed.is_empty() {
            return;
        }
        let rename = |id: &String| renamed.get(id).cloned().unwrap_or_else(|| id.clone());
        for site in self.sites.iter_mut().chain(self.extents.iter_mut()) {
            site.node = rename(&site.node);
        }
        for (held, taken, _, _) in &mut self.order_modes {
            *held = rename(held);
            *taken = rename(taken);
        }
        let edges = std::mem::take(&mut self.edges);
        for (_, edge) in edges {
            let (from, to) = (rename(&edge.from), rename(&edge.to));
            if from == to && edge.kind == EdgeKind::Order {
                continue;
            }
            let kept = self
                .edges
                .entry((from.clone(), to.clone(), edge.kind))
                .or_insert_with(|| Edge {
                    from,
                    to,
                    count: 0,
                    label: String::new(),
                    ..edge.clone()
                });
            kept.count += edge.count;
            for label in edge.label.split(", ").filter(|l| !l.is_empty()) {
                if !kept.label.split(", ").any(|l| l == label) {
                    if !kept.label.is_empty() {
                        kept.label.push_str(", ");
                    }
                    kept.label.push_str(label);
                }
            }
        }
    }

    /// Marks the lock-order edges that are on a cycle.
    /// A cycle counts as `lock_order_inversion` counts one: at each lock on it, the mode it is
    /// held in before the next is taken must conflict with the mode it is taken in after the
    /// previous one (two readers of an `RwLock` do not wait for each other).
    fn mark_cycles(&mut self) {
        let order = &self.order_modes;
        let on_cycle: Vec<(String, String)> = order
            .iter()
            .filter(|(from, to, held, taken)| closes_cycle(order, (from, *held), (to, *taken)))
            .map(|(from, to, _, _)| (from.clone(), to.clone()))
            .collect();
        for (from, to) in on_cycle {
            if let Some(edge) = self.edges.get_mut(&(from, to, EdgeKind::Order)) {
                edge.cycle = true;
            }
        }
    }

    /// Attaches the findings, lists the functions each context runs, sorts.
    fn finish(mut self, findings: &[Diagnostic]) -> CrateMap {
        let mut runs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for id in self.drawn() {
            for ctx in &self.fn_contexts[id] {
                runs.entry(ctx.clone())
                    .or_default()
                    .insert(self.model.name(id));
            }
        }
        for (ctx, names) in runs {
            if let Some(node) = self.nodes.get_mut(&ctx) {
                node.runs = names.into_iter().take(MAX_RUNS).collect();
            }
        }
        let mut unplaced = Vec::new();
        for diag in findings {
            let finding = Finding {
                rule: diag.rule.to_string(),
                level: diag.level.as_str().to_string(),
                message: diag.message.clone(),
                location: self.location_in(&diag.path, diag.span),
            };
            let node = match self.node_of(diag) {
                Some(Placed::Node(node)) => Some(node),
                Some(Placed::External) => Some(self.external()),
                None => None,
            };
            match node {
                Some(node) => match self.nodes.get_mut(&node) {
                    Some(node) => node.findings.push(finding),
                    None => unplaced.push(finding),
                },
                None => unplaced.push(finding),
            }
        }
        CrateMap {
            name: self.name,
            nodes: self.nodes.into_values().collect(),
            edges: self.edges.into_values().collect(),
            unplaced,
        }
    }

    /// The node a finding concerns: the site it points at (a spawn, an acquisition, a channel
    /// maker), else the innermost spawned code it is in, else a context its function runs in.
    fn node_of(&self, diag: &Diagnostic) -> Option<Placed> {
        let file = self.file_index(&diag.path);
        let at = diag.span.start;
        let on_line = |span: &Span| span.start.line <= at.line && at.line <= span.end.line;
        let inside = |span: &Span| span.start <= at && at < span.end;
        let innermost = |sites: &[Site], hit: &dyn Fn(&Span) -> bool| {
            sites
                .iter()
                .filter(|s| s.file == file && hit(&s.span))
                .min_by_key(|s| width(&s.span))
                .map(|s| Placed::Node(s.node.clone()))
        };
        if let Some(placed) = innermost(&self.sites, &on_line) {
            return Some(placed);
        }
        if let Some(placed) = innermost(&self.extents, &inside) {
            return Some(placed);
        }
        let function = self
            .drawn()
            .filter(|&id| self.model.file_index_of(id) == file)
            .filter(|&id| inside(&self.model.summary(id).extent))
            .min_by_key(|&id| width(&self.model.summary(id).extent))?;
        Some(
            self.fn_contexts[function]
                .iter()
                .next()
                .map_or(Placed::External, |ctx| Placed::Node(ctx.clone())),
        )
    }
}

/// How many bytes a span covers.
fn width(span: &Span) -> usize {
    span.end.byte.saturating_sub(span.start.byte)
}

/// Whether the lock-order edge from `start` (held in its mode) to `next` (taken in its mode)
/// is on a cycle back to `start` along which every lock's holding conflicts with its taking.
fn closes_cycle(
    order: &[(String, String, LockMode, LockMode)],
    start: (&String, LockMode),
    next: (&String, LockMode),
) -> bool {
    let mut seen: BTreeSet<(&str, u8)> = BTreeSet::new();
    let mut work = vec![(next.0.as_str(), next.1)];
    while let Some((at, taken)) = work.pop() {
        if at == start.0.as_str() {
            if start.1.conflicts(taken) {
                return true;
            }
            continue;
        }
        if !seen.insert((at, taken as u8)) {
            continue;
        }
        for (from, to, held, then) in order {
            if from == at && held.conflicts(taken) {
                work.push((to.as_str(), *then));
            }
        }
    }
    false
}

fn detail(key: &str, value: &str) -> Detail {
    Detail {
        key: key.to_string(),
        value: value.to_string(),
    }
}

fn spawn_kind(kind: SpawnKind) -> NodeKind {
    match kind {
        SpawnKind::Thread => NodeKind::Thread,
        SpawnKind::Task => NodeKind::Task,
        SpawnKind::Blocking => NodeKind::Blocking,
        SpawnKind::Rayon => NodeKind::Rayon,
        SpawnKind::Pool => NodeKind::Pool,
        SpawnKind::Process => NodeKind::Process,
    }
}

fn mode_label(mode: LockMode) -> &'static str {
    match mode {
        LockMode::Read => "read",
        LockMode::Write => "write",
        LockMode::Lock => "lock",
    }
}

fn flavor_label(flavor: LockFlavor) -> &'static str {
    match flavor {
        LockFlavor::Std => "std (blocking)",
        LockFlavor::ParkingLot => "parking_lot (blocking)",
        LockFlavor::Async => "async (awaited)",
        LockFlavor::Reentrant => "re-entrant (blocking)",
    }
}
