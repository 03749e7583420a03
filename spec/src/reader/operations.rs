//! Paths, path items, operations, webhooks and callbacks.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::LoadError;
use crate::model::{Callback, Method, Operation, Parameter, ResponseKey};
use crate::pointer;
use crate::provenance::{FileId, Origin};
use crate::reader::{extensions, Reader, RefKind};
use crate::warning::{Warning, WarningKind};

/// Callbacks may nest (a callback's operation with callbacks of its own);
/// past this depth they are left out, so a `$ref` loop cannot recurse forever.
const MAX_CALLBACK_DEPTH: usize = 8;

/// How deep in callbacks a path item is read.
#[derive(Clone, Copy)]
struct ItemContext {
    depth: usize,
}

impl Reader {
    /// Every operation under `paths` (or `webhooks`, by `key`), in document
    /// order. Each path item is moved out of the root as it is read.
    pub(crate) fn operations(&mut self, key: &str) -> Result<Vec<Operation>, LoadError> {
        let at = pointer::join("", key);
        let paths: Vec<String> = match self.files.get(FileId::ROOT, &at) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Object(paths)) => paths.keys().cloned().collect(),
            Some(other) => {
                return Err(self
                    .files
                    .shape_error(FileId::ROOT, &at, "an object", other))
            }
        };
        let mut operations = Vec::new();
        for path in paths {
            if path.starts_with("x-") {
                continue;
            }
            let item_at = pointer::join(&at, &path);
            let Some(item) = self.files.take(FileId::ROOT, &item_at, false) else {
                continue;
            };
            let context = ItemContext { depth: 0 };
            operations.extend(self.path_item(FileId::ROOT, &item_at, &path, item, context)?);
        }
        Ok(operations)
    }

    fn path_item(
        &mut self,
        file: FileId,
        pointer: &str,
        path: &str,
        value: Value,
        context: ItemContext,
    ) -> Result<Vec<Operation>, LoadError> {
        let resolved = self.deref(RefKind::PathItem, file, pointer, value)?;
        let (file, pointer) = (resolved.file, resolved.pointer.as_str());
        let mut item = self.owned_object(file, pointer, resolved.value, "a path item object")?;
        let shared = self.parameter_list(file, pointer, &mut item)?;
        let servers = match item.get("servers") {
            Some(_) => self.servers(file, pointer, &item)?,
            None => Vec::new(),
        };
        let mut operations = Vec::new();
        for method in Method::ALL {
            let Some(value) = item.shift_remove(method.key()) else {
                continue;
            };
            let at = pointer::join(pointer, method.key());
            let mut operation = self.operation(file, &at, method, path, value, context)?;
            operation.parameters = merge_parameters(&shared, operation.parameters);
            if operation.servers.is_empty() {
                operation.servers.clone_from(&servers);
            }
            operations.push(operation);
        }
        Ok(operations)
    }

    fn operation(
        &mut self,
        file: FileId,
        pointer: &str,
        method: Method,
        path: &str,
        value: Value,
        context: ItemContext,
    ) -> Result<Operation, LoadError> {
        let mut object = self.owned_object(file, pointer, value, "an operation object")?;
        let declared_id = self.string(file, pointer, &object, "operationId")?;
        let parameters = self.parameter_list(file, pointer, &mut object)?;
        let request_body = match object.shift_remove("requestBody") {
            Some(body) => {
                Some(self.request_body(file, &pointer::join(pointer, "requestBody"), body)?)
            }
            None => None,
        };
        let mut responses = IndexMap::new();
        for (key, response) in self.take_entries(file, pointer, &mut object, "responses")? {
            if key.starts_with("x-") {
                continue;
            }
            let at = pointer::join_all(pointer, ["responses", &key]);
            let Some(response_key) = ResponseKey::parse(&key) else {
                self.warnings.push(Warning::new(
                    WarningKind::Ignored,
                    format!("`{key}` is not a status code, a range such as 2XX, or `default`; the response is left out"),
                    Some(Origin::new(file, at)),
                ));
                continue;
            };
            let response = self.response(file, &at, response)?;
            responses.insert(response_key, response);
        }
        let security = match object.get("security") {
            Some(_) => self.security_requirements(file, pointer, &object)?,
            None => self.document_security.clone(),
        };
        let servers = match object.get("servers") {
            Some(_) => self.servers(file, pointer, &object)?,
            None => Vec::new(),
        };
        let callbacks = self.callbacks(file, pointer, &mut object, context)?;
        Ok(Operation {
            method,
            path: path.to_owned(),
            template: crate::model::PathTemplate::parse(path),
            operation_id_declared: declared_id.is_some(),
            operation_id: declared_id.unwrap_or_else(|| synthesize_operation_id(method, path)),
            tags: self.strings(file, pointer, &object, "tags")?,
            summary: self.string(file, pointer, &object, "summary")?,
            description: self.string(file, pointer, &object, "description")?,
            deprecated: self
                .boolean(file, pointer, &object, "deprecated")?
                .unwrap_or(false),
            security,
            parameters,
            request_body,
            responses,
            callbacks,
            servers,
            extensions: extensions(&object),
            origin: Origin::new(file, pointer),
        })
    }

    fn parameter_list(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &mut Map<String, Value>,
    ) -> Result<Vec<Parameter>, LoadError> {
        let Some(list) = object.shift_remove("parameters") else {
            return Ok(Vec::new());
        };
        let at = pointer::join(pointer, "parameters");
        let items = match list {
            Value::Array(items) => items,
            Value::Null => return Ok(Vec::new()),
            other => {
                return Err(self
                    .files
                    .shape_error(file, &at, "a list of parameters", &other))
            }
        };
        let mut parameters: Vec<Parameter> = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let parameter = self.parameter(file, &pointer::join(&at, &index.to_string()), item)?;
            // A list may not repeat a name and location; the last one wins.
            match parameters
                .iter_mut()
                .find(|p| p.name == parameter.name && p.location == parameter.location)
            {
                Some(existing) => *existing = parameter,
                None => parameters.push(parameter),
            }
        }
        Ok(parameters)
    }

    fn callbacks(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &mut Map<String, Value>,
        context: ItemContext,
    ) -> Result<Vec<Callback>, LoadError> {
        let entries = self.take_entries(file, pointer, object, "callbacks")?;
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        if context.depth >= MAX_CALLBACK_DEPTH {
            self.warnings.push(Warning::new(
                WarningKind::Ignored,
                format!("callbacks nested more than {MAX_CALLBACK_DEPTH} deep are left out"),
                Some(Origin::new(file, pointer::join(pointer, "callbacks"))),
            ));
            return Ok(Vec::new());
        }
        let mut callbacks = Vec::new();
        for (name, value) in entries {
            let at = pointer::join_all(pointer, ["callbacks", &name]);
            let resolved = self.deref(RefKind::Callback, file, &at, value)?;
            let object = self.owned_object(
                resolved.file,
                &resolved.pointer,
                resolved.value,
                "a callback object",
            )?;
            let mut operations = Vec::new();
            for (expression, item) in object {
                if expression.starts_with("x-") {
                    continue;
                }
                let item_at = pointer::join(&resolved.pointer, &expression);
                let nested = ItemContext {
                    depth: context.depth + 1,
                };
                operations.extend(self.path_item(
                    resolved.file,
                    &item_at,
                    &expression,
                    item,
                    nested,
                )?);
            }
            callbacks.push(Callback { name, operations });
        }
        Ok(callbacks)
    }
}

