//! `concur map` and `cargo concur map`: lint the paths once with the map switched on, collect
//! each unit's map as the driver finishes it, and write the document in the chosen format.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{Args, ValueEnum};

use crate::app::config::Overrides;
use crate::app::driver::{Driver, RunSettings};
use crate::report::map::{self, CrateMap, EdgeKind, FORMAT_VERSION, MapDocument};
use crate::report::write::write_atomically;

/// Collects the map of each unit as the driver finishes it (units finish in parallel).
#[derive(Debug)]
pub struct MapSink {
    root: PathBuf,
    maps: Mutex<Vec<CrateMap>>,
}

impl MapSink {
    /// A sink whose maps show paths relative to `root` (the folder concur runs in).
    pub fn new(root: PathBuf) -> Self {
        MapSink {
            root,
            maps: Mutex::new(Vec::new()),
        }
    }

    /// The folder locations are shown relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes one unit's map.
    pub fn add(&self, map: CrateMap) {
        if let Ok(mut maps) = self.maps.lock() {
            maps.push(map);
        }
    }

    /// Every map collected, as one document in a stable order (by crate name, then by the
    /// first node's id).
    pub fn document(&self) -> MapDocument {
        let mut crates = self.maps.lock().map(|m| m.clone()).unwrap_or_default();
        crates.sort_by(|a, b| {
            (&a.name, a.nodes.first().map(|n| &n.id))
                .cmp(&(&b.name, b.nodes.first().map(|n| &n.id)))
        });
        MapDocument {
            version: FORMAT_VERSION,
            crates,
        }
    }
}

/// The map's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapFormat {
    /// One self-contained page to open in a browser: pan, zoom, filter, click for details.
    Html,
    /// Graphviz (`dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart (renders in GitHub markdown; `-o map.md` wraps it in a fence).
    Mermaid,
    /// The map itself, for other tools (documented in docs/map.md).
    Json,
}

/// The options of `concur map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// The format; by default the `-o` file's extension decides (`.html`, `.dot`/`.gv`,
    /// `.mmd`/`.md`, `.json`), else HTML.
    #[arg(long, value_enum)]
    pub format: Option<MapFormat>,
    /// Write the map to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
}

impl MapArgs {
    fn format(&self) -> MapFormat {
        if let Some(format) = self.format {
            return format;
        }
        let extension = self
            .output
            .as_deref()
            .and_then(Path::extension)
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("dot" | "gv") => MapFormat::Dot,
            Some("mmd" | "mermaid" | "md") => MapFormat::Mermaid,
            Some("json") => MapFormat::Json,
            _ => MapFormat::Html,
        }
    }
}

/// Draws the map of the crates under `paths` (configuration applies as for a lint: which rules'
/// findings are attached) and writes it.
pub fn run(paths: &[PathBuf], args: &MapArgs, overrides: Overrides) -> ExitCode {
    let format = args.format();
    if format == MapFormat::Html && args.output.is_none() && std::io::stdout().is_terminal() {
        eprintln!(
            "error: the HTML map is a file to open in a browser: pass `-o map.html`\n\n  tip: \
             `concur map --format mermaid` prints a map to read here"
        );
        return ExitCode::from(2);
    }
    let root = std::env::current_dir().unwrap_or_default();
    let sink = Arc::new(MapSink::new(root));
    let run = RunSettings {
        map: Some(sink.clone()),
        ..RunSettings::default()
    };
    let mut driver = Driver::new(overrides, run);
    let report = match driver.lint_paths(paths) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    for err in &report.errors {
        eprintln!("warning: {err}");
    }
    if report.files == 0 {
        eprintln!("error: no Rust files to map");
        return ExitCode::from(2);
    }
    let doc = sink.document();
    let text = render(&doc, format, args.output.as_deref());
    match &args.output {
        Some(path) => {
            if let Err(err) = write_atomically(path, text.as_bytes(), None) {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
            eprintln!("{}; wrote {}", summary(&doc), path.display());
        }
        None => {
            print!("{text}");
            if !std::io::stderr().is_terminal() {
                return ExitCode::SUCCESS;
            }
            eprintln!("{}", summary(&doc));
        }
    }
    ExitCode::SUCCESS
}

/// The document in `format`; Mermaid for a markdown file is fenced.
fn render(doc: &MapDocument, format: MapFormat, output: Option<&Path>) -> String {
    match format {
        MapFormat::Json => doc.to_json(),
        MapFormat::Dot => map::dot::render(doc),
        MapFormat::Mermaid => {
            let chart = map::mermaid::render(doc);
            if output.and_then(Path::extension).is_some_and(|e| e == "md") {
                format!("```mermaid\n{chart}```\n")
            } else {
                chart
            }
        }
        MapFormat::Html => {
            let names: Vec<&str> = doc.crates.iter().map(|c| c.name.as_str()).collect();
            let title = match names.as_slice() {
                [] => "no crate".to_string(),
                [one] => (*one).to_string(),
                [first, rest @ ..] => format!("{first} and {} more", rest.len()),
            };
            map::html::render(doc, &title)
        }
    }
}

/// One line on what the map holds.
fn summary(doc: &MapDocument) -> String {
    let nodes = doc.nodes().count();
    let edges = doc.edges().count();
    let cycles = doc
        .edges()
        .filter(|e| e.kind == EdgeKind::Order && e.cycle)
        .count();
    let mut line = format!(
        "mapped {} crate{}: {nodes} nodes, {edges} edges",
        doc.crates.len(),
        if doc.crates.len() == 1 { "" } else { "s" }
    );
    if cycles > 0 {
        line.push_str(&format!(", {cycles} lock-order edges in a cycle"));
    }
    line
}
