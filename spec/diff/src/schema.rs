//! Two schemas compared as what they accept, not as text: references are
//! followed on both sides (a schema moved into `components`, renamed or
//! inlined is the same schema), `allOf` members are merged (a property
//! moved into a member is where it was), a `null` alternative is
//! nullability, and defaults spelled out are the defaults. What differs
//! comes out as [`SchemaChange`]s, which the caller rates by the side of
//! the exchange the schema is on.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::Value;
use specgate_spec::{Document, Origin};

/// Which side of the exchange a schema describes: what the client sends,
/// or what it receives. `readOnly` members are not sent, `writeOnly`
/// members not received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    Sent,
    Received,
}

/// What changed at one place of a schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SchemaChangeKind {
    /// The types accepted are neither more nor fewer: different.
    TypeChanged {
        old: String,
        new: String,
    },
    /// Every old type is still accepted, and more.
    TypeWidened {
        old: String,
        new: String,
    },
    /// Fewer types are accepted.
    TypeNarrowed {
        old: String,
        new: String,
    },
    NullableAdded,
    NullableRemoved,
    /// Enum values added; `restriction_lifted` when the new schema has no
    /// enum at all.
    EnumAdded {
        values: Vec<Value>,
        restriction_lifted: bool,
    },
    /// Enum values removed; `new_restriction` when the old schema had no
    /// enum at all.
    EnumRemoved {
        values: Vec<Value>,
        new_restriction: bool,
    },
    FormatChanged {
        old: Option<String>,
        new: Option<String>,
    },
    Tightened {
        keyword: &'static str,
        old: Option<Value>,
        new: Option<Value>,
    },
    Loosened {
        keyword: &'static str,
        old: Option<Value>,
        new: Option<Value>,
    },
    PropertyAdded {
        name: String,
        required: bool,
    },
    PropertyRemoved {
        name: String,
        required: bool,
    },
    MadeRequired {
        name: String,
    },
    MadeOptional {
        name: String,
    },
    BranchAdded {
        name: String,
    },
    BranchRemoved {
        name: String,
    },
}

/// One difference: what, where in the instance (property names, `[]` for
/// array items), and where in each document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SchemaChange {
    pub kind: SchemaChangeKind,
    /// The instance path, outermost first.
    pub at: Vec<String>,
    pub old: Origin,
    pub new: Origin,
}

impl SchemaChange {
    /// The instance path as a reader writes it: `data.payload[].id`.
    pub fn path(&self) -> String {
        render_path(&self.at)
    }
}

