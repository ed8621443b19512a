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

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, normalize, spec};
    use crate::model::Ty;

    const TASK: &str = "        '202':\n          description: 'The response will be an identifier for the resource type: `com.vmware.cis.task`.'\n          content: {application/json: {schema: {type: string}}}\n";
    const RESULT: &str = "    Esx.Depots.Info:\n      type: object\n      properties:\n        depot: {type: string}\n";

    fn with_result(reference: &str) -> String {
        spec(
            "/d?action=x&vmw-task=true",
            "Esx.Depots_x$Task",
            TASK,
            RESULT,
        )
        .replace(
            "      responses:",
            &format!("      x-vapi-task-result: {{$ref: '{reference}'}}\n      responses:"),
        )
    }

    #[test]
    fn task_result_is_recorded() {
        let model =
            normalize(&with_result("#/components/schemas/Esx.Depots.Info")).expect("normalizes");
        let op = &model.operations["Esx.Depots_x$Task"];
        assert_eq!(op.task_result, Some(Ty::Named("Esx.Depots.Info".into())));
        assert_eq!(
            op.success.as_ref().and_then(|s| s.body.clone()),
            Some(Ty::Id("com.vmware.cis.task".into()))
        );
        assert_eq!(model.ids["com.vmware.cis.task"].name, "TaskId");
    }

    #[test]
    fn dangling_task_result_is_an_error() {
        assert_eq!(
            error_of(&with_result("#/components/schemas/Nowhere")),
            "#/paths/~1d?action=x&vmw-task=true/post/x-vapi-task-result: `$ref: #/components/schemas/Nowhere` points at nothing in the document"
        );
    }

    #[test]
    fn task_operation_must_answer_a_task_id() {
        let text = spec("/d?action=x&vmw-task=true", "Esx.Depots_x$Task", "        '202': {description: an id, content: {application/json: {schema: {type: string}}}}\n", "");
        assert_eq!(
            error_of(&text),
            "#/paths/~1d?action=x&vmw-task=true/post/responses: a `$Task` operation must answer with an identifier for the resource type `com.vmware.cis.task`"
        );
    }
}
