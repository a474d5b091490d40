//! concur: a linter for the concurrency choices in Rust source code.
//!
//! The pipeline runs one way: [`discover`] → [`source`] (read once) → [`parse`] → [`resolve`]
//! and [`catalog`] (what a path is) → [`context`] (the one walk) → [`rules`] → [`diagnostic`] →
//! [`render`]. [`lint`] drives it over many files in parallel; [`cli`] is what both binaries run.

pub mod baseline;
/// Uses of a local binding in the rest of its block (cloned, dropped, moved, looped over).
pub mod bindings;
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
/// Lock identity and acquisitions shared by the lock rules.
pub mod locks;
mod macros;
pub mod parse;
/// `std::process::Command` chains and bindings: program, arguments, shell scripts.
pub mod process;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod workspace;
