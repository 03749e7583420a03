//! What traffic showed, summed over exchanges, for the drift report: at
//! each schema site, the types and enum values of the values it described;
//! at each object schema, how often each member was present and which
//! members it does not declare (with the shape of their values); and the
//! bodies of undocumented operations, statuses and media types.
//!
//! One exchange's observations are collected beside its checks (the drift
//! walk visits every value once) into an [`Observed`] keyed by schema
//! node, then merged into the run's: memory grows with the document and
//! the variety of the traffic, never with its length. Every collection is
//! bounded. [`crate::Validator::observations`] turns the sums into
//! [`Observations`] that name places in the document.

use indexmap::IndexMap;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use specgate_spec::{JsonTypes, Origin};

use crate::finding::Place;

/// At most this many members a shape describes per object; past it the
/// shape is marked truncated.
const MAX_SHAPE_MEMBERS: usize = 200;
/// How deep a shape describes values.
const MAX_SHAPE_DEPTH: usize = 16;
/// At most this many nodes (members and items, at every depth) one shape
/// holds, however many values are merged into it.
const MAX_SHAPE_NODES: usize = 256;
/// At most this many undocumented members are kept per object schema.
const MAX_UNDOCUMENTED: usize = 200;
/// At most this many distinct values outside an enum are kept per site.
const MAX_ENUM_MISSES: usize = 100;
/// At most this many undocumented bodies (operation, status, media type)
/// are kept.
const MAX_BODIES: usize = 1000;

/// Where something was first seen: the exchange, and where in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sighting {
    /// The input file.
    pub source: String,
    /// The exchange's 0-based index in it.
    pub entry: usize,
    /// What `pointer` points into.
    #[serde(rename = "in")]
    pub place: Place,
    /// The JSON pointer into the body.
    pub pointer: String,
}

/// Formats a string member's values are tested for, in order of
/// preference: a value matching `date-time` is not called a `date`.
pub const INFERRED_FORMATS: [&str; 5] = ["date-time", "date", "uuid", "email", "uri"];

/// The observed shape of values: their types, the format every string
/// had, the members of objects, the items of arrays. Read back (a result
/// stored by another process) only within the bounds one run keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ShapeParts")]
pub struct Shape {
    /// How many values.
    pub seen: u64,
    /// How many of each type, by [`JsonTypes::index`].
    pub by_type: [u64; 7],
    /// The bits (of [`INFERRED_FORMATS`]) every string value matched.
    formats: u8,
    /// Object members, each with how often it was present.
    pub members: IndexMap<String, Shape>,
    /// The items of arrays.
    pub items: Option<Box<Shape>>,
    /// Whether members or depth went past the bounds undescribed.
    pub truncated: bool,
    /// The nodes of this shape, itself included: what the node bound
    /// counts.
    #[serde(skip)]
    nodes: usize,
}

/// A [`Shape`] as stored, before its bounds are checked.
#[derive(Deserialize)]
struct ShapeParts {
    seen: u64,
    by_type: [u64; 7],
    formats: u8,
    members: IndexMap<String, Shape>,
    items: Option<Box<Shape>>,
    truncated: bool,
}

impl TryFrom<ShapeParts> for Shape {
    type Error = String;

    fn try_from(parts: ShapeParts) -> Result<Shape, String> {
        let nodes = 1
            + parts.members.values().map(|m| m.nodes).sum::<usize>()
            + parts.items.as_ref().map_or(0, |items| items.nodes);
        if parts.members.len() > MAX_SHAPE_MEMBERS || nodes > MAX_SHAPE_NODES {
            return Err(format!(
                "a shape of {} members and {nodes} nodes is past the bounds specgate keeps \
                 ({MAX_SHAPE_MEMBERS} members, {MAX_SHAPE_NODES} nodes)",
                parts.members.len()
            ));
        }
        Ok(Shape {
            seen: parts.seen,
            by_type: parts.by_type,
            formats: parts.formats,
            members: parts.members,
            items: parts.items,
            truncated: parts.truncated,
            nodes,
        })
    }
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            seen: 0,
            by_type: [0; 7],
            formats: (1 << INFERRED_FORMATS.len()) - 1,
            members: IndexMap::new(),
            items: None,
            truncated: false,
            nodes: 1,
        }
    }
}

