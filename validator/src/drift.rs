//! One walk over a body beside its schema for what JSON Schema alone does
//! not say: drift, members the schema never mentions where it does not
//! forbid them (no `additionalProperties: false`) nor describe them as a
//! map (the API sends more than the document says: a warning, or a
//! violation with `--strict`); and members marked `writeOnly` in a response
//! or `readOnly` in a request, which OpenAPI says are not sent there.
//!
//! Each schema node is summarized once (its parts through `$ref`, `allOf`,
//! `anyOf`, `oneOf`), shared by every value it describes. Every part keeps
//! where the document wrote it, so a finding can say where the member
//! belongs (the object's schema) or where it is marked.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock, RwLock};

use rustc_hash::FxHashMap as HashMap;

use serde_json::{Map, Value};
use specgate_spec::{Branch, Document, Origin, Schema};

use specgate_spec::{Discriminator, JsonTypes, Over};

use crate::finding::Place;
use crate::observe::{
    MemberPresence, ObjectDrift, Observations, Observed, RequiredMember, Sighting,
    UndocumentedMember, ValueDrift,
};

/// How deep schemas are followed; deeper bodies are not searched.
const MAX_DEPTH: usize = 64;

/// The most alternatives an object is matched against one by one; a
/// `oneOf` wider than this (a hostile one of 10,000) is read as their
/// union, so each object costs a bounded amount of work.
const MAX_ALTERNATIVES: usize = 64;

/// What the walk found at a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// Not in the document.
    Undocumented,
    /// Marked with this keyword (`writeOnly`, `readOnly`), which the body's
    /// direction excludes.
    Excluded(&'static str),
}

/// A schema node and where the document wrote it.
type Located<'d> = (&'d Value, Origin);

/// A declared member: the schemas that describe it, and whether any of
/// them marks it `readOnly` or `writeOnly`.
#[derive(Default)]
struct Member<'d> {
    /// Its position among the summary's members, for presence counts.
    index: usize,
    /// The one value its schema allows (`const`, or an `enum` of one):
    /// what tells alternatives that share member names apart.
    constant: Option<&'d Value>,
    schemas: Vec<Located<'d>>,
    read_only: bool,
    write_only: bool,
    /// The summary of its one schema, once a body needed it: walking into
    /// a member then costs no lookup in the shared cache.
    child: OnceLock<Arc<Summary<'d>>>,
    /// What its schemas admit, once a body needed it.
    facts: OnceLock<Option<Arc<Facts<'d>>>>,
}

