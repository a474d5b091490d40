//! Conversions between concur's positions (1-based lines, 1-based columns in characters) and
//! LSP's (0-based lines, columns in UTF-16 code units), edits to a buffer, and moving ranges
//! through those edits.

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position as LspPosition, Range, TextDocumentContentChangeEvent, TextEdit, Uri,
};

use crate::diagnostic::{Diagnostic, Level, Span};
use crate::rules;
use crate::source::{Position, SourceFile};

/// Where the documentation of a rule lives, linked from each diagnostic's code.
const RULE_DOC_BASE: &str = "https://github.com/concur-lint/concur/blob/main/rules/";

/// A concur position as an LSP position: the character column counted again in UTF-16.
pub fn lsp_position(file: &SourceFile, pos: Position) -> LspPosition {
    let character: usize = file
        .line_text(pos.line)
        .chars()
        .take(pos.column.saturating_sub(1))
        .map(char::len_utf16)
        .sum();
    LspPosition::new(to_u32(pos.line.saturating_sub(1)), to_u32(character))
}

/// A concur span as an LSP range.
pub fn lsp_range(file: &SourceFile, span: Span) -> Range {
    Range::new(lsp_position(file, span.start), lsp_position(file, span.end))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Converts one finding for `uri` (whose text is `file`): code = rule name, a link to the rule's
/// doc, source "concur", the help in the message, secondary labels as related information.
pub fn lsp_diagnostic(file: &SourceFile, uri: &Uri, diag: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = diag.message.clone();
    if let Some(label) = &diag.primary_label {
        message.push_str(&format!("\n{label}"));
    }
    if let Some(help) = &diag.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let mut related: Vec<DiagnosticRelatedInformation> = diag
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lsp_range(file, label.span)),
            message: label.message.clone(),
        })
        .collect();
    related.extend(diag.notes.iter().filter_map(|note| {
        let location = if note.path == file.path {
            Location::new(uri.clone(), lsp_range(file, note.span))
        } else {
            // Another file, whose text is not at hand: its characters are counted as UTF-16
            // units, which they are but for characters outside the basic plane.
            let uri = path_to_uri(&note.path)?;
            let at = |p: crate::source::Position| {
                LspPosition::new(
                    u32::try_from(p.line.saturating_sub(1)).unwrap_or(u32::MAX),
                    u32::try_from(p.column.saturating_sub(1)).unwrap_or(u32::MAX),
                )
            };
            Location::new(
                uri,
                lsp_types::Range::new(at(note.span.start), at(note.span.end)),
            )
        };
        Some(DiagnosticRelatedInformation {
            location,
            message: note.message.clone(),
        })
    }));
    let code_description = rules::find(diag.rule).and_then(|rule| {
        let href = format!("{RULE_DOC_BASE}{}.md", rule.name).parse().ok()?;
        Some(CodeDescription { href })
    });
    lsp_types::Diagnostic {
        range: lsp_range(file, diag.span),
        severity: Some(match diag.level {
            Level::Note => DiagnosticSeverity::INFORMATION,
            Level::Warning => DiagnosticSeverity::WARNING,
            Level::Error => DiagnosticSeverity::ERROR,
        }),
        code: Some(NumberOrString::String(diag.rule.to_string())),
        code_description,
        source: Some("concur".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The `file://` URI of a path.
fn path_to_uri(path: &std::path::Path) -> Option<Uri> {
    let abs = std::path::absolute(path).ok()?;
    format!("file://{}", abs.display()).parse().ok()
}

/// The byte offset in `text` of an LSP position; a line past the end maps to the end of the text
/// and a column past the end of its line to the end of that line (as the protocol asks).
pub fn byte_offset(text: &str, pos: LspPosition) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= pos.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_start + line.len()
}

/// Applies one content change to `text`: a range replacement, or the whole text.
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let start = byte_offset(text, range.start);
            let end = byte_offset(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => text.clone_from(&change.text),
    }
}

/// Where a position ends up after `range` was replaced by `new_text`: before the edit it stays,
/// after it moves by the lines (and, on the edit's last line, the columns) the edit added;
/// inside the replaced text it moves to the edit's start.
pub fn shift_position(pos: LspPosition, range: Range, new_text: &str) -> LspPosition {
    if pos < range.start {
        return pos;
    }
    if pos < range.end {
        return range.start;
    }
    let new_lines = new_text.matches('\n').count();
    let last_line = new_text.rsplit('\n').next().unwrap_or("");
    let last_len: u32 = to_u32(last_line.encode_utf16().count());
    let new_end = if new_lines == 0 {
        LspPosition::new(
            range.start.line,
            range.start.character.saturating_add(last_len),
        )
    } else {
        LspPosition::new(range.start.line.saturating_add(to_u32(new_lines)), last_len)
    };
    // `pos >= range.end` here, so neither subtraction can wrap.
    if pos.line == range.end.line {
        let past_end = pos.character - range.end.character;
        LspPosition::new(new_end.line, new_end.character.saturating_add(past_end))
    } else {
        let below = pos.line - range.end.line;
        LspPosition::new(new_end.line.saturating_add(below), pos.character)
    }
}

