//! The one table of schema keywords: for every keyword of JSON Schema
//! 2020-12 (and the OpenAPI keywords the model keeps), how the comparer
//! reads it and which way a change accepts more. Every comparison reads
//! this table; a test walks the 2020-12 vocabulary and fails on a keyword
//! that is in neither the table nor the list of those deliberately ignored.

/// How a keyword takes part in what a schema accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// A number bounding from above: a larger value (or none) accepts more.
    Upper,
    /// A number bounding from below: a smaller value (or none) accepts more.
    Lower,
    /// An assertion compared by its own rule (see `accepts_more`).
    Assertion,
    /// Holds subschemas that are compared where they stand; `inverted`
    /// when what its subschema accepts is what the whole refuses (`not`).
    Applicator { inverted: bool },
    /// Hides a member on one side of the exchange.
    Visibility,
    /// Followed, not compared: the schema it names is.
    Reference,
    /// Changes behaviour, not acceptance: what a server assumes for an
    /// absent value.
    Behaviour,
    /// An annotation whose change may matter to readers but that no
    /// validator asserts: a change is a warning.
    Hint,
    /// Describes without constraining: never compared.
    Annotation,
}

/// One keyword: its name, its class, and in words which change accepts
/// more instances.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keyword {
    pub name: &'static str,
    pub class: Class,
    pub accepts_more: &'static str,
}

macro_rules! table {
    ($($name:literal $class:expr, $more:literal;)*) => {
        /// Every keyword the comparer knows, in the vocabularies' order.
        pub(crate) const KEYWORDS: &[Keyword] = &[$(Keyword { name: $name, class: $class, accepts_more: $more }),*];
    };
}

use Class::*;

table! {
    // Core.
    "$ref" Reference, "followed: the schema it names is compared";
    "$dynamicRef" Reference, "followed like `$ref`; a changed target that cannot be followed is a warning";
    "$schema" Annotation, "never compared";
    "$id" Annotation, "never compared (resolved by the model)";
    "$anchor" Annotation, "never compared (resolved by the model)";
    "$dynamicAnchor" Annotation, "never compared (resolved by the model)";
    "$vocabulary" Annotation, "never compared";
    "$comment" Annotation, "never compared";
    "$defs" Annotation, "never compared: definitions are compared where they are used";
    // Applicators.
    "allOf" Applicator { inverted: false }, "members merged: a member removed, or a member that accepts more";
    "anyOf" Applicator { inverted: false }, "an alternative added, or one that accepts more";
    "oneOf" Applicator { inverted: false }, "an alternative added, or one that accepts more";
    "not" Applicator { inverted: true }, "removed, or its schema accepts less";
    "if" Applicator { inverted: false }, "any change to the condition moves instances between `then` and `else`: a warning";
    "then" Applicator { inverted: false }, "removed, or its schema accepts more";
    "else" Applicator { inverted: false }, "removed, or its schema accepts more";
    "dependentSchemas" Applicator { inverted: false }, "an entry removed, or its schema accepts more";
    "prefixItems" Applicator { inverted: false }, "removed, fewer positions, or a position's schema accepts more";
    "items" Applicator { inverted: false }, "removed, or its schema accepts more";
    "contains" Applicator { inverted: false }, "removed, or its schema accepts more";
    "properties" Applicator { inverted: false }, "a property's schema accepts more";
    "patternProperties" Applicator { inverted: false }, "an entry removed, or its schema accepts more";
    "additionalProperties" Applicator { inverted: false }, "removed (`true`), or its schema accepts more";
    "propertyNames" Applicator { inverted: false }, "removed, or its schema accepts more";
    "unevaluatedItems" Applicator { inverted: false }, "removed, or its schema accepts more";
    "unevaluatedProperties" Applicator { inverted: false }, "removed, or its schema accepts more";
    // Validation.
    "type" Assertion, "a type added (`number` covers `integer`), or removed altogether";
    "enum" Assertion, "a value added, or removed altogether";
    "const" Assertion, "removed; a changed value accepts other instances";
    "multipleOf" Assertion, "removed, or a divisor of the old value";
    "maximum" Upper, "a larger value, or removed";
    "exclusiveMaximum" Upper, "a larger value, or removed";
    "minimum" Lower, "a smaller value, or removed";
    "exclusiveMinimum" Lower, "a smaller value, or removed";
    "maxLength" Upper, "a larger value, or removed (a bound the format or pattern implies is no bound)";
    "minLength" Lower, "a smaller value, or removed (a bound the format or pattern implies is no bound)";
    "pattern" Assertion, "removed, emptied, or an anchor dropped; any other change is a warning, breaking where a witness shows it";
    "maxItems" Upper, "a larger value, or removed";
    "minItems" Lower, "a smaller value, or removed";
    "uniqueItems" Assertion, "`true` removed";
    "maxContains" Upper, "a larger value, or removed";
    "minContains" Lower, "a smaller value, or removed";
    "maxProperties" Upper, "a larger value, or removed";
    "minProperties" Lower, "a smaller value, or removed";
    "required" Assertion, "a name removed";
    "dependentRequired" Assertion, "an entry or a name in it removed";
    // Format, as the validator asserts it.
    "format" Assertion, "a wider integer format (`int64`, or none, covers `int32`); another change is a warning, breaking where a witness shows it";
    // Content: annotations in 2020-12, asserted by no validator.
    "contentEncoding" Hint, "a change is a warning";
    "contentMediaType" Hint, "a change is a warning";
    "contentSchema" Hint, "a change is a warning";
    // Meta-data.
    "title" Annotation, "never compared";
    "description" Annotation, "never compared";
    "default" Behaviour, "a parameter's changed default is breaking, a request member's a warning";
    "deprecated" Annotation, "never compared (operations' deprecation is)";
    "readOnly" Visibility, "a member marked `readOnly` is not compared in requests";
    "writeOnly" Visibility, "a member marked `writeOnly` is not compared in responses";
    "examples" Annotation, "never compared";
    // OpenAPI.
    "example" Annotation, "never compared";
    "discriminator" Hint, "a change is a warning";
    "xml" Hint, "a change is a warning";
    "externalDocs" Annotation, "never compared";
}

