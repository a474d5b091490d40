//! `concur map` end to end, on the real binary: golden JSON, Mermaid and DOT for the fixture
//! crates under `tests/map/` (stable ids and order), what the maps must show whatever the
//! goldens say, `cargo concur map`, the HTML page's self-containment, and Graphviz accepting the
//! DOT when it is installed.
//!
//! The fixture crates are copied to a temporary folder first: under `tests/` they would be
//! test code. `UPDATE_GOLDEN=1 cargo test --test map` rewrites the goldens.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{concur, stderr, stdout};
use serde_json::Value;

const FIXTURES: &[&str] = &["workers", "server"];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/map")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A temporary folder holding a copy of every fixture crate.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in FIXTURES {
        copy_dir(&fixtures_dir().join(name), &dir.path().join(name));
    }
    dir
}

fn map(dir: &Path, args: &[&str]) -> String {
    let output = concur(dir, args);
    assert!(
        output.status.success(),
        "concur {args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

fn check_golden(name: &str, actual: &str) {
    let path = fixtures_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(
        actual, expected,
        "{name} changed; if on purpose, run `UPDATE_GOLDEN=1 cargo test --test map`"
    );
}

#[test]
fn goldens_are_stable_and_match() {
    let dir = workspace();
    for name in FIXTURES {
        for (format, extension) in [("json", "json"), ("mermaid", "mmd"), ("dot", "dot")] {
            let first = map(dir.path(), &["map", name, "--format", format]);
            // Same bytes with one thread as with two: no order leaks from the parallel run.
            let again = map(dir.path(), &["map", name, "--format", format, "-j", "1"]);
            assert_eq!(first, again, "{name} {format} differs between runs");
            check_golden(&format!("{name}.map.{extension}"), &first);
        }
    }
}

fn json(dir: &Path, name: &str) -> Value {
    let text = map(dir, &["map", name, "--format", "json"]);
    serde_json::from_str(&text).expect("map JSON parses")
}

fn node<'a>(doc: &'a Value, kind: &str, label: &str) -> &'a Value {
    doc["crates"][0]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["kind"] == kind && n["label"] == label)
        .unwrap_or_else(|| panic!("no {kind} node `{label}` in {doc:#}"))
}

fn edge<'a>(doc: &'a Value, from: &Value, to: &Value, kind: &str) -> Option<&'a Value> {
    doc["crates"][0]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["from"] == from["id"] && e["to"] == to["id"] && e["kind"] == kind)
}

#[test]
fn threaded_cli_map_shows_workers_channel_and_the_lock_cycle() {
    let dir = workspace();
    let doc = json(dir.path(), "workers");
    assert_eq!(doc["version"], 1);
    let main = node(&doc, "main", "main (main thread)");
    // A thread per item; its closure calls several crate functions, listed as what runs there.
    let worker = node(&doc, "thread", "main::{closure}");
    assert_eq!(worker["per_item"], true);
    let auditor = node(&doc, "thread", "audit");
    assert!(edge(&doc, main, worker, "spawns").is_some());
    assert!(edge(&doc, main, auditor, "spawns").is_some());
    // The sender is cloned into each worker and used in a helper; main receives in another.
    let channel = node(&doc, "channel", "mpsc::channel (unbounded)");
    assert!(edge(&doc, worker, channel, "sends").is_some());
    assert!(edge(&doc, channel, main, "receives").is_some());
    // The two locks are taken in opposite orders by the two threads: a red cycle.
    let accounts = node(&doc, "lock", "Bank.accounts");
    let log = node(&doc, "lock", "Bank.log");
    assert!(
        accounts["details"]
            .to_string()
            .contains("HashMap<u32, i64>")
    );
    for (a, b) in [(accounts, log), (log, accounts)] {
        let order = edge(&doc, a, b, "order").expect("lock order edge");
        assert_eq!(order["cycle"], true);
    }
    // Two readers do not wait for each other: opposite orders over a read-only lock are drawn,
    // not red.
    let items = node(&doc, "lock", "Catalog.items");
    let index = node(&doc, "lock", "Catalog.index");
    for (a, b) in [(items, index), (index, items)] {
        let order = edge(&doc, a, b, "order").expect("lock order edge");
        assert!(order.get("cycle").is_none(), "{order:#}");
    }
    assert!(edge(&doc, worker, accounts, "locks").is_some());
    assert!(edge(&doc, auditor, log, "locks").is_some());
    // The finding about the inversion is on the lock.
    let findings = accounts["findings"].to_string() + &log["findings"].to_string();
    assert!(findings.contains("lock_order_inversion"), "{findings}");
    // A lock local to main, shared with the workers; an atomic field; a static mut; a process.
    let seen = node(&doc, "lock", "seen (local in main)");
    assert!(edge(&doc, worker, seen, "locks").is_some());
    let done = node(&doc, "atomic", "Stats.done");
    assert!(edge(&doc, worker, done, "touches").is_some());
    let runs = node(&doc, "static", "static mut RUNS");
    assert!(edge(&doc, main, runs, "touches").is_some());
    let sync = node(&doc, "process", "sync");
    assert!(edge(&doc, main, sync, "spawns").is_some());
    // A channel and a lock made in `Pool::new` and stored in fields are one node each: main
    // sends through the field, the pool's thread receives from the local half.
    let jobs = doc["crates"][0]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["kind"] == "channel" && n["location"]["file"] == "workers/src/pool.rs")
        .expect("the pool's channel");
    assert!(
        jobs["details"].to_string().contains("Pool.jobs"),
        "{jobs:#}"
    );
    let pool_thread = node(&doc, "thread", "Pool::new::{closure}");
    assert!(edge(&doc, main, jobs, "sends").is_some());
    assert!(edge(&doc, jobs, pool_thread, "receives").is_some());
    let results = node(&doc, "lock", "Pool.results");
    assert!(edge(&doc, main, results, "locks").is_some());
    assert!(edge(&doc, pool_thread, results, "locks").is_some());
    let channels = doc["crates"][0]["nodes"].to_string();
    assert!(
        !channels.contains("channel:workers:Pool.jobs"),
        "drawn twice"
    );
    assert!(!channels.contains("Pool::new::results"), "drawn twice");
    // Look-alike: `Action.execute(&mut log)` hands no code over.
    let nodes = doc["crates"][0]["nodes"].as_array().expect("nodes");
    assert!(!nodes.iter().any(|n| n["kind"] == "pool"), "{nodes:#?}");
    // Functions that run in each context; a thread running one function is named after it.
    for function in ["work", "record", "Stats::finish", "Bank::transfer"] {
        assert!(worker["runs"].to_string().contains(function), "{worker:#}");
    }
    assert!(auditor["runs"].to_string().contains("Bank::audit"));
}

