//! One error type for a whole program: every call's [`CallError<E>`], a task wait's
//! [`TaskError`], a download's [`DownloadError`] and the builder's [`BuildError`] convert
//! into [`Error`] with `?`, so a function that calls three different operations needs no
//! `Box<dyn Error>` and can still ask which kind of refusal it got.
//!
//! The operation's own error enum is kept inside, boxed ([`Refusal`]), and can be had back
//! by type with [`Refusal::downcast_ref`]; the standard error's kind, status and messages
//! are reachable without knowing which operation failed.

use std::any::Any;
use std::fmt;

use crate::{
    BuildError, CallError, DownloadError, ErrorType, LocalizableMessage, OperationError, StdError,
    TaskError,
};

/// Anything a program using this crate can fail with.
///
/// ```rust,no_run
/// # use vapi_runtime::{Client, ErrorType, OperationError, StdError};
/// # use vapi_runtime::codegen::{Call, Method};
/// async fn two_calls(client: &Client) -> Result<(), vapi_runtime::Error> {
///     // Each call has its own error type; `?` turns every one into `vapi_runtime::Error`.
///     client.send::<StdError>(Call::new("Things_get", Method::GET, "/things", "/things".into())).await?;
///     client.logout().await?;
///     Ok(())
/// }
///
/// # async fn run(client: Client) {
/// match two_calls(&client).await {
///     Err(e) if e.error_type() == Some(&ErrorType::NotFound) => println!("no such thing"),
///     Err(e) => println!("failed: {e}"),
///     Ok(()) => {}
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A call failed; when the service said no, [`CallError::Api`] holds the operation's
    /// refusal.
    #[error(transparent)]
    Call(CallError<Refusal>),
    /// Waiting for a task did not give its result.
    #[error(transparent)]
    Task(#[from] TaskError),
    /// A support bundle was not downloaded whole.
    #[error(transparent)]
    Download(#[from] DownloadError),
    /// The client could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
}

impl Error {
    /// The standard error the server answered with: a call's refusal, or the refusal of a
    /// task poll.
    pub fn std_error(&self) -> Option<&StdError> {
        match self {
            Error::Call(CallError::Api(refusal)) => Some(refusal.std_error()),
            Error::Task(TaskError::Poll {
                source: CallError::Api(error),
                ..
            }) => Some(error),
            _ => None,
        }
    }

    /// The kind of the server's refusal, of a call or of a failed task.
    pub fn error_type(&self) -> Option<&ErrorType> {
        match self {
            Error::Task(TaskError::Failed { error, .. }) => {
                error.as_ref().and_then(|e| e.error_type.as_ref())
            }
            _ => self.std_error().and_then(StdError::error_type),
        }
    }

    /// The HTTP status of the server's refusal.
    pub fn status(&self) -> Option<u16> {
        self.std_error().map(StdError::status)
    }

    /// The server's messages, the first describing the error itself (empty when the
    /// server sent none or did not refuse).
    pub fn messages(&self) -> &[LocalizableMessage] {
        match self {
            Error::Task(TaskError::Failed {
                error: Some(error), ..
            }) => &error.messages,
            _ => self.std_error().map_or(&[], StdError::messages),
        }
    }

    /// The operation's refusal, when the service said no to a call.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Error::Call(CallError::Api(refusal)) => Some(refusal),
            _ => None,
        }
    }

    /// Whether trying again may succeed (see [`CallError::is_transient`]).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Call(e) => e.is_transient(),
            Error::Task(TaskError::Poll { source, .. }) => source.is_transient(),
            _ => false,
        }
    }
}

impl<E: OperationError + Send + Sync + 'static> From<CallError<E>> for Error {
    fn from(error: CallError<E>) -> Self {
        Error::Call(error.map_api(|e| Refusal { error: Box::new(e) }))
    }
}

/// An operation's error enum, with its type erased: what [`Error`] keeps of a refusal.
pub struct Refusal {
    error: Box<dyn Refused>,
}

/// What [`Refusal`] needs of the error it holds.
trait Refused: std::error::Error + Send + Sync + 'static {
    fn std(&self) -> &StdError;
    fn as_any(&self) -> &dyn Any;
}

impl<E: OperationError + Send + Sync + 'static> Refused for E {
    fn std(&self) -> &StdError {
        self.std_error()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Refusal {
    /// The operation's own error enum, when it is an `E` (`CreateError`, ...).
    pub fn downcast_ref<E: OperationError + 'static>(&self) -> Option<&E> {
        self.error.as_any().downcast_ref()
    }

    /// The standard error behind it.
    pub fn std_error(&self) -> &StdError {
        self.error.std()
    }
}

impl fmt::Debug for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for Refusal {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

impl OperationError for Refusal {
    fn from_std(error: StdError) -> Self {
        Refusal {
            error: Box::new(StdError::from_std(error)),
        }
    }

    fn std_error(&self) -> &StdError {
        self.error.std()
    }
}
