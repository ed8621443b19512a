//! TLS against a server on 127.0.0.1 with a certificate made here: verification is on by
//! default, a CA can be trusted, a certificate can be pinned by its SHA-256 fingerprint,
//! and the opt-out is explicit.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use vapi_runtime::codegen::{Call, Method};
use vapi_runtime::{CallError, Client, Fingerprint, StdError};

struct Pki {
    ca_pem: String,
    leaf_der: Vec<u8>,
    leaf_key_der: Vec<u8>,
}

/// A CA ("the VMCA") and a server certificate for 127.0.0.1 that it signed.
fn pki() -> Pki {
    let ca_key = rcgen::KeyPair::generate().expect("key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "vapigen test VMCA");
    let ca = ca_params.self_signed(&ca_key).expect("ca");
    let leaf_key = rcgen::KeyPair::generate().expect("key");
    let leaf_params =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("params");
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca, &ca_key)
        .expect("leaf");
    Pki {
        ca_pem: ca.pem(),
        leaf_der: leaf.der().to_vec(),
        leaf_key_der: leaf_key.serialize_der(),
    }
}

/// An HTTPS server that answers any request with `{"ok": true}`; each request it read
/// arrives on the receiver (a refused handshake sends nothing).
async fn https_server(pki: &Pki) -> (SocketAddr, mpsc::UnboundedReceiver<String>) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(pki.leaf_der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.leaf_key_der.clone())),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (seen, received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to serve.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let n = tls.read(&mut buf).await.unwrap_or(0);
                let _ = seen.send(String::from_utf8_lossy(&buf[..n]).into_owned());
                let body = r#"{"ok": true}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (addr, received)
}

fn url(addr: SocketAddr) -> String {
    format!("https://127.0.0.1:{}", addr.port())
}

/// `GET /ping`, decoded as JSON.
async fn ping(client: &Client) -> Result<serde_json::Value, CallError<StdError>> {
    let call = Call::new("Test.Ping_get", Method::GET, "/ping", "/ping".into());
    client.send::<StdError>(call).await?.json()
}

#[tokio::test]
async fn the_default_client_refuses_an_unknown_ca() {
    let pki = pki();
    let (addr, mut received) = https_server(&pki).await;
    let client = Client::builder(url(addr))
        .session_id("sid")
        .build()
        .expect("client");
    let err = ping(&client).await.expect_err("untrusted");
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(
        received.try_recv().is_err(),
        "no request crossed the refused handshake"
    );
}

#[tokio::test]
async fn trusting_the_ca_works() {
    let pki = pki();
    let (addr, mut received) = https_server(&pki).await;
    let client = Client::builder(url(addr))
        .add_root_certificate(pki.ca_pem.clone())
        .session_id("sid")
        .build()
        .expect("client");
    let answer = ping(&client).await.expect("trusted");
    assert_eq!(answer, serde_json::json!({"ok": true}));
    let request = received.recv().await.expect("the request arrived");
    assert!(
        request.starts_with("GET /api/ping HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request.contains("vmware-api-session-id: sid\r\n"),
        "{request}"
    );
}

#[tokio::test]
async fn pinning_the_fingerprint_works_and_a_wrong_pin_refuses() {
    let pki = pki();
    let (addr, mut received) = https_server(&pki).await;
    let pin = format!("{:?}", Fingerprint::of(&pki.leaf_der));
    assert_eq!(pin.len(), 95, "AB:CD:... as openssl prints it: {pin}");
    let client = Client::builder(url(addr))
        .pin_certificate_sha256(pin)
        .session_id("sid")
        .build()
        .expect("client");
    ping(&client).await.expect("pinned");
    assert!(received
        .recv()
        .await
        .expect("request")
        .starts_with("GET /api/ping "));

    let wrong = "00".repeat(32);
    let client = Client::builder(url(addr))
        .pin_certificate_sha256(wrong)
        .session_id("sid")
        .build()
        .expect("client");
    let err = ping(&client).await.expect_err("wrong pin");
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(
        received.try_recv().is_err(),
        "nothing was sent past the wrong pin"
    );

    let err = Client::builder(url(addr))
        .pin_certificate_sha256("not-hex")
        .build()
        .expect_err("bad pin");
    assert!(err.to_string().contains("SHA-256 fingerprint"), "{err}");
}

#[tokio::test]
async fn the_explicit_opt_out_accepts_anything() {
    let pki = pki();
    let (addr, mut received) = https_server(&pki).await;
    let client = Client::builder(url(addr))
        .dangerously_skip_tls_verification()
        .session_id("sid")
        .build()
        .expect("client");
    ping(&client).await.expect("accepted");
    assert!(received
        .recv()
        .await
        .expect("request")
        .starts_with("GET /api/ping "));
}

#[tokio::test]
async fn settings_an_own_http_client_would_ignore_are_refused_by_name() {
    let own = || reqwest::Client::new();
    let cases: [(&str, Setting); 5] = [
        ("dangerously_skip_tls_verification", |b| {
            b.dangerously_skip_tls_verification()
        }),
        ("pin_certificate_sha256", |b| {
            b.pin_certificate_sha256("AB".repeat(32))
        }),
        ("proxy", |b| b.proxy("http://proxy:3128")),
        ("client_certificate", |b| b.client_certificate(Vec::new())),
        ("connect_timeout", |b| {
            b.connect_timeout(std::time::Duration::from_secs(1))
        }),
    ];
    for (setting, set) in cases {
        let builder = Client::builder("https://vc.example.com").dangerously_use_http_client(own());
        let err = set(builder).build().expect_err(setting);
        assert!(
            matches!(err, vapi_runtime::BuildError::IgnoredByOwnClient { setting: s } if s == setting),
            "{setting}: {err:?}"
        );
    }
    // Alone, the own client is used.
    Client::builder("https://vc.example.com")
        .dangerously_use_http_client(own())
        .build()
        .expect("own client");
}

type ClientBuilderOf = vapi_runtime::ClientBuilder<Client>;

/// A builder method, applied.
type Setting = fn(ClientBuilderOf) -> ClientBuilderOf;
