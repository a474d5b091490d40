//! The architecture test: `src/` is a stack of layers and every `crate::` path in code points
//! down the stack or stays in its layer. An import that goes up, or a top-level module that
//! belongs to no layer, fails here rather than in a review.

use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may name its own layer and the ones before it.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundation", &["source", "diagnostic", "error"]),
    ("syntax", &["syntax"]),
    ("semantic", &["semantic"]),
    ("analysis", &["analysis"]),
    ("walk", &["walk"]),
    ("rules", &["rules"]),
    ("report", &["report"]),
    ("app", &["app"]),
];

/// The layer index of a top-level module, if it belongs to one.
fn layer_of_module(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The layer of a source file under `src/`: the folder it is in, or its own name for the
/// foundation files; `None` for the crate root and the binaries, which may name anything.
fn layer_of_file(src: &Path, file: &Path) -> Option<usize> {
    let rel = file.strip_prefix(src).expect("file under src/");
    let first = rel.components().next()?.as_os_str().to_str()?;
    if first == "lib.rs" || first == "bin" {
        return None;
    }
    let module = first.strip_suffix(".rs").unwrap_or(first);
    Some(layer_of_module(module).unwrap_or_else(|| {
        panic!("src/{first} belongs to no layer: add it to a folder (and to LAYERS)")
    }))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file: string literals' contents (which may span lines) and `//` comments
/// (doc comments included) blanked out, lines kept.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut in_comment = false;
    while let Some(c) = chars.next() {
        if c == '\n' {
            in_comment = false;
            out.push(c);
            continue;
        }
        if in_comment {
            continue;
        }
        match c {
            '\\' if in_string => {
                if chars.next() == Some('\n') {
                    out.push('\n');
                }
            }
            // A `'"'` character literal opens no string.
            '\'' if !in_string && chars.peek() == Some(&'"') => {
                chars.next();
            }
            '"' => {
                in_string = !in_string;
                out.push(c);
            }
            '/' if !in_string && chars.peek() == Some(&'/') => in_comment = true,
            _ if in_string => {}
            _ => out.push(c),
        }
    }
    out
}

/// The top-level modules a piece of code names through `crate::`, with their lines:
/// `crate::a::b` names `a`; `crate::{a::x, b}` names `a` and `b`.
fn named_modules(text: &str) -> Vec<(usize, String)> {
    let code = code(text);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at + "crate::".len();
        let line = code[..start].matches('\n').count() + 1;
        let rest = &code[start..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let head = item.trim().split("::").next().unwrap_or_default();
                        if !head.is_empty() && head != "self" {
                            found.push((line, head.to_string()));
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push((line, name));
        }
        from = start;
    }
    found
}

#[test]
fn every_import_goes_down_the_stack() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    for file in &files {
        let Some(layer) = layer_of_file(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        for (line, module) in named_modules(&text) {
            let Some(target) = layer_of_module(&module) else {
                upward.push(format!(
                    "{}:{line}: `crate::{module}` is no module of any layer",
                    file.display()
                ));
                continue;
            };
            if target > layer {
                upward.push(format!(
                    "{}:{line}: the {} layer imports `crate::{module}` from the {} layer above it",
                    file.display(),
                    LAYERS[layer].0,
                    LAYERS[target].0
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "{} import(s) go up the stack:\n{}",
        upward.len(),
        upward.join("\n")
    );
}

#[test]
fn the_import_scanner_sees_paths_and_groups() {
    let text = "use crate::walk::context::Context;\nlet s = \"crate::db\"; // crate::app in a comment\nuse crate::{\n    rules::{Rule, RULES},\n    syntax,\n};\nlet x = crate::report::names::known(n);\n";
    assert_eq!(
        named_modules(text),
        [
            (1, "walk".to_string()),
            (3, "rules".to_string()),
            (3, "syntax".to_string()),
            (7, "report".to_string())
        ]
    );
}

#[test]
fn every_top_level_module_belongs_to_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs");
    for line in lib.lines() {
        let Some(module) = line
            .trim()
            .strip_prefix("pub mod ")
            .or_else(|| line.trim().strip_prefix("mod "))
        else {
            continue;
        };
        let module = module.trim_end_matches(';');
        assert!(
            layer_of_module(module).is_some(),
            "module `{module}` of src/lib.rs belongs to no layer"
        );
    }
}
