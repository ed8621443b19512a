#![doc = include_str!("../README.md")]
//!
//! ## Layout
//!
//! The modules follow VMware's Vapi service paths: the schema
//! `Vcenter.NamespaceManagement.SupportBundle.Location` is
//! [`vcenter::namespace_management::support_bundle::Location`], and its operations are
//! reached the same way: `client.vcenter().namespace_management().support_bundle()`.
//! Resource ids have a type each ([`ids`]); each operation has its own error enum, whose
//! variants are the standard errors it documents ([`StdError`], [`ErrorType`]), inside the
//! common [`Error`].

#![deny(missing_docs)]

mod call;
mod check;
mod client;
mod download;
mod error;
#[cfg(feature = "mock")]
mod mocking;
mod secret;
mod tar_check;
mod task;
mod tls;

pub use call::Error;
pub use check::{Check, InvalidRequest};
pub use client::{BuildError, Client, ClientBuilder, MAX_ANSWER, SESSION_HEADER};
pub use download::{
    file_name_of, DownloadError, DownloadProgress, Downloaded, TokenForm, DEFAULT_FILE_NAME,
    TOKEN_HEADER,
};
pub use error::{ErrorType, OperationError, StdError, MAX_RAW_BODY};
pub use secret::{Credentials, Secret};
pub use tar_check::{TarCheck, TarError};
pub use task::{Progress, Task, TaskError, WaitOptions};
pub use tls::Fingerprint;

/// Typed mocks of every operation for your tests (feature `mock`), on `wiremock`.
#[cfg(feature = "mock")]
#[rustfmt::skip]
pub mod mock;

// @generated-modules
