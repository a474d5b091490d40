//! Attributes that change what code is: test functions and test-only modules, code built only
//! for Windows, and the attributes a statement carries.

use syn::Attribute;

/// Whether an item is test code: `#[test]`, `#[tokio::test]` and friends, or `#[cfg(test)]`.
pub fn is_test_item(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        if path.segments.last().is_some_and(|s| s.ident == "test") {
            return true;
        }
        has_cfg(
            attr,
            &|meta| matches!(meta, syn::Meta::Path(p) if p.is_ident("test")),
        )
    })
}

/// Whether `attr` is a `#[cfg(..)]` whose predicate only holds when `leaf` does: the predicate
/// is such a leaf, or `all(..)` with one.
fn has_cfg(attr: &Attribute, leaf: &dyn Fn(&syn::Meta) -> bool) -> bool {
    attr.path().is_ident("cfg")
        && attr
            .parse_args::<syn::Meta>()
            .is_ok_and(|meta| cfg_requires(&meta, leaf))
}

fn cfg_requires(meta: &syn::Meta, leaf: &dyn Fn(&syn::Meta) -> bool) -> bool {
    match meta {
        syn::Meta::List(list) if list.path.is_ident("all") => list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|items| items.iter().any(|m| cfg_requires(m, leaf))),
        other => leaf(other),
    }
}

/// The file a `#[path = "x.rs"]` attribute names for a module.
pub fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Whether an item or statement is built only for Windows: `#[cfg(windows)]`,
/// `#[cfg(target_os = "windows")]`, `#[cfg(target_family = "windows")]`, or `all(..)` of one.
pub fn is_windows_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| has_cfg(attr, &names_windows))
}

/// `windows`, `target_os = "windows"` or `target_family = "windows"`.
fn names_windows(meta: &syn::Meta) -> bool {
    match meta {
        syn::Meta::Path(path) => path.is_ident("windows"),
        syn::Meta::NameValue(nv) => {
            (nv.path.is_ident("target_os") || nv.path.is_ident("target_family"))
                && matches!(&nv.value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value() == "windows")
        }
        syn::Meta::List(_) => false,
    }
}

/// The attributes of an item that can carry an `allow` or a `cfg` worth reading.
pub fn item_attrs(item: &syn::Item) -> &[Attribute] {
    use syn::Item;
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        _ => &[],
    }
}

/// The attributes of a statement (`#[allow(..)] child.spawn()?;`, `#[cfg(windows)] { .. }`).
pub fn stmt_attrs(stmt: &syn::Stmt) -> &[Attribute] {
    match stmt {
        syn::Stmt::Local(local) => &local.attrs,
        syn::Stmt::Macro(mac) => &mac.attrs,
        syn::Stmt::Expr(expr, _) => expr_attrs(expr),
        syn::Stmt::Item(_) => &[],
    }
}

/// The attributes an expression can carry where it starts a statement.
pub fn expr_attrs(expr: &syn::Expr) -> &[Attribute] {
    use syn::Expr;
    match expr {
        Expr::Call(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::Macro(e) => &e.attrs,
        Expr::Assign(e) => &e.attrs,
        Expr::Block(e) => &e.attrs,
        Expr::Unsafe(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::Loop(e) => &e.attrs,
        Expr::While(e) => &e.attrs,
        Expr::ForLoop(e) => &e.attrs,
        Expr::Try(e) => &e.attrs,
        Expr::Await(e) => &e.attrs,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(text: &str) -> Vec<Attribute> {
        let item: syn::ItemFn = syn::parse_str(&format!("{text} fn f() {{}}")).expect("parses");
        item.attrs
    }

    #[test]
    fn windows_only_cfgs() {
        for yes in [
            "#[cfg(windows)]",
            "#[cfg(target_os = \"windows\")]",
            "#[cfg(all(windows, feature = \"x\"))]",
            "#[cfg(target_family = \"windows\")]",
        ] {
            assert!(is_windows_only(&attrs(yes)), "{yes}");
        }
        for no in [
            "#[cfg(unix)]",
            "#[cfg(any(windows, unix))]",
            "#[cfg(not(windows))]",
            "#[cfg(target_os = \"linux\")]",
        ] {
            assert!(!is_windows_only(&attrs(no)), "{no}");
        }
    }
}
