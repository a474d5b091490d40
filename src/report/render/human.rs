//! rustc-style output through `codespan-reporting`.

use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity};
use codespan_reporting::files::{SimpleFile, SimpleFiles};
use codespan_reporting::term::termcolor::WriteColor;
use codespan_reporting::term::{self, Config};

use crate::diagnostic::{Diagnostic, Level};
use crate::report::Report;
use crate::source::SourceFile;

/// Writes every finding of `report` in rustc's style, then path errors and a summary line.
pub fn render(report: &Report, out: &mut dyn WriteColor, summary: bool) -> std::io::Result<()> {
    let config = Config::default();
    let sources = |path: &Path| report.sources.get(path).map(|s| &**s);
    for diag in &report.diagnostics {
        let Some((files, diagnostic)) = to_codespan(diag, &sources) else {
            continue;
        };
        term::emit_to_write_style(out, &config, &files, &diagnostic)
            .map_err(std::io::Error::other)?;
    }
    for err in &report.errors {
        let diag = CsDiagnostic::<()>::error().with_message(err.to_string());
        let file = SimpleFile::new("", "");
        term::emit_to_write_style(out, &config, &file, &diag).map_err(std::io::Error::other)?;
    }
    if !summary {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        super::summary(&report.diagnostics, &report.errors, report.files)
    )
}

/// Renders one finding as plain text (the `rendered` field of JSON output); `sources` gives the
/// text of the finding's file and of the files its notes point into.
pub fn render_plain<'s>(
    diag: &Diagnostic,
    sources: &dyn Fn(&Path) -> Option<&'s SourceFile>,
) -> String {
    let Some((files, diagnostic)) = to_codespan(diag, sources) else {
        return String::new();
    };
    term::emit_into_string(&Config::default(), &files, &diagnostic).unwrap_or_default()
}

/// The files a finding's snippets come from (its own file first), and the finding for
/// codespan; `None` when its file's text is not at hand. Notes in files whose text is not at
/// hand become plain notes with their position.
fn to_codespan<'s>(
    diag: &Diagnostic,
    sources: &dyn Fn(&Path) -> Option<&'s SourceFile>,
) -> Option<(SimpleFiles<String, &'s str>, CsDiagnostic<usize>)> {
    let mut files = SimpleFiles::new();
    let own_text = sources(&diag.path)?.text.as_str();
    let own = files.add(diag.path.display().to_string(), own_text);
    let mut ids: Vec<(&Path, Option<usize>)> = vec![(diag.path.as_path(), Some(own))];
    let mut note_labels = Vec::new();
    let mut plain_notes = Vec::new();
    for note in &diag.notes {
        let id = match ids.iter().find(|(p, _)| *p == note.path.as_path()) {
            Some((_, id)) => *id,
            None => {
                let id = sources(&note.path)
                    .map(|s| files.add(note.path.display().to_string(), s.text.as_str()));
                ids.push((note.path.as_path(), id));
                id
            }
        };
        match id {
            Some(id) => note_labels.push(
                Label::secondary(id, note.span.start.byte..note.span.end.byte)
                    .with_message(note.message.clone()),
            ),
            None => plain_notes.push(format!(
                "note: {} ({}:{}:{})",
                note.message,
                note.path.display(),
                note.span.start.line,
                note.span.start.column
            )),
        }
    }
    let mut diagnostic = plain(diag, own);
    diagnostic.labels.extend(note_labels);
    diagnostic.notes.splice(0..0, plain_notes);
    Some((files, diagnostic))
}

fn plain(diag: &Diagnostic, own: usize) -> CsDiagnostic<usize> {
    let severity = match diag.level {
        Level::Note => Severity::Note,
        Level::Warning => Severity::Warning,
        Level::Error => Severity::Error,
    };
    let mut labels = vec![
        Label::primary(own, diag.span.start.byte..diag.span.end.byte)
            .with_message(diag.primary_label.clone().unwrap_or_default()),
    ];
    labels.extend(diag.labels.iter().map(|l| {
        Label::secondary(own, l.span.start.byte..l.span.end.byte).with_message(l.message.clone())
    }));
    let mut notes = Vec::new();
    if let Some(help) = &diag.help {
        notes.push(format!("help: {help}"));
    }
    if let Some(suggestion) = &diag.suggestion {
        notes.push(format!("suggestion: {}", suggestion.message));
    }
    if crate::rules::find(diag.rule).is_some() {
        notes.push(format!(
            "`concur explain {}` tells more; `// concur: ignore[{}]` silences this line",
            diag.rule, diag.rule
        ));
    }
    CsDiagnostic::new(severity)
        .with_message(diag.message.clone())
        .with_code(diag.rule)
        .with_labels(labels)
        .with_notes(notes)
}
