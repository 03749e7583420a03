//! Instances of a schema, made from the model: the document's own
//! examples, a minimal instance (required members only, each value the
//! smallest its constraints allow), and values at and around each
//! constraint (bounds and one past them, lengths, counts, enum and const
//! values, strings of each known format and not, members present and
//! absent, one value of every type). Nothing here validates: a validator
//! says which instances a schema accepts. `specgate diff` uses them to find
//! a witness of each breaking change (an instance one version accepts and
//! the other refuses); they are also the seed of generated requests and
//! mock responses.
//!
//! ```
//! let doc = specgate_spec::load_str("t.yaml", r#"
//! openapi: 3.1.0
//! info: {title: t, version: "1"}
//! paths: {}
//! components:
//!   schemas:
//!     Page: {type: object, required: [per_page], properties: {per_page: {type: integer, maximum: 100}}}
//! "#).expect("loads");
//! let page = &doc.schemas["Page"].schema.value;
//! let at = vec!["per_page".to_owned()];
//! let around = specgate_spec::instances::around(&doc, page, &at, 100);
//! assert_eq!(around.base, serde_json::json!({"per_page": 0}));
//! assert!(around.variants.contains(&serde_json::json!({"per_page": 101})));
//! assert!(around.variants.contains(&serde_json::json!({"per_page": 100})));
//! ```

use serde_json::{json, Map, Value};

use crate::Document;

/// The model's one bound on schema nesting: how deep a minimal instance
/// is built.
const MAX_DEPTH: usize = crate::MAX_SCHEMA_DEPTH;

/// The instance path segment of array items.
pub const ITEMS: &str = "[]";

/// A string of each format the validator checks, valid.
const FORMAT_SAMPLES: &[(&str, &str)] = &[
    ("date", "2024-01-02"),
    ("date-time", "2024-01-02T03:04:05Z"),
    ("time", "03:04:05Z"),
    ("duration", "P1D"),
    ("email", "a@example.com"),
    ("idn-email", "a@example.com"),
    ("hostname", "example.com"),
    ("idn-hostname", "example.com"),
    ("ipv4", "192.0.2.1"),
    ("ipv6", "2001:db8::1"),
    ("uri", "https://example.com/a"),
    ("uri-reference", "/a"),
    ("iri", "https://example.com/a"),
    ("iri-reference", "/a"),
    ("uri-template", "/a/{b}"),
    ("uuid", "123e4567-e89b-12d3-a456-426614174000"),
    ("json-pointer", "/a/b"),
    ("relative-json-pointer", "0/a"),
    ("regex", "^a+$"),
];

/// Strings that tell common patterns apart.
const STRING_PROBES: &[&str] = &[
    "a",
    "abc",
    "ABC",
    "123",
    "a_b-c",
    "a b",
    "https://example.com",
    "http://example.com",
    "x",
];

/// The schema objects that apply to one node: the model's layers (itself,
/// what its `$ref` names, its `allOf` members).
fn parts<'a>(
    document: &'a Document,
    schema: &'a Value,
    _depth: usize,
) -> Vec<&'a Map<String, Value>> {
    document
        .schema_layers(schema, crate::Origin::unplaced(), crate::Alternatives::Skip)
        .into_iter()
        .map(|layer| layer.object)
        .collect()
}

/// The first value any part gives a keyword.
fn first<'a>(parts: &[&'a Map<String, Value>], keyword: &str) -> Option<&'a Value> {
    parts.iter().find_map(|p| p.get(keyword))
}

fn number(parts: &[&Map<String, Value>], keyword: &str) -> Option<f64> {
    first(parts, keyword).and_then(Value::as_f64)
}

/// The type an instance should have: the first non-null declared, else
/// the one its keywords imply.
fn type_of<'a>(parts: &[&'a Map<String, Value>]) -> Option<&'a str> {
    match first(parts, "type") {
        Some(Value::String(t)) => return Some(t),
        Some(Value::Array(types)) => {
            if let Some(t) = types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
            {
                return Some(t);
            }
            return Some("null");
        }
        _ => {}
    }
    let has = |keyword: &str| parts.iter().any(|p| p.contains_key(keyword));
    if has("properties") || has("required") || has("additionalProperties") {
        Some("object")
    } else if has("items") || has("prefixItems") {
        Some("array")
    } else if has("maxLength") || has("minLength") || has("pattern") {
        Some("string")
    } else if has("maximum") || has("minimum") || has("multipleOf") {
        Some("number")
    } else {
        None
    }
}

