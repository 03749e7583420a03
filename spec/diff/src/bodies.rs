//! Request bodies and responses: statuses, media types, headers and the
//! schemas of each. A media type is paired with the same type, else with
//! the same type with other parameters (`; charset=utf-8`), else with the
//! range of the new document that covers it (`application/*`), so a type
//! still accepted under a wider range is not removed.

use indexmap::IndexMap;
use specgate_spec::{select_media, MediaType, Operation, ResponseKey, SchemaPart};

use crate::checks;
use crate::operations::{Context, Place, Sink};
use crate::schema::Side;
use crate::Target;

/// The new document's entry for an old media type.
fn counterpart<'c>(
    new: &'c IndexMap<String, MediaType>,
    old_key: &str,
    old: &MediaType,
) -> Option<(&'c String, &'c MediaType)> {
    new.get_key_value(old_key)
        .or_else(|| {
            new.iter()
                .find(|(_, m)| m.range.essence() == old.range.essence())
        })
        .or_else(|| select_media(new, |m| &m.range, Some(&old.range)))
}

pub(crate) fn request<'a>(
    context: &mut Context<'a>,
    old: &'a Operation,
    new: &'a Operation,
    side: Side,
    sink: &mut Sink<'a>,
) {
    let (old_body, new_body) = match (&old.request_body, &new.request_body) {
        (None, None) => return,
        (None, Some(body)) => {
            let check = if body.required {
                checks::REQUEST_BODY_ADDED_REQUIRED
            } else {
                checks::REQUEST_BODY_ADDED
            };
            let kind = if body.required {
                "a required"
            } else {
                "an optional"
            };
            sink.push(
                check,
                old.origin.clone(),
                body.origin.clone(),
                format!("{kind} request body was added"),
                Target::Operation,
            );
            return;
        }
        (Some(body), None) => {
            sink.push(
                checks::REQUEST_BODY_REMOVED,
                body.origin.clone(),
                new.origin.clone(),
                "the request body was removed".to_owned(),
                Target::RequestBody { at: Vec::new() },
            );
            return;
        }
        (Some(o), Some(n)) => (o, n),
    };
    if !old_body.required && new_body.required {
        sink.push(
            checks::REQUEST_BODY_MADE_REQUIRED,
            old_body.origin.clone(),
            new_body.origin.clone(),
            "the request body is now required".to_owned(),
            Target::Operation,
        );
    } else if old_body.required && !new_body.required {
        sink.push(
            checks::REQUEST_BODY_MADE_OPTIONAL,
            old_body.origin.clone(),
            new_body.origin.clone(),
            "the request body is now optional".to_owned(),
            Target::RequestBody { at: Vec::new() },
        );
    }
    for (key, old_media) in &old_body.content {
        let Some((new_key, new_media)) = counterpart(&new_body.content, key, old_media) else {
            sink.push(
                checks::REQUEST_MEDIA_TYPE_REMOVED,
                old_media.origin.clone(),
                new_body.origin.clone(),
                format!("request body `{key}` is no longer accepted"),
                Target::RequestBody { at: Vec::new() },
            );
            continue;
        };
        if old_media.schema.is_some() || new_media.schema.is_some() {
            let changes = context.media_schemas(side, old_media, new_media);
            let place = Place {
                label: format!("request body {key}"),
                side,
                parameter: false,
                target: Target::RequestBody { at: Vec::new() },
                parts: Some((
                    SchemaPart::RequestBody(key.clone()),
                    SchemaPart::RequestBody(new_key.clone()),
                )),
            };
            sink.schema_changes(&place, changes);
        }
    }
    for (key, new_media) in &new_body.content {
        let covered = old_body
            .content
            .iter()
            .any(|(old_key, m)| old_key == key || m.range.essence() == new_media.range.essence());
        if !covered {
            sink.push(
                checks::REQUEST_MEDIA_TYPE_ADDED,
                old_body.origin.clone(),
                new_media.origin.clone(),
                format!("request body `{key}` is accepted"),
                Target::Operation,
            );
        }
    }
}

