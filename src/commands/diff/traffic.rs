//! `specgate diff --traffic`: recorded exchanges replayed against both
//! documents. For each change, how many recorded exchanges of its
//! operation touch it (send the parameter, carry the property, get the
//! status), and which exchanges conform to the old document and fail the
//! new one.
//!
//! The join lives in the binary because only the binary sees both sides:
//! `specgate-diff` reads two models and nothing else, the validator reads
//! exchanges. The result is `specgate-diff`'s [`Replay`], which its reports
//! write.

use serde_json::Value;
use specgate_diff::traffic::{ChangeTraffic, Replay, ITEMS};
use specgate_diff::{Change, Target};
use specgate_spec::{Document, Operation, ParameterLocation};
use specgate_validator::input::Record;
use specgate_validator::{header, Exchange, Matched, Validator};

/// At most this many exchanges are named per change (and overall); the
/// counts go on.
const NAMED: usize = 1000;

/// Replays records against both documents.
pub fn replay(
    old: &Document,
    new: &Document,
    changes: &[Change],
    scope: &[url::Url],
    records: impl Iterator<Item = Record>,
) -> Result<Replay, specgate_validator::Error> {
    let old_validator = Validator::new(old)?.scope(scope.to_vec());
    let new_validator = Validator::new(new)?.scope(scope.to_vec());
    let mut replay = Replay {
        changes: vec![ChangeTraffic::default(); changes.len()],
        ..Replay::default()
    };
    for record in records {
        replay.records += 1;
        let Record::Exchange(exchange) = record else {
            continue;
        };
        // The old document's reading gives the operation too; the clone is
        // the record `check_record` takes by value.
        let old_checked = old_validator.check_record(Record::Exchange(exchange.clone()));
        // Sent outside `--base-url`: not replayed.
        if old_checked.operation == Matched::Skipped {
            continue;
        }
        replay.exchanges += 1;
        let new_findings = new_validator.check(&exchange);
        let conforms_old = !old_checked.findings.iter().any(|f| f.error);
        let fails_new = new_findings.iter().any(|f| f.error);
        let name = format!("{}#{}", exchange.source, exchange.entry);
        if conforms_old {
            replay.conform_old += 1;
            if fails_new {
                replay.broken_total += 1;
                if replay.broken.len() < NAMED {
                    replay.broken.push(name.clone());
                }
            }
        }
        let Matched::Operation(operation_id) = old_checked.operation else {
            continue;
        };
        let Some(operation) = old.operation(&operation_id) else {
            continue;
        };
        let mut bodies = Bodies::default();
        for (change, traffic) in changes.iter().zip(&mut replay.changes) {
            let routed = match &change.old_operation_id {
                Some(id) => *id == operation_id,
                None => {
                    !change.webhook && change.old_path.as_deref() == Some(operation.path.as_str())
                }
            };
            if !routed {
                continue;
            }
            traffic.routed += 1;
            if !touches(&change.target, operation, &exchange, &mut bodies) {
                continue;
            }
            traffic.touched += 1;
            if conforms_old && fails_new && traffic.broken.len() < NAMED {
                traffic.broken.push(name.clone());
            }
        }
    }
    Ok(replay)
}

/// An exchange's bodies, parsed when a change first needs them.
#[derive(Default)]
struct Bodies {
    request: Option<Option<Value>>,
    response: Option<Option<Value>>,
}

fn parse(body: Option<&Vec<u8>>) -> Option<Value> {
    serde_json::from_slice(body?).ok()
}

/// Whether an exchange touches what a change concerns.
fn touches(
    target: &Target,
    operation: &Operation,
    exchange: &Exchange,
    bodies: &mut Bodies,
) -> bool {
    let answered_under = |status| {
        operation
            .response_for(exchange.response.status)
            .is_some_and(|(key, _)| *key == status)
    };
    match target {
        Target::Operation => true,
        Target::Parameter { location, name } => match location {
            ParameterLocation::Path => true,
            ParameterLocation::Header => header(&exchange.request.headers, name).is_some(),
            ParameterLocation::Query => query_has(&exchange.request.url, name),
            ParameterLocation::Cookie => {
                header(&exchange.request.headers, "cookie").is_some_and(|cookies| {
                    cookies
                        .split(';')
                        .any(|c| c.trim().split('=').next() == Some(name.as_str()))
                })
            }
        },
        Target::RequestBody { at } => {
            let body = bodies
                .request
                .get_or_insert_with(|| parse(exchange.request.body.as_ref()));
            match body {
                Some(value) => has_path(value, at),
                None => {
                    at.is_empty()
                        && exchange
                            .request
                            .body
                            .as_ref()
                            .is_some_and(|b| !b.is_empty())
                }
            }
        }
        Target::ResponseBody { status, at } => {
            if !answered_under(*status) {
                return false;
            }
            let body = bodies
                .response
                .get_or_insert_with(|| parse(exchange.response.body.as_ref()));
            body.as_ref().is_some_and(|value| has_path(value, at))
        }
        Target::Status(status) => answered_under(*status),
        Target::ResponseHeader { status, name } => {
            answered_under(*status) && header(&exchange.response.headers, name).is_some()
        }
    }
}

/// Whether a query string names a parameter (`name`, `name=`, `name[]=`,
/// `name[key]=`).
fn query_has(url: &str, name: &str) -> bool {
    let Some((_, query)) = url.split_once('?') else {
        return false;
    };
    let query = query.split('#').next().unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes()).any(|(key, _)| {
        key == name
            || key
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('['))
    })
}

/// Whether a value has something at an instance path ([`ITEMS`] for any
/// item of an array).
fn has_path(value: &Value, at: &[String]) -> bool {
    let Some((first, rest)) = at.split_first() else {
        return true;
    };
    if first == ITEMS {
        return value
            .as_array()
            .is_some_and(|items| items.iter().any(|item| has_path(item, rest)));
    }
    match value {
        Value::Object(members) => members
            .get(first.as_str())
            .is_some_and(|member| has_path(member, rest)),
        // A member of what an array holds, as the schema's `items` say.
        Value::Array(items) => items.iter().any(|item| has_path(item, at)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_reach_through_arrays() {
        let body = json!({"data": {"payload": [{"id": 1}, {"id": 2, "muted": true}]}});
        let at = |path: &[&str]| path.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(has_path(&body, &at(&["data", "payload", "[]", "muted"])));
        assert!(!has_path(&body, &at(&["data", "payload", "[]", "labels"])));
        assert!(has_path(&body, &at(&[])));
    }

    #[test]
    fn query_names_with_brackets() {
        assert!(query_has("/a?labels[]=x&page=2", "labels"));
        assert!(query_has("https://h/a?q=1", "q"));
        assert!(!query_has("/a?qq=1", "q"));
        assert!(!query_has("/a", "q"));
    }
}
