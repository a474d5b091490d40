//! Units of the crate-wide model: the cargo package a file belongs to (the nearest folder above
//! it with a `Cargo.toml` that has a `[package]`), or the file alone when it is in none.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::semantic::settings::Edition;

/// A cargo package, as the model needs it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Package {
    /// The folder holding its `Cargo.toml`.
    pub root: PathBuf,
    /// Its name (`my-crate`), which other targets of the package use for its library.
    pub name: Option<String>,
    /// Whether it has a library (`src/lib.rs`): files under `src/` then belong to it.
    pub has_lib: bool,
    /// Its edition (`edition = ..` in the manifest, inherited from the workspace with
    /// `edition.workspace = true`; 2015 when it names none, as for cargo).
    pub edition: Edition,
}

/// Finds the package of each file, reading each folder's `Cargo.toml` once.
#[derive(Debug, Default)]
pub struct Units {
    by_dir: HashMap<PathBuf, Option<Arc<Package>>>,
}

impl Units {
    /// The package `file` belongs to, or `None` for a file outside every package.
    pub fn package_of(&mut self, file: &Path) -> Option<Arc<Package>> {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let start = abs.parent()?;
        let mut visited = Vec::new();
        let mut found = None;
        for dir in start.ancestors() {
            if let Some(cached) = self.by_dir.get(dir) {
                found = cached.clone();
                break;
            }
            visited.push(dir.to_path_buf());
            if let Some(package) = package_in(dir) {
                found = Some(Arc::new(package));
                break;
            }
        }
        for dir in visited {
            self.by_dir.insert(dir, found.clone());
        }
        found
    }
}

/// The package whose `Cargo.toml` is in `dir`, if that manifest has a `[package]`.
fn package_in(dir: &Path) -> Option<Package> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        package: Option<PackageTable>,
    }
    #[derive(serde::Deserialize)]
    struct PackageTable {
        name: Option<String>,
        edition: Option<toml::Value>,
    }
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let manifest: Manifest = toml::from_str(&text).ok()?;
    let package = manifest.package?;
    let edition = match &package.edition {
        None => Some(Edition::E2015),
        Some(toml::Value::String(name)) => Edition::parse(name),
        Some(_) => workspace_edition(dir),
    };
    Some(Package {
        root: dir.to_path_buf(),
        name: package.name,
        has_lib: dir.join("src/lib.rs").is_file(),
        edition: edition.unwrap_or_default(),
    })
}

/// The edition a member inherits (`edition.workspace = true`): `[workspace.package] edition`
/// of the nearest manifest above `dir` with a `[workspace]`.
fn workspace_edition(dir: &Path) -> Option<Edition> {
    dir.ancestors().skip(1).find_map(|ancestor| {
        let text = std::fs::read_to_string(ancestor.join("Cargo.toml")).ok()?;
        let manifest: toml::Table = toml::from_str(&text).ok()?;
        let workspace = manifest.get("workspace")?;
        Edition::parse(workspace.get("package")?.get("edition")?.as_str()?)
    })
}

/// Where a file sits relative to its package's root (the file's own name for a loose file).
pub fn relative_to(package: Option<&Package>, file: &Path) -> PathBuf {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    match package.and_then(|p| abs.strip_prefix(&p.root).ok()) {
        Some(rel) => rel.to_path_buf(),
        None => PathBuf::from(file.file_name().unwrap_or_default()),
    }
}
