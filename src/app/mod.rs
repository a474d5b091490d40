//! The front ends: the command line ([`cli`]), configuration files ([`config`]), cargo
//! workspaces ([`workspace`]), the language server ([`lsp`]), `concur map` ([`map`]), and the one [`driver`] both the
//! command line and the language server call to lint with its [`options`], its result [`cache`],
//! file [`discover`]y, the packages files belong to ([`units`]) and timing ([`stats`]). Nothing below imports from here.

pub mod cache;
pub mod cli;
pub mod config;
pub mod discover;
pub mod driver;
pub mod lsp;
pub mod map;
pub mod options;
pub mod progress;
pub mod stats;
pub mod units;
pub mod workspace;
