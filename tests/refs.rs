//! `$ref` resolution across files: relative paths from nested directories,
//! YAML and JSON, cycles across files, escaped and percent-encoded pointers,
//! and the limits (no URLs, no climbing out of the repository or the
//! folder the caller allows).
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use specgate_spec::{ErrorKind, Loader, ParameterLocation, ResponseKey};

fn fixture(path: &str) -> std::path::PathBuf {
    support::data_dir().join("fixtures").join(path)
}

fn load(path: &str) -> specgate_spec::Document {
    specgate_spec::load(fixture(path)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn split_document_resolves_into_one_model() {
    let doc = load("refs/api.yaml");
    let ids: Vec<_> = doc
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(ids, ["listPets", "createPet", "showPet", "listTrees"]);
    assert_eq!(doc.base_path(), "/api/v2");
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);

    let show = doc.operation("showPet").unwrap();
    let pet_id = show.parameter("petId", ParameterLocation::Path).unwrap();
    assert!(pet_id.required);
    assert_eq!(
        doc.location(&pet_id.origin).pointer.as_deref(),
        Some("/PetId")
    );
    assert!(doc
        .location(&pet_id.origin)
        .file
        .ends_with("common/parameters.yaml"));

    // A whole-file schema is named after its file and kept by reference.
    let ok = &show.responses[&ResponseKey::Status(200)];
    assert_eq!(
        ok.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .value,
        json!({"$ref": "#/components/schemas/pet"})
    );
    let pet = doc.schema("pet").unwrap();
    assert!(!pet.is_component);
    assert_eq!(
        pet.schema.value["properties"]["owner"],
        json!({"$ref": "#/components/schemas/owner"})
    );
    // owner.json refers back to pet.yaml: the cycle is two names, not an expansion.
    let owner = doc.schema("owner").unwrap();
    assert_eq!(
        owner.schema.value["properties"]["pets"]["items"],
        json!({"$ref": "#/components/schemas/pet"})
    );
    let owner_location = doc.location(&owner.schema.origin);
    assert!(
        owner_location.file.ends_with("schemas/owner.json"),
        "{owner_location}"
    );
    assert_eq!(owner_location.line, Some(1));

    // A response from another file, with a header and schema that refer
    // within that file.
    let not_found = &show.responses[&ResponseKey::Status(404)];
    assert_eq!(not_found.description, "No such pet");
    let request_id = &not_found.headers["X-Request-Id"];
    assert_eq!(request_id.schema.as_ref().unwrap().value["format"], "uuid");
    assert_eq!(
        not_found.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .value,
        json!({"$ref": "#/components/schemas/Error"})
    );

    // A path item from another file, whose refs climb back up.
    let list = doc.operation("listPets").unwrap();
    assert_eq!(list.parameters[0].name, "limit");
    let create = doc.operation("createPet").unwrap();
    let body = create.request_body.as_ref().unwrap();
    assert!(body.required);
    // A schema inside a schema file gets its file's name as a prefix.
    assert_eq!(
        body.content["application/json"]
            .schema
            .as_ref()
            .unwrap()
            .value,
        json!({"$ref": "#/components/schemas/pet_owner"})
    );
}

#[test]
fn recursive_and_oddly_named_components() {
    let doc = load("refs/api.yaml");
    let tree = &doc.schema("Tree").unwrap().schema.value;
    assert_eq!(
        tree["properties"]["children"]["items"],
        json!({"$ref": "#/components/schemas/Tree"})
    );
    // `%20` in a ref is decoded (and the model's reference, a URI
    // fragment, encodes it again); `~1` and `~0` name `/` and `~`.
    assert_eq!(
        tree["properties"]["kind"],
        json!({"$ref": "#/components/schemas/Tree%20Kind"})
    );
    assert!(doc.schema("Tree Kind").is_some());
    let odd = doc.operation("listTrees").unwrap().responses[&ResponseKey::Default].content
        ["application/json"]
        .schema
        .as_ref()
        .unwrap();
    assert_eq!(odd.value, json!({"$ref": "#/components/schemas/a~1b~0c"}));
    assert_eq!(odd.reference_name().as_deref(), Some("a/b~c"));
    // 3.0 keywords normalized to 2020-12.
    let named = &doc.schema("a/b~c").unwrap().schema.value;
    assert_eq!(named["type"], json!(["object", "null"]));
    assert_eq!(
        named["properties"]["value"],
        json!({"type": "integer", "exclusiveMinimum": 0})
    );
}

/// Copies `errors/outside` (a document in `inner/` referring to
/// `../shared.yaml`) into `dir`.
fn copy_outside(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("outside/inner")).unwrap();
    for file in ["outside/shared.yaml", "outside/inner/api.yaml"] {
        std::fs::copy(fixture(&format!("errors/{file}")), dir.join(file)).unwrap();
    }
}

