//! A body against the documented `content`: which media type it falls
//! under (or that none documents it), read as that type says (JSON, a
//! form, multipart), walked for drift and checked against its schema.

use indexmap::IndexMap;
use serde_json::Value;
use specgate_spec::{select_media, BodyKind, MediaRange, MediaType};

use super::{Findings, Validator};
use crate::drift;
use crate::finding::{Finding, Kind, Place};
use crate::form;
use crate::schemas::{Part, SlotKey};

/// At most this many drift findings are reported per body; past it, one
/// finding counts the rest (a body of a million undocumented members says
/// one thing a million times).
const MAX_DRIFT_PER_BODY: usize = 50;

/// The documented entry a body falls under, or the finding that says why
/// none does. A body sent without a `Content-Type` is reported (the
/// document describes a type; the server did not say which it sent), and
/// is still read as the one type documented, when there is one.
pub(super) fn documented_media<'c>(
    content: &'c IndexMap<String, MediaType>,
    content_type: Option<&str>,
    place: Place,
    base: &Finding,
    findings: &mut Findings,
) -> Option<(&'c String, &'c MediaType)> {
    let received = content_type.map(MediaRange::parse);
    let found = select_media(content, |m| &m.range, received.as_ref());
    if found.is_none() || content_type.is_none() {
        let documented: Vec<Value> = content.keys().map(|k| Value::String(k.clone())).collect();
        let message = match content_type {
            Some(content_type) => {
                format!("the {place}'s media type {content_type} is not documented")
            }
            None => format!(
                "the {place} has no Content-Type; the document describes {}",
                content
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        findings.push(Finding {
            kind: Kind::UndocumentedMediaType,
            place: Some(place),
            found: content_type.map(|c| Value::String(c.to_owned())),
            expected: Some(documented.into()),
            message,
            ..base.clone()
        });
    }
    found
}

/// A body where the document describes none (a `DELETE` whose `200` has
/// no `content` answering `{"success": true}`): contract drift a gate must
/// see.
pub(super) fn undescribed_body(
    body: &[u8],
    content_type: Option<&str>,
    place: Place,
    base: &Finding,
) -> Finding {
    let what = match content_type {
        Some(content_type) => format!("a {content_type} body"),
        None => "a body without a Content-Type".to_owned(),
    };
    Finding {
        kind: Kind::UndocumentedMediaType,
        found: content_type.map(|c| Value::String(c.to_owned())),
        expected: Some(Value::Array(Vec::new())),
        message: format!(
            "the document describes no {place}, yet {what} of {} bytes was sent",
            body.len()
        ),
        place: Some(place),
        ..base.clone()
    }
}

/// A body that cannot be read: malformed, for that record alone.
pub(super) fn unreadable_body(base: &Finding, place: Place, message: String) -> Finding {
    Finding {
        kind: Kind::Malformed,
        place: Some(place),
        message,
        ..base.clone()
    }
}

impl<'d> Validator<'d> {
    /// A request or response body (which one `key` says), read as its
    /// received `Content-Type` says (else as the documented type): JSON,
    /// a form, or multipart. Other types have no JSON reading and are not
    /// checked.
    pub(super) fn check_body(
        &self,
        body: &[u8],
        content_type: Option<&str>,
        media: &'d MediaType,
        key: &SlotKey,
        base: &Finding,
        findings: &mut Findings,
    ) {
        let place = match &key.part {
            Part::RequestBody(_) => Place::RequestBody,
            Part::ResponseBody(..) => Place::ResponseBody,
            Part::Parameter(..) | Part::ResponseHeader(..) => return,
        };
        let Some(schema) = media.schema.as_ref() else {
            return;
        };
        let received = content_type.map(MediaRange::parse);
        let range = received.as_ref().unwrap_or(&media.range);
        // A documented `*/*` says nothing of the body; what was received
        // does. Without either, JSON is what JSON APIs mean.
        let kind = match range.body_kind() {
            BodyKind::Binary if range.is_any() => BodyKind::Json,
            kind => kind,
        };
        let value: Value = match kind {
            BodyKind::Form => form::urlencoded(self.document, &schema.value, body),
            BodyKind::Multipart => {
                let content_type = content_type
                    .unwrap_or(media.range.essence().as_str())
                    .to_owned();
                match form::multipart(self.document, &schema.value, &content_type, body) {
                    Ok(value) => value,
                    Err(reason) => {
                        findings.push(unreadable_body(
                            base,
                            place.clone(),
                            format!("the {place}: {reason}"),
                        ));
                        return;
                    }
                }
            }
            BodyKind::Json => match crate::json::parse(body) {
                Ok(value) => value,
                Err(err) => {
                    findings.push(unreadable_body(
                        base,
                        place.clone(),
                        format!(
                            "the {place} claims {} and is not JSON (line {}, column {}): {err}",
                            range.essence(),
                            err.line(),
                            err.column()
                        ),
                    ));
                    return;
                }
            },
            BodyKind::Text | BodyKind::Binary => return,
        };
        self.check_value(&value, body.len(), schema, key, place, base, findings);
    }

    /// A body's value: drift (undocumented members, and members the
    /// direction excludes), then its schema.
    #[allow(clippy::too_many_arguments)]
    fn check_value(
        &self,
        value: &Value,
        size: usize,
        schema: &'d specgate_spec::Schema,
        key: &SlotKey,
        place: Place,
        base: &Finding,
        findings: &mut Findings,
    ) {
        let (excluded, direction) = match place {
            Place::ResponseBody => ("writeOnly", "response"),
            _ => ("readOnly", "request"),
        };
        let seen = drift::Seen {
            source: &base.source,
            entry: base.entry,
            place: &place,
        };
        let found = drift::walk_body(
            self.document,
            &self.summaries,
            &schema.value,
            &schema.origin,
            value,
            excluded,
            findings.observed().map(|observed| (observed, &seen)),
        );
        let mut undocumented = 0;
        for drift in found {
            let pointer = drift.pointer;
            let name =
                specgate_spec::pointer::unescape(pointer.rsplit('/').next().unwrap_or_default())
                    .into_owned();
            let keyword = match &drift.found {
                drift::Found::Excluded(keyword) => Some(keyword.to_string()),
                drift::Found::Undocumented => None,
            };
            let (kind, error, message) = match drift.found {
                drift::Found::Undocumented => {
                    undocumented += 1;
                    if undocumented > MAX_DRIFT_PER_BODY {
                        continue;
                    }
                    (
                        Kind::Drift,
                        self.strict,
                        format!("`{name}` is not in the document (allowed, yet undocumented)"),
                    )
                }
                drift::Found::Excluded(keyword) => (
                    Kind::Violation,
                    true,
                    format!("`{name}` is `{keyword}`, so it is not sent in a {direction}"),
                ),
            };
            findings.push(Finding {
                kind,
                error,
                place: Some(place.clone()),
                schema: Some(self.schema_location(&drift.schema)),
                found: value.pointer(&pointer).map(super::violations::truncate),
                expected: (kind == Kind::Violation).then(|| Value::String(format!("no `{name}`"))),
                message,
                pointer: Some(pointer),
                member: Some(name.clone()),
                keyword,
                ..base.clone()
            });
        }
        if undocumented > MAX_DRIFT_PER_BODY {
            findings.push(Finding {
                kind: Kind::Drift,
                error: self.strict,
                place: Some(place.clone()),
                pointer: Some(String::new()),
                message: format!(
                    "and {} more undocumented members in this {place}, not listed one by one",
                    undocumented - MAX_DRIFT_PER_BODY
                ),
                ..base.clone()
            });
        }
        self.violations(key, value, size, &place, base, findings);
    }
}
