//! The report layer: what happens to findings once the rules made them. [`names`] owns the
//! tool's own diagnostics (`parse_error`, `unused_suppression`, ...) and knows every name a
//! finding can carry; [`suppress`] applies suppression comments and attributes; [`baseline`]
//! filters known findings; [`fix`] applies suggestions (removing the [`imports`] a fix leaves
//! unused); [`packages`] says which cargo package
//! a finding belongs to; [`render`] converts findings to every
//! output format; [`map`] draws a crate's concurrency (`concur map`); [`write`] writes files
//! atomically.
//!
//! It imports [`crate::rules`] (for rule names and docs) and the layers below, never the front
//! ends in [`crate::app`].

pub mod baseline;
pub mod fix;
pub mod imports;
pub mod map;
pub mod names;
pub mod packages;
pub mod render;
pub mod suppress;
pub mod write;

pub use outcome::{FileAnalysis, Report, UnitVerdict};

mod outcome;
