//! The support-bundle download against a small HTTP server on 127.0.0.1 that can cut a
//! stream short, as vCenter does when it aborts a bundle.

use std::net::SocketAddr;
use std::path::Path;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use vapi_runtime::{
    file_name_of, BundleLocation, Client, DownloadError, DownloadProgress, Downloaded, TokenForm,
    DEFAULT_FILE_NAME,
};

mod support;
use support::{read_request, tar};

const BLOCK: usize = 512;

/// Serves one connection: reads the request, answers `head` then `body`, and closes.
/// Returns the address and a handle giving the raw request.
async fn serve_once(head: String, body: Vec<u8>) -> (SocketAddr, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let request = read_request(&mut socket).await;
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&body).await;
        let _ = socket.shutdown().await;
        request
    });
    (addr, handle)
}

fn ok_head(length: Option<usize>, name: &str) -> String {
    let length = length
        .map(|l| format!("Content-Length: {l}\r\n"))
        .unwrap_or_default();
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/tar\r\nContent-Disposition: attachment; filename={name}\r\n{length}Connection: close\r\n\r\n"
    )
}

fn location(addr: SocketAddr, host: &str, token: &str) -> BundleLocation {
    BundleLocation::new(
        format!("http://{host}:{}/wcp/support-bundle", addr.port()),
        token,
    )
}

/// A generated crate's location type, converted as the generated `From` does.
struct Location {
    url: String,
    token: String,
}

impl From<Location> for BundleLocation {
    fn from(location: Location) -> Self {
        BundleLocation::new(location.url, location.token)
    }
}

