//! One call of an operation: how generated methods describe a request, the error every call
//! can end in, and how an answer is decoded.

use std::borrow::Cow;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::check::InvalidRequest;
use crate::secret::Credentials;
use crate::{Client, OperationError, StdError, Task};

/// Everything a call can end in, around the operation's own error enum `E`.
///
/// Each variant's `Display` says what failed and nothing more; the cause is its
/// [`source`](std::error::Error::source), so a chain printed whole (as `anyhow` prints it
/// with `{:#}`) says each thing once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError<E: std::error::Error + 'static> {
    /// The request was not sent: a documented rule of the spec does not hold, or the API
    /// lacks the service the call needs. The rule is the source.
    #[error("the request was not sent")]
    InvalidRequest(#[from] InvalidRequest),
    /// The request could not be sent or the answer not received (connection, TLS,
    /// timeout); the source is reqwest's error, and below it the socket's or TLS's.
    #[error("{}", transport_failure(.0))]
    Transport(#[source] reqwest::Error),
    /// The service answered with success, but not with what the spec says it answers.
    #[error("the answer (HTTP {status}) is not what the spec says the operation answers")]
    Decode {
        /// The HTTP status of the answer.
        status: u16,
        /// The body as received (at most [`crate::MAX_RAW_BODY`] bytes; a secret's is withheld).
        body: String,
        /// Why it did not decode.
        #[source]
        source: serde_json::Error,
    },
    /// The service said no: the operation's error says what was refused, and its source is
    /// the standard error (the server's kind, status and message).
    #[error(transparent)]
    Api(E),
    /// The session had expired and logging in again with the credentials of
    /// [`crate::ClientBuilder::relogin_with`] failed; the login's error is the source. A
    /// refusal of the credentials (HTTP 401 or 403 to the login) is remembered: every later
    /// call fails with it at once, sending nothing, until
    /// [`crate::Client::set_relogin_credentials`], [`crate::Client::login`] or
    /// [`crate::Client::set_session_id`], so a wrong or rotated password costs one failed
    /// login, not one per call (vCenter locks accounts after a few).
    #[error("the session expired and logging in again failed")]
    Relogin(#[source] std::sync::Arc<CallError<StdError>>),
}

impl<E: std::error::Error + 'static> CallError<E> {
    /// The same error with the operation's error mapped by `f`; the other variants, which
    /// do not depend on the operation, are kept as they are.
    pub fn map_api<F: std::error::Error + 'static>(self, f: impl FnOnce(E) -> F) -> CallError<F> {
        match self {
            CallError::InvalidRequest(e) => CallError::InvalidRequest(e),
            CallError::Transport(e) => CallError::Transport(e),
            CallError::Decode {
                status,
                body,
                source,
            } => CallError::Decode {
                status,
                body,
                source,
            },
            CallError::Api(e) => CallError::Api(f(e)),
            CallError::Relogin(e) => CallError::Relogin(e),
        }
    }

    /// The operation's error, when the service said no.
    pub fn api(&self) -> Option<&E> {
        match self {
            CallError::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the request timed out (connect, read or whole-request timeout).
    pub fn is_timeout(&self) -> bool {
        matches!(self, CallError::Transport(e) if e.is_timeout())
    }

    /// Whether trying the same request again may succeed: the connection failed or timed
    /// out, or the server answered 429 (too many requests), 502, 503 or 504.
    pub fn is_transient(&self) -> bool
    where
        E: OperationError,
    {
        match self {
            CallError::Transport(e) => {
                (e.is_connect() || e.is_timeout() || e.is_request() || e.is_body())
                    && !caused_by_tls(e)
            }
            CallError::Api(e) => matches!(e.std_error().status(), 429 | 502 | 503 | 504),
            _ => false,
        }
    }
}

/// What a transport error failed at, in words: reqwest's own text (the source) names the
/// URL, and the causes below it the socket's or TLS's error.
fn transport_failure(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "the server did not answer in time"
    } else if caused_by_tls(error) {
        "the TLS handshake with the server failed"
    } else if error.is_connect() {
        "could not connect to the server"
    } else if error.is_body() || error.is_decode() {
        "the connection failed while the answer was read"
    } else {
        "could not exchange the request with the server"
    }
}

/// Whether a rustls error (a refused certificate, a failed handshake) is among the causes.
pub(crate) fn caused_by_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        // rustls errors reach hyper wrapped in an `io::Error`, whose `source` skips the
        // error it wraps: look inside it.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if inner.downcast_ref::<rustls::Error>().is_some() {
                return true;
            }
        }
        cause = e.source();
    }
    false
}

