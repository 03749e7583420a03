//! The registry of checks: every kind of change `diff` reports, once, with
//! its stable id, its level, the direction of the traffic it concerns, a
//! one-line description and an example. Ids are kebab-case and never
//! renamed once released: users' ignore files name them.

use serde::Serialize;

/// How much a change matters to the clients of the old document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; breaks nothing.
    Info,
    /// May break some clients, or breaks them only in some uses.
    Warning,
    /// Breaks clients written against the old document.
    Breaking,
}

impl Level {
    /// The level's name, as options and reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }

    /// Parses `breaking`, `warning` or `info`.
    pub fn parse(name: &str) -> Option<Level> {
        match name {
            "breaking" => Some(Level::Breaking),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            _ => None,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which traffic a change concerns: what the client sends (which may
/// widen without harm), what it receives (which may not), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// What the client sends.
    Request,
    /// What the client receives.
    Response,
    /// The operation as a whole.
    Both,
}

impl Direction {
    /// The direction's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::Both => "both",
        }
    }
}

/// One check of the registry.
#[derive(Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Check {
    /// The stable kebab-case id.
    pub id: &'static str,
    /// Its level, unless an ignore file overrides it.
    pub level: Level,
    /// The traffic it concerns.
    pub direction: Direction,
    /// What it finds, in one line.
    pub description: &'static str,
    /// A change it reports, in a few words.
    pub example: &'static str,
}

macro_rules! registry {
    ($($name:ident: $id:literal, $level:ident, $direction:ident, $description:literal, $example:literal;)*) => {
        $(
            #[doc = $description]
            pub const $name: &Check = &Check {
                id: $id,
                level: Level::$level,
                direction: Direction::$direction,
                description: $description,
                example: $example,
            };
        )*
        /// Every check, in the order the documentation lists them.
        pub const ALL: &[&Check] = &[$($name),*];
    };
}

