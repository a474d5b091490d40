//! Suppressions: concur's own comments and attributes that silence a finding where a rule is
//! wrong.
//!
//! - `// concur: ignore[rule_a, rule_b] -- reason` at the end of a line silences that line; on a
//!   line of its own it silences the next statement or item (a whole fn/impl/mod when it sits
//!   above one).
//! - `//! concur: file-ignore[rule] -- reason` silences the whole file.
//! - `#[cfg_attr(concur, allow(concur::rule))]` on an item silences the item (rustc drops the
//!   attribute since the `concur` cfg is never set).
//! - `#[allow(clippy::lint)]` or `#[expect(..)]` of a rustc or clippy lint that finds the same
//!   mistake as a rule (its `allowed_by`) silences that rule on the item, statement or file
//!   (`#![allow(..)]`): code that already answered clippy is not asked again. Such an
//!   attribute is never an unused suppression (it is there for clippy).
//!
//! Comments are found by [`scan`] in the file's text (syn drops comments); [`apply`] then
//! matches them to the syntax tree and the findings. A suppression that silences nothing is
//! reported as `unused_suppression`; a malformed one, or one naming an unknown rule, as
//! `invalid_suppression`.

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Meta, Token};

use crate::diagnostic::{Diagnostic, Level, Span};
use crate::report::names::{INVALID_SUPPRESSION, UNUSED_SUPPRESSION};
use crate::rules::{self, RuleInfo};
use crate::semantic::settings::Settings;
use crate::source::SourceFile;
use crate::syntax::attrs;

/// What a suppression comment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `ignore[..]` at the end of a line: that line.
    Trailing,
    /// `ignore[..]` on its own line: the next statement or item.
    NextItem,
    /// `file-ignore[..]`: the whole file.
    File,
}

/// A `concur:` comment found in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressComment {
    /// What it covers.
    pub kind: CommentKind,
    /// The line the comment is on.
    pub line: usize,
    /// The rule names, each with its span (for errors pointing at the name).
    pub rules: Vec<(String, Span)>,
    /// The text after `--`, if any.
    pub reason: Option<String>,
    /// The whole comment.
    pub span: Span,
    /// Why the comment could not be read, if it could not.
    pub malformed: Option<String>,
}

