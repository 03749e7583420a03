//! Client plans to Rust tokens: the `Client`, one builder per operation
//! (`builder`), the documented errors (`errors`) and, where an operation
//! has several success bodies, their enums (`responses`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use specgate_spec::{Document, ParameterLocation, ResponseKey};

use super::plan::{
    BodyEncoding, BodyKind, BodyMedia, Credential, OperationPlan, ParamPlan, ResponsePlan,
    SchemePlan,
};
use crate::naming::Scope;
use crate::render::{doc_attrs, ident, ty_in};
use crate::types::Ty;

/// The runtime every generated client carries, as source.
const SUPPORT: &str = include_str!("support.rs");

pub(crate) fn client(
    document: &Document,
    schemes: &[SchemePlan],
    operations: &[OperationPlan],
) -> TokenStream {
    let client = client_struct(document, schemes, operations);
    let common = common_items();
    let builders = operations.iter().map(|op| builder(op, schemes));
    let errors = operations.iter().filter_map(error_enum);
    let responses: Vec<TokenStream> = operations.iter().filter_map(success_enum).collect();
    let responses = (!responses.is_empty()).then(|| {
        quote! {
            /// Success bodies of operations that answer with more than one.
            pub mod responses {
                #(#responses)*
            }
        }
    });
    // Its `//!` lines describe the file here; in the generated code the
    // module's outer doc says it.
    let source: String = SUPPORT
        .lines()
        .skip_while(|line| line.starts_with("//!") || line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let support: TokenStream = source.parse().unwrap_or_default();
    quote! {
        #client
        #common

        /// One request builder per operation: required parameters are the
        /// client method's arguments, optional ones are set here, and
        /// `send` sends the request.
        // An operation's documented error body can be large; it is the
        // caller's to box if they keep it.
        #[allow(clippy::result_large_err)]
        pub mod builder {
            #(#builders)*
        }

        /// The documented error responses of each operation, by status.
        pub mod errors {
            #(#errors)*
        }

        #responses

        /// Parameter and body encoding. Not every API uses every style.
        #[allow(dead_code)]
        mod support {
            #support
        }
    }
}

fn client_struct(
    document: &Document,
    schemes: &[SchemePlan],
    operations: &[OperationPlan],
) -> TokenStream {
    let title = format!(
        " A client of {} {}: one method per operation.",
        document.info.title, document.info.version
    );
    let base_path = document.base_path();
    let servers: Vec<String> = document
        .servers
        .iter()
        .map(|s| format!(" - `{}`", s.url))
        .collect();
    let servers_doc = (!servers.is_empty()).then(|| {
        let lines = servers.iter();
        quote! {
            #[doc = ""]
            #[doc = " The document's servers:"]
            #(#[doc = #lines])*
        }
    });
    let fields = schemes.iter().map(|s| {
        let field = ident(&s.field);
        match s.kind {
            Credential::Basic => {
                quote! { #field: ::std::option::Option<(::std::string::String, ::std::string::String)>, }
            }
            _ => quote! { #field: ::std::option::Option<::std::string::String>, },
        }
    });
    let debug_fields = schemes.iter().map(|s| {
        let field = ident(&s.field);
        let name = &s.field;
        quote! {
            .field(#name, &self.credentials.#field.as_ref().map(|_| "<redacted>"))
        }
    });
    let setters = schemes.iter().map(scheme_setter);
    let methods = operations.iter().map(client_method);
    let scheme_enum = (!schemes.is_empty()).then(|| {
        let variants = schemes.iter().map(|s| format_ident!("{}", s.variant));
        quote! {
            /// The document's security schemes, named as it names them.
            #[derive(Debug, Clone, Copy)]
            #[allow(clippy::enum_variant_names)]
            enum Scheme {
                #(#variants,)*
            }
        }
    });
    let multipart = operations
        .iter()
        .any(|op| op.body.as_ref().is_some_and(|b| b.multipart));
    let authorize = authorize(schemes, multipart);
    // A document without security schemes needs no credentials.
    let has_schemes = !schemes.is_empty();
    let credentials_field = has_schemes.then(|| quote! { credentials: Credentials, });
    let credentials_init = has_schemes.then(|| quote! { credentials: Credentials::default(), });
    let credentials_struct = has_schemes.then(|| {
        quote! {
            /// Credentials, one per security scheme; never printed.
            #[derive(Clone, Default)]
            struct Credentials {
                #(#fields)*
            }
        }
    });
    quote! {
        #[doc = #title]
        #[doc = ""]
        #[doc = " Every operation's path is appended to the base URL and the base"]
        #[doc = " path (from the document's first server unless replaced)."]
        #servers_doc
        #[derive(Clone)]
        pub struct Client {
            base_url: ::std::string::String,
            base_path: ::std::string::String,
            http: ::reqwest::Client,
            #credentials_field
        }

        #credentials_struct

        #scheme_enum

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    .field("base_path", &self.base_path)
                    #(#debug_fields)*
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            /// The base path of the document's first server.
            pub const BASE_PATH: &'static str = #base_path;

            /// A client of the API at `base_url` (scheme, host and port, such
            /// as `https://api.example.com`), with a default `reqwest` client.
            pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self::with_http_client(base_url, ::reqwest::Client::new())
            }

            /// A client that sends through `http`, configured as the caller
            /// needs (timeouts, proxies, TLS).
            pub fn with_http_client(
                base_url: impl ::std::convert::Into<::std::string::String>,
                http: ::reqwest::Client,
            ) -> Self {
                Self {
                    base_url: base_url.into(),
                    base_path: Self::BASE_PATH.to_owned(),
                    http,
                    #credentials_init
                }
            }

            /// Replaces the base path that operation paths are appended to.
            pub fn with_base_path(mut self, base_path: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.base_path = base_path.into().trim_end_matches('/').to_owned();
                self
            }

            /// The base URL.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            /// The base path.
            pub fn base_path(&self) -> &str {
                &self.base_path
            }

            #(#setters)*

            #(#methods)*

            #authorize
        }
    }
}

fn scheme_setter(scheme: &SchemePlan) -> TokenStream {
    let setter = format_ident!("with_{}", scheme.field);
    let field = ident(&scheme.field);
    let how = match &scheme.kind {
        Credential::ApiKey { location, name } => format!(
            " Sent as the {} `{name}` (security scheme `{}`).",
            match location {
                ParameterLocation::Header => "header",
                ParameterLocation::Query => "query parameter",
                ParameterLocation::Cookie => "cookie",
                ParameterLocation::Path => "path parameter",
            },
            scheme.name
        ),
        Credential::Bearer => format!(
            " Sent as `Authorization: Bearer` (security scheme `{}`).",
            scheme.name
        ),
        Credential::Basic => format!(
            " Sent as `Authorization: Basic` (security scheme `{}`).",
            scheme.name
        ),
    };
    let doc = doc_attrs(scheme.doc.as_deref());
    match scheme.kind {
        Credential::Basic => quote! {
            #doc
            #[doc = ""]
            #[doc = #how]
            pub fn #setter(
                mut self,
                username: impl ::std::convert::Into<::std::string::String>,
                password: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.credentials.#field = ::std::option::Option::Some((username.into(), password.into()));
                self
            }
        },
        _ => quote! {
            #doc
            #[doc = ""]
            #[doc = #how]
            pub fn #setter(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.credentials.#field = ::std::option::Option::Some(value.into());
                self
            }
        },
    }
}

