//! Tasks: operations that answer with a `com.vmware.cis.task` id.
//!
//! A `$Task` operation must answer with a task id. What the task yields once it succeeds is
//! said only in prose by VMware; our spec states it with the vendor extension
//! `x-vapi-task-result: {$ref: '#/components/schemas/X'}` on the operation, which becomes
//! the typed result of the task handle.

use crate::error::{Error, Result};
use crate::model::{Model, Ty};

/// The resource type of task ids.
pub const TASK_RESOURCE_TYPE: &str = "com.vmware.cis.task";
pub const RESULT_EXTENSION: &str = "x-vapi-task-result";

pub fn apply(model: &mut Model) -> Result<()> {
    let schemas: Vec<String> = model.types.keys().cloned().collect();
    for op in model.operations.values_mut() {
        let returns_task = matches!(
            op.success.as_ref().and_then(|s| s.body.as_ref()),
            Some(Ty::Id(rt)) if rt == TASK_RESOURCE_TYPE
        );
        if op.task && !returns_task {
            return Err(Error::invalid(
                &op.pointer.join("responses"),
                format!("a `$Task` operation must answer with an identifier for the resource type `{TASK_RESOURCE_TYPE}`"),
            ));
        }
        let Some(value) = op.extensions.get(RESULT_EXTENSION) else {
            continue;
        };
        let at = op.pointer.join(RESULT_EXTENSION);
        if !returns_task {
            return Err(Error::invalid(
                &at,
                "the operation does not answer with a task id, so it has no task result",
            ));
        }
        let reference = value
            .get("$ref")
            .and_then(|r| r.as_str())
            .ok_or_else(|| Error::invalid(&at, "expected `{$ref: '#/components/schemas/X'}`"))?;
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_default();
        if !schemas.iter().any(|s| s == name) {
            return Err(Error::DanglingRef {
                pointer: at,
                target: reference.to_owned(),
            });
        }
        op.task_result = Some(Ty::Named(name.to_owned()));
    }
    Ok(())
}
