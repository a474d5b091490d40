//! Imports a fix leaves unused: replacing `Command::new("cp")..` with `std::fs::copy(..)`
//! can take away the last use of `use std::process::Command;`, which rustc then warns about.
//! A fix must not leave the file worse, so the fix engine removes such imports with it.
//!
//! A name counts as used when it appears as an identifier anywhere outside `use` items
//! (macro bodies included), so an import is only removed when the fix took away every
//! mention of it. Imports that were unused before (trait imports used for their methods,
//! re-exports) are left alone.

use std::collections::HashMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Item, UseTree};

use crate::diagnostic::Span;
use crate::source::SourceFile;

/// One imported name and where its import is.
struct Leaf {
    /// The name the import brings into scope (`Cmd` for `Command as Cmd`).
    name: String,
    /// What to delete to remove only this name: the whole `use` item when it imports one
    /// name, else the name and its comma inside the braces.
    removal: (usize, usize),
}

/// The edits that remove the imports `after` no longer uses but `before` did, as byte ranges
/// of `after` (empty when nothing is left unused, or either text does not parse).
pub fn newly_unused(before: &SourceFile, after: &SourceFile) -> Vec<(usize, usize)> {
    let (Ok(old), Ok(new)) = (
        syn::parse_file(before.parse_text()),
        syn::parse_file(after.parse_text()),
    ) else {
        return Vec::new();
    };
    let old_uses = mentions(&old.items);
    let new_uses = mentions(&new.items);
    let mut leaves = Vec::new();
    collect_leaves(after, &new.items, &mut leaves);
    let mut removals: Vec<(usize, usize)> = leaves
        .into_iter()
        .filter(|leaf| {
            old_uses.get(&leaf.name).copied().unwrap_or(0) > 0
                && new_uses.get(&leaf.name).copied().unwrap_or(0) == 0
        })
        .map(|leaf| leaf.removal)
        .collect();
    removals.sort_unstable();
    removals.dedup();
    removals
}

/// Applies byte-range deletions to `text` (ranges sorted, not overlapping).
pub fn remove(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in ranges {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// How many times each identifier appears outside `use` items.
fn mentions(items: &[Item]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for item in items {
        match item {
            Item::Use(_) => {}
            Item::Mod(module) if module.content.is_some() => {
                if let Some((_, inner)) = &module.content {
                    for (name, n) in mentions(inner) {
                        *counts.entry(name).or_insert(0) += n;
                    }
                }
            }
            other => count_idents(other.to_token_stream(), &mut counts),
        }
    }
    counts
}

fn count_idents(tokens: TokenStream, counts: &mut HashMap<String, usize>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => *counts.entry(ident.to_string()).or_insert(0) += 1,
            TokenTree::Group(group) => count_idents(group.stream(), counts),
            _ => {}
        }
    }
}

/// The names the file's `use` items import (globs and `_` imports left out), with what to
/// delete to remove each.
fn collect_leaves(file: &SourceFile, items: &[Item], out: &mut Vec<Leaf>) {
    for item in items {
        match item {
            Item::Use(item) => {
                let whole = line_range(file, item.span());
                leaves_of(file, &item.tree, Some(whole), out);
            }
            Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    collect_leaves(file, inner, out);
                }
            }
            _ => {}
        }
    }
}

/// The leaves of a use tree. `whole` is what removes the tree when it is the only thing
/// imported (the `use` item, or a group's element with its comma).
fn leaves_of(
    file: &SourceFile,
    tree: &UseTree,
    whole: Option<(usize, usize)>,
    out: &mut Vec<Leaf>,
) {
    match tree {
        UseTree::Path(path) => leaves_of(file, &path.tree, whole, out),
        UseTree::Name(name) => push_leaf(out, name.ident.to_string(), whole),
        UseTree::Rename(rename) if rename.rename != "_" => {
            push_leaf(out, rename.rename.to_string(), whole);
        }
        UseTree::Group(group) => {
            let single = group.items.len() == 1;
            for pair in group.items.pairs() {
                let element = if single {
                    whole
                } else {
                    let span = byte_range(file, pair.value().span());
                    // The element and its comma; the last one takes the comma before it.
                    match pair.punct() {
                        Some(comma) => {
                            let end = byte_range(file, comma.span()).1;
                            Some((span.0, skip_spaces(&file.text, end)))
                        }
                        None => None,
                    }
                };
                let element = element.or_else(|| {
                    let span = byte_range(file, pair.value().span());
                    previous_comma(&file.text, span.0).map(|start| (start, span.1))
                });
                leaves_of(file, pair.value(), element, out);
            }
        }
        UseTree::Rename(_) | UseTree::Glob(_) => {}
    }
}

