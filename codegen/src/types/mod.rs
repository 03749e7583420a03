//! The type space: every Rust type the generated code declares, built from
//! the model before any code is written.
//!
//! Named schemas get their Rust names first (so references, including
//! recursive ones, resolve by name), then each schema is converted into a
//! [`TypeDef`]; inline schemas that need a type of their own are named
//! after where they sit (`ConversationListData`, `ConversationListDataMeta`).

mod aliases;
mod convert;
mod dedupe;
pub(crate) mod operations;
mod recursion;

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use specgate_spec::{Document, ResponseKey};

use crate::naming::{self, Scope};
use crate::Options;

/// A Rust type as it is used (in a field, an item, a variant).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    /// A type declared in the generated code, by its Rust name.
    Named(String),
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    String,
    /// Any JSON value.
    Value,
    /// A JSON object with any members.
    JsonObject,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Option(Box<Ty>),
    Box(Box<Ty>),
    Tuple(Vec<Ty>),
}

/// A declared type.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub(crate) name: String,
    pub(crate) doc: Option<String>,
    pub(crate) kind: Kind,
    /// For an inline type, the property it stands for (`Owner`); `None`
    /// for named schemas, which are never merged or renamed.
    pub(crate) label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// `pub struct`, with named fields, structs flattened in from `allOf`,
    /// and a flattened map of the other members.
    Struct {
        fields: Vec<Field>,
        flattened: Vec<(String, Ty)>,
        additional: Option<Ty>,
    },
    /// A string enum; `open` keeps unknown values in `Other(String)`.
    StringEnum {
        variants: Vec<(String, String)>,
        open: bool,
    },
    /// An integer enum; `open` keeps unknown values in `Other(i64)`.
    IntegerEnum {
        variants: Vec<(String, i64)>,
        open: bool,
    },
    /// `oneOf`/`anyOf`, or a type array: one variant per branch. With a
    /// discriminator, the tag property chooses the variant.
    OneOf {
        variants: Vec<(String, Ty)>,
        discriminator: Option<Discriminator>,
        open: bool,
    },
    /// `pub type Name = Ty;`
    Alias(Ty),
    /// `pub struct Name(pub Ty);`, for an alias that refers to itself.
    Newtype(Ty),
}

impl Kind {
    /// Every type a declaration holds: fields, flattened parts, the map of
    /// other members, variants, the aliased type.
    pub(crate) fn types(&self) -> Vec<&Ty> {
        match self {
            Kind::Struct {
                fields,
                flattened,
                additional,
                ..
            } => fields
                .iter()
                .map(|f| &f.ty)
                .chain(flattened.iter().map(|(_, t)| t))
                .chain(additional)
                .collect(),
            Kind::OneOf { variants, .. } => variants.iter().map(|(_, t)| t).collect(),
            Kind::Alias(ty) | Kind::Newtype(ty) => vec![ty],
            Kind::StringEnum { .. } | Kind::IntegerEnum { .. } => Vec::new(),
        }
    }

    /// [`Kind::types`], mutably.
    pub(crate) fn types_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            Kind::Struct {
                fields,
                flattened,
                additional,
                ..
            } => fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(flattened.iter_mut().map(|(_, t)| t))
                .chain(additional)
                .collect(),
            Kind::OneOf { variants, .. } => variants.iter_mut().map(|(_, t)| t).collect(),
            Kind::Alias(ty) | Kind::Newtype(ty) => vec![ty],
            Kind::StringEnum { .. } | Kind::IntegerEnum { .. } => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Discriminator {
    pub(crate) property: String,
    /// Tag value to the variant it selects.
    pub(crate) mapping: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The member's name in JSON.
    pub(crate) json_name: String,
    /// The field's Rust name.
    pub(crate) rust_name: String,
    /// The field's type, `Option` included when it is not required.
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    pub(crate) doc: Option<String>,
    /// `deprecated: true` on the member: the field says so to the compiler.
    pub(crate) deprecated: bool,
}

/// All types of a document.
pub(crate) struct TypeSpace {
    pub(crate) types: IndexMap<String, TypeDef>,
    /// Rust names of the model's named schemas (and, under keys starting
    /// with `#operation/`, of the types declared for operations).
    pub(crate) names: IndexMap<String, String>,
    /// For a schema others extend under a discriminator, the Rust name of
    /// the struct of its own members (its name is the enum of them all).
    pub(crate) bases: IndexMap<String, String>,
    /// The type of each schema an operation holds, by operationId and slot
    /// (`request application/json`, `response 200`, `parameter query status`).
    pub(crate) operation_types: IndexMap<(String, String), Ty>,
    /// The type of each schema of a reusable response, parameter or request
    /// body component, by file and pointer: declared once, shared by the
    /// operations that refer to it.
    pub(crate) component_types: IndexMap<String, Ty>,
    /// Types named by the document (its schemas' keys and titles, its
    /// shared components): never merged into another or renamed.
    pub(crate) kept_names: HashSet<String>,
    /// What an operation's type stands for, by type name.
    pub(crate) slots: HashMap<String, Slot>,
    pub(crate) scope: Scope,
}

/// What an operation's type is: its request body, a response, or a
/// parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Slot {
    Request,
    Response(ResponseKey),
    Parameter,
}

