//! What the runtime needs from a particular spec: which operation logs in and out, which
//! one reads and cancels a task. The generator finds them by their Vapi shape and writes a
//! `static` [`Services`]; a spec without them gets [`Services::NONE`], and what needs them
//! is refused without sending.

use reqwest::Method;

use crate::call::{path_value, Call};
use crate::InvalidRequest;

/// One operation of a spec, as the runtime calls it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The spec's operationId (`Cis.Session_create`), for logs.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template as the spec writes it, after the API root: `/session`,
    /// `/cis/tasks/{task}`. A task endpoint has one `{...}`, which the runtime fills with
    /// the task id.
    pub path: &'static str,
    /// The fixed query pairs of the spec's path key (`action=cancel`), sent first.
    pub fixed_query: &'static [(&'static str, &'static str)],
}

/// The session service: logging in (HTTP basic, answering the session id) and out.
#[derive(Debug, Clone)]
pub struct SessionService {
    /// Creates a session: `POST /session`.
    pub create: Endpoint,
    /// Deletes the current session: `DELETE /session`.
    pub delete: Option<Endpoint>,
}

/// The task service: reading a task's info and canceling it.
#[derive(Debug, Clone)]
pub struct TaskService {
    /// Reads a task's info: `GET /cis/tasks/{task}`.
    pub get: Endpoint,
    /// Cancels a task: `POST /cis/tasks/{task}?action=cancel`.
    pub cancel: Option<Endpoint>,
}

/// The services of a spec the runtime calls on its own.
#[derive(Debug, Clone)]
pub struct Services {
    /// The session service, when the spec has one.
    pub session: Option<SessionService>,
    /// The task service, when the spec has one.
    pub tasks: Option<TaskService>,
}

impl Services {
    /// No session and no task service: login, logout and tasks are refused.
    pub const NONE: Services = Services {
        session: None,
        tasks: None,
    };
}

impl Endpoint {
    /// A call of this endpoint with its fixed query, on `path` (already filled in).
    pub(crate) fn call<'a>(&self, path: String) -> Call<'a> {
        self.fixed_query.iter().fold(
            Call::new(self.operation_id, self.method.clone(), self.path, path),
            |call, (name, value)| call.query(name, *value),
        )
    }

    /// The path with its one `{...}` replaced by `value`, percent-encoded.
    pub(crate) fn fill(&self, value: &str) -> Result<String, InvalidRequest> {
        let placeholder = self
            .path
            .find('{')
            .and_then(|open| Some((open, open + self.path[open..].find('}')?)));
        let Some((open, close)) = placeholder else {
            return Err(InvalidRequest {
                field: self.path.to_owned(),
                reason: "has no `{...}` for the id".to_owned(),
            });
        };
        let name = &self.path[open + 1..close];
        Ok(format!(
            "{}{}{}",
            &self.path[..open],
            path_value(name, value)?,
            &self.path[close + 1..]
        ))
    }
}

/// The refusal of an operation whose service the spec does not have; nothing is sent.
pub(crate) fn missing(operation: &str, what: &str) -> InvalidRequest {
    InvalidRequest {
        field: operation.to_owned(),
        reason: format!("this API has no {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(path: &'static str) -> Endpoint {
        Endpoint {
            operation_id: "Test_get",
            method: Method::GET,
            path,
            fixed_query: &[],
        }
    }

    #[test]
    fn the_placeholder_is_filled_percent_encoded() {
        assert_eq!(
            endpoint("/cis/tasks/{task}")
                .fill("obj-103")
                .expect("filled"),
            "/cis/tasks/obj-103"
        );
        assert_eq!(
            endpoint("/snapservice/tasks/{task}/info")
                .fill("a b/c")
                .expect("filled"),
            "/snapservice/tasks/a%20b%2Fc/info"
        );
    }

    #[test]
    fn a_path_without_placeholder_or_a_dot_id_is_refused() {
        let err = endpoint("/cis/tasks")
            .fill("x")
            .expect_err("no placeholder");
        assert_eq!(err.field, "/cis/tasks");
        let err = endpoint("/cis/tasks/{task}")
            .fill("..")
            .expect_err("dot segment");
        assert_eq!(err.field, "task");
    }
}
