//! Output formats end to end: `short`, `github`, `sarif` (validated against the official
//! schema when it is beside the checkout), `json` as rust-analyzer reads it, and `--output`.

mod common;

use std::path::Path;

use common::{BLOCKING, concur, stderr, stdout, write_files};
use serde_json::Value;

/// Two findings: a blocking call (line 2) and a thread per item with a secondary label.
const TWO: &str = "async fn handler() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n\nfn per_line(input: &str) {\n    for line in input.lines() {\n        let line = line.to_string();\n        let _h = std::thread::spawn(move || line.len());\n    }\n}\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mark the repository root");
    write_files(
        dir.path(),
        &[("src/a b.rs", TWO), ("src/ok.rs", "fn main() {}\n")],
    );
    dir
}

#[test]
fn short_prints_one_line_per_finding() {
    let dir = project();
    let out = concur(dir.path(), &["--format", "short", "src"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "src/a b.rs:2:5: warning[blocking_call_in_async]: `std::thread::sleep` blocks the executor thread\n\
         src/a b.rs:8:18: warning[thread_per_item]: a new OS thread is spawned for every item\n"
    );
}

#[test]
fn github_prints_workflow_commands_with_escaped_properties() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("we,ird:name%.rs", BLOCKING)]);
    let out = concur(
        dir.path(),
        &[
            "--format",
            "github",
            "-D",
            "blocking_call_in_async",
            "we,ird:name%.rs",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "::error file=we%2Cird%3Aname%25.rs,line=2,endLine=2,col=5,endColumn=60,title=concur blocking_call_in_async::`std::thread::sleep` blocks the executor thread\n"
    );
}

fn sarif(dir: &Path) -> Value {
    let out = concur(dir, &["--format", "sarif", "src"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("sarif output is one JSON document")
}

#[test]
fn sarif_has_rules_results_locations_and_fingerprints() {
    let dir = project();
    let log = sarif(dir.path());
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "concur");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), concur::rules::RULES.len());
    for (rule, info) in rules.iter().zip(concur::rules::RULES) {
        assert_eq!(rule["id"], info.name);
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        assert_eq!(rule["help"]["markdown"], info.doc);
        assert!(
            rule["fullDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let on = info.default_level().is_some();
        assert_eq!(rule["defaultConfiguration"]["enabled"], on, "{}", info.name);
        let level = info.category.enabled_level().as_str();
        assert_eq!(
            rule["defaultConfiguration"]["level"], level,
            "{}",
            info.name
        );
        let precision = if on { "high" } else { "medium" };
        assert_eq!(rule["properties"]["precision"], precision, "{}", info.name);
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(
            tags.iter().any(|t| t == info.category.name()),
            "{}: {tags:?}",
            info.name
        );
        let security = rule["properties"].get("security-severity").is_some();
        assert_eq!(
            security,
            info.category == concur::rules::Category::Security,
            "{}",
            info.name
        );
    }
    let root = std::fs::canonicalize(dir.path()).expect("canonical root");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("base uri");
    assert!(base.starts_with("file://") && base.ends_with('/'), "{base}");
    assert!(
        base.contains(root.file_name().unwrap().to_str().unwrap()),
        "{base}"
    );
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    let first = &results[0];
    assert_eq!(first["ruleId"], "blocking_call_in_async");
    assert_eq!(first["ruleIndex"], 0);
    assert_eq!(first["level"], "warning");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/a%20b.rs");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let region = &location["region"];
    assert_eq!(
        (region["startLine"].as_i64(), region["startColumn"].as_i64()),
        (Some(2), Some(5))
    );
    assert_eq!(
        (region["endLine"].as_i64(), region["endColumn"].as_i64()),
        (Some(2), Some(60))
    );
    let hashes = concur::report::render::sarif::line_hashes(TWO);
    assert_eq!(
        first["partialFingerprints"]["primaryLocationLineHash"],
        hashes[1]
    );
    let second = &results[1];
    assert_eq!(second["ruleId"], "thread_per_item");
    let related = second["relatedLocations"]
        .as_array()
        .expect("secondary spans become related locations");
    assert_eq!(
        related[0]["message"]["text"],
        "this loop runs once per item"
    );
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 6);
}

#[test]
fn sarif_fingerprint_survives_edits_above_the_finding() {
    let dir = project();
    let before = sarif(dir.path())["runs"][0]["results"][0]["partialFingerprints"].clone();
    let moved = format!("// a comment\n\n{TWO}");
    write_files(dir.path(), &[("src/a b.rs", &moved)]);
    let after = sarif(dir.path());
    let result = &after["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    assert_eq!(result["partialFingerprints"], before);
}

/// Validates against the official schema at `../shared/schemas/` beside the checkout. In a
/// clone without it, the structural checks above still run and this test says what it skipped.
#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = project();
    validate_sarif(&sarif(dir.path()));
}

