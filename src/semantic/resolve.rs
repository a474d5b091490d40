//! Import resolution: turns the paths written in a file into canonical paths.
//!
//! `thread::spawn`, `std::thread::spawn`, `::std::thread::spawn` and
//! `use std::thread::spawn as go; go(..)` all resolve to `std::thread::spawn`, so rules
//! never see how a name was imported. Scopes follow the file's structure: the context walk
//! pushes a scope for every module, function body and block that has `use` items.

use std::collections::HashMap;

use syn::{Item, Stmt, UseTree};

use crate::semantic::catalog;
use crate::syntax::exprs::with_ident;

/// A canonical path: segments such as `["std", "thread", "spawn"]`.
pub type CanonicalPath = Vec<String>;

/// The imports in effect at one point of the walk.
#[derive(Debug, Default)]
pub struct Imports {
    scopes: Vec<ImportScope>,
}

#[derive(Debug, Default)]
struct ImportScope {
    names: HashMap<String, CanonicalPath>,
    globs: Vec<CanonicalPath>,
}

impl Imports {
    /// Opens a scope holding the `use` and `extern crate` items among `items`.
    pub fn push_items<'a>(&mut self, items: impl IntoIterator<Item = &'a Item>) {
        let mut scope = ImportScope::default();
        for item in items {
            match item {
                Item::Use(item_use) => self.add_tree(&mut scope, Vec::new(), &item_use.tree),
                Item::ExternCrate(ext) => {
                    let name = ext
                        .rename
                        .as_ref()
                        .map_or(&ext.ident, |(_, n)| n)
                        .to_string();
                    scope.names.insert(name, vec![ext.ident.to_string()]);
                }
                _ => {}
            }
        }
        self.scopes.push(scope);
    }

    /// Opens a scope for the items declared among a block's statements.
    pub fn push_block(&mut self, stmts: &[Stmt]) {
        self.push_items(stmts.iter().filter_map(|stmt| match stmt {
            Stmt::Item(item) => Some(item),
            _ => None,
        }));
    }

    /// Whether `name` is imported (by `use` or `extern crate`) in any open scope.
    pub fn is_imported(&self, name: &str) -> bool {
        self.scopes
            .iter()
            .any(|scope| scope.names.contains_key(name))
    }

    /// Closes the innermost scope.
    pub fn pop(&mut self) {
        self.scopes.pop();
    }

    /// Whether a block's statements declare any import (so a scope is worth pushing).
    pub fn block_has_imports(stmts: &[Stmt]) -> bool {
        stmts
            .iter()
            .any(|s| matches!(s, Stmt::Item(Item::Use(_) | Item::ExternCrate(_))))
    }

    fn add_tree(&self, scope: &mut ImportScope, mut prefix: Vec<String>, tree: &UseTree) {
        match tree {
            UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.add_tree(scope, prefix, &path.tree);
            }
            UseTree::Name(name) => {
                let ident = name.ident.to_string();
                if ident == "self" {
                    if let Some(last) = prefix.last().cloned() {
                        scope.names.insert(last, self.absolute(scope, &prefix));
                    }
                } else {
                    prefix.push(ident.clone());
                    scope.names.insert(ident, self.absolute(scope, &prefix));
                }
            }
            UseTree::Rename(rename) => {
                let ident = rename.ident.to_string();
                if ident != "self" {
                    prefix.push(ident);
                }
                let target = self.absolute(scope, &prefix);
                if rename.rename != "_" {
                    scope.names.insert(rename.rename.to_string(), target);
                }
            }
            UseTree::Glob(_) => {
                let target = self.absolute(scope, &prefix);
                scope.globs.push(target);
            }
            UseTree::Group(group) => {
                for tree in &group.items {
                    self.add_tree(scope, prefix.clone(), tree);
                }
            }
        }
    }

    /// Resolves the path of a `use` item: its first segment may itself be an import, of this
    /// scope (`use std::thread; use self::thread as t;`) or an outer one.
    fn absolute(&self, current: &ImportScope, path: &[String]) -> CanonicalPath {
        let rest: Vec<String> = path
            .iter()
            .skip_while(|s| matches!(s.as_str(), "self" | "super" | "crate"))
            .cloned()
            .collect();
        let Some(first) = rest.first() else {
            return path.to_vec();
        };
        let resolved = match current.names.get(first) {
            Some(target) => catalog::normalize(join(target, &rest[1..])),
            None => self.resolve_segments(&rest),
        };
        if rest.len() < path.len() && !catalog::knows_path_prefix(&resolved) {
            return path.to_vec();
        }
        resolved
    }

    /// Resolves the segments of a path written in code to its canonical form.
    pub fn resolve_segments(&self, path: &[String]) -> CanonicalPath {
        let Some(first) = path.first() else {
            return Vec::new();
        };
        if matches!(first.as_str(), "self" | "super" | "crate") {
            return self.lookup_relative(path);
        }
        for scope in self.scopes.iter().rev() {
            if let Some(target) = scope.names.get(first) {
                return catalog::normalize(join(target, &path[1..]));
            }
        }
        for scope in self.scopes.iter().rev() {
            for glob in &scope.globs {
                let candidate = catalog::normalize(join(glob, path));
                if catalog::knows_path_prefix(&candidate) {
                    return candidate;
                }
            }
        }
        catalog::normalize(path.to_vec())
    }

    /// `self::x::y`, `super::x::y`, `crate::x::y`: resolve `x::y` as seen from the file.
    fn lookup_relative(&self, path: &[String]) -> CanonicalPath {
        let rest: Vec<String> = path
            .iter()
            .skip_while(|s| matches!(s.as_str(), "self" | "super" | "crate"))
            .cloned()
            .collect();
        if rest.is_empty() {
            return path.to_vec();
        }
        let resolved = self.resolve_segments(&rest);
        if catalog::knows_path_prefix(&resolved) {
            resolved
        } else {
            path.to_vec()
        }
    }

    /// Exact fast rejection before resolving a path for [`catalog::lookup`]: resolution keeps
    /// the written last segment (imports and globs rewrite the front, normalisation only the
    /// first segments), except for a single segment that is an imported name. `false` means
    /// `catalog::lookup(&self.resolve(path))` is `None`.
    pub fn may_name_catalog_path(&self, path: &syn::Path) -> bool {
        let Some(last) = path.segments.last() else {
            return false;
        };
        let single = path.segments.len() == 1 && path.leading_colon.is_none();
        let (may, constructor) = with_ident(&last.ident, |last| {
            (
                catalog::may_lookup(last) || (single && self.is_imported(last)),
                catalog::names_constructor(last),
            )
        });
        if !may || !constructor {
            return may;
        }
        // `X::new(..)`: only when `X` is a type the catalog constructs, or an imported name.
        let Some(owner) = path.segments.iter().rev().nth(1) else {
            return true;
        };
        let owner_is_first = path.segments.len() == 2 && path.leading_colon.is_none();
        with_ident(&owner.ident, |owner| {
            catalog::may_own_constructor(owner) || (owner_is_first && self.is_imported(owner))
        })
    }

    /// Resolves a `syn::Path` (leading `::` is absolute).
    pub fn resolve(&self, path: &syn::Path) -> CanonicalPath {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if path.leading_colon.is_some() {
            catalog::normalize(segments)
        } else {
            self.resolve_segments(&segments)
        }
    }
}

