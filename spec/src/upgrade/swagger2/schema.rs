//! Schema objects: the few keywords whose 2.0 spelling differs from 3.0.

use std::mem;

use serde_json::{Map, Value};

use super::Refs;

/// Upgrades a 2.0 schema in place: `$ref`s, `type: file`, `x-nullable` and
/// string discriminators, recursing only into keywords that hold schemas so
/// that data (`example`, `enum`, `default`, `x-*`) is never touched.
pub(super) fn upgrade(schema: &mut Value, refs: &Refs) {
    let Value::Object(map) = schema else {
        return;
    };
    // One pass over the keywords: schemas are many and mostly small.
    let mut file = false;
    let mut nullable = None;
    for (keyword, value) in map.iter_mut() {
        match keyword.as_str() {
            "$ref" => {
                if let Value::String(reference) = value {
                    if let Some(moved) = refs.rewrite(reference) {
                        *reference = moved;
                    }
                }
            }
            "type" => file = value.as_str() == Some("file"),
            "x-nullable" => nullable = value.as_bool(),
            "discriminator" => {
                if let Value::String(name) = value {
                    let mut object = Map::new();
                    object.insert("propertyName".into(), Value::String(mem::take(name)));
                    *value = Value::Object(object);
                }
            }
            "properties" | "patternProperties" | "definitions" | "dependencies" => {
                if let Value::Object(children) = value {
                    for child in children.values_mut() {
                        upgrade(child, refs);
                    }
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(children) = value {
                    for child in children {
                        upgrade(child, refs);
                    }
                }
            }
            // `items` may be a schema or (in JSON Schema drafts) a list of them.
            "items" | "additionalItems" => match value {
                Value::Array(children) => {
                    for child in children {
                        upgrade(child, refs);
                    }
                }
                _ => upgrade(value, refs),
            },
            "additionalProperties" | "not" => upgrade(value, refs),
            _ => {}
        }
    }
    if file {
        map.insert("type".into(), Value::String("string".into()));
        map.insert("format".into(), Value::String("binary".into()));
    }
    if let Some(nullable) = nullable {
        map.shift_remove("x-nullable");
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
}
