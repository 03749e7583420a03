//! What the model holds for the less common parts of OpenAPI: 3.2's QUERY,
//! callbacks, webhooks, extensions, security inheritance, parameter merging,
//! response ranges, server variables, and the warnings about path templates
//! and operation ids.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use specgate_spec::{
    Method, ParameterLocation, ParameterStyle, ResponseKey, SpecVersion, WarningKind,
};

const DOCUMENT: &str = r##"
openapi: 3.2.0
info: {title: Everything, version: 7, x-audience: internal}
servers:
  - url: https://{region}.example.com/{base}
    variables:
      region: {default: eu, enum: [eu, us]}
      base: {default: v1}
security:
  - token: []
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, schema: {type: string}}
      - {name: verbose, in: query, schema: {type: boolean}}
    query:
      operationId: searchItems
      responses: {'200': {description: ok}}
    get:
      operationId: getItem
      deprecated: true
      x-internal: true
      security: []
      parameters:
        - {name: verbose, in: query, required: true, schema: {type: integer}}
        - {name: tags, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: filter, in: query, content: {application/json: {schema: {type: object}}}}
      responses:
        '200': {description: ok}
        2XX: {description: fine}
        default: {description: error}
      callbacks:
        onChange:
          '{$request.query.url}':
            post:
              requestBody:
                content:
                  application/json: {schema: {type: object}}
              responses: {'204': {description: noted}}
  /orders/{orderId:
    get:
      operationId: getItem
      responses: {'200': {description: ok}}
  /users/{userId}:
    get:
      parameters:
        - {name: id, in: path, schema: {type: string}}
      responses: {'200': {description: ok}}
webhooks:
  itemCreated:
    post:
      operationId: itemCreated
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    token: {type: http, scheme: Bearer, bearerFormat: JWT}
"##;

fn document() -> specgate_spec::Document {
    specgate_spec::load_str("everything.yaml", DOCUMENT).unwrap()
}

#[test]
fn version_32_and_its_query_method() {
    let doc = document();
    assert_eq!(doc.spec_version, SpecVersion::OpenApi32);
    let search = doc.operation("searchItems").unwrap();
    assert_eq!(search.method, Method::Query);
    assert_eq!(doc.info.version, "7");
    assert_eq!(doc.info.extensions["x-audience"], json!("internal"));
}

#[test]
fn servers_substitute_variables_in_the_base_path() {
    let doc = document();
    assert_eq!(doc.servers[0].base_path, "/v1");
    assert_eq!(doc.servers[0].variables["region"].allowed, ["eu", "us"]);
}

#[test]
fn parameters_merge_with_the_operation_winning() {
    let doc = document();
    let get = doc.operation("getItem").unwrap();
    let names: Vec<_> = get
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    use ParameterLocation::*;
    assert_eq!(
        names,
        [
            ("id", Path),
            ("verbose", Query),
            ("tags", Query),
            ("X-Trace", Header),
            ("session", Cookie),
            ("filter", Query)
        ]
    );
    let verbose = get.parameter("verbose", Query).unwrap();
    assert!(verbose.required);
    assert_eq!(
        verbose.schema.as_ref().unwrap().value,
        json!({"type": "integer"})
    );
    let tags = get.parameter("tags", Query).unwrap();
    assert_eq!(
        (tags.style, tags.explode),
        (ParameterStyle::PipeDelimited, false)
    );
    let id = get.parameter("id", Path).unwrap();
    assert!(id.required, "path parameters are always required");
    let filter = get.parameter("filter", Query).unwrap();
    assert!(filter.schema.is_none());
    assert_eq!(
        filter.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .value,
        json!({"type": "object"})
    );
}

#[test]
fn security_is_inherited_unless_overridden() {
    let doc = document();
    assert!(
        doc.operation("getItem").unwrap().security.is_empty(),
        "`security: []` turns it off"
    );
    let search = doc.operation("searchItems").unwrap();
    assert_eq!(
        search.security[0].schemes.keys().collect::<Vec<_>>(),
        ["token"]
    );
    match &doc.security_schemes["token"].kind {
        specgate_spec::SecuritySchemeKind::Http {
            scheme,
            bearer_format,
        } => {
            assert_eq!(scheme, "bearer");
            assert_eq!(bearer_format.as_deref(), Some("JWT"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn responses_by_code_range_and_default() {
    let doc = document();
    let get = doc.operation("getItem").unwrap();
    assert_eq!(
        get.responses.keys().copied().collect::<Vec<_>>(),
        [
            ResponseKey::Status(200),
            ResponseKey::Range(2),
            ResponseKey::Default
        ]
    );
    assert_eq!(get.response_for(200).unwrap().1.description, "ok");
    assert_eq!(get.response_for(201).unwrap().1.description, "fine");
    assert_eq!(get.response_for(404).unwrap().1.description, "error");
    assert!(get.deprecated);
    assert_eq!(get.extensions["x-internal"], json!(true));
}

#[test]
fn callbacks_and_webhooks() {
    let doc = document();
    let get = doc.operation("getItem").unwrap();
    let callback = &get.callbacks[0];
    assert_eq!(callback.name, "onChange");
    let op = &callback.operations[0];
    assert_eq!(
        (op.method, op.path.as_str()),
        (Method::Post, "{$request.query.url}")
    );
    assert!(op.request_body.is_some());
    assert_eq!(doc.webhooks.len(), 1);
    assert_eq!(doc.webhooks[0].path, "itemCreated");
    assert_eq!(doc.operation("itemCreated").unwrap().method, Method::Post);
}

#[test]
fn warnings_about_templates_and_ids() {
    let doc = document();
    let kinds: Vec<_> = doc
        .warnings
        .iter()
        .map(|w| (w.kind, w.message.as_str()))
        .collect();
    let has =
        |kind: WarningKind, text: &str| kinds.iter().any(|(k, m)| *k == kind && m.contains(text));
    assert!(has(WarningKind::DuplicateOperationId, "operationId `getItem` is also used by GET /items/{id}; this operation is called `getItem_2`"), "{kinds:#?}");
    assert!(
        has(WarningKind::UnbalancedPathBraces, "`/orders/{orderId`"),
        "{kinds:#?}"
    );
    assert!(
        has(
            WarningKind::UndeclaredPathParameter,
            "`{userId}` in `/users/{userId}`"
        ),
        "{kinds:#?}"
    );
    assert!(
        has(
            WarningKind::UnusedPathParameter,
            "path parameter `id` does not appear in the template `/users/{userId}`"
        ),
        "{kinds:#?}"
    );
    // Ids stay unique for code generation.
    let ids: Vec<_> = doc
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["getItem", "searchItems", "getItem_2", "get_users_userid"]
    );
    // Warnings point at the place, with a line.
    let unbalanced = doc
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::UnbalancedPathBraces)
        .unwrap();
    let location = doc.location(unbalanced.origin.as_ref().unwrap());
    assert_eq!(location.line, Some(42));
}

#[test]
fn paths_that_differ_only_in_parameter_names_are_warned_about() {
    // Found in VTEX's Customer Credit API: two PUTs on one path.
    let doc = specgate_spec::load_str(
        "credit.yaml",
        "openapi: 3.0.0
info: {title: Credit, version: '1'}
paths:
  /accounts/{accountId}:
    put: {operationId: open, responses: {'200': {description: ok}}}
  /accounts/{creditAccountId}:
    put: {operationId: update, responses: {'200': {description: ok}}}
  /accounts/{creditAccountId}/limit:
    put: {operationId: limit, responses: {'200': {description: ok}}}
  /files/{name}.json:
    get: {operationId: json, responses: {'200': {description: ok}}}
  /files/{name}.yaml:
    get: {operationId: yaml, responses: {'200': {description: ok}}}
",
    )
    .unwrap();
    let equivalent: Vec<_> = doc
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::EquivalentPaths)
        .collect();
    assert_eq!(equivalent.len(), 1, "{:#?}", doc.warnings);
    assert!(equivalent[0]
        .message
        .starts_with("`/accounts/{creditAccountId}` differs from `/accounts/{accountId}` only in"));
    let location = doc.location(equivalent[0].origin.as_ref().unwrap());
    assert_eq!(location.line, Some(6));
}

#[test]
fn loading_is_deterministic() {
    let a = serde_json::to_string(&document()).unwrap();
    let b = serde_json::to_string(&document()).unwrap();
    assert_eq!(a, b);
}
