//! Form bodies (`application/x-www-form-urlencoded` and
//! `multipart/form-data`) as the JSON object their schema describes, so the
//! same engine checks them: each field's text typed by its property's
//! schema (`age=3` is the integer 3), a field sent more than once, or an
//! array property, as an array, and a multipart part sent as JSON parsed.

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use indexmap::IndexMap;
use serde_json::{Map, Value};
use specgate_spec::Document;

use crate::params;

/// One field's value as sent.
enum Field {
    Text(String),
    Json(Value),
}

/// An `application/x-www-form-urlencoded` body.
pub(crate) fn urlencoded(document: &Document, schema: &Value, body: &[u8]) -> Value {
    let fields = url::form_urlencoded::parse(body)
        .map(|(name, value)| (name.into_owned(), Field::Text(value.into_owned())));
    object(document, schema, fields)
}

/// A `multipart/form-data` body, or why it cannot be read: no boundary in
/// `content_type`, a broken part, or a JSON part that is not JSON.
pub(crate) fn multipart(
    document: &Document,
    schema: &Value,
    content_type: &str,
    body: &[u8],
) -> Result<Value, String> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| format!("the Content-Type `{content_type}` names no multipart boundary"))?;
    let chunk = bytes::Bytes::copy_from_slice(body);
    let stream = futures_util::stream::iter([Ok::<_, Infallible>(chunk)]);
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    loop {
        let part = match complete(parts.next_field())? {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(err) => return Err(format!("the multipart body is broken: {err}")),
        };
        let name = part.name().unwrap_or_default().to_owned();
        let json = part.content_type().is_some_and(|mime| {
            mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json")
        });
        let bytes = match complete(part.bytes())? {
            Ok(bytes) => bytes,
            Err(err) => return Err(format!("part `{name}` is broken: {err}")),
        };
        let field = if json {
            let value = serde_json::from_slice(&bytes)
                .map_err(|err| format!("part `{name}` claims JSON and is not: {err}"))?;
            Field::Json(value)
        } else {
            // A file is checked as the string its schema says it is
            // (`format: binary`); its bytes are not shown.
            Field::Text(String::from_utf8_lossy(&bytes).into_owned())
        };
        fields.push((name, field));
    }
    Ok(object(document, schema, fields))
}

/// Fields by name, each typed by its property's schema. A name in
/// brackets (`profile[name]`, `profile[ui_settings][theme]`, `labels[]`,
/// `items[0][price]`), as Rails, PHP, Stripe and Node's `qs` write nested
/// members, is a member of an object (or an item of an array) unless the
/// schema has a property of that very name.
fn object(
    document: &Document,
    schema: &Value,
    fields: impl IntoIterator<Item = (String, Field)>,
) -> Value {
    let mut root = IndexMap::new();
    for (name, field) in fields {
        let path = if property(document, schema, &name).is_some() {
            vec![name.as_str()]
        } else {
            bracket_path(&name).unwrap_or_else(|| vec![name.as_str()])
        };
        let (key, members) = match path.split_first() {
            Some((key, members)) => (*key, members),
            None => (name.as_str(), &[][..]),
        };
        insert(&mut root, key, members, &name, field);
    }
    typed_object(document, schema, root)
}

/// Fields before typing: the values sent under one name, or the members
/// of a bracketed name.
enum Node {
    /// The values, and whether the name asked for an array (`labels[]`).
    Values(Vec<Field>, bool),
    Members(IndexMap<String, Node>),
}

/// `a[b][]` as `["a", "b", ""]`; `None` when the name has no brackets or
/// is not well formed.
fn bracket_path(name: &str) -> Option<Vec<&str>> {
    let (head, mut rest) = name.split_once('[')?;
    let mut path = vec![head];
    loop {
        let (segment, after) = rest.split_once(']')?;
        path.push(segment);
        if path.len() > MAX_BRACKETS {
            return None;
        }
        if after.is_empty() {
            return Some(path);
        }
        rest = after.strip_prefix('[')?;
    }
}

