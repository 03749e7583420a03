//! OpenAPI's `discriminator`: the value of one property names the schema
//! that describes the object. JSON Schema does not know it; the code
//! generator (which variant to read), the validator (which schema to check)
//! and its drift walk (whose members are documented) all read it here.
//!
//! The loader completes every discriminator's `mapping` in the model, so
//! this is only a typed reading of it: each value that selects a schema,
//! whether the document maps it, names the schema (`Dog`), or lets the
//! schema give the value itself (`kind: {enum: [dog]}`, `const`, Azure's
//! `x-ms-discriminator-value`), over a `oneOf`/`anyOf` or over the schemas
//! that extend a base schema through `allOf` (Swagger 2.0's polymorphism).

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::model::Schema;

/// What a discriminator chooses among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Over {
    /// The branches of `oneOf`.
    OneOf,
    /// The branches of `anyOf`.
    AnyOf,
    /// The schema itself and the component schemas that extend it.
    Extensions,
}

impl Over {
    /// The keyword whose branches it chooses among, if any.
    pub fn keyword(self) -> Option<&'static str> {
        match self {
            Over::OneOf => Some("oneOf"),
            Over::AnyOf => Some("anyOf"),
            Over::Extensions => None,
        }
    }
}

/// A discriminator, as the model has it after loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discriminator {
    /// The property whose value selects the schema.
    pub property: String,
    /// What it chooses among.
    pub over: Over,
    /// Value → the name of the schema it selects, in the order found.
    pub mapping: IndexMap<String, String>,
}

impl Discriminator {
    /// The discriminator of a model schema node, when it can select a
    /// schema: over `oneOf`/`anyOf` whose branches are all references, or,
    /// for the root of a named schema (`named`), over the schemas extending
    /// it, when something does extend or the document maps it (its mapping
    /// is not empty). `None` otherwise: the node keeps JSON Schema's
    /// meaning. Only a named schema can be extended, so an inline node
    /// without branches has none, whatever it says.
    pub fn of(node: &Value, named: bool) -> Option<Discriminator> {
        Self::of_object(node.as_object()?, named)
    }

    /// [`Discriminator::of`] for a node already known to be an object.
    pub fn of_object(node: &Map<String, Value>, named: bool) -> Option<Discriminator> {
        let discriminator = node.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?;
        let over = match ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| node.get(*k).is_some_and(Value::is_array))
        {
            Some(keyword) => {
                let branches = node.get(keyword).and_then(Value::as_array)?;
                if !branches
                    .iter()
                    .all(|b| Schema::reference_name_of(b).is_some())
                {
                    return None;
                }
                if keyword == "oneOf" {
                    Over::OneOf
                } else {
                    Over::AnyOf
                }
            }
            None if named => Over::Extensions,
            None => return None,
        };
        let mapping: IndexMap<String, String> = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(value, target)| {
                let name = crate::schema_ref_name(target.as_str()?)?;
                Some((value.clone(), name.into_owned()))
            })
            .collect();
        if mapping.is_empty() {
            return None;
        }
        Some(Discriminator {
            property: property.to_owned(),
            over,
            mapping,
        })
    }

    /// The schema an object's property selects, if it has the property and
    /// a value that selects one.
    pub fn selected(&self, object: &Map<String, Value>) -> Option<&str> {
        let value = object.get(&self.property)?.as_str()?;
        self.mapping.get(value).map(String::as_str)
    }

    /// The values that select `schema`, in mapping order.
    pub fn values_for<'a>(&'a self, schema: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.mapping
            .iter()
            .filter(move |(_, name)| *name == schema)
            .map(|(value, _)| value.as_str())
    }
}
