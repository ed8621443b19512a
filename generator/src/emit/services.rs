//! Service clients: `client.vcenter().namespace_management().support_bundle().create(..)`.
//!
//! Each module on the way to a Vapi service gets an `Api<'a>` borrowing the client, with an
//! accessor per child; a service's `Api` has a method per operation. The method describes
//! the request (`crate::call::Call`) and decodes the answer; sending is the runtime's.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::errors::error_enum_name;
use super::ty::{ident, Scope};
use crate::error::{Error, Result};
use crate::model::{Docs, Operation, Param, ParamLocation, Ty, TypeKind};
use crate::names;
use crate::vapi::tasks::TASK_RESOURCE_TYPE;

/// Names the generated methods use for their own locals and arguments.
const RESERVED_LOCALS: &[&str] = &["path", "call", "answer", "spec", "credentials"];

/// The name of the accessor struct of each module.
pub const API: &str = "Api";

/// The accessor struct of a module and, for a service, its operation methods.
pub fn api_items(
    scope: &Scope,
    children: &[String],
    operations: &[&Operation],
) -> Result<TokenStream> {
    let module = names::join(scope.module, "::");
    let doc = format!(" The operations under `{module}`, on a borrowed [`crate::Client`].");
    let accessors = children.iter().map(|child| {
        let name = ident(child);
        let doc = format!(" The operations under `{module}::{}`.", names::unraw(child));
        quote! {
            #[doc = #doc]
            pub fn #name(&self) -> #name::Api<'a> {
                #name::Api::new(self.client)
            }
        }
    });
    for op in operations {
        let name = names::unraw(&op.method_name);
        if name == "new" || children.iter().any(|c| names::unraw(c) == name) {
            return Err(Error::unsupported(
                &op.pointer.join("operationId"),
                format!("an operation named `{name}` in this service"),
                "the service's accessor already has a method of that name",
            ));
        }
    }
    let methods = operations
        .iter()
        .map(|op| method(scope, op))
        .collect::<Result<Vec<_>>>()?;
    let root_accessor = (scope.module.len() == 1).then(|| {
        let name = ident(&scope.module[0]);
        let doc = format!(" The operations under `{module}`.");
        quote! {
            impl crate::Client {
                #[doc = #doc]
                pub fn #name(&self) -> Api<'_> {
                    Api::new(self)
                }
            }
        }
    });
    Ok(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct Api<'a> {
            client: &'a crate::Client,
        }

        impl<'a> Api<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #(#accessors)*
            #(#methods)*
        }

        #root_accessor
    })
}

