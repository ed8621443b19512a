//! Paths -> operations: method, path, parameters, body and responses by status.
//!
//! Names here are neutral; `vapi::operations` reads VMware's naming (`Service_op$Task`,
//! `?action=` in path keys) afterwards.

use std::collections::BTreeMap;

use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, SecurityScheme,
    StatusCode,
};

use super::refs::Doc;
use super::schemas::{ref_or_secret, ty_of};
use crate::error::{Error, Problems, Result};
use crate::model::{
    Auth, Body, Docs, Operation, Param, ParamLocation, ParamShape, PathTemplate, Response, Service,
    Status,
};
use crate::names;
use crate::pointer::Pointer;

const JSON: &str = "application/json";

pub fn lower_operations(doc: &Doc, problems: &mut Problems) -> BTreeMap<String, Operation> {
    let mut operations: BTreeMap<String, Operation> = BTreeMap::new();
    for (path_key, item) in &doc.api.paths.paths {
        let path_at = Pointer::root().join("paths").join(path_key);
        let ReferenceOr::Item(item) = item else {
            problems.push(Error::unsupported(
                &path_at,
                "a `$ref` path item",
                "write the operations in place",
            ));
            continue;
        };
        for (method, op) in item.iter() {
            let at = path_at.join(method);
            // An operation with a problem in any part is left out whole: a half-lowered
            // one would give later stages problems that are only echoes of this one.
            let before = problems.len();
            let operation = lower_operation(doc, path_key, item, method, op, &at, problems);
            let Some(operation) = problems
                .take(operation)
                .filter(|_| problems.len() == before)
            else {
                continue;
            };
            // Path and parameters that disagree leave the operation whole: its other
            // problems are worth reporting in the same run.
            check_path_params(&operation.path, &operation.params, &at, problems);
            if let Some(first) = operations.get(&operation.operation_id) {
                problems.push(Error::DuplicateOperationId {
                    pointer: at.join("operationId"),
                    operation_id: operation.operation_id,
                    first: first.pointer.join("operationId"),
                });
                continue;
            }
            operations.insert(operation.operation_id.clone(), operation);
        }
    }
    operations
}

/// The Vapi services (tags) the operations belong to, with the docs of the tag list.
pub fn lower_services(
    doc: &Doc,
    operations: &BTreeMap<String, Operation>,
) -> BTreeMap<String, Service> {
    let mut services = BTreeMap::new();
    let tags: BTreeMap<&str, (usize, &Option<String>)> = doc
        .api
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), (i, &t.description)))
        .collect();
    for op in operations.values() {
        if services.contains_key(&op.service) {
            continue;
        }
        let module = op.service.split('.').map(names::to_snake).collect();
        let tag = tags.get(op.service.as_str());
        let docs = Docs::new(tag.and_then(|(_, d)| d.as_deref()));
        let pointer = match tag {
            Some((i, _)) => Pointer::root().join("tags").join(i),
            None => op.pointer.join("tags").join(0),
        };
        services.insert(
            op.service.clone(),
            Service {
                module,
                docs,
                pointer,
            },
        );
    }
    services
}

