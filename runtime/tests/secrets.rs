//! The password, the session id and the support-bundle token never appear in `Debug` or
//! `Display` output, nor in errors (the `tracing` output is checked in
//! `secrets_tracing.rs`).

use serde_json::json;
use vapi_runtime::codegen::{Call, Method};
use vapi_runtime::{BundleLocation, CallError, Client, Credentials, Secret};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

const PASSWORD: &str = "Pa55-w0rd-never-logged";
const SESSION: &str = "sess-7f3a-never-logged";
const TOKEN: &str = "tok-91b2-never-logged";
const HOST_PASSWORD: &str = "esx-r00t-never-logged";

fn assert_no_secret(what: &str, text: &str) {
    for secret in [PASSWORD, SESSION, TOKEN, HOST_PASSWORD] {
        assert!(
            !text.contains(secret),
            "{what} shows a secret ({secret}):\n{text}"
        );
    }
}

/// A call whose body holds a host's password, as a depot-from-host spec does.
fn create_from_host() -> Call<'static> {
    Call::new(
        "Esx.Settings.Depots.Offline_createFromHost$Task",
        Method::POST,
        "/esx/settings/depots/offline",
        "/esx/settings/depots/offline".into(),
    )
    .query("action", "createFromHost")
    .query("vmw-task", "true")
    .json(&json!({"host_credential": {"host_name": "esx-01", "user_name": "root", "password": HOST_PASSWORD}}))
}

#[tokio::test]
async fn a_login_answer_that_does_not_decode_keeps_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(201).set_body_string(format!("{SESSION} not json")))
        .mount(&server)
        .await;
    let client = vapi_runtime::ClientBuilder::<Client>::new(server.uri(), &common::CIS)
        .build()
        .expect("client");
    let err = client
        .login("admin", PASSWORD)
        .await
        .expect_err("undecodable");
    let CallError::Decode { status, body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*status, body.as_str()), (201, "<redacted>"));
    assert_no_secret("the login error", &format!("{err:?} {err}"));
    assert!(!client.has_session());
}

#[test]
fn secrets_stay_out_of_debug_and_display() {
    let secret = Secret::new(PASSWORD);
    assert_eq!(format!("{secret:?}"), "<redacted>");
    let credentials = Credentials::new("admin", PASSWORD);
    assert_eq!(
        format!("{credentials:?}"),
        r#"Credentials { user: "admin", password: <redacted> }"#
    );
    assert_no_secret("Credentials", &format!("{credentials:#?}"));

    let builder = Client::builder("https://vc.example.com")
        .session_id(SESSION)
        .relogin_with("admin", PASSWORD);
    assert_no_secret("ClientBuilder", &format!("{builder:?} {builder:#?}"));
    let client = builder.build().expect("client");
    assert_eq!(
        format!("{client:?}"),
        r#"Client { api: "https://vc.example.com/api", has_session: true }"#
    );
    assert_no_secret("Client", &format!("{client:#?}"));
    assert_no_secret("the session id", &format!("{:?}", client.session_id()));

    let location = BundleLocation::new("https://vc/wcp/support-bundle", TOKEN);
    assert_eq!(
        format!("{location:?}"),
        r#"BundleLocation { url: "https://vc/wcp/support-bundle", token: <redacted> }"#
    );
    assert_no_secret("BundleLocation", &format!("{location:#?}"));

    let call = create_from_host().basic_auth(&credentials);
    assert_no_secret("a call with credentials", &format!("{call:?}"));
}