/// A range moved through an edit (see [`shift_position`]).
pub fn shift_range(r: Range, edit: Range, new_text: &str) -> Range {
    Range::new(
        shift_position(r.start, edit, new_text),
        shift_position(r.end, edit, new_text),
    )
}

/// Whether two ranges touch or overlap (an empty range at a diagnostic's edge counts).
pub fn ranges_touch(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The edit that suppresses `rule` on 0-based `line` of `text`: a trailing
/// `// concur: ignore[RULE]` comment, or the rule added to one already there; `None` when the
/// line is missing or already suppresses the rule. With `reason` (the configuration's
/// `require-reason`) a new comment ends with a `-- reason` placeholder to fill in.
pub fn suppress_edit(text: &str, line: u32, rule: &str, reason: bool) -> Option<TextEdit> {
    let line_text = text.split('\n').nth(line as usize)?;
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    const MARKER: &str = "// concur: ignore[";
    if let Some(at) = line_text.find(MARKER) {
        let list_start = at + MARKER.len();
        let close = list_start + line_text[list_start..].find(']')?;
        let list = &line_text[list_start..close];
        if list.split(',').any(|r| r.trim() == rule) {
            return None;
        }
        let character = to_u32(line_text[..close].encode_utf16().count());
        let pos = LspPosition::new(line, character);
        let sep = if list.trim().is_empty() { "" } else { ", " };
        return Some(TextEdit::new(Range::new(pos, pos), format!("{sep}{rule}")));
    }
    let end = LspPosition::new(line, to_u32(line_text.encode_utf16().count()));
    let sep = if line_text.ends_with([' ', '\t']) {
        ""
    } else {
        " "
    };
    Some(TextEdit::new(
        Range::new(end, end),
        format!(
            "{sep}// concur: ignore[{rule}]{}",
            if reason { " -- reason" } else { "" }
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> LspPosition {
        LspPosition::new(line, character)
    }

    #[test]
    fn columns_are_counted_in_utf16_units() {
        // `é` is one UTF-16 unit, `🦀` two; concur counts each as one character.
        let text = "fn f() {\n    let s = \"é🦀\"; g();\n}\n";
        let file = SourceFile::new("a.rs", text.into());
        let g = text.find("g()").expect("g in text");
        let p = lsp_position(&file, file.position_of_byte(g));
        // 18 characters before `g`, 19 UTF-16 units.
        assert_eq!(p, pos(1, 19));
        assert_eq!(byte_offset(text, p), g);
    }

    #[test]
    fn offsets_clamp_to_line_and_text_ends() {
        let text = "ab\r\ncd\n";
        assert_eq!(byte_offset(text, pos(0, 99)), 2);
        assert_eq!(byte_offset(text, pos(1, 1)), 5);
        assert_eq!(byte_offset(text, pos(7, 0)), text.len());
    }

    #[test]
    fn incremental_changes_edit_the_buffer() {
        let mut text = String::from("let a = 1;\nlet é = 2;\n");
        apply_change(
            &mut text,
            &TextDocumentContentChangeEvent {
                range: Some(Range::new(pos(1, 4), pos(1, 5))),
                range_length: None,
                text: "b\n// x".into(),
            },
        );
        assert_eq!(text, "let a = 1;\nlet b\n// x = 2;\n");
    }

    #[test]
    fn positions_move_with_edits() {
        let edit = Range::new(pos(2, 4), pos(3, 1));
        // Before the edit: unchanged.
        assert_eq!(shift_position(pos(1, 9), edit, "x\ny\n"), pos(1, 9));
        // Lines below: shifted by the line delta (+2 added, -1 removed).
        assert_eq!(shift_position(pos(5, 3), edit, "x\ny\n"), pos(6, 3));
        // Same line as the edit's end: the column moves too.
        assert_eq!(shift_position(pos(3, 5), edit, "xy"), pos(2, 10));
        // Inside the replaced text: to the edit's start.
        assert_eq!(shift_position(pos(3, 0), edit, ""), pos(2, 4));
    }

    #[test]
    fn suppression_comment_is_appended_or_extended() {
        let text = "fn f() {\n    g();\n    h(); // concur: ignore[a]\n}\n";
        let add = suppress_edit(text, 1, "rule_b", false).expect("edit");
        assert_eq!(add.range.start, pos(1, 8));
        assert_eq!(add.new_text, " // concur: ignore[rule_b]");
        let extend = suppress_edit(text, 2, "rule_b", true).expect("edit");
        assert_eq!(extend.range.start, pos(2, 28));
        assert_eq!(extend.new_text, ", rule_b");
        assert_eq!(suppress_edit(text, 2, "a", false), None);
        let with_reason = suppress_edit(text, 1, "rule_b", true).expect("edit");
        assert_eq!(with_reason.new_text, " // concur: ignore[rule_b] -- reason");
    }
}
