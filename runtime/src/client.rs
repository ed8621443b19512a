//! The client: configuration, the session, and the one place where requests are sent.

use std::collections::HashSet;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use tracing::Instrument;

use crate::call::{api_error, Answer, Auth, Call, CallError};
use crate::secret::{Credentials, Secret};
use crate::services::{missing, Services};
use crate::{OperationError, StdError};

/// The header the server reads the session id from.
pub const SESSION_HEADER: &str = "vmware-api-session-id";

/// The header values every call sends, made once (a `&str` is checked and copied per call).
static JSON: reqwest::header::HeaderValue =
    reqwest::header::HeaderValue::from_static("application/json");
static SESSION_NAME: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static(SESSION_HEADER);

/// A successful answer larger than this is refused rather than held in memory.
pub const MAX_ANSWER: usize = 64 * 1024 * 1024;

/// Of an error answer, this much is kept and decoded whole (messages, data).
const MAX_ERROR_BODY: usize = 1024 * 1024;

/// How far an error answer is read, in constant memory, for its `error_type`: a kind sent
/// after long `messages` or `data` is still found.
const MAX_ERROR_SCAN: usize = 16 * 1024 * 1024;

/// A client of one server's `/api`. Cheap to clone: clones share the connection pool and
/// the session. Its `Debug` shows the API root and whether there is a session, never the
/// session id or the password kept for [`ClientBuilder::relogin_with`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// `https://vc.example.com/api`, no trailing slash.
    api: String,
    /// What the spec offers for logging in and for tasks.
    services: &'static Services,
    request_timeout: Duration,
    session: RwLock<Option<Secret>>,
    /// Hashes of the support-bundle tokens already sent: each works once.
    spent_tokens: Mutex<HashSet<u64>>,
    /// Logging in again when the session expires (opt-in).
    relogin: Mutex<Relogin>,
    /// One login attempt at a time: the calls that find the session expired together share
    /// one attempt, and its outcome.
    relogin_lock: tokio::sync::Mutex<()>,
    /// `http://` URLs off the loopback were allowed by name
    /// ([`ClientBuilder::dangerously_allow_http`]).
    allow_http: bool,
}

/// The state of logging in again.
#[derive(Default)]
struct Relogin {
    /// The credentials to log in again with: none when not opted in, or after `logout`.
    credentials: Option<Credentials>,
    /// Whether the caller opted in: a later [`Client::login`] then keeps its credentials
    /// for logging in again (after a `logout`, say).
    opted_in: bool,
    /// How many attempts were made. A call notes the count before it is sent, so an
    /// attempt that ends after that is one it may share.
    attempts: u64,
    /// The last attempt, when it failed.
    failed: Option<FailedRelogin>,
}

struct FailedRelogin {
    /// Its number (see [`Relogin::attempts`]).
    attempt: u64,
    error: Arc<CallError<StdError>>,
    /// The server refused the credentials (HTTP 401 or 403): remembered, so a wrong or
    /// rotated password is tried once, not once per call until vCenter locks the account.
    /// Any other failure (a 503, a lost connection) is shared only by the calls that waited
    /// for that attempt; a later call tries again.
    refused: bool,
}