impl Shape {
    /// A shape of one value.
    pub fn of(value: &Value) -> Shape {
        let mut shape = Shape::default();
        shape.add_value(value);
        shape
    }

    /// Adds one more value.
    pub(crate) fn add_value(&mut self, value: &Value) {
        let mut budget = MAX_SHAPE_NODES.saturating_sub(self.nodes);
        self.add(value, 0, &mut budget);
    }

    /// The types seen.
    pub fn types(&self) -> JsonTypes {
        types_seen(&self.by_type)
    }

    /// How many values were of this single type.
    pub fn count(&self, single: JsonTypes) -> u64 {
        self.by_type[single.index()]
    }

    /// The format every string value matched, when strings were seen.
    pub fn format(&self) -> Option<&'static str> {
        if self.count(JsonTypes::STRING) == 0 {
            return None;
        }
        INFERRED_FORMATS
            .iter()
            .enumerate()
            .find(|(bit, _)| self.formats & (1 << bit) != 0)
            .map(|(_, name)| *name)
    }

    /// Adds a value at `depth`, making at most `budget` new nodes;
    /// returns how many it made.
    fn add(&mut self, value: &Value, depth: usize, budget: &mut usize) -> usize {
        self.seen += 1;
        self.by_type[JsonTypes::of(value).index()] += 1;
        if depth >= MAX_SHAPE_DEPTH {
            self.truncated |= value.is_object() || value.is_array();
            // Not looked at: no format can be claimed for it.
            if value.is_string() {
                self.formats = 0;
            }
            return 0;
        }
        let mut made = 0;
        match value {
            Value::String(text) if self.formats != 0 => self.formats &= formats_of(text),
            Value::Object(members) => {
                for (name, member) in members {
                    if let Some(shape) = self.members.get_mut(name.as_str()) {
                        made += shape.add(member, depth + 1, budget);
                    } else if self.members.len() < MAX_SHAPE_MEMBERS && *budget > 0 {
                        *budget -= 1;
                        let mut shape = Shape::default();
                        made += 1 + shape.add(member, depth + 1, budget);
                        self.members.insert(name.clone(), shape);
                    } else {
                        self.truncated = true;
                    }
                }
            }
            Value::Array(items) => {
                if self.items.is_none() && *budget > 0 {
                    *budget -= 1;
                    made += 1;
                    self.items = Some(Box::default());
                }
                match self.items.as_mut() {
                    Some(shape) => {
                        for item in items {
                            made += shape.add(item, depth + 1, budget);
                        }
                    }
                    None => self.truncated |= !items.is_empty(),
                }
            }
            _ => {}
        }
        self.nodes += made;
        made
    }

    /// Adds the values another shape describes.
    pub fn merge(&mut self, other: Shape) {
        let mut budget = MAX_SHAPE_NODES.saturating_sub(self.nodes);
        self.merge_within(other, &mut budget);
    }

    /// [`Shape::merge`], making at most `budget` new nodes; returns how
    /// many it made.
    fn merge_within(&mut self, other: Shape, budget: &mut usize) -> usize {
        let mut made = 0;
        self.seen += other.seen;
        add_counts(&mut self.by_type, &other.by_type);
        if other.count(JsonTypes::STRING) > 0 {
            self.formats &= other.formats;
        }
        self.truncated |= other.truncated;
        for (name, shape) in other.members {
            if let Some(mine) = self.members.get_mut(&name) {
                made += mine.merge_within(shape, budget);
            } else if self.members.len() < MAX_SHAPE_MEMBERS && shape.nodes <= *budget {
                *budget -= shape.nodes;
                made += shape.nodes;
                self.members.insert(name, shape);
            } else {
                self.truncated = true;
            }
        }
        match (&mut self.items, other.items) {
            (Some(mine), Some(theirs)) => made += mine.merge_within(*theirs, budget),
            (mine @ None, Some(theirs)) if theirs.nodes <= *budget => {
                *budget -= theirs.nodes;
                made += theirs.nodes;
                *mine = Some(theirs);
            }
            (None, Some(_)) => self.truncated = true,
            _ => {}
        }
        self.nodes += made;
        made
    }
}

