//! Where each type goes: a large crate's `types` is split into one module
//! per tag of the operations (or, untagged, per first path segment), so a
//! reader finds a type beside the operations that use it; a type several
//! groups use goes in `common`. Every module re-exports its types at
//! `types::`, so paths do not change with the split.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use specgate_spec::{Document, Operation};

use crate::naming::{self, Scope};
use crate::types::{Ty, TypeSpace};

/// Below this many types, one module reads as well as several.
const SPLIT_FROM: usize = 60;

/// The module that holds shared types and those no operation uses.
pub(crate) const COMMON: &str = "common";

/// Each type's module in `types`, by name, in the order the types are
/// declared; empty when the crate is too small to split or has one group.
pub(crate) fn type_modules(document: &Document, space: &TypeSpace) -> IndexMap<String, String> {
    if space.types.len() < SPLIT_FROM {
        return IndexMap::new();
    }
    let mut modules = Scope::new();
    modules.reserve(COMMON);
    let mut module_of_group: HashMap<String, String> = HashMap::new();
    let mut reached_by: HashMap<&str, HashSet<String>> = HashMap::new();
    for operation in document.operations.iter().chain(&document.webhooks) {
        let group = group_of(operation);
        let module = module_of_group
            .entry(group.clone())
            .or_insert_with(|| modules.unique(&module_name(&group)))
            .clone();
        let roots = space
            .operation_types
            .iter()
            .filter(|((id, _), _)| *id == operation.operation_id)
            .map(|(_, ty)| ty);
        for name in reachable(space, roots) {
            reached_by.entry(name).or_default().insert(module.clone());
        }
    }
    let distinct: HashSet<&String> = module_of_group.values().collect();
    if distinct.len() < 2 {
        return IndexMap::new();
    }
    space
        .types
        .keys()
        .map(|name| {
            let module = match reached_by.get(name.as_str()) {
                Some(modules) if modules.len() == 1 => {
                    modules.iter().next().cloned().unwrap_or_default()
                }
                _ => COMMON.to_owned(),
            };
            (name.clone(), module)
        })
        .collect()
}

/// An operation's group: its first tag, else the first path segment that
/// names something (not `api`, a version or a parameter).
fn group_of(operation: &Operation) -> String {
    if let Some(tag) = operation.tags.first() {
        return tag.clone();
    }
    operation
        .path
        .split('/')
        .find(|segment| {
            !segment.is_empty()
                && !segment.starts_with('{')
                && *segment != "api"
                && !is_version(segment)
        })
        .unwrap_or(COMMON)
        .to_owned()
}

fn is_version(segment: &str) -> bool {
    let rest = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A module name for a group: snake case, never a keyword.
fn module_name(group: &str) -> String {
    let name = naming::field_name(group);
    if naming::is_keyword(&name) {
        format!("{name}_api")
    } else if let Some(rest) = name.strip_prefix('_') {
        // `1-clicks`: an identifier cannot start with a digit.
        format!("api_{rest}")
    } else {
        name
    }
}

/// Every declared type the roots reach, through fields, variants and
/// aliases.
fn reachable<'a>(space: &'a TypeSpace, roots: impl Iterator<Item = &'a Ty>) -> HashSet<&'a str> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut next: Vec<&Ty> = roots.collect();
    while let Some(ty) = next.pop() {
        match ty {
            Ty::Named(name) => {
                if let Some((key, def)) = space.types.get_key_value(name) {
                    if seen.insert(key.as_str()) {
                        next.extend(def.kind.types());
                    }
                }
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
                next.push(inner)
            }
            Ty::Tuple(items) => next.extend(items),
            _ => {}
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_tags_or_first_segments() {
        assert!(is_version("v2"));
        assert!(is_version("1.0"));
        assert!(!is_version("videos"));
        assert_eq!(module_name("Conversations"), "conversations");
        assert_eq!(module_name("Help Center"), "help_center");
        assert_eq!(module_name("type"), "type_api");
        assert_eq!(module_name("1-clicks"), "api_1_clicks");
    }
}