fn join(prefix: &[String], rest: &[String]) -> CanonicalPath {
    prefix.iter().chain(rest).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_in(src: &str, path: &str) -> String {
        let file: syn::File = syn::parse_str(src).expect("test source parses");
        let mut imports = Imports::default();
        imports.push_items(&file.items);
        let path: syn::Path = syn::parse_str(path).expect("test path parses");
        imports.resolve(&path).join("::")
    }

    #[test]
    fn aliases_renames_groups_and_globs_resolve() {
        assert_eq!(
            resolve_in("use std::thread;", "thread::spawn"),
            "std::thread::spawn"
        );
        assert_eq!(
            resolve_in("use std::thread::spawn as go;", "go"),
            "std::thread::spawn"
        );
        assert_eq!(
            resolve_in(
                "use std::{sync::{Arc, Mutex as M}, thread::{self}};",
                "M::new"
            ),
            "std::sync::Mutex::new"
        );
        assert_eq!(
            resolve_in("use std::thread::*;", "spawn"),
            "std::thread::spawn"
        );
        assert_eq!(resolve_in("", "::std::thread::sleep"), "std::thread::sleep");
        assert_eq!(
            resolve_in("", "core::sync::atomic::AtomicUsize::new"),
            "std::sync::atomic::AtomicUsize::new"
        );
        assert_eq!(
            resolve_in("extern crate crossbeam_channel as cc;", "cc::unbounded"),
            "crossbeam_channel::unbounded"
        );
        assert_eq!(
            resolve_in("use std::thread; use self::thread as t;", "t::spawn"),
            "std::thread::spawn"
        );
        assert_eq!(resolve_in("", "my::spawn"), "my::spawn");
    }
}
