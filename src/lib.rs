//! concur: a linter for the concurrency choices in Rust source code.
//!
//! The pipeline runs one way: [`discover`] → [`source`] (read once) → [`parse`] → [`resolve`]
//! and [`catalog`] (what a path is) → [`context`] (the one walk) → [`rules`] → [`diagnostic`] →
//! [`render`]. [`lint`] drives it over many files in parallel; [`cli`] is what both binaries run.

pub mod catalog;
pub mod cli;
pub mod context;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod fix;
pub mod lint;
pub mod lsp;
mod macros;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod source;
pub mod workspace;
