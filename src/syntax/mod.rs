//! The syntax layer: parsing a file once, spans, the macros whose bodies are code, and small
//! questions about one syntax node (its parts, its patterns, what it contains).
//!
//! It knows nothing of what a path means: that is [`crate::semantic`]. It imports only the
//! foundation modules ([`crate::source`], [`crate::diagnostic`]).

pub mod attrs;
pub mod exprs;
pub mod find;
pub mod macros;
pub mod parse;
pub mod pats;
pub mod spans;
pub mod types;
