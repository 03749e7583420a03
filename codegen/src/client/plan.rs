//! What the client does for each operation, decided from the model before
//! any code is written: method and builder names, how each parameter is
//! encoded, which body media types the caller may send, and how each
//! documented response is read.

use specgate_spec::{
    BodyKind as MediaKind, Document, MediaRange, Operation, ParameterLocation, ParameterStyle,
    ResponseKey, SecuritySchemeKind,
};

use crate::naming::{self, Scope};
use crate::types::operations::{
    is_controlled_header, parameter_slot, preferred_media, reads_as_json, request_slot,
    response_slot,
};
use crate::types::{Ty, TypeSpace};

/// A way the client authenticates, from a security scheme.
pub(crate) struct SchemePlan {
    /// The scheme's key in the document.
    pub(crate) name: String,
    /// `UserApiKey`: the variant of the generated `Scheme` enum.
    pub(crate) variant: String,
    /// `user_api_key`: the credential's field.
    pub(crate) field: String,
    pub(crate) kind: Credential,
    pub(crate) doc: Option<String>,
}

pub(crate) enum Credential {
    /// An API key sent in a header, query parameter or cookie.
    ApiKey {
        location: ParameterLocation,
        name: String,
    },
    /// `Authorization: Bearer` (HTTP bearer, OAuth 2.0, OpenID Connect).
    Bearer,
    /// `Authorization: Basic`.
    Basic,
}

pub(crate) struct OperationPlan {
    /// The client method (`conversation_list`).
    pub(crate) method: String,
    /// The builder type (`ConversationList`), also the name of the error
    /// enum in `errors` and of the success enum in `responses`.
    pub(crate) builder: String,
    pub(crate) http_method: &'static str,
    pub(crate) path: String,
    pub(crate) doc: String,
    pub(crate) params: Vec<ParamPlan>,
    pub(crate) body: Option<BodyPlan>,
    /// Alternatives of schemes to satisfy together (indices into the
    /// scheme plans); empty when the operation needs no authentication.
    pub(crate) security: Vec<Vec<usize>>,
    pub(crate) successes: Vec<ResponsePlan>,
    pub(crate) errors: Vec<ResponsePlan>,
    /// The media type asked for in `Accept`: the successes'.
    pub(crate) accept: Option<String>,
    /// `deprecated: true`: the method says so to the compiler.
    pub(crate) deprecated: bool,
}

pub(crate) struct ParamPlan {
    /// As sent (`assignee_type`, `X-Request-Id`).
    pub(crate) name: String,
    /// The Rust name of the argument or setter.
    pub(crate) field: String,
    pub(crate) location: ParameterLocation,
    pub(crate) required: bool,
    /// The value's type, without the `Option` of an optional parameter.
    pub(crate) ty: Ty,
    pub(crate) style: &'static str,
    pub(crate) explode: bool,
    pub(crate) doc: Option<String>,
    pub(crate) deprecated: bool,
}

pub(crate) struct BodyPlan {
    pub(crate) required: bool,
    pub(crate) doc: Option<String>,
    /// The first is the argument (or `body` setter); each other one has a
    /// setter of its own (`body_form`).
    pub(crate) media: Vec<BodyMedia>,
    /// Whether the caller can attach files (`multipart/form-data`).
    pub(crate) multipart: bool,
}

