//! A schema seen as what it accepts: references followed, `allOf`
//! members merged (a constraint given twice is the tighter one), a `null`
//! alternative read as nullability, and defaults spelled out read as
//! absent.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::Value;
use specgate_spec::{Alternatives, Document, Origin};

use super::keywords::{self, Class};

/// The model's one bound on schema nesting.
pub(crate) const MAX_DEPTH: usize = specgate_spec::MAX_SCHEMA_DEPTH;

/// A schema node and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub value: &'a Value,
    pub origin: Origin,
    /// Further declarations of the same member by other `allOf` layers
    /// (`ErrorInfo`'s `status` and a part's `status: {enum: [400]}`):
    /// each constrains it too.
    pub also: Vec<Node<'a>>,
}

impl<'a> Node<'a> {
    /// A node with nothing more to merge.
    pub fn new(value: &'a Value, origin: Origin) -> Node<'a> {
        Node {
            value,
            origin,
            also: Vec::new(),
        }
    }

    pub fn child(&self, value: &'a Value, suffix: &[&str]) -> Node<'a> {
        let mut pointer = self.origin.pointer.clone();
        for part in suffix {
            pointer.push('/');
            pointer.push_str(&specgate_spec::pointer::escape(part));
        }
        Node::new(
            value,
            Origin {
                file: self.origin.file,
                pointer,
            },
        )
    }
}

/// `additionalProperties` (or `unevaluatedProperties`), with the default
/// (open) spelled out.
#[derive(Debug, Clone)]
pub(crate) enum Additional<'a> {
    Open,
    Closed,
    Schema(Node<'a>),
}

impl<'a> Additional<'a> {
    fn read(
        object: &'a serde_json::Map<String, Value>,
        node: &Node<'a>,
        keyword: &str,
    ) -> Option<Additional<'a>> {
        match object.get(keyword)? {
            Value::Bool(false) => Some(Additional::Closed),
            Value::Bool(true) => None,
            schema @ Value::Object(object) if object.is_empty() => {
                let _ = schema;
                None
            }
            schema @ Value::Object(_) => Some(Additional::Schema(node.child(schema, &[keyword]))),
            _ => None,
        }
    }
}

/// A schema with its references followed and its `allOf` merged: what it
/// accepts, keyword by keyword.
#[derive(Debug)]
pub(crate) struct View<'a> {
    /// The origin the view is reported at: the schema as referred to.
    pub origin: Origin,
    /// `None`: any type.
    pub types: Option<BTreeSet<&'a str>>,
    pub nullable: bool,
    pub enumeration: Option<Vec<&'a Value>>,
    pub format: Option<&'a str>,
    pub properties: IndexMap<&'a str, Node<'a>>,
    pub required: BTreeSet<&'a str>,
    pub items: Option<Node<'a>>,
    pub prefix_items: Vec<Node<'a>>,
    pub additional: Additional<'a>,
    pub unevaluated: Additional<'a>,
    pub pattern_properties: IndexMap<&'a str, Node<'a>>,
    /// Numeric bounds, by keyword: the tightest given.
    pub bounds: IndexMap<&'static str, &'a Value>,
    /// Every `pattern` the instance must match.
    pub patterns: Vec<&'a str>,
    pub multiple_of: Option<&'a Value>,
    pub unique_items: bool,
    pub dependent_required: IndexMap<&'a str, BTreeSet<&'a str>>,
    pub dependent_schemas: IndexMap<&'a str, Node<'a>>,
    /// `not`, `contains`, `if`, `then`, `else`, `propertyNames`,
    /// `unevaluatedItems`: the first given of each.
    pub applied: IndexMap<&'static str, Node<'a>>,
    /// Hints (`contentMediaType`, `discriminator`, ...): the first given.
    pub hints: IndexMap<&'static str, &'a Value>,
    pub default: Option<&'a Value>,
    /// A `$dynamicRef` the view could not follow.
    pub dynamic_ref: Option<&'a str>,
    /// `oneOf`/`anyOf` alternatives (a `null` one read as nullability).
    pub branches: Vec<Node<'a>>,
    /// Whether the alternatives are a `oneOf` (an instance must match
    /// exactly one), not an `anyOf`.
    pub exclusive: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// Nothing is accepted (`false`).
    pub nothing: bool,
}

