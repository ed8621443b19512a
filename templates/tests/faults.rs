// vapigen: requires Cis.Session_create, Cis.Tasks_get, Esx.Settings.Depots.Offline_createFromHost$Task, Vcenter.NamespaceManagement.SupportBundle_create, Vcenter.Namespaces.ManagementServices.AccessGrants_create
//! The server-fault matrix: a local server that misbehaves on purpose, case by case, across
//! the operations, the session, tasks and the download. Every case must end in the typed
//! error it names (or a tolerant decode), without a panic and without hanging.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vsphere_api::cis::task::Status;
use vsphere_api::esx::settings::depots::offline::DepotExtractInfo;
use vsphere_api::ids::{ClusterComputeResourceId, NamespaceId, TaskId};
use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
use vsphere_api::vcenter::namespaces::management_services::access_grants::{
    workload_selector_create_spec::WorkloadType, CreateError as GrantError,
    CreateSpec as GrantSpec, WorkloadSelectorCreateSpec,
};
use vsphere_api::{
    CallError, Client, DownloadError, DownloadOptions, ErrorType, OperationError, TaskError,
    TaskStatus, TokenForm, WaitOptions, MAX_RAW_BODY,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

type Outcome = Result<(), String>;
type Case = (&'static str, Pin<Box<dyn Future<Output = Outcome> + Send>>);

macro_rules! check {
    ($cond:expr, $($why:tt)+) => {
        if !$cond {
            return Err(format!($($why)+));
        }
    };
}

/// One row of the matrix: its name (printed when it fails) and what it runs.
macro_rules! case {
    ($cases:ident, $name:expr, $body:expr) => {
        $cases.push(($name, Box::pin($body)));
    };
}

/// A server that answers every request with the given response.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// The request timeout of the cases' clients, but the stalling ones'.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

fn client_of(uri: &str) -> Client {
    client_timing_out(uri, REQUEST_TIMEOUT)
}

fn client_timing_out(uri: &str, request_timeout: Duration) -> Client {
    Client::builder(uri)
        .session_id("sid-faults")
        .request_timeout(request_timeout)
        .build()
        .expect("client")
}

/// What a raw server does with each connection.
#[derive(Clone)]
enum Raw {
    /// Writes these bytes and closes.
    Send(Vec<u8>),
    /// Writes these bytes, then resets the connection (RST).
    SendThenReset(Vec<u8>),
    /// Reads the request and never answers (until the test's runtime ends).
    Stall,
    /// Writes these bytes, then stalls.
    SendThenStall(Vec<u8>),
    /// Closes at once, without a word.
    Close,
}

async fn raw(behaviour: Raw) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let behaviour = behaviour.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = socket.read(&mut buf).await;
                match behaviour {
                    Raw::Send(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Raw::SendThenReset(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.set_zero_linger();
                        drop(socket);
                    }
                    Raw::Stall => tokio::time::sleep(Duration::from_secs(3600)).await,
                    Raw::SendThenStall(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                    Raw::Close => drop(socket),
                }
            });
        }
    });
    addr
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n{headers}Connection: close\r\n\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

fn grant() -> GrantSpec {
    GrantSpec::new(
        "grant-1".into(),
        "svc".into(),
        WorkloadSelectorCreateSpec::new(WorkloadType::Any),
    )
}

async fn create_grant(client: &Client) -> Result<(), CallError<GrantError>> {
    client
        .vcenter()
        .namespaces()
        .management_services()
        .access_grants()
        .create(&NamespaceId::from("ns"), &grant())
        .await
}

#[allow(deprecated)]
async fn bundle_location(
    client: &Client,
) -> Result<
    Location,
    CallError<vsphere_api::vcenter::namespace_management::support_bundle::CreateError>,
> {
    client
        .vcenter()
        .namespace_management()
        .support_bundle()
        .create(&ClusterComputeResourceId::from("domain-c8"))
        .await
}

fn std_error(kind: &str) -> Value {
    json!({"error_type": kind, "messages": [{"id": "t", "default_message": kind, "args": []}]})
}

fn task_info(status: &str, extra: Value) -> Value {
    let mut info = json!({
        "description": {"id": "t", "default_message": "task", "args": []},
        "service": "com.vmware.esx.settings.depots.offline",
        "operation": "create_from_host$task",
        "status": status,
        "cancelable": false
    });
    if let (Some(info), Some(extra)) = (info.as_object_mut(), extra.as_object()) {
        info.extend(extra.clone());
    }
    info
}

