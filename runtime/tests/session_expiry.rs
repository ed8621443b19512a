//! Logging in again when the session expires: opt-in, once, shared by concurrent calls,
//! through the spec's own session service, and never for the login itself or the
//! support-bundle download.

use serde_json::json;
use vapi_runtime::codegen::{path_value, Call, Method, Services};
use vapi_runtime::{BundleLocation, CallError, Client, ClientBuilder, DownloadError, ErrorType};
use vapi_runtime::{StdError, TokenForm};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

const CALL: &str = "/api/vcenter/namespace-management/software/supervisors/upgrades/jobs/s-1";

fn expired() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({
        "error_type": "UNAUTHENTICATED",
        "messages": [{"id": "vapi.session.expired", "default_message": "The session has expired.", "args": []}]
    }))
}

/// The Supervisor upgrade: a plain operation answering a task id.
async fn upgrade(client: &Client) -> Result<String, CallError<StdError>> {
    let path = format!(
        "/vcenter/namespace-management/software/supervisors/upgrades/jobs/{}",
        path_value("supervisor", "s-1")?
    );
    let call = Call::new(
        "Vcenter.NamespaceManagement.Software.Supervisors.Upgrades.Jobs_create",
        Method::POST,
        "/vcenter/namespace-management/software/supervisors/upgrades/jobs/{supervisor}",
        path,
    )
    .json(&json!({"desired_version": "v2"}));
    client.send::<StdError>(call).await?.json()
}

fn client(
    server: &MockServer,
    services: &'static Services,
    session: Option<&str>,
    password: Option<&str>,
) -> Client {
    let mut builder = ClientBuilder::<Client>::new(server.uri(), services);
    if let Some(session) = session {
        builder = builder.session_id(session);
    }
    if let Some(password) = password {
        builder = builder.relogin_with("admin", password);
    }
    builder.build().expect("client")
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
        .and(header("authorization", "Basic YWRtaW46cHc="))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("new")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-1")))
        .mount(&server)
        .await;
    let client = client(&server, &common::CIS, Some("old"), Some("pw"));
    assert_eq!(upgrade(&client).await.expect("repeated"), "task-1");
    assert_eq!(
        common::requests(&server).await,
        [
            format!("POST {CALL} old"),
            "POST /api/session -".into(),
            format!("POST {CALL} new")
        ]
    );
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(
        requests[0].body, requests[2].body,
        "the repeated call is the same call"
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
async fn the_relogin_goes_to_the_specs_own_session_service() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "old"))
        .respond_with(expired())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/snapservice/sessions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("snap-new")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "snap-new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-9")))
        .mount(&server)
        .await;
    let client = client(&server, &common::SNAPSERVICE, Some("old"), Some("pw"));
    assert_eq!(upgrade(&client).await.expect("repeated"), "task-9");
    assert_eq!(
        common::requests(&server).await,
        [
            format!("POST {CALL} old"),
            "POST /api/snapservice/sessions -".into(),
            format!("POST {CALL} snap-new")
        ]
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
    let client = client(&server, &common::CIS, None, Some("pw"));
    assert_eq!(upgrade(&client).await.expect("logged in"), "task-2");
    assert_eq!(
        common::requests(&server).await,
        [
            format!("POST {CALL} -"),
            "POST /api/session -".into(),
            format!("POST {CALL} fresh")
        ]
    );
}

#[tokio::test]
async fn concurrent_calls_share_one_relogin() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "old"))
        .respond_with(expired())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!("new"))
                // Slow enough that the other calls' 401s arrive while it runs.
                .set_delay(std::time::Duration::from_millis(100)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-3")))
        .mount(&server)
        .await;
    let client = client(&server, &common::CIS, Some("old"), Some("pw"));
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { upgrade(&client).await })
        })
        .collect();
    for call in calls {
        let answer = call.await.expect("joined");
        assert_eq!(answer.expect("repeated"), "task-3");
    }
    let sent = common::requests(&server).await;
    let logins = sent.iter().filter(|r| r.contains("/api/session")).count();
    assert_eq!(logins, 1, "one login for all: {sent:?}");
    let renewed = sent
        .iter()
        .filter(|r| **r == format!("POST {CALL} new"))
        .count();
    assert_eq!(
        renewed, 4,
        "each call went through once with the new session"
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
    let client = client(&server, &common::CIS, Some("old"), Some("pw"));
    let err = upgrade(&client).await.expect_err("still 401");
    assert_eq!(
        err.api().and_then(|e| e.error_type()),
        Some(&ErrorType::Unauthenticated)
    );
    assert_eq!(
        common::requests(&server).await,
        [
            format!("POST {CALL} old"),
            "POST /api/session -".into(),
            format!("POST {CALL} new")
        ],
        "call, login, one repeat"
    );
}