/// The `oneOf`/`anyOf` alternatives of a node.
fn alternatives<'a>(parts: &[&'a Map<String, Value>]) -> Vec<&'a Value> {
    parts
        .iter()
        .filter_map(|p| p.get("oneOf").or_else(|| p.get("anyOf")))
        .filter_map(Value::as_array)
        .flatten()
        .collect()
}

/// The schema of a member of an object node, wherever a part or an
/// alternative declares it.
fn member<'a>(
    document: &'a Document,
    parts: &[&'a Map<String, Value>],
    name: &str,
) -> Option<&'a Value> {
    let declared = parts.iter().find_map(|p| p.get("properties")?.get(name));
    declared.or_else(|| {
        alternatives(parts).into_iter().find_map(|alternative| {
            let inner = self::parts(document, alternative, 1);
            inner.iter().find_map(|p| p.get("properties")?.get(name))
        })
    })
}

/// The position a `[i]` instance path segment names (a `prefixItems` item).
fn position(segment: &str) -> Option<usize> {
    segment
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .and_then(|s| s.parse().ok())
}

/// The schema one instance path segment below a node.
fn child<'a>(document: &'a Document, schema: &'a Value, segment: &str) -> Option<&'a Value> {
    let parts = parts(document, schema, 0);
    if segment == ITEMS {
        return first(&parts, "items").or_else(|| {
            alternatives(&parts)
                .into_iter()
                .find_map(|a| first(&self::parts(document, a, 1), "items"))
        });
    }
    if let Some(index) = position(segment) {
        return first(&parts, "prefixItems")?.get(index);
    }
    if segment == "*" {
        return first(&parts, "additionalProperties").filter(|v| v.is_object());
    }
    member(document, &parts, segment)
}

/// The alternative of a node that declares what is one segment below it,
/// when the node itself does not: where a path into a `oneOf` goes.
fn alternative_declaring<'a>(
    document: &'a Document,
    schema: &'a Value,
    segment: &str,
) -> Option<&'a Value> {
    let parts = parts(document, schema, 0);
    let declares = |parts: &[&Map<String, Value>]| {
        if segment == ITEMS {
            first(parts, "items").is_some()
        } else {
            parts.iter().any(|p| {
                p.get("properties")
                    .is_some_and(|ps| ps.get(segment).is_some())
            })
        }
    };
    let requires = |parts: &[&Map<String, Value>]| {
        parts.iter().any(|p| {
            p.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(segment)))
        })
    };
    let alternatives = alternatives(&parts);
    // An alternative that requires what is below (`anyOf` of `required`
    // sets), else, when the node does not declare it, one that does.
    alternatives
        .iter()
        .copied()
        .find(|a| requires(&self::parts(document, a, 1)))
        .or_else(|| {
            if declares(&parts) {
                return None;
            }
            alternatives
                .iter()
                .copied()
                .find(|a| declares(&self::parts(document, a, 1)))
        })
}

/// A small instance the schema should accept: required members only, each
/// the smallest value its constraints allow; the document's own example
/// or const where it gives one.
pub fn minimal(document: &Document, schema: &Value) -> Value {
    minimal_at(document, schema, 0)
}

fn minimal_at(document: &Document, schema: &Value, depth: usize) -> Value {
    minimal_of(document, &parts(document, schema, 0), depth)
}

/// The minimal instance of a node and one of its alternatives together:
/// an alternative that only adds `required` names members its node
/// declares.
fn minimal_within(document: &Document, node: &Value, alternative: &Value) -> Value {
    let mut both = parts(document, node, 0);
    both.extend(parts(document, alternative, 1));
    minimal_of(document, &both, 0)
}

