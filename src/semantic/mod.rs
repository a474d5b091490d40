//! The semantic layer: what a path written in code means. [`resolve`] turns the paths of a
//! file into canonical paths through its imports; [`catalog`] says what a canonical path *is*
//! (a thread spawn, a blocking call, a lock type) and holds every list of known names;
//! [`settings`] adds what a project's configuration teaches the catalog; [`summary`] is what one
//! file contributes to the crate-wide model, and [`model`] is that model: calls resolved across
//! the files of a package and effects followed along them.
//!
//! It imports only [`crate::syntax`] and the foundation modules.

pub mod catalog;
pub mod model;
pub mod platform;
pub mod resolve;
pub mod settings;
pub mod summary;
pub mod test_code;
