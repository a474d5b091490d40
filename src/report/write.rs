//! Writing a file atomically: the content goes to a hidden temporary file beside it, then is
//! renamed over it, so readers never see a half-written file and a killed run leaves nothing
//! that is ever linted (`.concur-*.tmp` is hidden and not `.rs`). Used for fixed sources,
//! reports (`-o`) and baselines.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file is read-only.
    #[error("{}: file is read-only; not fixed", .0.display())]
    ReadOnly(PathBuf),
    /// The file changed on disk since concur read it.
    #[error("{}: file changed on disk while concur was fixing it; not overwritten", .0.display())]
    Changed(PathBuf),
    /// An I/O error.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        error: std::io::Error,
    },
}

impl From<WriteError> for std::io::Error {
    fn from(err: WriteError) -> Self {
        match err {
            WriteError::Io { error, .. } => error,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// The error without the temporary file's name that `tempfile` attaches to it (`.. at path
/// "dir/.concur-FizJPr.tmp"`): the user asked for `path`, which the message already names.
fn without_temp_path(error: std::io::Error) -> std::io::Error {
    if error.get_ref().is_none() {
        return error;
    }
    let kind = error.kind();
    match error.into_inner() {
        Some(inner) => match inner.source() {
            Some(source) => std::io::Error::new(kind, source.to_string()),
            None => {
                let text = inner.to_string();
                let text = text.split(" at path ").next().unwrap_or(&text).to_string();
                std::io::Error::new(kind, text)
            }
        },
        None => std::io::Error::from(kind),
    }
}

/// Writes `content` to `path` atomically. With `replacing: Some(old)` (a source file being
/// fixed) the file must still hold `old`, must not be read-only, and keeps its permissions;
/// with `None` (a report) whatever is there is replaced, and a new file gets the usual
/// `rw-r--r--`.
pub fn write_atomically(
    path: &Path,
    content: &[u8],
    replacing: Option<&[u8]>,
) -> Result<(), WriteError> {
    let io = |error: std::io::Error| WriteError::Io {
        path: path.to_path_buf(),
        error: without_temp_path(error),
    };
    let permissions = match replacing {
        Some(_) => {
            let permissions = std::fs::metadata(path).map_err(io)?.permissions();
            if permissions.readonly() {
                return Err(WriteError::ReadOnly(path.to_path_buf()));
            }
            Some(permissions)
        }
        None => std::fs::metadata(path).ok().map(|m| m.permissions()),
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".concur-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(content).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    if let Some(permissions) = permissions.or_else(default_permissions) {
        std::fs::set_permissions(temp.path(), permissions).map_err(io)?;
    }
    if let Some(old) = replacing
        && std::fs::read(path).map_err(io)? != old
    {
        return Err(WriteError::Changed(path.to_path_buf()));
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// The permissions of a new report: readable by all, writable by the owner (`None`: leave the
/// platform's default).
fn default_permissions() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    return Some(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    #[cfg(not(unix))]
    return None;
}
