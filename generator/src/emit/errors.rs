//! Per-operation error enums: one variant per documented error kind, plus a fallback.
//!
//! The decoding rule lives in the runtime (`StdError`, `ErrorType::for_status`); what is
//! generated is only what differs per operation: its kinds and, for a body without
//! `error_type`, the kind its own documentation gives each status (`kind_by_status`,
//! decided by `vapi::errors`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::runtime;
use super::scope::ident;
use crate::model::{ErrorCase, Operation};
use crate::names;

pub fn error_enum(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", names::error_enum(&op.method_name));
    let method = names::unraw(&op.method_name);
    let std_error = runtime::item("StdError");
    let error_type = runtime::item("ErrorType");
    let operation_error = runtime::item("OperationError");
    let doc = format!(
        " The errors of `{method}` (`{} {}`), one variant per error the spec documents.",
        op.http_method, op.path
    );
    let refused = format!(
        "the server refused `{method}` ({} {})",
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
        quote! { #[doc = #doc] #variant(#std_error), }
    });
    let arms = op.errors.iter().map(|case| {
        let variant = ident(&case.kind);
        if case.known_to_runtime {
            quote!(Some(#error_type::#variant) => Self::#variant(error),)
        } else {
            // A kind newer than the runtime: the runtime keeps it as `Unknown`.
            let wire = &case.wire;
            quote!(Some(#error_type::Unknown(kind)) if kind == #wire => Self::#variant(error),)
        }
    });
    let std_arms = op.errors.iter().map(|case| {
        let variant = ident(&case.kind);
        quote!(Self::#variant(error))
    });
    let predicates = op.errors.iter().map(|case| {
        let variant = ident(&case.kind);
        let is = format_ident!("{}", names::predicate(&case.kind));
        let doc = format!(" Whether the service answered `{}`.", case.wire);
        quote! {
            #[doc = #doc]
            pub fn #is(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    });
    let by_status: Vec<TokenStream> = op
        .kind_by_status
        .iter()
        .filter_map(|(status, kind)| {
            let case = op.errors.iter().find(|c| &c.kind == kind)?;
            let status = Literal::u16_unsuffixed(*status);
            let value = kind_value(case, &error_type);
            Some(quote!(#status => Some(#value),))
        })
        .collect();
    // Without a status whose kind the spec implies, there is nothing to match on.
    let implied = if by_status.is_empty() {
        quote!(None)
    } else {
        quote! {
            match error.status() {
                #(#by_status)*
                _ => None,
            }
        }
    };
    let documented = op.errors.iter().flat_map(|case| {
        case.statuses.iter().map(move |status| {
            let status = Literal::u16_unsuffixed(*status);
            let wire = &case.wire;
            quote!((#status, #wire),)
        })
    });
    quote! {
        #[doc = #doc]
        ///
        /// The answer's status, kind and messages: the methods of
        /// [`OperationError`](crate::OperationError) (`status`, `error_type`, `messages`).
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// An error kind or status this operation does not document; status and body are kept.
            Undocumented(#std_error),
        }

        impl #name {
            /// The documented `(status, error_type)` pairs, in the order of the spec.
            pub const DOCUMENTED: &'static [(u16, &'static str)] = &[#(#documented)*];

            #(#predicates)*

        }

        impl #operation_error for #name {
            fn from_std(mut error: #std_error) -> Self {
                let implied = #implied;
                error.infer_error_type(implied);
                match error.error_type() {
                    #(#arms)*
                    _ => Self::Undocumented(error),
                }
            }

            fn std_error(&self) -> &#std_error {
                match self {
                    #(#std_arms)|* | Self::Undocumented(error) => error,
                }
            }
        }

        /// What failed; the standard error with the server's kind, status and message is the
        /// [`source`](::std::error::Error::source), so an error chain says each once.
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#refused)
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                Some(#operation_error::std_error(self))
            }
        }
    }
}

/// The kind as a value: its variant, or its wire value for a kind newer than the runtime.
fn kind_value(case: &ErrorCase, error_type: &TokenStream) -> TokenStream {
    if case.known_to_runtime {
        let variant = ident(&case.kind);
        quote!(#error_type::#variant)
    } else {
        let wire = &case.wire;
        quote!(#error_type::from(#wire))
    }
}

/// The description as one line of prose rustdoc accepts (markup escaped as in every doc).
fn one_line(text: &str) -> String {
    super::docs::prose(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}
