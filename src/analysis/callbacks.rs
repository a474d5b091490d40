//! Code the caller supplies: closure parameters (`F: Fn(..)`, `impl FnMut(..)`, `&dyn Fn(..)`),
//! and fields holding handlers or observers (`Box<dyn Fn(..)>`, `Vec<Box<dyn Listener>>`).
//! Calling such code is calling back into the unknown: it may take any lock, the one held
//! included. Only what the declarations visibly say counts.

use std::collections::HashMap;

use syn::{GenericParam, Generics, Type, TypeParamBound, WherePredicate};

/// What a declaration holds that calls back into its owner's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callback {
    /// A closure or function (`Fn`, `FnMut`, `FnOnce`): calling it runs the caller's code.
    Closure,
    /// A trait object of a program's own trait (`dyn Listener`): its methods run the
    /// implementor's code.
    Observer,
}

/// Traits whose objects are data or I/O, not code supplied to be called back.
const NOT_OBSERVERS: &[&str] = &[
    "Any",
    "Error",
    "Debug",
    "Display",
    "Write",
    "Read",
    "BufRead",
    "Seek",
    "Iterator",
    "Future",
    "Stream",
    "Sink",
    "AsyncRead",
    "AsyncWrite",
    "AsyncBufRead",
    "Send",
    "Sync",
    "Hash",
    "AsRef",
    "ToString",
];

/// The callback a type holds, looking through containers and smart pointers
/// (`Mutex<Vec<Box<dyn Listener>>>`, `Option<Arc<dyn Fn(u32)>>`); `closure_params` are the
/// generic parameters bounded by a closure trait (`F` in `struct Bus<F: Fn()>`).
pub fn held_callback(ty: &Type, closure_params: &[String]) -> Option<Callback> {
    match ty {
        Type::TraitObject(obj) => bounds_callback(obj.bounds.iter()),
        Type::ImplTrait(imp) => bounds_callback(imp.bounds.iter()),
        Type::Reference(r) => held_callback(&r.elem, closure_params),
        Type::Paren(p) => held_callback(&p.elem, closure_params),
        Type::Group(g) => held_callback(&g.elem, closure_params),
        Type::Path(path) => {
            if let Some(ident) = path.path.get_ident()
                && closure_params.iter().any(|p| ident == p)
            {
                return Some(Callback::Closure);
            }
            let last = path.path.segments.last()?;
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            // The last type argument: a map's value, a container's element.
            args.args.iter().rev().find_map(|arg| match arg {
                syn::GenericArgument::Type(inner) => held_callback(inner, closure_params),
                _ => None,
            })
        }
        _ => None,
    }
}

fn bounds_callback<'b>(bounds: impl Iterator<Item = &'b TypeParamBound>) -> Option<Callback> {
    let mut found = None;
    for bound in bounds {
        let TypeParamBound::Trait(t) = bound else {
            continue;
        };
        let Some(last) = t.path.segments.last() else {
            continue;
        };
        let name = last.ident.to_string();
        if matches!(name.as_str(), "Fn" | "FnMut" | "FnOnce") {
            return Some(Callback::Closure);
        }
        if !NOT_OBSERVERS.contains(&name.as_str()) {
            found = Some(Callback::Observer);
        }
    }
    found
}

/// Whether a parameter of type `ty` is a notification: a closure (see [`held_callback`]) that
/// takes no borrowed argument. A closure taking a borrow (`f: impl FnOnce(&mut State) -> R`)
/// is an accessor: it is handed the locked data on purpose (`with_state(|s| ..)`), and runs
/// under the lock by design.
pub fn is_notification_param(ty: &Type, generics: &Generics) -> bool {
    let params = closure_params(generics);
    if held_callback(ty, &params) != Some(Callback::Closure) {
        return false;
    }
    let mut bounds: Vec<&TypeParamBound> = Vec::new();
    collect_bounds(ty, generics, &mut bounds);
    !bounds.iter().any(|bound| closure_borrows(bound))
}