/// The bits of [`INFERRED_FORMATS`] a string matches, by the format
/// checks of the schema engine.
fn formats_of(text: &str) -> u8 {
    use std::sync::OnceLock;
    static CHECKS: OnceLock<Vec<Option<jsonschema::Validator>>> = OnceLock::new();
    let checks = CHECKS.get_or_init(|| {
        INFERRED_FORMATS
            .iter()
            .map(|format| {
                jsonschema::options()
                    .should_validate_formats(true)
                    .build(&serde_json::json!({"type": "string", "format": format}))
                    .ok()
            })
            .collect()
    });
    let value = Value::String(text.to_owned());
    checks
        .iter()
        .enumerate()
        .filter(|(_, check)| check.as_ref().is_some_and(|c| c.is_valid(&value)))
        .fold(0, |bits, (bit, _)| bits | (1 << bit))
}

fn types_seen(by_type: &[u64; 7]) -> JsonTypes {
    by_type
        .iter()
        .enumerate()
        .filter(|(_, count)| **count > 0)
        .fold(JsonTypes::default(), |types, (index, _)| {
            types.union(JsonTypes::at(index))
        })
}

fn add_counts(mine: &mut [u64; 7], theirs: &[u64; 7]) {
    for (mine, theirs) in mine.iter_mut().zip(theirs) {
        *mine += theirs;
    }
}

/// The values one schema site described, in one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ValueCounts {
    pub(crate) by_type: [u64; 7],
    /// The first value of each type the site does not admit.
    pub(crate) outside: Vec<(JsonTypes, Sighting)>,
    /// Values outside the site's enum, by their JSON text.
    pub(crate) enum_misses: IndexMap<String, (Value, u64, Sighting)>,
    /// Values outside the enum past [`MAX_ENUM_MISSES`] distinct ones.
    pub(crate) enum_misses_past_bound: u64,
    /// Strings without the site's `format`, and the first of them.
    pub(crate) format_misses: u64,
    pub(crate) format_first: Option<Sighting>,
}

/// What a schema site admits, as [`Observed::value`] compares values
/// with it.
pub(crate) struct Admits<'a> {
    pub(crate) types: Option<JsonTypes>,
    pub(crate) enumeration: Option<&'a [Value]>,
    /// The check of its string `format`.
    pub(crate) format: Option<&'a jsonschema::Validator>,
}

/// The objects one object schema described, in one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ObjectCounts {
    pub(crate) seen: u64,
    /// How often each declared member was present, by its index.
    pub(crate) present: Vec<u64>,
    /// Members it does not declare.
    pub(crate) undocumented: IndexMap<String, (Shape, Sighting)>,
    pub(crate) undocumented_past_bound: u64,
}

impl ObjectCounts {
    /// Counts a member the object's schema does not declare.
    pub(crate) fn undocumented_member(
        &mut self,
        name: &str,
        value: &Value,
        sighting: impl FnOnce() -> Sighting,
    ) {
        if let Some((shape, _)) = self.undocumented.get_mut(name) {
            shape.add_value(value);
        } else if self.undocumented.len() < MAX_UNDOCUMENTED {
            self.undocumented
                .insert(name.to_owned(), (Shape::of(value), sighting()));
        } else {
            self.undocumented_past_bound += 1;
        }
    }
}

/// Which undocumented thing a body belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gap {
    /// No operation has the method and path.
    Operation,
    /// The operation documents no response for the status.
    Status,
    /// The response documents no body of the media type.
    MediaType,
}

/// What identifies an undocumented body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BodyKey {
    /// What is missing from the document.
    pub gap: Gap,
    /// The method, upper case.
    pub method: String,
    /// The path as the document writes it: a documented template, or for
    /// an undocumented path, the request's path with its identifiers
    /// (numbers, UUIDs, long hexadecimal) made parameters.
    pub path: String,
    /// Whether `path` is a path the document has (for another method).
    pub path_documented: bool,
    /// The operationId, for a documented operation.
    pub operation: Option<String>,
    /// The response status.
    pub status: u16,
    /// The response's media type (essence), when it had a body.
    pub media: Option<String>,
}

/// The bodies seen under one [`BodyKey`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyCounts {
    /// How many exchanges.
    pub seen: u64,
    /// The shape of the JSON bodies, when they were JSON.
    pub shape: Option<Shape>,
    /// For an undocumented operation: the request bodies' media type and
    /// shape.
    pub request_body: Option<(String, Shape)>,
    /// The first exchange.
    pub first: Sighting,
    /// Its request line, secrets redacted.
    pub request: Option<String>,
}