/// An instance path written the way a reader says it.
pub(crate) fn render_path(at: &[String]) -> String {
    let mut out = String::new();
    for segment in at {
        if segment == ITEMS {
            out.push_str("[]");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    out
}

/// The path segment of array items.
pub(crate) const ITEMS: &str = "[]";

/// Deep enough for any schema a person writes; a bound for the rest.
const MAX_DEPTH: usize = 64;

/// Above this many pairs of `oneOf`/`anyOf` alternatives (64 × 64), they
/// are paired in order rather than each against each.
const MAX_BRANCH_PAIRS: usize = 4096;

/// A schema node and where it was written.
#[derive(Debug, Clone)]
struct Node<'a> {
    value: &'a Value,
    origin: Origin,
}

impl<'a> Node<'a> {
    fn child(&self, value: &'a Value, suffix: &[&str]) -> Node<'a> {
        let mut pointer = self.origin.pointer.clone();
        for part in suffix {
            pointer.push('/');
            pointer.push_str(&specgate_spec::pointer::escape(part));
        }
        Node {
            value,
            origin: Origin {
                file: self.origin.file,
                pointer,
            },
        }
    }
}

/// `additionalProperties`, with the default (open) spelled out.
#[derive(Debug, Clone)]
enum Additional<'a> {
    Open,
    Closed,
    Schema(Node<'a>),
}

/// A schema with its references followed and its `allOf` merged: what it
/// accepts, keyword by keyword.
#[derive(Debug)]
struct View<'a> {
    /// The origin the view is reported at: the schema as referred to.
    origin: Origin,
    /// `None`: any type.
    types: Option<BTreeSet<&'a str>>,
    nullable: bool,
    enumeration: Option<Vec<&'a Value>>,
    format: Option<&'a str>,
    properties: IndexMap<&'a str, Node<'a>>,
    required: BTreeSet<&'a str>,
    items: Option<Node<'a>>,
    additional: Additional<'a>,
    bounds: IndexMap<&'static str, &'a Value>,
    branches: Vec<Node<'a>>,
    read_only: bool,
    write_only: bool,
    /// Nothing is accepted (`false`).
    nothing: bool,
}

/// Keywords that bound from above: a smaller value accepts less.
const UPPER_BOUNDS: [&str; 5] = [
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];
/// Keywords that bound from below: a larger value accepts less.
const LOWER_BOUNDS: [&str; 5] = [
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
/// Keywords whose any change may refuse what was accepted.
const OTHER_CONSTRAINTS: [&str; 3] = ["pattern", "multipleOf", "uniqueItems"];

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
            additional: Additional::Open,
            bounds: IndexMap::new(),
            branches: Vec::new(),
            read_only: false,
            write_only: false,
            nothing: false,
        }
    }

    /// The view of a node in a document.
    fn of(document: &'a Document, node: &Node<'a>) -> Self {
        // A reference is reported where its target is written: a change to
        // a shared schema has one place, whoever refers to it.
        let origin = pure_reference(node.value)
            .and_then(|name| {
                document
                    .schemas
                    .get(specgate_spec::pointer::unescape(name).as_ref())
            })
            .map_or_else(|| node.origin.clone(), |named| named.schema.origin.clone());
        let mut view = View::new(origin);
        let mut visiting = Vec::new();
        view.merge(document, node, &mut visiting, 0);
        view.infer_type();
        view
    }

    /// Merges a node's keywords in (an `allOf` member, a `$ref` target):
    /// the first to give a keyword wins, constraints that add up do.
    fn merge(
        &mut self,
        document: &'a Document,
        node: &Node<'a>,
        visiting: &mut Vec<&'a str>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let object = match node.value {
            Value::Bool(false) => {
                self.nothing = true;
                return;
            }
            Value::Object(object) => object,
            _ => return,
        };
        if let Some(name) = object
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(specgate_spec::SCHEMA_REF_PREFIX))
        {
            let name = document
                .schemas
                .get_key_value(specgate_spec::pointer::unescape(name).as_ref())
                .map(|(key, named)| (key.as_str(), named));
            if let Some((key, named)) = name {
                if !visiting.contains(&key) {
                    visiting.push(key);
                    let target = Node {
                        value: &named.schema.value,
                        origin: named.schema.origin.clone(),
                    };
                    self.merge(document, &target, visiting, depth + 1);
                    visiting.pop();
                }
            }
        }
        match object.get("type") {
            Some(Value::String(single)) => self.restrict_types(&[single.as_str()]),
            Some(Value::Array(list)) => {
                let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
                self.restrict_types(&names);
            }
            _ => {}
        }
        if self.enumeration.is_none() {
            if let Some(values) = object.get("enum").and_then(Value::as_array) {
                self.enumeration = Some(values.iter().collect());
            } else if let Some(value) = object.get("const") {
                self.enumeration = Some(vec![value]);
            }
        }
        if self.format.is_none() {
            self.format = object.get("format").and_then(Value::as_str);
        }
        for keyword in UPPER_BOUNDS
            .iter()
            .chain(&LOWER_BOUNDS)
            .chain(&OTHER_CONSTRAINTS)
        {
            if let Some(value) = object.get(*keyword) {
                // `uniqueItems: false` is the default spelled out.
                if *keyword == "uniqueItems" && value == &Value::Bool(false) {
                    continue;
                }
                self.bounds.entry(keyword).or_insert(value);
            }
        }
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, schema) in properties {
                self.properties
                    .entry(name.as_str())
                    .or_insert_with(|| node.child(schema, &["properties", name]));
            }
        }
        if let Some(required) = object.get("required").and_then(Value::as_array) {
            self.required
                .extend(required.iter().filter_map(Value::as_str));
        }
        if self.items.is_none() {
            if let Some(items) = object.get("items").filter(|v| v.is_object()) {
                self.items = Some(node.child(items, &["items"]));
            }
        }
        if matches!(self.additional, Additional::Open) {
            match object.get("additionalProperties") {
                Some(Value::Bool(false)) => self.additional = Additional::Closed,
                Some(schema @ Value::Object(_)) => {
                    self.additional =
                        Additional::Schema(node.child(schema, &["additionalProperties"]))
                }
                _ => {}
            }
        }
        self.read_only |= object.get("readOnly") == Some(&Value::Bool(true));
        self.write_only |= object.get("writeOnly") == Some(&Value::Bool(true));
        if let Some(members) = object.get("allOf").and_then(Value::as_array) {
            for (index, member) in members.iter().enumerate() {
                let index = index.to_string();
                self.merge(
                    document,
                    &node.child(member, &["allOf", &index]),
                    visiting,
                    depth + 1,
                );
            }
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
                    self.merge(document, &only, visiting, depth + 1);
                }
            } else if self.branches.is_empty() {
                self.branches = kept;
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
        if object && self.items.is_none() {
            self.types = Some(BTreeSet::from(["object"]));
        } else if self.items.is_some() && !object {
            self.types = Some(BTreeSet::from(["array"]));
        }
    }

    fn describe_types(&self) -> String {
        match &self.types {
            None => "any type".to_owned(),
            Some(types) if types.is_empty() => "null".to_owned(),
            Some(types) => types.iter().copied().collect::<Vec<_>>().join(" or "),
        }
    }

    /// The members a side of the exchange has: names with their schema
    /// (`None` for a name only `required` mentions).
    fn members(&self, side: Side) -> IndexMap<&'a str, Option<Node<'a>>> {
        let mut members: IndexMap<&str, Option<Node>> = IndexMap::new();
        for (name, node) in &self.properties {
            if hidden(node.value, side) {
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
}

/// Whether a member is not on this side of the exchange: `readOnly` ones
/// are not sent, `writeOnly` ones not received.
fn hidden(schema: &Value, side: Side) -> bool {
    let flag = match side {
        Side::Sent => "readOnly",
        Side::Received => "writeOnly",
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

/// The name of a named schema a node is nothing but a reference to.
fn pure_reference(value: &Value) -> Option<&str> {
    let object = value.as_object()?;
    let name = object
        .get("$ref")?
        .as_str()?
        .strip_prefix(specgate_spec::SCHEMA_REF_PREFIX)?;
    let only_annotations = object.keys().all(|key| {
        matches!(
            key.as_str(),
            "$ref" | "description" | "title" | "example" | "examples" | "summary" | "$comment"
        )
    });
    only_annotations.then_some(name)
}

/// Compares schemas of two documents on one side of the exchange,
/// remembering what each pair of named schemas gave: a schema used by a
/// thousand operations is compared once, and a recursive one ends.
pub(crate) struct Comparer<'a> {
    old: &'a Document,
    new: &'a Document,
    side: Side,
    /// By pair of named schemas: their changes, or `None` while being
    /// compared (a cycle: what is being computed is not counted twice).
    memo: HashMap<(&'a str, &'a str), Option<Rc<Vec<SchemaChange>>>>,
}

impl<'a> Comparer<'a> {
    pub(crate) fn new(old: &'a Document, new: &'a Document, side: Side) -> Self {
        Comparer {
            old,
            new,
            side,
            memo: HashMap::new(),
        }
    }

    /// Every change from `old` to `new`, schemas of the two documents.
    pub(crate) fn compare(
        &mut self,
        old: &'a Value,
        old_origin: &Origin,
        new: &'a Value,
        new_origin: &Origin,
    ) -> Vec<SchemaChange> {
        let old = Node {
            value: old,
            origin: old_origin.clone(),
        };
        let new = Node {
            value: new,
            origin: new_origin.clone(),
        };
        self.nodes(&old, &new, 0)
    }

    fn nodes(&mut self, old: &Node<'a>, new: &Node<'a>, depth: usize) -> Vec<SchemaChange> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let names = pure_reference(old.value).zip(pure_reference(new.value));
        let Some((old_name, new_name)) = names else {
            return self.views(old, new, depth);
        };
        let key = (
            self.old
                .schemas
                .get_key_value(specgate_spec::pointer::unescape(old_name).as_ref())
                .map(|(k, _)| k.as_str()),
            self.new
                .schemas
                .get_key_value(specgate_spec::pointer::unescape(new_name).as_ref())
                .map(|(k, _)| k.as_str()),
        );
        let (Some(old_key), Some(new_key)) = key else {
            return self.views(old, new, depth);
        };
        match self.memo.get(&(old_key, new_key)) {
            Some(Some(done)) => return done.as_ref().clone(),
            Some(None) => return Vec::new(),
            None => {}
        }
        self.memo.insert((old_key, new_key), None);
        let changes = self.views(old, new, depth);
        self.memo
            .insert((old_key, new_key), Some(Rc::new(changes.clone())));
        changes
    }

    fn views(&mut self, old: &Node<'a>, new: &Node<'a>, depth: usize) -> Vec<SchemaChange> {
        let old_view = View::of(self.old, old);
        let new_view = View::of(self.new, new);
        let mut out = Vec::new();
        let mut push = |kind| {
            out.push(SchemaChange {
                kind,
                at: Vec::new(),
                old: old_view.origin.clone(),
                new: new_view.origin.clone(),
            })
        };
        if old_view.nothing || new_view.nothing {
            if old_view.nothing != new_view.nothing {
                push(SchemaChangeKind::TypeChanged {
                    old: if old_view.nothing {
                        "nothing".into()
                    } else {
                        old_view.describe_types()
                    },
                    new: if new_view.nothing {
                        "nothing".into()
                    } else {
                        new_view.describe_types()
                    },
                });
            }
            return out;
        }
        if let Some(kind) = compare_types(&old_view, &new_view) {
            push(kind);
        }
        match (old_view.nullable, new_view.nullable) {
            (false, true) => push(SchemaChangeKind::NullableAdded),
            (true, false) => push(SchemaChangeKind::NullableRemoved),
            _ => {}
        }
        compare_enums(&old_view, &new_view, &mut push);
        if old_view.format != new_view.format {
            push(SchemaChangeKind::FormatChanged {
                old: old_view.format.map(str::to_owned),
                new: new_view.format.map(str::to_owned),
            });
        }
        compare_bounds(&old_view, &new_view, &mut push);
        match (&old_view.additional, &new_view.additional) {
            (Additional::Open, Additional::Closed)
            | (Additional::Schema(_), Additional::Closed) => push(SchemaChangeKind::Tightened {
                keyword: "additionalProperties",
                old: None,
                new: Some(Value::Bool(false)),
            }),
            (Additional::Closed, Additional::Open)
            | (Additional::Closed, Additional::Schema(_)) => push(SchemaChangeKind::Loosened {
                keyword: "additionalProperties",
                old: Some(Value::Bool(false)),
                new: None,
            }),
            _ => {}
        }
        if let (Additional::Schema(old_extra), Additional::Schema(new_extra)) =
            (&old_view.additional, &new_view.additional)
        {
            let nested = self.nodes(old_extra, new_extra, depth + 1);
            out.extend(prefixed("*", nested));
        }
        self.members(&old_view, &new_view, depth, &mut out);
        if let (Some(old_items), Some(new_items)) = (&old_view.items, &new_view.items) {
            let nested = self.nodes(old_items, new_items, depth + 1);
            out.extend(prefixed(ITEMS, nested));
        }
        self.branches(&old_view, &new_view, depth, &mut out);
        out
    }

    fn members(
        &mut self,
        old_view: &View<'a>,
        new_view: &View<'a>,
        depth: usize,
        out: &mut Vec<SchemaChange>,
    ) {
        let old_members = old_view.members(self.side);
        let new_members = new_view.members(self.side);
        for (name, old_node) in &old_members {
            let old_required = old_view.required.contains(name);
            let old_origin = old_node.as_ref().map_or(&old_view.origin, |n| &n.origin);
            let Some(new_node) = new_members.get(name) else {
                out.push(SchemaChange {
                    kind: SchemaChangeKind::PropertyRemoved {
                        name: (*name).to_owned(),
                        required: old_required,
                    },
                    at: vec![(*name).to_owned()],
                    old: old_origin.clone(),
                    new: new_view.origin.clone(),
                });
                continue;
            };
            let new_required = new_view.required.contains(name);
            let new_origin = new_node.as_ref().map_or(&new_view.origin, |n| &n.origin);
            let kind = match (old_required, new_required) {
                (true, false) => Some(SchemaChangeKind::MadeOptional {
                    name: (*name).to_owned(),
                }),
                (false, true) => Some(SchemaChangeKind::MadeRequired {
                    name: (*name).to_owned(),
                }),
                _ => None,
            };
            if let Some(kind) = kind {
                out.push(SchemaChange {
                    kind,
                    at: vec![(*name).to_owned()],
                    old: old_origin.clone(),
                    new: new_origin.clone(),
                });
            }
            if let (Some(old_node), Some(new_node)) = (old_node, new_node) {
                let nested = self.nodes(old_node, new_node, depth + 1);
                out.extend(prefixed(name, nested));
            }
        }
        for (name, new_node) in &new_members {
            if old_members.contains_key(name) {
                continue;
            }
            out.push(SchemaChange {
                kind: SchemaChangeKind::PropertyAdded {
                    name: (*name).to_owned(),
                    required: new_view.required.contains(name),
                },
                at: vec![(*name).to_owned()],
                old: old_view.origin.clone(),
                new: new_node
                    .as_ref()
                    .map_or(&new_view.origin, |n| &n.origin)
                    .clone(),
            });
        }
    }

    /// `oneOf`/`anyOf` alternatives, paired: the same named schema, else
    /// one that compares equal, else the last two left.
    fn branches(
        &mut self,
        old_view: &View<'a>,
        new_view: &View<'a>,
        depth: usize,
        out: &mut Vec<SchemaChange>,
    ) {
        if old_view.branches.is_empty() && new_view.branches.is_empty() {
            return;
        }
        let (old_count, new_count) = (old_view.branches.len(), new_view.branches.len());
        if old_count.saturating_mul(new_count) > MAX_BRANCH_PAIRS {
            // Thousands of alternatives: pairing each with each would not
            // end in time; they are paired in order instead.
            for (old_branch, new_branch) in old_view.branches.iter().zip(&new_view.branches) {
                out.extend(self.nodes(old_branch, new_branch, depth + 1));
            }
            self.unpaired(
                old_view.branches.iter().skip(new_count).collect(),
                new_view.branches.iter().skip(old_count).collect(),
                old_view,
                new_view,
                out,
            );
            return;
        }
        let mut unmatched_new: Vec<&Node<'a>> = new_view.branches.iter().collect();
        let mut unmatched_old = Vec::new();
        for old_branch in &old_view.branches {
            let by_name = pure_reference(old_branch.value).and_then(|name| {
                unmatched_new
                    .iter()
                    .position(|n| pure_reference(n.value) == Some(name))
            });
            let found = by_name.or_else(|| {
                unmatched_new
                    .iter()
                    .position(|n| self.nodes(old_branch, n, depth + 1).is_empty())
            });
            match found {
                Some(index) => {
                    let new_branch = unmatched_new.remove(index);
                    out.extend(self.nodes(old_branch, new_branch, depth + 1));
                }
                None => unmatched_old.push(old_branch),
            }
        }
        if let ([old_branch], [new_branch]) = (unmatched_old.as_slice(), unmatched_new.as_slice()) {
            out.extend(self.nodes(old_branch, new_branch, depth + 1));
            return;
        }
        self.unpaired(unmatched_old, unmatched_new, old_view, new_view, out);
    }

    /// Alternatives left without a partner: removed, or added.
    fn unpaired(
        &self,
        unmatched_old: Vec<&Node<'a>>,
        unmatched_new: Vec<&Node<'a>>,
        old_view: &View<'a>,
        new_view: &View<'a>,
        out: &mut Vec<SchemaChange>,
    ) {
        for old_branch in unmatched_old {
            out.push(SchemaChange {
                kind: SchemaChangeKind::BranchRemoved {
                    name: branch_name(old_branch),
                },
                at: Vec::new(),
                old: old_branch.origin.clone(),
                new: new_view.origin.clone(),
            });
        }
        for new_branch in unmatched_new {
            out.push(SchemaChange {
                kind: SchemaChangeKind::BranchAdded {
                    name: branch_name(new_branch),
                },
                at: Vec::new(),
                old: old_view.origin.clone(),
                new: new_branch.origin.clone(),
            });
        }
    }
}

/// How an alternative is named in a message: its schema's name, or its type.
fn branch_name(node: &Node) -> String {
    if let Some(name) = pure_reference(node.value) {
        return format!("`{}`", specgate_spec::pointer::unescape(name));
    }
    match node.value.get("type") {
        Some(Value::String(t)) => format!("an inline {t}"),
        _ => "an inline schema".to_owned(),
    }
}

fn prefixed(segment: &str, changes: Vec<SchemaChange>) -> impl Iterator<Item = SchemaChange> + '_ {
    changes.into_iter().map(move |mut change| {
        change.at.insert(0, segment.to_owned());
        change
    })
}

/// Whether a type accepts every value of another: `number` accepts
/// integers.
fn covers(types: &BTreeSet<&str>, t: &str) -> bool {
    types.contains(t) || (t == "integer" && types.contains("number"))
}

fn compare_types(old: &View, new: &View) -> Option<SchemaChangeKind> {
    let describe = || (old.describe_types(), new.describe_types());
    match (&old.types, &new.types) {
        (None, None) => None,
        (Some(_), None) => {
            let (old, new) = describe();
            Some(SchemaChangeKind::TypeWidened { old, new })
        }
        (None, Some(_)) => {
            let (old, new) = describe();
            Some(SchemaChangeKind::TypeNarrowed { old, new })
        }
        (Some(o), Some(n)) if o == n => None,
        (Some(o), Some(n)) => {
            let widened = o.iter().all(|t| covers(n, t));
            let narrowed = n.iter().all(|t| covers(o, t));
            let (old, new) = describe();
            Some(match (widened, narrowed) {
                (true, _) => SchemaChangeKind::TypeWidened { old, new },
                (false, true) => SchemaChangeKind::TypeNarrowed { old, new },
                (false, false) => SchemaChangeKind::TypeChanged { old, new },
            })
        }
    }
}

/// An enum's values but `null`: in an enum, `null` is nullability,
/// compared on its own.
fn non_null<'a>(view: &View<'a>) -> Option<Vec<&'a Value>> {
    view.enumeration
        .as_ref()
        .map(|values| values.iter().copied().filter(|v| !v.is_null()).collect())
}