/// What a schema site (a member's, the items', a body's schema) admits:
/// what the drift report compares values with.
pub(crate) struct Facts<'d> {
    /// The node's address: the key its observations are counted under.
    key: usize,
    /// Where the node is written.
    site: Origin,
    /// The named schema it refers to, when it is a `$ref`.
    refers_to: Option<Origin>,
    admitted: Option<JsonTypes>,
    /// The `enum` of a part that always applies, and where it is written.
    enumeration: Option<(&'d [Value], Origin)>,
    /// The `format` of a part that always applies, its check (for a
    /// format the engine knows), and where it is written.
    format: Option<(&'d str, Arc<jsonschema::Validator>, Origin)>,
}

/// What a schema node says about the values it describes.
#[derive(Default)]
struct Summary<'d> {
    /// Member name → what describes it.
    properties: HashMap<&'d str, Member<'d>>,
    /// Whether any part declares properties (else any member is fine).
    described: bool,
    /// Where an undocumented member would belong: the part that declares
    /// the most properties (of `allOf: [generic_id, conversation]`, the
    /// conversation, not the mixin that gives it an `id`), the first of
    /// equals, or the extension a discriminator chose.
    declared_at: Option<Origin>,
    /// Whether extra members are described as map entries.
    open_map: bool,
    /// Whether the schema forbids extra members (`additionalProperties` or
    /// `unevaluatedProperties` false): the schema check reports them as
    /// violations, so they are not drift too.
    closed: bool,
    /// The schema of items, and of the first items (`prefixItems`).
    items: Option<Located<'d>>,
    /// The summary of `items`, once a body needed it.
    items_summary: OnceLock<Arc<Summary<'d>>>,
    /// What `items` admits, once a body needed it.
    items_facts: OnceLock<Arc<Facts<'d>>>,
    /// The names its parts that always apply list as `required`: the
    /// list's place, the name, its position.
    required: Vec<(Origin, &'d str, usize)>,
    prefix_items: Vec<Located<'d>>,
    /// The node's discriminator: an object's value for it selects the
    /// schema whose members are documented (not every branch's).
    discriminator: Option<Discriminator>,
    /// Without a discriminator, the node's `oneOf` or `anyOf` and how many
    /// alternatives it lists: an object is read as the alternative that
    /// declares most of its members.
    alternatives: Option<(&'static str, usize)>,
    /// The summary of each alternative (the node with only that branch),
    /// once an object needed them.
    alternative_summaries: OnceLock<Vec<Arc<Summary<'d>>>>,
}

/// A schema node's address, and the schema its discriminator selected.
type SummaryKey = (usize, Option<Box<str>>);

/// Summaries of the schema nodes of one document, by node address; built
/// as bodies need them, shared by every thread.
pub(crate) struct Summaries<'d> {
    cache: RwLock<HashMap<SummaryKey, Arc<Summary<'d>>>>,
    /// What each schema site admits, by node address.
    facts: RwLock<HashMap<usize, Arc<Facts<'d>>>>,
    /// The check of each string format, by name.
    formats: RwLock<HashMap<&'d str, Option<Arc<jsonschema::Validator>>>>,
}

impl<'d> Summaries<'d> {
    pub(crate) fn new() -> Self {
        Summaries {
            cache: RwLock::default(),
            facts: RwLock::default(),
            formats: RwLock::default(),
        }
    }

    /// The check of a string format, built once per name; `None` when it
    /// cannot be built.
    fn format_check(&self, name: &'d str) -> Option<Arc<jsonschema::Validator>> {
        if let Some(check) = self.formats.read().ok().and_then(|f| f.get(name).cloned()) {
            return check;
        }
        let check = jsonschema::options()
            .should_validate_formats(true)
            .build(&serde_json::json!({"format": name}))
            .ok()
            .map(Arc::new);
        if let Ok(mut formats) = self.formats.write() {
            formats.insert(name, check.clone());
        }
        check
    }

    /// The summary of a member several parts declare, once per member
    /// (keyed by its address: members live as long as the cache).
    fn merged(&self, document: &'d Document, member: &Member<'d>) -> Arc<Summary<'d>> {
        let key = (member as *const Member<'d> as usize, None);
        if let Some(summary) = self.cache.read().ok().and_then(|c| c.get(&key).cloned()) {
            return summary;
        }
        let summary = Arc::new(summarize_many(document, &member.schemas));
        self.keep(key, summary)
    }

    /// What a member's schemas admit: one schema's facts, or for several
    /// (alternatives), the types any admits, and no enum or format.
    fn member_facts(&self, document: &'d Document, member: &Member<'d>) -> Option<Arc<Facts<'d>>> {
        match member.schemas.as_slice() {
            [] => None,
            [(schema, origin)] => Some(self.facts(document, schema, origin)),
            [(_, first), ..] => {
                let admitted = member
                    .schemas
                    .iter()
                    .map(|(schema, _)| document.admitted_types(schema))
                    .try_fold(JsonTypes::default(), |all, one| Some(all.union(one?)));
                let key = member as *const Member<'d> as usize;
                let facts = Arc::new(Facts {
                    key,
                    site: first.clone(),
                    refers_to: None,
                    admitted,
                    enumeration: None,
                    format: None,
                });
                if let Ok(mut cache) = self.facts.write() {
                    cache.entry(key).or_insert_with(|| Arc::clone(&facts));
                }
                Some(facts)
            }
        }
    }

    /// What a schema site admits, computed once per node.
    fn facts(&self, document: &'d Document, schema: &'d Value, origin: &Origin) -> Arc<Facts<'d>> {
        let key = schema as *const Value as usize;
        if let Some(facts) = self.facts.read().ok().and_then(|f| f.get(&key).cloned()) {
            return facts;
        }
        let mut parts = Vec::new();
        gather(document, schema, origin.clone(), true, &mut parts, None);
        let enumeration = parts.iter().find_map(|(part, at, always)| {
            let values = part.get("enum")?.as_array()?;
            always.then(|| (values.as_slice(), at.child("enum")))
        });
        let format = parts.iter().find_map(|(part, at, always)| {
            let name = part.get("format")?.as_str()?;
            let check = always.then(|| self.format_check(name))??;
            Some((name, check, at.child("format")))
        });
        let (_, resolved, named) = resolve(document, schema, origin.clone());
        let facts = Arc::new(Facts {
            key,
            site: origin.clone(),
            refers_to: named.map(|_| resolved),
            admitted: document.admitted_types(schema),
            enumeration,
            format,
        });
        // The first kept wins: another thread may have made one meanwhile,
        // and observations are keyed by the one in the cache.
        match self.facts.write() {
            Ok(mut cache) => Arc::clone(cache.entry(key).or_insert(facts)),
            Err(_) => facts,
        }
    }

    /// Keeps a summary made for `key`, unless another thread kept one
    /// first: that one is returned, so every object is counted under the
    /// summary the cache holds (the drift report finds counts by it).
    fn keep(&self, key: SummaryKey, summary: Arc<Summary<'d>>) -> Arc<Summary<'d>> {
        match self.cache.write() {
            Ok(mut cache) => Arc::clone(cache.entry(key).or_insert(summary)),
            Err(_) => summary,
        }
    }

    /// A run's observations, naming the document's places: every object
    /// schema that described objects, and the sites whose values broke
    /// their `type` or `enum`.
    /// With `every_site`, also the sites whose values all agreed with them
    /// (their counts still matter once merged with other runs').
    pub(crate) fn describe(&self, observed: &Observed, every_site: bool) -> Observations {
        let mut result = Observations {
            bodies: observed
                .bodies
                .iter()
                .map(|(key, counts)| crate::observe::BodyDrift {
                    key: key.clone(),
                    counts: counts.clone(),
                })
                .collect(),
            bodies_past_bound: observed.bodies_past_bound,
            ..Observations::default()
        };
        if let Ok(facts) = self.facts.read() {
            for (key, counts) in &observed.values {
                let Some(facts) = facts.get(key) else {
                    continue;
                };
                if !every_site
                    && counts.outside.is_empty()
                    && counts.enum_misses.is_empty()
                    && counts.format_misses == 0
                {
                    continue;
                }
                result.values.push(ValueDrift {
                    site: facts.site.clone(),
                    refers_to: facts.refers_to.clone(),
                    admitted: facts.admitted,
                    seen: counts.by_type.iter().sum(),
                    by_type: counts.by_type,
                    outside: counts.outside.clone(),
                    enumeration: facts.enumeration.as_ref().map(|(_, at)| at.clone()),
                    enum_misses: counts.enum_misses.values().cloned().collect(),
                    enum_misses_past_bound: counts.enum_misses_past_bound,
                    format: facts
                        .format
                        .as_ref()
                        .map(|(name, _, at)| ((*name).to_owned(), at.clone())),
                    format_misses: counts.format_misses,
                    format_first: counts.format_first.clone(),
                });
            }
        }
        if let Ok(cache) = self.cache.read() {
            let by_address: HashMap<usize, &Arc<Summary<'d>>> = cache
                .values()
                .map(|summary| (Arc::as_ptr(summary) as usize, summary))
                .collect();
            for (key, counts) in &observed.objects {
                let Some(summary) = by_address.get(key) else {
                    continue;
                };
                let Some(schema) = summary.declared_at.clone() else {
                    continue;
                };
                let present = |index: usize| counts.present.get(index).copied().unwrap_or(0);
                let mut members: Vec<MemberPresence> = summary
                    .properties
                    .iter()
                    .filter_map(|(name, member)| {
                        let (_, at) = member.schemas.first()?;
                        Some(MemberPresence {
                            name: (*name).to_owned(),
                            schema: at.clone(),
                            present: present(member.index),
                        })
                    })
                    .collect();
                members.sort_by(|a, b| a.schema.cmp(&b.schema));
                let required = summary
                    .required
                    .iter()
                    .map(|(list, name, index)| RequiredMember {
                        name: (*name).to_owned(),
                        list: list.clone(),
                        index: *index,
                        present: summary
                            .properties
                            .get(name)
                            .map_or(0, |member| present(member.index)),
                        objects: counts.seen,
                    })
                    .collect();
                let undocumented = counts
                    .undocumented
                    .iter()
                    .map(|(name, (shape, first))| UndocumentedMember {
                        name: name.clone(),
                        shape: shape.clone(),
                        first: first.clone(),
                    })
                    .collect();
                result.objects.push(ObjectDrift {
                    schema,
                    seen: counts.seen,
                    members,
                    required,
                    undocumented,
                    undocumented_past_bound: counts.undocumented_past_bound,
                });
            }
        }
        // Keys are addresses: order by the document's places instead.
        result.values = merged_values(result.values);
        result.objects = merged(result.objects);
        result
    }

    /// A node's summary, as it reads for an object whose discriminator
    /// value selected `chosen`; `origin` is where the node is written, the
    /// same for every visit, as a node of the model lives in one place.
    fn get(
        &self,
        document: &'d Document,
        schema: &'d Value,
        origin: &Origin,
        chosen: Option<&str>,
    ) -> Arc<Summary<'d>> {
        let key = (schema as *const Value as usize, chosen.map(Box::from));
        if let Some(summary) = self.cache.read().ok().and_then(|c| c.get(&key).cloned()) {
            return summary;
        }
        let summary = Arc::new(summarize(document, schema, origin, chosen));
        self.keep(key, summary)
    }
}