/// What a call that found its session expired does next.
enum Renewal {
    /// There is a new session: repeat the call once.
    Renewed,
    /// Logging in again failed, now or before (and remembered).
    Failed(Arc<CallError<StdError>>),
    /// Logging in again is off: not opted in, or ended by `logout`.
    Off,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.api)
            .field("has_session", &self.has_session())
            .finish()
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The URL is not an `https://` (or `http://`) URL of a host.
    #[error("the server URL is not usable: {reason}")]
    Url {
        /// What is wrong with it.
        reason: String,
    },
    /// An `http://` URL of a host off the loopback, without
    /// [`ClientBuilder::dangerously_allow_http`]: the login would send the password, and
    /// every call the session id, across the network in clear text.
    #[error("the server URL is http://: the password and the session id would cross the network unencrypted; use https://, or opt in with `dangerously_allow_http()`")]
    InsecureUrl,
    /// A setting of the builder's own HTTP client, given together with
    /// [`ClientBuilder::dangerously_use_http_client`], which would ignore it.
    #[error("`{setting}` configures the builder's own HTTP client; with `dangerously_use_http_client` it would be ignored")]
    IgnoredByOwnClient {
        /// The builder method whose setting would be ignored.
        setting: &'static str,
    },
    /// A trusted root is neither PEM nor DER.
    #[error("the CA certificate is not PEM or DER")]
    Certificate(#[source] reqwest::Error),
    /// The client certificate is not a PEM holding a certificate and its private key.
    #[error("the client certificate is not usable: {reason}")]
    ClientCertificate {
        /// What is wrong with it.
        reason: String,
    },
    /// The proxy URL is not usable.
    #[error("the proxy URL is not usable")]
    Proxy(#[source] reqwest::Error),
    /// The pinned fingerprint is not 32 hex bytes.
    #[error("`{0}` is not a SHA-256 fingerprint (64 hex digits, `:` between bytes allowed)")]
    Fingerprint(String),
    /// The TLS configuration was refused.
    #[error("the TLS configuration could not be set up")]
    Tls(#[source] rustls::Error),
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be set up")]
    Http(#[source] reqwest::Error),
}

/// Configuration of a [`Client`], or of a generated crate's client `C` that wraps one
/// (`C: From<Client>`). TLS certificates are verified unless
/// [`ClientBuilder::dangerously_skip_tls_verification`] says otherwise.
#[must_use]
pub struct ClientBuilder<C = Client> {
    url: String,
    services: &'static Services,
    roots: Vec<Vec<u8>>,
    skip_tls_verification: bool,
    connect_timeout: Duration,
    request_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    session: Option<Secret>,
    relogin: Option<Credentials>,
    pin: Option<String>,
    allow_http: bool,
    proxy: Option<String>,
    no_proxy: bool,
    client_certificate: Option<Vec<u8>>,
    local_address: Option<IpAddr>,
    http_version: HttpVersion,
    tcp_keepalive: Option<Duration>,
    client: PhantomData<fn() -> C>,
}

/// Which HTTP versions the builder's client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HttpVersion {
    /// HTTP/2 when TLS negotiates it (ALPN), else HTTP/1.1.
    Negotiated,
    /// HTTP/1.1 only.
    Http1Only,
    /// HTTP/2 without negotiation.
    Http2PriorKnowledge,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL stays out (it could carry a password), and so do the session and the
        // credentials: only whether they are set.
        f.debug_struct("ClientBuilder")
            .field("roots", &self.roots.len())
            .field("skip_tls_verification", &self.skip_tls_verification)
            .field("pinned", &self.pin.is_some())
            .field("has_session", &self.session.is_some())
            .field("relogin", &self.relogin.is_some())
            .field("allow_http", &self.allow_http)
            .field("own_http_client", &self.http.is_some())
            .field("client_certificate", &self.client_certificate.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts the configuration of a client of `url` (`https://vc.example.com`, with or
    /// without the `/api` suffix) that knows no session or task service
    /// ([`Services::NONE`]); a generated crate's `builder` passes its spec's services.
    pub fn builder(url: impl Into<String>) -> ClientBuilder<Client> {
        ClientBuilder::new(url, &Services::NONE)
    }

    /// The API root, `https://vc.example.com/api`.
    pub fn api_url(&self) -> &str {
        &self.inner.api
    }

    /// The session and task services of the spec this client was built for.
    pub fn services(&self) -> &'static Services {
        self.inner.services
    }

    /// Whether the client holds a session id (from [`Client::login`] or the builder).
    pub fn has_session(&self) -> bool {
        self.inner
            .session
            .read()
            .map(|s| s.is_some())
            .unwrap_or(false)
    }

    /// The session id, to hand to another process or to resume later.
    pub fn session_id(&self) -> Option<Secret> {
        self.inner.session.read().ok().and_then(|s| s.clone())
    }

    /// Uses an existing session id from now on. A failed re-login that was remembered is
    /// forgotten: calls are sent again.
    pub fn set_session_id(&self, id: impl Into<Secret>) {
        if let Ok(mut session) = self.inner.session.write() {
            *session = Some(id.into());
        }
        self.relogin_state().failed = None;
    }

    /// Logs in again with these credentials when a call finds the session expired (as
    /// [`ClientBuilder::relogin_with`] does), replacing the credentials kept so far, and
    /// forgets a re-login that failed: after a password rotation, say.
    pub fn set_relogin_credentials(&self, user: impl Into<String>, password: impl Into<Secret>) {
        let mut state = self.relogin_state();
        state.opted_in = true;
        state.credentials = Some(Credentials::new(user, password));
        state.failed = None;
    }

    fn relogin_state(&self) -> MutexGuard<'_, Relogin> {
        // A poisoned lock only means another thread panicked while updating plain fields.
        self.inner
            .relogin
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn clear_session(&self) {
        if let Ok(mut session) = self.inner.session.write() {
            *session = None;
        }
    }

    /// Logs in: the session service's create operation (`POST /session`) with HTTP basic
    /// authentication. The session id it answers is kept (as a secret) and sent on every
    /// later call. Refused without sending when the API has no session service. With
    /// re-login opted in, these credentials become the ones to log in again with.
    pub async fn login(
        &self,
        user: &str,
        password: impl Into<Secret>,
    ) -> Result<(), CallError<StdError>> {
        let credentials = Credentials::new(user, password);
        let id = self.create_session::<StdError>(&credentials).await?;
        self.set_session_id(id);
        let mut state = self.relogin_state();
        if state.opted_in {
            state.credentials = Some(credentials);
        }
        Ok(())
    }

    /// Logs out: the session service's delete operation (`DELETE /session`). The session id
    /// is forgotten whatever the answer, and so are the credentials kept for logging in
    /// again: after `logout`, a call is not logged back in behind the caller's back (until
    /// [`Client::login`] or [`Client::set_relogin_credentials`]). Refused without sending
    /// (the session id kept) when the API has no session service or it has no delete
    /// operation.
    pub async fn logout(&self) -> Result<(), CallError<StdError>> {
        let delete = self
            .inner
            .services
            .session
            .as_ref()
            .ok_or_else(|| missing("logout", "session service"))?
            .delete
            .as_ref()
            .ok_or_else(|| missing("logout", "operation to delete a session"))?;
        let answer = self
            .send_once::<StdError>(delete.call(delete.path.to_owned()))
            .await;
        self.clear_session();
        let mut state = self.relogin_state();
        state.credentials = None;
        state.failed = None;
        drop(state);
        answer.map(|_| ())
    }

    /// One login with these credentials; the session id it answers. Never logs in again:
    /// a refused login is the answer.
    async fn create_session<E: OperationError + 'static>(
        &self,
        credentials: &Credentials,
    ) -> Result<Secret, CallError<E>> {
        let create = &self
            .inner
            .services
            .session
            .as_ref()
            .ok_or_else(|| missing("login", "session service"))?
            .create;
        let call = create
            .call(create.path.to_owned())
            .basic_auth(credentials)
            .secret_answer();
        self.send_once::<E>(call).await?.json()
    }

    /// Sends a call and reads its answer: a success, or the operation's error. With
    /// [`ClientBuilder::relogin_with`], a call that finds the session expired logs in
    /// again and is repeated once. For generated code (see [`crate::codegen`]).
    pub async fn send<E: OperationError + 'static>(
        &self,
        call: Call<'_>,
    ) -> Result<Answer, CallError<E>> {
        traced(&call, async {
            let session_used = self.session_id();
            let attempts_seen = {
                let state = self.relogin_state();
                // The server refused the credentials before: sending would only earn another
                // 401, and logging in again another failed login towards a lockout.
                if let Some(failed) = state.failed.as_ref().filter(|f| f.refused) {
                    if matches!(call.auth, Auth::Session) && state.credentials.is_some() {
                        return Err(CallError::Relogin(failed.error.clone()));
                    }
                }
                state.attempts
            };
            match self.exchange::<E>(&call).await {
                Err(CallError::Api(e)) if self.may_relogin(&call, e.std_error()) => {
                    match self.relogin(session_used, attempts_seen).await {
                        Renewal::Renewed => {
                            tracing::debug!(
                                "the session had expired; logged in again, repeating the call once"
                            );
                            self.exchange::<E>(&call).await
                        }
                        Renewal::Failed(error) => Err(CallError::Relogin(error)),
                        Renewal::Off => Err(CallError::Api(e)),
                    }
                }
                other => other,
            }
        })
        .await
    }

    /// Sends a call once, whatever the answer: the login itself, which must not log in.
    /// For generated code (see [`crate::codegen`]).
    pub async fn send_once<E: OperationError + 'static>(
        &self,
        call: Call<'_>,
    ) -> Result<Answer, CallError<E>> {
        traced(&call, self.exchange::<E>(&call)).await
    }

    /// One request and its answer.
    async fn exchange<E: OperationError + 'static>(
        &self,
        call: &Call<'_>,
    ) -> Result<Answer, CallError<E>> {
        let response = self.dispatch(call).await?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            let body = read_bounded(response, MAX_ANSWER)
                .await
                .map_err(CallError::Transport)?;
            if body.len() >= MAX_ANSWER {
                return Err(CallError::Decode {
                    status,
                    body: String::new(),
                    source: serde::de::Error::custom(format!(
                        "the answer is larger than {MAX_ANSWER} bytes"
                    )),
                });
            }
            Ok(Answer {
                status,
                body,
                secret: call.secret_answer,
            })
        } else {
            let (body, scanned) = read_error_body(response)
                .await
                .map_err(CallError::Transport)?;
            Err(api_error(status, &body, scanned))
        }
    }

    /// Builds the request of a call and sends it; the call stays, to be sent again once.
    async fn dispatch<E: OperationError + 'static>(
        &self,
        call: &Call<'_>,
    ) -> Result<reqwest::Response, CallError<E>> {
        let refuse = |reason: String| {
            CallError::InvalidRequest(crate::InvalidRequest {
                field: call.path_template.to_owned(),
                reason,
            })
        };
        let mut url = url::Url::parse(&format!("{}{}", self.inner.api, call.path))
            .map_err(|e| refuse(format!("does not make a URL: {e}")))?;
        if !call.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &call.query {
                pairs.append_pair(name, value);
            }
        }
        let timeout = call.timeout.map_or(self.inner.request_timeout, |t| {
            t.min(self.inner.request_timeout)
        });
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), url)
            .timeout(timeout)
            .header(reqwest::header::ACCEPT, JSON.clone());
        if call.method != reqwest::Method::GET {
            request = request.header(reqwest::header::CONTENT_TYPE, JSON.clone());
        }
        match call.auth {
            Auth::Session => {
                if let Some(value) = self.session_header() {
                    let value = value.map_err(|()| {
                        refuse("has a session id that cannot go in a header".to_owned())
                    })?;
                    request = request.header(SESSION_NAME.clone(), value);
                }
            }
            Auth::Basic(credentials) => {
                request =
                    request.basic_auth(&credentials.user, Some(credentials.password.expose()));
            }
        }
        match &call.body {
            Some(Ok(body)) => request = request.body(body.clone()),
            Some(Err(e)) => return Err(refuse(format!("has a body that is not JSON: {e}"))),
            // A POST, PUT or PATCH without a body says so, as VMware's SDK and govmomi do:
            // some servers and proxies answer 411 Length Required otherwise.
            None if !matches!(
                call.method,
                reqwest::Method::GET | reqwest::Method::HEAD | reqwest::Method::DELETE
            ) =>
            {
                request = request.header(reqwest::header::CONTENT_LENGTH, "0");
            }
            None => {}
        }
        request.send().await.map_err(CallError::Transport)
    }

    /// A 401 is worth one new login when the client holds credentials (opt-in) and the API
    /// has a session service, the call went with the session (never the login itself; the
    /// support-bundle download has its own path and its one-time token is never sent
    /// twice), and the answer says the session is not valid: `UNAUTHENTICATED`. Repeating
    /// is safe then: the server refused the call before doing anything.
    fn may_relogin(&self, call: &Call<'_>, error: &StdError) -> bool {
        self.relogin_state().credentials.is_some()
            && self.inner.services.session.is_some()
            && matches!(call.auth, Auth::Session)
            && error.status() == 401
            && error.error_type() == Some(&crate::ErrorType::Unauthenticated)
    }

    /// Logs in again with the kept credentials, unless another call already did since
    /// `previous` was used, or an attempt made since this call was sent (`attempts_seen`)
    /// failed: then its outcome is this call's too. One attempt at a time.
    async fn relogin(&self, previous: Option<Secret>, attempts_seen: u64) -> Renewal {
        let _one_at_a_time = self.inner.relogin_lock.lock().await;
        let (credentials, attempt) = {
            let mut state = self.relogin_state();
            let Some(credentials) = state.credentials.clone() else {
                return Renewal::Off;
            };
            if self.session_id() != previous && self.has_session() {
                return Renewal::Renewed;
            }
            if let Some(failed) = &state.failed {
                if failed.refused || failed.attempt > attempts_seen {
                    return Renewal::Failed(failed.error.clone());
                }
            }
            state.attempts += 1;
            (credentials, state.attempts)
        };
        match self.create_session::<StdError>(&credentials).await {
            Ok(id) => {
                self.set_session_id(id);
                Renewal::Renewed
            }
            Err(error) => {
                let refused =
                    matches!(&error, CallError::Api(e) if matches!(e.status(), 401 | 403));
                tracing::debug!(error = %error, refused, "logging in again failed");
                let error = Arc::new(error);
                self.relogin_state().failed = Some(FailedRelogin {
                    attempt,
                    error: error.clone(),
                    refused,
                });
                Renewal::Failed(error)
            }
        }
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The session id as the header value calls send, made under the lock without copying
    /// the id first, and marked sensitive (never shown by the HTTP stack's debug output);
    /// `Err` when the id is no valid header value.
    fn session_header(&self) -> Option<Result<reqwest::header::HeaderValue, ()>> {
        let session = self.inner.session.read().ok()?;
        let id = session.as_ref()?;
        Some(
            reqwest::header::HeaderValue::from_str(id.expose())
                .map(|mut value| {
                    value.set_sensitive(true);
                    value
                })
                .map_err(drop),
        )
    }

    /// How long a call may take, and how long a download may wait for its next bytes.
    pub(crate) fn request_timeout(&self) -> Duration {
        self.inner.request_timeout
    }

    pub(crate) fn spent_tokens(&self) -> MutexGuard<'_, HashSet<u64>> {
        // A poisoned lock only means another thread panicked while inserting a hash.
        self.inner
            .spent_tokens
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `url` is on the server this client talks to (scheme, host and port).
    pub(crate) fn same_origin(&self, url: &url::Url) -> bool {
        url::Url::parse(&self.inner.api).is_ok_and(|api| api.origin() == url.origin())
    }

    /// Whether a secret may be sent to `url`: over TLS, to the loopback, or with `http://`
    /// allowed by name.
    pub(crate) fn may_send_secrets_to(&self, url: &url::Url) -> bool {
        self.inner.allow_http || !needs_tls(url)
    }
}

