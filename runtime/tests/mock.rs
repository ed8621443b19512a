//! The typed mocks (feature `mock`) with a hand-written `MockSpec`, as a generated crate's
//! `mock_<service>_<operation>` methods make them, answering the runtime's own client.
#![cfg(feature = "mock")]

use serde_json::json;
use vapi_runtime::codegen::{Call, Method};
use vapi_runtime::mock::{MockServer, MockSpec, OperationMock};
use vapi_runtime::{Client, ErrorType, StdError};

const CREATE_FROM_HOST: MockSpec = MockSpec {
    method: "POST",
    path: "^/api/esx/settings/depots/offline$",
    fixed_query: &[("action", "createFromHost"), ("vmw-task", "true")],
    success: 202,
    documented: &[(400, "INVALID_ARGUMENT"), (404, "NOT_FOUND")],
};

fn create_from_host() -> Call<'static> {
    Call::new(
        "Esx.Settings.Depots.Offline_createFromHost$Task",
        Method::POST,
        "/esx/settings/depots/offline",
        "/esx/settings/depots/offline".into(),
    )
    .query("action", "createFromHost")
    .query("vmw-task", "true")
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .session_id("sid")
        .build()
        .expect("client")
}

#[tokio::test]
async fn returns_answers_the_documented_success() {
    let server = MockServer::start().await;
    OperationMock::<String>::new(&server, CREATE_FROM_HOST)
        .expect(1)
        .returns("task-1".into())
        .await;
    let answer = client(&server)
        .send::<StdError>(create_from_host())
        .await
        .expect("202");
    assert_eq!(answer.status, 202);
    assert_eq!(answer.json::<String, StdError>().expect("id"), "task-1");
}

#[tokio::test]
async fn fails_with_uses_the_documented_status_else_the_default_one() {
    let server = MockServer::start().await;
    OperationMock::<String>::new(&server, CREATE_FROM_HOST)
        .fails_with(ErrorType::NotFound)
        .await;
    let err = client(&server)
        .send::<StdError>(create_from_host())
        .await
        .expect_err("404");
    let std = err.api().expect("api error");
    assert_eq!(
        (std.status(), std.error_type()),
        (404, Some(&ErrorType::NotFound))
    );
    assert_eq!(std.message(), Some("NOT_FOUND (mocked)"));

    server.reset().await;
    OperationMock::<String>::new(&server, CREATE_FROM_HOST)
        .fails_with_message(ErrorType::ResourceBusy, "busy")
        .await;
    let err = client(&server)
        .send::<StdError>(create_from_host())
        .await
        .expect_err("500");
    let std = err.api().expect("api error");
    assert_eq!(
        (std.status(), std.error_type(), std.message()),
        (500, Some(&ErrorType::ResourceBusy), Some("busy"))
    );
}

#[tokio::test]
async fn a_call_without_the_fixed_query_is_not_answered() {
    let server = MockServer::start().await;
    OperationMock::<()>::new(&server, CREATE_FROM_HOST)
        .returns(())
        .await;
    let call = Call::new(
        "Test",
        Method::POST,
        "/esx/settings/depots/offline",
        "/esx/settings/depots/offline".into(),
    )
    .json(&json!({}));
    let err = client(&server)
        .send::<StdError>(call)
        .await
        .expect_err("no mock matches");
    assert_eq!(err.api().map(StdError::status), Some(404));
}