/// The subtypes a discriminator in the parts selects: each mapped value
/// and the named schema's minimal instance with the value set, skipping a
/// subtype the parts already are (a subtype extends its base through
/// `allOf`, and so carries the base's discriminator).
fn subtypes(document: &Document, parts: &[&Map<String, Value>], depth: usize) -> Vec<Value> {
    let Some(discriminator) = parts
        .iter()
        .find_map(|p| crate::model::Discriminator::of_object(p, true))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (value, name) in discriminator.mapping.iter().take(64) {
        let Some(named) = document.schemas.get(name) else {
            continue;
        };
        let inner = self::parts(document, &named.schema.value, 1);
        if inner.iter().any(|i| {
            parts
                .iter()
                .any(|p| std::ptr::eq(*p, *i) && p.get("discriminator").is_none())
        }) {
            // Already within this subtype.
            return Vec::new();
        }
        let mut instance = minimal_of(document, &inner, depth + 1);
        if let Value::Object(object) = &mut instance {
            object.insert(discriminator.property.clone(), json!(value));
        }
        out.push(instance);
    }
    out
}

fn minimal_of(document: &Document, parts: &[&Map<String, Value>], depth: usize) -> Value {
    let parts = parts.to_vec();
    // A discriminated union is its first subtype, tag set.
    if depth <= MAX_DEPTH {
        if let Some(first) = subtypes(document, &parts, depth).into_iter().next() {
            return first;
        }
    }
    if let Some(value) = first(&parts, "const") {
        return value.clone();
    }
    if let Some(Value::Array(values)) = first(&parts, "enum") {
        if let Some(value) = values.iter().find(|v| !v.is_null()).or(values.first()) {
            return value.clone();
        }
    }
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let kind = type_of(&parts);
    let example = first(&parts, "example").or_else(|| {
        first(&parts, "examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
    });
    if kind.is_none() {
        if let Some(alternative) = alternatives(&parts).first() {
            return minimal_at(document, alternative, depth + 1);
        }
        return example.cloned().unwrap_or(Value::Null);
    }
    match kind {
        Some("object") => {
            let mut object = Map::new();
            // The first alternative's required members too: an object that
            // must match one of several `required` sets matches the first.
            // Unless the parts already hold one of the alternatives (the
            // one a path goes through).
            let mut parts = parts;
            let options = alternatives(&parts);
            let chosen = options.iter().any(|a| {
                a.as_object()
                    .is_some_and(|a| parts.iter().any(|p| std::ptr::eq(*p, a)))
            });
            if let (Some(alternative), false) = (options.first(), chosen) {
                let inner = self::parts(document, alternative, 1);
                if inner
                    .iter()
                    .all(|p| !p.contains_key("oneOf") && !p.contains_key("anyOf"))
                {
                    parts.extend(inner);
                }
            }
            for part in &parts {
                let Some(Value::Array(required)) = part.get("required") else {
                    continue;
                };
                for name in required.iter().filter_map(Value::as_str) {
                    if object.contains_key(name) {
                        continue;
                    }
                    let value = member(document, &parts, name)
                        .map_or(json!("a"), |s| minimal_at(document, s, depth + 1));
                    object.insert(name.to_owned(), value);
                }
            }
            // `minProperties` past the required members: declared ones,
            // in order (an identifier object that needs one of several).
            let wanted = number(&parts, "minProperties")
                .unwrap_or(0.0)
                .clamp(0.0, 64.0) as usize;
            if object.len() < wanted {
                let declared = parts
                    .iter()
                    .filter_map(|p| p.get("properties").and_then(Value::as_object))
                    .flatten();
                for (name, schema) in declared {
                    if object.len() >= wanted {
                        break;
                    }
                    if !object.contains_key(name) {
                        let value = minimal_at(document, schema, depth + 1);
                        object.insert(name.clone(), value);
                    }
                }
            }
            Value::Object(object)
        }
        Some("array") => {
            let count = number(&parts, "minItems").unwrap_or(0.0).clamp(0.0, 16.0) as usize;
            let prefix: Vec<&Value> = first(&parts, "prefixItems")
                .and_then(Value::as_array)
                .map(|p| p.iter().collect())
                .unwrap_or_default();
            let items = first(&parts, "items");
            let unique = first(&parts, "uniqueItems") == Some(&Value::Bool(true));
            let values = (0..count).map(|i| match (prefix.get(i), items) {
                (Some(schema), _) => minimal_at(document, schema, depth + 1),
                (None, Some(items)) => {
                    let value = minimal_at(document, items, depth + 1);
                    // Distinct items where they must be.
                    match (&value, unique) {
                        (Value::Number(_), true) => json!(i),
                        (Value::String(s), true) => json!(format!("{s}{i}")),
                        _ => value,
                    }
                }
                (None, None) => json!(i),
            });
            Value::Array(values.collect())
        }
        Some("string") => {
            let pattern = first(&parts, "pattern").and_then(Value::as_str);
            let min = number(&parts, "minLength")
                .unwrap_or(0.0)
                .clamp(0.0, 4096.0) as usize;
            let max = number(&parts, "maxLength").map_or(usize::MAX, |m| m.max(0.0) as usize);
            // A string the pattern matches, built from the pattern and
            // padded to `minLength`, before the document's example:
            // examples are often abridged (`sha256:0ecb...`).
            let matching = pattern
                .and_then(jsonschema_regex::pattern_witness)
                .map(|m| {
                    if m.chars().count() < min {
                        sized(&m, min)
                    } else {
                        m
                    }
                });
            let format = first(&parts, "format")
                .and_then(Value::as_str)
                .and_then(sample);
            let from_example = match example {
                Some(Value::String(e)) => Some(e.clone()),
                _ => None,
            };
            let fits = |s: &String| (min..=max).contains(&s.chars().count());
            let chosen = matching
                .into_iter()
                .chain(pattern.and(from_example.clone()))
                .chain(format.map(str::to_owned))
                .chain(from_example)
                .find(fits);
            json!(chosen.unwrap_or_else(|| "a".repeat(min.max(1).min(max))))
        }
        Some("integer") | Some("number") => {
            let integer = kind == Some("integer");
            let low = number(&parts, "minimum").or_else(|| {
                number(&parts, "exclusiveMinimum").map(|m| m + if integer { 1.0 } else { 0.5 })
            });
            let high = number(&parts, "maximum").or_else(|| {
                number(&parts, "exclusiveMaximum").map(|m| m - if integer { 1.0 } else { 0.5 })
            });
            let mut value = 0.0_f64;
            if let Some(low) = low {
                value = value.max(low.ceil());
            }
            if let Some(high) = high {
                value = value.min(high.floor());
            }
            if let Some(step) = number(&parts, "multipleOf").filter(|m| *m > 0.0) {
                value = (value / step).ceil() * step;
            }
            as_number(value, integer)
        }
        Some("boolean") => json!(true),
        _ => Value::Null,
    }
}

fn sample(format: &str) -> Option<&'static str> {
    FORMAT_SAMPLES
        .iter()
        .find(|(name, _)| *name == format)
        .map(|(_, s)| *s)
}

