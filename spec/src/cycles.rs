//! Schemas that are nothing but a cycle: `A: {allOf: [{$ref: A}]}` reaches
//! itself through keywords that apply to the same value (`$ref`, `allOf`,
//! `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, `dependentSchemas`) without
//! ever descending into a member or an item. Such a schema describes
//! nothing: depending on how a reader breaks the loop it admits every
//! value, or none. Recursion through `properties` or `items` (a tree of
//! nodes) is legitimate and not reported. Readers still guard every walk;
//! this tells the author.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::Value;

use crate::model::{NamedSchema, Schema};
use crate::warning::{Warning, WarningKind};

/// Keywords whose subschemas apply to the value itself.
const IN_PLACE_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];
const IN_PLACE_SINGLE: &[&str] = &["not", "if", "then", "else"];

/// How deep one schema's in-place keywords are followed (the loader bounds
/// nesting at 128 levels).
const MAX_DEPTH: usize = 256;

/// A warning for each group of named schemas that reach each other in
/// place, at the first of them in document order.
pub(crate) fn in_place_cycles(
    schemas: &IndexMap<String, NamedSchema>,
    warnings: &mut Vec<Warning>,
) {
    let index: HashMap<&str, usize> = schemas
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = schemas
        .values()
        .map(|named| {
            let mut found = Vec::new();
            in_place_refs(&named.schema.value, 0, &mut |name| {
                if let Some(&target) = index.get(name) {
                    if !found.contains(&target) {
                        found.push(target);
                    }
                }
            });
            found
        })
        .collect();
    let mut components = strongly_connected(&edges);
    components.sort_by_key(|c| c.iter().min().copied());
    for component in components {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|&only| edges.get(only).is_some_and(|e| e.contains(&only)));
        if !cyclic {
            continue;
        }
        let Some(&first) = component.iter().min() else {
            continue;
        };
        let names: Vec<&str> = cycle_from(first, &edges, &component)
            .into_iter()
            .filter_map(|i| schemas.get_index(i).map(|(name, _)| name.as_str()))
            .collect();
        let Some((name, named)) = schemas.get_index(first) else {
            continue;
        };
        warnings.push(Warning::new(
            WarningKind::CyclicSchema,
            format!(
                "schema `{name}` reaches itself ({}) through keywords that apply to the same \
                 value, without describing any member or item: it admits every value or \
                 none, depending on how a reader breaks the loop",
                names.join(" → ")
            ),
            Some(named.schema.origin.clone()),
        ));
    }
}

/// Calls `found` with the name of every schema that `value` refers to in
/// place.
fn in_place_refs(value: &Value, depth: usize, found: &mut impl FnMut(&str)) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(object) = value.as_object() else {
        return;
    };
    if let Some(name) = Schema::reference_name_of(value) {
        found(&name);
    }
    for keyword in IN_PLACE_LISTS {
        for branch in object
            .get(*keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            in_place_refs(branch, depth + 1, found);
        }
    }
    for keyword in IN_PLACE_SINGLE {
        if let Some(child) = object.get(*keyword) {
            in_place_refs(child, depth + 1, found);
        }
    }
    if let Some(Value::Object(dependent)) = object.get("dependentSchemas") {
        for child in dependent.values() {
            in_place_refs(child, depth + 1, found);
        }
    }
}

/// Tarjan's strongly connected components, iteratively (a document may
/// have a chain of thousands of schemas).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(start, 0)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some((node, position)) = work.last().copied() {
            if let Some(&target) = edges[node].get(position) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[target] == usize::MAX {
                    index[target] = next;
                    low[target] = next;
                    next += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

/// One cycle through `start` inside its component, for the message:
/// `A → B → A`.
fn cycle_from(start: usize, edges: &[Vec<usize>], component: &[usize]) -> Vec<usize> {
    let mut path = vec![start];
    let mut current = start;
    while path.len() <= component.len() {
        let Some(&next) = edges[current]
            .iter()
            .find(|t| component.contains(t) && (**t == start || !path.contains(t)))
        else {
            break;
        };
        path.push(next);
        if next == start {
            break;
        }
        current = next;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(schemas: serde_json::Value) -> Vec<String> {
        let text = serde_json::json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {}, "components": {"schemas": schemas}
        });
        let doc = crate::load_str("t.json", &text.to_string()).expect("loads");
        doc.warnings
            .iter()
            .filter(|w| w.kind == WarningKind::CyclicSchema)
            .map(|w| w.message.clone())
            .collect()
    }

    #[test]
    fn cycles_in_place_are_reported_and_trees_are_not() {
        let found = warnings(serde_json::json!({
            "A": {"allOf": [{"$ref": "#/components/schemas/A"}]},
            "B": {"anyOf": [{"$ref": "#/components/schemas/C"}, {"type": "string"}]},
            "C": {"oneOf": [{"$ref": "#/components/schemas/B"}]},
            "Tree": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
            "Fine": {"allOf": [{"$ref": "#/components/schemas/Tree"}]}
        }));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("(A → A)"), "{}", found[0]);
        assert!(found[1].contains("(B → C → B)"), "{}", found[1]);
    }
}
