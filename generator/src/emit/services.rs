//! Service clients: `client.vcenter().namespace_management().support_bundle().create(..)`.
//!
//! Each module on the way to a Vapi service gets an `Api<'a>` borrowing the client, with an
//! accessor per child; a service's `Api` has a method per operation. The method describes
//! the request (`codegen::Call`) and decodes the answer; sending is the runtime's.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::runtime;
use super::scope::{ident, Scope};
use crate::model::{Auth, Docs, Operation, Param, ParamLocation, ParamShape, PathPart, Ty};
use crate::names;
use crate::vapi::params::{BODY, CALL, CREDENTIALS};

/// The accessor struct of a module and, for a service, its operation methods.
pub fn api_items(scope: &Scope, children: &[String], operations: &[&Operation]) -> TokenStream {
    let module = names::join(scope.module, "::");
    let api = format_ident!("{}", names::API);
    let doc = format!(" The operations under `{module}`, on a borrowed [`crate::Client`].");
    let accessors = children.iter().map(|child| {
        let name = ident(child);
        let doc = format!(" The operations under `{module}::{}`.", names::unraw(child));
        quote! {
            #[doc = #doc]
            pub fn #name(&self) -> #name::#api<'a> {
                #name::#api::new(self.client)
            }
        }
    });
    let methods = operations.iter().map(|op| method(scope, op));
    let root_accessor = (scope.module.len() == 1).then(|| {
        let name = ident(&scope.module[0]);
        let doc = format!(" The operations under `{module}`.");
        quote! {
            impl crate::Client {
                #[doc = #doc]
                pub fn #name(&self) -> #api<'_> {
                    #api::new(self)
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #api<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #api<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #(#accessors)*
            #(#methods)*
        }

        #root_accessor
    }
}

fn method(scope: &Scope, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let docs = method_docs(op);
    let error = if op.errors.is_empty() {
        runtime::item("StdError")
    } else {
        let e = format_ident!("{}", names::error_enum(&op.method_name));
        quote!(#e)
    };
    let call_local = format_ident!("{}", CALL);
    let mut args = Vec::new();
    if op.auth == Auth::Basic {
        let credentials = format_ident!("{}", CREDENTIALS);
        let ty = runtime::item("Credentials");
        args.push(quote!(#credentials: &#ty));
    }
    // Path values first, each encoded into a local of the argument's name, so the
    // `format!` below names plain locals.
    let mut encode = Vec::new();
    let mut query = Vec::new();
    for param in &op.params {
        let arg = ident(&param.rust);
        let ty = param_type(scope, param);
        args.push(quote!(#arg: #ty));
        match param.location {
            ParamLocation::Path => {
                let wire = &param.wire;
                let text = text_of(&param.ty, quote!(#arg));
                let path_value = runtime::codegen("path_value");
                encode.push(quote!(let #arg = #path_value(#wire, #text)?;));
            }
            ParamLocation::Query => query.push(query_statement(param, &call_local)),
        }
    }
    let path = path_expression(op);
    let fixed = op.fixed_query.iter().map(|(k, v)| quote!(.query(#k, #v)));
    let basic = (op.auth == Auth::Basic).then(|| {
        let credentials = format_ident!("{}", CREDENTIALS);
        quote!(.basic_auth(#credentials))
    });
    let (body, check) = match &op.body {
        Some(body) => {
            let spec = format_ident!("{}", BODY);
            let ty = scope.ty(&body.ty);
            args.push(quote!(#spec: &#ty));
            let check_trait = runtime::item("Check");
            let check = scope
                .is_checked(&body.ty)
                .then(|| quote!(#check_trait::check(#spec, #BODY)?;));
            (Some(quote!(.json(#spec))), check)
        }
        None => (None, None),
    };
    let success = op.success.as_ref();
    let secret_answer = success
        .is_some_and(|s| s.secret)
        .then(|| quote!(.secret_answer()));
    let body_ty = success.and_then(|s| s.body.as_ref());
    let (output, finish) = match (body_ty, &op.task_result) {
        (_, Some(result)) => {
            let result = scope.ty(result);
            let task = runtime::item("Task");
            (quote!(#task<#result>), quote!(.task(self.client)))
        }
        (None, None) => (quote!(()), quote!()),
        (Some(Ty::String), None) if success.is_some_and(|s| s.secret) => {
            (runtime::item("Secret"), quote!(.json()))
        }
        (Some(ty), None) => (scope.ty(ty), quote!(.json())),
    };
    // The login (basic auth) is sent once; every other call may log in again on a 401.
    let send = if op.auth == Auth::Basic {
        quote!(send_once)
    } else {
        quote!(send)
    };
    let op_id = &op.operation_id;
    let method = runtime::codegen("Method");
    let http_method = format_ident!("{}", op.http_method);
    let template = op.path.to_string();
    let new_call = runtime::codegen("Call");
    let request = quote! {
        #new_call::new(#op_id, #method::#http_method, #template, #path)
            #(#fixed)* #basic #body #secret_answer
    };
    let result = runtime::item("CallError");
    let exchange = quote!(self.client.#send::<#error>(#call_local).await?);
    let mutable = (!query.is_empty()).then(|| quote!(mut));
    let build = quote!(let #mutable #call_local = #request; #(#query)*);
    let answer = if body_ty.is_none() && op.task_result.is_none() {
        quote!(#exchange; Ok(()))
    } else {
        quote!(#exchange #finish)
    };
    quote! {
        #docs
        pub async fn #name(&self, #(#args),*) -> Result<#output, #result<#error>> {
            #check
            #(#encode)*
            #build
            #answer
        }
    }
}

fn method_docs(op: &Operation) -> TokenStream {
    let mut docs: Docs = op.docs.clone();
    let request = format!("`{} {}`", op.http_method, op.path_key);
    docs.text = if docs.text.is_empty() {
        request
    } else {
        format!("{}\n\n{request}", docs.text)
    };
    if op.task_result.is_some() {
        docs.text.push_str(
            "\n\nThe work goes on in a task; the returned handle waits for its result through the task service.",
        );
    }
    doc_attrs(&docs)
}

/// `format!("/a/{cluster}/b")` over the encoded locals, or the literal path.
fn path_expression(op: &Operation) -> TokenStream {
    let mut format = String::new();
    let mut has_values = false;
    for part in &op.path.parts {
        match part {
            PathPart::Text(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(wire) => {
                let rust = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && &p.wire == wire)
                    .map_or(wire.as_str(), |p| p.rust.as_str());
                format.push('{');
                format.push_str(rust);
                format.push('}');
                has_values = true;
            }
        }
    }
    let format = Literal::string(&format);
    if has_values {
        quote!(format!(#format))
    } else {
        quote!(#format.to_owned())
    }
}

/// `call = call.query(..)`, or the same under `if let Some(..)` for an optional one.
fn query_statement(param: &Param, call: &proc_macro2::Ident) -> TokenStream {
    let arg = ident(&param.rust);
    let wire = &param.wire;
    let add = match param.shape {
        ParamShape::Value => {
            let text = text_of(&param.ty, quote!(#arg));
            quote!(#call = #call.query(#wire, #text);)
        }
        ParamShape::Values => {
            let item = match &param.ty {
                Ty::List(item) | Ty::Set(item) => item.as_ref(),
                other => other,
            };
            let values = match item {
                // `&String` is already text.
                Ty::String => quote!(#arg.iter()),
                item => {
                    let text = text_of(item, quote!(value));
                    quote!(#arg.iter().map(|value| #text))
                }
            };
            quote!(#call = #call.query_values(#wire, #values);)
        }
        ParamShape::Object => quote!(#call = #call.query_form(#arg)?;),
    };
    if param.required {
        add
    } else {
        quote!(if let Some(#arg) = #arg { #add })
    }
}

fn param_type(scope: &Scope, param: &Param) -> TokenStream {
    let base = match (param.shape, &param.ty) {
        (ParamShape::Value, Ty::String) => quote!(&str),
        (ParamShape::Value, ty @ (Ty::Bool | Ty::I32 | Ty::I64)) => scope.ty(ty),
        (ParamShape::Values, Ty::List(item) | Ty::Set(item)) => {
            let item = scope.ty(item);
            quote!(&[#item])
        }
        (_, ty) => {
            let ty = scope.ty(ty);
            quote!(&#ty)
        }
    };
    if param.required {
        base
    } else {
        quote!(Option<#base>)
    }
}

/// The text of a value, as an expression the runtime takes (`&str` or `String`).
fn text_of(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(#value),
        Ty::Id(_) | Ty::Named(_) => quote!(#value.as_str()),
        _ => quote!(#value.to_string()),
    }
}
