// vapigen: requires Cis.Session_create, Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create
//! Logging in again when the session expires, around a generated operation: opt-in, once,
//! through the spec's session service, and the operation's typed error when it does not help.
//! (That the login itself and the support-bundle download are never retried is the
//! runtime's own test, `the_login_itself_and_the_download_are_never_retried`.)

use serde_json::json;
use vsphere_api::{CallError, Client};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALL: &str = "/api/vcenter/namespace-management/software/supervisors/upgrades/jobs/s-1";

fn expired() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({
        "error_type": "UNAUTHENTICATED",
        "messages": [{"id": "vapi.session.expired", "default_message": "The session has expired.", "args": []}]
    }))
}

async fn upgrade(client: &Client) -> Result<vsphere_api::ids::TaskId, CallError<vsphere_api::vcenter::namespace_management::software::supervisors::upgrades::jobs::CreateError>>{
    use vsphere_api::vcenter::namespace_management::software::supervisors::upgrades::jobs::CreateSpec;
    client
        .vcenter()
        .namespace_management()
        .software()
        .supervisors()
        .upgrades()
        .jobs()
        .create(&"s-1".into(), &CreateSpec::new("v2".into()))
        .await
}

async fn paths(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|r| {
            let session = r
                .headers
                .get("vmware-api-session-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            format!("{} {} {session}", r.method, r.url.path())
        })
        .collect()
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_the_call_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "old"))
        .respond_with(expired())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("new")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-1")))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("old")
        .relogin_with("admin", "pw")
        .build()
        .expect("client");
    assert_eq!(upgrade(&client).await.expect("repeated").as_str(), "task-1");
    assert_eq!(
        paths(&server).await,
        [
            format!("POST {CALL} old"),
            "POST /api/session -".into(),
            format!("POST {CALL} new")
        ]
    );
    assert_eq!(
        client
            .session_id()
            .map(|s| s.expose().to_owned())
            .as_deref(),
        Some("new")
    );
}

#[tokio::test]
async fn without_a_session_the_first_call_logs_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("fresh")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-2")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(expired())
        .with_priority(10)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .relogin_with("admin", "pw")
        .build()
        .expect("client");
    assert_eq!(
        upgrade(&client).await.expect("logged in").as_str(),
        "task-2"
    );
}

#[tokio::test]
async fn a_second_401_is_returned_not_looped() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(expired())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("new")))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("old")
        .relogin_with("admin", "pw")
        .build()
        .expect("client");
    let err = upgrade(&client).await.expect_err("still 401");
    assert!(err.api().is_some_and(|e| e.is_unauthenticated()), "{err:?}");
    assert_eq!(paths(&server).await.len(), 3, "call, login, one repeat");
}

#[tokio::test]
async fn a_refused_relogin_is_the_error_and_is_remembered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(expired())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("old")
        .relogin_with("admin", "wrong")
        .build()
        .expect("client");
    let err = upgrade(&client).await.expect_err("401");
    let vsphere_api::CallError::Relogin(login) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(login.api().map(|e| e.status()), Some(401));
    // Remembered: the next call sends nothing.
    upgrade(&client).await.expect_err("remembered");
    assert_eq!(
        paths(&server).await,
        [format!("POST {CALL} old"), "POST /api/session -".into()]
    );
}

#[tokio::test]
async fn no_relogin_without_credentials_or_for_other_refusals() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(expired())
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("old")
        .build()
        .expect("client");
    assert!(upgrade(&client).await.is_err());
    assert_eq!(paths(&server).await.len(), 1, "not opted in: no login");

    server.reset().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error_type": "UNAUTHORIZED", "messages": []})),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("old")
        .relogin_with("admin", "pw")
        .build()
        .expect("client");
    assert!(upgrade(&client).await.is_err());
    assert_eq!(
        paths(&server).await.len(),
        1,
        "a refusal that is not an expired session is not retried"
    );
}
