//! A response: its status among the documented ones, its documented
//! headers, and its body against the documented `content`.

use serde_json::Value;
use specgate_spec::{Operation, ResponseKey};

use super::body::{documented_media, undescribed_body, unreadable_body};
use super::{Findings, Validator};
use crate::encoding;
use crate::exchange::{header, Request, Response};
use crate::finding::{Finding, Kind, Place};
use crate::observe::{BodyCounts, BodyKey, Gap, Shape, Sighting};
use crate::params;
use crate::schemas::{Part, SlotKey};

impl<'d> Validator<'d> {
    /// Checks the response; true when it documents a body the record does
    /// not have.
    pub(super) fn check_answer(
        &self,
        request: &Request,
        response: &Response,
        operation: &'d Operation,
        base: &Finding,
        findings: &mut Findings,
    ) -> bool {
        let status = response.status;
        let gap = |gap, media: Option<&str>| BodyKey {
            gap,
            method: request.method.to_ascii_uppercase(),
            path: operation.path.clone(),
            path_documented: true,
            operation: Some(operation.operation_id.clone()),
            status,
            media: media.map(|m| specgate_spec::MediaRange::parse(m).essence()),
        };
        let Some((key, documented)) = operation.response_for(status) else {
            self.observe_body(gap(Gap::Status, None), None, response, base, findings);
            findings.push(Finding {
                kind: Kind::UndocumentedStatus,
                found: Some(status.into()),
                expected: Some(
                    operation
                        .responses
                        .keys()
                        .map(|k| k.to_string())
                        .collect::<Vec<_>>()
                        .into(),
                ),
                message: format!("the operation documents no response for status {status}"),
                ..base.clone()
            });
            return false;
        };
        self.check_response_headers(response, operation, *key, documented, base, findings);
        let may_have_body = may_have_body(&request.method, status);
        let documents_body =
            documented.content.values().any(|m| m.schema.is_some()) && may_have_body;
        let sent_empty =
            header(&response.headers, "content-length").is_some_and(|length| length.trim() == "0");
        let body = match response.body.as_deref() {
            Some(body) => body,
            None if sent_empty => &[],
            None => return documents_body,
        };
        let content_type = header(&response.headers, "content-type");
        if body.is_empty() {
            if documents_body {
                findings.push(Finding {
                    kind: Kind::Violation,
                    place: Some(Place::ResponseBody),
                    expected: Some(
                        documented
                            .content
                            .keys()
                            .map(|m| Value::String(m.clone()))
                            .collect::<Vec<_>>()
                            .into(),
                    ),
                    message: "the response has no body; the document describes one".into(),
                    ..base.clone()
                });
            }
            return false;
        }
        if documented.content.is_empty() {
            if may_have_body {
                self.observe_body(gap(Gap::MediaType, None), None, response, base, findings);
                findings.push(undescribed_body(
                    body,
                    content_type,
                    Place::ResponseBody,
                    base,
                ));
            }
            return false;
        }
        let Some((media_type, media)) = documented_media(
            &documented.content,
            content_type,
            Place::ResponseBody,
            base,
            findings,
        ) else {
            self.observe_body(gap(Gap::MediaType, None), None, response, base, findings);
            return false;
        };
        let body = match encoding::decoded(&response.headers, body) {
            Ok(body) => body,
            Err(reason) => {
                findings.push(unreadable_body(base, Place::ResponseBody, reason));
                return false;
            }
        };
        let key = SlotKey {
            operation: operation.operation_id.clone(),
            part: Part::ResponseBody(*key, media_type.clone()),
        };
        self.check_body(&body, content_type, media, &key, base, findings);
        false
    }

    /// Counts a response the document does not describe (its operation,
    /// status or media type), with the shape of its body when that is
    /// JSON, and for an undocumented operation its request body's: what a
    /// suggested response or operation is built from.
    pub(super) fn observe_body(
        &self,
        mut key: BodyKey,
        request: Option<&Request>,
        response: &Response,
        base: &Finding,
        findings: &mut Findings,
    ) {
        let Some(observed) = findings.observed() else {
            return;
        };
        let content_type = header(&response.headers, "content-type");
        let shape = response
            .body
            .as_deref()
            .filter(|body| !body.is_empty() && may_have_body(&key.method, response.status))
            .and_then(|body| json_shape(&response.headers, body));
        if response.body.as_deref().is_some_and(|b| !b.is_empty()) {
            key.media = content_type.map(|m| specgate_spec::MediaRange::parse(m).essence());
        }
        let request_body = request.and_then(|request| {
            let body = request.body.as_deref().filter(|b| !b.is_empty())?;
            let media = header(&request.headers, "content-type")?;
            let shape = json_shape(&request.headers, body)?;
            Some((specgate_spec::MediaRange::parse(media).essence(), shape))
        });
        let counts = BodyCounts {
            seen: 1,
            shape,
            request_body,
            first: Sighting {
                source: base.source.clone(),
                entry: base.entry,
                place: Place::ResponseBody,
                pointer: String::new(),
            },
            request: base.request.clone(),
        };
        observed.add_body(key, counts);
    }

    /// Documented response headers: a required one must be sent, and a
    /// sent one must match its schema (typed like a `simple` parameter).
    fn check_response_headers(
        &self,
        response: &Response,
        operation: &Operation,
        key: ResponseKey,
        documented: &specgate_spec::Response,
        base: &Finding,
        findings: &mut Findings,
    ) {
        for (name, header_doc) in &documented.headers {
            // `Content-Type` is described by the media types, not here.
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let place = Place::ResponseHeader(name.clone());
            let Some(text) = header(&response.headers, name) else {
                if header_doc.required {
                    findings.push(Finding {
                        kind: Kind::Violation,
                        place: Some(place),
                        message: format!("the required response header `{name}` is missing"),
                        ..base.clone()
                    });
                }
                continue;
            };
            let Some(schema) = &header_doc.schema else {
                continue;
            };
            let slot = SlotKey {
                operation: operation.operation_id.clone(),
                part: Part::ResponseHeader(key, name.clone()),
            };
            let value = params::header(self.document, &schema.value, text);
            self.violations(&slot, &value, text.len(), &place, base, findings);
        }
    }
}

/// The shape of a body that reads as JSON (decoded as its
/// `Content-Encoding` says), whatever its media type claims.
fn json_shape(headers: &[(String, String)], body: &[u8]) -> Option<Shape> {
    let body = encoding::decoded(headers, body).ok()?;
    let value = crate::json::parse(&body).ok()?;
    Some(Shape::of(&value))
}

/// Whether HTTP lets this response have a body: not for `HEAD`, nor for
/// 1xx, 204, 205 and 304 (Chatwoot's 204 that declares one gets none).
fn may_have_body(method: &str, status: u16) -> bool {
    !method.eq_ignore_ascii_case("HEAD") && !matches!(status, 100..=199 | 204 | 205 | 304)
}

#[cfg(test)]
mod tests {
    use super::may_have_body;

    #[test]
    fn http_gives_some_responses_no_body() {
        assert!(may_have_body("GET", 200));
        assert!(!may_have_body("head", 200));
        for status in [101, 204, 205, 304] {
            assert!(!may_have_body("GET", status), "{status}");
        }
    }
}
