//! The per-file result cache: a file whose content, concur build and effective options are
//! unchanged since the last run gets its findings from the cache instead of being parsed.
//!
//! The key of a file's entry is its path plus a 128-bit hash of its bytes; the concur version
//! (and binary), the enabled rules and every other field of [`Options`] that affects findings
//! pick the index the entry lives in (one index file per fingerprint, so switching configs back
//! and forth keeps both). Warm runs therefore read each file once (to hash it) and the index
//! once: close to the I/O floor.
//!
//! Safety: the index is written to a temporary file and renamed into place, so concurrent runs
//! never see a half-written index (one run's new entries may be lost to another's, which only
//! costs a re-lint). The index carries a checksum; an index that fails it or does not parse is
//! ignored and rewritten, and an entry that does not match its file (length, path) is not used.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::app::options::Options;
use crate::diagnostic::{Assumption, Diagnostic, Label, Level, Note, Span, Suggestion};
use crate::report::suppress::Suppressions;
use crate::report::{FileAnalysis, UnitVerdict, names};
use crate::semantic::settings::Edition;
use crate::semantic::summary::FileSummary;
use crate::semantic::test_code::TestCode;

/// The folder `concur` keeps its cache in, relative to the current directory.
pub const DEFAULT_DIR: &str = ".concur_cache";

/// The folder `cargo concur` keeps its cache in, under the workspace's target directory.
pub const TARGET_SUBDIR: &str = "concur-cache";

/// Where the cache of a lint of `paths` lives: next to the linted project, never in the shell's
/// current folder. Inside a cargo project (the outermost folder above the first path whose
/// `Cargo.toml` declares a `[workspace]`, else the nearest one with a `Cargo.toml`) it is
/// `target/concur-cache`; elsewhere `.concur_cache` in the linted folder (a file's folder).
pub fn dir_for(paths: &[PathBuf]) -> PathBuf {
    let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let first = std::path::absolute(&first).unwrap_or(first);
    let root = if first.is_file() {
        first
            .parent()
            .map_or_else(|| first.clone(), Path::to_path_buf)
    } else {
        first
    };
    let manifests: Vec<&Path> = root
        .ancestors()
        .filter(|dir| dir.join("Cargo.toml").is_file())
        .collect();
    let workspace = manifests.iter().rev().find(|dir| {
        std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|text| text.lines().any(|l| l.trim() == "[workspace]"))
    });
    match workspace.or(manifests.first()) {
        Some(project) => project.join("target").join(TARGET_SUBDIR),
        None => root.join(DEFAULT_DIR),
    }
}

/// First bytes of an index file, before its checksum.
const MAGIC: &str = "concur-cache-v4";

/// The folder (inside the cache folder) of the units' packs of summaries.
const PACKS: &str = "packs";

/// Index files kept per cache folder (one per fingerprint); older ones are removed.
const MAX_INDEXES: usize = 8;

/// The content hash of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContentHash(u128);

impl ContentHash {
    /// Hashes a file's bytes.
    pub fn of(bytes: &[u8]) -> Self {
        ContentHash(xxhash_rust::xxh3::xxh3_128(bytes))
    }

    /// Hashes a source file's bytes together with the edition it is read in: the same text
    /// has other findings in another edition.
    pub fn of_source(bytes: &[u8], edition: Edition) -> Self {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(bytes);
        hasher.update(edition.to_string().as_bytes());
        ContentHash(hasher.digest128())
    }
}

/// An index: the walk's results per file, and the crate-wide findings per unit.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Index {
    files: HashMap<PathBuf, Entry>,
    units: HashMap<String, UnitEntry>,
}

/// What the cache holds for one file: the walk's findings and the file's suppressions. Its
/// summary is in its unit's pack.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Entry {
    hash: ContentHash,
    len: usize,
    findings: Vec<Stored>,
    suppressions: Suppressions,
    configured: Vec<String>,
    test_code: TestCode,
}

/// What the cache holds for one unit (a package): its crate-wide findings, valid while every
/// member file is unchanged (the fingerprint covers their paths and contents).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct UnitEntry {
    fingerprint: ContentHash,
    findings: Vec<Stored>,
    refuted: Vec<Assumption>,
    configured: Vec<String>,
    test_files: Vec<PathBuf>,
}

