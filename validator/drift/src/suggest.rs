//! The changes that make the document say what traffic showed, as RFC 6902
//! operations against the document as its author wrote it (not the
//! upgraded, normalized model), in its own dialect (3.1's type lists,
//! 3.0's `nullable`, 2.0's `x-nullable`), where each thing belongs: a
//! member in the schema that declares its siblings, a type where the
//! value's schema is referenced (a `null` assignee makes the `assignee`
//! property nullable, not every `user`), an enum value in the `enum`.
//!
//! Each change is applied to a working copy as it is made, so the next is
//! written against the document it will meet (indices in `required`,
//! lists created once), and the patch applies cleanly in order.

use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use specgate_spec::{pointer, Document, FileId, JsonTypes, Origin, SpecVersion};
use specgate_validator::observe::{Gap, Observations, Shape};
use specgate_validator::SchemaLocation;

use crate::report::{DriftReport, Suggestion};
use crate::{infer, Options};

/// How the document writes schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Swagger 2.0: one type, `x-nullable`, no `anyOf`.
    Swagger2,
    /// OpenAPI 3.0: one type, `nullable`.
    OpenApi30,
    /// OpenAPI 3.1 and later: JSON Schema 2020-12, type lists.
    OpenApi31,
}

impl Dialect {
    /// The dialect of a document.
    pub fn of(document: &Document) -> Dialect {
        match document.spec_version {
            SpecVersion::Swagger2 => Dialect::Swagger2,
            SpecVersion::OpenApi30 => Dialect::OpenApi30,
            SpecVersion::OpenApi31 | SpecVersion::OpenApi32 => Dialect::OpenApi31,
        }
    }

    /// Makes a schema object with a `type` (or none) admit `null`.
    pub(crate) fn allow_null(self, schema: &mut Map<String, Value>) {
        match self {
            Dialect::Swagger2 => {
                schema.insert("x-nullable".into(), true.into());
            }
            Dialect::OpenApi30 => {
                schema.insert("nullable".into(), true.into());
            }
            Dialect::OpenApi31 => {
                let types = schema
                    .get("type")
                    .and_then(JsonTypes::of_keyword)
                    .unwrap_or_default();
                let keyword = if types.is_empty() {
                    "null".into()
                } else {
                    with_names(schema.get("type"), &["null"])
                };
                schema.insert("type".into(), keyword);
            }
        }
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
    }
}

/// Adds the suggestions (and outliers, and what could not be written) to
/// the report.
pub(crate) fn suggest(
    document: &Document,
    observations: &Observations,
    report: &mut DriftReport,
    options: &Options,
) {
    let Some(root) = document.files().first() else {
        return;
    };
    let working = match root.value() {
        Ok(value) => value,
        Err(err) => {
            report
                .not_patched
                .push(format!("the document cannot be read again: {err}"));
            return;
        }
    };
    let mut builder = Builder {
        document,
        dialect: Dialect::of(document),
        working,
        min_share: options.min_share,
        suggestions: Vec::new(),
        outliers: Vec::new(),
        not_patched: Vec::new(),
    };
    builder.operations(observations, report);
    builder.statuses_and_media(observations, report);
    builder.parameters(report);
    builder.members(observations);
    builder.enums(report);
    builder.required(report);
    builder.formats(report);
    // Last, and the deepest first: widening a type may wrap a schema in
    // `anyOf`, which moves what is below it.
    builder.types(observations);
    report.suggestions = builder.suggestions;
    report.outliers = builder.outliers;
    report.not_patched = builder.not_patched;
}

/// Applies a patch (as `--suggest` writes it) to a document value.
pub fn apply(document: &mut Value, patch: &Value) -> Result<(), String> {
    let patch: json_patch::Patch =
        serde_json::from_value(patch.clone()).map_err(|e| format!("not a JSON Patch: {e}"))?;
    json_patch::patch(document, &patch).map_err(|e| e.to_string())
}

