//! The password, the session id and the support-bundle token never appear in the `tracing`
//! output of calls (captured here at TRACE level, including what reqwest and hyper log).
//!
//! This test has its own file: a subscriber set with `set_default` misses events when other
//! tests of the same binary hit the same callsites on other threads at the same time.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use vapi_runtime::codegen::{Call, Method};
use vapi_runtime::{BundleLocation, Client, StdError, TokenForm};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
mod support;

const PASSWORD: &str = "Pa55-w0rd-never-logged";
const SESSION: &str = "sess-7f3a-never-logged";
const TOKEN: &str = "tok-91b2-never-logged";
const HOST_PASSWORD: &str = "esx-r00t-never-logged";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

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
async fn secrets_stay_out_of_tracing_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/session"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!(SESSION)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/esx/settings/depots/offline"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error_type": "INVALID_ARGUMENT", "messages": []})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/wcp/support-bundle"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(support::tar(&[("a.log", 0)])))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(common::std_error(
            "UNAUTHENTICATED",
            "The session has expired.",
        )))
        .with_priority(10)
        .mount(&server)
        .await;

    let client = vapi_runtime::ClientBuilder::<Client>::new(server.uri(), &common::CIS)
        .relogin_with("admin", PASSWORD)
        .build()
        .expect("client");
    client.login("admin", PASSWORD).await.expect("login");
    let err = client
        .send::<StdError>(create_from_host())
        .await
        .expect_err("400");
    assert_no_secret("the error", &format!("{err:?} {err}"));
    let mut sink = Vec::new();
    client
        .download_support_bundle(
            BundleLocation::new(format!("{}/wcp/support-bundle", server.uri()), TOKEN),
            TokenForm::PostBody,
            &mut sink,
            |_| {},
        )
        .await
        .expect("download");
    // 401: a relogin with the kept password, then the call once more.
    let call = Call::new(
        "Cis.Session_get",
        Method::GET,
        "/session",
        "/session".into(),
    );
    let _ = client.send::<StdError>(call).await;
    let _ = client.logout().await;

    let offline = "/api/esx/settings/depots/offline?action=createFromHost&vmw-task=true";
    assert_eq!(
        common::requests(&server).await,
        [
            "POST /api/session -".to_owned(),
            format!("POST {offline} {SESSION}"),
            format!("POST /wcp/support-bundle {SESSION}"),
            format!("GET /api/session {SESSION}"),
            "POST /api/session -".to_owned(),
            format!("GET /api/session {SESSION}"),
            // The logout is sent once: it never logs in again to log out.
            format!("DELETE /api/session {SESSION}"),
        ],
        "the test went through every path a secret takes"
    );
    assert!(!client.has_session(), "logout forgets the session");

    let log = captured.text();
    assert!(
        log.contains("Esx.Settings.Depots.Offline_createFromHost$Task"),
        "the call's span was captured:\n{log}"
    );
    assert!(
        log.contains("/esx/settings/depots/offline"),
        "the path template is logged:\n{log}"
    );
    assert_no_secret("the tracing output", &log);
}