/// How a call authenticates.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Auth<'a> {
    /// The session header, when the client has a session.
    Session,
    /// HTTP basic, to create a session.
    Basic(&'a Credentials),
}

/// A request as generated methods describe it: built with [`Call::new`] and the methods
/// below, sent with [`Client::send`].
#[derive(Debug)]
pub struct Call<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) method: Method,
    /// The path as the spec writes it, `{name}`s included: what logs show.
    pub(crate) path_template: &'static str,
    /// The path with its values filled in, each percent-encoded.
    pub(crate) path: String,
    /// The query pairs, in the order they are sent.
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    /// The JSON body, or why it could not be written (refused when sending).
    pub(crate) body: Option<Result<Vec<u8>, String>>,
    pub(crate) auth: Auth<'a>,
    /// The success body is a secret (a session id): never kept in an error.
    pub(crate) secret_answer: bool,
    /// A bound tighter than the client's request timeout (a task wait's deadline).
    pub(crate) timeout: Option<std::time::Duration>,
}

impl<'a> Call<'a> {
    /// A call of the operation `operation_id` (for logs): `method` on `path` (after the API
    /// root, its values filled in with [`path_value`]), whose template as the spec writes
    /// it is `path_template` (what logs show: ids stay out of them).
    pub fn new(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
        path: String,
    ) -> Self {
        Call {
            operation_id,
            method,
            path_template,
            path,
            query: Vec::new(),
            body: None,
            auth: Auth::Session,
            secret_answer: false,
            timeout: None,
        }
    }

    /// Adds the query pair `name=value` (fixed pairs of the spec's path key first).
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((Cow::Borrowed(name), value.into()));
        self
    }

    /// Adds one pair `name=value` per value, in order (`?names=a&names=b`): an array
    /// parameter of form style, exploded. No values, no pair.
    pub fn query_values(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.query.extend(
            values
                .into_iter()
                .map(|value| (Cow::Borrowed(name), value.into())),
        );
        self
    }

    /// Adds an object parameter of form style, exploded (OpenAPI `style: form, explode:
    /// true`): one pair per set field, in field order (`?local=true&paired=false`), one pair
    /// per item of a list field; unset fields give none. Values are written as in JSON
    /// (booleans `true`/`false`, numbers as written, date-times in RFC 3339) without quotes.
    /// A field that is an object, or a list of objects or lists, has no form and is refused.
    pub fn query_form<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self, InvalidRequest> {
        let pairs = crate::query::form_pairs(value)?;
        self.query.extend(
            pairs
                .into_iter()
                .map(|(name, value)| (Cow::Owned(name), value)),
        );
        Ok(self)
    }

    /// The request body: the bare spec object as JSON. A value that cannot be written as
    /// JSON (a map with keys that are not strings) makes the call an
    /// [`CallError::InvalidRequest`], and nothing is sent.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.body = Some(serde_json::to_vec(body).map_err(|e| e.to_string()));
        self
    }

    /// Authenticates with HTTP basic instead of the session: the login.
    pub fn basic_auth(mut self, credentials: &'a Credentials) -> Self {
        self.auth = Auth::Basic(credentials);
        self
    }

    /// Marks the success body as a secret (a session id): an answer that does not decode
    /// keeps `<redacted>` instead of the body.
    pub fn secret_answer(mut self) -> Self {
        self.secret_answer = true;
        self
    }
}

