//! `concur PATH...`: lint Rust files and folders for concurrency mistakes.

use clap::Parser;

fn main() -> std::process::ExitCode {
    concur::cli::run(concur::cli::Cli::parse())
}
