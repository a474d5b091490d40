//! What test code is, once for every rule and for the crate model.
//!
//! Test code is:
//! - an item marked as a test or test-only: `#[test]` and any `*::test` attribute
//!   (`#[tokio::test]`), `#[cfg(test)]` or `#[cfg(all(test, ..))]` ([`is_test_item`]);
//! - a file under a `tests/` or `benches/` folder, or named `tests.rs`, `*_tests.rs` or
//!   `*_test.rs` ([`is_test_path`]);
//! - a file the package declares as a test module, `#[cfg(test)] mod x;` or
//!   `#[cfg(test)] #[path = "x_tests.rs"] mod x;` (found by the crate model), and its
//!   submodules.
//!
//! Rules report in test code only when `include-tests` is set, or when test code matters to
//! them (their registration says so): the policy is applied to findings once, after every rule
//! ran ([`TestCode::covers`]).

use std::path::Path;

pub use crate::syntax::attrs::is_test_item;

/// Whether a file is test code by where it is or what it is called.
pub fn is_test_path(path: &Path) -> bool {
    let in_test_dir = path
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .any(|c| c.as_os_str() == "tests" || c.as_os_str() == "benches");
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    in_test_dir || stem == "tests" || stem.ends_with("_tests") || stem.ends_with("_test")
}

/// Where a file's test code is, as its one walk found it: the whole file, or the lines of its
/// outermost test items.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TestCode {
    /// The whole file is test code (by its path).
    pub file: bool,
    /// First and last line of each outermost test item, in order.
    pub items: Vec<(usize, usize)>,
}

impl TestCode {
    /// Whether `line` is test code.
    pub fn covers(&self, line: usize) -> bool {
        self.file
            || self
                .items
                .iter()
                .any(|&(first, last)| first <= line && line <= last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_by_folder_and_name() {
        for path in [
            "tests/it.rs",
            "crates/a/benches/b.rs",
            "src/tests.rs",
            "src/store_tests.rs",
            "src/net/peer_test.rs",
        ] {
            assert!(is_test_path(Path::new(path)), "{path}");
        }
        for path in [
            "src/main.rs",
            "src/testing.rs",
            "src/latest.rs",
            "src/contest.rs",
            "tests.d/x.rs",
        ] {
            assert!(!is_test_path(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn items_cover_their_lines() {
        let code = TestCode {
            file: false,
            items: vec![(10, 20)],
        };
        assert!(code.covers(10) && code.covers(20));
        assert!(!code.covers(9) && !code.covers(21));
    }
}
