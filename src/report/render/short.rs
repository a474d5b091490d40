//! One line per finding: `path:line:col: level[rule]: message` (grep- and editor-friendly).

use std::io::Write;

use crate::report::Report;

/// Writes one line per finding, then one per path error.
pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for diag in &report.diagnostics {
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            diag.path.display(),
            diag.span.start.line,
            diag.span.start.column,
            diag.level.as_str(),
            diag.rule,
            diag.message
        )?;
    }
    for err in &report.errors {
        writeln!(out, "error: {err}")?;
    }
    Ok(())
}
