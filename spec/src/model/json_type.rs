//! JSON Schema's seven instance types as a set: what a schema admits and
//! what a value is. The validator's drift walk compares the two; the drift
//! report writes a set back as a schema's `type`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::document::Document;
use crate::model::Schema;

/// A set of JSON Schema instance types. `integer` is a value's type when
/// it is integral (`1.0` too); a schema's `number` admits both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonTypes(u8);

impl JsonTypes {
    /// `null`.
    pub const NULL: JsonTypes = JsonTypes(1);
    /// `true` and `false`.
    pub const BOOLEAN: JsonTypes = JsonTypes(2);
    /// Integral numbers.
    pub const INTEGER: JsonTypes = JsonTypes(4);
    /// Numbers with a fraction (a schema's `number` is this and `INTEGER`).
    pub const FRACTION: JsonTypes = JsonTypes(8);
    /// Strings.
    pub const STRING: JsonTypes = JsonTypes(16);
    /// Arrays.
    pub const ARRAY: JsonTypes = JsonTypes(32);
    /// Objects.
    pub const OBJECT: JsonTypes = JsonTypes(64);
    /// What a schema's `number` admits.
    pub const NUMBER: JsonTypes = JsonTypes(4 | 8);
    /// Every type.
    pub const ANY: JsonTypes = JsonTypes(127);

    /// Each single type, in the order names are written.
    const EACH: [(JsonTypes, &'static str); 7] = [
        (JsonTypes::OBJECT, "object"),
        (JsonTypes::ARRAY, "array"),
        (JsonTypes::STRING, "string"),
        (JsonTypes::INTEGER, "integer"),
        (JsonTypes::FRACTION, "number"),
        (JsonTypes::BOOLEAN, "boolean"),
        (JsonTypes::NULL, "null"),
    ];

    /// The type of a value.
    pub fn of(value: &Value) -> JsonTypes {
        match value {
            Value::Null => JsonTypes::NULL,
            Value::Bool(_) => JsonTypes::BOOLEAN,
            Value::Number(n) if integral(n) => JsonTypes::INTEGER,
            Value::Number(_) => JsonTypes::FRACTION,
            Value::String(_) => JsonTypes::STRING,
            Value::Array(_) => JsonTypes::ARRAY,
            Value::Object(_) => JsonTypes::OBJECT,
        }
    }

    /// A schema `type` name's set (`number` is integral or not).
    pub fn named(name: &str) -> Option<JsonTypes> {
        match name {
            "number" => Some(JsonTypes::NUMBER),
            _ => JsonTypes::EACH
                .iter()
                .find(|(_, n)| *n == name)
                .map(|(t, _)| *t),
        }
    }

    /// The set a `type` keyword's value (a name or a list of names) admits.
    pub fn of_keyword(keyword: &Value) -> Option<JsonTypes> {
        match keyword {
            Value::String(name) => JsonTypes::named(name),
            Value::Array(names) => names
                .iter()
                .filter_map(Value::as_str)
                .filter_map(JsonTypes::named)
                .reduce(JsonTypes::union),
            _ => None,
        }
    }

    /// Both sets' types.
    pub fn union(self, other: JsonTypes) -> JsonTypes {
        JsonTypes(self.0 | other.0)
    }

    /// The types in both.
    pub fn intersection(self, other: JsonTypes) -> JsonTypes {
        JsonTypes(self.0 & other.0)
    }

    /// The types of `self` not in `other`.
    pub fn without(self, other: JsonTypes) -> JsonTypes {
        JsonTypes(self.0 & !other.0)
    }

    /// Whether every type of `other` is in `self`.
    pub fn contains(self, other: JsonTypes) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether there is no type in it.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Each single type in it, in the order names are written.
    pub fn each(self) -> impl Iterator<Item = JsonTypes> {
        JsonTypes::EACH
            .into_iter()
            .map(|(t, _)| t)
            .filter(move |t| self.contains(*t))
    }

    /// The position of a single type, for per-type counters (0..7).
    pub fn index(self) -> usize {
        self.0.trailing_zeros() as usize
    }

    /// The single type at a position of [`JsonTypes::index`].
    pub fn at(index: usize) -> JsonTypes {
        JsonTypes(1 << (index % 7))
    }

    /// The set as bits, one per type: a lossless stored form (the names
    /// write integral and fractional numbers alike as `number`).
    pub fn bits(self) -> u8 {
        self.0
    }

    /// The set [`JsonTypes::bits`] gave; bits past the seven types are
    /// ignored.
    pub fn from_bits(bits: u8) -> JsonTypes {
        JsonTypes(bits & JsonTypes::ANY.0)
    }

    /// The names a schema's `type` writes for this set: `number` for
    /// integral and fractional numbers together, `integer` for integral
    /// ones alone.
    pub fn names(self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for (single, name) in JsonTypes::EACH {
            if single == JsonTypes::INTEGER && self.contains(JsonTypes::NUMBER) {
                continue;
            }
            if self.contains(single) {
                names.push(name);
            }
        }
        names
    }

    /// The `type` keyword for this set: one name, or a list of them.
    pub fn keyword(self) -> Value {
        let names = self.names();
        match names.as_slice() {
            [one] => Value::String((*one).to_owned()),
            _ => names.into_iter().map(Value::from).collect(),
        }
    }
}

impl serde::Serialize for JsonTypes {
    /// As a `type` keyword's list of names.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.names())
    }
}

impl std::fmt::Display for JsonTypes {
    /// `string`, `integer or null`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.names().join(" or "))
    }
}

