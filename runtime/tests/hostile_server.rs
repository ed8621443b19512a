//! What a hostile or broken server, a wrong password and careless settings can still do to
//! the client, one named test per case (issue 14's second round). Each case failed before
//! its fix; the servers run on 127.0.0.1.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use vapi_runtime::codegen::{Call, Method};
use vapi_runtime::{
    BuildError, BundleLocation, CallError, Client, DownloadError, DownloadOptions, ErrorType,
    StdError, Task, TaskError, TokenForm, WaitOptions,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
mod support;
use support::{read_request, tar};

/// What a raw server sends after its answer's head and body.
#[derive(Clone, Copy)]
enum Tail {
    /// Nothing: the connection closes.
    Close,
    /// This byte, without end, until the client hangs up.
    Endless(u8),
    /// The body one byte at a time, this far apart.
    Trickle(Duration),
}

/// Serves one connection: the request is read, then `head`, `body` and the `tail` are
/// written. Gives the address, the raw request, and how many tail bytes the client took.
async fn serve(
    head: String,
    body: Vec<u8>,
    tail: Tail,
) -> (SocketAddr, tokio::task::JoinHandle<String>, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let tail_sent = Arc::new(AtomicU64::new(0));
    let counter = tail_sent.clone();
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let request = read_request(&mut socket).await;
        let _ = socket.write_all(head.as_bytes()).await;
        match tail {
            Tail::Close => {
                let _ = socket.write_all(&body).await;
            }
            Tail::Endless(byte) => {
                let _ = socket.write_all(&body).await;
                let chunk = vec![byte; 64 * 1024];
                while socket.write_all(&chunk).await.is_ok() {
                    counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                }
            }
            Tail::Trickle(every) => {
                for b in body {
                    if socket.write_all(&[b]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(every).await;
                }
            }
        }
        let _ = socket.shutdown().await;
        request
    });
    (addr, handle, tail_sent)
}

fn head(name: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/tar\r\nContent-Disposition: attachment; filename={name}\r\nConnection: close\r\n\r\n"
    )
}

fn client(addr: SocketAddr) -> Client {
    Client::builder(format!("http://127.0.0.1:{}", addr.port()))
        .session_id("sid")
        .build()
        .expect("client")
}

fn location(addr: SocketAddr, token: &str) -> BundleLocation {
    BundleLocation::new(
        format!("http://127.0.0.1:{}/wcp/support-bundle", addr.port()),
        token,
    )
}

async fn download(
    addr: SocketAddr,
    token: &str,
    options: impl Into<DownloadOptions>,
) -> (Result<vapi_runtime::Downloaded, DownloadError>, Vec<u8>) {
    let mut out = Vec::new();
    let outcome = client(addr)
        .download_support_bundle(location(addr, token), options, &mut out, |_| {})
        .await;
    (outcome, out)
}

// ---- 2. A bundle download without end ----

#[tokio::test]
async fn garbage_after_the_archive_is_neither_read_on_nor_saved() {
    let bundle = tar(&[("a.log", 3000)]);
    let (addr, _, tail) = serve(head("b.tar"), bundle.clone(), Tail::Endless(0xAA)).await;
    let started = Instant::now();
    let (outcome, saved) = download(addr, "tok-garbage", TokenForm::PostBody).await;
    let done = outcome.expect("the archive itself is complete");
    assert_eq!(saved, bundle, "bytes accepted after the archive's end: 0");
    assert_eq!(done.bytes, bundle.len() as u64);
    assert!(done.trailing_data);
    assert!(started.elapsed() < Duration::from_secs(5));
    // The server could write at most what sits in the socket buffers before the hang-up.
    assert!(tail.load(Ordering::Relaxed) < 64 * 1024 * 1024);
}

#[tokio::test]
async fn endless_zeros_after_the_archive_are_taken_only_to_the_end_of_its_record() {
    let bundle = tar(&[("a.log", 3000)]);
    let (addr, _, _) = serve(head("b.tar"), bundle.clone(), Tail::Endless(0)).await;
    let (outcome, saved) = download(addr, "tok-zeros", TokenForm::PostBody).await;
    outcome.expect("complete");
    assert_eq!(saved.len(), bundle.len().next_multiple_of(10240));
    assert!(saved[bundle.len()..].iter().all(|b| *b == 0));
}

