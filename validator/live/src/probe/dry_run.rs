//! `--dry-run`: the requests a probe would send, bodies included, with
//! every secret the redactor knows replaced.

use std::fmt::Write as _;

use serde_json::Value;
use specgate_validator::{Redactor, REDACTED};

use super::Plan;

/// A body longer than this is shown cut, with its length.
const SHOWN_BYTES: usize = 4096;

/// The calls: method, URL, headers and body, secrets redacted (those the
/// redactor knows, and the headers `secret` names).
pub fn dry_run(plan: &Plan, redactor: &Redactor, secret: &[String]) -> String {
    let mut out = String::new();
    for call in &plan.calls {
        let _ = writeln!(
            out,
            "{} {}  ({})",
            call.method,
            redactor.url(&call.url),
            call.operation
        );
        let mut media = None;
        for (name, value) in &call.headers {
            if name.eq_ignore_ascii_case("content-type") {
                media = Some(value.as_str());
            }
            let value = if redactor.is_secret_header(name)
                || secret.iter().any(|s| s.eq_ignore_ascii_case(name))
            {
                REDACTED
            } else {
                value
            };
            let _ = writeln!(out, "  {name}: {value}");
        }
        if let Some(body) = &call.body {
            out.push('\n');
            for line in shown(body, media, redactor).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

/// A body as it would be sent, its secret members or fields redacted.
fn shown(body: &[u8], media: Option<&str>, redactor: &Redactor) -> String {
    let media = media.unwrap_or_default().to_ascii_lowercase();
    let Ok(text) = std::str::from_utf8(body) else {
        return format!("({} bytes of binary body)", body.len());
    };
    let text = if let Ok(mut value) = serde_json::from_str::<Value>(text) {
        redact_json(&mut value, redactor);
        serde_json::to_string_pretty(&value).unwrap_or_default()
    } else if media.starts_with("application/x-www-form-urlencoded") {
        redactor.form(text).unwrap_or_else(|| text.to_owned())
    } else {
        text.to_owned()
    };
    if text.len() <= SHOWN_BYTES {
        return text;
    }
    let mut cut = SHOWN_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}\n… ({} bytes in all)", &text[..cut], text.len())
}

/// Members whose names mean a credential (as form fields and query
/// parameters are judged), at any depth, replaced.
fn redact_json(value: &mut Value, redactor: &Redactor) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if redactor.is_secret_query(name) {
                    *member = Value::String(REDACTED.into());
                } else {
                    redact_json(member, redactor);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| redact_json(item, redactor)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::Call;

    #[test]
    fn bodies_are_shown_with_their_secrets_redacted() {
        let document = specgate_spec::chatwoot().expect("embedded");
        let redactor = Redactor::new(&document);
        let plan = Plan {
            calls: vec![Call {
                operation: "login".into(),
                method: "POST".into(),
                url: "http://127.0.0.1:9/login".into(),
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: Some(br#"{"user": "ada", "password": "hunter2", "ttl": 1800}"#.to_vec()),
            }],
            not_callable: Vec::new(),
        };
        let text = dry_run(&plan, &redactor, &[]);
        assert!(text.contains("\"user\": \"ada\""), "{text}");
        assert!(text.contains("\"ttl\": 1800"), "{text}");
        assert!(text.contains("\"password\": \"REDACTED\""), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}
