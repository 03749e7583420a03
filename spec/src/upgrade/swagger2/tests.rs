//! Tests of the parent module.
use serde_json::json;

use super::*;

fn run(doc: Value) -> (Value, PointerMap, Vec<Warning>) {
    let mut moves = PointerMap::default();
    let mut warnings = Vec::new();
    let out = upgrade(doc, &mut moves, &mut warnings);
    (out, moves, warnings)
}

/// A document with one operation, `POST /x`, given its fields.
fn with_operation(operation: Value) -> Value {
    json!({"swagger": "2.0", "info": {"title": "t", "version": "1"},
           "paths": {"/x": {"post": operation}}})
}

fn operation(out: &Value) -> &Value {
    &out["paths"]["/x"]["post"]
}

fn lossy(warnings: &[Warning]) -> usize {
    let lossy = warnings
        .iter()
        .filter(|w| w.kind == WarningKind::LossyUpgrade);
    lossy.count()
}

#[test]
fn writes_version_and_keeps_top_level_fields() {
    let (out, _, _) = run(json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1", "x-logo": {}},
        "tags": [{"name": "a"}], "externalDocs": {"url": "u"}, "x-top": 1,
        "security": [{"key": []}], "paths": {}, "x-ms-paths": {"/a?b": {}}
    }));
    assert_eq!(out["openapi"], "3.0.3");
    assert!(out.get("swagger").is_none());
    for key in [
        "info",
        "tags",
        "externalDocs",
        "x-top",
        "security",
        "paths",
        "x-ms-paths",
    ] {
        assert!(out.get(key).is_some(), "{key} was lost");
    }
    assert_eq!(out["info"]["x-logo"], json!({}));
}

#[test]
fn builds_servers_from_host_base_path_and_schemes() {
    let servers = |doc: Value| run(doc).0.get("servers").cloned();
    let both = servers(json!({"swagger": "2.0", "host": "api.example.com:8080",
        "basePath": "/v1", "schemes": ["http", "https"]}));
    assert_eq!(
        both,
        Some(json!([{"url": "http://api.example.com:8080/v1"},
                    {"url": "https://api.example.com:8080/v1"}]))
    );
    let default_scheme = servers(json!({"swagger": "2.0", "host": "h", "basePath": "/"}));
    assert_eq!(default_scheme, Some(json!([{"url": "https://h"}])));
    let slashes = servers(json!({"swagger": "2.0", "host": "h/", "basePath": "v1/"}));
    assert_eq!(slashes, Some(json!([{"url": "https://h/v1"}])));
    let relative = servers(json!({"swagger": "2.0", "basePath": "/v1", "schemes": ["http"]}));
    assert_eq!(relative, Some(json!([{"url": "/v1"}])));
    assert_eq!(
        servers(json!({"swagger": "2.0", "schemes": ["http"]})),
        None
    );
}

#[test]
fn moves_definitions_and_rewrites_refs() {
    let (out, moves, _) = run(json!({
        "swagger": "2.0",
        "definitions": {
            "Pet": {"type": "object", "properties": {
                "owner": {"$ref": "#/definitions/Person"},
                "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
                "default": {"$ref": "#/definitions/Tag"},
                "extra": {"additionalProperties": {"$ref": "#/definitions/Tag"}},
                "remote": {"$ref": "other.yaml#/definitions/Remote"}
            },
            "allOf": [{"$ref": "#/definitions/Base"}],
            "example": {"$ref": "#/definitions/NotARef"},
            "default": {"$ref": "#/definitions/NotARef"},
            "enum": [{"$ref": "#/definitions/NotARef"}],
            "x-meta": {"$ref": "#/definitions/NotARef"}}
        }
    }));
    let pet = &out["components"]["schemas"]["Pet"];
    let props = &pet["properties"];
    assert_eq!(props["owner"]["$ref"], "#/components/schemas/Person");
    assert_eq!(props["tags"]["items"]["$ref"], "#/components/schemas/Tag");
    assert_eq!(props["default"]["$ref"], "#/components/schemas/Tag");
    assert_eq!(
        props["extra"]["additionalProperties"]["$ref"],
        "#/components/schemas/Tag"
    );
    assert_eq!(props["remote"]["$ref"], "other.yaml#/definitions/Remote");
    assert_eq!(pet["allOf"][0]["$ref"], "#/components/schemas/Base");
    for data in ["example", "default", "x-meta"] {
        assert_eq!(pet[data]["$ref"], "#/definitions/NotARef");
    }
    assert_eq!(pet["enum"][0]["$ref"], "#/definitions/NotARef");
    assert!(out.get("definitions").is_none());
    assert_eq!(
        moves.original("/components/schemas/Pet/properties/owner"),
        "/definitions/Pet/properties/owner"
    );
}

