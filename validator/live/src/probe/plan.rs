//! Which requests a probe sends: the operations chosen (GET and HEAD by
//! default), each with its required parameters filled (from `--param`,
//! else the document's examples and defaults) and its optional ones when
//! `--param` gives them, and its body (`body.rs`), or the reason it cannot
//! be called.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;
use serde_json::Value;
use specgate_spec::{Document, Method, Operation, ParameterLocation};

use super::{body, values};

/// What a probe is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Headers sent with every request (credentials among them).
    pub headers: Vec<(String, String)>,
    /// The names of headers whose values came from the environment:
    /// credentials, never printed, whatever their name.
    pub secret_headers: Vec<String>,
    /// Parameter values by name; a name given twice is an array.
    pub params: Vec<(String, String)>,
    /// Only these operations (any method); empty: every GET and HEAD.
    pub operations: Vec<String>,
    /// Never these.
    pub exclude: Vec<String>,
    /// Request bodies by operationId (`--body`), before the document's
    /// examples.
    pub bodies: Vec<(String, Vec<u8>)>,
}

/// One request to send.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    pub operation: String,
    pub method: String,
    /// Absolute.
    pub url: String,
    pub headers: Vec<(String, String)>,
    #[serde(skip)]
    pub body: Option<Vec<u8>>,
}

/// An operation that was chosen but cannot be called, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotCallable {
    pub operation: String,
    pub method: String,
    pub path: String,
    pub reason: String,
}

/// The requests, and the operations left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub calls: Vec<Call>,
    pub not_callable: Vec<NotCallable>,
}

/// Characters escaped in a path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Characters escaped in a query name or value.
const QUERY: &AsciiSet = &SEGMENT.add(b'&').add(b'=').add(b'+').add(b'[').add(b']');

/// The plan for `document` against `base_url`, or the error of an
/// operation named that the document does not have.
pub fn plan(
    document: &Document,
    base_url: &url::Url,
    selection: &Selection,
) -> Result<Plan, String> {
    let bodies = selection.bodies.iter().map(|(id, _)| id);
    for id in selection
        .operations
        .iter()
        .chain(&selection.exclude)
        .chain(bodies)
    {
        if document.operation(id).is_none() {
            return Err(format!(
                "the document has no operation `{id}` (`specgate inspect --operations` lists them)"
            ));
        }
    }
    let chosen = document.operations.iter().filter(|operation| {
        let named = if selection.operations.is_empty() {
            matches!(operation.method, Method::Get | Method::Head)
        } else {
            selection.operations.contains(&operation.operation_id)
        };
        named && !selection.exclude.contains(&operation.operation_id)
    });
    let chosen: Vec<&Operation> = chosen.collect();
    // A body for an operation that is not called is a mistake the user
    // would not see: a POST is never called unless named.
    for (id, _) in &selection.bodies {
        if !chosen.iter().any(|o| o.operation_id == *id) {
            return Err(format!(
                "--body {id}: that operation is not called (name it with --operation {id})"
            ));
        }
    }
    let base = base_url.as_str().trim_end_matches('/');
    let mut plan = Plan::default();
    for operation in chosen {
        match call(document, base, operation, selection) {
            Ok(call) => plan.calls.push(call),
            Err(reason) => plan.not_callable.push(NotCallable {
                operation: operation.operation_id.clone(),
                method: operation.method.as_str().to_owned(),
                path: operation.path.clone(),
                reason,
            }),
        }
    }
    Ok(plan)
}