#[test]
fn refuses_refs_that_climb_out_of_the_folder_outside_a_repository() {
    // A temporary folder: no `.git` above it, so the document's folder is
    // the fence.
    let dir = tempfile::tempdir().unwrap();
    copy_outside(dir.path());
    let api = dir.path().join("outside/inner/api.yaml");
    let err = specgate_spec::load(&api).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::OutsideRoot { .. }), "{err}");
    assert!(err.to_string().contains("../shared.yaml#/Thing"), "{err}");
    assert_eq!(err.location().line, Some(12), "{err}");
    // Naming a wider root allows it.
    let doc = Loader::new()
        .root(dir.path().join("outside"))
        .load(&api)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc.schema("Thing").unwrap().schema.value,
        json!({"type": "string"})
    );
}

#[test]
fn a_repository_is_the_default_fence() {
    // The layout of the CAMARA telco APIs: `code/API_definitions/api.yaml`
    // refers to `../common/common.yaml`, a sibling folder of the
    // repository.
    let dir = tempfile::tempdir().unwrap();
    copy_outside(dir.path());
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("code/API_definitions")).unwrap();
    std::fs::create_dir_all(repo.join("code/common")).unwrap();
    std::fs::write(
        repo.join("code/common/common.yaml"),
        "components:\n  schemas:\n    ErrorInfo: {type: object, required: [code]}\n",
    )
    .unwrap();
    let document = |reference: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /x:\n    get:\n      \
             responses:\n        '400':\n          description: bad\n          content:\n            \
             application/json:\n              schema: {{$ref: '{reference}'}}\n"
        )
    };
    let api = repo.join("code/API_definitions/api.yaml");
    std::fs::write(
        &api,
        document("../common/common.yaml#/components/schemas/ErrorInfo"),
    )
    .unwrap();
    let doc = specgate_spec::load(&api).unwrap_or_else(|e| panic!("{e}"));
    assert!(doc.schema("ErrorInfo").is_some());

    // Out of the repository: refused, naming it.
    let out = repo.join("code/API_definitions/out.yaml");
    std::fs::write(&out, document("../../../outside/shared.yaml#/Thing")).unwrap();
    let err = specgate_spec::load(&out).unwrap_err();
    match err.kind() {
        ErrorKind::OutsideRoot { root, .. } => {
            assert_eq!(
                std::path::Path::new(root),
                repo.canonicalize().unwrap(),
                "{err}"
            )
        }
        other => panic!("{other}"),
    }

    // A symbolic link inside the repository does not lead out of it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            dir.path().join("outside/shared.yaml"),
            repo.join("code/link.yaml"),
        )
        .unwrap();
        let linked = repo.join("code/API_definitions/linked.yaml");
        std::fs::write(&linked, document("../link.yaml#/Thing")).unwrap();
        let err = specgate_spec::load(&linked).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::OutsideRoot { .. }), "{err}");
    }

    // `--root` still overrides, narrower too.
    let err = Loader::new()
        .root(repo.join("code/API_definitions"))
        .load(&api)
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::OutsideRoot { .. }), "{err}");
}

#[test]
fn refuses_a_cycle_of_pure_aliases_across_files() {
    let err = specgate_spec::load(fixture("errors/cycle-a.yaml")).unwrap_err();
    match err.kind() {
        ErrorKind::RefCycle(chain) => assert_eq!(chain, &["X", "Y", "X"]),
        other => panic!("{other}"),
    }
}

