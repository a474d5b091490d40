//! Helpers shared by the CLI tests: temp projects and running the real binaries.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Writes `files` (relative path → content) under `root`, creating folders.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("file has a parent")).expect("create dirs");
        std::fs::write(path, content).expect("write file");
    }
}

/// Runs the `concur` binary with `args` in `dir`.
pub fn concur(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concur"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run concur")
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file with one `blocking_call_in_async` finding on line 2.
pub const BLOCKING: &str =
    "async fn handler() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n";

/// A file with nothing to report.
pub const CLEAN: &str = "fn main() {\n    println!(\"hello\");\n}\n";

/// `PATH` with the built `concur` first, for tools the tests run that call it by name
/// (pre-commit, the GitHub Action's script).
pub fn path_with_concur() -> std::ffi::OsString {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_concur"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH")
}
