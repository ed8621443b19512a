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
//! // For one namespace only: the first call is refused, every later one succeeds.
//! OperationMock::<()>::new(&server, GRANTS_CREATE)
//!     .at(["ns-1"])
//!     .fails_with(ErrorType::ResourceBusy)
//!     .then_returns(())
//!     .await;
//! # }
//! ```
//!
//! [`TaskMock`] plays a task's life (running, then its result or its failure) for the
//! spec's task service, and [`BundleMock`] serves a support-bundle download.

pub use wiremock::MockServer;

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, path_regex, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::tar_check::BLOCK;
use crate::{ErrorType, DEFAULT_FILE_NAME, TOKEN_HEADER};

/// The answer of one operation, to be mounted on a mock server. Made by a generated crate's
/// `mock_<service>_<operation>` methods; `T` is what the operation answers on success.
#[must_use = "a mock does nothing until `returns` or `fails_with` mounts it"]
pub struct OperationMock<'a, T> {
    server: &'a MockServer,
    spec: MockSpec,
    path_values: Option<Vec<String>>,
    expected: Option<u64>,
    answer: PhantomData<fn(T)>,
}

/// What generated code knows of an operation's wire form.
#[derive(Debug, Clone, Copy)]
pub struct MockSpec {
    /// The HTTP method (`POST`).
    pub method: &'static str,
    /// A regular expression matching the whole path, API root and path values included
    /// (`^/api/session$`); each path value is matched by `[^/]+`.
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
            path_values: None,
            expected: None,
            answer: PhantomData,
        }
    }

    /// Answers only calls for these path values, in the order of the path (a particular
    /// id: `.at([task.as_str()])`); calls for other values find no mock (HTTP 404).
    pub fn at<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, values: I) -> Self {
        self.path_values = Some(values.into_iter().map(|v| v.as_ref().to_owned()).collect());
        self
    }

    /// Checks, when the server is dropped, that the operation was called this many times
    /// (all answers of a sequence together).
    pub fn expect(mut self, times: u64) -> Self {
        self.expected = Some(times);
        self
    }

    /// Answers the documented success with `value` as the body (no body for `()`).
    /// `.await` mounts it; `.then_returns(..)` and `.then_fails_with(..)` add the answers
    /// to later calls.
    pub fn returns(self, value: T) -> Answers<'a, T> {
        let first = success(&self.spec, &value);
        self.answers(first)
    }

    /// Answers a standard error of this kind, at the status the operation documents for it
    /// (or the status vCenter uses for it), with one message.
    pub fn fails_with(self, kind: ErrorType) -> Answers<'a, T> {
        let message = mocked_message(&kind);
        self.fails_with_message(kind, &message)
    }

    /// Like [`OperationMock::fails_with`], with the message's text.
    pub fn fails_with_message(self, kind: ErrorType, message: &str) -> Answers<'a, T> {
        let first = failure(&self.spec, kind, message);
        self.answers(first)
    }

    fn answers(self, first: ResponseTemplate) -> Answers<'a, T> {
        let path = match &self.path_values {
            Some(values) => at_values(self.spec.path, values),
            None => self.spec.path.to_owned(),
        };
        Answers {
            server: self.server,
            spec: self.spec,
            path,
            expected: self.expected,
            responses: vec![first],
            answer: PhantomData,
        }
    }
}

/// The answers of one operation, in the order calls get them: the last one answers every
/// call after it. Mounted by `.await`.
#[must_use = "answers are mounted by `.await`"]
pub struct Answers<'a, T> {
    server: &'a MockServer,
    spec: MockSpec,
    path: String,
    expected: Option<u64>,
    responses: Vec<ResponseTemplate>,
    answer: PhantomData<fn(T)>,
}