#[test]
fn never_fetches_urls() {
    for reference in [
        "https://example.com/pet.yaml#/Pet",
        "http://127.0.0.1:9/x.json",
        "file:///etc/passwd",
    ] {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      $ref: '{reference}'\n"
        );
        let err = specgate_spec::load_str("remote.yaml", &text).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::RemoteRef(_)), "{err}");
        assert!(err.to_string().contains("never fetches"), "{err}");
        assert_eq!(
            err.location().pointer.as_deref(),
            Some("/components/schemas/Pet/$ref")
        );
    }
}

#[test]
fn dangling_refs_name_the_file_pointer_and_line() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Missing'\n";
    let err = specgate_spec::load_str("dangling.yaml", text).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::DanglingRef { .. }), "{err}");
    assert_eq!(err.location().line, Some(8));
    assert_eq!(
        err.to_string(),
        "dangling.yaml:8:11 (at /paths/~1a/get/responses/200/$ref): `$ref` \"#/components/responses/Missing\" points to nothing: dangling.yaml has nothing at /components/responses/Missing"
    );
}

#[test]
fn refuses_a_cycle_of_parameter_refs() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n";
    let err = specgate_spec::load_str("params.yaml", text).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::RefCycle(_)), "{err}");
}

#[test]
fn refs_with_siblings_keep_both_in_31() {
    let text = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
        {"schema": {"$ref": "#/components/schemas/Id", "description": "the id", "maximum": 10}}}}}}}},
      "components": {"schemas": {"Id": {"type": "integer"}}}}"##;
    let doc = specgate_spec::load_str("siblings.json", text).unwrap();
    let schema = doc.operations[0].responses[&ResponseKey::Status(200)].content["application/json"]
        .schema
        .clone()
        .unwrap();
    assert_eq!(
        schema.value,
        json!({"$ref": "#/components/schemas/Id", "description": "the id", "maximum": 10})
    );
    assert_eq!(schema.reference_name().as_deref(), Some("Id"));
}

/// The loader moves what it reads out of the document instead of copying
/// it; a target used from several places must still reach every one.
#[test]
fn shared_targets_reach_every_user() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              examples:
                once: {$ref: '#/components/examples/Once'}
        '404': {$ref: '#/components/responses/NotFound'}
  /b:
    $ref: '#/paths/~1a'
  /c:
    get:
      responses:
        '404': {$ref: '#/components/responses/NotFound'}
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet/properties/name'}
components:
  examples:
    Once: {value: {id: 1}}
    Shared: {value: {error: gone}}
  responses:
    NotFound:
      description: gone
      content:
        application/json:
          examples:
            shared: {$ref: '#/components/examples/Shared'}
  schemas:
    Pet: {type: object, properties: {name: {type: string, maxLength: 9}}}
"##;
    let doc = specgate_spec::load_str("shared.yaml", text).unwrap();
    let example = |op: usize, status: u16, name: &str| {
        doc.operations[op].responses[&ResponseKey::Status(status)].content["application/json"]
            .examples[name]
            .value
            .clone()
    };
    // /a and /b (a reference to /a) both have the example used once.
    assert_eq!(example(0, 200, "once"), Some(json!({"id": 1})));
    assert_eq!(example(1, 200, "once"), Some(json!({"id": 1})));
    // A component response used three times keeps its example each time.
    for op in 0..3 {
        assert_eq!(example(op, 404, "shared"), Some(json!({"error": "gone"})));
    }
    // A schema referred to by a pointer into another survives its move.
    let name = doc.operations[2].responses[&ResponseKey::Status(200)].content["application/json"]
        .schema
        .as_ref()
        .unwrap();
    let target = name.reference_name().unwrap().into_owned();
    assert_eq!(
        doc.schema(&target).unwrap().schema.value,
        json!({"type": "string", "maxLength": 9})
    );
    assert_eq!(
        doc.schema("Pet").unwrap().schema.value["properties"]["name"]["maxLength"],
        9
    );
}

