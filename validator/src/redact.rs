//! Secrets never leave the validator: `Authorization`, cookies, the API
//! keys the document's security schemes name (Chatwoot's
//! `api_access_token`), and any header, query parameter or form field
//! whose name means a credential (`X-Auth-Token`, `password`,
//! `X-Amz-Signature`) are replaced before anything is reported.

use std::collections::HashSet;

use specgate_spec::{Document, ParameterLocation, SecuritySchemeKind};

/// What replaces a secret.
pub const REDACTED: &str = "REDACTED";

/// The names of secret headers and query parameters, lower-cased.
#[derive(Debug, Clone)]
pub struct Redactor {
    headers: HashSet<String>,
    query: HashSet<String>,
}

impl Redactor {
    /// Every header and query name it redacts, as `header NAME` and
    /// `query NAME`, in no particular order.
    pub fn names(&self) -> Vec<String> {
        let headers = self.headers.iter().map(|name| format!("header {name}"));
        let query = self.query.iter().map(|name| format!("query {name}"));
        headers.chain(query).collect()
    }

    pub fn new(document: &Document) -> Self {
        let mut headers: HashSet<String> = [
            "authorization",
            "proxy-authorization",
            "cookie",
            "set-cookie",
            "x-api-key",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let mut query = HashSet::new();
        // An API key is a secret wherever a client puts it: Chatwoot's
        // header `api_access_token` sometimes travels in the query.
        for scheme in document.security_schemes.values() {
            if let SecuritySchemeKind::ApiKey { name, location } = &scheme.kind {
                let name = name.to_ascii_lowercase();
                if *location != ParameterLocation::Cookie {
                    headers.insert(name.clone());
                    query.insert(name);
                }
            }
        }
        query.extend(["access_token", "api_key", "apikey", "token"].map(str::to_owned));
        Redactor { headers, query }
    }

    /// Also treats these names as secrets, in headers, queries and forms.
    pub fn with_names(mut self, names: &[String]) -> Self {
        for name in names {
            let name = name.to_ascii_lowercase();
            self.headers.insert(name.clone());
            self.query.insert(name);
        }
        self
    }

    /// Whether a header carries a secret: by name (the document's own
    /// API keys among them) or by shape.
    pub fn is_secret_header(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.headers.contains(&name) || looks_secret(&name)
    }

    /// Whether a query parameter (or a form field) carries a secret: by
    /// name or by shape.
    pub fn is_secret_query(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.query.contains(&name) || looks_secret(&name)
    }

    /// Whether a query parameter is one a credential travels in by name
    /// (the document's API keys, `access_token`): sent, it is no drift.
    pub fn is_credential_query(&self, name: &str) -> bool {
        self.query.contains(&name.to_ascii_lowercase())
    }

    /// A form body (`application/x-www-form-urlencoded`) with the values of
    /// secret fields replaced; `None` when nothing was.
    pub fn form(&self, body: &str) -> Option<String> {
        let mut changed = false;
        let pairs: Vec<String> = body
            .split('&')
            .map(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                let decoded = percent_encoding::percent_decode_str(&name.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned();
                if pair.contains('=') && self.is_secret_query(&decoded) {
                    changed = true;
                    format!("{name}={REDACTED}")
                } else {
                    pair.to_owned()
                }
            })
            .collect();
        changed.then(|| pairs.join("&"))
    }

    /// A URL or path with the values of secret query parameters replaced.
    pub fn url(&self, url: &str) -> String {
        let Some((base, query)) = url.split_once('?') else {
            return url.to_owned();
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                if self.is_secret_query(&decoded) {
                    format!("{name}={REDACTED}")
                } else {
                    pair.to_owned()
                }
            })
            .collect();
        format!("{base}?{}", pairs.join("&"))
    }
}

/// Whether a name (lower-cased) means a credential, whatever the document
/// calls it: tokens, secrets, passwords, keys, sessions, signatures.
fn looks_secret(name: &str) -> bool {
    const PARTS: [&str; 8] = [
        "token",
        "secret",
        "password",
        "passwd",
        "key",
        "session",
        "signature",
        "credential",
    ];
    const WHOLE: [&str; 3] = ["sig", "pwd", "auth"];
    PARTS.iter().any(|part| name.contains(part)) || WHOLE.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_mean_a_credential_are_secret_by_shape() {
        for name in [
            "X-Auth-Token",
            "password",
            "client_secret",
            "X-Amz-Signature",
            "sig",
            "sessionid",
            "X-Api-Key",
            "refresh_token",
        ] {
            assert!(looks_secret(&name.to_ascii_lowercase()), "{name}");
        }
        for name in ["page", "content-type", "accept", "status", "q", "labels"] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn form_fields_are_redacted_by_name() {
        let redactor = Redactor::new(&specgate_spec::chatwoot().unwrap());
        assert_eq!(
            redactor
                .form("user=ann&password=hunter2&remember=1")
                .as_deref(),
            Some("user=ann&password=REDACTED&remember=1")
        );
        assert_eq!(redactor.form("user=ann"), None);
    }
}