#[tokio::test]
async fn a_bundle_over_the_size_cap_is_refused() {
    let bundle = tar(&[("a.log", 100_000)]);
    let (addr, _, _) = serve(head("b.tar"), bundle, Tail::Close).await;
    let options = DownloadOptions::new(TokenForm::PostBody).max_bytes(50_000);
    let (outcome, saved) = download(addr, "tok-cap", options).await;
    let err = outcome.expect_err("too large");
    assert!(
        matches!(err, DownloadError::TooLarge { limit: 50_000 }),
        "{err:?}"
    );
    assert!(saved.len() <= 50_000);
}

#[tokio::test]
async fn a_trickling_server_meets_the_total_deadline() {
    let bundle = tar(&[("a.log", 10)]);
    let (addr, _, _) = serve(
        head("b.tar"),
        bundle,
        Tail::Trickle(Duration::from_millis(20)),
    )
    .await;
    let options = DownloadOptions::new(TokenForm::PostBody).deadline(Duration::from_millis(300));
    let started = Instant::now();
    let (outcome, _) = download(addr, "tok-trickle", options).await;
    let err = outcome.expect_err("deadline");
    assert!(
        matches!(err, DownloadError::DeadlinePassed { .. }),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_archive_of_only_end_blocks_is_an_empty_bundle_and_an_error() {
    let (addr, _, _) = serve(head("b.tar"), vec![0; 1024], Tail::Close).await;
    let (outcome, _) = download(addr, "tok-empty", TokenForm::PostBody).await;
    let err = outcome.expect_err("empty");
    let DownloadError::Incomplete(tar) = &err else {
        panic!("{err:?}")
    };
    assert!(tar.reason.contains("no entries"), "{tar}");
}

// ---- 3. A complete bundle deleted ----

#[tokio::test]
async fn a_file_name_over_255_bytes_keeps_the_complete_bundle_under_a_shorter_name() {
    let bundle = tar(&[("a.log", 100)]);
    let long = format!("{}.tar", "n".repeat(400));
    let (addr, _, _) = serve(head(&long), bundle.clone(), Tail::Close).await;
    let dir = tempfile::tempdir().expect("dir");
    let done = client(addr)
        .download_support_bundle_to_dir(
            location(addr, "tok-long"),
            TokenForm::PostBody,
            dir.path(),
            |_| {},
        )
        .await
        .expect("saved");
    let path = done.path.expect("a path");
    let name = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(name.len() <= 255 && name.ends_with(".tar"), "{name}");
    assert_eq!(std::fs::read(&path).expect("bundle"), bundle);
}

// ---- 4. Credentials in clear text ----

#[test]
fn an_http_server_url_off_the_loopback_is_refused_unless_allowed_by_name() {
    let err = Client::builder("http://vc.example.com")
        .build()
        .expect_err("clear text");
    assert!(matches!(err, BuildError::InsecureUrl), "{err:?}");
    Client::builder("http://vc.example.com")
        .dangerously_allow_http()
        .build()
        .expect("opted in");
    for loopback in ["http://127.0.0.1:8080", "http://[::1]:8080"] {
        Client::builder(loopback).build().expect(loopback);
    }
}

#[tokio::test]
async fn the_token_is_not_sent_to_an_http_download_url_off_the_loopback() {
    let client = Client::builder("https://vc.example.com")
        .build()
        .expect("client");
    // 192.0.2.1 is a documentation address: nothing answers there, and nothing is tried.
    let location = BundleLocation::new("http://192.0.2.1/wcp/support-bundle", "tok-clear");
    for _ in 0..2 {
        let mut out = Vec::new();
        let err = client
            .download_support_bundle(location.clone(), TokenForm::PostBody, &mut out, |_| {})
            .await
            .expect_err("refused");
        // Refused before the token is spent: the same error twice, not `TokenSpent`.
        assert!(matches!(err, DownloadError::InsecureUrl), "{err:?}");
    }
}

// ---- 9. Credentials from a server-sent URL ----

#[tokio::test]
async fn a_user_and_password_in_a_download_url_are_never_sent() {
    let bundle = tar(&[("a.log", 10)]);
    let (addr, request, _) = serve(head("b.tar"), bundle, Tail::Close).await;
    let mut out = Vec::new();
    let location = BundleLocation::new(
        format!(
            "http://sim:s3cret@127.0.0.1:{}/wcp/support-bundle",
            addr.port()
        ),
        "tok-userinfo",
    );
    client(addr)
        .download_support_bundle(location, TokenForm::PostBody, &mut out, |_| {})
        .await
        .expect("downloads");
    let request = request.await.expect("request").to_ascii_lowercase();
    assert!(!request.contains("authorization"), "{request}");
    assert!(!request.contains("s3cret"), "{request}");
}

// ---- 10. Wire details ----

#[tokio::test]
async fn a_post_without_a_body_says_content_length_zero() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/things/t-1"))
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = common::client_with(&server, &common::CIS, "sid");
    let call = Call::new(
        "Things_start",
        Method::POST,
        "/things/{thing}",
        "/things/t-1".into(),
    )
    .query("action", "start");
    client
        .send::<StdError>(call)
        .await
        .expect("answered: the header was sent");
}

// ---- 7. Error kind lost on a long body ----

#[tokio::test]
async fn a_long_error_body_keeps_its_kind() {
    for (size, kind_first) in [
        (200 * 1024, false),
        (3 * 1024 * 1024, false),
        (3 * 1024 * 1024, true),
    ] {
        let server = MockServer::start().await;
        let message = json!({"id": "big", "default_message": "x".repeat(size), "args": []});
        let body = if kind_first {
            format!(r#"{{"error_type":"ALREADY_EXISTS","messages":[{message}]}}"#)
        } else {
            format!(r#"{{"messages":[{message}],"error_type":"ALREADY_EXISTS"}}"#)
        };
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(400).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let client = common::client_with(&server, &common::CIS, "sid");
        let call = Call::new("Things_get", Method::GET, "/things", "/things".into());
        let err = client.send::<StdError>(call).await.expect_err("400");
        let std = err.api().expect("the standard error");
        assert_eq!(
            std.error_type(),
            Some(&ErrorType::AlreadyExists),
            "{size} bytes, kind first: {kind_first}"
        );
        assert!(std.error_type_was_sent());
    }
}

// ---- 6. Errors that hide their cause ----

/// The error and its causes, one line each, as `anyhow` prints them with `{:#}`.
fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut lines = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(e) = cause {
        lines.push(e.to_string());
        cause = e.source();
    }
    lines
}

/// No line of the chain repeats a later one.
fn says_each_thing_once(lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        for later in &lines[i + 1..] {
            assert!(
                !line.contains(later.as_str()),
                "{line:?} repeats {later:?}: {lines:#?}"
            );
        }
    }
}

#[tokio::test]
async fn a_refused_connection_says_what_failed_and_its_cause_once_each() {
    // A port nothing listens on: bound, then dropped.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("client");
    let call = Call::new("Things_get", Method::GET, "/things", "/things".into());
    let err = client.send::<StdError>(call).await.expect_err("refused");
    let lines = chain(&err);
    assert_eq!(lines[0], "could not connect to the server", "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.to_ascii_lowercase().contains("connection refused")),
        "the socket's error is in the chain: {lines:#?}"
    );
    says_each_thing_once(&lines);
}

#[tokio::test]
async fn a_refusal_by_the_server_says_its_message_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(common::std_error("NOT_FOUND", "Cluster domain-c8 is gone.")),
        )
        .mount(&server)
        .await;
    let client = common::client_with(&server, &common::CIS, "sid");
    let call = Call::new("Things_get", Method::GET, "/things", "/things".into());
    let err = client.send::<StdError>(call).await.expect_err("404");
    let lines = chain(&err);
    let all = lines.join(": ");
    assert_eq!(
        all.matches("Cluster domain-c8 is gone.").count(),
        1,
        "{lines:#?}"
    );
    says_each_thing_once(&lines);
}