fn call(
    document: &Document,
    base: &str,
    operation: &Operation,
    selection: &Selection,
) -> Result<Call, String> {
    let mut path = operation.path.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers = selection.headers.clone();
    let mut cookies: Vec<String> = Vec::new();
    for parameter in &operation.parameters {
        let given: Vec<&str> = selection
            .params
            .iter()
            .filter(|(name, _)| match parameter.location {
                ParameterLocation::Header => name.eq_ignore_ascii_case(&parameter.name),
                _ => *name == parameter.name,
            })
            .map(|(_, value)| value.as_str())
            .collect();
        let value = match given.as_slice() {
            // Optional parameters are sent only when given: the
            // server's own defaults are what a plain call shows.
            [] if parameter.required => values::documented(document, parameter),
            [] => None,
            [one] => Some(Value::String((*one).to_owned())),
            many => Some(Value::Array(
                many.iter()
                    .map(|v| Value::String((*v).to_owned()))
                    .collect(),
            )),
        };
        let Some(value) = value else {
            if parameter.required {
                return Err(format!(
                    "no value for the required {} parameter `{}`: the document gives no example or default; pass --param {}=VALUE",
                    parameter.location.as_str(),
                    parameter.name,
                    parameter.name
                ));
            }
            continue;
        };
        match parameter.location {
            ParameterLocation::Path => {
                let text = values::simple(&value);
                let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
                path = path.replace(&format!("{{{}}}", parameter.name), &encoded);
            }
            ParameterLocation::Query => query.extend(values::query_pairs(parameter, &value)),
            ParameterLocation::Header => {
                if !headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(&parameter.name))
                {
                    headers.push((parameter.name.clone(), values::simple(&value)));
                }
            }
            ParameterLocation::Cookie => {
                cookies.push(format!("{}={}", parameter.name, values::simple(&value)));
            }
        }
    }
    if !cookies.is_empty() {
        headers.push(("Cookie".into(), cookies.join("; ")));
    }
    let mut url = format!("{base}{path}");
    if !query.is_empty() {
        let pairs: Vec<String> = query
            .iter()
            .map(|(name, value)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(name, QUERY),
                    utf8_percent_encode(value, QUERY)
                )
            })
            .collect();
        url = format!("{url}?{}", pairs.join("&"));
    }
    let given = selection
        .bodies
        .iter()
        .find(|(id, _)| *id == operation.operation_id)
        .map(|(_, bytes)| bytes.as_slice());
    let body = match body::request_body(document, operation, given)? {
        Some((media, bytes)) => {
            if !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            {
                headers.push(("Content-Type".into(), media));
            }
            Some(bytes)
        }
        None => None,
    };
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
    {
        if let Some(accept) = accept(operation) {
            headers.push(("Accept".into(), accept));
        }
    }
    Ok(Call {
        operation: operation.operation_id.clone(),
        method: operation.method.as_str().to_owned(),
        url,
        headers,
        body,
    })
}

/// The media types the operation's responses document, for `Accept`.
fn accept(operation: &Operation) -> Option<String> {
    let mut types: Vec<&str> = Vec::new();
    for response in operation.responses.values() {
        for media in response.content.keys() {
            if !types.contains(&media.as_str()) {
                types.push(media);
            }
        }
    }
    (!types.is_empty()).then(|| types.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chatwoot() -> Document {
        specgate_spec::chatwoot().expect("embedded")
    }

    fn base() -> url::Url {
        url::Url::parse("http://127.0.0.1:4010/").expect("a URL")
    }

    #[test]
    fn every_get_is_planned_or_named_with_the_parameter_it_lacks() {
        let document = chatwoot();
        let plan = plan(&document, &base(), &Selection::default()).expect("a plan");
        let gets = document
            .operations
            .iter()
            .filter(|o| matches!(o.method, Method::Get | Method::Head))
            .count();
        assert_eq!(plan.calls.len() + plan.not_callable.len(), gets);
        let list = plan
            .not_callable
            .iter()
            .find(|n| n.operation == "conversationList")
            .expect("account_id has no example");
        assert!(
            list.reason.contains("--param account_id=VALUE"),
            "{}",
            list.reason
        );
    }

    #[test]
    fn params_fill_path_and_query_and_repeat_into_arrays() {
        let document = chatwoot();
        let selection = Selection {
            params: vec![
                ("account_id".into(), "7".into()),
                ("labels".into(), "billing".into()),
                ("labels".into(), "a b&c".into()),
            ],
            headers: vec![("api_access_token".into(), "secret".into())],
            operations: vec!["conversationList".into()],
            ..Selection::default()
        };
        let plan = plan(&document, &base(), &selection).expect("a plan");
        assert!(plan.not_callable.is_empty(), "{:?}", plan.not_callable);
        let [call] = plan.calls.as_slice() else {
            panic!("one call: {:?}", plan.calls);
        };
        assert!(
            call.url
                .starts_with("http://127.0.0.1:4010/api/v1/accounts/7/conversations?"),
            "{}",
            call.url
        );
        assert!(
            call.url.contains("labels=billing&labels=a%20b%26c"),
            "{}",
            call.url
        );
        assert!(call
            .headers
            .iter()
            .any(|(n, v)| n == "Accept" && v.contains("json")));
    }

    #[test]
    fn unknown_operations_are_an_error() {
        let selection = Selection {
            exclude: vec!["no-such-operation".into()],
            ..Selection::default()
        };
        let err = plan(&chatwoot(), &base(), &selection).expect_err("unknown id");
        assert!(err.contains("no-such-operation"), "{err}");
    }
}
