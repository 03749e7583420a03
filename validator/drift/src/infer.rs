//! A schema for what was observed: the types every value had, the format
//! every string had, the members every object had (required) or some had,
//! the items of arrays; written in the document's own dialect.

use serde_json::{json, Map, Value};
use specgate_spec::JsonTypes;
use specgate_validator::observe::Shape;

use crate::suggest::Dialect;

/// The schema of the values a shape describes.
pub(crate) fn schema(shape: &Shape, dialect: Dialect) -> Value {
    let types = shape.types();
    let concrete = types.without(JsonTypes::NULL);
    let mut schema = Map::new();
    let names = concrete.names();
    match names.as_slice() {
        [] => {}
        [one] => {
            schema.insert("type".into(), (*one).into());
        }
        _ if dialect == Dialect::OpenApi31 => {
            schema.insert("type".into(), concrete.keyword());
        }
        // 3.0 and 2.0 have one type per schema: several are `anyOf`
        // branches in 3.0, and any type in 2.0.
        several => {
            if dialect == Dialect::OpenApi30 {
                let branches: Vec<Value> = several.iter().map(|t| json!({"type": t})).collect();
                schema.insert("anyOf".into(), branches.into());
            }
        }
    }
    if types.contains(JsonTypes::NULL) {
        dialect.allow_null(&mut schema);
    }
    if let Some(format) = shape.format() {
        if names == ["string"] {
            schema.insert("format".into(), format.into());
        }
    }
    if shape.count(JsonTypes::OBJECT) > 0 && !shape.members.is_empty() {
        let objects = shape.count(JsonTypes::OBJECT);
        // By name: shapes of one schema seen through several places are
        // merged in no fixed order, and a patch must not depend on it.
        let mut members: Vec<(&String, &Shape)> = shape.members.iter().collect();
        members.sort_by(|a, b| a.0.cmp(b.0));
        let properties: Map<String, Value> = members
            .iter()
            .map(|(name, member)| ((*name).clone(), self::schema(member, dialect)))
            .collect();
        let required: Vec<Value> = members
            .iter()
            .filter(|(_, member)| member.seen == objects)
            .map(|(name, _)| Value::String((*name).clone()))
            .collect();
        schema.insert("properties".into(), properties.into());
        if !required.is_empty() {
            schema.insert("required".into(), required.into());
        }
    }
    if let Some(items) = &shape.items {
        if shape.count(JsonTypes::ARRAY) > 0 {
            let items = if items.seen == 0 {
                json!({})
            } else {
                self::schema(items, dialect)
            };
            schema.insert("items".into(), items);
        }
    }
    Value::Object(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(values: &[Value]) -> Shape {
        let mut shape = Shape::of(&values[0]);
        for value in &values[1..] {
            shape.merge(Shape::of(value));
        }
        shape
    }

    #[test]
    fn required_only_when_always_present_and_integer_only_when_integral() {
        let observed = shape(&[
            json!({"id": 1, "score": 1, "at": "2024-01-02T03:04:05Z"}),
            json!({"id": 2, "score": 1.5}),
        ]);
        assert_eq!(
            schema(&observed, Dialect::OpenApi31),
            json!({"type": "object", "properties": {
                "id": {"type": "integer"},
                "score": {"type": "number"},
                "at": {"type": "string", "format": "date-time"}
            }, "required": ["id", "score"]})
        );
    }

    #[test]
    fn null_is_written_as_the_dialect_says() {
        let observed = shape(&[json!("a"), json!(null)]);
        assert_eq!(
            schema(&observed, Dialect::OpenApi31),
            json!({"type": ["string", "null"]})
        );
        assert_eq!(
            schema(&observed, Dialect::OpenApi30),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            schema(&observed, Dialect::Swagger2),
            json!({"type": "string", "x-nullable": true})
        );
        let mixed = shape(&[json!("a"), json!(1)]);
        assert_eq!(
            schema(&mixed, Dialect::OpenApi30),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn arrays_describe_their_items() {
        let observed = shape(&[json!([{"a": 1}, {"a": 2, "b": true}]), json!([])]);
        assert_eq!(
            schema(&observed, Dialect::OpenApi31),
            json!({"type": "array", "items": {"type": "object",
                "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}},
                "required": ["a"]}})
        );
    }
}
