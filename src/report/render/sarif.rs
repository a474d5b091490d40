//! SARIF 2.1.0 for GitHub code scanning, built from the `serde-sarif` types.
//!
//! Locations are relative to `%SRCROOT%` (the repository root: the nearest folder above the
//! current directory holding `.git`, else the current directory), and every result carries
//! `partialFingerprints.primaryLocationLineHash` computed exactly as GitHub's upload action
//! does, so an alert keeps its identity when code above it moves.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, CodeFlow, Location, Message, MultiformatMessageString, PhysicalLocation,
    PropertyBag, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultLevel, Run, Sarif, ThreadFlow, ThreadFlowLocation, Tool, ToolComponent,
};

use crate::diagnostic::{Diagnostic, Level, Span};
use crate::report::Report;
use crate::rules::{Category, RULES};

/// The CVSS-like severity GitHub shows for findings of `security` rules (a shell built from
/// input runs what an attacker writes: high).
const SECURITY_SEVERITY: &str = "8.8";
const SRCROOT: &str = "%SRCROOT%";

/// Writes the report as one pretty-printed SARIF log with one run.
pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let root = source_root();
    serde_json::to_writer_pretty(&mut *out, &build(report, &root))?;
    out.write_all(b"\n")
}

/// Builds the SARIF log; locations are made relative to `root`.
pub fn build(report: &Report, root: &Path) -> Sarif {
    let mut hashes: BTreeMap<&Path, Vec<String>> = BTreeMap::new();
    let results = report
        .diagnostics
        .iter()
        .map(|diag| {
            let line_hashes = hashes.entry(diag.path.as_path()).or_insert_with(|| {
                report
                    .sources
                    .get(&diag.path)
                    .map(|s| line_hashes(&s.text))
                    .unwrap_or_default()
            });
            result(diag, root, line_hashes)
        })
        .collect::<Vec<_>>();
    let mut driver = ToolComponent::builder()
        .name("concur")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(RULES.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    driver.information_uri = information_uri();
    let root_uri = format!(
        "file://{}/",
        encode_path(&root.to_string_lossy()).trim_end_matches('/')
    );
    let base_ids = BTreeMap::from([(
        SRCROOT.to_string(),
        ArtifactLocation::builder().uri(root_uri).build(),
    )]);
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .original_uri_base_ids(base_ids)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn information_uri() -> Option<String> {
    [
        option_env!("CARGO_PKG_HOMEPAGE"),
        option_env!("CARGO_PKG_REPOSITORY"),
    ]
    .into_iter()
    .flatten()
    .find(|uri| !uri.is_empty())
    .map(str::to_string)
}

fn descriptor(rule: &crate::rules::RuleInfo) -> ReportingDescriptor {
    // Rules earn a default-on category with at least 90% precision on application code.
    let precision = if rule.default_level().is_some() {
        "high"
    } else {
        "medium"
    };
    let mut extra = BTreeMap::from([("precision".to_string(), json!(precision))]);
    let tags = vec!["concurrency".to_string(), rule.category.name().to_string()];
    if rule.category == Category::Security {
        extra.insert("security-severity".into(), json!(SECURITY_SEVERITY));
    }
    ReportingDescriptor::builder()
        .id(rule.name)
        .name(rule.name)
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(section(rule.doc, "## What it does"))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(rule.doc)
                .markdown(rule.doc)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .enabled(rule.default_level().is_some())
                .level(json!(rule.category.enabled_level().as_str()))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(extra)
                .build(),
        )
        .build()
}

/// The text of a doc section, up to the next heading.
fn section(doc: &str, heading: &str) -> String {
    let Some(start) = doc.find(heading) else {
        return doc.lines().next().unwrap_or_default().to_string();
    };
    let body = &doc[start + heading.len()..];
    let end = body.find("\n#").unwrap_or(body.len());
    body[..end].trim().to_string()
}

fn result(diag: &Diagnostic, root: &Path, line_hashes: &[String]) -> SarifResult {
    let level = match diag.level {
        Level::Note => ResultLevel::Note,
        Level::Warning => ResultLevel::Warning,
        Level::Error => ResultLevel::Error,
    };
    let related: Vec<Location> = diag
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            Location::builder()
                .id(i as i64 + 1)
                .physical_location(physical(&diag.path, label.span, root))
                .message(Message::builder().text(label.message.clone()).build())
                .build()
        })
        .collect();
    let mut result = SarifResult::builder()
        .rule_id(diag.rule)
        .level(level)
        .message(Message::builder().text(diag.message.clone()).build())
        .locations(vec![
            Location::builder()
                .physical_location(physical(&diag.path, diag.span, root))
                .build(),
        ])
        .build();
    result.rule_index = RULES
        .iter()
        .position(|r| r.name == diag.rule)
        .map(|i| i as i64);
    let mut related = related;
    let first_note = related.len() as i64 + 1;
    related.extend(diag.notes.iter().enumerate().map(|(i, note)| {
        Location::builder()
            .id(first_note + i as i64)
            .physical_location(physical(&note.path, note.span, root))
            .message(Message::builder().text(note.message.clone()).build())
            .build()
    }));
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if !diag.notes.is_empty() {
        result.code_flows = Some(vec![code_flow(diag, root)]);
    }
    if let Some(hash) = line_hashes.get(diag.span.start.line - 1) {
        result.partial_fingerprints = Some(BTreeMap::from([(
            "primaryLocationLineHash".to_string(),
            hash.clone(),
        )]));
    }
    result
}