impl<T: Serialize> Answers<'_, T> {
    /// The next call gets the documented success with `value`.
    pub fn then_returns(mut self, value: T) -> Self {
        self.responses.push(success(&self.spec, &value));
        self
    }

    /// The next call gets a standard error of this kind.
    pub fn then_fails_with(mut self, kind: ErrorType) -> Self {
        let message = mocked_message(&kind);
        self.responses.push(failure(&self.spec, kind, &message));
        self
    }

    async fn mount(self) {
        let last = self.responses.len() - 1;
        for (i, response) in self.responses.into_iter().enumerate() {
            let mut mock = Mock::given(method(self.spec.method)).and(path_regex(&self.path));
            for (name, value) in self.spec.fixed_query {
                mock = mock.and(query_param(*name, *value));
            }
            // Earlier answers are tried first and each answers once.
            let mut mock = mock
                .respond_with(response)
                .with_priority(sequence_priority(i));
            if i < last {
                mock = mock.up_to_n_times(1);
            }
            if let Some(times) = self.expected {
                let index = i as u64;
                mock = mock.expect(if i < last {
                    u64::from(index < times)
                } else {
                    times.saturating_sub(index)
                });
            }
            mock.mount(self.server).await;
        }
    }
}

impl<'a, T: Serialize + 'a> IntoFuture for Answers<'a, T> {
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.mount())
    }
}

/// wiremock tries mocks of a higher priority (a lower number, 1 the highest) first; the
/// answers of a sequence come before mocks mounted without one (5).
fn sequence_priority(index: usize) -> u8 {
    u8::try_from(index + 1).unwrap_or(u8::MAX).min(4)
}

/// The message of a mocked failure given no text of its own.
fn mocked_message(kind: &ErrorType) -> String {
    format!("{kind} (mocked)")
}

fn success<T: Serialize>(spec: &MockSpec, value: &T) -> ResponseTemplate {
    let body = serde_json::to_value(value).unwrap_or(Value::Null);
    let response = ResponseTemplate::new(spec.success);
    if body.is_null() {
        response
    } else {
        response.set_body_json(body)
    }
}

fn failure(spec: &MockSpec, kind: ErrorType, message: &str) -> ResponseTemplate {
    let status = spec
        .documented
        .iter()
        .find(|(_, wire)| *wire == kind.as_str())
        .map(|(status, _)| *status)
        .unwrap_or_else(|| kind.default_status());
    ResponseTemplate::new(status).set_body_json(std_error(&kind, message))
}

fn std_error(kind: &ErrorType, message: &str) -> Value {
    json!({
        "error_type": kind.as_str(),
        "messages": [{"id": "vapi_runtime.mock", "default_message": message, "args": []}],
    })
}

/// The path regex with each `[^/]+` (a path value) replaced by one value, encoded as the
/// client sends it.
fn at_values(pattern: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    let mut values = values.iter();
    while let Some(at) = rest.find("[^/]+") {
        out.push_str(&rest[..at]);
        match values.next() {
            Some(value) => {
                let sent = crate::call::path_value("mock", value).unwrap_or_else(|_| value.clone());
                out.push_str(&regex::escape(&sent));
            }
            None => out.push_str("[^/]+"),
        }
        rest = &rest[at + "[^/]+".len()..];
    }
    out.push_str(rest);
    out
}

/// A task's life as the spec's task service tells it, poll by poll: made by a generated
/// crate's `mock_task(id)`, then `.running(polls, percent)` and `.succeeds(result)` or
/// `.fails_with(kind, message)`, then `.await` to mount.
#[must_use = "a task mock does nothing until `succeeds` or `fails_with` and `.await`"]
pub struct TaskMock<'a> {
    server: &'a MockServer,
    spec: MockSpec,
    id: String,
    infos: Vec<Value>,
}

impl<'a> TaskMock<'a> {
    /// The task `id`, read with `get`, the mock of the task service's get operation.
    pub fn new<T>(get: OperationMock<'a, T>, id: impl Into<String>) -> Self {
        TaskMock {
            server: get.server,
            spec: get.spec,
            id: id.into(),
            infos: Vec::new(),
        }
    }

    /// The next `polls` polls find the task RUNNING, `percent` of its work done.
    pub fn running(mut self, polls: u32, percent: u8) -> Self {
        for _ in 0..polls {
            self.infos.push(task_info(
                "RUNNING",
                json!({
                    "progress": {
                        "total": 100,
                        "completed": percent.min(100),
                        "message": {"id": "vapi_runtime.mock", "default_message": "working (mocked)", "args": []},
                    }
                }),
            ));
        }
        self
    }