/// A document value written as its file was: YAML as YAML, JSON indented
/// as the original text was.
pub fn write_document(document: &Document, value: &Value) -> Result<String, String> {
    let Some(root) = document.files().first() else {
        return Err("the document has no file".into());
    };
    match root.format {
        specgate_spec::Format::Yaml => serde_yaml::to_string(value).map_err(|e| e.to_string()),
        specgate_spec::Format::Json => {
            let indent = root
                .text()
                .lines()
                .nth(1)
                .map(|line| {
                    let width = line.len() - line.trim_start().len();
                    line[..width].to_owned()
                })
                .filter(|indent| !indent.is_empty())
                .unwrap_or_else(|| "  ".into());
            let mut out = Vec::new();
            let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
            let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
            serde::Serialize::serialize(value, &mut serializer).map_err(|e| e.to_string())?;
            out.push(b'\n');
            String::from_utf8(out).map_err(|e| e.to_string())
        }
    }
}

struct Builder<'d> {
    document: &'d Document,
    dialect: Dialect,
    /// The document as written, with the changes so far.
    working: Value,
    min_share: f64,
    suggestions: Vec<Suggestion>,
    outliers: Vec<Suggestion>,
    not_patched: Vec<String>,
}

impl Builder<'_> {
    /// Where a model node is in the root file as written; `None` (and a
    /// note) for a node in another file.
    fn place(&mut self, origin: &Origin, what: &str) -> Option<String> {
        if origin.file != FileId::ROOT {
            let file = self
                .document
                .files()
                .get(origin.file.index())
                .map_or("another file", |f| f.name.as_str());
            self.not_patched.push(format!(
                "{what}: written in {file}, which the patch does not change"
            ));
            return None;
        }
        let root = self.document.files().first()?;
        Some(root.original_pointer(&origin.pointer))
    }

    /// Where a report's location is in the root file as written; `None`
    /// (and a note) for one in another file.
    fn written(&mut self, location: &SchemaLocation, what: &str) -> Option<String> {
        let root = self.document.files().first().map(|f| f.name.as_str());
        if root == Some(location.file.as_str()) {
            return Some(location.pointer.clone());
        }
        self.not_patched.push(format!(
            "{what}: written in {}, which the patch does not change",
            location.file
        ));
        None
    }

    fn node(&self, at: &str) -> Option<&Value> {
        self.working.pointer(at)
    }

    /// Offers a change: kept out as an outlier when too rarely observed,
    /// else applied to the working copy and suggested.
    fn offer(&mut self, suggestion: Suggestion) -> bool {
        if suggestion.share() < self.min_share {
            self.outliers.push(suggestion);
            return false;
        }
        let operation = Value::Array(vec![suggestion.operation()]);
        match apply(&mut self.working, &operation) {
            Ok(()) => {
                self.suggestions.push(suggestion);
                true
            }
            Err(err) => {
                self.not_patched.push(format!(
                    "{} {}: {err} ({})",
                    suggestion.op, suggestion.path, suggestion.reason
                ));
                false
            }
        }
    }

    /// Adds `value` to the list at `list` (created when missing).
    fn push_to_list(&mut self, list: &str, value: Value, reason: String, support: (u64, u64)) {
        let (path, value) = match self.node(list) {
            // Already there (an earlier change of this run put it there).
            Some(Value::Array(values)) if values.contains(&value) => return,
            Some(Value::Array(_)) => (format!("{list}/-"), value),
            _ => (list.to_owned(), Value::Array(vec![value])),
        };
        self.offer(Suggestion {
            op: "add",
            path,
            value: Some(value),
            reason,
            observations: support.0,
            of: support.1,
        });
    }

    /// A response object for observed bodies.
    fn response(&self, media: Option<&str>, shape: Option<&Shape>, count: u64) -> Value {
        let description = format!("Observed in {count} recorded exchanges; not documented before.");
        let schema = shape.map(|shape| infer::schema(shape, self.dialect));
        match (media, schema) {
            (Some(_), Some(schema)) if self.dialect == Dialect::Swagger2 => {
                json!({"description": description, "schema": schema})
            }
            (Some(media), Some(schema)) => {
                json!({"description": description, "content": {media: {"schema": schema}}})
            }
            (Some(media), None) if self.dialect != Dialect::Swagger2 => {
                json!({"description": description, "content": {media: {}}})
            }
            _ => json!({"description": description}),
        }
    }

    fn operations(&mut self, observations: &Observations, report: &DriftReport) {
        let total = report.summary.records.max(1);
        let mut grouped: IndexMap<(&str, &str), Vec<&specgate_validator::observe::BodyDrift>> =
            IndexMap::new();
        for body in observations
            .bodies
            .iter()
            .filter(|b| b.key.gap == Gap::Operation)
        {
            grouped
                .entry((body.key.method.as_str(), body.key.path.as_str()))
                .or_default()
                .push(body);
        }
        for ((method, path), bodies) in grouped {
            let count: u64 = bodies.iter().map(|b| b.counts.seen).sum();
            if specgate_spec::Method::parse(method)
                .is_none_or(|m| m == specgate_spec::Method::Query)
            {
                self.not_patched.push(format!(
                    "{count} exchanges used {method} {path}: not a method a path item can describe"
                ));
                continue;
            }
            let mut responses = Map::new();
            for body in &bodies {
                let response = self.response(
                    body.key.media.as_deref(),
                    body.counts.shape.as_ref(),
                    body.counts.seen,
                );
                let status = body.key.status.to_string();
                // One status, several media types: one response, their contents.
                match (responses.get_mut(&status), response.get("content")) {
                    (Some(Value::Object(existing)), Some(Value::Object(content))) => {
                        match existing.get_mut("content") {
                            Some(Value::Object(mine)) => {
                                mine.extend(content.clone());
                            }
                            _ => {
                                existing.insert("content".into(), Value::Object(content.clone()));
                            }
                        }
                    }
                    (Some(_), _) => {}
                    (None, _) => {
                        responses.insert(status, response);
                    }
                }
            }
            let mut operation = Map::new();
            operation.insert(
                "summary".into(),
                format!("{method} {path}, as recorded traffic used it").into(),
            );
            let parameters = self.path_parameters(path);
            if !parameters.is_empty() {
                operation.insert("parameters".into(), parameters.into());
            }
            if let Some((media, shape)) = bodies.iter().find_map(|b| b.counts.request_body.as_ref())
            {
                let schema = infer::schema(shape, self.dialect);
                if self.dialect == Dialect::Swagger2 {
                    let body = json!({"name": "body", "in": "body", "schema": schema});
                    match operation.get_mut("parameters") {
                        Some(Value::Array(list)) => list.push(body),
                        _ => {
                            operation.insert("parameters".into(), json!([body]));
                        }
                    }
                } else {
                    operation.insert(
                        "requestBody".into(),
                        json!({"content": {media: {"schema": schema}}}),
                    );
                }
            }
            operation.insert("responses".into(), responses.into());
            let item = format!("/paths/{}", pointer::escape(path));
            let method = method.to_ascii_lowercase();
            let (path_at, value) = if self.node(&item).is_some() {
                (format!("{item}/{method}"), Value::Object(operation))
            } else {
                let mut path_item = Map::new();
                path_item.insert(method, Value::Object(operation));
                (item, Value::Object(path_item))
            };
            self.offer(Suggestion {
                op: "add",
                path: path_at,
                value: Some(value),
                reason: format!(
                    "{count} exchanges used {} {path}, which the document does not describe",
                    bodies[0].key.method
                ),
                observations: count,
                of: total,
            });
        }
    }

    /// The path parameters a new operation of `path` declares: those of
    /// its template that its path item does not declare for all.
    fn path_parameters(&self, path: &str) -> Vec<Value> {
        let item = format!("/paths/{}/parameters", pointer::escape(path));
        let shared: Vec<&str> = match self.node(&item) {
            Some(Value::Array(parameters)) => parameters
                .iter()
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .collect(),
            _ => Vec::new(),
        };
        specgate_spec::PathTemplate::parse(path)
            .parameter_names()
            .into_iter()
            .filter(|name| !shared.contains(name))
            .map(|name| match self.dialect {
                Dialect::Swagger2 => {
                    json!({"name": name, "in": "path", "required": true, "type": "string"})
                }
                _ => json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            })
            .collect()
    }

    fn statuses_and_media(&mut self, observations: &Observations, report: &DriftReport) {
        for body in &observations.bodies {
            let key = &body.key;
            let Some(operation) = key
                .operation
                .as_deref()
                .and_then(|id| self.document.operation(id))
            else {
                continue;
            };
            let count = body.counts.seen;
            // Of the operation's exchanges: what `--min-share` weighs.
            let exchanges = report
                .statuses
                .iter()
                .find(|s| s.operation == operation.operation_id)
                .map(|s| s.of)
                .or_else(|| {
                    (report.media_types.iter())
                        .find(|m| m.operation == operation.operation_id)
                        .map(|m| m.of)
                })
                .unwrap_or(count);
            let support = (count, exchanges.max(count));
            match key.gap {
                Gap::Operation => {}
                Gap::Status => {
                    let Some(at) = self.place(
                        &operation.origin,
                        &format!("status {} of {}", key.status, operation.operation_id),
                    ) else {
                        continue;
                    };
                    let response =
                        self.response(key.media.as_deref(), body.counts.shape.as_ref(), count);
                    let responses = format!("{at}/responses");
                    let status = key.status.to_string();
                    let (path, value) = match self.node(&responses) {
                        Some(Value::Object(existing)) if existing.contains_key(&status) => {
                            // Added by an earlier body of another media type.
                            self.add_media(
                                &format!("{responses}/{status}"),
                                key.media.as_deref(),
                                body.counts.shape.as_ref(),
                                support,
                                &operation.operation_id,
                            );
                            continue;
                        }
                        Some(Value::Object(_)) => (format!("{responses}/{status}"), response),
                        _ => (responses, json!({status: response})),
                    };
                    self.offer(Suggestion {
                        op: "add",
                        path,
                        value: Some(value),
                        reason: format!(
                            "{} answered {} {count} times; the document does not say it may",
                            operation.operation_id, key.status
                        ),
                        observations: support.0,
                        of: support.1,
                    });
                }
                Gap::MediaType => {
                    let Some((_, response)) = operation.response_for(key.status) else {
                        continue;
                    };
                    let what = format!("the {} response of {}", key.status, operation.operation_id);
                    let Some(at) = self.place(&response.origin, &what) else {
                        continue;
                    };
                    self.add_media(
                        &at,
                        key.media.as_deref(),
                        body.counts.shape.as_ref(),
                        support,
                        &operation.operation_id,
                    );
                }
            }
        }
    }

    /// Adds a media type to the response at `at`.
    fn add_media(
        &mut self,
        at: &str,
        media: Option<&str>,
        shape: Option<&Shape>,
        (count, of): (u64, u64),
        operation: &str,
    ) {
        let Some(media) = media else {
            self.not_patched.push(format!(
                "{at}: {count} bodies of {operation} came without a Content-Type"
            ));
            return;
        };
        if self.dialect == Dialect::Swagger2 {
            self.not_patched.push(format!(
                "{at}: {media} bodies of {operation}: Swagger 2.0 lists media types in `produces`, which the patch does not change"
            ));
            return;
        }
        let entry = match shape {
            Some(shape) => json!({"schema": infer::schema(shape, self.dialect)}),
            None => json!({}),
        };
        let content = format!("{at}/content");
        let (path, value) = match self.node(&content) {
            Some(Value::Object(_)) => (format!("{content}/{}", pointer::escape(media)), entry),
            _ => (content, json!({media: entry})),
        };
        self.offer(Suggestion {
            op: "add",
            path,
            value: Some(value),
            reason: format!(
                "{operation} sent {count} {media} bodies the response does not describe"
            ),
            observations: count,
            of,
        });
    }

    fn parameters(&mut self, report: &DriftReport) {
        for gap in &report.parameters {
            let Some(operation) = self.document.operation(&gap.operation) else {
                continue;
            };
            let what = format!("query parameter {} of {}", gap.name, gap.operation);
            let Some(at) = self.place(&operation.origin, &what) else {
                continue;
            };
            let parameter = match self.dialect {
                Dialect::Swagger2 => json!({"name": gap.name, "in": "query", "type": "string"}),
                _ => json!({"name": gap.name, "in": "query", "schema": {"type": "string"}}),
            };
            self.push_to_list(
                &format!("{at}/parameters"),
                parameter,
                format!(
                    "{} requests of {} sent `{}`, which it does not declare",
                    gap.count, gap.operation, gap.name
                ),
                (gap.count, gap.of),
            );
        }
    }

    fn members(&mut self, observations: &Observations) {
        for object in &observations.objects {
            if object.undocumented.is_empty() {
                continue;
            }
            let Some(at) = self.place(&object.schema, "undocumented members") else {
                continue;
            };
            let objects = object.seen;
            for member in &object.undocumented {
                let (name, shape) = (member.name.as_str(), &member.shape);
                let properties = format!("{at}/properties");
                let schema = infer::schema(shape, self.dialect);
                let (path, value) = match self.node(&properties) {
                    Some(Value::Object(_)) => {
                        (format!("{properties}/{}", pointer::escape(name)), schema)
                    }
                    _ => (properties, json!({name: schema})),
                };
                let added = self.offer(Suggestion {
                    op: "add",
                    path,
                    value: Some(value),
                    reason: format!(
                        "`{name}` was in {} of {objects} objects, and is not declared",
                        shape.seen
                    ),
                    observations: shape.seen,
                    of: objects,
                });
                if added && shape.seen == objects {
                    self.push_to_list(
                        &format!("{at}/required"),
                        Value::String(name.to_owned()),
                        format!("`{name}` was in every one of the {objects} objects"),
                        (shape.seen, objects),
                    );
                }
            }
        }
    }

    fn types(&mut self, observations: &Observations) {
        let mut values: Vec<&specgate_validator::observe::ValueDrift> =
            observations.values.iter().collect();
        values.sort_by_key(|value| std::cmp::Reverse(value.site.pointer.len()));
        for value in values {
            let Some(admitted) = value.admitted else {
                continue;
            };
            let what = format!("values of {}", value.site.pointer);
            let mut outside: Vec<(JsonTypes, u64)> = (0..7)
                .map(|i| (JsonTypes::at(i), value.by_type[i]))
                .filter(|(t, count)| *count > 0 && !admitted.contains(*t))
                .collect();
            if outside.is_empty() {
                continue;
            }
            let Some(at) = self.place(&value.site, &what) else {
                continue;
            };
            // Integral values are numbers too: a fraction where `integer`
            // is documented makes it `number`, not `integer or number`.
            outside.sort_by_key(|(t, _)| *t != JsonTypes::FRACTION);
            // Only the first new type may replace documented types never
            // seen; the next ones are added to it.
            let mut replace = (0..7)
                .filter(|i| admitted.contains(JsonTypes::at(*i)))
                .all(|i| value.by_type[i] == 0);
            for (single, count) in outside {
                let documented = self.node(&at).cloned().unwrap_or(Value::Null);
                let widened = self.widened(&at, &documented, single, replace);
                replace = false;
                let Some(operations) = widened else {
                    self.not_patched.push(format!(
                        "{at}: {count} values were {}, which a Swagger 2.0 schema of one type cannot also admit",
                        single
                    ));
                    continue;
                };
                let name = if single == JsonTypes::FRACTION {
                    "number".to_owned()
                } else {
                    single.to_string()
                };
                for (op, path, new) in operations {
                    self.offer(Suggestion {
                        op,
                        path,
                        value: Some(new),
                        reason: format!("{count} of {} values were {name}", value.seen),
                        observations: count,
                        of: value.seen,
                    });
                }
            }
        }
    }

    /// The operations that make the schema at `at` (its current value
    /// `node`) admit one more type, in the document's dialect. With
    /// `replace`, the documented types were never seen: the new one
    /// replaces them where a dialect has room for one type only.
    fn widened(
        &self,
        at: &str,
        node: &Value,
        single: JsonTypes,
        replace: bool,
    ) -> Option<Vec<(&'static str, String, Value)>> {
        let object = node.as_object()?;
        let declared = object.get("type").and_then(JsonTypes::of_keyword);
        let name: &str = if single == JsonTypes::FRACTION {
            "number"
        } else {
            single.names().first().copied()?
        };
        // `integer` that saw fractions becomes `number`, in any dialect.
        if single == JsonTypes::FRACTION && declared.is_some_and(|d| d.contains(JsonTypes::INTEGER))
        {
            let keyword = object
                .get("type")
                .map(|t| renamed(t, "integer", "number"))?;
            return Some(vec![("replace", format!("{at}/type"), keyword)]);
        }
        // A null where an enum lists the values: the enum lists null too.
        let enum_null = (single == JsonTypes::NULL
            && object
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| !values.contains(&Value::Null)))
        .then(|| ("add", format!("{at}/enum/-"), Value::Null));
        let wrapped = |keyword: &str| json!({keyword: [node, {"type": name}]});
        let mut operations = match self.dialect {
            Dialect::OpenApi31 => {
                if declared.is_some() {
                    vec![(
                        "replace",
                        format!("{at}/type"),
                        with_names(object.get("type"), &[name]),
                    )]
                } else if let Some(keyword) = ["anyOf", "oneOf"]
                    .into_iter()
                    .find(|k| object.get(*k).is_some_and(Value::is_array))
                {
                    vec![("add", format!("{at}/{keyword}/-"), json!({"type": name}))]
                } else {
                    return Some(vec![("replace", at.to_owned(), wrapped("anyOf"))]);
                }
            }
            Dialect::OpenApi30 | Dialect::Swagger2 => {
                let nullable = if self.dialect == Dialect::OpenApi30 {
                    "nullable"
                } else {
                    "x-nullable"
                };
                if single == JsonTypes::NULL && object.contains_key("$ref") {
                    // Siblings of `$ref` are ignored in 3.0 and 2.0.
                    return Some(vec![(
                        "replace",
                        at.to_owned(),
                        json!({"allOf": [node], nullable: true}),
                    )]);
                } else if single == JsonTypes::NULL {
                    vec![("add", format!("{at}/{nullable}"), Value::Bool(true))]
                } else if declared.is_some() && replace {
                    vec![("replace", format!("{at}/type"), name.into())]
                } else if self.dialect == Dialect::Swagger2 {
                    return None;
                } else if object.get("anyOf").is_some_and(Value::is_array) {
                    vec![("add", format!("{at}/anyOf/-"), json!({"type": name}))]
                } else {
                    return Some(vec![("replace", at.to_owned(), wrapped("anyOf"))]);
                }
            }
        };
        operations.extend(enum_null);
        Some(operations)
    }

    fn enums(&mut self, report: &DriftReport) {
        for gap in &report.enums {
            let Some(at) = self.written(&gap.schema, "enum values") else {
                continue;
            };
            let reason = match &gap.operation {
                Some(_) => format!("{} of {} requests sent {}", gap.count, gap.of, gap.json),
                None => format!("{} of {} values were {}", gap.count, gap.of, gap.json),
            };
            self.push_to_list(&at, gap.json.clone(), reason, (gap.count, gap.of));
        }
    }

    fn required(&mut self, report: &DriftReport) {
        let alternatives = one_of_alternatives(self.document);
        for gap in &report.required {
            let (name, absent, of) = (gap.name.as_str(), gap.absent, gap.of);
            // Of alternatives, what is required tells one from another:
            // loosening one could make a value match two.
            let inline = pointer::tokens(&gap.schema.pointer).any(|token| token == "oneOf");
            let named = named_schema_of_list(&gap.schema.pointer);
            if inline
                || named
                    .as_ref()
                    .is_some_and(|n| alternatives.contains(n.as_str()))
            {
                self.not_patched.push(format!(
                    "{}: `{name}` was missing from {absent} of {of} objects, but the schema is a `oneOf` alternative, which its required members tell apart from the others: not removed",
                    gap.schema.pointer
                ));
                continue;
            }
            let Some(at) = self.written(&gap.schema, &format!("required `{name}`")) else {
                continue;
            };
            let Some(Value::Array(names)) = self.node(&at) else {
                continue;
            };
            let Some(index) = names.iter().position(|n| n == name) else {
                continue;
            };
            // An empty `required` is not allowed before JSON Schema 2019.
            let path = if names.len() == 1 {
                at.clone()
            } else {
                format!("{at}/{index}")
            };
            self.offer(Suggestion {
                op: "remove",
                path,
                value: None,
                reason: format!("`{name}` was missing from {absent} of {of} objects"),
                observations: absent,
                of,
            });
        }
    }

    fn formats(&mut self, report: &DriftReport) {
        for gap in &report.formats {
            let Some(path) = self.written(&gap.schema, "a format") else {
                continue;
            };
            self.offer(Suggestion {
                op: "remove",
                path,
                value: None,
                reason: format!(
                    "{} of {} values were not `{}`",
                    gap.count, gap.of, gap.format
                ),
                observations: gap.count,
                of: gap.of,
            });
        }
    }
}

