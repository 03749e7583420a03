//! Parameters, paired by location and name (headers in any case), path
//! parameters otherwise by their position in the template: `{id}` renamed
//! `{account_id}` is the same parameter. The model has already merged the
//! path item's parameters with the operation's, so a parameter hoisted to
//! the path item is where it was.

use specgate_spec::{Operation, Parameter, ParameterLocation, ParameterStyle, SchemaPart};

use crate::checks;
use crate::operations::{Context, Place, Sink};
use crate::schema::Side;
use crate::Target;

/// Whether two parameters are the same by location and name (headers
/// in any case, as HTTP reads them).
fn same_name(a: &Parameter, b: &Parameter) -> bool {
    a.location == b.location
        && match a.location {
            ParameterLocation::Header => a.name.eq_ignore_ascii_case(&b.name),
            _ => a.name == b.name,
        }
}

/// The position of a path parameter in its operation's template.
fn position(op: &Operation, parameter: &Parameter) -> Option<usize> {
    (parameter.location == ParameterLocation::Path)
        .then(|| {
            op.template
                .parameter_names()
                .iter()
                .position(|n| *n == parameter.name)
        })
        .flatten()
}

/// The new parameter an old one became: the same location and name, else
/// for a path parameter, the one at the same place in the template.
fn counterpart(
    old_op: &Operation,
    old: &Parameter,
    new_op: &Operation,
    paired: &[bool],
) -> Option<usize> {
    let free = |index: &usize| !paired[*index];
    (0..new_op.parameters.len())
        .filter(free)
        .find(|&i| same_name(old, &new_op.parameters[i]))
        .or_else(|| {
            let at = position(old_op, old)?;
            (0..new_op.parameters.len())
                .filter(free)
                .find(|&i| position(new_op, &new_op.parameters[i]) == Some(at))
        })
}

fn label(parameter: &Parameter) -> String {
    format!(
        "{} parameter `{}`",
        parameter.location.as_str(),
        parameter.name
    )
}

fn target(parameter: &Parameter) -> Target {
    Target::Parameter {
        location: parameter.location,
        name: parameter.name.clone(),
    }
}

pub(crate) fn compare<'a>(
    context: &mut Context<'a>,
    old: &'a Operation,
    new: &'a Operation,
    side: Side,
    sink: &mut Sink<'a>,
) {
    let mut paired = vec![false; new.parameters.len()];
    for old_parameter in &old.parameters {
        let Some(index) = counterpart(old, old_parameter, new, &paired) else {
            removed(old_parameter, new, sink);
            continue;
        };
        paired[index] = true;
        pair(context, old_parameter, &new.parameters[index], side, sink);
    }
    for (index, new_parameter) in new.parameters.iter().enumerate() {
        if paired[index] || new_parameter.location == ParameterLocation::Path {
            continue;
        }
        let moved_here = old.parameters.iter().any(|p| {
            p.name.eq_ignore_ascii_case(&new_parameter.name) && p.location != new_parameter.location
        });
        if moved_here {
            continue;
        }
        let check = if new_parameter.required {
            checks::REQUIRED_PARAMETER_ADDED
        } else {
            checks::OPTIONAL_PARAMETER_ADDED
        };
        sink.push(
            check,
            old.origin.clone(),
            new_parameter.origin.clone(),
            format!(
                "{} {} added",
                if new_parameter.required {
                    "required"
                } else {
                    "optional"
                },
                label(new_parameter)
            ),
            Target::Operation,
        );
    }
}

