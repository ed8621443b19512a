//! The session and task services, found by their Vapi shape, not by their names.
//!
//! The runtime logs in, logs out and polls tasks itself; which operations do that differs
//! between VMware's APIs (`Cis.Session` at `/session` and `Cis.Tasks` at `/cis/tasks/{task}`
//! in vcenter.yaml; `Snapservice.Sessions` at `/snapservice/sessions` and
//! `Snapservice.Tasks` at `/snapservice/tasks/{task}` in the vSAN Data Protection API).
//!
//! - The session service has a `create` that takes nothing and answers a secret string (the
//!   session id, `format: password`); login sends it with HTTP basic authentication, whatever
//!   security the spec lists for it (VMware's own output lists `api_key_auth` there). Its
//!   `delete` without parameters logs out.
//! - The task service has a `get` (GET) whose one parameter is a path value identifying a
//!   resource type named `...task`, answering an object with a `status` enum that has
//!   `SUCCEEDED` and `FAILED`. Its `cancel` with the same parameter cancels.
//!
//! A spec with task operations but no task service is a problem: the tasks could not be
//! waited for.

use crate::error::{Error, Problems};
use crate::model::{
    Auth, Model, Operation, ParamLocation, SessionService, TaskService, Ty, TypeKind,
};

pub fn apply(model: &mut Model, problems: &mut Problems) {
    model.session = find_session(model, problems);
    if let Some(session) = &model.session {
        if let Some(create) = model.operations.get_mut(&session.create) {
            create.auth = Auth::Basic;
        }
    }
    model.tasks = find_tasks(model, problems);
    if model.tasks.is_none() {
        let task_ops: Vec<&Operation> = model.operations.values().filter(|op| op.task).collect();
        if let Some(first) = task_ops.first() {
            problems.push(Error::invalid(
                &first.pointer.join("operationId"),
                format!(
                    "the spec has {} task operation(s) but no task service to wait for them with: an operation `<Service>_get` of GET `/.../{{task}}` whose one parameter is an identifier of a `...task` resource type, answering an object with a `status` enum of `SUCCEEDED` and `FAILED`",
                    task_ops.len()
                ),
            ));
        }
    }
}

fn find_session(model: &Model, problems: &mut Problems) -> Option<SessionService> {
    let found: Vec<&Operation> = model
        .operations
        .values()
        .filter(|op| {
            op.method_name == "create"
                && op.http_method == "POST"
                && op.params.is_empty()
                && op.body.is_none()
                && op
                    .success
                    .as_ref()
                    .is_some_and(|s| s.secret && s.body == Some(Ty::String))
        })
        .collect();
    let create = only_one(&found, "session services", problems)?;
    let delete = model
        .operations
        .values()
        .find(|op| {
            op.service == create.service
                && op.method_name == "delete"
                && op.http_method == "DELETE"
                && op.params.is_empty()
        })
        .map(|op| op.operation_id.clone());
    Some(SessionService {
        service: create.service.clone(),
        create: create.operation_id.clone(),
        delete,
    })
}

fn find_tasks(model: &Model, problems: &mut Problems) -> Option<TaskService> {
    let task_id = |op: &Operation| -> Option<String> {
        match op.params.as_slice() {
            [only] if only.location == ParamLocation::Path => match &only.ty {
                Ty::Id(rt)
                    if rt
                        .rsplit('.')
                        .next()
                        .is_some_and(|l| l.eq_ignore_ascii_case("task")) =>
                {
                    Some(rt.clone())
                }
                _ => None,
            },
            _ => None,
        }
    };
    let found: Vec<&Operation> = model
        .operations
        .values()
        .filter(|op| {
            op.method_name == "get"
                && op.http_method == "GET"
                && task_id(op).is_some()
                && answers_task_info(model, op)
        })
        .collect();
    let get = only_one(&found, "task services", problems)?;
    let id = task_id(get)?;
    let before = problems.len();
    check_task_info(model, get, problems);
    if problems.len() != before {
        return None;
    }
    let cancel = model
        .operations
        .values()
        .find(|op| {
            op.service == get.service
                && op.method_name == "cancel"
                && op.http_method == "POST"
                && task_id(op).as_ref() == Some(&id)
        })
        .map(|op| op.operation_id.clone());
    Some(TaskService {
        service: get.service.clone(),
        id,
        get: get.operation_id.clone(),
        cancel,
    })
}

/// The struct a task `get` answers, when it has a `status` field.
fn answers_task_info(model: &Model, op: &Operation) -> bool {
    match op.success.as_ref().and_then(|s| s.body.as_ref()) {
        Some(Ty::Named(name)) => matches!(
            model.types.get(name).map(|d| &d.kind),
            Some(TypeKind::Struct(s)) if s.fields.iter().any(|f| f.wire == "status")
        ),
        _ => false,
    }
}

