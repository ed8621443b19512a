//! A generated test of the generated crate: every documented (status, kind) pair of every
//! operation decodes to its variant, with and without `error_type` in the body.
//!
//! Emitted rather than hand-written, so an operation added to the spec is covered the day
//! it is added.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::scope::ident;
use crate::model::{Model, Operation};
use crate::names;

pub fn documented_errors_test(model: &Model, crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    // Two operations whose words join alike (`a_b::c`, `a::b_c`) get a counted suffix;
    // the file's two helpers keep their names.
    let mut taken: std::collections::BTreeSet<String> = ["body", "decode"].map(String::from).into();
    let tests: Vec<TokenStream> = model
        .operations
        .values()
        .filter(|op| !op.errors.is_empty())
        .map(|op| {
            let base = names::errors_test(&module_of(model, op), &op.method_name);
            let mut name = base.clone();
            for n in 2.. {
                if taken.insert(name.clone()) {
                    break;
                }
                name = format!("{base}_{n}");
            }
            op_test(model, op, &name, &krate)
        })
        .collect();
    quote! {
        #![doc = " Every documented `(status, error_type)` pair of every operation decodes to its variant."]

        use #krate::{OperationError, StdError};

        // Formatted by prettyplease when generated; rustfmt is told to leave each item alone.
        #[rustfmt::skip]
        fn body(error_type: Option<&str>, message: &str) -> Vec<u8> {
            let mut body = serde_json::json!({
                "messages": [{"id": "vapigen.test", "default_message": message, "args": []}],
            });
            if let Some(error_type) = error_type {
                body["error_type"] = serde_json::Value::from(error_type);
            }
            serde_json::to_vec(&body).expect("serializes")
        }

        #[rustfmt::skip]
        fn decode<E: OperationError>(status: u16, error_type: Option<&str>, message: &str) -> E {
            E::from_std(StdError::from_response(status, &body(error_type, message)))
        }

        #(#tests)*
    }
}

fn op_test(
    model: &Model,
    op: &Operation,
    test_name: &str,
    krate: &proc_macro2::Ident,
) -> TokenStream {
    let module = module_of(model, op);
    let path = module.iter().map(|m| ident(m));
    let error = format_ident!("{}", names::error_enum(&op.method_name));
    let test_name = format_ident!("{}", test_name);
    let unique = &op.kind_by_status;
    let cases = op.errors.iter().flat_map(|case| case.statuses.iter().map(move |status| (case, *status))).map(|(case, status_code)| {
        let status = Literal::u16_unsuffixed(status_code);
        let wire = &case.wire;
        let variant = ident(&case.kind);
        let message = format!("{} at {}", case.wire, status_code);
        let without_type = match unique.get(&status_code) {
            // The only kind documented at this status: the status alone picks it.
            Some(_) => quote! {
                let e: E = decode(#status, None, "no type");
                assert!(matches!(e, E::#variant(_)), "{e:?}");
                assert!(!e.std_error().error_type_was_sent());
            },
            // Several kinds share the status: the /api status map decides.
            None => quote! {
                let e: E = decode(#status, None, "no type");
                assert_eq!(e.error_type(), #krate::ErrorType::for_status(#status).as_ref(), "{e:?}");
            },
        };
        quote! {
            let e: E = decode(#status, Some(#wire), #message);
            assert!(matches!(e, E::#variant(_)), "{e:?}");
            assert_eq!(e.status(), #status);
            assert_eq!(e.error_type().map(|t| t.as_str()), Some(#wire));
            assert_eq!(e.messages()[0].default_message, #message);
            #without_type
        }
    });
    let count: usize = op.errors.iter().map(|case| case.statuses.len()).sum();
    quote! {
        #[test]
        #[rustfmt::skip]
        fn #test_name() {
            type E = #krate #(::#path)* :: #error;
            assert_eq!(E::DOCUMENTED.len(), #count);
            #(#cases)*
        }
    }
}

/// The module path of the operation's service.
fn module_of(model: &Model, op: &Operation) -> Vec<String> {
    model
        .services
        .get(&op.service)
        .map(|s| s.module.clone())
        .unwrap_or_default()
}