#[test]
fn upgrades_nullable_file_and_discriminator() {
    let (out, _, _) = run(json!({"swagger": "2.0", "definitions": {
        "Pet": {"type": "object", "discriminator": "petType", "x-nullable": true,
                "properties": {"photo": {"type": "file"},
                               "name": {"type": "string", "x-nullable": false}}}
    }}));
    let pet = &out["components"]["schemas"]["Pet"];
    assert_eq!(pet["discriminator"], json!({"propertyName": "petType"}));
    assert_eq!(pet["nullable"], true);
    assert!(pet.get("x-nullable").is_none());
    assert_eq!(
        pet["properties"]["photo"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(pet["properties"]["name"], json!({"type": "string"}));
}

#[test]
fn turns_a_body_parameter_into_a_request_body() {
    let doc = json!({
        "swagger": "2.0", "consumes": ["application/xml"],
        "paths": {
            "/x": {"post": {
                "consumes": ["application/json", "text/plain"],
                "parameters": [
                    {"name": "q", "in": "query", "type": "string"},
                    {"name": "pet", "in": "body", "required": true, "description": "d",
                     "x-ext": 1, "schema": {"$ref": "#/definitions/Pet"}},
                    {"name": "h", "in": "header", "type": "string"}
                ],
                "responses": {"200": {"description": "ok"}}
            },
            "put": {"parameters": [{"name": "b", "in": "body", "schema": {"type": "string"}}]}}
        }
    });
    let (out, moves, _) = run(doc);
    let post = &out["paths"]["/x"]["post"];
    let body = &post["requestBody"];
    let schema = json!({"$ref": "#/components/schemas/Pet"});
    assert_eq!(
        body,
        &json!({"description": "d", "content": {
            "application/json": {"schema": schema},
            "text/plain": {"schema": schema}}, "required": true, "x-ext": 1})
    );
    assert_eq!(post["parameters"].as_array().unwrap().len(), 2);
    assert!(post.get("consumes").is_none());
    let put = &out["paths"]["/x"]["put"];
    assert!(put["requestBody"]["content"]["application/xml"].is_object());
    assert!(put.get("parameters").is_none());

    let base = "/paths/~1x/post";
    assert_eq!(
        moves.original(&format!("{base}/requestBody/content/text~1plain/schema")),
        format!("{base}/parameters/1/schema")
    );
    assert_eq!(
        moves.original(&format!("{base}/requestBody")),
        format!("{base}/parameters/1")
    );
    // The header parameter moved from index 2 to 1.
    assert_eq!(
        moves.original(&format!("{base}/parameters/1/schema")),
        format!("{base}/parameters/2")
    );
    assert_eq!(
        moves.original(&format!("{base}/parameters/1/name")),
        format!("{base}/parameters/2/name")
    );
    assert_eq!(
        moves.original(&format!("{base}/parameters/0/schema/type")),
        format!("{base}/parameters/0/type")
    );
}

#[test]
fn a_body_defaults_to_json() {
    let (out, _, _) = run(with_operation(json!({
        "parameters": [{"name": "b", "in": "body", "schema": {"type": "object"}}]
    })));
    let content = &operation(&out)["requestBody"]["content"];
    assert_eq!(
        content,
        &json!({"application/json": {"schema": {"type": "object"}}})
    );
}

#[test]
fn global_parameters_become_components() {
    let (out, moves, _) = run(json!({
        "swagger": "2.0",
        "parameters": {
            "limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 10},
            "pet": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}},
            "file": {"name": "file", "in": "formData", "type": "file", "required": true}
        },
        "paths": {"/x": {
            "parameters": [{"$ref": "#/parameters/limit"}],
            "post": {"parameters": [{"$ref": "#/parameters/pet"}]},
            "put": {"parameters": [{"$ref": "#/parameters/file"}]}
        }}
    }));
    let components = &out["components"];
    assert_eq!(
        components["parameters"]["limit"],
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}})
    );
    assert!(components["parameters"].get("pet").is_none());
    assert!(components["parameters"].get("file").is_none());
    assert_eq!(
        components["requestBodies"]["pet"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pet"
    );
    let item = &out["paths"]["/x"];
    assert_eq!(
        item["parameters"][0]["$ref"],
        "#/components/parameters/limit"
    );
    assert_eq!(
        item["post"]["requestBody"],
        json!({"$ref": "#/components/requestBodies/pet"})
    );
    assert!(item["post"].get("parameters").is_none());
    let form = &item["put"]["requestBody"]["content"]["multipart/form-data"]["schema"];
    assert_eq!(
        form["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(form["required"], json!(["file"]));

    assert_eq!(
        moves.original("/components/requestBodies/pet"),
        "/parameters/pet"
    );
    assert_eq!(
        moves.original("/components/requestBodies/pet/content/application~1json/schema"),
        "/parameters/pet/schema"
    );
    assert_eq!(
        moves.original("/components/parameters/limit/schema"),
        "/parameters/limit"
    );
    assert_eq!(
        moves.original("/components/parameters/limit/name"),
        "/parameters/limit/name"
    );
    assert_eq!(
        moves.original(
            "/paths/~1x/put/requestBody/content/multipart~1form-data/schema/properties/file"
        ),
        "/parameters/file"
    );
}

#[test]
fn rewrites_refs_into_moved_bodies_and_responses() {
    let refs = Ctx::new(
        &mut Map::new(),
        Some(&json!({"pet": {"in": "body"}, "q": {"in": "query"}})),
    )
    .refs;
    let cases = [
        ("#/parameters/pet", "#/components/requestBodies/pet"),
        (
            "#/parameters/pet/schema",
            "#/components/requestBodies/pet/content/application~1json/schema",
        ),
        ("#/parameters/q", "#/components/parameters/q"),
        ("#/responses/NotFound", "#/components/responses/NotFound"),
        (
            "#/responses/NotFound/schema/items",
            "#/components/responses/NotFound/content/application~1json/schema/items",
        ),
        ("#/definitions/A%20B", "#/components/schemas/A%20B"),
        ("#/securityDefinitions/k", "#/components/securitySchemes/k"),
        ("#/definitions", "#/components/schemas"),
    ];
    for (written, upgraded) in cases {
        assert_eq!(
            refs.rewrite(written).as_deref(),
            Some(upgraded),
            "{written}"
        );
    }
    for unchanged in ["#/paths/~1x", "other.yaml#/definitions/A", "#", "#anchor"] {
        assert_eq!(refs.rewrite(unchanged), None, "{unchanged}");
    }
}

#[test]
fn form_data_becomes_a_form_body() {
    let fields = json!([
        {"name": "id", "in": "path", "type": "string", "required": true},
        {"name": "name", "in": "formData", "type": "string", "required": true,
         "description": "n", "x-ext": true},
        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}},
        {"name": "photo", "in": "formData", "type": "file"}
    ]);
    let (out, moves, _) = run(with_operation(json!({"parameters": fields})));
    let op = operation(&out);
    let content = op["requestBody"]["content"].as_object().unwrap();
    assert_eq!(content.keys().collect::<Vec<_>>(), ["multipart/form-data"]);
    let schema = &content["multipart/form-data"]["schema"];
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["required"], json!(["name"]));
    assert_eq!(
        schema["properties"]["name"],
        json!({"type": "string", "description": "n", "x-ext": true})
    );
    assert_eq!(
        schema["properties"]["photo"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(op["requestBody"]["required"], true);
    assert_eq!(op["parameters"].as_array().unwrap().len(), 1);
    assert_eq!(
        moves.original(
            "/paths/~1x/post/requestBody/content/multipart~1form-data/schema/properties/tags/items"
        ),
        "/paths/~1x/post/parameters/2/items"
    );

    // Without a file or a listed multipart, a form is urlencoded.
    let (out, _, _) = run(with_operation(json!({"parameters": [
        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}},
        {"name": "ids", "in": "formData", "type": "array", "collectionFormat": "multi"}
    ]})));
    let body = &operation(&out)["requestBody"];
    let form = &body["content"]["application/x-www-form-urlencoded"];
    assert!(form["schema"]["properties"]["tags"].is_object());
    assert!(form["schema"].get("required").is_none());
    assert!(body.get("required").is_none());
    // 2.0 arrays are comma-separated unless `multi`.
    assert_eq!(
        form["encoding"],
        json!({"tags": {"style": "form", "explode": false}})
    );

    // Both when consumes lists both.
    let (out, _, _) = run(with_operation(json!({
        "consumes": ["application/x-www-form-urlencoded", "multipart/form-data; charset=utf-8"],
        "parameters": [{"name": "a", "in": "formData", "type": "string"}]
    })));
    let content = operation(&out)["requestBody"]["content"]
        .as_object()
        .unwrap();
    let mut media: Vec<_> = content.keys().collect();
    media.sort();
    assert_eq!(
        media,
        ["application/x-www-form-urlencoded", "multipart/form-data"]
    );
}

