//! The walk layer: one visit of a file's syntax tree for all rules.
//!
//! [`walker::Walker`] keeps the execution context (async code, thread bodies, loops, live
//! guards) and hands every node to every enabled rule through the [`rule::Rule`] interface;
//! rules read the current point through [`context::Context`]. It imports [`crate::analysis`]
//! and the layers below, never the rules themselves or anything above.

pub mod context;
pub mod rule;
mod summarize;
pub mod walker;
