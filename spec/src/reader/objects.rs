//! Parameters, request bodies, responses, headers, media types and examples.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::LoadError;
use crate::model::{
    Example, Header, MediaType, Parameter, ParameterLocation, ParameterStyle, RequestBody,
    Response,
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
        value: &Value,
    ) -> Result<Parameter, LoadError> {
        let resolved = self.deref(RefKind::Parameter, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let object = self.object(file, pointer, &resolved.value, "a parameter object")?;
        let name = self.string(file, pointer, object, "name")?.ok_or_else(|| {
            self.files
                .shape_error(file, pointer, "a parameter with a `name`", &resolved.value)
        })?;
        let location_name = self.string(file, pointer, object, "in")?.unwrap_or_default();
        let location = ParameterLocation::parse(&location_name).ok_or_else(|| {
            self.files.shape_error(
                file,
                &pointer::join(pointer, "in"),
                "`in` of path, query, header or cookie",
                object.get("in").unwrap_or(&Value::Null),
            )
        })?;
        let style = match self.string(file, pointer, object, "style")? {
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
            .boolean(file, pointer, object, "explode")?
            .unwrap_or(style == ParameterStyle::Form);
        let schema = match object.get("schema") {
            Some(schema) => Some(self.schema(file, &pointer::join(pointer, "schema"), schema)?),
            None => None,
        };
        Ok(Parameter {
            required: location == ParameterLocation::Path
                || self.boolean(file, pointer, object, "required")?.unwrap_or(false),
            description: self.string(file, pointer, object, "description")?,
            deprecated: self.boolean(file, pointer, object, "deprecated")?.unwrap_or(false),
            schema,
            content: self.content(file, pointer, object)?,
            style,
            explode,
            allow_reserved: self
                .boolean(file, pointer, object, "allowReserved")?
                .unwrap_or(false),
            allow_empty_value: self
                .boolean(file, pointer, object, "allowEmptyValue")?
                .unwrap_or(false),
            example: object.get("example").cloned(),
            examples: self.examples(file, pointer, object)?,
            extensions: extensions(object),
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
        value: &Value,
    ) -> Result<RequestBody, LoadError> {
        let resolved = self.deref(RefKind::RequestBody, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let object = self.object(file, pointer, &resolved.value, "a request body object")?;
        Ok(RequestBody {
            description: self.string(file, pointer, object, "description")?,
            required: self.boolean(file, pointer, object, "required")?.unwrap_or(false),
            content: self.content(file, pointer, object)?,
            extensions: extensions(object),
            origin: Origin::new(file, pointer),
        })
    }

    /// A response, following its `$ref`.
    pub(crate) fn response(
        &mut self,
        file: FileId,
        pointer: &str,
        value: &Value,
    ) -> Result<Response, LoadError> {
        let resolved = self.deref(RefKind::Response, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let object = self.object(file, pointer, &resolved.value, "a response object")?;
        let mut headers = IndexMap::new();
        for (name, header) in self.entries(file, pointer, object, "headers")? {
            let at = pointer::join_all(pointer, ["headers", name]);
            headers.insert(name.clone(), self.header(file, &at, header)?);
        }
        Ok(Response {
            description: self
                .string(file, pointer, object, "description")?
                .unwrap_or_default(),
            headers,
            content: self.content(file, pointer, object)?,
            links: self
                .entries(file, pointer, object, "links")?
                .into_iter()
                .map(|(name, link)| (name.clone(), link.clone()))
                .collect(),
            extensions: extensions(object),
            origin: Origin::new(file, pointer),
        })
    }

    /// A header, following its `$ref`.
    fn header(&mut self, file: FileId, pointer: &str, value: &Value) -> Result<Header, LoadError> {
        let resolved = self.deref(RefKind::Header, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let object = self.object(file, pointer, &resolved.value, "a header object")?;
        let schema = match object.get("schema") {
            Some(schema) => Some(self.schema(file, &pointer::join(pointer, "schema"), schema)?),
            None => None,
        };
        Ok(Header {
            description: self.string(file, pointer, object, "description")?,
            required: self.boolean(file, pointer, object, "required")?.unwrap_or(false),
            deprecated: self.boolean(file, pointer, object, "deprecated")?.unwrap_or(false),
            schema,
            content: self.content(file, pointer, object)?,
            explode: self.boolean(file, pointer, object, "explode")?.unwrap_or(false),
            example: object.get("example").cloned(),
            origin: Origin::new(file, pointer),
        })
    }

    /// The `content` map of a parameter, body, response or header.
    fn content(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &Map<String, Value>,
    ) -> Result<IndexMap<String, MediaType>, LoadError> {
        let mut content = IndexMap::new();
        for (media_type, value) in self.entries(file, pointer, object, "content")? {
            let at = pointer::join_all(pointer, ["content", media_type]);
            let object = self.object(file, &at, value, "a media type object")?;
            let schema = match object.get("schema") {
                Some(schema) => Some(self.schema(file, &pointer::join(&at, "schema"), schema)?),
                None => None,
            };
            let media = MediaType {
                schema,
                example: object.get("example").cloned(),
                examples: self.examples(file, &at, object)?,
                encoding: self
                    .entries(file, &at, object, "encoding")?
                    .into_iter()
                    .map(|(name, encoding)| (name.clone(), encoding.clone()))
                    .collect(),
                origin: Origin::new(file, at),
            };
            content.insert(media_type.clone(), media);
        }
        Ok(content)
    }

    /// The `examples` map, each example following its `$ref`.
    fn examples(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &Map<String, Value>,
    ) -> Result<IndexMap<String, Example>, LoadError> {
        let mut examples = IndexMap::new();
        // A schema-style `examples` list (seen in parameters written by
        // mistake) is not a map of Example Objects; it is left out.
        let Some(Value::Object(map)) = object.get("examples") else {
            return Ok(examples);
        };
        for (name, value) in map {
            let at = pointer::join_all(pointer, ["examples", name]);
            let resolved = self.deref(RefKind::Example, file, &at, value)?;
            let example = match &resolved.value {
                Value::Object(object)
                    if object.contains_key("value") || object.contains_key("externalValue") =>
                {
                    Example {
                        summary: object.get("summary").and_then(Value::as_str).map(Into::into),
                        description: object
                            .get("description")
                            .and_then(Value::as_str)
                            .map(Into::into),
                        value: object.get("value").cloned(),
                        external_value: object
                            .get("externalValue")
                            .and_then(Value::as_str)
                            .map(Into::into),
                        origin: Origin::new(resolved.file, resolved.pointer),
                    }
                }
                // Many documents write the value directly, as in 2.0.
                other => Example {
                    summary: None,
                    description: None,
                    value: Some(other.clone()),
                    external_value: None,
                    origin: Origin::new(resolved.file, resolved.pointer),
                },
            };
            examples.insert(name.clone(), example);
        }
        Ok(examples)
    }
}
