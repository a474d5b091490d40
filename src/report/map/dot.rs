//! The map as Graphviz DOT: one cluster per module, shapes and colours by kind, lock-order
//! cycles in red.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::report::map::{EdgeKind, MapDocument, NodeKind};

/// The document as a DOT digraph (`dot -Tsvg map.dot > map.svg`).
pub fn render(doc: &MapDocument) -> String {
    let ids = short_ids(doc);
    let mut out = String::from(
        "digraph concur {\n  rankdir=LR;\n  compound=true;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    for (i, ((krate, module), nodes)) in doc.modules().iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(out, "    label={};", quote(&format!("{krate} · {module}")));
        out.push_str("    style=\"rounded,dashed\"; color=\"#9ca3af\";\n");
        for node in nodes {
            let (shape, fill) = style(node.kind);
            let mut label = node.title();
            if let Some(at) = &node.location {
                let _ = write!(label, "\n{}:{}", at.file, at.line);
            }
            if !node.findings.is_empty() {
                let _ = write!(label, "\n⚠ {} finding(s)", node.findings.len());
            }
            let border = if node.findings.is_empty() {
                "#374151"
            } else {
                "#d97706"
            };
            let _ = writeln!(
                out,
                "    {} [label={}, shape={shape}, style=\"filled,rounded\", fillcolor=\"{fill}\", color=\"{border}\"];",
                ids[&node.id],
                quote(&label)
            );
        }
        out.push_str("  }\n");
    }
    for edge in doc.edges() {
        let (Some(from), Some(to)) = (ids.get(&edge.from), ids.get(&edge.to)) else {
            continue;
        };
        let label = edge.title();
        let style = match (edge.kind, edge.cycle) {
            (EdgeKind::Order, true) => ", color=\"#dc2626\", fontcolor=\"#dc2626\", penwidth=2",
            (EdgeKind::Order, false) => ", style=dashed",
            (EdgeKind::Sends | EdgeKind::Receives, _) => ", color=\"#2563eb\"",
            (EdgeKind::Locks | EdgeKind::Touches, _) => ", color=\"#6b7280\"",
            _ => "",
        };
        let _ = writeln!(out, "  {from} -> {to} [label={}{style}];", quote(&label));
    }
    out.push_str("}\n");
    out
}

/// Short node names for the text formats (`n0`, `n1`, ...), in document order: stable because
/// the document is sorted.
pub(crate) fn short_ids(doc: &MapDocument) -> BTreeMap<String, String> {
    doc.nodes()
        .enumerate()
        .map(|(i, (_, node))| (node.id.clone(), format!("n{i}")))
        .collect()
}

fn style(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Main | NodeKind::Runtime => ("box", "#fde68a"),
        NodeKind::Thread => ("box", "#bfdbfe"),
        NodeKind::Task => ("box", "#c7d2fe"),
        NodeKind::Blocking | NodeKind::Rayon | NodeKind::Pool => ("box", "#ddd6fe"),
        NodeKind::Process => ("component", "#fbcfe8"),
        NodeKind::External => ("box", "#e5e7eb"),
        NodeKind::Lock => ("cylinder", "#fecaca"),
        NodeKind::Atomic | NodeKind::Static => ("cylinder", "#fed7aa"),
        NodeKind::Channel => ("cds", "#bbf7d0"),
    }
}

/// A DOT string literal.
fn quote(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}
