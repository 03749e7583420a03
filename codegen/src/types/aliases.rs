//! Type aliases as a reader meets them: an alias of an alias names what
//! the last one names (`DatabaseMongoDbLabel = String`, not
//! `= DatabaseLabel`), and an optional use of an alias that is already an
//! `Option` (a nullable schema, optional where it is used) is one
//! `Option`: plain serde never fills the outer one of two with
//! `Some(None)`, so `Option<Option<T>>` would promise what it cannot keep.

use std::collections::{HashMap, HashSet};

use super::{Kind, Ty, TypeSpace};

/// Flattens alias chains and folds optional uses of optional aliases,
/// everywhere a type is used.
pub(super) fn simplify(space: &mut TypeSpace) {
    let targets: HashMap<String, Ty> = space
        .types
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            Kind::Alias(target) => Some((name.clone(), target.clone())),
            _ => None,
        })
        .collect();
    if targets.is_empty() {
        return;
    }
    let resolved: HashMap<String, Ty> = targets
        .keys()
        .map(|name| (name.clone(), last_target(name, &targets)))
        .collect();
    for def in space.types.values_mut() {
        if let Kind::Alias(target) = &mut def.kind {
            if let Ty::Named(next) = target {
                if let Some(last) = resolved.get(next.as_str()) {
                    *target = last.clone();
                }
            }
        }
        for ty in def.kind.types_mut() {
            fold_options(ty, &resolved);
        }
    }
    for ty in space
        .operation_types
        .values_mut()
        .chain(space.component_types.values_mut())
    {
        fold_options(ty, &resolved);
    }
}

/// What an alias names at the end of its chain: the first target that is
/// not itself an alias (or the alias that closes a cycle, left as it is).
fn last_target(name: &str, targets: &HashMap<String, Ty>) -> Ty {
    let mut seen = HashSet::from([name]);
    let mut current = match targets.get(name) {
        Some(target) => target,
        None => return Ty::Named(name.to_owned()),
    };
    while let Ty::Named(next) = current {
        match targets.get(next.as_str()) {
            Some(target) if seen.insert(next.as_str()) => current = target,
            _ => break,
        }
    }
    current.clone()
}

/// `Option<A>` where `A` is an alias of an `Option`: the alias's own
/// `Option`, once.
fn fold_options(ty: &mut Ty, resolved: &HashMap<String, Ty>) {
    match ty {
        Ty::Option(inner) => {
            if let Ty::Named(name) = inner.as_ref() {
                if let Some(last @ Ty::Option(_)) = resolved.get(name.as_str()) {
                    *ty = last.clone();
                    return;
                }
            }
            fold_options(inner, resolved);
        }
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Box(inner) => fold_options(inner, resolved),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| fold_options(t, resolved)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(pairs: &[(&str, Ty)]) -> HashMap<String, Ty> {
        pairs
            .iter()
            .map(|(name, ty)| ((*name).to_owned(), ty.clone()))
            .collect()
    }

    #[test]
    fn a_chain_ends_at_what_its_last_alias_names() {
        let targets = aliases(&[
            ("A", Ty::Named("B".into())),
            ("B", Ty::Named("C".into())),
            ("C", Ty::String),
            ("Loop", Ty::Named("Loop2".into())),
            ("Loop2", Ty::Named("Loop".into())),
        ]);
        assert_eq!(last_target("A", &targets), Ty::String);
        assert_eq!(last_target("Loop", &targets), Ty::Named("Loop".into()));
    }

    #[test]
    fn an_optional_use_of_an_optional_alias_is_one_option() {
        let resolved = aliases(&[
            ("Tags", Ty::Option(Box::new(Ty::Vec(Box::new(Ty::String))))),
            ("Name", Ty::String),
        ]);
        let mut field = Ty::Option(Box::new(Ty::Named("Tags".into())));
        fold_options(&mut field, &resolved);
        assert_eq!(field, Ty::Option(Box::new(Ty::Vec(Box::new(Ty::String)))));
        let mut plain = Ty::Option(Box::new(Ty::Named("Name".into())));
        fold_options(&mut plain, &resolved);
        assert_eq!(plain, Ty::Option(Box::new(Ty::Named("Name".into()))));
    }
}
