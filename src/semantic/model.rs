//! The crate-wide model: the summaries of every file of a unit (a cargo package, or a loose
//! file), indexed, with calls resolved to the unit's own functions and each function's effects
//! (does it block, run heavy work, `block_on`, which locks does it take) followed along the
//! call graph to a fixpoint.
//!
//! What cannot be resolved stays unknown: a call of something that is not the unit's own
//! function, a method on a receiver whose type is not known, a name two items share. Rules
//! ask the model only about what it resolved, so unknown keeps them silent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Assumption, Span};
use crate::semantic::catalog::{LockFlavor, LockMode};
use crate::semantic::settings::Settings;
use crate::semantic::summary::{
    Base, Call, Callee, Ctx, EventKind, FileSummary, FnSummary, ItemKind, LockRef, TypeRef,
};
use crate::semantic::test_code::is_test_path;

/// A function of the unit: its file and its index in that file's summary.
pub type FnId = usize;

/// One file of a unit, where it sits in the unit's module tree.
#[derive(Debug, Clone, Copy)]
pub struct UnitFile<'a> {
    /// The file.
    pub path: &'a Path,
    /// The crate (target) it belongs to: `lib`, `main`, `bin:NAME`, `test:NAME`, ...
    pub target: &'a str,
    /// Its module path in that crate (`src/net/tcp.rs` → `["net", "tcp"]`).
    pub module: &'a [String],
    /// What it declares and does.
    pub summary: &'a FileSummary,
}

/// Where a file sits in a package: its crate (target) and module path, from its path relative
/// to the package root. `has_lib` says whether the package has `src/lib.rs` (otherwise the
/// files under `src/` belong to the binary).
pub fn module_of(relative: &Path, has_lib: bool) -> (String, Vec<String>) {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let stem = |name: &str| name.strip_suffix(".rs").unwrap_or(name).to_string();
    let module = |rest: &[String]| -> Vec<String> {
        let mut module: Vec<String> = rest.iter().map(|p| stem(p)).collect();
        if module
            .last()
            .is_some_and(|last| matches!(last.as_str(), "mod" | "lib" | "main"))
        {
            module.pop();
        }
        module
    };
    match parts
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["src", "main.rs"] => ("main".into(), Vec::new()),
        ["src", "bin", name, rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| (*s).to_string()).collect();
            (format!("bin:{}", stem(name)), module(&rest))
        }
        ["src", rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| (*s).to_string()).collect();
            let target = if has_lib { "lib" } else { "main" };
            (target.into(), module(&rest))
        }
        [dir @ ("tests" | "examples" | "benches"), name, rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| (*s).to_string()).collect();
            (format!("{dir}:{}", stem(name)), module(&rest))
        }
        ["build.rs"] => ("build".into(), Vec::new()),
        _ => ("lib".into(), module(&parts)),
    }
}

/// Why a function has an effect: the event that has it, or a call of a function that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    /// The function's own event (its index).
    Direct(usize),
    /// A call (the event's index) of a function that has the effect.
    Via(usize, FnId),
    /// The project's configuration names the function (`options.blocking-functions`).
    Configured,
}

/// The effects the model follows through calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// A call that blocks the thread.
    Blocks,
    /// A call that keeps the CPU busy for long.
    Heavy,
    /// A `block_on`.
    BlockOn,
    /// A read or write of a `static mut`.
    StaticMut,
}

const EFFECTS: [Effect; 4] = [
    Effect::Blocks,
    Effect::Heavy,
    Effect::BlockOn,
    Effect::StaticMut,
];

/// A lock a function takes, in its own terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Take {
    /// The instance, when it can be named from the function (`self.state`, parameter 1's
    /// `balances`, a static).
    pub instance: Option<(Base, String)>,
    /// The lock's class: the type it is a field of and the field path, or the static's name.
    pub class: String,
    /// How it is taken.
    pub mode: LockMode,
    /// The lock's flavor, when its declaration is known.
    pub flavor: Option<LockFlavor>,
    /// The function and event where it is taken, at the end of the call chain.
    pub site: (FnId, usize),
    /// The calls that lead there from this function: (function, event) pairs.
    pub via: Vec<(FnId, usize)>,
}

/// A location in the unit, for notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The file.
    pub path: PathBuf,
    /// Where.
    pub span: Span,
}

/// One step of a call chain: a call (or the final operation) in a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The function the step is in.
    pub function: String,
    /// What it does there: the callee's name, or the operation (`std::fs::write`).
    pub does: String,
    /// Where.
    pub site: Site,
    /// Whether this last step is the project's configuration naming the function as blocking
    /// (`options.blocking-functions`) rather than an operation in its body.
    pub configured: bool,
}

