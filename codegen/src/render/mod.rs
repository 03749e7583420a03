//! Type definitions to Rust tokens. Every path is fully qualified
//! (`::std::option::Option`), so a document's type named `Option` or
//! `String` cannot change what the generated code means.

mod enums;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::naming;
use crate::types::{Field, Kind, Ty, TypeDef};

/// An identifier, raw (`r#type`) when it is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
    if naming::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `#[doc = "..."]` lines. The text is a string literal, so nothing in a
/// document's description can end the comment or inject code.
pub(crate) fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

pub(crate) fn ty(ty: &Ty) -> TokenStream {
    ty_in(ty, &TokenStream::new())
}

/// A type as used from another module: declared types are reached through
/// `module` (`super::types::`).
pub(crate) fn ty_in(ty: &Ty, module: &TokenStream) -> TokenStream {
    match ty {
        Ty::Named(name) => {
            let name = ident(name);
            quote! { #module #name }
        }
        Ty::Bool => quote! { bool },
        Ty::I8 => quote! { i8 },
        Ty::I16 => quote! { i16 },
        Ty::I32 => quote! { i32 },
        Ty::I64 => quote! { i64 },
        Ty::U8 => quote! { u8 },
        Ty::U16 => quote! { u16 },
        Ty::U32 => quote! { u32 },
        Ty::U64 => quote! { u64 },
        Ty::F32 => quote! { f32 },
        Ty::F64 => quote! { f64 },
        Ty::String => quote! { ::std::string::String },
        Ty::Value => quote! { ::serde_json::Value },
        Ty::JsonObject => {
            quote! { ::serde_json::Map<::std::string::String, ::serde_json::Value> }
        }
        Ty::Vec(inner) => {
            let inner = ty_in(inner, module);
            quote! { ::std::vec::Vec<#inner> }
        }
        Ty::Map(inner) => {
            let inner = ty_in(inner, module);
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        Ty::Option(inner) => {
            let inner = ty_in(inner, module);
            quote! { ::std::option::Option<#inner> }
        }
        Ty::Box(inner) => {
            let inner = ty_in(inner, module);
            quote! { ::std::boxed::Box<#inner> }
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(|item| ty_in(item, module));
            quote! { (#(#items,)*) }
        }
    }
}

/// The derives of structs and enums. The standard derives are macros, which
/// a document's type names cannot shadow; serde's are qualified.
const DERIVES: fn(bool) -> TokenStream = |default| {
    let default = default.then(|| quote! { Default, });
    quote! { #[derive(Debug, Clone, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)] }
};

/// The declarations of every type, with the helpers they call.
pub(crate) fn type_defs<'a>(defs: impl Iterator<Item = &'a TypeDef> + Clone) -> TokenStream {
    let helpers = helpers(defs.clone());
    let items = defs.map(type_def);
    quote! {
        #(#items)*
        #helpers
    }
}

/// The functions the declarations call, once beside them.
pub(crate) fn helpers<'a>(mut defs: impl Iterator<Item = &'a TypeDef>) -> TokenStream {
    if defs.any(|def| enums::reads_by_shape(&def.kind)) {
        enums::members_kept_helper()
    } else {
        TokenStream::new()
    }
}

/// The declaration of one type.
pub(crate) fn type_def(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    match &def.kind {
        Kind::Struct {
            fields,
            flattened,
            additional,
        } => {
            // Never `deny_unknown_fields`, whatever `additionalProperties`
            // says: a client reads leniently, so a member the server adds
            // does not break it; the validator is where that is checked.
            let derives = DERIVES(all_optional(fields, flattened, additional));
            let fields = fields.iter().map(field);
            let flattened = flattened.iter().map(|(field_name, field_ty)| {
                let field_name = ident(field_name);
                let field_ty = self::ty(field_ty);
                quote! {
                    #[serde(flatten)]
                    pub #field_name: #field_ty,
                }
            });
            let additional = additional.as_ref().map(|value| {
                let value = self::ty(value);
                quote! {
                    /// Members not declared above, by name.
                    #[serde(flatten)]
                    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
                }
            });
            quote! {
                #doc
                #derives
                pub struct #name {
                    #(#fields)*
                    #(#flattened)*
                    #additional
                }
            }
        }
        Kind::StringEnum { variants, open } => enums::string_enum(&name, &doc, variants, *open),
        Kind::IntegerEnum { variants, open } => enums::integer_enum(&name, &doc, variants, *open),
        Kind::OneOf {
            variants,
            discriminator,
            open,
        } => enums::one_of(&name, &doc, variants, discriminator.as_ref(), *open),
        Kind::Alias(target) => {
            let target = self::ty(target);
            quote! {
                #doc
                pub type #name = #target;
            }
        }
        Kind::Newtype(target) => {
            let derives = DERIVES(false);
            let target = self::ty(target);
            quote! {
                #doc
                #derives
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    }
}

fn all_optional(fields: &[Field], flattened: &[(String, Ty)], additional: &Option<Ty>) -> bool {
    flattened.is_empty()
        && fields.iter().all(|f| matches!(f.ty, Ty::Option(_)))
        && additional.is_none()
        && !fields.is_empty()
}

fn field(field: &Field) -> TokenStream {
    let doc = doc_attrs(field.doc.as_deref());
    let name = ident(&field.rust_name);
    let field_ty = ty(&field.ty);
    let rename = (field.rust_name != field.json_name).then(|| {
        let json = &field.json_name;
        quote! { rename = #json, }
    });
    let optional = !field.required && matches!(field.ty, Ty::Option(_));
    let serde = match (rename, optional) {
        (None, false) => TokenStream::new(),
        (rename, true) => quote! {
            #[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")]
        },
        (Some(rename), false) => quote! { #[serde(#rename)] },
    };
    let deprecated = field.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        #doc
        #serde
        #deprecated
        pub #name: #field_ty,
    }
}
