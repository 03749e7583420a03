//! The drift report's parts: what traffic showed that the document does
//! not say, each with how often and where it was first seen, and the
//! suggested changes.

use serde::Serialize;
use serde_json::Value;
use specgate_spec::JsonTypes;
use specgate_validator::observe::Sighting;
use specgate_validator::SchemaLocation;

/// Everything a drift run found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DriftReport {
    /// What was read.
    pub summary: Summary,
    /// Records that could not be read (the first of them), each named.
    pub malformed: Vec<Malformed>,
    /// Requests no operation of the document describes.
    pub operations: Vec<OperationGap>,
    /// Responses whose status their operation does not document.
    pub statuses: Vec<StatusGap>,
    /// Responses whose media type (or body) their response does not
    /// document.
    pub media_types: Vec<MediaGap>,
    /// Query parameters sent that their operation does not declare.
    pub parameters: Vec<ParameterGap>,
    /// Object members sent that their schema does not declare.
    pub members: Vec<MemberGap>,
    /// Declared members no observed object had.
    pub unseen: Vec<UnseenMember>,
    /// Values of a type their schema does not admit.
    pub types: Vec<TypeGap>,
    /// Values outside their schema's `enum`.
    pub enums: Vec<EnumGap>,
    /// Required members some objects did not have.
    pub required: Vec<RequiredGap>,
    /// String values that do not have their schema's `format`.
    pub formats: Vec<FormatGap>,
    /// Other schema violations, by the keyword that failed: no change is
    /// suggested for them.
    pub violations: Vec<ViolationGroup>,
    /// The changes that make the document say what was observed.
    pub suggestions: Vec<Suggestion>,
    /// Changes kept out by `--min-share`: too rarely observed.
    pub outliers: Vec<Suggestion>,
    /// Changes that could not be written (in another file of the
    /// document, or not expressible in its version).
    pub not_patched: Vec<String>,
}

impl DriftReport {
    /// Whether traffic and document disagree anywhere.
    pub fn has_drift(&self) -> bool {
        !(self.operations.is_empty()
            && self.statuses.is_empty()
            && self.media_types.is_empty()
            && self.parameters.is_empty()
            && self.members.is_empty()
            && self.types.is_empty()
            && self.enums.is_empty()
            && self.required.is_empty()
            && self.formats.is_empty()
            && self.violations.is_empty())
    }

    /// The suggested changes as an RFC 6902 JSON Patch: each operation
    /// also says (in members RFC 6902 tells readers to ignore) how many
    /// observations support it.
    pub fn patch(&self) -> Value {
        Value::Array(self.suggestions.iter().map(Suggestion::operation).collect())
    }
}

/// Counts of what was read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Records read, malformed ones included.
    pub records: u64,
    /// Exchanges that matched an operation.
    pub matched: u64,
    /// Exchanges no operation describes.
    pub undocumented: u64,
    /// Records that could not be read.
    pub malformed: u64,
    /// Records not checked: sent outside `--base-url`, CORS preflights,
    /// requests without a response.
    pub not_checked: u64,
    /// Operations of the document that traffic reached.
    pub operations_seen: usize,
    /// Operations of the document.
    pub operations_documented: usize,
}

/// A record that could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct Malformed {
    /// The input.
    pub source: String,
    /// Its 0-based index there.
    pub entry: usize,
    /// Why.
    pub reason: String,
}

/// The first exchange something was seen in.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// The input.
    pub source: String,
    /// The exchange's 0-based index there.
    pub entry: usize,
    /// The request line, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// Where in the exchange (`response body /data/payload/0/meta`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl Example {
    pub(crate) fn of(sighting: &Sighting) -> Example {
        let pointer = if sighting.pointer.is_empty() {
            "/"
        } else {
            &sighting.pointer
        };
        Example {
            source: sighting.source.clone(),
            entry: sighting.entry,
            request: None,
            at: Some(format!("{} {pointer}", sighting.place)),
        }
    }
}

/// Requests to a method and path no operation describes.
#[derive(Debug, Clone, Serialize)]
pub struct OperationGap {
    /// Upper case.
    pub method: String,
    /// A documented path (for another method), or the requests' path with
    /// identifiers made parameters.
    pub path: String,
    /// Whether the path is documented, for other methods.
    pub path_documented: bool,
    /// How many exchanges.
    pub count: u64,
    /// The statuses answered, with counts.
    pub statuses: Vec<(u16, u64)>,
    /// The first.
    pub example: Example,
}

/// Responses with a status their operation does not document.
#[derive(Debug, Clone, Serialize)]
pub struct StatusGap {
    /// The operationId.
    pub operation: String,
    /// The status.
    pub status: u16,
    /// How many responses.
    pub count: u64,
    /// Of how many exchanges of the operation.
    pub of: u64,
    /// The first.
    pub example: Example,
}

