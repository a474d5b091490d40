//! GitHub Actions workflow commands: each finding becomes a `::warning` or `::error` line that
//! GitHub shows as an annotation on the pull request.

use std::io::Write;

use crate::diagnostic::Level;
use crate::report::Report;

/// Writes one workflow command per finding and per path error.
pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for diag in &report.diagnostics {
        let command = match diag.level {
            Level::Note => "notice",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(&path_string(&diag.path)),
            diag.span.start.line,
            diag.span.end.line,
            diag.span.start.column,
            diag.span.end.column,
            escape_property(&format!("concur {}", diag.rule)),
            escape_data(&diag.message)
        )?;
    }
    for err in &report.errors {
        writeln!(
            out,
            "::error title=concur::{}",
            escape_data(&err.to_string())
        )?;
    }
    Ok(())
}

fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Escapes a command's message as GitHub's runner expects: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value: the message escapes plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(
            escape_data("50% done\r\nnext: a,b"),
            "50%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }
}
