//! Named types -> Rust items: structs, string enums with a fallback, aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::runtime;
use super::scope::{ident, Scope};
use crate::model::{Docs, Enum, Field, Struct, Travels, TypeDef, TypeKind};
use crate::names;
use crate::vapi::directions::SERDE_ALL;

pub fn type_item(scope: &Scope, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => struct_item(scope, def, s),
        TypeKind::Enum(e) => enum_item(def, e),
        TypeKind::Alias(ty) => {
            let docs = doc_attrs(&type_docs(def));
            let name = ident(&def.name);
            let ty = scope.ty(ty);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

fn struct_item(scope: &Scope, def: &TypeDef, s: &Struct) -> TokenStream {
    let docs = doc_attrs(&type_docs(def));
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|f| field(scope, f, s.travels));
    let any_secret = s.fields.iter().any(|f| f.secret);
    let all_optional = s.fields.iter().all(|f| !f.required);
    // With nothing required, `Default` is the constructor.
    let default = all_optional.then(|| quote!(Default,));
    let debug_derive = (!any_secret).then(|| quote!(Debug,));
    let derives = derives(s.travels, quote!(#debug_derive #default Clone, PartialEq));
    let debug = any_secret.then(|| redacted_debug(def, s));
    let new = (!all_optional).then(|| constructor(scope, def, s));
    let check = super::checks::check_impl(scope.model, def, s);
    let bundle = bundle_location(scope, def);
    let impls = [new, debug, check, bundle].into_iter().flatten();
    quote! {
        #docs
        #derives
        pub struct #name { #(#fields)* }
        #(#impls)*
    }
}

/// The derives of a struct: `common`, and the serde traits of its direction
/// (`vapi::directions`); the other one under `serde-all` (and `Serialize` under `mock` too).
fn derives(travels: Travels, common: TokenStream) -> TokenStream {
    let serialize = quote!(::serde::Serialize);
    let deserialize = quote!(::serde::Deserialize);
    match travels {
        Travels::Both => quote!(#[derive(#common, #serialize, #deserialize)]),
        Travels::Sent => quote! {
            #[derive(#common, #serialize)]
            #[cfg_attr(feature = #SERDE_ALL, derive(#deserialize))]
        },
        Travels::Received => quote! {
            #[derive(#common, #deserialize)]
            #[cfg_attr(any(feature = "mock", feature = #SERDE_ALL), derive(#serialize))]
        },
        Travels::Neither => quote! {
            #[derive(#common)]
            #[cfg_attr(feature = #SERDE_ALL, derive(#serialize, #deserialize))]
        },
    }
}

/// `new(required fields)`, the optional ones unset: the way to build a value without
/// naming (deprecated) optional fields, and that keeps compiling when VMware adds one.
fn constructor(scope: &Scope, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let field = ident(&f.rust);
        let mut ty = scope.ty(&f.ty);
        if f.boxed {
            ty = quote!(Box<#ty>);
        }
        quote!(#field: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        if f.required {
            quote!(#field)
        } else {
            quote!(#field: None)
        }
    });
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = format!(
        " A `{}` with the required fields; the optional ones are unset.",
        names::unraw(&def.name)
    );
    quote! {
        impl #name {
            #[doc = #doc]
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

fn field(scope: &Scope, f: &Field, travels: Travels) -> TokenStream {
    // Without a serde derive, `#[serde]` is no attribute: it comes with `serde-all`'s.
    let serde = |inner: TokenStream| match travels {
        Travels::Neither => quote!(#[cfg_attr(feature = #SERDE_ALL, serde(#inner))]),
        _ => quote!(#[serde(#inner)]),
    };
    let docs = doc_attrs(&or_fallback(&f.docs, || {
        format!("The `{}` property.", f.wire)
    }));
    let name = ident(&f.rust);
    let mut ty = scope.ty(&f.ty);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let rename = (names::unraw(&f.rust) != f.wire).then(|| {
        let wire = &f.wire;
        serde(quote!(rename = #wire))
    });
    if f.required {
        quote! { #docs #rename pub #name: #ty, }
    } else {
        let optional = serde(quote!(default, skip_serializing_if = "Option::is_none"));
        quote! {
            #docs
            #rename
            #optional
            pub #name: Option<#ty>,
        }
    }
}

/// `From<Location> for BundleLocation`: what the runtime's download takes, for a support
/// bundle's location (found by `vapi::bundles`).
fn bundle_location(scope: &Scope, def: &TypeDef) -> Option<TokenStream> {
    let location = scope
        .model
        .bundle_locations
        .iter()
        .find(|b| b.schema == def.schema)?;
    let name = ident(&def.name);
    let url = ident(&location.url);
    let token = ident(&location.token);
    let value = ident(&location.token_value);
    let bundle = runtime::item("BundleLocation");
    Some(quote! {
        impl From<#name> for #bundle {
            fn from(location: #name) -> Self {
                Self::new(location.#url, location.#token.#value)
            }
        }
    })
}

/// `Debug` that prints secrets as `<redacted>`, so they never reach a log.
fn redacted_debug(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let label = names::unraw(&def.name);
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        let label = names::unraw(&f.rust);
        match (f.secret, f.required) {
            (false, _) => quote!(.field(#label, &self.#field)),
            (true, true) => quote!(.field(#label, &"<redacted>")),
            (true, false) => quote!(.field(#label, &self.#field.as_ref().map(|_| "<redacted>"))),
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}

fn enum_item(def: &TypeDef, e: &Enum) -> TokenStream {
    let docs = doc_attrs(&type_docs(def));
    let name = ident(&def.name);
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let docs = doc_attrs(&or_fallback(&v.docs, || format!("`{}`.", v.wire)));
        let rust = ident(&v.rust);
        quote!(#docs #rust,)
    });
    let to_wire = e.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let wire = &v.wire;
        quote!(Self::#rust => #wire,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let wire = &v.wire;
        quote!(#wire => Self::#rust,)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know, kept as the server sent it.
            #fallback(String),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#fallback(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

/// Every public item is documented (the crate denies `missing_docs`): where the spec says
/// nothing, the docs say what the item is on the wire.
fn or_fallback(docs: &Docs, fallback: impl FnOnce() -> String) -> Docs {
    if docs.text.is_empty() {
        Docs {
            text: fallback(),
            ..docs.clone()
        }
    } else {
        docs.clone()
    }
}

fn type_docs(def: &TypeDef) -> Docs {
    or_fallback(&def.docs, || format!("The `{}` schema.", def.schema))
}
