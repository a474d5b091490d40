//! Small questions about a type as written.

use syn::Type;

/// Generic wrappers a method call sees through (auto-deref) or that only hold the value.
const WRAPPERS: &[&str] = &["Arc", "Rc", "Box", "Pin", "Option", "RefCell", "Cell"];

/// The named type behind references, parentheses and wrappers (`&mut Arc<Bank>` → `Bank`,
/// `Arc<Mutex<State>>` → `Mutex`): the last segment of its path, or `None` for tuples,
/// slices, trait objects and the like.
pub fn named_type(ty: &Type) -> Option<String> {
    match ty {
        Type::Reference(r) => named_type(&r.elem),
        Type::Paren(p) => named_type(&p.elem),
        Type::Group(g) => named_type(&g.elem),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            let name = last.ident.to_string();
            if WRAPPERS.contains(&name.as_str())
                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
            {
                return named_type(inner);
            }
            Some(name)
        }
        _ => None,
    }
}

/// The first type argument of the named type behind references and wrappers
/// (`Arc<Mutex<HashMap<u32, User>>>` → `HashMap<u32, User>`, `Sender<Job>` → `Job`): what a
/// lock protects or a channel carries.
pub fn named_type_argument(ty: &Type) -> Option<&Type> {
    match ty {
        Type::Reference(r) => named_type_argument(&r.elem),
        Type::Paren(p) => named_type_argument(&p.elem),
        Type::Group(g) => named_type_argument(&g.elem),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let inner = args.args.iter().find_map(|arg| match arg {
                syn::GenericArgument::Type(inner) => Some(inner),
                _ => None,
            })?;
            if WRAPPERS.contains(&last.ident.to_string().as_str()) {
                named_type_argument(inner)
            } else {
                Some(inner)
            }
        }
        _ => None,
    }
}

/// Whether a type name is a channel half's (`Sender`, `UnboundedReceiver`, `SyncSender`).
pub fn is_channel_half(name: &str) -> bool {
    name.ends_with("Sender") || name.ends_with("Receiver")
}

/// Whether a type holds at most one value: `Option<T>` or `Result<T, E>` (behind references),
/// whose `map`/`for` run their closure or body at most once.
pub fn holds_one_value(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => holds_one_value(&r.elem),
        Type::Paren(p) => holds_one_value(&p.elem),
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Option" || last.ident == "Result"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(src: &str) -> Option<String> {
        named_type(&syn::parse_str(src).expect("test type parses"))
    }

    #[test]
    fn wrappers_and_references_are_seen_through() {
        assert_eq!(named("&mut Arc<Bank>").as_deref(), Some("Bank"));
        assert_eq!(named("Arc<Mutex<State>>").as_deref(), Some("Mutex"));
        assert_eq!(named("crate::db::Pool").as_deref(), Some("Pool"));
        assert_eq!(named("(u8, u8)"), None);
    }
}