/// The named schemas some `oneOf` lists as an alternative.
fn one_of_alternatives(document: &Document) -> std::collections::HashSet<String> {
    fn visit(value: &Value, depth: usize, found: &mut std::collections::HashSet<String>) {
        if depth > 64 {
            return;
        }
        match value {
            Value::Object(object) => {
                if let Some(Value::Array(branches)) = object.get("oneOf") {
                    found.extend(
                        branches
                            .iter()
                            .filter_map(specgate_spec::Schema::reference_name_of)
                            .map(|name| name.into_owned()),
                    );
                }
                for child in object.values() {
                    visit(child, depth + 1, found);
                }
            }
            Value::Array(items) => {
                for item in items {
                    visit(item, depth + 1, found);
                }
            }
            _ => {}
        }
    }
    let mut found = std::collections::HashSet::new();
    for named in document.schemas.values() {
        visit(&named.schema.value, 0, &mut found);
    }
    for operation in &document.operations {
        let bodies = operation
            .request_body
            .iter()
            .flat_map(|b| b.content.values());
        let responses = operation
            .responses
            .values()
            .flat_map(|r| r.content.values());
        for media in bodies.chain(responses) {
            if let Some(schema) = &media.schema {
                visit(&schema.value, 0, &mut found);
            }
        }
    }
    found
}

