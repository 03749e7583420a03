//! Which operation a request is for: the server base paths stripped (the
//! operation's own servers' when it has some), the path matched against
//! the model's templates (a literal segment beats a templated one at the
//! same place), then the method (`HEAD` as `GET` where only `GET` is
//! described).

use specgate_spec::{has_trailing_slash, split_path, Document, Method, Operation};

/// The operations of a document, ready to match request paths.
pub(crate) struct Router<'d> {
    routes: Vec<Route<'d>>,
    /// Base paths of every server, longest first (`/api/v3`); `""` last.
    base_paths: Vec<String>,
}

struct Route<'d> {
    operation: &'d Operation,
    /// The base paths of its servers: its own (path or operation level),
    /// else the document's.
    base_paths: Vec<String>,
}

/// What routing found.
pub(crate) enum Routed<'d> {
    /// The operation, and the path parameters' values (decoded).
    Operation(&'d Operation, Vec<(String, String)>),
    /// A documented path (this template, the best match), without this
    /// method.
    MethodNotDocumented(&'d str),
    NotDocumented,
}

impl<'d> Router<'d> {
    pub(crate) fn new(document: &'d Document) -> Self {
        let base_path =
            |server: &specgate_spec::Server| server.base_path.trim_end_matches('/').to_owned();
        let routes: Vec<Route<'d>> = document
            .operations
            .iter()
            .map(|operation| {
                let servers = if operation.servers.is_empty() {
                    &document.servers
                } else {
                    &operation.servers
                };
                Route {
                    operation,
                    base_paths: servers.iter().map(base_path).collect(),
                }
            })
            .collect();
        let mut base_paths: Vec<String> = routes
            .iter()
            .flat_map(|route| route.base_paths.iter().cloned())
            .filter(|b| !b.is_empty())
            .collect();
        base_paths.sort_by_key(|b| std::cmp::Reverse(b.len()));
        base_paths.dedup();
        base_paths.push(String::new());
        Router { routes, base_paths }
    }

    /// The operation for a method and a path (no query), still
    /// percent-encoded. Templates are ranked by [`specgate_spec::PathTemplate::score`]:
    /// the more literal wins, and of two that differ by a trailing slash,
    /// the one written as requested.
    pub(crate) fn route(&self, method: &str, path: &str) -> Routed<'d> {
        let method = Method::parse(method);
        let mut path_matched: Option<(Vec<u8>, &'d str)> = None;
        for base in &self.base_paths {
            let Some(rest) = strip_base(path, base) else {
                continue;
            };
            let segments = split_path(rest);
            let trailing_slash = has_trailing_slash(rest);
            let mut best: Option<(Vec<u8>, &Route<'d>)> = None;
            // HTTP answers HEAD as it answers GET, without the body: a
            // document that describes GET describes HEAD.
            let mut get_for_head: Option<(Vec<u8>, &Route<'d>)> = None;
            // A path recorded without any base path (a mock server's) is
            // matched as well.
            let routes = self
                .routes
                .iter()
                .filter(|route| base.is_empty() || route.base_paths.contains(base));
            for route in routes {
                let Some(score) = route.operation.template.score(&segments, trailing_slash) else {
                    continue;
                };
                if path_matched.as_ref().is_none_or(|(b, _)| score > *b) {
                    path_matched = Some((score.clone(), route.operation.path.as_str()));
                }
                let slot = if Some(route.operation.method) == method {
                    &mut best
                } else if method == Some(Method::Head) && route.operation.method == Method::Get {
                    &mut get_for_head
                } else {
                    continue;
                };
                if slot.as_ref().is_none_or(|(b, _)| score > *b) {
                    *slot = Some((score, route));
                }
            }
            if let Some((_, route)) = best.or(get_for_head) {
                let values = route
                    .operation
                    .template
                    .capture(&segments)
                    .into_iter()
                    .map(|(name, raw)| (name.to_owned(), decode(raw)))
                    .collect();
                return Routed::Operation(route.operation, values);
            }
        }
        match path_matched {
            Some((_, template)) => Routed::MethodNotDocumented(template),
            None => Routed::NotDocumented,
        }
    }

    /// A request path with the longest server base path it starts with
    /// taken off: how the document's `paths` would write it.
    pub(crate) fn relative<'p>(&self, path: &'p str) -> &'p str {
        self.base_paths
            .iter()
            .find_map(|base| strip_base(path, base))
            .unwrap_or(path)
    }
}

fn strip_base<'p>(path: &'p str, base: &str) -> Option<&'p str> {
    if base.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Document {
        let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
          "servers": [{"url": "https://example.com/api/v3/"}],
          "paths": {
            "/users/{id}": {"get": {"operationId": "getUser", "responses": {}}},
            "/users/me": {"get": {"operationId": "getMe", "responses": {}}},
            "/files/{name}.json": {"get": {"operationId": "getFile", "responses": {}}},
            "/compare/{basehead}": {"get": {"operationId": "compareOne", "responses": {}}},
            "/compare/{base}...{head}": {"get": {"operationId": "compareTwo", "responses": {}}},
            "/": {"get": {"operationId": "root", "responses": {}}},
            "/reports": {"get": {"operationId": "accountReport", "responses": {}}},
            "/reports/": {"get": {"operationId": "agentReport", "responses": {}}},
            "/groups/": {"get": {"operationId": "groups", "responses": {}}},
            "/files": {"servers": [{"url": "https://uploads.example.com/uploads"}],
                       "post": {"operationId": "upload", "responses": {}}}
          }}"#;
        specgate_spec::load_str("t.json", text).expect("a valid document")
    }

    fn id(router: &Router<'_>, method: &str, path: &str) -> String {
        match router.route(method, path) {
            Routed::Operation(op, values) => {
                let values: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("{} {}", op.operation_id, values.join(" "))
                    .trim_end()
                    .to_owned()
            }
            Routed::MethodNotDocumented(template) => format!("method of {template}"),
            Routed::NotDocumented => "none".into(),
        }
    }

    #[test]
    fn literal_segments_win_and_base_paths_are_stripped() {
        let document = document();
        let router = Router::new(&document);
        assert_eq!(id(&router, "GET", "/api/v3/users/me"), "getMe");
        assert_eq!(id(&router, "GET", "/api/v3/users/42"), "getUser id=42");
        assert_eq!(id(&router, "GET", "/users/a%2Fb/"), "getUser id=a/b");
        assert_eq!(
            id(&router, "GET", "/api/v3/files/a.b.json"),
            "getFile name=a.b"
        );
        assert_eq!(id(&router, "GET", "/api/v3/files/.json"), "none");
        // GitHub's two compare paths: text in a segment beats none.
        assert_eq!(
            id(&router, "GET", "/compare/main...topic"),
            "compareTwo base=main head=topic"
        );
        assert_eq!(
            id(&router, "GET", "/compare/main"),
            "compareOne basehead=main"
        );
        assert_eq!(
            id(&router, "DELETE", "/api/v3/users/42"),
            "method of /users/{id}"
        );
        // HEAD is answered as GET is, where the document describes only GET.
        assert_eq!(id(&router, "HEAD", "/api/v3/users/me"), "getMe");
        assert_eq!(id(&router, "HEAD", "/uploads/files"), "method of /files");
        assert_eq!(id(&router, "GET", "/api/v3/teams"), "none");
        assert_eq!(id(&router, "GET", "/api/v3"), "root");
        // Two paths that differ by a trailing slash (Chatwoot's reports):
        // each request goes to the one written as it was sent; with one
        // path, both forms reach it.
        assert_eq!(id(&router, "GET", "/api/v3/reports"), "accountReport");
        assert_eq!(id(&router, "GET", "/api/v3/reports/"), "agentReport");
        assert_eq!(id(&router, "GET", "/api/v3/groups"), "groups");
        assert_eq!(id(&router, "GET", "/api/v3/groups/"), "groups");
        // A path's own server: its base path, not the document's.
        assert_eq!(id(&router, "POST", "/uploads/files"), "upload");
        assert_eq!(id(&router, "POST", "/api/v3/files"), "none");
        assert_eq!(id(&router, "GET", "/uploads/users/me"), "none");
    }
}
