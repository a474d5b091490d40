//! `mutex_instead_of_atomic`: a lock around a plain integer or bool whose every use is one
//! load, store or arithmetic update: an atomic does the same without a lock.

use syn::spanned::Spanned;
use syn::{Block, Expr, Lit, UnOp};

use crate::analysis::lock_uses::{Access, local_locks};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::rules::declare_rule;
use crate::semantic::catalog::LockMode;
use crate::walk::context::Context;
use crate::walk::rule::Rule;

declare_rule!(
    MutexInsteadOfAtomic,
    name: "mutex_instead_of_atomic",
    category: Perf,
    fix: Display,
    summary: "a `Mutex` around an integer or bool used only for loads, stores and updates: use an atomic",
    allowed_by: ["clippy::mutex_atomic", "clippy::mutex_integer"],
);

/// See `rules/mutex_instead_of_atomic.md`.
#[derive(Default)]
pub struct MutexInsteadOfAtomic;

impl Rule for MutexInsteadOfAtomic {
    fn check_block(&mut self, cx: &Context<'_>, block: &Block, out: &mut Vec<Diagnostic>) {
        for lock in local_locks(cx, block) {
            let Some(atomic) = atomic_for(&lock.ctor.args[0], lock.local) else {
                continue;
            };
            let uses = lock.uses(cx);
            let name = &lock.name;
            if uses.escapes || !(lock.in_arc || uses.shared_with_worker) {
                continue;
            }
            let mut ops: Vec<&'static str> = Vec::new();
            let mut writes = false;
            let mut all_single = !uses.uses.is_empty();
            for u in &uses.uses {
                let op = match (&u.access, u.mode) {
                    (Access::Load, _) => "load",
                    (Access::Store, LockMode::Lock | LockMode::Write) => "store",
                    (Access::Update(op), LockMode::Lock | LockMode::Write) => match *op {
                        "+=" => "fetch_add",
                        "-=" => "fetch_sub",
                        "|=" => "fetch_or",
                        "&=" => "fetch_and",
                        "^=" => "fetch_xor",
                        _ => "",
                    },
                    _ => "",
                };
                if op.is_empty() {
                    all_single = false;
                    break;
                }
                writes |= op != "load";
                if !ops.contains(&op) {
                    ops.push(op);
                }
            }
            if !all_single || !writes {
                continue;
            }
            let lock_type = lock_type_name(&lock.ctor.func);
            let op_list = ops
                .iter()
                .map(|op| format!("`{op}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                cx.diagnostic_at(INFO.name, cx.span(lock.ctor.span()),
                    format!("`{lock_type}` around a plain value that is only loaded, stored and updated: `{atomic}` needs no lock"),
                )
                .with_primary_label(format!("every use of `{name}` is a single operation on the value"))
                .with_help(format!(
                    "use `{atomic}::new(..)` and its {op_list} (with an `Ordering`) instead of taking the lock"
                ))
                .with_suggestion(Suggestion {
                    message: format!("make `{name}` an `{atomic}`; rewrite each use with {op_list}"),
                    edits: vec![Edit {
                        span: cx.span(lock.ctor.func.span()),
                        replacement: format!("{atomic}::new"),
                    }],
                    applicability: Applicability::HasPlaceholders,
                }),
            );
        }
    }
}

/// The name of the lock type a constructor path names (`Mutex` for `sync::Mutex::new`).
fn lock_type_name(func: &Expr) -> String {
    let Expr::Path(path) = func else {
        return "Mutex".into();
    };
    let segs = &path.path.segments;
    segs.iter()
        .rev()
        .nth(1)
        .map_or_else(|| "Mutex".into(), |s| s.ident.to_string())
}

/// The atomic type for a lock's initial value: from a literal's suffix, a `bool` literal, the
/// `let`'s type annotation, or `AtomicUsize` for an unsuffixed integer. `None` for any other
/// value (a struct, a float, a 128-bit integer, a call).
fn atomic_for(value: &Expr, local: &syn::Local) -> Option<String> {
    let value = match value {
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => &*u.expr,
        v => v,
    };
    let Expr::Lit(lit) = value else { return None };
    let annotated = match &local.pat {
        syn::Pat::Type(t) => innermost_primitive(&t.ty),
        _ => None,
    };
    let ty = match &lit.lit {
        Lit::Bool(_) => "bool".to_string(),
        Lit::Int(int) if !int.suffix().is_empty() => int.suffix().to_string(),
        Lit::Int(_) => annotated.unwrap_or_else(|| "usize".into()),
        _ => return None,
    };
    atomic_name(&ty)
}

fn atomic_name(ty: &str) -> Option<String> {
    let name = match ty {
        "bool" => "AtomicBool",
        "u8" => "AtomicU8",
        "u16" => "AtomicU16",
        "u32" => "AtomicU32",
        "u64" => "AtomicU64",
        "usize" => "AtomicUsize",
        "i8" => "AtomicI8",
        "i16" => "AtomicI16",
        "i32" => "AtomicI32",
        "i64" => "AtomicI64",
        "isize" => "AtomicIsize",
        _ => return None,
    };
    Some(name.into())
}

/// The innermost type argument of a type like `Arc<Mutex<u64>>` (`u64`).
fn innermost_primitive(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
            syn::GenericArgument::Type(inner) => innermost_primitive(inner),
            _ => None,
        },
        syn::PathArguments::None => Some(last.ident.to_string()),
        syn::PathArguments::Parenthesized(_) => None,
    }
}
