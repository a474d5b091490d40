//! Cargo workspaces: which files `cargo concur` lints and which package each file belongs to.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
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

impl Packages {
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

/// What `cargo concur` lints: the paths of the selected packages, and the packages.
#[derive(Debug)]
pub struct Workspace {
    /// Folders and files to lint.
    pub paths: Vec<PathBuf>,
    /// The packages, for reporting.
    pub packages: Packages,
}

/// Which packages of a workspace to lint.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// `--manifest-path`.
    pub manifest_path: Option<PathBuf>,
    /// `-p/--package` names; empty means the default members.
    pub packages: Vec<String>,
    /// `--workspace`: every member.
    pub workspace: bool,
    /// `--exclude` names.
    pub exclude: Vec<String>,
}

/// Reads the workspace through `cargo metadata` and lists what to lint: every selected
/// member's `src/`, `tests/`, `examples/`, `benches/` and target files (build scripts too).
pub fn load(selection: &Selection) -> anyhow::Result<Workspace> {
    let mut command = cargo_metadata::MetadataCommand::new();
    command.no_deps();
    if let Some(path) = &selection.manifest_path {
        command.manifest_path(path);
    }
    let metadata = command.exec().context("running `cargo metadata`")?;
    for name in &selection.packages {
        if !metadata
            .workspace_packages()
            .iter()
            .any(|p| p.name.as_str() == name)
        {
            anyhow::bail!(
                "package `{name}` is not a member of the workspace at {}",
                metadata.workspace_root
            );
        }
    }
    let default_members: Vec<_> = metadata
        .workspace_default_packages()
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let mut paths = Vec::new();
    let mut list = Vec::new();
    for package in metadata.workspace_packages() {
        let name = package.name.as_str();
        let selected = if !selection.packages.is_empty() {
            selection.packages.iter().any(|p| p == name)
        } else {
            selection.workspace || default_members.contains(&package.id)
        };
        if !selected || selection.exclude.iter().any(|e| e == name) {
            continue;
        }
        let root = package
            .manifest_path
            .parent()
            .map(|p| p.as_std_path().to_path_buf())
            .unwrap_or_default();
        for dir in ["src", "tests", "examples", "benches"] {
            let dir = root.join(dir);
            if dir.is_dir() {
                paths.push(relative_to_cwd(&dir));
            }
        }
        let mut targets = Vec::new();
        for target in &package.targets {
            let src = target.src_path.as_std_path();
            if src.is_file() {
                paths.push(relative_to_cwd(src));
            }
            targets.push((src.to_path_buf(), serde_json::to_value(target)?));
        }
        let target = targets
            .first()
            .map(|(_, t)| t.clone())
            .unwrap_or(Value::Null);
        list.push(PackageTarget {
            package_id: package.id.repr.clone(),
            manifest_path: package.manifest_path.clone().into_std_path_buf(),
            target,
            root,
            targets,
        });
    }
    Ok(Workspace {
        paths,
        packages: Packages {
            list,
            ..Packages::default()
        },
    })
}

fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}
