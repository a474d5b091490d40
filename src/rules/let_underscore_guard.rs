//! `let_underscore_guard`: `let _ = m.lock()`: the guard drops at once, the section is empty.

use syn::spanned::Spanned;
use syn::{Block, Local, Pat, Stmt};

use crate::analysis::locks::lock_acquisition;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Span, Suggestion};
use crate::rules::declare_rule;
use crate::semantic::catalog::LockMode;
use crate::syntax::exprs::place_key;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    LetUnderscoreGuard,
    name: "let_underscore_guard",
    category: Correctness,
    fix: Safe,
    summary: "`let _ = m.lock()` drops the guard at once, so nothing is protected",
    allowed_by: ["clippy::let_underscore_lock"],
);

/// See `rules/let_underscore_guard.md`.
#[derive(Default)]
pub struct LetUnderscoreGuard;

impl Rule for LetUnderscoreGuard {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        // The last statement of a block protects nothing either way: `let _guard` would drop
        // at the same moment (benchmarks and deadlock tests take a lock just to wait for it).
        let Some((_, init)) = block.stmts.split_last() else {
            return;
        };
        let block_end = cx.span(block.brace_token.span.close()).start.byte;
        for stmt in init {
            if let Stmt::Local(local) = stmt {
                let local_end = cx.span(local.semi_token.span).end.byte;
                let rest = cx.file.text.get(local_end..block_end).unwrap_or("");
                check(cx, local, rest, out);
            }
        }
    }
}

/// Reports `local` when it drops a guard at once; `rest` is the source text of the rest of its
/// block, where the fixed guard would stay alive.
fn check(cx: &Context<'_>, local: &Local, rest: &str, out: &mut Vec<Diagnostic>) {
    let wild = match &local.pat {
        Pat::Type(typed) => &*typed.pat,
        pat => pat,
    };
    if !matches!(wild, Pat::Wild(_)) {
        return;
    }
    let Some(init) = &local.init else { return };
    if init.diverge.is_some() {
        return;
    }
    let Some(acq) = lock_acquisition(&init.expr) else {
        return;
    };
    let key = place_key(&acq.call.receiver);
    // `let _ = CONFIG.lock();` on a lazily initialised static the block does not touch again
    // forces its initialisation (and waits for a holder): there is no section to protect.
    if let Some(k) = &key
        && cx.locks().is_lazy_static(k)
        && !rest.contains(k.as_str())
    {
        return;
    }
    let declared = key.as_deref().and_then(|k| cx.lock_flavor(k)).is_some();
    // A `read()`/`write()` with no arguments on something not declared as a lock may be
    // a pointer read or a custom API.
    if acq.mode != LockMode::Lock && !declared && !acq.awaited {
        return;
    }
    // The fix keeps the guard to the end of the block: right only when the rest of the block
    // neither names the same lock again (a second acquisition would self-deadlock) nor awaits
    // while a blocking guard is held (the future would stop being `Send`). Otherwise the
    // critical section must be drawn by hand, and no fix is offered.
    let fixable = key
        .as_ref()
        .is_some_and(|k| !rest.contains(k.as_str()) && (acq.awaited || !rest.contains(".await")));
    let what = key.map_or_else(|| "the lock".to_string(), |k| format!("`{k}`"));
    let taken = Span::join(
        cx.span(acq.call.receiver.span()),
        cx.span(acq.call.paren_token.span.close()),
    );
    let diagnostic = cx
        .diagnostic_at(
            INFO.name,
            taken,
            format!("the guard of {what} is dropped at once by `let _ =`"),
        )
        .with_primary_label(
            "the lock is released at the end of this statement: the critical section is empty",
        )
        .with_label(
            cx.span(wild.span()),
            "`_` binds nothing, so the guard is a temporary",
        );
    out.push(if fixable {
        diagnostic
            .with_help("bind the guard to a name (`let _guard = ...`) to hold the lock until the end of the scope")
            .with_suggestion(Suggestion {
                message: "bind the guard to `_guard`".into(),
                edits: vec![Edit {
                    span: cx.span(wild.span()),
                    replacement: "_guard".into(),
                }],
                applicability: Applicability::MachineApplicable,
            })
    } else {
        diagnostic.with_help(
            "bind the guard to a name and end it where the critical section ends (a block, or \
             `drop(guard)` before the lock is taken again or the code awaits)",
        )
    });
}
