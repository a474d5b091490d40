//! Code built for one platform only, where a rule's concern does not exist: Windows has no
//! zombie processes, so a child never waited on there leaks nothing.
//!
//! Windows-only code is an item or statement under a Windows-only `cfg`
//! ([`is_windows_only`]), or a file whose path says so ([`is_windows_path`]).

use std::path::Path;

pub use crate::syntax::attrs::is_windows_only;

/// Whether a file is Windows-only by where it is or what it is called: under a `windows/`
/// folder, or named `windows.rs`, `win.rs`, `*_windows.rs` or `*_win.rs`.
pub fn is_windows_path(path: &Path) -> bool {
    let in_dir = path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .any(|c| c.as_os_str() == "windows");
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    in_dir
        || matches!(stem, "windows" | "win")
        || stem.ends_with("_windows")
        || stem.ends_with("_win")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_files() {
        for yes in [
            "src/tty/windows/child.rs",
            "src/service/win.rs",
            "src/os_windows.rs",
        ] {
            assert!(is_windows_path(Path::new(yes)), "{yes}");
        }
        for no in [
            "src/window.rs",
            "src/twin.rs",
            "src/winit.rs",
            "src/main.rs",
        ] {
            assert!(!is_windows_path(Path::new(no)), "{no}");
        }
    }
}
