//! Secrets never leave the validator: `Authorization`, cookies, and the
//! API keys the document's security schemes name (Chatwoot's
//! `api_access_token`) are replaced before anything is reported.

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

    /// Whether a header carries a secret.
    pub fn is_secret_header(&self, name: &str) -> bool {
        self.headers.contains(&name.to_ascii_lowercase())
    }

    /// Whether a query parameter carries a secret.
    pub fn is_secret_query(&self, name: &str) -> bool {
        self.query.contains(&name.to_ascii_lowercase())
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
