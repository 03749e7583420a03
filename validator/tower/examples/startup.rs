//! What a service pays at start-up for the layer, as a whole process for
//! `/usr/bin/time`: `startup load FILE` loads the document alone (the
//! floor); `startup layer FILE` loads it and builds the layer (the
//! validator, and the layer's shared state). `startup parse FILE` prints
//! the time one `serde_json` parse of a body takes (the median of 1,000):
//! the floor of what enforce mode adds per response. Used by
//! `scripts/bench-layer.sh`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(what), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: startup load|layer FILE");
        return ExitCode::from(2);
    };
    if what == "parse" {
        return parse(&path);
    }
    let document = match specgate_spec::load(&path) {
        Ok(document) => document,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    match what.as_str() {
        "load" => println!("{} operations", document.operations.len()),
        "layer" => {
            let validator = match specgate_tower::validator(document) {
                Ok(validator) => validator,
                Err(err) => {
                    eprintln!("{err}");
                    return ExitCode::from(2);
                }
            };
            let layer = specgate_tower::SpecgateLayer::new(validator);
            // The shared state is built when the layer first wraps a
            // service, or asks for its counts.
            println!("{} bytes of metrics text", layer.metrics().len());
        }
        other => {
            eprintln!("usage: startup load|layer FILE (not {other:?})");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The median time of one parse of the file into a `serde_json::Value`.
fn parse(path: &str) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{path}: {err}");
            return ExitCode::from(2);
        }
    };
    let mut times: Vec<std::time::Duration> = (0..1000)
        .map(|_| {
            let started = std::time::Instant::now();
            let value: Result<serde_json::Value, _> = serde_json::from_slice(&bytes);
            std::hint::black_box(value.is_ok());
            started.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "one serde_json parse of {} bytes: {:.3} ms",
        bytes.len(),
        median.as_secs_f64() * 1000.0
    );
    ExitCode::SUCCESS
}
