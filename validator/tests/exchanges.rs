//! Exchanges in, findings out, on the Chatwoot document: readers (JSON
//! Lines, HAR, malformed records), routing, body checks, redaction.
// Test code: a failed assumption is a failed test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

use serde_json::{json, Value};
use specgate_spec::ParameterLocation;
use specgate_validator::input::{self, JsonLines, Record};
use specgate_validator::{Finding, Kind, Place, Validator};

const TOKEN: &str = "Xk3pQ9vR2mT7wY1z";

/// The recorded empty account: a list-conversations body that conforms.
fn list_body() -> Value {
    let line = specgate_validator::CHATWOOT_RECORDINGS
        .lines()
        .nth(4)
        .unwrap();
    let record: Value = serde_json::from_str(line).unwrap();
    serde_json::from_str(record["response"]["body"].as_str().unwrap()).unwrap()
}

fn record(status: u16, body: &Value) -> String {
    json!({
        "request": {"method": "GET", "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations?page=1",
                    "headers": [{"name": "api_access_token", "value": TOKEN}]},
        "response": {"status": status, "headers": {"Content-Type": "application/json; charset=utf-8"},
                     "body": body.to_string()}
    })
    .to_string()
}

/// The findings of one exchange, written as a JSON Lines record.
fn findings_of(validator: &Validator<'_>, record: &Value) -> Vec<Finding> {
    JsonLines::new("test.jsonl", record.to_string().as_bytes())
        .flat_map(|record| validator.check_record(record).findings)
        .collect()
}

fn check_lines(text: &str) -> Vec<Finding> {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    JsonLines::new("test.jsonl", text.as_bytes())
        .flat_map(|record| validator.check_record(record).findings)
        .collect()
}

#[test]
fn a_conforming_empty_account_has_no_finding() {
    assert_eq!(check_lines(&record(200, &list_body())), vec![]);
}

#[test]
fn violations_name_the_body_pointer_and_the_schema_keyword() {
    let mut body = list_body();
    body["data"]["meta"]["all_count"] = json!("nine");
    let findings = check_lines(&record(200, &body));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding.kind, Kind::Violation);
    assert_eq!(finding.operation.as_deref(), Some("conversationList"));
    assert_eq!(finding.pointer.as_deref(), Some("/data/meta/all_count"));
    assert_eq!(finding.found, Some(json!("nine")));
    assert_eq!(finding.expected, Some(json!("number")));
    let schema = finding.schema.as_ref().unwrap();
    assert_eq!(schema.file, "<embedded chatwoot.json>");
    assert!(schema.pointer.ends_with("/all_count/type"), "{schema:?}");
    assert!(schema.line.is_some());
}

#[test]
fn statuses_and_operations_the_document_does_not_give_are_reported() {
    let findings = check_lines(&record(401, &json!({"errors": ["sign in"]})));
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, Kind::UndocumentedStatus);
    let line = json!({
        "request": {"method": "GET", "url": "/api/v1/accounts/3/nowhere"},
        "response": {"status": 200}
    });
    let findings = check_lines(&line.to_string());
    assert_eq!(findings[0].kind, Kind::UndocumentedOperation);
}

#[test]
fn a_bad_record_is_reported_and_the_others_are_still_checked() {
    let mut body = list_body();
    body["data"]["payload"] = json!([{"id": "not a number"}]);
    let text = format!(
        "{}\n{{\"request\": \n\n[1, 2]\n{{\"request\": {{\"method\": \"GET\", \"url\": \"/x\"}}, \"response\": {{}}}}\n{}\n",
        record(200, &list_body()),
        record(200, &body)
    );
    let findings = check_lines(&text);
    let summary: Vec<(usize, Kind)> = findings.iter().take(3).map(|f| (f.entry, f.kind)).collect();
    assert_eq!(
        summary,
        vec![
            (1, Kind::Malformed),
            (3, Kind::Malformed),
            (4, Kind::Malformed)
        ]
    );
    // The record after the bad ones is still checked.
    assert!(findings[3..]
        .iter()
        .all(|f| f.entry == 5 && f.kind == Kind::Violation));
    assert!(findings
        .iter()
        .any(|f| f.pointer.as_deref() == Some("/data/payload/0/id")));
    assert!(
        findings[2].message.contains("status"),
        "{}",
        findings[2].message
    );
    let claims_json = record(200, &json!(null)).replace("\"body\":\"null\"", "\"body\":\"{oops\"");
    let findings = check_lines(&claims_json);
    assert_eq!(findings[0].kind, Kind::Malformed);
    assert!(findings[0].message.contains("is not JSON"));
}

#[test]
fn har_files_with_base64_bodies_are_read() {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(list_body().to_string());
    let har = json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations",
                     "headers": [{"name": "api_access_token", "value": TOKEN}]},
         "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                      "content": {"mimeType": "application/json", "text": encoded, "encoding": "base64"}}},
        {"request": {"method": "GET", "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations"},
         "response": {"status": 0, "content": {}}}
    ]}});
    let mut file = tempfile::Builder::new().suffix(".har").tempfile().unwrap();
    file.write_all(har.to_string().as_bytes()).unwrap();
    let records: Vec<Record> = input::read_file(file.path()).unwrap().collect();
    assert_eq!(records.len(), 2);
    let Record::Exchange(exchange) = &records[0] else {
        panic!("{:?}", records[0]);
    };
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    assert_eq!(validator.check(exchange), vec![]);
    assert!(matches!(&records[1], Record::Unanswered { entry: 1, .. }));
}

#[test]
fn a_request_that_got_no_response_is_counted_not_malformed() {
    // Browsers write status 0 for requests the page aborted or something
    // blocked: an analytics beacon must not fail a run scoped to the API.
    let har = json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations"},
         "response": {"status": 0, "headers": [], "content": {"size": 0}}},
        {"request": {"method": "POST", "url": "https://analytics.example.com/collect"},
         "response": {"status": 0, "headers": [], "content": {"size": 0}}},
        {"request": {"method": "GET", "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations"},
         "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                      "content": {"mimeType": "application/json", "text": list_body().to_string()}}}
    ]}});
    let mut file = tempfile::Builder::new().suffix(".har").tempfile().unwrap();
    file.write_all(har.to_string().as_bytes()).unwrap();
    let document = specgate_spec::chatwoot().unwrap();
    let scope = vec![url::Url::parse("https://app.chatwoot.com/").unwrap()];
    let validator = Validator::new(&document).unwrap().scope(scope);
    let mut report = specgate_validator::report::Report::default();
    for record in input::read_file(file.path()).unwrap() {
        report.add(validator.check_record(record));
    }
    assert_eq!(report.findings, vec![]);
    assert!(!report.has_malformed());
    let summary = &report.summary;
    assert_eq!(
        (summary.records, summary.unanswered, summary.skipped),
        (3, 1, 1)
    );
    assert!(
        specgate_validator::report::human(&report, false).ends_with(
            "3 records (1 outside --base-url, skipped; 1 without a whole response, not checked), \
             1 conform: conforms\n"
        ),
        "{}",
        specgate_validator::report::human(&report, false)
    );
}

