//! The map as a Mermaid flowchart, which GitHub renders in markdown: one subgraph per module,
//! lock-order cycles in red.

use std::fmt::Write;

use crate::report::map::dot::short_ids;
use crate::report::map::{EdgeKind, MapDocument, NodeKind};

/// The document as a Mermaid `flowchart LR`.
pub fn render(doc: &MapDocument) -> String {
    let ids = short_ids(doc);
    let mut out = String::from("flowchart LR\n");
    for (i, ((krate, module), nodes)) in doc.modules().iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph g{i}[\"{}\"]",
            escape(&format!("{krate} · {module}"))
        );
        for node in nodes {
            let mut label = escape(&node.title());
            if let Some(at) = &node.location {
                let _ = write!(label, "<br/>{}:{}", escape(&at.file), at.line);
            }
            if !node.findings.is_empty() {
                let _ = write!(label, "<br/>⚠ {} finding(s)", node.findings.len());
            }
            let (open, close) = shape(node.kind);
            let _ = writeln!(out, "    {}{open}\"{label}\"{close}", ids[&node.id]);
        }
        out.push_str("  end\n");
    }
    let mut red = Vec::new();
    let mut index = 0;
    for edge in doc.edges() {
        let (Some(from), Some(to)) = (ids.get(&edge.from), ids.get(&edge.to)) else {
            continue;
        };
        let label = edge.title();
        let arrow = if edge.kind == EdgeKind::Order {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(out, "  {from} {arrow}|\"{}\"| {to}", escape(&label));
        if edge.cycle {
            red.push(index);
        }
        index += 1;
    }
    for i in red {
        let _ = writeln!(
            out,
            "  linkStyle {i} stroke:#dc2626,stroke-width:3px,color:#dc2626"
        );
    }
    for (class, fill) in [
        ("context", "#bfdbfe"),
        ("entry", "#fde68a"),
        ("process", "#fbcfe8"),
        ("state", "#fecaca"),
        ("channel", "#bbf7d0"),
    ] {
        let _ = writeln!(out, "  classDef {class} fill:{fill},stroke:#374151");
    }
    for (_, node) in doc.nodes() {
        let class = match node.kind {
            NodeKind::Main | NodeKind::Runtime => "entry",
            NodeKind::Process => "process",
            NodeKind::Lock | NodeKind::Atomic | NodeKind::Static => "state",
            NodeKind::Channel => "channel",
            _ => "context",
        };
        let _ = writeln!(out, "  class {} {class}", ids[&node.id]);
    }
    out
}

fn shape(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Main | NodeKind::Runtime => ("([", "])"),
        NodeKind::Process => ("[/", "/]"),
        NodeKind::Lock | NodeKind::Atomic | NodeKind::Static => ("[(", ")]"),
        NodeKind::Channel => ("{{", "}}"),
        _ => ("[", "]"),
    }
}

/// Text inside a quoted Mermaid label: quotes and angle brackets as entities.
fn escape(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}
