//! Cargo workspaces: which files `cargo concur` lints, and the packages they belong to.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::Value;

use crate::report::packages::{PackageTarget, Packages};

/// What `cargo concur` lints: the paths of the selected packages, and the packages.
#[derive(Debug)]
pub struct Workspace {
    /// Folders and files to lint.
    pub paths: Vec<PathBuf>,
    /// The packages, for reporting.
    pub packages: Packages,
    /// cargo's target directory (`target/`), where the result cache lives.
    pub target_dir: PathBuf,
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
        list.push(PackageTarget::new(
            package.id.repr.clone(),
            package.manifest_path.clone().into_std_path_buf(),
            target,
            root,
            targets,
        ));
    }
    Ok(Workspace {
        target_dir: metadata.target_directory.clone().into_std_path_buf(),
        paths,
        packages: Packages::new(list),
    })
}

fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}
