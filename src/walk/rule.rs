//! The interface between the walk and the rules: callbacks the walk calls on every node.

use syn::{Block, Expr, Item, Local, Stmt};

use crate::analysis::channels::Channel;
use crate::analysis::commands::CommandUse;
use crate::diagnostic::{Diagnostic, Span};
use crate::walk::context::Context;

/// A lint rule: callbacks the walk calls with the current context. Each pushes findings into
/// `out`. Every method defaults to doing nothing.
pub trait Rule {
    /// Called for every expression, before its children are visited.
    fn check_expr(&mut self, _cx: &Context<'_>, _expr: &Expr, _out: &mut Vec<Diagnostic>) {}
    /// Called for every `let`, before its initializer is visited.
    fn check_local(&mut self, _cx: &Context<'_>, _local: &Local, _out: &mut Vec<Diagnostic>) {}
    /// Called for every statement, before it is visited (earlier statements of its block have
    /// been walked, so their bindings are known).
    fn check_stmt(&mut self, _cx: &Context<'_>, _stmt: &Stmt, _out: &mut Vec<Diagnostic>) {}
    /// Called for every item (`fn`, `mod`, `struct`, ...), before it is visited.
    fn check_item(&mut self, _cx: &Context<'_>, _item: &Item, _out: &mut Vec<Diagnostic>) {}
    /// Called for every block, before its statements are visited.
    fn check_block(&mut self, _cx: &Context<'_>, _block: &Block, _out: &mut Vec<Diagnostic>) {}
    /// Called once for every `std::process::Command` the walk meets: each one bound by `let`
    /// when its block is entered (after `check_block`), each chain when its outermost
    /// expression is (after `check_expr`).
    fn check_command(&mut self, _cx: &Context, _command: &CommandUse, _out: &mut Vec<Diagnostic>) {}
    /// Called once for every channel a block makes (`let (tx, rx) = channel()`), after
    /// `check_block`.
    fn check_channel(&mut self, _cx: &Context, _channel: &Channel, _out: &mut Vec<Diagnostic>) {}
    /// Called where a task may suspend (after an `.await`'s operand, after the operands of a
    /// macro that awaits them such as `select!`), with the span of the suspension point.
    fn check_suspend(&mut self, _cx: &Context<'_>, _at: Span, _out: &mut Vec<Diagnostic>) {}
    /// Called once after the whole file was walked.
    fn finish(&mut self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
