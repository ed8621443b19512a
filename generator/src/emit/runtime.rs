//! Paths into the runtime crate (`vapi-runtime`), in one place.
//!
//! Generated code names the runtime by its absolute path (`::vapi_runtime::StdError`), so a
//! schema or module of the spec can never shadow it; these are the only functions that
//! write such a path.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The runtime's crate name as generated code writes it.
pub const CRATE: &str = "vapi_runtime";

/// The runtime's items a generated crate re-exports as its own (`vsphere_api::StdError`).
pub const RE_EXPORTED: &[&str] = &[
    "ArgumentLocations",
    "BuildError",
    "BundleLocation",
    "CallError",
    "Check",
    "Credentials",
    "DownloadError",
    "DownloadOptions",
    "DownloadProgress",
    "Downloaded",
    "Error",
    "ErrorType",
    "FileLocations",
    "Fingerprint",
    "InvalidRequest",
    "LocalizableMessage",
    "OperationError",
    "Progress",
    "Refusal",
    "Secret",
    "StdError",
    "StdErrorBody",
    "TarCheck",
    "TarError",
    "Task",
    "TaskError",
    "TaskInfo",
    "TaskProgress",
    "TaskStatus",
    "TokenForm",
    "TransientIndication",
    "WaitOptions",
    "file_name_of",
    "DEFAULT_FILE_NAME",
    "MAX_ANSWER",
    "MAX_RAW_BODY",
    "SESSION_HEADER",
    "TOKEN_HEADER",
];

/// An item of the runtime's root: `::vapi_runtime::StdError`.
pub fn item(name: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    quote!(::vapi_runtime::#name)
}

/// An item generated code calls (`codegen`): `::vapi_runtime::codegen::Call`.
pub fn codegen(name: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    quote!(::vapi_runtime::codegen::#name)
}

/// An item of the runtime's mocks (feature `mock`): `::vapi_runtime::mock::OperationMock`.
pub fn mock(name: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    quote!(::vapi_runtime::mock::#name)
}

/// A helper of the generated checks: `::vapi_runtime::codegen::check::fail`.
pub fn check(name: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    quote!(::vapi_runtime::codegen::check::#name)
}
