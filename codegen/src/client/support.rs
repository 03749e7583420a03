//! Request assembly shared by every operation: parameter encoding by
//! OpenAPI style, and request bodies. Written into the generated code as
//! its `support` module; it needs only `serde`, `serde_json` and
//! `percent-encoding`.

use serde_json::Value;

/// How a parameter is written: OpenAPI's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `name=value`, `name=a&name=b` (exploded) or `name=a,b`.
    Form,
    /// `a,b` in paths and headers.
    Simple,
    /// `.a.b` or `.a,b` in paths.
    Label,
    /// `;name=a;name=b` or `;name=a,b` in paths.
    Matrix,
    /// `name=a%20b` in queries.
    SpaceDelimited,
    /// `name=a|b` in queries.
    PipeDelimited,
    /// `name[key]=value` in queries.
    DeepObject,
}

/// A request body, already encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Bytes with their content type (JSON, text, anything raw).
    Bytes {
        content_type: String,
        bytes: Vec<u8>,
    },
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<(String, String)>),
    /// `multipart/form-data` parts.
    Multipart(Vec<Part>),
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub bytes: Vec<u8>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

impl Body {
    /// A JSON body.
    pub fn json<T: serde::Serialize>(content_type: &str, value: &T) -> Result<Body, String> {
        let bytes = serde_json::to_vec(value).map_err(|e| format!("the body: {e}"))?;
        Ok(Body::Bytes {
            content_type: content_type.to_owned(),
            bytes,
        })
    }

    /// A form body: each member of the object is a field; arrays repeat
    /// the field, nested objects are written `name[key]`.
    pub fn form<T: serde::Serialize>(value: &T) -> Result<Body, String> {
        let value = to_value(value).map_err(|e| format!("the body: {e}"))?;
        let mut fields = Vec::new();
        if let Value::Object(members) = &value {
            for (name, member) in members {
                deep_pairs(name, member, &mut fields);
            }
        }
        Ok(Body::Form(fields))
    }

    /// A multipart body: each member of the object is a part, strings as
    /// they are, other values as JSON; arrays give one part per item.
    pub fn multipart<T: serde::Serialize>(value: &T) -> Result<Body, String> {
        let value = to_value(value).map_err(|e| format!("the body: {e}"))?;
        let mut parts = Vec::new();
        if let Value::Object(members) = &value {
            for (name, member) in members {
                let items = match member {
                    Value::Array(items) => items.iter().collect(),
                    Value::Null => Vec::new(),
                    other => vec![other],
                };
                for item in items {
                    let (bytes, content_type) = match item {
                        Value::String(text) => (text.clone().into_bytes(), None),
                        other => (
                            other.to_string().into_bytes(),
                            Some("application/json".to_owned()),
                        ),
                    };
                    parts.push(Part {
                        name: name.clone(),
                        bytes,
                        file_name: None,
                        content_type,
                    });
                }
            }
        }
        Ok(Body::Multipart(parts))
    }

    /// Raw bytes of a content type.
    pub fn bytes(content_type: &str, bytes: Vec<u8>) -> Body {
        Body::Bytes {
            content_type: content_type.to_owned(),
            bytes,
        }
    }
}

/// A request being assembled: the path with its parameters filled in, the
/// query, headers and cookies. The first parameter that cannot be encoded
/// is kept as the error, so building never panics.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// Headers that carry credentials: sent marked sensitive.
    pub secret_headers: Vec<(String, String)>,
    pub cookies: Vec<(String, String)>,
    pub body: Option<Body>,
    pub error: Option<String>,
}

impl Request {
    /// A request for a path template (`/accounts/{account_id}`).
    pub fn new(method: &'static str, template: &str) -> Request {
        Request {
            method,
            path: template.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            secret_headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            error: None,
        }
    }

    fn encode<T: serde::Serialize>(&mut self, name: &str, value: &T) -> Option<Value> {
        match to_value(value) {
            Ok(value) => Some(value),
            Err(err) => {
                self.error
                    .get_or_insert_with(|| format!("parameter `{name}`: {err}"));
                None
            }
        }
    }