    /// Then every poll finds it SUCCEEDED with `result` (the operation's result type).
    pub fn succeeds<R: Serialize>(self, result: R) -> Answers<'a, Value> {
        let result = serde_json::to_value(result).unwrap_or(Value::Null);
        let end = if result.is_null() {
            task_info("SUCCEEDED", json!({}))
        } else {
            task_info("SUCCEEDED", json!({"result": result}))
        };
        self.ending_with(end)
    }

    /// Then every poll finds it FAILED with a standard error of this kind.
    pub fn fails_with(self, kind: ErrorType, message: &str) -> Answers<'a, Value> {
        let end = task_info("FAILED", json!({"error": std_error(&kind, message)}));
        self.ending_with(end)
    }

    fn ending_with(self, end: Value) -> Answers<'a, Value> {
        let mut infos = self.infos.into_iter();
        let first = infos.next();
        let mock = OperationMock::<Value>::new(self.server, self.spec).at([self.id]);
        match first {
            None => mock.returns(end),
            Some(first) => infos
                .fold(mock.returns(first), Answers::then_returns)
                .then_returns(end),
        }
    }
}

/// A task info with every field `Cis.Task.Info` requires, and `extra` (progress, result,
/// error) merged in.
fn task_info(status: &str, extra: Value) -> Value {
    let mut info = json!({
        "description": {"id": "vapi_runtime.mock", "default_message": "a mocked task", "args": []},
        "service": "vapi_runtime.mock",
        "operation": "mock",
        "cancelable": false,
        "status": status,
        "start_time": "2026-01-01T00:00:00.000Z",
    });
    if status != "RUNNING" {
        info["end_time"] = json!("2026-01-01T00:01:00.000Z");
    }
    if let (Some(info), Value::Object(extra)) = (info.as_object_mut(), extra) {
        info.extend(extra);
    }
    info
}

/// A support-bundle download on a mock server: the bytes served to whoever brings the
/// token, as a POST body or a header (both of [`crate::TokenForm`]).
///
/// ```rust,no_run
/// # async fn run() {
/// use vapi_runtime::mock::{tar, BundleMock, MockServer};
///
/// let server = MockServer::start().await;
/// let url = BundleMock::new(&server, "tok-1")
///     .serves(tar(&[("wcp/etcd.log", 3000)]))
///     .await;
/// // Answer the support-bundle operation with a location of `url` and token `tok-1`;
/// // serve `&tar(..)[..700]` instead to test a bundle that breaks off.
/// # }
/// ```
pub struct BundleMock<'a> {
    server: &'a MockServer,
    token: String,
    file_name: String,
}

/// Where [`BundleMock`] serves, on the mock server (vCenter's own path).
pub const BUNDLE_PATH: &str = "/wcp/support-bundle";

impl<'a> BundleMock<'a> {
    /// A download for `token`, served as [`DEFAULT_FILE_NAME`].
    pub fn new(server: &'a MockServer, token: impl Into<String>) -> Self {
        BundleMock {
            server,
            token: token.into(),
            file_name: DEFAULT_FILE_NAME.to_owned(),
        }
    }

    /// The file name the answer's `Content-Disposition` gives.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Mounts the download of `bytes` (a [`tar`] archive, or a cut one); returns the URL
    /// to put in the support-bundle location.
    pub async fn serves(self, bytes: impl Into<Vec<u8>>) -> String {
        let response = ResponseTemplate::new(200)
            .insert_header("Content-Type", "application/octet-stream")
            .insert_header(
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", self.file_name).as_str(),
            )
            .set_body_bytes(bytes.into());
        Mock::given(method("POST"))
            .and(path(BUNDLE_PATH))
            .and(body_json(json!({ TOKEN_HEADER: self.token })))
            .respond_with(response.clone())
            .mount(self.server)
            .await;
        Mock::given(method("GET"))
            .and(path(BUNDLE_PATH))
            .and(header(TOKEN_HEADER, self.token.as_str()))
            .respond_with(response)
            .mount(self.server)
            .await;
        format!("{}{BUNDLE_PATH}", self.server.uri())
    }
}

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
