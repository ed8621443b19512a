//! The client: configuration, the session, and the one place where requests are sent.

use std::collections::HashSet;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use tracing::Instrument;

use crate::call::{api_error, Answer, Auth, Call, Error};
use crate::secret::{Credentials, Secret};
use crate::services::{missing, Services};
use crate::{OperationError, StdError};

/// The header the server reads the session id from.
pub const SESSION_HEADER: &str = "vmware-api-session-id";

/// A successful answer larger than this is refused rather than held in memory.
pub const MAX_ANSWER: usize = 64 * 1024 * 1024;

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
    /// Credentials to log in again with when the session expires (opt-in).
    relogin: Option<Credentials>,
    relogin_lock: tokio::sync::Mutex<()>,
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
    /// TLS settings given together with an own HTTP client, which would ignore them.
    #[error("trusted roots, pinning and skipping verification configure the builder's own HTTP client; with `http_client` they would be ignored")]
    TlsWithOwnClient,
    /// A trusted root is neither PEM nor DER.
    #[error("the CA certificate is not PEM or DER: {0}")]
    Certificate(#[source] reqwest::Error),
    /// The pinned fingerprint is not 32 hex bytes.
    #[error("`{0}` is not a SHA-256 fingerprint (64 hex digits, `:` between bytes allowed)")]
    Fingerprint(String),
    /// The TLS configuration was refused.
    #[error("the TLS configuration could not be set up: {0}")]
    Tls(#[source] rustls::Error),
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be set up: {0}")]
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
    client: PhantomData<fn() -> C>,
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

    /// Uses an existing session id from now on.
    pub fn set_session_id(&self, id: impl Into<Secret>) {
        if let Ok(mut session) = self.inner.session.write() {
            *session = Some(id.into());
        }
    }

    fn clear_session(&self) {
        if let Ok(mut session) = self.inner.session.write() {
            *session = None;
        }
    }

    /// Logs in: the session service's create operation (`POST /session`) with HTTP basic
    /// authentication. The session id it answers is kept (as a secret) and sent on every
    /// later call. Refused without sending when the API has no session service.
    pub async fn login(
        &self,
        user: &str,
        password: impl Into<Secret>,
    ) -> Result<(), Error<StdError>> {
        let id = self
            .create_session::<StdError>(&Credentials::new(user, password))
            .await?;
        self.set_session_id(id);
        Ok(())
    }

    /// Logs out: the session service's delete operation (`DELETE /session`). The session id
    /// is forgotten whatever the answer. Refused without sending (the session id kept) when
    /// the API has no session service or it has no delete operation.
    pub async fn logout(&self) -> Result<(), Error<StdError>> {
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
            .send::<StdError>(delete.call(delete.path.to_owned()))
            .await;
        self.clear_session();
        answer.map(|_| ())
    }

    /// One login with these credentials; the session id it answers. Never logs in again:
    /// a refused login is the answer.
    async fn create_session<E: OperationError + 'static>(
        &self,
        credentials: &Credentials,
    ) -> Result<Secret, Error<E>> {
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
    ) -> Result<Answer, Error<E>> {
        traced(&call, async {
            let session_used = self.session_id();
            match self.exchange::<E>(&call).await {
                Err(Error::Api(e)) if self.may_relogin(&call, e.std_error()) => {
                    if self.relogin(session_used).await {
                        tracing::debug!(
                            "the session had expired; logged in again, repeating the call once"
                        );
                        self.exchange::<E>(&call).await
                    } else {
                        Err(Error::Api(e))
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
    ) -> Result<Answer, Error<E>> {
        traced(&call, self.exchange::<E>(&call)).await
    }

    /// One request and its answer.
    async fn exchange<E: OperationError + 'static>(
        &self,
        call: &Call<'_>,
    ) -> Result<Answer, Error<E>> {
        let response = self.dispatch(call).await?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            let body = read_bounded(response, MAX_ANSWER)
                .await
                .map_err(Error::Transport)?;
            if body.len() >= MAX_ANSWER {
                return Err(Error::Decode {
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
            // An error body is read only as far as the error keeps of it.
            let body = read_bounded(response, crate::MAX_RAW_BODY)
                .await
                .map_err(Error::Transport)?;
            Err(api_error(status, &body))
        }
    }

    /// Builds the request of a call and sends it; the call stays, to be sent again once.
    async fn dispatch<E: OperationError + 'static>(
        &self,
        call: &Call<'_>,
    ) -> Result<reqwest::Response, Error<E>> {
        let refuse = |reason: String| {
            Error::InvalidRequest(crate::InvalidRequest {
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
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), url)
            .timeout(self.inner.request_timeout)
            .header(reqwest::header::ACCEPT, "application/json");
        if call.method != reqwest::Method::GET {
            request = request.header(reqwest::header::CONTENT_TYPE, "application/json");
        }
        match call.auth {
            Auth::Session => {
                if let Some(id) = self.session_id() {
                    request = request.header(SESSION_HEADER, id.expose());
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
            None => {}
        }
        request.send().await.map_err(Error::Transport)
    }

    /// A 401 is worth one new login when the client holds credentials (opt-in) and the API
    /// has a session service, the call went with the session (never the login itself; the
    /// support-bundle download has its own path and its one-time token is never sent
    /// twice), and the answer says the session is not valid: `UNAUTHENTICATED`. Repeating
    /// is safe then: the server refused the call before doing anything.
    fn may_relogin(&self, call: &Call<'_>, error: &StdError) -> bool {
        self.inner.relogin.is_some()
            && self.inner.services.session.is_some()
            && matches!(call.auth, Auth::Session)
            && error.status() == 401
            && error.error_type() == Some(&crate::ErrorType::Unauthenticated)
    }

    /// Logs in again with the kept credentials, unless another call already did since
    /// `previous` was used. Whether there is a new session to repeat the call with.
    async fn relogin(&self, previous: Option<Secret>) -> bool {
        let Some(credentials) = self.inner.relogin.as_ref() else {
            return false;
        };
        let _one_at_a_time = self.inner.relogin_lock.lock().await;
        if self.session_id() != previous {
            return self.has_session();
        }
        match self.create_session::<StdError>(credentials).await {
            Ok(id) => {
                self.set_session_id(id);
                true
            }
            Err(e) => {
                tracing::debug!(error = %e, "logging in again failed");
                false
            }
        }
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
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
}

/// Runs a call's exchange in its span: the operation and the path as the spec writes it
/// (ids and secrets stay out of it), then the status and how long it took.
async fn traced<E: OperationError + 'static>(
    call: &Call<'_>,
    exchange: impl std::future::Future<Output = Result<Answer, Error<E>>>,
) -> Result<Answer, Error<E>> {
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
        Err(Error::Api(e)) => {
            tracing::debug!(status = e.std_error().status(), elapsed_ms, error = %e, "refused")
        }
        Err(e) => tracing::debug!(elapsed_ms, error = %e, "failed"),
    });
    outcome
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

    /// Uses this HTTP client: its TLS, timeouts and redirect policy apply. Build it with
    /// `redirect(reqwest::redirect::Policy::none())`: reqwest's default follows redirects
    /// with custom headers, the session id among them. Not to be combined with the
    /// builder's TLS settings, which it would ignore.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Starts from an existing session id instead of logging in.
    pub fn session_id(mut self, id: impl Into<Secret>) -> Self {
        self.session = Some(id.into());
        self
    }

    /// The client, configured; nothing is sent yet.
    pub fn build(self) -> Result<C, BuildError>
    where
        C: From<Client>,
    {
        let api = api_root(&self.url)?;
        let http = match self.http {
            Some(_)
                if !self.roots.is_empty() || self.pin.is_some() || self.skip_tls_verification =>
            {
                return Err(BuildError::TlsWithOwnClient)
            }
            // Its redirect policy is the caller's: reqwest's default follows redirects and
            // keeps custom headers, so build it with `redirect(Policy::none())`.
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .use_rustls_tls()
                    .user_agent(self.user_agent)
                    .connect_timeout(self.connect_timeout)
                    .read_timeout(self.request_timeout)
                    // The session header must never follow a redirect to another host; vCenter
                    // does not redirect `/api` calls, so none is followed.
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
                if let Some(pin) = &self.pin {
                    let fingerprint = crate::tls::Fingerprint::parse(pin)
                        .ok_or_else(|| BuildError::Fingerprint(pin.clone()))?;
                    let config = crate::tls::pinned_config(fingerprint).map_err(BuildError::Tls)?;
                    builder = builder.use_preconfigured_tls(config);
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                http,
                api,
                services: self.services,
                request_timeout: self.request_timeout,
                session: RwLock::new(self.session),
                spent_tokens: Mutex::new(HashSet::new()),
                relogin: self.relogin,
                relogin_lock: tokio::sync::Mutex::new(()),
            }),
        }))
    }
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
