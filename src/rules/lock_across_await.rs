//! `lock_across_await`: a blocking lock's guard still alive at an `.await`.

use std::collections::HashSet;

use crate::analysis::locks::Guard;
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::declare_rule;
use crate::semantic::catalog::LockFlavor;
use crate::semantic::catalog::LockMode;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    LockAcrossAwait,
    name: "lock_across_await",
    category: Correctness,
    fix: None,
    summary: "a blocking lock's guard held across an `.await`, which can deadlock the executor",
    allowed_by: ["clippy::await_holding_lock"],
);

/// See `rules/lock_across_await.md`. Reports each guard once, at the first `.await` it spans.
#[derive(Default)]
pub struct LockAcrossAwait {
    reported: HashSet<Span>,
}

fn guard_kind(guard: &Guard) -> &'static str {
    match (guard.flavor, guard.mode) {
        (Some(LockFlavor::ParkingLot), LockMode::Lock) => "`parking_lot` mutex guard",
        (Some(LockFlavor::ParkingLot), _) => "`parking_lot` read-write lock guard",
        (Some(LockFlavor::Std), LockMode::Lock) => "std `MutexGuard`",
        (Some(LockFlavor::Std), LockMode::Read) => "std `RwLockReadGuard`",
        (Some(LockFlavor::Std), LockMode::Write) => "std `RwLockWriteGuard`",
        _ => "blocking lock guard",
    }
}

impl Rule for LockAcrossAwait {
    fn check_suspend(&mut self, cx: &Context<'_>, at: Span, out: &mut Vec<Diagnostic>) {
        if !cx.in_async() {
            return;
        }
        for guard in cx.live_guards().filter(|g| g.is_blocking()) {
            if !self.reported.insert(guard.taken) {
                continue;
            }
            let what = if guard.temporary {
                format!("the temporary {} of `{}`", guard_kind(guard), guard.name)
            } else {
                format!("{} `{}`", guard_kind(guard), guard.name)
            };
            out.push(
                cx.diagnostic_at(INFO.name, at, format!("{what} is held across an `.await`"))
                    .with_primary_label("the task may be suspended here with the lock held")
                    .with_label(guard.taken, "guard taken here")
                    .assuming(guard.assumption())
                    .with_help(format!(
                        "{}, or use an async lock such as `tokio::sync::Mutex` if it must be held \
                         across the await",
                        guard.how_to_end()
                    )),
            );
        }
    }
}
