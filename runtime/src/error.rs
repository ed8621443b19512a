//! The Vapi standard error, as every operation reports it, and its decoding.
//!
//! vCenter answers a failed call with a JSON body such as
//! `{"error_type": "NOT_FOUND", "messages": [...], "data": {...}}` (on `/api`), or wrapped as
//! `{"type": "com.vmware.vapi.std.errors.not_found", "value": {...}}` (older `/rest`-style
//! answers). Proxies and old servers also answer with an empty body, HTML, or a body without
//! `error_type`. Every one of those decodes to a [`StdError`]: what could be read is read,
//! the rest is kept raw, and nothing panics.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::std_types::{ArgumentLocations, FileLocations, LocalizableMessage, TransientIndication};
use crate::ErrorType;

/// At most this much of an undecodable body is kept, so a huge HTML page cannot bloat an error.
pub const MAX_RAW_BODY: usize = 64 * 1024;

/// A standard error answered by the server, with the HTTP status it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct StdError {
    status: u16,
    error_type: Option<ErrorType>,
    error_type_sent: bool,
    messages: Vec<LocalizableMessage>,
    data: Option<serde_json::Value>,
    challenge: Option<String>,
    raw_body: Option<String>,
}

/// The standard error as JSON carries it: in an error answer on `/api`, or as the `error`
/// of a task's info. Every field is optional, so a partial body still decodes; unset fields
/// are not sent. Generated structs whose field is a spec's `Vapi.Std.Errors.Error` (or one
/// of its kinds) hold this type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StdErrorBody {
    /// The kind of error; servers before vSphere 6.7.2 do not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<ErrorType>,
    /// The stack of messages; the first describes the error, each next one its cause.
    #[serde(default)]
    pub messages: Vec<LocalizableMessage>,
    /// Data specific to the error (see [`StdError::argument_locations`] and the like).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    /// The authentication challenges (`Unauthenticated`, `Unauthorized`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
}

impl StdError {
    /// Decodes an error answer. Never fails: a body that is not a standard error is kept
    /// raw (at most [`MAX_RAW_BODY`] bytes of it), and the `error_type` it names, if any
    /// can be read, is kept.
    pub fn from_response(status: u16, body: &[u8]) -> Self {
        let mut error = StdError {
            status,
            error_type: None,
            error_type_sent: false,
            messages: Vec::new(),
            data: None,
            challenge: None,
            raw_body: None,
        };
        let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let value = value.map(unwrap_rest_style);
        match value.clone().map(serde_json::from_value::<StdErrorBody>) {
            Some(Ok(body)) => {
                error.error_type_sent = body.error_type.is_some();
                error.error_type = body.error_type;
                error.messages = body.messages;
                error.data = body.data;
                error.challenge = body.challenge;
            }
            _ => {
                // Not a standard error as a whole; its `error_type` may still be readable.
                let sent = value
                    .as_ref()
                    .and_then(|v| v.get("error_type"))
                    .and_then(|t| t.as_str())
                    .map(ErrorType::from);
                error.error_type_sent = sent.is_some();
                error.error_type = sent;
                error.raw_body = Some(raw_text(body));
            }
        }
        error
    }

    /// Builds an error from its parts (used by mocks and tests).
    pub fn new(status: u16, error_type: ErrorType, messages: Vec<LocalizableMessage>) -> Self {
        StdError {
            status,
            error_type: Some(error_type),
            error_type_sent: true,
            messages,
            data: None,
            challenge: None,
            raw_body: None,
        }
    }