/// The keyword's entry, if the comparer knows it.
pub(crate) fn find(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// The table as Markdown, for `CHECKS.md` (a test keeps the two the same).
pub fn markdown_table() -> String {
    let mut out = String::from("| Keyword | Read as | Accepts more when |\n|---|---|---|\n");
    for keyword in KEYWORDS {
        let class = match keyword.class {
            Upper => "upper bound",
            Lower => "lower bound",
            Assertion => "assertion",
            Applicator { inverted: false } => "subschemas",
            Applicator { inverted: true } => "subschema, inverted",
            Visibility => "visibility",
            Reference => "reference",
            Behaviour => "behaviour",
            Hint => "hint",
            Annotation => "annotation",
        };
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            keyword.name, class, keyword.accepts_more
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keywords of the JSON Schema 2020-12 vocabularies (core,
    /// applicator, unevaluated, validation, meta-data, format-annotation,
    /// content), as its meta-schemas list them.
    const VOCABULARY_2020_12: &[&str] = &[
        "$id",
        "$schema",
        "$ref",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$vocabulary",
        "$comment",
        "$defs",
        "prefixItems",
        "items",
        "contains",
        "additionalProperties",
        "properties",
        "patternProperties",
        "dependentSchemas",
        "propertyNames",
        "if",
        "then",
        "else",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "unevaluatedItems",
        "unevaluatedProperties",
        "type",
        "const",
        "enum",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
        "title",
        "description",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "examples",
        "format",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
    ];

    #[test]
    fn every_2020_12_keyword_is_in_the_table() {
        let missing: Vec<&&str> = VOCABULARY_2020_12
            .iter()
            .filter(|name| find(name).is_none())
            .collect();
        assert!(missing.is_empty(), "not in the keyword table: {missing:?}");
    }

    #[test]
    fn every_keyword_is_listed_once_and_says_what_accepts_more() {
        let mut seen = std::collections::HashSet::new();
        for keyword in KEYWORDS {
            assert!(seen.insert(keyword.name), "{} twice", keyword.name);
            assert!(!keyword.accepts_more.is_empty(), "{}", keyword.name);
        }
    }
}