/// Runs a call's exchange in its span: the operation and the path as the spec writes it
/// (ids and secrets stay out of it), then the status and how long it took.
async fn traced<E: OperationError + 'static>(
    call: &Call<'_>,
    exchange: impl std::future::Future<Output = Result<Answer, CallError<E>>>,
) -> Result<Answer, CallError<E>> {
    let span = tracing::debug_span!(
        "vsphere_call",
        operation = call.operation_id,
        method = %call.method,
        path = call.path_template,
    );
    let started = std::time::Instant::now();
    let outcome = exchange.instrument(span.clone()).await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    span.in_scope(|| match &outcome {
        Ok(answer) => tracing::debug!(status = answer.status, elapsed_ms, "answered"),
        Err(CallError::Api(e)) => {
            tracing::debug!(status = e.std_error().status(), elapsed_ms, error = %e, "refused")
        }
        Err(e) => tracing::debug!(elapsed_ms, error = %e, "failed"),
    });
    outcome
}

/// Reads an error answer: its first [`MAX_ERROR_BODY`] bytes, kept to be decoded, and as
/// far as [`MAX_ERROR_SCAN`] bytes scanned for a top-level `error_type`, in case the kept
/// part cuts the JSON short before it.
async fn read_error_body(
    response: reqwest::Response,
) -> Result<(Bytes, Option<String>), reqwest::Error> {
    let mut stream = response.bytes_stream();
    let mut kept = Vec::new();
    let mut scan = crate::error::KindScan::default();
    let mut read = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = MAX_ERROR_BODY.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        scan.feed(&chunk);
        read += chunk.len();
        // Kept in full, and the kind found (or searched for as far as it is worth).
        if kept.len() >= MAX_ERROR_BODY && (scan.done() || read >= MAX_ERROR_SCAN) {
            break;
        }
    }
    Ok((Bytes::from(kept), scan.found()))
}