/// `authorize` (credentials of the first satisfied alternative) and
/// `execute` (send and read the whole response).
fn authorize(schemes: &[SchemePlan], multipart: bool) -> TokenStream {
    let arms = schemes.iter().map(|s| {
        let variant = format_ident!("{}", s.variant);
        let field = ident(&s.field);
        let apply = match &s.kind {
            Credential::ApiKey { location, name } => match location {
                ParameterLocation::Query => quote! { request.query.push((#name.to_owned(), value.clone())); },
                ParameterLocation::Cookie => quote! { request.cookies.push((#name.to_owned(), value.clone())); },
                _ => quote! { request.secret_headers.push((#name.to_owned(), value.clone())); },
            },
            Credential::Bearer => quote! {
                request.secret_headers.push(("authorization".to_owned(), ::std::format!("Bearer {value}")));
            },
            Credential::Basic => quote! { basic = ::std::option::Option::Some(value.clone()); },
        };
        quote! {
            Scheme::#variant => {
                if let ::std::option::Option::Some(value) = &self.credentials.#field {
                    #apply
                }
            }
        }
    });
    let has_basic = schemes.iter().any(|s| matches!(s.kind, Credential::Basic));
    let basic_decl = has_basic.then(|| quote! { let mut basic = ::std::option::Option::None; });
    let basic_result = if has_basic {
        quote! { basic }
    } else {
        quote! { ::std::option::Option::None }
    };
    let authorize = if schemes.is_empty() {
        quote! {
            fn authorize(&self, _request: &mut support::Request, _security: &[&[()]]) -> ::std::option::Option<(::std::string::String, ::std::string::String)> {
                ::std::option::Option::None
            }
        }
    } else {
        // Basic credentials go to reqwest, not into the request.
        let request_param = if schemes.iter().all(|s| matches!(s.kind, Credential::Basic)) {
            quote! { _request }
        } else {
            quote! { request }
        };
        let satisfied = schemes.iter().map(|s| {
            let variant = format_ident!("{}", s.variant);
            let field = ident(&s.field);
            quote! { Scheme::#variant => self.credentials.#field.is_some(), }
        });
        quote! {
            /// Adds the credentials of the first alternative of `security`
            /// whose credentials are all set; returns HTTP basic
            /// credentials, which reqwest encodes.
            fn authorize(&self, #request_param: &mut support::Request, security: &[&[Scheme]]) -> ::std::option::Option<(::std::string::String, ::std::string::String)> {
                let chosen = security.iter().find(|alternative| {
                    alternative.iter().all(|scheme| match scheme {
                        #(#satisfied)*
                    })
                });
                #basic_decl
                for scheme in chosen.into_iter().flat_map(|alternative| alternative.iter()) {
                    match scheme {
                        #(#arms)*
                    }
                }
                #basic_result
            }
        }
    };
    let scheme_ty = if schemes.is_empty() {
        quote! { () }
    } else {
        quote! { Scheme }
    };
    let query_keys = schemes.iter().any(|s| {
        matches!(
            s.kind,
            Credential::ApiKey {
                location: ParameterLocation::Query,
                ..
            }
        )
    });
    // An API key in the query is part of the URL, which reqwest's errors
    // print: those errors go without it.
    let transport = if query_keys {
        quote! { |e: ::reqwest::Error| Error::Transport(e.without_url()) }
    } else {
        quote! { Error::Transport }
    };
    let multipart = if multipart {
        quote! {
            let mut form = ::reqwest::multipart::Form::new();
            for part in parts {
                let mut piece = ::reqwest::multipart::Part::bytes(part.bytes);
                if let ::std::option::Option::Some(file_name) = part.file_name {
                    piece = piece.file_name(file_name);
                }
                if let ::std::option::Option::Some(content_type) = &part.content_type {
                    piece = piece
                        .mime_str(content_type)
                        .map_err(|e| Error::InvalidRequest(::std::format!("part `{}`: {e}", part.name)))?;
                }
                form = form.part(part.name, piece);
            }
            builder = builder.multipart(form);
        }
    } else {
        quote! {
            let _ = parts;
            return ::std::result::Result::Err(Error::InvalidRequest("this API takes no multipart bodies".to_owned()));
        }
    };
    quote! {
        #authorize

        /// Sends a request and reads its whole response.
        #[allow(clippy::result_large_err)]
        async fn execute<E>(
            &self,
            mut request: support::Request,
            accept: ::std::option::Option<&str>,
            security: &[&[#scheme_ty]],
        ) -> ::std::result::Result<Raw, Error<E>> {
            let basic = self.authorize(&mut request, security);
            if let ::std::option::Option::Some(error) = request.error {
                return ::std::result::Result::Err(Error::InvalidRequest(error));
            }
            let address = ::std::format!(
                "{}{}{}",
                self.base_url.trim_end_matches('/'),
                self.base_path,
                request.path
            );
            let mut url = ::reqwest::Url::parse(&address)
                .map_err(|e| Error::InvalidRequest(::std::format!("{address}: {e}")))?;
            if !request.query.is_empty() {
                url.query_pairs_mut().extend_pairs(&request.query);
            }
            let method = ::reqwest::Method::from_bytes(request.method.as_bytes())
                .map_err(|e| Error::InvalidRequest(e.to_string()))?;
            let mut builder = self.http.request(method, url);
            if let ::std::option::Option::Some(accept) = accept {
                builder = builder.header(::reqwest::header::ACCEPT, accept);
            }
            let cookies = request
                .cookies
                .iter()
                .map(|(name, value)| ::std::format!("{name}={value}"))
                .collect::<::std::vec::Vec<_>>()
                .join("; ");
            let headers = request
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str(), false))
                .chain(request.secret_headers.iter().map(|(name, value)| (name.as_str(), value.as_str(), true)))
                .chain((!cookies.is_empty()).then_some(("cookie", cookies.as_str(), true)));
            for (name, value, secret) in headers {
                let header_name = ::reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| Error::InvalidRequest(::std::format!("header `{name}`: {e}")))?;
                let mut header_value = ::reqwest::header::HeaderValue::from_str(value)
                    .map_err(|e| Error::InvalidRequest(::std::format!("header `{name}`: {e}")))?;
                header_value.set_sensitive(secret);
                builder = builder.header(header_name, header_value);
            }
            if let ::std::option::Option::Some((username, password)) = basic {
                builder = builder.basic_auth(username, ::std::option::Option::Some(password));
            }
            match request.body {
                ::std::option::Option::None => {}
                ::std::option::Option::Some(support::Body::Bytes { content_type, bytes }) => {
                    builder = builder
                        .header(::reqwest::header::CONTENT_TYPE, content_type)
                        .body(bytes);
                }
                ::std::option::Option::Some(support::Body::Form(fields)) => {
                    builder = builder.form(&fields);
                }
                ::std::option::Option::Some(support::Body::Multipart(parts)) => {
                    #multipart
                }
            }
            let response = builder.send().await.map_err(#transport)?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(#transport)?.to_vec();
            ::std::result::Result::Ok(Raw { status, headers, body })
        }
    }
}

/// `Response`, `Error` and the reading of raw responses.
fn common_items() -> TokenStream {
    quote! {
        /// A successful response: its status, headers and typed body. It
        /// dereferences to the body.
        #[derive(Debug, Clone)]
        pub struct Response<T> {
            status: ::reqwest::StatusCode,
            headers: ::reqwest::header::HeaderMap,
            body: T,
        }

        impl<T> Response<T> {
            /// The status code.
            pub fn status(&self) -> ::reqwest::StatusCode {
                self.status
            }

            /// The response headers.
            pub fn headers(&self) -> &::reqwest::header::HeaderMap {
                &self.headers
            }

            /// The body.
            pub fn body(&self) -> &T {
                &self.body
            }

            /// The body, by value.
            pub fn into_body(self) -> T {
                self.body
            }

            /// The same response with its body transformed.
            pub fn map<U>(self, f: impl ::std::ops::FnOnce(T) -> U) -> Response<U> {
                Response {
                    status: self.status,
                    headers: self.headers,
                    body: f(self.body),
                }
            }
        }

        impl<T> ::std::ops::Deref for Response<T> {
            type Target = T;

            fn deref(&self) -> &T {
                &self.body
            }
        }

        /// Why an operation failed. `E` is the operation's enum of
        /// documented error responses (in `errors`).
        #[derive(Debug)]
        pub enum Error<E> {
            /// The request could not be built: a base URL that does not
            /// parse, a value that cannot be encoded, a header value with a
            /// line break.
            InvalidRequest(::std::string::String),
            /// The request could not be sent or the response not read.
            Transport(::reqwest::Error),
            /// A documented error response, with its typed body.
            Api {
                status: ::reqwest::StatusCode,
                headers: ::std::boxed::Box<::reqwest::header::HeaderMap>,
                body: E,
            },
            /// A status the document does not give for the operation, or a
            /// body that does not read as documented: everything received is
            /// kept.
            UnexpectedResponse {
                status: ::reqwest::StatusCode,
                headers: ::std::boxed::Box<::reqwest::header::HeaderMap>,
                body: ::std::vec::Vec<u8>,
                reason: ::std::string::String,
            },
        }

        impl<E> Error<E> {
            /// The response's status, when there was a response.
            pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
                match self {
                    Error::Api { status, .. } | Error::UnexpectedResponse { status, .. } => {
                        ::std::option::Option::Some(*status)
                    }
                    Error::Transport(error) => error.status(),
                    Error::InvalidRequest(_) => ::std::option::Option::None,
                }
            }
        }

        impl<E: ::std::fmt::Debug> ::std::fmt::Display for Error<E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Error::InvalidRequest(reason) => ::std::write!(f, "invalid request: {reason}"),
                    Error::Transport(error) => ::std::write!(f, "request failed: {error}"),
                    Error::Api { status, body, .. } => ::std::write!(f, "{status}: {body:?}"),
                    Error::UnexpectedResponse { status, reason, .. } => {
                        ::std::write!(f, "unexpected response {status}: {reason}")
                    }
                }
            }
        }

        impl<E: ::std::fmt::Debug> ::std::error::Error for Error<E> {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Error::Transport(error) => ::std::option::Option::Some(error),
                    _ => ::std::option::Option::None,
                }
            }
        }

        /// A response as received, before it is read as documented.
        struct Raw {
            status: ::reqwest::StatusCode,
            headers: ::reqwest::header::HeaderMap,
            body: ::std::vec::Vec<u8>,
        }

        // Not every API has every kind of body; an error body can be large.
        #[allow(dead_code, clippy::result_large_err)]
        impl Raw {
            fn success<T, E>(self, body: T) -> ::std::result::Result<Response<T>, Error<E>> {
                ::std::result::Result::Ok(Response { status: self.status, headers: self.headers, body })
            }

            fn unexpected<E>(self, reason: ::std::string::String) -> Error<E> {
                Error::UnexpectedResponse { status: self.status, headers: ::std::boxed::Box::new(self.headers), body: self.body, reason }
            }

            /// Reads a JSON body; an empty body reads as `null`, which an
            /// optional type accepts.
            fn json<T: ::serde::de::DeserializeOwned, E>(self) -> ::std::result::Result<Response<T>, Error<E>> {
                let text: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
                    b"null"
                } else {
                    &self.body
                };
                match ::serde_json::from_slice(text) {
                    ::std::result::Result::Ok(body) => self.success(body),
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(
                        self.unexpected(::std::format!("the body does not read as documented: {e}")),
                    ),
                }
            }

            fn text<E>(self) -> ::std::result::Result<Response<::std::string::String>, Error<E>> {
                match ::std::string::String::from_utf8(self.body.clone()) {
                    ::std::result::Result::Ok(body) => self.success(body),
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(
                        self.unexpected(::std::format!("the body is not UTF-8: {e}")),
                    ),
                }
            }

            fn bytes<E>(mut self) -> ::std::result::Result<Response<::std::vec::Vec<u8>>, Error<E>> {
                let body = ::std::mem::take(&mut self.body);
                self.success(body)
            }

            fn empty<E>(self) -> ::std::result::Result<Response<()>, Error<E>> {
                self.success(())
            }

            fn error_json<T: ::serde::de::DeserializeOwned, E>(self, variant: impl ::std::ops::FnOnce(T) -> E) -> Error<E> {
                match ::serde_json::from_slice(&self.body) {
                    ::std::result::Result::Ok(body) => Error::Api { status: self.status, headers: ::std::boxed::Box::new(self.headers), body: variant(body) },
                    ::std::result::Result::Err(e) => self.unexpected(::std::format!("the error body does not read as documented: {e}")),
                }
            }

            fn error_text<E>(self, variant: impl ::std::ops::FnOnce(::std::string::String) -> E) -> Error<E> {
                let body = ::std::string::String::from_utf8_lossy(&self.body).into_owned();
                Error::Api { status: self.status, headers: ::std::boxed::Box::new(self.headers), body: variant(body) }
            }

            fn error_bytes<E>(self, variant: impl ::std::ops::FnOnce(::std::vec::Vec<u8>) -> E) -> Error<E> {
                Error::Api { status: self.status, headers: ::std::boxed::Box::new(self.headers), body: variant(self.body) }
            }

            fn error_empty<E>(self, body: E) -> Error<E> {
                Error::Api { status: self.status, headers: ::std::boxed::Box::new(self.headers), body }
            }

            fn undocumented<E>(self) -> Error<E> {
                let reason = ::std::format!("status {} is not documented for this operation", self.status.as_u16());
                self.unexpected(reason)
            }
        }
    }
}

fn types_path() -> TokenStream {
    quote! { super::types:: }
}

/// The argument type a setter or method takes for a value of type `ty`,
/// and the expression that turns the argument named `value` into `ty`.
fn argument(ty: &Ty, module: &TokenStream, value: &TokenStream) -> (TokenStream, TokenStream) {
    match ty {
        Ty::String => (
            quote! { impl ::std::convert::Into<::std::string::String> },
            quote! { #value.into() },
        ),
        Ty::Vec(inner) if **inner == Ty::String => (
            quote! { impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>> },
            quote! { #value.into_iter().map(::std::convert::Into::into).collect() },
        ),
        Ty::Vec(inner) => {
            let inner = ty_in(inner, module);
            (
                quote! { impl ::std::iter::IntoIterator<Item = #inner> },
                quote! { #value.into_iter().collect() },
            )
        }
        other => (ty_in(other, module), quote! { #value }),
    }
}

fn client_method(op: &OperationPlan) -> TokenStream {
    let method = ident(&op.method);
    let builder = format_ident!("{}", op.builder);
    let doc = doc_attrs(Some(&op.doc));
    let required: Vec<&ParamPlan> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let field = ident(&p.field);
        let (arg, _) = argument(&p.ty, &quote! { types:: }, &quote! { #field });
        quote! { #field: #arg }
    });
    let names = required.iter().map(|p| ident(&p.field));
    let body = op
        .body
        .as_ref()
        .filter(|b| b.required)
        .and_then(|b| b.media.first());
    let body_arg = body.map(|media| {
        let (arg, _) = body_argument(media, true, &quote! { body });
        quote! { body: #arg, }
    });
    let body_name = body.map(|_| quote! { body, });
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args,)* #body_arg) -> builder::#builder<'_> {
            builder::#builder::new(self, #(#names,)* #body_name)
        }
    }
}

/// The argument type of a body setter and the expression that encodes the
/// argument `value` into a `Result<support::Body, String>`.
fn body_argument(
    media: &BodyMedia,
    at_top: bool,
    value: &TokenStream,
) -> (TokenStream, TokenStream) {
    let media_type = &media.media_type;
    // A range (`*/*`, `application/*`) names no type to send: JSON, which
    // is how such a body is encoded.
    let content_type = if media.range.is_wildcard() {
        "application/json".to_owned()
    } else {
        media_type.clone()
    };
    let module = if at_top {
        quote! { types:: }
    } else {
        types_path()
    };
    let support = if at_top {
        quote! { support }
    } else {
        quote! { super::support }
    };
    match media.encoding {
        BodyEncoding::Json => (
            ty_in(&media.ty, &module),
            quote! { #support::Body::json(#content_type, &#value) },
        ),
        BodyEncoding::Form => (
            ty_in(&media.ty, &module),
            quote! { #support::Body::form(&#value) },
        ),
        BodyEncoding::Multipart => (
            ty_in(&media.ty, &module),
            quote! { #support::Body::multipart(&#value) },
        ),
        BodyEncoding::Text => (
            quote! { impl ::std::convert::Into<::std::string::String> },
            quote! { ::std::result::Result::Ok(#support::Body::bytes(#content_type, #value.into().into_bytes())) },
        ),
        BodyEncoding::Bytes => (
            quote! { impl ::std::convert::Into<::std::vec::Vec<u8>> },
            quote! { ::std::result::Result::Ok(#support::Body::bytes(#content_type, #value.into())) },
        ),
    }
}

fn builder(op: &OperationPlan, schemes: &[SchemePlan]) -> TokenStream {
    let name = format_ident!("{}", op.builder);
    let method = &op.method;
    let doc = format!(" Builder of [`super::Client::{method}`].");
    let module = types_path();
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.field);
        let ty = ty_in(&p.ty, &module);
        if p.required {
            quote! { #field: #ty, }
        } else {
            quote! { #field: ::std::option::Option<#ty>, }
        }
    });
    let required: Vec<&ParamPlan> = op.params.iter().filter(|p| p.required).collect();
    let new_args = required.iter().map(|p| {
        let field = ident(&p.field);
        let (arg, _) = argument(&p.ty, &module, &quote! { #field });
        quote! { #field: #arg, }
    });
    let new_inits = op.params.iter().map(|p| {
        let field = ident(&p.field);
        if p.required {
            let (_, convert) = argument(&p.ty, &module, &quote! { #field });
            if field == convert.to_string() {
                quote! { #field, }
            } else {
                quote! { #field: #convert, }
            }
        } else {
            quote! { #field: ::std::option::Option::None, }
        }
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let field = ident(&p.field);
        let (arg, convert) = argument(&p.ty, &module, &quote! { value });
        let doc = doc_attrs(p.doc.as_deref());
        let gap = p.doc.is_some().then(|| quote! { #[doc = ""] });
        let sent = format!(
            " Sent as the {} parameter `{}`.",
            p.location.as_str(),
            p.name
        );
        let deprecated = p.deprecated.then(|| quote! { #[deprecated] });
        quote! {
            #doc
            #gap
            #[doc = #sent]
            #deprecated
            pub fn #field(mut self, value: #arg) -> Self {
                self.#field = ::std::option::Option::Some(#convert);
                self
            }
        }
    });

    let body = op.body.as_ref();
    let body_field = body.map(|b| {
        if b.required {
            quote! { body: ::std::result::Result<super::support::Body, ::std::string::String>, }
        } else {
            quote! { body: ::std::option::Option<::std::result::Result<super::support::Body, ::std::string::String>>, }
        }
    });
    let files_field = body
        .filter(|b| b.multipart)
        .map(|_| quote! { files: ::std::vec::Vec<super::support::Part>, });
    let files_init = body
        .filter(|b| b.multipart)
        .map(|_| quote! { files: ::std::vec::Vec::new(), });
    let first = body.and_then(|b| b.media.first());
    let (body_new_arg, body_init) = match (body, first) {
        (Some(b), Some(media)) if b.required => {
            let (arg, encode) = body_argument(media, false, &quote! { body });
            (
                Some(quote! { body: #arg, }),
                Some(quote! { body: #encode, }),
            )
        }
        (Some(_), _) => (None, Some(quote! { body: ::std::option::Option::None, })),
        (None, _) => (None, None),
    };
    let body_setters = body.into_iter().flat_map(|b| {
        b.media.iter().enumerate().map(move |(index, media)| {
            let setter = if index == 0 {
                format_ident!("body")
            } else {
                format_ident!("{}", media.setter)
            };
            let (arg, encode) = body_argument(media, false, &quote! { value });
            let assign = if b.required {
                quote! { self.body = #encode; }
            } else {
                quote! { self.body = ::std::option::Option::Some(#encode); }
            };
            let doc = format!(" Sends the body as `{}`.", media.media_type);
            let body_doc = doc_attrs(b.doc.as_deref());
            let gap = b.doc.is_some().then(|| quote! { #[doc = ""] });
            // The required body's first media type is the method's argument.
            (index > 0 || !b.required).then(|| {
                quote! {
                    #body_doc
                    #gap
                    #[doc = #doc]
                    pub fn #setter(mut self, value: #arg) -> Self {
                        #assign
                        self
                    }
                }
            })
        })
    });
    let attach = body.filter(|b| b.multipart).map(|_| {
        quote! {
            /// Adds a file part to the `multipart/form-data` body.
            pub fn attach(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                file_name: impl ::std::convert::Into<::std::string::String>,
                bytes: impl ::std::convert::Into<::std::vec::Vec<u8>>,
            ) -> Self {
                self.files.push(super::support::Part {
                    name: name.into(),
                    bytes: bytes.into(),
                    file_name: ::std::option::Option::Some(file_name.into()),
                    content_type: ::std::option::Option::Some("application/octet-stream".to_owned()),
                });
                self
            }
        }
    });

    let send = send(op, schemes);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request is sent by `send`"]
        pub struct #name<'a> {
            client: &'a super::Client,
            #(#fields)*
            #body_field
            #files_field
        }

        impl<'a> #name<'a> {
            pub(super) fn new(client: &'a super::Client, #(#new_args)* #body_new_arg) -> Self {
                Self {
                    client,
                    #(#new_inits)*
                    #body_init
                    #files_init
                }
            }

            #(#setters)*

            #(#body_setters)*

            #attach

            #send
        }
    }
}

fn send(op: &OperationPlan, schemes: &[SchemePlan]) -> TokenStream {
    let http_method = op.http_method;
    let path = &op.path;
    let params = op.params.iter().map(|p| {
        let name = &p.name;
        let field = ident(&p.field);
        let style = format_ident!("{}", p.style);
        let explode = p.explode;
        let value = if p.required {
            quote! { ::std::option::Option::Some(&self.#field) }
        } else {
            quote! { self.#field.as_ref() }
        };
        match p.location {
            ParameterLocation::Path => quote! {
                request.path(#name, &self.#field, super::support::Style::#style, #explode);
            },
            ParameterLocation::Query => quote! {
                request.query(#name, #value, super::support::Style::#style, #explode);
            },
            ParameterLocation::Header => quote! {
                request.header(#name, #value, #explode);
            },
            ParameterLocation::Cookie => quote! {
                request.cookie(#name, #value, #explode);
            },
        }
    });
    let body = op.body.as_ref().map(|b| {
        let set = if b.required {
            quote! { request.body(self.body); }
        } else {
            quote! {
                if let ::std::option::Option::Some(body) = self.body {
                    request.body(body);
                }
            }
        };
        let files = b.multipart.then(|| {
            quote! {
                if !self.files.is_empty() {
                    match &mut request.body {
                        ::std::option::Option::Some(super::support::Body::Multipart(parts)) => parts.extend(self.files),
                        _ => request.body = ::std::option::Option::Some(super::support::Body::Multipart(self.files)),
                    }
                }
            }
        });
        quote! { #set #files }
    });
    let accept = match &op.accept {
        Some(media) => quote! { ::std::option::Option::Some(#media) },
        None => quote! { ::std::option::Option::None },
    };
    let security = if schemes.is_empty() {
        quote! { &[] }
    } else {
        let alternatives = op.security.iter().map(|alternative| {
            let variants = alternative.iter().filter_map(|&i| schemes.get(i)).map(|s| {
                let variant = format_ident!("{}", s.variant);
                quote! { super::Scheme::#variant }
            });
            quote! { &[#(#variants),*] }
        });
        quote! { &[#(#alternatives),*] }
    };
    let mutability = (!op.params.is_empty() || op.body.is_some()).then(|| quote! { mut });
    let (success_ty, success_arms) = success_arms(op);
    let error_ty = error_type(op);
    let error_arms = error_arms(op);
    let has_default_error = op.errors.iter().any(|e| e.key == ResponseKey::Default);
    let fallback = (!has_default_error).then(|| {
        quote! { _ => ::std::result::Result::Err(raw.undocumented()), }
    });
    let mut arms: Vec<(u8, TokenStream)> = success_arms;
    arms.extend(error_arms);
    arms.sort_by_key(|(priority, _)| *priority);
    let arms = arms.into_iter().map(|(_, arm)| arm);
    quote! {
        /// Sends the request and reads the response as documented.
        pub async fn send(self) -> ::std::result::Result<super::Response<#success_ty>, super::Error<#error_ty>> {
            let #mutability request = super::support::Request::new(#http_method, #path);
            #(#params)*
            #body
            let raw = self.client.execute(request, #accept, #security).await?;
            match raw.status.as_u16() {
                #(#arms)*
                #fallback
            }
        }
    }
}

/// The Rust type of a response body.
fn body_ty(body: &BodyKind) -> TokenStream {
    match body {
        BodyKind::Json(ty) => ty_in(ty, &types_path()),
        BodyKind::Text => quote! { ::std::string::String },
        BodyKind::Bytes => quote! { ::std::vec::Vec<u8> },
        BodyKind::Empty => quote! { () },
    }
}

/// The match pattern of a response key and its priority: exact codes
/// first, then ranges, then `default`.
fn pattern(key: ResponseKey, as_success: bool) -> (u8, TokenStream) {
    match key {
        ResponseKey::Status(code) => {
            let code = Literal::u16_unsuffixed(code);
            (0, quote! { #code })
        }
        ResponseKey::Range(class) => {
            let low = Literal::u16_unsuffixed(u16::from(class) * 100);
            let high = Literal::u16_unsuffixed(u16::from(class) * 100 + 99);
            (1, quote! { #low..=#high })
        }
        ResponseKey::Default if as_success => (2, quote! { 200..=299 }),
        ResponseKey::Default => (3, quote! { _ }),
    }
}

/// Whether the successes share one body type (no enum needed).
fn single_success(op: &OperationPlan) -> bool {
    op.successes
        .windows(2)
        .all(|pair| pair.first().map(|a| &a.body) == pair.get(1).map(|b| &b.body))
}

fn success_arms(op: &OperationPlan) -> (TokenStream, Vec<(u8, TokenStream)>) {
    if op.successes.is_empty() {
        return (quote! { () }, Vec::new());
    }
    let read = |body: &BodyKind| match body {
        BodyKind::Json(_) => quote! { raw.json() },
        BodyKind::Text => quote! { raw.text() },
        BodyKind::Bytes => quote! { raw.bytes() },
        BodyKind::Empty => quote! { raw.empty() },
    };
    if single_success(op) {
        let ty = op
            .successes
            .first()
            .map_or(quote! { () }, |s| body_ty(&s.body));
        let arms = op
            .successes
            .iter()
            .map(|s| {
                let (priority, pattern) = pattern(s.key, true);
                let read = read(&s.body);
                (priority, quote! { #pattern => #read, })
            })
            .collect();
        return (ty, arms);
    }
    let name = format_ident!("{}", op.builder);
    let arms = variants_of(&op.successes)
        .into_iter()
        .map(|(variant, s)| {
            let (priority, pattern) = pattern(s.key, true);
            let variant = format_ident!("{}", variant);
            let read = match &s.body {
                // The body's type is the variant's: spelled out for inference.
                BodyKind::Json(_) => {
                    let ty = body_ty(&s.body);
                    quote! { raw.json::<#ty, _>() }
                }
                other => read(other),
            };
            let wrap = match s.body {
                BodyKind::Empty => quote! { |()| super::responses::#name::#variant },
                _ => quote! { super::responses::#name::#variant },
            };
            (
                priority,
                quote! { #pattern => #read.map(|r| r.map(#wrap)), },
            )
        })
        .collect();
    (quote! { super::responses::#name }, arms)
}

fn error_type(op: &OperationPlan) -> TokenStream {
    if op.errors.is_empty() {
        quote! { ::std::convert::Infallible }
    } else if let Some(body) = uniform_error(op) {
        body_ty(body)
    } else {
        let name = format_ident!("{}", op.builder);
        quote! { super::errors::#name }
    }
}

/// The one body every documented error of an operation reads as, when
/// they agree (DigitalOcean's `Error` for its 401, 404, 429 and 500): the
/// error is that type itself, its status on [`Error::status`], so one
/// handler serves every operation that shares it.
fn uniform_error(op: &OperationPlan) -> Option<&BodyKind> {
    let first = &op.errors.first()?.body;
    let readable = matches!(first, BodyKind::Json(_) | BodyKind::Text);
    (readable && op.errors.iter().all(|plan| plan.body == *first)).then_some(first)
}

fn error_arms(op: &OperationPlan) -> Vec<(u8, TokenStream)> {
    let name = format_ident!("{}", op.builder);
    let uniform = uniform_error(op).is_some();
    variants_of(&op.errors)
        .into_iter()
        .map(|(variant, plan)| {
            let (priority, pattern) = pattern(plan.key, false);
            let variant = format_ident!("{}", variant);
            let path = if uniform {
                quote! { ::std::convert::identity }
            } else {
                quote! { super::errors::#name::#variant }
            };
            let error = match plan.body {
                BodyKind::Json(_) => quote! { raw.error_json(#path) },
                BodyKind::Text => quote! { raw.error_text(#path) },
                BodyKind::Bytes => quote! { raw.error_bytes(#path) },
                BodyKind::Empty => quote! { raw.error_empty(#path) },
            };
            (
                priority,
                quote! { #pattern => ::std::result::Result::Err(#error), },
            )
        })
        .collect()
}

/// Unique variant names for a list of responses.
fn variants_of(plans: &[ResponsePlan]) -> Vec<(String, &ResponsePlan)> {
    let mut scope = Scope::new();
    plans
        .iter()
        .map(|plan| (scope.unique(&plan.variant), plan))
        .collect()
}

fn response_variant(variant: &str, plan: &ResponsePlan) -> TokenStream {
    let variant = format_ident!("{}", variant);
    let doc = doc_attrs(Some(&plan.doc));
    match plan.body {
        BodyKind::Empty => quote! { #doc #variant, },
        _ => {
            let ty = body_ty(&plan.body);
            quote! { #doc #variant(#ty), }
        }
    }
}

fn error_enum(op: &OperationPlan) -> Option<TokenStream> {
    if uniform_error(op).is_some() {
        return None;
    }
    response_enum(op, &op.errors, "documented error responses")
}

fn success_enum(op: &OperationPlan) -> Option<TokenStream> {
    if single_success(op) {
        return None;
    }
    response_enum(op, &op.successes, "success responses")
}

/// An enum with one variant per response, named after the operation's
/// builder, in `errors` or `responses`.
fn response_enum(op: &OperationPlan, plans: &[ResponsePlan], what: &str) -> Option<TokenStream> {
    if plans.is_empty() {
        return None;
    }
    let name = format_ident!("{}", op.builder);
    let doc = format!(" The {what} of [`super::Client::{}`].", op.method);
    let variants = variants_of(plans)
        .into_iter()
        .map(|(variant, plan)| response_variant(&variant, plan));
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    })
}
