//! The cargo package and target each finding is reported under (JSON output's `package_id`,
//! `manifest_path` and `target`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The package and target a finding is reported under in JSON output.
#[derive(Debug, Clone)]
pub struct PackageTarget {
    /// cargo's package id.
    pub package_id: String,
    /// The package's `Cargo.toml`.
    pub manifest_path: PathBuf,
    /// cargo's target object (name, kind, crate_types, src_path, edition, ...).
    pub target: Value,
    /// Folder containing the manifest; files under it belong to this package.
    root: PathBuf,
    /// The package's targets with their root source files, to pick the target of a file.
    targets: Vec<(PathBuf, Value)>,
}

/// The packages of a run: real ones for `cargo concur`, a stand-in for plain paths.
#[derive(Debug, Clone)]
pub struct Packages {
    list: Vec<PackageTarget>,
    fallback: PackageTarget,
}

impl Default for Packages {
    fn default() -> Self {
        let target = json!({
            "kind": ["lib"], "crate_types": ["lib"], "name": "concur_lint",
            "src_path": "", "edition": "2021", "doc": false, "doctest": false, "test": false,
        });
        Packages {
            list: Vec::new(),
            fallback: PackageTarget {
                package_id: "path+file:///#concur_lint@0.0.0".into(),
                manifest_path: PathBuf::from("Cargo.toml"),
                target,
                root: PathBuf::new(),
                targets: Vec::new(),
            },
        }
    }
}

impl PackageTarget {
    /// A package with its root folder and its targets' root files.
    pub fn new(
        package_id: String,
        manifest_path: PathBuf,
        target: Value,
        root: PathBuf,
        targets: Vec<(PathBuf, Value)>,
    ) -> Self {
        PackageTarget {
            package_id,
            manifest_path,
            target,
            root,
            targets,
        }
    }
}

impl Packages {
    /// The packages of a cargo workspace; files outside all of them get the stand-in.
    pub fn new(list: Vec<PackageTarget>) -> Self {
        Packages {
            list,
            ..Packages::default()
        }
    }

    /// The package (and target) a file belongs to: the deepest package root containing it.
    pub fn for_file(&self, path: &Path) -> PackageTarget {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let Some(package) = self
            .list
            .iter()
            .filter(|p| abs.starts_with(&p.root))
            .max_by_key(|p| p.root.components().count())
        else {
            return self.fallback.clone();
        };
        let mut found = package.clone();
        // The target whose root file this is; else the one whose root folder is the deepest
        // holding it, the first listed (cargo lists the lib first) on a tie.
        let exact = package.targets.iter().find(|(src, _)| *src == abs);
        let by_folder = || {
            let depth = |src: &PathBuf| {
                src.parent()
                    .filter(|dir| abs.starts_with(dir))
                    .map(|dir| dir.components().count())
            };
            let deepest = package
                .targets
                .iter()
                .filter_map(|(src, _)| depth(src))
                .max()?;
            package
                .targets
                .iter()
                .find(|(src, _)| depth(src) == Some(deepest))
        };
        if let Some((_, target)) = exact.or_else(by_folder) {
            found.target = target.clone();
        }
        found
    }
}
