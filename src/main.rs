//! The `parkir` binary: parse the command line, hand it to `cli` (one module per command).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cli::dispatch(cli::Cli::parse())
}