/// Responses with a media type (or a body) their response does not
/// document.
#[derive(Debug, Clone, Serialize)]
pub struct MediaGap {
    /// The operationId.
    pub operation: String,
    /// The status.
    pub status: u16,
    /// The media type sent; none when the body came without one.
    pub media: Option<String>,
    /// How many responses.
    pub count: u64,
    /// Of how many exchanges of the operation.
    pub of: u64,
    /// The first.
    pub example: Example,
}

/// A query parameter an operation does not declare.
#[derive(Debug, Clone, Serialize)]
pub struct ParameterGap {
    /// The operationId.
    pub operation: String,
    /// The parameter.
    pub name: String,
    /// How many requests sent it.
    pub count: u64,
    /// Of how many exchanges of the operation.
    pub of: u64,
    /// The first.
    pub example: Example,
}

/// A member an object schema does not declare.
#[derive(Debug, Clone, Serialize)]
pub struct MemberGap {
    /// Where the schema that would declare it is written.
    pub schema: SchemaLocation,
    /// The member.
    pub name: String,
    /// How many objects had it.
    pub count: u64,
    /// Of how many objects the schema described.
    pub of: u64,
    /// The types its values had.
    pub types: JsonTypes,
    /// The first.
    pub example: Example,
}

/// A declared member no observed object had.
#[derive(Debug, Clone, Serialize)]
pub struct UnseenMember {
    /// Where its schema is written.
    pub schema: SchemaLocation,
    /// The member.
    pub name: String,
    /// How many objects the schema described.
    pub objects: u64,
}

/// Values of a type their schema does not admit.
#[derive(Debug, Clone, Serialize)]
pub struct TypeGap {
    /// Where the schema that describes the values is written.
    pub schema: SchemaLocation,
    /// The named schema it refers to, when it is a `$ref` (the type is
    /// widened here, at the reference, not for every use of the schema).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<SchemaLocation>,
    /// What it admits.
    pub documented: Option<JsonTypes>,
    /// Each type seen, with how many values had it.
    pub observed: Vec<(JsonTypes, u64)>,
    /// How many values the schema described.
    pub of: u64,
    /// The first value of each type it does not admit.
    pub examples: Vec<(JsonTypes, Example)>,
}

/// A value outside an `enum`.
#[derive(Debug, Clone, Serialize)]
pub struct EnumGap {
    /// Where the `enum` is written.
    pub schema: SchemaLocation,
    /// The value, as JSON text unless it is a string.
    pub value: String,
    /// The value itself.
    #[serde(skip)]
    pub json: Value,
    /// For a parameter's enum: the operation it was sent to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// How many times it was seen.
    pub count: u64,
    /// Of how many values the schema described (in bodies), or exchanges
    /// of the operation (for a parameter).
    pub of: u64,
    /// The first.
    pub example: Example,
}

/// A required member some objects did not have.
#[derive(Debug, Clone, Serialize)]
pub struct RequiredGap {
    /// Where the `required` list is written.
    pub schema: SchemaLocation,
    /// The member.
    pub name: String,
    /// How many objects did not have it.
    pub absent: u64,
    /// Of how many objects.
    pub of: u64,
}

/// String values without their schema's `format`.
#[derive(Debug, Clone, Serialize)]
pub struct FormatGap {
    /// Where the `format` is written.
    pub schema: SchemaLocation,
    /// The format.
    pub format: String,
    /// How many values did not have it.
    pub count: u64,
    /// Of how many values the schema described (in bodies), or exchanges
    /// of the operation (for a parameter).
    pub of: u64,
    /// For a parameter's format: the operation it was sent to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The first.
    pub example: Example,
}

/// Violations of one schema keyword that no other part explains.
#[derive(Debug, Clone, Serialize)]
pub struct ViolationGroup {
    /// Where the keyword is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaLocation>,
    /// The first message.
    pub message: String,
    /// How many (at most 20 are reported per value).
    pub count: u64,
    /// The first.
    pub example: Example,
}

/// One suggested change to the document.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// `add`, `replace` or `remove`.
    pub op: &'static str,
    /// The JSON pointer in the document as written.
    pub path: String,
    /// The value added or replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Why, for people.
    pub reason: String,
    /// How many observations support it.
    pub observations: u64,
    /// Of how many.
    pub of: u64,
}

impl Suggestion {
    /// `observations / of`.
    pub fn share(&self) -> f64 {
        if self.of == 0 {
            1.0
        } else {
            self.observations as f64 / self.of as f64
        }
    }

    /// The RFC 6902 operation, with its support.
    pub fn operation(&self) -> Value {
        let mut op = serde_json::Map::new();
        op.insert("op".into(), self.op.into());
        op.insert("path".into(), self.path.clone().into());
        if let Some(value) = &self.value {
            op.insert("value".into(), value.clone());
        }
        op.insert("reason".into(), self.reason.clone().into());
        op.insert("observations".into(), self.observations.into());
        op.insert("of".into(), self.of.into());
        Value::Object(op)
    }
}