impl<'a> View<'a> {
    fn new(origin: Origin) -> Self {
        View {
            origin,
            types: None,
            nullable: false,
            enumeration: None,
            format: None,
            properties: IndexMap::new(),
            required: BTreeSet::new(),
            items: None,
            prefix_items: Vec::new(),
            additional: Additional::Open,
            unevaluated: Additional::Open,
            pattern_properties: IndexMap::new(),
            bounds: IndexMap::new(),
            patterns: Vec::new(),
            multiple_of: None,
            unique_items: false,
            dependent_required: IndexMap::new(),
            dependent_schemas: IndexMap::new(),
            applied: IndexMap::new(),
            hints: IndexMap::new(),
            default: None,
            dynamic_ref: None,
            branches: Vec::new(),
            exclusive: false,
            read_only: false,
            write_only: false,
            nothing: false,
        }
    }

    /// The view of a node in a document.
    pub fn of(document: &'a Document, node: &Node<'a>) -> Self {
        let mut view = View::new(reported_origin(document, node));
        view.merge(document, node, 0, false);
        for more in &node.also {
            view.merge(document, more, 1, false);
        }
        view.finish(document);
        view
    }

    /// The view of one alternative of `outer`'s `oneOf`/`anyOf` with the
    /// rest of `outer` merged in: `{properties, oneOf: [A, B]}` read as
    /// the alternatives `properties ∧ A` and `properties ∧ B`.
    pub fn of_alternative(document: &'a Document, outer: &Node<'a>, branch: &Node<'a>) -> Self {
        let mut view = View::new(reported_origin(document, branch));
        view.merge(document, outer, 0, true);
        view.merge(document, branch, 1, false);
        view.finish(document);
        view
    }

    fn finish(&mut self, document: &'a Document) {
        self.infer_type();
        if self.types.is_none() && !self.branches.is_empty() {
            // The types of the alternatives together: an object wrapped
            // into a `oneOf` of objects is still an object.
            let mut union = BTreeSet::new();
            for branch in &self.branches {
                let mut view = View::new(branch.origin.clone());
                view.merge(document, branch, 1, false);
                view.infer_type();
                match view.types {
                    Some(types) => union.extend(types),
                    None => return,
                }
                self.nullable |= view.nullable;
            }
            self.types = Some(union);
        }
    }

    /// Merges a node's keywords in (an `allOf` member, a `$ref` target):
    /// constraints add up, the tighter bound wins, the first of the rest.
    fn merge(
        &mut self,
        document: &'a Document,
        node: &Node<'a>,
        depth: usize,
        skip_branches: bool,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if node.value == &Value::Bool(false) {
            self.nothing = true;
            return;
        }
        // The model's layers: the node, what its `$ref` names, its `allOf`
        // members, as every reader gathers them.
        let layers = document.schema_layers(node.value, node.origin.clone(), Alternatives::Skip);
        for layer in layers {
            let here = Node::new(node.value, layer.origin);
            self.merge_layer(document, layer.object, &here, depth, skip_branches);
        }
    }