    /// Fills `{name}` of the path template, percent-encoded.
    pub fn path<T: serde::Serialize>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        if let Some(value) = self.encode(name, value) {
            let text = path_value(name, &value, style, explode);
            self.path = self.path.replace(&format!("{{{name}}}"), &text);
        }
    }

    /// Adds a query parameter, when there is a value.
    pub fn query<T: serde::Serialize>(
        &mut self,
        name: &str,
        value: Option<&T>,
        style: Style,
        explode: bool,
    ) {
        if let Some(value) = value.and_then(|v| self.encode(name, v)) {
            query_pairs(name, &value, style, explode, &mut self.query);
        }
    }

    /// Adds a header, when there is a value.
    pub fn header<T: serde::Serialize>(&mut self, name: &str, value: Option<&T>, explode: bool) {
        if let Some(value) = value.and_then(|v| self.encode(name, v)) {
            let text = simple(&value, explode, &|s| s.to_owned());
            self.headers.push((name.to_owned(), text));
        }
    }

    /// Adds a cookie, when there is a value.
    pub fn cookie<T: serde::Serialize>(&mut self, name: &str, value: Option<&T>, explode: bool) {
        if let Some(value) = value.and_then(|v| self.encode(name, v)) {
            let text = simple(&value, explode, &encode_component);
            self.cookies.push((name.to_owned(), text));
        }
    }

    /// Sets the body, or keeps the error that encoding it gave.
    pub fn body(&mut self, body: Result<Body, String>) {
        match body {
            Ok(body) => self.body = Some(body),
            Err(err) => {
                self.error.get_or_insert(err);
            }
        }
    }
}

/// A value as JSON, which is how every style below reads it.
pub fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

/// The text of a scalar: strings as they are, numbers and booleans as JSON
/// writes them, `null` as nothing, nested values as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Characters kept as they are in a path segment or cookie: RFC 3986's
/// unreserved set.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode_component(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, COMPONENT).to_string()
}

/// `simple` style: `a,b` for arrays, `k,v,k2,v2` (or `k=v,k2=v2` exploded)
/// for objects, each piece passed through `encode`.
fn simple(value: &Value, explode: bool, encode: &dyn Fn(&str) -> String) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|item| encode(&scalar(item)))
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(members) => members
            .iter()
            .map(|(key, member)| {
                let separator = if explode { "=" } else { "," };
                format!("{}{separator}{}", encode(key), encode(&scalar(member)))
            })
            .collect::<Vec<_>>()
            .join(","),
        other => encode(&scalar(other)),
    }
}

/// A path parameter's text, percent-encoded, in `simple`, `label` or
/// `matrix` style.
pub fn path_value(name: &str, value: &Value, style: Style, explode: bool) -> String {
    let encode = &encode_component;
    match style {
        Style::Label => {
            let separator = if explode { "." } else { "," };
            let pieces: Vec<String> = match value {
                Value::Array(items) => items.iter().map(|i| encode(&scalar(i))).collect(),
                Value::Object(_) => return format!(".{}", simple(value, explode, encode)),
                other => vec![encode(&scalar(other))],
            };
            format!(".{}", pieces.join(separator))
        }
        Style::Matrix => match value {
            Value::Array(items) if explode => items
                .iter()
                .map(|i| format!(";{name}={}", encode(&scalar(i))))
                .collect(),
            Value::Object(members) if explode => members
                .iter()
                .map(|(k, v)| format!(";{}={}", encode(k), encode(&scalar(v))))
                .collect(),
            other => format!(";{name}={}", simple(other, false, encode)),
        },
        _ => simple(value, explode, encode),
    }
}

/// Query pairs for a parameter (not yet percent-encoded: the URL does it).
pub fn query_pairs(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    out: &mut Vec<(String, String)>,
) {
    match (style, value) {
        (_, Value::Null) => {}
        (Style::DeepObject, _) => deep_pairs(name, value, out),
        (_, Value::Array(items)) if explode => {
            out.extend(items.iter().map(|i| (name.to_owned(), scalar(i))));
        }
        (_, Value::Array(items)) => {
            let separator = match style {
                Style::SpaceDelimited => " ",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            let joined: Vec<String> = items.iter().map(scalar).collect();
            out.push((name.to_owned(), joined.join(separator)));
        }
        (_, Value::Object(members)) if explode => {
            out.extend(members.iter().map(|(k, v)| (k.clone(), scalar(v))));
        }
        (_, Value::Object(_)) => {
            out.push((name.to_owned(), simple(value, false, &|s| s.to_owned())))
        }
        (_, other) => out.push((name.to_owned(), scalar(other))),
    }
}

/// `name[key]=value`, nested as deep as the value goes; arrays repeat the
/// name.
fn deep_pairs(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(members) => {
            for (key, member) in members {
                deep_pairs(&format!("{name}[{key}]"), member, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        out.push((name.to_owned(), item.to_string()));
                    }
                    other => out.push((name.to_owned(), scalar(other))),
                }
            }
        }
        other => out.push((name.to_owned(), scalar(other))),
    }
}