#[test]
fn a_mapping_to_a_file_that_is_not_there_is_a_warning() {
    // Regression: a document bundled by a directory service (DigitalOcean's)
    // keeps a mapping to `models/domain_record_types.yml#/domain_record_a`,
    // a file the bundle does not have; the whole document was refused.
    let dir = tempfile::tempdir().unwrap();
    let api = dir.path().join("api.yaml");
    std::fs::write(
        &api,
        r##"openapi: 3.0.0
info: {title: Domains, version: "2"}
paths:
  /records:
    get:
      responses:
        "200":
          description: records
          content:
            application/json:
              schema: {$ref: "#/components/schemas/record"}
components:
  schemas:
    record:
      oneOf:
        - $ref: "#/components/schemas/record_a"
        - $ref: "#/components/schemas/record_mx"
      discriminator:
        propertyName: type
        mapping:
          A: models/domain_record_types.yml#/domain_record_a
          MX: "#/components/schemas/record_mx"
    record_a: {type: object, properties: {type: {type: string}, ip: {type: string}}}
    record_mx: {type: object, properties: {type: {type: string}, priority: {type: integer}}}
"##,
    )
    .unwrap();
    let doc = specgate_spec::load(&api).unwrap_or_else(|e| panic!("{e}"));
    let dangling: Vec<_> = doc
        .warnings
        .iter()
        .filter(|w| w.kind == specgate_spec::WarningKind::DanglingMapping)
        .collect();
    assert_eq!(dangling.len(), 1, "{:?}", doc.warnings);
    let location = doc.location(dangling[0].origin.as_ref().unwrap());
    assert_eq!(
        location.pointer.as_deref(),
        Some("/components/schemas/record/discriminator/mapping/A")
    );
    assert_eq!(location.line, Some(21));
    // The rest of the mapping, and the branches' own names, still select.
    let discriminator =
        specgate_spec::Discriminator::of(&doc.schema("record").unwrap().schema.value, true)
            .unwrap();
    assert_eq!(
        discriminator.mapping.get("MX").map(String::as_str),
        Some("record_mx")
    );
    assert_eq!(discriminator.mapping.get("A"), None);
    assert_eq!(
        discriminator.mapping.get("record_a").map(String::as_str),
        Some("record_a")
    );
    // A URL in a mapping is still refused: nothing is ever fetched.
    let url = dir.path().join("url.yaml");
    let text = std::fs::read_to_string(&api).unwrap().replace(
        "models/domain_record_types.yml#/domain_record_a",
        "https://example.com/a.yml#/a",
    );
    std::fs::write(&url, text).unwrap();
    let err = specgate_spec::load(&url).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::RemoteRef(_)), "{err}");
}

// Regression: `"$ref": "#foo"` to a schema with `"$anchor": "foo"` was
// refused as "only JSON pointer fragments".
#[test]
fn a_plain_name_fragment_refers_to_the_schema_its_anchor_names() {
    let document = |defs: serde_json::Value| {
        json!({
            "openapi": "3.1.0", "info": {"title": "a", "version": "1"},
            "paths": {"/t": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"count": {"$ref": "#count"}},
                    "$defs": defs
                }}}},
                "responses": {"200": {"description": "ok"}}
            }}}
        })
        .to_string()
    };
    let doc = specgate_spec::load_str(
        "anchor.json",
        &document(json!({"Count": {"$anchor": "count", "type": "integer", "minimum": 0}})),
    )
    .unwrap();
    let body = doc.operations[0].request_body.as_ref().unwrap();
    let schema = &body.content["application/json"]
        .schema
        .as_ref()
        .unwrap()
        .value;
    let count = doc.resolve_schema(&schema["properties"]["count"]);
    assert_eq!(count["type"], "integer", "{schema}");
    // An anchor nothing declares, or two schemas declare, is an error that
    // says which.
    let missing = specgate_spec::load_str("anchor.json", &document(json!({}))).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("no schema of anchor.json has `$anchor: count`"),
        "{missing}"
    );
    let twice = specgate_spec::load_str(
        "anchor.json",
        &document(json!({"A": {"$anchor": "count"}, "B": {"$anchor": "count"}})),
    )
    .unwrap_err();
    assert!(
        twice
            .to_string()
            .contains("two schemas of anchor.json name themselves `count`"),
        "{twice}"
    );
}

