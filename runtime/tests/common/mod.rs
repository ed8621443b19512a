//! The services and helpers the integration tests share; each test file is its own crate
//! and uses a part of them. Only `vapi_runtime` is used: the services are written here by
//! hand, as a generated crate would write them.
#![allow(dead_code)]

use vapi_runtime::codegen::{Endpoint, Method, Services, SessionService, TaskService};
use vapi_runtime::Client;
use wiremock::MockServer;

/// vCenter's: `Cis.Session` at `/session`, `Cis.Tasks` at `/cis/tasks/{task}`.
pub static CIS: Services = Services {
    session: Some(SessionService {
        create: Endpoint {
            operation_id: "Cis.Session_create",
            method: Method::POST,
            path: "/session",
            fixed_query: &[],
        },
        delete: Some(Endpoint {
            operation_id: "Cis.Session_delete",
            method: Method::DELETE,
            path: "/session",
            fixed_query: &[],
        }),
    }),
    tasks: Some(TaskService {
        get: Endpoint {
            operation_id: "Cis.Tasks_get",
            method: Method::GET,
            path: "/cis/tasks/{task}",
            fixed_query: &[],
        },
        cancel: Some(Endpoint {
            operation_id: "Cis.Tasks_cancel",
            method: Method::POST,
            path: "/cis/tasks/{task}",
            fixed_query: &[("action", "cancel")],
        }),
    }),
};

/// Another VMware API's own services, at other paths and without cancel: nothing in the
/// runtime is tied to `/session` or `/cis/tasks`.
pub static SNAPSERVICE: Services = Services {
    session: Some(SessionService {
        create: Endpoint {
            operation_id: "Snapservice.Sessions_create",
            method: Method::POST,
            path: "/snapservice/sessions",
            fixed_query: &[],
        },
        delete: Some(Endpoint {
            operation_id: "Snapservice.Sessions_delete",
            method: Method::DELETE,
            path: "/snapservice/sessions",
            fixed_query: &[],
        }),
    }),
    tasks: Some(TaskService {
        get: Endpoint {
            operation_id: "Snapservice.Tasks_get",
            method: Method::GET,
            path: "/snapservice/tasks/{task}",
            fixed_query: &[],
        },
        cancel: None,
    }),
};

/// A client of `server` for `services`, with a session.
pub fn client_with(server: &MockServer, services: &'static Services, session: &str) -> Client {
    vapi_runtime::ClientBuilder::<Client>::new(server.uri(), services)
        .session_id(session)
        .build()
        .expect("client")
}

/// Each request the server got as `METHOD /path?query session-header`, in order.
pub async fn requests(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|r| {
            let session = r
                .headers
                .get("vmware-api-session-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            let query = r.url.query().map(|q| format!("?{q}")).unwrap_or_default();
            format!("{} {}{query} {session}", r.method, r.url.path())
        })
        .collect()
}

/// `{"error_type": kind, "messages": [one message]}`.
pub fn std_error(kind: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "error_type": kind,
        "messages": [{"id": "test.message", "default_message": text, "args": []}]
    })
}
