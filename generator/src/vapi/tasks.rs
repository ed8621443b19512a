//! What a task yields once it succeeds: the type of `Task<T>`.
//!
//! A `$Task` operation (`vapi::operations` pairs the `$Task` suffix with `vmw-task=true`)
//! answers at once with the id of the task doing the work, a string. What the task yields
//! is said by its 202 answer in VMware's own output: an identifier phrase there names the
//! *result's* resource type ("The response will be an identifier for the resource type:
//! `com.vmware.snapservice.cluster_pair`"), so `vapi::identifiers` has typed the answer as
//! that id, and the task yields such an id. When the phrase names the task type itself (as
//! our spec writes it) or there is none, the extension `x-vapi-task-result:
//! {$ref: '#/components/schemas/X'}` on the operation can say the result's type; else it is
//! any JSON value.

use crate::error::{Error, Problems, Result};
use crate::model::{Model, Operation, Ty};

pub const RESULT_EXTENSION: &str = "x-vapi-task-result";

pub fn apply(model: &mut Model, problems: &mut Problems) {
    let task_id = model.tasks.as_ref().map(|t| t.id.clone());
    let schemas: Vec<String> = model.types.keys().cloned().collect();
    for op in model.operations.values_mut() {
        if let Some(result) = problems.take(task_result(op, task_id.as_deref(), &schemas)) {
            op.task_result = result;
        }
    }
}

fn task_result(op: &Operation, task_id: Option<&str>, schemas: &[String]) -> Result<Option<Ty>> {
    let declared = match op.extensions.get(RESULT_EXTENSION) {
        Some(value) => Some(declared_result(op, value, schemas)?),
        None => None,
    };
    if !op.task {
        if declared.is_some() {
            return Err(Error::invalid(
                &op.pointer.join(RESULT_EXTENSION),
                "the operation is not a task operation (`$Task` with `vmw-task=true`), so it has no task result",
            ));
        }
        return Ok(None);
    }
    let answered = op.success.as_ref().and_then(|s| s.body.as_ref());
    let named_by_answer = match answered {
        Some(Ty::Id(rt)) if Some(rt.as_str()) == task_id => None,
        Some(Ty::Id(rt)) => Some(Ty::Id(rt.clone())),
        Some(Ty::String) => None,
        other => {
            return Err(Error::invalid(
                &op.pointer.join("responses"),
                format!(
                    "a `$Task` operation answers the id of its task, a string; this one answers {}",
                    other.map_or("nothing".to_owned(), |ty| ty.to_string())
                ),
            ))
        }
    };
    Ok(Some(declared.or(named_by_answer).unwrap_or(Ty::Json)))
}

fn declared_result(op: &Operation, value: &serde_json::Value, schemas: &[String]) -> Result<Ty> {
    let at = op.pointer.join(RESULT_EXTENSION);
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
    Ok(Ty::Named(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, normalize, spec, with_paths};
    use crate::model::Ty;

    const INFO: &str = r#"
        Snap.Pairs.Info:
          type: object
          properties:
            pair: {type: string}
        "#;

    /// A `$Task` whose 202 answer says `description`.
    fn task_answering(description: &str) -> String {
        let answer = format!(
            "'202':\n  description: '{description}'\n  content: {{application/json: {{schema: {{type: string}}}}}}"
        );
        spec(
            "/pairs?vmw-task=true",
            "Snap.Pairs_create$Task",
            &answer,
            INFO,
        )
    }

    /// The spec with `x-vapi-task-result: {$ref: reference}` on its first operation.
    fn declaring(text: &str, reference: &str) -> String {
        text.replacen(
            "      responses:",
            &format!("      x-vapi-task-result: {{$ref: '{reference}'}}\n      responses:"),
            1,
        )
    }

    fn result_of(text: &str) -> Option<Ty> {
        let model = normalize(text).expect("normalizes");
        model.operations["Snap.Pairs_create$Task"]
            .task_result
            .clone()
    }

    #[test]
    fn the_202_phrase_names_the_result() {
        let text = task_answering(
            "Id of the pair. The response will be an identifier for the resource type: `com.vmware.snap.pair`.",
        );
        assert_eq!(
            result_of(&text),
            Some(Ty::Id("com.vmware.snap.pair".into()))
        );
    }

    #[test]
    fn without_a_phrase_the_result_is_any_value() {
        assert_eq!(result_of(&task_answering("Success!")), Some(Ty::Json));
    }

    #[test]
    fn the_task_id_phrase_leaves_the_result_to_the_extension() {
        let text = task_answering(
            "The response will be an identifier for the resource type: `com.vmware.cis.task`.",
        );
        assert_eq!(result_of(&text), Some(Ty::Json));
        let declared = declaring(&text, "#/components/schemas/Snap.Pairs.Info");
        assert_eq!(
            result_of(&declared),
            Some(Ty::Named("Snap.Pairs.Info".into()))
        );
    }

    #[test]
    fn a_dangling_task_result_is_an_error() {
        let text = declaring(&task_answering("Success!"), "#/components/schemas/Nowhere");
        assert_eq!(
            error_of(&text),
            "#/paths/~1pairs?vmw-task=true/post/x-vapi-task-result: `$ref: #/components/schemas/Nowhere` points at nothing in the document"
        );
    }

    #[test]
    fn a_task_result_on_a_plain_operation_is_an_error() {
        let plain = spec(
            "/pairs",
            "Snap.Pairs_create",
            "'204': {description: done}",
            INFO,
        );
        let text = declaring(&plain, "#/components/schemas/Snap.Pairs.Info");
        assert!(
            error_of(&text).starts_with(
                "#/paths/~1pairs/post/x-vapi-task-result: the operation is not a task operation"
            ),
            "{}",
            error_of(&text)
        );
    }

    #[test]
    fn task_operations_without_a_task_service_are_refused() {
        let text = with_paths(
            r#"  /pairs?vmw-task=true:
    post:
      tags: [Snap.Pairs]
      operationId: Snap.Pairs_create$Task
      responses:
        '202': {description: ok, content: {application/json: {schema: {type: string}}}}
"#,
            "",
        )
        .replace("Cis.Tasks_get", "Cis.Tasks_read");
        assert!(
            error_of(&text).starts_with("#/paths/~1pairs?vmw-task=true/post/operationId: the spec has 1 task operation(s) but no task service"),
            "{}",
            error_of(&text)
        );
    }
}