/// The request body schema of a document's first operation.
fn body_schema(doc: &specgate_spec::Document) -> &serde_json::Value {
    let body = doc.operations[0].request_body.as_ref().unwrap();
    &body.content["application/json"]
        .schema
        .as_ref()
        .unwrap()
        .value
}

/// A 3.1 document with `components` and one request body schema.
fn document_31(body: serde_json::Value, extra: serde_json::Value) -> String {
    let mut document = json!({
        "openapi": "3.1.0", "info": {"title": "a", "version": "1"},
        "paths": {"/t": {"post": {
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"schemas": {"Count": {"type": "integer", "minimum": 0}}}
    });
    if let (Some(target), Some(extra)) = (document.as_object_mut(), extra.as_object()) {
        target.extend(extra.clone());
    }
    document.to_string()
}

// Bundlers leave `#/components/...` inside a schema with an `$id`: strictly
// relative to that resource, which has nothing there; its author meant the
// document, as most tools read it.
#[test]
fn a_components_pointer_inside_a_resource_is_read_as_the_documents_with_a_warning() {
    let text = document_31(
        json!({"$id": "https://example.com/body", "type": "object",
               "properties": {"count": {"$ref": "#/components/schemas/Count"}}}),
        json!({}),
    );
    let doc = specgate_spec::load_str("bundled.json", &text).unwrap();
    let warning = doc
        .warnings
        .iter()
        .find(|w| w.kind.id() == "ambiguous-reference")
        .unwrap_or_else(|| panic!("{:?}", doc.warnings));
    assert!(
        warning.message.contains("https://example.com/body"),
        "{}",
        warning.message
    );
    let schema = body_schema(&doc);
    assert_eq!(
        doc.resolve_schema(&schema["properties"]["count"])["minimum"],
        0
    );
    // Where the resource has the pointer, it is the resource's.
    let own = document_31(
        json!({"$id": "https://example.com/body", "type": "object",
               "properties": {"count": {"$ref": "#/$defs/count"}},
               "$defs": {"count": {"type": "string"}}}),
        json!({}),
    );
    let doc = specgate_spec::load_str("own.json", &own).unwrap();
    assert!(
        !doc.warnings
            .iter()
            .any(|w| w.kind.id() == "ambiguous-reference"),
        "{:?}",
        doc.warnings
    );
    let schema = body_schema(&doc);
    assert_eq!(
        doc.resolve_schema(&schema["properties"]["count"])["type"],
        "string"
    );
}

// `$id`s of any scheme name schemas of the document; one nothing defines is
// refused, named.
#[test]
fn ids_of_any_scheme_resolve_and_an_undefined_one_is_named() {
    let text = document_31(
        json!({"type": "object", "properties": {
            "a": {"$ref": "urn:uuid:deadbeef-1234-0000-0000-4321fedcba98"},
            "b": {"$ref": "https://example.com/schemas/b#/$defs/c"}}}),
        json!({"webhooks": {"w": {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "$defs": {
                "a": {"$id": "urn:uuid:deadbeef-1234-0000-0000-4321fedcba98", "type": "string"},
                "b": {"$id": "https://example.com/schemas/b", "$defs": {"c": {"type": "boolean"}}}
            }}}}}, "responses": {"200": {"description": "ok"}}}}}}),
    );
    let doc = specgate_spec::load_str("ids.json", &text).unwrap();
    let schema = body_schema(&doc);
    assert_eq!(
        doc.resolve_schema(&schema["properties"]["a"])["type"],
        "string"
    );
    assert_eq!(
        doc.resolve_schema(&schema["properties"]["b"])["type"],
        "boolean"
    );

    let undefined = document_31(json!({"$ref": "urn:uuid:0000"}), json!({}));
    let err = specgate_spec::load_str("undefined.json", &undefined).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::RemoteRef(_)), "{err}");
    assert!(err.to_string().contains("urn:uuid:0000"), "{err}");
}