impl BodyCounts {
    /// Adds the bodies of later exchanges; the first is kept.
    fn add(&mut self, theirs: BodyCounts) {
        self.seen += theirs.seen;
        match (&mut self.shape, theirs.shape) {
            (Some(mine), Some(theirs)) => mine.merge(theirs),
            (mine @ None, theirs) => *mine = theirs,
            _ => {}
        }
        match (&mut self.request_body, theirs.request_body) {
            (Some((_, mine)), Some((_, theirs))) => mine.merge(theirs),
            (mine @ None, theirs) => *mine = theirs,
            _ => {}
        }
    }
}

/// One exchange's observations, or a run's: keyed by schema node, so that
/// adding one exchange costs no string work; [`crate::Validator::observations`]
/// names the nodes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    pub(crate) values: HashMap<usize, ValueCounts>,
    pub(crate) objects: HashMap<usize, ObjectCounts>,
    pub(crate) bodies: IndexMap<BodyKey, BodyCounts>,
    pub(crate) bodies_past_bound: u64,
}

impl Observed {
    /// Whether nothing was observed.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.objects.is_empty() && self.bodies.is_empty()
    }

    /// Adds another run's (or exchange's) observations; the earlier
    /// sighting of each thing is kept, so merging in input order keeps the
    /// first.
    pub fn merge(&mut self, other: Observed) {
        for (key, theirs) in other.values {
            let mine = self.values.entry(key).or_default();
            add_counts(&mut mine.by_type, &theirs.by_type);
            for (types, sighting) in theirs.outside {
                if !mine.outside.iter().any(|(t, _)| *t == types) {
                    mine.outside.push((types, sighting));
                }
            }
            for (text, (value, count, sighting)) in theirs.enum_misses {
                if let Some(miss) = mine.enum_misses.get_mut(&text) {
                    miss.1 += count;
                } else if mine.enum_misses.len() < MAX_ENUM_MISSES {
                    mine.enum_misses.insert(text, (value, count, sighting));
                } else {
                    mine.enum_misses_past_bound += count;
                }
            }
            mine.enum_misses_past_bound += theirs.enum_misses_past_bound;
            mine.format_misses += theirs.format_misses;
            if mine.format_first.is_none() {
                mine.format_first = theirs.format_first;
            }
        }
        for (key, theirs) in other.objects {
            let mine = self.objects.entry(key).or_default();
            mine.seen += theirs.seen;
            if mine.present.len() < theirs.present.len() {
                mine.present.resize(theirs.present.len(), 0);
            }
            for (mine, theirs) in mine.present.iter_mut().zip(&theirs.present) {
                *mine += theirs;
            }
            for (name, (shape, sighting)) in theirs.undocumented {
                if let Some((mine, _)) = mine.undocumented.get_mut(&name) {
                    mine.merge(shape);
                } else if mine.undocumented.len() < MAX_UNDOCUMENTED {
                    mine.undocumented.insert(name, (shape, sighting));
                } else {
                    mine.undocumented_past_bound += shape.seen;
                }
            }
            mine.undocumented_past_bound += theirs.undocumented_past_bound;
        }
        for (key, theirs) in other.bodies {
            self.add_body(key, theirs);
        }
        self.bodies_past_bound += other.bodies_past_bound;
    }

    pub(crate) fn add_body(&mut self, key: BodyKey, theirs: BodyCounts) {
        if let Some(mine) = self.bodies.get_mut(&key) {
            mine.add(theirs);
        } else if self.bodies.len() < MAX_BODIES {
            self.bodies.insert(key, theirs);
        } else {
            self.bodies_past_bound += theirs.seen;
        }
    }

    /// Counts a value at a site, against what the site admits;
    /// `sighting` says where the value is when it is the first outside.
    pub(crate) fn value(
        &mut self,
        site: usize,
        value: &Value,
        admits: &Admits<'_>,
        sighting: impl FnOnce() -> Sighting,
    ) {
        let counts = self.values.entry(site).or_default();
        let types = JsonTypes::of(value);
        counts.by_type[types.index()] += 1;
        let outside_types = admits.types.is_some_and(|a| !a.contains(types));
        let outside_enum = !outside_types
            && admits
                .enumeration
                .is_some_and(|e| !e.iter().any(|allowed| same_value(allowed, value)));
        let outside_format = value.is_string()
            && !outside_types
            && admits.format.is_some_and(|check| !check.is_valid(value));
        if outside_format {
            counts.format_misses += 1;
            if counts.format_first.is_none() {
                counts.format_first = Some(sighting());
            }
            return;
        }
        if !(outside_types || outside_enum) {
            return;
        }
        let mut sighting = Some(sighting);
        if outside_types && !counts.outside.iter().any(|(t, _)| *t == types) {
            if let Some(sighting) = sighting.take() {
                counts.outside.push((types, sighting()));
            }
        }
        if outside_enum {
            let text = value.to_string();
            if let Some(miss) = counts.enum_misses.get_mut(&text) {
                miss.1 += 1;
            } else if counts.enum_misses.len() < MAX_ENUM_MISSES {
                if let Some(sighting) = sighting.take() {
                    counts
                        .enum_misses
                        .insert(text, (value.clone(), 1, sighting()));
                }
            } else {
                counts.enum_misses_past_bound += 1;
            }
        }
    }
}

