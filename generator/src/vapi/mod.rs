//! Step 3 of the pipeline: VMware's Vapi conventions, one module per convention.
//!
//! Each reads what the spec says in VMware's fixed phrases (or its naming and shapes) and
//! rewrites the model, so every decision shows in the model snapshot and the emitter only
//! renders:
//! - `operations`: `Service_op$Task` naming, `?action=` fixed queries, task variants;
//! - `enum_links`: strings that name their enum ("For more information see: *X*");
//! - `versions`: "added in vSphere API x", "deprecated as of vSphere API x";
//! - `identifiers`: "identifier for the resource type: X" -> id newtypes;
//! - `errors`: the std error kinds of each operation, by status;
//! - `std_types`: the Vapi standard types, which the runtime owns;
//! - `services`: the session and task services the runtime drives;
//! - `tasks`: what each task yields;
//! - `bundles`: support-bundle locations for the runtime's download;
//! - `secrets`: answers that hold a secret;
//! - `params`: how parameters go on the wire, and argument names;
//! - `checks`: rules checked before a request is sent;
//! - `namespaces`: every name the crate exposes, checked for clashes;
//! - `features`: a cargo feature per top-level module, with the modules its types use;
//! - `directions`: which way each struct travels, so it derives only the serde trait needed.
//!
//! Each records the problems it finds and goes on, so one run reports them all.

pub mod bundles;
pub mod checks;
pub mod directions;
pub mod enum_links;
pub mod errors;
pub mod features;
pub mod identifiers;
pub mod namespaces;
pub mod operations;
pub mod params;
pub mod secrets;
pub mod services;
pub mod std_types;
pub mod tasks;
pub mod versions;

use crate::error::Problems;
use crate::model::{Model, TypeKind};
use versions::Level;

pub fn normalize(model: &mut Model, problems: &mut Problems) {
    operations::apply(model, problems);
    enum_links::apply(model);
    apply_versions(model, problems);
    apply_identifiers(model, problems);
    errors::apply(model, problems);
    std_types::apply(model, problems);
    services::apply(model, problems);
    tasks::apply(model, problems);
    bundles::apply(model);
    secrets::apply(model);
    params::apply(model, problems);
    checks::apply(model, problems);
    namespaces::check(model, problems);
    features::apply(model);
    directions::apply(model);
}

/// Every description in the model gets its version sentences read.
fn apply_versions(model: &mut Model, problems: &mut Problems) {
    for service in model.services.values_mut() {
        let at = service.pointer.join("description");
        problems.take(versions::apply(&mut service.docs, &at, Level::Item));
    }
    for def in model.types.values_mut() {
        problems.take(versions::apply(&mut def.docs, &def.pointer, Level::Item));
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    problems.take(versions::apply(
                        &mut field.docs,
                        &field.pointer,
                        Level::Item,
                    ));
                    versions::drop_if_enclosing(&mut field.docs, &def.docs);
                }
            }
            TypeKind::Enum(e) => {
                for (i, variant) in e.variants.iter_mut().enumerate() {
                    let at = def.pointer.join("enum").join(i);
                    problems.take(versions::apply(&mut variant.docs, &at, Level::Value));
                    versions::drop_if_enclosing(&mut variant.docs, &def.docs);
                }
            }
            TypeKind::Alias(_) => {}
        }
    }
    for op in model.operations.values_mut() {
        problems.take(versions::apply(
            &mut op.docs,
            &op.pointer.join("description"),
            Level::Item,
        ));
        for param in &mut op.params {
            problems.take(versions::apply(
                &mut param.docs,
                &param.pointer,
                Level::Item,
            ));
            versions::drop_if_enclosing(&mut param.docs, &op.docs);
        }
        if let Some(service) = model.services.get(&op.service) {
            versions::drop_if_enclosing(&mut op.docs, &service.docs);
        }
    }
}

/// Fields, parameters and responses whose description names a resource type hold ids.
fn apply_identifiers(model: &mut Model, problems: &mut Problems) {
    let mut registry = identifiers::Registry::default();
    for def in model.types.values_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    problems.take(registry.apply(&mut field.docs, &mut field.ty, &field.pointer));
                }
            }
            TypeKind::Alias(ty) => {
                problems.take(registry.apply(&mut def.docs, ty, &def.pointer));
            }
            TypeKind::Enum(_) => {}
        }
    }
    for op in model.operations.values_mut() {
        for param in &mut op.params {
            problems.take(registry.apply(&mut param.docs, &mut param.ty, &param.pointer));
        }
        for response in &mut op.responses {
            if let Some(body) = &mut response.body {
                let at = response.pointer.join("description");
                problems.take(registry.apply(&mut response.docs, body, &at));
            }
        }
    }
    model.ids = registry.finish(problems);
}

