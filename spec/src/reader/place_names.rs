//! Names for schemas the document gives no name to: a `$ref` that reaches
//! inside an operation (bundlers such as APIs.guru's point every copy of a
//! shape at its first place, `#/paths/~1v2~1droplets/get/responses/200/…`)
//! or a titled schema. A name says what the schema is where it sits: the
//! operation and the slot (`droplets_list_response`), a status's meaning
//! for a shared error response (`unauthorized`), the property it is the
//! item of in the singular (`droplet` for `droplets/items`); never the
//! file's name and a method (`digitalocean.com_get_2`).

use std::borrow::Cow;

use serde_json::Value;

use crate::pointer;

/// A schema's `title`, when it reads as a name: a few words, no sentence.
pub(super) fn title(schema: &Value) -> Option<String> {
    let title = schema.get("title")?.as_str()?.trim();
    let words = title.split_whitespace().count();
    let plain = title
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-'));
    (plain && (1..=5).contains(&words) && title.chars().any(char::is_alphabetic))
        .then(|| title.to_owned())
}

/// Names for a schema at `pointer` below `/paths/{path}/{method}`, from
/// the operation's id (`operation_id`) and what it is there, shortest
/// first, each longer one to try when the one before is taken;
/// `parameter` gives a parameter's name by its index, `sole_property` the
/// one property of a schema (an `allOf` part that adds `links`). Empty
/// for places outside operations.
pub(super) fn in_operation(
    pointer: &str,
    operation_id: &dyn Fn(&str, &str) -> String,
    parameter: &dyn Fn(&str, &str, &str) -> Option<String>,
    sole_property: Option<&str>,
) -> Vec<String> {
    match place(pointer, operation_id, parameter, sole_property) {
        Some((operation, short, slot)) => {
            let long = if short == slot {
                format!("{operation}_{short}")
            } else {
                format!("{slot}_{short}")
            };
            // A word that names nothing on its own (`type`, `status`) is
            // only a fallback: the crate would be full of them.
            let mut names = if is_generic(&short) {
                vec![long, short]
            } else {
                vec![short, long]
            };
            names.dedup();
            names
        }
        None => Vec::new(),
    }
}

/// The operation, the short name and the slot's name of a place inside an
/// operation.
fn place(
    pointer: &str,
    operation_id: &dyn Fn(&str, &str) -> String,
    parameter: &dyn Fn(&str, &str, &str) -> Option<String>,
    sole_property: Option<&str>,
) -> Option<(String, String, String)> {
    let tokens: Vec<Cow<str>> = pointer::tokens(pointer).collect();
    let [paths, path, method, rest @ ..] = tokens.as_slice() else {
        return None;
    };
    if paths != "paths" {
        return None;
    }
    let operation = operation_id(path, method);
    let (slot, below) = match rest {
        [responses, code, content, _media, schema, below @ ..]
            if responses == "responses" && content == "content" && schema == "schema" =>
        {
            (response_slot(&operation, code), below)
        }
        [body, content, _media, schema, below @ ..]
            if body == "requestBody" && content == "content" && schema == "schema" =>
        {
            (format!("{operation}_request"), below)
        }
        [parameters, index, schema, below @ ..]
            if parameters == "parameters" && schema == "schema" =>
        {
            let name = parameter(path, method, index)?;
            (format!("{operation}_{name}"), below)
        }
        _ => return None,
    };
    let short = match (place_below(below), sole_property) {
        (Some(place), _) => place,
        // An `allOf` part that adds one member (`links`, `meta`): named
        // after it.
        (None, Some(property)) if !below.is_empty() => property.to_owned(),
        (None, _) if below.is_empty() => slot.clone(),
        // Another part of a composition is not the slot itself: the base
        // an `allOf` builds on, a variant of a `oneOf`.
        (None, _) => {
            let part = below.iter().rev().find_map(|t| match t.as_ref() {
                "allOf" => Some("base"),
                "oneOf" | "anyOf" => Some("variant"),
                _ => None,
            });
            format!("{slot}_{}", part.unwrap_or("part"))
        }
    };
    Some((operation, short, slot))
}

/// The slot of a response: the operation's (`_response`) for a success,
/// what the status means for an error (`unauthorized`), which many
/// operations share.
fn response_slot(operation: &str, code: &str) -> String {
    match reason(code) {
        Some(reason) => reason.to_owned(),
        None if code.starts_with('2') => format!("{operation}_response"),
        None => format!("{operation}_response_{code}"),
    }
}

/// A one-word name that says nothing about what it names.
fn is_generic(name: &str) -> bool {
    const GENERIC: &[&str] = &[
        "type",
        "kind",
        "data",
        "status",
        "state",
        "value",
        "item",
        "result",
        "results",
        "info",
        "details",
        "attributes",
        "properties",
        "object",
        "body",
        "response",
        "request",
    ];
    GENERIC.contains(&name.to_ascii_lowercase().as_str())
}

