//! Logging in and out through the spec's session service, wherever the spec puts it, and
//! the builder of a generated crate's own client type.

use serde_json::json;
use vapi_runtime::codegen::{Call, Method, Services};
use vapi_runtime::{CallError, Client, ClientBuilder, ErrorType, InvalidRequest, StdError};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

/// `admin:pw` in HTTP basic.
const BASIC_ADMIN_PW: &str = "Basic YWRtaW46cHc=";

fn builder(server: &MockServer, services: &'static Services) -> ClientBuilder<Client> {
    ClientBuilder::new(server.uri(), services)
}

#[tokio::test]
async fn login_and_logout_go_to_the_services_own_paths() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/snapservice/sessions"))
        .and(header("authorization", BASIC_ADMIN_PW))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("snap-session")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/snapservice/sessions"))
        .and(header("vmware-api-session-id", "snap-session"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, &common::SNAPSERVICE)
        .build()
        .expect("client");
    assert!(std::ptr::eq(client.services(), &common::SNAPSERVICE));

    client.login("admin", "pw").await.expect("login");
    assert!(client.has_session());
    assert_eq!(
        client
            .session_id()
            .map(|s| s.expose().to_owned())
            .as_deref(),
        Some("snap-session")
    );
    client.logout().await.expect("logout");
    assert!(!client.has_session());

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(
        common::requests(&server).await,
        [
            "POST /api/snapservice/sessions -",
            "DELETE /api/snapservice/sessions snap-session"
        ]
    );
    let login = &requests[0];
    assert!(login.body.is_empty(), "the login has no body");
    assert_eq!(
        login.headers.get("authorization").map(|v| v.as_bytes()),
        Some(BASIC_ADMIN_PW.as_bytes())
    );
    assert!(requests[1].headers.get("authorization").is_none());
}

#[tokio::test]
async fn the_cis_session_service_logs_in_at_slash_session() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("cis-session")))
        .mount(&server)
        .await;
    let client = builder(&server, &common::CIS).build().expect("client");
    client.login("admin", "pw").await.expect("login");
    let call = Call::new("Test.Things_list", Method::GET, "/things", "/things".into());
    let _ = client.send::<StdError>(call).await;
    assert_eq!(
        common::requests(&server).await,
        ["POST /api/session -", "GET /api/things cis-session"]
    );
}

#[tokio::test]
async fn without_a_session_service_login_and_logout_are_refused_unsent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("never")))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("kept")
        .build()
        .expect("client");
    assert!(client.services().session.is_none() && client.services().tasks.is_none());

    let err = client.login("admin", "pw").await.expect_err("no service");
    let CallError::InvalidRequest(refusal) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        refusal,
        &InvalidRequest {
            field: "login".into(),
            reason: "this API has no session service".into()
        }
    );
    let err = client.logout().await.expect_err("no service");
    let CallError::InvalidRequest(refusal) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(refusal.field, "logout");
    assert!(client.has_session(), "nothing was sent, nothing forgotten");
    assert!(common::requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_session_service_without_delete_refuses_logout() {
    static NO_DELETE: Services = Services {
        session: Some(vapi_runtime::codegen::SessionService {
            create: vapi_runtime::codegen::Endpoint {
                operation_id: "Sessions_create",
                method: Method::POST,
                path: "/sessions",
                fixed_query: &[("action", "login")],
            },
            delete: None,
        }),
        tasks: None,
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/sessions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("s-1")))
        .mount(&server)
        .await;
    let client = builder(&server, &NO_DELETE).build().expect("client");
    client.login("admin", "pw").await.expect("login");
    let err = client.logout().await.expect_err("no delete");
    assert!(
        matches!(&err, CallError::InvalidRequest(r) if r.field == "logout"),
        "{err:?}"
    );
    assert_eq!(
        common::requests(&server).await,
        ["POST /api/sessions?action=login -"],
        "the fixed query of the endpoint is sent"
    );
}

#[tokio::test]
async fn a_refused_login_is_the_standard_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(401).set_body_json(common::std_error(
            "UNAUTHENTICATED",
            "Wrong user name or password.",
        )))
        .mount(&server)
        .await;
    let client = builder(&server, &common::CIS).build().expect("client");
    let err = client.login("admin", "wrong").await.expect_err("refused");
    let std = err.api().expect("the server said no");
    assert_eq!(std.status(), 401);
    assert_eq!(std.error_type(), Some(&ErrorType::Unauthenticated));
    assert_eq!(std.message(), Some("Wrong user name or password."));
    assert!(!client.has_session());
}

#[tokio::test]
async fn logout_forgets_the_session_whatever_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = common::client_with(&server, &common::CIS, "old");
    let err = client.logout().await.expect_err("503");
    assert_eq!(
        err.api().and_then(|e| e.error_type()),
        Some(&ErrorType::ServiceUnavailable)
    );
    assert!(!client.has_session());
    assert_eq!(common::requests(&server).await, ["DELETE /api/session old"]);
}

/// A generated crate's client: the runtime's, wrapped.
#[derive(Debug, Clone)]
struct VsphereClient(Client);

impl From<Client> for VsphereClient {
    fn from(client: Client) -> Self {
        VsphereClient(client)
    }
}

impl std::ops::Deref for VsphereClient {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.0
    }
}

impl VsphereClient {
    fn builder(url: impl Into<String>) -> ClientBuilder<Self> {
        ClientBuilder::new(url, &common::CIS)
    }
}

#[tokio::test]
async fn the_builder_builds_a_wrapper_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!("wrapped")))
        .mount(&server)
        .await;
    let client: VsphereClient = VsphereClient::builder(format!("{}/api/", server.uri()))
        .user_agent("vsphere-api/0.1.0")
        .build()
        .expect("client");
    assert_eq!(client.api_url(), format!("{}/api", server.uri()));
    assert!(std::ptr::eq(client.services(), &common::CIS));
    client
        .login("admin", "pw")
        .await
        .expect("login through Deref");
    assert!(client.has_session());
    let requests = server.received_requests().await.expect("recording");
    assert_eq!(
        requests[0].headers.get("user-agent").map(|v| v.as_bytes()),
        Some(&b"vsphere-api/0.1.0"[..])
    );

    let err = VsphereClient::builder("ftp://vc.example.com")
        .build()
        .expect_err("not https");
    assert!(
        matches!(err, vapi_runtime::BuildError::Url { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_session_id_that_cannot_go_in_a_header_refuses_the_call_unsent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("never")))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .session_id("sid\r\nx-injected: 1")
        .build()
        .expect("client");
    let call = Call::new("Test.Things_list", Method::GET, "/things", "/things".into());
    let err = client.send::<StdError>(call).await.expect_err("refused");
    let CallError::InvalidRequest(refusal) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        refusal,
        &InvalidRequest {
            field: "/things".into(),
            reason: "has a session id that cannot go in a header".into()
        }
    );
    assert!(
        !format!("{err:?} {err}").contains("sid"),
        "the id is not shown: {err:?}"
    );
    assert!(common::requests(&server).await.is_empty());
}