// ---- 5. Task waits that die or spin ----

fn task(server: &MockServer) -> Task<String> {
    Task::new(common::client_with(server, &common::CIS, "sid"), "task-1")
}

fn options(retries: u32) -> WaitOptions {
    WaitOptions {
        interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(20),
        retries,
        ..WaitOptions::default()
    }
}

#[tokio::test]
async fn a_poll_answered_503_or_429_is_repeated_and_the_wait_goes_on() {
    let server = MockServer::start().await;
    for status in [503, 429] {
        Mock::given(method("GET"))
            .and(path("/api/cis/tasks/task-1"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/api/cis/tasks/task-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "SUCCEEDED", "result": "done"})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let result = task(&server)
        .wait_with(&options(3), |_| {})
        .await
        .expect("retried");
    assert_eq!(result, "done");
    assert_eq!(common::requests(&server).await.len(), 3);
}

#[tokio::test]
async fn retries_are_bounded_and_a_refusal_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = task(&server)
        .wait_with(&options(2), |_| {})
        .await
        .expect_err("gives up");
    assert!(matches!(err, TaskError::Poll { .. }), "{err:?}");
    assert_eq!(
        common::requests(&server).await.len(),
        3,
        "one poll and two retries"
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(common::std_error("NOT_FOUND", "gone")),
        )
        .mount(&server)
        .await;
    task(&server)
        .wait_with(&options(5), |_| {})
        .await
        .expect_err("not transient");
    assert_eq!(common::requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_lost_connection_while_polling_is_retried() {
    // The first connection is accepted and dropped; the second answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.expect("accept");
        drop(socket);
        let (mut socket, _) = listener.accept().await.expect("accept");
        read_request(&mut socket).await;
        let body = r#"{"status":"SUCCEEDED","result":"after reset"}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    });
    let client = vapi_runtime::ClientBuilder::<Client>::new(
        format!("http://127.0.0.1:{}", addr.port()),
        &common::CIS,
    )
    .session_id("sid")
    .build()
    .expect("client");
    let result: String = Task::new(client, "task-1")
        .wait_with(&options(3), |_| {})
        .await
        .expect("retried after the reset");
    assert_eq!(result, "after reset");
}

#[tokio::test]
async fn wait_options_that_would_spin_or_panic_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let cases = [
        (
            "interval 0",
            WaitOptions {
                interval: Duration::ZERO,
                ..options(0)
            },
        ),
        (
            "interval MAX",
            WaitOptions {
                interval: Duration::MAX,
                max_interval: Duration::MAX,
                ..options(0)
            },
        ),
        (
            "backoff inf",
            WaitOptions {
                backoff: f64::INFINITY,
                ..options(0)
            },
        ),
        (
            "backoff NaN",
            WaitOptions {
                backoff: f64::NAN,
                ..options(0)
            },
        ),
        (
            "backoff 0.5",
            WaitOptions {
                backoff: 0.5,
                ..options(0)
            },
        ),
        (
            "max under interval",
            WaitOptions {
                max_interval: Duration::from_millis(1),
                ..options(0)
            },
        ),
    ];
    for (name, options) in cases {
        let err = task(&server)
            .wait_with(&options, |_| {})
            .await
            .expect_err(name);
        assert!(matches!(err, TaskError::Options(_)), "{name}: {err:?}");
    }
    assert!(common::requests(&server).await.is_empty());
    // A deadline of Duration::MAX is fine: it is a bound, not an interval.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "SUCCEEDED", "result": "ok"})),
        )
        .mount(&server)
        .await;
    let options = WaitOptions {
        deadline: Some(Duration::MAX),
        ..options(0)
    };
    assert_eq!(
        task(&server).wait_with(&options, |_| {}).await.expect("ok"),
        "ok"
    );
}

