//! Per-operation error enums: one variant per documented error kind, plus a fallback.
//!
//! The decoding rule lives in the runtime (`StdError`, `ErrorType::for_status`); what is
//! generated is only what differs per operation: its kinds and, for a body without
//! `error_type`, the kind its own documentation gives each status.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ty::ident;
use crate::model::{ErrorCase, Operation};
use crate::names;

/// `create` -> `CreateError`.
pub fn error_enum_name(op: &Operation) -> String {
    format!("{}Error", names::type_name(names::unraw(&op.method_name)))
}

pub fn error_enum(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", error_enum_name(op));
    let method = names::unraw(&op.method_name);
    let doc = format!(
        " The errors of `{method}` (`{} {}`), one variant per error the spec documents.",
        op.http_method, op.path
    );
    let variants = op.errors.iter().map(|case| {
        let variant = ident(&case.kind);
        let statuses = case
            .statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join("`/`");
        let doc = format!(
            " `{statuses}` (`{}`): {}",
            case.wire,
            one_line(&case.docs.text)
        );
        quote! { #[doc = #doc] #variant(crate::StdError), }
    });
    let arms = op.errors.iter().map(|case| {
        let variant = ident(&case.kind);
        quote!(Some(crate::ErrorType::#variant) => Self::#variant(error),)
    });
    let std_arms = op.errors.iter().map(|case| {
        let variant = ident(&case.kind);
        quote!(Self::#variant(error))
    });
    let predicates = op.errors.iter().map(|case| {
        let variant = ident(&case.kind);
        let is = format_ident!(
            "is_{}",
            names::field_name(&case.kind).trim_start_matches("r#")
        );
        let doc = format!(" Whether the service answered `{}`.", case.wire);
        quote! {
            #[doc = #doc]
            pub fn #is(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    let by_status = documented_kind_by_status(&op.errors)
        .into_iter()
        .map(|(status, kind)| {
            let variant = ident(kind);
            let status = proc_macro2::Literal::u16_unsuffixed(status);
            quote!(#status => Some(crate::ErrorType::#variant),)
        });
    let documented = op.errors.iter().flat_map(|case| {
        case.statuses.iter().map(move |status| {
            let status = proc_macro2::Literal::u16_unsuffixed(*status);
            let wire = &case.wire;
            quote!((#status, #wire),)
        })
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error kind or status this operation does not document; status and body are kept.
            Undocumented(crate::StdError),
        }

        impl #name {
            /// The documented `(status, error_type)` pairs, in the order of the spec.
            pub const DOCUMENTED: &'static [(u16, &'static str)] = &[#(#documented)*];

            #(#predicates)*

            /// The standard error behind the variant: status, messages, data, raw body.
            pub fn std_error(&self) -> &crate::StdError {
                match self {
                    #(#std_arms)|* | Self::Undocumented(error) => error,
                }
            }

            /// The HTTP status of the answer.
            pub fn status(&self) -> u16 {
                self.std_error().status()
            }

            /// The error kind: as the body said it, or as the status implies when it did not.
            pub fn error_type(&self) -> Option<&crate::ErrorType> {
                self.std_error().error_type()
            }

            /// The localizable messages, the first one describing the error itself.
            pub fn messages(&self) -> &[crate::vapi::std::LocalizableMessage] {
                self.std_error().messages()
            }
        }

        impl crate::OperationError for #name {
            fn from_std(mut error: crate::StdError) -> Self {
                let documented = match error.status() {
                    #(#by_status)*
                    _ => None,
                };
                error.infer_error_type(documented);
                match error.error_type() {
                    #(#arms)*
                    _ => Self::Undocumented(error),
                }
            }

            fn std_error(&self) -> &crate::StdError {
                #name::std_error(self)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.std_error(), f)
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// The statuses at which exactly one kind is documented: there the status alone decides
/// when a body carries no `error_type`.
pub fn documented_kind_by_status(cases: &[ErrorCase]) -> BTreeMap<u16, &str> {
    let mut by_status: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    for case in cases {
        for status in &case.statuses {
            by_status.entry(*status).or_default().push(&case.kind);
        }
    }
    by_status
        .into_iter()
        .filter(|(_, kinds)| kinds.len() == 1)
        .map(|(s, kinds)| (s, kinds[0]))
        .collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
