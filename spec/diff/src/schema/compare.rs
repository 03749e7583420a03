//! The comparer: two schemas, keyword by keyword as the table reads them,
//! into every place a schema can stand (properties, items, `prefixItems`,
//! `additionalProperties`, `patternProperties`, `not`, `if`/`then`/`else`,
//! `dependentSchemas`, `contains`, alternatives).

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use serde_json::Value;
use specgate_spec::{Document, Origin};

use super::implied;
use super::keywords::{Class, KEYWORDS};
use super::view::{pure_reference, Additional, Node, View, MAX_DEPTH};
use super::{SchemaChange, SchemaChangeKind as K, Side, ITEMS};

/// Above this many pairs of `oneOf`/`anyOf` alternatives (64 × 64), they
/// are paired in order rather than each against each.
const MAX_BRANCH_PAIRS: usize = 4096;

/// Schemas whose subschemas apply to the same instance, by keyword.
const IN_PLACE: [&str; 6] = [
    "not",
    "contains",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
];

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

/// Collects the changes of one pair of views, at the views' origins.
struct Out<'v> {
    old: &'v Origin,
    new: &'v Origin,
    changes: Vec<SchemaChange>,
}

impl Out<'_> {
    fn push(&mut self, kind: K) {
        self.changes.push(SchemaChange {
            kind,
            at: Vec::new(),
            within: Vec::new(),
            inverted: false,
            old: self.old.clone(),
            new: self.new.clone(),
        });
    }

    /// Nested changes, under an instance path segment and the keywords
    /// that hold them.
    fn nested(&mut self, changes: Vec<SchemaChange>, at: Option<&str>, within: Option<String>) {
        let inverted = within.as_deref() == Some("not");
        for mut change in changes {
            if let Some(segment) = at {
                change.at.insert(0, segment.to_owned());
            }
            if let Some(keyword) = &within {
                change.within.insert(0, keyword.clone());
            }
            change.inverted ^= inverted;
            self.changes.push(change);
        }
    }
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
        let old = Node::new(old, old_origin.clone());
        let new = Node::new(new, new_origin.clone());
        self.nodes(&old, &new, 0)
    }

    fn nodes(&mut self, old: &Node<'a>, new: &Node<'a>, depth: usize) -> Vec<SchemaChange> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        // Only a plain reference on both sides is one pair of named
        // schemas, whose comparison is kept.
        let plain = old.also.is_empty() && new.also.is_empty();
        let names = pure_reference(old.value)
            .zip(pure_reference(new.value))
            .filter(|_| plain);
        let Some((old_name, new_name)) = names else {
            return self.views(old, new, depth);
        };
        let key = (
            self.old
                .schemas
                .get_key_value(old_name.as_ref())
                .map(|(k, _)| k.as_str()),
            self.new
                .schemas
                .get_key_value(new_name.as_ref())
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
        self.compare_views(&old_view, &new_view, old, new, depth)
    }

    fn compare_views(
        &mut self,
        old_view: &View<'a>,
        new_view: &View<'a>,
        old: &Node<'a>,
        new: &Node<'a>,
        depth: usize,
    ) -> Vec<SchemaChange> {
        let mut out = Out {
            old: &old_view.origin,
            new: &new_view.origin,
            changes: Vec::new(),
        };
        if depth > MAX_DEPTH {
            return out.changes;
        }
        if old_view.nothing || new_view.nothing {
            if old_view.nothing != new_view.nothing {
                let describe = |view: &View| {
                    if view.nothing {
                        "nothing".to_owned()
                    } else {
                        view.describe_types()
                    }
                };
                out.push(K::TypeChanged {
                    old: describe(old_view),
                    new: describe(new_view),
                });
            }
            return out.changes;
        }
        if old_view.branches.is_empty() != new_view.branches.is_empty() {
            self.one_side_branched(old_view, new_view, old, new, depth, &mut out);
            return out.changes;
        }
        self.keywords(old_view, new_view, depth, &mut out);
        self.members(old_view, new_view, depth, &mut out);
        self.branches(old_view, new_view, depth, &mut out);
        out.changes
    }

    /// One schema has alternatives, the other none: the plain one is
    /// compared with the alternative most like it (the rest of the other
    /// schema merged into each), and the others are added or removed. An
    /// object wrapped into a `oneOf` of itself and another is one added
    /// alternative, not a new type and removed properties.
    fn one_side_branched(
        &mut self,
        old_view: &View<'a>,
        new_view: &View<'a>,
        old: &Node<'a>,
        new: &Node<'a>,
        depth: usize,
        out: &mut Out,
    ) {
        let old_branched = !old_view.branches.is_empty();
        let (branched_view, branched_node, document) = if old_branched {
            (old_view, old, self.old)
        } else {
            (new_view, new, self.new)
        };
        let mut best: Option<(usize, Vec<SchemaChange>)> = None;
        for (index, branch) in branched_view.branches.iter().enumerate() {
            let alternative = View::of_alternative(document, branched_node, branch);
            let changes = if old_branched {
                self.compare_views(&alternative, new_view, branch, new, depth + 1)
            } else {
                self.compare_views(old_view, &alternative, old, branch, depth + 1)
            };
            let better = best
                .as_ref()
                .is_none_or(|(_, kept)| changes.len() < kept.len());
            if better {
                best = Some((index, changes));
            }
            if best.as_ref().is_some_and(|(_, kept)| kept.is_empty()) {
                break;
            }
        }
        let Some((chosen, changes)) = best else {
            return;
        };
        out.changes.extend(changes);
        for (index, branch) in branched_view.branches.iter().enumerate() {
            if index == chosen {
                continue;
            }
            let name = branch_name(branch);
            let (old_origin, new_origin) = if old_branched {
                (branch.origin.clone(), new_view.origin.clone())
            } else {
                (old_view.origin.clone(), branch.origin.clone())
            };
            out.changes.push(SchemaChange {
                kind: if old_branched {
                    K::BranchRemoved { name }
                } else {
                    K::BranchAdded { name }
                },
                at: Vec::new(),
                within: Vec::new(),
                inverted: false,
                old: old_origin,
                new: new_origin,
            });
        }
        // The alternatives of a new `oneOf` that can both match refuse
        // what the plain schema accepted (an object split into `oneOf`
        // branches by which members it requires); those of an old one
        // refused what the plain schema now accepts.
        let all: Vec<&Node<'a>> = branched_view.branches.iter().collect();
        self.overlaps(branched_view, &all, &all, !old_branched, out);
    }

    /// Pairs of a `oneOf`'s alternatives, one of `changed` (added or
    /// removed) and one of `among`, that an instance can match both of:
    /// each a change of its own, `added` when the new document has the
    /// pair. Nothing for an `anyOf`, a discriminated `oneOf` (the
    /// discriminator chooses), or more than 16 alternatives.
    fn overlaps(
        &self,
        view: &View<'a>,
        changed: &[&Node<'a>],
        among: &[&Node<'a>],
        added: bool,
        out: &mut Out,
    ) {
        if !view.exclusive || view.hints.contains_key("discriminator") || among.len() > 16 {
            return;
        }
        let document = if added { self.new } else { self.old };
        // Each pair once, by where its two alternatives are written.
        let mut reported: Vec<(&str, &str)> = Vec::new();
        for first in changed {
            for second in among {
                let (x, y) = (
                    first.origin.pointer.as_str(),
                    second.origin.pointer.as_str(),
                );
                if x == y || reported.contains(&(x.min(y), x.max(y))) {
                    continue;
                }
                let key = (x.min(y), x.max(y));
                if !may_overlap(document, first, second) {
                    continue;
                }
                reported.push(key);
                let (old_origin, new_origin) = if added {
                    (out.old.clone(), first.origin.clone())
                } else {
                    (first.origin.clone(), out.new.clone())
                };
                out.changes.push(SchemaChange {
                    kind: K::OneOfOverlap {
                        added,
                        name: branch_name(first),
                        other: branch_name(second),
                    },
                    at: Vec::new(),
                    within: Vec::new(),
                    inverted: false,
                    old: old_origin,
                    new: new_origin,
                });
            }
        }
    }

    /// Every keyword but members and alternatives.
    fn keywords(&mut self, old: &View<'a>, new: &View<'a>, depth: usize, out: &mut Out) {
        if let Some(kind) = compare_types(old, new) {
            out.push(kind);
        }
        match (old.nullable, new.nullable) {
            (false, true) => out.push(K::NullableAdded),
            (true, false) => out.push(K::NullableRemoved),
            _ => {}
        }
        compare_enums(old, new, out);
        compare_format(old, new, out);
        compare_bounds(old, new, out);
        // A keyword of one type says nothing once either schema refuses
        // that type: the type change is the change.
        let both = |family: &str| admits(old, family) && admits(new, family);
        if both("string") {
            compare_patterns(old, new, out);
        }
        if both("number") {
            compare_multiple_of(old, new, out);
        }
        if both("object") {
            self.object_keywords(old, new, depth, out);
        }
        if both("array") {
            self.array_keywords(old, new, depth, out);
        }
        self.in_place(old, new, depth, out);
        for keyword in KEYWORDS.iter().filter(|k| k.class == Class::Hint) {
            let (o, n) = (old.hints.get(keyword.name), new.hints.get(keyword.name));
            if o != n {
                out.push(K::Changed {
                    keyword: keyword.name,
                    old: o.map(|v| (*v).clone()),
                    new: n.map(|v| (*v).clone()),
                });
            }
        }
        if old.dynamic_ref != new.dynamic_ref {
            out.push(K::Changed {
                keyword: "$dynamicRef",
                old: old.dynamic_ref.map(|r| Value::String(r.to_owned())),
                new: new.dynamic_ref.map(|r| Value::String(r.to_owned())),
            });
        }
        // A default is what a server assumes for what the client leaves
        // out: it matters to what is sent, never to what is received.
        if self.side == Side::Sent && old.default != new.default {
            out.push(K::DefaultChanged {
                old: old.default.cloned(),
                new: new.default.cloned(),
            });
        }
    }

    fn object_keywords(&mut self, old: &View<'a>, new: &View<'a>, depth: usize, out: &mut Out) {
        self.additional(
            &old.additional,
            &new.additional,
            "additionalProperties",
            depth,
            out,
        );
        self.additional(
            &old.unevaluated,
            &new.unevaluated,
            "unevaluatedProperties",
            depth,
            out,
        );
        compare_dependent_required(old, new, out);
        self.keyed(
            &old.dependent_schemas,
            &new.dependent_schemas,
            "dependentSchemas",
            None,
            depth,
            out,
        );
        self.keyed(
            &old.pattern_properties,
            &new.pattern_properties,
            "patternProperties",
            Some("*"),
            depth,
            out,
        );
    }

    fn array_keywords(&mut self, old: &View<'a>, new: &View<'a>, depth: usize, out: &mut Out) {
        match (old.unique_items, new.unique_items) {
            (false, true) => out.push(tightened("uniqueItems", None, Some(Value::Bool(true)))),
            (true, false) => out.push(loosened("uniqueItems", Some(Value::Bool(true)), None)),
            _ => {}
        }
        self.prefix_items(old, new, depth, out);
        match (&old.items, &new.items) {
            (Some(o), Some(n)) => {
                let nested = self.nodes(o, n, depth + 1);
                out.nested(nested, Some(ITEMS), None);
            }
            (None, Some(n)) => out.push(tightened("items", None, Some(n.value.clone()))),
            (Some(o), None) => out.push(loosened("items", Some(o.value.clone()), None)),
            (None, None) => {}
        }
    }

    /// `additionalProperties` or `unevaluatedProperties`.
    fn additional(
        &mut self,
        old: &Additional<'a>,
        new: &Additional<'a>,
        keyword: &'static str,
        depth: usize,
        out: &mut Out,
    ) {
        let value = |a: &Additional| match a {
            Additional::Open => None,
            Additional::Closed => Some(Value::Bool(false)),
            Additional::Schema(node) => Some(node.value.clone()),
        };
        match (old, new) {
            (Additional::Open, Additional::Open) | (Additional::Closed, Additional::Closed) => {}
            (Additional::Schema(o), Additional::Schema(n)) => {
                let nested = self.nodes(o, n, depth + 1);
                out.nested(nested, Some("*"), None);
            }
            (Additional::Open, _) | (Additional::Schema(_), Additional::Closed) => {
                out.push(tightened(keyword, value(old), value(new)))
            }
            (_, Additional::Open) | (Additional::Closed, Additional::Schema(_)) => {
                out.push(loosened(keyword, value(old), value(new)))
            }
        }
    }

    /// Keyed subschemas (`dependentSchemas`, `patternProperties`): an
    /// entry added constrains more, one removed less, one kept is compared.
    fn keyed(
        &mut self,
        old: &indexmap::IndexMap<&'a str, Node<'a>>,
        new: &indexmap::IndexMap<&'a str, Node<'a>>,
        keyword: &'static str,
        at: Option<&str>,
        depth: usize,
        out: &mut Out,
    ) {
        for (key, o) in old {
            match new.get(key) {
                Some(n) => {
                    let nested = self.nodes(o, n, depth + 1);
                    out.nested(nested, at, Some(format!("{keyword}/{key}")));
                }
                None => out.push(loosened(keyword, Some(entry(key, o.value)), None)),
            }
        }
        for (key, n) in new {
            if !old.contains_key(key) {
                out.push(tightened(keyword, None, Some(entry(key, n.value))));
            }
        }
    }

    /// Subschemas that apply to the instance itself or its items: `not`
    /// (inverted), `contains`, `if`, `then`, `else`, `propertyNames`,
    /// `unevaluatedItems`.
    fn in_place(&mut self, old: &View<'a>, new: &View<'a>, depth: usize, out: &mut Out) {
        // `if` decides which of `then` and `else` applies: any change to
        // it moves instances between them, which cannot be rated.
        match (old.applied.get("if"), new.applied.get("if")) {
            (Some(o), Some(n)) if !self.nodes(o, n, depth + 1).is_empty() => out.push(K::Changed {
                keyword: "if",
                old: Some(o.value.clone()),
                new: Some(n.value.clone()),
            }),
            (Some(o), None)
                if old.applied.contains_key("then") || old.applied.contains_key("else") =>
            {
                out.push(K::Changed {
                    keyword: "if",
                    old: Some(o.value.clone()),
                    new: None,
                })
            }
            (None, Some(n))
                if new.applied.contains_key("then") || new.applied.contains_key("else") =>
            {
                out.push(K::Changed {
                    keyword: "if",
                    old: None,
                    new: Some(n.value.clone()),
                })
            }
            _ => {}
        }
        for keyword in IN_PLACE {
            let at = match keyword {
                "contains" | "unevaluatedItems" => Some(ITEMS),
                _ => None,
            };
            match (old.applied.get(keyword), new.applied.get(keyword)) {
                (Some(o), Some(n)) => {
                    let nested = self.nodes(o, n, depth + 1);
                    out.nested(nested, at, Some(keyword.to_owned()));
                }
                (None, Some(n)) => out.push(tightened(keyword, None, Some(n.value.clone()))),
                (Some(o), None) => out.push(loosened(keyword, Some(o.value.clone()), None)),
                (None, None) => {}
            }
        }
    }

    /// `prefixItems`, position by position: a position without its own
    /// schema is governed by `items` (or takes anything).
    fn prefix_items(&mut self, old: &View<'a>, new: &View<'a>, depth: usize, out: &mut Out) {
        let count = old.prefix_items.len().max(new.prefix_items.len());
        for index in 0..count {
            let o = old.prefix_items.get(index).or(old.items.as_ref());
            let n = new.prefix_items.get(index).or(new.items.as_ref());
            let segment = format!("[{index}]");
            match (o, n) {
                (Some(o), Some(n)) => {
                    let nested = self.nodes(o, n, depth + 1);
                    out.nested(nested, Some(&segment), None);
                }
                (None, Some(n)) => out.push(tightened(
                    "prefixItems",
                    None,
                    Some(entry(&segment, n.value)),
                )),
                (Some(o), None) => out.push(loosened(
                    "prefixItems",
                    Some(entry(&segment, o.value)),
                    None,
                )),
                (None, None) => {}
            }
        }
    }

    fn members(&mut self, old_view: &View<'a>, new_view: &View<'a>, depth: usize, out: &mut Out) {
        let old_members = old_view.members(self.side);
        let new_members = new_view.members(self.side);
        for (name, old_node) in &old_members {
            let old_required = old_view.required.contains(name);
            let old_origin = old_node.as_ref().map_or(&old_view.origin, |n| &n.origin);
            let Some(new_node) = new_members.get(name) else {
                out.changes.push(SchemaChange {
                    kind: K::PropertyRemoved {
                        name: (*name).to_owned(),
                        required: old_required,
                    },
                    at: vec![(*name).to_owned()],
                    within: Vec::new(),
                    inverted: false,
                    old: old_origin.clone(),
                    new: new_view.origin.clone(),
                });
                continue;
            };
            let new_required = new_view.required.contains(name);
            let new_origin = new_node.as_ref().map_or(&new_view.origin, |n| &n.origin);
            let kind = match (old_required, new_required) {
                (true, false) => Some(K::MadeOptional {
                    name: (*name).to_owned(),
                }),
                (false, true) => Some(K::MadeRequired {
                    name: (*name).to_owned(),
                }),
                _ => None,
            };
            if let Some(kind) = kind {
                out.changes.push(SchemaChange {
                    kind,
                    at: vec![(*name).to_owned()],
                    within: Vec::new(),
                    inverted: false,
                    old: old_origin.clone(),
                    new: new_origin.clone(),
                });
            }
            if let (Some(old_node), Some(new_node)) = (old_node, new_node) {
                let nested = self.nodes(old_node, new_node, depth + 1);
                out.nested(nested, Some(name), None);
            }
        }
        for (name, new_node) in &new_members {
            if old_members.contains_key(name) {
                continue;
            }
            out.changes.push(SchemaChange {
                kind: K::PropertyAdded {
                    name: (*name).to_owned(),
                    required: new_view.required.contains(name),
                },
                at: vec![(*name).to_owned()],
                within: Vec::new(),
                inverted: false,
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
    fn branches(&mut self, old_view: &View<'a>, new_view: &View<'a>, depth: usize, out: &mut Out) {
        if old_view.branches.is_empty() && new_view.branches.is_empty() {
            return;
        }
        let (old_count, new_count) = (old_view.branches.len(), new_view.branches.len());
        if old_count.saturating_mul(new_count) > MAX_BRANCH_PAIRS {
            // Thousands of alternatives: pairing each with each would not
            // end in time; they are paired in order instead.
            for (old_branch, new_branch) in old_view.branches.iter().zip(&new_view.branches) {
                let nested = self.nodes(old_branch, new_branch, depth + 1);
                out.changes.extend(nested);
            }
            unpaired(
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
                    .position(|n| pure_reference(n.value).as_ref() == Some(&name))
            });
            let found = by_name.or_else(|| {
                unmatched_new
                    .iter()
                    .position(|n| self.nodes(old_branch, n, depth + 1).is_empty())
            });
            match found {
                Some(index) => {
                    let new_branch = unmatched_new.remove(index);
                    let nested = self.nodes(old_branch, new_branch, depth + 1);
                    out.changes.extend(nested);
                }
                None => unmatched_old.push(old_branch),
            }
        }
        // What is left is paired by likeness: each old alternative with the
        // new one it differs from least (an alternative whose referenced
        // schema changed is still that alternative); the rest were added
        // or removed.
        let mut left_old = Vec::new();
        for old_branch in unmatched_old {
            let closest = unmatched_new
                .iter()
                .enumerate()
                .map(|(index, n)| (index, self.nodes(old_branch, n, depth + 1)))
                .min_by_key(|(_, changes)| changes.len());
            match closest {
                Some((index, nested)) => {
                    unmatched_new.remove(index);
                    out.changes.extend(nested);
                }
                None => left_old.push(old_branch),
            }
        }
        let new_all: Vec<&Node<'a>> = new_view.branches.iter().collect();
        let old_all: Vec<&Node<'a>> = old_view.branches.iter().collect();
        self.overlaps(new_view, &unmatched_new, &new_all, true, out);
        self.overlaps(old_view, &left_old, &old_all, false, out);
        unpaired(left_old, unmatched_new, old_view, new_view, out);
    }
}

/// Whether an instance can match both alternatives, as far as their
/// keywords tell: not when their types or enums share nothing, when a
/// member both require takes values the other's never does, or when one
/// is closed to a member the other requires.
fn may_overlap(document: &Document, a: &Node, b: &Node) -> bool {
    let (a, b) = (View::of(document, a), View::of(document, b));
    if a.nothing || b.nothing {
        return false;
    }
    let both_null = a.nullable && b.nullable;
    let disjoint_types = |x: &View, y: &View| match (&x.types, &y.types) {
        (Some(tx), Some(ty)) => {
            !tx.iter().any(|t| covers(ty, t)) && !ty.iter().any(|t| covers(tx, t))
        }
        _ => false,
    };
    let disjoint_values = |x: &View, y: &View| match (x.non_null_enum(), y.non_null_enum()) {
        (Some(ex), Some(ey)) => !ex.iter().any(|v| ey.contains(v)),
        _ => false,
    };
    if !both_null && (disjoint_types(&a, &b) || disjoint_values(&a, &b)) {
        return false;
    }
    for name in a.required.intersection(&b.required) {
        let (Some(pa), Some(pb)) = (a.properties.get(name), b.properties.get(name)) else {
            continue;
        };
        let (ma, mb) = (View::of(document, pa), View::of(document, pb));
        if !(ma.nullable && mb.nullable) && (disjoint_types(&ma, &mb) || disjoint_values(&ma, &mb))
        {
            return false;
        }
    }
    let closed_against = |x: &View, y: &View| {
        matches!(x.additional, Additional::Closed)
            && y.required.iter().any(|n| !x.properties.contains_key(n))
    };
    !(closed_against(&a, &b) || closed_against(&b, &a))
}

/// Alternatives left without a partner: removed, or added.
fn unpaired(
    unmatched_old: Vec<&Node>,
    unmatched_new: Vec<&Node>,
    old_view: &View,
    new_view: &View,
    out: &mut Out,
) {
    let change = |kind, old: &Origin, new: &Origin| SchemaChange {
        kind,
        at: Vec::new(),
        within: Vec::new(),
        inverted: false,
        old: old.clone(),
        new: new.clone(),
    };
    for old_branch in unmatched_old {
        out.changes.push(change(
            K::BranchRemoved {
                name: branch_name(old_branch),
            },
            &old_branch.origin,
            &new_view.origin,
        ));
    }
    for new_branch in unmatched_new {
        out.changes.push(change(
            K::BranchAdded {
                name: branch_name(new_branch),
            },
            &old_view.origin,
            &new_branch.origin,
        ));
    }
}

fn tightened(keyword: &'static str, old: Option<Value>, new: Option<Value>) -> K {
    K::Tightened { keyword, old, new }
}

fn loosened(keyword: &'static str, old: Option<Value>, new: Option<Value>) -> K {
    K::Loosened { keyword, old, new }
}

/// `{key: value}`, how a keyed entry is shown.
fn entry(key: &str, value: &Value) -> Value {
    let mut object = serde_json::Map::new();
    object.insert(key.to_owned(), value.clone());
    Value::Object(object)
}

/// How an alternative is named in a message: its schema's name, or its type.
fn branch_name(node: &Node) -> String {
    if let Some(name) = pure_reference(node.value) {
        return format!("`{name}`");
    }
    match node.value.get("type") {
        Some(Value::String(t)) => format!("an inline {t}"),
        _ => "an inline schema".to_owned(),
    }
}

/// Whether a type accepts every value of another: `number` accepts
/// integers.
fn covers(types: &BTreeSet<&str>, t: &str) -> bool {
    types.contains(t) || (t == "integer" && types.contains("number"))
}

fn compare_types(old: &View, new: &View) -> Option<K> {
    let describe = || (old.describe_types(), new.describe_types());
    match (&old.types, &new.types) {
        (None, None) => None,
        (Some(_), None) => {
            let (old, new) = describe();
            Some(K::TypeWidened { old, new })
        }
        (None, Some(_)) => {
            let (old, new) = describe();
            Some(K::TypeNarrowed { old, new })
        }
        (Some(o), Some(n)) if o == n => None,
        (Some(o), Some(n)) => {
            let widened = o.iter().all(|t| covers(n, t));
            let narrowed = n.iter().all(|t| covers(o, t));
            let (old, new) = describe();
            Some(match (widened, narrowed) {
                (true, _) => K::TypeWidened { old, new },
                (false, true) => K::TypeNarrowed { old, new },
                (false, false) => K::TypeChanged { old, new },
            })
        }
    }
}

fn compare_enums(old: &View, new: &View, out: &mut Out) {
    match (&old.non_null_enum(), &new.non_null_enum()) {
        (None, None) => {}
        (Some(_), None) => out.push(K::EnumAdded {
            values: Vec::new(),
            restriction_lifted: true,
        }),
        (None, Some(values)) => out.push(K::EnumRemoved {
            values: values.iter().map(|v| (*v).clone()).collect(),
            new_restriction: true,
        }),
        (Some(o), Some(n)) => {
            if let ([o], [n]) = (o.as_slice(), n.as_slice()) {
                if o != n {
                    out.push(K::ConstChanged {
                        old: (*o).clone(),
                        new: (*n).clone(),
                    });
                }
                return;
            }
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
                out.push(K::EnumRemoved {
                    values: removed,
                    new_restriction: false,
                });
            }
            if !added.is_empty() {
                out.push(K::EnumAdded {
                    values: added,
                    restriction_lifted: false,
                });
            }
        }
    }
}

fn compare_format(old: &View, new: &View, out: &mut Out) {
    if old.format == new.format {
        return;
    }
    let value = |f: Option<&str>| f.map(|f| Value::String(f.to_owned()));
    // An integer format says nothing of a schema that takes no numbers:
    // a type change from `integer` to `string` is the change.
    let numeric = |view: &View| {
        view.types
            .as_ref()
            .is_none_or(|t| t.contains("integer") || t.contains("number"))
    };
    let ranked = implied::format_widened(old.format, new.format);
    if ranked.is_some() && !(numeric(old) && numeric(new)) {
        return;
    }
    // Explicit bounds within both formats' ranges (a port's 0 to 65535),
    // or enum values all within them (an error's `status: [400]`), leave
    // an integer format nothing to add.
    if ranked.is_some() {
        let bounded = |view: &View| {
            let within = |keyword: &str, limit: f64, upper: bool| {
                view.bounds
                    .get(keyword)
                    .and_then(|v| v.as_f64())
                    .is_some_and(|b| if upper { b <= limit } else { b >= limit })
            };
            let listed = view.non_null_enum().is_some_and(|values| {
                values.iter().all(|v| {
                    v.as_i64()
                        .is_some_and(|n| (i32::MIN as i64..=i32::MAX as i64).contains(&n))
                })
            });
            listed
                || (within("maximum", i32::MAX as f64, true)
                    && within("minimum", i32::MIN as f64, false))
        };
        if bounded(old) && bounded(new) {
            return;
        }
    }
    match ranked {
        Some(std::cmp::Ordering::Equal) => {}
        Some(std::cmp::Ordering::Greater) => {
            out.push(loosened("format", value(old.format), value(new.format)))
        }
        Some(std::cmp::Ordering::Less) => {
            out.push(tightened("format", value(old.format), value(new.format)))
        }
        None => out.push(K::FormatChanged {
            old: old.format.map(str::to_owned),
            new: new.format.map(str::to_owned),
        }),
    }
}

/// The bound a view has for a keyword, explicit or implied by its format
/// or patterns: the tightest.
fn effective_bound(view: &View, keyword: &str, upper: bool) -> Option<f64> {
    let explicit = view.bounds.get(keyword).and_then(|v| v.as_f64());
    let from_format = view.format.and_then(|f| implied::format_bound(f, keyword));
    let from_patterns = (keyword == "maxLength")
        .then(|| {
            view.patterns
                .iter()
                .filter_map(|p| implied::pattern_max_length(p))
                .reduce(f64::min)
        })
        .flatten();
    [explicit, from_format, from_patterns]
        .into_iter()
        .flatten()
        .reduce(|a, b| if upper { a.min(b) } else { a.max(b) })
}

/// Whether a view takes instances of a type family (`number` covers
/// `integer`): every type when it names none.
fn admits(view: &View, family: &str) -> bool {
    view.types.as_ref().is_none_or(|types| {
        types.contains(family) || (family == "number" && types.contains("integer"))
    })
}

/// The type a bound keyword constrains.
fn family(keyword: &str) -> &'static str {
    match keyword {
        "maxLength" | "minLength" => "string",
        "maxItems" | "minItems" | "maxContains" | "minContains" => "array",
        "maxProperties" | "minProperties" => "object",
        _ => "number",
    }
}

fn compare_bounds(old: &View, new: &View, out: &mut Out) {
    for keyword in KEYWORDS {
        let upper = match keyword.class {
            Class::Upper => true,
            Class::Lower => false,
            _ => continue,
        };
        if !(admits(old, family(keyword.name)) && admits(new, family(keyword.name))) {
            continue;
        }
        let (o, n) = (old.bounds.get(keyword.name), new.bounds.get(keyword.name));
        if o.is_none() && n.is_none() || o == n {
            continue;
        }
        // Compared as the tightest bound each schema really has: a
        // `maximum` at the `int32` limit, or a `maxLength: 36` on a
        // `uuid`, bounds nothing the format did not.
        let (eo, en) = (
            effective_bound(old, keyword.name, upper),
            effective_bound(new, keyword.name, upper),
        );
        let tightened_now = match (eo, en) {
            (Some(eo), Some(en)) if eo == en => continue,
            (None, None) => continue,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(eo), Some(en)) => (upper && en < eo) || (!upper && en > eo),
        };
        let (o, n) = (o.map(|v| (*v).clone()), n.map(|v| (*v).clone()));
        out.push(if tightened_now {
            tightened(keyword.name, o, n)
        } else {
            loosened(keyword.name, o, n)
        });
    }
}

fn compare_patterns(old: &View, new: &View, out: &mut Out) {
    let meaningful = |patterns: &[&str]| -> Vec<String> {
        patterns
            .iter()
            .filter(|p| !implied::accepts_everything(p))
            .map(|p| (*p).to_owned())
            .collect()
    };
    let (o, n) = (meaningful(&old.patterns), meaningful(&new.patterns));
    if o == n {
        return;
    }
    let value = |p: &[String]| match p {
        [] => None,
        [one] => Some(Value::String(one.clone())),
        many => Some(Value::from(many.to_vec())),
    };
    let (old_value, new_value) = (value(&o), value(&n));
    let removed = o.iter().any(|p| !n.contains(p));
    let added = n.iter().any(|p| !o.contains(p));
    let loosened_now = match (o.as_slice(), n.as_slice()) {
        ([a], [b]) => implied::pattern_loosened(a, b),
        _ => match (removed, added) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        },
    };
    out.push(match loosened_now {
        Some(true) => loosened("pattern", old_value, new_value),
        Some(false) => tightened("pattern", old_value, new_value),
        None => K::Changed {
            keyword: "pattern",
            old: old_value,
            new: new_value,
        },
    });
}

