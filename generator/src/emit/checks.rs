//! `impl Check` (the runtime's trait) for the structs that have rules: the spec's constraints, checked
//! before a request is sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime;
use super::scope::ident;
use crate::model::{Field, Model, Rule, Struct, Ty, TypeDef, TypeKind};
use crate::names;

pub fn check_impl(model: &Model, def: &TypeDef, s: &Struct) -> Option<TokenStream> {
    if !s.checked {
        return None;
    }
    let name = ident(&def.name);
    let constraints = s.fields.iter().filter_map(field_constraints);
    let rules = s.rules.iter().map(|rule| rule_check(model, s, rule));
    let nested = s.fields.iter().filter_map(|f| nested_check(model, f));
    let check_trait = runtime::item("Check");
    let invalid = runtime::item("InvalidRequest");
    Some(quote! {
        impl #check_trait for #name {
            fn check(&self, path: &str) -> Result<(), #invalid> {
                #(#constraints)*
                #(#rules)*
                #(#nested)*
                Ok(())
            }
        }
    })
}

fn field_constraints(f: &Field) -> Option<TokenStream> {
    if f.constraints.is_empty() {
        return None;
    }
    let wire = &f.wire;
    // Strings and id newtypes both read as `&str`.
    let as_str = quote!(value.as_str());
    let min = option_usize(f.constraints.min_length);
    let max = option_usize(f.constraints.max_length);
    let length =
        (f.constraints.min_length.is_some() || f.constraints.max_length.is_some()).then(|| {
            let length = runtime::check("length");
            quote!(#length(path, #wire, #as_str, #min, #max)?;)
        });
    let pattern = f.constraints.pattern.as_ref().map(|p| {
        let pattern = runtime::check("pattern");
        quote!(#pattern(path, #wire, #as_str, #p)?;)
    });
    let field = ident(&f.rust);
    Some(if f.required {
        quote! { { let value = &self.#field; #length #pattern } }
    } else {
        quote! { if let Some(value) = &self.#field { #length #pattern } }
    })
}

/// `Some(63)`: unsuffixed, as a person writes it (the parameter's type says `usize`).
fn option_usize(value: Option<usize>) -> TokenStream {
    match value {
        Some(v) => {
            let v = proc_macro2::Literal::usize_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn rule_check(model: &Model, s: &Struct, rule: &Rule) -> TokenStream {
    let fail = runtime::check("fail");
    let wire_of = |rust: &str| {
        s.fields
            .iter()
            .find(|f| f.rust == rust)
            .map_or(rust.to_owned(), |f| f.wire.clone())
    };
    match rule {
        Rule::Union {
            discriminator,
            cases,
        } => {
            let field = ident(discriminator);
            let enum_path = s
                .fields
                .iter()
                .find(|f| &f.rust == discriminator)
                .and_then(|f| f.ty.named())
                .and_then(|name| model.types.get(name))
                .map(|e| {
                    let module = e.module.iter().map(|m| ident(m));
                    let name = ident(&e.name);
                    quote!(crate #(::#module)* :: #name)
                });
            let disc_wire = wire_of(discriminator);
            let arms = cases.iter().map(|case| {
                let variant = ident(&case.variant);
                let required = case.required.iter().map(|r| {
                    let f = ident(r);
                    let w = wire_of(r);
                    let reason = format!("is required when `{disc_wire}` is `{}`", case.wire);
                    quote!(if self.#f.is_none() { return #fail(path, #w, #reason); })
                });
                let forbidden = case.forbidden.iter().map(|r| {
                    let f = ident(r);
                    let w = wire_of(r);
                    let reason = format!("must be unset when `{disc_wire}` is `{}`", case.wire);
                    quote!(if self.#f.is_some() { return #fail(path, #w, #reason); })
                });
                quote!(#enum_path::#variant => { #(#required)* #(#forbidden)* })
            });
            quote! {
                match &self.#field {
                    #(#arms)*
                    _ => {}
                }
            }
        }
        Rule::Exclusive(fields) => {
            let idents: Vec<_> = fields.iter().map(|f| ident(f)).collect();
            let wires: Vec<String> = fields.iter().map(|f| wire_of(f)).collect();
            let listed = wires
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let reason = format!("cannot be set together with another of {listed}");
            let last = wires.last().cloned().unwrap_or_default();
            quote! {
                if [#(self.#idents.is_some()),*].iter().filter(|set| **set).count() > 1 {
                    return #fail(path, #last, #reason);
                }
            }
        }
    }
}

/// Fields holding checked structs are checked too, with their path.
fn nested_check(model: &Model, f: &Field) -> Option<TokenStream> {
    let name = f.ty.named()?;
    let checked =
        matches!(model.types.get(name).map(|d| &d.kind), Some(TypeKind::Struct(s)) if s.checked);
    if !checked {
        return None;
    }
    let field = ident(&f.rust);
    let label = names::unraw(&f.rust);
    let check_trait = runtime::item("Check");
    // A boxed field (a type that contains itself) is checked through the box.
    let value = if f.boxed {
        quote!(&**value)
    } else {
        quote!(value)
    };
    let each = match &f.ty {
        Ty::Map { .. } => quote! {
            for (key, item) in value.iter() {
                #check_trait::check(item, &format!("{path}.{}[{key:?}]", #label))?;
            }
        },
        Ty::List(_) | Ty::Set(_) => quote! {
            for (i, item) in value.iter().enumerate() {
                #check_trait::check(item, &format!("{path}.{}[{i}]", #label))?;
            }
        },
        _ => quote!(#check_trait::check(#value, &format!("{path}.{}", #label))?;),
    };
    Some(if f.required {
        quote! { { let value = &self.#field; #each } }
    } else {
        quote! { if let Some(value) = &self.#field { #each } }
    })
}