    /// One layer's keywords; `node` gives the layer's origin, for the
    /// origins of what it holds.
    fn merge_layer(
        &mut self,
        document: &'a Document,
        object: &'a serde_json::Map<String, Value>,
        node: &Node<'a>,
        depth: usize,
        skip_branches: bool,
    ) {
        if let Some(Value::String(target)) = object.get("$dynamicRef") {
            // Compared by the schema it names, not the text (a `$id` makes
            // the text absolute).
            let named = document.dynamic_refs.get(target).unwrap_or(target);
            self.dynamic_ref.get_or_insert(named);
        }
        match object.get("type") {
            Some(Value::String(single)) => self.restrict_types(&[single.as_str()]),
            Some(Value::Array(list)) => {
                let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
                self.restrict_types(&names);
            }
            _ => {}
        }
        let listed: Option<Vec<&Value>> = match (object.get("enum"), object.get("const")) {
            (_, Some(value)) => Some(vec![value]),
            (Some(Value::Array(values)), None) => Some(values.iter().collect()),
            _ => None,
        };
        if let Some(listed) = listed {
            match &mut self.enumeration {
                Some(existing) => existing.retain(|v| listed.contains(v)),
                None => self.enumeration = Some(listed),
            }
        }
        if self.format.is_none() {
            self.format = object.get("format").and_then(Value::as_str);
        }
        for (keyword, value) in object {
            let Some(entry) = keywords::find(keyword) else {
                continue;
            };
            let tighter = |old: &Value, new: &Value, upper: bool| match (old.as_f64(), new.as_f64())
            {
                (Some(o), Some(n)) => (upper && n < o) || (!upper && n > o),
                _ => false,
            };
            match entry.class {
                Class::Upper | Class::Lower => {
                    if !value.is_number() {
                        continue;
                    }
                    let upper = entry.class == Class::Upper;
                    let slot = self.bounds.entry(entry.name).or_insert(value);
                    if tighter(slot, value, upper) {
                        *slot = value;
                    }
                }
                Class::Hint => {
                    self.hints.entry(entry.name).or_insert(value);
                }
                _ => {}
            }
        }
        if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
            if !self.patterns.contains(&pattern) {
                self.patterns.push(pattern);
            }
        }
        if self.multiple_of.is_none() {
            self.multiple_of = object.get("multipleOf").filter(|v| v.is_number());
        }
        self.unique_items |= object.get("uniqueItems") == Some(&Value::Bool(true));
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, schema) in properties {
                let declared = node.child(schema, &["properties", name]);
                match self.properties.entry(name.as_str()) {
                    indexmap::map::Entry::Occupied(mut first) => {
                        first.get_mut().also.push(declared)
                    }
                    indexmap::map::Entry::Vacant(slot) => {
                        slot.insert(declared);
                    }
                }
            }
        }
        if let Some(patterns) = object.get("patternProperties").and_then(Value::as_object) {
            for (pattern, schema) in patterns {
                self.pattern_properties
                    .entry(pattern.as_str())
                    .or_insert_with(|| node.child(schema, &["patternProperties", pattern]));
            }
        }
        if let Some(required) = object.get("required").and_then(Value::as_array) {
            self.required
                .extend(required.iter().filter_map(Value::as_str));
        }
        if let Some(dependent) = object.get("dependentRequired").and_then(Value::as_object) {
            for (name, names) in dependent {
                let entry = self.dependent_required.entry(name.as_str()).or_default();
                if let Some(names) = names.as_array() {
                    entry.extend(names.iter().filter_map(Value::as_str));
                }
            }
        }
        if let Some(dependent) = object.get("dependentSchemas").and_then(Value::as_object) {
            for (name, schema) in dependent {
                self.dependent_schemas
                    .entry(name.as_str())
                    .or_insert_with(|| node.child(schema, &["dependentSchemas", name]));
            }
        }
        if self.items.is_none() {
            if let Some(items) = object.get("items").filter(|v| !accepts_anything(v)) {
                self.items = Some(node.child(items, &["items"]));
            }
        }
        if self.prefix_items.is_empty() {
            if let Some(prefix) = object.get("prefixItems").and_then(Value::as_array) {
                self.prefix_items = prefix
                    .iter()
                    .enumerate()
                    .map(|(i, schema)| node.child(schema, &["prefixItems", &i.to_string()]))
                    .collect();
            }
        }
        if matches!(self.additional, Additional::Open) {
            if let Some(additional) = Additional::read(object, node, "additionalProperties") {
                self.additional = additional;
            }
        }
        if matches!(self.unevaluated, Additional::Open) {
            if let Some(unevaluated) = Additional::read(object, node, "unevaluatedProperties") {
                self.unevaluated = unevaluated;
            }
        }
        for keyword in [
            "not",
            "contains",
            "if",
            "then",
            "else",
            "propertyNames",
            "unevaluatedItems",
        ] {
            if let Some(schema) = object.get(keyword) {
                if !accepts_anything(schema) || keyword == "not" {
                    self.applied
                        .entry(keyword)
                        .or_insert_with(|| node.child(schema, &[keyword]));
                }
            }
        }
        if self.default.is_none() {
            self.default = object.get("default");
        }
        self.read_only |= object.get("readOnly") == Some(&Value::Bool(true));
        self.write_only |= object.get("writeOnly") == Some(&Value::Bool(true));
        if skip_branches {
            return;
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(branches) = object.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            let mut kept = Vec::new();
            let mut null_branch = false;
            for (index, branch) in branches.iter().enumerate() {
                if is_null_schema(document, branch) {
                    null_branch = true;
                } else {
                    kept.push(node.child(branch, &[keyword, &index.to_string()]));
                }
            }
            self.nullable |= null_branch;
            // `anyOf: [X, {type: null}]` is a nullable X (how 3.0's
            // `nullable` beside a `$ref` reads in 2020-12).
            if null_branch && kept.len() == 1 && self.branches.is_empty() {
                if let Some(only) = kept.pop() {
                    self.merge(document, &only, depth + 1, false);
                }
            } else if kept.len() == 1 && self.branches.is_empty() {
                // One alternative is no choice: its constraints apply.
                if let Some(only) = kept.pop() {
                    self.merge(document, &only, depth + 1, false);
                }
            } else if self.branches.is_empty() {
                self.branches = kept;
                self.exclusive = keyword == "oneOf";
            }
        }
    }

    fn restrict_types(&mut self, names: &[&'a str]) {
        let nullable = names.contains(&"null");
        let types: BTreeSet<&str> = names.iter().copied().filter(|t| *t != "null").collect();
        match &mut self.types {
            None => {
                self.types = Some(types);
                self.nullable |= nullable;
            }
            Some(existing) => {
                existing
                    .retain(|t| types.contains(t) || (*t == "integer" && types.contains("number")));
                self.nullable &= nullable;
            }
        }
    }

    /// A schema without `type` that only makes sense for one (properties
    /// for an object, items for an array) is read as that type, so spelling
    /// the type out is no change.
    fn infer_type(&mut self) {
        if self.types.is_some() || !self.branches.is_empty() {
            return;
        }
        let object = !self.properties.is_empty()
            || !self.required.is_empty()
            || !matches!(self.additional, Additional::Open);
        let array = self.items.is_some() || !self.prefix_items.is_empty();
        if object && !array {
            self.types = Some(BTreeSet::from(["object"]));
        } else if array && !object {
            self.types = Some(BTreeSet::from(["array"]));
        }
    }

    pub fn describe_types(&self) -> String {
        match &self.types {
            None => "any type".to_owned(),
            Some(types) if types.is_empty() => "null".to_owned(),
            Some(types) => types.iter().copied().collect::<Vec<_>>().join(" or "),
        }
    }

    /// The members a side of the exchange has: names with their schema
    /// (`None` for a name only `required` mentions).
    pub fn members(&self, side: super::Side) -> IndexMap<&'a str, Option<Node<'a>>> {
        let mut members: IndexMap<&str, Option<Node>> = IndexMap::new();
        for (name, node) in &self.properties {
            if hidden(node.value, side) || node.also.iter().any(|n| hidden(n.value, side)) {
                continue;
            }
            members.insert(name, Some(node.clone()));
        }
        for name in &self.required {
            if !self.properties.contains_key(name) {
                members.insert(name, None);
            }
        }
        members
    }

    /// The enum without `null` (nullability is compared on its own).
    pub fn non_null_enum(&self) -> Option<Vec<&'a Value>> {
        self.enumeration
            .as_ref()
            .map(|values| values.iter().copied().filter(|v| !v.is_null()).collect())
    }
}