/// The finding's call chain as one thread flow, which GitHub shows as a path: the finding's
/// own place, then every note's, in order.
fn code_flow(diag: &Diagnostic, root: &Path) -> CodeFlow {
    let step = |path: &Path, span: Span, message: &str| {
        ThreadFlowLocation::builder()
            .location(
                Location::builder()
                    .physical_location(physical(path, span, root))
                    .message(Message::builder().text(message.to_string()).build())
                    .build(),
            )
            .build()
    };
    let mut locations = vec![step(&diag.path, diag.span, &diag.message)];
    locations.extend(
        diag.notes
            .iter()
            .map(|note| step(&note.path, note.span, &note.message)),
    );
    CodeFlow::builder()
        .thread_flows(vec![ThreadFlow::builder().locations(locations).build()])
        .build()
}

fn physical(path: &Path, span: Span, root: &Path) -> PhysicalLocation {
    let region = Region::builder()
        .start_line(span.start.line as i64)
        .start_column(span.start.column as i64)
        .end_line(span.end.line as i64)
        .end_column(span.end.column as i64)
        .build();
    PhysicalLocation::builder()
        .artifact_location(artifact(path, root))
        .region(region)
        .build()
}

fn artifact(path: &Path, root: &Path) -> ArtifactLocation {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match abs.strip_prefix(root) {
        Ok(rel) => {
            let uri = rel
                .components()
                .map(|c| encode_path(&c.as_os_str().to_string_lossy()))
                .collect::<Vec<_>>();
            ArtifactLocation::builder()
                .uri(uri.join("/"))
                .uri_base_id(SRCROOT)
                .build()
        }
        Err(_) => ArtifactLocation::builder()
            .uri(format!("file://{}", encode_path(&abs.to_string_lossy())))
            .build(),
    }
}

/// Percent-encodes what a URI path may not hold (keeps `/` and unreserved characters).
fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The repository root: the nearest folder above the current directory holding `.git`, else
/// the current directory.
pub fn source_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&cwd)
        .to_path_buf()
}

/// `primaryLocationLineHash` of every line (index 0 is line 1), as github/codeql-action's
/// `fingerprints.ts` computes it: a rolling hash (base 37, wrapping 64-bit) over the next 100
/// UTF-16 code units from the start of each line, skipping spaces and tabs, with `\r\n` and
/// `\r` read as `\n`, an end-of-file marker (65535) and zero padding; equal hashes are told
/// apart by a `:n` occurrence count.
pub fn line_hashes(text: &str) -> Vec<String> {
    const BLOCK: usize = 100;
    const MOD: u64 = 37;
    const EOF: u64 = 65535;
    let first_mod = (0..BLOCK).fold(1u64, |acc, _| acc.wrapping_mul(MOD));
    let mut window = [0u64; BLOCK];
    let mut line_numbers = [0usize; BLOCK];
    let mut hash = 0u64;
    let mut index = 0;
    let mut line = 0;
    let mut line_start = true;
    let mut prev_cr = false;
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    let mut out: Vec<String> = Vec::new();
    let mut emit = |hash: u64, line: usize, out: &mut Vec<String>| {
        let count = counts.entry(hash).or_insert(0);
        *count += 1;
        if out.len() < line {
            out.resize(line, String::new());
        }
        out[line - 1] = format!("{hash:x}:{count}");
    };
    let mut update = |current: u64, hash: &mut u64, index: &mut usize| {
        let begin = window[*index];
        window[*index] = current;
        *hash = MOD
            .wrapping_mul(*hash)
            .wrapping_add(current)
            .wrapping_sub(first_mod.wrapping_mul(begin));
        *index = (*index + 1) % BLOCK;
    };
    let units = text
        .encode_utf16()
        .map(u64::from)
        .chain(std::iter::once(EOF));
    for mut current in units {
        if current == u64::from(b' ')
            || current == u64::from(b'\t')
            || (prev_cr && current == u64::from(b'\n'))
        {
            prev_cr = false;
            continue;
        }
        prev_cr = current == u64::from(b'\r');
        if prev_cr {
            current = u64::from(b'\n');
        }
        if line_numbers[index] != 0 {
            emit(hash, line_numbers[index], &mut out);
            line_numbers[index] = 0;
        }
        if line_start {
            line_start = false;
            line += 1;
            line_numbers[index] = line;
        }
        if current == u64::from(b'\n') {
            line_start = true;
        }
        update(current, &mut hash, &mut index);
    }
    for _ in 0..BLOCK {
        if line_numbers[index] != 0 {
            emit(hash, line_numbers[index], &mut out);
            line_numbers[index] = 0;
        }
        update(0, &mut hash, &mut index);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from github/codeql-action's own tests of `fingerprints.ts`.
    #[test]
    fn line_hashes_match_the_upload_action() {
        assert_eq!(line_hashes(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            line_hashes(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        let expected = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        assert_eq!(
            line_hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n"),
            expected
        );
        assert_eq!(
            line_hashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n"),
            expected
        );
        assert_eq!(
            line_hashes(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r"),
            expected
        );
        let repeated = line_hashes(&"Lorem ipsum dolor sit amet.\n".repeat(10));
        assert_eq!(repeated[5], "a7f2ff13bc495cf2:6");
        assert_eq!(repeated[6], "a7f2ff1481e87703:1");
        assert_eq!(repeated[10], "c129715d7a2bc9a3:1");
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("src/a b.rs"), "src/a%20b.rs");
    }
}
