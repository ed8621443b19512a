//! One call of an operation: how the generated methods describe a request, the error
//! every call can end in, and how an answer is decoded.

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

use crate::check::InvalidRequest;
use crate::secret::Credentials;
use crate::{OperationError, StdError};

/// Everything a call can end in, around the operation's own error enum `E`.
#[derive(Debug, thiserror::Error)]
pub enum Error<E: std::error::Error + 'static> {
    /// The request was not sent: a documented rule of the spec does not hold.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] InvalidRequest),
    /// The request could not be sent or the answer not received (connection, TLS, timeout).
    #[error("could not reach vCenter: {0}")]
    Transport(#[source] reqwest::Error),
    /// The service answered with success, but not with what the spec says it answers.
    #[error("could not decode the answer (HTTP {status}): {source}")]
    Decode {
        /// The HTTP status of the answer.
        status: u16,
        /// The body as received (at most [`crate::MAX_RAW_BODY`] bytes; a secret's is withheld).
        body: String,
        /// Why it did not decode.
        #[source]
        source: serde_json::Error,
    },
    /// The service said no: the operation's error, with the standard error behind it.
    #[error("{0}")]
    Api(#[source] E),
}

impl<E: std::error::Error + 'static> Error<E> {
    /// The operation's error, when the service said no.
    pub fn api(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the request timed out (connect, read or whole-request timeout).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }
}

/// How a call authenticates.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Auth<'a> {
    /// The `vmware-api-session-id` header, when the client has a session.
    Session,
    /// HTTP basic, to create a session.
    Basic(&'a Credentials),
}

/// A request as the generated methods describe it.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub operation_id: &'static str,
    pub method: reqwest::Method,
    /// The path as the spec writes it, `{name}`s included: what logs show.
    pub path_template: &'static str,
    /// The path with its values filled in, each percent-encoded.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    pub auth: Auth<'a>,
    /// The success body is a secret (a session id): never kept in an error.
    pub secret_answer: bool,
}

impl<'a> Call<'a> {
    pub fn new(
        operation_id: &'static str,
        method: reqwest::Method,
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
        }
    }

    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// The request body: the bare spec object as JSON.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        // Serializing the generated types cannot fail: their maps have string keys.
        self.body = Some(serde_json::to_vec(body).unwrap_or_default());
        self
    }

    pub fn basic_auth(mut self, credentials: &'a Credentials) -> Self {
        self.auth = Auth::Basic(credentials);
        self
    }

    pub fn secret_answer(mut self) -> Self {
        self.secret_answer = true;
        self
    }
}

/// A successful answer, before decoding.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Bytes,
    pub secret: bool,
}

impl Answer {
    /// The body decoded as the operation's result.
    pub fn json<T: DeserializeOwned, E: OperationError + 'static>(self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            status: self.status,
            body: if self.secret {
                "<redacted>".to_owned()
            } else {
                crate::error::raw_text(&self.body)
            },
            source,
        })
    }
}

/// One path value, percent-encoded: everything but unreserved characters, so an id such as
/// `domain c8/x?y` stays one path segment. An empty value, `.` or `..` would change which
/// endpoint is called (URLs fold dot segments, encoded or not), so they are refused.
pub(crate) fn path_value(name: &str, value: &str) -> Result<String, crate::InvalidRequest> {
    const PATH_VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    if matches!(value, "" | "." | "..") {
        return Err(crate::InvalidRequest {
            field: name.to_owned(),
            reason: format!("cannot be `{value}` in a path"),
        });
    }
    Ok(utf8_percent_encode(value, PATH_VALUE).to_string())
}

/// The error of a call that got a non-success status.
pub(crate) fn api_error<E: OperationError + 'static>(status: u16, body: &[u8]) -> Error<E> {
    Error::Api(E::from_std(StdError::from_response(status, body)))
}