fn compare_multiple_of(old: &View, new: &View, out: &mut Out) {
    let (o, n) = (old.multiple_of, new.multiple_of);
    if o == n {
        return;
    }
    let divides = |a: f64, b: f64| {
        let ratio = b / a;
        a != 0.0 && ratio.is_finite() && (ratio - ratio.round()).abs() < 1e-9
    };
    let kind = match (o.and_then(Value::as_f64), n.and_then(Value::as_f64)) {
        (None, Some(_)) => tightened("multipleOf", None, n.cloned()),
        (Some(_), None) => loosened("multipleOf", o.cloned(), None),
        (Some(a), Some(b)) if divides(a, b) => tightened("multipleOf", o.cloned(), n.cloned()),
        (Some(a), Some(b)) if divides(b, a) => loosened("multipleOf", o.cloned(), n.cloned()),
        _ => K::Changed {
            keyword: "multipleOf",
            old: o.cloned(),
            new: n.cloned(),
        },
    };
    out.push(kind);
}

fn compare_dependent_required(old: &View, new: &View, out: &mut Out) {
    let value = |key: &str, names: &BTreeSet<&str>| {
        entry(
            key,
            &Value::from(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()),
        )
    };
    for (key, o) in &old.dependent_required {
        let n = new.dependent_required.get(key);
        let (removed, added) = match n {
            None => (true, false),
            Some(n) => (
                o.iter().any(|x| !n.contains(x)),
                n.iter().any(|x| !o.contains(x)),
            ),
        };
        let (old_value, new_value) = (Some(value(key, o)), n.map(|n| value(key, n)));
        match (removed, added) {
            (false, false) => {}
            (true, false) => out.push(loosened("dependentRequired", old_value, new_value)),
            (false, true) => out.push(tightened("dependentRequired", old_value, new_value)),
            (true, true) => out.push(K::Changed {
                keyword: "dependentRequired",
                old: old_value,
                new: new_value,
            }),
        }
    }
    for (key, n) in &new.dependent_required {
        if !old.dependent_required.contains_key(key) && !n.is_empty() {
            out.push(tightened("dependentRequired", None, Some(value(key, n))));
        }
    }
}