/// One operation. A problem with the operation as a whole (no operationId, no tag, a path
/// that does not parse) is its `Err`; problems of its parts are recorded and the part left
/// out, so they are all reported.
fn lower_operation(
    doc: &Doc,
    path_key: &str,
    item: &PathItem,
    method: &str,
    op: &openapiv3::Operation,
    at: &Pointer,
    problems: &mut Problems,
) -> Result<Operation> {
    let Some(operation_id) = op.operation_id.clone() else {
        return Err(Error::invalid(at, "the operation has no `operationId`"));
    };
    let Some(service) = op.tags.first().cloned() else {
        return Err(Error::invalid(
            &at.join("tags"),
            "the operation has no tag; VMware tags each operation with its service (`Vcenter.Namespaces`)",
        ));
    };
    if !service.split('.').all(names::is_usable) {
        return Err(Error::invalid(
            &at.join("tags").join(0),
            format!("the tag `{service}` has a part that cannot become a Rust name"),
        ));
    }
    let mut docs = Docs::new(op.description.as_deref().or(op.summary.as_deref()));
    if op.deprecated {
        docs.deprecated = Some(String::new());
    }
    let path_only = path_key.split('?').next().unwrap_or_default();
    let path = PathTemplate::parse(path_only).map_err(|message| Error::invalid(at, message))?;
    let params = lower_params(doc, path_key, item, op, at, problems);
    let auth = problems.take(lower_auth(doc, op, at)).unwrap_or(Auth::None);
    let body = problems.take(lower_body(doc, op, at)).flatten();
    let responses = lower_responses(doc, op, at, problems)?;
    Ok(Operation {
        method_name: names::to_snake(&operation_id),
        operation_id,
        pointer: at.clone(),
        service,
        http_method: method.to_ascii_uppercase(),
        path_key: path_key.to_owned(),
        path,
        fixed_query: Vec::new(),
        task: false,
        auth,
        docs,
        params,
        body,
        responses,
        extensions: op
            .extensions
            .iter()
            .filter(|(k, _)| k.starts_with("x-"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        success: None,
        errors: Vec::new(),
        kind_by_status: BTreeMap::new(),
        task_result: None,
    })
}

fn lower_auth(doc: &Doc, op: &openapiv3::Operation, at: &Pointer) -> Result<Auth> {
    let no_security = Vec::new();
    let (requirements, req_at) = match &op.security {
        Some(r) => (r, at.join("security")),
        None => (
            doc.api.security.as_ref().unwrap_or(&no_security),
            Pointer::root().join("security"),
        ),
    };
    let Some(first) = requirements.first() else {
        return Ok(Auth::None);
    };
    let Some(name) = first.keys().next() else {
        return Ok(Auth::None);
    };
    let schemes = doc.api.components.as_ref().map(|c| &c.security_schemes);
    let scheme = doc.resolve(
        schemes.and_then(|s| s.get(name)).ok_or_else(|| {
            Error::invalid(
                &req_at.join(0).join(name),
                format!("no security scheme `{name}` under #/components/securitySchemes"),
            )
        })?,
        "securitySchemes",
        schemes,
        &Pointer::root()
            .join("components")
            .join("securitySchemes")
            .join(name),
    )?;
    match scheme {
        SecurityScheme::APIKey { .. } => Ok(Auth::Session),
        SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
            Ok(Auth::Basic)
        }
        _ => Err(Error::unsupported(
            &req_at.join(0).join(name),
            format!("the security scheme `{name}`"),
            "vSphere uses `api_key_auth` (session header) and HTTP basic to log in",
        )),
    }
}

fn lower_params(
    doc: &Doc,
    path_key: &str,
    item: &PathItem,
    op: &openapiv3::Operation,
    at: &Pointer,
    problems: &mut Problems,
) -> Vec<Param> {
    let components = doc.api.components.as_ref().map(|c| &c.parameters);
    let mut params: Vec<Param> = Vec::new();
    let path_at = Pointer::root().join("paths").join(path_key);
    let path_level = item
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, path_at.join("parameters").join(i)));
    let op_level = op
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, at.join("parameters").join(i)));
    for (param, p_at) in path_level.collect::<Vec<_>>().into_iter().chain(op_level) {
        let Some(lowered) = problems.take(lower_param(doc, components, param, p_at)) else {
            continue;
        };
        // An operation's parameter overrides the path item's one of the same name and place.
        params.retain(|p| !(p.wire == lowered.wire && p.location == lowered.location));
        if let Some(other) = params.iter().find(|p| p.wire == lowered.wire) {
            problems.push(Error::invalid(
                &lowered.pointer,
                format!(
                    "a second parameter named `{}` (the other at {}): both would be sent under one name",
                    lowered.wire, other.pointer
                ),
            ));
            continue;
        }
        params.push(lowered);
    }
    params
}

fn lower_param(
    doc: &Doc,
    components: Option<&indexmap::IndexMap<String, ReferenceOr<Parameter>>>,
    param: &ReferenceOr<Parameter>,
    p_at: Pointer,
) -> Result<Param> {
    let param = doc.resolve(param, "parameters", components, &p_at)?;
    let (location, data) = match param {
        Parameter::Path { parameter_data, .. } => (ParamLocation::Path, parameter_data),
        Parameter::Query {
            parameter_data,
            style,
            ..
        } => {
            // OpenAPI's default for a query is `form` + `explode: true`, which VMware writes
            // out; the other styles would need a wire form vSphere does not use.
            if *style != QueryStyle::Form || parameter_data.explode == Some(false) {
                return Err(Error::unsupported(
                    &p_at,
                    "a query parameter that is not `style: form, explode: true`",
                    "vSphere's query parameters are form-style and exploded",
                ));
            }
            (ParamLocation::Query, parameter_data)
        }
        Parameter::Header { .. } => {
            return Err(Error::unsupported(
                &p_at,
                "a header parameter",
                "vSphere operations take their input in the path, the query and the body",
            ))
        }
        Parameter::Cookie { .. } => {
            return Err(Error::unsupported(
                &p_at,
                "a cookie parameter",
                "vSphere takes no cookies",
            ))
        }
    };
    let ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return Err(Error::unsupported(
            &p_at,
            "a parameter with `content`",
            "give it a `schema`",
        ));
    };
    if !names::is_usable(&data.name) {
        return Err(Error::invalid(
            &p_at,
            format!(
                "the parameter name `{}` cannot become a Rust name",
                data.name
            ),
        ));
    }
    Ok(Param {
        wire: data.name.clone(),
        rust: names::param_name(&data.name),
        location,
        required: data.required || location == ParamLocation::Path,
        ty: ty_of(doc, schema, &p_at.join("schema"))?,
        shape: ParamShape::Value,
        docs: Docs::new(data.description.as_deref()),
        pointer: p_at,
    })
}

