//! Tests of the parent module.
use super::*;

type Case<'a> = (&'a str, &'a str, Option<(usize, usize)>);

const JSON: &str = r#"{
  "paths": {
    "/pets/{id}": {"get": 1},
    "a~b": 2,
    "esc\/aped": 3,
    "\u00e9t\u00E9": 4,
    "\ud83d\ude00": 5
  },
  "ünïcödé": "ö", "x": [
    "é", {"y": null}
  ]
}"#;

#[test]
fn json_pointers() {
    let one_line = r#"{"a": {"b": [10, 20, {"c": true}]}}"#;
    let cases: &[Case<'_>] = &[
        (one_line, "", Some((1, 1))),
        (one_line, "/a", Some((1, 2))),
        (one_line, "/a/b", Some((1, 8))),
        (one_line, "/a/b/0", Some((1, 14))),
        (one_line, "/a/b/1", Some((1, 18))),
        (one_line, "/a/b/2/c", Some((1, 23))),
        (one_line, "/a/b/3", None),
        (one_line, "/a/b/01", None),
        (one_line, "/a/b/-", None),
        (one_line, "/a/b/x", None),
        (one_line, "/a/x", None),
        (one_line, "/a/b/2/c/d", None),
        (one_line, "a", None),
        (JSON, "/paths", Some((2, 3))),
        (JSON, "/paths/~1pets~1{id}/get", Some((3, 20))),
        (JSON, "/paths/a~0b", Some((4, 5))),
        (JSON, "/paths/esc~1aped", Some((5, 5))),
        (JSON, "/paths/été", Some((6, 5))),
        (JSON, "/paths/😀", Some((7, 5))),
        (JSON, "/paths/a~1b", None),
        (JSON, "/x", Some((9, 19))),
        (JSON, "/x/0", Some((10, 5))),
        (JSON, "/x/1/y", Some((10, 11))),
        (JSON, "/x/1/y/0", None),
        ("\n  [1, [2]]", "", Some((2, 3))),
        ("\n  [1, [2]]", "/1/0", Some((2, 8))),
        ("\r\n[\r\n 1]", "/0", Some((3, 2))),
        ("{\"\": {\"\": 1}}", "//", Some((1, 7))),
        ("{}", "/a", None),
        ("[]", "/0", None),
        ("3", "/0", None),
        ("", "", Some((1, 1))),
    ];
    for &(text, pointer, expected) in cases {
        assert_eq!(
            line_column(text, Format::Json, pointer),
            expected,
            "{pointer} in {text}"
        );
    }
}

#[test]
fn batch_agrees_with_single_lookups() {
    let text =
        "{\n  \"a\": {\"b/c\": [1, {\"d\": 2}]},\n  \"e~f\": \"\\u00e9\",\n  \"g\": [true]\n}";
    let pointers = [
        "/a/b~1c/1/d",
        "/e~0f",
        "/g/0",
        "/missing",
        "",
        "/a",
        "/a/b~1c/0",
    ];
    let batch = line_columns(text, Format::Json, &pointers);
    for (pointer, found) in pointers.iter().zip(&batch) {
        assert_eq!(
            *found,
            line_column(text, Format::Json, pointer),
            "{pointer}"
        );
    }
    assert_eq!(batch[0], Some((2, 21)));
    assert_eq!(batch[3], None);
}

