//! Enums: string and integer enums that keep values the document does not
//! list, and `oneOf` enums chosen by a discriminator or by shape.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{ident, ty, DERIVES};
use crate::types::{Discriminator, Ty};

/// A string enum. Open enums hold unknown values in `Other(String)`, so a
/// value the server adds later never fails a whole response; their serde
/// impls go through `as_str` and `From<&str>`.
pub(super) fn string_enum(
    name: &Ident,
    doc: &TokenStream,
    variants: &[(String, String)],
    open: bool,
) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|(v, _)| ident(v)).collect();
    let values: Vec<&String> = variants.iter().map(|(_, value)| value).collect();
    if !open {
        return quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
            pub enum #name {
                #( #[serde(rename = #values)] #idents, )*
            }
        };
    }
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #idents, )*
            /// A value this version of the document does not list.
            Other(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Other(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Other(::std::string::String::from(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
}

/// An integer enum; open ones keep unknown values in `Other(i64)`.
pub(super) fn integer_enum(
    name: &Ident,
    doc: &TokenStream,
    variants: &[(String, i64)],
    open: bool,
) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|(v, _)| ident(v)).collect();
    let values: Vec<Literal> = variants
        .iter()
        .map(|(_, value)| Literal::i64_unsuffixed(*value))
        .collect();
    let other_variant = open.then(|| {
        quote! {
            /// A value this version of the document does not list.
            Other(i64),
        }
    });
    let other_value = open.then(|| quote! { Self::Other(value) => *value, });
    let unknown = if open {
        quote! { ::std::result::Result::Ok(Self::Other(other)) }
    } else {
        quote! {
            ::std::result::Result::Err(::serde::de::Error::custom(::std::format!("unknown value {other}")))
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #idents, )*
            #other_variant
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #( Self::#idents => #values, )*
                    #other_value
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                match <i64 as ::serde::Deserialize>::deserialize(deserializer)? {
                    #( #values => ::std::result::Result::Ok(Self::#idents), )*
                    other => #unknown,
                }
            }
        }
    }
}

/// A `oneOf`: untagged (serde tries the variants in order), or chosen by
/// the discriminator property, which stays in the variant's own type.
pub(super) fn one_of(
    name: &Ident,
    doc: &TokenStream,
    variants: &[(String, Ty)],
    discriminator: Option<&Discriminator>,
    open: bool,
) -> TokenStream {
    let derives = DERIVES(false);
    let idents: Vec<Ident> = variants.iter().map(|(v, _)| ident(v)).collect();
    let types: Vec<TokenStream> = variants.iter().map(|(_, t)| ty(t)).collect();
    let Some(discriminator) = discriminator else {
        return quote! {
            #doc
            #derives
            #[serde(untagged)]
            pub enum #name {
                #( #idents(#types), )*
            }
        };
    };
    let property = &discriminator.property;
    // One arm per variant, with every tag that selects it: `Some("Dog" | "dog")`.
    let mut arms: Vec<(&String, Vec<&String>)> = Vec::new();
    for (tag, variant) in &discriminator.mapping {
        match arms.iter_mut().find(|(v, _)| *v == variant) {
            Some((_, tags)) => tags.push(tag),
            None => arms.push((variant, vec![tag])),
        }
    }
    let tags: Vec<TokenStream> = arms
        .iter()
        .map(|(_, tags)| quote! { #( #tags )|* })
        .collect();
    let chosen: Vec<Ident> = arms.iter().map(|(v, _)| ident(v)).collect();
    let other_variant = open.then(|| {
        quote! {
            /// A kind this version of the document does not list.
            Other(::serde_json::Value),
        }
    });
    let unknown = if open {
        quote! { ::std::result::Result::Ok(Self::Other(value)) }
    } else {
        quote! {
            ::std::result::Result::Err(::serde::de::Error::custom(::std::format!(
                "unknown {} {:?}", #property, other
            )))
        }
    };
    let other_pattern = if open {
        quote! { _ }
    } else {
        quote! { other }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #idents(#types), )*
            #other_variant
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::string::String::from);
                match tag.as_deref() {
                    #( ::std::option::Option::Some(#tags) => ::serde_json::from_value(value)
                        .map(Self::#chosen)
                        .map_err(::serde::de::Error::custom), )*
                    #other_pattern => #unknown,
                }
            }
        }
    }
}