// `jsonSchemaDialect` and `$schema` are read: an older draft's tuple
// `items` is 2020-12's `prefixItems`; a dialect specgate does not know is
// a warning.
#[test]
fn schema_dialects_are_read() {
    let draft7 = document_31(
        json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "array",
               "items": [{"type": "string"}], "additionalItems": false}),
        json!({}),
    );
    let doc = specgate_spec::load_str("draft7.json", &draft7).unwrap();
    let schema = body_schema(&doc);
    assert_eq!(
        schema["prefixItems"],
        json!([{"type": "string"}]),
        "{schema}"
    );
    assert_eq!(schema["items"], json!(false), "{schema}");
    assert!(schema.get("$schema").is_none());

    let by_document = document_31(
        json!({"type": "array", "items": [{"type": "string"}]}),
        json!({"jsonSchemaDialect": "https://json-schema.org/draft/2019-09/schema"}),
    );
    let doc = specgate_spec::load_str("dialect.json", &by_document).unwrap();
    let schema = body_schema(&doc);
    assert_eq!(
        schema["prefixItems"],
        json!([{"type": "string"}]),
        "{schema}"
    );

    let unknown = document_31(
        json!({"type": "string"}),
        json!({"jsonSchemaDialect": "https://example.com/mine"}),
    );
    let doc = specgate_spec::load_str("unknown.json", &unknown).unwrap();
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.kind.id() == "unknown-dialect"),
        "{:?}",
        doc.warnings
    );
}

// A document any pull request can change must not print the files its
// references reach: a file that is no document, or a value in one that is
// no object, is refused without its content, and outside the fence a file that exists and one that does not
// get the same answer (issue 22, defect 6).
#[test]
fn a_reference_never_shows_a_file_nor_tells_whether_one_exists_outside() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("api")).unwrap();
    std::fs::write(repo.join(".env"), "DB_PASSWORD=hunter2secret\n").unwrap();
    std::fs::write(dir.path().join("outside.yaml"), "Pet: {type: object}\n").unwrap();
    let document = |reference: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{reference}'}}\n"
        )
    };
    let load = |reference: &str| {
        let path = repo.join("api/openapi.yaml");
        std::fs::write(&path, document(reference)).unwrap();
        specgate_spec::load(&path).unwrap_err()
    };
    let env = load("../.env");
    let shown = env.to_string();
    assert!(
        shown.contains(".env is no OpenAPI or JSON Schema document"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    // A pointer into a configuration file that reaches a value: refused,
    // the value unquoted.
    std::fs::write(
        repo.join("config.yaml"),
        "db:\n  password: hunter3secret\n  port: 5432\n",
    )
    .unwrap();
    for reference in ["../config.yaml#/db/password", "../config.yaml#/db/port"] {
        let shown = load(reference).to_string();
        assert!(
            shown.contains("holds no object at /db/") && shown.contains("not shown"),
            "{shown}"
        );
        assert!(
            !shown.contains("hunter3") && !shown.contains("5432"),
            "{shown}"
        );
    }
    let existing = load("../../outside.yaml#/Pet");
    let missing = load("../../nothing.yaml#/Pet");
    assert!(
        matches!(existing.kind(), ErrorKind::OutsideRoot { .. }),
        "{existing}"
    );
    assert!(
        matches!(missing.kind(), ErrorKind::OutsideRoot { .. }),
        "{missing}"
    );
}

// Names with spaces, written raw in a `$ref` as documents do, still
// resolve when some schema has an `$id` (the reference is then read as a
// URI): inside a resource and outside.
#[test]
fn raw_names_resolve_beside_ids() {
    let text = json!({
        "openapi": "3.1.0", "info": {"title": "a", "version": "1"},
        "paths": {"/t": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "outside": {"$ref": "#/components/schemas/Two Words"},
                    "inside": {"$ref": "https://example.com/r#/$defs/Three Words Here"}
                }}}}},
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"schemas": {
            "Two Words": {"type": "integer"},
            "R": {"$id": "https://example.com/r", "$defs": {"Three Words Here": {"type": "boolean"}}}
        }}
    })
    .to_string();
    let doc = specgate_spec::load_str("raw.json", &text).unwrap();
    let schema = body_schema(&doc);
    assert_eq!(
        doc.resolve_schema(&schema["properties"]["outside"])["type"],
        "integer"
    );
    assert_eq!(
        doc.resolve_schema(&schema["properties"]["inside"])["type"],
        "boolean"
    );
}
