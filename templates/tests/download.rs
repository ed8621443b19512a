// vapigen: requires Vcenter.NamespaceManagement.SupportBundle_create
//! The support-bundle download of a per-cluster location (the generated `Location`,
//! converted into the runtime's `BundleLocation`) against a small HTTP server on 127.0.0.1.
//! The download's own cases (the GET form, a bundle cut short, a rejected or spent token,
//! the session kept from other hosts, two downloads at once) are the runtime's tests
//! (`runtime/tests/download.rs`); the 9.1 per-Supervisor location is in
//! `supervisor_support_bundles.rs`.

use std::net::SocketAddr;
use std::path::Path;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vsphere_api::vcenter::namespace_management::support_bundle::{Location, Token};
use vsphere_api::{Client, DownloadProgress, TokenForm};

use vsphere_api::mock::tar;

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

async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.expect("read");
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn ok_head(length: Option<usize>, name: &str) -> String {
    let length = length
        .map(|l| format!("Content-Length: {l}\r\n"))
        .unwrap_or_default();
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/tar\r\nContent-Disposition: attachment; filename={name}\r\n{length}Connection: close\r\n\r\n"
    )
}

fn location(addr: SocketAddr, host: &str, token: &str) -> Location {
    Location::new(
        format!("http://{host}:{}/wcp/support-bundle", addr.port()),
        Token::new(token.into(), "2026-11-22T23:05:00Z".into()),
    )
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
