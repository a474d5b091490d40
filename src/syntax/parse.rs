//! Parsing a source file with syn, once. A file syn cannot parse yields a [`ParseError`]: where
//! and why; the report layer turns it into a finding.

use crate::diagnostic::Span;
use crate::source::SourceFile;

/// Why a file could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where syn stopped (or where nesting went too deep).
    pub span: Span,
    /// What went wrong.
    pub message: String,
}

/// Deepest bracket nesting accepted before parsing: syn, the walk and the AST's drop all recurse
/// per level, so a bound keeps any input from exhausting the analysis thread's stack.
pub const MAX_NESTING: usize = 512;

/// Parses `file`, or says where and why syn could not.
pub fn parse(file: &SourceFile) -> Result<syn::File, ParseError> {
    let text = file.parse_text();
    if let Some(offset) = too_deep(text) {
        let pos = file.position_of_byte(offset + (file.text.len() - text.len()));
        let span = Span {
            start: pos,
            end: pos,
        };
        return Err(ParseError {
            span,
            message: format!(
                "nesting deeper than {MAX_NESTING} levels; concur does not analyse this file"
            ),
        });
    }
    let parsed = if text.len() < STREAMING_THRESHOLD {
        syn::parse_file(text)
    } else {
        parse_streaming(text)
    };
    parsed.map_err(|err| ParseError {
        span: Span::from_syn(file, err.span()),
        message: format!("could not parse file: {err}"),
    })
}

/// What parsing a file yields: its syntax tree, if any part of it parsed, and what could not be
/// parsed (each becomes a "not linted" finding).
pub struct Parsed {
    /// The file's tree; `None` when nothing of it parsed.
    pub ast: Option<syn::File>,
    /// The parts syn rejected: the whole file, or the items skipped to lint the rest.
    pub unparsed: Vec<ParseError>,
}

/// Parses `file`; where syn rejects it, parses it again item by item, skipping the items it
/// rejects (valid Rust that syn does not know: edition-2015 bare trait objects, items under a
/// `#[cfg]` that is never true), so the rest of the file is still linted.
pub fn parse_recovering(file: &SourceFile) -> Parsed {
    let error = match parse(file) {
        Ok(ast) => {
            return Parsed {
                ast: Some(ast),
                unparsed: Vec::new(),
            };
        }
        Err(error) => error,
    };
    let text = file.parse_text();
    let recovered = if too_deep(text).is_some() {
        None
    } else {
        recover(text).filter(|(ast, _)| !ast.items.is_empty())
    };
    match recovered {
        Some((ast, skipped)) => Parsed {
            ast: Some(ast),
            unparsed: vec![ParseError {
                message: format!(
                    "{} not linted: {}",
                    if skipped == 1 {
                        "1 item".to_string()
                    } else {
                        format!("{skipped} items")
                    },
                    error.message.trim_start_matches("could not parse file: ")
                ),
                ..error
            }],
        },
        None => Parsed {
            ast: None,
            unparsed: vec![ParseError {
                message: format!("file not linted: {}", error.message),
                ..error
            }],
        },
    }
}

/// Parses the items of `text` one by one, skipping each that syn rejects up to its end (its
/// `;` or its `{ .. }` block); how many were skipped. `None` when the text does not even split
/// into tokens (an unclosed delimiter, a bad literal).
fn recover(text: &str) -> Option<(syn::File, usize)> {
    use syn::parse::discouraged::Speculative;
    use syn::parse::{ParseStream, Parser};
    let content = match text.strip_prefix("#!") {
        Some(rest) if !rest.trim_start().starts_with('[') => &text[text.find('\n')?..],
        _ => text,
    };
    let tokens: proc_macro2::TokenStream = content.parse().ok()?;
    let file = |input: ParseStream<'_>| {
        let attrs = input.call(syn::Attribute::parse_inner).unwrap_or_default();
        let mut items = Vec::new();
        let mut skipped = 0;
        while !input.is_empty() {
            let fork = input.fork();
            match fork.parse::<syn::Item>() {
                Ok(item) => {
                    input.advance_to(&fork);
                    items.push(item);
                }
                Err(_) => {
                    skipped += 1;
                    skip_item(input)?;
                }
            }
        }
        Ok((
            syn::File {
                shebang: None,
                attrs,
                items,
            },
            skipped,
        ))
    };
    file.parse2(tokens).ok()
}

/// Consumes tokens up to and including the end of the current item: a `;` or a `{ .. }` group
/// at this level (at least one token).
fn skip_item(input: syn::parse::ParseStream<'_>) -> syn::Result<()> {
    input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            rest = next;
            match tree {
                proc_macro2::TokenTree::Punct(p) if p.as_char() == ';' => break,
                proc_macro2::TokenTree::Group(g)
                    if g.delimiter() == proc_macro2::Delimiter::Brace =>
                {
                    break;
                }
                _ => {}
            }
        }
        Ok(((), rest))
    })
}