fn push_leaf(out: &mut Vec<Leaf>, name: String, removal: Option<(usize, usize)>) {
    // `self` in a group names the module the group is in; such imports are left alone.
    if name == "self" {
        return;
    }
    if let Some(removal) = removal {
        out.push(Leaf { name, removal });
    }
}

fn byte_range(file: &SourceFile, span: proc_macro2::Span) -> (usize, usize) {
    let span = Span::from_syn(file, span);
    (span.start.byte, span.end.byte)
}

/// A `use` item's range with its line's indentation and the line break after it, so its
/// removal leaves no blank line.
fn line_range(file: &SourceFile, span: proc_macro2::Span) -> (usize, usize) {
    let (start, end) = byte_range(file, span);
    let text = file.text.as_bytes();
    let line_start = file.text[..start].rfind('\n').map_or(0, |n| n + 1);
    let start = if file.text[line_start..start].trim().is_empty() {
        line_start
    } else {
        start
    };
    let end = match text.get(end) {
        Some(b'\n') => end + 1,
        Some(b'\r') if text.get(end + 1) == Some(&b'\n') => end + 2,
        _ => end,
    };
    (start, end)
}

fn skip_spaces(text: &str, from: usize) -> usize {
    from + text[from..].len() - text[from..].trim_start().len()
}

/// The start of the comma (and spaces) before byte `at`, if a comma precedes it.
fn previous_comma(text: &str, at: usize) -> Option<usize> {
    let before = text[..at].trim_end();
    before.ends_with(',').then(|| before.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(before: &str, after: &str) -> String {
        let old = SourceFile::new("a.rs", before.to_string());
        let new = SourceFile::new("a.rs", after.to_string());
        remove(after, &newly_unused(&old, &new))
    }

    #[test]
    fn an_import_the_fix_took_the_last_use_of_goes() {
        let before =
            "use std::fs;\nuse std::process::Command as Cmd;\n\nfn f() { Cmd::new(\"cp\"); }\n";
        let after =
            "use std::fs;\nuse std::process::Command as Cmd;\n\nfn f() { fs::copy(a, b); }\n";
        assert_eq!(
            fixed(before, after),
            "use std::fs;\n\nfn f() { fs::copy(a, b); }\n"
        );
    }

    #[test]
    fn a_name_in_a_group_goes_with_its_comma() {
        let before = "use std::process::{Command, Stdio};\nfn f() { Command::new(\"rm\"); Stdio::null(); }\n";
        let after = "use std::process::{Command, Stdio};\nfn f() { std::fs::remove_file(p); Stdio::null(); }\n";
        assert_eq!(
            fixed(before, after),
            "use std::process::{Stdio};\nfn f() { std::fs::remove_file(p); Stdio::null(); }\n"
        );
        let before = "use std::process::{Stdio, Command};\nfn f() { Command::new(\"rm\"); Stdio::null(); }\n";
        let after = "use std::process::{Stdio, Command};\nfn f() { Stdio::null(); }\n";
        assert_eq!(
            fixed(before, after),
            "use std::process::{Stdio};\nfn f() { Stdio::null(); }\n"
        );
    }

    #[test]
    fn imports_still_used_or_unused_before_stay() {
        let before = "use std::io::Write;\nuse std::process::Command;\nfn f() { Command::new(\"a\"); Command::new(\"cp\"); }\n";
        let after = "use std::io::Write;\nuse std::process::Command;\nfn f() { Command::new(\"a\"); x(); }\n";
        assert_eq!(fixed(before, after), after);
    }
}
