//! The HTML map in a real browser: headless Chromium loads each page `concur map` writes, the
//! graph must render (as many node elements in the DOM as the map has nodes, or, past the size
//! budget, groups that stand for all of them) without a console message or script error, and a
//! screenshot is saved under `target/map-browser/` to look at.
//!
//! Skipped, saying why, when no Chromium is installed (`apt-get install chromium`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{concur, stderr, stdout, write_files};

/// The first Chromium-like browser on PATH.
fn chromium() -> Option<&'static str> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .into_iter()
    .find(|name| {
        Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn headless(browser: &str) -> Command {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1400,900",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=5000",
    ]);
    command
}

/// The value of `data-NAME="..."` in the dumped DOM.
fn data_attribute(dom: &str, name: &str) -> Option<usize> {
    let key = format!("data-{name}=\"");
    let start = dom.find(&key)? + key.len();
    let end = dom[start..].find('"')? + start;
    dom[start..end].parse().ok()
}

/// Loads `page` headless: checks the rendering against the map's node count and saves a
/// screenshot as `shot`.
fn check_page(browser: &str, page: &Path, model_nodes: usize, shot: &Path) {
    let url = format!("file://{}", page.display());
    let output = headless(browser)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("run the browser");
    let dom = stdout(&output);
    let log = stderr(&output);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(
        console.is_empty(),
        "console messages on {url}: {console:#?}"
    );
    assert_eq!(
        data_attribute(&dom, "errors"),
        Some(0),
        "script errors on {url}"
    );
    assert_eq!(
        data_attribute(&dom, "rendered"),
        Some(1),
        "the page did not render"
    );
    // Each node is a `<g class="node" data-id=.. data-kind=..>`.
    let drawn = dom.matches(" data-kind=\"").count();
    assert_eq!(data_attribute(&dom, "rendered-nodes"), Some(drawn));
    assert_eq!(data_attribute(&dom, "model-nodes"), Some(model_nodes));
    // Every node of the map is drawn, alone or in its module's group.
    assert_eq!(data_attribute(&dom, "represented-nodes"), Some(model_nodes));
    if model_nodes <= 120 {
        assert_eq!(drawn, model_nodes, "small maps draw every node");
    } else {
        assert!(drawn <= 120, "{drawn} nodes drawn: over the budget");
    }
    let shot_done = headless(browser)
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .expect("run the browser");
    assert!(shot_done.status.success(), "{}", stderr(&shot_done));
    let size = std::fs::metadata(shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot {} is {size} bytes",
        shot.display()
    );
    println!("screenshot: {}", shot.display());
}

fn model_nodes(dir: &Path, target: &str) -> usize {
    let output = concur(dir, &["map", target, "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    doc["crates"]
        .as_array()
        .expect("crates")
        .iter()
        .map(|c| c["nodes"].as_array().map_or(0, Vec::len))
        .sum()
}

fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/map-browser");
    std::fs::create_dir_all(&dir).expect("create target/map-browser");
    dir
}

/// Draws `target` under `dir` as HTML and checks it in the browser.
fn draw_and_check(browser: &str, dir: &Path, target: &str, name: &str) {
    let page = dir.join(format!("{name}.html"));
    let output = concur(dir, &["map", target, "-o", &page.to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let nodes = model_nodes(dir, target);
    assert!(nodes > 0, "{name}: empty map");
    check_page(
        browser,
        &page,
        nodes,
        &shots_dir().join(format!("{name}.png")),
    );
}

#[test]
fn html_map_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        println!("skipped: no Chromium on PATH (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/map");
    for name in ["workers", "server"] {
        for file in ["Cargo.toml", "src/main.rs", "src/bank.rs"] {
            let from = fixtures.join(name).join(file);
            if let Ok(text) = std::fs::read_to_string(&from) {
                write_files(&dir.path().join(name), &[(file, &text)]);
            }
        }
        draw_and_check(browser, dir.path(), name, name);
    }
}

#[test]
fn large_html_map_groups_modules_within_the_budget() {
    let Some(browser) = chromium() else {
        println!("skipped: no Chromium on PATH (apt-get install chromium)");
        return;
    };
    // 30 modules with 6 spawn sites each: 180 threads and a main, over the budget.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files: Vec<(String, String)> = vec![(
        "Cargo.toml".into(),
        "[package]\nname = \"big\"\nversion = \"0.1.0\"\nedition = \"2021\"\n".into(),
    )];
    let mut main = String::new();
    for m in 0..30 {
        main.push_str(&format!("mod m{m};\n"));
        let mut module = String::new();
        for f in 0..6 {
            module.push_str(&format!(
                "pub fn start{f}() {{\n    std::thread::spawn(move || job{f}()).join().unwrap();\n}}\n\nfn job{f}() {{}}\n\n"
            ));
        }
        files.push((format!("src/m{m}.rs"), module));
    }
    main.push_str("\nfn main() {\n");
    for m in 0..30 {
        for f in 0..6 {
            main.push_str(&format!("    m{m}::start{f}();\n"));
        }
    }
    main.push_str("}\n");
    files.push(("src/main.rs".into(), main));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write_files(&dir.path().join("big"), &borrowed);
    draw_and_check(browser, dir.path(), "big", "big");
}
