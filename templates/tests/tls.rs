//! TLS against a server on 127.0.0.1 with a certificate made here: verification is on by
//! default, a CA can be trusted, a certificate can be pinned by its SHA-256 fingerprint,
//! and the opt-out is explicit.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vsphere_api::{Client, Error, Fingerprint};

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

/// An HTTPS server that answers `GET /api/session` with a session's info.
async fn https_server(pki: &Pki) -> SocketAddr {
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
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to serve.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"user": "VSPHERE.LOCAL\\admin", "created_time": "2026-11-22T22:00:00Z", "last_accessed_time": "2026-11-22T22:00:00Z"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

fn url(addr: SocketAddr) -> String {
    format!("https://127.0.0.1:{}", addr.port())
}

#[tokio::test]
async fn the_default_client_refuses_an_unknown_ca() {
    let pki = pki();
    let addr = https_server(&pki).await;
    let client = Client::builder(url(addr))
        .session_id("sid")
        .build()
        .expect("client");
    let err = client.session_info().await.expect_err("untrusted");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn trusting_the_ca_works() {
    let pki = pki();
    let addr = https_server(&pki).await;
    let client = Client::builder(url(addr))
        .add_root_certificate(pki.ca_pem.clone())
        .session_id("sid")
        .build()
        .expect("client");
    let info = client.session_info().await.expect("trusted");
    assert_eq!(info.user, "VSPHERE.LOCAL\\admin");
}

#[tokio::test]
async fn pinning_the_fingerprint_works_and_a_wrong_pin_refuses() {
    let pki = pki();
    let addr = https_server(&pki).await;
    let pin = format!("{:?}", Fingerprint::of(&pki.leaf_der));
    assert_eq!(pin.len(), 95, "AB:CD:... as openssl prints it: {pin}");
    let client = Client::builder(url(addr))
        .pin_certificate_sha256(pin)
        .session_id("sid")
        .build()
        .expect("client");
    client.session_info().await.expect("pinned");

    let wrong = "00".repeat(32);
    let client = Client::builder(url(addr))
        .pin_certificate_sha256(wrong)
        .session_id("sid")
        .build()
        .expect("client");
    let err = client.session_info().await.expect_err("wrong pin");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");

    let err = Client::builder(url(addr))
        .pin_certificate_sha256("not-hex")
        .build()
        .expect_err("bad pin");
    assert!(err.to_string().contains("SHA-256 fingerprint"), "{err}");
}

#[tokio::test]
async fn the_explicit_opt_out_accepts_anything() {
    let pki = pki();
    let addr = https_server(&pki).await;
    let client = Client::builder(url(addr))
        .dangerously_skip_tls_verification()
        .session_id("sid")
        .build()
        .expect("client");
    client.session_info().await.expect("accepted");
}
