//! Recursive types: a struct that contains itself, directly or through
//! other structs, needs a `Box` somewhere on the cycle; a type alias that
//! refers to itself is not allowed at all and becomes a newtype struct.

use std::collections::HashMap;

use super::{Kind, Ty, TypeSpace};

/// The types a type holds inline (not behind a `Vec`, map or `Box`).
fn inline_targets(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(name) => out.push(name.clone()),
        Ty::Option(inner) => inline_targets(inner, out),
        Ty::Tuple(items) => items.iter().for_each(|t| inline_targets(t, out)),
        _ => {}
    }
}

/// Every type a type mentions, also behind containers.
fn all_targets(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(name) => out.push(name.clone()),
        Ty::Option(inner) | Ty::Vec(inner) | Ty::Map(inner) | Ty::Box(inner) => {
            all_targets(inner, out)
        }
        Ty::Tuple(items) => items.iter().for_each(|t| all_targets(t, out)),
        _ => {}
    }
}

fn edges(kind: &Kind, inline: bool) -> Vec<String> {
    let mut out = Vec::new();
    for ty in kind.types() {
        if inline {
            inline_targets(ty, &mut out)
        } else {
            all_targets(ty, &mut out)
        }
    }
    out
}

/// Strongly connected components (Tarjan), as a component number per type.
fn components(space: &TypeSpace, inline: bool) -> HashMap<String, usize> {
    struct State<'a> {
        graph: HashMap<&'a str, Vec<String>>,
        index: HashMap<String, usize>,
        low: HashMap<String, usize>,
        on_stack: HashMap<String, bool>,
        stack: Vec<String>,
        next: usize,
        component: HashMap<String, usize>,
        components: usize,
    }
    let graph = space
        .types
        .iter()
        .map(|(name, def)| (name.as_str(), edges(&def.kind, inline)))
        .collect();
    let mut state = State {
        graph,
        index: HashMap::new(),
        low: HashMap::new(),
        on_stack: HashMap::new(),
        stack: Vec::new(),
        next: 0,
        component: HashMap::new(),
        components: 0,
    };
    // Iterative Tarjan: large documents have long reference chains.
    for start in space.types.keys() {
        if state.index.contains_key(start) {
            continue;
        }
        let mut work: Vec<(String, usize)> = vec![(start.clone(), 0)];
        while let Some((node, child)) = work.pop() {
            if child == 0 {
                state.index.insert(node.clone(), state.next);
                state.low.insert(node.clone(), state.next);
                state.next += 1;
                state.stack.push(node.clone());
                state.on_stack.insert(node.clone(), true);
            }
            let targets = state.graph.get(node.as_str()).cloned().unwrap_or_default();
            if let Some(target) = targets.get(child) {
                work.push((node.clone(), child + 1));
                if !state.graph.contains_key(target.as_str()) {
                    continue;
                }
                if !state.index.contains_key(target) {
                    work.push((target.clone(), 0));
                } else if state.on_stack.get(target).copied().unwrap_or(false) {
                    let low = state.low[&node].min(state.index[target]);
                    state.low.insert(node.clone(), low);
                }
                continue;
            }
            // All children done: fold the low link into the parent.
            if let Some((parent, _)) = work.last() {
                let low = state.low[parent].min(state.low[&node]);
                if state.index.get(&node) != state.index.get(parent) {
                    state.low.insert(parent.clone(), low);
                }
            }
            if state.low[&node] == state.index[&node] {
                while let Some(member) = state.stack.pop() {
                    state.on_stack.insert(member.clone(), false);
                    state.component.insert(member.clone(), state.components);
                    if member == node {
                        break;
                    }
                }
                state.components += 1;
            }
        }
    }
    state.component
}

fn boxed(ty: Ty, cycle: &dyn Fn(&str) -> bool) -> Ty {
    match ty {
        Ty::Named(ref name) if cycle(name) => Ty::Box(Box::new(ty)),
        Ty::Option(inner) => Ty::Option(Box::new(boxed(*inner, cycle))),
        Ty::Tuple(items) => Ty::Tuple(items.into_iter().map(|t| boxed(t, cycle)).collect()),
        other => other,
    }
}

/// Boxes every inline reference that closes a cycle, and turns aliases on
/// a cycle into newtypes.
pub(super) fn box_cycles(space: &mut TypeSpace) {
    let all = components(space, false);
    // Aliases on a cycle: `type Tree = Vec<Tree>` is not valid Rust.
    let alias_cycles: Vec<String> = space
        .types
        .iter()
        .filter(|(name, def)| {
            matches!(def.kind, Kind::Alias(_)) && {
                let mine = all.get(*name);
                let mut targets = Vec::new();
                if let Kind::Alias(ty) = &def.kind {
                    all_targets(ty, &mut targets);
                }
                // In a strongly connected component, a member on a cycle
                // refers to a member of its own component.
                targets.iter().any(|t| all.get(t) == mine)
            }
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in alias_cycles {
        if let Some(def) = space.types.get_mut(&name) {
            if let Kind::Alias(ty) = &def.kind {
                def.kind = Kind::Newtype(ty.clone());
            }
        }
    }
    let inline = components(space, true);
    let names: Vec<String> = space.types.keys().cloned().collect();
    for name in names {
        let mine = inline.get(&name).copied();
        let cycle = |target: &str| {
            target == name || (mine.is_some() && inline.get(target).copied() == mine)
        };
        let Some(def) = space.types.get_mut(&name) else {
            continue;
        };
        match &mut def.kind {
            Kind::Struct {
                fields, flattened, ..
            } => {
                for field in fields.iter_mut() {
                    field.ty = boxed(field.ty.clone(), &cycle);
                }
                for (_, ty) in flattened.iter_mut() {
                    *ty = boxed(ty.clone(), &cycle);
                }
            }
            Kind::OneOf { variants, .. } => {
                for (_, ty) in variants.iter_mut() {
                    *ty = boxed(ty.clone(), &cycle);
                }
            }
            Kind::Newtype(ty) => *ty = boxed(ty.clone(), &cycle),
            _ => {}
        }
    }
}
