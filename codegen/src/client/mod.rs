//! The typed async client: a `Client` with one method per operation, a
//! builder per operation for its optional parameters, typed success and
//! error responses. The generated code needs reqwest, serde, serde_json
//! and percent-encoding, and no crate of ours: its small runtime
//! (`support.rs`) is written into it.

mod plan;
mod render;

use proc_macro2::TokenStream;
use specgate_spec::Document;

use crate::types::TypeSpace;

/// Whether the document has operations to call (a document of schemas
/// alone gets its types only).
pub(crate) fn has_operations(document: &Document) -> bool {
    !document.operations.is_empty()
}

/// The client's items, for a document whose types are in `types`.
pub(crate) fn items(document: &Document, space: &TypeSpace) -> TokenStream {
    if !has_operations(document) {
        return TokenStream::new();
    }
    let schemes = plan::schemes(document);
    let operations = plan::operations(document, space, &schemes);
    render::client(document, &schemes, &operations)
}

/// Whether any operation sends `multipart/form-data` (the generated crate
/// then needs reqwest's `multipart` feature).
pub(crate) fn uses_multipart(document: &Document) -> bool {
    document.operations.iter().any(|op| {
        op.request_body.as_ref().is_some_and(|body| {
            body.content
                .keys()
                .any(|m| m.to_ascii_lowercase().starts_with("multipart/"))
        })
    })
}

#[cfg(test)]
#[path = "support.rs"]
#[allow(dead_code)]
mod support;

#[cfg(test)]
mod tests;