fn insert(
    nodes: &mut IndexMap<String, Node>,
    key: &str,
    members: &[&str],
    name: &str,
    field: Field,
) {
    match members.split_first() {
        // `labels[]`: an item of an array.
        Some((&"", [])) => push(nodes, key, field, true),
        None => push(nodes, key, field, false),
        Some((member, rest)) => match nodes
            .entry(key.to_owned())
            .or_insert_with(|| Node::Members(IndexMap::new()))
        {
            Node::Members(inner) => insert(inner, member, rest, name, field),
            // Sent both as a value and with members: keep the name whole,
            // so the check reports it as sent.
            Node::Values(..) => push(nodes, name, field, false),
        },
    }
}

fn push(nodes: &mut IndexMap<String, Node>, key: &str, field: Field, array: bool) {
    match nodes
        .entry(key.to_owned())
        .or_insert_with(|| Node::Values(Vec::new(), array))
    {
        Node::Values(values, _) => values.push(field),
        // `a=1` after `a[b]=2`: the name is taken by the members, so the
        // value goes beside them (as `a[]`, the only other spelling of `a`),
        // where the check reports it rather than losing it.
        Node::Members(_) => {
            nodes.insert(format!("{key}[]"), Node::Values(vec![field], array));
        }
    }
}

fn typed_object(document: &Document, schema: &Value, nodes: IndexMap<String, Node>) -> Value {
    let mut object = Map::new();
    for (name, node) in nodes {
        let property = property(document, schema, &name).unwrap_or(&Value::Null);
        object.insert(name, typed_node(document, property, node));
    }
    Value::Object(object)
}

fn typed_node(document: &Document, schema: &Value, node: Node) -> Value {
    match node {
        Node::Values(values, array) => typed_values(document, schema, values, array),
        // `items[0][price]`, `items[1][price]`: the items of an array, in
        // the order of their indices.
        Node::Members(members)
            if is_array(document, schema) && members.keys().all(|k| k.parse::<usize>().is_ok()) =>
        {
            let items = items(document, schema);
            let mut indexed: Vec<(usize, Node)> = members
                .into_iter()
                .filter_map(|(index, node)| Some((index.parse().ok()?, node)))
                .collect();
            indexed.sort_by_key(|(index, _)| *index);
            Value::Array(
                indexed
                    .into_iter()
                    .map(|(_, node)| typed_node(document, items, node))
                    .collect(),
            )
        }
        Node::Members(members) => typed_object(document, schema, members),
    }
}

fn is_array(document: &Document, schema: &Value) -> bool {
    document.primary_type(schema) == Some("array")
}

fn items<'v>(document: &'v Document, schema: &'v Value) -> &'v Value {
    document
        .resolve_schema(schema)
        .get("items")
        .unwrap_or(&Value::Null)
}

/// The values sent under one name: an array when the schema says so, the
/// name asked for one, or it was sent more than once; else the one value.
fn typed_values(document: &Document, schema: &Value, values: Vec<Field>, array: bool) -> Value {
    let is_array = is_array(document, schema);
    let item = if is_array {
        items(document, schema)
    } else {
        schema
    };
    let mut typed: Vec<Value> = values
        .into_iter()
        .map(|field| match field {
            Field::Text(text) => params::scalar(document, item, &text),
            Field::Json(value) => value,
        })
        .collect();
    if is_array || array || typed.len() > 1 {
        Value::Array(typed)
    } else {
        typed.pop().unwrap_or(Value::Null)
    }
}

/// The schema of a named property, through references and `allOf`.
fn property<'v>(document: &'v Document, schema: &'v Value, name: &str) -> Option<&'v Value> {
    property_within(document, schema, name, 0)
}

fn property_within<'v>(
    document: &'v Document,
    schema: &'v Value,
    name: &str,
    depth: usize,
) -> Option<&'v Value> {
    // A schema that is its own `allOf` part stops here.
    if depth > MAX_ALL_OF_DEPTH {
        return None;
    }
    let schema = document.resolve_schema(schema);
    if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(found);
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)?
        .iter()
        .find_map(|branch| property_within(document, branch, name, depth + 1))
}

/// How deep `allOf` parts are searched for a property.
const MAX_ALL_OF_DEPTH: usize = 32;

/// How many brackets of a field name become nesting (`a[b][c]`); a name
/// with more is kept whole, so a hostile body cannot nest without bound.
const MAX_BRACKETS: usize = 32;

/// Runs a future that never waits: the whole body is one chunk already in
/// memory, so every poll of the parser completes at once.
fn complete<F: Future>(future: F) -> Result<F::Output, String> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err("the multipart parser waited for more input".into()),
    }
}
