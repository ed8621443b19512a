//! Step 3 of the pipeline: VMware's Vapi conventions, one module per convention.
//!
//! Each reads what the spec says in VMware's fixed phrases (or its naming) and rewrites
//! the model, so the emitter stays generic:
//! - `operations`: `Service_op$Task` naming, `?action=` fixed queries, task variants;
//! - `versions`: "added in vSphere API x", "deprecated as of vSphere API x";
//! - `identifiers`: "identifier for the resource type: X" -> id newtypes;
//! - `errors`: the std error kinds of each operation, by status;
//! - `tasks`: task ids and the typed result of a task;
//! - `checks`: rules checked before a request is sent.

pub mod checks;
pub mod errors;
pub mod identifiers;
pub mod operations;
pub mod tasks;
pub mod versions;

use crate::error::Result;
use crate::model::{Model, TypeKind};

pub fn normalize(model: &mut Model) -> Result<()> {
    operations::apply(model)?;
    apply_versions(model)?;
    apply_identifiers(model)?;
    errors::apply(model)?;
    tasks::apply(model)?;
    checks::apply(model)?;
    Ok(())
}

/// Every description in the model gets its version sentences read.
fn apply_versions(model: &mut Model) -> Result<()> {
    for (name, service) in model.services.iter_mut() {
        let at = crate::pointer::Pointer::root().join("tags").join(name);
        versions::apply(&mut service.docs, &at)?;
    }
    for def in model.types.values_mut() {
        versions::apply(&mut def.docs, &def.pointer)?;
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    versions::apply(&mut field.docs, &field.pointer)?;
                }
            }
            TypeKind::Enum(e) => {
                for (i, variant) in e.variants.iter_mut().enumerate() {
                    versions::apply(&mut variant.docs, &def.pointer.join("enum").join(i))?;
                }
            }
            TypeKind::Alias(_) => {}
        }
    }
    for op in model.operations.values_mut() {
        versions::apply(&mut op.docs, &op.pointer.join("description"))?;
        for param in &mut op.params {
            versions::apply(&mut param.docs, &param.pointer)?;
        }
    }
    Ok(())
}

/// Fields, parameters and responses whose description names a resource type hold ids.
fn apply_identifiers(model: &mut Model) -> Result<()> {
    let mut registry = identifiers::Registry::default();
    for def in model.types.values_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    registry.apply(&mut field.docs, &mut field.ty, &field.pointer)?;
                }
            }
            TypeKind::Alias(ty) => registry.apply(&mut def.docs, ty, &def.pointer)?,
            TypeKind::Enum(_) => {}
        }
    }
    for op in model.operations.values_mut() {
        for param in &mut op.params {
            registry.apply(&mut param.docs, &mut param.ty, &param.pointer)?;
        }
        for response in &mut op.responses {
            if let Some(body) = &mut response.body {
                registry.apply(
                    &mut response.docs,
                    body,
                    &response.pointer.join("description"),
                )?;
            }
        }
    }
    model.ids = registry.ids;
    Ok(())
}

/// Minimal specs for the conventions' unit tests: one operation, the error kinds, no more.
#[cfg(test)]
pub(crate) mod fragments {
    use crate::error::Result;
    use crate::model::Model;

    /// A spec with one `POST` at `path_key`, the given operationId, responses (YAML, indented
    /// for the `responses:` map) and extra schemas (YAML under `schemas:`).
    pub fn spec(path_key: &str, operation_id: &str, responses: &str, schemas: &str) -> String {
        let tag = operation_id.split('$').next().unwrap_or_default();
        let tag = tag.rsplit_once('_').map_or(tag, |(t, _)| t);
        format!(
            r#"openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  '{path_key}':
    post:
      tags: [{tag}]
      operationId: '{operation_id}'
      responses:
{responses}
components:
  schemas:
    Vapi.Std.Errors.Error:
      type: object
      properties:
        messages: {{type: array, items: {{type: string}}}}
        error_type: {{$ref: '#/components/schemas/Vapi.Std.Errors.Error.Type'}}
    Vapi.Std.Errors.Error.Type:
      type: string
      enum: [ERROR, ALREADY_EXISTS, INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED]
    Vapi.Std.Errors.NotFound:
      allOf: [{{$ref: '#/components/schemas/Vapi.Std.Errors.Error'}}]
{schemas}
"#
        )
    }

    pub fn normalize(spec: &str) -> Result<Model> {
        let api = crate::load::load_str(spec)?;
        let mut model = crate::lower::lower(&api)?;
        super::normalize(&mut model)?;
        Ok(model)
    }

    pub fn error_of(spec: &str) -> String {
        match normalize(spec) {
            Ok(_) => panic!("the fragment should be refused"),
            Err(e) => e.to_string(),
        }
    }
}