fn as_number(value: f64, integer: bool) -> Value {
    if integer || value.fract() == 0.0 {
        if value.abs() < 9.0e15 {
            return json!(value as i64);
        }
        if value > 0.0 && value < 1.9e19 {
            return json!(value as u64);
        }
    }
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// Values at and around the constraints of one node (not of its
/// members: those have their own paths), and of the schemas that apply to
/// the same node (`not`, `if`, `then`, `else`).
pub fn edges(document: &Document, schema: &Value) -> Vec<Value> {
    edges_at(document, schema, 0)
}

fn edges_at(document: &Document, schema: &Value, depth: usize) -> Vec<Value> {
    let parts = parts(document, schema, 0);
    let mut out: Vec<Value> = Vec::new();
    let mut add = |value: Value| {
        if !out.contains(&value) {
            out.push(value);
        }
    };
    for part in &parts {
        for keyword in ["const", "default", "example"] {
            if let Some(value) = part.get(keyword) {
                add(value.clone());
            }
        }
        for keyword in ["enum", "examples"] {
            if let Some(Value::Array(values)) = part.get(keyword) {
                values.iter().take(64).for_each(|v| add(v.clone()));
            }
        }
    }
    let base = minimal(document, schema);
    add(base.clone());
    // Each alternative's own minimal instance, and each subtype a
    // discriminator selects: what an added alternative admits, or a
    // removed one no longer accepts.
    let options = alternatives(&parts);
    for alternative in options.iter().take(64) {
        add(minimal(document, alternative));
    }
    // Two alternatives at once: what a `oneOf` refuses for matching both.
    if options.len() <= 8 {
        for (i, first) in options.iter().enumerate() {
            for second in &options[i + 1..] {
                add(merged(
                    &minimal(document, first),
                    &minimal(document, second),
                ));
            }
        }
    }
    for subtype in subtypes(document, &parts, 0) {
        add(subtype);
    }
    for value in [
        json!(null),
        json!(true),
        json!(0),
        json!(1.5),
        json!("a"),
        json!([]),
        json!({}),
    ] {
        add(value);
    }
    let integer = type_of(&parts) == Some("integer");
    for keyword in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        if let Some(bound) = number(&parts, keyword) {
            for delta in [-1.0, -0.5, 0.0, 0.5, 1.0] {
                if integer && f64::fract(delta) != 0.0 {
                    continue;
                }
                add(as_number(bound + delta, false));
            }
        }
    }
    for limit in [i32::MAX as f64, i32::MIN as f64] {
        for delta in [-1.0, 0.0, 1.0] {
            add(as_number(limit + delta, true));
        }
    }
    add(json!(i64::MAX));
    add(json!(u64::MAX));
    add(json!(-1));
    add(json!(1));
    if let Some(step) = number(&parts, "multipleOf").filter(|m| *m > 0.0) {
        for factor in [0.5, 1.0, 2.0, 3.0, 1.5] {
            add(as_number(step * factor, false));
        }
        add(as_number(step + 1.0, false));
    }
    // Lengths around each bound: of `a`s, and of the minimal string (a
    // format's sample, a pattern's match) padded or cut, which keeps a
    // `uri` a URI past its `maxLength`.
    let sample = base.as_str().unwrap_or("a").to_owned();
    for keyword in ["minLength", "maxLength"] {
        if let Some(length) = number(&parts, keyword) {
            for delta in [-1.0, 0.0, 1.0] {
                let length = (length + delta).clamp(0.0, 65_536.0) as usize;
                add(json!("a".repeat(length)));
                add(json!(sized(&sample, length)));
            }
        }
    }
    add(json!(""));
    for part in &parts {
        if let Some(matching) = part
            .get("pattern")
            .and_then(Value::as_str)
            .and_then(jsonschema_regex::pattern_witness)
        {
            add(json!(matching));
        }
    }
    for (_, value) in FORMAT_SAMPLES {
        add(json!(value));
    }
    for probe in STRING_PROBES {
        add(json!(probe));
    }
    // Arrays: counts around each bound, duplicates, each item edge alone.
    let item = first(&parts, "items")
        .map(|items| minimal(document, items))
        .unwrap_or(json!("a"));
    for keyword in ["minItems", "maxItems", "minContains", "maxContains"] {
        if let Some(count) = number(&parts, keyword) {
            // Small items (a number, a two-member object) are cheap: a
            // count past even `maxItems: 65536` is tried; larger items stay
            // within a few thousand.
            let small = serde_json::to_string(&item).is_ok_and(|text| text.len() <= 64);
            let most = if small { 131_072.0 } else { 4096.0 };
            for delta in [-1.0, 0.0, 1.0] {
                let count = (count + delta).clamp(0.0, most) as usize;
                add(Value::Array(vec![item.clone(); count]));
            }
        }
    }
    add(json!([item.clone()]));
    add(json!([item.clone(), item.clone()]));
    for value in [json!(0), json!("a"), json!(null), json!({})] {
        add(json!([value]));
    }
    for schema in ["items", "contains"] {
        if let Some(items) = first(&parts, schema) {
            for value in edges_shallow(document, items, depth) {
                add(json!([value]));
            }
        }
    }
    if let Some(Value::Array(prefix)) = first(&parts, "prefixItems") {
        let base: Vec<Value> = prefix.iter().map(|s| minimal(document, s)).collect();
        add(Value::Array(base.clone()));
        let mut longer = base.clone();
        longer.push(json!("a"));
        add(Value::Array(longer));
        if !base.is_empty() {
            add(Value::Array(base[..base.len() - 1].to_vec()));
        }
    }
    // Objects: members present and absent, unknown members.
    if let Value::Object(object) = &base {
        for name in object.keys() {
            let mut without = object.clone();
            without.remove(name);
            add(Value::Object(without));
        }
        let mut declared: Vec<(&String, &Value)> = Vec::new();
        for part in parts.iter().copied().chain(
            alternatives(&parts)
                .into_iter()
                .flat_map(|a| self::parts(document, a, 1)),
        ) {
            if let Some(Value::Object(properties)) = part.get("properties") {
                declared.extend(properties.iter());
            }
        }
        for (name, schema) in declared.iter().take(64) {
            if object.contains_key(*name) {
                continue;
            }
            let mut with = object.clone();
            with.insert((*name).clone(), minimal(document, schema));
            add(Value::Object(with));
        }
        let mut all = object.clone();
        for (name, schema) in declared.iter().take(64) {
            all.entry((*name).clone())
                .or_insert_with(|| minimal(document, schema));
        }
        add(Value::Object(all));
        // Members the schema does not declare: by name, and under each
        // `patternProperties` pattern's literal start.
        let mut names = vec!["extra".to_owned(), "Extra-1".to_owned()];
        for part in &parts {
            if let Some(Value::Object(patterns)) = part.get("patternProperties") {
                names.extend(patterns.keys().map(|p| literal_start(p)));
            }
        }
        let mut both = object.clone();
        both.insert("extra".to_owned(), json!("a"));
        both.insert("Extra-1".to_owned(), json!(1));
        add(Value::Object(both));
        for name in names.iter().take(16) {
            for value in [json!("a"), json!(1)] {
                let mut with = object.clone();
                with.insert(name.clone(), value);
                add(Value::Object(with));
            }
        }
        for extra in [json!({"extra": "a"}), json!({"Extra-1": 1})] {
            let mut with = object.clone();
            if let Value::Object(extra) = extra {
                with.extend(extra);
            }
            add(Value::Object(with));
        }
        if let Some(Value::Object(dependent)) = first(&parts, "dependentRequired") {
            for name in dependent.keys() {
                let mut with = object.clone();
                with.insert(name.clone(), json!("a"));
                add(Value::Object(with));
            }
        }
    }
    if depth < 2 {
        for keyword in ["not", "if", "then", "else"] {
            if let Some(inner) = first(&parts, keyword) {
                for value in edges_at(document, inner, depth + 1).into_iter().take(96) {
                    add(value);
                }
            }
        }
    }
    out
}