#[tokio::test]
async fn a_slow_poll_does_not_overrun_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "RUNNING"}))
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let options = WaitOptions {
        deadline: Some(Duration::from_millis(300)),
        ..options(3)
    };
    let started = Instant::now();
    let err = task(&server)
        .wait_with(&options, |_| {})
        .await
        .expect_err("deadline");
    assert!(matches!(err, TaskError::DeadlinePassed { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

// ---- 8. `http_client(own)` ----

#[test]
fn an_own_http_client_is_named_dangerously_and_refuses_settings_it_would_ignore() {
    let err = Client::builder("https://vc.example.com")
        .dangerously_use_http_client(reqwest::Client::new())
        .add_root_certificate(Vec::new())
        .build()
        .expect_err("ignored");
    assert!(
        matches!(
            err,
            BuildError::IgnoredByOwnClient {
                setting: "add_root_certificate"
            }
        ),
        "{err:?}"
    );
}

#[test]
fn what_people_bring_their_own_client_for_is_on_the_builder() {
    Client::builder("https://vc.example.com")
        .proxy("http://proxy.example.com:3128")
        .local_address(std::net::IpAddr::from([127, 0, 0, 1]))
        .http1_only()
        .tcp_keepalive(Duration::from_secs(30))
        .build()
        .expect("configured");
    let err = Client::builder("https://vc.example.com")
        .client_certificate(b"not a pem".to_vec())
        .build()
        .expect_err("no certificate");
    assert!(
        matches!(err, BuildError::ClientCertificate { .. }),
        "{err:?}"
    );
}

#[allow(dead_code)]
fn error_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<CallError<StdError>>();
}
