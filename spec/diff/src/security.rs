//! Security: the requirements that apply to an operation (its own, else
//! the document's), each a set of schemes with scopes, any one of which
//! suffices; and the schemes they name, whose change of how credentials
//! are sent breaks every operation using them.

use specgate_spec::{Operation, SecurityRequirement, SecuritySchemeKind};

use crate::checks;
use crate::operations::{Context, Sink};
use crate::Target;

/// Whether an operation can be called without credentials.
fn open(requirements: &[SecurityRequirement]) -> bool {
    requirements.is_empty() || requirements.iter().any(|r| r.schemes.is_empty())
}

fn names(requirement: &SecurityRequirement) -> String {
    requirement
        .schemes
        .keys()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub(crate) fn compare(context: &Context, old: &Operation, new: &Operation, sink: &mut Sink) {
    let origins = || (old.origin.clone(), new.origin.clone());
    let (was_open, is_open) = (open(&old.security), open(&new.security));
    if was_open && !is_open {
        let (o, n) = origins();
        let required: Vec<String> = new.security.iter().map(names).collect();
        sink.push(
            checks::SECURITY_ADDED,
            o,
            n,
            format!("authentication is now required: {}", required.join(" or ")),
            Target::Operation,
        );
        return;
    }
    if !was_open && is_open {
        let (o, n) = origins();
        sink.push(
            checks::SECURITY_REMOVED,
            o,
            n,
            "authentication is no longer required".to_owned(),
            Target::Operation,
        );
        return;
    }
    let mut matched = vec![false; new.security.len()];
    for requirement in old.security.iter().filter(|r| !r.schemes.is_empty()) {
        let same = new.security.iter().position(|n| {
            n.schemes.len() == requirement.schemes.len()
                && requirement
                    .schemes
                    .keys()
                    .all(|k| n.schemes.contains_key(k))
        });
        if let Some(index) = same {
            matched[index] = true;
            scopes(requirement, &new.security[index], old, new, sink);
            continue;
        }
        let wider = new.security.iter().position(|n| {
            requirement
                .schemes
                .keys()
                .all(|k| n.schemes.contains_key(k))
        });
        let (o, n) = origins();
        match wider {
            Some(index) => {
                matched[index] = true;
                let added: Vec<String> = new.security[index]
                    .schemes
                    .keys()
                    .filter(|k| !requirement.schemes.contains_key(*k))
                    .map(|k| format!("`{k}`"))
                    .collect();
                sink.push(
                    checks::SECURITY_SCHEME_ADDED_TO_REQUIREMENT,
                    o,
                    n,
                    format!("{} now also needs {}", names(requirement), added.join(", ")),
                    Target::Operation,
                );
            }
            None => sink.push(
                checks::SECURITY_ALTERNATIVE_REMOVED,
                o,
                n,
                format!("{} is no longer accepted", names(requirement)),
                Target::Operation,
            ),
        }
    }
    for (index, requirement) in new.security.iter().enumerate() {
        if matched[index] || requirement.schemes.is_empty() {
            continue;
        }
        let (o, n) = origins();
        sink.push(
            checks::SECURITY_ALTERNATIVE_ADDED,
            o,
            n,
            format!("{} is accepted", names(requirement)),
            Target::Operation,
        );
    }
    schemes(context, old, new, sink);
}

fn scopes(
    old_requirement: &SecurityRequirement,
    new_requirement: &SecurityRequirement,
    old: &Operation,
    new: &Operation,
    sink: &mut Sink,
) {
    for (scheme, old_scopes) in &old_requirement.schemes {
        let Some(new_scopes) = new_requirement.schemes.get(scheme) else {
            continue;
        };
        let added: Vec<&String> = new_scopes
            .iter()
            .filter(|s| !old_scopes.contains(s))
            .collect();
        let removed: Vec<&String> = old_scopes
            .iter()
            .filter(|s| !new_scopes.contains(s))
            .collect();
        if !added.is_empty() {
            sink.push(
                checks::SECURITY_SCOPES_ADDED,
                old.origin.clone(),
                new.origin.clone(),
                format!("`{scheme}` now needs scopes {}", quoted(&added)),
                Target::Operation,
            );
        }
        if !removed.is_empty() {
            sink.push(
                checks::SECURITY_SCOPES_REMOVED,
                old.origin.clone(),
                new.origin.clone(),
                format!("`{scheme}` no longer needs scopes {}", quoted(&removed)),
                Target::Operation,
            );
        }
    }
}

fn quoted(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The schemes the operation used before and still uses, compared by how
/// credentials are sent (descriptions and scope texts aside).
fn schemes(context: &Context, old: &Operation, new: &Operation, sink: &mut Sink) {
    let used = old
        .security
        .iter()
        .flat_map(|r| r.schemes.keys())
        .filter(|name| new.security.iter().any(|r| r.schemes.contains_key(*name)));
    let mut seen = std::collections::HashSet::new();
    for name in used {
        if !seen.insert(name) {
            continue;
        }
        let (Some(o), Some(n)) = (
            context.old.security_schemes.get(name),
            context.new.security_schemes.get(name),
        ) else {
            continue;
        };
        if let Some(what) = sent_differently(&o.kind, &n.kind) {
            sink.push(
                checks::SECURITY_SCHEME_CHANGED,
                o.origin.clone(),
                n.origin.clone(),
                format!("security scheme `{name}`: {what}"),
                Target::Operation,
            );
        }
    }
}

/// How a scheme's credentials are now sent differently, if they are.
fn sent_differently(old: &SecuritySchemeKind, new: &SecuritySchemeKind) -> Option<String> {
    use SecuritySchemeKind as K;
    match (old, new) {
        (
            K::ApiKey {
                name: on,
                location: ol,
            },
            K::ApiKey {
                name: nn,
                location: nl,
            },
        ) => (on != nn || ol != nl).then(|| {
            format!(
                "the key was {} `{on}`, is {} `{nn}`",
                ol.as_str(),
                nl.as_str()
            )
        }),
        (K::Http { scheme: o, .. }, K::Http { scheme: n, .. }) => {
            (o != n).then(|| format!("HTTP scheme `{o}` is now `{n}`"))
        }
        (K::OAuth2 { flows: o }, K::OAuth2 { flows: n }) => {
            let changed = o.len() != n.len()
                || o.iter().any(|(flow, of)| {
                    n.get(flow).is_none_or(|nf| {
                        of.authorization_url != nf.authorization_url || of.token_url != nf.token_url
                    })
                });
            changed.then(|| "its OAuth flows changed".to_owned())
        }
        (K::OpenIdConnect { url: o }, K::OpenIdConnect { url: n }) => {
            (o != n).then(|| format!("discovery URL `{o}` is now `{n}`"))
        }
        (K::MutualTls, K::MutualTls) => None,
        _ => Some("its type changed".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_requirement_leaves_an_operation_open() {
        assert!(open(&[]));
        assert!(open(&[SecurityRequirement::default()]));
        let mut key = SecurityRequirement::default();
        key.schemes.insert("api_key".into(), Vec::new());
        assert!(!open(&[key]));
    }
}