#[test]
fn json_hostile() {
    let deep = "[".repeat(100_000);
    assert_eq!(line_column(&deep, Format::Json, ""), Some((1, 1)));
    assert_eq!(line_column(&deep, Format::Json, "/0/0/0"), Some((1, 4)));
    assert_eq!(line_column(&deep, Format::Json, "/1"), None);
    let balanced = format!(
        r#"{{"a": {}{}, "b": 1}}"#,
        "[{\"]\":".repeat(50_000),
        "}]".repeat(50_000)
    );
    assert_eq!(
        line_column(&balanced, Format::Json, "/b"),
        Some((1, balanced.len() - 6))
    );
    let truncated = r#"{"a": {"b": 1}, "c": [1, 2"#;
    assert_eq!(line_column(truncated, Format::Json, "/a/b"), Some((1, 8)));
    assert_eq!(line_column(truncated, Format::Json, "/c/1"), Some((1, 26)));
    assert_eq!(line_column(truncated, Format::Json, "/c/2"), None);
    assert_eq!(line_column(r#"{"a": "open"#, Format::Json, "/b"), None);
    assert_eq!(line_column(r#"{"a\"#, Format::Json, "/a"), None);
    for garbage in [
        "not json",
        "}}}]]]",
        ":::",
        "{\"a\" 1}",
        "{1: 2}",
        "[,,,",
        "\"\\u12",
    ] {
        assert_eq!(
            line_column(garbage, Format::Json, "/a/0"),
            None,
            "{garbage}"
        );
        assert_eq!(line_column(garbage, Format::Json, "/0"), None, "{garbage}");
    }
    // Every prefix of a document, with every pointer: no panic.
    let pointers = ["", "/paths/é", "/x/1/y", "/x/9", "/paths/😀"];
    for end in (0..=JSON.len()).filter(|&end| JSON.is_char_boundary(end)) {
        for pointer in pointers {
            let _ = line_column(&JSON[..end], Format::Json, pointer);
        }
    }
}

/// The rest of the line at a 1-based position.
fn text_at(text: &str, (line, column): (usize, usize)) -> String {
    let line = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    line.chars().skip(column.saturating_sub(1)).collect()
}

/// Every pointer into a pretty-printed document lands on the member's
/// key or on the element itself.
#[test]
fn json_agrees_with_serde() {
    use serde_json::Value;
    let value = serde_json::json!({
        "a": {"b/c": [1, {"d~e": "x\"y", "é": [[], {}, null, [2]]}], "f": "\u{1F600}"},
        "g": [true, false, "s", 2.5, {"z": 0}],
        "h\\i": {"j": {"k": {"l": [0]}}}
    });
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    let mut stack = vec![(String::new(), &value)];
    let mut checked = 0;
    while let Some((pointer, node)) = stack.pop() {
        let children: Vec<(String, &Value, String)> = match node {
            Value::Object(map) => map
                .iter()
                .map(|(key, child)| {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    (token, child, serde_json::to_string(key).unwrap_or_default())
                })
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, child)| {
                    // Pretty-printed containers span lines: compare the bracket.
                    let mut written = serde_json::to_string(child).unwrap_or_default();
                    if child.is_array() || child.is_object() {
                        written.truncate(1);
                    }
                    (index.to_string(), child, written)
                })
                .collect(),
            _ => Vec::new(),
        };
        for (token, child, written) in children {
            let pointer = format!("{pointer}/{token}");
            let position = line_column(&text, Format::Json, &pointer).unwrap_or_default();
            let at = text_at(&text, position);
            assert!(at.starts_with(&written), "{pointer}: {at}");
            checked += 1;
            stack.push((pointer, child));
        }
    }
    assert_eq!(checked, 24);
}

const YAML: &str = r#"openapi: 3.0.0
info:
  title: "Pets"
  description: |
    A block scalar
    with: colons: and - dashes
paths:
  /pets/{id}:
    get:
      responses:
        200:
          description: ok
        "404":
          description: missing
      tags: [a, b]
      flags: {true: yes, 'a/b': 1}
list:
  - first
  - name: second
    value: 2
  -   - nested
flow: {a: [1, 2]}
café: {ü: x, k: é}
~tilde: 1
"#;

#[test]
fn yaml_pointers() {
    let get = "/paths/~1pets~1{id}/get";
    let cases: Vec<(String, Option<(usize, usize)>)> = vec![
        (String::new(), Some((1, 1))),
        ("/openapi".into(), Some((1, 1))),
        ("/info/description".into(), Some((4, 3))),
        ("/paths".into(), Some((7, 1))),
        (format!("{get}/responses/200"), Some((11, 9))),
        (format!("{get}/responses/404"), Some((13, 9))),
        (format!("{get}/responses/404/description"), Some((14, 11))),
        (format!("{get}/tags/1"), Some((15, 17))),
        (format!("{get}/flags/true"), Some((16, 15))),
        (format!("{get}/flags/a~1b"), Some((16, 26))),
        ("/list/0".into(), Some((18, 5))),
        ("/list/1".into(), Some((19, 5))),
        ("/list/1/value".into(), Some((20, 5))),
        ("/list/2".into(), Some((21, 7))),
        ("/list/2/0".into(), Some((21, 9))),
        ("/flow/a/1".into(), Some((22, 15))),
        ("/café/k".into(), Some((23, 14))),
        ("/~0tilde".into(), Some((24, 1))),
        (format!("{get}/post"), None),
        (format!("{get}/responses/0200"), None),
        ("/list/3".into(), None),
        ("/list/x".into(), None),
        ("/openapi/x".into(), None),
        ("/nothing".into(), None),
    ];
    for (pointer, expected) in cases {
        assert_eq!(
            line_column(YAML, Format::Yaml, &pointer),
            expected,
            "{pointer}"
        );
    }
}

#[test]
fn yaml_aliases_and_documents() {
    let text = "base: &b\n  x: 1\n  y: [a, b]\nother: *b\nseq: &s [p, q]\nref: *s\nself: &loop [*loop]\nmerged: {<<: *b, z: 1}\n";
    let cases: &[(&str, Option<(usize, usize)>)] = &[
        ("/other", Some((4, 1))),
        ("/other/y", Some((3, 3))),
        ("/other/y/1", Some((3, 10))),
        ("/ref/1", Some((5, 13))),
        ("/self/0", Some((7, 14))),
        ("/self/0/0/0", Some((7, 14))),
        ("/merged/z", Some((8, 18))),
        ("/merged/x", None),
    ];
    for &(pointer, expected) in cases {
        assert_eq!(
            line_column(text, Format::Yaml, pointer),
            expected,
            "{pointer}"
        );
    }
    let endless = format!("/self{}", "/0".repeat(200));
    assert_eq!(line_column(text, Format::Yaml, &endless), None);

    let text = "# comment\n---\na: 1\n---\nb: 2\n";
    assert_eq!(line_column(text, Format::Yaml, ""), Some((3, 1)));
    assert_eq!(line_column(text, Format::Yaml, "/a"), Some((3, 1)));
    assert_eq!(line_column(text, Format::Yaml, "/b"), None);
    assert_eq!(line_column("", Format::Yaml, ""), None);
}

#[test]
fn yaml_hostile() {
    let deep = "[".repeat(100_000);
    let _ = line_column(&deep, Format::Yaml, "/0/0/0");
    let _ = line_column(&deep, Format::Yaml, "/1");
    let deep_block: String = (0..2_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let _ = line_column(&deep_block, Format::Yaml, "/k/k/x");
    assert_eq!(line_column("a: [1, 2\nb: 3\n", Format::Yaml, "/b"), None);
    assert_eq!(line_column("a: b: c: d\n", Format::Yaml, "/a/b"), None);
    assert_eq!(line_column("a: *nowhere\n", Format::Yaml, "/a/0"), None);
    for garbage in ["{{{", "- - - [", ":\n:\n\t- x", "'open", "&a\n*a: *a"] {
        let _ = line_column(garbage, Format::Yaml, "/a/0");
    }
    let pointers = ["", "/paths/~1pets~1{id}/get/tags/1", "/list/2/0", "/café/k"];
    for end in (0..=YAML.len()).filter(|&end| YAML.is_char_boundary(end)) {
        for pointer in pointers {
            let _ = line_column(&YAML[..end], Format::Yaml, pointer);
        }
    }
}
