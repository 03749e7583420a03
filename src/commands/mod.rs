//! One module per command; each returns the process's exit code.

mod diff;
mod drift;
mod generate;
mod inspect;
mod pool;
mod probe;
mod proxy;
mod results;
mod validate;

use crate::cli::{Cli, Command};

/// Exit code: success.
pub const SUCCESS: i32 = 0;
/// Exit code: findings (stale output, violations, breaking changes).
pub const FINDINGS: i32 = 1;
/// Exit code: usage or input errors.
pub const INPUT_ERROR: i32 = 2;

/// Runs the command.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Publish(args) => pool::publish(&args),
        Command::Report(args) => results::report(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Proxy(args) => proxy::run(&args),
        Command::Probe(args) => probe::run(&args),
    }
}

/// Writes a report to standard output. A reader that went away
/// (`specgate diff ... | head`) is not an error: what it wanted, it read.
pub fn print(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Prints an input error and returns its exit code.
pub fn input_error(message: &str) -> i32 {
    eprintln!("error: {message}");
    INPUT_ERROR
}
