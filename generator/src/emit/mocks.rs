//! `src/mock.rs` (feature `mock`): a `MockVsphere` trait on `wiremock::MockServer` with one
//! method per operation, `mock_<service path>_<operation>`, so users' tests mount answers
//! without knowing paths or wire shapes. The mounting itself is the runtime's
//! (`vapi_runtime::mock`).

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::runtime;
use super::scope::{ident, Scope};
use crate::model::{Model, Operation, ParamLocation, PathPart, Ty};
use crate::names;

pub fn mock_file(model: &Model) -> TokenStream {
    let scope = Scope { model, module: &[] };
    let names = mock_names(model);
    let operation_mock = runtime::mock("OperationMock");
    let mock_spec = runtime::mock("MockSpec");
    let server = runtime::mock("MockServer");
    let mut signatures = Vec::new();
    let mut bodies = Vec::new();
    for op in model.operations.values() {
        let name = format_ident!("{}", names[&op.operation_id]);
        let cfg = feature_cfg(model.feature_of_operation(op));
        let answer = answer_type(&scope, op);
        let doc = format!(
            " Mocks `{} {}` (`{}`).",
            op.http_method, op.path_key, op.operation_id
        );
        signatures.push(quote! {
            #[doc = #doc]
            #cfg
            fn #name(&self) -> #operation_mock<'_, #answer>;
        });
        let method = &op.http_method;
        let path = path_regex(op);
        let query = op.fixed_query.iter().map(|(k, v)| quote!((#k, #v)));
        let success = Literal::u16_unsuffixed(op.success.as_ref().map_or(200, |s| s.status));
        let module = model
            .services
            .get(&op.service)
            .map(|s| s.module.clone())
            .unwrap_or_default();
        let documented = if op.errors.is_empty() {
            quote!(&[])
        } else {
            let module = module.iter().map(|m| ident(m));
            let error = format_ident!("{}", names::error_enum(&op.method_name));
            quote!(crate #(::#module)* :: #error::DOCUMENTED)
        };
        bodies.push(quote! {
            #cfg
            fn #name(&self) -> #operation_mock<'_, #answer> {
                #operation_mock::new(self, #mock_spec {
                    method: #method,
                    path: #path,
                    fixed_query: &[#(#query),*],
                    success: #success,
                    documented: #documented,
                })
            }
        });
    }
    if let Some((signature, body)) = task_mock(&scope, model, &names) {
        signatures.push(signature);
        bodies.push(body);
    }
    if !model.bundle_locations.is_empty() {
        let name = format_ident!("{}", names::MOCK_BUNDLE_DOWNLOAD);
        let bundle_mock = runtime::mock("BundleMock");
        signatures.push(quote! {
            /// Mocks the download of a support bundle for `token`: `.serves(tar(..))` mounts
            /// it and gives the URL to put in the bundle's location.
            fn #name(&self, token: &str) -> #bundle_mock<'_>;
        });
        bodies.push(quote! {
            fn #name(&self, token: &str) -> #bundle_mock<'_> {
                #bundle_mock::new(self, token)
            }
        });
    }
    quote! {
        #![doc = " Typed mocks of every operation, on `wiremock` (feature `mock`)."]
        // Deprecated operations and types have mocks too; naming them is no use to warn about.
        #![allow(deprecated)]

        pub use ::vapi_runtime::mock::{
            tar, Answers, BundleMock, MockServer, MockSpec, OperationMock, TaskMock,
        };

        /// One method per operation: `server.mock_<service>_<operation>()`, then `.returns(..)`
        /// or `.fails_with(ErrorType::..)`.
        pub trait MockVsphere {
            #(#signatures)*
        }

        impl MockVsphere for #server {
            #(#bodies)*
        }
    }
}

/// `mock_task(id)`: a task's life, polled through the task service's get operation.
fn task_mock(
    scope: &Scope,
    model: &Model,
    names: &BTreeMap<String, String>,
) -> Option<(TokenStream, TokenStream)> {
    let tasks = model.tasks.as_ref()?;
    let get = model.operations.get(&tasks.get)?;
    let id = get
        .params
        .iter()
        .find(|p| matches!(p.location, ParamLocation::Path))?;
    let id_ty = scope.ty(&id.ty);
    let get_mock = format_ident!("{}", names[&get.operation_id]);
    // It mounts the task service's get: it is there when that service is.
    let cfg = feature_cfg(model.feature_of_operation(get));
    let name = format_ident!("{}", names::MOCK_TASK);
    let task_mock = runtime::mock("TaskMock");
    let signature = quote! {
        /// Mocks the life of task `id` as the task service tells it:
        /// `.running(polls, percent)`, then `.succeeds(result)` or `.fails_with(kind, message)`.
        #cfg
        fn #name(&self, id: &#id_ty) -> #task_mock<'_>;
    };
    let body = quote! {
        #cfg
        fn #name(&self, id: &#id_ty) -> #task_mock<'_> {
            #task_mock::new(self.#get_mock(), id.as_str())
        }
    };
    Some((signature, body))
}

/// `#[cfg(feature = "..")]` for what is compiled under a top-level module's feature.
fn feature_cfg(feature: Option<&str>) -> Option<TokenStream> {
    feature.map(|feature| quote!(#[cfg(feature = #feature)]))
}

/// Each operation's mock method, by operation id.
fn mock_names(model: &Model) -> BTreeMap<String, String> {
    model
        .operations
        .values()
        .map(|op| {
            let name = names::mock_method(&op.service, &op.method_name);
            (op.operation_id.clone(), name)
        })
        .collect()
}

/// What the operation answers on success, as the mock takes it.
fn answer_type(scope: &Scope, op: &Operation) -> TokenStream {
    match op.success.as_ref().and_then(|s| s.body.as_ref()) {
        None => quote!(()),
        // A secret answer (the session id) is given as plain text to the mock.
        Some(Ty::String) => quote!(String),
        Some(ty) => scope.ty(ty),
    }
}

/// `/a/{id}/b` -> `^/api/a/[^/]+/b$`.
fn path_regex(op: &Operation) -> String {
    let mut out = String::from("^/api");
    for part in &op.path.parts {
        match part {
            PathPart::Text(text) => out.push_str(&regex::escape(text)),
            PathPart::Param(_) => out.push_str("[^/]+"),
        }
    }
    out.push('$');
    out
}
