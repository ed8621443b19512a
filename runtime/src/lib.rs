#![doc = include_str!("../README.md")]
//!
//! ## Layout
//!
//! - [`Client`] and [`ClientBuilder`]: configuration, TLS ([`Fingerprint`] pinning), the
//!   session ([`Client::login`], [`Client::logout`], renewal), and the one place requests
//!   are sent.
//! - [`CallError`]: what every call can end in, around an operation's own error enum
//!   ([`OperationError`]); [`StdError`] is the standard error behind it, [`ErrorType`] its
//!   kind, [`StdErrorBody`] its JSON form. [`Error`] is the one type every error of the
//!   crate converts into with `?`.
//! - [`Task`]: waiting for a task's typed result through the spec's task service.
//! - [`Client::download_support_bundle`]: the one-time-token download, checked as a tar
//!   archive on the way ([`TarCheck`]).
//! - [`codegen`]: what generated code calls; [`mock`] (feature `mock`): typed mocks.

#![deny(missing_docs)]

mod any_error;
mod call;
mod check;
mod client;
mod download;
mod error;
mod error_type;
mod query;
mod secret;
mod services;
mod std_types;
mod tar_check;
mod task;
mod tls;

#[cfg(feature = "mock")]
pub mod mock;

pub use any_error::{Error, Refusal};
pub use call::CallError;
pub use check::{Check, InvalidRequest};
pub use client::{BuildError, Client, ClientBuilder, MAX_ANSWER, SESSION_HEADER};
pub use download::{
    file_name_of, BundleLocation, DownloadError, DownloadOptions, DownloadProgress, Downloaded,
    TokenForm, DEFAULT_FILE_NAME, TOKEN_HEADER,
};
pub use error::{OperationError, StdError, StdErrorBody, MAX_RAW_BODY};
pub use error_type::ErrorType;
pub use secret::{Credentials, Secret};
pub use std_types::{ArgumentLocations, FileLocations, LocalizableMessage, TransientIndication};
pub use tar_check::{TarCheck, TarError};
pub use task::{Progress, Task, TaskError, TaskInfo, TaskProgress, TaskStatus, WaitOptions};
pub use tls::Fingerprint;

pub mod codegen {
    //! What generated crates call; not for hand-written code, and not held to the same
    //! care for compatibility as the rest of the crate.
    //!
    //! A generated operation builds a [`Call`] (fixed query pairs first, path values through
    //! [`path_value`], bodies checked with [`crate::Check`] and [`check`]'s helpers), sends it
    //! with [`crate::Client::send`] ([`crate::Client::send_once`] for the login) and decodes
    //! the [`Answer`]. The spec's session and task services are handed over as a `static`
    //! [`Services`].

    pub use crate::call::{path_value, Answer, Call};
    pub use crate::services::{Endpoint, Services, SessionService, TaskService};
    pub use reqwest::Method;

    /// The helpers of the generated [`crate::Check`] implementations.
    pub mod check {
        pub use crate::check::{fail, length, pattern};
    }
}
