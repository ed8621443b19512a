//! Everything that can go wrong while generating, as values.
//!
//! Each variant about the spec carries the JSON pointer of the place it concerns, so a
//! maintainer can jump straight to it; none of them is ever a panic.

use std::path::PathBuf;

use crate::pointer::Pointer;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "{pointer}: the document is not valid YAML/JSON (line {line}, column {column}): {message}"
    )]
    Syntax {
        pointer: Pointer,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{pointer}: not a valid OpenAPI 3.0 document: {message}")]
    Shape { pointer: Pointer, message: String },

    #[error("{pointer}: `$ref: {target}` points at nothing in the document")]
    DanglingRef { pointer: Pointer, target: String },

    #[error("{pointer}: operationId `{operation_id}` is used twice (first at {first})")]
    DuplicateOperationId {
        pointer: Pointer,
        operation_id: String,
        first: Pointer,
    },

    #[error(
        "{pointer}: `{name}` and `{other}` (at {other_pointer}) both become the Rust name `{rust}`"
    )]
    NameCollision {
        pointer: Pointer,
        name: String,
        other: String,
        other_pointer: Pointer,
        rust: String,
    },

    #[error("{pointer}: {what} is not supported: {hint}")]
    Unsupported {
        pointer: Pointer,
        what: String,
        hint: String,
    },

    #[error("{pointer}: {message}")]
    Invalid { pointer: Pointer, message: String },

    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("the generated code does not parse as Rust ({file}): {message}")]
    Emit { file: String, message: String },
}

impl Error {
    /// The place in the spec this error concerns, when it concerns one.
    pub fn pointer(&self) -> Option<&Pointer> {
        match self {
            Error::Syntax { pointer, .. }
            | Error::Shape { pointer, .. }
            | Error::DanglingRef { pointer, .. }
            | Error::DuplicateOperationId { pointer, .. }
            | Error::NameCollision { pointer, .. }
            | Error::Unsupported { pointer, .. }
            | Error::Invalid { pointer, .. } => Some(pointer),
            Error::Read { .. } | Error::Write { .. } | Error::Emit { .. } => None,
        }
    }

    pub(crate) fn unsupported(
        pointer: &Pointer,
        what: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::Unsupported {
            pointer: pointer.clone(),
            what: what.into(),
            hint: hint.into(),
        }
    }

    pub(crate) fn invalid(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error::Invalid {
            pointer: pointer.clone(),
            message: message.into(),
        }
    }
}