/// A reference is reported where its target is written: a change to a
/// shared schema has one place, whoever refers to it.
fn reported_origin(document: &Document, node: &Node) -> Origin {
    pure_reference(node.value)
        .and_then(|name| document.schemas.get(name.as_ref()))
        .map_or_else(|| node.origin.clone(), |named| named.schema.origin.clone())
}

/// Whether a member is not on this side of the exchange: `readOnly` ones
/// are not sent, `writeOnly` ones not received.
pub(crate) fn hidden(schema: &Value, side: super::Side) -> bool {
    let flag = match side {
        super::Side::Sent => "readOnly",
        super::Side::Received => "writeOnly",
    };
    schema.get(flag) == Some(&Value::Bool(true))
}

/// `{type: null}`, `{const: null}`, `{enum: [null]}`, or a reference to one.
fn is_null_schema(document: &Document, schema: &Value) -> bool {
    let schema = document.resolve_schema(schema);
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("const") == Some(&Value::Null)
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.len() == 1 && values[0].is_null())
}

/// `true` or `{}`: a schema that accepts every instance.
pub(crate) fn accepts_anything(schema: &Value) -> bool {
    match schema {
        Value::Bool(accepts) => *accepts,
        Value::Object(object) => object.is_empty(),
        _ => true,
    }
}

/// The name of a named schema a node is nothing but a reference to.
pub(crate) fn pure_reference(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    let object = value.as_object()?;
    let name = specgate_spec::schema_ref_name(object.get("$ref")?.as_str()?)?;
    let only_annotations = object.keys().all(|key| {
        matches!(
            key.as_str(),
            "$ref" | "description" | "title" | "example" | "examples" | "summary" | "$comment"
        )
    });
    only_annotations.then_some(name)
}
