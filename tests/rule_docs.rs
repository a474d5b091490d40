//! The rule registry and the docs must not drift apart: every rule has `rules/<name>.md` with
//! the required sections, its *Example* triggers the rule and its *Use instead* does not.

use std::path::Path;

use concur::app::driver::lint_source;
use concur::app::options::Options;
use concur::rules::RULES;
use concur::source::SourceFile;

const SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this bad",
    "## Example",
    "## Use instead",
    "## Fix safety",
    "## Configuration",
];

/// The first ```rust code block after `heading`.
fn code_block<'d>(doc: &'d str, heading: &str) -> &'d str {
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("missing section {heading}"));
    let rest = &doc[start..];
    let open = rest
        .find("```rust")
        .unwrap_or_else(|| panic!("no ```rust block under {heading}"));
    let body = &rest[open + "```rust".len()..];
    let close = body.find("```").expect("code block is closed");
    &body[..close]
}

fn rules_fired(code: &str) -> Vec<&'static str> {
    let file = SourceFile::new("doc.rs", code.to_string());
    lint_source(&file, &Options::every_rule())
        .iter()
        .map(|d| d.rule)
        .collect()
}

#[test]
fn every_rule_doc_has_its_sections_and_its_examples_behave() {
    for rule in RULES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules")
            .join(format!("{}.md", rule.name));
        let doc = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing", path.display()));
        assert_eq!(doc, rule.doc, "compiled-in doc of {} is stale", rule.name);
        let mut last = 0;
        for section in SECTIONS {
            let at = doc
                .find(section)
                .unwrap_or_else(|| panic!("{}: missing `{section}`", path.display()));
            assert!(
                at >= last,
                "{}: `{section}` is out of order",
                path.display()
            );
            last = at;
        }
        let example = rules_fired(code_block(&doc, "## Example"));
        assert!(
            example.contains(&rule.name),
            "{}: the Example does not trigger the rule (got {example:?})",
            path.display()
        );
        assert_eq!(
            rule.checks_tests,
            doc.contains("## Test code"),
            "{}: a rule that checks test code says why in a `## Test code` section, and only \
             such a rule has one",
            path.display()
        );
        let fixed = rules_fired(code_block(&doc, "## Use instead"));
        assert!(
            !fixed.contains(&rule.name),
            "{}: the Use-instead code still triggers the rule",
            path.display()
        );
    }
}

#[test]
fn no_doc_without_a_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(dir).expect("rules/ exists") {
        let name = entry
            .expect("entry")
            .path()
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        assert!(
            concur::rules::find(&name).is_some(),
            "rules/{name}.md documents no registered rule"
        );
    }
}

/// The README's rule table lists every rule with its category and fix kind, in registry order.
#[test]
fn readme_rule_table_matches_the_registry() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|l| l.starts_with("| `") && l.split('|').count() == 6)
        .map(|l| {
            let cells: Vec<String> = l
                .split('|')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            // Names are written as code; summaries keep their own backquotes.
            let mut cells = cells;
            cells[0] = cells[0].trim_matches('`').to_string();
            cells
        })
        .collect();
    assert_eq!(rows.len(), RULES.len(), "one README row per rule");
    for (row, rule) in rows.iter().zip(RULES) {
        let fix = match rule.fix {
            concur::rules::FixKind::None => "-",
            concur::rules::FixKind::Safe => "safe",
            concur::rules::FixKind::Unsafe => "unsafe",
            concur::rules::FixKind::Display => "display",
        };
        assert_eq!(
            row[..4],
            [rule.name, rule.category.name(), fix, rule.summary],
            "README row for {}",
            rule.name
        );
    }
}
