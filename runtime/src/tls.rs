//! Certificate pinning: trusting one server certificate by its SHA-256 fingerprint.
//!
//! vSphere admins pin thumbprints (`openssl x509 -fingerprint -sha256`); a vCenter whose
//! self-signed certificate cannot be chained to any CA is trusted this way without turning
//! verification off. The rest of the handshake (signatures, protocol versions) is checked
//! as usual.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};

/// A SHA-256 certificate fingerprint: 32 bytes, written as 64 hex digits with or without
/// `:` between bytes (`AB:CD:...`, as `openssl` prints it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// Reads a fingerprint; `None` when it is not 32 hex bytes.
    pub fn parse(text: &str) -> Option<Self> {
        let hex: String = text
            .chars()
            .filter(|c| *c != ':' && !c.is_whitespace())
            .collect();
        if hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Fingerprint(bytes))
    }

    /// The fingerprint of a DER certificate.
    pub fn of(der: &[u8]) -> Self {
        Fingerprint(Sha256::digest(der).into())
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hex: Vec<String> = self.0.iter().map(|b| format!("{b:02X}")).collect();
        f.write_str(&hex.join(":"))
    }
}

#[derive(Debug)]
struct Pinned {
    fingerprint: Fingerprint,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if Fingerprint::of(end_entity.as_ref()) == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "the server certificate does not match the pinned fingerprint".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
        .map_err(|e| weak_key_said_plainly(e, cert))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
        .map_err(|e| weak_key_said_plainly(e, cert))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The smallest RSA key the signature check accepts (webpki's rule).
const MIN_RSA_BITS: usize = 2048;

/// A pinned certificate can match and still fail the handshake: webpki refuses to check
/// signatures of RSA keys under 2048 bits, and says only `BadSignature`. Say why.
fn weak_key_said_plainly(error: rustls::Error, cert: &CertificateDer<'_>) -> rustls::Error {
    match rsa_modulus_bits(cert.as_ref()) {
        Some(bits) if bits < MIN_RSA_BITS => rustls::Error::General(format!(
            "the pinned server certificate matches, but its RSA key has {bits} bits, too weak \
             to check its signature (at least {MIN_RSA_BITS} are needed): replace the \
             server's certificate"
        )),
        _ => error,
    }
}

/// The size of a certificate's RSA modulus in bits; `None` when the key is not RSA or the
/// certificate does not read as X.509 DER.
pub(crate) fn rsa_modulus_bits(cert: &[u8]) -> Option<usize> {
    // Certificate ::= SEQUENCE { tbsCertificate, ... }
    let (_, certificate, _) = der(cert)?;
    let (_, tbs, _) = der(certificate)?;
    // tbsCertificate ::= SEQUENCE { [0] version OPTIONAL, serial, signature, issuer,
    //                               validity, subject, subjectPublicKeyInfo, ... }
    let mut rest = tbs;
    let (tag, _, after) = der(rest)?;
    if tag == 0xa0 {
        rest = after;
    }
    for _ in 0..5 {
        rest = der(rest)?.2;
    }
    let (_, spki, _) = der(rest)?;
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm SEQUENCE { OID, ... }, BIT STRING }
    let (_, algorithm, key) = der(spki)?;
    let (_, oid, _) = der(algorithm)?;
    const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    if oid != RSA_ENCRYPTION {
        return None;
    }
    let (_, bits, _) = der(key)?;
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, after the bit
    // string's count of unused bits.
    let (_, rsa, _) = der(bits.get(1..)?)?;
    let (_, modulus, _) = der(rsa)?;
    let modulus = match modulus.iter().position(|b| *b != 0) {
        Some(first) => &modulus[first..],
        None => return Some(0),
    };
    Some(modulus.len() * 8 - modulus[0].leading_zeros() as usize)
}

/// One DER element: its tag, its contents, and the bytes after it.
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)? as usize;
    let (len, header) = if first < 0x80 {
        (first, 2)
    } else {
        let count = first & 0x7f;
        if count == 0 || count > 4 {
            return None;
        }
        let bytes = input.get(2..2 + count)?;
        (
            bytes.iter().fold(0usize, |n, b| (n << 8) | *b as usize),
            2 + count,
        )
    };
    let end = header.checked_add(len)?;
    Some((tag, input.get(header..end)?, input.get(end..)?))
}

/// A client certificate with its private key, for mutual TLS.
pub(crate) struct Identity {
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Identity {
    /// Reads one PEM holding the certificate chain and the private key.
    pub(crate) fn from_pem(pem: &[u8]) -> Result<Self, String> {
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("the PEM does not read: {e}"))?;
        if certs.is_empty() {
            return Err("the PEM holds no certificate".to_owned());
        }
        let key = PrivateKeyDer::from_pem_slice(pem)
            .map_err(|_| "the PEM holds no private key (PKCS #8, PKCS #1 or SEC1)".to_owned())?;
        Ok(Identity { certs, key })
    }
}

/// A TLS configuration that trusts exactly the certificate with this fingerprint, and
/// presents the client certificate when there is one.
pub(crate) fn pinned_config(
    fingerprint: Fingerprint,
    identity: Option<Identity>,
) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned {
            fingerprint,
            provider,
        }));
    match identity {
        Some(identity) => builder.with_client_auth_cert(identity.certs, identity.key),
        None => Ok(builder.with_no_client_auth()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate with a 1024-bit RSA key (`openssl req -x509 -newkey
    /// rsa:1024`). rustls's own servers cannot present one (ring signs with 2048 bits and
    /// more), and rustls builds no signature for a test, so the mapping the verifier applies
    /// to webpki's refusal is checked here.
    const WEAK_RSA: &[u8] = include_bytes!("../tests/fixtures/weak-rsa-1024.pem");

    #[test]
    fn a_pinned_certificate_with_a_weak_rsa_key_is_called_weak_not_badly_signed() {
        let cert = CertificateDer::from_pem_slice(WEAK_RSA).expect("PEM");
        assert_eq!(rsa_modulus_bits(cert.as_ref()), Some(1024));
        // What webpki answers for such a key, whatever the signature.
        let refused = rustls::Error::InvalidCertificate(rustls::CertificateError::BadSignature);
        let err = weak_key_said_plainly(refused, &cert);
        let text = err.to_string();
        assert!(text.contains("RSA key has 1024 bits, too weak"), "{text}");
        assert!(
            !matches!(err, rustls::Error::InvalidCertificate(_)),
            "{err:?}"
        );
    }

    #[test]
    fn keys_that_are_not_rsa_have_no_modulus() {
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["vc.example".to_owned()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        assert_eq!(rsa_modulus_bits(cert.der()), None);
        assert_eq!(rsa_modulus_bits(b"not der"), None);
    }

    #[test]
    fn fingerprints_parse_with_or_without_colons() {
        let hex = "AB".repeat(32);
        let colons = vec!["ab"; 32].join(":");
        assert_eq!(Fingerprint::parse(&hex), Fingerprint::parse(&colons));
        assert!(Fingerprint::parse(&hex).is_some());
        assert!(Fingerprint::parse("AB:CD").is_none());
        assert!(Fingerprint::parse(&"ZZ".repeat(32)).is_none());
    }
}