/// Reads at most `limit` bytes of a body, then stops reading (the connection is dropped).
pub(crate) async fn read_bounded(
    response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, reqwest::Error> {
    let mut stream = response.bytes_stream();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
    }
    Ok(Bytes::from(body))
}

impl<C> ClientBuilder<C> {
    /// Starts the configuration of a client of `url` (`https://vc.example.com`, with or
    /// without the `/api` suffix) for a spec with these services. A generated crate's
    /// `Client::builder(url)` is `ClientBuilder::new(url, &SERVICES)`.
    pub fn new(url: impl Into<String>, services: &'static Services) -> Self {
        ClientBuilder {
            url: url.into(),
            services,
            roots: Vec::new(),
            skip_tls_verification: false,
            connect_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(300),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            session: None,
            relogin: None,
            pin: None,
            allow_http: false,
            proxy: None,
            no_proxy: false,
            client_certificate: None,
            local_address: None,
            http_version: HttpVersion::Negotiated,
            tcp_keepalive: None,
            client: PhantomData,
        }
    }

    /// Trusts this CA (PEM or DER) in addition to the system's roots: the VMCA of a
    /// vCenter, typically (`https://vc/certs/download.zip`).
    pub fn add_root_certificate(mut self, pem_or_der: impl Into<Vec<u8>>) -> Self {
        self.roots.push(pem_or_der.into());
        self
    }

