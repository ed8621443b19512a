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

    /// The generator was asked for something it cannot do (a crate name cargo refuses).
    #[error("{0}")]
    Usage(String),

    /// Everything wrong with a spec, found in one run: each problem with its pointer,
    /// sorted by pointer.
    #[error("{}", list_problems(.0))]
    Spec(Vec<Error>),
}

fn list_problems(problems: &[Error]) -> String {
    let mut text = match problems.len() {
        1 => "1 problem in the spec:".to_owned(),
        n => format!("{n} problems in the spec:"),
    };
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    text
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
            Error::Spec(problems) => problems.first().and_then(Error::pointer),
            Error::Read { .. } | Error::Write { .. } | Error::Emit { .. } | Error::Usage(_) => None,
        }
    }

    /// The single problems this error stands for: itself, or each of a spec's problems.
    pub fn problems(&self) -> Vec<&Error> {
        match self {
            Error::Spec(problems) => problems.iter().collect(),
            other => vec![other],
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

/// The problems found so far in a spec. Each stage records what it cannot take and goes on
/// with the rest, so one run reports every problem, not just the first.
#[derive(Debug, Default)]
pub struct Problems(Vec<Error>);

impl Problems {
    pub fn push(&mut self, error: Error) {
        match error {
            Error::Spec(many) => self.0.extend(many),
            one => self.0.push(one),
        }
    }

    /// The value of `result`, or `None` with its error recorded.
    pub fn take<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems are recorded: a stage compares it before and after a part to know
    /// whether that part had any.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok` when nothing was found, else one `Error::Spec` with every problem, sorted by
    /// pointer (then message) and without repeats.
    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    /// One `Error::Spec` with every problem, sorted and without repeats.
    pub fn into_error(self) -> Error {
        let mut problems = self.0;
        problems.sort_by_cached_key(|e| (e.pointer().cloned(), e.to_string()));
        problems.dedup_by(|a, b| a.to_string() == b.to_string());
        Error::Spec(problems)
    }
}