#[test]
fn a_body_that_was_not_recorded_is_counted_unchecked_and_an_empty_one_is_a_violation() {
    let url = "https://app.chatwoot.com/api/v1/accounts/3/conversations";
    let json_type = json!([{"name": "Content-Type", "value": "application/json"}]);
    let empty_headers = json!([{"name": "Content-Type", "value": "application/json"},
                               {"name": "Content-Length", "value": "0"}]);
    // Playwright and browsers keep only the bodies the page read: the rest
    // are entries without `content.text`.
    let har = json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": url, "headers": []},
         "response": {"status": 200, "headers": json_type,
                      "content": {"size": -1, "mimeType": "application/json"}}},
        {"request": {"method": "GET", "url": url, "headers": []},
         "response": {"status": 200, "headers": empty_headers,
                      "content": {"size": 0, "mimeType": "application/json"}}},
        {"request": {"method": "GET", "url": url, "headers": []},
         "response": {"status": 200, "headers": json_type,
                      "content": {"mimeType": "application/json", "text": list_body().to_string()}}},
        {"request": {"method": "HEAD", "url": url, "headers": []},
         "response": {"status": 200, "headers": json_type, "content": {"size": 0}}}
    ]}});
    let mut file = tempfile::Builder::new().suffix(".har").tempfile().unwrap();
    file.write_all(har.to_string().as_bytes()).unwrap();
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let checked: Vec<_> = input::read_file(file.path())
        .unwrap()
        .map(|record| validator.check_record(record))
        .collect();
    let unrecorded: Vec<bool> = checked.iter().map(|c| c.unrecorded_body).collect();
    assert_eq!(unrecorded, [true, false, false, false]);
    // Not recorded: nothing claimed either way.
    assert_eq!(checked[0].findings, vec![]);
    // Sent empty (`Content-Length: 0`): the documented body is missing.
    let [missing] = checked[1].findings.as_slice() else {
        panic!("{:?}", checked[1].findings);
    };
    assert_eq!(missing.kind, Kind::Violation);
    assert_eq!(
        missing.place.as_ref().map(ToString::to_string).as_deref(),
        Some("response body")
    );
    assert_eq!(missing.expected, Some(json!(["application/json"])));
    assert_eq!(checked[2].findings, vec![]);
    // A HEAD response never has a body; HEAD is checked as the GET the
    // document describes.
    assert_eq!(
        checked[3].operation,
        specgate_validator::Matched::Operation("conversationList".into())
    );
    assert_eq!(checked[3].findings, vec![]);

    let mut report = specgate_validator::report::Report::default();
    for c in checked {
        report.add(c);
    }
    assert_eq!(report.summary.unrecorded_bodies, 1);
    assert!(specgate_validator::report::human(&report, false)
        .ends_with("; 1 documented response body was not recorded, so not checked\n"));
    // A JSON Lines body that is empty text was recorded empty.
    let line = json!({
        "request": {"method": "GET", "url": url},
        "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": ""}
    });
    let findings = check_lines(&line.to_string());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        findings[0].message,
        "the response has no body; the document describes one"
    );
}