/// `sample` padded with `a`s, or cut, to `length` characters.
fn sized(sample: &str, length: usize) -> String {
    let mut out: String = sample.chars().take(length).collect();
    let missing = length.saturating_sub(out.chars().count());
    out.extend(std::iter::repeat_n('a', missing));
    out
}

/// A member name a pattern matches, where it starts with literal text:
/// `^x-` gives `x-a`.
fn literal_start(pattern: &str) -> String {
    let literal: String = pattern
        .trim_start_matches('^')
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("{literal}a")
}

/// A few values of a nested schema (for array items): its minimal
/// instance, its enum values and its bounds, not a whole edge set.
fn edges_shallow(document: &Document, schema: &Value, depth: usize) -> Vec<Value> {
    if depth >= 2 {
        return vec![minimal(document, schema)];
    }
    edges_at(document, schema, depth + 1)
        .into_iter()
        .take(48)
        .collect()
}

/// Instances that differ from each other only at one place: controls and
/// variants. An instance that one schema accepts and another refuses,
/// beside a control both accept, shows that what differs at that place is
/// what the two schemas disagree on.
#[derive(Debug, Clone, PartialEq)]
pub struct Around {
    /// The minimal instance, filled along the path: the first control.
    pub base: Value,
    /// Controls: the base, and the base without what stands at the place
    /// (an optional member left out, an empty array). Empty when the
    /// place is the whole instance, which nothing else can stand beside.
    pub controls: Vec<Value>,
    /// The base with other values at the place (or, for a union that
    /// holds it, other alternatives there).
    pub variants: Vec<Value>,
    /// What the variants put where: instance path and value.
    pub values: Vec<(Vec<String>, Value)>,
}