/// Finds every `concur:` line comment in `file`'s text in one pass, skipping strings, chars
/// and block comments. Files that never mention `concur` cost one substring search.
pub fn scan(file: &SourceFile) -> Vec<SuppressComment> {
    let text = file.text.as_str();
    if !text.contains("concur") {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                if let Some(comment) = read_comment(file, i, end) {
                    found.push(comment);
                }
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                while i < bytes.len() {
                    if bytes[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'r' if raw_string_start(bytes, i, is_ident) => {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let mut close = vec![b'"'];
                close.extend(std::iter::repeat_n(b'#', hashes));
                let body = i + 2 + hashes;
                i = find(bytes, body, &close).map_or(bytes.len(), |at| at + close.len());
            }
            b'\'' => {
                if bytes.get(i + 1) == Some(&b'\\') {
                    i = bytes[i + 3..]
                        .iter()
                        .position(|&b| b == b'\'')
                        .map_or(bytes.len(), |n| i + 3 + n + 1);
                } else {
                    let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                    i += if bytes.get(i + 1 + len) == Some(&b'\'') {
                        len + 2
                    } else {
                        1
                    };
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// Whether a raw string (`r"`, `r#"`, `br"`, `cr"`) starts at `i`, not a raw identifier or
/// an identifier ending in `r`.
fn raw_string_start(bytes: &[u8], i: usize, is_ident: impl Fn(u8) -> bool) -> bool {
    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
    if bytes.get(i + 1 + hashes) != Some(&b'"') {
        return false;
    }
    match i.checked_sub(1).map(|p| bytes[p]) {
        None => true,
        Some(b'b' | b'c') => i < 2 || !is_ident(bytes[i - 2]),
        Some(prev) => !is_ident(prev),
    }
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

/// Reads the line comment at `start..end` if it is a `concur:` directive.
fn read_comment(file: &SourceFile, start: usize, end: usize) -> Option<SuppressComment> {
    let text = &file.text[start..end];
    let body_at = if text.starts_with("//!") {
        3
    } else if text.starts_with("///") {
        return None;
    } else {
        2
    };
    let body = &text[body_at..];
    let directive = body.trim_start().strip_prefix("concur:")?;
    let directive_at = start + body_at + (body.len() - body.trim_start().len()) + "concur:".len();
    let position = file.position_of_byte(start);
    let own_line = file.text[..start]
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .trim()
        .is_empty();
    let span = Span {
        start: position,
        end: file.position_of_byte(end),
    };
    let trimmed = directive.trim_start();
    let word_at = directive_at + (directive.len() - trimmed.len());
    let (kind, after) = if let Some(rest) = trimmed.strip_prefix("file-ignore") {
        (CommentKind::File, rest)
    } else if let Some(rest) = trimmed.strip_prefix("ignore") {
        (
            if own_line {
                CommentKind::NextItem
            } else {
                CommentKind::Trailing
            },
            rest,
        )
    } else if trimmed
        .split_whitespace()
        .next()
        .is_some_and(|w| w.contains('['))
    {
        // `concur: allow[x]`, `concur: ingore[x]`: a directive gone wrong.
        (CommentKind::Trailing, "")
    } else {
        // Prose that happens to start with `concur:` (`//! concur: a linter for ...`).
        return None;
    };
    let mut comment = SuppressComment {
        kind,
        line: position.line,
        rules: Vec::new(),
        reason: None,
        span,
        malformed: None,
    };
    let list_at = word_at + (trimmed.len() - after.len());
    let (Some(inner), Some(close)) = (after.strip_prefix('['), after.find(']')) else {
        comment.malformed = Some(
            "expected `concur: ignore[rule, ...] -- reason` or `concur: file-ignore[rule, ...]`"
                .into(),
        );
        return Some(comment);
    };
    let list = &inner[..close - 1];
    let mut offset = list_at + 1;
    for part in list.split(',') {
        let name = part.trim();
        if !name.is_empty() {
            let at = offset + (part.len() - part.trim_start().len());
            let name_span = Span {
                start: file.position_of_byte(at),
                end: file.position_of_byte(at + name.len()),
            };
            comment.rules.push((name.to_string(), name_span));
        }
        offset += part.len() + 1;
    }
    if comment.rules.is_empty() {
        comment.malformed = Some("the suppression names no rule".into());
    }
    let rest = after[close + 1..].trim();
    if let Some(reason) = rest
        .strip_prefix("--")
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        comment.reason = Some(reason.to_string());
    } else if !rest.is_empty() {
        comment.malformed = Some("expected `-- reason` after the rule list".into());
    }
    Some(comment)
}

/// One suppression resolved to the lines it covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Cover {
    /// First and last line covered (inclusive); `None` for the whole file.
    lines: Option<(usize, usize)>,
    /// Rule names with their spans and whether they silenced something.
    rules: Vec<(String, Span, bool)>,
}

/// A suppression that is itself wrong: malformed, without a required reason, or naming an
/// unknown rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Invalid {
    span: Span,
    message: String,
    help: Option<String>,
}

/// A file's suppressions, matched to its syntax tree while it is parsed. They are applied once
/// every finding of the file is known, the crate-wide ones included; the result cache keeps
/// them with the file's findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suppressions {
    covers: Vec<Cover>,
    invalid: Vec<Invalid>,
}

/// Finds the suppressions of `file` and what each covers. Called once per file, with its tree.
pub fn collect(file: &SourceFile, ast: &syn::File, settings: &Settings) -> Suppressions {
    let comments = &scan(file);
    let has_attrs = file.text.contains("concur::")
        || rules::RULES
            .iter()
            .flat_map(|r| r.allowed_by)
            .any(|lint| file.text.contains(lint.rsplit("::").next().unwrap_or(lint)));
    if comments.is_empty() && !has_attrs {
        return Suppressions::default();
    }
    let mut covers = Vec::new();
    let mut invalid = Vec::new();
    let mut targets: Vec<(usize, usize)> = Vec::new();
    for comment in comments {
        if let Some(why) = &comment.malformed {
            invalid.push(Invalid {
                span: comment.span,
                message: format!("malformed suppression: {why}"),
                help: None,
            });
            continue;
        }
        if settings.require_reason && comment.reason.is_none() {
            invalid.push(Invalid {
                span: comment.span,
                message: "suppression without a reason".into(),
                help: Some(
                    "say why the finding is wrong here: `// concur: ignore[rule] -- reason`".into(),
                ),
            });
        }
        let lines = match comment.kind {
            CommentKind::File => None,
            CommentKind::Trailing => Some((comment.line, comment.line)),
            CommentKind::NextItem => {
                let target = next_code_line(file, comment.line);
                targets.push((target, target));
                Some((target, target))
            }
        };
        covers.push(Cover {
            lines,
            rules: comment
                .rules
                .iter()
                .map(|(n, s)| (n.clone(), *s, false))
                .collect(),
        });
    }
    // Widen own-line suppressions to the statement or item starting on their target line, and
    // collect `cfg_attr(concur, allow(concur::rule))` attributes.
    let mut finder = Finder {
        file,
        targets: &mut targets,
        attrs: Vec::new(),
        scan_attrs: has_attrs,
    };
    if !finder.targets.is_empty() || has_attrs {
        if has_attrs {
            let rules = allowed_rules(file, &ast.attrs);
            if !rules.is_empty() {
                finder.attrs.push(Cover { lines: None, rules });
            }
        }
        finder.visit_file(ast);
    }
    let attr_covers = std::mem::take(&mut finder.attrs);
    for cover in &mut covers {
        if let Some((start, end)) = &mut cover.lines
            && let Some(&(_, widened)) = targets.iter().find(|(line, _)| *line == *start)
        {
            *end = widened.max(*end);
        }
    }
    covers.extend(attr_covers);
    for cover in &covers {
        for (name, span, _) in &cover.rules {
            if rules::find(name).is_none() {
                invalid.push(Invalid {
                    span: *span,
                    message: format!("unknown rule `{name}` in suppression"),
                    help: Some(rules::unknown_rule_help(name)),
                });
            }
        }
    }
    Suppressions { covers, invalid }
}

impl Suppressions {
    /// Removes the findings of the file at `path` that a suppression covers, and adds
    /// `unused_suppression` (for a suppression of an `enabled` rule that silenced nothing) and
    /// `invalid_suppression` findings.
    pub fn apply(
        &self,
        path: &std::path::Path,
        enabled: &[&'static RuleInfo],
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if self.covers.is_empty() && self.invalid.is_empty() {
            return;
        }
        let mut covers = self.covers.clone();
        diagnostics.retain(|diag| {
            let line = diag.span.start.line;
            let mut silenced = false;
            for cover in &mut covers {
                if cover
                    .lines
                    .is_some_and(|(start, end)| line < start || line > end)
                {
                    continue;
                }
                for (name, _, used) in &mut cover.rules {
                    if name == diag.rule {
                        *used = true;
                        silenced = true;
                    }
                }
            }
            !silenced
        });
        for cover in &covers {
            for (name, span, used) in &cover.rules {
                let enabled = enabled.iter().any(|r| r.name == name);
                if !used && enabled {
                    diagnostics.push(
                        Diagnostic::new(UNUSED_SUPPRESSION, path.to_path_buf(), *span, format!("unused suppression: no `{name}` finding here"))
                            .with_help("remove the rule from the suppression (the code it covered no longer triggers it)"),
                    );
                }
            }
        }
        for invalid in &self.invalid {
            let mut diag = Diagnostic::new(
                INVALID_SUPPRESSION,
                path.to_path_buf(),
                invalid.span,
                invalid.message.clone(),
            );
            diag.help.clone_from(&invalid.help);
            diag.level = Level::Error;
            diagnostics.push(diag);
        }
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
}

/// The first line after `line` that holds code (not blank, not a comment).
fn next_code_line(file: &SourceFile, line: usize) -> usize {
    (line + 1..=file.line_count())
        .find(|&l| {
            let text = file.line_text(l).trim();
            !text.is_empty() && !text.starts_with("//")
        })
        .unwrap_or(line + 1)
}

/// Finds the outermost statement or item starting on each target line, and concur `allow`s in
/// `cfg_attr` attributes on items.
struct Finder<'a> {
    file: &'a SourceFile,
    /// (target line, last line of the node starting there); the second is widened as found.
    targets: &'a mut Vec<(usize, usize)>,
    attrs: Vec<Cover>,
    scan_attrs: bool,
}

impl Finder<'_> {
    fn node(&mut self, node: &impl Spanned, attrs: &[Attribute]) {
        let span = Span::from_syn(self.file, node.span());
        for target in self.targets.iter_mut() {
            if target.0 == span.start.line && target.1 == target.0 {
                target.1 = span.end.line;
            }
        }
        if self.scan_attrs {
            let rules = allowed_rules(self.file, attrs);
            if !rules.is_empty() {
                self.attrs.push(Cover {
                    lines: Some((span.start.line, span.end.line)),
                    rules,
                });
            }
        }
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = attrs::item_attrs(item);
        self.node(item, attrs);
        visit::visit_item(self, item);
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Fn(f) => &f.attrs[..],
            syn::ImplItem::Const(c) => &c.attrs,
            syn::ImplItem::Type(t) => &t.attrs,
            _ => &[],
        };
        self.node(item, attrs);
        visit::visit_impl_item(self, item);
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        let attrs = match item {
            syn::TraitItem::Fn(f) => &f.attrs[..],
            syn::TraitItem::Const(c) => &c.attrs,
            syn::TraitItem::Type(t) => &t.attrs,
            _ => &[],
        };
        self.node(item, attrs);
        visit::visit_trait_item(self, item);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        let attrs = attrs::stmt_attrs(stmt);
        if !matches!(stmt, syn::Stmt::Item(_)) {
            self.node(stmt, attrs);
        }
        visit::visit_stmt(self, stmt);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.node(arm, &arm.attrs);
        visit::visit_arm(self, arm);
    }
}

/// The rules `attrs` silence, each with the span of the lint that names it and whether it is
/// already counted as used: `concur::rule` in `#[cfg_attr(concur, allow(..))]` (reported when
/// unused), and the rules whose `allowed_by` lists a lint in `#[allow(..)]`/`#[expect(..)]`,
/// direct or under `cfg_attr` (never reported as unused).
fn allowed_rules(file: &SourceFile, attrs: &[Attribute]) -> Vec<(String, Span, bool)> {
    let mut found = Vec::new();
    for attr in attrs {
        for lint in allowed_lints(&attr.meta) {
            let segments: Vec<String> = lint.segments.iter().map(|s| s.ident.to_string()).collect();
            let last = lint.segments.last().expect("a path has a segment");
            let span = Span::from_syn(file, last.ident.span());
            if let [tool, rule] = segments.as_slice()
                && tool == "concur"
            {
                found.push((rule.clone(), span, false));
                continue;
            }
            let written = segments.join("::");
            for rule in rules::RULES
                .iter()
                .filter(|r| r.allowed_by.contains(&written.as_str()))
            {
                found.push((rule.name.to_string(), span, true));
            }
        }
    }
    found
}

/// The lint paths an `allow`/`expect` attribute names, also under `cfg_attr(pred, ..)`.
fn allowed_lints(meta: &Meta) -> Vec<syn::Path> {
    let Meta::List(list) = meta else {
        return Vec::new();
    };
    if list.path.is_ident("allow") || list.path.is_ident("expect") {
        // `reason = ".."` is a name-value pair, not a lint.
        return list
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .map(|metas| {
                metas
                    .into_iter()
                    .filter_map(|m| match m {
                        Meta::Path(path) => Some(path),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
    if list.path.is_ident("cfg_attr")
        && let Ok(metas) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
    {
        return metas.iter().skip(1).flat_map(allowed_lints).collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_allowed_by_lint_silences_its_rule() {
        for rule in rules::RULES {
            for lint in rule.allowed_by {
                let text = format!("#[allow({lint})]\nfn f() {{}}\n");
                let file = SourceFile::new("a.rs", text.clone());
                let ast = syn::parse_file(&text).expect("parses");
                let syn::Item::Fn(f) = &ast.items[0] else {
                    panic!("a fn")
                };
                let found = allowed_rules(&file, &f.attrs);
                assert!(
                    found
                        .iter()
                        .any(|(name, _, used)| name == rule.name && *used),
                    "{lint} → {}: {found:?}",
                    rule.name
                );
            }
        }
    }

    fn comments(text: &str) -> Vec<SuppressComment> {
        scan(&SourceFile::new("a.rs", text.to_string()))
    }

    #[test]
    fn comments_in_strings_are_not_suppressions() {
        let text = "fn a() {\n    let s = \"// concur: ignore[x]\";\n    let r = r#\"// concur: ignore[y]\"#;\n    let c = '\"'; // concur: ignore[z] -- ok\n}\n";
        let found = comments(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rules[0].0, "z");
        assert_eq!(found[0].kind, CommentKind::Trailing);
        assert_eq!(found[0].reason.as_deref(), Some("ok"));
    }

    #[test]
    fn own_line_and_file_comments() {
        let found = comments(
            "//! concur: file-ignore[a]\n// concur: ignore[b, c]\nfn x<'a>(_: &'a str) {}\n",
        );
        assert_eq!(found[0].kind, CommentKind::File);
        assert_eq!(found[1].kind, CommentKind::NextItem);
        let names: Vec<_> = found[1].rules.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["b", "c"]);
        assert_eq!(found[1].rules[1].1.start.column, 22);
    }

    #[test]
    fn malformed_comments_are_kept_as_errors() {
        let found = comments("// concur: ignore thread_per_item\n// concur: ingore[x]\n");
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|c| c.malformed.is_some()));
    }

    #[test]
    fn prose_starting_with_concur_is_not_a_directive() {
        let found = comments("//! concur: a linter for concurrency.\n// concur: see the docs\n");
        assert!(found.is_empty(), "{found:?}");
    }
}