/// JSON Schema's equality: `1` and `1.0` are the same number.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
        _ => a == b,
    }
}

/// A path made a template: the segments that are identifiers (numbers,
/// UUIDs, long hexadecimal strings) become parameters named after the
/// segment before them (`/accounts/1/inboxes/7` is
/// `/accounts/{account_id}/inboxes/{inbox_id}`).
pub fn path_template(path: &str) -> String {
    let mut template = String::new();
    let mut previous: Option<&str> = None;
    let mut names: Vec<String> = Vec::new();
    for segment in path.split('/').skip(1) {
        template.push('/');
        if is_identifier(segment) {
            let stem = previous
                .filter(|p| !p.starts_with('{'))
                .map(singular)
                .map_or_else(|| "id".to_owned(), |s| format!("{s}_id"));
            let mut name = stem.clone();
            let mut counter = 2;
            while names.contains(&name) {
                name = format!("{stem}{counter}");
                counter += 1;
            }
            template.push('{');
            template.push_str(&name);
            template.push('}');
            names.push(name);
            previous = Some("{");
        } else {
            template.push_str(segment);
            previous = Some(segment);
        }
    }
    if template.is_empty() {
        template.push('/');
    }
    template
}

fn is_identifier(segment: &str) -> bool {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let hex = segment.len() >= 16 && segment.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    digits || hex
}

fn singular(word: &str) -> String {
    let word: String = word
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = ["xes", "ches", "shes", "sses", "zes"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix).map(|stem| (stem, suffix)))
        .map(|(stem, suffix)| format!("{stem}{}", &suffix[..suffix.len() - 2]))
    {
        stem
    } else if word.ends_with("ss") {
        word
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_owned()
    } else {
        word
    }
}

/// What the values at one schema site were, where they broke its `type`
/// or `enum`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueDrift {
    /// The schema node that describes the values (a property's schema,
    /// the items', a body's): where a change to its type belongs.
    pub site: Origin,
    /// The named schema the site refers to, when it is a `$ref`: where a
    /// schema check reports the values' type.
    pub refers_to: Option<Origin>,
    /// The types it admits.
    #[serde(with = "stored_types::optional")]
    pub admitted: Option<JsonTypes>,
    /// How many values it described.
    pub seen: u64,
    /// How many of each type, by [`JsonTypes::index`].
    pub by_type: [u64; 7],
    /// The first value of each type it does not admit.
    #[serde(with = "stored_types::paired")]
    pub outside: Vec<(JsonTypes, Sighting)>,
    /// Where its `enum` is written.
    pub enumeration: Option<Origin>,
    /// Each value outside the enum: how often, and where first.
    pub enum_misses: Vec<(Value, u64, Sighting)>,
    /// Values outside the enum past the distinct ones kept.
    pub enum_misses_past_bound: u64,
    /// The site's string `format`, and where it is written.
    pub format: Option<(String, Origin)>,
    /// How many strings did not have it.
    pub format_misses: u64,
    /// The first of them.
    pub format_first: Option<Sighting>,
}

/// A declared member of an object schema, and how often objects had it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberPresence {
    /// Its name.
    pub name: String,
    /// Where its schema is written.
    pub schema: Origin,
    /// How many of the objects had it.
    pub present: u64,
}

