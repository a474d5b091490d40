//! The context of the current point of the walk, as rules read it: where the code runs (async,
//! a thread, a pool), the loops around it, the guards alive, whether it is test code, and
//! through [`Facts`] everything known about the names in scope.

use std::ops::{Deref, DerefMut};

use syn::spanned::Spanned;

use crate::analysis::commands::CommandFinder;
use crate::analysis::facts::{ClosureRole, Facts};
use crate::analysis::locks::Guard;
use crate::analysis::loops::TripCount;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Span, Suggestion};
use crate::semantic::platform::is_windows_path;
use crate::semantic::test_code::is_test_path;
use crate::syntax::exprs::callee_span;

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

/// One level of the walk's stack of bodies and loops.
#[derive(Debug, Clone)]
pub(super) enum Frame {
    /// A function body; `entry` is the name of `main` (or a runtime's entry attribute's
    /// function) when it is one.
    Fn {
        is_async: bool,
        entry: Option<Span>,
    },
    AsyncBlock,
    Closure {
        is_async: bool,
        role: ClosureRole,
    },
    Loop(LoopInfo),
}

impl Frame {
    fn is_body(&self) -> bool {
        !matches!(self, Frame::Loop(_))
    }
}

/// A guard alive at the current point, with the block and body it was taken in.
#[derive(Debug, Clone)]
pub(super) struct LiveGuard {
    pub(super) guard: Guard,
    /// The function summary's event for the acquisition, when one was recorded.
    pub(super) event: Option<u32>,
    pub(super) block_depth: usize,
    pub(super) body: usize,
    /// For a temporary guard, the temporary scope it drops at the end of.
    pub(super) temp_scope: Option<usize>,
}

/// The context of the current point of the walk, read by rules.
pub struct Context<'f> {
    facts: Facts<'f>,
    pub(super) frames: Vec<Frame>,
    pub(super) guards: Vec<LiveGuard>,
    pub(super) test_depth: usize,
    pub(super) windows_depth: usize,
    /// How many `pool.install(..)` calls on a pool built in this code enclose the walk.
    pub(super) dedicated_pool_depth: usize,
    /// Whether the file is Windows-only by its path.
    windows_file: bool,
    /// Whether the file is test code by its path (computed once: asked per node).
    in_tests_dir: bool,
    pub(super) block_depth: usize,
    /// The open temporary scopes, innermost last, and how many were opened so far (ids).
    temp_scopes: Vec<usize>,
    temp_scopes_opened: usize,
    pub(super) commands: CommandFinder,
}

impl<'f> Deref for Context<'f> {
    type Target = Facts<'f>;

    fn deref(&self) -> &Facts<'f> {
        &self.facts
    }
}

impl<'f> DerefMut for Context<'f> {
    fn deref_mut(&mut self) -> &mut Facts<'f> {
        &mut self.facts
    }
}

impl<'f> Context<'f> {
    pub(super) fn new(facts: Facts<'f>) -> Self {
        let in_tests_dir = is_test_path(&facts.file.path);
        let windows_file = is_windows_path(&facts.file.path);
        Context {
            facts,
            frames: Vec::new(),
            guards: Vec::new(),
            test_depth: 0,
            windows_depth: 0,
            dedicated_pool_depth: 0,
            windows_file,
            in_tests_dir,
            block_depth: 0,
            temp_scopes: Vec::new(),
            temp_scopes_opened: 0,
            commands: CommandFinder::default(),
        }
    }

    /// The `Command`s and related locals met so far (`let cmd = Command::new(..)`,
    /// `let exe = current_exe()?`).
    pub fn commands(&self) -> &CommandFinder {
        &self.commands
    }

    /// Starts a warning for `rule` on `node`.
    pub fn diagnostic(
        &self,
        rule: &'static str,
        node: &impl Spanned,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.diagnostic_at(rule, self.span(node.span()), message)
    }

