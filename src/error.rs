//! Errors that stop concur from linting a path (as opposed to findings, which are data).

use std::path::PathBuf;

/// A problem with a path: it does not exist, cannot be read, or is not UTF-8 text.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or opening the path failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not valid UTF-8.
    #[error("{}: not valid UTF-8 (byte {offset}); concur reads Rust source, which is UTF-8", path.display())]
    NotUtf8 {
        /// The path concerned.
        path: PathBuf,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// Walking a folder failed part way.
    #[error("{}: {message}", path.display())]
    Walk {
        /// The folder being walked.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Linting the file panicked: a bug in concur, reported instead of aborting the run.
    #[error("{}: internal error while linting (please report): {message}", path.display())]
    Internal {
        /// The file being linted.
        path: PathBuf,
        /// The panic message.
        message: String,
    },
}