fn integral(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// How deep [`Document::admitted_types`] follows compositions: the
/// model's one bound.
const MAX_DEPTH: usize = super::MAX_SCHEMA_DEPTH;

impl Document {
    /// The instance types a model schema admits, through `$ref`, `allOf`
    /// (all apply), `anyOf` and `oneOf` (any may), `enum` and `const`;
    /// `None` when it admits any type.
    pub fn admitted_types(&self, schema: &Value) -> Option<JsonTypes> {
        self.admitted(schema, 0, &mut HashMap::new())
    }

    /// `named` keeps what each named schema admits (`None` inside while it
    /// is being worked out: a schema that refers to itself admits what its
    /// other parts do), so each is worked out once however often it is
    /// referred to: `anyOf` of many references to one schema stays linear.
    fn admitted(
        &self,
        schema: &Value,
        depth: usize,
        named: &mut HashMap<String, Option<Option<JsonTypes>>>,
    ) -> Option<JsonTypes> {
        let Value::Object(object) = schema else {
            // `false` admits nothing; `true` anything.
            return (schema == &Value::Bool(false)).then_some(JsonTypes::default());
        };
        if depth > MAX_DEPTH {
            return None;
        }
        let mut admitted: Option<JsonTypes> = None;
        let mut narrow = |types: Option<JsonTypes>| {
            if let Some(types) = types {
                admitted = Some(admitted.map_or(types, |a| a.intersection(types)));
            }
        };
        narrow(object.get("type").and_then(JsonTypes::of_keyword));
        if let Some(name) = Schema::reference_name_of(schema) {
            let types = match named.get(name.as_ref()) {
                Some(Some(known)) => *known,
                // Still being worked out: this is a cycle.
                Some(None) => None,
                None => match self.schema(&name) {
                    Some(target) => {
                        named.insert(name.to_string(), None);
                        let types = self.admitted(&target.schema.value, depth + 1, named);
                        named.insert(name.to_string(), Some(types));
                        types
                    }
                    None => None,
                },
            };
            narrow(types);
        }
        for branch in branches(object, "allOf") {
            narrow(self.admitted(branch, depth + 1, named));
        }
        for keyword in ["anyOf", "oneOf"] {
            if object.contains_key(keyword) {
                let mut all = Some(JsonTypes::default());
                for branch in branches(object, keyword) {
                    let one = self.admitted(branch, depth + 1, named);
                    all = all.zip(one).map(|(all, one)| all.union(one));
                }
                narrow(all);
            }
        }
        if let Some(Value::Array(values)) = object.get("enum") {
            narrow(Some(
                values
                    .iter()
                    .map(JsonTypes::of)
                    .fold(JsonTypes::default(), JsonTypes::union),
            ));
        }
        if let Some(value) = object.get("const") {
            narrow(Some(JsonTypes::of(value)));
        }
        admitted
    }
}

fn branches<'v>(object: &'v Map<String, Value>, keyword: &str) -> impl Iterator<Item = &'v Value> {
    object
        .get(keyword)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_have_one_type() {
        assert_eq!(JsonTypes::of(&json!(1)), JsonTypes::INTEGER);
        assert_eq!(JsonTypes::of(&json!(1.0)), JsonTypes::INTEGER);
        assert_eq!(JsonTypes::of(&json!(1.5)), JsonTypes::FRACTION);
        assert_eq!(JsonTypes::of(&json!(null)), JsonTypes::NULL);
        assert_eq!(JsonTypes::of(&json!({})), JsonTypes::OBJECT);
    }

    #[test]
    fn keywords_round_trip() {
        let set = JsonTypes::of_keyword(&json!(["string", "null"])).expect("types");
        assert_eq!(set.keyword(), json!(["string", "null"]));
        let number = JsonTypes::of_keyword(&json!("number")).expect("a type");
        assert!(number.contains(JsonTypes::INTEGER));
        assert_eq!(number.keyword(), json!("number"));
        assert_eq!(JsonTypes::INTEGER.keyword(), json!("integer"));
        assert_eq!(JsonTypes::at(JsonTypes::STRING.index()), JsonTypes::STRING);
        assert_eq!(
            JsonTypes::NULL.union(JsonTypes::OBJECT).to_string(),
            "object or null"
        );
    }

    #[test]
    fn schemas_admit_through_compositions() {
        let doc = crate::load_str(
            "t.yaml",
            r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    User: {type: object}
    MaybeUser: {anyOf: [{$ref: "#/components/schemas/User"}, {type: "null"}]}
    Status: {enum: [open, null]}
    Free: {description: anything}
"##,
        )
        .expect("loads");
        let admitted =
            |name: &str| doc.admitted_types(&doc.schema(name).expect("named").schema.value);
        assert_eq!(admitted("User"), Some(JsonTypes::OBJECT));
        assert_eq!(
            admitted("MaybeUser"),
            Some(JsonTypes::OBJECT.union(JsonTypes::NULL))
        );
        assert_eq!(
            admitted("Status"),
            Some(JsonTypes::STRING.union(JsonTypes::NULL))
        );
        assert_eq!(admitted("Free"), None);
    }

    #[test]
    fn references_are_worked_out_once() {
        // 40 references to a schema that refers to itself 40 times: 40^16
        // walks without a memory of named schemas.
        let refs: Vec<String> = (0..40)
            .map(|_| r##"{"$ref": "#/components/schemas/A"}"##.to_owned())
            .collect();
        let text = format!(
            r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
               "components": {{"schemas": {{"A": {{"type": "object", "anyOf": [{}]}}}}}}}}"#,
            refs.join(",")
        );
        let doc = crate::load_str("t.json", &text).expect("loads");
        let a = &doc.schema("A").expect("named").schema.value;
        assert_eq!(doc.admitted_types(a), Some(JsonTypes::OBJECT));
    }
}
