//! `concur PATH...`: lint Rust files and folders for concurrency mistakes.

use clap::Parser;

fn main() -> std::process::ExitCode {
    concur::app::cli::run(concur::app::cli::Cli::parse())
}