impl TypeSpace {
    /// Builds the types of every named schema of `document`.
    pub(crate) fn build(document: &Document, options: &Options) -> TypeSpace {
        let mut scope = Scope::new();
        let names: IndexMap<String, String> = document
            .schemas
            .keys()
            .map(|name| (name.clone(), scope.unique(&naming::type_name(name))))
            .collect();
        // A schema that others extend, with a discriminator choosing among
        // them (Swagger 2.0's polymorphism): its name is an enum of the
        // schema and those extending it, and its own members are a struct
        // of their own (`PetBase`) that the extensions flatten in.
        let mut polymorphic = IndexMap::new();
        let mut bases = IndexMap::new();
        for (name, named) in &document.schemas {
            let Some(discriminator) = specgate_spec::Discriminator::of(&named.schema.value, true)
                .filter(|d| d.over == specgate_spec::Over::Extensions)
            else {
                continue;
            };
            let rust = names.get(name).cloned().unwrap_or_default();
            bases.insert(name.clone(), scope.unique(&format!("{rust}Base")));
            polymorphic.insert(name.clone(), discriminator);
        }
        let mut space = TypeSpace {
            types: IndexMap::new(),
            names,
            bases,
            operation_types: IndexMap::new(),
            component_types: IndexMap::new(),
            kept_names: HashSet::new(),
            slots: HashMap::new(),
            scope,
        };
        for (name, named) in &document.schemas {
            if named_by_document(named) {
                if let Some(rust) = space.names.get(name) {
                    space.kept_names.insert(rust.clone());
                }
            }
        }
        space.kept_names.extend(space.bases.values().cloned());
        for (name, named) in &document.schemas {
            let rust_name = space.names.get(name).cloned().unwrap_or_default();
            if let (Some(discriminator), Some(base)) =
                (polymorphic.get(name), space.bases.get(name).cloned())
            {
                convert::declare(&mut space, document, options, &base, &named.schema.value);
                convert::declare_extensions(&mut space, options, &rust_name, name, discriminator);
                continue;
            }
            convert::declare(
                &mut space,
                document,
                options,
                &rust_name,
                &named.schema.value,
            );
        }
        operations::declare_all(&mut space, document, options);
        dedupe::merge_identical(&mut space);
        aliases::simplify(&mut space);
        recursion::box_cycles(&mut space);
        space
    }

    /// A name for an inline type at `context` (its place), standing for
    /// the property `label`: compacted when that reads better and is free;
    /// the property alone when the place repeats it
    /// (`GetGroupResponseGroup` is a `Group`); else the whole place, a
    /// counter only when that is taken too.
    pub(crate) fn inline_name(&mut self, context: &str, label: Option<&str>) -> String {
        let compact = naming::compact_type_name(context);
        if naming::repeats_a_word(&compact) {
            let alone = label.filter(|l| !naming::is_generic_word(l) && self.scope.is_free(l));
            if let Some(alone) = alone {
                self.scope.reserve(alone);
                return alone.to_owned();
            }
            // The word once, and what it holds: `Links` inside `Links` is
            // `LinksInner`, not `LinksLinks`.
            let once = naming::without_repeat(&compact) + "Inner";
            if self.scope.is_free(&once) {
                self.scope.reserve(&once);
                return once;
            }
        } else if compact != context && self.scope.is_free(&compact) {
            self.scope.reserve(&compact);
            return compact;
        }
        self.scope.unique(context)
    }

    /// The Rust name of a model schema.
    pub(crate) fn rust_name(&self, schema_name: &str) -> Option<&str> {
        self.names.get(schema_name).map(String::as_str)
    }

    /// The Rust name of the struct of a schema's own members: its base
    /// struct when others extend it under a discriminator, else its type.
    pub(crate) fn struct_name(&self, schema_name: &str) -> Option<&str> {
        self.bases
            .get(schema_name)
            .or_else(|| self.names.get(schema_name))
            .map(String::as_str)
    }
}

/// Whether the document names a schema itself (a key of a collection, a
/// file, a title), rather than the loader after the operation it was found
/// in (`droplets_list_response`): only the latter may be merged or renamed.
fn named_by_document(named: &specgate_spec::NamedSchema) -> bool {
    let pointer = &named.schema.origin.pointer;
    let placed = pointer.starts_with("/paths/") || pointer.starts_with("/webhooks/");
    let titled = named
        .schema
        .value
        .get("title")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|title| title.trim() == named.name);
    !placed || titled
}
