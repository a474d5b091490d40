//! How many times a loop runs, as far as syntax can tell: one [`TripCount`] for the walk's loop
//! frames, and its refinement [`LoopSize`] for the rules that also care whether a loop reads a
//! stream or a channel.

use syn::{Expr, ExprMethodCall};

use crate::analysis::facts::Facts;
use crate::semantic::catalog::{self, Api};
use crate::syntax::exprs::{chain_has, chain_root, int_literal, is_constant_name, strip};
use crate::syntax::find::Search;
use crate::syntax::macros;

/// How many times a loop (or a per-item closure) runs.
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

/// A loop's trip count, refined by what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopSize {
    /// A constant count from literals.
    Constant,
    /// A count from a constant item or the number of cores.
    Fixed,
    /// Once per element of a collection.
    PerItem,
    /// Once per element of an input of unknown length: lines of a reader, connections of a
    /// listener, messages of a stream (`while let Some(x) = s.next()`).
    Stream,
    /// Once per message received from a channel or queue (`while let Ok(m) = rx.recv()`):
    /// paced by whoever sends those messages.
    Messages,
    /// Anything else (`0..n`, `loop`, `while cond`).
    Unknown,
}

impl From<TripCount> for LoopSize {
    fn from(trips: TripCount) -> Self {
        match trips {
            TripCount::Constant(_) => LoopSize::Constant,
            TripCount::Fixed => LoopSize::Fixed,
            TripCount::PerItem => LoopSize::PerItem,
            TripCount::Unknown => LoopSize::Unknown,
        }
    }
}

impl Facts<'_> {
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

    /// Classifies a `for` loop over `iterable`, or a per-item adapter over that receiver.
    pub fn for_loop_size(&self, iterable: &Expr) -> LoopSize {
        if chain_has(iterable, catalog::RECV_METHODS) {
            return LoopSize::Messages;
        }
        if chain_has(iterable, catalog::STREAM_METHODS) {
            return LoopSize::Stream;
        }
        self.trip_count(iterable).into()
    }

    /// Whether an expression's value is derived from the number of cores or a constant item
    /// (`available_parallelism()`, `num_cpus::get()`, a local bound from one, `WORKERS`).
    pub fn is_fixed_count(&self, expr: &Expr) -> bool {
        Search::NESTED.any(expr, |e| match e {
            Expr::Call(call) => self.call_api(&call.func) == Some(Api::CoreCount),
            Expr::Path(path) => path.path.segments.last().is_some_and(|last| {
                let name = last.ident.to_string();
                is_constant_name(&name) || self.core_count_locals.contains(&name)
            }),
            _ => false,
        })
    }

    /// The trip count of a loop over a local bound to `init`, when `init` is a literal collection
    /// or a chain starting from a range or literal (so the local is not input data).
    pub(super) fn local_trip_count(&self, init: &Expr) -> Option<TripCount> {
        match strip(chain_root(init)) {
            root @ (Expr::Array(_) | Expr::Range(_) | Expr::Macro(_)) => {
                match self.trip_count(root) {
                    TripCount::PerItem => None,
                    count => Some(count),
                }
            }
            _ => None,
        }
    }
}

/// Classifies a `while` loop by its condition: `while let P = s.next()` reads a stream.
pub fn while_loop_size(cond: &Expr) -> LoopSize {
    match strip(cond) {
        Expr::Let(binding) if chain_has(&binding.expr, catalog::RECV_METHODS) => LoopSize::Messages,
        Expr::Let(binding) if chain_has(&binding.expr, catalog::NEXT_METHODS) => LoopSize::Stream,
        _ => LoopSize::Unknown,
    }
}

/// Whether a collection's name says it holds one entry per worker (`workers`, `thread_states`):
/// a loop over it runs once per worker, not once per input item.
fn names_workers(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["worker", "thread", "core", "cpu"]
        .iter()
        .any(|w| name.contains(w))
}

/// Whether an expression asks some collection for its length (`v.len() / 4`).
fn mentions_len(expr: &Expr) -> bool {
    Search::NESTED.any(
        expr,
        |e| matches!(e, Expr::MethodCall(call) if call.method == "len"),
    )
}
