//! Security schemes and requirements, servers, info and tags.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::LoadError;
use crate::model::{
    Info, OAuthFlow, ParameterLocation, SecurityRequirement, SecurityScheme, SecuritySchemeKind,
    Server, ServerVariable, Tag,
};
use crate::pointer;
use crate::provenance::{FileId, Origin};
use crate::reader::{extensions, Reader, RefKind};

impl Reader {
    /// The schemes under `components/securitySchemes`.
    pub(crate) fn security_schemes(
        &mut self,
        components: &Map<String, Value>,
    ) -> Result<IndexMap<String, SecurityScheme>, LoadError> {
        let mut schemes = IndexMap::new();
        for (name, value) in
            self.entries(FileId::ROOT, "/components", components, "securitySchemes")?
        {
            let at = pointer::join_all("/components", ["securitySchemes", name]);
            let resolved = self.deref(RefKind::SecurityScheme, FileId::ROOT, &at, value.clone())?;
            let (file, at) = (resolved.file, resolved.pointer.as_str());
            let object = self.object(file, at, &resolved.value, "a security scheme object")?;
            let kind_name = self.string(file, at, object, "type")?.unwrap_or_default();
            let kind = match kind_name.as_str() {
                "apiKey" => {
                    let location = self.string(file, at, object, "in")?.unwrap_or_default();
                    let location = ParameterLocation::parse(&location)
                        .filter(|l| *l != ParameterLocation::Path)
                        .ok_or_else(|| {
                            self.files.shape_error(
                                file,
                                &pointer::join(at, "in"),
                                "`in` of header, query or cookie",
                                object.get("in").unwrap_or(&Value::Null),
                            )
                        })?;
                    SecuritySchemeKind::ApiKey {
                        name: self.string(file, at, object, "name")?.unwrap_or_default(),
                        location,
                    }
                }
                "http" => SecuritySchemeKind::Http {
                    scheme: self
                        .string(file, at, object, "scheme")?
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    bearer_format: self.string(file, at, object, "bearerFormat")?,
                },
                "oauth2" => {
                    let mut flows = IndexMap::new();
                    for (flow_name, flow) in self.entries(file, at, object, "flows")? {
                        let flow_at = pointer::join_all(at, ["flows", flow_name]);
                        let flow = self.object(file, &flow_at, flow, "an OAuth flow object")?;
                        let scopes = self
                            .entries(file, &flow_at, flow, "scopes")?
                            .into_iter()
                            .map(|(scope, text)| {
                                (scope.clone(), text.as_str().unwrap_or_default().to_owned())
                            })
                            .collect();
                        flows.insert(
                            flow_name.clone(),
                            OAuthFlow {
                                authorization_url: self.string(
                                    file,
                                    &flow_at,
                                    flow,
                                    "authorizationUrl",
                                )?,
                                token_url: self.string(file, &flow_at, flow, "tokenUrl")?,
                                refresh_url: self.string(file, &flow_at, flow, "refreshUrl")?,
                                scopes,
                            },
                        );
                    }
                    SecuritySchemeKind::OAuth2 { flows }
                }
                "openIdConnect" => SecuritySchemeKind::OpenIdConnect {
                    url: self
                        .string(file, at, object, "openIdConnectUrl")?
                        .unwrap_or_default(),
                },
                "mutualTLS" => SecuritySchemeKind::MutualTls,
                _ => {
                    return Err(self.files.shape_error(
                        file,
                        &pointer::join(at, "type"),
                        "a type of apiKey, http, oauth2, openIdConnect or mutualTLS",
                        object.get("type").unwrap_or(&Value::Null),
                    ))
                }
            };
            schemes.insert(
                name.clone(),
                SecurityScheme {
                    name: name.clone(),
                    kind,
                    description: self.string(file, at, object, "description")?,
                    extensions: extensions(object),
                    origin: Origin::new(file, at),
                },
            );
        }
        Ok(schemes)
    }