/// Instances of `root` that differ from its minimal instance only at `at`:
/// the document's examples and the edges of the schema found there, and
/// the controls (with and without what stands there). At most `limit`
/// variants.
pub fn around(document: &Document, root: &Value, at: &[String], limit: usize) -> Around {
    let mut base = minimal(document, root);
    let mut schemas = vec![(Vec::new(), root)];
    let mut node = root;
    for (depth, segment) in at.iter().enumerate() {
        // A path into one alternative of a `oneOf`: the instance there is
        // that alternative's (with the node's own required members).
        if let Some(alternative) = alternative_declaring(document, node, segment) {
            base = place(
                &base,
                &at[..depth],
                minimal_within(document, node, alternative),
            );
        }
        match child(document, node, segment) {
            Some(next) => {
                node = next;
                let path = at[..=depth].to_vec();
                // The minimal instance along the path: an optional member
                // or an empty array on the way is filled with a minimal
                // instance of its own, so what is placed below it sits in
                // an instance its schema accepts.
                if missing(&base, &path) {
                    base = place(&base, &path, minimal(document, next));
                }
                schemas.push((path, next));
            }
            None => break,
        }
    }
    let mut values = Vec::new();
    // Values at the place that changed, and nowhere else: a variant of
    // its parent could change a sibling, which another change may judge.
    if let Some((path, schema)) = schemas.last() {
        values.extend(
            edges(document, schema)
                .into_iter()
                .map(|v| (path.clone(), v)),
        );
    }
    // A union that holds the place: each of its alternatives or subtypes
    // there (a tag value is only accepted with its subtype's members).
    if schemas.len() >= 2 {
        let (path, schema) = &schemas[schemas.len() - 2];
        let parts = parts(document, schema, 0);
        let unions = subtypes(document, &parts, 0).into_iter().chain(
            alternatives(&parts)
                .into_iter()
                .take(64)
                .map(|a| minimal_within(document, schema, a)),
        );
        values.extend(unions.map(|v| (path.clone(), v)));
    }
    let mut around = Around::new(base, at);
    around.add(values, limit);
    around
}

