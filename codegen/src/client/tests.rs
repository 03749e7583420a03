//! The encodings of the generated runtime, against the examples of the
//! OpenAPI specification's style table.

use serde_json::json;

use super::support::{path_value, query_pairs, Body, Request, Style};

fn pairs(
    name: &str,
    value: serde_json::Value,
    style: Style,
    explode: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    query_pairs(name, &value, style, explode, &mut out);
    out
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn query_styles_follow_the_specification() {
    let array = json!(["blue", "black", "brown"]);
    let object = json!({"R": 100, "G": 200, "B": 150});
    assert_eq!(
        pairs("color", array.clone(), Style::Form, true),
        owned(&[("color", "blue"), ("color", "black"), ("color", "brown")])
    );
    assert_eq!(
        pairs("color", array.clone(), Style::Form, false),
        owned(&[("color", "blue,black,brown")])
    );
    assert_eq!(
        pairs("color", array.clone(), Style::SpaceDelimited, false),
        owned(&[("color", "blue black brown")])
    );
    assert_eq!(
        pairs("color", array, Style::PipeDelimited, false),
        owned(&[("color", "blue|black|brown")])
    );
    assert_eq!(
        pairs("color", object.clone(), Style::Form, true),
        owned(&[("R", "100"), ("G", "200"), ("B", "150")])
    );
    assert_eq!(
        pairs("color", object.clone(), Style::Form, false),
        owned(&[("color", "R,100,G,200,B,150")])
    );
    assert_eq!(
        pairs("color", object, Style::DeepObject, true),
        owned(&[
            ("color[R]", "100"),
            ("color[G]", "200"),
            ("color[B]", "150")
        ])
    );
    assert_eq!(
        pairs("page", json!(2), Style::Form, true),
        owned(&[("page", "2")])
    );
    assert_eq!(pairs("q", json!(null), Style::Form, true), owned(&[]));
}

#[test]
fn path_styles_follow_the_specification() {
    let array = json!(["blue", "black", "brown"]);
    let object = json!({"R": 100, "G": 200, "B": 150});
    assert_eq!(
        path_value("color", &json!("blue"), Style::Simple, false),
        "blue"
    );
    assert_eq!(
        path_value("color", &array, Style::Simple, false),
        "blue,black,brown"
    );
    assert_eq!(
        path_value("color", &object, Style::Simple, false),
        "R,100,G,200,B,150"
    );
    assert_eq!(
        path_value("color", &object, Style::Simple, true),
        "R=100,G=200,B=150"
    );
    assert_eq!(
        path_value("color", &array, Style::Label, false),
        ".blue,black,brown"
    );
    assert_eq!(
        path_value("color", &array, Style::Label, true),
        ".blue.black.brown"
    );
    assert_eq!(
        path_value("color", &json!("blue"), Style::Matrix, false),
        ";color=blue"
    );
    assert_eq!(
        path_value("color", &array, Style::Matrix, true),
        ";color=blue;color=black;color=brown"
    );
    // A value never leaves its segment.
    assert_eq!(
        path_value("id", &json!("a/b c?d#é"), Style::Simple, false),
        "a%2Fb%20c%3Fd%23%C3%A9"
    );
}

#[test]
fn request_fills_the_template_and_keeps_the_first_error() {
    let mut request = Request::new("GET", "/accounts/{account_id}/conversations/{id}");
    request.path("account_id", &7, Style::Simple, false);
    request.path("id", &"x/y", Style::Simple, false);
    request.query("labels", Some(&vec!["vip", "new"]), Style::Form, true);
    request.query::<String>("q", None, Style::Form, true);
    request.header("X-Trace", Some(&vec![1, 2]), false);
    assert_eq!(request.path, "/accounts/7/conversations/x%2Fy");
    assert_eq!(
        request.query,
        owned(&[("labels", "vip"), ("labels", "new")])
    );
    assert_eq!(request.headers, owned(&[("X-Trace", "1,2")]));
    assert_eq!(request.error, None);

    let mut map = std::collections::HashMap::new();
    map.insert(vec![1], 2);
    request.query("bad", Some(&map), Style::Form, true);
    let error = request.error.unwrap_or_default();
    assert!(error.contains("parameter `bad`"), "{error}");
}

#[test]
fn bodies_encode_as_declared() {
    let value = json!({"name": "Ada", "tags": ["a", "b"], "meta": {"k": 1}, "gone": null});
    let Ok(Body::Form(fields)) = Body::form(&value) else {
        panic!("a form body");
    };
    assert_eq!(
        fields,
        owned(&[
            ("name", "Ada"),
            ("tags", "a"),
            ("tags", "b"),
            ("meta[k]", "1")
        ])
    );
    let Ok(Body::Multipart(parts)) = Body::multipart(&value) else {
        panic!("a multipart body");
    };
    let summary: Vec<(&str, &[u8], Option<&str>)> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.bytes.as_slice(),
                p.content_type.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("name", b"Ada".as_slice(), None),
            ("tags", b"a".as_slice(), None),
            ("tags", b"b".as_slice(), None),
            ("meta", b"{\"k\":1}".as_slice(), Some("application/json")),
        ]
    );
    assert_eq!(
        Body::json("application/json", &value),
        Ok(Body::Bytes {
            content_type: "application/json".into(),
            bytes: serde_json::to_vec(&value).unwrap_or_default(),
        })
    );
}