registry! {
    // Paths and operations.
    PATH_REMOVED: "path-removed", Breaking, Both,
        "A path and every operation on it were removed.",
        "`/pets/{id}` is gone";
    DEPRECATED_PATH_REMOVED: "deprecated-path-removed", Info, Both,
        "A path whose operations were all deprecated was removed.",
        "`/v1/legacy`, deprecated, is gone";
    OPERATION_REMOVED: "operation-removed", Breaking, Both,
        "An operation was removed while its path stays.",
        "`DELETE /pets/{id}` is gone, `GET /pets/{id}` stays";
    DEPRECATED_OPERATION_REMOVED: "deprecated-operation-removed", Info, Both,
        "An operation that was deprecated was removed.",
        "`GET /pets/search`, deprecated, is gone";
    PATH_ADDED: "path-added", Info, Both,
        "A new path.",
        "`/pets/{id}/photos` is new";
    OPERATION_ADDED: "operation-added", Info, Both,
        "A new operation on a path that existed.",
        "`PATCH /pets/{id}` is new";
    PATH_TRAILING_SLASH_CHANGED: "path-trailing-slash-changed", Warning, Both,
        "A path changed only by its trailing slash: servers that route the two spellings apart answer the old one with 404.",
        "`/inboxes/` is now `/inboxes`";
    OPERATION_PATH_CHANGED: "operation-path-changed", Breaking, Both,
        "An operation (the same operationId) moved to another path.",
        "`getPet` moved from `/pet/{id}` to `/pets/{id}`";
    PATH_PARAMETER_RENAMED: "path-parameter-renamed", Info, Request,
        "A path parameter was renamed: the same path, a new name for generated code.",
        "`/accounts/{id}` is now `/accounts/{account_id}`";
    OPERATION_ID_CHANGED: "operation-id-changed", Warning, Both,
        "An operation's operationId changed: generated clients rename its method.",
        "`listPets` is now `pets_list`";
    OPERATION_DEPRECATED: "operation-deprecated", Info, Both,
        "An operation was marked deprecated.",
        "`GET /pets/search` is deprecated";

    // Parameters.
    REQUIRED_PARAMETER_ADDED: "required-parameter-added", Breaking, Request,
        "A new required parameter: old clients do not send it.",
        "query `tenant`, required, is new";
    OPTIONAL_PARAMETER_ADDED: "optional-parameter-added", Info, Request,
        "A new optional parameter.",
        "query `page`, optional, is new";
    PARAMETER_REMOVED: "parameter-removed", Warning, Request,
        "A parameter was removed: old clients still send it, and the server may ignore or refuse it.",
        "query `sort` is gone";
    PARAMETER_LOCATION_CHANGED: "parameter-location-changed", Breaking, Request,
        "A parameter moved to another location (query, header, path, cookie).",
        "`api_key` moved from query to header";
    PARAMETER_MADE_REQUIRED: "parameter-made-required", Breaking, Request,
        "An optional parameter became required.",
        "query `status` is now required";
    PARAMETER_MADE_OPTIONAL: "parameter-made-optional", Info, Request,
        "A required parameter became optional.",
        "header `X-Tenant` is now optional";
    PARAMETER_TYPE_CHANGED: "parameter-type-changed", Breaking, Request,
        "A parameter's type changed or no longer accepts what it did.",
        "query `id` was a string, is an integer";
    PARAMETER_TYPE_WIDENED: "parameter-type-widened", Info, Request,
        "A parameter accepts more types than it did.",
        "query `limit` was an integer, is a number";
    PARAMETER_ENUM_NARROWED: "parameter-enum-narrowed", Breaking, Request,
        "A parameter no longer accepts some values of its enum (or gained an enum).",
        "query `status`: `snoozed` is no longer accepted";
    PARAMETER_ENUM_WIDENED: "parameter-enum-widened", Info, Request,
        "A parameter accepts new enum values.",
        "query `status` accepts `all`";
    PARAMETER_CONSTRAINT_TIGHTENED: "parameter-constraint-tightened", Breaking, Request,
        "A parameter's constraint was tightened (maximum, minimum, length, items, pattern).",
        "query `per_page`: maximum 100 is now 50";
    PARAMETER_CONSTRAINT_LOOSENED: "parameter-constraint-loosened", Info, Request,
        "A parameter's constraint was loosened.",
        "query `q`: maxLength 50 is now 200";
    PARAMETER_CONSTRAINT_CHANGED: "parameter-constraint-changed", Warning, Request,
        "A parameter's constraint changed in a way that cannot be rated (two unrelated patterns, an `if` condition, a hint such as `contentMediaType`).",
        "query `code`: pattern `^[A-Z]+$` is now `^[0-9]+$`";
    PARAMETER_FORMAT_CHANGED: "parameter-format-changed", Warning, Request,
        "A parameter's format changed to one that neither covers nor is covered by the old.",
        "query `since`: format date is now date-time";
    PARAMETER_DEFAULT_CHANGED: "parameter-default-changed", Breaking, Request,
        "A parameter's default changed, was added or removed: a client that leaves it out now gets other behaviour.",
        "query `per_page`: default 25 is now 100";
    PARAMETER_STYLE_CHANGED: "parameter-style-changed", Breaking, Request,
        "A parameter is serialized in another style.",
        "query `labels`: form is now pipeDelimited";
    PARAMETER_EXPLODE_CHANGED: "parameter-explode-changed", Breaking, Request,
        "An array or object parameter's explode changed: `a=1&a=2` against `a=1,2`.",
        "query `labels`: explode true is now false";

    // Request bodies.
    REQUEST_BODY_ADDED_REQUIRED: "request-body-added-required", Breaking, Request,
        "A required request body was added to an operation that took none.",
        "`POST /pets/{id}/feed` now requires a body";
    REQUEST_BODY_ADDED: "request-body-added", Info, Request,
        "An optional request body was added.",
        "`POST /pets/{id}/feed` accepts a body";
    REQUEST_BODY_REMOVED: "request-body-removed", Breaking, Request,
        "The request body was removed: old clients still send one, which the server now refuses or ignores.",
        "`POST /pets/{id}/feed` takes no body";
    REQUEST_BODY_MADE_REQUIRED: "request-body-made-required", Breaking, Request,
        "An optional request body became required.",
        "the body of `PATCH /pets/{id}` is now required";
    REQUEST_BODY_MADE_OPTIONAL: "request-body-made-optional", Info, Request,
        "A required request body became optional.",
        "the body of `PATCH /pets/{id}` is now optional";
    REQUEST_MEDIA_TYPE_REMOVED: "request-media-type-removed", Breaking, Request,
        "A request body media type is no longer accepted.",
        "`application/xml` is no longer accepted";
    REQUEST_MEDIA_TYPE_ADDED: "request-media-type-added", Info, Request,
        "A request body media type is accepted that was not.",
        "`multipart/form-data` is accepted";
    REQUEST_REQUIRED_PROPERTY_ADDED: "request-required-property-added", Breaking, Request,
        "A new required property in what the client sends.",
        "`name` is required in the body";
    REQUEST_OPTIONAL_PROPERTY_ADDED: "request-optional-property-added", Info, Request,
        "A new optional property in what the client sends.",
        "`tag`, optional, is new in the body";
    REQUEST_PROPERTY_REMOVED: "request-property-removed", Warning, Request,
        "A property of what the client sends was removed: old clients still send it.",
        "`nickname` is gone from the body";
    REQUEST_PROPERTY_MADE_REQUIRED: "request-property-made-required", Breaking, Request,
        "An optional property of what the client sends became required.",
        "`email` is now required";
    REQUEST_PROPERTY_MADE_OPTIONAL: "request-property-made-optional", Info, Request,
        "A required property of what the client sends became optional.",
        "`email` is now optional";
    REQUEST_PROPERTY_TYPE_CHANGED: "request-property-type-changed", Breaking, Request,
        "What the client sends changed type, or no longer accepts a type (null included).",
        "`age` was a string, is an integer";
    REQUEST_PROPERTY_TYPE_WIDENED: "request-property-type-widened", Info, Request,
        "What the client sends accepts more types (null included).",
        "`age` was an integer, is an integer or a string";
    REQUEST_ENUM_NARROWED: "request-enum-narrowed", Breaking, Request,
        "What the client sends no longer accepts some enum values (or gained an enum).",
        "`status`: `snoozed` is no longer accepted";
    REQUEST_ENUM_WIDENED: "request-enum-widened", Info, Request,
        "What the client sends accepts new enum values.",
        "`status` accepts `archived`";
    REQUEST_CONSTRAINT_TIGHTENED: "request-constraint-tightened", Breaking, Request,
        "A keyword now refuses some of what the client sends (a bound, a pattern, `contains`, `not`, `dependentRequired`, closed properties, a narrower integer format; see the keyword table).",
        "`name`: maxLength 255 is now 100";
    REQUEST_CONSTRAINT_LOOSENED: "request-constraint-loosened", Info, Request,
        "A constraint on what the client sends was loosened.",
        "`name`: maxLength 100 is now 255";
    REQUEST_CONSTRAINT_CHANGED: "request-constraint-changed", Warning, Request,
        "A keyword on what the client sends changed in a way that cannot be rated (two unrelated patterns, an `if` condition, a hint such as `contentMediaType`).",
        "`code`: pattern `^[A-Z]+$` is now `^[0-9]+$`";
    REQUEST_FORMAT_CHANGED: "request-format-changed", Warning, Request,
        "The format of what the client sends changed to one that neither covers nor is covered by the old.",
        "`birthday`: format date is now date-time";
    REQUEST_DEFAULT_CHANGED: "request-default-changed", Warning, Request,
        "The default of a member the client sends changed: a client that leaves it out may get other behaviour.",
        "`notify`: default true is now false";
    REQUEST_SCHEMA_BRANCH_REMOVED: "request-schema-branch-removed", Breaking, Request,
        "A oneOf or anyOf alternative of what the client sends was removed.",
        "the body no longer accepts a `Cat`";
    REQUEST_SCHEMA_BRANCH_ADDED: "request-schema-branch-added", Info, Request,
        "What the client sends accepts a new oneOf or anyOf alternative.",
        "the body accepts a `Bird`";

    // Responses.
    RESPONSE_SUCCESS_STATUS_REMOVED: "response-success-status-removed", Breaking, Response,
        "A success (2XX) response was removed.",
        "`201` is no longer answered";
    RESPONSE_STATUS_REMOVED: "response-status-removed", Info, Response,
        "A non-success response was removed.",
        "`404` is no longer documented";
    RESPONSE_STATUS_ADDED: "response-status-added", Info, Response,
        "A response status is documented that was not.",
        "`429` is documented";
    RESPONSE_MEDIA_TYPE_REMOVED: "response-media-type-removed", Breaking, Response,
        "A response media type is no longer answered.",
        "`200` no longer answers `application/json`";
    RESPONSE_MEDIA_TYPE_ADDED: "response-media-type-added", Info, Response,
        "A response media type is documented that was not.",
        "`200` answers `text/csv` too";
    RESPONSE_REQUIRED_PROPERTY_REMOVED: "response-required-property-removed", Breaking, Response,
        "A required property of what the client receives was removed.",
        "`data.meta.all_count` is gone";
    RESPONSE_OPTIONAL_PROPERTY_REMOVED: "response-optional-property-removed", Warning, Response,
        "An optional property of what the client receives was removed: clients that read it get nothing.",
        "`data.payload[].snoozed_until` is gone";
    RESPONSE_REQUIRED_PROPERTY_ADDED: "response-required-property-added", Info, Response,
        "A new property the client always receives.",
        "`data.meta.archived_count` is new";
    RESPONSE_OPTIONAL_PROPERTY_ADDED: "response-optional-property-added", Info, Response,
        "A new property the client may receive.",
        "`data.payload[].priority` is new";
    RESPONSE_PROPERTY_MADE_OPTIONAL: "response-property-made-optional", Breaking, Response,
        "A property the client always received may now be missing.",
        "`id` is no longer required";
    RESPONSE_PROPERTY_MADE_REQUIRED: "response-property-made-required", Info, Response,
        "A property the client may receive is now always there.",
        "`email` is now required";
    RESPONSE_PROPERTY_MADE_NULLABLE: "response-property-made-nullable", Breaking, Response,
        "What the client receives may now be null.",
        "`assignee` may be null";
    RESPONSE_PROPERTY_TYPE_CHANGED: "response-property-type-changed", Breaking, Response,
        "What the client receives changed type.",
        "`id` was an integer, is a string";
    RESPONSE_TYPE_WIDENED: "response-type-widened", Breaking, Response,
        "What the client receives may have more types than it did.",
        "`id` was an integer, is an integer or a string";
    RESPONSE_TYPE_NARROWED: "response-type-narrowed", Info, Response,
        "What the client receives has fewer types (or is no longer null).",
        "`id` was an integer or a string, is an integer";
    RESPONSE_ENUM_VALUE_ADDED: "response-enum-value-added", Warning, Response,
        "What the client receives has a new enum value: exhaustive clients fail on it.",
        "`status` may be `snoozed`";
    RESPONSE_ENUM_VALUE_REMOVED: "response-enum-value-removed", Info, Response,
        "What the client receives lost an enum value.",
        "`status` is never `pending`";
    RESPONSE_CONST_CHANGED: "response-const-changed", Breaking, Response,
        "The one value the client received (`const`, or an enum of one) is another.",
        "`object`: `conversation` is now `thread`";
    RESPONSE_CONSTRAINT_LOOSENED: "response-constraint-loosened", Breaking, Response,
        "A keyword now admits some of what the client receives that it refused (a bound, a pattern, `not`, open properties, a wider integer format such as `int32` to `int64`): clients that relied on it fail.",
        "`name`: maxLength 100 is now 255";
    RESPONSE_CONSTRAINT_TIGHTENED: "response-constraint-tightened", Info, Response,
        "A constraint on what the client receives was tightened.",
        "`name`: maxLength 255 is now 100";
    RESPONSE_CONSTRAINT_CHANGED: "response-constraint-changed", Warning, Response,
        "A keyword on what the client receives changed in a way that cannot be rated (two unrelated patterns, an `if` condition, a hint such as `contentMediaType`).",
        "`code`: pattern `^[A-Z]+$` is now `^[0-9]+$`";
    RESPONSE_FORMAT_CHANGED: "response-format-changed", Warning, Response,
        "The format of what the client receives changed to one that neither covers nor is covered by the old.",
        "`created_at`: format date-time is now int64";
    RESPONSE_SCHEMA_BRANCH_ADDED: "response-schema-branch-added", Breaking, Response,
        "What the client receives has a new oneOf or anyOf alternative.",
        "the body may be a `Bird`";
    RESPONSE_SCHEMA_BRANCH_REMOVED: "response-schema-branch-removed", Info, Response,
        "What the client receives lost a oneOf or anyOf alternative.",
        "the body is never a `Cat`";
    RESPONSE_HEADER_REMOVED: "response-header-removed", Warning, Response,
        "A documented response header was removed.",
        "`X-RateLimit-Remaining` is gone";

    // Security.
    SECURITY_ADDED: "security-added", Breaking, Request,
        "An operation that needed no authentication now needs it.",
        "`GET /pets` now requires `api_key`";
    SECURITY_REMOVED: "security-removed", Info, Request,
        "An operation no longer needs authentication.",
        "`GET /pets` is open";
    SECURITY_SCHEME_ADDED_TO_REQUIREMENT: "security-scheme-added-to-requirement", Breaking, Request,
        "A requirement needs another scheme too.",
        "`api_key` now also needs `tenant_key`";
    SECURITY_SCOPES_ADDED: "security-scopes-added", Breaking, Request,
        "A requirement needs more OAuth scopes (or roles).",
        "`oauth` needs `pets:write`";
    SECURITY_SCOPES_REMOVED: "security-scopes-removed", Info, Request,
        "A requirement needs fewer scopes.",
        "`oauth` no longer needs `pets:admin`";
    SECURITY_ALTERNATIVE_ADDED: "security-alternative-added", Info, Request,
        "A new way to authenticate, beside the old ones.",
        "`bearer` is accepted besides `api_key`";
    SECURITY_ALTERNATIVE_REMOVED: "security-alternative-removed", Breaking, Request,
        "A way to authenticate is no longer accepted.",
        "`api_key` is no longer accepted, `bearer` is";
    SECURITY_SCHEME_CHANGED: "security-scheme-changed", Breaking, Request,
        "A security scheme an operation uses changed how credentials are sent.",
        "`api_key` moved from the query to a header";

    // Servers.
    SERVER_BASE_PATH_CHANGED: "server-base-path-changed", Breaking, Both,
        "No server of the new document has a base path of the old one: every operation moved.",
        "`/v1` is now `/vwip`";
    SERVER_REMOVED: "server-removed", Warning, Both,
        "A server URL is gone, while its base path is still served elsewhere.",
        "`https://sandbox.example.com/v1` is gone";
    SERVER_ADDED: "server-added", Info, Both,
        "A new server URL.",
        "`https://eu.example.com/v1` is new";

    // Webhooks: the API sends them, so the client's side is the response.
    WEBHOOK_REMOVED: "webhook-removed", Breaking, Response,
        "A webhook is no longer sent.",
        "webhook `conversation_created` is gone";
    WEBHOOK_ADDED: "webhook-added", Info, Response,
        "A new webhook.",
        "webhook `conversation_resolved` is new";
}

/// The check with this id.
pub fn find(id: &str) -> Option<&'static Check> {
    ALL.iter().copied().find(|check| check.id == id)
}

/// The registry as a Markdown table: what `specgate diff --list-checks`
/// prints and `CHECKS.md` holds (a test keeps the two the same).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| Check | Level | Direction | What it finds | Example |\n|---|---|---|---|---|\n",
    );
    for check in ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            check.id,
            check.level,
            check.direction.as_str(),
            check.description,
            check.example
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_described() {
        let mut seen = std::collections::HashSet::new();
        for check in ALL {
            assert!(seen.insert(check.id), "{} twice", check.id);
            assert!(
                check.id.split('-').all(|word| !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{} is not kebab-case",
                check.id
            );
            assert!(check.description.ends_with('.'), "{}", check.id);
            assert!(!check.example.is_empty(), "{}", check.id);
        }
    }

    #[test]
    fn finds_by_id() {
        assert_eq!(find("operation-removed"), Some(OPERATION_REMOVED));
        assert_eq!(find("no-such-check"), None);
    }
}