    /// When the body named no kind, takes the one the operation documents for this status,
    /// else the one the status implies on `/api` ([`ErrorType::for_status`]).
    pub fn infer_error_type(&mut self, documented_for_status: Option<ErrorType>) {
        if self.error_type.is_none() {
            self.error_type = documented_for_status.or_else(|| ErrorType::for_status(self.status));
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error kind, as sent or (see [`StdError::error_type_was_sent`]) as inferred.
    pub fn error_type(&self) -> Option<&ErrorType> {
        self.error_type.as_ref()
    }

    /// Whether the body carried `error_type` (servers before vSphere 6.7.2 do not).
    pub fn error_type_was_sent(&self) -> bool {
        self.error_type_sent
    }

    /// The stack of messages; the first describes the error, each next one its cause.
    pub fn messages(&self) -> &[LocalizableMessage] {
        &self.messages
    }

    /// The error as JSON carries it (without the status and the raw body): what a mock
    /// answers, or a generated struct holds.
    pub fn body(&self) -> StdErrorBody {
        StdErrorBody {
            error_type: self.error_type.clone(),
            messages: self.messages.clone(),
            data: self.data.clone(),
            challenge: self.challenge.clone(),
        }
    }

    /// The operation-specific data of the error, as sent.
    pub fn data(&self) -> Option<&serde_json::Value> {
        self.data.as_ref()
    }

    /// The authentication challenges (`Unauthenticated`, `Unauthorized`).
    pub fn challenge(&self) -> Option<&str> {
        self.challenge.as_deref()
    }

    /// The body as received, when it was not a standard error (empty, HTML, cut short).
    pub fn raw_body(&self) -> Option<&str> {
        self.raw_body.as_deref()
    }

    /// `data` read as the arguments the error is about.
    pub fn argument_locations(&self) -> Option<ArgumentLocations> {
        self.data_as()
    }

    /// `data` read as the files the error is about.
    pub fn file_locations(&self) -> Option<FileLocations> {
        self.data_as()
    }

    /// `data` read as whether trying again may succeed.
    pub fn transient_indication(&self) -> Option<TransientIndication> {
        self.data_as()
    }

    fn data_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.data
            .clone()
            .and_then(|d| serde_json::from_value(d).ok())
    }

    /// The text of the first message: localized when the server localized it.
    pub fn message(&self) -> Option<&str> {
        self.messages.first().map(LocalizableMessage::text)
    }
}

impl fmt::Display for StdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_type {
            Some(kind) => write!(f, "{kind} (HTTP {})", self.status)?,
            None => write!(f, "HTTP {}", self.status)?,
        }
        match self.message() {
            Some(message) => write!(f, ": {message}"),
            None if self
                .raw_body
                .as_deref()
                .is_some_and(|b| !b.trim().is_empty()) =>
            {
                f.write_str(": the answer was not a standard error")
            }
            None => f.write_str(": no error details were sent"),
        }
    }
}

impl std::error::Error for StdError {}

/// What every operation's error enum does; the client decodes through it.
pub trait OperationError: std::error::Error + Sized {
    /// Picks the variant: the body's `error_type`, else the status (see [`StdError::infer_error_type`]).
    fn from_std(error: StdError) -> Self;

    /// The standard error behind the variant.
    fn std_error(&self) -> &StdError;
}

/// `{"type": "com.vmware.vapi.std.errors.not_found", "value": {...}}` -> the value, with
/// `error_type: NOT_FOUND` added when it lacks one.
fn unwrap_rest_style(value: serde_json::Value) -> serde_json::Value {
    let kind = value
        .get("type")
        .and_then(|t| t.as_str())
        .and_then(|t| t.strip_prefix("com.vmware.vapi.std.errors."))
        .map(str::to_ascii_uppercase);
    match (kind, value.get("value")) {
        (Some(kind), Some(serde_json::Value::Object(inner))) => {
            let mut inner = inner.clone();
            inner
                .entry("error_type")
                .or_insert(serde_json::Value::String(kind));
            serde_json::Value::Object(inner)
        }
        _ => value,
    }
}

/// At most [`MAX_RAW_BODY`] bytes of a body, as text: what errors keep of an answer.
pub(crate) fn raw_text(body: &[u8]) -> String {
    let kept = &body[..body.len().min(MAX_RAW_BODY)];
    String::from_utf8_lossy(kept).into_owned()
}

/// An operation that documents no error kinds decodes its errors to the bare standard error.
impl OperationError for StdError {
    fn from_std(mut error: StdError) -> Self {
        error.infer_error_type(None);
        error
    }

    fn std_error(&self) -> &StdError {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_body_omits_what_is_unset_and_decodes_any_object() {
        let body = StdErrorBody {
            error_type: Some(ErrorType::NotFound),
            ..StdErrorBody::default()
        };
        assert_eq!(
            serde_json::to_value(&body).expect("encodes"),
            json!({"error_type": "NOT_FOUND", "messages": []})
        );
        let any: StdErrorBody =
            serde_json::from_value(json!({"reason": "free-form"})).expect("decodes");
        assert_eq!(any, StdErrorBody::default());
    }

    #[test]
    fn an_error_gives_back_its_body() {
        let error = StdError::from_response(
            404,
            br#"{"error_type": "NOT_FOUND", "messages": [{"id": "a", "default_message": "gone", "args": []}], "data": {"primary": "x"}}"#,
        );
        let body = error.body();
        assert_eq!(body.error_type, Some(ErrorType::NotFound));
        assert_eq!(body.messages, [LocalizableMessage::new("a", "gone")]);
        assert_eq!(body.data, Some(json!({"primary": "x"})));
        assert_eq!(body.challenge, None);
    }
}
