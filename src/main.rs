//! The `specgate` command: parse arguments, run one command, exit with its
//! code. Every job lives in a library crate; see ARCHITECTURE.md.

mod cli;
mod commands;
mod document_arg;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = commands::run(cli);
    ExitCode::from(code as u8)
}