fn compare_enums(old: &View, new: &View, push: &mut impl FnMut(SchemaChangeKind)) {
    match (&non_null(old), &non_null(new)) {
        (None, None) => {}
        (Some(_), None) => push(SchemaChangeKind::EnumAdded {
            values: Vec::new(),
            restriction_lifted: true,
        }),
        (None, Some(values)) => push(SchemaChangeKind::EnumRemoved {
            values: values.iter().map(|v| (*v).clone()).collect(),
            new_restriction: true,
        }),
        (Some(o), Some(n)) => {
            let removed: Vec<Value> = o
                .iter()
                .filter(|v| !n.contains(v))
                .map(|v| (*v).clone())
                .collect();
            let added: Vec<Value> = n
                .iter()
                .filter(|v| !o.contains(v))
                .map(|v| (*v).clone())
                .collect();
            if !removed.is_empty() {
                push(SchemaChangeKind::EnumRemoved {
                    values: removed,
                    new_restriction: false,
                });
            }
            if !added.is_empty() {
                push(SchemaChangeKind::EnumAdded {
                    values: added,
                    restriction_lifted: false,
                });
            }
        }
    }
}

fn compare_bounds(old: &View, new: &View, push: &mut impl FnMut(SchemaChangeKind)) {
    let keywords = UPPER_BOUNDS
        .iter()
        .map(|k| (*k, Some(true)))
        .chain(LOWER_BOUNDS.iter().map(|k| (*k, Some(false))))
        .chain(OTHER_CONSTRAINTS.iter().map(|k| (*k, None)));
    for (keyword, upper) in keywords {
        let (o, n) = (old.bounds.get(keyword), new.bounds.get(keyword));
        let tightened = match (o, n) {
            (None, None) => continue,
            (Some(o), Some(n)) if o == n => continue,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(o), Some(n)) => match (upper, o.as_f64(), n.as_f64()) {
                (Some(true), Some(o), Some(n)) => n < o,
                (Some(false), Some(o), Some(n)) => n > o,
                // A changed pattern or multipleOf may refuse what was
                // accepted: read as tightened.
                _ => true,
            },
        };
        let (old_value, new_value) = (o.map(|v| (*v).clone()), n.map(|v| (*v).clone()));
        push(if tightened {
            SchemaChangeKind::Tightened {
                keyword,
                old: old_value,
                new: new_value,
            }
        } else {
            SchemaChangeKind::Loosened {
                keyword,
                old: old_value,
                new: new_value,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(old: &str, new: &str, side: Side) -> Vec<SchemaChangeKind> {
        let doc = |text: &str| {
            let source = format!(
                r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
                    "components": {{"schemas": {text}}}}}"#
            );
            specgate_spec::load_str("t.json", &source).expect("test document loads")
        };
        let (old, new) = (doc(old), doc(new));
        let mut comparer = Comparer::new(&old, &new, side);
        let (o, n) = (&old.schemas["S"].schema, &new.schemas["S"].schema);
        comparer
            .compare(&o.value, &o.origin, &n.value, &n.origin)
            .into_iter()
            .map(|c| c.kind)
            .collect()
    }

    #[test]
    fn a_schema_moved_into_a_component_or_an_all_of_member_is_no_change() {
        let old = r##"{"S": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}}"##;
        let new = r##"{"S": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"b": {"type": "integer"}}}], "type": "object"},
                      "Base": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/components/schemas/Text"}}},
                      "Text": {"type": "string", "description": "moved"}}"##;
        assert_eq!(changes(old, new, Side::Received), vec![]);
        assert_eq!(changes(old, new, Side::Sent), vec![]);
    }

    #[test]
    fn null_alternatives_read_as_nullability() {
        let old = r##"{"S": {"type": ["string", "null"]}}"##;
        let new = r##"{"S": {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}, "T": {"type": "string"}}"##;
        assert_eq!(changes(old, new, Side::Received), vec![]);
        let not_null = r##"{"S": {"type": "string"}}"##;
        assert_eq!(
            changes(not_null, old, Side::Received),
            vec![SchemaChangeKind::NullableAdded]
        );
    }

    #[test]
    fn types_widen_narrow_and_change() {
        let int = r##"{"S": {"type": "integer"}}"##;
        let num = r##"{"S": {"type": "number"}}"##;
        let text = r##"{"S": {"type": "string"}}"##;
        assert!(matches!(
            changes(int, num, Side::Sent)[..],
            [SchemaChangeKind::TypeWidened { .. }]
        ));
        assert!(matches!(
            changes(num, int, Side::Sent)[..],
            [SchemaChangeKind::TypeNarrowed { .. }]
        ));
        assert!(matches!(
            changes(int, text, Side::Sent)[..],
            [SchemaChangeKind::TypeChanged { .. }]
        ));
    }

    #[test]
    fn read_only_members_are_not_sent() {
        let old = r##"{"S": {"type": "object", "properties": {"a": {"type": "string"}}}}"##;
        let new = r##"{"S": {"type": "object", "required": ["id"], "properties": {"a": {"type": "string"}, "id": {"type": "integer", "readOnly": true}}}}"##;
        assert_eq!(changes(old, new, Side::Sent), vec![]);
        assert!(matches!(
            &changes(old, new, Side::Received)[..],
            [SchemaChangeKind::PropertyAdded { required: true, .. }]
        ));
    }

    #[test]
    fn recursive_schemas_end() {
        let old = r##"{"S": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/S"}, "v": {"type": "string"}}}}"##;
        let new = r##"{"S": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/S"}, "v": {"type": "integer"}}}}"##;
        // `v` and `next.v` (the same node, which the caller counts once).
        let found = changes(old, new, Side::Received);
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|c| matches!(c, SchemaChangeKind::TypeChanged { .. })),
            "{found:?}"
        );
    }

    #[test]
    fn thousands_of_alternatives_are_paired_in_order() {
        // Each against each would be millions of comparisons; in order, the
        // same alternatives are the same.
        let branches: Vec<String> = (0..3000)
            .map(|i| {
                format!(r#"{{"type": "object", "properties": {{"p{i}": {{"type": "string"}}}}}}"#)
            })
            .collect();
        let schema = format!(r#"{{"S": {{"oneOf": [{}]}}}}"#, branches.join(","));
        assert_eq!(changes(&schema, &schema, Side::Received), vec![]);
    }

    #[test]
    fn renders_instance_paths() {
        let at = ["data", ITEMS, "id"].map(str::to_owned);
        assert_eq!(render_path(&at), "data[].id");
        assert_eq!(render_path(&[]), "");
    }
}
