//! One operation against what it became: its flags, parameters, bodies,
//! responses and security. Each change is reported once per operation,
//! however many places of the operation reach the changed schema.

use std::collections::HashMap;

use specgate_spec::{Document, Operation, Origin, SchemaPart};

use crate::checks::{self, Check};
use crate::schema::{Comparer, SchemaChange, SchemaChangeKind, Side};
use crate::{Change, Probe, Target};

/// Where in an exchange a schema sits, for the checks and messages.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// How the message names it: `response 200 application/json`.
    pub label: String,
    pub side: Side,
    /// A parameter's own schema, rated by the parameter checks.
    pub parameter: bool,
    pub target: Target,
    /// The part of the operation in each document, where a witness of a
    /// change can be searched.
    pub parts: Option<(SchemaPart, SchemaPart)>,
}

/// The two documents and the comparers that remember their schemas'
/// comparisons across operations.
pub(crate) struct Context<'a> {
    pub old: &'a Document,
    pub new: &'a Document,
    sent: Comparer<'a>,
    received: Comparer<'a>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(old: &'a Document, new: &'a Document) -> Self {
        Context {
            old,
            new,
            sent: Comparer::new(old, new, Side::Sent),
            received: Comparer::new(old, new, Side::Received),
        }
    }

    /// The schema changes between two schemas on one side.
    pub(crate) fn schemas(
        &mut self,
        side: Side,
        old: &'a specgate_spec::Schema,
        new: &'a specgate_spec::Schema,
    ) -> Vec<SchemaChange> {
        let comparer = match side {
            Side::Sent => &mut self.sent,
            Side::Received => &mut self.received,
        };
        comparer.compare(&old.value, &old.origin, &new.value, &new.origin)
    }

    /// The schema changes between two media types' schemas, one of which
    /// may be absent: a media type without a schema takes anything, so
    /// one that gains a schema (`{}` to `type: object`) narrows.
    pub(crate) fn media_schemas(
        &mut self,
        side: Side,
        old: &'a specgate_spec::MediaType,
        new: &'a specgate_spec::MediaType,
    ) -> Vec<SchemaChange> {
        /// What a media type without a schema accepts.
        static ANYTHING: serde_json::Value = serde_json::Value::Bool(true);
        let comparer = match side {
            Side::Sent => &mut self.sent,
            Side::Received => &mut self.received,
        };
        let (old_value, old_origin) = match &old.schema {
            Some(schema) => (&schema.value, &schema.origin),
            None => (&ANYTHING, &old.origin),
        };
        let (new_value, new_origin) = match &new.schema {
            Some(schema) => (&schema.value, &schema.origin),
            None => (&ANYTHING, &new.origin),
        };
        comparer.compare(old_value, old_origin, new_value, new_origin)
    }

    /// Compares a paired operation; webhooks are read with the sides
    /// reversed (the API sends the request, the client answers).
    pub(crate) fn operation(
        &mut self,
        old: &'a Operation,
        new: &'a Operation,
        webhook: bool,
        out: &mut Vec<Change>,
    ) {
        let mut sink = Sink::new(old, new, webhook);
        if !old.deprecated && new.deprecated {
            sink.push(
                checks::OPERATION_DEPRECATED,
                old.origin.clone(),
                new.origin.clone(),
                format!("`{} {}` is deprecated", new.method, new.path),
                Target::Operation,
            );
        }
        if old.operation_id_declared
            && new.operation_id_declared
            && old.operation_id != new.operation_id
        {
            sink.push(
                checks::OPERATION_ID_CHANGED,
                old.origin.clone(),
                new.origin.clone(),
                format!(
                    "operationId `{}` is now `{}`",
                    old.operation_id, new.operation_id
                ),
                Target::Operation,
            );
        }
        let (sent, received) = if webhook {
            (Side::Received, Side::Sent)
        } else {
            (Side::Sent, Side::Received)
        };
        crate::parameters::compare(self, old, new, sent, &mut sink);
        crate::bodies::request(self, old, new, sent, &mut sink);
        crate::bodies::responses(self, old, new, received, &mut sink);
        if !webhook {
            crate::security::compare(self, old, new, &mut sink);
        }
        out.extend(sink.finish());
    }
}

/// The changes of one operation, each once.
pub(crate) struct Sink<'a> {
    old: &'a Operation,
    new: &'a Operation,
    webhook: bool,
    /// By check, elements of both documents and what changed: the index
    /// of the change already reported.
    seen: HashMap<(&'static str, Origin, Origin, String), usize>,
    /// Per change, the other places the same change was reached at (a
    /// shared schema used in several places of one operation).
    also: Vec<Vec<String>>,
    /// Per change, the part of the exchange and the instance path it was
    /// first reported at.
    places: Vec<(String, String)>,
    changes: Vec<Change>,
}