pub(crate) struct BodyMedia {
    pub(crate) media_type: String,
    /// `media_type`, as the model parsed it.
    pub(crate) range: MediaRange,
    pub(crate) encoding: BodyEncoding,
    pub(crate) ty: Ty,
    /// The setter's name for media types after the first.
    pub(crate) setter: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyEncoding {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// How a response is read.
#[derive(Clone, PartialEq)]
pub(crate) enum BodyKind {
    Json(Ty),
    Text,
    Bytes,
    Empty,
}

#[derive(Clone)]
pub(crate) struct ResponsePlan {
    pub(crate) key: ResponseKey,
    pub(crate) variant: String,
    pub(crate) body: BodyKind,
    pub(crate) doc: String,
}

/// Names the client's own methods use, which no operation may take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_http_client",
    "with_base_path",
    "base_url",
    "base_path",
    "execute",
    "credentials",
];

/// The schemes some operation uses (a scheme nothing asks for would be a
/// credential setter that does nothing).
pub(crate) fn schemes(document: &Document) -> Vec<SchemePlan> {
    let mut scope = Scope::new();
    let used = |name: &str| {
        document.operations.iter().any(|op| {
            op.security
                .iter()
                .any(|requirement| requirement.schemes.contains_key(name))
        })
    };
    document
        .security_schemes
        .values()
        .filter(|scheme| used(&scheme.name))
        .filter_map(|scheme| {
            let kind = match &scheme.kind {
                SecuritySchemeKind::ApiKey { name, location } => Credential::ApiKey {
                    location: *location,
                    name: name.clone(),
                },
                SecuritySchemeKind::Http { scheme, .. } if scheme == "basic" => Credential::Basic,
                SecuritySchemeKind::Http { .. }
                | SecuritySchemeKind::OAuth2 { .. }
                | SecuritySchemeKind::OpenIdConnect { .. } => Credential::Bearer,
                // Mutual TLS is configured on the reqwest client.
                _ => return None,
            };
            let field = scope.unique(&naming::field_name(&scheme.name));
            Some(SchemePlan {
                name: scheme.name.clone(),
                variant: naming::type_name(&field),
                field,
                kind,
                doc: scheme.description.clone(),
            })
        })
        .collect()
}

pub(crate) fn operations(
    document: &Document,
    space: &TypeSpace,
    schemes: &[SchemePlan],
) -> Vec<OperationPlan> {
    let mut methods = Scope::new();
    for name in CLIENT_METHODS {
        methods.reserve(name);
    }
    for scheme in schemes {
        methods.reserve(&format!("with_{}", scheme.field));
    }
    let mut builders = Scope::new();
    document
        .operations
        .iter()
        .map(|operation| {
            let method = methods.unique(&naming::field_name(&operation.operation_id));
            let builder = builders.unique(&naming::type_name(&operation.operation_id));
            plan(space, schemes, operation, method, builder)
        })
        .collect()
}

fn plan(
    space: &TypeSpace,
    schemes: &[SchemePlan],
    operation: &Operation,
    method: String,
    builder: String,
) -> OperationPlan {
    let id = &operation.operation_id;
    let slot_ty = |slot: String| space.operation_types.get(&(id.clone(), slot)).cloned();
    // Builder fields: `client` and `body` are the builder's own.
    let mut fields = Scope::new();
    fields.reserve("client");
    fields.reserve("body");
    fields.reserve("send");
    fields.reserve("attach");
    fields.reserve("files");
    fields.reserve("new");
    let mut params: Vec<ParamPlan> = operation
        .parameters
        .iter()
        .filter(|p| !is_controlled_header(p.location, &p.name))
        .filter(|p| {
            p.location != ParameterLocation::Path || operation.template.has_parameter(&p.name)
        })
        .map(|p| {
            let ty = slot_ty(parameter_slot(p)).unwrap_or(Ty::String);
            let ty = match ty {
                Ty::Option(inner) => *inner,
                other => other,
            };
            ParamPlan {
                name: p.name.clone(),
                field: fields.unique(&naming::field_name(&p.name)),
                location: p.location,
                required: p.required || p.location == ParameterLocation::Path,
                ty,
                style: style_name(p.style),
                explode: p.explode,
                doc: p.description.clone(),
                deprecated: p.deprecated,
            }
        })
        .collect();
    // A `{name}` of the template that no parameter declares is still a
    // path parameter the caller must give (the loader warns about it).
    for name in operation.template.parameter_names() {
        let declared = params
            .iter()
            .any(|p| p.location == ParameterLocation::Path && p.name == name);
        if !declared {
            params.push(ParamPlan {
                field: fields.unique(&naming::field_name(name)),
                name: name.to_owned(),
                location: ParameterLocation::Path,
                required: true,
                ty: Ty::String,
                style: "Simple",
                explode: false,
                doc: None,
                deprecated: false,
            });
        }
    }
    // Path parameters first, in template order, then the other required
    // ones: the order of the method's arguments.
    let order = operation.template.parameter_names();
    params.sort_by_key(|p| match p.location {
        ParameterLocation::Path => order.iter().position(|n| *n == p.name).unwrap_or(0),
        _ => order.len() + usize::from(!p.required),
    });

    let body = operation.request_body.as_ref().and_then(|body| {
        let mut media: Vec<BodyMedia> = Vec::new();
        let mut setters = Scope::new();
        for (media_type, content) in &body.content {
            let encoding = body_encoding(&content.range);
            let ty = match (encoding, content.schema.as_ref()) {
                (BodyEncoding::Text, _) => Ty::String,
                (BodyEncoding::Bytes, _) => Ty::Vec(Box::new(Ty::U8)),
                (_, Some(_)) => slot_ty(request_slot(media_type)).unwrap_or(Ty::Value),
                (_, None) => Ty::Value,
            };
            let setter = setters.unique(&format!("body_{}", media_suffix(&content.range)));
            media.push(BodyMedia {
                media_type: media_type.clone(),
                range: content.range.clone(),
                encoding,
                ty,
                setter,
            });
        }
        // JSON first: it is what most callers send.
        media.sort_by_key(|m| m.encoding != BodyEncoding::Json);
        let multipart = media.iter().any(|m| m.encoding == BodyEncoding::Multipart);
        (!media.is_empty()).then(|| BodyPlan {
            required: body.required,
            doc: body.description.clone(),
            media,
            multipart,
        })
    });

    let security = operation
        .security
        .iter()
        .filter_map(|requirement| {
            requirement
                .schemes
                .keys()
                .map(|name| schemes.iter().position(|s| s.name == *name))
                .collect::<Option<Vec<usize>>>()
        })
        .collect();

    let has_success = operation
        .responses
        .keys()
        .any(|k| matches!(k, ResponseKey::Status(200..=299) | ResponseKey::Range(2)));
    let mut successes = Vec::new();
    let mut errors = Vec::new();
    let mut accept = None;
    for (key, response) in &operation.responses {
        let media = preferred_media(&response.content);
        let body = match media {
            None => BodyKind::Empty,
            Some((_, media)) if reads_as_json(&media.range) => {
                let ty = slot_ty(response_slot(*key)).unwrap_or(Ty::Value);
                match (key, ty) {
                    // HTTP gives these statuses no body, yet documents
                    // declare one (Chatwoot's `getInboxAgentBot` 204): the
                    // body is optional, `None` when it is empty.
                    (ResponseKey::Status(204 | 205 | 304), ty @ Ty::Option(_)) => {
                        BodyKind::Json(ty)
                    }
                    (ResponseKey::Status(204 | 205 | 304), ty) => {
                        BodyKind::Json(Ty::Option(Box::new(ty)))
                    }
                    (_, ty) => BodyKind::Json(ty),
                }
            }
            Some((_, media)) if media.range.body_kind() == MediaKind::Text => BodyKind::Text,
            Some(_) => BodyKind::Bytes,
        };
        let success = match key {
            ResponseKey::Status(code) => (200..300).contains(code),
            ResponseKey::Range(class) => *class == 2,
            ResponseKey::Default => !has_success,
        };
        if success && accept.is_none() {
            accept = media.map(|(media_type, _)| media_type.clone());
        }
        let plan = ResponsePlan {
            key: *key,
            variant: variant_for(*key),
            body,
            doc: format!("`{key}`: {}", response.description.trim()),
        };
        match key {
            // With no success documented, `default` describes successes
            // and failures alike.
            ResponseKey::Default if success => {
                errors.push(plan.clone());
                successes.push(plan);
            }
            _ if success => successes.push(plan),
            _ => errors.push(plan),
        }
    }

    OperationPlan {
        method,
        builder,
        http_method: operation.method.as_str(),
        path: operation.path.clone(),
        doc: operation_doc(operation),
        params,
        body,
        security,
        successes,
        errors,
        accept,
        deprecated: operation.deprecated,
    }
}

fn style_name(style: ParameterStyle) -> &'static str {
    match style {
        ParameterStyle::Matrix => "Matrix",
        ParameterStyle::Label => "Label",
        ParameterStyle::Simple => "Simple",
        ParameterStyle::SpaceDelimited => "SpaceDelimited",
        ParameterStyle::PipeDelimited => "PipeDelimited",
        ParameterStyle::DeepObject => "DeepObject",
        ParameterStyle::Form | ParameterStyle::Cookie => "Form",
    }
}

