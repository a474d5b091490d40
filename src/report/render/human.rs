//! rustc-style output through `codespan-reporting`.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::WriteColor;
use codespan_reporting::term::{self, Config};

use crate::diagnostic::{Diagnostic, Level};
use crate::report::Report;

/// Writes every finding of `report` in rustc's style, then path errors and a summary line.
pub fn render(report: &Report, out: &mut dyn WriteColor) -> std::io::Result<()> {
    let config = Config::default();
    for diag in &report.diagnostics {
        let Some(source) = report.sources.get(&diag.path) else {
            continue;
        };
        let file = SimpleFile::new(diag.path.display().to_string(), source.text.as_str());
        term::emit_to_write_style(out, &config, &file, &to_codespan(diag))
            .map_err(std::io::Error::other)?;
    }
    for err in &report.errors {
        let diag = CsDiagnostic::<()>::error().with_message(err.to_string());
        let file = SimpleFile::new("", "");
        term::emit_to_write_style(out, &config, &file, &diag).map_err(std::io::Error::other)?;
    }
    writeln!(
        out,
        "{}",
        super::summary(&report.diagnostics, &report.errors, report.files)
    )
}

/// The file codespan renders snippets from; build it once per source file.
pub fn codespan_file<'t>(path: &std::path::Path, text: &'t str) -> SimpleFile<String, &'t str> {
    SimpleFile::new(path.display().to_string(), text)
}

/// Renders one finding as plain text (the `rendered` field of JSON output).
pub fn render_plain(diag: &Diagnostic, file: &SimpleFile<String, &str>) -> String {
    term::emit_into_string(&Config::default(), file, &to_codespan(diag)).unwrap_or_default()
}

fn to_codespan(diag: &Diagnostic) -> CsDiagnostic<()> {
    let severity = match diag.level {
        Level::Warning => Severity::Warning,
        Level::Error => Severity::Error,
    };
    let mut labels = vec![
        Label::primary((), diag.span.start.byte..diag.span.end.byte)
            .with_message(diag.primary_label.clone().unwrap_or_default()),
    ];
    labels.extend(diag.labels.iter().map(|l| {
        Label::secondary((), l.span.start.byte..l.span.end.byte).with_message(l.message.clone())
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
