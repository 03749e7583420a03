//! OpenAPI's integer formats (the specification's and its format
//! registry's): each is a range that JSON Schema does not know. The code
//! generator picks a Rust type by it and the validator checks the range.

use serde_json::{Number, Value};

/// An integer format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegerFormat {
    /// `int8`: -128 to 127.
    Int8,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `uint8`: 0 to 255.
    Uint8,
    /// `uint16`.
    Uint16,
    /// `uint32`.
    Uint32,
    /// `uint64`.
    Uint64,
}

impl IntegerFormat {
    /// Every integer format.
    pub const ALL: [IntegerFormat; 8] = [
        Self::Int8,
        Self::Int16,
        Self::Int32,
        Self::Int64,
        Self::Uint8,
        Self::Uint16,
        Self::Uint32,
        Self::Uint64,
    ];

    /// The format of this name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a schema node declares, if it is an integer format.
    pub fn of(schema: &Value) -> Option<Self> {
        schema
            .get("format")
            .and_then(Value::as_str)
            .and_then(Self::parse)
    }

    /// The name as written in documents.
    pub fn name(self) -> &'static str {
        match self {
            Self::Int8 => "int8",
            Self::Int16 => "int16",
            Self::Int32 => "int32",
            Self::Int64 => "int64",
            Self::Uint8 => "uint8",
            Self::Uint16 => "uint16",
            Self::Uint32 => "uint32",
            Self::Uint64 => "uint64",
        }
    }

    /// The smallest value, as a JSON number.
    pub fn minimum(self) -> Number {
        match self {
            Self::Int8 => i8::MIN.into(),
            Self::Int16 => i16::MIN.into(),
            Self::Int32 => i32::MIN.into(),
            Self::Int64 => i64::MIN.into(),
            Self::Uint8 | Self::Uint16 | Self::Uint32 | Self::Uint64 => 0.into(),
        }
    }

    /// The largest value, as a JSON number.
    pub fn maximum(self) -> Number {
        match self {
            Self::Int8 => i8::MAX.into(),
            Self::Int16 => i16::MAX.into(),
            Self::Int32 => i32::MAX.into(),
            Self::Int64 => i64::MAX.into(),
            Self::Uint8 => u8::MAX.into(),
            Self::Uint16 => u16::MAX.into(),
            Self::Uint32 => u32::MAX.into(),
            Self::Uint64 => u64::MAX.into(),
        }
    }

    /// The range, inclusive.
    fn bounds(self) -> (i128, i128) {
        let bound = |n: Number| {
            n.as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .unwrap_or_default()
        };
        (bound(self.minimum()), bound(self.maximum()))
    }

    /// Whether a number is an integer in the range.
    pub fn admits(self, number: &Number) -> bool {
        let value = number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from));
        let (low, high) = self.bounds();
        value.is_some_and(|v| (low..=high).contains(&v))
    }
}

impl std::fmt::Display for IntegerFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_the_formats_own() {
        assert_eq!(IntegerFormat::parse("uint16"), Some(IntegerFormat::Uint16));
        assert_eq!(IntegerFormat::parse("int"), None);
        let n = |v: i64| Number::from(v);
        assert!(IntegerFormat::Int8.admits(&n(-128)));
        assert!(!IntegerFormat::Int8.admits(&n(128)));
        assert!(IntegerFormat::Uint16.admits(&n(65535)));
        assert!(!IntegerFormat::Uint16.admits(&n(65536)));
        assert!(!IntegerFormat::Uint16.admits(&n(-1)));
        assert!(IntegerFormat::Uint64.admits(&Number::from(u64::MAX)));
        assert!(!IntegerFormat::Int64.admits(&Number::from(u64::MAX)));
        assert!(!IntegerFormat::Int32.admits(&n(i64::from(i32::MAX) + 1)));
        for format in IntegerFormat::ALL {
            assert_eq!(IntegerFormat::parse(format.name()), Some(format));
        }
    }
}
