//! Validation throughput on 10,000 realistic list-conversations responses
//! (about 60 KB each), next to the floor of parsing the same bytes with
//! serde_json (the JSON Lines record, then its body): responses per second
//! and MB/s on one core and on all cores.
//! Run: `cargo bench -p specgate-validator --bench throughput`.

#[path = "../examples/recordings.rs"]
mod recordings;

use std::time::Instant;

use serde_json::Value;
use specgate_validator::input::Lines;
use specgate_validator::{check_all, Validator};

const RESPONSES: usize = 10_000;

fn main() {
    let lines = recordings::lines(RESPONSES);
    let text = lines.join("\n") + "\n";
    let megabytes = text.len() as f64 / 1e6;
    println!(
        "{RESPONSES} responses, {megabytes:.0} MB ({:.1} KB each)",
        text.len() as f64 / RESPONSES as f64 / 1e3
    );

    let started = Instant::now();
    let mut members = 0;
    for line in &lines {
        let record: Value = serde_json::from_str(line).unwrap_or_default();
        let body = record["response"]["body"].as_str().unwrap_or_default();
        let body: Value = serde_json::from_str(body).unwrap_or_default();
        members += body.as_object().map_or(0, |o| o.len());
    }
    let floor = started.elapsed().as_secs_f64();
    assert_eq!(members, RESPONSES);
    report("serde_json floor, 1 core", floor, megabytes, None);

    let document = specgate_spec::chatwoot().unwrap_or_else(|err| fail(&err.to_string()));
    let validator = Validator::new(&document).unwrap_or_else(|err| fail(&err.to_string()));
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for threads in [1, cores] {
        let started = Instant::now();
        let report_ = check_all(
            &validator,
            Lines::new("bench", text.as_bytes()),
            threads,
            |_| {},
        );
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(report_.summary.records, RESPONSES);
        assert_eq!(report_.summary.errors, 0, "the bodies conform");
        report(
            &format!("specgate validate, {threads} thread(s)"),
            seconds,
            megabytes,
            Some(floor),
        );
    }
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

fn report(what: &str, seconds: f64, megabytes: f64, floor: Option<f64>) {
    let ratio = floor
        .map(|f| format!(", {:.2}x the floor's speed", f / seconds))
        .unwrap_or_default();
    println!(
        "{what:40} {seconds:7.2} s  {:8.0} responses/s  {:6.1} MB/s{ratio}",
        RESPONSES as f64 / seconds,
        megabytes / seconds
    );
}