/// Files at least this big are parsed item by item, dropping literal data tables at once.
const STREAMING_THRESHOLD: usize = 512 * 1024;

/// Parses a big file the way `syn::parse_file` does (a shebang line skipped, inner
/// attributes, then items), but keeps no literal data table: a generated file of tables
/// (`encoding_rs`'s 2.5 MB `data.rs`) costs over 300 MB as a syn tree, and no rule can fire in
/// a `const`/`static` whose value is only literals. Syntax errors are reported as before:
/// every item is still parsed.
fn parse_streaming(text: &str) -> syn::Result<syn::File> {
    use syn::parse::{ParseStream, Parser};
    let (shebang, content) = match text.strip_prefix("#!") {
        Some(rest) if !rest.trim_start().starts_with('[') => match text.find('\n') {
            Some(newline) => (Some(text[..newline].to_string()), &text[newline..]),
            None => (Some(text.to_string()), ""),
        },
        _ => (None, text),
    };
    let file = |input: ParseStream<'_>| {
        let attrs = input.call(syn::Attribute::parse_inner)?;
        let mut items = Vec::new();
        while !input.is_empty() {
            items.extend(parse_item(input)?);
        }
        Ok(syn::File {
            shebang,
            attrs,
            items,
        })
    };
    file.parse_str(content)
}

/// Parses the next item, or checks and skips it when it is a literal table: the table's
/// elements are parsed one at a time and dropped, so no tree of it is ever built. Anything
/// else, or a table with a syntax error, is parsed as syn parses items (same errors).
fn parse_item(input: syn::parse::ParseStream<'_>) -> syn::Result<Option<syn::Item>> {
    use syn::parse::discouraged::Speculative;
    let fork = input.fork();
    if skip_literal_table(&fork).unwrap_or(false) {
        input.advance_to(&fork);
        return Ok(None);
    }
    let item: syn::Item = input.parse()?;
    Ok((!is_literal_table(&item)).then_some(item))
}

/// Consumes `[attrs] [vis] const|static NAME: TYPE = [literal, ...];` and answers whether
/// that is what came (an error or `false` means: parse it the normal way).
fn skip_literal_table(input: syn::parse::ParseStream<'_>) -> syn::Result<bool> {
    input.call(syn::Attribute::parse_outer)?;
    input.parse::<syn::Visibility>()?;
    if input.peek(syn::Token![static]) && !input.peek2(syn::Token![mut]) {
        input.parse::<syn::Token![static]>()?;
    } else if input.peek(syn::Token![const]) {
        input.parse::<syn::Token![const]>()?;
    } else {
        return Ok(false);
    }
    input.parse::<syn::Ident>()?;
    input.parse::<syn::Token![:]>()?;
    input.parse::<syn::Type>()?;
    input.parse::<syn::Token![=]>()?;
    let content;
    syn::bracketed!(content in input);
    while !content.is_empty() {
        let element: syn::Expr = content.parse()?;
        if !is_literal_data(&element) {
            return Ok(false);
        }
        if content.is_empty() {
            break;
        }
        content.parse::<syn::Token![,]>()?;
    }
    input.parse::<syn::Token![;]>()?;
    Ok(true)
}

/// Whether an item is an immutable `const`/`static` array of literals (and paths, casts,
/// negations of them): data with no code in it.
fn is_literal_table(item: &syn::Item) -> bool {
    let expr = match item {
        syn::Item::Const(item) => &item.expr,
        syn::Item::Static(item) if matches!(item.mutability, syn::StaticMutability::None) => {
            &item.expr
        }
        _ => return false,
    };
    matches!(&**expr, syn::Expr::Array(_) | syn::Expr::Reference(_)) && is_literal_data(expr)
}

fn is_literal_data(expr: &syn::Expr) -> bool {
    use syn::Expr;
    match expr {
        Expr::Lit(_) | Expr::Path(_) => true,
        Expr::Array(array) => array.elems.iter().all(is_literal_data),
        Expr::Tuple(tuple) => tuple.elems.iter().all(is_literal_data),
        Expr::Repeat(repeat) => is_literal_data(&repeat.expr) && is_literal_data(&repeat.len),
        Expr::Reference(inner) => is_literal_data(&inner.expr),
        Expr::Paren(inner) => is_literal_data(&inner.expr),
        Expr::Group(inner) => is_literal_data(&inner.expr),
        Expr::Cast(cast) => is_literal_data(&cast.expr),
        Expr::Unary(unary) => {
            matches!(unary.op, syn::UnOp::Neg(_) | syn::UnOp::Not(_))
                && is_literal_data(&unary.expr)
        }
        _ => false,
    }
}