/// Whether a response key stands for success: `2XX` or a 2xx code.
fn is_success(key: ResponseKey) -> bool {
    match key {
        ResponseKey::Status(code) => (200..300).contains(&code),
        ResponseKey::Range(class) => class == 2,
        ResponseKey::Default => false,
    }
}

/// The new document's response for an old key: the same key, else for a
/// code, the range or `default` that covers it now.
fn response_counterpart(
    new: &Operation,
    key: ResponseKey,
) -> Option<(&ResponseKey, &specgate_spec::Response)> {
    new.responses.get_key_value(&key).or_else(|| match key {
        ResponseKey::Status(code) => new.response_for(code),
        _ => None,
    })
}

pub(crate) fn responses<'a>(
    context: &mut Context<'a>,
    old: &'a Operation,
    new: &'a Operation,
    side: Side,
    sink: &mut Sink<'a>,
) {
    for (key, old_response) in &old.responses {
        let Some((new_status, new_response)) = response_counterpart(new, *key) else {
            let check = if is_success(*key) {
                checks::RESPONSE_SUCCESS_STATUS_REMOVED
            } else {
                checks::RESPONSE_STATUS_REMOVED
            };
            sink.push(
                check,
                old_response.origin.clone(),
                new.origin.clone(),
                format!("response {key} was removed"),
                Target::Status(*key),
            );
            continue;
        };
        for (name, old_header) in &old_response.headers {
            let new_header = new_response
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, h)| h);
            let Some(new_header) = new_header else {
                sink.push(
                    checks::RESPONSE_HEADER_REMOVED,
                    old_header.origin.clone(),
                    new_response.origin.clone(),
                    format!("response {key} header `{name}` was removed"),
                    Target::ResponseHeader {
                        status: *key,
                        name: name.clone(),
                    },
                );
                continue;
            };
            if let (Some(o), Some(n)) = (&old_header.schema, &new_header.schema) {
                let changes = context.schemas(side, o, n);
                let place = Place {
                    label: format!("response {key} header `{name}`"),
                    side,
                    parameter: false,
                    target: Target::ResponseHeader {
                        status: *key,
                        name: name.clone(),
                    },
                    parts: None,
                };
                sink.schema_changes(&place, changes);
            }
        }
        for (media, old_media) in &old_response.content {
            let Some((new_media_key, new_media)) =
                counterpart(&new_response.content, media, old_media)
            else {
                sink.push(
                    checks::RESPONSE_MEDIA_TYPE_REMOVED,
                    old_media.origin.clone(),
                    new_response.origin.clone(),
                    format!("response {key} no longer answers `{media}`"),
                    Target::Status(*key),
                );
                continue;
            };
            if old_media.schema.is_some() || new_media.schema.is_some() {
                let changes = context.media_schemas(side, old_media, new_media);
                let place = Place {
                    label: format!("response {key} {media}"),
                    side,
                    parameter: false,
                    target: Target::ResponseBody {
                        status: *key,
                        at: Vec::new(),
                    },
                    parts: Some((
                        SchemaPart::ResponseBody(*key, media.clone()),
                        SchemaPart::ResponseBody(*new_status, new_media_key.clone()),
                    )),
                };
                sink.schema_changes(&place, changes);
            }
        }
        for (media, new_media) in &new_response.content {
            let known = old_response.content.iter().any(|(old_key, m)| {
                old_key == media || m.range.essence() == new_media.range.essence()
            });
            if !known {
                sink.push(
                    checks::RESPONSE_MEDIA_TYPE_ADDED,
                    old_response.origin.clone(),
                    new_media.origin.clone(),
                    format!("response {key} answers `{media}`"),
                    Target::Status(*key),
                );
            }
        }
    }
    for (key, new_response) in &new.responses {
        if !old.responses.contains_key(key) {
            sink.push(
                checks::RESPONSE_STATUS_ADDED,
                old.origin.clone(),
                new_response.origin.clone(),
                format!("response {key} is documented"),
                Target::Operation,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_is_2xx() {
        assert!(is_success(ResponseKey::Status(204)));
        assert!(is_success(ResponseKey::Range(2)));
        assert!(!is_success(ResponseKey::Status(404)));
        assert!(!is_success(ResponseKey::Default));
    }
}
