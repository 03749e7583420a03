//! Parameters, request bodies, responses, headers, media types and examples.
//!
//! Each reader takes its value by ownership and moves schemas and examples
//! into the model; only `$ref` targets are copied.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::LoadError;
use crate::model::{
    ComponentId, Example, Header, MediaRange, MediaType, Parameter, ParameterLocation,
    ParameterStyle, RequestBody, Response,
};
use crate::pointer;
use crate::provenance::{FileId, Origin};
use crate::reader::{extensions, Reader, RefKind};
use crate::warning::{Warning, WarningKind};

impl Reader {
    /// A parameter, following its `$ref`.
    pub(crate) fn parameter(
        &mut self,
        file: FileId,
        pointer: &str,
        value: Value,
    ) -> Result<Parameter, LoadError> {
        let resolved = self.deref(RefKind::Parameter, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let mut object = self.owned_object(file, pointer, resolved.value, "a parameter object")?;
        let name = self
            .string(file, pointer, &object, "name")?
            .ok_or_else(|| {
                self.files.error(
                    file,
                    pointer,
                    crate::error::ErrorKind::Shape {
                        expected: "a parameter with a `name`".into(),
                        found: "an object without one".into(),
                    },
                )
            })?;
        let location_name = self
            .string(file, pointer, &object, "in")?
            .unwrap_or_default();
        let location = ParameterLocation::parse(&location_name).ok_or_else(|| {
            self.files.shape_error(
                file,
                &pointer::join(pointer, "in"),
                "`in` of path, query, header or cookie",
                object.get("in").unwrap_or(&Value::Null),
            )
        })?;
        let style = match self.string(file, pointer, &object, "style")? {
            None => location.default_style(),
            Some(style) => ParameterStyle::parse(&style).unwrap_or_else(|| {
                self.warnings.push(Warning::new(
                    WarningKind::Ignored,
                    format!(
                        "unknown style `{style}`; the default for {} parameters is used",
                        location.as_str()
                    ),
                    Some(Origin::new(file, pointer::join(pointer, "style"))),
                ));
                location.default_style()
            }),
        };
        let explode = self
            .boolean(file, pointer, &object, "explode")?
            .unwrap_or(style == ParameterStyle::Form);
        let schema = self.take_schema(file, pointer, &mut object)?;
        Ok(Parameter {
            required: location == ParameterLocation::Path
                || self
                    .boolean(file, pointer, &object, "required")?
                    .unwrap_or(false),
            description: self.string(file, pointer, &object, "description")?,
            deprecated: self
                .boolean(file, pointer, &object, "deprecated")?
                .unwrap_or(false),
            schema,
            content: self.content(file, pointer, &mut object)?,
            style,
            explode,
            allow_reserved: self
                .boolean(file, pointer, &object, "allowReserved")?
                .unwrap_or(false),
            allow_empty_value: self
                .boolean(file, pointer, &object, "allowEmptyValue")?
                .unwrap_or(false),
            example: object.shift_remove("example"),
            examples: self.examples(file, pointer, &mut object)?,
            extensions: extensions(&object),
            component: ComponentId::at(&Origin::new(file, pointer)),
            origin: Origin::new(file, pointer),
            name,
            location,
        })
    }

    /// A request body, following its `$ref`.
    pub(crate) fn request_body(
        &mut self,
        file: FileId,
        pointer: &str,
        value: Value,
    ) -> Result<RequestBody, LoadError> {
        let resolved = self.deref(RefKind::RequestBody, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let mut object =
            self.owned_object(file, pointer, resolved.value, "a request body object")?;
        Ok(RequestBody {
            description: self.string(file, pointer, &object, "description")?,
            required: self
                .boolean(file, pointer, &object, "required")?
                .unwrap_or(false),
            content: self.content(file, pointer, &mut object)?,
            extensions: extensions(&object),
            component: ComponentId::at(&Origin::new(file, pointer)),
            origin: Origin::new(file, pointer),
        })
    }

    /// A response, following its `$ref`.
    pub(crate) fn response(
        &mut self,
        file: FileId,
        pointer: &str,
        value: Value,
    ) -> Result<Response, LoadError> {
        let resolved = self.deref(RefKind::Response, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let mut object = self.owned_object(file, pointer, resolved.value, "a response object")?;
        let mut headers = IndexMap::new();
        for (name, header) in self.take_entries(file, pointer, &mut object, "headers")? {
            let at = pointer::join_all(pointer, ["headers", &name]);
            let header = self.header(file, &at, header)?;
            headers.insert(name, header);
        }
        Ok(Response {
            description: self
                .string(file, pointer, &object, "description")?
                .unwrap_or_default(),
            headers,
            content: self.content(file, pointer, &mut object)?,
            links: self
                .take_entries(file, pointer, &mut object, "links")?
                .into_iter()
                .collect(),
            extensions: extensions(&object),
            component: ComponentId::at(&Origin::new(file, pointer)),
            origin: Origin::new(file, pointer),
        })
    }

    /// A header, following its `$ref`.
    fn header(&mut self, file: FileId, pointer: &str, value: Value) -> Result<Header, LoadError> {
        let resolved = self.deref(RefKind::Header, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let mut object = self.owned_object(file, pointer, resolved.value, "a header object")?;
        Ok(Header {
            description: self.string(file, pointer, &object, "description")?,
            required: self
                .boolean(file, pointer, &object, "required")?
                .unwrap_or(false),
            deprecated: self
                .boolean(file, pointer, &object, "deprecated")?
                .unwrap_or(false),
            schema: self.take_schema(file, pointer, &mut object)?,
            content: self.content(file, pointer, &mut object)?,
            explode: self
                .boolean(file, pointer, &object, "explode")?
                .unwrap_or(false),
            example: object.shift_remove("example"),
            component: ComponentId::at(&Origin::new(file, pointer)),
            origin: Origin::new(file, pointer),
        })
    }

    /// Moves out and converts the `schema` member, if there is one.
    fn take_schema(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &mut Map<String, Value>,
    ) -> Result<Option<crate::model::Schema>, LoadError> {
        match object.shift_remove("schema") {
            Some(schema) => Ok(Some(self.schema(
                file,
                &pointer::join(pointer, "schema"),
                schema,
            )?)),
            None => Ok(None),
        }
    }

    /// The `content` map of a parameter, body, response or header.
    fn content(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &mut Map<String, Value>,
    ) -> Result<IndexMap<String, MediaType>, LoadError> {
        let mut content = IndexMap::new();
        for (media_type, value) in self.take_entries(file, pointer, object, "content")? {
            let at = pointer::join_all(pointer, ["content", &media_type]);
            let mut object = self.owned_object(file, &at, value, "a media type object")?;
            let media = MediaType {
                schema: self.take_schema(file, &at, &mut object)?,
                example: object.shift_remove("example"),
                examples: self.examples(file, &at, &mut object)?,
                encoding: self
                    .take_entries(file, &at, &mut object, "encoding")?
                    .into_iter()
                    .collect(),
                range: MediaRange::parse(&media_type),
                origin: Origin::new(file, at),
            };
            content.insert(media_type, media);
        }
        Ok(content)
    }

    /// The `examples` map, each example following its `$ref`.
    fn examples(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &mut Map<String, Value>,
    ) -> Result<IndexMap<String, Example>, LoadError> {
        let mut examples = IndexMap::new();
        // A schema-style `examples` list (seen in parameters written by
        // mistake) is not a map of Example Objects; it is left out.
        let Some(Value::Object(map)) = object.shift_remove("examples") else {
            return Ok(examples);
        };
        for (name, value) in map {
            let at = pointer::join_all(pointer, ["examples", &name]);
            let resolved = self.deref(RefKind::Example, file, &at, value)?;
            let origin = Origin::new(resolved.file, resolved.pointer);
            let example = match resolved.value {
                Value::Object(mut object)
                    if object.contains_key("value") || object.contains_key("externalValue") =>
                {
                    let text = |object: &mut Map<String, Value>, key: &str| match object
                        .shift_remove(key)
                    {
                        Some(Value::String(s)) => Some(s),
                        _ => None,
                    };
                    Example {
                        summary: text(&mut object, "summary"),
                        description: text(&mut object, "description"),
                        external_value: text(&mut object, "externalValue"),
                        value: object.shift_remove("value"),
                        origin,
                    }
                }
                // Many documents write the value directly, as in 2.0.
                other => Example {
                    summary: None,
                    description: None,
                    value: Some(other),
                    external_value: None,
                    origin,
                },
            };
            examples.insert(name, example);
        }
        Ok(examples)
    }
}
