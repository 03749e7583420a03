//! Two schemas compared as what they accept, not as text: references are
//! followed on both sides (a schema moved into `components`, renamed or
//! inlined is the same schema), `allOf` members are merged (a property
//! moved into a member is where it was), a `null` alternative is
//! nullability, and defaults spelled out are the defaults. Every keyword
//! of JSON Schema 2020-12 is read through one table ([`keywords`]), which
//! says which way each accepts more. What differs comes out as
//! [`SchemaChange`]s, which the caller rates by the side of the exchange
//! the schema is on (and, under `not`, the other way round).

mod compare;
mod implied;
pub mod keywords;
mod view;

pub(crate) use compare::Comparer;

use serde_json::Value;
use specgate_spec::Origin;

/// Which side of the exchange a schema describes: what the client sends,
/// or what it receives. `readOnly` members are not sent, `writeOnly`
/// members not received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    Sent,
    Received,
}

/// What changed at one place of a schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SchemaChangeKind {
    /// The types accepted are neither more nor fewer: different.
    TypeChanged {
        old: String,
        new: String,
    },
    /// Every old type is still accepted, and more.
    TypeWidened {
        old: String,
        new: String,
    },
    /// Fewer types are accepted.
    TypeNarrowed {
        old: String,
        new: String,
    },
    NullableAdded,
    NullableRemoved,
    /// Enum values added; `restriction_lifted` when the new schema has no
    /// enum at all.
    EnumAdded {
        values: Vec<Value>,
        restriction_lifted: bool,
    },
    /// Enum values removed; `new_restriction` when the old schema had no
    /// enum at all.
    EnumRemoved {
        values: Vec<Value>,
        new_restriction: bool,
    },
    /// The one value allowed (`const`, or an enum of one) is another.
    ConstChanged {
        old: Value,
        new: Value,
    },
    /// Formats neither of which covers the other.
    FormatChanged {
        old: Option<String>,
        new: Option<String>,
    },
    /// A keyword now accepts fewer instances.
    Tightened {
        keyword: &'static str,
        old: Option<Value>,
        new: Option<Value>,
    },
    /// A keyword now accepts more instances.
    Loosened {
        keyword: &'static str,
        old: Option<Value>,
        new: Option<Value>,
    },
    /// A keyword changed in a way the comparer cannot rate (two unrelated
    /// patterns, an `if` condition, a hint such as `contentMediaType`).
    Changed {
        keyword: &'static str,
        old: Option<Value>,
        new: Option<Value>,
    },
    /// The value a server assumes when none is sent.
    DefaultChanged {
        old: Option<Value>,
        new: Option<Value>,
    },
    PropertyAdded {
        name: String,
        required: bool,
    },
    PropertyRemoved {
        name: String,
        required: bool,
    },
    MadeRequired {
        name: String,
    },
    MadeOptional {
        name: String,
    },
    BranchAdded {
        name: String,
    },
    BranchRemoved {
        name: String,
    },
    /// Two alternatives of a `oneOf` that an instance can match both of,
    /// which `oneOf` then refuses: `added` when the new document has the
    /// pair (it refuses what matched one before), else when the old one
    /// had it (the new accepts what was refused).
    OneOfOverlap {
        added: bool,
        name: String,
        other: String,
    },
}

impl SchemaChangeKind {
    /// The change that accepts the opposite: how a change inside `not`
    /// is rated (a `not` whose schema accepts more accepts less).
    pub(crate) fn opposite(&self) -> SchemaChangeKind {
        use SchemaChangeKind as K;
        let swap = |old: &Option<Value>, new: &Option<Value>| (new.clone(), old.clone());
        match self {
            K::TypeChanged { old, new } => K::TypeChanged {
                old: new.clone(),
                new: old.clone(),
            },
            K::TypeWidened { old, new } => K::TypeNarrowed {
                old: new.clone(),
                new: old.clone(),
            },
            K::TypeNarrowed { old, new } => K::TypeWidened {
                old: new.clone(),
                new: old.clone(),
            },
            K::NullableAdded => K::NullableRemoved,
            K::NullableRemoved => K::NullableAdded,
            K::EnumAdded {
                values,
                restriction_lifted,
            } => K::EnumRemoved {
                values: values.clone(),
                new_restriction: *restriction_lifted,
            },
            K::EnumRemoved {
                values,
                new_restriction,
            } => K::EnumAdded {
                values: values.clone(),
                restriction_lifted: *new_restriction,
            },
            K::Tightened { keyword, old, new } => {
                let (old, new) = swap(old, new);
                K::Loosened { keyword, old, new }
            }
            K::Loosened { keyword, old, new } => {
                let (old, new) = swap(old, new);
                K::Tightened { keyword, old, new }
            }
            K::PropertyAdded { name, required } => K::PropertyRemoved {
                name: name.clone(),
                required: *required,
            },
            K::PropertyRemoved { name, required } => K::PropertyAdded {
                name: name.clone(),
                required: *required,
            },
            K::MadeRequired { name } => K::MadeOptional { name: name.clone() },
            K::MadeOptional { name } => K::MadeRequired { name: name.clone() },
            K::BranchAdded { name } => K::BranchRemoved { name: name.clone() },
            K::BranchRemoved { name } => K::BranchAdded { name: name.clone() },
            K::OneOfOverlap { added, name, other } => K::OneOfOverlap {
                added: !added,
                name: name.clone(),
                other: other.clone(),
            },
            other => other.clone(),
        }
    }
}

