//! Bodies parsed into `serde_json::Value`, as `serde_json` would, but each
//! object's map built at its final size: `serde_json` grows it member by
//! member, rehashing as it goes, and on long bodies of many small objects
//! that growth was a twentieth of `specgate validate`'s time.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A body's text parsed as JSON. Text known to be UTF-8 is parsed as a
/// `str`, which spares serde_json checking every string of it again; the
/// check up front is SIMD.
pub(crate) fn parse(body: &[u8]) -> serde_json::Result<Value> {
    let parsed: serde_json::Result<Parsed> = match simdutf8::basic::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map(|parsed| parsed.0)
}

/// A value built by [`ValueVisitor`].
struct Parsed(Value);

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(Parsed)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Parsed::deserialize(deserializer).map(|parsed| parsed.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut values = Vec::with_capacity(items.size_hint().unwrap_or(0));
        while let Some(Parsed(value)) = items.next_element()? {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        while let Some((key, Parsed(value))) = members.next_entry()? {
            entries.push((key, value));
        }
        // The map reserved once, at its size; a repeated key keeps the last
        // value, as serde_json's own `Value` does.
        let mut map = Map::with_capacity(entries.len());
        for (key, value) in entries {
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_serde_json_does() {
        let texts = [
            r#"{"a": 1, "b": [true, null, -2, 3.5, 18446744073709551615], "c": {"d": "é\n"}}"#,
            r#"{"k": 1, "k": "two", "z": {}, "y": []}"#,
            r#""text""#,
            "-0.0",
            "[]",
        ];
        for text in texts {
            let ours = parse(text.as_bytes()).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}: order");
        }
        assert!(parse(b"{\"a\": \xff}").is_err());
        assert!(parse(b"[1,").is_err());
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(
            parse(deep.as_bytes()).is_err(),
            "serde_json's depth limit holds"
        );
    }
}