/// The model of one unit.
pub struct Model<'a> {
    files: Vec<UnitFile<'a>>,
    fns: Vec<(usize, &'a FnSummary)>,
    crate_name: Option<String>,
    free: HashMap<(&'a str, Vec<String>), Vec<FnId>>,
    methods: HashMap<(String, String), Vec<FnId>>,
    fields: HashMap<&'a str, Vec<&'a [(String, TypeRef)]>>,
    aliases: HashMap<&'a str, &'a TypeRef>,
    statics: HashMap<&'a str, &'a TypeRef>,
    /// Per function, per event: the function a call event resolves to.
    callees: Vec<Vec<Option<FnId>>>,
    effects: Vec<[Option<Reason>; 4]>,
    takes: Vec<Vec<Take>>,
    /// Per file: whether it is test code ([`crate::semantic::test_code`]).
    test_files: Vec<bool>,
    /// Whether test code is checked too (`include-tests`).
    include_tests: bool,
    /// Per function: configured as blocking (`options.blocking-functions`).
    configured: Vec<bool>,
    /// The configured entries that named one of the unit's functions.
    configured_hits: Vec<String>,
}

/// How many distinct locks the model follows per function (a bound on the fixpoint's work).
const MAX_TAKES: usize = 32;

impl<'a> Model<'a> {
    /// Builds the model of a unit: index, resolve every call, propagate effects.
    pub fn build(
        files: Vec<UnitFile<'a>>,
        crate_name: Option<&str>,
        settings: &Settings,
    ) -> Model<'a> {
        let mut model = Model {
            files,
            fns: Vec::new(),
            crate_name: crate_name.map(|n| n.replace('-', "_")),
            free: HashMap::new(),
            methods: HashMap::new(),
            fields: HashMap::new(),
            aliases: HashMap::new(),
            statics: HashMap::new(),
            callees: Vec::new(),
            effects: Vec::new(),
            takes: Vec::new(),
            test_files: Vec::new(),
            include_tests: settings.include_tests,
            configured: Vec::new(),
            configured_hits: Vec::new(),
        };
        model.index();
        model.find_test_files();
        model.resolve_calls();
        model.configure(settings);
        model.propagate_effects();
        model.propagate_takes();
        model
    }

    fn index(&mut self) {
        for (file_index, file) in self.files.iter().enumerate() {
            for item in &file.summary.items {
                match &item.kind {
                    ItemKind::Struct { fields } => {
                        self.fields.entry(&item.name).or_default().push(fields);
                    }
                    ItemKind::Alias { ty } => {
                        self.aliases.insert(&item.name, ty);
                    }
                    ItemKind::Static { ty } => {
                        self.statics.insert(&item.name, ty);
                    }
                }
            }
            for summary in &file.summary.fns {
                let id = self.fns.len();
                self.fns.push((file_index, summary));
                match &summary.owner {
                    Some(owner) => self
                        .methods
                        .entry((owner.clone(), summary.name.clone()))
                        .or_default()
                        .push(id),
                    None => {
                        let mut path = file.module.to_vec();
                        path.extend(summary.module.iter().cloned());
                        path.push(summary.name.clone());
                        self.free.entry((file.target, path)).or_default().push(id);
                    }
                }
            }
        }
    }

    /// Marks the files whose module some file declares as test code (and their submodules),
    /// by module path or by `#[path]`.
    fn find_test_files(&mut self) {
        let mut test_modules: Vec<(&str, Vec<String>)> = Vec::new();
        let mut test_paths: Vec<PathBuf> = Vec::new();
        for file in &self.files {
            for declared in &file.summary.test_mods {
                if let Some(path) = &declared.path {
                    let dir = file.path.parent().unwrap_or(Path::new(""));
                    test_paths.push(lexical(&dir.join(path)));
                    continue;
                }
                let mut module = file.module.to_vec();
                module.extend(declared.inline.iter().cloned());
                module.push(declared.name.clone());
                test_modules.push((file.target, module));
            }
        }
        self.test_files = self
            .files
            .iter()
            .map(|file| {
                is_test_path(file.path)
                    || test_modules
                        .iter()
                        .any(|(target, m)| *target == file.target && file.module.starts_with(m))
                    || test_paths.contains(&lexical(file.path))
            })
            .collect();
    }

    /// The files of the unit that are test code.
    pub fn test_files(&self) -> impl Iterator<Item = &'a Path> + '_ {
        self.files
            .iter()
            .zip(&self.test_files)
            .filter(|(_, test)| **test)
            .map(|(file, _)| file.path)
    }

    /// Marks the unit's functions that `options.blocking-functions` names, by any of their
    /// paths (`crate::store::read_all`, `my_crate::store::read_all`, `store::read_all`,
    /// `Store::flush`) or their bare name.
    fn configure(&mut self, settings: &Settings) {
        self.configured = vec![false; self.fns.len()];
        if settings.blocking_functions.is_empty() {
            return;
        }
        for id in 0..self.fns.len() {
            let (file_index, summary) = self.fns[id];
            let file = &self.files[file_index];
            let mut path: Vec<String> = file.module.to_vec();
            path.extend(summary.module.iter().cloned());
            path.extend(summary.owner.iter().cloned());
            path.push(summary.name.clone());
            let joined = path.join("::");
            let mut names = vec![
                joined.clone(),
                format!("crate::{joined}"),
                summary.name.clone(),
            ];
            if let Some(owner) = &summary.owner {
                names.push(format!("{owner}::{}", summary.name));
            }
            if let Some(name) = &self.crate_name {
                names.push(format!("{name}::{joined}"));
            }
            if let Some(entry) = settings.blocking_entry(&names) {
                self.configured[id] = true;
                if !self.configured_hits.iter().any(|h| h == entry) {
                    self.configured_hits.push(entry.to_string());
                }
            }
        }
    }

    /// The configured `blocking-functions` entries that named one of the unit's functions.
    pub fn configured_hits(&self) -> Vec<String> {
        self.configured_hits.clone()
    }

    /// Whether the crate-wide questions leave a function out as test code (marked so itself,
    /// or in a test file) that `include-tests` does not ask for.
    pub fn skips_test(&self, id: FnId) -> bool {
        !self.include_tests && (self.summary(id).in_test || self.test_files[self.fns[id].0])
    }

    /// The summary of a function.
    pub fn summary(&self, id: FnId) -> &'a FnSummary {
        self.fns[id].1
    }

    /// The file a function is in.
    pub fn file_of(&self, id: FnId) -> &Path {
        self.files[self.fns[id].0].path
    }

    /// The unit file a function is in (its crate target and module path).
    pub fn unit_file(&self, id: FnId) -> &UnitFile<'a> {
        &self.files[self.fns[id].0]
    }

    /// The index in [`Model::files`] of the file a function is in.
    pub fn file_index_of(&self, id: FnId) -> usize {
        self.fns[id].0
    }

    /// The files of the unit.
    pub fn files(&self) -> &[UnitFile<'a>] {
        &self.files
    }

    /// The declared type of field `field` of struct `ty` (through type aliases), when exactly
    /// one struct of that name is known.
    pub fn field_decl(&self, ty: &str, field: &str) -> Option<&'a TypeRef> {
        self.field_type(self.alias_target(ty), field)
    }

    /// The declared type of a static of the unit, by name.
    pub fn static_decl(&self, name: &str) -> Option<&'a TypeRef> {
        self.statics.get(name).copied()
    }

    /// The declaration of the lock a take takes: the field's or the static's type.
    pub fn lock_decl(&self, take: &Take) -> Option<&'a TypeRef> {
        match take.class.split_once('.') {
            Some((ty, path)) => self.field_decl(ty, path.split('.').next().unwrap_or(path)),
            None => self.static_decl(&take.class),
        }
    }

    /// Every function of the unit.
    pub fn functions(&self) -> impl Iterator<Item = FnId> {
        0..self.fns.len()
    }

    /// The function a call event resolves to.
    pub fn callee(&self, id: FnId, event: usize) -> Option<FnId> {
        self.callees[id].get(event).copied().flatten()
    }

    /// A function's display name: `Type::name` for methods.
    pub fn name(&self, id: FnId) -> String {
        let summary = self.summary(id);
        match &summary.owner {
            Some(owner) => format!("{owner}::{}", summary.name),
            None => summary.name.clone(),
        }
    }

    fn resolve_calls(&mut self) {
        let mut callees = Vec::with_capacity(self.fns.len());
        for id in 0..self.fns.len() {
            let resolved = self
                .summary(id)
                .events
                .iter()
                .map(|event| match &event.kind {
                    EventKind::Call(call) => self.resolve(id, &call.callee),
                    _ => None,
                })
                .collect();
            callees.push(resolved);
        }
        self.callees = callees;
    }

    /// The unit's function a callee names, when exactly one does.
    fn resolve(&self, caller: FnId, callee: &Callee) -> Option<FnId> {
        match callee {
            Callee::Path(segments) => self.resolve_path(caller, segments),
            Callee::Method {
                name, ty, field, ..
            } => {
                let mut ty = self.alias_target(ty.as_deref()?);
                if let Some(field) = field {
                    ty = self.alias_target(&self.field_type(ty, field)?.name);
                }
                unique(self.methods.get(&(ty.to_string(), name.clone()))?)
            }
        }
    }

    fn alias_target<'s>(&'s self, ty: &'s str) -> &'s str {
        match self.aliases.get(ty) {
            Some(target) if !target.name.is_empty() => &target.name,
            _ => ty,
        }
    }

    /// The declared type of a struct's field, when exactly one struct of that name is known.
    fn field_type(&self, ty: &str, field: &str) -> Option<&'a TypeRef> {
        let [fields] = self.fields.get(ty)?.as_slice() else {
            return None;
        };
        fields.iter().find(|(n, _)| n == field).map(|(_, t)| t)
    }

    fn resolve_path(&self, caller: FnId, segments: &[String]) -> Option<FnId> {
        let (file_index, summary) = self.fns[caller];
        let file = &self.files[file_index];
        let mut module = file.module.to_vec();
        module.extend(summary.module.iter().cloned());
        let target = file.target;
        // Candidate paths in the caller's crate, then (from a binary, test or example) in the
        // package's library through its name.
        let mut in_lib: Vec<Vec<String>> = Vec::new();
        let candidates: Vec<Vec<String>> = match segments.first()?.as_str() {
            "crate" => vec![segments[1..].to_vec()],
            "self" => vec![[module.as_slice(), &segments[1..]].concat()],
            "super" => {
                let ups = segments.iter().take_while(|s| *s == "super").count();
                let base = module.len().checked_sub(ups)?;
                vec![[&module[..base], &segments[ups..]].concat()]
            }
            first => {
                if target != "lib" && Some(first) == self.crate_name.as_deref() {
                    in_lib.push(segments[1..].to_vec());
                }
                let mut candidates = vec![[module.as_slice(), segments].concat()];
                candidates.push(segments.to_vec());
                for (inline, glob) in &file.summary.globs {
                    if *inline != summary.module {
                        continue;
                    }
                    let base = match glob.first().map(String::as_str) {
                        Some("crate") => glob[1..].to_vec(),
                        Some("super") => {
                            let ups = glob.iter().take_while(|s| *s == "super").count();
                            let Some(keep) = module.len().checked_sub(ups) else {
                                continue;
                            };
                            [&module[..keep], &glob[ups..]].concat()
                        }
                        Some("self") => [module.as_slice(), &glob[1..]].concat(),
                        _ => continue,
                    };
                    candidates.push([base.as_slice(), segments].concat());
                }
                candidates
            }
        };
        let tries = candidates
            .into_iter()
            .map(|path| (target, path))
            .chain(in_lib.into_iter().map(|path| ("lib", path)));
        for (target, path) in tries {
            if path.is_empty() {
                continue;
            }
            if let Some(found) = self.free.get(&(target, path.clone())) {
                return unique(found);
            }
            if let [.., ty, method] = path.as_slice()
                && let Some(found) = self
                    .methods
                    .get(&(self.alias_target(ty).to_string(), method.clone()))
            {
                return unique(found);
            }
        }
        None
    }

    fn effect_event(kind: &EventKind, effect: Effect) -> bool {
        matches!(
            (kind, effect),
            (EventKind::Blocking(..), Effect::Blocks)
                | (EventKind::Heavy(_), Effect::Heavy)
                | (EventKind::BlockOn(_), Effect::BlockOn)
                | (EventKind::StaticMut(_), Effect::StaticMut)
        )
    }

    /// Effects of synchronous functions: their own synchronous events, or calls of synchronous
    /// functions that have the effect. An async function's body is judged where it is.
    fn propagate_effects(&mut self) {
        let mut effects = vec![[None; 4]; self.fns.len()];
        for (id, slot) in effects.iter_mut().enumerate() {
            let summary = self.summary(id);
            if summary.is_async {
                continue;
            }
            for (k, effect) in EFFECTS.iter().enumerate() {
                slot[k] = summary
                    .events
                    .iter()
                    .position(|e| e.ctx == Ctx::Sync && Self::effect_event(&e.kind, *effect))
                    .map(Reason::Direct);
            }
            if self.configured[id] {
                slot[0] = Some(Reason::Configured);
            }
        }
        let mut changed = true;
        while changed {
            changed = false;
            for id in 0..self.fns.len() {
                let summary = self.summary(id);
                if summary.is_async {
                    continue;
                }
                let current = effects[id];
                for (k, slot) in current.iter().enumerate() {
                    if slot.is_some() {
                        continue;
                    }
                    let via = summary.events.iter().enumerate().find_map(|(i, e)| {
                        let callee = self.callee(id, i)?;
                        (e.ctx == Ctx::Sync
                            && !self.summary(callee).is_async
                            && effects[callee][k].is_some())
                        .then_some(Reason::Via(i, callee))
                    });
                    if via.is_some() {
                        effects[id][k] = via;
                        changed = true;
                    }
                }
            }
        }
        self.effects = effects;
    }

    /// Whether a function has `effect`, and the chain of calls down to the operation.
    pub fn effect_chain(&self, id: FnId, effect: Effect) -> Option<Vec<Hop>> {
        let k = EFFECTS.iter().position(|e| *e == effect)?;
        let mut hops = Vec::new();
        let mut at = id;
        let mut seen = Vec::new();
        loop {
            if seen.contains(&at) {
                return None;
            }
            seen.push(at);
            let summary = self.summary(at);
            match self.effects[at][k]? {
                Reason::Direct(event) => {
                    let event = &summary.events[event];
                    let does = match &event.kind {
                        EventKind::Blocking(_, what)
                        | EventKind::Heavy(what)
                        | EventKind::BlockOn(what) => what.clone(),
                        EventKind::StaticMut(name) => format!("static mut {name}"),
                        _ => String::new(),
                    };
                    hops.push(Hop {
                        function: self.name(at),
                        does,
                        site: self.site(at, event.span),
                        configured: false,
                    });
                    return Some(hops);
                }
                Reason::Configured => {
                    hops.push(Hop {
                        function: self.name(at),
                        does: String::new(),
                        site: self.site(at, summary.span),
                        configured: true,
                    });
                    return Some(hops);
                }
                Reason::Via(event, callee) => {
                    hops.push(Hop {
                        function: self.name(at),
                        does: self.name(callee),
                        site: self.site(at, summary.events[event].span),
                        configured: false,
                    });
                    at = callee;
                }
            }
        }
    }

    /// Calls made in context `ctx` (async code, another thread; outside test code) of the
    /// unit's synchronous functions that have `effect`, however deep: (caller, the call's
    /// event, callee).
    pub fn calls_with(&self, ctx: Ctx, effect: Effect) -> Vec<(FnId, usize, FnId)> {
        let k = EFFECTS
            .iter()
            .position(|e| *e == effect)
            .unwrap_or_default();
        let mut found = Vec::new();
        for id in self.functions() {
            if self.skips_test(id) {
                continue;
            }
            for (i, event) in self.summary(id).events.iter().enumerate() {
                if event.ctx == ctx
                    && let Some(callee) = self.callee(id, i)
                    && !self.summary(callee).is_async
                    && self.effects[callee][k].is_some()
                {
                    found.push((id, i, callee));
                }
            }
        }
        found
    }

    /// Calls that pass a string built at run time to a parameter the callee runs as a shell
    /// script (`sh -c <param>`), however deep: (caller, call event, the shell's function, its
    /// shell event).
    pub fn built_scripts(&self) -> Vec<(FnId, usize, FnId, usize)> {
        // Which parameters of which functions reach a shell, and where (to a fixpoint: a
        // parameter passed on to a parameter that reaches a shell reaches it too).
        let mut shells: HashMap<(FnId, u8), (FnId, usize)> = HashMap::new();
        for id in self.functions() {
            for (i, event) in self.summary(id).events.iter().enumerate() {
                if let EventKind::ShellParam(param) = event.kind {
                    shells.entry((id, param)).or_insert((id, i));
                }
            }
        }
        let mut changed = true;
        while changed {
            changed = false;
            for id in self.functions() {
                for (i, event) in self.summary(id).events.iter().enumerate() {
                    let (Some(callee), EventKind::Call(call)) = (self.callee(id, i), &event.kind)
                    else {
                        continue;
                    };
                    let shift = u8::from(matches!(call.callee, Callee::Method { .. }));
                    for (position, base) in &call.arg_bases {
                        let Base::Param(own) = base else { continue };
                        let Some(&site) = shells.get(&(callee, position + shift)) else {
                            continue;
                        };
                        if let std::collections::hash_map::Entry::Vacant(slot) =
                            shells.entry((id, *own))
                        {
                            slot.insert(site);
                            changed = true;
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        for id in self.functions() {
            for (i, event) in self.summary(id).events.iter().enumerate() {
                let (Some(callee), EventKind::Call(call)) = (self.callee(id, i), &event.kind)
                else {
                    continue;
                };
                let shift = u8::from(matches!(call.callee, Callee::Method { .. }));
                for position in 0..64u8 {
                    if call.built_args & (1 << position) == 0 {
                        continue;
                    }
                    if let Some(&(shell_fn, shell_event)) = shells.get(&(callee, position + shift))
                    {
                        found.push((id, i, shell_fn, shell_event));
                        break;
                    }
                }
            }
        }
        found
    }

    /// A place in a function's file.
    pub fn site(&self, id: FnId, span: Span) -> Site {
        Site {
            path: self.file_of(id).to_path_buf(),
            span,
        }
    }

    /// The class of a lock reached in function `id`: the type it is a field of and the path,
    /// or the static's name.
    fn class(&self, id: FnId, lock: &LockRef) -> Option<String> {
        let summary = self.summary(id);
        let ty = match &lock.base {
            Base::Static(path) => return path.last().cloned(),
            Base::SelfValue => summary.owner.clone()?,
            Base::Param(i) => {
                let ty = &summary.params.get(usize::from(*i))?.ty.name;
                (!ty.is_empty()).then(|| ty.clone())?
            }
        };
        Some(format!("{}.{}", self.alias_target(&ty), lock.path))
    }

    /// What the unit declares a lock to be: its flavor from the event, else from the field's
    /// or static's declaration; `Err(())` when the declaration says it is no lock at all.
    fn declared_flavor(&self, id: FnId, lock: &LockRef) -> Result<Option<LockFlavor>, ()> {
        if lock.flavor.is_some() {
            return Ok(lock.flavor);
        }
        let declared = match &lock.base {
            Base::Static(path) => path
                .last()
                .and_then(|n| self.statics.get(n.as_str()).copied()),
            _ => {
                let ty = match &lock.base {
                    Base::SelfValue => self.summary(id).owner.clone(),
                    Base::Param(i) => self
                        .summary(id)
                        .params
                        .get(usize::from(*i))
                        .map(|p| p.ty.name.clone()),
                    Base::Static(_) => None,
                };
                let field = lock.path.split('.').next().unwrap_or_default();
                ty.and_then(|ty| self.field_type(self.alias_target(&ty), field))
            }
        };
        match declared {
            Some(ty) if ty.lock.is_some() => Ok(ty.lock),
            Some(_) => Err(()),
            None => Ok(None),
        }
    }

    /// The locks each function takes, directly or through the calls it makes inline, in its own
    /// terms.
    fn propagate_takes(&mut self) {
        let mut takes: Vec<Vec<Take>> = vec![Vec::new(); self.fns.len()];
        for (id, slot) in takes.iter_mut().enumerate() {
            for (i, event) in self.summary(id).events.iter().enumerate() {
                if !event.ctx.runs_here() {
                    continue;
                }
                if let EventKind::Lock(lock, mode) = &event.kind
                    && let Some(take) = self.own_take(id, i, lock, *mode)
                    && !slot.iter().any(|t| same_take(t, &take))
                    && slot.len() < MAX_TAKES
                {
                    slot.push(take);
                }
            }
        }
        let mut changed = true;
        while changed {
            changed = false;
            for id in 0..self.fns.len() {
                for (i, event) in self.summary(id).events.iter().enumerate() {
                    if !event.ctx.runs_here() {
                        continue;
                    }
                    let Some(callee) = self.callee(id, i) else {
                        continue;
                    };
                    let EventKind::Call(call) = &event.kind else {
                        continue;
                    };
                    let mapped: Vec<Take> = takes[callee]
                        .iter()
                        .filter(|t| !t.via.iter().any(|(f, _)| *f == id))
                        .map(|t| map_take(t, call, id, i))
                        .collect();
                    for take in mapped {
                        if takes[id].len() < MAX_TAKES
                            && !takes[id].iter().any(|t| same_take(t, &take))
                        {
                            takes[id].push(take);
                            changed = true;
                        }
                    }
                }
            }
        }
        self.takes = takes;
    }

    fn own_take(&self, id: FnId, event: usize, lock: &LockRef, mode: LockMode) -> Option<Take> {
        let flavor = self.declared_flavor(id, lock).ok()?;
        Some(Take {
            instance: Some((lock.base.clone(), lock.path.clone())),
            class: self.class(id, lock)?,
            mode,
            flavor,
            site: (id, event),
            via: Vec::new(),
        })
    }

    /// Whether the package's declarations refute what a finding assumes: a field assumed to be
    /// a blocking lock that is declared as an async lock, or as no lock at all.
    pub fn refutes(&self, assumption: &Assumption) -> bool {
        match assumption {
            Assumption::BlockingLock { owner, field } => self
                .field_type(self.alias_target(owner), field)
                .is_some_and(|ty| !ty.lock.is_some_and(LockFlavor::is_blocking)),
        }
    }

    /// The locks a function takes (see [`Take`]).
    pub fn takes(&self, id: FnId) -> &[Take] {
        &self.takes[id]
    }

    /// The lock a function's own lock event takes, as a [`Take`]; `None` when its declaration
    /// says it is no lock or it has no class.
    pub fn lock_event(&self, id: FnId, event: usize) -> Option<Take> {
        match &self.summary(id).events.get(event)?.kind {
            EventKind::Lock(lock, mode) => self.own_take(id, event, lock, *mode),
            _ => None,
        }
    }

    /// Whether a lock is held by a guard never used by name (`let _guard = m.lock()`), which
    /// exists to serialise what follows.
    pub fn serializes(&self, take: &Take) -> bool {
        let (id, event) = take.site;
        u32::try_from(event).is_ok_and(|e| self.summary(id).serializing.contains(&e))
    }

    /// How a held lock is written in the function that holds it (`self.state`, `acc.balances`,
    /// `STATE`).
    pub fn lock_label(&self, take: &Take) -> String {
        let (base, path) = match &take.instance {
            Some(instance) => instance,
            None => return take.class.clone(),
        };
        let head = match base {
            Base::SelfValue => "self".to_string(),
            Base::Param(i) => self
                .summary(take.site.0)
                .params
                .get(usize::from(*i))
                .map_or_else(String::new, |p| p.name.clone()),
            Base::Static(segments) => return segments.join("::"),
        };
        if path.is_empty() {
            head
        } else {
            format!("{head}.{path}")
        }
    }

    /// Whether a function that makes the first call of a take's chain always takes the lock:
    /// every later call of the chain, and the acquisition, happen on every path through their
    /// functions (not only in a branch or a loop that may not run).
    pub fn take_is_certain(&self, take: &Take) -> bool {
        let unconditional = |(f, e): (FnId, usize)| !self.summary(f).events[e].conditional;
        take.via.iter().skip(1).copied().all(unconditional) && unconditional(take.site)
    }

    /// Where a take starts in the function it belongs to: the call that leads to the lock, or
    /// the acquisition itself.
    pub fn take_site(&self, take: &Take) -> Site {
        let (f, e) = take.via.first().copied().unwrap_or(take.site);
        self.site(f, self.summary(f).events[e].span)
    }

    /// The steps from a function's call down to where a lock is taken.
    pub fn take_chain(&self, take: &Take) -> Vec<Hop> {
        let mut hops: Vec<Hop> = take
            .via
            .iter()
            .map(|&(f, e)| {
                let callee = self.callee(f, e).map(|c| self.name(c)).unwrap_or_default();
                Hop {
                    function: self.name(f),
                    does: callee,
                    site: self.site(f, self.summary(f).events[e].span),
                    configured: false,
                }
            })
            .collect();
        let (f, e) = take.site;
        hops.push(Hop {
            function: self.name(f),
            does: format!("locks `{}`", take.class),
            site: self.site(f, self.summary(f).events[e].span),
            configured: false,
        });
        hops
    }
}

/// A call of the unit's own function made while guards are held.
#[derive(Debug, Clone)]
pub struct HeldCall {
    /// The calling function.
    pub caller: FnId,
    /// The call's event in it.
    pub event: usize,
    /// The function called.
    pub callee: FnId,
    /// The locks held at the call, in the caller's terms.
    pub held: Vec<Take>,
}

/// One lock taken while another is held: an edge of the lock-order graph.
#[derive(Debug, Clone)]
pub struct OrderEdge {
    /// The lock held (taken in the function the edge is in).
    pub held: Take,
    /// The lock taken while it is held, directly or through calls ([`Take::via`]).
    pub taken: Take,
}

impl Model<'_> {
    /// The locks held at an event of a function, as takes.
    fn held_at(&self, id: FnId, event: usize) -> Vec<Take> {
        self.summary(id).events[event]
            .held
            .iter()
            .filter_map(|&h| self.lock_event(id, h as usize))
            .collect()
    }

    /// Every call of the unit's own function made while a guard is held (outside test code and
    /// code handed elsewhere).
    pub fn held_calls(&self) -> Vec<HeldCall> {
        let mut found = Vec::new();
        for id in self.functions() {
            let summary = self.summary(id);
            if self.skips_test(id) {
                continue;
            }
            for (i, event) in summary.events.iter().enumerate() {
                if event.held.is_empty() || !event.ctx.runs_here() {
                    continue;
                }
                let Some(callee) = self.callee(id, i) else {
                    continue;
                };
                let held = self.held_at(id, i);
                if !held.is_empty() {
                    found.push(HeldCall {
                        caller: id,
                        event: i,
                        callee,
                        held,
                    });
                }
            }
        }
        found
    }

    /// The locks a held call's callee takes, in the caller's terms.
    pub fn call_takes(&self, call: &HeldCall) -> Vec<Take> {
        let EventKind::Call(c) = &self.summary(call.caller).events[call.event].kind else {
            return Vec::new();
        };
        self.takes(call.callee)
            .iter()
            .map(|t| map_take(t, c, call.caller, call.event))
            .collect()
    }

    /// Every edge of the unit's lock-order graph: a lock taken while another is held, in one
    /// function or through the calls it makes (outside test code).
    pub fn order_edges(&self) -> Vec<OrderEdge> {
        let mut edges = Vec::new();
        for id in self.functions() {
            let summary = self.summary(id);
            if self.skips_test(id) {
                continue;
            }
            for (i, event) in summary.events.iter().enumerate() {
                if event.held.is_empty() || !event.ctx.runs_here() {
                    continue;
                }
                let taken: Vec<Take> = match &event.kind {
                    EventKind::Lock(..) => self.lock_event(id, i).into_iter().collect(),
                    EventKind::Call(_) => match self.callee(id, i) {
                        Some(callee) => self.call_takes(&HeldCall {
                            caller: id,
                            event: i,
                            callee,
                            held: Vec::new(),
                        }),
                        None => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                for held in self.held_at(id, i) {
                    for taken in &taken {
                        if held.class != taken.class {
                            edges.push(OrderEdge {
                                held: held.clone(),
                                taken: taken.clone(),
                            });
                        }
                    }
                }
            }
        }
        edges
    }
}

/// The one element of a candidate list, when there is exactly one.
fn unique(found: &[FnId]) -> Option<FnId> {
    match found {
        [one] => Some(*one),
        _ => None,
    }
}

fn same_take(a: &Take, b: &Take) -> bool {
    a.instance == b.instance && a.class == b.class && a.mode == b.mode
}

/// A callee's take as the caller sees it through `call` (event `event` of `caller`): its
/// `self` is the call's receiver, its parameters the call's arguments, statics stay what they
/// are; anything else has only a class.
fn map_take(take: &Take, call: &Call, caller: FnId, event: usize) -> Take {
    let instance = match &take.instance {
        Some((Base::Static(path), field)) => Some((Base::Static(path.clone()), field.clone())),
        Some((Base::SelfValue, field)) => match &call.callee {
            Callee::Method {
                base: Some(base), ..
            } => Some((base.clone(), field.clone())),
            _ => None,
        },
        Some((Base::Param(index), field)) => {
            // A method's parameters start after its receiver; a path call's at 0.
            let shift = u8::from(matches!(call.callee, Callee::Method { .. }));
            let position = index.checked_sub(shift);
            call.arg_bases
                .iter()
                .find(|(i, _)| Some(*i) == position)
                .map(|(_, base)| (base.clone(), field.clone()))
        }
        None => None,
    };
    let mut via = vec![(caller, event)];
    via.extend(take.via.iter().copied());
    Take {
        instance,
        class: take.class.clone(),
        mode: take.mode,
        flavor: take.flavor,
        site: take.site,
        via,
    }
}

/// `path` with `.` and `a/..` removed, without asking the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_follow_the_package_layout() {
        let m = |p: &str, lib| module_of(Path::new(p), lib);
        assert_eq!(m("src/lib.rs", true), ("lib".into(), vec![]));
        assert_eq!(
            m("src/net/mod.rs", true),
            ("lib".into(), vec!["net".into()])
        );
        assert_eq!(
            m("src/net/tcp.rs", false),
            ("main".into(), vec!["net".into(), "tcp".into()])
        );
        assert_eq!(m("src/main.rs", true), ("main".into(), vec![]));
        assert_eq!(m("src/bin/tool.rs", true), ("bin:tool".into(), vec![]));
        assert_eq!(m("tests/api.rs", true), ("tests:api".into(), vec![]));
        assert_eq!(m("build.rs", true), ("build".into(), vec![]));
    }
}