/// The trait bounds that make `ty` a closure: its own (`impl Fn(..)`, `&dyn Fn(..)`) or those
/// of the generic parameter it names.
fn collect_bounds<'t>(ty: &'t Type, generics: &'t Generics, out: &mut Vec<&'t TypeParamBound>) {
    match ty {
        Type::TraitObject(obj) => out.extend(obj.bounds.iter()),
        Type::ImplTrait(imp) => out.extend(imp.bounds.iter()),
        Type::Reference(r) => collect_bounds(&r.elem, generics, out),
        Type::Paren(p) => collect_bounds(&p.elem, generics, out),
        Type::Path(path) => {
            if let Some(ident) = path.path.get_ident() {
                for param in &generics.params {
                    if let GenericParam::Type(t) = param
                        && t.ident == *ident
                    {
                        out.extend(t.bounds.iter());
                    }
                }
                for predicate in generics.where_clause.iter().flat_map(|w| &w.predicates) {
                    if let WherePredicate::Type(p) = predicate
                        && matches!(&p.bounded_ty, Type::Path(b) if b.path.get_ident() == Some(ident))
                    {
                        out.extend(p.bounds.iter());
                    }
                }
            } else if let Some(syn::PathArguments::AngleBracketed(args)) =
                path.path.segments.last().map(|s| &s.arguments)
            {
                for arg in &args.args {
                    if let syn::GenericArgument::Type(inner) = arg {
                        collect_bounds(inner, generics, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Whether a closure bound takes a borrowed argument (`Fn(&T)`, `FnMut(&mut T) -> R`,
/// `FnOnce(Pin<&mut T>)`) or a guard (`FnOnce(MutexGuard<'_, T>)`).
fn closure_borrows(bound: &TypeParamBound) -> bool {
    let TypeParamBound::Trait(t) = bound else {
        return false;
    };
    t.path.segments.last().is_some_and(|s| {
        matches!(&s.arguments, syn::PathArguments::Parenthesized(args)
            if args.inputs.iter().any(type_borrows))
    })
}

/// Whether a type is or holds a borrow: a reference, a lifetime argument, a guard.
fn type_borrows(ty: &Type) -> bool {
    match ty {
        Type::Reference(_) => true,
        Type::Paren(p) => type_borrows(&p.elem),
        Type::Slice(s) => type_borrows(&s.elem),
        Type::Array(a) => type_borrows(&a.elem),
        Type::Tuple(t) => t.elems.iter().any(type_borrows),
        Type::Path(path) => path.path.segments.iter().any(|s| {
            s.ident.to_string().ends_with("Guard")
                || matches!(&s.arguments, syn::PathArguments::AngleBracketed(args)
                if args.args.iter().any(|arg| match arg {
                    syn::GenericArgument::Lifetime(_) => true,
                    syn::GenericArgument::Type(inner) => type_borrows(inner),
                    _ => false,
                }))
        }),
        _ => false,
    }
}

/// The generic parameters of `generics` bounded by a closure trait, inline or in its `where`
/// clause.
pub fn closure_params(generics: &Generics) -> Vec<String> {
    let is_closure = |bounds: &syn::punctuated::Punctuated<TypeParamBound, syn::Token![+]>| {
        bounds_callback(bounds.iter()) == Some(Callback::Closure)
    };
    let mut names: Vec<String> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Type(t) if is_closure(&t.bounds) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    if let Some(clause) = &generics.where_clause {
        for predicate in &clause.predicates {
            if let WherePredicate::Type(p) = predicate
                && is_closure(&p.bounds)
                && let Type::Path(path) = &p.bounded_ty
                && let Some(ident) = path.path.get_ident()
            {
                names.push(ident.to_string());
            }
        }
    }
    names
}

/// Records the struct fields of `items` (inline modules too) that hold callbacks, by name.
pub fn collect_callback_fields(items: &[syn::Item], fields: &mut HashMap<String, Callback>) {
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let params = closure_params(&s.generics);
                for field in &s.fields {
                    if let (Some(name), Some(callback)) =
                        (&field.ident, held_callback(&field.ty, &params))
                    {
                        fields.insert(name.to_string(), callback);
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect_callback_fields(items, fields);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(ty: &str) -> Option<Callback> {
        held_callback(
            &syn::parse_str(ty).expect("test type parses"),
            &["F".into()],
        )
    }

    #[test]
    fn callbacks_are_found_through_containers() {
        assert_eq!(
            held("Mutex<Vec<Box<dyn Listener>>>"),
            Some(Callback::Observer)
        );
        assert_eq!(
            held("Option<Arc<dyn Fn(u32) + Send>>"),
            Some(Callback::Closure)
        );
        assert_eq!(
            held("HashMap<String, Box<dyn FnMut()>>"),
            Some(Callback::Closure)
        );
        assert_eq!(held("&mut dyn FnMut(u8)"), Some(Callback::Closure));
        assert_eq!(held("F"), Some(Callback::Closure));
        assert_eq!(held("Box<dyn std::error::Error + Send>"), None);
        assert_eq!(held("Mutex<Vec<u32>>"), None);
        assert_eq!(held("Box<dyn Write>"), None);
    }

    fn notification(param: &str) -> bool {
        let item: syn::ItemFn =
            syn::parse_str(&format!("{param} {{}}")).expect("test function parses");
        let syn::FnArg::Typed(arg) = &item.sig.inputs[0] else {
            panic!("a typed parameter");
        };
        is_notification_param(&arg.ty, &item.sig.generics)
    }

    #[test]
    fn closures_handed_the_data_are_accessors() {
        assert!(notification("fn f(cb: impl Fn(u32))"));
        assert!(notification("fn f<F: FnMut()>(cb: F)"));
        assert!(notification("fn f<F>(cb: &F) where F: Fn(String)"));
        assert!(!notification("fn f<R>(cb: impl FnOnce(&mut State) -> R)"));
        assert!(!notification("fn f<F>(cb: F) where F: Fn(&mut State)"));
        assert!(!notification("fn f(cb: &dyn Fn(u8, &[u8]) -> bool)"));
        assert!(!notification("fn f(n: u32)"));
        assert!(!notification("fn f<R>(cb: impl FnOnce(Pin<&mut T>) -> R)"));
        assert!(!notification(
            "fn f<F>(cb: F) where F: FnOnce(MutexGuard<'_, Inner>, Option<MutexGuard<'_, Inner>>)"
        ));
    }
}
