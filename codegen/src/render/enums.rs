//! Enums: string and integer enums that keep values the document does not
//! list, and `oneOf` enums chosen by a discriminator or by shape.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{ident, ty, DERIVES};
use crate::types::{Discriminator, Kind, Ty};

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

/// A `oneOf`: chosen by shape, or by the discriminator property (which
/// stays in the variant's own type, and is written on the way out).
pub(super) fn one_of(
    name: &Ident,
    doc: &TokenStream,
    variants: &[(String, Ty)],
    discriminator: Option<&Discriminator>,
    open: bool,
) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|(v, _)| ident(v)).collect();
    let types: Vec<TokenStream> = variants.iter().map(|(_, t)| ty(t)).collect();
    let Some(discriminator) = discriminator else {
        if !variants.iter().any(|(_, t)| holds_declared(t)) {
            // Primitives only (`type: [integer, string]`): JSON's own types
            // tell them apart, in order.
            let derives = DERIVES(false);
            return quote! {
                #doc
                #derives
                #[serde(untagged)]
                pub enum #name {
                    #( #idents(#types), )*
                }
            };
        }
        let by_shape = by_shape(name, &idents, &types, None);
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum #name {
                #( #idents(#types), )*
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    #by_shape
                }
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
    // What each variant writes as its tag: the first value that selects it.
    let written: Vec<TokenStream> = idents
        .iter()
        .zip(variants)
        .map(|(ident, (variant, _))| {
            match arms.iter().find(|(v, _)| *v == variant).and_then(|(_, t)| t.first()) {
                Some(tag) => quote! { Self::#ident(inner) => (::std::option::Option::Some(#tag), ::serde_json::to_value(inner)), },
                None => quote! { Self::#ident(inner) => (::std::option::Option::None, ::serde_json::to_value(inner)), },
            }
        })
        .collect();
    let other_variant = open.then(|| {
        quote! {
            /// A kind this version of the document does not list.
            Other(::serde_json::Value),
        }
    });
    let other_written =
        open.then(|| quote! { Self::Other(value) => (::std::option::Option::None, ::std::result::Result::Ok(value.clone())), });
    let unknown_tag = if open {
        quote! { ::std::option::Option::Some(_) => return ::std::result::Result::Ok(Self::Other(value)), }
    } else {
        quote! {
            ::std::option::Option::Some(other) => return ::std::result::Result::Err(::serde::de::Error::custom(::std::format!(
                "unknown {} {:?}", #property, other
            ))),
        }
    };
    let by_shape = by_shape(name, &idents, &types, open.then_some(()));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #idents(#types), )*
            #other_variant
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #( #written )*
                    #other_written
                };
                let mut value = value.map_err(::serde::ser::Error::custom)?;
                // The tag goes out with the variant, so that it reads back
                // as the same one.
                if let (::std::option::Option::Some(tag), ::serde_json::Value::Object(members)) = (tag, &mut value) {
                    members
                        .entry(#property)
                        .or_insert_with(|| ::serde_json::Value::String(::std::string::String::from(tag)));
                }
                ::serde::Serialize::serialize(&value, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(::std::string::String::from);
                match tag.as_deref() {
                    #( ::std::option::Option::Some(#tags) => return ::serde_json::from_value(value)
                        .map(Self::#chosen)
                        .map_err(::serde::de::Error::custom), )*
                    #unknown_tag
                    // No tag: by shape, as a union without one reads.
                    ::std::option::Option::None => {}
                }
                #by_shape
            }
        }
    }
}

/// Whether a variant's type is (or holds) a declared type: then two
/// variants may both read a value, and the one that reads most of it is
/// meant.
fn holds_declared(ty: &Ty) -> bool {
    match ty {
        Ty::Named(_) => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
            holds_declared(inner)
        }
        Ty::Tuple(items) => items.iter().any(holds_declared),
        _ => false,
    }
}

/// The body that reads `value` (a `serde_json::Value` in scope) as the
/// variant that keeps most of its members: structs ignore members they do
/// not declare, so the first variant that reads a value is not always the
/// one meant. Ties go to the first. `open` falls back to `Other`.
fn by_shape(
    name: &Ident,
    idents: &[Ident],
    types: &[TokenStream],
    open: Option<()>,
) -> TokenStream {
    let none = match open {
        Some(()) => quote! { ::std::result::Result::Ok(Self::Other(value)) },
        None => {
            let message = format!("the value matches no variant of {name}");
            quote! { ::std::result::Result::Err(::serde::de::Error::custom(#message)) }
        }
    };
    quote! {
        let mut best: ::std::option::Option<(usize, Self)> = ::std::option::Option::None;
        #(
            if let ::std::result::Result::Ok(read) = ::serde_json::from_value::<#types>(value.clone()) {
                let read = Self::#idents(read);
                let kept = __specgate_members_kept(&value, &read);
                let better = match &best {
                    ::std::option::Option::Some((most, _)) => kept > *most,
                    ::std::option::Option::None => true,
                };
                if better {
                    best = ::std::option::Option::Some((kept, read));
                }
            }
        )*
        match best {
            ::std::option::Option::Some((_, read)) => ::std::result::Result::Ok(read),
            ::std::option::Option::None => #none,
        }
    }
}

/// The helper [`by_shape`] calls, declared once beside the types: how many
/// of a JSON object's members a variant read keeps when written back.
pub(crate) fn members_kept_helper() -> TokenStream {
    quote! {
        /// How many of `value`'s members `read` keeps when written back:
        /// how well a union's variant fits a value.
        #[doc(hidden)]
        fn __specgate_members_kept<T: ::serde::Serialize>(value: &::serde_json::Value, read: &T) -> usize {
            let (::serde_json::Value::Object(members), ::std::result::Result::Ok(::serde_json::Value::Object(kept))) =
                (value, ::serde_json::to_value(read))
            else {
                return 0;
            };
            members.keys().filter(|name| kept.contains_key(*name)).count()
        }
    }
}

/// Whether a declaration reads by shape, and so needs the helper.
pub(crate) fn reads_by_shape(kind: &Kind) -> bool {
    matches!(kind, Kind::OneOf { variants, .. } if variants.iter().any(|(_, t)| holds_declared(t)))
}