/// The named schema whose own `required` list is at `pointer`
/// (`/components/schemas/{name}/required`, 2.0's `/definitions/{name}/required`).
fn named_schema_of_list(pointer: &str) -> Option<String> {
    let tokens: Vec<_> = pointer::tokens(pointer).collect();
    match tokens.as_slice() {
        [components, schemas, name, required]
            if components == "components" && schemas == "schemas" && required == "required" =>
        {
            Some(name.to_string())
        }
        [definitions, name, required] if definitions == "definitions" && required == "required" => {
            Some(name.to_string())
        }
        _ => None,
    }
}

/// A `type` keyword with more names (kept in its order, new ones after).
fn with_names(keyword: Option<&Value>, names: &[&str]) -> Value {
    let mut list: Vec<Value> = match keyword {
        Some(Value::Array(list)) => list.clone(),
        Some(one @ Value::String(_)) => vec![one.clone()],
        _ => Vec::new(),
    };
    for name in names {
        if !list.iter().any(|n| n == name) {
            list.push((*name).into());
        }
    }
    Value::Array(list)
}

/// A `type` keyword with one name replaced.
fn renamed(keyword: &Value, from: &str, to: &str) -> Value {
    match keyword {
        Value::String(name) if name == from => to.into(),
        Value::Array(names) => names
            .iter()
            .map(|n| if n == from { to.into() } else { n.clone() })
            .collect(),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_lists_name_their_schema() {
        assert_eq!(
            named_schema_of_list("/components/schemas/simple-user/required"),
            Some("simple-user".into())
        );
        assert_eq!(
            named_schema_of_list("/definitions/a~1b/required"),
            Some("a/b".into())
        );
        assert_eq!(
            named_schema_of_list("/components/schemas/user/properties/x/required"),
            None
        );
    }

    #[test]
    fn type_keywords_grow_in_order() {
        assert_eq!(
            with_names(Some(&json!("string")), &["null"]),
            json!(["string", "null"])
        );
        assert_eq!(
            with_names(Some(&json!(["a", "null"])), &["null"]),
            json!(["a", "null"])
        );
        assert_eq!(
            renamed(&json!(["integer", "null"]), "integer", "number"),
            json!(["number", "null"])
        );
    }

    #[test]
    fn null_is_allowed_as_each_dialect_writes_it() {
        let mut schema = json!({"type": "string", "enum": ["a"]});
        if let Value::Object(object) = &mut schema {
            Dialect::OpenApi31.allow_null(object);
        }
        assert_eq!(
            schema,
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        let mut schema = Map::new();
        Dialect::OpenApi30.allow_null(&mut schema);
        assert_eq!(Value::Object(schema), json!({"nullable": true}));
    }
}
