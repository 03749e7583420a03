//! Peak memory of loading one document, for `scripts/bench-memory.sh`.
//!
//! `peak_memory value FILE` parses the file into a `serde_json::Value` (the
//! floor); `peak_memory model FILE` loads it into the model. Each prints the
//! process's peak resident memory (VmHWM) in KiB, after the work is done and
//! its result still alive.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: peak_memory value|model FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{path}: {err}");
            return ExitCode::from(2);
        }
    };
    let kept: Box<dyn std::any::Any> = match mode.as_str() {
        "value" => match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => Box::new(value),
            Err(err) => {
                eprintln!("{path}: {err}");
                return ExitCode::from(2);
            }
        },
        "model" => match specgate_spec::Loader::new().load_bytes(path, bytes, None) {
            Ok(document) => Box::new(document),
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: peak_memory value|model FILE");
            return ExitCode::from(2);
        }
    };
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .map_or("unknown", str::trim);
    println!("{mode}\t{peak}");
    drop(kept);
    ExitCode::SUCCESS
}