/// Path item parameters first, replaced in place by an operation parameter
/// of the same name and location; the operation's others follow.
fn merge_parameters(shared: &[Parameter], own: Vec<Parameter>) -> Vec<Parameter> {
    if shared.is_empty() {
        return own;
    }
    let mut merged = shared.to_vec();
    for parameter in own {
        match merged
            .iter_mut()
            .find(|p| p.name == parameter.name && p.location == parameter.location)
        {
            Some(existing) => *existing = parameter,
            None => merged.push(parameter),
        }
    }
    merged
}

/// `get /api/v1/accounts/{account_id}` becomes `get_api_v1_accounts_account_id`.
pub(crate) fn synthesize_operation_id(method: Method, path: &str) -> String {
    let mut id = String::from(method.key());
    let mut pending_separator = true;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_separator {
                id.push('_');
                pending_separator = false;
            }
            id.push(c.to_ascii_lowercase());
        } else {
            pending_separator = true;
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthesized_ids_read_well() {
        assert_eq!(
            synthesize_operation_id(Method::Get, "/api/v1/accounts/{account_id}/conversations"),
            "get_api_v1_accounts_account_id_conversations"
        );
        assert_eq!(synthesize_operation_id(Method::Delete, "/"), "delete");
        assert_eq!(
            synthesize_operation_id(Method::Post, "/a.b/{c-d}"),
            "post_a_b_c_d"
        );
    }
}
