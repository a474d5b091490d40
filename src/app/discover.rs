//! Discovery: which files to lint, from the paths given on the command line.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The files found, and the problems met while looking (missing paths, unreadable folders).
#[derive(Debug, Default)]
pub struct Discovered {
    /// Rust files to lint, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked.
    pub errors: Vec<Error>,
}

/// Walks `paths`: files are taken as given (any extension: the user asked for them), folders
/// are walked for `*.rs` with the `ignore` crate, which honours `.gitignore` and skips hidden
/// folders; `target/` is skipped too.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(source) => found.errors.push(Error::Io {
                path: path.clone(),
                source,
            }),
            Ok(meta) if meta.is_file() => found.files.push(path.clone()),
            Ok(_) => walk(path, &mut found),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk(root: &Path, found: &mut Discovered) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            !(entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry.file_name() == "target")
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && entry.path().extension().is_some_and(|e| e == "rs") {
                    let path = entry.into_path();
                    let path = path
                        .strip_prefix("./")
                        .map_or_else(|_| path.clone(), Path::to_path_buf);
                    found.files.push(path);
                }
            }
            Err(err) => found.errors.push(Error::Walk {
                path: root.to_path_buf(),
                message: err.to_string(),
            }),
        }
    }
}
