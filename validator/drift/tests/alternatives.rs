//! An object matched by one of several alternatives (`oneOf` without a
//! discriminator, as GitHub's `owner: oneOf [simple-user, enterprise]`)
//! is counted, and its new members suggested, at the alternative that
//! declares most of its members.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use specgate_drift::{Options, Tally};
use specgate_validator::{check_item, input::Lines, Validator};

const DOCUMENT: &str = r##"
openapi: 3.1.0
info: {title: owners, version: "1"}
paths:
  /apps/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner:
                    oneOf:
                      - $ref: "#/components/schemas/User"
                      - $ref: "#/components/schemas/Enterprise"
components:
  schemas:
    User:
      type: object
      required: [login, id]
      properties: {login: {type: string}, id: {type: integer}, avatar_url: {type: string}}
    Enterprise:
      type: object
      required: [slug, id]
      properties: {slug: {type: string}, id: {type: integer}, website_url: {type: string}}
"##;

#[test]
fn each_object_is_read_as_the_alternative_it_matches() {
    let document = specgate_spec::load_str("owners.yaml", DOCUMENT).unwrap();
    let owners = [
        json!({"login": "ann", "id": 1, "site_admin": false}),
        json!({"login": "bob", "id": 2, "site_admin": true}),
        json!({"slug": "acme", "id": 3, "billing_email": "x@acme.test"}),
    ];
    let traffic: String = owners
        .iter()
        .enumerate()
        .map(|(i, owner)| {
            json!({"request": {"method": "GET", "url": format!("/apps/{i}")},
                   "response": {"status": 200, "headers": {"content-type": "application/json"},
                                "body": json!({"owner": owner}).to_string()}})
            .to_string()
                + "\n"
        })
        .collect();
    let validator = Validator::new(&document).unwrap().observing(true);
    let mut tally = Tally::default();
    for item in Lines::new("owners.jsonl", traffic.as_bytes()) {
        tally.add(check_item(&validator, item));
    }
    let report = tally.finish(&document, &validator, &Options::default());
    let members: Vec<(&str, &str, u64, u64)> = report
        .members
        .iter()
        .map(|m| (m.schema.pointer.as_str(), m.name.as_str(), m.count, m.of))
        .collect();
    assert_eq!(
        members,
        vec![
            ("/components/schemas/Enterprise", "billing_email", 1, 1),
            ("/components/schemas/User", "site_admin", 2, 2),
        ]
    );
    // Each alternative's own members were seen, or not, in its objects.
    let unseen: Vec<&str> = report
        .unseen
        .iter()
        .map(|u| u.schema.pointer.as_str())
        .collect();
    assert_eq!(
        unseen,
        vec![
            "/components/schemas/Enterprise/properties/website_url",
            "/components/schemas/User/properties/avatar_url",
        ]
    );
    assert!(report.required.is_empty(), "{:?}", report.required);
}

// Regression: an object that satisfies `anyOf/1` was read as `anyOf/0`,
// which declares more of its members, and `anyOf/0`'s required `login`
// was reported missing.
#[test]
fn an_object_is_read_as_an_alternative_whose_required_members_it_has() {
    let document = specgate_spec::load_str(
        "any.yaml",
        r##"
openapi: 3.1.0
info: {title: any, version: "1"}
paths:
  /who:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                anyOf:
                  - {type: object, required: [login], properties: {login: {type: string}, name: {type: string}, bio: {type: string}}}
                  - {type: object, required: [slug], properties: {slug: {type: string}}}
"##,
    )
    .unwrap();
    let traffic = json!({"request": {"method": "GET", "url": "/who"},
        "response": {"status": 200, "headers": {"content-type": "application/json"},
                     "body": json!({"slug": "acme", "name": "Acme", "bio": "x"}).to_string()}})
    .to_string()
        + "\n";
    let validator = Validator::new(&document).unwrap().observing(true);
    let mut tally = Tally::default();
    for item in Lines::new("any.jsonl", traffic.as_bytes()) {
        tally.add(check_item(&validator, item));
    }
    let report = tally.finish(&document, &validator, &Options::default());
    assert!(report.required.is_empty(), "{:?}", report.required);
    let counted: Vec<(&str, &str)> = report
        .members
        .iter()
        .map(|m| (m.schema.pointer.as_str(), m.name.as_str()))
        .collect();
    assert!(
        counted.iter().all(|(at, _)| at.contains("anyOf/1")),
        "{counted:?}"
    );
}
