//! The `specgate` command: parse arguments, run one command, exit with its
//! code. Every job lives in a library crate; see ARCHITECTURE.md.

mod cli;
mod commands;
mod document_arg;
mod progress;
mod revision;

use std::process::ExitCode;

use clap::Parser;

/// See the dependency's comment in `Cargo.toml`: most of what `validate`
/// and `inspect` do is building JSON values.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = commands::run(cli);
    ExitCode::from(code as u8)
}
