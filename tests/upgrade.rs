//! Swagger 2.0 documents end in the same model as 3.x ones, and messages
//! still name the pointers the user wrote.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use specgate_spec::{
    ParameterLocation, ParameterStyle, ResponseKey, SecuritySchemeKind, SpecVersion,
};

fn upload() -> specgate_spec::Document {
    specgate_spec::load(support::data_dir().join("fixtures/swagger2/upload.yaml")).unwrap()
}

#[test]
fn servers_from_host_base_path_and_schemes() {
    let doc = upload();
    assert_eq!(doc.spec_version, SpecVersion::Swagger2);
    let urls: Vec<_> = doc
        .servers
        .iter()
        .map(|s| (s.url.as_str(), s.base_path.as_str()))
        .collect();
    assert_eq!(
        urls,
        [
            ("https://files.example.com/v2", "/v2"),
            ("http://files.example.com/v2", "/v2")
        ]
    );
}

#[test]
fn form_data_becomes_a_multipart_body() {
    let doc = upload();
    let op = doc.operation("upload").unwrap();
    assert_eq!(op.parameters.len(), 1, "only the header stays a parameter");
    let body = op.request_body.as_ref().unwrap();
    let media = &body.content["multipart/form-data"];
    let schema = &media.schema.as_ref().unwrap().value;
    assert_eq!(
        schema["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(schema["properties"]["tags"]["type"], "array");
    assert_eq!(schema["required"], json!(["file"]));
    // The field's origin is the formData parameter the user wrote.
    let field = media
        .schema
        .as_ref()
        .unwrap()
        .origin
        .child("properties")
        .child("file");
    let location = doc.location(&field);
    assert_eq!(
        location.pointer.as_deref(),
        Some("/paths/~1files/post/parameters/1")
    );
    assert_eq!(location.line, Some(20));

    let created = &op.responses[&ResponseKey::Status(201)];
    assert_eq!(
        created.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .value,
        json!({"$ref": "#/components/schemas/File"})
    );
    assert_eq!(
        created.content["application/json"].example,
        Some(json!({"id": 7, "size": 12}))
    );
    assert_eq!(
        created.headers["Location"].schema.as_ref().unwrap().value,
        json!({"type": "string", "format": "uri"})
    );
}

#[test]
fn collection_formats_become_styles() {
    let doc = upload();
    let op = doc.operation("listFiles").unwrap();
    let ids = op.parameter("ids", ParameterLocation::Query).unwrap();
    assert_eq!((ids.style, ids.explode), (ParameterStyle::Form, false));
    let sizes = op.parameter("sizes", ParameterLocation::Query).unwrap();
    assert_eq!(
        (sizes.style, sizes.explode),
        (ParameterStyle::PipeDelimited, false)
    );
    let limit = op.parameter("limit", ParameterLocation::Query).unwrap();
    assert_eq!(
        limit.schema.as_ref().unwrap().value,
        json!({"type": "integer", "exclusiveMinimum": 0})
    );
}

#[test]
fn body_parameters_and_security() {
    let doc = upload();
    let op = doc.operation("replaceFile").unwrap();
    let body = op.request_body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(
        body.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .value,
        json!({"$ref": "#/components/schemas/File"})
    );
    assert_eq!(op.security[0].schemes.keys().collect::<Vec<_>>(), ["basic"]);
    assert!(
        matches!(&doc.security_schemes["basic"].kind, SecuritySchemeKind::Http { scheme, .. } if scheme == "basic")
    );
    assert_eq!(
        doc.operation("listFiles").unwrap().security[0]
            .schemes
            .keys()
            .collect::<Vec<_>>(),
        ["key"]
    );
}

#[test]
fn definitions_are_normalized_and_located_where_written() {
    let doc = upload();
    let file = doc.schema("File").unwrap();
    assert!(file.is_component);
    assert_eq!(
        file.schema.value["properties"]["size"]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(
        file.schema.value["properties"]["kind"]["enum"],
        json!(["text", "binary", null])
    );
    let location = doc.location(&file.schema.origin);
    assert_eq!(location.pointer.as_deref(), Some("/definitions/File"));
    assert_eq!(location.line, Some(56));
}

/// The headline endpoint reads the same from Chatwoot's Swagger 2.0, 3.0.4
/// and 3.1 documents.
#[test]
fn chatwoot_headline_endpoint_is_the_same_in_every_version() {
    let shape = |doc: &specgate_spec::Document| {
        let op = doc.operation("conversationList").unwrap();
        let params: Vec<_> = op
            .parameters
            .iter()
            .map(|p| (p.name.clone(), p.location, p.required))
            .collect();
        let responses: Vec<_> = op
            .responses
            .iter()
            .map(|(key, response)| {
                let schema = response
                    .content
                    .values()
                    .next()
                    .and_then(|m| m.schema.as_ref());
                (
                    key.to_string(),
                    schema
                        .and_then(|s| s.reference_name())
                        .map(|n| n.into_owned()),
                )
            })
            .collect();
        (op.path.clone(), params, responses, op.security.clone())
    };
    let v2 = support::load_corpus("chatwoot/swagger-3xF-Tech-2.0.json");
    let v30 = support::load_corpus("chatwoot/swagger-3xF-Tech-3.0.4.json");
    let v31 = specgate_spec::chatwoot().unwrap();
    assert_eq!(shape(&v2), shape(&v31));
    assert_eq!(shape(&v30), shape(&v31));
    let labels = |doc: &specgate_spec::Document| {
        doc.operation("conversationList")
            .unwrap()
            .parameter("labels", ParameterLocation::Query)
            .unwrap()
            .schema
            .clone()
            .unwrap()
            .value
    };
    assert_eq!(labels(&v2), labels(&v31));
}
