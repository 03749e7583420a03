//! Checks over the whole model that become warnings: operation ids, path
//! templates, unused components.

use std::collections::{HashMap, HashSet};

use crate::files::Target;
use crate::model::{Operation, ParameterLocation};
use crate::pointer;
use crate::provenance::{FileId, Origin};
use crate::warning::{Warning, WarningKind};

/// Makes operation ids unique: the first keeps its id, later ones get `_2`,
/// `_3`; a declared duplicate is warned about.
pub(crate) fn unique_operation_ids<'a>(
    operations: impl Iterator<Item = &'a mut Operation>,
    warnings: &mut Vec<Warning>,
) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut first: HashMap<String, String> = HashMap::new();
    for operation in operations {
        if seen.insert(operation.operation_id.clone()) {
            first.insert(
                operation.operation_id.clone(),
                format!("{} {}", operation.method, operation.path),
            );
            continue;
        }
        let original = operation.operation_id.clone();
        let unique = (2..)
            .map(|n| format!("{original}_{n}"))
            .find(|candidate| !seen.contains(candidate))
            .unwrap_or_else(|| original.clone());
        if operation.operation_id_declared {
            warnings.push(Warning::new(
                WarningKind::DuplicateOperationId,
                format!(
                    "operationId `{original}` is also used by {}; this operation is called `{unique}`",
                    first.get(&original).map_or("another operation", String::as_str)
                ),
                Some(operation.origin.child("operationId")),
            ));
        }
        operation.operation_id_declared = false;
        seen.insert(unique.clone());
        operation.operation_id = unique;
    }
}

/// Path templates: balanced braces, `{name}`s that match the path
/// parameters, and no two templates that differ only in their names. Each
/// problem is reported once per path.
pub(crate) fn path_templates(operations: &[Operation], warnings: &mut Vec<Warning>) {
    let mut reported: HashSet<(String, String)> = HashSet::new();
    // Each template's shape (`/a/{}`), and the first path written that way.
    let mut shapes: HashMap<String, &str> = HashMap::new();
    for operation in operations {
        let path = &operation.path;
        let template = &operation.template;
        let path_origin = || Origin::new(FileId::ROOT, pointer::join("/paths", path));
        let first = *shapes.entry(template.shape()).or_insert(path.as_str());
        if first != path && reported.insert((path.clone(), "shape".into())) {
            warnings.push(Warning::new(
                WarningKind::EquivalentPaths,
                format!(
                    "`{path}` differs from `{first}` only in its parameters' names, so OpenAPI \
                     counts them as one path; a request for a method both have matches `{first}`"
                ),
                Some(path_origin()),
            ));
        }
        if !template.is_balanced() {
            if reported.insert((path.clone(), "{".into())) {
                warnings.push(Warning::new(
                    WarningKind::UnbalancedPathBraces,
                    format!("the braces of path `{path}` do not pair up"),
                    Some(path_origin()),
                ));
            }
            continue;
        }
        let names = template.parameter_names();
        for name in &names {
            if operation.parameter(name, ParameterLocation::Path).is_none()
                && reported.insert((path.clone(), (*name).to_owned()))
            {
                warnings.push(Warning::new(
                    WarningKind::UndeclaredPathParameter,
                    format!(
                        "`{{{name}}}` in `{path}` is declared by no path parameter of {} {path}",
                        operation.method
                    ),
                    Some(path_origin()),
                ));
            }
        }
        for parameter in &operation.parameters {
            if parameter.location == ParameterLocation::Path
                && !names.contains(&parameter.name.as_str())
                && reported.insert((path.clone(), format!("param:{}", parameter.name)))
            {
                warnings.push(Warning::new(
                    WarningKind::UnusedPathParameter,
                    format!(
                        "path parameter `{}` does not appear in the template `{path}`",
                        parameter.name
                    ),
                    Some(parameter.origin.clone()),
                ));
            }
        }
    }
}

/// Components of the root document that no `$ref` reaches (and security
/// schemes that no requirement names). `components` lists (kind, name).
pub(crate) fn unused_components(
    components: &[(String, String)],
    referenced: &HashSet<Target>,
    required_schemes: &HashSet<String>,
    warnings: &mut Vec<Warning>,
) {
    for (kind, name) in components {
        let at = pointer::join_all("/components", [kind.as_str(), name.as_str()]);
        let used = if kind == "securitySchemes" {
            required_schemes.contains(name)
        } else {
            referenced.contains(&Target {
                file: FileId::ROOT,
                pointer: at.clone(),
            })
        };
        if !used {
            warnings.push(Warning::new(
                WarningKind::UnusedComponent,
                format!(
                    "{} `{name}` is declared but nothing refers to it",
                    singular(kind)
                ),
                Some(Origin::new(FileId::ROOT, at)),
            ));
        }
    }
}

/// One warning per unknown format, not one per use: a document that uses
/// `format: URL` 300 times has one thing to fix. The first use keeps its
/// place; the message says how many there are.
pub(crate) fn collapse_unknown_formats(warnings: &mut Vec<Warning>) {
    let mut uses: HashMap<String, usize> = HashMap::new();
    for warning in warnings
        .iter()
        .filter(|w| w.kind == WarningKind::UnknownFormat)
    {
        *uses.entry(warning.message.clone()).or_default() += 1;
    }
    let mut seen = HashSet::new();
    warnings.retain_mut(|warning| {
        if warning.kind != WarningKind::UnknownFormat {
            return true;
        }
        if !seen.insert(warning.message.clone()) {
            return false;
        }
        if let Some(&count) = uses.get(&warning.message) {
            if count > 1 {
                warning.message = format!("{} ({count} uses; the first is here)", warning.message);
            }
        }
        true
    });
}

/// `schemas` → `schema`, for messages.
fn singular(kind: &str) -> &str {
    match kind {
        "schemas" => "schema",
        "parameters" => "parameter",
        "responses" => "response",
        "requestBodies" => "request body",
        "headers" => "header",
        "examples" => "example",
        "securitySchemes" => "security scheme",
        "links" => "link",
        "callbacks" => "callback",
        "pathItems" => "path item",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_repeated_unknown_formats() {
        let warning = |kind, message: &str, pointer: &str| {
            Warning::new(kind, message, Some(Origin::new(FileId::ROOT, pointer)))
        };
        let mut warnings = vec![
            warning(WarningKind::UnknownFormat, "format `URL` is unknown", "/a"),
            warning(WarningKind::UnusedComponent, "x", "/b"),
            warning(WarningKind::UnknownFormat, "format `URL` is unknown", "/c"),
            warning(WarningKind::UnknownFormat, "format `slug` is unknown", "/d"),
        ];
        collapse_unknown_formats(&mut warnings);
        let left: Vec<_> = warnings
            .iter()
            .map(|w| {
                (
                    w.message.as_str(),
                    w.origin.as_ref().map(|o| o.pointer.as_str()),
                )
            })
            .collect();
        assert_eq!(
            left,
            [
                (
                    "format `URL` is unknown (2 uses; the first is here)",
                    Some("/a")
                ),
                ("x", Some("/b")),
                ("format `slug` is unknown", Some("/d")),
            ]
        );
    }
}
