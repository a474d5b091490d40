//! concur: a linter for the concurrency choices in Rust source code.
//!
//! The crate is a stack of layers, each a folder that imports only from the layers below it
//! (`tests/layers.rs` fails on an import that goes up):
//!
//! | layer | owns |
//! |---|---|
//! | [`app`] | the front ends: command line, configuration, language server, the driver that runs a lint, the result cache |
//! | [`report`] | what happens to findings: suppressions, baseline, fixes, renderers, the tool's own diagnostics |
//! | [`rules`] | one file per rule and the rule table |
//! | [`walk`] | the one walk over a file and the [`walk::Context`] rules read |
//! | [`analysis`] | facts several rules share: bindings and their uses, locks and guards, channels, commands, loop trip counts |
//! | [`semantic`] | what a path means: imports, the known-API catalog |
//! | [`syntax`] | parsing, spans, macro bodies, searching a syntax node |
//!
//! Below them all, three modules every layer may use: [`source`] (a file read once),
//! [`diagnostic`] (the one finding type) and [`error`] (why a path could not be linted).

#![warn(missing_docs)]

pub mod analysis;
pub mod app;
pub mod diagnostic;
pub mod error;
pub mod report;
pub mod rules;
pub mod semantic;
pub mod source;
pub mod syntax;
pub mod walk;
