//! The names a `let`, closure parameter or match arm binds.

use syn::Pat;
use syn::visit::{self, Visit};

/// The single name a pattern binds (`tx`, `mut tx`, `tx: Sender<u8>`); `None` for `_`,
/// tuples, structs and `x @ pattern`.
pub fn pat_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => Some(p.ident.to_string()),
        Pat::Type(p) => pat_name(&p.pat),
        _ => None,
    }
}

/// A pattern without its type ascription and parentheses.
pub fn strip_pat(pat: &Pat) -> &Pat {
    match pat {
        Pat::Type(t) => strip_pat(&t.pat),
        Pat::Paren(p) => strip_pat(&p.pat),
        other => other,
    }
}

/// Every name a pattern binds (`(tx, rx)` binds `tx` and `rx`; `Some(Job { id, .. })` binds
/// `id`).
pub fn pat_names(pat: &Pat) -> Vec<String> {
    struct Names(Vec<String>);
    impl Visit<'_> for Names {
        fn visit_pat_ident(&mut self, p: &syn::PatIdent) {
            self.0.push(p.ident.to_string());
            visit::visit_pat_ident(self, p);
        }
    }
    let mut names = Names(Vec::new());
    names.visit_pat(pat);
    names.0
}
