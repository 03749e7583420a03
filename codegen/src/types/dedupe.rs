//! One type per shape: declarations that are copies of each other (same
//! kind, same fields and types, whatever their docs say) become one.
//!
//! Real documents repeat shapes everywhere: DigitalOcean points every
//! `401` of its 290 operations at one error object, GitHub's webhooks carry
//! the same `installation` in every payload, bundlers inline a component
//! at each use. A copy per place multiplies types, compile time and the
//! error handlers a caller writes. The names the document gives
//! (`components/schemas`, titles, shared components) are kept: a copy of
//! one becomes it. A group of unnamed copies is named after what they all
//! are: the status of a shared error response (`Unauthorized`, `Error`
//! when several statuses share it), the property they all stand for
//! (`Installation`), the words their names end with (`DatabaseStatus`),
//! else the shortest of their names. Type docs the copies disagree on are
//! dropped; field docs are the first copy's.

use std::collections::{HashMap, HashSet};

use specgate_spec::ResponseKey;

use super::{Kind, Slot, Ty, TypeDef, TypeSpace};

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
        for name in space.names.values_mut() {
            if let Some(new) = renames.get(name) {
                name.clone_from(new);
            }
        }
    }
}

/// A declaration's shape: its kind without docs.
fn shape(def: &TypeDef) -> String {
    let mut kind = def.kind.clone();
    if let Kind::Struct { fields, .. } = &mut kind {
        for field in fields {
            field.doc = None;
        }
    }
    format!("{kind:?}")
}

/// Merges the identical declarations of one round; returns old name → new.
fn one_round(space: &mut TypeSpace) -> HashMap<String, String> {
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (name, def) in &space.types {
        let key = shape(def);
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
        let (kept, copies): (Vec<&String>, Vec<&String>) =
            members.iter().partition(|m| space.kept_names.contains(*m));
        // Named by the document: copies become the first; the named ones
        // stay as the document has them.
        let (canonical, merged): (String, Vec<&String>) = match kept.first() {
            Some(first) => ((*first).clone(), copies),
            None if copies.len() > 1 => (canonical_name(space, &copies), copies),
            None => continue,
        };
        if merged.is_empty() || (merged.len() == 1 && *merged[0] == canonical) {
            continue;
        }
        let docs: HashSet<Option<&String>> = members
            .iter()
            .filter_map(|m| space.types.get(m))
            .map(|d| d.doc.as_ref())
            .collect();
        let agreed_doc = (docs.len() == 1).then(|| docs.into_iter().next().flatten().cloned());
        let merged: Vec<String> = merged.into_iter().cloned().collect();
        for member in &merged {
            if *member != canonical {
                renames.insert(member.clone(), canonical.clone());
            }
        }
        let first = merged[0].clone();
        for member in merged.iter().skip(1) {
            if *member != canonical {
                space.types.shift_remove(member);
            }
        }
        if kept.is_empty() {
            // The first copy keeps its place, under the shared name.
            if let Some((index, _, mut def)) = space.types.shift_remove_full(&first) {
                def.name.clone_from(&canonical);
                def.label = None;
                if let Some(doc) = agreed_doc {
                    def.doc = doc;
                } else {
                    def.doc = None;
                }
                space.types.shift_insert(index, canonical.clone(), def);
            }
            let slots: Vec<Slot> = merged
                .iter()
                .filter_map(|m| space.slots.get(m).copied())
                .collect();
            if let Some(slot) = slots.first() {
                space.slots.insert(canonical.clone(), *slot);
            }
        } else if first != canonical {
            space.types.shift_remove(&first);
        }
    }
    renames
}

/// The name of a group of unnamed copies (see the module's doc).
fn canonical_name(space: &mut TypeSpace, members: &[&String]) -> String {
    let chosen = from_statuses(space, members)
        .or_else(|| from_label(space, members))
        .or_else(|| from_common_words(space, members));
    let name = chosen.unwrap_or_else(|| shortest(members));
    // A copy's long place name (`…PaymentIntentPaymentMethodOptionsParam`)
    // is not what the shared type should carry, when a shorter one is free.
    let compact = crate::naming::compact_type_name(&name);
    let readable = !crate::naming::repeats_a_word(&compact);
    let name = if compact != name && readable && free(space, members, &compact) {
        compact
    } else {
        name
    };
    space.scope.reserve(&name);
    name
}

/// Responses of one error status share its meaning (`Unauthorized`);
/// error responses of several, `Error`.
fn from_statuses(space: &TypeSpace, members: &[&String]) -> Option<String> {
    let keys: Vec<ResponseKey> = members
        .iter()
        .map(|m| match space.slots.get(*m) {
            Some(Slot::Response(key)) => Some(*key),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let first = keys.first()?;
    let name = if keys.iter().all(|k| k == first) {
        let code = first.to_string();
        specgate_spec::status_reason(&code).map(crate::naming::type_name)?
    } else if keys.iter().all(|k| is_error(*k)) {
        "Error".to_owned()
    } else {
        return None;
    };
    free(space, members, &name).then_some(name)
}

fn is_error(key: ResponseKey) -> bool {
    match key {
        ResponseKey::Status(code) => code >= 400,
        ResponseKey::Range(class) => class >= 4,
        ResponseKey::Default => true,
    }
}

/// The property all copies stand for (`Installation`), when it says
/// something on its own.
fn from_label(space: &TypeSpace, members: &[&String]) -> Option<String> {
    let labels: Vec<&str> = members
        .iter()
        .filter_map(|m| space.types.get(*m).and_then(|d| d.label.as_deref()))
        .collect();
    let label = labels.first()?.to_string();
    if labels.len() != members.len() || labels.iter().any(|l| *l != label) {
        return None;
    }
    if crate::naming::is_generic_word(&label) {
        return None;
    }
    free(space, members, &label).then_some(label)
}

/// The words every copy's name ends with, two at least
/// (`ReplicaDatabaseStatus`, `ClusterDatabaseStatus`: `DatabaseStatus`).
fn from_common_words(space: &TypeSpace, members: &[&String]) -> Option<String> {
    let split: Vec<Vec<&str>> = members
        .iter()
        .map(|m| crate::naming::camel_words(m))
        .collect();
    let first = split.first()?;
    let mut common = 0;
    while common < first.len()
        && split
            .iter()
            .all(|w| w.len() > common && w[w.len() - 1 - common] == first[first.len() - 1 - common])
    {
        common += 1;
    }
    // A name cannot start with a number (`422ErrorsItem`).
    while common > 0 && first[first.len() - common].starts_with(|c: char| c.is_ascii_digit()) {
        common -= 1;
    }
    if common < 2 {
        return None;
    }
    let name: String = first[first.len() - common..].concat();
    (!crate::naming::is_generic_word(&name) && free(space, members, &name)).then_some(name)
}

/// Whether `name` is free for the group: unused, or one of its members.
fn free(space: &TypeSpace, members: &[&String], name: &str) -> bool {
    members.iter().any(|m| *m == name)
        || (space.scope.is_free(name) && !space.types.contains_key(name))
}

/// The shortest of the copies' contextual names (the first on a tie): the
/// one that says least about any single place, `ConversationMeta` rather
/// than `ContactConversationsItemMeta`.
fn shortest(members: &[&String]) -> String {
    members
        .iter()
        .min_by_key(|m| m.len())
        .map(|m| (*m).clone())
        .unwrap_or_default()
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