#[test]
fn async_server_map_shows_tasks_pools_and_channels_through_parameters() {
    let dir = workspace();
    let doc = json(dir.path(), "server");
    let runtime = node(&doc, "runtime", "main (#[tokio::main])");
    let handler = node(&doc, "task", "handle");
    assert_eq!(handler["per_item"], true);
    let logger = node(&doc, "task", "log_events");
    let blocking = node(&doc, "blocking", "checksum");
    assert!(edge(&doc, runtime, handler, "spawns").is_some());
    assert!(edge(&doc, runtime, logger, "spawns").is_some());
    assert!(edge(&doc, handler, blocking, "spawns").is_some());
    // The channel's halves reach both tasks as parameters (one through a clone).
    let channel = node(&doc, "channel", "mpsc::channel (bound 64)");
    assert!(edge(&doc, handler, channel, "sends").is_some());
    assert!(edge(&doc, channel, logger, "receives").is_some());
    let config = node(&doc, "lock", "AppState.config");
    let read = edge(&doc, handler, config, "locks").expect("read lock edge");
    assert_eq!(read["label"], "read");
    assert!(config["details"].to_string().contains("async"));
    // The blocking write in the handler is a finding on the task that runs it.
    assert!(
        handler["findings"]
            .to_string()
            .contains("blocking_call_in_async"),
        "{handler:#}"
    );
}

#[test]
fn cargo_concur_map_maps_the_workspace_package() {
    let dir = workspace();
    let manifest = dir.path().join("server/Cargo.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-concur"))
        .args(["concur", "map", "--format", "json", "--manifest-path"])
        .arg(&manifest)
        .current_dir(dir.path())
        .output()
        .expect("run cargo-concur");
    assert!(output.status.success(), "{}", stderr(&output));
    let doc: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(doc["crates"][0]["name"], "server");
    let direct = json(dir.path(), "server");
    assert_eq!(
        doc["crates"][0]["nodes"].as_array().map(Vec::len),
        direct["crates"][0]["nodes"].as_array().map(Vec::len)
    );
}

#[test]
fn html_map_is_one_self_contained_file() {
    let dir = workspace();
    let output = concur(dir.path(), &["map", "workers", "-o", "map.html"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("wrote map.html"),
        "{}",
        stderr(&output)
    );
    let page = std::fs::read_to_string(dir.path().join("map.html")).expect("page written");
    assert!(page.contains("Bank.accounts"));
    for external in ["<script src", "<link", "@import", "https://"] {
        assert!(!page.contains(external), "the page loads `{external}`");
    }
    // The only URL is the SVG namespace, which is a name, not a request.
    let urls = page.matches("http://").count();
    assert_eq!(urls, page.matches("http://www.w3.org/2000/svg").count());
    // The extension picks the format.
    let output = concur(dir.path(), &["map", "workers", "-o", "map.md"]);
    assert!(output.status.success());
    let markdown = std::fs::read_to_string(dir.path().join("map.md")).expect("md written");
    assert!(
        markdown.starts_with("```mermaid\nflowchart LR\n"),
        "{markdown}"
    );
}

#[test]
fn map_of_nothing_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = concur(dir.path(), &["map", ".", "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no Rust files"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn graphviz_accepts_the_dot() {
    if Command::new("dot").arg("-V").output().is_err() {
        println!("skipped: Graphviz `dot` is not installed (apt-get install graphviz)");
        return;
    }
    let dir = workspace();
    for name in FIXTURES {
        let file = dir.path().join(format!("{name}.dot"));
        let output = concur(dir.path(), &["map", name, "-o", &file.to_string_lossy()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let svg = Command::new("dot")
            .args(["-Tsvg", "-o"])
            .arg(dir.path().join(format!("{name}.svg")))
            .arg(&file)
            .output()
            .expect("run dot");
        assert!(
            svg.status.success() && svg.stderr.is_empty(),
            "dot rejected {name}: {}",
            String::from_utf8_lossy(&svg.stderr)
        );
    }
}