/// One difference: what, where in the instance (property names, `[]` for
/// array items), and where in each document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SchemaChange {
    pub kind: SchemaChangeKind,
    /// The instance path, outermost first.
    pub at: Vec<String>,
    /// The keywords that hold the changed schema without moving in the
    /// instance (`not`, `then`, `dependentSchemas/a`), outermost first.
    pub within: Vec<String>,
    /// Under an odd number of `not`s: the kind accepts the opposite.
    pub inverted: bool,
    pub old: Origin,
    pub new: Origin,
}

impl SchemaChange {
    /// The instance path as a reader writes it: `data.payload[].id`.
    pub fn path(&self) -> String {
        render_path(&self.at)
    }

    /// The kind by what it does to acceptance: the kind itself, or its
    /// opposite under `not`.
    pub fn effective_kind(&self) -> SchemaChangeKind {
        if self.inverted {
            self.kind.opposite()
        } else {
            self.kind.clone()
        }
    }
}

/// An instance path written the way a reader says it.
pub(crate) fn render_path(at: &[String]) -> String {
    let mut out = String::new();
    for segment in at {
        if segment == ITEMS || segment.starts_with('[') {
            out.push_str(segment);
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    out
}

/// The path segment of array items.
pub(crate) const ITEMS: &str = "[]";

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(old: &str, new: &str, side: Side) -> Vec<SchemaChangeKind> {
        let doc = |text: &str| {
            let source = format!(
                r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
                    "components": {{"schemas": {text}}}}}"#
            );
            specgate_spec::load_str("t.json", &source).expect("test document loads")
        };
        let (old, new) = (doc(old), doc(new));
        let mut comparer = Comparer::new(&old, &new, side);
        let (o, n) = (&old.schemas["S"].schema, &new.schemas["S"].schema);
        comparer
            .compare(&o.value, &o.origin, &n.value, &n.origin)
            .into_iter()
            .map(|c| c.kind)
            .collect()
    }

    #[test]
    fn a_schema_moved_into_a_component_or_an_all_of_member_is_no_change() {
        let old = r##"{"S": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}}"##;
        let new = r##"{"S": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"b": {"type": "integer"}}}], "type": "object"},
                      "Base": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/components/schemas/Text"}}},
                      "Text": {"type": "string", "description": "moved"}}"##;
        assert_eq!(changes(old, new, Side::Received), vec![]);
        assert_eq!(changes(old, new, Side::Sent), vec![]);
    }

    #[test]
    fn null_alternatives_read_as_nullability() {
        let old = r##"{"S": {"type": ["string", "null"]}}"##;
        let new = r##"{"S": {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}, "T": {"type": "string"}}"##;
        assert_eq!(changes(old, new, Side::Received), vec![]);
        let not_null = r##"{"S": {"type": "string"}}"##;
        assert_eq!(
            changes(not_null, old, Side::Received),
            vec![SchemaChangeKind::NullableAdded]
        );
    }

    #[test]
    fn types_widen_narrow_and_change() {
        let int = r##"{"S": {"type": "integer"}}"##;
        let num = r##"{"S": {"type": "number"}}"##;
        let text = r##"{"S": {"type": "string"}}"##;
        assert!(matches!(
            changes(int, num, Side::Sent)[..],
            [SchemaChangeKind::TypeWidened { .. }]
        ));
        assert!(matches!(
            changes(num, int, Side::Sent)[..],
            [SchemaChangeKind::TypeNarrowed { .. }]
        ));
        assert!(matches!(
            changes(int, text, Side::Sent)[..],
            [SchemaChangeKind::TypeChanged { .. }]
        ));
    }

    #[test]
    fn read_only_members_are_not_sent() {
        let old = r##"{"S": {"type": "object", "properties": {"a": {"type": "string"}}}}"##;
        let new = r##"{"S": {"type": "object", "required": ["id"], "properties": {"a": {"type": "string"}, "id": {"type": "integer", "readOnly": true}}}}"##;
        assert_eq!(changes(old, new, Side::Sent), vec![]);
        assert!(matches!(
            &changes(old, new, Side::Received)[..],
            [SchemaChangeKind::PropertyAdded { required: true, .. }]
        ));
    }

    #[test]
    fn recursive_schemas_end() {
        let old = r##"{"S": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/S"}, "v": {"type": "string"}}}}"##;
        let new = r##"{"S": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/S"}, "v": {"type": "integer"}}}}"##;
        // `v` and `next.v` (the same node, which the caller counts once).
        let found = changes(old, new, Side::Received);
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|c| matches!(c, SchemaChangeKind::TypeChanged { .. })),
            "{found:?}"
        );
    }

    #[test]
    fn thousands_of_alternatives_are_paired_in_order() {
        // Each against each would be millions of comparisons; in order, the
        // same alternatives are the same.
        let branches: Vec<String> = (0..3000)
            .map(|i| {
                format!(r#"{{"type": "object", "properties": {{"p{i}": {{"type": "string"}}}}}}"#)
            })
            .collect();
        let schema = format!(r#"{{"S": {{"oneOf": [{}]}}}}"#, branches.join(","));
        assert_eq!(changes(&schema, &schema, Side::Received), vec![]);
    }

    #[test]
    fn renders_instance_paths() {
        let at = ["data", ITEMS, "id"].map(str::to_owned);
        assert_eq!(render_path(&at), "data[].id");
        assert_eq!(render_path(&[]), "");
    }
}