/// Values of one site counted under several keys (a member that several
/// alternatives declare is keyed by member) as one, first sightings the
/// earliest, so the report does not depend on the order keys come in.
pub(crate) fn merged_values(mut values: Vec<ValueDrift>) -> Vec<ValueDrift> {
    let earliest = |a: &Sighting, b: &Sighting| {
        (&a.source, a.entry, &a.pointer) < (&b.source, b.entry, &b.pointer)
    };
    values.sort_by(|a, b| a.site.cmp(&b.site));
    let mut result: Vec<ValueDrift> = Vec::new();
    for value in values {
        let Some(last) = result.last_mut().filter(|last| last.site == value.site) else {
            result.push(value);
            continue;
        };
        last.seen += value.seen;
        for (mine, theirs) in last.by_type.iter_mut().zip(value.by_type) {
            *mine += theirs;
        }
        for (types, sighting) in value.outside {
            match last.outside.iter_mut().find(|(t, _)| *t == types) {
                Some((_, mine)) if earliest(&sighting, mine) => *mine = sighting,
                Some(_) => {}
                None => last.outside.push((types, sighting)),
            }
        }
        for (json, count, sighting) in value.enum_misses {
            match last.enum_misses.iter_mut().find(|(v, _, _)| *v == json) {
                Some(mine) => {
                    mine.1 += count;
                    if earliest(&sighting, &mine.2) {
                        mine.2 = sighting;
                    }
                }
                None => last.enum_misses.push((json, count, sighting)),
            }
        }
        last.enum_misses_past_bound += value.enum_misses_past_bound;
        last.format_misses += value.format_misses;
        if let Some(theirs) = value.format_first {
            if last
                .format_first
                .as_ref()
                .is_none_or(|mine| earliest(&theirs, mine))
            {
                last.format_first = Some(theirs);
            }
        }
    }
    for value in &mut result {
        value.outside.sort_by_key(|(types, _)| *types);
    }
    result
}

