//! Schema to type: the mapping rules of the generated code.
//!
//! - objects with properties → structs; `additionalProperties` → a map
//!   (flattened beside fixed properties); a bare `object` → a JSON object;
//! - `enum` → enums that keep unknown values (unless strict);
//! - `oneOf`/`anyOf` and type arrays → enums, chosen by a discriminator
//!   when there is one, untagged otherwise;
//! - `allOf` → one struct, flattening referenced structs in;
//! - `null` in a type array or a `{type: null}` branch → `Option`.
//!
//! Nullability: a property that is not required is an `Option`, and absent
//! and `null` both read as `None`; a required property that is nullable is
//! an `Option` too, but is always written (`null` for `None`). That is the
//! one rule: the difference between absent and null is kept exactly where
//! the document makes the member mandatory.

use serde_json::{Map, Value};
use specgate_spec::{Alternatives, Document, IntegerFormat, Schema};

use super::{Discriminator, Field, Kind, Ty, TypeDef, TypeSpace};
use crate::naming::{self, Scope};
use crate::Options;

/// What the conversion needs besides the schema.
struct Ctx<'a> {
    space: &'a mut TypeSpace,
    document: &'a Document,
    options: &'a Options,
    /// The property name an inline type about to be declared stands for
    /// (`Owner`, `TagsItem`), so identical copies can share it as a name.
    label: Option<String>,
}

/// Declares the type `name` for `schema`.
pub(super) fn declare(
    space: &mut TypeSpace,
    document: &Document,
    options: &Options,
    name: &str,
    schema: &Value,
) {
    let mut ctx = Ctx {
        space,
        document,
        options,
        label: None,
    };
    // The slot is taken first, so the type comes before the inline types
    // its conversion declares: a reader meets `ConversationList` first.
    ctx.space.types.insert(name.to_owned(), placeholder(name));
    let def = ctx.type_def(name, schema);
    ctx.space.types.insert(name.to_owned(), def);
}

/// The type to use for `schema` at a place named `context`, declaring the
/// inline types it needs.
pub(super) fn use_type(
    space: &mut TypeSpace,
    document: &Document,
    options: &Options,
    context: &str,
    schema: &Value,
) -> Ty {
    let mut ctx = Ctx {
        space,
        document,
        options,
        label: None,
    };
    ctx.ty(context, schema)
}

/// The enum named `name` for the schema `schema_name` that others extend
/// under `discriminator`: one variant per schema it selects (the schema's
/// own base struct included), each holding that schema's struct, chosen by
/// the property as the validator chooses, and `Other` for unknown kinds
/// unless enums are strict.
pub(super) fn declare_extensions(
    space: &mut TypeSpace,
    options: &Options,
    name: &str,
    schema_name: &str,
    discriminator: &specgate_spec::Discriminator,
) {
    let mut scope = Scope::new();
    scope.reserve("Other");
    let mut variants: Vec<(String, Ty)> = Vec::new();
    let mut by_schema: Vec<(&str, String)> = Vec::new();
    let mut mapping = Vec::new();
    for (tag, schema) in &discriminator.mapping {
        let variant = match by_schema.iter().find(|(s, _)| *s == schema.as_str()) {
            Some((_, variant)) => variant.clone(),
            None => {
                let Some(rust) = space.struct_name(schema).map(str::to_owned) else {
                    continue;
                };
                let variant = scope.unique(&naming::variant_name(schema));
                variants.push((variant.clone(), Ty::Named(rust)));
                by_schema.push((schema, variant.clone()));
                variant
            }
        };
        mapping.push((tag.clone(), variant));
    }
    let doc = format!(
        "`{schema_name}` or a schema extending it, chosen by `{}`.",
        discriminator.property
    );
    space.types.insert(
        name.to_owned(),
        TypeDef {
            name: name.to_owned(),
            doc: Some(doc),
            kind: Kind::OneOf {
                variants,
                open: !options.strict_enums,
                discriminator: Some(Discriminator {
                    property: discriminator.property.clone(),
                    mapping,
                }),
            },
            label: None,
        },
    );
}

