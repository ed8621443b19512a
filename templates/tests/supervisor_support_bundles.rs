// vapigen: requires Vcenter.NamespaceManagement.Supervisors.SupportBundles_create
//! The per-Supervisor support bundle of vSphere 9.1 (`Vcenter.NamespaceManagement.Supervisors.
//! SupportBundles_create`), which replaces the deprecated per-cluster one: the exact request,
//! the decoded location with its date-time expiry, the documented errors, the typed mock,
//! and the download of its location (a POST with the token in a JSON body, checked as a tar
//! archive).

use std::path::Path;

use serde_json::{json, Value};
use vsphere_api::ids::SupervisorId;
use vsphere_api::mock::MockVsphere;
use vsphere_api::vcenter::namespace_management::supervisors::support_bundles::{
    CreateError, CreateResult, Token,
};
use vsphere_api::{CallError, Client, DownloadError, ErrorType, OperationError, TokenForm};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SESSION: &str = "sid-supervisor-bundles";
/// An id with a space, a slash and a question mark: it must stay one path segment.
const AWKWARD: &str = "supervisor 1/x?y";
const AWKWARD_ENCODED: &str = "supervisor%201%2Fx%3Fy";

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .session_id(SESSION)
        .build()
        .expect("client")
}

async fn create(client: &Client, supervisor: &str) -> Result<CreateResult, CallError<CreateError>> {
    client
        .vcenter()
        .namespace_management()
        .supervisors()
        .support_bundles()
        .create(&SupervisorId::from(supervisor))
        .await
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn create_sends_the_exact_request_and_decodes_the_location() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/vcenter/namespace-management/supervisors/{AWKWARD_ENCODED}/support-bundles"
        )))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "url": "https://vc.example.com/wcp/support-bundle",
            "support_bundle_token": {"token": "tok-sv-1", "expiry": "2026-11-22T23:05:00.000Z"}
        })))
        .mount(&server)
        .await;
    let got = create(&client(&server), AWKWARD).await.expect("201");
    assert_eq!(got.url, "https://vc.example.com/wcp/support-bundle");
    assert_eq!(got.support_bundle_token.token, "tok-sv-1");
    assert_eq!(
        got.support_bundle_token.expiry.to_rfc3339(),
        "2026-11-22T23:05:00+00:00",
        "the expiry is a date-time"
    );

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.query(), None);
    assert_eq!(header_of(request, "vmware-api-session-id"), Some(SESSION));
    assert_eq!(header_of(request, "accept"), Some("application/json"));
    assert_eq!(
        header_of(request, "content-type"),
        Some("application/json"),
        "every call but GET says its body is JSON"
    );
    assert!(
        request.body.is_empty(),
        "no body: {:?}",
        String::from_utf8_lossy(&request.body)
    );
}

#[tokio::test]
async fn an_expiry_that_is_not_a_date_time_does_not_decode_and_the_token_is_withheld() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "url": "https://vc.example.com/wcp/support-bundle",
            "support_bundle_token": {"token": "tok-sv-secret", "expiry": "in five minutes"}
        })))
        .mount(&server)
        .await;
    let err = create(&client(&server), "supervisor-1")
        .await
        .expect_err("not a date-time");
    assert!(
        matches!(&err, CallError::Decode { status: 201, body, .. } if body == "<redacted>"),
        "{err:?}"
    );
    assert!(
        !format!("{err:?} {err}").contains("tok-sv-secret"),
        "the token leaked"
    );
}

/// A variant's predicate, such as `CreateError::is_not_found`.
type IsVariant = fn(&CreateError) -> bool;

#[tokio::test]
async fn each_documented_error_is_its_variant() {
    let server = MockServer::start().await;
    let cases: [(u16, &str, IsVariant); 4] = [
        (401, "UNAUTHENTICATED", CreateError::is_unauthenticated),
        (403, "UNAUTHORIZED", CreateError::is_unauthorized),
        (404, "NOT_FOUND", CreateError::is_not_found),
        (500, "ERROR", CreateError::is_error),
    ];
    let mut documented = CreateError::DOCUMENTED.to_vec();
    documented.sort();
    let tested: Vec<(u16, &str)> = cases.iter().map(|(s, k, _)| (*s, *k)).collect();
    assert_eq!(tested, documented, "every documented error is tested");
    for (status, kind, is_variant) in cases {
        for body in [
            json!({"error_type": kind, "messages": [{"id": "t", "default_message": format!("{kind} at {status}"), "args": []}]}),
            // Without `error_type`, the kind the operation documents at that status.
            json!({"messages": []}),
        ] {
            server.reset().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(status).set_body_json(&body))
                .mount(&server)
                .await;
            let err = create(&client(&server), "supervisor-1")
                .await
                .expect_err("refused");
            let CallError::Api(e) = &err else {
                panic!("{status} {body}: {err:?}")
            };
            assert!(is_variant(e), "{status} {body}: {e:?}");
            assert_eq!(e.status(), status);
            assert_eq!(e.error_type().map(ErrorType::as_str), Some(kind));
        }
    }
}

