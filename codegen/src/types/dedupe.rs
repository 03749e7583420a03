//! Inline schemas that are copies of each other become one type.
//!
//! Large documents repeat the same inline object or enum many times
//! (GitHub's webhooks carry the same `installation` object in every
//! payload). One type per copy reads badly and multiplies compile time, so
//! identical inline types (same shape, same fields, same docs) are merged.
//! The merged type is named after the property all copies stand for
//! (`Installation`) when that name is free and says something, else after
//! the shortest of the copies' names. Named schemas are never merged or
//! renamed.

use std::collections::{HashMap, HashSet};

use super::{Ty, TypeSpace};

/// Merging one level can make their parents identical; a few rounds reach
/// the fixed point on real documents.
const MAX_ROUNDS: usize = 12;

pub(super) fn merge_identical(space: &mut TypeSpace) {
    for _ in 0..MAX_ROUNDS {
        let renames = one_round(space);
        if renames.is_empty() {
            return;
        }
        for def in space.types.values_mut() {
            for ty in def.kind.types_mut() {
                rename_in_ty(ty, &renames);
            }
        }
        for ty in space
            .operation_types
            .values_mut()
            .chain(space.component_types.values_mut())
        {
            rename_in_ty(ty, &renames);
        }
    }
}

/// Merges the identical inline types of one round; returns old name → new.
fn one_round(space: &mut TypeSpace) -> HashMap<String, String> {
    let named: HashSet<&String> = space.names.values().collect();
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (name, def) in &space.types {
        if named.contains(name) {
            continue;
        }
        let key = format!("{:?}|{:?}", def.doc, def.kind);
        let group = groups.entry(key.clone()).or_default();
        if group.is_empty() {
            order.push(key);
        }
        group.push(name.clone());
    }
    let mut renames = HashMap::new();
    for key in order {
        let Some(members) = groups.get(&key) else {
            continue;
        };
        let [first, rest @ ..] = members.as_slice() else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let canonical = shared_name(space, members).unwrap_or_else(|| shortest(members));
        for member in members {
            if *member != canonical {
                renames.insert(member.clone(), canonical.clone());
            }
        }
        for member in rest {
            space.types.shift_remove(member);
        }
        // The first copy keeps its place, under the shared name.
        if canonical != *first {
            if let Some((index, _, mut def)) = space.types.shift_remove_full(first) {
                def.name = canonical.clone();
                space.types.shift_insert(index, canonical.clone(), def);
            }
        }
    }
    renames
}

/// The shortest of the copies' contextual names (the first on a tie): the
/// one that says least about any single place, `ConversationMeta` rather
/// than `ContactConversationsItemMeta`.
fn shortest(members: &[String]) -> String {
    members
        .iter()
        .min_by_key(|m| m.len())
        .cloned()
        .unwrap_or_default()
}

/// The label all copies share, when no type has that name yet.
fn shared_name(space: &mut TypeSpace, members: &[String]) -> Option<String> {
    let labels: Vec<&str> = members
        .iter()
        .filter_map(|m| space.types.get(m).and_then(|d| d.label.as_deref()))
        .collect();
    let label = labels.first()?.to_string();
    // A generic word says nothing on its own; the first copy's contextual
    // name (`ConversationListDataMeta`) reads better than `Meta`.
    const GENERIC: &[&str] = &[
        "Meta",
        "Data",
        "Item",
        "Items",
        "Value",
        "Payload",
        "Links",
        "Attributes",
        "Properties",
        "Result",
        "Response",
        "Body",
    ];
    if GENERIC.contains(&label.as_str()) {
        return None;
    }
    if labels.len() != members.len() || labels.iter().any(|l| *l != label) {
        return None;
    }
    if space.types.contains_key(&label) || space.names.values().any(|n| *n == label) {
        return None;
    }
    space.scope.reserve(&label);
    Some(label)
}

fn rename_in_ty(ty: &mut Ty, renames: &HashMap<String, String>) {
    match ty {
        Ty::Named(name) => {
            if let Some(new) = renames.get(name) {
                *name = new.clone();
            }
        }
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
            rename_in_ty(inner, renames)
        }
        Ty::Tuple(items) => items.iter_mut().for_each(|t| rename_in_ty(t, renames)),
        _ => {}
    }
}