fn placeholder(name: &str) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        doc: None,
        kind: Kind::Alias(Ty::Value),
        label: None,
    }
}

impl Ctx<'_> {
    fn type_def(&mut self, name: &str, schema: &Value) -> TypeDef {
        let kind = match self.own_kind(name, schema) {
            Some(kind) => kind,
            None => Kind::Alias(self.ty(name, schema)),
        };
        TypeDef {
            name: name.to_owned(),
            doc: doc(schema),
            kind,
            label: None,
        }
    }

    /// The kind of type a schema needs a declaration of its own for, or
    /// `None` when a use of an existing type says it all.
    fn own_kind(&mut self, name: &str, schema: &Value) -> Option<Kind> {
        let object = schema.as_object()?;
        if object.contains_key("$ref") && !has_constraints_beyond_ref(object) {
            return None;
        }
        if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
            return Some(self.all_of(name, object, parts));
        }
        let (types, _) = declared_types(object);
        if let Some(values) = object.get("enum").and_then(Value::as_array) {
            return self.enumeration(values, &types);
        }
        if let Some(branches) = branches(object) {
            let (branches, _nullable) = without_null(branches);
            if branches.len() > 1 {
                return Some(self.one_of(name, object, &branches));
            }
            return None;
        }
        if types.len() > 1 {
            return None;
        }
        if is_object_with_properties(object) {
            return Some(self.object(name, object));
        }
        None
    }

    /// The type to use for `schema` at a place named `context`.
    fn ty(&mut self, context: &str, schema: &Value) -> Ty {
        let Some(object) = schema.as_object() else {
            // `true`, `false`: any value (or none, which nothing can hold).
            return Ty::Value;
        };
        if let Some(name) = Schema::reference_name_of(schema) {
            if !has_constraints_beyond_ref(object) {
                // A named schema that admits null (GitHub's
                // `nullable-simple-user`) is optional wherever it is used.
                let admits_null = self
                    .document
                    .schema(&name)
                    .is_some_and(|named| admits_null(&named.schema.value));
                let ty = self.named(&name);
                return if admits_null { option(ty) } else { ty };
            }
        }
        // A `$dynamicRef` alone: the type of its default target (the load
        // warns where the schema that uses it may supply another).
        let dynamic = object
            .get("$dynamicRef")
            .and_then(Value::as_str)
            .and_then(|reference| self.document.dynamic_refs.get(reference));
        if let Some(name) = dynamic {
            let alone = object.keys().all(|k| {
                matches!(
                    k.as_str(),
                    "$dynamicRef" | "description" | "title" | "$comment"
                )
            });
            if alone {
                let name = name.clone();
                return self.named(&name);
            }
        }
        // A nullable reference or composition: `anyOf: [X, {type: null}]`.
        if let Some(branches) = branches(object) {
            let (rest, nullable) = without_null(branches);
            if nullable && rest.len() == 1 && !object.contains_key("discriminator") {
                let inner = rest.first().map_or(Ty::Value, |b| self.ty(context, b));
                return option(inner);
            }
        }
        let (types, nullable) = declared_types(object);
        let nullable = nullable
            || object
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| values.contains(&Value::Null));
        let ty = if let Some(name) = self.inline_type(context, schema) {
            Ty::Named(name)
        } else if types.len() > 1 {
            self.type_array(&types)
        } else {
            self.plain(context, object, types.first().copied())
        };
        if nullable {
            option(ty)
        } else {
            ty
        }
    }

    /// Declares a type for an inline schema that needs one, named after its
    /// place; `None` when a use of an existing type says it all.
    fn inline_type(&mut self, context: &str, schema: &Value) -> Option<String> {
        let object = schema.as_object()?;
        let candidate = object.contains_key("allOf")
            || object.contains_key("enum")
            || branches(object).is_some()
            || is_object_with_properties(object);
        if !candidate {
            return None;
        }
        let label = self.label.take();
        let name = self.space.inline_name(context, label.as_deref());
        self.space.types.insert(name.clone(), placeholder(&name));
        match self.own_kind(&name, schema) {
            Some(kind) => {
                let def = TypeDef {
                    name: name.clone(),
                    doc: doc(schema),
                    kind,
                    label,
                };
                self.space.types.insert(name.clone(), def);
                Some(name)
            }
            None => {
                self.space.types.shift_remove(&name);
                None
            }
        }
    }

    fn named(&self, schema_name: &str) -> Ty {
        match self.space.rust_name(schema_name) {
            Some(rust) => Ty::Named(rust.to_owned()),
            None => Ty::Value,
        }
    }

    /// Types that need no declaration: primitives, arrays, maps.
    fn plain(&mut self, context: &str, object: &Map<String, Value>, ty: Option<&str>) -> Ty {
        let format = object.get("format").and_then(Value::as_str).unwrap_or("");
        match ty.or_else(|| implied_type(object)) {
            Some("string") => Ty::String,
            Some("boolean") => Ty::Bool,
            Some("integer") => match specgate_spec::IntegerFormat::parse(format) {
                Some(IntegerFormat::Int8) => Ty::I8,
                Some(IntegerFormat::Int16) => Ty::I16,
                Some(IntegerFormat::Int32) => Ty::I32,
                Some(IntegerFormat::Uint8) => Ty::U8,
                Some(IntegerFormat::Uint16) => Ty::U16,
                Some(IntegerFormat::Uint32) => Ty::U32,
                Some(IntegerFormat::Uint64) => Ty::U64,
                Some(IntegerFormat::Int64) | None => Ty::I64,
            },
            Some("number") => match format {
                "float" => Ty::F32,
                _ => Ty::F64,
            },
            Some("array") => {
                if let Some(Value::Array(items)) = object.get("prefixItems") {
                    if object.get("items") == Some(&Value::Bool(false))
                        || object.get("items").is_none()
                    {
                        let tuple = items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| self.ty(&format!("{context}{}", i), item))
                            .collect();
                        return Ty::Tuple(tuple);
                    }
                }
                match object.get("items") {
                    Some(items) => {
                        // An item of `Tags` is a `Tag`; of `Data`, a `DataItem`.
                        let label = self.label.take();
                        let singular = label.as_deref().and_then(|label| {
                            let stem = context.strip_suffix(label)?;
                            let one = specgate_spec::singular_of(label)?;
                            Some((format!("{stem}{one}"), one))
                        });
                        let (item_context, item_label) = match singular {
                            Some((context, label)) => (context, Some(label)),
                            None => (format!("{context}Item"), label.map(|l| format!("{l}Item"))),
                        };
                        self.label = item_label;
                        let item = self.ty(&item_context, items);
                        self.label = None;
                        Ty::Vec(Box::new(item))
                    }
                    None => Ty::Vec(Box::new(Ty::Value)),
                }
            }
            Some("object") => match object.get("additionalProperties") {
                Some(Value::Object(values)) if !values.is_empty() => Ty::Map(Box::new(
                    self.ty(&format!("{context}Value"), &Value::Object(values.clone())),
                )),
                _ => Ty::JsonObject,
            },
            Some("null") => Ty::Option(Box::new(Ty::Value)),
            _ => Ty::Value,
        }
    }

    fn object(&mut self, name: &str, object: &Map<String, Value>) -> Kind {
        let mut fields = Vec::new();
        let mut scope = Scope::new();
        self.add_properties(name, object, &mut fields, &mut scope);
        let additional = match object.get("additionalProperties") {
            Some(Value::Object(values)) if !values.is_empty() => {
                Some(self.ty(&format!("{name}Value"), &Value::Object(values.clone())))
            }
            Some(Value::Bool(true)) | Some(Value::Object(_)) => Some(Ty::Value),
            _ => None,
        };
        Kind::Struct {
            fields,
            flattened: Vec::new(),
            additional,
        }
    }

    fn add_properties(
        &mut self,
        name: &str,
        object: &Map<String, Value>,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(Value::Object(properties)) = object.get("properties") else {
            return;
        };
        for (json_name, property) in properties {
            if fields.iter().any(|f: &Field| &f.json_name == json_name) {
                continue;
            }
            let label = naming::type_name(json_name);
            let context = format!("{name}{label}");
            self.label = Some(label);
            let ty = self.ty(&context, property);
            self.label = None;
            let is_required = required.contains(&json_name.as_str());
            let ty = if is_required { ty } else { option(ty) };
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: scope.unique(&naming::field_name(json_name)),
                ty,
                required: is_required,
                doc: doc(property),
                deprecated: property.get("deprecated") == Some(&Value::Bool(true)),
            });
        }
    }

    /// The properties of a schema and of every `allOf` part it has, however
    /// deep (Azure's event hierarchies are four levels: a
    /// `PartitionPrimaryMoveAnalysisEvent` is a `PartitionAnalysisEvent` is
    /// a `PartitionEvent` is a `FabricEvent`).
    fn add_inherited_properties(
        &mut self,
        name: &str,
        schema: &Value,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) {
        let layers = self.document.schema_layers(
            schema,
            specgate_spec::Origin::unplaced(),
            Alternatives::Skip,
        );
        for layer in layers {
            self.add_properties(name, layer.object, fields, scope);
        }
    }

    /// `allOf`: one struct. A referenced object whose members no other part
    /// repeats is flattened in as its own type; inline objects and
    /// overlapping references contribute their properties as fields.
    fn all_of(&mut self, name: &str, object: &Map<String, Value>, parts: &[Value]) -> Kind {
        let mut all_parts: Vec<&Value> = parts.iter().collect();
        let siblings = Value::Object(object.clone());
        if is_object_with_properties(object) {
            all_parts.push(&siblings);
        }
        if all_parts.len() == 1 {
            if let Some(part) = all_parts.first() {
                // A named schema extending a schema that others extend
                // too: its own members, not the enum of them all (which
                // holds this one). Anywhere else (a property that wraps a
                // reference to describe it) the `allOf` is the reference,
                // as the validator reads it: every extension.
                let component = self.document.schemas.values().any(|named| {
                    named
                        .schema
                        .value
                        .as_object()
                        .is_some_and(|own| std::ptr::eq(own, object))
                });
                let base = Schema::reference_name_of(part)
                    .filter(|_| component)
                    .filter(|_| {
                        part.as_object()
                            .is_some_and(|o| !has_constraints_beyond_ref(o))
                    })
                    .and_then(|reference| self.space.bases.get(reference.as_ref()).cloned());
                if let Some(base) = base {
                    return Kind::Alias(Ty::Named(base));
                }
                return match self.own_kind(name, part) {
                    Some(kind) => kind,
                    None => Kind::Alias(self.ty(name, part)),
                };
            }
        }
        let shapes: Vec<Option<ObjectShape>> = all_parts
            .iter()
            .map(|part| object_shape(self.document, part))
            .collect();
        if shapes.iter().any(Option::is_none) {
            // Parts that are not objects cannot be one struct. When they
            // agree on one primitive type (`{type: string}` and
            // `{maxLength: 10}`), that is the type; otherwise any value.
            let mut types: Vec<&str> = Vec::new();
            for part in &all_parts {
                let Some(part) = self.document.resolve_schema(part).as_object() else {
                    continue;
                };
                let composite = ["properties", "allOf", "oneOf", "anyOf", "enum"]
                    .iter()
                    .any(|k| part.contains_key(*k));
                let (declared, _) = declared_types(part);
                if composite || declared.len() > 1 {
                    return Kind::Alias(Ty::Value);
                }
                types.extend(
                    declared
                        .iter()
                        .filter(|t| !types.contains(t))
                        .copied()
                        .collect::<Vec<_>>(),
                );
            }
            return Kind::Alias(match types.as_slice() {
                [one] => self.plain(name, &Map::new(), Some(one)),
                _ => Ty::Value,
            });
        }
        let shapes: Vec<ObjectShape> = shapes.into_iter().flatten().collect();
        let mut fields = Vec::new();
        let mut flattened = Vec::new();
        let mut scope = Scope::new();
        let mut covered: Vec<String> = Vec::new();
        // A part whose members another part holds as well (`generic_id`
        // beside `conversation`, or CAMARA's `{status: {enum: [401]}}`
        // beside `ErrorInfo`) adds nothing.
        let subsumed: Vec<bool> = shapes
            .iter()
            .enumerate()
            .map(|(index, shape)| {
                !shape.properties.is_empty()
                    && shapes.iter().enumerate().any(|(other, bigger)| {
                        other != index
                            && bigger.properties.len() > shape.properties.len()
                            && shape
                                .properties
                                .iter()
                                .all(|p| bigger.properties.contains(p))
                    })
            })
            .collect();
        for (index, (part, shape)) in all_parts.iter().zip(&shapes).enumerate() {
            if subsumed[index] {
                continue;
            }
            let overlaps = shape.properties.iter().any(|p| {
                covered.contains(p)
                    || shapes.iter().enumerate().any(|(other, s)| {
                        other > index && !subsumed[other] && s.properties.contains(p)
                    })
            });
            let reference = Schema::reference_name_of(part).filter(|_| {
                part.as_object()
                    .is_some_and(|o| !has_constraints_beyond_ref(o))
            });
            match reference {
                Some(reference) if !overlaps && shape.is_struct => {
                    // An extended schema's own members, not the enum of
                    // everything extending it (which holds this one).
                    let ty = match self.space.struct_name(&reference) {
                        Some(rust) => Ty::Named(rust.to_owned()),
                        None => Ty::Value,
                    };
                    let field = scope.unique(&naming::field_name(&reference));
                    flattened.push((field, ty));
                }
                _ => self.add_inherited_properties(name, part, &mut fields, &mut scope),
            }
            covered.extend(shape.properties.iter().cloned());
        }
        // Nothing but one referenced schema (the rest narrowing its
        // members): that schema's type, not a copy of it under a new name.
        if let ([], [(_, ty @ Ty::Named(_))]) = (fields.as_slice(), flattened.as_slice()) {
            return Kind::Alias(ty.clone());
        }
        Kind::Struct {
            fields,
            flattened,
            additional: None,
        }
    }

    fn enumeration(&mut self, values: &[Value], types: &[&str]) -> Option<Kind> {
        let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if values.is_empty() {
            return None;
        }
        let open = !self.options.strict_enums;
        // The values decide, not `type`: Chatwoot's `article.status` says
        // integer and lists strings; the server sends the strings.
        if values.iter().all(|v| v.is_string()) {
            let mut scope = Scope::new();
            scope.reserve("Other");
            let mut variants = Vec::new();
            for value in values.iter().filter_map(|v| v.as_str()) {
                if variants.iter().any(|(_, v): &(String, String)| v == value) {
                    continue;
                }
                variants.push((scope.unique(&naming::variant_name(value)), value.to_owned()));
            }
            return Some(Kind::StringEnum { variants, open });
        }
        if values.iter().all(|v| v.is_i64()) && !types.contains(&"string") {
            let mut scope = Scope::new();
            scope.reserve("Other");
            let mut variants = Vec::new();
            for value in values.iter().filter_map(|v| v.as_i64()) {
                if variants.iter().any(|(_, v): &(String, i64)| *v == value) {
                    continue;
                }
                let label = if value < 0 {
                    format!("Minus{}", value.unsigned_abs())
                } else {
                    format!("V{value}")
                };
                variants.push((scope.unique(&label), value));
            }
            return Some(Kind::IntegerEnum { variants, open });
        }
        None
    }

    fn one_of(&mut self, name: &str, object: &Map<String, Value>, branches: &[&Value]) -> Kind {
        let mut scope = Scope::new();
        scope.reserve("Other");
        let mut variants = Vec::new();
        for branch in branches {
            let label = match Schema::reference_name_of(branch) {
                Some(reference) => naming::variant_name(&reference),
                None => branch_label(branch),
            };
            let variant = scope.unique(&label);
            let ty = self.ty(&format!("{name}{variant}"), branch);
            variants.push((variant, ty));
        }
        // The model's discriminator (every value that selects a branch, as
        // the validator reads it too); a value naming a schema that is no
        // branch is left to `Other`.
        let discriminator = specgate_spec::Discriminator::of_object(object, false)
            .map(|d| {
                let mapping = d
                    .mapping
                    .iter()
                    .filter_map(|(tag, schema)| {
                        let variant = branches.iter().zip(&variants).find_map(|(b, (v, _))| {
                            (Schema::reference_name_of(b).as_deref() == Some(schema.as_str()))
                                .then(|| v.clone())
                        })?;
                        Some((tag.clone(), variant))
                    })
                    .collect();
                Discriminator {
                    property: d.property,
                    mapping,
                }
            })
            .filter(|d| !d.mapping.is_empty());
        Kind::OneOf {
            variants,
            open: discriminator.is_some() && !self.options.strict_enums,
            discriminator,
        }
    }

    /// `type: [integer, string]`: one shared enum per combination of
    /// primitive types, named after them (`IntegerOrString`).
    fn type_array(&mut self, types: &[&str]) -> Ty {
        let name = types
            .iter()
            .map(|t| naming::variant_name(t))
            .collect::<Vec<_>>()
            .join("Or");
        let existing = self.space.types.get(&name).is_some_and(|def| {
            matches!(
                &def.kind,
                Kind::OneOf {
                    discriminator: None,
                    ..
                }
            )
        });
        if existing {
            return Ty::Named(name);
        }
        let name = self.space.scope.unique(&name);
        // Named by its shape: never merged into a schema of another name.
        self.space.kept_names.insert(name.clone());
        let variants = types
            .iter()
            .map(|t| {
                let mut schema = Map::new();
                schema.insert("type".into(), Value::String((*t).to_owned()));
                (naming::variant_name(t), self.plain(&name, &schema, Some(t)))
            })
            .collect();
        self.space.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                doc: Some(format!("One of the JSON types {}.", types.join(", "))),
                kind: Kind::OneOf {
                    variants,
                    discriminator: None,
                    open: false,
                },
                label: None,
            },
        );
        Ty::Named(name)
    }
}