/// The objects of one schema counted under several summaries (each site
/// that refers to it, each discriminator choice) as one.
pub(crate) fn merged(mut objects: Vec<ObjectDrift>) -> Vec<ObjectDrift> {
    objects.sort_by(|a, b| a.schema.cmp(&b.schema));
    let mut result: Vec<ObjectDrift> = Vec::new();
    for object in objects {
        let Some(last) = result
            .last_mut()
            .filter(|last| last.schema == object.schema)
        else {
            result.push(object);
            continue;
        };
        last.seen += object.seen;
        for member in object.members {
            match last.members.iter_mut().find(|m| m.schema == member.schema) {
                Some(mine) => mine.present += member.present,
                None => last.members.push(member),
            }
        }
        for required in object.required {
            let mine = last
                .required
                .iter_mut()
                .find(|r| r.list == required.list && r.name == required.name);
            match mine {
                Some(mine) => {
                    mine.present += required.present;
                    mine.objects += required.objects;
                }
                None => last.required.push(required),
            }
        }
        for member in object.undocumented {
            match last.undocumented.iter_mut().find(|m| m.name == member.name) {
                Some(mine) => {
                    // The earliest sighting, whatever order summaries came in.
                    let earlier = (
                        &member.first.source,
                        member.first.entry,
                        &member.first.pointer,
                    ) < (&mine.first.source, mine.first.entry, &mine.first.pointer);
                    if earlier {
                        mine.first = member.first.clone();
                    }
                    mine.shape.merge(member.shape);
                }
                None => last.undocumented.push(member),
            }
        }
        last.undocumented_past_bound += object.undocumented_past_bound;
    }
    // Summaries came in no particular order: put what each object lists in
    // the document's order, and undocumented members in the order first seen.
    for object in &mut result {
        object.members.sort_by(|a, b| a.schema.cmp(&b.schema));
        object
            .required
            .sort_by(|a, b| (&a.list, a.index).cmp(&(&b.list, b.index)));
        object.undocumented.sort_by(|a, b| {
            let key = |m: &UndocumentedMember| {
                (
                    m.first.source.clone(),
                    m.first.entry,
                    m.first.pointer.clone(),
                    m.name.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
    }
    result
}

/// What the walk found, where in the body, and where in the document: the
/// object's schema for an undocumented member, the member's schema for
/// one marked `readOnly` or `writeOnly`.
pub(crate) struct Drift {
    pub(crate) pointer: String,
    pub(crate) found: Found,
    pub(crate) schema: Origin,
}

/// The undocumented members of `value` (described by `schema`, written at
/// `origin`), and the members carrying `excluded` (`writeOnly` for
/// responses, `readOnly` for requests).
/// With `observing`, every value is also counted there, with `seen` to
/// say where a first sighting was.
#[allow(clippy::too_many_arguments)]
pub(crate) fn walk_body<'d>(
    document: &'d Document,
    summaries: &Summaries<'d>,
    schema: &'d Value,
    origin: &Origin,
    value: &Value,
    excluded: &'static str,
    observing: Option<(&mut Observed, &Seen<'_>)>,
) -> Vec<Drift> {
    let mut found = Vec::new();
    let (observed, seen) = match observing {
        Some((observed, seen)) => (Some(observed), Some(seen)),
        None => (None, None),
    };
    let mut walk = Walk {
        document,
        summaries,
        excluded,
        found: &mut found,
        observed,
        seen,
        present: Vec::new(),
    };
    if walk.observed.is_some() {
        let facts = summaries.facts(document, schema, origin);
        walk.observe(&facts, value, String::new);
    }
    walk.walk((schema, origin), value, &mut String::new(), 0);
    found
}

/// Which exchange and body a walk is in: what a first sighting names.
pub(crate) struct Seen<'a> {
    pub(crate) source: &'a str,
    pub(crate) entry: usize,
    pub(crate) place: &'a Place,
}

impl Seen<'_> {
    fn at(&self, pointer: &str) -> Sighting {
        Sighting {
            source: self.source.to_owned(),
            entry: self.entry,
            place: self.place.clone(),
            pointer: pointer.to_owned(),
        }
    }
}

struct Walk<'d, 's, 'f> {
    document: &'d Document,
    summaries: &'s Summaries<'d>,
    excluded: &'static str,
    found: &'f mut Vec<Drift>,
    observed: Option<&'f mut Observed>,
    seen: Option<&'f Seen<'f>>,
    /// The indices of declared members present, for the objects being
    /// walked: each object pushes above its parent's and sums its own.
    present: Vec<usize>,
}

impl<'d> Walk<'d, '_, '_> {
    /// Counts a value at its site, when observing; `at` makes its pointer,
    /// only when a first sighting needs it.
    fn observe(&mut self, facts: &Facts<'d>, value: &Value, at: impl FnOnce() -> String) {
        let (Some(observed), Some(seen)) = (self.observed.as_deref_mut(), self.seen) else {
            return;
        };
        let admits = crate::observe::Admits {
            types: facts.admitted,
            enumeration: facts.enumeration.as_ref().map(|(values, _)| *values),
            format: facts.format.as_ref().map(|(_, check, _)| check.as_ref()),
        };
        observed.value(facts.key, value, &admits, || seen.at(&at()));
    }

    /// Counts a declared member's value at its schema's site, and its
    /// presence (on the stack the object sums when its members are done).
    fn observe_declared(
        &mut self,
        declared: &Member<'d>,
        value: &Value,
        at: impl FnOnce() -> String,
    ) {
        self.present.push(declared.index);
        let facts = declared
            .facts
            .get_or_init(|| self.summaries.member_facts(self.document, declared));
        if let Some(facts) = facts {
            self.observe(facts, value, at);
        }
    }

    /// Counts a member the object's schema does not declare.
    fn observe_undocumented(&mut self, summary: &Summary<'d>, name: &str, value: &Value, at: &str) {
        let (Some(observed), Some(seen)) = (self.observed.as_deref_mut(), self.seen) else {
            return;
        };
        let counts = observed
            .objects
            .entry(summary as *const Summary<'d> as usize)
            .or_default();
        counts.undocumented_member(name, value, || seen.at(at));
    }

    /// Counts an object and the members it had: the indices pushed on the
    /// presence stack since `start`.
    fn observe_object(&mut self, summary: &Summary<'d>, start: usize) {
        if let Some(observed) = self.observed.as_deref_mut() {
            let counts = observed
                .objects
                .entry(summary as *const Summary<'d> as usize)
                .or_default();
            counts.seen += 1;
            if counts.present.len() < summary.properties.len() {
                counts.present.resize(summary.properties.len(), 0);
            }
            for index in self.present.drain(start..) {
                if let Some(present) = counts.present.get_mut(index) {
                    *present += 1;
                }
            }
        }
        self.present.truncate(start);
    }

    /// Of a node's alternatives (no discriminator to say), the one whose
    /// required members the object has and that declares most of its
    /// members, the first of equals (an alternative it lacks a required
    /// member of only when none fits); `None` when none declares any.
    fn best_alternative(
        &self,
        summary: &Summary<'d>,
        (schema, origin): (&'d Value, &Origin),
        members: &Map<String, Value>,
    ) -> Option<Arc<Summary<'d>>> {
        let (_, count) = summary.alternatives?;
        let alternatives = summary.alternative_summaries.get_or_init(|| {
            (0..count)
                .map(|index| {
                    let chosen = format!("{ALTERNATIVE_MARK}{index}");
                    self.summaries
                        .get(self.document, schema, origin, Some(&chosen))
                })
                .collect()
        });
        // Ranked by whether the object has every member the alternative
        // requires, then by how many of its members it declares: an
        // object that satisfies `anyOf/1` is read as `anyOf/1`, not as the
        // `anyOf/0` that declares more and requires what it lacks.
        let mut best: Option<((bool, usize), &Arc<Summary<'d>>)> = None;
        for alternative in alternatives {
            let mut declared = 0;
            let mut contradicted = false;
            for (name, value) in members {
                if let Some(member) = alternative.properties.get(name.as_str()) {
                    declared += 1;
                    contradicted |= member.constant.is_some_and(|constant| constant != value);
                }
            }
            if contradicted || declared == 0 {
                continue;
            }
            let satisfied = alternative
                .required
                .iter()
                .all(|(_, name, _)| members.contains_key(*name));
            let rank = (satisfied, declared);
            if best.is_none_or(|(most, _)| rank > most) {
                best = Some((rank, alternative));
            }
        }
        best.map(|(_, alternative)| Arc::clone(alternative))
    }

    fn walk(
        &mut self,
        (schema, origin): (&'d Value, &Origin),
        value: &Value,
        pointer: &mut String,
        depth: usize,
    ) {
        if !(value.is_object() || value.is_array()) {
            return;
        }
        let summary = self.summaries.get(self.document, schema, origin, None);
        self.walk_with(summary, (schema, origin), value, pointer, depth);
    }

    /// [`Walk::walk`] with the node's summary kept in `cell` (a member's or
    /// the items' own), computed there the first time.
    fn walk_kept(
        &mut self,
        (cell, (schema, origin)): (&OnceLock<Arc<Summary<'d>>>, (&'d Value, &Origin)),
        value: &Value,
        pointer: &mut String,
        depth: usize,
    ) {
        let summary = cell
            .get_or_init(|| self.summaries.get(self.document, schema, origin, None))
            .clone();
        self.walk_with(summary, (schema, origin), value, pointer, depth);
    }

    /// [`Walk::walk`] with the node's summary already at hand.
    fn walk_with(
        &mut self,
        mut summary: Arc<Summary<'d>>,
        (schema, origin): (&'d Value, &Origin),
        value: &Value,
        pointer: &mut String,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(members) => {
                let chosen = summary
                    .discriminator
                    .as_ref()
                    .and_then(|d| d.selected(members))
                    .map(str::to_owned);
                if let Some(chosen) = chosen {
                    summary = self
                        .summaries
                        .get(self.document, schema, origin, Some(&chosen));
                } else if let Some(best) =
                    self.best_alternative(&summary, (schema, origin), members)
                {
                    summary = best;
                }
                let observing = self.observed.is_some() && summary.described;
                let start = self.present.len();
                for (name, member) in members {
                    let declared = summary.properties.get(name.as_str());
                    let marked = declared.is_some_and(|d| match self.excluded {
                        "writeOnly" => d.write_only,
                        _ => d.read_only,
                    });
                    let undocumented = declared.is_none()
                        && summary.described
                        && !summary.open_map
                        && !summary.closed;
                    let nested = member.is_object() || member.is_array();
                    if !(marked || undocumented || nested) {
                        // A plain declared member: counted, its pointer
                        // made only for a first sighting.
                        if let (true, Some(declared)) = (observing, declared) {
                            let at = || specgate_spec::pointer::join(pointer, name);
                            self.observe_declared(declared, member, at);
                        }
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&specgate_spec::pointer::escape(name));
                    if undocumented {
                        self.found.push(Drift {
                            pointer: pointer.clone(),
                            found: Found::Undocumented,
                            schema: summary.declared_at.as_ref().unwrap_or(origin).clone(),
                        });
                    }
                    let schemas = declared.map(|d| d.schemas.as_slice()).unwrap_or_default();
                    match (observing, declared) {
                        (false, _) => {}
                        (true, Some(declared)) => {
                            self.observe_declared(declared, member, || pointer.clone());
                        }
                        (true, None) if undocumented => {
                            self.observe_undocumented(&summary, name, member, pointer);
                        }
                        (true, None) => {}
                    }
                    if marked {
                        self.found.push(Drift {
                            pointer: pointer.clone(),
                            found: Found::Excluded(self.excluded),
                            schema: schemas.first().map_or(origin, |(_, o)| o).clone(),
                        });
                    }
                    match (nested, declared, schemas) {
                        (false, _, _) => {}
                        (true, Some(declared), [(child, child_origin)]) => {
                            let kept = (&declared.child, (*child, child_origin));
                            self.walk_kept(kept, member, pointer, depth + 1);
                        }
                        (true, Some(declared), [(child, child_origin), ..]) => {
                            // Declared by several parts: members any of
                            // them declares are documented.
                            let merged = declared
                                .child
                                .get_or_init(|| self.summaries.merged(self.document, declared))
                                .clone();
                            self.walk_with(
                                merged,
                                (child, child_origin),
                                member,
                                pointer,
                                depth + 1,
                            );
                        }
                        (true, _, _) => {}
                    }
                    pointer.truncate(len);
                }
                if observing {
                    self.observe_object(&summary, start);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    if self.observed.is_some() {
                        let at = || format!("{pointer}/{index}");
                        if let Some((child, origin)) = summary.prefix_items.get(index) {
                            let facts = self.summaries.facts(self.document, child, origin);
                            self.observe(&facts, item, at);
                        } else if let Some((child, origin)) = &summary.items {
                            let facts = summary
                                .items_facts
                                .get_or_init(|| self.summaries.facts(self.document, child, origin));
                            self.observe(facts, item, at);
                        }
                    }
                    if !(item.is_object() || item.is_array()) {
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    let _ = write!(pointer, "{index}");
                    if let Some((child, child_origin)) = summary.prefix_items.get(index) {
                        self.walk((child, child_origin), item, pointer, depth + 1);
                    } else if let Some((child, child_origin)) = &summary.items {
                        let kept = (&summary.items_summary, (*child, child_origin));
                        self.walk_kept(kept, item, pointer, depth + 1);
                    }
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
}

fn summarize<'d>(
    document: &'d Document,
    schema: &'d Value,
    origin: &Origin,
    chosen: Option<&str>,
) -> Summary<'d> {
    let (node, _, name) = resolve(document, schema, origin.clone());
    let discriminator = node
        .as_object()
        .and_then(|object| Discriminator::of_object(object, name.is_some()));
    let alternatives = match (&discriminator, node.as_object()) {
        (None, Some(object)) => ["oneOf", "anyOf"].into_iter().find_map(|keyword| {
            let count = object.get(keyword)?.as_array()?.len();
            (count > 1 && count <= MAX_ALTERNATIVES).then_some((keyword, count))
        }),
        _ => None,
    };
    let mut parts = Vec::new();
    // With a schema chosen, of the node's branches only that one applies,
    // and an extending schema chosen applies as a whole; with an
    // alternative chosen, only that branch.
    let choice = match (chosen, &discriminator, alternatives) {
        (Some(chosen), Some(discriminator), _) => Some(Choice::Named(chosen, discriminator.over)),
        (Some(chosen), None, Some((keyword, _))) => chosen
            .strip_prefix(ALTERNATIVE_MARK)
            .and_then(|index| index.parse().ok())
            .map(|index| Choice::Branch(keyword, index)),
        _ => None,
    };
    gather(document, schema, origin.clone(), true, &mut parts, choice);
    // The schema chosen applies as a whole (a mapping may name one that is
    // not a branch); an extension is where its object's members belong.
    let mut extension_at = None;
    if let (Some(chosen), Some(over)) = (chosen, discriminator.as_ref().map(|d| d.over)) {
        if let Some(named) = document.schema(chosen) {
            let (value, at) = (&named.schema.value, named.schema.origin.clone());
            if over == Over::Extensions {
                extension_at = Some(at.clone());
            }
            gather(document, value, at, true, &mut parts, None);
        }
    }
    let mut summary = summary_of_parts(document, parts, discriminator, extension_at);
    if chosen.is_none() {
        summary.alternatives = alternatives;
    }
    summary
}

/// What a summary is made for, past the node itself: the schema a
/// discriminator selected, or one alternative of a `oneOf` or `anyOf`.
#[derive(Clone, Copy)]
enum Choice<'c> {
    Named(&'c str, Over),
    Branch(&'static str, usize),
}

/// Starts the `chosen` of a summary made for one alternative (by index):
/// no schema name starts with it.
const ALTERNATIVE_MARK: char = '\u{0}';

/// The summary of a member declared by several parts (each branch of a
/// `oneOf` of rules declares its own `parameters`): a member any of its
/// schemas declares is documented, none of them closes the object or
/// requires a member alone.
fn summarize_many<'d>(document: &'d Document, schemas: &[Located<'d>]) -> Summary<'d> {
    let mut parts = Vec::new();
    for (schema, origin) in schemas {
        gather(document, schema, origin.clone(), false, &mut parts, None);
    }
    summary_of_parts(document, parts, None, None)
}

/// A summary from a schema's parts, each with where it is written and
/// whether it always applies.
fn summary_of_parts<'d>(
    document: &'d Document,
    parts: Vec<(&'d Map<String, Value>, Origin, bool)>,
    discriminator: Option<Discriminator>,
    extension_at: Option<Origin>,
) -> Summary<'d> {
    // Closed by a part that always applies; a closed branch of `anyOf`
    // does not close the others.
    let closed = parts.iter().any(|(object, _, always)| {
        *always
            && ["additionalProperties", "unevaluatedProperties"]
                .iter()
                .any(|keyword| object.get(*keyword) == Some(&Value::Bool(false)))
    });
    let chosen_extension = extension_at.is_some();
    let mut widest = 0;
    let mut summary = Summary {
        closed,
        discriminator,
        declared_at: extension_at,
        ..Summary::default()
    };
    for (part, at, always) in parts {
        if let Some(Value::Array(names)) = part.get("required") {
            if always {
                let list = at.child("required");
                for (index, name) in names.iter().enumerate() {
                    if let Some(name) = name.as_str() {
                        summary.required.push((list.clone(), name, index));
                    }
                }
            }
        }
        if let Some(properties) = part.get("properties").and_then(Value::as_object) {
            summary.described = true;
            if !chosen_extension && (summary.declared_at.is_none() || properties.len() > widest) {
                widest = properties.len();
                summary.declared_at = Some(at.clone());
            }
            let at = at.child("properties");
            for (name, child) in properties {
                let count = summary.properties.len();
                let member = summary
                    .properties
                    .entry(name.as_str())
                    .or_insert_with(|| Member {
                        index: count,
                        ..Member::default()
                    });
                let child_origin = at.child(name);
                let mut child_parts = Vec::new();
                gather(
                    document,
                    child,
                    child_origin.clone(),
                    true,
                    &mut child_parts,
                    None,
                );
                let flag = |keyword| {
                    child_parts
                        .iter()
                        .any(|(p, _, _)| p.get(keyword).and_then(Value::as_bool) == Some(true))
                };
                member.read_only |= flag("readOnly");
                member.write_only |= flag("writeOnly");
                member.constant = member.constant.or_else(|| {
                    child_parts.iter().find_map(|(part, _, always)| {
                        let constant = part.get("const").or_else(|| match part.get("enum") {
                            Some(Value::Array(values)) if values.len() == 1 => values.first(),
                            _ => None,
                        });
                        constant.filter(|_| *always)
                    })
                });
                member.schemas.push((child, child_origin));
            }
        }
        // A map, or an object that says outright that any member may come
        // (`additionalProperties: true`, GitHub's `dsseEnvelope`).
        summary.open_map |= part
            .get("additionalProperties")
            .is_some_and(|extra| extra.is_object() || extra == &Value::Bool(true))
            || part.contains_key("patternProperties");
        if summary.items.is_none() {
            summary.items = part.get("items").map(|items| (items, at.child("items")));
        }
        if summary.prefix_items.is_empty() {
            if let Some(prefix) = part.get("prefixItems").and_then(Value::as_array) {
                let at = at.child("prefixItems");
                summary.prefix_items = prefix
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (item, at.child(&index.to_string())))
                    .collect();
            }
        }
    }
    // A name `required` lists without a schema in `properties` is still a
    // member the object documents: counted present, not undocumented.
    let listed: Vec<&'d str> = summary.required.iter().map(|(_, name, _)| *name).collect();
    for name in listed {
        let count = summary.properties.len();
        summary.properties.entry(name).or_insert_with(|| Member {
            index: count,
            ..Member::default()
        });
    }
    summary
}

/// The schema and every part it is made of (`$ref` targets, `allOf`,
/// `anyOf`, `oneOf` branches), each with where it is written and whether
/// it always applies (not under `anyOf` or `oneOf`): a member declared by
/// any of them is documented. With a `choice` (the schema a discriminator
/// over the node's branches selected), only that branch, which applies.
/// The model's layers ([`Document::schema_layers_choosing`]), as every
/// reader sees them.
fn gather<'a>(
    document: &'a Document,
    schema: &'a Value,
    origin: Origin,
    always: bool,
    parts: &mut Vec<(&'a Map<String, Value>, Origin, bool)>,
    choice: Option<Choice<'_>>,
) {
    let choose = |own: bool, keyword: &'static str, index: usize, branch: &Value| {
        let only = match choice {
            Some(Choice::Named(chosen, over)) if own && over.keyword() == Some(keyword) => {
                Some(Schema::reference_name_of(branch).as_deref() == Some(chosen))
            }
            Some(Choice::Branch(of, chosen)) if own && of == keyword => Some(index == chosen),
            _ => None,
        };
        match only {
            Some(true) => Branch::Applies,
            Some(false) => Branch::Skip,
            None => Branch::Maybe,
        }
    };
    for layer in document.schema_layers_choosing(schema, origin, always, &choose) {
        if !parts.iter().any(|(p, _, _)| std::ptr::eq(*p, layer.object)) {
            parts.push((layer.object, layer.origin, layer.always));
        }
    }
}

/// Follows pure `$ref`s, keeping where the schema reached is written, and
/// its name when it is a named schema.
fn resolve<'a>(
    document: &'a Document,
    schema: &'a Value,
    origin: Origin,
) -> (&'a Value, Origin, Option<&'a str>) {
    document.resolve_schema_at(schema, origin)
}
