//! Security schemes and requirements.

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::Extensions;
use crate::provenance::Origin;

/// A way the API authenticates callers.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityScheme {
    /// The key under `components/securitySchemes`.
    pub name: String,
    /// The kind and its settings.
    #[serde(flatten)]
    pub kind: SecuritySchemeKind,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `x-*` extensions.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub extensions: Extensions,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// The kinds of security scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum SecuritySchemeKind {
    /// A key sent in a header, query parameter or cookie (Chatwoot's
    /// `api_access_token` header).
    ApiKey {
        /// The header, parameter or cookie name.
        name: String,
        /// Where it is sent.
        location: crate::model::ParameterLocation,
    },
    /// HTTP authentication: `bearer`, `basic` or another scheme.
    Http {
        /// The scheme name, lower-cased.
        scheme: String,
        /// A hint about the bearer token's format.
        bearer_format: Option<String>,
    },
    /// OAuth 2.0 flows.
    OAuth2 {
        /// The flows, keyed by `implicit`, `password`, `clientCredentials`,
        /// `authorizationCode`, `deviceAuthorization`.
        flows: IndexMap<String, OAuthFlow>,
    },
    /// OpenID Connect discovery.
    OpenIdConnect {
        /// The discovery URL (never fetched).
        url: String,
    },
    /// Mutual TLS.
    MutualTls,
}

/// One OAuth 2.0 flow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct OAuthFlow {
    /// Where users authorize.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    /// Where tokens are obtained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// Where tokens are refreshed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_url: Option<String>,
    /// Scope name to description.
    pub scopes: IndexMap<String, String>,
}

/// One way to satisfy security: every scheme named must be satisfied
/// together. An empty requirement means "no authentication".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SecurityRequirement {
    /// Scheme name to the scopes (or roles) it needs.
    pub schemes: IndexMap<String, Vec<String>>,
}