/// Whether a schema's own keywords let `null` through (not counting `{}`).
fn admits_null(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let (_, nullable) = declared_types(object);
    nullable
        || object
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null))
        || branches(object).is_some_and(|b| without_null(b).1)
}

fn option(ty: Ty) -> Ty {
    match ty {
        Ty::Option(_) => ty,
        other => Ty::Option(Box::new(other)),
    }
}

/// The non-null types of `type`, and whether `null` is among them.
fn declared_types(object: &Map<String, Value>) -> (Vec<&str>, bool) {
    match object.get("type") {
        Some(Value::String(t)) if t == "null" => (Vec::new(), true),
        Some(Value::String(t)) => (vec![t.as_str()], false),
        Some(Value::Array(list)) => {
            let types: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            let nullable = types.contains(&"null");
            (
                types.into_iter().filter(|t| *t != "null").collect(),
                nullable,
            )
        }
        _ => (Vec::new(), false),
    }
}

/// The type that keywords imply when `type` is missing.
fn implied_type(object: &Map<String, Value>) -> Option<&'static str> {
    if object.contains_key("properties") || object.contains_key("additionalProperties") {
        Some("object")
    } else if object.contains_key("items") || object.contains_key("prefixItems") {
        Some("array")
    } else if let Some(value) = object.get("const") {
        match value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        }
    } else {
        None
    }
}

