// vapigen: requires Cis.Session_create, Cis.Session_delete, Cis.Session_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create
//! The password, the session id and the support-bundle token never appear in `Debug` or
//! `Display` output, nor in the `tracing` output of a call (captured here at TRACE level,
//! including what reqwest and hyper log).

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType;
use vsphere_api::esx::settings::depots::offline::{ConnectionSpec, HostCredentials};
use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
use vsphere_api::{Client, TokenForm};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

fn host_spec() -> ConnectionSpec {
    let mut spec = ConnectionSpec::new(AuthenticationType::UsernamePassword);
    spec.host_credential = Some(HostCredentials::new(
        "esx-01".into(),
        "root".into(),
        HOST_PASSWORD.into(),
    ));
    spec
}

fn tar_bytes() -> Vec<u8> {
    vsphere_api::mock::tar(&[("a.log", 0)])
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
        .respond_with(ResponseTemplate::new(200).set_body_bytes(tar_bytes()))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .with_priority(10)
        .mount(&server)
        .await;

    let client = Client::builder(server.uri())
        .relogin_with("admin", PASSWORD)
        .build()
        .expect("client");
    client.login("admin", PASSWORD).await.expect("login");
    let err = client
        .esx()
        .settings()
        .depots()
        .offline()
        .create_from_host(&host_spec())
        .await
        .expect_err("400");
    assert_no_secret("the error", &format!("{err:?} {err}"));
    let location = Location::new(
        format!("{}/wcp/support-bundle", server.uri()),
        Token::new(TOKEN.into(), "soon".into()),
    );
    let mut sink = Vec::new();
    client
        .download_support_bundle(location, TokenForm::PostBody, &mut sink, |_| {})
        .await
        .expect("download");
    let _ = client.cis().session().get().await; // 401: a relogin with the kept password
    let _ = client.logout().await;

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

/// The generated types that hold a secret; the runtime's own (`Secret`, `Credentials`,
/// `Client`, `BundleLocation`) are checked in the runtime's tests.
#[test]
fn secrets_stay_out_of_debug_and_display() {
    let token = Token::new(TOKEN.into(), "2026-11-22T23:00:00Z".into());
    let location = Location::new("https://vc/wcp/support-bundle".into(), token.clone());
    assert_no_secret(
        "Token and Location",
        &format!("{token:?} {location:?} {location:#?}"),
    );

    let spec = host_spec();
    assert_no_secret("ConnectionSpec", &format!("{spec:?} {spec:#?}"));
}