/// What the runtime reads of a task's info: `status` an enum with `SUCCEEDED` and
/// `FAILED`; `progress`, when there, with integer `total` and `completed`.
fn check_task_info(model: &Model, get: &Operation, problems: &mut Problems) {
    let Some(Ty::Named(info)) = get.success.as_ref().and_then(|s| s.body.as_ref()) else {
        return;
    };
    let Some(TypeKind::Struct(s)) = model.types.get(info).map(|d| &d.kind) else {
        return;
    };
    for field in &s.fields {
        match field.wire.as_str() {
            "status" => {
                let values: Vec<&str> = match &field.ty {
                    Ty::Named(name) => match model.types.get(name).map(|d| &d.kind) {
                        Some(TypeKind::Enum(e)) => {
                            e.variants.iter().map(|v| v.wire.as_str()).collect()
                        }
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                if !(values.contains(&"SUCCEEDED") && values.contains(&"FAILED")) {
                    problems.push(Error::invalid(
                        &field.pointer,
                        format!(
                            "the runtime waits for a task by its `status`, an enum with `SUCCEEDED` and `FAILED`; `{info}` has {}",
                            field.ty
                        ),
                    ));
                }
            }
            "progress" => {
                let Ty::Named(progress) = &field.ty else {
                    continue;
                };
                let Some(TypeKind::Struct(p)) = model.types.get(progress).map(|d| &d.kind) else {
                    continue;
                };
                for count in p
                    .fields
                    .iter()
                    .filter(|f| matches!(f.wire.as_str(), "total" | "completed"))
                {
                    if !matches!(count.ty, Ty::I32 | Ty::I64) {
                        problems.push(Error::invalid(
                            &count.pointer,
                            format!("the runtime reads a task's `progress.{}` as an integer, but the spec says it is {}", count.wire, count.ty),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

fn only_one<'m>(
    found: &[&'m Operation],
    what: &str,
    problems: &mut Problems,
) -> Option<&'m Operation> {
    match found {
        [] => None,
        [only] => Some(only),
        [first, second, ..] => {
            problems.push(Error::invalid(
                &second.pointer.join("operationId"),
                format!(
                    "two {what} found, `{}` and `{}` (at {}); the runtime can use one",
                    second.operation_id,
                    first.operation_id,
                    first.pointer.join("operationId")
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fragments::{error_of, normalize, with_paths};
    use crate::model::Auth;

    /// A session service as VMware's own output writes it: under `api_key_auth`.
    const SESSIONS: &str = r#"  /snap/sessions:
    post:
      tags: [Snap.Sessions]
      operationId: Snap.Sessions_create
      security: [{api_key_auth: []}]
      responses:
        '201': {description: the id, content: {application/json: {schema: {type: string, format: password}}}}
    delete:
      tags: [Snap.Sessions]
      operationId: Snap.Sessions_delete
      responses:
        '204': {description: done}
"#;

    #[test]
    fn the_session_service_is_found_by_its_shape() {
        let model = normalize(&with_paths(SESSIONS, "")).expect("normalizes");
        let session = model.session.expect("found");
        assert_eq!(
            (
                session.service.as_str(),
                session.create.as_str(),
                session.delete.as_deref()
            ),
            (
                "Snap.Sessions",
                "Snap.Sessions_create",
                Some("Snap.Sessions_delete")
            )
        );
        // Login sends the credentials, whatever security the spec lists.
        assert_eq!(model.operations["Snap.Sessions_create"].auth, Auth::Basic);
        let tasks = model.tasks.expect("found");
        assert_eq!(
            (tasks.get.as_str(), tasks.id.as_str()),
            ("Cis.Tasks_get", "com.vmware.cis.task")
        );
    }

    #[test]
    fn two_session_services_are_an_error() {
        let both = format!(
            "{SESSIONS}{}",
            SESSIONS
                .replace("snap/sessions", "other/sessions")
                .replace("Snap.Sessions", "Other.Sessions")
        );
        assert_eq!(
            error_of(&with_paths(&both, "")),
            "#/paths/~1snap~1sessions/post/operationId: two session services found, `Snap.Sessions_create` and `Other.Sessions_create` (at #/paths/~1other~1sessions/post/operationId); the runtime can use one"
        );
    }

    #[test]
    fn a_task_status_without_succeeded_is_an_error() {
        let text = with_paths("", "").replace(
            "enum: [PENDING, RUNNING, SUCCEEDED, FAILED]",
            "enum: [PENDING, RUNNING, DONE]",
        );
        assert_eq!(
            error_of(&text),
            "#/components/schemas/Cis.Task.Info/properties/status: the runtime waits for a task by its `status`, an enum with `SUCCEEDED` and `FAILED`; `Cis.Task.Info` has `Cis.Task.Status`"
        );
    }
}