/// At most this many other places are named in one change's message.
const ALSO_NAMED: usize = 8;

impl<'a> Sink<'a> {
    fn new(old: &'a Operation, new: &'a Operation, webhook: bool) -> Self {
        Sink {
            old,
            new,
            webhook,
            seen: HashMap::new(),
            also: Vec::new(),
            places: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// The changes, each naming every place of the operation it was
    /// reached at.
    pub(crate) fn finish(self) -> Vec<Change> {
        let mut changes = self.changes;
        for (change, also) in changes.iter_mut().zip(self.also) {
            if also.is_empty() {
                continue;
            }
            let mut named: Vec<String> = also.iter().take(ALSO_NAMED).cloned().collect();
            if also.len() > ALSO_NAMED {
                named.push(format!("{} more", also.len() - ALSO_NAMED));
            }
            change.message = format!("{} (also at {})", change.message, named.join(", "));
        }
        changes
    }

    /// Adds a change, unless the same check already reported the same
    /// elements of both documents for this operation.
    pub(crate) fn push(
        &mut self,
        check: &'static Check,
        old: Origin,
        new: Origin,
        message: String,
        target: Target,
    ) {
        let key = (check.id, old.clone(), new.clone(), message.clone());
        self.add(key, check, (old, new), message, target, None, None);
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        key: (&'static str, Origin, Origin, String),
        check: &'static Check,
        (old, new): (Origin, Origin),
        message: String,
        target: Target,
        place: Option<(String, String)>,
        probe: Option<Probe>,
    ) {
        if let Some(&index) = self.seen.get(&key) {
            if let Some((label, path)) = place {
                // Another place of the operation reaches the same change:
                // named by its instance path, and by its part of the
                // exchange when that differs (a header of another status).
                let entry = match (label == self.places[index].0, path.is_empty()) {
                    (true, _) => format!("`{path}`"),
                    (false, true) => label,
                    (false, false) => format!("{label} `{path}`"),
                };
                let also = &mut self.also[index];
                if !also.contains(&entry) && self.changes[index].message != message {
                    also.push(entry);
                }
            }
            return;
        }
        self.seen.insert(key, self.changes.len());
        self.also.push(Vec::new());
        self.places.push(place.unwrap_or_default());
        self.changes.push(Change {
            check,
            level: check.level,
            method: Some(self.new.method),
            path: self.new.path.clone(),
            webhook: self.webhook,
            old_operation_id: Some(self.old.operation_id.clone()),
            old_path: Some(self.old.path.clone()),
            old: Some(old),
            new: Some(new),
            message,
            target,
            probe,
            witness: None,
        });
    }

    /// Adds the schema changes found at a place of the exchange.
    pub(crate) fn schema_changes(&mut self, place: &Place, changes: Vec<SchemaChange>) {
        for change in changes {
            let check = rate(&change.effective_kind(), place.side, place.parameter);
            let path = change.path();
            let within = if change.within.is_empty() {
                String::new()
            } else {
                format!(" (in `{}`)", change.within.join("/"))
            };
            let what = format!("{}{within}", describe(&change.kind, ""));
            let message = format!("{}: {}{within}", place.label, describe(&change.kind, &path));
            let target = match &place.target {
                Target::RequestBody { .. } => Target::RequestBody {
                    at: instance_path(&change),
                },
                Target::ResponseBody { status, .. } => Target::ResponseBody {
                    status: *status,
                    at: instance_path(&change),
                },
                other => other.clone(),
            };
            let probe = match (&place.parts, &change.kind) {
                // A default changes no instance's acceptance; a webhook's
                // payloads are checked by no validator.
                (_, SchemaChangeKind::DefaultChanged { .. }) => None,
                _ if self.webhook => None,
                (Some((old_part, new_part)), _) => Some(Probe {
                    new_operation_id: self.new.operation_id.clone(),
                    old_part: old_part.clone(),
                    new_part: new_part.clone(),
                    at: change.at.clone(),
                    sent: place.side == Side::Sent,
                }),
                (None, _) => None,
            };
            let key = (check.id, change.old.clone(), change.new.clone(), what);
            self.add(
                key,
                check,
                (change.old, change.new),
                message,
                target,
                Some((place.label.clone(), path)),
                probe,
            );
        }
    }
}

/// The instance path whose presence in a recorded body means the change
/// touches it: the property for most changes, its parent for an added one
/// (every body that has the parent lacks the new member).
fn instance_path(change: &SchemaChange) -> Vec<String> {
    let mut at = change.at.clone();
    if matches!(change.kind, SchemaChangeKind::PropertyAdded { .. }) {
        at.pop();
    }
    at
}

/// The check a schema change falls under, by the side of the exchange.
fn rate(kind: &SchemaChangeKind, side: Side, parameter: bool) -> &'static Check {
    use SchemaChangeKind as K;
    match side {
        Side::Sent if parameter => match kind {
            K::TypeChanged { .. } | K::TypeNarrowed { .. } | K::NullableRemoved => {
                checks::PARAMETER_TYPE_CHANGED
            }
            K::TypeWidened { .. } | K::NullableAdded => checks::PARAMETER_TYPE_WIDENED,
            K::EnumAdded { .. } => checks::PARAMETER_ENUM_WIDENED,
            K::EnumRemoved { .. } | K::ConstChanged { .. } => checks::PARAMETER_ENUM_NARROWED,
            K::FormatChanged { .. } => checks::PARAMETER_FORMAT_CHANGED,
            K::Tightened { .. } | K::OneOfOverlap { added: true, .. } => {
                checks::PARAMETER_CONSTRAINT_TIGHTENED
            }
            K::Loosened { .. } | K::OneOfOverlap { added: false, .. } => {
                checks::PARAMETER_CONSTRAINT_LOOSENED
            }
            K::Changed { .. } => checks::PARAMETER_CONSTRAINT_CHANGED,
            K::DefaultChanged { .. } => checks::PARAMETER_DEFAULT_CHANGED,
            other => rate(other, side, false),
        },
        Side::Sent => match kind {
            K::TypeChanged { .. } | K::TypeNarrowed { .. } | K::NullableRemoved => {
                checks::REQUEST_PROPERTY_TYPE_CHANGED
            }
            K::TypeWidened { .. } | K::NullableAdded => checks::REQUEST_PROPERTY_TYPE_WIDENED,
            K::EnumRemoved { .. } | K::ConstChanged { .. } => checks::REQUEST_ENUM_NARROWED,
            K::EnumAdded { .. } => checks::REQUEST_ENUM_WIDENED,
            K::FormatChanged { .. } => checks::REQUEST_FORMAT_CHANGED,
            K::Tightened { .. } | K::OneOfOverlap { added: true, .. } => {
                checks::REQUEST_CONSTRAINT_TIGHTENED
            }
            K::Loosened { .. } | K::OneOfOverlap { added: false, .. } => {
                checks::REQUEST_CONSTRAINT_LOOSENED
            }
            K::Changed { .. } => checks::REQUEST_CONSTRAINT_CHANGED,
            K::DefaultChanged { .. } => checks::REQUEST_DEFAULT_CHANGED,
            K::PropertyAdded { required: true, .. } => checks::REQUEST_REQUIRED_PROPERTY_ADDED,
            K::PropertyAdded {
                required: false, ..
            } => checks::REQUEST_OPTIONAL_PROPERTY_ADDED,
            K::PropertyRemoved { .. } => checks::REQUEST_PROPERTY_REMOVED,
            K::MadeRequired { .. } => checks::REQUEST_PROPERTY_MADE_REQUIRED,
            K::MadeOptional { .. } => checks::REQUEST_PROPERTY_MADE_OPTIONAL,
            K::BranchRemoved { .. } => checks::REQUEST_SCHEMA_BRANCH_REMOVED,
            K::BranchAdded { .. } => checks::REQUEST_SCHEMA_BRANCH_ADDED,
        },
        Side::Received => match kind {
            K::TypeChanged { .. } => checks::RESPONSE_PROPERTY_TYPE_CHANGED,
            K::TypeWidened { .. } => checks::RESPONSE_TYPE_WIDENED,
            K::TypeNarrowed { .. } | K::NullableRemoved => checks::RESPONSE_TYPE_NARROWED,
            K::NullableAdded => checks::RESPONSE_PROPERTY_MADE_NULLABLE,
            K::EnumAdded { .. } => checks::RESPONSE_ENUM_VALUE_ADDED,
            K::EnumRemoved { .. } => checks::RESPONSE_ENUM_VALUE_REMOVED,
            K::ConstChanged { .. } => checks::RESPONSE_CONST_CHANGED,
            K::FormatChanged { .. } => checks::RESPONSE_FORMAT_CHANGED,
            K::Tightened { .. } | K::OneOfOverlap { added: true, .. } => {
                checks::RESPONSE_CONSTRAINT_TIGHTENED
            }
            K::Loosened { .. } | K::OneOfOverlap { added: false, .. } => {
                checks::RESPONSE_CONSTRAINT_LOOSENED
            }
            K::Changed { .. } | K::DefaultChanged { .. } => checks::RESPONSE_CONSTRAINT_CHANGED,
            K::PropertyAdded { required: true, .. } => checks::RESPONSE_REQUIRED_PROPERTY_ADDED,
            K::PropertyAdded {
                required: false, ..
            } => checks::RESPONSE_OPTIONAL_PROPERTY_ADDED,
            K::PropertyRemoved { required: true, .. } => checks::RESPONSE_REQUIRED_PROPERTY_REMOVED,
            K::PropertyRemoved {
                required: false, ..
            } => checks::RESPONSE_OPTIONAL_PROPERTY_REMOVED,
            K::MadeOptional { .. } => checks::RESPONSE_PROPERTY_MADE_OPTIONAL,
            K::MadeRequired { .. } => checks::RESPONSE_PROPERTY_MADE_REQUIRED,
            K::BranchAdded { .. } => checks::RESPONSE_SCHEMA_BRANCH_ADDED,
            K::BranchRemoved { .. } => checks::RESPONSE_SCHEMA_BRANCH_REMOVED,
        },
    }
}

/// What changed, in words; `path` is the instance path of the change.
fn describe(kind: &SchemaChangeKind, path: &str) -> String {
    use SchemaChangeKind as K;
    let at = if path.is_empty() {
        String::new()
    } else {
        format!("`{path}` ")
    };
    let values = |values: &[serde_json::Value]| -> String {
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let value = |v: &Option<serde_json::Value>| match v {
        Some(v) => format!("`{v}`"),
        None => "none".to_owned(),
    };
    match kind {
        K::TypeChanged { old, new } => format!("{at}type changed from {old} to {new}"),
        K::TypeWidened { old, new } => format!("{at}type widened from {old} to {new}"),
        K::TypeNarrowed { old, new } => format!("{at}type narrowed from {old} to {new}"),
        K::NullableAdded => format!("{at}may now be null"),
        K::NullableRemoved => format!("{at}may no longer be null"),
        K::EnumAdded {
            restriction_lifted: true,
            ..
        } => format!("{at}no longer restricted to an enum"),
        K::EnumAdded { values: v, .. } => format!("{at}enum values added: {}", values(v)),
        K::EnumRemoved {
            values: v,
            new_restriction: true,
        } => format!("{at}now restricted to the enum {}", values(v)),
        K::EnumRemoved { values: v, .. } => format!("{at}enum values removed: {}", values(v)),
        K::FormatChanged { old, new } => format!(
            "{at}format changed from {} to {}",
            old.as_deref().unwrap_or("none"),
            new.as_deref().unwrap_or("none")
        ),
        K::ConstChanged { old, new } => format!("{at}const changed from `{old}` to `{new}`"),
        K::Changed { keyword, old, new } => format!(
            "{at}{keyword} changed from {} to {}",
            value(old),
            value(new)
        ),
        K::DefaultChanged { old, new } => {
            format!("{at}default changed from {} to {}", value(old), value(new))
        }
        K::Tightened { keyword, old, new } => format!(
            "{at}{keyword} tightened from {} to {}",
            value(old),
            value(new)
        ),
        K::Loosened { keyword, old, new } => format!(
            "{at}{keyword} loosened from {} to {}",
            value(old),
            value(new)
        ),
        K::PropertyAdded { required, .. } => format!(
            "{} property `{path}` added",
            if *required { "required" } else { "optional" }
        ),
        K::PropertyRemoved { required, .. } => format!(
            "{} property `{path}` removed",
            if *required { "required" } else { "optional" }
        ),
        K::MadeRequired { .. } => format!("property `{path}` made required"),
        K::MadeOptional { .. } => format!("property `{path}` made optional"),
        K::BranchAdded { name } => format!("{at}alternative {name} added"),
        K::OneOfOverlap {
            added: true,
            name,
            other,
        } => format!(
            "{at}oneOf alternatives {name} and {other} can both match: an instance matching both is refused"
        ),
        K::OneOfOverlap {
            added: false,
            name,
            other,
        } => format!(
            "{at}oneOf alternatives {name} and {other}, which could both match, are no longer both there: an instance matching both is no longer refused"
        ),
        K::BranchRemoved { name } => format!("{at}alternative {name} removed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_side_decides_the_level() {
        let widened = SchemaChangeKind::TypeWidened {
            old: "integer".into(),
            new: "integer or string".into(),
        };
        assert_eq!(rate(&widened, Side::Sent, false).level, crate::Level::Info);
        assert_eq!(
            rate(&widened, Side::Received, false).level,
            crate::Level::Breaking
        );
        assert_eq!(
            rate(&widened, Side::Sent, true),
            checks::PARAMETER_TYPE_WIDENED
        );
    }

    #[test]
    fn messages_name_the_property_path() {
        let removed = SchemaChangeKind::PropertyRemoved {
            name: "all_count".into(),
            required: true,
        };
        assert_eq!(
            describe(&removed, "data.meta.all_count"),
            "required property `data.meta.all_count` removed"
        );
        let nullable = SchemaChangeKind::NullableAdded;
        assert_eq!(describe(&nullable, ""), "may now be null");
    }
}