    /// A `security` list of requirements.
    pub(crate) fn security_requirements(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &Map<String, Value>,
    ) -> Result<Vec<SecurityRequirement>, LoadError> {
        let at = pointer::join(pointer, "security");
        let Some(value) = object.get("security") else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = value else {
            return Err(self.files.shape_error(
                file,
                &at,
                "a list of security requirements",
                value,
            ));
        };
        let mut requirements = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item_at = pointer::join(&at, &index.to_string());
            let item = self.object(file, &item_at, item, "a security requirement object")?;
            let mut schemes = IndexMap::new();
            for name in item.keys() {
                let scopes = self.strings(file, &item_at, item, name)?;
                self.required_schemes.insert(name.clone());
                schemes.insert(name.clone(), scopes);
            }
            requirements.push(SecurityRequirement { schemes });
        }
        Ok(requirements)
    }

    /// A `servers` list. No list at the top level means one server, `/`.
    pub(crate) fn servers(
        &mut self,
        file: FileId,
        pointer: &str,
        object: &Map<String, Value>,
    ) -> Result<Vec<Server>, LoadError> {
        let at = pointer::join(pointer, "servers");
        let items = match object.get("servers") {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self
                    .files
                    .shape_error(file, &at, "a list of servers", other))
            }
        };
        let mut servers = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item_at = pointer::join(&at, &index.to_string());
            let item = self.object(file, &item_at, item, "a server object")?;
            let url = self
                .string(file, &item_at, item, "url")?
                .unwrap_or_else(|| "/".into());
            let mut variables = IndexMap::new();
            for (name, variable) in self.entries(file, &item_at, item, "variables")? {
                let variable_at = pointer::join_all(&item_at, ["variables", name]);
                let variable =
                    self.object(file, &variable_at, variable, "a server variable object")?;
                let default = match variable.get("default") {
                    Some(Value::String(s)) => s.clone(),
                    Some(other @ (Value::Number(_) | Value::Bool(_))) => other.to_string(),
                    _ => String::new(),
                };
                variables.insert(
                    name.clone(),
                    ServerVariable {
                        default,
                        allowed: self
                            .strings(file, &variable_at, variable, "enum")
                            .unwrap_or_default(),
                        description: self.string(file, &variable_at, variable, "description")?,
                    },
                );
            }
            servers.push(Server {
                base_path: base_path(&url, &variables),
                description: self.string(file, &item_at, item, "description")?,
                url,
                variables,
            });
        }
        Ok(servers)
    }

    /// The `info` object; a document without one still loads.
    pub(crate) fn info(&self, root: &Map<String, Value>) -> Result<Info, LoadError> {
        let Some(value) = root.get("info") else {
            return Ok(Info::default());
        };
        let object = self.object(FileId::ROOT, "/info", value, "an info object")?;
        let version = match object.get("version") {
            Some(Value::Number(n)) => n.to_string(),
            _ => self
                .string(FileId::ROOT, "/info", object, "version")?
                .unwrap_or_default(),
        };
        Ok(Info {
            title: self
                .string(FileId::ROOT, "/info", object, "title")?
                .unwrap_or_default(),
            version,
            description: self.string(FileId::ROOT, "/info", object, "description")?,
            extensions: extensions(object),
        })
    }

    /// The top-level `tags`.
    pub(crate) fn tags(&self, root: &Map<String, Value>) -> Result<Vec<Tag>, LoadError> {
        let Some(Value::Array(items)) = root.get("tags") else {
            return Ok(Vec::new());
        };
        let mut tags = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let at = pointer::join("/tags", &index.to_string());
            let object = self.object(FileId::ROOT, &at, item, "a tag object")?;
            tags.push(Tag {
                name: self
                    .string(FileId::ROOT, &at, object, "name")?
                    .unwrap_or_default(),
                description: self.string(FileId::ROOT, &at, object, "description")?,
            });
        }
        Ok(tags)
    }
}

/// The path of a server URL, variables substituted by their defaults, with
/// no trailing slash: operations' paths are appended to it.
pub(crate) fn base_path(url: &str, variables: &IndexMap<String, ServerVariable>) -> String {
    let mut url = url.to_owned();
    for (name, variable) in variables {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let after_scheme = match url.find("://") {
        Some(at) => &url[at + 3..],
        // `//host/path` is a scheme-relative URL.
        None => url.strip_prefix("//").unwrap_or(&url),
    };
    let path = if url.contains("://") || url.starts_with("//") {
        after_scheme.find('/').map_or("", |at| &after_scheme[at..])
    } else {
        after_scheme
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_end_matches('/');
    if path.is_empty() || path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_of_servers() {
        let none = IndexMap::new();
        assert_eq!(base_path("https://app.chatwoot.com/", &none), "");
        assert_eq!(base_path("https://api.example.com/v3/", &none), "/v3");
        assert_eq!(base_path("/api", &none), "/api");
        assert_eq!(base_path("/", &none), "");
        assert_eq!(base_path("//cdn.example.com/x?y=1", &none), "/x");
        assert_eq!(base_path("v2", &none), "/v2");
        let mut vars = IndexMap::new();
        vars.insert(
            "version".to_owned(),
            ServerVariable {
                default: "v1".into(),
                allowed: Vec::new(),
                description: None,
            },
        );
        assert_eq!(
            base_path("https://{host}.example.com/api/{version}", &vars),
            "/api/v1"
        );
    }
}