    /// Accepts any certificate, expired, self-signed or for another host. Anyone on the
    /// network path can then read the password and the session. For throw-away labs only;
    /// prefer [`ClientBuilder::add_root_certificate`].
    pub fn dangerously_skip_tls_verification(mut self) -> Self {
        self.skip_tls_verification = true;
        self
    }

    /// Trusts exactly the server certificate with this SHA-256 fingerprint
    /// (`openssl x509 -noout -fingerprint -sha256`), the way vSphere admins pin
    /// thumbprints. It replaces CA verification: the roots are not consulted.
    pub fn pin_certificate_sha256(mut self, fingerprint: impl Into<String>) -> Self {
        self.pin = Some(fingerprint.into());
        self
    }

    /// Keeps these credentials to log in again, once, when a call finds the session
    /// expired (HTTP 401 `UNAUTHENTICATED`), which is also how the first call logs in when
    /// there is no session yet. Off by default: the password then stays in memory for the
    /// client's lifetime.
    pub fn relogin_with(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.relogin = Some(Credentials::new(user, password));
        self
    }

    /// How long connecting may take (30 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a call may take, answer included (300 s by default). Downloads are bounded
    /// by the time between two reads instead, so a large bundle is not cut off.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The `User-Agent` header (`vapi-runtime/<version>` by default).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Allows an `http://` server URL off the loopback, and `http://` support-bundle
    /// download URLs: the password, the session id and the one-time token then cross the
    /// network in clear text, readable by anyone on the path. Without it, the builder refuses
    /// such a URL ([`BuildError::InsecureUrl`]) and a download refuses such a location. A
    /// server on the loopback (`127.0.0.0/8`, `::1`) needs no opt-in: nothing leaves the
    /// machine.
    pub fn dangerously_allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// Sends every request through this proxy (`http://proxy:3128`, `socks5://...` is not
    /// supported); a user name and password in its URL authenticate to the proxy. By
    /// default the `HTTPS_PROXY` / `NO_PROXY` environment variables are followed.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignores proxies from the environment (`HTTPS_PROXY` and the like).
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// Authenticates the client with this certificate at the TLS handshake (mutual TLS):
    /// one PEM holding the certificate (and its chain) and the private key (PKCS #8, PKCS #1
    /// or SEC1).
    pub fn client_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.client_certificate = Some(pem.into());
        self
    }

    /// Connects from this local address (a machine with several networks).
    pub fn local_address(mut self, address: IpAddr) -> Self {
        self.local_address = Some(address);
        self
    }

    /// Speaks HTTP/1.1 only (by default HTTP/2 is used when TLS negotiates it).
    pub fn http1_only(mut self) -> Self {
        self.http_version = HttpVersion::Http1Only;
        self
    }

    /// Speaks HTTP/2 from the start, without negotiating it.
    pub fn http2_prior_knowledge(mut self) -> Self {
        self.http_version = HttpVersion::Http2PriorKnowledge;
        self
    }

    /// Sends TCP keep-alive probes on idle connections at this interval.
    pub fn tcp_keepalive(mut self, interval: Duration) -> Self {
        self.tcp_keepalive = Some(interval);
        self
    }

    /// Uses this HTTP client instead of the builder's own, for what the builder does not
    /// offer. Everything the builder otherwise guarantees is then the caller's to get right:
    /// certificate verification, pinning, timeouts, and above all the redirect policy —
    /// reqwest's default follows redirects to other hosts *with* the session header. Build
    /// it with `.redirect(reqwest::redirect::Policy::none())` and `.use_rustls_tls()`.
    /// Given together with a setting of the builder's own client (TLS, proxy, timeouts,
    /// ...), [`ClientBuilder::build`] refuses rather than ignore that setting.
    pub fn dangerously_use_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Starts from an existing session id instead of logging in.
    pub fn session_id(mut self, id: impl Into<Secret>) -> Self {
        self.session = Some(id.into());
        self
    }

    /// The client, configured; nothing is sent yet.
    pub fn build(mut self) -> Result<C, BuildError>
    where
        C: From<Client>,
    {
        let api = api_root(&self.url)?;
        let allow_http = self.allow_http;
        if !allow_http && url::Url::parse(&api).is_ok_and(|url| needs_tls(&url)) {
            return Err(BuildError::InsecureUrl);
        }
        let request_timeout = self.request_timeout;
        let http = match self.http.take() {
            Some(http) => {
                if let Some(setting) = self.own_client_settings() {
                    return Err(BuildError::IgnoredByOwnClient { setting });
                }
                http
            }
            None => self.builder_http_client()?,
        };
        let relogin = Relogin {
            opted_in: self.relogin.is_some(),
            credentials: self.relogin,
            ..Relogin::default()
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                http,
                api,
                services: self.services,
                request_timeout,
                session: RwLock::new(self.session),
                spent_tokens: Mutex::new(HashSet::new()),
                relogin: Mutex::new(relogin),
                relogin_lock: tokio::sync::Mutex::new(()),
                allow_http,
            }),
        }))
    }

    /// The first setting of the builder's own HTTP client that was changed from its
    /// default: what an own client would silently ignore.
    fn own_client_settings(&self) -> Option<&'static str> {
        let defaults = ClientBuilder::<C>::new("", self.services);
        [
            (!self.roots.is_empty(), "add_root_certificate"),
            (
                self.skip_tls_verification,
                "dangerously_skip_tls_verification",
            ),
            (self.pin.is_some(), "pin_certificate_sha256"),
            (self.proxy.is_some(), "proxy"),
            (self.no_proxy, "no_proxy"),
            (self.client_certificate.is_some(), "client_certificate"),
            (self.local_address.is_some(), "local_address"),
            (
                self.http_version != HttpVersion::Negotiated,
                "http1_only / http2_prior_knowledge",
            ),
            (self.tcp_keepalive.is_some(), "tcp_keepalive"),
            (
                self.connect_timeout != defaults.connect_timeout,
                "connect_timeout",
            ),
            (self.user_agent != defaults.user_agent, "user_agent"),
        ]
        .into_iter()
        .find_map(|(set, name)| set.then_some(name))
    }

    /// The builder's own HTTP client: rustls, no redirects, the timeouts, TLS and network
    /// settings above.
    fn builder_http_client(&self) -> Result<reqwest::Client, BuildError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            // No `read_timeout`: it re-arms a timer on every read of every call (~1 µs a
            // call), where each call has its whole deadline already (`.timeout` per request)
            // and the download bounds each chunk itself.
            // The session header must never follow a redirect to another host; vCenter does
            // not redirect `/api` calls, so none is followed.
            .redirect(reqwest::redirect::Policy::none());
        for root in &self.roots {
            let cert = reqwest::Certificate::from_pem(root)
                .or_else(|_| reqwest::Certificate::from_der(root))
                .map_err(BuildError::Certificate)?;
            builder = builder.add_root_certificate(cert);
        }
        if self.skip_tls_verification {
            builder = builder.danger_accept_invalid_certs(true);
        }
        let identity = match &self.client_certificate {
            Some(pem) => Some(
                crate::tls::Identity::from_pem(pem)
                    .map_err(|reason| BuildError::ClientCertificate { reason })?,
            ),
            None => None,
        };
        match (&self.pin, identity) {
            (Some(pin), identity) => {
                let fingerprint = crate::tls::Fingerprint::parse(pin)
                    .ok_or_else(|| BuildError::Fingerprint(pin.clone()))?;
                let config =
                    crate::tls::pinned_config(fingerprint, identity).map_err(BuildError::Tls)?;
                builder = builder.use_preconfigured_tls(config);
            }
            (None, Some(_)) => {
                let pem = self.client_certificate.as_deref().unwrap_or_default();
                let identity = reqwest::Identity::from_pem(pem).map_err(|e| {
                    BuildError::ClientCertificate {
                        reason: e.to_string(),
                    }
                })?;
                builder = builder.identity(identity);
            }
            (None, None) => {}
        }
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(reqwest::Proxy::all(proxy).map_err(BuildError::Proxy)?);
        }
        if self.no_proxy {
            builder = builder.no_proxy();
        }
        if let Some(address) = self.local_address {
            builder = builder.local_address(address);
        }
        builder = match self.http_version {
            HttpVersion::Negotiated => builder,
            HttpVersion::Http1Only => builder.http1_only(),
            HttpVersion::Http2PriorKnowledge => builder.http2_prior_knowledge(),
        };
        if let Some(interval) = self.tcp_keepalive {
            builder = builder.tcp_keepalive(interval);
        }
        builder.build().map_err(BuildError::Http)
    }
}