/// Minimal specs for the conventions' unit tests: one operation, the error kinds, no more.
#[cfg(test)]
pub(crate) mod fragments {
    use crate::error::Result;
    use crate::model::Model;

    /// A spec with one `POST` at `path_key`, the given operationId, its `responses` map and
    /// extra `schemas` (each YAML written from any column: it is indented into place), beside
    /// the standard errors and a task service, as every VMware spec has them.
    pub fn spec(path_key: &str, operation_id: &str, responses: &str, schemas: &str) -> String {
        let tag = operation_id.split('$').next().unwrap_or_default();
        let tag = tag.rsplit_once('_').map_or(tag, |(t, _)| t);
        let paths = format!(
            "'{path_key}':\n  post:\n    tags: [{tag}]\n    operationId: '{operation_id}'\n    responses:\n{}",
            indent(responses, 6)
        );
        with_paths(&paths, schemas)
    }

    /// A spec with these `paths` and extra `schemas` (YAML from any column), beside the
    /// standard errors and a task service.
    pub fn with_paths(paths: &str, schemas: &str) -> String {
        let (paths, schemas) = (indent(paths, 2), indent(schemas, 4));
        format!("{HEAD}{paths}{TASKS}{SCHEMAS}{schemas}\n")
    }

    /// `text` moved to start at column `by`, its own indentation within kept.
    pub fn indent(text: &str, by: usize) -> String {
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let least = lines
            .iter()
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        lines
            .iter()
            .map(|l| format!("{}{}\n", " ".repeat(by), &l[least..]))
            .collect()
    }

    const HEAD: &str = r#"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
"#;

    const TASKS: &str = r#"
  /cis/tasks/{task}:
    get:
      tags: [Cis.Tasks]
      operationId: Cis.Tasks_get
      parameters:
        - name: task
          in: path
          required: true
          description: 'The parameter must be an identifier for the resource type: `com.vmware.cis.task`.'
          schema: {type: string}
      responses:
        '200':
          description: The task's info.
          content: {application/json: {schema: {$ref: '#/components/schemas/Cis.Task.Info'}}}
"#;

    const SCHEMAS: &str = r#"components:
  securitySchemes:
    api_key_auth: {type: apiKey, in: header, name: vmware-api-session-id}
    basic_auth: {type: http, scheme: basic}
  schemas:
    Cis.Task.Info:
      type: object
      properties:
        status: {$ref: '#/components/schemas/Cis.Task.Status'}
        result: {}
      required: [status]
    Cis.Task.Status:
      type: string
      enum: [PENDING, RUNNING, SUCCEEDED, FAILED]
    Vapi.Std.LocalizableMessage:
      type: object
      properties:
        id: {type: string}
        default_message: {type: string}
        args: {type: array, items: {type: string}}
      required: [id, default_message, args]
    Vapi.Std.Errors.Error:
      type: object
      properties:
        messages: {type: array, items: {$ref: '#/components/schemas/Vapi.Std.LocalizableMessage'}}
        error_type: {$ref: '#/components/schemas/Vapi.Std.Errors.Error.Type'}
    Vapi.Std.Errors.Error.Type:
      type: string
      enum: [ERROR, ALREADY_EXISTS, INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED]
    Vapi.Std.Errors.NotFound:
      allOf: [{$ref: '#/components/schemas/Vapi.Std.Errors.Error'}]
"#;

    pub fn normalize(spec: &str) -> Result<Model> {
        let api = crate::load::load_str(spec)?;
        let mut problems = crate::error::Problems::default();
        let mut model = crate::lower::lower(&api, &mut problems);
        super::normalize(&mut model, &mut problems);
        problems.into_result()?;
        Ok(model)
    }

    /// Every problem the fragment has, each with its pointer.
    pub fn errors_of(spec: &str) -> Vec<String> {
        match normalize(spec) {
            Ok(_) => panic!("the fragment should be refused"),
            Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
        }
    }

    /// The one problem the fragment has.
    pub fn error_of(spec: &str) -> String {
        match errors_of(spec).as_slice() {
            [one] => one.clone(),
            many => panic!("expected one problem, got {many:#?}"),
        }
    }
}