/// Returns the offset where bracket nesting first exceeds [`MAX_NESTING`], ignoring
/// brackets inside strings, chars and comments only roughly: the bound is generous.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut unary_run = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            // Long runs of prefix operators (`!!!!x`, `- - - x`) nest without brackets.
            b'!' | b'-' | b'*' | b'&' => {
                unary_run += 1;
                if unary_run > MAX_NESTING * 4 {
                    return Some(i);
                }
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => continue,
            _ => {}
        }
        unary_run = 0;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file over the streaming threshold: a literal table, then `tail`.
    fn big_file(tail: &str) -> String {
        let mut text = String::from(
            "//! generated\n#![allow(dead_code)]\npub static TABLE: [u16; 200000] = [\n",
        );
        while text.len() < STREAMING_THRESHOLD {
            text.push_str("    1, -2, 0x3, 4 as u16, LIMIT, (5), !6,\n");
        }
        text.push_str("];\n");
        text.push_str(tail);
        text
    }

    fn item_names(file: &syn::File) -> Vec<String> {
        file.items
            .iter()
            .map(|item| match item {
                syn::Item::Fn(f) => f.sig.ident.to_string(),
                syn::Item::Static(s) => s.ident.to_string(),
                syn::Item::Const(c) => c.ident.to_string(),
                _ => "?".to_string(),
            })
            .collect()
    }

    fn recovered(text: &str) -> (Vec<String>, Vec<String>) {
        let file = SourceFile::new("a.rs", text.to_string());
        let parsed = parse_recovering(&file);
        (
            parsed.ast.as_ref().map(item_names).unwrap_or_default(),
            parsed.unparsed.into_iter().map(|e| e.message).collect(),
        )
    }

    #[test]
    fn items_syn_rejects_are_skipped_and_the_rest_is_linted() {
        let (items, unparsed) = recovered(
            "type Handler = Fn(&u8) + Send;\nfn run() {}\n#[cfg(any())]\nimpl !Trait {}\nfn after() {}\n",
        );
        assert_eq!(items, ["run", "after"]);
        assert_eq!(unparsed.len(), 1);
        assert!(
            unparsed[0].starts_with("2 items not linted:"),
            "{unparsed:?}"
        );
        // Nothing to recover: an unclosed delimiter, or nothing parses.
        let (items, unparsed) = recovered("fn broken( {\n");
        assert!(items.is_empty());
        assert!(unparsed[0].starts_with("file not linted:"), "{unparsed:?}");
        let (items, unparsed) = recovered("fn ok() {}\n");
        assert_eq!(items, ["ok"]);
        assert!(unparsed.is_empty());
    }

    #[test]
    fn big_files_keep_code_and_drop_literal_tables() {
        let text = big_file(
            "const LIMIT: u16 = 9;\nstatic mut COUNTS: [u32; 2] = [0, 0];\n\
             static LOCKS: [std::sync::Mutex<u8>; 1] = [std::sync::Mutex::new(0)];\n\
             const SMALL: [u8; 2] = [1, 2];\nfn run() { std::thread::spawn(|| 1); }\n",
        );
        assert!(text.len() >= STREAMING_THRESHOLD);
        let file = parse_streaming(&text).expect("parses");
        assert_eq!(file.attrs.len(), 2, "inner attributes kept");
        // TABLE and SMALL are literal tables; a `static mut` and code stay.
        assert_eq!(item_names(&file), ["LIMIT", "COUNTS", "LOCKS", "run"]);
    }

    #[test]
    fn big_files_report_the_same_syntax_errors_as_syn() {
        let in_table = big_file("").replacen("1, -2", "1 -2 +", 1);
        let after_table = big_file("fn broken( { }\n");
        let in_code_first = format!("fn broken( {{ }}\n{}", big_file(""));
        for text in [in_table, after_table, in_code_first] {
            let ours = parse_streaming(&text).expect_err("does not parse");
            let syns = syn::parse_file(&text).expect_err("does not parse");
            assert_eq!(ours.to_string(), syns.to_string());
            assert_eq!(ours.span().start(), syns.span().start());
        }
    }

    #[test]
    fn big_files_with_a_shebang_parse_like_syn() {
        let text = format!(
            "#!/usr/bin/env run-cargo-script\n{}",
            big_file("fn main() {}\n")
        );
        let file = parse_streaming(&text).expect("parses");
        assert_eq!(
            file.shebang.as_deref(),
            Some("#!/usr/bin/env run-cargo-script")
        );
        assert_eq!(item_names(&file), ["main"]);
        let broken = text.replace("fn main() {}", "fn main() {");
        let ours = parse_streaming(&broken).expect_err("does not parse");
        let syns = syn::parse_file(&broken).expect_err("does not parse");
        assert_eq!(ours.span().start(), syns.span().start());
    }
}