/// A unit's pack: the summaries of its files, each with the content hash it was made from.
/// Read only when the unit's crate-wide questions must be asked again.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Pack {
    files: HashMap<PathBuf, (ContentHash, FileSummary)>,
}

/// A finding as the index stores it: read back only when its name is a known rule's or one of
/// the tool's own diagnostics' ([`names::known`]), so an entry naming anything else is not
/// trusted.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct Stored(#[serde(with = "StoredDiagnostic")] Diagnostic);

/// [`Diagnostic`]'s fields, for serde to read one back ([`Stored`]).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Diagnostic")]
struct StoredDiagnostic {
    #[serde(deserialize_with = "known_name")]
    rule: Name,
    level: Level,
    path: PathBuf,
    span: Span,
    message: String,
    primary_label: Option<String>,
    labels: Vec<Label>,
    #[serde(default)]
    notes: Vec<Note>,
    #[serde(default)]
    assumes: Vec<Assumption>,
    help: Option<String>,
    suggestion: Option<Suggestion>,
}

/// A finding's name: an alias, not `&'static str`, so that serde reads it with [`known_name`]
/// instead of borrowing it from the input.
type Name = &'static str;

/// Reads a finding's name back as the `&'static str` of a known name.
fn known_name<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    let name = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    names::known(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{name}`")))
}

/// A cache opened for one run: the index read at the start, the entries made during the run.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    index: PathBuf,
    entries: Index,
    fresh: Mutex<Vec<(PathBuf, Entry)>>,
    fresh_units: Mutex<Vec<(String, UnitEntry)>>,
    /// The index on disk was corrupt or held an entry that did not match its file.
    rewrite: AtomicBool,
}

impl Cache {
    /// Opens the cache in `dir` for runs with `options`. Never fails: a missing, unreadable or
    /// corrupt index is an empty cache.
    pub fn open(dir: &Path, options: &Options) -> Cache {
        let name = ContentHash::of(fingerprint(options).as_bytes()).0;
        let index = dir.join(format!("{name:032x}.json"));
        let entries = read_index(&index);
        let rewrite = entries.is_none() && index.exists();
        Cache {
            dir: dir.to_path_buf(),
            index,
            entries: entries.unwrap_or_default(),
            fresh: Mutex::default(),
            fresh_units: Mutex::default(),
            rewrite: AtomicBool::new(rewrite),
        }
    }

    /// The cached walk of `path` when its content has hash `hash` and `len` bytes: its
    /// findings and suppressions (its summary is in the unit's pack, [`Cache::summaries`]).
    pub fn get(&self, path: &Path, hash: ContentHash, len: usize) -> Option<FileAnalysis> {
        let entry = self.entries.files.get(path)?;
        if entry.hash != hash {
            return None;
        }
        let consistent = entry.len == len
            && entry.findings.iter().all(|Stored(d)| {
                d.path == path && d.span.end.byte <= len && d.span.start <= d.span.end
            });
        if !consistent {
            self.rewrite.store(true, Ordering::Relaxed);
            return None;
        }
        Some(FileAnalysis {
            findings: entry.findings.iter().map(|s| s.0.clone()).collect(),
            summary: FileSummary::default(),
            suppressions: entry.suppressions.clone(),
            configured: entry.configured.clone(),
            test_code: entry.test_code.clone(),
        })
    }

    /// The cached crate-wide findings of the unit `key`, when its members are those the
    /// fingerprint was made of.
    pub fn unit(&self, key: &str, fingerprint: ContentHash) -> Option<UnitVerdict> {
        let entry = self.entries.units.get(key)?;
        (entry.fingerprint == fingerprint).then(|| UnitVerdict {
            findings: entry.findings.iter().map(|s| s.0.clone()).collect(),
            refuted: entry.refuted.clone(),
            configured: entry.configured.clone(),
            test_files: entry.test_files.clone(),
        })
    }

    /// The summaries of the unit `key`'s files, as last stored, by path with the content hash
    /// each was made from; empty when there is no pack.
    pub fn summaries(&self, key: &str) -> HashMap<PathBuf, (ContentHash, FileSummary)> {
        std::fs::read(self.pack_path(key))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Pack>(&bytes).ok())
            .map(|pack| pack.files)
            .unwrap_or_default()
    }

    /// Records the crate-wide findings of the unit `key` for `fingerprint`, and writes its
    /// pack of `summaries` (atomically; a pack that cannot be written only costs a re-walk).
    pub fn put_unit(
        &self,
        key: &str,
        fingerprint: ContentHash,
        verdict: &UnitVerdict,
        summaries: HashMap<PathBuf, (ContentHash, FileSummary)>,
    ) {
        let pack = Pack { files: summaries };
        if let Ok(bytes) = serde_json::to_vec(&pack) {
            let _ = std::fs::create_dir_all(self.dir.join(PACKS))
                .and_then(|()| write_replacing(&self.pack_path(key), &bytes));
        }
        self.fresh_units
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((
                key.to_string(),
                UnitEntry {
                    fingerprint,
                    findings: verdict.findings.iter().cloned().map(Stored).collect(),
                    refuted: verdict.refuted.clone(),
                    configured: verdict.configured.clone(),
                    test_files: verdict.test_files.clone(),
                },
            ));
    }

    /// Where the pack of unit `key` is (one per unit and configuration).
    fn pack_path(&self, key: &str) -> PathBuf {
        let index = self.index.file_stem().unwrap_or_default().to_string_lossy();
        let name = ContentHash::of(format!("{index} {key}").as_bytes()).0;
        self.dir.join(PACKS).join(format!("{name:032x}.json"))
    }

    /// Records the analysis of `path`, whose content has hash `hash` and `len` bytes.
    pub fn put(&self, path: &Path, hash: ContentHash, len: usize, analysis: &FileAnalysis) {
        let entry = Entry {
            hash,
            len,
            findings: analysis.findings.iter().cloned().map(Stored).collect(),
            suppressions: analysis.suppressions.clone(),
            configured: analysis.configured.clone(),
            test_code: analysis.test_code.clone(),
        };
        self.fresh
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path.to_path_buf(), entry));
    }

    /// Writes the index back when the run added entries or found it corrupt. `linted` are the
    /// files of this run: entries of other files are kept while those files exist.
    pub fn save(self, linted: &[PathBuf]) -> std::io::Result<()> {
        let fresh = self
            .fresh
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let fresh_units = self
            .fresh_units
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if fresh.is_empty() && fresh_units.is_empty() && !self.rewrite.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Start from the index as it is now: another run may have written it meanwhile.
        let mut entries = read_index(&self.index).unwrap_or(self.entries);
        let linted: HashSet<&Path> = linted.iter().map(PathBuf::as_path).collect();
        entries
            .files
            .retain(|path, _| linted.contains(path.as_path()) || path.exists());
        entries.files.extend(fresh);
        entries.units.extend(fresh_units);
        std::fs::create_dir_all(&self.dir)?;
        mark_cache_dir(&self.dir);
        let body = serde_json::to_vec(&entries).map_err(std::io::Error::other)?;
        let checksum = xxhash_rust::xxh3::xxh3_64(&body);
        let tmp = self.dir.join(format!(
            ".tmp-{}-{:x}",
            std::process::id(),
            ContentHash::of(self.index.as_os_str().as_encoded_bytes()).0 as u32
        ));
        let mut out = std::fs::File::create(&tmp)?;
        let written = writeln!(out, "{MAGIC} {checksum:016x}")
            .and_then(|()| out.write_all(&body))
            .and_then(|()| out.sync_data())
            .and_then(|()| std::fs::rename(&tmp, &self.index));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written?;
        prune_indexes(&self.dir);
        Ok(())
    }
}

/// What, besides a file's content, decides its findings: the concur version and binary, the
/// enabled rules, and every other field of [`Options`] (through its `Debug` output, so options
/// added later are covered; they must print deterministically, e.g. `BTreeMap` not `HashMap`).
/// Fields that cannot change findings (threads, cache folder, stats) are left out.
// The struct update is deliberate: fields added to `Options` later are fingerprinted too.
#[allow(clippy::needless_update)]
pub fn fingerprint(options: &Options) -> String {
    let rules: Vec<&str> = options.rules.iter().map(|r| r.name).collect();
    let rest = Options {
        rules: Vec::new(),
        jobs: None,
        cache_dir: None,
        stats: None,
        progress: None,
        map: None,
        ..options.clone()
    };
    format!(
        "concur {} {:?} rules {rules:?} options {rest:?}",
        env!("CARGO_PKG_VERSION"),
        binary_stamp()
    )
}

/// The running binary's size and modification time: a rebuilt concur (same version, changed
/// rules) must not trust the findings of the old one.
fn binary_stamp() -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Writes `bytes` to `path` through a temporary file and a rename.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Reads an index, or `None` when it is missing, fails its checksum or does not parse.
fn read_index(path: &Path) -> Option<Index> {
    let bytes = std::fs::read(path).ok()?;
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let (header, body) = (
        std::str::from_utf8(&bytes[..newline]).ok()?,
        &bytes[newline + 1..],
    );
    let (magic, checksum) = header.split_once(' ')?;
    if magic != MAGIC || u64::from_str_radix(checksum, 16).ok()? != xxhash_rust::xxh3::xxh3_64(body)
    {
        return None;
    }
    serde_json::from_slice(body).ok()
}

/// Tags a new cache folder so backup tools and git leave it alone.
fn mark_cache_dir(dir: &Path) {
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# concur's result cache; safe to delete.\n",
        );
        let _ = std::fs::write(dir.join(".gitignore"), "*\n");
    }
}

/// Removes all but the [`MAX_INDEXES`] most recently written index files.
fn prune_indexes(dir: &Path) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut indexes: Vec<(std::time::SystemTime, PathBuf)> = read
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if indexes.len() <= MAX_INDEXES {
        return;
    }
    indexes.sort();
    for (_, path) in &indexes[..indexes.len() - MAX_INDEXES] {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    fn finding(path: &str) -> Diagnostic {
        Diagnostic::new(
            crate::rules::RULES[0].name,
            PathBuf::from(path),
            Span::file_start(),
            "message",
        )
    }

    fn analysis(path: &str) -> FileAnalysis {
        FileAnalysis {
            findings: vec![finding(path)],
            ..FileAnalysis::default()
        }
    }

    #[test]
    fn threads_stats_and_the_cache_folder_do_not_change_the_fingerprint() {
        let plain = Options::default();
        let other = Options {
            jobs: Some(1),
            cache_dir: Some(PathBuf::from("elsewhere")),
            stats: Some(Default::default()),
            ..Options::default()
        };
        assert_eq!(fingerprint(&plain), fingerprint(&other));
        let fewer = Options {
            rules: plain.rules[1..].to_vec(),
            ..Options::default()
        };
        assert_ne!(fingerprint(&plain), fingerprint(&fewer));
    }

    #[test]
    fn an_entry_that_does_not_match_its_file_is_not_used() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = Options::default();
        let cache = Cache::open(dir.path(), &options);
        let hash = ContentHash::of(b"fn main() {}");
        cache.put(Path::new("a.rs"), hash, 12, &analysis("a.rs"));
        cache.put(Path::new("b.rs"), hash, 12, &analysis("elsewhere.rs"));
        cache.save(&[]).expect("cache written");
        let cache = Cache::open(dir.path(), &options);
        assert_eq!(
            cache.get(Path::new("a.rs"), hash, 12).map(|a| a.findings),
            Some(vec![finding("a.rs")])
        );
        assert_eq!(
            cache.get(Path::new("a.rs"), hash, 13).map(|a| a.findings),
            None,
            "length differs"
        );
        assert_eq!(
            cache
                .get(Path::new("a.rs"), ContentHash::of(b"x"), 12)
                .map(|a| a.findings),
            None,
            "content differs"
        );
        assert_eq!(
            cache.get(Path::new("b.rs"), hash, 12).map(|a| a.findings),
            None,
            "finding names another file"
        );
        assert!(
            cache.rewrite.load(Ordering::Relaxed),
            "a bad entry gets the index rewritten"
        );
    }

    #[test]
    fn an_unknown_rule_name_makes_the_index_untrusted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = Options::default();
        let cache = Cache::open(dir.path(), &options);
        cache.put(
            Path::new("a.rs"),
            ContentHash::of(b""),
            0,
            &analysis("a.rs"),
        );
        cache.save(&[]).expect("cache written");
        let index = Cache::open(dir.path(), &options).index;
        let text = std::fs::read_to_string(&index).expect("index written");
        let (_, body) = text.split_once('\n').expect("header line");
        let body = body.replace(crate::rules::RULES[0].name, "no_such_rule");
        let checksum = xxhash_rust::xxh3::xxh3_64(body.as_bytes());
        std::fs::write(&index, format!("{MAGIC} {checksum:016x}\n{body}")).expect("rewrite index");
        assert!(read_index(&index).is_none());
    }
}
