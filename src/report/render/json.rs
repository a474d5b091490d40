//! cargo's `compiler-message` JSON lines, the format rust-analyzer's flycheck reads.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::human;

use crate::diagnostic::{Applicability, Diagnostic, Span};
use crate::report::Report;
use crate::report::packages::Packages;
use crate::source::SourceFile;

/// Writes one `compiler-message` line per finding.
pub fn render(report: &Report, packages: &Packages, out: &mut dyn Write) -> std::io::Result<()> {
    for diag in &report.diagnostics {
        let sources = |path: &Path| report.sources.get(path).map(|s| &**s);
        let Some(message) = message(diag, &sources) else {
            continue;
        };
        let package = packages.for_file(&diag.path);
        let line = json!({
            "reason": "compiler-message",
            "package_id": package.package_id,
            "manifest_path": package.manifest_path,
            "target": package.target,
            "message": message,
        });
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The rustc diagnostic object for one finding; `sources` gives the text of its file and of the
/// files its notes point into. `None` when its own file's text is not at hand.
pub fn message<'s>(
    diag: &Diagnostic,
    sources: &dyn Fn(&Path) -> Option<&'s SourceFile>,
) -> Option<Value> {
    let source = sources(&diag.path)?;
    let mut spans = vec![span(
        source,
        &diag.path,
        diag.span,
        true,
        diag.primary_label.as_deref(),
    )];
    spans.extend(
        diag.labels
            .iter()
            .map(|l| span(source, &diag.path, l.span, false, Some(&l.message))),
    );
    let mut children = Vec::new();
    for note in &diag.notes {
        let spans = sources(&note.path)
            .map(|s| vec![span(s, &note.path, note.span, true, None)])
            .unwrap_or_default();
        children.push(child("note", &note.message, spans));
    }
    if let Some(help) = &diag.help {
        children.push(child("help", help, Vec::new()));
    }
    if let Some(suggestion) = &diag.suggestion {
        let applicability = match suggestion.applicability {
            Applicability::MachineApplicable => "MachineApplicable",
            Applicability::MaybeIncorrect => "MaybeIncorrect",
            Applicability::HasPlaceholders => "HasPlaceholders",
        };
        let edits = suggestion
            .edits
            .iter()
            .map(|edit| {
                let mut value = span(source, &diag.path, edit.span, true, None);
                value["suggested_replacement"] = json!(edit.replacement);
                value["suggestion_applicability"] = json!(applicability);
                value
            })
            .collect();
        children.push(child("help", &suggestion.message, edits));
    }
    let code = if crate::report::render::is_tool_finding(diag) {
        Value::Null
    } else {
        json!({ "code": format!("concur::{}", diag.rule), "explanation": Value::Null })
    };
    Some(json!({
        "$message_type": "diagnostic",
        "message": diag.message,
        "code": code,
        "level": diag.level.as_str(),
        "spans": spans,
        "children": children,
        "rendered": human::render_plain(diag, sources),
    }))
}

fn child(level: &str, message: &str, spans: Vec<Value>) -> Value {
    json!({
        "message": message,
        "code": Value::Null,
        "level": level,
        "spans": spans,
        "children": [],
        "rendered": Value::Null,
    })
}

fn span(source: &SourceFile, path: &Path, span: Span, primary: bool, label: Option<&str>) -> Value {
    let text: Vec<Value> = (span.start.line..=span.end.line)
        .map(|line| {
            let content = source.line_text(line);
            let start = if line == span.start.line {
                span.start.column
            } else {
                1
            };
            let end = if line == span.end.line {
                span.end.column
            } else {
                content.chars().count() + 1
            };
            json!({ "text": content, "highlight_start": start, "highlight_end": end })
        })
        .collect();
    json!({
        "file_name": path.display().to_string(),
        "byte_start": span.start.byte,
        "byte_end": span.end.byte,
        "line_start": span.start.line,
        "line_end": span.end.line,
        "column_start": span.start.column,
        "column_end": span.end.column,
        "is_primary": primary,
        "text": text,
        "label": label,
        "suggested_replacement": Value::Null,
        "suggestion_applicability": Value::Null,
        "expansion": Value::Null,
    })
}