impl Around {
    /// An `Around` on a base of its own, without variants yet; the
    /// controls are the base with and without what stands at `at`.
    pub fn new(base: Value, at: &[String]) -> Around {
        let mut controls = Vec::new();
        if !at.is_empty() {
            controls.push(base.clone());
            if let Some(without) = without(&base, at) {
                controls.push(without);
            }
        }
        Around {
            base,
            controls,
            variants: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Places values in the base, as variants, up to `limit` in all.
    pub fn add(&mut self, values: Vec<(Vec<String>, Value)>, limit: usize) {
        for (path, value) in values {
            if self.variants.len() >= limit {
                return;
            }
            let placed = place(&self.base, &path, value.clone());
            if !self.variants.contains(&placed) {
                self.variants.push(placed);
                self.values.push((path, value));
            }
        }
    }
}

/// Two instances as one: objects merged member by member (deeply), the
/// first's value kept where the two differ otherwise. The minimal
/// instances of two versions of a schema merged often fit both, where
/// each alone lacks what the other requires.
pub fn merged(first: &Value, second: &Value) -> Value {
    match (first, second) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = a.clone();
            for (name, value) in b {
                let joined = match a.get(name) {
                    Some(existing) => merged(existing, value),
                    None => value.clone(),
                };
                out.insert(name.clone(), joined);
            }
            Value::Object(out)
        }
        (Value::Array(a), Value::Array(b)) if a.len() == 1 && b.len() == 1 => {
            Value::Array(vec![merged(&a[0], &b[0])])
        }
        _ => first.clone(),
    }
}

/// `base` without what stands at `at`: the member removed, the array
/// emptied (`[]`) or cut before the position (`[i]`).
fn without(base: &Value, at: &[String]) -> Option<Value> {
    let (last, parent) = at.split_last()?;
    let mut value = base.clone();
    let mut node = &mut value;
    for segment in parent {
        node = if segment == ITEMS {
            node.as_array_mut()?.first_mut()?
        } else if let Some(index) = position(segment) {
            node.as_array_mut()?.get_mut(index)?
        } else {
            let name = if segment == "*" {
                "extra"
            } else {
                segment.as_str()
            };
            node.get_mut(name)?
        };
    }
    if last == ITEMS {
        node.as_array_mut()?.clear();
    } else if let Some(index) = position(last) {
        node.as_array_mut()?.truncate(index);
    } else {
        let name = if last == "*" { "extra" } else { last.as_str() };
        node.as_object_mut()?.remove(name)?;
    }
    Some(value)
}

