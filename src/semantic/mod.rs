//! The semantic layer: what a path written in code means. [`resolve`] turns the paths of a
//! file into canonical paths through its imports; [`catalog`] says what a canonical path *is*
//! (a thread spawn, a blocking call, a lock type) and holds every list of known names;
//! [`settings`] adds what a project's configuration teaches the catalog; [`summary`] is what one
//! file contributes to the crate-wide model.
//!
//! It imports only [`crate::syntax`] and the foundation modules.

pub mod catalog;
pub mod resolve;
pub mod settings;
pub mod summary;
