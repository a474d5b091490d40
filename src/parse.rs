//! Parsing a source file with syn, once, turning a syntax error into a `parse_error` finding.

use crate::diagnostic::{Diagnostic, Level, Span};
use crate::source::SourceFile;

/// The rule name given to files syn cannot parse.
pub const PARSE_ERROR: &str = "parse_error";

/// Deepest bracket nesting accepted before parsing: syn, the walk and the AST's drop all recurse
/// per level, so a bound keeps any input from exhausting the analysis thread's stack.
pub const MAX_NESTING: usize = 512;

/// Parses `file`, or returns the `parse_error` finding at the location syn reports.
pub fn parse(file: &SourceFile) -> Result<syn::File, Box<Diagnostic>> {
    let text = file.parse_text();
    if let Some(offset) = too_deep(text) {
        let pos = file.position_of_byte(offset + (file.text.len() - text.len()));
        let span = Span {
            start: pos,
            end: pos,
        };
        return Err(Box::new(error(
            file,
            span,
            format!("nesting deeper than {MAX_NESTING} levels; concur does not analyse this file"),
        )));
    }
    syn::parse_file(text).map_err(|err| {
        let span = Span::from_syn(file, err.span());
        Box::new(error(file, span, format!("could not parse file: {err}")))
    })
}

fn error(file: &SourceFile, span: Span, message: String) -> Diagnostic {
    let mut diag = Diagnostic::new(PARSE_ERROR, file.path.clone(), span, message);
    diag.level = Level::Error;
    diag.with_help("concur reads source with syn; fix the syntax (or check the edition) and rerun")
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