#[tokio::test]
async fn a_wrong_password_costs_one_failed_login_for_a_hundred_calls_and_later_calls_send_nothing()
{
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "old"))
        .respond_with(expired().set_delay(std::time::Duration::from_millis(50)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .and(header("authorization", "Basic YWRtaW46d3Jvbmc="))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(common::std_error("UNAUTHENTICATED", "Wrong password."))
                .set_delay(std::time::Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    let client = client(&server, &common::CIS, Some("old"), Some("wrong"));
    let calls = (0..100).map(|_| upgrade(&client));
    let outcomes = futures_util::future::join_all(calls).await;
    for outcome in &outcomes {
        let err = outcome.as_ref().expect_err("refused");
        let CallError::Relogin(login) = err else {
            panic!("{err:?}")
        };
        let refusal = login.api().expect("the login's refusal");
        assert_eq!(refusal.status(), 401);
        assert_eq!(refusal.message(), Some("Wrong password."));
    }
    let logins = |requests: &[String]| {
        requests
            .iter()
            .filter(|r| r.starts_with("POST /api/session"))
            .count()
    };
    let sent = common::requests(&server).await;
    assert_eq!(logins(&sent), 1, "one failed login for 100 calls: {sent:?}");

    // Remembered: a later call fails at once, sending nothing.
    let err = upgrade(&client).await.expect_err("remembered");
    assert!(matches!(err, CallError::Relogin(_)), "{err:?}");
    assert_eq!(common::requests(&server).await.len(), sent.len());

    // New credentials: sent, and logged in with.
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .and(header("authorization", "Basic YWRtaW46cmlnaHQ="))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("new")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-2")))
        .mount(&server)
        .await;
    client.set_relogin_credentials("admin", "right");
    client.set_session_id("old");
    assert_eq!(upgrade(&client).await.expect("renewed"), "task-2");
    assert_eq!(logins(&common::requests(&server).await), 2);
}

#[tokio::test]
async fn a_login_that_fails_for_a_passing_reason_is_not_remembered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .and(header("vmware-api-session-id", "old"))
        .respond_with(expired())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
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
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("task-3")))
        .mount(&server)
        .await;
    let client = client(&server, &common::CIS, Some("old"), Some("pw"));
    let err = upgrade(&client).await.expect_err("503 to the login");
    let CallError::Relogin(login) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(login.api().map(|e| e.status()), Some(503));
    assert_eq!(upgrade(&client).await.expect("tried again"), "task-3");
}

#[tokio::test]
async fn logout_ends_logging_in_again() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
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
    let client = client(&server, &common::CIS, Some("old"), Some("pw"));
    client.logout().await.expect("logged out");
    let err = upgrade(&client).await.expect_err("401, not logged back in");
    assert_eq!(err.api().map(|e| e.status()), Some(401));
    assert_eq!(
        common::requests(&server).await,
        [
            "DELETE /api/session old".to_owned(),
            format!("POST {CALL} -")
        ],
        "no login after logout"
    );
}

#[tokio::test]
async fn no_relogin_without_credentials_a_session_service_or_for_other_refusals() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(expired())
        .mount(&server)
        .await;
    let not_opted_in = client(&server, &common::CIS, Some("old"), None);
    assert!(upgrade(&not_opted_in).await.is_err());
    assert_eq!(
        common::requests(&server).await,
        [format!("POST {CALL} old")],
        "not opted in: no login"
    );

    server.reset().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(expired())
        .mount(&server)
        .await;
    let no_service = client(&server, &Services::NONE, Some("old"), Some("pw"));
    assert!(upgrade(&no_service).await.is_err());
    assert_eq!(
        common::requests(&server).await,
        [format!("POST {CALL} old")],
        "no session service: nowhere to log in"
    );

    server.reset().await;
    Mock::given(method("POST"))
        .and(path(CALL))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error_type": "UNAUTHORIZED", "messages": []})),
        )
        .mount(&server)
        .await;
    let refused = client(&server, &common::CIS, Some("old"), Some("pw"));
    assert!(upgrade(&refused).await.is_err());
    assert_eq!(
        common::requests(&server).await,
        [format!("POST {CALL} old")],
        "a refusal that is not an expired session is not retried"
    );
}

#[tokio::test]
async fn the_login_itself_and_the_download_are_never_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(expired())
        .mount(&server)
        .await;
    let client = client(&server, &common::CIS, None, Some("pw"));
    assert!(client.login("admin", "pw").await.is_err());
    assert_eq!(
        common::requests(&server).await,
        ["POST /api/session -"],
        "one login attempt"
    );

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let location = BundleLocation::new(format!("{}/wcp/support-bundle", server.uri()), "tok");
    let mut out = Vec::new();
    let err = client
        .download_support_bundle(location, TokenForm::PostBody, &mut out, |_| {})
        .await
        .expect_err("401");
    assert!(matches!(err, DownloadError::TokenRejected), "{err:?}");
    assert_eq!(
        common::requests(&server).await,
        ["POST /wcp/support-bundle -"],
        "the one-time token is sent once, and no login follows"
    );
}
