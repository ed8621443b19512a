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

    /// The `error_type` found by scanning a body longer than what was kept, when the kept
    /// part named none.
    pub(crate) fn take_scanned_kind(&mut self, kind: &str) {
        if self.error_type.is_none() {
            self.error_type = Some(ErrorType::from(kind));
            self.error_type_sent = true;
        }
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

/// Finds a top-level `"error_type": "<kind>"` in a JSON object as it streams by, in constant
/// memory: an error answer longer than what is kept of it still tells its kind.
#[derive(Debug, Default)]
pub(crate) struct KindScan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// The string being read at depth 1 (a key, or a value after `:`), up to 64 bytes.
    text: Vec<u8>,
    /// A `:` was read at depth 1 since the last `,`: the next string is a value.
    value_next: bool,
    /// The key before the `:` was `error_type`.
    key_is_kind: bool,
    found: Option<String>,
}

impl KindScan {
    /// Reads the next bytes of the body.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.found.is_some() {
                return;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    self.keep(b);
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    self.string_ended();
                } else {
                    self.keep(b);
                }
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.text.clear();
                }
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => self.depth = self.depth.saturating_sub(1),
                b':' if self.depth == 1 => self.value_next = true,
                b',' if self.depth == 1 => {
                    self.value_next = false;
                    self.key_is_kind = false;
                }
                _ => {}
            }
        }
    }

    fn keep(&mut self, b: u8) {
        if self.depth == 1 && self.text.len() < 64 {
            self.text.push(b);
        }
    }

    fn string_ended(&mut self) {
        if self.depth != 1 {
            return;
        }
        if !self.value_next {
            self.key_is_kind = self.text == b"error_type";
        } else if self.key_is_kind {
            self.found = Some(String::from_utf8_lossy(&self.text).into_owned());
        }
    }

    /// Whether the kind was found (nothing more to read for it).
    pub(crate) fn done(&self) -> bool {
        self.found.is_some()
    }

    /// The kind, when the body named one at the top level.
    pub(crate) fn found(self) -> Option<String> {
        self.found
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

/// What every operation's error enum does; the client decodes through it. The accessors
/// of the standard error behind a variant are written here once, for every operation.
pub trait OperationError: std::error::Error + Sized {
    /// Picks the variant: the body's `error_type`, else the status (see [`StdError::infer_error_type`]).
    fn from_std(error: StdError) -> Self;

    /// The standard error behind the variant: status, messages, data, raw body.
    fn std_error(&self) -> &StdError;

    /// The HTTP status of the answer.
    fn status(&self) -> u16 {
        self.std_error().status()
    }

    /// The error kind: as the body said it, or as the status implies when it did not.
    fn error_type(&self) -> Option<&ErrorType> {
        self.std_error().error_type()
    }

    /// The localizable messages, the first one describing the error itself.
    fn messages(&self) -> &[LocalizableMessage] {
        self.std_error().messages()
    }
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

    fn scanned(body: &[u8], chunk: usize) -> Option<String> {
        let mut scan = KindScan::default();
        for part in body.chunks(chunk) {
            scan.feed(part);
        }
        scan.found()
    }

    #[test]
    fn the_kind_is_found_at_the_top_level_only_whatever_the_chunks() {
        let long = "x\\\"{[".repeat(20_000);
        let body = json!({
            "messages": [{"id": "a", "default_message": long, "args": [], "error_type": "NOT_FOUND"}],
            "data": {"error_type": "NOT_FOUND"},
            "error_type": "ALREADY_EXISTS"
        })
        .to_string();
        for chunk in [1, 7, 4096, body.len()] {
            assert_eq!(
                scanned(body.as_bytes(), chunk).as_deref(),
                Some("ALREADY_EXISTS")
            );
        }
        assert_eq!(scanned(br#"{"error_type": 3, "x": "error_type"}"#, 3), None);
        assert_eq!(scanned(b"<html>error_type</html>", 5), None);
    }

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
