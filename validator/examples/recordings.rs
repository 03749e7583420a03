//! Writes realistic list-conversations exchanges as JSON Lines, for the
//! throughput benchmark and the memory script: each response body is a
//! page of conversations (about 60 KB) that conforms to the Chatwoot
//! document. Usage: `cargo run --release -p specgate-validator --example
//! recordings -- COUNT FILE`; a FILE ending in `.har` gets the same
//! exchanges as a HAR 1.2 file.

use std::io::Write;

use serde_json::{json, Value};

/// A recorded page of conversations (the example client's fixture).
const RECORDED: &str = include_str!("../../examples/chatwoot/tests/fixtures/conversations.json");

/// One JSON Lines record per page; `pages` distinct pages, reused.
pub fn lines(count: usize) -> Vec<String> {
    let recorded: Value = serde_json::from_str(RECORDED).unwrap_or_default();
    let items = recorded["data"]["payload"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (0..count.min(64))
        .map(|page| {
            let payload: Vec<Value> = (0..18)
                .map(|i| {
                    let mut item = items[i % items.len().max(1)].clone();
                    item["id"] = json!(page * 100 + i);
                    item["status"] = json!(["open", "resolved", "pending"][i % 3]);
                    item["applied_sla"] = json!({});
                    item["meta"]["assignee"] = json!({"id": 7, "name": "Sam Carter", "email": "sam@example.com"});
                    let message = item["messages"][0].clone();
                    item["messages"] = json!(vec![message; 2]);
                    item
                })
                .collect();
            let body = json!({"data": {"meta": {"mine_count": 3, "unassigned_count": 1, "assigned_count": 17,
                                                 "all_count": 18}, "payload": payload}});
            json!({
                "request": {"method": "GET", "url": format!("https://app.chatwoot.com/api/v1/accounts/3/conversations?page={page}"),
                            "headers": {"api_access_token": "bench-token"}},
                "response": {"status": 200, "headers": {"content-type": "application/json; charset=utf-8"},
                             "body": body.to_string()}
            })
            .to_string()
        })
        .cycle()
        .take(count)
        .collect()
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(count), Some(path)) = (args.get(1).and_then(|c| c.parse().ok()), args.get(2)) else {
        eprintln!("usage: recordings COUNT FILE");
        std::process::exit(2);
    };
    let Ok(file) = std::fs::File::create(path) else {
        eprintln!("{path}: cannot create");
        std::process::exit(2);
    };
    let mut out = std::io::BufWriter::new(file);
    let har = path.ends_with(".har");
    let mut write = |text: &str| {
        if out.write_all(text.as_bytes()).is_err() {
            std::process::exit(2);
        }
    };
    if har {
        write(
            r#"{"log": {"version": "1.2", "creator": {"name": "recordings", "version": "1"}, "entries": ["#,
        );
    }
    // Written in chunks of 64 distinct pages, so memory stays small.
    let mut left: usize = count;
    while left > 0 {
        let chunk = left.min(64);
        for (index, line) in lines(chunk).iter().enumerate() {
            if har {
                if left < count || index > 0 {
                    write(",");
                }
                write(&har_entry(line).to_string());
            } else {
                write(line);
                write("\n");
            }
        }
        left -= chunk;
    }
    if har {
        write("]}}\n");
    }
}

/// A JSON Lines record as a HAR entry.
fn har_entry(line: &str) -> Value {
    let record: Value = serde_json::from_str(line).unwrap_or_default();
    let headers = |value: &Value| -> Vec<Value> {
        value
            .as_object()
            .map(|headers| {
                headers
                    .iter()
                    .map(|(name, value)| json!({"name": name, "value": value}))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (request, response) = (&record["request"], &record["response"]);
    json!({
        "request": {"method": request["method"], "url": request["url"],
                    "headers": headers(&request["headers"])},
        "response": {"status": response["status"], "headers": headers(&response["headers"]),
                     "content": {"mimeType": "application/json", "text": response["body"]}}
    })
}