fn branches(object: &Map<String, Value>) -> Option<&Vec<Value>> {
    object
        .get("oneOf")
        .or_else(|| object.get("anyOf"))
        .and_then(Value::as_array)
}

fn without_null(branches: &[Value]) -> (Vec<&Value>, bool) {
    let is_null = |b: &&Value| b.get("type").and_then(Value::as_str) == Some("null");
    let nullable = branches.iter().any(|b| is_null(&b));
    (branches.iter().filter(|b| !is_null(b)).collect(), nullable)
}

fn is_object_with_properties(object: &Map<String, Value>) -> bool {
    object
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

/// Keywords beside a `$ref` that change what it accepts (annotations such
/// as `description` do not).
fn has_constraints_beyond_ref(object: &Map<String, Value>) -> bool {
    object.keys().any(|k| {
        !matches!(
            k.as_str(),
            "$ref"
                | "description"
                | "title"
                | "examples"
                | "deprecated"
                | "readOnly"
                | "writeOnly"
                | "default"
                | "summary"
                // Names and definitions: they constrain nothing themselves.
                | "$id"
                | "$anchor"
                | "$dynamicAnchor"
                | "$defs"
                | "$comment"
        ) && !k.starts_with("x-")
    })
}

/// A readable variant name for an inline branch, from its title or type.
fn branch_label(branch: &Value) -> String {
    if let Some(title) = branch.get("title").and_then(Value::as_str) {
        return naming::variant_name(title);
    }
    if let Some(tag) = fixed_member(branch) {
        return naming::variant_name(&tag);
    }
    if let Some(added) = added_members(branch) {
        return added;
    }
    let (types, _) = branch.as_object().map(declared_types).unwrap_or_default();
    match types.as_slice() {
        [one] => naming::variant_name(one),
        [] if branch.get("properties").is_some() => "Object".into(),
        [] if branch.get("enum").is_some() => "Enum".into(),
        _ => "Value".into(),
    }
}

/// The one value a branch fixes a member to (`type: {enum: [reboot]}`),
/// in it or an inline `allOf` part: what tells it from its siblings, and
/// so its variant's name (`Reboot`, not `Value3`).
fn fixed_member(branch: &Value) -> Option<String> {
    let parts = std::iter::once(branch).chain(
        branch
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for part in parts {
        let Some(Value::Object(properties)) = part.get("properties") else {
            continue;
        };
        for property in properties.values() {
            let single = property
                .get("enum")
                .and_then(Value::as_array)
                .filter(|values| values.len() == 1)
                .and_then(|values| values.first());
            let fixed = property.get("const").or(single);
            if let Some(Value::String(value)) = fixed {
                return Some(value.clone());
            }
        }
    }
    None
}

/// What an `allOf` branch adds to what it builds on: the first members
/// its own part declares (`DiskSize` for a resize that adds `disk` and
/// `size`), its variant's name where nothing is fixed.
fn added_members(branch: &Value) -> Option<String> {
    let parts = branch.get("allOf").and_then(Value::as_array)?;
    let own = parts.iter().rev().find_map(|part| {
        part.get("properties")
            .and_then(Value::as_object)
            .filter(|properties| !properties.is_empty())
    })?;
    let name: String = own
        .keys()
        .take(2)
        .map(|key| naming::variant_name(key))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The members of an object schema, following references and `allOf`.
struct ObjectShape {
    properties: Vec<String>,
    /// Whether a struct is declared for it (so it can be flattened).
    is_struct: bool,
}

fn object_shape(document: &Document, schema: &Value) -> Option<ObjectShape> {
    let layers = document.schema_layers(
        schema,
        specgate_spec::Origin::unplaced(),
        Alternatives::Skip,
    );
    let mut properties = Vec::new();
    let mut is_struct = false;
    for (index, layer) in layers.iter().enumerate() {
        let object = layer.object;
        properties.extend(
            object
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|p| p.keys().cloned()),
        );
        is_struct |=
            is_object_with_properties(object) || (index == 0 && object.contains_key("allOf"));
        let (types, _) = declared_types(object);
        let objectish = types.is_empty() || types == ["object"];
        if !objectish || object.contains_key("enum") || branches(object).is_some() {
            return None;
        }
    }
    layers.first()?;
    Some(ObjectShape {
        properties,
        is_struct,
    })
}

/// The doc comment of a schema: its title and description.
fn doc(schema: &Value) -> Option<String> {
    let title = schema.get("title").and_then(Value::as_str).map(str::trim);
    let description = schema
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim);
    match (title, description) {
        (Some(t), Some(d)) if !t.is_empty() && !d.is_empty() && t != d => {
            Some(format!("{t}\n\n{d}"))
        }
        (Some(t), _) if !t.is_empty() => Some(t.to_owned()),
        (_, Some(d)) if !d.is_empty() => Some(d.to_owned()),
        _ => None,
    }
}
