//! Typed mocks for users' tests (feature `mock`): mount an operation's answer on a
//! [`MockServer`] without knowing its path or wire shapes.
//!
//! A generated crate writes one `mock_<service>_<operation>` method per operation, in a
//! trait it implements for [`MockServer`], each making an [`OperationMock`] from the
//! operation's [`MockSpec`]:
//!
//! ```rust,no_run
//! # async fn run() {
//! use vapi_runtime::mock::{MockServer, MockSpec, OperationMock};
//! use vapi_runtime::ErrorType;
//!
//! const GRANTS_CREATE: MockSpec = MockSpec {
//!     method: "POST",
//!     path: "^/api/vcenter/namespaces/[^/]+/management-services/access-grants$",
//!     fixed_query: &[],
//!     success: 204,
//!     documented: &[(400, "ALREADY_EXISTS"), (404, "NOT_FOUND")],
//! };
//! let server = MockServer::start().await;
//! OperationMock::<()>::new(&server, GRANTS_CREATE).returns(()).await;
//! OperationMock::<()>::new(&server, GRANTS_CREATE).fails_with(ErrorType::NotFound).await;
//! # }
//! ```

pub use wiremock::MockServer;

use std::marker::PhantomData;

use serde::Serialize;
use wiremock::matchers::{method, path_regex, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::ErrorType;

/// The answer of one operation, to be mounted on a mock server. Made by a generated crate's
/// `mock_<service>_<operation>` methods; `T` is what the operation answers on success.
#[must_use = "a mock does nothing until `returns` or `fails_with` mounts it"]
pub struct OperationMock<'a, T> {
    server: &'a MockServer,
    spec: MockSpec,
    expected: Option<u64>,
    answer: PhantomData<fn(T)>,
}

/// What generated code knows of an operation's wire form.
#[derive(Debug, Clone, Copy)]
pub struct MockSpec {
    /// The HTTP method (`POST`).
    pub method: &'static str,
    /// A regular expression matching the whole path, API root and path values included
    /// (`^/api/session$`).
    pub path: &'static str,
    /// The fixed query pairs of the spec's path key, which the request must carry.
    pub fixed_query: &'static [(&'static str, &'static str)],
    /// The documented success status.
    pub success: u16,
    /// The error kinds the operation documents, with their statuses (`(404, "NOT_FOUND")`).
    pub documented: &'static [(u16, &'static str)],
}

impl<'a, T: Serialize> OperationMock<'a, T> {
    /// The mock of the operation `spec` on `server`; nothing is mounted yet.
    pub fn new(server: &'a MockServer, spec: MockSpec) -> Self {
        OperationMock {
            server,
            spec,
            expected: None,
            answer: PhantomData,
        }
    }

    /// Checks, when the server is dropped, that the operation was called this many times.
    pub fn expect(mut self, times: u64) -> Self {
        self.expected = Some(times);
        self
    }

    /// Answers the documented success with `value` as the body (no body for `()`).
    pub async fn returns(self, value: T) {
        let body = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
        let mut response = ResponseTemplate::new(self.spec.success);
        if !body.is_null() {
            response = response.set_body_json(body);
        }
        self.mount(response).await;
    }

    /// Answers a standard error of this kind, at the status the operation documents for it
    /// (or the status vCenter uses for it), with one message.
    pub async fn fails_with(self, kind: ErrorType) {
        let message = format!("{kind} (mocked)");
        self.fails_with_message(kind, &message).await;
    }

    /// Like [`OperationMock::fails_with`], with the message's text.
    pub async fn fails_with_message(self, kind: ErrorType, message: &str) {
        let status = self
            .spec
            .documented
            .iter()
            .find(|(_, wire)| *wire == kind.as_str())
            .map(|(status, _)| *status)
            .unwrap_or_else(|| kind.default_status());
        let body = serde_json::json!({
            "error_type": kind.as_str(),
            "messages": [{"id": "vapi_runtime.mock", "default_message": message, "args": []}],
        });
        self.mount(ResponseTemplate::new(status).set_body_json(body))
            .await;
    }

    async fn mount(self, response: ResponseTemplate) {
        let mut mock = Mock::given(method(self.spec.method)).and(path_regex(self.spec.path));
        for (name, value) in self.spec.fixed_query {
            mock = mock.and(query_param(*name, *value));
        }
        let mut mock = mock.respond_with(response);
        if let Some(times) = self.expected {
            mock = mock.expect(times);
        }
        mock.mount(self.server).await;
    }
}

const BLOCK: usize = 512;

/// A ustar archive, as a support-bundle download serves it: files of the given names and
/// sizes (their bytes a repeating pattern), with valid header checksums and the two
/// end-of-archive blocks. Cut it short (`&tar[..n]`) to test what a program does with a
/// bundle that breaks off.
pub fn tar(files: &[(&str, usize)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, len) in files {
        let mut header = [0u8; BLOCK];
        let name = &name.as_bytes()[..name.len().min(100)];
        header[..name.len()].copy_from_slice(name);
        header[100..108].copy_from_slice(b"0000644\0");
        header[124..136].copy_from_slice(format!("{len:011o}\0").as_bytes());
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[148..156].copy_from_slice(b"        ");
        let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
        header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&header);
        out.extend((0..*len).map(|i| (i % 251) as u8));
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    out.extend([0u8; 2 * BLOCK]);
    out
}
