//! `cargo concur`: lint the current cargo workspace. cargo runs this binary as
//! `cargo-concur concur ARGS`; the `concur` argument is dropped.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "concur") {
        args.remove(1);
    }
    concur::app::cli::run_cargo(concur::app::cli::CargoCli::parse_from(args))
}
