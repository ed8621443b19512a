//! Where emitted code stands (`Scope`): the Rust type that holds a `model::Ty` there, and
//! identifiers from the names `names` made.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::runtime;
use crate::model::{Model, Ty, TypeKind};

/// Where the code being emitted lives, so references to types in the same module stay short.
pub struct Scope<'a> {
    pub model: &'a Model,
    pub module: &'a [String],
}

impl Scope<'_> {
    pub fn ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F32 => quote!(f32),
            Ty::F64 => quote!(f64),
            Ty::String => quote!(String),
            Ty::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
            Ty::Json => quote!(::serde_json::Value),
            Ty::JsonObject => quote!(::serde_json::Map<String, ::serde_json::Value>),
            Ty::Named(name) => self.named(name),
            Ty::Id(resource_type) => {
                let name = self
                    .model
                    .ids
                    .get(resource_type)
                    .map_or("String", |id| id.name.as_str());
                let ident = format_ident!("{}", name);
                quote!(crate::ids::#ident)
            }
            Ty::List(item) => {
                let item = self.ty(item);
                quote!(Vec<#item>)
            }
            Ty::Set(item) => {
                let item = self.ty(item);
                quote!(::std::collections::BTreeSet<#item>)
            }
            Ty::Map { key, value } => {
                let key = self.ty(key);
                let value = self.ty(value);
                quote!(::std::collections::BTreeMap<#key, #value>)
            }
            Ty::Nullable(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
            }
            Ty::Runtime(runtime) => runtime::item(runtime.name()),
        }
    }

    /// Whether a value of this type has rules to check before sending.
    /// (Bodies are named objects, as in VMware's spec; a list body is sent unchecked.)
    pub fn is_checked(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => self
                .model
                .types
                .get(name)
                .is_some_and(|def| matches!(&def.kind, TypeKind::Struct(s) if s.checked)),
            _ => false,
        }
    }

    /// A named type: its short name in its own module, `crate::a::b::Name` elsewhere.
    pub fn named(&self, schema: &str) -> TokenStream {
        let Some(def) = self.model.types.get(schema) else {
            // Lowering checked every reference; an unknown name here is a generator bug
            // that the compile check of the generated crate reports.
            let ident = format_ident!("MissingType");
            return quote!(#ident);
        };
        let name = ident(&def.name);
        if def.module == self.module {
            quote!(#name)
        } else {
            let path = def.module.iter().map(|m| ident(m));
            quote!(crate #(::#path)* :: #name)
        }
    }
}

/// An identifier from a name that `names` made (raw identifiers included).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}
