//! `concur::syntax::spans` must give exactly the spans `syn::spanned::Spanned` gives, for every
//! expression, statement, `let` and block of the fixtures and of concur's own sources (set
//! `CONCUR_SPANS_DIR` to check another tree too, e.g. the benchmark corpus).

use std::path::{Path, PathBuf};

use concur::source::SourceFile;
use concur::syntax::spans::{self, Edges};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

struct Checker<'a> {
    path: &'a Path,
    checked: usize,
    mismatches: Vec<String>,
}

impl Checker<'_> {
    fn check(&mut self, what: &str, node: &(impl Edges + Spanned)) {
        self.checked += 1;
        let (fast, slow) = (spans::span(node), node.span());
        let (fast, slow) = ((fast.start(), fast.end()), (slow.start(), slow.end()));
        if fast != slow && self.mismatches.len() < 20 {
            self.mismatches.push(format!(
                "{}: {what} at {}:{}: cheap span ends at {}:{}, syn's at {}:{}",
                self.path.display(),
                slow.0.line,
                slow.0.column,
                fast.1.line,
                fast.1.column,
                slow.1.line,
                slow.1.column
            ));
        }
    }
}

impl<'ast> Visit<'ast> for Checker<'_> {
    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        self.check("expression", expr);
        visit::visit_expr(self, expr);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        self.check("statement", stmt);
        visit::visit_stmt(self, stmt);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        self.check("let", local);
        visit::visit_local(self, local);
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.check("block", block);
        visit::visit_block(self, block);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        self.check("call", call);
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.check("method call", call);
        visit::visit_expr_method_call(self, call);
    }
}

#[test]
fn cheap_spans_equal_syn_spans() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["fixtures", "src", "tests", "examples"] {
        rust_files(&root.join(dir), &mut files);
    }
    if let Some(dir) = std::env::var_os("CONCUR_SPANS_DIR") {
        rust_files(Path::new(&dir), &mut files);
    }
    let (mut checked, mut mismatches) = (0, Vec::new());
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let file = SourceFile::new(path, text);
        if let Ok(ast) = concur::syntax::parse::parse(&file) {
            let mut checker = Checker {
                path,
                checked: 0,
                mismatches: Vec::new(),
            };
            checker.visit_file(&ast);
            checked += checker.checked;
            mismatches.extend(checker.mismatches);
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    assert!(checked > 10_000, "only {checked} nodes checked");
    assert!(
        mismatches.is_empty(),
        "{} mismatches among {checked} nodes:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
