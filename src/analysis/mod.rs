//! The analysis layer: facts that several rules share, each computed in one place.
//!
//! [`facts`] answers "what is this call, this name, this closure's role" at the current point
//! of the walk; [`loops`] how many times a loop runs; [`bindings`] what happens to a local
//! after its `let`; [`locks`] lock identity, acquisitions and live guards; [`lock_uses`] how a
//! local lock is used; [`polls`] what a loop polls; [`channels`] channel bindings and receive loops; [`commands`]
//! `std::process::Command` chains; [`threads`] what a spawned thread's body is; [`callbacks`]
//! caller-supplied code (closure parameters, handler and observer fields).
//!
//! It imports only [`crate::semantic`], [`crate::syntax`] and the foundation modules: never the
//! walk or the rules.

pub mod bindings;
pub mod callbacks;
pub mod channels;
pub mod commands;
pub mod facts;
pub mod lock_uses;
pub mod locks;
pub mod loops;
pub mod polls;
pub mod threads;