/// Every `{name}` of the path has a path parameter, and every path parameter a `{name}`.
fn check_path_params(path: &PathTemplate, params: &[Param], at: &Pointer, problems: &mut Problems) {
    let in_path: Vec<&str> = path.params().collect();
    for name in &in_path {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire == *name)
        {
            problems.push(Error::invalid(
                at,
                format!("the path names `{{{name}}}` but no path parameter `{name}` is declared"),
            ));
        }
    }
    for p in params
        .iter()
        .filter(|p| p.location == ParamLocation::Path && !in_path.contains(&p.wire.as_str()))
    {
        problems.push(Error::invalid(
            &p.pointer,
            format!(
                "the path parameter `{}` does not appear in the path `{path}`",
                p.wire
            ),
        ));
    }
}

fn lower_body(doc: &Doc, op: &openapiv3::Operation, at: &Pointer) -> Result<Option<Body>> {
    let Some(body) = &op.request_body else {
        return Ok(None);
    };
    let body_at = at.join("requestBody");
    let components = doc.api.components.as_ref().map(|c| &c.request_bodies);
    let body = doc.resolve(body, "requestBodies", components, &body_at)?;
    let Some(media) = body.content.get(JSON) else {
        let found = body.content.keys().cloned().collect::<Vec<_>>().join(", ");
        return Err(Error::unsupported(
            &body_at.join("content"),
            format!("a request body of type `{found}`"),
            "vSphere bodies are `application/json`",
        ));
    };
    let schema_at = body_at.join("content").join(JSON).join("schema");
    let Some(schema) = &media.schema else {
        return Err(Error::invalid(&schema_at, "the request body has no schema"));
    };
    Ok(Some(Body {
        ty: ty_of(doc, schema, &schema_at)?,
        required: body.required,
        docs: Docs::new(body.description.as_deref()),
    }))
}

fn lower_responses(
    doc: &Doc,
    op: &openapiv3::Operation,
    at: &Pointer,
    problems: &mut Problems,
) -> Result<Vec<Response>> {
    let components = doc.api.components.as_ref().map(|c| &c.responses);
    let responses_at = at.join("responses");
    let mut out = Vec::new();
    for (code, response) in &op.responses.responses {
        let r_at = responses_at.join(code);
        let status = match code {
            StatusCode::Code(c) => Status::Code(*c),
            StatusCode::Range(_) => {
                problems.push(Error::unsupported(
                    &r_at,
                    "a status range (`4XX`)",
                    "list each status, as VMware does",
                ));
                continue;
            }
        };
        out.extend(problems.take(lower_response(doc, status, response, components, &r_at)));
    }
    if let Some(default) = &op.responses.default {
        out.extend(problems.take(lower_response(
            doc,
            Status::Default,
            default,
            components,
            &responses_at.join("default"),
        )));
    }
    if op.responses.responses.is_empty() && op.responses.default.is_none() {
        return Err(Error::invalid(
            &responses_at,
            "the operation lists no responses",
        ));
    }
    Ok(out)
}

fn lower_response(
    doc: &Doc,
    status: Status,
    response: &ReferenceOr<openapiv3::Response>,
    components: Option<&indexmap::IndexMap<String, ReferenceOr<openapiv3::Response>>>,
    at: &Pointer,
) -> Result<Response> {
    let response = doc.resolve(response, "responses", components, at)?;
    let (body, secret) = match (response.content.get(JSON), response.content.is_empty()) {
        (_, true) => (None, false),
        (Some(media), false) => match &media.schema {
            Some(schema) => (
                Some(ty_of(
                    doc,
                    schema,
                    &at.join("content").join(JSON).join("schema"),
                )?),
                ref_or_secret(schema),
            ),
            None => (None, false),
        },
        (None, false) => {
            let found = response
                .content
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::unsupported(
                &at.join("content"),
                format!("a response of type `{found}`"),
                "vSphere answers `application/json`",
            ));
        }
    };
    Ok(Response {
        status,
        pointer: at.clone(),
        docs: Docs::new(Some(&response.description)),
        body,
        secret,
    })
}