/// A name in a `required` list of an object schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredMember {
    /// The member.
    pub name: String,
    /// Where the `required` list is written.
    pub list: Origin,
    /// Its position in the list.
    pub index: usize,
    /// How many of the objects had it.
    pub present: u64,
    /// Of how many objects a schema that lists it described (the schema
    /// may also describe objects as one alternative among others, which
    /// its `required` does not bind).
    pub objects: u64,
}

/// A member an object schema does not declare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndocumentedMember {
    /// Its name.
    pub name: String,
    /// Its values' shape; `seen` is how many objects had it.
    pub shape: Shape,
    /// Where it was first seen.
    pub first: Sighting,
}

/// The objects one object schema described.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectDrift {
    /// Where the schema declaring the members is written: where an
    /// undocumented member belongs.
    pub schema: Origin,
    /// How many objects.
    pub seen: u64,
    /// Its declared members.
    pub members: Vec<MemberPresence>,
    /// Its required members.
    pub required: Vec<RequiredMember>,
    /// Members seen that it does not declare.
    pub undocumented: Vec<UndocumentedMember>,
    /// Undocumented members seen past the distinct ones kept.
    pub undocumented_past_bound: u64,
}

/// An undocumented body: what it belongs to and what it looked like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyDrift {
    /// What it belongs to.
    #[serde(flatten)]
    pub key: BodyKey,
    /// What it looked like.
    #[serde(flatten)]
    pub counts: BodyCounts,
}

/// A run's observations, naming places in the document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Observations {
    /// Sites where values broke their `type` or `enum`.
    pub values: Vec<ValueDrift>,
    /// Every object schema that described objects.
    pub objects: Vec<ObjectDrift>,
    /// Bodies the document does not describe.
    pub bodies: Vec<BodyDrift>,
    /// Undocumented bodies past the distinct ones kept.
    pub bodies_past_bound: u64,
}

impl Observations {
    /// Drops the sites whose values all agreed with them, as
    /// [`crate::Validator::observations`] leaves them out.
    pub fn keep_disagreeing(&mut self) {
        self.values.retain(|value| {
            !value.outside.is_empty() || !value.enum_misses.is_empty() || value.format_misses > 0
        });
    }

    /// Adds the observations of other exchanges (described by another
    /// process: a pool worker, a `--partial` shard), as one run over all
    /// of them would have summed them: counts added, first sightings the
    /// earliest, and the same bounds on what is kept.
    pub fn merge(&mut self, other: Observations) {
        let values = std::mem::take(&mut self.values)
            .into_iter()
            .chain(other.values)
            .collect();
        self.values = crate::drift::merged_values(values);
        for value in &mut self.values {
            if value.enum_misses.len() > MAX_ENUM_MISSES {
                let past: u64 = value.enum_misses[MAX_ENUM_MISSES..]
                    .iter()
                    .map(|(_, count, _)| count)
                    .sum();
                value.enum_misses.truncate(MAX_ENUM_MISSES);
                value.enum_misses_past_bound += past;
            }
        }
        let objects = std::mem::take(&mut self.objects)
            .into_iter()
            .chain(other.objects)
            .collect();
        self.objects = crate::drift::merged(objects);
        for object in &mut self.objects {
            if object.undocumented.len() > MAX_UNDOCUMENTED {
                let past: u64 = object.undocumented[MAX_UNDOCUMENTED..]
                    .iter()
                    .map(|member| member.shape.seen)
                    .sum();
                object.undocumented.truncate(MAX_UNDOCUMENTED);
                object.undocumented_past_bound += past;
            }
        }
        for body in other.bodies {
            if let Some(mine) = self.bodies.iter_mut().find(|mine| mine.key == body.key) {
                mine.counts.add(body.counts);
            } else if self.bodies.len() < MAX_BODIES {
                self.bodies.push(body);
            } else {
                self.bodies_past_bound += body.counts.seen;
            }
        }
        self.bodies_past_bound += other.bodies_past_bound;
    }
}

/// [`JsonTypes`] stored as bits, which keep integral and fractional
/// numbers apart (their `type` names do not).
mod stored_types {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use specgate_spec::JsonTypes;

    use super::Sighting;

    pub(super) mod optional {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(
            types: &Option<JsonTypes>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            types.map(JsonTypes::bits).serialize(serializer)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<JsonTypes>, D::Error> {
            Ok(Option::<u8>::deserialize(deserializer)?.map(JsonTypes::from_bits))
        }
    }

