//! Id newtypes: one per vSphere resource type, in `src/ids.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::IdType;

pub fn ids_file(ids: &[&IdType]) -> TokenStream {
    let items = ids.iter().map(|id| id_item(id));
    quote! {
        #![doc = " Typed identifiers, one per vSphere resource type."]
        #![doc = ""]
        #![doc = " vCenter ids are opaque strings (`domain-c8`, `host-21`); a distinct type per"]
        #![doc = " resource type keeps a cluster id from being passed where a host id is wanted."]
        #(#items)*
    }
}

fn id_item(id: &IdType) -> TokenStream {
    let name = format_ident!("{}", id.name);
    let rt = &id.resource_type;
    let doc = format!(" Identifier of a vSphere resource of type `{rt}`.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(String);

        impl #name {
            /// The resource type these ids identify, as the spec names it.
            pub const RESOURCE_TYPE: &'static str = #rt;

            /// An id, as vCenter writes it (`domain-c8`).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for #name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for #name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<#name> for String {
            fn from(id: #name) -> Self {
                id.0
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    }
}