fn body_encoding(range: &MediaRange) -> BodyEncoding {
    if reads_as_json(range) {
        return BodyEncoding::Json;
    }
    match range.body_kind() {
        MediaKind::Json => BodyEncoding::Json,
        MediaKind::Form => BodyEncoding::Form,
        MediaKind::Multipart => BodyEncoding::Multipart,
        MediaKind::Text => BodyEncoding::Text,
        MediaKind::Binary => BodyEncoding::Bytes,
    }
}

/// `json`, `form`, `multipart`, `text_plain`, `octet_stream`: the suffix of
/// a body setter.
fn media_suffix(range: &MediaRange) -> String {
    match body_encoding(range) {
        BodyEncoding::Json if range.main_type() == "application" && range.subtype() == "json" => {
            "json".into()
        }
        BodyEncoding::Form => "form".into(),
        BodyEncoding::Multipart => "multipart".into(),
        _ => naming::field_name(range.subtype()),
    }
}

/// The variant of a response in the error and success enums: the reason
/// phrase (`NotFound`), `ClientError` for `4XX`, `Other` for `default`.
fn variant_for(key: ResponseKey) -> String {
    match key {
        ResponseKey::Status(code) => match reason(code) {
            Some(reason) => reason.to_owned(),
            None => format!("Status{code}"),
        },
        ResponseKey::Range(1) => "Informational".into(),
        ResponseKey::Range(2) => "Success".into(),
        ResponseKey::Range(3) => "Redirection".into(),
        ResponseKey::Range(4) => "ClientError".into(),
        ResponseKey::Range(5) => "ServerError".into(),
        ResponseKey::Range(class) => format!("Status{class}xx"),
        ResponseKey::Default => "Other".into(),
    }
}

fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}

fn operation_doc(operation: &Operation) -> String {
    let mut doc = String::new();
    if let Some(summary) = &operation.summary {
        doc.push_str(summary.trim());
        doc.push_str("\n\n");
    }
    if let Some(description) = &operation.description {
        if operation.summary.as_deref().map(str::trim) != Some(description.trim()) {
            doc.push_str(description.trim());
            doc.push_str("\n\n");
        }
    }
    if operation.deprecated {
        doc.push_str("Deprecated by the API.\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (`{}`)",
        operation.method, operation.path, operation.operation_id
    ));
    doc
}
