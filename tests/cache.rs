//! The result cache never changes findings: a warm run gives exactly what a cold run gives, on
//! every fixture, after a config change, after an edit, and over a corrupt index.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use concur::app::driver::lint_paths;
use concur::app::options::Options;
use concur::app::stats::Stats;
use concur::diagnostic::Diagnostic;

/// Copies every fixture into `dir`, returning the folder to lint.
fn copy_fixtures(dir: &Path) -> PathBuf {
    let out = dir.join("src");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &out,
    );
    out
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create fixture copy");
    for entry in std::fs::read_dir(from).expect("fixture folder readable") {
        let path = entry.expect("fixture entry").path();
        let target = to.join(path.file_name().expect("entry name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy fixture");
        }
    }
}

/// Lints `src` with the cache in `cache`, returning findings and how many came from the cache.
fn run(src: &Path, cache: Option<&Path>, options: &Options) -> (Vec<Diagnostic>, usize) {
    let stats = Arc::new(Stats::default());
    let options = Options {
        cache_dir: cache.map(Path::to_path_buf),
        stats: Some(Arc::clone(&stats)),
        ..options.clone()
    };
    let report = lint_paths(&[src.to_path_buf()], &options);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    (report.diagnostics, stats.cache_hits())
}

#[test]
fn warm_runs_give_cold_findings_across_config_changes_and_edits() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = copy_fixtures(tmp.path());
    let cache = tmp.path().join(".concur_cache");
    let all = Options::default();

    let (cold, _) = run(&src, None, &all);
    assert!(!cold.is_empty(), "fixtures have findings");
    let (first, hits) = run(&src, Some(&cache), &all);
    assert_eq!((first.as_slice(), hits), (cold.as_slice(), 0));
    let (warm, hits) = run(&src, Some(&cache), &all);
    assert_eq!(warm, cold);
    let files = concur::app::discover::discover(std::slice::from_ref(&src))
        .files
        .len();
    assert_eq!(hits, files, "every file of a warm run comes from the cache");

    // A config change (one rule only) must not reuse the all-rules entries.
    let one = Options {
        rules: vec![&concur::rules::RULES[0]],
        ..Options::default()
    };
    let (one_cold, _) = run(&src, None, &one);
    let (one_first, hits) = run(&src, Some(&cache), &one);
    assert_eq!((one_first.as_slice(), hits), (one_cold.as_slice(), 0));
    assert_ne!(one_cold, cold);
    let (one_warm, _) = run(&src, Some(&cache), &one);
    assert_eq!(one_warm, one_cold);
    // Back to all rules: still warm, still the same findings.
    let (back, hits) = run(&src, Some(&cache), &all);
    assert_eq!((back.as_slice(), hits), (cold.as_slice(), files));

    // An edit: a file loses its findings, another gains a parse error.
    let with_finding = cold[0].path.clone();
    let other = cold
        .iter()
        .map(|d| d.path.clone())
        .find(|p| *p != with_finding)
        .expect("findings in two files");
    std::fs::write(&with_finding, "fn main() {}\n").expect("edit fixture");
    let text = std::fs::read_to_string(&other).expect("read fixture");
    std::fs::write(&other, format!("{text}\nfn broken( {{\n")).expect("edit fixture");
    let (edited_cold, _) = run(&src, None, &all);
    let (edited_warm, hits) = run(&src, Some(&cache), &all);
    assert_eq!(edited_warm, edited_cold);
    assert_eq!(
        hits,
        files - 2,
        "only the two edited files are linted again"
    );
    assert!(edited_warm.iter().all(|d| d.path != with_finding));
    assert!(
        edited_warm
            .iter()
            .any(|d| d.path == other && d.rule == "parse_error")
    );
    let (again, hits) = run(&src, Some(&cache), &all);
    assert_eq!((again.as_slice(), hits), (edited_cold.as_slice(), files));
}

