//! The parse floor for `bench/run`: discovers, reads, parses with syn and visits every file in
//! parallel exactly the way concur does (same discovery, reader, parser, thread pool and span
//! table reset), but runs no rule. concur's time over this program's is the cost of the rules.
//!
//! Usage: `cargo run --release --example parse_floor -- [-j N] PATH...`

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use syn::visit::Visit;

/// A visitor that only descends: the cost of one full walk of the tree.
struct Descend;

impl Visit<'_> for Descend {}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args_os().skip(1);
    let mut jobs = 0;
    let mut paths = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "-j" {
            jobs = args
                .next()
                .and_then(|n| n.to_str()?.parse().ok())
                .unwrap_or(0);
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let discovered = concur::app::discover::discover(&paths);
    let (bytes, lines, parse_errors) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let run = || {
        discovered.files.par_iter().for_each(|path| {
            let Ok(file) = concur::app::driver::read_source(path) else {
                return;
            };
            bytes.fetch_add(file.text.len(), Ordering::Relaxed);
            lines.fetch_add(file.line_count(), Ordering::Relaxed);
            match concur::syntax::parse::parse(&file) {
                Ok(ast) => Descend.visit_file(&ast),
                Err(_) => {
                    parse_errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            proc_macro2::extra::invalidate_current_thread_spans();
        });
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(concur::app::driver::ANALYSIS_STACK)
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
    eprintln!(
        "{} files, {} bytes, {} lines, {} parse errors",
        discovered.files.len(),
        bytes.into_inner(),
        lines.into_inner(),
        parse_errors.into_inner()
    );
    std::process::ExitCode::SUCCESS
}