/// Whether secrets sent to `url` would cross the network in clear text: `http://` to a host
/// that is not a loopback address. A host *name* such as `localhost` is not trusted to stay
/// on the machine: a resolver decides where it goes.
pub(crate) fn needs_tls(url: &url::Url) -> bool {
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    url.scheme() != "https" && !loopback
}

/// `https://vc.example.com`, `https://vc.example.com/`, `https://vc.example.com/api/` ->
/// `https://vc.example.com/api`.
fn api_root(url: &str) -> Result<String, BuildError> {
    // The URL is not echoed: it could carry a password.
    let fail = |reason: &str| BuildError::Url {
        reason: reason.to_owned(),
    };
    let parsed = url::Url::parse(url).map_err(|e| fail(&e.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(fail(
            "it carries a user name or password; log in with `login` instead",
        ));
    }
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(fail("it needs the https:// scheme and a host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(fail("it must not carry a query or fragment"));
    }
    let trimmed = parsed.as_str().trim_end_matches('/');
    Ok(if trimmed.ends_with("/api") {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/api")
    })
}

#[cfg(test)]
mod tests {
    use super::api_root;

    #[test]
    fn api_suffix_is_optional() {
        for url in [
            "https://vc.example.com",
            "https://vc.example.com/",
            "https://vc.example.com/api",
            "https://vc.example.com/api/",
        ] {
            assert_eq!(
                api_root(url).expect("valid"),
                "https://vc.example.com/api",
                "{url}"
            );
        }
        assert_eq!(
            api_root("https://10.0.0.5:8443/").expect("valid"),
            "https://10.0.0.5:8443/api"
        );
    }

    #[test]
    fn unusable_urls_are_refused_without_echoing_them() {
        for url in [
            "vc.example.com",
            "ftp://vc.example.com",
            "https://vc.example.com/?x=1",
        ] {
            assert!(api_root(url).is_err(), "{url}");
        }
        let err = api_root("https://admin:hunter2@vc.example.com").expect_err("userinfo");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