#[test]
fn a_corrupt_index_is_ignored_and_rewritten() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = copy_fixtures(tmp.path());
    let cache = tmp.path().join("cache");
    let all = Options::default();
    let (cold, _) = run(&src, Some(&cache), &all);
    let index = std::fs::read_dir(&cache)
        .expect("cache folder written")
        .map(|e| e.expect("cache entry").path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("an index file");
    let text = std::fs::read_to_string(&index).expect("index is text");

    // Findings swapped between files, with the checksum left as it was: fails the checksum.
    std::fs::write(&index, text.replace("\"warning\"", "\"error\"")).expect("corrupt index");
    let (after, hits) = run(&src, Some(&cache), &all);
    assert_eq!((after.as_slice(), hits), (cold.as_slice(), 0));
    // Rewritten: the next run is warm again.
    let (warm, hits) = run(&src, Some(&cache), &all);
    assert_eq!(warm, cold);
    assert!(hits > 0);

    for garbage in ["", "concur-cache-v3 0000\n{", "\u{0}\u{1}not an index"] {
        std::fs::write(&index, garbage).expect("corrupt index");
        let (after, hits) = run(&src, Some(&cache), &all);
        assert_eq!((after.as_slice(), hits), (cold.as_slice(), 0));
    }
}

#[test]
fn stats_do_not_change_findings() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = copy_fixtures(tmp.path());
    let plain = lint_paths(std::slice::from_ref(&src), &Options::default());
    let (timed, _) = run(&src, None, &Options::default());
    assert_eq!(plain.diagnostics, timed);
}

#[test]
fn the_tools_own_findings_are_cached_like_rule_findings() {
    // An unused suppression is concur's own finding, not a rule's: the index must still read it
    // back, or one such finding anywhere leaves every later run cold.
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).expect("create src");
    std::fs::write(
        src.join("unused.rs"),
        "fn quiet() {} // concur: ignore[thread_per_item] -- nothing to silence\n",
    )
    .expect("write file");
    std::fs::write(src.join("other.rs"), "fn main() {}\n").expect("write file");
    let cache = tmp.path().join("cache");
    let all = Options::default();
    let (cold, _) = run(&src, Some(&cache), &all);
    assert_eq!(
        cold.iter().map(|d| d.rule).collect::<Vec<_>>(),
        ["unused_suppression"]
    );
    let (warm, hits) = run(&src, Some(&cache), &all);
    assert_eq!((warm, hits), (cold, 2), "both files come from the cache");
}

#[test]
fn an_edit_to_a_helpers_file_alone_changes_its_callers_findings() {
    // The finding is in lib.rs; the blocking call it depends on is in storage.rs. Editing only
    // storage.rs must re-decide lib.rs's finding, though lib.rs itself comes from the cache.
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = tmp.path().join("through_helpers");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/blocking_call_in_async/through_helpers"),
        &src,
    );
    let cache = tmp.path().join("cache");
    let all = Options::default();
    let saves = |found: &[Diagnostic]| {
        found
            .iter()
            .filter(|d| d.path.ends_with("src/lib.rs") && d.message.contains("`save`"))
            .count()
    };
    let (cold, _) = run(&src, None, &all);
    assert_eq!(saves(&cold), 1);
    let (first, _) = run(&src, Some(&cache), &all);
    assert_eq!(first, cold);
    let (warm, hits) = run(&src, Some(&cache), &all);
    assert_eq!((warm.as_slice(), hits), (cold.as_slice(), 4));

    let storage = src.join("src/storage.rs");
    let text = std::fs::read_to_string(&storage).expect("read helper");
    let edited = text.replace(
        "pub fn save(name: &str, data: &[u8]) -> std::io::Result<()> {\n    write_blob(name, data)\n}",
        "pub fn save(name: &str, data: &[u8]) -> std::io::Result<()> {\n    let _ = (name, data);\n    Ok(())\n}",
    );
    assert_ne!(edited, text, "the helper was edited");
    std::fs::write(&storage, edited).expect("edit helper");
    let (edited_cold, _) = run(&src, None, &all);
    let (edited_warm, hits) = run(&src, Some(&cache), &all);
    assert_eq!(edited_warm, edited_cold);
    assert_eq!(hits, 3, "only the helper's file is walked again");
    assert_eq!(
        saves(&edited_warm),
        0,
        "the caller's finding went with the blocking helper"
    );
}