#[tokio::test]
async fn the_typed_mock_answers_the_location_and_the_documented_errors() {
    let server = MockServer::start().await;
    let expiry = "2026-11-22T23:05:00Z".parse().expect("date-time");
    let location = CreateResult::new(
        "https://vc/wcp/support-bundle".into(),
        Token::new("tok".into(), expiry),
    );
    server
        .mock_vcenter_namespace_management_supervisors_support_bundles_create()
        .expect(1)
        .returns(location.clone())
        .await;
    assert_eq!(
        create(&client(&server), "supervisor-1")
            .await
            .expect("location"),
        location
    );

    server.reset().await;
    server
        .mock_vcenter_namespace_management_supervisors_support_bundles_create()
        .fails_with_message(ErrorType::NotFound, "no Supervisor supervisor-9")
        .await;
    let err = create(&client(&server), "supervisor-9")
        .await
        .expect_err("404");
    assert!(err.api().is_some_and(CreateError::is_not_found), "{err:?}");
    assert_eq!(
        err.api().map(|e| e.std_error().to_string()),
        Some("NOT_FOUND (HTTP 404): no Supervisor supervisor-9".to_owned())
    );
}

#[test]
fn the_token_stays_out_of_debug_output() {
    let expiry = "2026-11-22T23:05:00Z".parse().expect("date-time");
    let location = CreateResult::new(
        "https://vc/wcp/support-bundle".into(),
        Token::new("one-time-sv-Tok3n".into(), expiry),
    );
    let debug = format!("{location:?} {location:#?}");
    assert!(!debug.contains("one-time-sv-Tok3n"), "{debug}");
    assert!(
        debug.contains("<redacted>") && debug.contains("2026-11-22"),
        "{debug}"
    );
}

/// The 9.1 flow end to end: the location from the operation, then its URL POSTed with the
/// token in a JSON body (the server answering 201, as the 9.1 documentation says), saved
/// under the server's file name once the tar archive is complete.
#[tokio::test]
async fn its_location_downloads_by_post_with_the_token_in_the_body() {
    let server = MockServer::start().await;
    let bundle =
        vsphere_api::mock::tar(&[("wcp/kube-apiserver.log", 70_000), ("wcp/etcd.log", 1_000)]);
    let name = "wcp-support-bundle-supervisor-1.tar";
    Mock::given(method("POST"))
        .and(path(
            "/api/vcenter/namespace-management/supervisors/supervisor-1/support-bundles",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "url": format!("{}/wcp/supervisor-support-bundle", server.uri()),
            "support_bundle_token": {"token": "tok-sv-once", "expiry": "2026-11-22T23:05:00Z"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/wcp/supervisor-support-bundle"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"wcp-support-bundle-token": "tok-sv-once"}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header(
                    "content-disposition",
                    format!("attachment; filename={name}"),
                )
                .set_body_raw(bundle.clone(), "application/tar"),
        )
        .mount(&server)
        .await;

    let api = client(&server);
    let location = create(&api, "supervisor-1").await.expect("location");
    let dir = tempfile::tempdir().expect("dir");
    let mut last = None;
    let done = api
        .download_support_bundle_to_dir(location, TokenForm::PostBody, dir.path(), |p| {
            last = Some(p)
        })
        .await
        .expect("downloads");
    assert_eq!(done.file_name.as_deref(), Some(name));
    assert_eq!((done.bytes, done.entries), (bundle.len() as u64, 2));
    assert_eq!(done.path, Some(dir.path().join(name)));
    assert_eq!(std::fs::read(dir.path().join(name)).expect("saved"), bundle);
    assert_eq!(files_in(dir.path()), [name], "no partial file is left");
    assert_eq!(last.map(|p| p.bytes), Some(bundle.len() as u64));

    let requests = server.received_requests().await.expect("recording");
    let seen: Vec<String> = requests
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r.method,
                r.url.path(),
                header_of(r, "vmware-api-session-id").unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            format!(
                "POST /api/vcenter/namespace-management/supervisors/supervisor-1/support-bundles {SESSION}"
            ),
            format!("POST /wcp/supervisor-support-bundle {SESSION}"),
        ],
        "the session goes along to the same vCenter"
    );
    assert!(requests[0].body.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&requests[1].body),
        r#"{"wcp-support-bundle-token":"tok-sv-once"}"#
    );
    assert_eq!(
        requests[1].body_json::<Value>().expect("json"),
        json!({"wcp-support-bundle-token": "tok-sv-once"})
    );
}

#[tokio::test]
async fn a_supervisor_bundle_cut_short_is_an_error_and_leaves_no_file() {
    let server = MockServer::start().await;
    let bundle = vsphere_api::mock::tar(&[("wcp/kube-apiserver.log", 70_000)]);
    Mock::given(method("POST"))
        .and(path(
            "/api/vcenter/namespace-management/supervisors/supervisor-1/support-bundles",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "url": format!("{}/wcp/supervisor-support-bundle", server.uri()),
            "support_bundle_token": {"token": "tok-sv-cut", "expiry": "2026-11-22T23:05:00Z"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/wcp/supervisor-support-bundle"))
        .respond_with(ResponseTemplate::new(201).set_body_bytes(bundle[..20_000].to_vec()))
        .mount(&server)
        .await;
    let api = client(&server);
    let location = create(&api, "supervisor-1").await.expect("location");
    let dir = tempfile::tempdir().expect("dir");
    let err = api
        .download_support_bundle_to_dir(location, TokenForm::PostBody, dir.path(), |_| {})
        .await
        .expect_err("incomplete");
    assert!(matches!(err, DownloadError::Incomplete(_)), "{err:?}");
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}