    /// Starts a warning for `rule` at `span` (a span already resolved, such as a loop header
    /// joined from its parts).
    pub fn diagnostic_at(
        &self,
        rule: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, self.file.path.clone(), span, message)
    }

    /// Starts a warning for `rule` on the callee of a call (`thread::spawn` in
    /// `thread::spawn(f)`, `lock` in `m.lock()`): where rustc points for a call.
    pub fn call_diagnostic(
        &self,
        rule: &'static str,
        call: &syn::Expr,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.diagnostic_at(rule, self.span(callee_span(call)), message)
    }

    /// A suggestion with one edit: the source text of `node` replaced by `replacement`.
    pub fn replace_with(
        &self,
        node: &impl Spanned,
        replacement: impl Into<String>,
        message: impl Into<String>,
        applicability: Applicability,
    ) -> Suggestion {
        Suggestion {
            message: message.into(),
            edits: vec![Edit {
                span: self.span(node.span()),
                replacement: replacement.into(),
            }],
            applicability,
        }
    }

    /// Whether the current code is test code ([`crate::semantic::test_code`]): inside a test
    /// item, or in a test file by its path.
    pub fn in_test_code(&self) -> bool {
        self.test_depth > 0 || self.in_tests_dir
    }

    /// Whether the current code is built only for Windows ([`crate::semantic::platform`]).
    pub fn windows_only(&self) -> bool {
        self.windows_depth > 0 || self.windows_file
    }

    /// Whether the current code runs inside `pool.install(..)` of a rayon pool built here
    /// (`ThreadPoolBuilder::new()..build()`): a pool of its own, sized for its work, not the
    /// global pool other CPU work queues on.
    pub fn on_dedicated_pool(&self) -> bool {
        self.dedicated_pool_depth > 0
    }

    /// The name of the program's entry function (`main`, or a function under
    /// `#[tokio::main]`), when the current code runs directly in its body rather than in a
    /// task or closure it starts: start-up code, or a one-shot command.
    pub fn entry_fn(&self) -> Option<Span> {
        match self
            .frames
            .iter()
            .rev()
            .find(|f| !matches!(f, Frame::Loop(_)))?
        {
            Frame::Fn { entry, .. } => *entry,
            _ => None,
        }
    }

    /// Where the current code runs.
    pub fn exec(&self) -> Exec {
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::Loop(_) => {}
                Frame::Fn { is_async, .. } | Frame::Closure { is_async, .. } if *is_async => {
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
        self.guards
            .iter()
            .filter(move |g| g.body == body)
            .map(|g| &g.guard)
    }

    /// The summary events of the guards alive in the current body (see [`Context::live_guards`]).
    pub(super) fn live_guard_events(&self) -> impl Iterator<Item = u32> + '_ {
        let body = self.current_body();
        self.guards
            .iter()
            .filter(move |g| g.body == body)
            .filter_map(|g| g.event)
    }

    /// Opens a temporary scope (see the Reference's "Temporary scopes"); returns its id.
    pub(super) fn open_temp_scope(&mut self) -> usize {
        self.temp_scopes_opened += 1;
        self.temp_scopes.push(self.temp_scopes_opened);
        self.temp_scopes_opened
    }

    /// Closes the temporary scope `scope` (and any left open inside it): its temporary guards
    /// drop.
    pub(super) fn close_temp_scope(&mut self, scope: usize) {
        if let Some(i) = self.temp_scopes.iter().rposition(|&s| s == scope) {
            self.temp_scopes.truncate(i);
        }
        self.guards
            .retain(|g| g.temp_scope.is_none_or(|s| self.temp_scopes.contains(&s)));
    }

    /// The innermost open temporary scope (0 outside every function).
    pub(super) fn temp_scope(&self) -> usize {
        self.temp_scopes.last().copied().unwrap_or(0)
    }

    pub(super) fn current_body(&self) -> usize {
        self.frames
            .iter()
            .rposition(Frame::is_body)
            .map_or(0, |i| i + 1)
    }
}