fn fast_wait(deadline_ms: u64) -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        backoff: 1.5,
        deadline: Some(Duration::from_millis(deadline_ms)),
        retries: 0,
    }
}

fn tar_with(len: usize) -> Vec<u8> {
    vsphere_api::mock::tar(&[("a.log", len)])
}

fn location_at(addr: SocketAddr, token: &str) -> Location {
    Location::new(
        format!("http://127.0.0.1:{}/wcp/support-bundle", addr.port()),
        Token::new(token.into(), "soon".into()),
    )
}

async fn download_from(
    behaviour: Raw,
    token: &str,
) -> Result<vsphere_api::Downloaded, DownloadError> {
    download_into(behaviour, token, TokenForm::PostBody).await.0
}

/// The request timeout of the stalling cases: how long a call, or a download between two
/// chunks, waits for the server.
const IDLE: Duration = Duration::from_millis(300);

/// A download from a raw server, with what the client saved.
async fn download_into(
    behaviour: Raw,
    token: &str,
    options: impl Into<DownloadOptions>,
) -> (Result<vsphere_api::Downloaded, DownloadError>, Vec<u8>) {
    download_timing_out(behaviour, token, options, REQUEST_TIMEOUT).await
}

/// A download from a raw server by a client whose request timeout is `request_timeout`,
/// with what the client saved.
async fn download_timing_out(
    behaviour: Raw,
    token: &str,
    options: impl Into<DownloadOptions>,
    request_timeout: Duration,
) -> (Result<vsphere_api::Downloaded, DownloadError>, Vec<u8>) {
    let addr = raw(behaviour).await;
    let client = client_timing_out(&format!("http://{addr}"), request_timeout);
    let mut sink = Vec::new();
    let outcome = client
        .download_support_bundle(location_at(addr, token), options, &mut sink, |_| {})
        .await;
    (outcome, sink)
}

fn api_kind<E: vsphere_api::OperationError + std::fmt::Debug>(
    e: &CallError<E>,
) -> Option<(u16, Option<String>)> {
    match e {
        CallError::Api(e) => Some((
            e.std_error().status(),
            e.std_error().error_type().map(|t| t.as_str().to_owned()),
        )),
        _ => None,
    }
}

