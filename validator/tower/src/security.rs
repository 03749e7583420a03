//! Security requirements, checked for presence: the request carries the
//! credential some alternative of the operation's requirements names (the
//! header, query parameter or cookie of an API key; an `Authorization` of
//! the scheme's kind). Whether the credential is valid is the service's
//! business, never the layer's.

use specgate_spec::{Document, ParameterLocation, SecuritySchemeKind};
use specgate_validator::{cookie, header, Finding, Kind, Request};

/// How a missing-credential finding's message starts.
pub(crate) const MISSING: &str = "no credential";

/// A finding when no alternative of the operation's security has all its
/// credentials in the request; `None` when one has (or none is asked).
pub(crate) fn missing_credential(
    document: &Document,
    operation_id: &str,
    request: &Request,
) -> Option<Finding> {
    let operation = document.operation(operation_id)?;
    if operation.security.is_empty() {
        return None;
    }
    let satisfied = operation.security.iter().any(|alternative| {
        alternative
            .schemes
            .keys()
            .all(|scheme| present(document, scheme, request))
    });
    if satisfied {
        return None;
    }
    let wanted: Vec<String> = operation
        .security
        .iter()
        .map(|alternative| {
            alternative
                .schemes
                .keys()
                .map(|scheme| describe(document, scheme))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    Some(Finding {
        source: "<layer>".into(),
        entry: 0,
        kind: Kind::Violation,
        error: true,
        operation: Some(operation_id.to_owned()),
        request: None,
        place: None,
        pointer: None,
        schema: None,
        expected: None,
        found: None,
        keyword: None,
        member: None,
        message: format!("{MISSING} the document asks for: {}", wanted.join(", or ")),
    })
}

/// Whether the request carries the credential of `scheme`. A scheme the
/// document does not define, or one a request cannot show (mutual TLS),
/// is taken as present: the layer refuses only what it knows is missing.
fn present(document: &Document, scheme: &str, request: &Request) -> bool {
    let Some(scheme) = document.security_schemes.get(scheme) else {
        return true;
    };
    let authorization = header(&request.headers, "authorization");
    match &scheme.kind {
        SecuritySchemeKind::ApiKey { name, location } => match location {
            ParameterLocation::Header => header(&request.headers, name).is_some(),
            ParameterLocation::Query => query_has(&request.url, name),
            ParameterLocation::Cookie => cookie(&request.headers, name).is_some(),
            ParameterLocation::Path => true,
        },
        SecuritySchemeKind::Http { scheme, .. } => authorization.is_some_and(|value| {
            value
                .split_whitespace()
                .next()
                .is_some_and(|given| given.eq_ignore_ascii_case(scheme))
        }),
        SecuritySchemeKind::OAuth2 { .. } | SecuritySchemeKind::OpenIdConnect { .. } => {
            authorization.is_some()
        }
        _ => true,
    }
}

/// `api_access_token header`, `bearer authorization`.
fn describe(document: &Document, name: &str) -> String {
    match document.security_schemes.get(name).map(|s| &s.kind) {
        Some(SecuritySchemeKind::ApiKey { name, location }) => {
            format!("{} {}", location.as_str(), name)
        }
        Some(SecuritySchemeKind::Http { scheme, .. }) => format!("{scheme} authorization"),
        _ => format!("the credential of {name}"),
    }
}

fn query_has(url: &str, name: &str) -> bool {
    url.split_once('?').is_some_and(|(_, query)| {
        url::form_urlencoded::parse(query.as_bytes()).any(|(key, _)| key == name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, headers: &[(&str, &str)]) -> Request {
        Request {
            method: "GET".into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: None,
        }
    }

    #[test]
    fn chatwoots_token_header_is_looked_for_not_judged() {
        let Ok(document) = specgate_spec::chatwoot() else {
            return;
        };
        let id = "conversationList";
        let missing = missing_credential(
            &document,
            id,
            &request("/api/v1/accounts/1/conversations", &[]),
        );
        let message = missing.map(|f| f.message).unwrap_or_default();
        assert!(message.starts_with(MISSING), "{message}");
        assert!(message.contains("header api_access_token"), "{message}");
        let given = request(
            "/api/v1/accounts/1/conversations",
            &[("API_ACCESS_TOKEN", "anything at all")],
        );
        assert_eq!(missing_credential(&document, id, &given), None);
    }

    #[test]
    fn query_and_cookie_keys_are_found() {
        assert!(query_has("/a?x=1&api%5Fkey=2", "api_key"));
        assert!(!query_has("/a?x=1", "api_key"));
        let with_cookie = request("/a", &[("Cookie", "a=1; session=abc")]);
        assert!(cookie(&with_cookie.headers, "session").is_some());
        assert!(cookie(&with_cookie.headers, "sess").is_none());
    }
}
