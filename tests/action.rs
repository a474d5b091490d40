//! The GitHub Action (`action.yml`): valid YAML with the documented inputs (read with Python's
//! YAML parser when it is installed), and its lint step's script run for real on a temp
//! project with the built concur on PATH.

mod common;

use std::process::Command;

use common::{BLOCKING, path_with_concur, write_files};

const ACTION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml");

/// The action as JSON, through Python's YAML parser; `None` (printed) when it is missing.
fn action_as_json() -> Option<serde_json::Value> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
            ACTION,
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "skipped: python3 with PyYAML is needed to read action.yml: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

#[test]
fn the_action_is_valid_yaml_with_its_documented_inputs() {
    let Some(action) = action_as_json() else {
        return;
    };
    assert_eq!(action["runs"]["using"], "composite");
    for input in ["paths", "args", "version", "upload"] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "input `{input}` is documented"
        );
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains("uses: concur-lint/concur@"),
        "the README shows the action"
    );
    let steps = action["runs"]["steps"].as_array().expect("steps");
    assert!(steps.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))
    }));
}

#[test]
fn the_lint_step_writes_a_sarif_report_and_fails_only_on_usage_errors() {
    let Some(action) = action_as_json() else {
        return;
    };
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let lint = steps
        .iter()
        .find(|s| s["id"] == "lint")
        .and_then(|s| s["run"].as_str())
        .expect("the lint step's script")
        .to_string();
    let project = tempfile::tempdir().expect("tempdir");
    write_files(project.path(), &[("src/lib.rs", BLOCKING)]);
    let path = path_with_concur();
    let run = |paths: &str, args: &str| {
        Command::new("bash")
            .args(["-euo", "pipefail", "-c", &lint])
            .current_dir(project.path())
            .env("PATH", &path)
            .env("PATHS", paths)
            .env("ARGS", args)
            .env("GITHUB_OUTPUT", project.path().join("outputs"))
            .output()
            .expect("bash runs")
    };
    let out = run("src", "--select all");
    assert!(
        out.status.success(),
        "findings do not fail the step: {out:?}"
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.path().join("concur.sarif")).expect("the report"),
    )
    .expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        !sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .is_empty()
    );
    let outputs = std::fs::read_to_string(project.path().join("outputs")).expect("outputs");
    assert!(outputs.contains("sarif=concur.sarif"), "{outputs}");
    let bad = run("src", "--select no_such_rule");
    assert_eq!(bad.status.code(), Some(2), "a usage error fails the step");
}
