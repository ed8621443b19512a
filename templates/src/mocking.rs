//! Typed mocks for users' tests (feature `mock`): mount an operation's answer on a
//! `wiremock::MockServer` without knowing its path or wire shapes.
//!
//! ```rust,no_run
//! # async fn run() {
//! use vsphere_api::mock::MockVsphere;
//! use vsphere_api::ErrorType;
//!
//! let server = wiremock::MockServer::start().await;
//! server.mock_access_grants_create().returns(()).await;
//! server.mock_support_bundle_create().fails_with(ErrorType::NotFound).await;
//! # }
//! ```

use std::marker::PhantomData;

use serde::Serialize;
use wiremock::matchers::{method, path_regex, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::ErrorType;

/// The answer of one operation, to be mounted on a mock server. Made by the generated
/// `MockVsphere` methods; `T` is what the operation answers on success.
#[must_use = "a mock does nothing until `returns` or `fails_with` mounts it"]
pub struct OperationMock<'a, T> {
    server: &'a MockServer,
    spec: MockSpec,
    expected: Option<u64>,
    answer: PhantomData<fn(T)>,
}

/// What the generated code knows of an operation's wire form.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct MockSpec {
    pub method: &'static str,
    /// A regular expression matching the path, path values included.
    pub path: &'static str,
    pub fixed_query: &'static [(&'static str, &'static str)],
    pub success: u16,
    pub documented: &'static [(u16, &'static str)],
}

impl<'a, T: Serialize> OperationMock<'a, T> {
    #[doc(hidden)]
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
            "messages": [{"id": "vsphere_api.mock", "default_message": message, "args": []}],
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