/// Whether nothing is at an instance path (`[]` of an empty array
/// included).
fn missing(base: &Value, at: &[String]) -> bool {
    let mut node = base;
    for segment in at {
        let next = if segment == ITEMS {
            node.as_array().and_then(|items| items.first())
        } else if let Some(index) = position(segment) {
            node.as_array().and_then(|items| items.get(index))
        } else {
            let name = if segment == "*" {
                "extra"
            } else {
                segment.as_str()
            };
            node.get(name)
        };
        match next {
            Some(next) => node = next,
            None => return true,
        }
    }
    false
}

/// `base` with `value` at the instance path `at`: members created where
/// missing, array items (`[]`) all replaced by `value`.
pub fn place(base: &Value, at: &[String], value: Value) -> Value {
    let Some((segment, rest)) = at.split_first() else {
        return value;
    };
    if segment == ITEMS {
        let inner = match base {
            Value::Array(items) if !items.is_empty() => place(&items[0], rest, value),
            _ => place(&Value::Null, rest, value),
        };
        return Value::Array(vec![inner]);
    }
    if let Some(index) = position(segment) {
        let mut items = base.as_array().cloned().unwrap_or_default();
        while items.len() <= index.min(64) {
            items.push(Value::Null);
        }
        if let Some(slot) = items.get_mut(index) {
            *slot = place(slot, rest, value);
        }
        return Value::Array(items);
    }
    let mut object = base.as_object().cloned().unwrap_or_default();
    let name = if segment == "*" {
        "extra"
    } else {
        segment.as_str()
    };
    let inner = place(object.get(name).unwrap_or(&Value::Null), rest, value);
    object.insert(name.to_owned(), inner);
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(schemas: &str) -> Document {
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
                "components": {{"schemas": {schemas}}}}}"#
        );
        crate::load_str("t.json", &text).expect("test document loads")
    }

    #[test]
    fn minimal_instances_have_the_required_members_within_their_bounds() {
        let doc = document(
            r##"{"S": {"type": "object", "required": ["n", "s", "list", "ref"],
                 "properties": {"n": {"type": "integer", "minimum": 5}, "s": {"type": "string", "minLength": 3},
                                "list": {"type": "array", "minItems": 2, "items": {"type": "boolean"}},
                                "ref": {"$ref": "#/components/schemas/T"}, "opt": {"type": "string"}}},
                 "T": {"type": "string", "format": "uuid"}}"##,
        );
        let value = minimal(&doc, &doc.schemas["S"].schema.value);
        assert_eq!(
            value,
            json!({"n": 5, "s": "aaa", "list": [true, true], "ref": "123e4567-e89b-12d3-a456-426614174000"})
        );
    }

    #[test]
    fn edges_sit_on_and_past_each_bound() {
        let doc = document(r#"{"S": {"type": "string", "maxLength": 4, "enum": ["ab", "cd"]}}"#);
        let values = edges(&doc, &doc.schemas["S"].schema.value);
        for expected in [json!("aaaa"), json!("aaaaa"), json!("cd"), json!(null)] {
            assert!(
                values.contains(&expected),
                "{expected} missing from {values:?}"
            );
        }
    }

    #[test]
    fn values_are_placed_at_their_instance_path() {
        let base = json!({"data": {"items": [{"id": 1}]}});
        let at = ["data", "items", ITEMS, "id"].map(str::to_owned);
        assert_eq!(
            place(&base, &at, json!("x")),
            json!({"data": {"items": [{"id": "x"}]}})
        );
        assert_eq!(
            place(&json!(null), &["a".to_owned()], json!(1)),
            json!({"a": 1})
        );
    }

    #[test]
    fn recursive_schemas_end() {
        let doc = document(
            r##"{"S": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/S"}}}}"##,
        );
        let value = minimal(&doc, &doc.schemas["S"].schema.value);
        assert!(value.is_object());
        assert!(!around(
            &doc,
            &doc.schemas["S"].schema.value,
            &["next".to_owned()],
            50
        )
        .variants
        .is_empty());
    }
}