/// A successful answer, before decoding.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, at most [`crate::MAX_ANSWER`] bytes.
    pub body: Bytes,
    /// The body is a secret: an error never shows it.
    pub secret: bool,
}

impl Answer {
    /// The body decoded as the operation's result.
    pub fn json<T: DeserializeOwned, E: OperationError + 'static>(self) -> Result<T, CallError<E>> {
        serde_json::from_slice(&self.body).map_err(|source| CallError::Decode {
            status: self.status,
            body: if self.secret {
                "<redacted>".to_owned()
            } else {
                crate::error::raw_text(&self.body)
            },
            source,
        })
    }

    /// The body decoded as the id of a task (a JSON string), as a handle polled through
    /// `client`.
    pub fn task<T, E: OperationError + 'static>(
        self,
        client: &Client,
    ) -> Result<Task<T>, CallError<E>> {
        let id: String = self.json()?;
        Ok(Task::new(client.clone(), id))
    }
}

/// One path value, percent-encoded: everything but unreserved characters and the `:` and
/// `@` a path segment may hold as they are (RFC 3986 `pchar`), so an id such as
/// `domain c8/x?y` stays one path segment, and a task id such as
/// `52a8...:com.vmware.esx.settings.depots` goes as vCenter writes it, as VMware's SDK and
/// govmomi send it. An empty value, `.` or `..` would change which endpoint is called (URLs
/// fold dot segments, encoded or not), so they are refused.
pub fn path_value(name: &str, value: &str) -> Result<String, InvalidRequest> {
    const PATH_VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b':')
        .remove(b'@');
    if matches!(value, "" | "." | "..") {
        return Err(InvalidRequest {
            field: name.to_owned(),
            reason: format!("cannot be `{value}` in a path"),
        });
    }
    Ok(utf8_percent_encode(value, PATH_VALUE).to_string())
}

/// The error of a call that got a non-success status: the body kept, and the `error_type`
/// found by scanning it further when the kept part does not decode.
pub(crate) fn api_error<E: OperationError + 'static>(
    status: u16,
    body: &[u8],
    scanned_kind: Option<String>,
) -> CallError<E> {
    let mut error = StdError::from_response(status, body);
    if let Some(kind) = scanned_kind {
        error.take_scanned_kind(&kind);
    }
    CallError::Api(E::from_std(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_stay_one_segment_and_dot_segments_are_refused() {
        assert_eq!(
            path_value("cluster", "domain c8/x?y").expect("encoded"),
            "domain%20c8%2Fx%3Fy"
        );
        assert_eq!(path_value("id", "a-b.c_d~e").expect("kept"), "a-b.c_d~e");
        assert_eq!(
            path_value("task", "52a8:com.vmware.esx@vc").expect("kept"),
            "52a8:com.vmware.esx@vc"
        );
        for bad in ["", ".", ".."] {
            let err = path_value("cluster", bad).expect_err(bad);
            assert_eq!(err.field, "cluster");
        }
    }

    #[test]
    fn query_pairs_keep_their_order() {
        let call = Call::new("Test_list", Method::GET, "/things", "/things".into())
            .query("action", "list")
            .query_values("names", ["a", "b"])
            .query_values("none", Vec::<String>::new());
        let names: Vec<(&str, &str)> = call
            .query
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .collect();
        assert_eq!(names, [("action", "list"), ("names", "a"), ("names", "b")]);
    }

    #[test]
    fn an_answer_that_is_a_secret_never_shows_its_body() {
        let answer = Answer {
            status: 201,
            body: Bytes::from_static(b"not json sess-123"),
            secret: true,
        };
        let err = answer.json::<String, StdError>().expect_err("not json");
        let CallError::Decode { body, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(body, "<redacted>");
        assert!(!format!("{err:?} {err}").contains("sess-123"));
    }
}
