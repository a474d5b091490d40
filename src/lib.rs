//! concur: a linter for the concurrency choices in Rust source code.
//!
//! The pipeline runs one way: [`discover`] → [`source`] (read once) → [`parse`] → [`resolve`]
//! and [`catalog`] (what a path is) → [`context`] (the one walk) → [`rules`] → [`diagnostic`] →
//! [`render`]. [`lint`] drives it over many files in parallel; [`cli`] is what both binaries run.

pub mod baseline;
/// Uses of a local binding in the rest of its block (cloned, dropped, moved, looped over).
pub mod bindings;
/// The per-file result cache: unchanged files are not parsed again.
pub mod cache;
pub mod catalog;
/// Channel bindings, the fate of their halves and the shapes of receive loops.
pub mod channels;
pub mod cli;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod fix;
pub mod lint;
/// How a lock bound to a local is used after its `let`, followed through clones and closures.
pub mod lock_uses;
/// Lock identity and acquisitions shared by the lock rules.
pub mod locks;
pub mod lsp;
mod macros;
pub mod parse;
/// `std::process::Command` chains and bindings: program, arguments, shell scripts.
pub mod process;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod source;
/// Cheap spans of syntax nodes, from their first and last tokens (issue 10).
pub mod spans;
/// `--stats`: time per phase and per rule.
pub mod stats;
pub mod suppress;
pub mod workspace;