/// How the client takes each misbehaving answer to a generated operation.
fn operation_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    case!(cases, "malformed JSON success", async {
        let server = answering(ResponseTemplate::new(200).set_body_string("{\"status\": ")).await;
        let err = client_of(&server.uri())
            .cis()
            .tasks()
            .get(&TaskId::from("t-1"))
            .await
            .expect_err("decode");
        check!(
            matches!(&err, CallError::Decode { status: 200, body, .. } if body == "{\"status\": "),
            "{err:?}"
        );
        Ok(())
    });
    case!(
        cases,
        "an undecodable answer holding a token is withheld",
        async {
            let body = r#"{"url": "u", "wcp_support_bundle_token": {"token": "T0KEN-in-body", "expiry": 5}}"#;
            let server = answering(ResponseTemplate::new(201).set_body_string(body)).await;
            let err = bundle_location(&client_of(&server.uri()))
                .await
                .expect_err("decode");
            check!(
                matches!(&err, CallError::Decode { body, .. } if body == "<redacted>"),
                "{err:?}"
            );
            check!(
                !format!("{err:?} {err}").contains("T0KEN-in-body"),
                "the token leaked"
            );
            Ok(())
        }
    );
    case!(cases, "JSON of the wrong shape", async {
        let server = answering(ResponseTemplate::new(201).set_body_json(json!(["a", "b"]))).await;
        let err = bundle_location(&client_of(&server.uri()))
            .await
            .expect_err("decode");
        check!(matches!(err, CallError::Decode { .. }), "{err:?}");
        Ok(())
    });
    case!(cases, "missing required field", async {
        let server =
            answering(ResponseTemplate::new(201).set_body_json(json!({"url": "https://vc/x"})))
                .await;
        let err = bundle_location(&client_of(&server.uri()))
            .await
            .expect_err("decode");
        check!(
            matches!(&err, CallError::Decode { source, .. } if source.to_string().contains("wcp_support_bundle_token")),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "unknown fields are tolerated", async {
        let body = json!({"url": "https://vc/x", "wcp_support_bundle_token": {"token": "t", "expiry": "e", "new": 1}, "extra": [1]});
        let server = answering(ResponseTemplate::new(201).set_body_json(body)).await;
        let location = bundle_location(&client_of(&server.uri()))
            .await
            .map_err(|e| format!("{e:?}"))?;
        check!(location.url == "https://vc/x", "{location:?}");
        Ok(())
    });
    case!(cases, "unknown enum value is kept", async {
        let server = answering(
            ResponseTemplate::new(200).set_body_json(task_info("HIBERNATING", json!({}))),
        )
        .await;
        let info = client_of(&server.uri())
            .cis()
            .tasks()
            .get(&TaskId::from("t-1"))
            .await
            .map_err(|e| format!("{e:?}"))?;
        check!(
            info.status == Status::Unknown("HIBERNATING".into()),
            "{:?}",
            info.status
        );
        Ok(())
    });
    case!(cases, "unknown error_type", async {
        let server =
            answering(ResponseTemplate::new(400).set_body_json(std_error("QUOTA_EXCEEDED"))).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("400");
        check!(
            matches!(err, CallError::Api(GrantError::Undocumented(_))),
            "{err:?}"
        );
        check!(
            api_kind(&err) == Some((400, Some("QUOTA_EXCEEDED".into()))),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "error body without error_type", async {
        let server =
            answering(ResponseTemplate::new(404).set_body_json(json!({"messages": []}))).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("404");
        check!(
            matches!(err, CallError::Api(GrantError::NotFound(_))),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "empty error body", async {
        let server = answering(ResponseTemplate::new(500)).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("500");
        check!(
            matches!(&err, CallError::Api(GrantError::Error(e)) if e.raw_body() == Some("")),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "HTML 502 from a proxy", async {
        let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let server = answering(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("502");
        check!(
            matches!(&err, CallError::Api(GrantError::Undocumented(e)) if e.raw_body() == Some(page)),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "wrong Content-Type on a JSON success", async {
        let body =
            r#"{"url": "https://vc/x", "wcp_support_bundle_token": {"token": "t", "expiry": "e"}}"#;
        let server = answering(ResponseTemplate::new(201).set_body_raw(body, "text/plain")).await;
        bundle_location(&client_of(&server.uri()))
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(())
    });
    case!(
        cases,
        "3xx redirect to another host is not followed",
        async {
            let elsewhere = MockServer::start().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(201))
                .mount(&elsewhere)
                .await;
            let server = answering(
                ResponseTemplate::new(307)
                    .insert_header("location", format!("{}/api/steal", elsewhere.uri())),
            )
            .await;
            let err = create_grant(&client_of(&server.uri()))
                .await
                .expect_err("307");
            check!(api_kind(&err).map(|k| k.0) == Some(307), "{err:?}");
            let stolen = elsewhere.received_requests().await.unwrap_or_default();
            check!(
                stolen.is_empty(),
                "the session went to another host: {stolen:?}"
            );
            Ok(())
        }
    );
    case!(cases, "connection reset mid-body", async {
        let head = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"url\": \"https://vc/";
        let addr = raw(Raw::SendThenReset(head.to_vec())).await;
        let err = bundle_location(&client_of(&format!("http://{addr}")))
            .await
            .expect_err("reset");
        check!(matches!(err, CallError::Transport(_)), "{err:?}");
        Ok(())
    });
    case!(cases, "stalled server: the request timeout fires", async {
        let addr = raw(Raw::Stall).await;
        let client = client_timing_out(&format!("http://{addr}"), IDLE);
        let err = create_grant(&client).await.expect_err("timeout");
        check!(err.is_timeout(), "{err:?}");
        Ok(())
    });
    case!(cases, "server closes without answering", async {
        let addr = raw(Raw::Close).await;
        let err = create_grant(&client_of(&format!("http://{addr}")))
            .await
            .expect_err("closed");
        check!(matches!(err, CallError::Transport(_)), "{err:?}");
        Ok(())
    });
    case!(cases, "garbage instead of HTTP", async {
        let addr = raw(Raw::Send(
            b"\x16\x03\x01garbage that is not http\r\n\r\n".to_vec(),
        ))
        .await;
        let err = create_grant(&client_of(&format!("http://{addr}")))
            .await
            .expect_err("garbage");
        check!(matches!(err, CallError::Transport(_)), "{err:?}");
        Ok(())
    });
    case!(cases, "connection refused", async {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("addr").port()
        };
        let err = create_grant(&client_of(&format!("http://127.0.0.1:{port}")))
            .await
            .expect_err("refused");
        check!(matches!(err, CallError::Transport(_)), "{err:?}");
        Ok(())
    });
    case!(cases, "chunked body cut mid-chunk", async {
        let bytes = http(
            "201 Created",
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
            b"40\r\n{\"url\": \"https://vc",
        );
        let addr = raw(Raw::Send(bytes)).await;
        let err = bundle_location(&client_of(&format!("http://{addr}")))
            .await
            .expect_err("cut");
        check!(matches!(err, CallError::Transport(_)), "{err:?}");
        Ok(())
    });
    case!(cases, "huge error body is read bounded", async {
        let server =
            answering(ResponseTemplate::new(500).set_body_string("e".repeat(4 * 1024 * 1024)))
                .await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("500");
        check!(
            matches!(&err, CallError::Api(e) if e.std_error().raw_body().map(str::len) == Some(MAX_RAW_BODY)),
            "{:?}",
            api_kind(&err)
        );
        Ok(())
    });
    case!(cases, "empty success body where JSON is due", async {
        let server = answering(ResponseTemplate::new(201)).await;
        let err = bundle_location(&client_of(&server.uri()))
            .await
            .expect_err("decode");
        check!(matches!(err, CallError::Decode { .. }), "{err:?}");
        Ok(())
    });
    case!(cases, "200 where 201 is documented", async {
        let body = json!({"url": "u", "wcp_support_bundle_token": {"token": "t", "expiry": "e"}});
        let server = answering(ResponseTemplate::new(200).set_body_json(body)).await;
        bundle_location(&client_of(&server.uri()))
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(())
    });
    case!(cases, "a body on a no-content success is ignored", async {
        let server =
            answering(ResponseTemplate::new(200).set_body_json(json!({"surprise": true}))).await;
        create_grant(&client_of(&server.uri()))
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(())
    });
    case!(cases, "undocumented kind at a documented status", async {
        let server =
            answering(ResponseTemplate::new(500).set_body_json(std_error("RESOURCE_BUSY"))).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("500");
        check!(
            matches!(&err, CallError::Api(GrantError::Undocumented(e)) if e.error_type() == Some(&ErrorType::ResourceBusy)),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "a bare JSON string as error body", async {
        let server = answering(ResponseTemplate::new(403).set_body_json(json!("forbidden"))).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("403");
        check!(
            matches!(&err, CallError::Api(GrantError::Unauthorized(e)) if e.raw_body() == Some("\"forbidden\"")),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "a JSON array as error body", async {
        let server = answering(ResponseTemplate::new(404).set_body_json(json!([1, 2]))).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("404");
        check!(
            matches!(err, CallError::Api(GrantError::NotFound(_))),
            "{err:?}"
        );
        Ok(())
    });
    case!(
        cases,
        "error messages of the wrong shape, error_type readable",
        async {
            let server = answering(
                ResponseTemplate::new(400)
                    .set_body_json(json!({"error_type": "ALREADY_EXISTS", "messages": 3})),
            )
            .await;
            let err = create_grant(&client_of(&server.uri()))
                .await
                .expect_err("400");
            check!(
                matches!(err, CallError::Api(GrantError::AlreadyExists(_))),
                "{err:?}"
            );
            Ok(())
        }
    );
    case!(cases, "truncated JSON error body", async {
        let server =
            answering(ResponseTemplate::new(400).set_body_string("{\"error_type\": \"ALREADY_EX"))
                .await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("400");
        check!(
            matches!(err, CallError::Api(GrantError::InvalidArgument(_))),
            "the status decides: {err:?}"
        );
        Ok(())
    });
    case!(cases, "/rest-style wrapped error", async {
        let body = json!({"type": "com.vmware.vapi.std.errors.not_allowed_in_current_state", "value": {"messages": []}});
        let server = answering(ResponseTemplate::new(400).set_body_json(body)).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("400");
        check!(
            matches!(err, CallError::Api(GrantError::NotAllowedInCurrentState(_))),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "unknown fields in an error body", async {
        let mut body = std_error("UNSUPPORTED");
        body["vendor_extra"] = json!({"x": 1});
        let server = answering(ResponseTemplate::new(400).set_body_json(body)).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("400");
        check!(
            matches!(err, CallError::Api(GrantError::Unsupported(_))),
            "{err:?}"
        );
        Ok(())
    });

    case!(cases, "an error body over 64 KiB keeps its kind", async {
        let message = json!({"id": "big", "default_message": "x".repeat(200 * 1024), "args": []});
        let body = format!(r#"{{"messages":[{message}],"error_type":"ALREADY_EXISTS"}}"#);
        let server =
            answering(ResponseTemplate::new(400).set_body_raw(body, "application/json")).await;
        let err = create_grant(&client_of(&server.uri()))
            .await
            .expect_err("400");
        check!(
            api_kind(&err) == Some((400, Some("ALREADY_EXISTS".into()))),
            "{:?}",
            api_kind(&err)
        );
        Ok(())
    });

    cases
}

/// Login answers that are not a session id.
fn session_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    case!(cases, "login answered 503", async {
        let server =
            answering(ResponseTemplate::new(503).set_body_json(std_error("SERVICE_UNAVAILABLE")))
                .await;
        let err = client_of(&server.uri())
            .login("u", "p")
            .await
            .expect_err("503");
        check!(
            err.api().is_some_and(
                |e| e.status() == 503 && e.error_type() == Some(&ErrorType::ServiceUnavailable)
            ),
            "{err:?}"
        );
        Ok(())
    });
    case!(
        cases,
        "login answered with an object, body withheld",
        async {
            let server = answering(
                ResponseTemplate::new(201).set_body_json(json!({"session": "s3cr3t-sid"})),
            )
            .await;
            let err = client_of(&server.uri())
                .login("u", "p")
                .await
                .expect_err("decode");
            check!(
                matches!(&err, CallError::Decode { body, .. } if body == "<redacted>"),
                "{err:?}"
            );
            check!(
                !format!("{err:?}{err}").contains("s3cr3t-sid"),
                "the session id leaked"
            );
            Ok(())
        }
    );
    case!(cases, "task id answered as null", async {
        let server = answering(ResponseTemplate::new(202).set_body_json(Value::Null)).await;
        let mut spec = vsphere_api::esx::settings::depots::offline::ConnectionSpec::new(
            vsphere_api::esx::settings::depots::offline::connection_spec::AuthenticationType::Existing,
        );
        spec.host = Some("host-1".into());
        let err = client_of(&server.uri())
            .esx()
            .settings()
            .depots()
            .offline()
            .create_from_host(&spec)
            .await
            .expect_err("null");
        check!(matches!(err, CallError::Decode { .. }), "{err:?}");
        Ok(())
    });

    cases
}

/// Task polls that do not end well.
fn task_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    case!(
        cases,
        "a task that never finishes: the deadline fires",
        async {
            let server = answering(
                ResponseTemplate::new(200).set_body_json(task_info("RUNNING", json!({}))),
            )
            .await;
            let task = client_of(&server.uri()).task::<DepotExtractInfo>(TaskId::from("t-1"));
            let err = task
                .wait_with(&fast_wait(80), |_| {})
                .await
                .expect_err("deadline");
            check!(matches!(err, TaskError::DeadlinePassed { .. }), "{err:?}");
            Ok(())
        }
    );
    case!(
        cases,
        "a task status never seen before: still waiting",
        async {
            let server = answering(
                ResponseTemplate::new(200).set_body_json(task_info("SUSPENDED", json!({}))),
            )
            .await;
            let task = client_of(&server.uri()).task::<DepotExtractInfo>(TaskId::from("t-1"));
            let err = task
                .wait_with(&fast_wait(60), |_| {})
                .await
                .expect_err("deadline");
            check!(
                matches!(&err, TaskError::DeadlinePassed { last: TaskStatus::Unknown(s), .. } if s == "SUSPENDED"),
                "{err:?}"
            );
            Ok(())
        }
    );
    case!(cases, "the task is gone (404 while polling)", async {
        let server =
            answering(ResponseTemplate::new(404).set_body_json(std_error("NOT_FOUND"))).await;
        let task = client_of(&server.uri()).task::<DepotExtractInfo>(TaskId::from("t-1"));
        let err = task
            .wait_with(&fast_wait(1000), |_| {})
            .await
            .expect_err("poll");
        check!(
            matches!(&err, TaskError::Poll { source, .. } if source.api().is_some_and(|e| e.error_type() == Some(&ErrorType::NotFound))),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "FAILED without an error", async {
        let server =
            answering(ResponseTemplate::new(200).set_body_json(task_info("FAILED", json!({}))))
                .await;
        let task = client_of(&server.uri()).task::<DepotExtractInfo>(TaskId::from("t-1"));
        let err = task
            .wait_with(&fast_wait(1000), |_| {})
            .await
            .expect_err("failed");
        check!(
            matches!(err, TaskError::Failed { error: None, .. }),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "SUCCEEDED with a result of the wrong shape", async {
        let server = answering(
            ResponseTemplate::new(200)
                .set_body_json(task_info("SUCCEEDED", json!({"result": "done"}))),
        )
        .await;
        let task = client_of(&server.uri()).task::<DepotExtractInfo>(TaskId::from("t-1"));
        let err = task
            .wait_with(&fast_wait(1000), |_| {})
            .await
            .expect_err("result");
        check!(matches!(err, TaskError::Result { .. }), "{err:?}");
        Ok(())
    });

    case!(
        cases,
        "a poll answered 503 once is repeated and the wait goes on",
        async {
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(503).set_body_json(std_error("SERVICE_UNAVAILABLE")),
                )
                .up_to_n_times(1)
                .with_priority(1)
                .mount(&server)
                .await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(task_info("FAILED", json!({}))),
                )
                .mount(&server)
                .await;
            let task = client_of(&server.uri()).task::<DepotExtractInfo>(TaskId::from("t-1"));
            let options = WaitOptions {
                retries: 2,
                ..fast_wait(1000)
            };
            let err = task.wait_with(&options, |_| {}).await.expect_err("failed");
            check!(
                matches!(err, TaskError::Failed { error: None, .. }),
                "the 503 ended the wait: {err:?}"
            );
            Ok(())
        }
    );

    cases
}

/// Support-bundle streams that are cut, damaged, endless or refused.
fn download_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    case!(cases, "bundle cut in a tar header", async {
        let bundle = tar_with(2000);
        let err = download_from(Raw::Send(http("200 OK", "", &bundle[..100])), "t1")
            .await
            .expect_err("cut");
        check!(
            matches!(&err, DownloadError::Incomplete(e) if e.reason.contains("header")),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "bundle cut in a file body", async {
        let bundle = tar_with(2000);
        let err = download_from(Raw::Send(http("200 OK", "", &bundle[..1500])), "t2")
            .await
            .expect_err("cut");
        check!(
            matches!(&err, DownloadError::Incomplete(e) if e.reason.contains("data")),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "bundle with a damaged header", async {
        let mut bundle = tar_with(10);
        bundle[3] ^= 0x55;
        let err = download_from(Raw::Send(http("200 OK", "", &bundle)), "t3")
            .await
            .expect_err("checksum");
        check!(
            matches!(&err, DownloadError::Incomplete(e) if e.reason.contains("checksum")),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "bundle stream reset", async {
        let bundle = tar_with(100_000);
        let head = http(
            "200 OK",
            &format!("Content-Length: {}\r\n", bundle.len()),
            &bundle[..50_000],
        );
        let err = download_from(Raw::SendThenReset(head), "t4")
            .await
            .expect_err("reset");
        check!(
            matches!(
                err,
                DownloadError::Transport(_) | DownloadError::Incomplete(_)
            ),
            "{err:?}"
        );
        Ok(())
    });
    case!(
        cases,
        "bundle stream stalls: the idle timeout fires",
        async {
            let bundle = tar_with(100_000);
            let head = http(
                "200 OK",
                &format!("Content-Length: {}\r\n", bundle.len()),
                &bundle[..10_000],
            );
            let (outcome, _) =
                download_timing_out(Raw::SendThenStall(head), "t5", TokenForm::PostBody, IDLE)
                    .await;
            let err = outcome.expect_err("stall");
            check!(
                matches!(&err, DownloadError::Stalled { idle } if *idle == IDLE),
                "{err:?}"
            );
            Ok(())
        }
    );
    case!(
        cases,
        "download never answered: the idle timeout fires",
        async {
            let (outcome, sink) = download_timing_out(
                Raw::SendThenStall(Vec::new()),
                "t5b",
                TokenForm::PostBody,
                IDLE,
            )
            .await;
            let err = outcome.expect_err("no answer");
            check!(
                matches!(&err, DownloadError::Stalled { idle } if *idle == IDLE),
                "{err:?}"
            );
            check!(sink.is_empty(), "{} bytes written", sink.len());
            Ok(())
        }
    );
    case!(cases, "download answered 500 with HTML", async {
        let page = b"<html>Internal error</html>";
        let err = download_from(
            Raw::Send(http(
                "500 Internal Server Error",
                "Content-Type: text/html\r\n",
                page,
            )),
            "t6",
        )
        .await
        .expect_err("500");
        check!(
            matches!(&err, DownloadError::Status { status: 500, body } if body.contains("Internal error")),
            "{err:?}"
        );
        Ok(())
    });
    case!(cases, "download of an empty body", async {
        let err = download_from(
            Raw::Send(http("200 OK", "Content-Length: 0\r\n", b"")),
            "t7",
        )
        .await
        .expect_err("empty");
        check!(matches!(err, DownloadError::Incomplete(_)), "{err:?}");
        Ok(())
    });

    case!(
        cases,
        "bytes after the archive's end are neither read on nor saved",
        async {
            let bundle = tar_with(3000);
            let mut answer = bundle.clone();
            answer.extend([0xAA; 200_000]);
            let (outcome, saved) = download_into(
                Raw::Send(http("200 OK", "", &answer)),
                "t8",
                TokenForm::PostBody,
            )
            .await;
            let done = outcome.map_err(|e| format!("{e:?}"))?;
            check!(done.trailing_data, "trailing data not reported: {done:?}");
            check!(
                saved == bundle,
                "saved {} bytes for a {}-byte archive",
                saved.len(),
                bundle.len()
            );
            Ok(())
        }
    );
    case!(
        cases,
        "an archive of only end blocks is an empty bundle",
        async {
            let err = download_from(Raw::Send(http("200 OK", "", &[0u8; 1024])), "t9")
                .await
                .expect_err("empty archive");
            check!(matches!(err, DownloadError::Incomplete(_)), "{err:?}");
            Ok(())
        }
    );
    case!(cases, "a bundle over the size cap is refused", async {
        let bundle = tar_with(100_000);
        let options = DownloadOptions::new(TokenForm::PostBody).max_bytes(50_000);
        let (outcome, saved) =
            download_into(Raw::Send(http("200 OK", "", &bundle)), "t10", options).await;
        let err = outcome.expect_err("too large");
        check!(
            matches!(err, DownloadError::TooLarge { limit: 50_000 }),
            "{err:?}"
        );
        check!(saved.len() <= 50_000, "saved {} bytes", saved.len());
        Ok(())
    });

    case!(
        cases,
        "a trickling download meets its total deadline",
        async {
            let bundle = tar_with(100_000);
            let head = http(
                "200 OK",
                &format!("Content-Length: {}\r\n", bundle.len()),
                &bundle[..10_000],
            );
            let options =
                DownloadOptions::new(TokenForm::PostBody).deadline(Duration::from_millis(300));
            let (outcome, _) = download_into(Raw::SendThenStall(head), "t11", options).await;
            let err = outcome.expect_err("deadline");
            check!(
                matches!(err, DownloadError::DeadlinePassed { .. }),
                "{err:?}"
            );
            Ok(())
        }
    );

    cases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_matrix() {
    let cases: Vec<Case> = [
        operation_cases(),
        session_cases(),
        task_cases(),
        download_cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let total = cases.len();
    let (mut handled, mut panics, mut hangs) = (0, 0, 0);
    let mut failures = Vec::new();
    for (name, case) in cases {
        match tokio::time::timeout(Duration::from_secs(30), tokio::spawn(case)).await {
            Err(_) => {
                hangs += 1;
                failures.push(format!("{name}: hung"));
            }
            Ok(Err(join)) => {
                panics += 1;
                failures.push(format!("{name}: panicked: {join}"));
            }
            Ok(Ok(Err(why))) => failures.push(format!("{name}: {why}")),
            Ok(Ok(Ok(()))) => handled += 1,
        }
    }
    println!("fault matrix: {total} cases, {handled} ended in the expected typed error or tolerant decode, {panics} panics, {hangs} hangs");
    assert!(total >= 30, "the matrix has {total} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