/// A package whose async handler reaches a blocking call through a helper in another file.
fn chain_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mark the repository root");
    write_files(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"chain\"\nversion = \"0.1.0\"\n",
            ),
            (
                "src/lib.rs",
                "mod store;\n\npub async fn handler() {\n    store::save();\n}\n",
            ),
            (
                "src/store.rs",
                "pub fn save() {\n    let _ = std::fs::write(\"x\", \"y\");\n}\n",
            ),
        ],
    );
    dir
}

#[test]
fn call_chains_are_related_locations_and_a_code_flow_in_sarif_and_notes_in_json() {
    let dir = chain_project();
    let log = sarif(dir.path());
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "blocking_call_in_async");
    let related = result["relatedLocations"]
        .as_array()
        .expect("related locations");
    assert_eq!(
        related[0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/store.rs"
    );
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 2);
    let flow = &result["codeFlows"][0]["threadFlows"][0]["locations"];
    assert_eq!(flow.as_array().map(Vec::len), Some(2), "{flow}");
    assert_eq!(
        flow[0]["location"]["physicalLocation"]["artifactLocation"]["uri"],
        "src/lib.rs"
    );
    validate_sarif(&log);

    let json = concur(dir.path(), &["--format", "json", "src"]);
    let line: Value = serde_json::from_slice(
        json.stdout
            .split(|&b| b == b'\n')
            .next()
            .expect("one message"),
    )
    .expect("a compiler message");
    let note = line["message"]["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|c| c["level"] == "note")
        .expect("a note child");
    assert_eq!(note["spans"][0]["file_name"], "src/store.rs");
    assert_eq!(note["spans"][0]["line_start"], 2);
    let rendered = line["message"]["rendered"].as_str().unwrap_or_default();
    assert!(rendered.contains("src/store.rs:2:13"), "{rendered}");
}

/// Validates a SARIF log against the official schema at `../shared/schemas/` beside the
/// checkout. In a clone without it, the structural checks still run and this says what it
/// skipped.
fn validate_sarif(log: &Value) {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/sarif-schema-2.1.0.json");
    let Ok(text) = std::fs::read_to_string(&schema_path) else {
        println!(
            "skipped: SARIF schema validation ({} not found); structure checked by the other sarif tests",
            schema_path.display()
        );
        return;
    };
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output violates the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn output_file_gets_the_report_and_the_terminal_gets_human_output() {
    let dir = project();
    let out = concur(
        dir.path(),
        &["--format", "sarif", "--output", "report.sarif", "src"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(dir.path().join("report.sarif")).expect("report written");
    let log: Value = serde_json::from_str(&text).expect("the file holds the SARIF log");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(2));
    let human = stdout(&out);
    assert!(human.contains("warning[thread_per_item]"), "{human}");
    assert!(human.contains("2 warnings in 1 file"), "{human}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| ![".git", ".concur_cache", "src", "report.sarif"].contains(&n.as_str()))
        .collect();
    assert!(
        leftovers.is_empty(),
        "files left beside the report: {leftovers:?}"
    );
}

#[test]
fn output_into_a_missing_folder_is_an_error_and_leaves_nothing() {
    let dir = project();
    let out = concur(
        dir.path(),
        &["--format", "short", "--output", "missing/report.txt", "src"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing/report.txt"),
        "{}",
        stderr(&out)
    );
}

/// The fields rust-analyzer's flycheck reads from each `compiler-message` line.
#[test]
fn json_lines_carry_what_rust_analyzer_flycheck_reads() {
    let dir = project();
    let out = concur(dir.path(), &["--format", "json", "src"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("every stdout line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert_eq!(line["reason"], "compiler-message");
        assert!(line["package_id"].is_string());
        assert!(line["manifest_path"].is_string());
        assert!(line["target"]["src_path"].is_string());
        let message = &line["message"];
        assert_eq!(message["$message_type"], "diagnostic");
        assert!(message["rendered"].is_string());
        assert!(matches!(
            message["level"].as_str(),
            Some("warning" | "error")
        ));
        assert!(
            message["code"]["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("concur::"))
        );
        let spans = message["spans"].as_array().expect("spans");
        assert!(spans.iter().any(|s| s["is_primary"] == true));
        for span in spans {
            for key in [
                "line_start",
                "line_end",
                "column_start",
                "column_end",
                "byte_start",
                "byte_end",
            ] {
                assert!(
                    span[key]
                        .as_u64()
                        .is_some_and(|n| key.starts_with("byte") || n >= 1),
                    "{key}"
                );
            }
            let file = span["file_name"].as_str().expect("file_name");
            assert!(
                dir.path().join(file).is_file(),
                "{file} resolves from the workspace root"
            );
        }
        assert!(message["children"].is_array());
    }
}
