//! The map as one self-contained HTML page: the document's JSON inlined, drawn by an inline
//! script (columns by spawn depth, then channels, then shared state), no network. A user pans,
//! zooms, filters by kind, searches, and clicks a node for its location, details and findings;
//! modules beyond a size budget start grouped and expand on click.

use crate::report::map::MapDocument;

/// The page, with `__TITLE__` and `__DATA__` to fill.
const PAGE: &str = include_str!("page.html");

/// The document as a self-contained HTML page titled `title`.
pub fn render(doc: &MapDocument, title: &str) -> String {
    let data = serde_json::to_string(doc)
        .unwrap_or_default()
        // Inside `<script>`, `</script>` or `<!--` in a string would end or confuse the element;
        // `<\/` means the same in JSON.
        .replace("</", "<\\/")
        .replace("<!--", "<\\u0021--");
    PAGE.replacen("__TITLE__", &escape_html(title), 2)
        .replacen("__DATA__", &data, 1)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