#[test]
fn a_har_file_that_breaks_off_keeps_the_entries_before_the_break() {
    let entry = |page: usize| {
        json!({"request": {"method": "GET",
                           "url": format!("https://app.chatwoot.com/api/v1/accounts/3/conversations?page={page}")},
               "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                            "content": {"mimeType": "application/json", "text": list_body().to_string()}}})
    };
    // `log` after other members, `entries` after `pages`, as recorders
    // write them; a byte order mark first, as some Windows tools do.
    let whole = format!(
        "{}{}",
        '\u{feff}',
        json!({"comment": "recorded", "log": {"version": "1.2", "pages": [{"id": "page_1"}],
               "entries": [entry(1), entry(2), entry(3)]}})
    );
    // A recorder stopped mid-write: the file ends inside the third entry.
    let cut = whole.rfind("page=3").unwrap();
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let read = |text: &str| -> Vec<specgate_validator::Checked> {
        let mut file = tempfile::Builder::new().suffix(".har").tempfile().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        input::read_file(file.path())
            .unwrap()
            .map(|record| validator.check_record(record))
            .collect()
    };
    let complete = read(&whole);
    assert_eq!(complete.len(), 3);
    assert!(
        complete.iter().all(|c| c.findings.is_empty()),
        "{complete:?}"
    );

    let broken = read(&whole[..cut]);
    assert_eq!(broken.len(), 3, "{broken:?}");
    assert!(broken[..2].iter().all(|c| c.findings.is_empty()));
    let [malformed] = broken[2].findings.as_slice() else {
        panic!("{:?}", broken[2]);
    };
    assert_eq!((malformed.kind, malformed.entry), (Kind::Malformed, 2));
    assert!(
        malformed.message.starts_with(
            "entry 2 cannot be read, and the file is read no further (line 1, column "
        ),
        "{}",
        malformed.message
    );
}

#[test]
fn a_browsers_cors_preflight_is_not_checked_unless_documented() {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let options = |headers: Value| {
        json!({"request": {"method": "OPTIONS", "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations",
                           "headers": headers},
               "response": {"status": 204, "headers": {"access-control-allow-origin": "*"}}})
        .to_string()
    };
    let text = [
        options(
            json!({"Origin": "https://agent.example.com", "Access-Control-Request-Method": "GET",
                       "Access-Control-Request-Headers": "api_access_token"}),
        ),
        // Without the header it is an OPTIONS request like any other.
        options(json!({"Origin": "https://agent.example.com"})),
    ]
    .join("\n");
    let checked: Vec<_> = JsonLines::new("devtools.jsonl", text.as_bytes())
        .map(|record| validator.check_record(record))
        .collect();
    assert_eq!(checked[0].operation, specgate_validator::Matched::Preflight);
    assert_eq!(checked[0].findings, vec![]);
    assert_eq!(
        checked[1].operation,
        specgate_validator::Matched::Undocumented
    );
    let mut report = specgate_validator::report::Report::default();
    for c in checked {
        report.add(c);
    }
    assert_eq!(report.summary.preflights, 1);
    assert!(
        specgate_validator::report::human(&report, false).contains(
            "2 records (1 CORS preflight, not checked), 0 conform: does not conform (1 undocumented-operation)"
        ),
        "{}",
        specgate_validator::report::human(&report, false)
    );
}

#[test]
fn secrets_never_reach_a_finding() {
    let line = json!({
        "request": {"method": "GET", "url": format!("/api/v1/accounts/3/nowhere?api_access_token={TOKEN}"),
                    "headers": {"api_access_token": TOKEN, "Authorization": format!("Bearer {TOKEN}")}},
        "response": {"status": 200}
    });
    let findings = check_lines(&line.to_string());
    let shown = serde_json::to_string(&findings).unwrap();
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn read_only_members_in_requests_and_write_only_members_in_responses_are_violations() {
    let document = specgate_spec::load_str(
        "users.yaml",
        "openapi: 3.1.0
info: {title: Users, version: '1'}
paths:
  /users:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/User'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
components:
  schemas:
    User:
      type: object
      properties:
        id: {type: integer, format: int32, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let exchange = |request: Value, response: Value| {
        json!({
            "request": {"method": "POST", "url": "/users", "headers": {"content-type": "application/json"},
                        "body": request.to_string()},
            "response": {"status": 201, "headers": {"content-type": "application/json"}, "body": response.to_string()}
        })
    };
    let check = |record: Value| -> Vec<(Option<String>, Option<String>, Kind)> {
        findings_of(&validator, &record)
            .into_iter()
            .map(|f| (f.place.map(|p| p.to_string()), f.pointer, f.kind))
            .collect()
    };
    assert_eq!(
        check(exchange(
            json!({"name": "Ada", "password": "pw"}),
            json!({"id": 1, "name": "Ada"})
        )),
        vec![]
    );
    assert_eq!(
        check(exchange(
            json!({"id": 1, "name": "Ada"}),
            json!({"id": 1, "name": "Ada", "password": "pw"})
        )),
        vec![
            (
                Some("request body".into()),
                Some("/id".to_owned()),
                Kind::Violation
            ),
            (
                Some("response body".into()),
                Some("/password".to_owned()),
                Kind::Violation
            ),
        ]
    );
    // `int32` is a range.
    assert_eq!(
        check(exchange(
            json!({"name": "Ada"}),
            json!({"id": 4_294_967_296_u64})
        )),
        vec![(
            Some("response body".into()),
            Some("/id".to_owned()),
            Kind::Violation
        )]
    );
}

#[test]
fn parameters_are_checked_as_their_schemas_type_them() {
    let line = |url: &str| {
        json!({
            "request": {"method": "GET", "url": url},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": list_body().to_string()}
        })
        .to_string()
    };
    let places = |url: &str| -> Vec<(Option<String>, Option<String>)> {
        check_lines(&line(url))
            .into_iter()
            .map(|f| (f.place.map(|p| p.to_string()), f.pointer))
            .collect()
    };
    assert_eq!(
        places("/api/v1/accounts/3/conversations?page=2&labels=vip&labels=billing&inbox_id=5&assignee_type=me"),
        vec![]
    );
    assert_eq!(
        places("/api/v1/accounts/3/conversations?page=two&labels=vip"),
        vec![(Some("query parameter page".into()), Some(String::new()))]
    );
    assert_eq!(
        places("/api/v1/accounts/three/conversations"),
        vec![(
            Some("path parameter account_id".into()),
            Some(String::new())
        )]
    );
    // A query parameter the operation does not declare is drift, named
    // once (its value only in the request line); the API key is the
    // security scheme's, so not drift, and redacted.
    let findings = check_lines(&line(&format!(
        "/api/v1/accounts/3/conversations?sort=latest&sort=oldest&api_access_token={TOKEN}"
    )));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, Kind::Drift);
    assert!(!findings[0].error);
    assert_eq!(
        findings[0].place,
        Some(Place::parameter(ParameterLocation::Query, "sort"))
    );
    assert_eq!(findings[0].found, None);
    let shown = serde_json::to_string(&findings[0]).unwrap();
    assert!(
        shown.contains("?sort=latest&sort=oldest&api_access_token=REDACTED"),
        "{shown}"
    );
}

#[test]
fn openapi_3_0_meaning_media_type_matching_and_response_headers() {
    let document = specgate_spec::load_str(
        "pets.yaml",
        "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: pets
          headers:
            X-Rate-Limit: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Pet'}
        4XX:
          description: a problem
          content:
            application/*:
              schema: {type: object, required: [title]}
components:
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind}
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [cat]}, name: {type: string, nullable: true}}
    Dog:
      type: object
      required: [kind, barks]
      properties: {kind: {type: string, enum: [dog]}, barks: {type: boolean}}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let check =
        |status: u16, headers: Value, body: Value| -> Vec<(Kind, Option<String>, Option<String>)> {
            let line = json!({
                "request": {"method": "GET", "url": "/pets"},
                "response": {"status": status, "headers": headers, "body": body.to_string()}
            });
            findings_of(&validator, &line)
                .into_iter()
                .map(|f| (f.kind, f.place.map(|p| p.to_string()), f.pointer))
                .collect()
        };
    let ok_headers =
        json!({"Content-Type": "application/json; charset=utf-8", "x-rate-limit": "60"});
    // 3.0 `nullable` admits null; each pet reads as the branch its kind names.
    let pets = json!([{"kind": "cat", "name": null}, {"kind": "dog", "barks": true}]);
    assert_eq!(check(200, ok_headers.clone(), pets), vec![]);
    assert_eq!(
        check(200, ok_headers, json!([{"kind": "dog"}])),
        vec![(
            Kind::Violation,
            Some("response body".into()),
            Some("/0".into())
        )]
    );
    assert_eq!(
        check(
            200,
            json!({"content-type": "application/json", "X-Rate-Limit": "lots"}),
            json!([])
        ),
        vec![(
            Kind::Violation,
            Some("response header X-Rate-Limit".into()),
            Some(String::new())
        )]
    );
    assert_eq!(
        check(200, json!({"content-type": "application/json"}), json!([])),
        vec![(
            Kind::Violation,
            Some("response header X-Rate-Limit".into()),
            None
        )]
    );
    // `application/problem+json` falls under `application/*` of `4XX`.
    assert_eq!(
        check(
            404,
            json!({"content-type": "application/problem+json"}),
            json!({"title": "gone"})
        ),
        vec![]
    );
    assert_eq!(
        check(
            200,
            json!({"content-type": "text/html", "X-Rate-Limit": "1"}),
            json!("<p>")
        ),
        vec![(
            Kind::UndocumentedMediaType,
            Some("response body".into()),
            None
        )]
    );
}

/// The request-body findings of one request with no response body, as
/// (kind, pointer, message).
fn request_body_findings(
    method: &str,
    url: &str,
    content_type: &str,
    body: &[u8],
) -> Vec<(Kind, Option<String>, String)> {
    use base64::Engine as _;
    let line = json!({
        "request": {"method": method, "url": url,
                    "headers": {"api_access_token": TOKEN, "Content-Type": content_type},
                    "body": base64::engine::general_purpose::STANDARD.encode(body),
                    "body_encoding": "base64"},
        "response": {"status": 200}
    });
    check_lines(&line.to_string())
        .into_iter()
        .filter(|f| {
            f.place.as_ref().map(ToString::to_string).as_deref() == Some("request body")
                || f.kind == Kind::Malformed
        })
        .map(|f| (f.kind, f.pointer, f.message))
        .collect()
}

#[test]
fn url_encoded_request_bodies_are_typed_by_their_schema_and_checked() {
    // Chatwoot's `update-account` takes `account_update_payload` as a form.
    let update = |body: &str| {
        request_body_findings(
            "PATCH",
            "/api/v1/accounts/3",
            "application/x-www-form-urlencoded",
            body.as_bytes(),
        )
    };
    assert_eq!(
        update("name=Acme+Support&auto_resolve_after=1440&auto_resolve_ignore_waiting=true"),
        vec![]
    );
    let found = update("name=Acme&auto_resolve_after=5&auto_resolve_ignore_waiting=maybe");
    let pointers: Vec<_> = found.iter().map(|(k, p, _)| (*k, p.as_deref())).collect();
    assert_eq!(
        pointers,
        vec![
            (Kind::Violation, Some("/auto_resolve_after")),
            (Kind::Violation, Some("/auto_resolve_ignore_waiting")),
        ],
        "{found:?}"
    );
    assert!(
        found[0].2.contains("less than the minimum of 10"),
        "{found:?}"
    );
    // A field the document does not mention is drift; one sent twice that
    // is not an array is a violation.
    let found = update("name=Acme&name=Other&colour=red");
    assert_eq!(found[0].0, Kind::Drift);
    assert_eq!(found[0].1.as_deref(), Some("/colour"));
    assert_eq!(found[1].0, Kind::Violation);
    assert_eq!(found[1].1.as_deref(), Some("/name"));
}

#[test]
fn multipart_request_bodies_are_read_part_by_part_with_rails_style_names() {
    // Chatwoot's `updateProfile`: `profile` is an object, which a Rails
    // client sends as `profile[name]`, `profile[avatar]` (a file), and
    // `profile[ui_settings][...]`.
    let boundary = "----specgate7MA4YWxkTrZu0gW";
    let part = |name: &str, extra: &str, content: &[u8]| {
        let mut part = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n"
        )
        .into_bytes();
        part.extend_from_slice(content);
        part.extend_from_slice(b"\r\n");
        part
    };
    let avatar = part(
        "profile[avatar]",
        "; filename=\"me.png\"\r\nContent-Type: image/png",
        &[0x89, b'P', b'N', b'G', 0, 0xff, 0xfe],
    );
    let body = |parts: &[Vec<u8>]| {
        let mut body = parts.concat();
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        body
    };
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let update = |body: &[u8]| request_body_findings("PUT", "/api/v1/profile", &content_type, body);
    let good = body(&[
        part("profile[name]", "", b"Ada"),
        part("profile[display_name]", "", b"ada"),
        avatar.clone(),
        part("profile[ui_settings][theme]", "", b"dark"),
    ]);
    assert_eq!(update(&good), vec![]);
    // A JSON part is read as JSON: `profile` must be an object.
    let json_part = part(
        "profile",
        "\r\nContent-Type: application/json",
        br#"["Ada"]"#,
    );
    let found = update(&body(&[json_part]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1.as_deref()),
        (Kind::Violation, Some("/profile"))
    );
    // `profile` is required.
    let found = update(&body(&[part("name", "", b"Ada")]));
    assert!(
        found.iter().any(|(k, p, m)| *k == Kind::Violation
            && p.as_deref() == Some("")
            && m.contains("\"profile\" is a required property")),
        "{found:?}"
    );
    // A body cut short, or a Content-Type without its boundary, cannot be read.
    let found = update(&good[..good.len() / 2]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Kind::Malformed);
    let found = request_body_findings("PUT", "/api/v1/profile", "multipart/form-data", &good);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].2.contains("names no multipart boundary"),
        "{found:?}"
    );
}

#[test]
fn one_bad_pattern_costs_that_keyword_only() {
    // Regression: one property's `pattern: "(["` made the whole response
    // schema uncompilable, and every other property went unchecked.
    let document = specgate_spec::load_str(
        "codes.yaml",
        r#"openapi: 3.1.0
info: {title: Codes, version: '1'}
paths:
  /codes/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: a code
          content:
            application/json:
              schema:
                type: object
                properties:
                  broken: {type: string, pattern: '(['}
                  unsupported: {type: string, pattern: '^(?<x>a)\k<x>$'}
                  code: {type: string, pattern: '^[A-Z]\d$'}
                  count: {type: integer, format: uint16}
                  name: {type: string}
"#,
    )
    .unwrap();
    // The invalid pattern is a load warning at its pointer, and dropped.
    let warnings: Vec<_> = document
        .warnings
        .iter()
        .filter(|w| w.kind == specgate_spec::WarningKind::InvalidPattern)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        document.location(warnings[0].origin.as_ref().unwrap()).pointer.as_deref(),
        Some("/paths/~1codes~1{id}/get/responses/200/content/application~1json/schema/properties/broken/pattern")
    );
    let validator = Validator::new(&document).unwrap();
    // A pattern that is ECMA-262 but that the engine cannot compile (a
    // named back-reference) is named by the validator, and so is the one
    // the loader took out: neither is checked.
    let problems = validator.schema_problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("properties/unsupported/pattern)")
                && p.contains("cannot be compiled")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("properties/broken/pattern)")
                && p.contains("not an ECMA-262 regular expression")),
        "{problems:?}"
    );
    let line = json!({
        "request": {"method": "GET", "url": "/codes/x"},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": json!({"broken": "anything", "unsupported": "b", "code": "A12",
                                    "count": 70000, "name": 5}).to_string()}
    });
    let mut found: Vec<(String, String)> = findings_of(&validator, &line)
        .into_iter()
        .map(|f| {
            (
                f.place.map(|p| p.to_string()).unwrap_or_default(),
                f.pointer.unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("path parameter id".to_owned(), String::new()),
            // The body, whose `unsupported` pattern went unchecked, is not
            // checked whole: `not-checked`, beside what was checked.
            ("response body".to_owned(), String::new()),
            ("response body".to_owned(), "/code".to_owned()),
            ("response body".to_owned(), "/count".to_owned()),
            ("response body".to_owned(), "/name".to_owned()),
        ]
    );
}

#[test]
fn patterns_are_ecma_262() {
    // JSON Schema's patterns are ECMA-262, as `jsonschema` runs them:
    // `\d` and `\w` are ASCII, lookahead works, Unicode property classes
    // work.
    let cases: &[(&str, &str, bool)] = &[
        (r"^\d+$", "123", true),
        (r"^\d+$", "١٢٣", false),
        (r"^\w+$", "abc_1", true),
        (r"^\w+$", "é", false),
        (r"^(?=.*[0-9])[a-z0-9]+$", "abc1", true),
        (r"^(?=.*[0-9])[a-z0-9]+$", "abc", false),
        (r"^\p{L}+$", "éa", true),
        (r"^\p{Lu}+$", "éa", false),
        (r"^\s$", "\u{a0}", true),
    ];
    for (pattern, text, matches) in cases {
        let document = specgate_spec::load_str(
            "p.json",
            &json!({
                "openapi": "3.1.0", "info": {"title": "p", "version": "1"},
                "paths": {"/p": {"get": {"parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string", "pattern": pattern}}
                ], "responses": {"204": {"description": "none"}}}}}
            })
            .to_string(),
        )
        .unwrap();
        let validator = Validator::new(&document).unwrap();
        let query: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        let line = json!({
            "request": {"method": "GET", "url": format!("/p?q={query}")},
            "response": {"status": 204, "headers": {}, "body": ""}
        });
        let findings = findings_of(&validator, &line);
        assert_eq!(
            findings.is_empty(),
            *matches,
            "{pattern} on {text:?}: {findings:?}"
        );
    }
}

#[test]
fn stripe_style_forms_indexed_items_and_closed_schemas() {
    // The shape of Stripe's `POST /v1/subscriptions`: a closed form whose
    // `items` is an array of objects, sent as `items[0][price]=...`.
    let document = specgate_spec::load_str(
        "subscriptions.yaml",
        "openapi: 3.0.0
info: {title: Subscriptions, version: '1'}
paths:
  /v1/subscriptions:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: false
              required: [customer]
              properties:
                customer: {type: string}
                expand: {type: array, items: {type: string}}
                items:
                  type: array
                  items:
                    type: object
                    additionalProperties: false
                    properties:
                      price: {type: string}
                      quantity: {type: integer, minimum: 1}
      responses:
        '200': {description: the subscription}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let check = |body: &str| -> Vec<(Kind, Option<String>)> {
        let line = json!({
            "request": {"method": "POST", "url": "/v1/subscriptions",
                        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                        "body": body},
            "response": {"status": 200}
        });
        findings_of(&validator, &line)
            .into_iter()
            .map(|f| (f.kind, f.pointer))
            .collect()
    };
    assert_eq!(
        check("customer=cus_1&items[1][price]=price_2&items[0][price]=price_1&items[0][quantity]=2&expand[]=latest_invoice"),
        vec![]
    );
    assert_eq!(
        check("customer=cus_1&items[0][price]=price_1&items[1][quantity]=0"),
        vec![(Kind::Violation, Some("/items/1/quantity".to_owned()))]
    );
    // A member a closed schema forbids is a violation, and only that: not
    // drift as well.
    assert_eq!(
        check("customer=cus_1&coupon=FREE&items[0][colour]=red"),
        vec![
            (Kind::Violation, Some("/items/0".to_owned())),
            (Kind::Violation, Some(String::new())),
        ]
    );
}

#[test]
fn drift_names_the_schema_where_the_member_would_be_documented() {
    let findings = check_lines(specgate_validator::CHATWOOT_RECORDINGS);
    let drift = findings
        .iter()
        .find(|f| {
            f.kind == Kind::Drift
                && f.pointer.as_deref() == Some("/data/payload/0/meta/assignee/availability_status")
        })
        .unwrap();
    // The assignee is a `$ref` to `user`: that is where it belongs.
    let schema = drift.schema.as_ref().unwrap();
    assert_eq!(schema.pointer, "/components/schemas/user");
    assert_eq!(schema.file, "<embedded chatwoot.json>");
    let line = schema.line.unwrap();
    let text = specgate_spec::CHATWOOT_DOCUMENT
        .lines()
        .nth(line - 1)
        .unwrap();
    assert!(text.trim_start().starts_with("\"user\": {"), "{text}");
    let column = schema.column.unwrap();
    assert!(text[column - 1..].starts_with("\"user\": {"), "{text}");
}

#[test]
fn a_schema_keyword_in_a_one_line_document_is_placed_by_its_column() {
    // Most published documents (APIs.guru's, for one) are minified: the
    // line alone says nothing.
    let text = json!({
        "openapi": "3.1.0",
        "info": {"title": "Minified", "version": "1"},
        "paths": {"/state": {"get": {"responses": {"200": {
            "description": "the state",
            "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"state": {"type": "string", "enum": ["on", "off"]}}
            }}}
        }}}}}
    })
    .to_string();
    let document = specgate_spec::load_str("minified.json", &text).unwrap();
    let validator = Validator::new(&document).unwrap();
    let findings = findings_of(
        &validator,
        &json!({
            "request": {"method": "GET", "url": "/state"},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": "{\"state\": \"dimmed\"}"}
        }),
    );
    assert_eq!(findings.len(), 1, "{findings:?}");
    let schema = findings[0].schema.as_ref().unwrap();
    assert_eq!(schema.line, Some(1));
    let column = schema.column.unwrap();
    assert!(
        text[column - 1..].starts_with("\"enum\":[\"on\""),
        "{schema:?}"
    );
    assert_eq!(schema.position(), format!("minified.json:1:{column}"));
}

#[test]
fn formats_are_checked_and_integer_formats_are_ranges() {
    let document = specgate_spec::load_str(
        "formats.yaml",
        "openapi: 3.0.3
info: {title: Formats, version: '1'}
paths:
  /event:
    get:
      responses:
        '200':
          description: an event
          content:
            application/json:
              schema:
                type: object
                properties:
                  at: {type: string, format: date-time}
                  day: {type: string, format: date}
                  id: {type: string, format: uuid}
                  email: {type: string, format: email}
                  link: {type: string, format: uri}
                  small: {type: integer, format: int32}
                  big: {type: integer, format: int64}
                  host: {type: string, format: idn-hostname}
                  mailbox: {type: string, format: idn-email}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let check = |body: Value| -> Vec<String> {
        let line = json!({
            "request": {"method": "GET", "url": "/event"},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": body.to_string()}
        });
        findings_of(&validator, &line)
            .into_iter()
            .map(|f| f.pointer.unwrap_or_default())
            .collect()
    };
    let good = json!({
        "at": "2024-05-01T12:30:00Z", "day": "2024-05-01",
        "id": "123e4567-e89b-12d3-a456-426614174000", "email": "ada@example.com",
        "link": "https://example.com/a?b=c", "small": 2147483647, "big": 9007199254740993_i64,
        "host": "bücher.example", "mailbox": "ada@bücher.example"
    });
    assert_eq!(check(good.clone()), Vec::<String>::new());
    for (member, bad) in [
        ("at", json!("2024-05-01 12:30")),
        ("day", json!("01/05/2024")),
        ("id", json!("not-a-uuid")),
        ("email", json!("ada.example.com")),
        ("link", json!("not a uri")),
        ("small", json!(2147483648_i64)),
        // Regression: the `idn-*` formats accepted every value.
        ("host", json!("-bad-.example")),
        ("mailbox", json!("no at sign")),
    ] {
        let mut body = good.clone();
        body[member] = bad;
        assert_eq!(check(body), vec![format!("/{member}")], "{member}");
    }
    // Formats read as annotations (`--formats annotate`): none of those is
    // a finding, and the other keywords are still checked.
    let annotating =
        Validator::with_formats(&document, specgate_validator::Formats::Annotate).unwrap();
    let mut body = good.clone();
    body["at"] = json!("yesterday");
    body["small"] = json!(2147483648_i64);
    body["id"] = json!(7);
    let line = json!({
        "request": {"method": "GET", "url": "/event"},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": body.to_string()}
    });
    let pointers: Vec<String> = findings_of(&annotating, &line)
        .into_iter()
        .map(|f| f.pointer.unwrap_or_default())
        .collect();
    assert_eq!(pointers, ["/id"]);
}

#[test]
fn a_scoped_run_checks_only_what_was_sent_below_its_base_urls() {
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document)
        .unwrap()
        .scope(vec![url::Url::parse(
            "https://staging.example.com/chatwoot/",
        )
        .unwrap()]);
    let line = |url: &str| {
        json!({
            "request": {"method": "GET", "url": url},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": list_body().to_string()}
        })
        .to_string()
    };
    let text = [
        // In scope: the prefix is taken off before matching.
        line("https://staging.example.com/chatwoot/api/v1/accounts/3/conversations"),
        line("/chatwoot/api/v1/accounts/3/conversations?page=two"),
        // Elsewhere: another host, scheme or port, a path outside the prefix.
        line("https://fonts.example.net/chatwoot/api/v1/accounts/3/conversations"),
        line("http://staging.example.com/chatwoot/api/v1/accounts/3/conversations"),
        line("https://staging.example.com:8443/chatwoot/api/v1/accounts/3/conversations"),
        line("https://staging.example.com/chatwootx/api/v1/accounts/3/conversations"),
        line("/api/v1/accounts/3/conversations"),
    ]
    .join("\n");
    let lines = specgate_validator::input::Lines::new("scoped.jsonl", text.as_bytes());
    let report = specgate_validator::check_all(&validator, lines, 1, |_| {});
    assert_eq!(report.summary.records, 7);
    assert_eq!(report.summary.skipped, 5);
    assert_eq!(report.summary.conforming, 1);
    let places: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.entry, f.place.clone()))
        .collect();
    assert_eq!(
        places,
        vec![(1, Some(Place::parameter(ParameterLocation::Query, "page")))]
    );
}

#[test]
fn bodies_recorded_with_a_content_encoding_are_decoded_first() {
    use base64::Engine as _;
    use std::io::Write as _;
    let body = list_body().to_string();
    let gzip = {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(body.as_bytes()).unwrap();
        encoder.finish().unwrap()
    };
    let deflate = {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(body.as_bytes()).unwrap();
        encoder.finish().unwrap()
    };
    let line = |encoding: &str, bytes: &[u8]| {
        json!({
            "request": {"method": "GET", "url": "/api/v1/accounts/3/conversations"},
            "response": {"status": 200,
                         "headers": {"content-type": "application/json", "content-encoding": encoding},
                         "body": base64::engine::general_purpose::STANDARD.encode(bytes),
                         "body_encoding": "base64"}
        })
        .to_string()
    };
    let messages = |text: String| -> Vec<(Kind, String)> {
        check_lines(&text)
            .into_iter()
            .map(|f| (f.kind, f.message))
            .collect()
    };
    assert_eq!(messages(line("gzip", &gzip)), vec![]);
    // Raw deflate, as some servers send it.
    assert_eq!(messages(line("deflate", &deflate)), vec![]);
    // A coding specgate does not decode, and gzip bytes that claim brotli.
    for (coding, message) in [
        (
            "compress",
            "`compress`-encoded, which specgate does not decode",
        ),
        ("br", "claims `br` encoding and cannot be decoded"),
    ] {
        let found = messages(line(coding, &gzip));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Kind::Malformed);
        assert!(found[0].1.contains(message), "{found:?}");
    }
    let found = messages(line("gzip", body.as_bytes()));
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .1
            .contains("claims `gzip` encoding and cannot be decoded"),
        "{found:?}"
    );
    // A HAR holds the decoded text, beside the header the body travelled
    // with: nearly every API response a browser records.
    let har = json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": "https://app.chatwoot.com/api/v1/accounts/3/conversations"},
         "response": {"status": 200,
                      "headers": [{"name": "Content-Type", "value": "application/json"},
                                  {"name": "Content-Encoding", "value": "gzip"}],
                      "content": {"mimeType": "application/json", "text": body}}}
    ]}});
    let mut file = tempfile::Builder::new().suffix(".har").tempfile().unwrap();
    file.write_all(har.to_string().as_bytes()).unwrap();
    let document = specgate_spec::chatwoot().unwrap();
    let validator = Validator::new(&document).unwrap();
    let findings: Vec<Finding> = input::read_file(file.path())
        .unwrap()
        .flat_map(|record| validator.check_record(record).findings)
        .collect();
    assert_eq!(findings, vec![]);
}

#[test]
fn a_message_quotes_a_long_value_as_briefly_as_found_shows_it() {
    // GitHub's event payloads: a `oneOf` without a discriminator, whose
    // message quoted each whole payload.
    let document = specgate_spec::load_str(
        "events.yaml",
        "openapi: 3.1.0
info: {title: Events, version: '1'}
paths:
  /events:
    get:
      responses:
        '200':
          description: the events
          content:
            application/json:
              schema:
                type: array
                items:
                  oneOf:
                    - {type: object, properties: {ref: {type: string}}}
                    - {type: object, properties: {push_id: {type: integer}}}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let payload: serde_json::Map<String, Value> = (0..40)
        .map(|n| {
            (
                format!("member_{n}"),
                json!("a value long enough to matter"),
            )
        })
        .collect();
    let findings: Vec<Finding> = findings_of(
        &validator,
        &json!({
            "request": {"method": "GET", "url": "/events"},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": json!([payload]).to_string()}
        }),
    )
    .into_iter()
    .filter(|f| f.kind == Kind::Violation)
    .collect();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].pointer.as_deref(), Some("/0"));
    assert_eq!(
        findings[0].message,
        "{an object of 40 members} is valid under more than one of the schemas listed in the 'oneOf' keyword"
    );
    assert_eq!(findings[0].found, Some(json!("{an object of 40 members}")));
}

#[test]
fn a_discriminator_names_the_schema_that_applies() {
    let document = specgate_spec::load_str(
        "pets.yaml",
        "openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: pets
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      oneOf:
        - {$ref: '#/components/schemas/Cat'}
        - {$ref: '#/components/schemas/Dog'}
        - {$ref: '#/components/schemas/Bird'}
        - {$ref: '#/components/schemas/Fish'}
      discriminator:
        propertyName: kind
        mapping: {parrot: '#/components/schemas/Bird'}
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string}, name: {type: string}}
    Dog:
      type: object
      required: [kind, barks]
      properties: {kind: {type: string}, barks: {type: boolean}}
    Bird:
      type: object
      required: [kind, wings]
      properties: {kind: {type: string}, wings: {type: integer}}
    Fish:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [fish]}, fins: {type: integer}}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let check = |pet: Value| -> Vec<(Option<String>, String)> {
        let record = json!({
            "request": {"method": "GET", "url": "/pets"},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": json!([pet]).to_string()}
        });
        findings_of(&validator, &record)
            .into_iter()
            .filter(|f| f.kind == Kind::Violation)
            .map(|f| (f.pointer, f.schema.map(|s| s.pointer).unwrap_or_default()))
            .collect()
    };
    // A Dog that the lenient Cat also admits is a Dog, not "valid under
    // more than one" schema.
    assert_eq!(check(json!({"kind": "Dog", "barks": true})), vec![]);
    // The Dog's own rules apply to it: it does not pass as a Cat.
    assert_eq!(
        check(json!({"kind": "Dog"})),
        vec![(Some("/0".into()), "/components/schemas/Dog/required".into())]
    );
    // The mapping's value, and the value the schema itself declares.
    assert_eq!(check(json!({"kind": "parrot", "wings": 2})), vec![]);
    assert_eq!(
        check(json!({"kind": "parrot", "wings": "two"})),
        vec![(
            Some("/0/wings".into()),
            "/components/schemas/Bird/properties/wings/type".into()
        )]
    );
    assert_eq!(check(json!({"kind": "fish", "fins": 4})), vec![]);
    // A value nothing maps to: the discriminator says which ones are.
    assert_eq!(
        check(json!({"kind": "Lizard"})),
        vec![(
            Some("/0/kind".into()),
            "/components/schemas/Pet/discriminator".into()
        )]
    );
    // Without the property, the `oneOf` applies as JSON Schema says.
    assert_eq!(
        check(json!({"barks": true})),
        vec![(Some("/0".into()), "/components/schemas/Pet/oneOf".into())]
    );
    // A Cat's member in a Dog is not documented there.
    let record = json!({
        "request": {"method": "GET", "url": "/pets"},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": json!([{"kind": "Dog", "barks": true, "name": "Rex"}]).to_string()}
    });
    let drift: Vec<(Option<String>, String)> = findings_of(&validator, &record)
        .into_iter()
        .map(|f| (f.pointer, f.schema.map(|s| s.pointer).unwrap_or_default()))
        .collect();
    assert_eq!(
        drift,
        vec![(Some("/0/name".into()), "/components/schemas/Dog".into())]
    );
}

#[test]
fn a_discriminator_on_a_schema_others_extend_selects_the_extension() {
    // Swagger 2.0's polymorphism (Azure's, many Java services'): `Pet`
    // names the property, `Dog` and `Cat` extend it through `allOf`.
    let document = specgate_spec::load_str(
        "pets.yaml",
        "swagger: '2.0'
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      produces: [application/json]
      responses:
        '200':
          description: pets
          schema:
            type: array
            items: {$ref: '#/definitions/Pet'}
definitions:
  Pet:
    type: object
    discriminator: petType
    required: [name, petType]
    properties:
      name: {type: string}
      petType: {type: string}
  Dog:
    allOf:
      - $ref: '#/definitions/Pet'
      - type: object
        required: [packSize]
        properties: {packSize: {type: integer}}
  Cat:
    x-ms-discriminator-value: cat
    allOf:
      - $ref: '#/definitions/Pet'
      - type: object
        properties: {huntingSkill: {type: string, enum: [lazy, aggressive]}}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let check = |pet: Value| -> Vec<(Kind, Option<String>, String)> {
        let record = json!({
            "request": {"method": "GET", "url": "/pets"},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": json!([pet]).to_string()}
        });
        findings_of(&validator, &record)
            .into_iter()
            .map(|f| {
                (
                    f.kind,
                    f.pointer,
                    f.schema.map(|s| s.pointer).unwrap_or_default(),
                )
            })
            .collect()
    };
    // A Dog is checked as a Dog, and its own members are documented.
    assert_eq!(
        check(json!({"petType": "Dog", "name": "Rex", "packSize": 3})),
        vec![]
    );
    assert_eq!(
        check(json!({"petType": "Dog", "name": "Rex"})),
        vec![(
            Kind::Violation,
            Some("/0".into()),
            "/definitions/Dog/allOf/1/required".into()
        )]
    );
    // Azure's `x-ms-discriminator-value` names Cat; a Dog's member in a
    // Cat is not documented there.
    assert_eq!(
        check(json!({"petType": "cat", "name": "Tom", "huntingSkill": "lazy"})),
        vec![]
    );
    assert_eq!(
        check(json!({"petType": "cat", "name": "Tom", "huntingSkill": "sleepy"})),
        vec![(
            Kind::Violation,
            Some("/0/huntingSkill".into()),
            "/definitions/Cat/allOf/1/properties/huntingSkill/enum".into()
        )]
    );
    assert_eq!(
        check(json!({"petType": "cat", "name": "Tom", "packSize": 1})),
        vec![(
            Kind::Drift,
            Some("/0/packSize".into()),
            "/definitions/Cat".into()
        )]
    );
    // The extended schema itself, and a value that names nothing.
    assert_eq!(check(json!({"petType": "Pet", "name": "Generic"})), vec![]);
    assert_eq!(
        check(json!({"petType": "Lizard", "name": "Liz"})),
        vec![(
            Kind::Violation,
            Some("/0/petType".into()),
            "/definitions/Pet/discriminator".into()
        )]
    );
}

#[test]
fn a_schema_that_is_its_own_all_of_part_does_not_crash() {
    // Regression: `A: {allOf: [{$ref: A}]}` used by a query parameter and a
    // body overflowed the stack while typing the parameter.
    let document = specgate_spec::load_str(
        "self.yaml",
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {$ref: '#/components/schemas/A'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    A: {allOf: [{$ref: '#/components/schemas/A'}]}
",
    )
    .unwrap();
    assert!(document
        .warnings
        .iter()
        .any(|w| w.kind == specgate_spec::WarningKind::CyclicSchema));
    let validator = Validator::new(&document).unwrap();
    let line = json!({
        "request": {"method": "GET", "url": "/a?q=1"},
        "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": "{\"x\": 1}"}
    });
    assert_eq!(findings_of(&validator, &line), vec![]);
}

#[test]
fn bodies_the_document_does_not_describe_are_reported() {
    let document = specgate_spec::load_str(
        "bodies.yaml",
        "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /items/{id}:
    delete:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200': {description: deleted}
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200':
          description: the item
          content:
            application/json:
              schema: {type: object, properties: {id: {type: integer}}}
",
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let exchange = |method: &str, headers: Value, body: &str| {
        findings_of(
            &validator,
            &json!({
                "request": {"method": method, "url": "/items/1"},
                "response": {"status": 200, "headers": headers, "body": body}
            }),
        )
    };
    // A DELETE whose 200 has no `content` answers a body.
    let found = exchange(
        "DELETE",
        json!({"content-type": "application/json"}),
        "{\"success\": true}",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, Kind::UndocumentedMediaType);
    assert_eq!(found[0].place, Some(Place::ResponseBody));
    assert!(
        found[0].message.contains("describes no response body"),
        "{}",
        found[0].message
    );
    assert_eq!(exchange("DELETE", json!({}), ""), vec![]);
    // A JSON body without a Content-Type is reported, and still checked as
    // the one type documented.
    let found = exchange("GET", json!({}), "{\"id\": \"one\"}");
    let kinds: Vec<_> = found.iter().map(|f| (f.kind, f.pointer.clone())).collect();
    assert_eq!(
        kinds,
        vec![
            (Kind::UndocumentedMediaType, None),
            (Kind::Violation, Some("/id".to_owned()))
        ],
        "{found:?}"
    );
    assert!(
        found[0].message.contains("has no Content-Type"),
        "{}",
        found[0].message
    );
    // A request body where the operation describes none.
    let found = findings_of(
        &validator,
        &json!({
            "request": {"method": "DELETE", "url": "/items/1", "headers": {"content-type": "application/json"},
                        "body": "{\"force\": true}"},
            "response": {"status": 200, "headers": {}}
        }),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].kind, found[0].place.clone()),
        (Kind::UndocumentedMediaType, Some(Place::RequestBody))
    );
}

#[test]
fn the_validator_reads_discriminators_as_the_generated_client_does() {
    // The schemas the code generator's fixture crate is built from
    // (`codegen/tests/fixtures/checks.rs` reads these same bodies): a
    // value the branch gives itself selects it, and a schema others extend
    // is checked as the one its value names. Each is the response body of
    // an operation of its own.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/fixtures/composition.yaml");
    let fixture = specgate_spec::load(&path).unwrap();
    let paths: serde_json::Map<String, Value> = ["Shape", "Zoo", "Animal"]
        .iter()
        .map(|name| {
            let operation = json!({"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}}}}});
            (format!("/{name}"), operation)
        })
        .collect();
    let schemas: serde_json::Map<String, Value> = fixture
        .schemas
        .iter()
        .map(|(name, named)| (name.clone(), named.schema.value.clone()))
        .collect();
    let document = specgate_spec::load_str(
        "composition.json",
        &json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": paths, "components": {"schemas": schemas}
        })
        .to_string(),
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let check = |schema: &str, value: Value| -> Vec<(Kind, Option<String>)> {
        let line = json!({
            "request": {"method": "GET", "url": format!("/{schema}")},
            "response": {"status": 200, "headers": {"content-type": "application/json"},
                         "body": value.to_string()}
        });
        findings_of(&validator, &line)
            .into_iter()
            .map(|f| (f.kind, f.pointer))
            .collect()
    };
    assert_eq!(
        check("Shape", json!({"kind": "square", "side": 2.0})),
        vec![]
    );
    assert_eq!(
        check("Shape", json!({"kind": "circle", "radius": 1.0})),
        vec![]
    );
    // A Square without its side is refused, not taken for a Circle.
    let refused = check("Shape", json!({"kind": "square"}));
    assert!(
        !refused.is_empty() && refused.iter().all(|(k, _)| *k == Kind::Violation),
        "{refused:?}"
    );
    assert_eq!(
        check(
            "Zoo",
            json!({"star": {"species": "lion", "name": "Leo", "mane": true}})
        ),
        vec![]
    );
    assert_eq!(
        check("Animal", json!({"species": "Animal", "name": "any"})),
        vec![]
    );
    let refused = check("Animal", json!({"species": "lion"}));
    assert!(!refused.is_empty(), "a lion without its mane: {refused:?}");
}

#[test]
fn members_declared_by_alternatives_and_free_form_objects_are_not_drift() {
    // GitHub's repository rules: each branch of a `oneOf` declares its own
    // `parameters`; a free-form object says so with
    // `additionalProperties: true`.
    let document = specgate_spec::load_str(
        "rules.yaml",
        r##"
openapi: 3.1.0
info: {title: rules, version: "1"}
paths:
  /rules:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  oneOf:
                    - type: object
                      properties:
                        type: {const: pattern}
                        parameters:
                          type: object
                          properties: {operator: {type: string}, pattern: {type: string}}
                    - type: object
                      properties:
                        type: {const: deployments}
                        parameters:
                          type: object
                          properties: {environments: {type: array}}
                        envelope: {type: object, properties: {}, additionalProperties: true}
"##,
    )
    .unwrap();
    let validator = Validator::new(&document).unwrap();
    let body = json!([
        {"type": "pattern", "parameters": {"operator": "starts_with", "pattern": "x"}},
        {"type": "deployments", "parameters": {"environments": []},
         "envelope": {"payload": "e30=", "signatures": []}},
        {"type": "deployments", "parameters": {"environments": [], "surprise": 1}}
    ]);
    let exchange = json!({
        "request": {"method": "GET", "url": "/rules"},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": body.to_string()}
    });
    let drift: Vec<String> = findings_of(&validator, &exchange)
        .into_iter()
        .filter(|f| f.kind == Kind::Drift)
        .filter_map(|f| f.pointer)
        .collect();
    assert_eq!(drift, vec!["/2/parameters/surprise"]);
}