/// What an error status means, as a name (`401`: `unauthorized`,
/// `default`: `error`); `None` for a success or a status without one.
pub fn reason(code: &str) -> Option<&'static str> {
    Some(match code {
        "400" => "bad_request",
        "401" => "unauthorized",
        "402" => "payment_required",
        "403" => "forbidden",
        "404" => "not_found",
        "405" => "method_not_allowed",
        "406" => "not_acceptable",
        "409" => "conflict",
        "410" => "gone",
        "412" => "precondition_failed",
        "413" => "payload_too_large",
        "415" => "unsupported_media_type",
        "422" => "unprocessable_entity",
        "429" => "too_many_requests",
        "500" => "internal_server_error",
        "501" => "not_implemented",
        "502" => "bad_gateway",
        "503" => "service_unavailable",
        "504" => "gateway_timeout",
        "default" => "error",
        _ => return None,
    })
}

/// The name the properties below a slot give: the last property, its
/// parent's before it (`action_region`), and an array's item named after
/// the array in the singular (`droplets/items` is a `droplet`).
fn place_below(below: &[Cow<str>]) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    let mut iter = below.iter().peekable();
    while let Some(token) = iter.next() {
        match token.as_ref() {
            "properties" | "$defs" | "definitions" | "patternProperties" => {
                if let Some(name) = iter.next() {
                    words.push(name.to_string());
                }
            }
            "items" => match words.pop() {
                Some(plural) => words.push(singular(&plural)),
                None => words.push("item".to_owned()),
            },
            "additionalProperties" => words.push("value".to_owned()),
            // Parts of a composition are the schema they are part of.
            _ => {}
        }
    }
    match words.as_slice() {
        [] => None,
        [only] => Some(only.clone()),
        [.., parent, last] => Some(format!("{parent}_{last}")),
    }
}

/// `droplets` → `droplet`, `policies` → `policy`; a word that is not a
/// plural gets `_item`.
fn singular(plural: &str) -> String {
    singular_of(plural).unwrap_or_else(|| format!("{plural}_item"))
}

/// The singular of an English plural (`droplets` → `droplet`, `Policies`
/// → `Policy`, `addresses` → `address`); `None` for a word that does not
/// look plural (`status`, `data`).
pub fn singular_of(plural: &str) -> Option<String> {
    if let Some(stem) = plural.strip_suffix("ies") {
        return (!stem.is_empty()).then(|| format!("{stem}y"));
    }
    if plural.ends_with("sses") || plural.ends_with("xes") || plural.ends_with("ches") {
        return Some(plural[..plural.len() - 2].to_owned());
    }
    let not_plural = ["ss", "us", "is"].iter().any(|end| plural.ends_with(end));
    match plural.strip_suffix('s') {
        Some(stem) if !not_plural && !stem.is_empty() => Some(stem.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(pointer: &str, sole: Option<&str>) -> Option<String> {
        place(
            pointer,
            &|_, method| format!("things_{method}"),
            &|_, _, index| (index == "0").then(|| "per_page".to_owned()),
            sole,
        )
        .map(|(_, short, _)| short)
    }

    #[test]
    fn places_inside_operations_name_what_they_are() {
        let base = "/paths/~1v2~1droplets/get";
        assert_eq!(
            name(
                &format!("{base}/responses/200/content/application~1json/schema"),
                None
            )
            .as_deref(),
            Some("things_get_response")
        );
        assert_eq!(
            name(
                &format!("{base}/responses/401/content/application~1json/schema"),
                None
            )
            .as_deref(),
            Some("unauthorized")
        );
        assert_eq!(
            name(
                &format!("{base}/responses/200/content/application~1json/schema/allOf/0/properties/droplets/items"),
                None
            )
            .as_deref(),
            Some("droplet")
        );
        assert_eq!(
            name(
                &format!("{base}/responses/200/content/application~1json/schema/allOf/1"),
                Some("links")
            )
            .as_deref(),
            Some("links")
        );
        assert_eq!(
            name(
                &format!("{base}/responses/200/content/a~1b/schema/properties/actions/items/properties/region"),
                None
            )
            .as_deref(),
            Some("action_region")
        );
        assert_eq!(
            name(&format!("{base}/parameters/0/schema"), None).as_deref(),
            Some("things_get_per_page")
        );
        assert_eq!(
            name(&format!("{base}/requestBody/content/a~1b/schema"), None).as_deref(),
            Some("things_get_request")
        );
        assert_eq!(
            name(
                &format!("{base}/requestBody/content/a~1b/schema/allOf/0"),
                None
            )
            .as_deref(),
            Some("things_get_request_base")
        );
        assert_eq!(name("/components/schemas/Pet", None), None);
    }

    #[test]
    fn a_taken_name_gives_way_to_a_longer_place() {
        let names = in_operation(
            "/paths/~1a/get/responses/401/content/a~1b/schema",
            &|_, _| "list_a".to_owned(),
            &|_, _, _| None,
            None,
        );
        assert_eq!(names, ["unauthorized", "list_a_unauthorized"]);
        let names = in_operation(
            "/paths/~1a/get/responses/200/content/a~1b/schema/properties/items/items",
            &|_, _| "list_a".to_owned(),
            &|_, _, _| None,
            None,
        );
        assert_eq!(names, ["list_a_response_item", "item"]);
    }

    #[test]
    fn plurals_become_singular() {
        assert_eq!(singular("droplets"), "droplet");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status_item");
        assert_eq!(singular("data"), "data_item");
    }

    #[test]
    fn titles_that_read_as_names() {
        assert_eq!(
            title(&serde_json::json!({"title": "Payment Method"})).as_deref(),
            Some("Payment Method")
        );
        assert_eq!(
            title(&serde_json::json!({"title": "The payment method, as sent."})),
            None
        );
    }
}