#[test]
fn path_item_bodies_move_to_each_operation() {
    let (out, moves, _) = run(json!({"swagger": "2.0", "paths": {"/x": {
        "parameters": [
            {"name": "id", "in": "path", "required": true, "type": "string"},
            {"name": "shared", "in": "body", "schema": {"type": "string"}}
        ],
        "post": {},
        "put": {"parameters": [{"name": "own", "in": "body", "schema": {"type": "integer"}}]}
    }}}));
    let item = &out["paths"]["/x"];
    assert_eq!(item["parameters"].as_array().unwrap().len(), 1);
    let schema =
        |method: &str| item[method]["requestBody"]["content"]["application/json"]["schema"].clone();
    assert_eq!(schema("post"), json!({"type": "string"}));
    assert_eq!(schema("put"), json!({"type": "integer"}));
    assert_eq!(
        moves.original("/paths/~1x/post/requestBody/content/application~1json/schema"),
        "/paths/~1x/parameters/1/schema"
    );
}

#[test]
fn operation_form_fields_override_path_item_ones() {
    let (out, _, _) = run(json!({"swagger": "2.0", "paths": {"/x": {
        "parameters": [{"name": "a", "in": "formData", "type": "string"},
                       {"name": "b", "in": "formData", "type": "string"}],
        "post": {"parameters": [{"name": "a", "in": "formData", "type": "integer"}]}
    }}}));
    let item = &out["paths"]["/x"];
    assert!(item.get("parameters").is_none());
    let form = &item["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
    assert_eq!(
        form["schema"]["properties"],
        json!({"b": {"type": "string"}, "a": {"type": "integer"}})
    );
}

#[test]
fn examples_without_a_schema_still_get_content() {
    let (out, _, _) = run(with_operation(json!({"responses": {
        "200": {"description": "ok", "examples": {"text/plain": "hi"}}
    }})));
    let ok = &operation(&out)["responses"]["200"];
    assert_eq!(
        ok,
        &json!({"description": "ok", "content": {"text/plain": {"example": "hi"}}})
    );
}

#[test]
fn maps_collection_formats_to_styles() {
    let param = |location: &str, format: Option<&str>| {
        let mut param = json!({"name": "p", "in": location, "type": "array",
                               "items": {"type": "string"}});
        if let Some(format) = format {
            param["collectionFormat"] = json!(format);
        }
        let (out, _, warnings) = run(with_operation(json!({"parameters": [param]})));
        let param = operation(&out)["parameters"][0].clone();
        assert!(param.get("collectionFormat").is_none());
        assert_eq!(param["schema"]["type"], "array");
        (
            param.get("style").cloned(),
            param.get("explode").cloned(),
            lossy(&warnings),
        )
    };
    let form = Some(json!("form"));
    assert_eq!(
        param("query", Some("csv")),
        (form.clone(), Some(json!(false)), 0)
    );
    assert_eq!(param("query", None), (form.clone(), Some(json!(false)), 0));
    assert_eq!(param("path", Some("csv")), (Some(json!("simple")), None, 0));
    assert_eq!(param("header", None), (Some(json!("simple")), None, 0));
    assert_eq!(
        param("query", Some("ssv")),
        (Some(json!("spaceDelimited")), Some(json!(false)), 0)
    );
    assert_eq!(
        param("query", Some("pipes")),
        (Some(json!("pipeDelimited")), Some(json!(false)), 0)
    );
    assert_eq!(
        param("query", Some("multi")),
        (form.clone(), Some(json!(true)), 0)
    );
    assert_eq!(param("query", Some("tsv")), (form, Some(json!(false)), 1));
    assert_eq!(
        param("header", Some("pipes")),
        (Some(json!("simple")), None, 1)
    );
}

#[test]
fn moves_parameter_keywords_into_a_schema() {
    let (out, _, _) = run(with_operation(json!({"parameters": [{
        "name": "n", "in": "query", "description": "d", "required": false,
        "allowEmptyValue": true, "x-ext": 1, "x-example": 5, "type": "integer",
        "format": "int32", "default": 1, "minimum": 0, "maximum": 9,
        "exclusiveMinimum": true, "exclusiveMaximum": false, "multipleOf": 1,
        "enum": [1, 2], "x-nullable": true
    }, {
        "name": "s", "in": "path", "type": "string", "minLength": 1, "maxLength": 3,
        "pattern": "^a"
    }, {
        "name": "a", "in": "query", "type": "array", "minItems": 1, "maxItems": 2,
        "uniqueItems": true, "items": {"type": "string", "enum": ["x"]}
    }]})));
    let params = &operation(&out)["parameters"];
    assert_eq!(
        params[0],
        json!({"name": "n", "in": "query", "description": "d", "required": false,
               "allowEmptyValue": true, "x-ext": 1, "x-example": 5, "example": 5,
               "schema": {"type": "integer", "format": "int32", "default": 1,
                          "minimum": 0, "maximum": 9, "exclusiveMinimum": true,
                          "exclusiveMaximum": false, "multipleOf": 1, "enum": [1, 2],
                          "nullable": true}})
    );
    assert_eq!(
        params[1],
        json!({"name": "s", "in": "path", "required": true,
               "schema": {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^a"}})
    );
    assert_eq!(
        params[2]["schema"],
        json!({"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true,
               "items": {"type": "string", "enum": ["x"]}})
    );
}

#[test]
fn converts_responses() {
    let doc = json!({
        "swagger": "2.0", "produces": ["application/xml"],
        "responses": {"NotFound": {"description": "nf", "schema": {"$ref": "#/definitions/Error"}}},
        "paths": {"/x": {
            "get": {
                "produces": ["application/json", "text/csv"],
                "responses": {
                    "200": {
                        "description": "ok", "x-ext": 1,
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                        "examples": {"application/json": [{"id": 1}], "text/html": "<p>"},
                        "headers": {
                            "X-Rate": {"type": "integer", "format": "int32", "description": "r"},
                            "X-List": {"type": "array", "items": {"type": "string"},
                                       "collectionFormat": "csv"}
                        }
                    },
                    "204": {"description": "none"},
                    "404": {"$ref": "#/responses/NotFound"},
                    "x-ext": {"schema": "data"}
                }
            },
            "post": {"responses": {"200": {"description": "file", "schema": {"type": "file"}}}}
        }}
    });
    let (out, moves, _) = run(doc);
    let responses = &out["paths"]["/x"]["get"]["responses"];
    let ok = &responses["200"];
    let schema = json!({"type": "array", "items": {"$ref": "#/components/schemas/Pet"}});
    assert_eq!(
        ok["content"]["application/json"],
        json!({"schema": schema, "example": [{"id": 1}]})
    );
    assert_eq!(ok["content"]["text/csv"], json!({"schema": schema}));
    assert_eq!(ok["content"]["text/html"]["example"], "<p>");
    assert!(ok.get("schema").is_none() && ok.get("examples").is_none());
    assert_eq!(ok["x-ext"], 1);
    assert_eq!(
        ok["headers"]["X-Rate"],
        json!({"description": "r", "schema": {"type": "integer", "format": "int32"}})
    );
    assert_eq!(
        ok["headers"]["X-List"],
        json!({"style": "simple", "schema": {"type": "array", "items": {"type": "string"}}})
    );
    assert_eq!(responses["204"], json!({"description": "none"}));
    assert_eq!(
        responses["404"],
        json!({"$ref": "#/components/responses/NotFound"})
    );
    assert_eq!(responses["x-ext"], json!({"schema": "data"}));
    let file = &out["paths"]["/x"]["post"]["responses"]["200"]["content"]["application/xml"];
    assert_eq!(
        file["schema"],
        json!({"type": "string", "format": "binary"})
    );
    let not_found = &out["components"]["responses"]["NotFound"];
    assert_eq!(
        not_found["content"]["application/xml"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );

    let get = "/paths/~1x/get/responses/200";
    assert_eq!(
        moves.original(&format!("{get}/content/text~1csv/schema/items")),
        format!("{get}/schema/items")
    );
    assert_eq!(
        moves.original(&format!("{get}/content/application~1json/example")),
        format!("{get}/examples/application~1json")
    );
    assert_eq!(
        moves.original(&format!("{get}/headers/X-Rate/schema/format")),
        format!("{get}/headers/X-Rate/format")
    );
    assert_eq!(
        moves.original("/components/responses/NotFound/content/application~1xml/schema"),
        "/responses/NotFound/schema"
    );
    assert_eq!(
        moves.original("/components/responses/NotFound/description"),
        "/responses/NotFound/description"
    );
}

#[test]
fn converts_security_definitions() {
    let (out, moves, warnings) = run(json!({"swagger": "2.0", "securityDefinitions": {
        "basic": {"type": "basic", "description": "b"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a",
                     "scopes": {"read": "r"}},
        "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t"},
        "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t",
                        "scopes": {}},
        "accessCode": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a",
                       "tokenUrl": "https://t", "scopes": {}, "x-ext": 1},
        "odd": {"type": "oauth2", "flow": "device", "tokenUrl": "https://t"}
    }, "security": [{"key": []}]}));
    let schemes = &out["components"]["securitySchemes"];
    assert_eq!(
        schemes["basic"],
        json!({"type": "http", "scheme": "basic", "description": "b"})
    );
    assert_eq!(
        schemes["key"],
        json!({"type": "apiKey", "name": "X-Key", "in": "header"})
    );
    assert_eq!(
        schemes["implicit"],
        json!({"type": "oauth2", "flows": {"implicit": {
            "authorizationUrl": "https://a", "scopes": {"read": "r"}}}})
    );
    assert_eq!(
        schemes["password"]["flows"],
        json!({"password": {"tokenUrl": "https://t", "scopes": {}}})
    );
    assert!(schemes["application"]["flows"]["clientCredentials"]["tokenUrl"].is_string());
    assert_eq!(
        schemes["accessCode"],
        json!({"type": "oauth2", "flows": {"authorizationCode": {
            "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}},
            "x-ext": 1})
    );
    assert!(schemes["odd"]["flows"]["clientCredentials"].is_object());
    assert_eq!(lossy(&warnings), 1);
    assert_eq!(out["security"], json!([{"key": []}]));
    assert!(out.get("securityDefinitions").is_none());
    assert_eq!(
        moves.original("/components/securitySchemes/key/in"),
        "/securityDefinitions/key/in"
    );
}

#[test]
fn keeps_operation_fields() {
    let fields = json!({"operationId": "op", "summary": "s", "description": "d",
        "tags": ["t"], "deprecated": true, "externalDocs": {"url": "u"},
        "security": [{"k": ["a"]}], "x-ext": {"a": 1}, "responses": {}});
    let (out, _, _) = run(with_operation(fields.clone()));
    assert_eq!(operation(&out), &fields);
}

#[test]
fn operation_schemes_become_operation_servers() {
    let doc = json!({"swagger": "2.0", "host": "h", "schemes": ["https"],
        "paths": {"/x": {"get": {"schemes": ["http"]}, "put": {"schemes": ["https"]}}}});
    let (out, _, _) = run(doc);
    assert_eq!(
        out["paths"]["/x"]["get"]["servers"],
        json!([{"url": "http://h"}])
    );
    assert!(out["paths"]["/x"]["put"].get("servers").is_none());
    assert!(out["paths"]["/x"]["put"].get("schemes").is_none());
}

#[test]
fn upgrades_fragments_reached_through_external_refs() {
    let mut warnings = Vec::new();
    let response = json!({"description": "d", "schema": {"$ref": "#/definitions/Pet"}});
    let produces = ["application/json".to_owned(), "text/plain".to_owned()];
    let response = upgrade_response(response, &produces, &mut warnings);
    // The fragment's file keeps its 2.0 layout, so its refs stay.
    assert_eq!(
        response["content"]["text/plain"]["schema"]["$ref"],
        "#/definitions/Pet"
    );
    let param = json!({"name": "p", "in": "query", "type": "array", "items": {"type": "string"},
                       "collectionFormat": "tsv"});
    let param = upgrade_parameter(param, &mut warnings);
    assert_eq!(param["schema"]["type"], "array");
    assert_eq!(param["style"], "form");
    assert_eq!(lossy(&warnings), 1);
    assert_eq!(warnings[0].origin, None);
    let body = json!({"name": "b", "in": "body", "schema": {}});
    assert_eq!(upgrade_parameter(body.clone(), &mut warnings), body);
    assert_eq!(
        upgrade_parameter(json!("junk"), &mut warnings),
        json!("junk")
    );
}

#[test]
fn warnings_point_into_the_upgraded_document() {
    let (_, moves, warnings) = run(with_operation(json!({"parameters": [
        {"name": "b", "in": "body", "schema": {}},
        {"name": "t", "in": "query", "type": "array", "collectionFormat": "tsv"}
    ]})));
    let origin = warnings[0].origin.as_ref().unwrap();
    assert_eq!(origin.pointer, "/paths/~1x/post/parameters/0");
    assert_eq!(
        moves.original(&origin.pointer),
        "/paths/~1x/post/parameters/1"
    );
}

#[test]
fn survives_malformed_documents() {
    let junk = [
        json!(null),
        json!("swagger"),
        json!([1, 2]),
        json!({"swagger": "2.0", "paths": [], "definitions": "x", "parameters": [1],
               "responses": 3, "securityDefinitions": {"a": 1, "b": {"type": "oauth2"}},
               "host": 5, "basePath": ["x"], "schemes": "http", "consumes": {}, "produces": 1}),
        json!({"swagger": "2.0", "parameters": {"a": "x", "b": {"in": "body"}}, "paths": {
            "/a": "x", "/b": {"parameters": "x", "get": "x", "put": {"parameters": {}}},
            "/c": {"parameters": ["x", 1, null, {"in": "body"}, {"in": "body"},
                                  {"in": "formData"}, {"$ref": 5}, {"$ref": "#/parameters/b"}],
                   "post": {"parameters": [{"in": "formData", "name": 1, "type": "file"},
                                           {"in": "query", "type": "array",
                                            "collectionFormat": 7, "items": 3}],
                            "responses": {"200": "x", "201": {"schema": 1, "examples": 2,
                                                              "headers": {"a": 1, "b": {"items": []}}},
                                          "202": {"headers": "x"}},
                            "consumes": "multipart/form-data", "produces": [1, "a/b"]},
                   "get": {"responses": [], "parameters": [{"in": "path"}]}},
            "x-ext": [1]}}),
        json!({"swagger": "2.0", "definitions": {"A": {"properties": [1], "items": [1, {}],
               "allOf": {}, "discriminator": 1, "x-nullable": "yes", "type": ["file"],
               "additionalProperties": true}}}),
    ];
    for doc in junk {
        let _ = run(doc);
    }
    let (out, _, warnings) = run(json!({"swagger": "2.0", "paths": {"/c": {
        "post": {"parameters": [{"in": "body", "name": "a"}, {"in": "body", "name": "b"},
                                {"in": "formData", "name": "c"}]}}}}));
    assert!(out["paths"]["/c"]["post"]["requestBody"].is_object());
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.kind == WarningKind::Ignored)
            .count(),
        2
    );
}
