//! A source file read once: its text, a line index, and position conversions.
//!
//! Every later stage (parse, rules, renderers) works from the one `SourceFile`, so a
//! file is read from disk exactly once and all positions are computed the same way.

use std::path::{Path, PathBuf};

/// One Rust source file held in memory.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given by discovery (relative when the user gave a relative path).
    pub path: PathBuf,
    /// The full text, including a byte-order mark if the file had one.
    pub text: String,
    /// Byte offset of the first byte after a leading BOM (0 or 3).
    bom_len: usize,
    /// Byte offset of the start of every line of `text[bom_len..]`, relative to `text`.
    line_starts: Vec<usize>,
}

/// A position in a file: 1-based line, 1-based column in characters, and byte offset.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values like rustc.
    pub column: usize,
    /// Byte offset from the start of the file.
    pub byte: usize,
}

impl SourceFile {
    /// Builds a source file from text already read.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut line_starts = vec![bom_len];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .skip(bom_len)
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SourceFile {
            path: path.into(),
            text,
            bom_len,
            line_starts,
        }
    }

    /// The text syn parses: the file without its byte-order mark.
    pub fn parse_text(&self) -> &str {
        &self.text[self.bom_len..]
    }

    /// The path of this file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of lines in the file.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of a 1-based line, without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// Converts a proc-macro2 line/column (1-based line, 0-based char column) to a position.
    pub fn position(&self, line: usize, char_column: usize) -> Position {
        let line = line.clamp(1, self.line_count());
        let start = self.line_starts[line - 1];
        let text = self.line_text(line);
        let byte_in_line = text
            .char_indices()
            .nth(char_column)
            .map_or(text.len(), |(i, _)| i);
        Position {
            line,
            column: char_column + 1,
            byte: start + byte_in_line,
        }
    }

    /// Converts a byte offset to a position (used by fixes and suppressions).
    pub fn position_of_byte(&self, byte: usize) -> Position {
        let byte = byte.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= byte).max(1);
        let start = self.line_starts[line - 1];
        let prefix = self.text.get(start..byte).unwrap_or("");
        Position {
            line,
            column: prefix.chars().count() + 1,
            byte,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let file = SourceFile::new("a.rs", "fn main() {\n    let é = \"ü\"; x();\n}\n".into());
        let pos = file.position(2, 17);
        assert_eq!(pos.line, 2);
        assert_eq!(pos.column, 18);
        assert_eq!(&file.text[pos.byte..pos.byte + 3], "x()");
        assert_eq!(file.position_of_byte(pos.byte), pos);
    }

    #[test]
    fn bom_and_crlf_are_handled() {
        let file = SourceFile::new("a.rs", "\u{feff}fn a() {}\r\nfn b() {}\r\n".into());
        assert_eq!(file.line_text(1), "fn a() {}");
        assert_eq!(file.line_text(2), "fn b() {}");
        let pos = file.position(2, 3);
        assert_eq!(&file.text[pos.byte..pos.byte + 1], "b");
    }
}