fn method(scope: &Scope, op: &Operation) -> Result<TokenStream> {
    let name = ident(&op.method_name);
    let docs = method_docs(op);
    let error = if op.errors.is_empty() {
        quote!(crate::StdError)
    } else {
        let e = format_ident!("{}", error_enum_name(op));
        quote!(#e)
    };
    let mut args = Vec::new();
    let mut query = Vec::new();
    for param in &op.params {
        if param.location == ParamLocation::Header {
            return Err(Error::unsupported(
                &param.pointer,
                "a header parameter",
                "vSphere operations take their input in the path, the query and the body",
            ));
        }
        if RESERVED_LOCALS.contains(&names::unraw(&param.rust)) {
            return Err(Error::unsupported(
                &param.pointer,
                format!("a parameter named `{}`", param.wire),
                "the generated method uses that name for its own work",
            ));
        }
        let arg = ident(&param.rust);
        let ty = param_type(scope, param)?;
        args.push(quote!(#arg: #ty));
        if param.location == ParamLocation::Query {
            let wire = &param.wire;
            let value = param_value(param, quote!(#arg));
            query.push(if param.required {
                quote!(call = call.query(#wire, #value);)
            } else {
                let inner = param_value(param, quote!(value));
                quote!(if let Some(value) = #arg { call = call.query(#wire, #inner); })
            });
        }
    }
    let (path_format, path_args) = path_format(op)?;
    let path_stmt = if path_args.is_empty() {
        quote!(let path = #path_format.to_owned();)
    } else {
        quote!(let path = format!(#path_format #(, #path_args)*);)
    };
    let fixed = op.fixed_query.iter().map(|(k, v)| quote!(.query(#k, #v)));
    let basic = (op.auth == crate::model::Auth::Basic).then(|| {
        args.insert(0, quote!(credentials: &crate::Credentials));
        quote!(.basic_auth(credentials))
    });
    let (body, check) = match &op.body {
        Some(body) => {
            let ty = scope.ty(&body.ty);
            args.push(quote!(spec: &#ty));
            let check =
                has_checks(scope, &body.ty).then(|| quote!(crate::Check::check(spec, "spec")?;));
            (Some(quote!(.json(spec))), check)
        }
        None => (None, None),
    };
    let success = op.success.as_ref();
    let secret = success.is_some_and(|s| s.secret);
    // An answer that is, or holds, a secret (a session id, a support-bundle token) is
    // withheld from decode errors.
    let holds_secret = secret
        || success
            .and_then(|s| s.body.as_ref())
            .is_some_and(|ty| holds_secret(scope, ty));
    let secret_answer = holds_secret.then(|| quote!(.secret_answer()));
    let (output, finish) = match (success.and_then(|s| s.body.as_ref()), &op.task_result) {
        (None, _) => (quote!(()), quote!(Ok(()))),
        (Some(Ty::Id(rt)), Some(result)) if rt == TASK_RESOURCE_TYPE => {
            let result = scope.ty(result);
            (
                quote!(crate::Task<#result>),
                quote!(Ok(crate::Task::new(self.client.clone(), answer.json()?))),
            )
        }
        (Some(Ty::String), _) if secret => (quote!(crate::Secret), quote!(answer.json())),
        (Some(ty), _) => (scope.ty(ty), quote!(answer.json())),
    };
    // The login (basic auth) is sent once; every other call may log in again on a 401.
    let send = if op.auth == crate::model::Auth::Basic {
        quote!(send_once)
    } else {
        quote!(send)
    };
    let receive = if success.and_then(|s| s.body.as_ref()).is_some() {
        quote!(let answer = self.client.#send::<#error>(call).await?;)
    } else {
        quote!(self.client.#send::<#error>(call).await?;)
    };
    let op_id = &op.operation_id;
    let http_method = format_ident!("{}", op.http_method);
    let template = &op.path;
    let mutable = (!query.is_empty()).then(|| quote!(mut));
    Ok(quote! {
        #docs
        pub async fn #name(&self, #(#args),*) -> Result<#output, crate::Error<#error>> {
            #check
            #path_stmt
            let #mutable call = crate::call::Call::new(#op_id, ::reqwest::Method::#http_method, #template, path)
                #(#fixed)* #basic #body #secret_answer;
            #(#query)*
            #receive
            #finish
        }
    })
}

fn method_docs(op: &Operation) -> TokenStream {
    let mut docs: Docs = op.docs.clone();
    let request = format!("`{} {}`", op.http_method, op.path_key);
    docs.text = if docs.text.is_empty() {
        request
    } else {
        format!("{}\n\n{request}", docs.text)
    };
    if op.task {
        docs.text.push_str(
            "\n\nThe work goes on in a vCenter task; the returned handle waits for its result.",
        );
    }
    doc_attrs(&docs)
}

/// `"/a/{cluster}/b"` -> `("/a/{}/b", [encode(cluster)])`, each value percent-encoded.
fn path_format(op: &Operation) -> Result<(Literal, Vec<TokenStream>)> {
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
            Error::invalid(
                &op.pointer,
                format!("the path `{}` has an unclosed `{{`", op.path),
            )
        })?;
        format.push_str(&rest[..open]);
        format.push_str("{}");
        let name = &rest[open + 1..close];
        let param = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == name)
            .ok_or_else(|| Error::invalid(&op.pointer, format!("no path parameter `{name}`")))?;
        let arg = ident(&param.rust);
        let value = param_value(param, quote!(#arg));
        let wire = &param.wire;
        args.push(quote!(crate::call::path_value(#wire, #value)?));
        rest = &rest[close + 1..];
    }
    format.push_str(rest);
    Ok((Literal::string(&format), args))
}

fn param_type(scope: &Scope, param: &Param) -> Result<TokenStream> {
    let base = match &param.ty {
        Ty::String => quote!(&str),
        Ty::Id(_) => {
            let ty = scope.ty(&param.ty);
            quote!(&#ty)
        }
        // Enums read as their wire value; an object has no text form for a path or query.
        Ty::Named(name)
            if matches!(
                scope.model.types.get(name).map(|d| &d.kind),
                Some(TypeKind::Enum(_))
            ) =>
        {
            let ty = scope.ty(&param.ty);
            quote!(&#ty)
        }
        Ty::Bool | Ty::I32 | Ty::I64 => scope.ty(&param.ty),
        other => {
            return Err(Error::unsupported(
                &param.pointer,
                format!("a parameter of type {other:?}"),
                "path and query values are strings, ids, enums, integers or booleans",
            ))
        }
    };
    Ok(if param.required || param.location == ParamLocation::Path {
        base
    } else {
        quote!(Option<#base>)
    })
}

/// The text of a parameter's value, as a `&str` expression.
fn param_value(param: &Param, value: TokenStream) -> TokenStream {
    match &param.ty {
        Ty::String => quote!(#value),
        Ty::Id(_) | Ty::Named(_) => quote!(#value.as_str()),
        _ => quote!(&#value.to_string()),
    }
}

/// Whether a value of this type holds a secret field, at any depth.
fn holds_secret(scope: &Scope, ty: &Ty) -> bool {
    fn walk(scope: &Scope, ty: &Ty, seen: &mut Vec<String>) -> bool {
        match ty {
            Ty::Named(name) => {
                if seen.contains(name) {
                    return false;
                }
                seen.push(name.clone());
                match scope.model.types.get(name).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => s
                        .fields
                        .iter()
                        .any(|f| f.secret || walk(scope, &f.ty, seen)),
                    Some(TypeKind::Alias(inner)) => walk(scope, inner, seen),
                    _ => false,
                }
            }
            Ty::List(inner) | Ty::Set(inner) | Ty::Nullable(inner) => walk(scope, inner, seen),
            Ty::Map { value, .. } => walk(scope, value, seen),
            _ => false,
        }
    }
    walk(scope, ty, &mut Vec::new())
}

/// Whether a value of this type has rules to check before sending.
/// (Bodies are named objects, as in VMware's spec; a list body is sent unchecked.)
pub fn has_checks(scope: &Scope, ty: &Ty) -> bool {
    match ty {
        Ty::Named(name) => scope
            .model
            .types
            .get(name)
            .is_some_and(|def| matches!(&def.kind, TypeKind::Struct(s) if s.checked)),
        _ => false,
    }
}
