//! The least any reader of the input must do, as a floor for specgate's
//! benchmarks: `serde-floor FILE` reads JSON Lines exchanges and parses
//! each record, then its response body, into `serde_json::Value` (what
//! `specgate validate` does more with); `serde-floor --document FILE`
//! parses one JSON document into a `Value` (what `specgate inspect` does
//! more with). Prints a count of members, so nothing is optimised away.

use std::io::BufRead;

use serde_json::Value;

pub fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let document = args.first().is_some_and(|a| a == "--document");
    if document {
        args.remove(0);
    }
    let Some(path) = args.first().cloned() else {
        eprintln!("usage: serde-floor [--document] FILE");
        std::process::exit(2);
    };
    if document {
        let members = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .and_then(|value| value.as_object().map(|o| o.len()))
            .unwrap_or(0);
        println!("{members}");
        return;
    }
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(err) => {
            eprintln!("{path}: {err}");
            std::process::exit(2);
        }
    };
    let mut members = 0usize;
    for line in std::io::BufReader::new(file).split(b'\n') {
        let Ok(line) = line else { break };
        let Ok(record) = serde_json::from_slice::<Value>(&line) else {
            continue;
        };
        let body = record["response"]["body"].as_str().unwrap_or_default();
        if let Ok(body) = serde_json::from_str::<Value>(body) {
            members += body.as_object().map_or(0, |o| o.len());
        }
    }
    println!("{members}");
}
