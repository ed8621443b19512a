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

pub fn documented_errors_test(model: &Model, crate_name: &str) -> Vec<TokenStream> {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    // Two operations whose words join alike (`a_b::c`, `a::b_c`) get a counted suffix;
    // the file's two helpers keep their names.
    let mut taken: std::collections::BTreeSet<String> =
        ["body", "decode", "check"].map(String::from).into();
    let tests = model
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
        });
    let head = quote! {
        #![doc = " Every documented `(status, error_type)` pair of every operation decodes to its variant."]

        use #krate::{ErrorType, OperationError, StdError};

        /// One documented pair: the status, the kind as sent, how to tell its variant, and
        /// whether the status alone implies the kind (the only one documented there).
        struct Case<E> {
            status: u16,
            wire: &'static str,
            is: fn(&E) -> bool,
            alone: bool,
        }

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

        /// Each case decodes to its variant with `error_type` in the body, and without it
        /// to the variant the status implies.
        #[rustfmt::skip]
        fn check<E: OperationError + std::fmt::Debug>(documented: &[(u16, &str)], cases: &[Case<E>]) {
            assert_eq!(documented.len(), cases.len());
            for case in cases {
                let message = format!("{} at {}", case.wire, case.status);
                let e: E = decode(case.status, Some(case.wire), &message);
                assert!((case.is)(&e), "{e:?}");
                assert_eq!(e.status(), case.status);
                assert_eq!(e.error_type().map(|t| t.as_str()), Some(case.wire));
                assert_eq!(e.messages()[0].default_message, message);
                let e: E = decode(case.status, None, "no type");
                if case.alone {
                    assert!((case.is)(&e), "{e:?}");
                    assert!(!e.std_error().error_type_was_sent());
                } else {
                    // Several kinds share the status: the /api status map decides.
                    assert_eq!(e.error_type(), ErrorType::for_status(case.status).as_ref(), "{e:?}");
                }
            }
        }
    };
    std::iter::once(head).chain(tests).collect()
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
    let cases = op
        .errors
        .iter()
        .flat_map(|case| case.statuses.iter().map(move |status| (case, *status)))
        .map(|(case, status_code)| {
            let status = Literal::u16_unsuffixed(status_code);
            let wire = &case.wire;
            let variant = ident(&case.kind);
            let alone = unique.contains_key(&status_code);
            quote! {
                Case { status: #status, wire: #wire, is: |e| matches!(e, E::#variant(_)), alone: #alone },
            }
        });
    quote! {
        #[test]
        #[rustfmt::skip]
        fn #test_name() {
            use #krate #(::#path)* :: #error as E;
            check(E::DOCUMENTED, &[
                #(#cases)*
            ]);
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