/// A parameter the new operation does not have where it was: moved to
/// another location, or gone.
fn removed(old_parameter: &Parameter, new: &Operation, sink: &mut Sink) {
    let moved = new.parameters.iter().find(|p| {
        p.name.eq_ignore_ascii_case(&old_parameter.name) && p.location != old_parameter.location
    });
    match moved {
        Some(moved) => sink.push(
            checks::PARAMETER_LOCATION_CHANGED,
            old_parameter.origin.clone(),
            moved.origin.clone(),
            format!(
                "{} moved to the {}",
                label(old_parameter),
                moved.location.as_str()
            ),
            target(old_parameter),
        ),
        None => sink.push(
            checks::PARAMETER_REMOVED,
            old_parameter.origin.clone(),
            new.origin.clone(),
            format!("{} removed", label(old_parameter)),
            target(old_parameter),
        ),
    }
}

fn pair<'a>(
    context: &mut Context<'a>,
    old: &'a Parameter,
    new: &'a Parameter,
    side: Side,
    sink: &mut Sink<'a>,
) {
    let origins = || (old.origin.clone(), new.origin.clone());
    if !old.required && new.required {
        let (o, n) = origins();
        sink.push(
            checks::PARAMETER_MADE_REQUIRED,
            o,
            n,
            format!("{} made required", label(new)),
            Target::Operation,
        );
    } else if old.required && !new.required {
        let (o, n) = origins();
        sink.push(
            checks::PARAMETER_MADE_OPTIONAL,
            o,
            n,
            format!("{} made optional", label(new)),
            target(old),
        );
    }
    // Style and explode change nothing on the wire for a primitive value
    // outside the path (where `matrix` and `label` prefix it).
    let structured = |p: &Parameter| {
        p.schema.as_ref().is_some_and(|s| {
            let t = context_primary_type(context, s, std::ptr::eq(p, old));
            matches!(t.as_deref(), Some("array" | "object"))
        })
    };
    let matters = structured(old) || structured(new) || old.location == ParameterLocation::Path;
    if matters && old.style != new.style {
        let (o, n) = origins();
        sink.push(
            checks::PARAMETER_STYLE_CHANGED,
            o,
            n,
            format!(
                "{}: style {} is now {}",
                label(new),
                style_name(old.style),
                style_name(new.style)
            ),
            target(old),
        );
    }
    if matters && old.explode != new.explode {
        let (o, n) = origins();
        sink.push(
            checks::PARAMETER_EXPLODE_CHANGED,
            o,
            n,
            format!(
                "{}: explode {} is now {}",
                label(new),
                old.explode,
                new.explode
            ),
            target(old),
        );
    }
    if let (Some(old_schema), Some(new_schema)) = (&old.schema, &new.schema) {
        let changes = context.schemas(side, old_schema, new_schema);
        let place = Place {
            label: label(new),
            side,
            parameter: true,
            target: target(old),
            parts: Some((
                SchemaPart::Parameter(old.location, old.name.clone()),
                SchemaPart::Parameter(new.location, new.name.clone()),
            )),
        };
        sink.schema_changes(&place, changes);
    }
    for (media, old_media) in &old.content {
        let Some(new_media) = new.content.get(media) else {
            continue;
        };
        if let (Some(o), Some(n)) = (&old_media.schema, &new_media.schema) {
            let changes = context.schemas(side, o, n);
            let place = Place {
                label: format!("{} ({media})", label(new)),
                side,
                parameter: true,
                target: target(old),
                parts: None,
            };
            sink.schema_changes(&place, changes);
        }
    }
}

fn context_primary_type(
    context: &Context,
    schema: &specgate_spec::Schema,
    in_old: bool,
) -> Option<String> {
    let document = if in_old { context.old } else { context.new };
    document.primary_type(&schema.value).map(str::to_owned)
}

fn style_name(style: ParameterStyle) -> &'static str {
    match style {
        ParameterStyle::Matrix => "matrix",
        ParameterStyle::Label => "label",
        ParameterStyle::Form => "form",
        ParameterStyle::Simple => "simple",
        ParameterStyle::SpaceDelimited => "spaceDelimited",
        ParameterStyle::PipeDelimited => "pipeDelimited",
        ParameterStyle::DeepObject => "deepObject",
        ParameterStyle::Cookie => "cookie",
    }
}
