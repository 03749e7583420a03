//! A request's body against the operation's `requestBody`.

use specgate_spec::Operation;

use super::body::{documented_media, undescribed_body, unreadable_body};
use super::{Findings, Validator};
use crate::encoding;
use crate::exchange::{header, Request};
use crate::finding::{Finding, Place};
use crate::schemas::{Part, SlotKey};

impl<'d> Validator<'d> {
    pub(super) fn check_request_body(
        &self,
        request: &Request,
        operation: &'d Operation,
        base: &Finding,
        findings: &mut Findings,
    ) {
        let Some(body) = request.body.as_deref().filter(|b| !b.is_empty()) else {
            return;
        };
        let content_type = header(&request.headers, "content-type");
        let Some(documented) = operation
            .request_body
            .as_ref()
            .filter(|b| !b.content.is_empty())
        else {
            findings.push(undescribed_body(
                body,
                content_type,
                Place::RequestBody,
                base,
            ));
            return;
        };
        let body = match encoding::decoded(&request.headers, body) {
            Ok(body) => body,
            Err(reason) => {
                findings.push(unreadable_body(base, Place::RequestBody, reason));
                return;
            }
        };
        let Some((media_type, media)) = documented_media(
            &documented.content,
            content_type,
            Place::RequestBody,
            base,
            findings,
        ) else {
            return;
        };
        let key = SlotKey {
            operation: operation.operation_id.clone(),
            part: Part::RequestBody(media_type.clone()),
        };
        self.check_body(&body, content_type, media, &key, base, findings);
    }
}
