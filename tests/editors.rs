//! The VS Code extension under `editors/vscode/`: its manifest and settings schema always; that
//! it compiles and packages with the language client inside when npm is installed (skipped
//! with a printed reason otherwise: VS Code itself is not available here).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn extension_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/editors/vscode"))
}

#[test]
fn the_manifest_starts_concur_lsp_for_rust_with_valid_settings() {
    let text = std::fs::read_to_string(extension_dir().join("package.json")).expect("package.json");
    let manifest: Value = serde_json::from_str(&text).expect("package.json is JSON");
    assert_eq!(manifest["main"], "./out/extension.js");
    assert!(
        manifest["activationEvents"]
            .as_array()
            .is_some_and(|events| events.iter().any(|e| e == "onLanguage:rust")),
        "{manifest}"
    );
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
    let properties = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .expect("settings");
    for (name, schema) in properties {
        assert!(name.starts_with("concur."), "{name}");
        assert!(
            schema["description"].is_string(),
            "{name} has a description"
        );
        let default = &schema["default"];
        let fits = match schema["type"].as_str() {
            Some("string") => default.is_string(),
            Some("array") => default
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            other => panic!("{name}: unexpected type {other:?}"),
        };
        assert!(fits, "{name}: the default does not fit the type");
        if let Some(allowed) = schema["enum"].as_array() {
            assert!(
                allowed.contains(default),
                "{name}: the default is not allowed"
            );
        }
    }
    assert_eq!(properties["concur.path"]["default"], "concur");
    assert_eq!(
        properties["concur.args"]["default"],
        serde_json::json!(["lsp"])
    );
    let source =
        std::fs::read_to_string(extension_dir().join("src/extension.ts")).expect("extension.ts");
    assert!(source.contains("vscode-languageclient/node"));
    assert!(source.contains("\"concur.path\"") || source.contains("get<string>(\"path\""));
}

#[test]
fn the_extension_compiles_and_packages_with_its_client() {
    if Command::new("npm").arg("--version").output().is_err() {
        eprintln!("skipped: npm is not installed");
        return;
    }
    let work = tempfile::tempdir().expect("tempdir");
    for name in [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        ".vscodeignore",
        "README.md",
    ] {
        std::fs::copy(extension_dir().join(name), work.path().join(name)).expect("copy");
    }
    std::fs::create_dir(work.path().join("src")).expect("mkdir");
    std::fs::copy(
        extension_dir().join("src/extension.ts"),
        work.path().join("src/extension.ts"),
    )
    .expect("copy");
    let npm = |args: &[&str]| {
        Command::new("npm")
            .args(args)
            .current_dir(work.path())
            .output()
            .expect("npm runs")
    };
    let install = npm(&["ci", "--no-audit", "--no-fund"]);
    if !install.status.success() {
        eprintln!(
            "skipped: `npm ci` failed (offline?): {}",
            String::from_utf8_lossy(&install.stderr)
        );
        return;
    }
    let compile = npm(&["run", "compile"]);
    assert!(
        compile.status.success(),
        "tsc: {}{}",
        String::from_utf8_lossy(&compile.stdout),
        String::from_utf8_lossy(&compile.stderr)
    );
    assert!(work.path().join("out/extension.js").is_file());
    let package = npm(&["run", "package"]);
    assert!(
        package.status.success(),
        "vsce: {}",
        String::from_utf8_lossy(&package.stderr)
    );
    let vsix = std::fs::read(work.path().join("concur.vsix")).expect("the package");
    let has = |needle: &str| vsix.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        has("extension/out/extension.js"),
        "the compiled extension is packaged"
    );
    assert!(
        has("extension/node_modules/vscode-languageclient/"),
        "the language client is packaged"
    );
}

#[test]
fn the_helix_configuration_declares_concur_beside_rust_analyzer() {
    // Helix itself is not installed here: the file is checked against what Helix reads
    // (`[language-server.NAME]` with `command`/`args`, `[[language]]` with `language-servers`),
    // and the README shows the same file.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/editors/helix/languages.toml");
    let text = std::fs::read_to_string(path).expect("languages.toml");
    let config: toml::Table = toml::from_str(&text).expect("valid TOML");
    let server = &config["language-server"]["concur"];
    assert_eq!(server["command"].as_str(), Some("concur"));
    assert_eq!(
        server["args"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>()),
        Some(vec!["lsp"])
    );
    let rust = config["language"]
        .as_array()
        .and_then(|languages| {
            languages
                .iter()
                .find(|l| l["name"].as_str() == Some("rust"))
        })
        .expect("the rust language");
    let servers: Vec<&str> = rust["language-servers"]
        .as_array()
        .expect("language-servers")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(servers, ["rust-analyzer", "concur"]);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(readme.contains("language-servers = [\"rust-analyzer\", \"concur\"]"));
    assert!(readme.contains("editors/helix/languages.toml"));
}
