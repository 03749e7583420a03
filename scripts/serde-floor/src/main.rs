//! Reads JSON Lines exchanges and parses each record, then its response
//! body, into `serde_json::Value`: the least any validator of them must do.
//! Prints the number of top-level members of the bodies, so nothing is
//! optimised away. Usage: `serde-floor FILE`.

use std::io::BufRead;

use serde_json::Value;

pub fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: serde-floor FILE");
        std::process::exit(2);
    };
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
