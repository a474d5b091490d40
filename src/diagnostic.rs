//! The one finding type every rule produces and every renderer converts.

use std::path::PathBuf;

use crate::source::{Position, SourceFile};

/// How serious a finding is; `Error` is what a `deny` level turns a warning into.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something the run could not do (a file syn cannot parse is not linted): reported, but
    /// the exit code does not change.
    Note,
    /// A finding worth a look; exit code 1.
    Warning,
    /// A finding that must be fixed (a denied rule, a parse error, an unreadable file).
    Error,
}

impl Level {
    /// The word rustc prints for this level.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A range of source text, resolved to positions.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// Where the range starts.
    pub start: Position,
    /// Where the range ends (exclusive).
    pub end: Position,
}

impl Span {
    /// Resolves a syn/proc-macro2 span against the file it came from.
    pub fn from_syn(file: &SourceFile, span: proc_macro2::Span) -> Span {
        let (start, end) = (span.start(), span.end());
        Span {
            start: file.position(start.line, start.column),
            end: file.position(end.line, end.column),
        }
    }

    /// A span covering from the start of `first` to the end of `last`.
    pub fn join(first: Span, last: Span) -> Span {
        Span {
            start: first.start,
            end: last.end,
        }
    }

    /// An empty span at the start of a file, for file-level problems.
    pub fn file_start() -> Span {
        let start = Position {
            line: 1,
            column: 1,
            byte: 0,
        };
        Span { start, end: start }
    }
}

/// A secondary span with the label shown next to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// Where the label points.
    pub span: Span,
    /// What the label says ("guard taken here").
    pub message: String,
}

/// A place that matters, possibly in another file: a step of a call chain from the finding
/// down to the operation it is about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// What happens there.
    pub message: String,
    /// The file.
    pub path: PathBuf,
    /// Where.
    pub span: Span,
}

/// What a finding assumes about code outside its file; the crate-wide model confirms it or
/// drops the finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Assumption {
    /// The field `field` of the type `owner` is a blocking lock (`std`, `parking_lot`): its
    /// declaration is not in the finding's file. A field the package declares as an async lock
    /// or as no lock at all refutes it.
    BlockingLock {
        /// The type the field belongs to.
        owner: String,
        /// The field.
        field: String,
    },
}

/// How sure a suggested edit is (rustc's applicability levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Applicability {
    /// Meaning and compilation are preserved: `--fix` applies it.
    MachineApplicable,
    /// Likely right but may change behaviour or need an import: `--unsafe-fixes`.
    MaybeIncorrect,
    /// Contains placeholders the user must fill in: shown only.
    HasPlaceholders,
}

/// One text replacement of a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// The text replaced.
    pub span: Span,
    /// What replaces it.
    pub replacement: String,
}

/// A concrete rewrite offered with a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    /// What the rewrite does, shown as the help line of the fix.
    pub message: String,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
    /// How safe it is to apply without review.
    pub applicability: Applicability,
}

/// One finding: a rule, where, what is wrong and what to do instead. Serialisable for the
/// result cache (which reads it back checking the rule name against the known names).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The rule name (`blocking_call_in_async`), or one of the tool's own
    /// (`parse_error`, `unused_suppression`, `invalid_suppression`).
    pub rule: &'static str,
    /// Warning or error.
    pub level: Level,
    /// The file the finding is in.
    pub path: PathBuf,
    /// The offending code.
    pub span: Span,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// The primary span's label, if any.
    pub primary_label: Option<String>,
    /// Other places that matter.
    pub labels: Vec<Label>,
    /// Places in this or other files that explain the finding, in order (a call chain).
    pub notes: Vec<Note>,
    /// What the finding assumes about other files (checked against the package's model).
    pub assumes: Vec<Assumption>,
    /// What to do instead.
    pub help: Option<String>,
    /// A rewrite, when one is known.
    pub suggestion: Option<Suggestion>,
}

impl Diagnostic {
    /// Starts a warning for `rule` at `span` in `path`.
    pub fn new(rule: &'static str, path: PathBuf, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            level: Level::Warning,
            path,
            span,
            message: message.into(),
            primary_label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            assumes: Vec::new(),
            help: None,
            suggestion: None,
        }
    }

    /// Sets the label on the primary span.
    pub fn with_primary_label(mut self, label: impl Into<String>) -> Self {
        self.primary_label = Some(label.into());
        self
    }

    /// Adds a secondary labelled span.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a note pointing at a place, possibly in another file.
    pub fn with_note(mut self, path: PathBuf, span: Span, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            message: message.into(),
            path,
            span,
        });
        self
    }

    /// Records what the finding assumes about code in other files.
    pub fn assuming(mut self, assumption: Option<Assumption>) -> Self {
        self.assumes.extend(assumption);
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches a suggested rewrite.
    pub fn with_suggestion(mut self, suggestion: Suggestion) -> Self {
        self.suggestion = Some(suggestion);
        self
    }

    /// The key findings are sorted by: path, then position, then rule.
    pub fn sort_key(&self) -> (&PathBuf, Span, &'static str) {
        (&self.path, self.span, self.rule)
    }
}