fn client(addr: SocketAddr) -> Client {
    Client::builder(format!("http://127.0.0.1:{}", addr.port()))
        .session_id("sid-download")
        .build()
        .expect("client")
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
async fn complete_bundle_is_saved_under_the_server_name() {
    let bundle = tar(&[("wcp/kube-apiserver.log", 70_000), ("wcp/etcd.log", 1_000)]);
    let name = "wcp-support-bundle-domain-c8-2026-11-22.tar";
    let (addr, request) = serve_once(ok_head(Some(bundle.len()), name), bundle.clone()).await;
    let dir = tempfile::tempdir().expect("dir");
    let mut progress: Vec<DownloadProgress> = Vec::new();
    let done = client(addr)
        .download_support_bundle_to_dir(
            location(addr, "127.0.0.1", "tok-once"),
            TokenForm::PostBody,
            dir.path(),
            |p| progress.push(p),
        )
        .await
        .expect("downloads");
    assert_eq!(done.file_name.as_deref(), Some(name));
    assert_eq!((done.bytes, done.entries), (bundle.len() as u64, 2));
    assert_eq!(std::fs::read(dir.path().join(name)).expect("saved"), bundle);
    assert_eq!(files_in(dir.path()), [name], "no partial file is left");
    let last = progress.last().expect("progress reported");
    assert_eq!(
        (last.bytes, last.total),
        (bundle.len() as u64, Some(bundle.len() as u64))
    );

    let request = request.await.expect("request");
    assert!(
        request.starts_with("POST /wcp/support-bundle HTTP/1.1\r\n"),
        "{request}"
    );
    let lower = request.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: application/json\r\n"),
        "{request}"
    );
    assert!(
        lower.contains("vmware-api-session-id: sid-download\r\n"),
        "same host: the session goes along"
    );
    assert!(
        request.ends_with(r#"{"wcp-support-bundle-token":"tok-once"}"#),
        "{request}"
    );
}

#[tokio::test]
async fn get_form_sends_the_token_in_a_header() {
    let bundle = tar(&[("a.log", 10)]);
    let (addr, request) = serve_once(ok_head(Some(bundle.len()), "b.tar"), bundle.clone()).await;
    let mut out = Vec::new();
    let done = client(addr)
        .download_support_bundle(
            location(addr, "127.0.0.1", "tok-get"),
            TokenForm::GetHeader,
            &mut out,
            |_| {},
        )
        .await
        .expect("downloads");
    assert_eq!(out, bundle);
    assert_eq!(done.file_name.as_deref(), Some("b.tar"));
    let request = request.await.expect("request");
    assert!(
        request.starts_with("GET /wcp/support-bundle HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("wcp-support-bundle-token: tok-get\r\n"),
        "{request}"
    );
    assert!(request.ends_with("\r\n\r\n"), "no body: {request}");
}

#[tokio::test]
async fn a_generated_location_type_converts_and_no_name_gives_the_default() {
    let bundle = tar(&[("a.log", 10)]);
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        bundle.len()
    );
    let (addr, request) = serve_once(head, bundle.clone()).await;
    let dir = tempfile::tempdir().expect("dir");
    let done = client(addr)
        .download_support_bundle_to_dir(
            Location {
                url: format!("http://127.0.0.1:{}/wcp/support-bundle", addr.port()),
                token: "tok-generated".into(),
            },
            TokenForm::PostBody,
            dir.path(),
            |_| {},
        )
        .await
        .expect("downloads");
    assert_eq!(done.file_name, None);
    assert_eq!(done.path, Some(dir.path().join(DEFAULT_FILE_NAME)));
    assert_eq!(files_in(dir.path()), [DEFAULT_FILE_NAME]);
    let request = request.await.expect("request");
    assert!(
        request.ends_with(r#"{"wcp-support-bundle-token":"tok-generated"}"#),
        "{request}"
    );
}

#[tokio::test]
async fn a_server_name_pointing_elsewhere_is_made_safe() {
    let bundle = tar(&[("a.log", 10)]);
    let (addr, _) = serve_once(
        ok_head(Some(bundle.len()), "../../etc/cron.d/.evil.tar"),
        bundle,
    )
    .await;
    let dir = tempfile::tempdir().expect("dir");
    let done = client(addr)
        .download_support_bundle_to_dir(
            location(addr, "127.0.0.1", "tok-evil"),
            TokenForm::PostBody,
            dir.path(),
            |_| {},
        )
        .await
        .expect("downloads");
    assert_eq!(done.file_name.as_deref(), Some("evil.tar"));
    assert_eq!(files_in(dir.path()), ["evil.tar"]);
    assert_eq!(
        file_name_of(r#"attachment; filename="C:\x\b.tar""#).as_deref(),
        Some("b.tar")
    );
}

#[tokio::test]
async fn another_status_keeps_the_body() {
    let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\n"
        .to_owned();
    let (addr, _) = serve_once(head, b"busy".to_vec()).await;
    let mut out = Vec::new();
    let err = client(addr)
        .download_support_bundle(
            location(addr, "127.0.0.1", "tok-503"),
            TokenForm::GetHeader,
            &mut out,
            |_| {},
        )
        .await
        .expect_err("503");
    assert!(
        matches!(&err, DownloadError::Status { status: 503, body } if body == "busy"),
        "{err:?}"
    );
    assert!(!format!("{err:?} {err}").contains("tok-503"));
}

#[tokio::test]
async fn a_bundle_cut_short_is_an_error_and_leaves_no_file() {
    let bundle = tar(&[("wcp/kube-apiserver.log", 70_000)]);
    // No Content-Length: the body ends when the server closes, as an aborted bundle does.
    for cut in [300, 20_000, bundle.len() - 2 * BLOCK] {
        let (addr, _) = serve_once(ok_head(None, "cut.tar"), bundle[..cut].to_vec()).await;
        let dir = tempfile::tempdir().expect("dir");
        let err = client(addr)
            .download_support_bundle_to_dir(
                location(addr, "127.0.0.1", "tok-cut"),
                TokenForm::PostBody,
                dir.path(),
                |_| {},
            )
            .await
            .expect_err("incomplete");
        assert!(
            matches!(err, DownloadError::Incomplete(_)),
            "cut at {cut}: {err:?}"
        );
        assert!(
            files_in(dir.path()).is_empty(),
            "cut at {cut}: {:?}",
            files_in(dir.path())
        );
    }
}

#[tokio::test]
async fn a_rejected_token_is_its_own_error() {
    let head =
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned();
    let (addr, _) = serve_once(head, Vec::new()).await;
    let mut out = Vec::new();
    let err = client(addr)
        .download_support_bundle(
            location(addr, "127.0.0.1", "tok-bad"),
            TokenForm::PostBody,
            &mut out,
            |_| {},
        )
        .await
        .expect_err("401");
    assert!(matches!(err, DownloadError::TokenRejected), "{err:?}");
    assert!(out.is_empty());
}

#[tokio::test]
async fn a_spent_token_is_never_sent_twice() {
    let bundle = tar(&[("a.log", 10)]);
    let (addr, _) = serve_once(ok_head(Some(bundle.len()), "b.tar"), bundle).await;
    let api = client(addr);
    let mut out = Vec::new();
    api.download_support_bundle(
        location(addr, "127.0.0.1", "tok-twice"),
        TokenForm::PostBody,
        &mut out,
        |_| {},
    )
    .await
    .expect("first use");
    // The server is gone; a second attempt must fail before any connection is tried.
    let err = api
        .download_support_bundle(
            location(addr, "127.0.0.1", "tok-twice"),
            TokenForm::PostBody,
            &mut out,
            |_| {},
        )
        .await
        .expect_err("second use");
    assert!(matches!(err, DownloadError::TokenSpent), "{err:?}");
}

#[tokio::test]
async fn the_session_does_not_go_to_another_host() {
    let bundle = tar(&[("a.log", 10)]);
    let (addr, request) = serve_once(ok_head(Some(bundle.len()), "b.tar"), bundle).await;
    let mut out = Vec::new();
    // `localhost` is another origin than the client's `127.0.0.1`; as a host name, it is
    // not trusted to be the loopback, so plain HTTP to it is allowed by name.
    Client::builder(format!("http://127.0.0.1:{}", addr.port()))
        .session_id("sid-download")
        .dangerously_allow_http()
        .build()
        .expect("client")
        .download_support_bundle(
            location(addr, "localhost", "tok-other"),
            TokenForm::PostBody,
            &mut out,
            |_| {},
        )
        .await
        .expect("downloads");
    let request = request.await.expect("request").to_ascii_lowercase();
    assert!(!request.contains("vmware-api-session-id"), "{request}");
}

#[tokio::test]
async fn two_downloads_at_once_keep_their_own_bytes_and_never_overwrite() {
    let first = tar(&[("first.log", 3000)]);
    let second = tar(&[("second.log", 1000)]);
    let (addr_a, _) = serve_once(ok_head(Some(first.len()), "same.tar"), first.clone()).await;
    let (addr_b, _) = serve_once(ok_head(Some(second.len()), "same.tar"), second.clone()).await;
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("same.tar"), b"an earlier bundle").expect("write");
    let (client_a, client_b) = (client(addr_a), client(addr_b));
    let (a, b) = tokio::join!(
        client_a.download_support_bundle_to_dir(
            location(addr_a, "127.0.0.1", "tok-a"),
            TokenForm::PostBody,
            dir.path(),
            |_| {}
        ),
        client_b.download_support_bundle_to_dir(
            location(addr_b, "127.0.0.1", "tok-b"),
            TokenForm::PostBody,
            dir.path(),
            |_| {}
        ),
    );
    let (a, b) = (a.expect("first"), b.expect("second"));
    let read = |d: &Downloaded| std::fs::read(d.path.as_ref().expect("path")).expect("saved");
    assert_eq!(read(&a), first);
    assert_eq!(read(&b), second);
    assert_ne!(a.path, b.path);
    assert_eq!(
        std::fs::read(dir.path().join("same.tar")).expect("kept"),
        b"an earlier bundle"
    );
    assert_eq!(
        files_in(dir.path()),
        ["same-2.tar", "same-3.tar", "same.tar"]
    );
}