    pub(super) mod paired {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(
            pairs: &[(JsonTypes, Sighting)],
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(
                pairs
                    .iter()
                    .map(|(types, sighting)| (types.bits(), sighting)),
            )
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Vec<(JsonTypes, Sighting)>, D::Error> {
            let pairs = Vec::<(u8, Sighting)>::deserialize(deserializer)?;
            Ok(pairs
                .into_iter()
                .map(|(bits, sighting)| (JsonTypes::from_bits(bits), sighting))
                .collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_become_templates() {
        assert_eq!(
            path_template("/api/v1/accounts/1/inboxes/7/members"),
            "/api/v1/accounts/{account_id}/inboxes/{inbox_id}/members"
        );
        assert_eq!(
            path_template("/repos/octo/hello/commits/6dcb09b5b57875f334f61aebed695e2e4193db5e"),
            "/repos/octo/hello/commits/{commit_id}"
        );
        assert_eq!(path_template("/1/2"), "/{id}/{id2}");
        assert_eq!(path_template("/categories/3"), "/categories/{category_id}");
        assert_eq!(path_template("/addresses/3"), "/addresses/{address_id}");
        assert_eq!(path_template("/batches/3"), "/batches/{batch_id}");
        assert_eq!(path_template("/"), "/");
    }

    #[test]
    fn shapes_say_what_every_value_was() {
        let mut shape = Shape::of(&json!({"at": "2024-01-02T03:04:05Z", "n": 1, "tags": ["a"]}));
        shape.merge(Shape::of(&json!({"at": "2024-02-02T03:04:05Z", "n": 1.5})));
        assert_eq!(shape.seen, 2);
        assert_eq!(shape.members["at"].format(), Some("date-time"));
        assert_eq!(shape.members["n"].types(), JsonTypes::NUMBER);
        assert_eq!(shape.members["tags"].seen, 1);
        let items = shape.members["tags"].items.as_ref().expect("items");
        assert_eq!(items.types(), JsonTypes::STRING);
        assert_eq!(items.format(), None);
    }

    #[test]
    fn shapes_are_bounded() {
        let wide: serde_json::Map<String, Value> =
            (0..500).map(|i| (format!("m{i}"), json!(i))).collect();
        let shape = Shape::of(&Value::Object(wide));
        assert_eq!(shape.members.len(), MAX_SHAPE_MEMBERS);
        assert!(shape.truncated);
        let mut deep = json!(1);
        for _ in 0..40 {
            deep = json!([deep]);
        }
        assert!(Shape::of(&deep).items.is_some());
        // Many records of distinct nested members: the shape stops growing.
        let mut shape = Shape::default();
        for i in 0..2000 {
            shape.add_value(&json!({format!("m{i}"): {format!("n{i}"): [i]}}));
        }
        assert!(shape.nodes <= MAX_SHAPE_NODES, "{}", shape.nodes);
        assert_eq!(
            shape.nodes,
            1 + count_nodes(&shape.members),
            "nodes counted once"
        );
        assert!(shape.truncated);
        assert_eq!(shape.seen, 2000);
    }

    fn count_nodes(members: &IndexMap<String, Shape>) -> usize {
        members
            .values()
            .map(|m| {
                1 + count_nodes(&m.members)
                    + m.items.as_ref().map_or(0, |i| 1 + count_nodes(&i.members))
            })
            .sum()
    }

    #[test]
    fn merging_keeps_first_sightings_and_sums() {
        let sighting = |entry| Sighting {
            source: "t".into(),
            entry,
            place: Place::ResponseBody,
            pointer: "/status".into(),
        };
        let enumeration = [json!("open")];
        let mut run = Observed::default();
        for entry in 0..3 {
            let mut one = Observed::default();
            let admits = Admits {
                types: Some(JsonTypes::STRING),
                enumeration: Some(&enumeration),
                format: None,
            };
            one.value(7, &json!("snoozed"), &admits, || sighting(entry));
            one.value(7, &json!(null), &admits, || sighting(entry));
            run.merge(one);
        }
        let counts = &run.values[&7];
        assert_eq!(counts.by_type[JsonTypes::STRING.index()], 3);
        assert_eq!(counts.enum_misses["\"snoozed\""].1, 3);
        assert_eq!(counts.enum_misses["\"snoozed\""].2.entry, 0);
        assert_eq!(counts.outside, vec![(JsonTypes::NULL, sighting(0))]);
    }
}
